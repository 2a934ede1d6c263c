// The command line's share of issue 17's items 3 and 10: `attune init` and
// `attune passphrase change` say how strong the new passphrase is (the same
// estimate as the window's), and `attune demo` never writes invented couples
// into the practice's default file.
#include <catch2/catch_test_macros.hpp>
#include <filesystem>
#include <string>

#include "app/cli_runner.h"
#include "support/test_support.h"

using namespace attune::test;
namespace fs = std::filesystem;

TEST_CASE("attune demo aimed at the practice's default file is refused before anything is made", "[cli][demo]") {
    TempDir dir;
    ScopedEnv data("XDG_DATA_HOME", (dir / "data").string());
    const CliResult r = run_attune("demo --user 'Demo Admin'", dir.path(), "a demo passphrase");  // no --db: the default
    CHECK(r.exit_code == 64);
    CHECK(r.err.find("the demo is never written into the practice's own file") != std::string::npos);
    CHECK(r.err.find("demo-practice (invented couples).attune-db") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "data" / "attune" / "practice.attune-db"));
}

TEST_CASE("attune init and passphrase change print the new passphrase's strength", "[cli][strength]") {
    TempDir dir;
    const CliResult init = run_attune("init --db p.db --admin 'Dr Strength'", dir.path(), "password123456", "");
    REQUIRE(init.exit_code == 0);
    CHECK(init.err.find("Strength: very weak (about 2^2 guesses)") != std::string::npos);
    CHECK(init.out.find("Strength") == std::string::npos);  // stdout is the recovery key alone

    ScopedEnv next("ATTUNE_NEW_PASSPHRASE", "maple river quietly sixteen lantern");
    const CliResult change = run_attune("passphrase change --db p.db", dir.path(), "password123456", "Dr Strength");
    REQUIRE(change.exit_code == 0);
    CHECK(change.out.find("Strength: very strong (about 2^89 guesses)") != std::string::npos);
}
