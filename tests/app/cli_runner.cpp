#include "app/cli_runner.h"

#include <algorithm>

#include <sys/wait.h>

#include <catch2/catch_test_macros.hpp>
#include <cstdlib>

#include "support/cli_practice.h"
#include "support/test_support.h"

namespace attune::test {
namespace {

// `opens_window`: the command runs Mesa (a window, or the bench's idle measurement).
CliResult run_program(const std::filesystem::path& binary, const std::string& args, const std::filesystem::path& dir,
                      const std::string& passphrase, bool opens_window, const std::string& user,
                      const std::string& input = "/dev/null") {
    const auto out_path = dir / "stdout.txt";
    const auto err_path = dir / "stderr.txt";
    std::string command = "cd " + shell_quote(dir.string()) + " && ";
    // env takes its -u options before any NAME=VALUE.
    command += "env ";
    if (passphrase.empty()) command += "-u ATTUNE_PASSPHRASE ";
    if (user.empty()) command += "-u ATTUNE_USER ";
    if (!passphrase.empty()) command += "ATTUNE_PASSPHRASE=" + shell_quote(passphrase) + " ";
    if (!user.empty()) command += "ATTUNE_USER=" + shell_quote(user) + " ";
    // Under the ASan suite (scripts/sanitize-and-fuzz.sh): LeakSanitizer crashes in its
    // own tracer in a process running Mesa's llvmpipe threads, so commands that open a
    // window run without leak checking; ASan's memory checks and UBSan stay on.
    if (opens_window) command += "ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:detect_leaks=0\" ";
    command += shell_quote(binary.string()) + " " + args + " >" + shell_quote(out_path.string()) + " 2>" +
               shell_quote(err_path.string()) + " <" + shell_quote(input);
    const int status = std::system(command.c_str());
    CliResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read_file(out_path);
    result.err = read_file(err_path);
    return result;
}

}  // namespace

std::size_t count_lines(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

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

CliResult run_attune_answering(const std::string& args, const std::filesystem::path& dir, const std::string& answer,
                               const std::string& passphrase, const std::string& user) {
    const auto input = dir / "stdin.txt";
    write_file(input, answer);
    return run_program(attune_binary(), args, dir, passphrase, false, user, input.string());
}

CliResult must_run_attune(const std::string& args, const std::filesystem::path& dir) {
    const CliResult r = run_attune(args, dir);
    INFO(args << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
    return r;
}

CliResult run_bench(const std::string& args, const std::filesystem::path& dir, const std::string& passphrase,
                    const std::string& user) {
    return run_program(bench_binary(), args, dir, passphrase, true, user);
}

void copy_practice(const std::filesystem::path& from, const std::filesystem::path& to) {
    namespace fs = std::filesystem;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    for (const char* suffix : {".keyring", "-wal"}) {
        std::error_code ec;
        if (fs::exists(from.string() + suffix, ec))
            fs::copy_file(from.string() + suffix, to.string() + suffix, fs::copy_options::overwrite_existing);
    }
}

PreparedPractice::PreparedPractice(std::function<void(const std::filesystem::path& dir)> prepare)
    : prepare_(std::move(prepare)) {}

const std::filesystem::path& PreparedPractice::ready() {
    if (!dir_) {
        auto dir = std::make_unique<TempDir>();
        prepare_(dir->path());  // a failure (REQUIRE) leaves it unprepared for the next test to try again
        dir_ = std::move(dir);
    }
    return dir_->path();
}

void PreparedPractice::copy_to(const std::filesystem::path& db) {
    copy_practice(ready() / "p.db", db);
}

std::filesystem::path PreparedPractice::file(const std::string& name) {
    return ready() / name;
}

void make_practice_with_open_session(const std::filesystem::path& db) {
    static PreparedPractice prepared([](const std::filesystem::path& dir) {
        make_cli_practice(dir / "p.db");
        REQUIRE(run_attune("case add --db p.db --label C --partners Ana,Ben", dir).exit_code == 0);
        REQUIRE(run_attune("session start --db p.db --case C", dir).exit_code == 0);
    });
    prepared.copy_to(db);
}

}  // namespace attune::test
