// cli_runner.h: runs the real `attune` (or `attune-bench`) binary and captures what it printed.
#pragma once

#include <filesystem>
#include <string>

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
// The same for `attune-bench ARGS`, the benchmark's own program.
CliResult run_bench(const std::string& args, const std::filesystem::path& dir,
                    const std::string& passphrase = "test passphrase", const std::string& user = "Dr Test");
// Single-quotes a word for /bin/sh.
std::string shell_quote(const std::string& word);

}  // namespace attune::test
