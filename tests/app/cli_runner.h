// cli_runner.h: runs the real `attune` (or `attune-bench`) binary and captures what it printed.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "support/test_support.h"

namespace attune::test {

struct CliResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs `attune ARGS` (ARGS is shell-quoted by the caller) with ATTUNE_PASSPHRASE
// set to `passphrase` and ATTUNE_USER to `user` (each unset when empty), in
// `dir`. The defaults are the person of tests/support/cli_practice.h's practices.
CliResult run_attune(const std::string& args, const std::filesystem::path& dir,
                     const std::string& passphrase = "test passphrase", const std::string& user = "Dr Test");
// run_attune() with `answer` on its stdin (else stdin is /dev/null).
CliResult run_attune_answering(const std::string& args, const std::filesystem::path& dir, const std::string& answer,
                               const std::string& passphrase, const std::string& user = "");
// run_attune() that must succeed: a failure stops the test, with the
// command and what it said on stderr.
CliResult must_run_attune(const std::string& args, const std::filesystem::path& dir);
// The same for `attune-bench ARGS`, the benchmark's own program.
CliResult run_bench(const std::string& args, const std::filesystem::path& dir,
                    const std::string& passphrase = "test passphrase", const std::string& user = "Dr Test");
// Single-quotes a word for /bin/sh.
std::string shell_quote(const std::string& word);
// How many lines `text` has (its newlines): errors are one line each.
std::size_t count_lines(const std::string& text);

// Copies a practice file and its keyring (and a WAL, if one was left) to `to`.
void copy_practice(const std::filesystem::path& from, const std::filesystem::path& to);

// A practice prepared once per test process through the real binary and
// copied for every test that asks for it: each run of `attune` costs a
// MODERATE Argon2id unlock (about a second), so tests that need the same
// cases, sessions and people pay for making them once and stay independent.
class PreparedPractice {
public:
    // `prepare(dir)` makes dir/"p.db" (and may leave other files in `dir`).
    explicit PreparedPractice(std::function<void(const std::filesystem::path& dir)> prepare);
    // Copies the practice to `db`, preparing it first on first use.
    void copy_to(const std::filesystem::path& db);
    // A file the preparation left beside the practice.
    std::filesystem::path file(const std::string& name);

private:
    const std::filesystem::path& ready();
    std::function<void(const std::filesystem::path&)> prepare_;
    std::unique_ptr<TempDir> dir_;
};

// A practice of tests/support/cli_practice.h with case "C" (partners Ana and
// Ben) and its session 1 started by Dr Test.
void make_practice_with_open_session(const std::filesystem::path& db);

}  // namespace attune::test
