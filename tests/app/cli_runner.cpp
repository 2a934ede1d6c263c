#include "app/cli_runner.h"

#include "support/test_support.h"

#include <cstdlib>
#include <sys/wait.h>

namespace attune::test {

std::string shell_quote(const std::string& word) {
    std::string out = "'";
    for (char c : word) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

CliResult run_attune(const std::string& args, const std::filesystem::path& dir, const std::string& passphrase) {
    const auto out_path = dir / "stdout.txt";
    const auto err_path = dir / "stderr.txt";
    std::string command = "cd " + shell_quote(dir.string()) + " && ";
    command += passphrase.empty() ? "env -u ATTUNE_PASSPHRASE " : "env ATTUNE_PASSPHRASE=" + shell_quote(passphrase) + " ";
    // Under the ASan suite (scripts/sanitize-and-fuzz.sh): LeakSanitizer crashes in its
    // own tracer in a process running Mesa's llvmpipe threads, so commands that open a
    // window run without leak checking; ASan's memory checks and UBSan stay on.
    if (args.rfind("screenshot", 0) == 0 || args.rfind("bench", 0) == 0 || args.rfind("window", 0) == 0)
        command += "ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:detect_leaks=0\" ";
    command += shell_quote(attune_binary().string()) + " " + args + " >" + shell_quote(out_path.string()) + " 2>" +
               shell_quote(err_path.string()) + " </dev/null";
    const int status = std::system(command.c_str());
    CliResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read_file(out_path);
    result.err = read_file(err_path);
    return result;
}

}  // namespace attune::test
