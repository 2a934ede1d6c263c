#include "app/cli_runner.h"

#include <sys/wait.h>

#include <cstdlib>

#include "support/test_support.h"

namespace attune::test {
namespace {

// `opens_window`: the command runs Mesa (a window, or the bench's idle measurement).
CliResult run_program(const std::filesystem::path& binary, const std::string& args, const std::filesystem::path& dir,
                      const std::string& passphrase, bool opens_window, const std::string& user) {
    const auto out_path = dir / "stdout.txt";
    const auto err_path = dir / "stderr.txt";
    std::string command = "cd " + shell_quote(dir.string()) + " && ";
    command +=
        passphrase.empty() ? "env -u ATTUNE_PASSPHRASE " : "env ATTUNE_PASSPHRASE=" + shell_quote(passphrase) + " ";
    command += user.empty() ? "-u ATTUNE_USER " : "ATTUNE_USER=" + shell_quote(user) + " ";
    // Under the ASan suite (scripts/sanitize-and-fuzz.sh): LeakSanitizer crashes in its
    // own tracer in a process running Mesa's llvmpipe threads, so commands that open a
    // window run without leak checking; ASan's memory checks and UBSan stay on.
    if (opens_window) command += "ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:detect_leaks=0\" ";
    command += shell_quote(binary.string()) + " " + args + " >" + shell_quote(out_path.string()) + " 2>" +
               shell_quote(err_path.string()) + " </dev/null";
    const int status = std::system(command.c_str());
    CliResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read_file(out_path);
    result.err = read_file(err_path);
    return result;
}

}  // namespace

std::string shell_quote(const std::string& word) {
    std::string out = "'";
    for (char c : word) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

CliResult run_attune(const std::string& args, const std::filesystem::path& dir, const std::string& passphrase,
                     const std::string& user) {
    return run_program(attune_binary(), args, dir, passphrase, args.rfind("screenshot", 0) == 0, user);
}

CliResult run_bench(const std::string& args, const std::filesystem::path& dir, const std::string& passphrase,
                    const std::string& user) {
    return run_program(bench_binary(), args, dir, passphrase, true, user);
}

}  // namespace attune::test
