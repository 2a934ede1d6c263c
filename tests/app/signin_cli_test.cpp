// Signing in on the command line (issue 16): --user names a person an
// administrator added, ATTUNE_PASSPHRASE is that person's own passphrase; a
// wrong one or an unknown person exits 2 and changes nothing, and no command
// ever creates a person nobody added.
#include <catch2/catch_test_macros.hpp>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>

#include "app/cli_runner.h"
#include "support/cli_practice.h"
#include "support/test_support.h"

using namespace attune::test;
namespace fs = std::filesystem;

namespace {

// The practice's file and its keyring, byte for byte.
std::string practice_bytes(const fs::path& db) {
    return read_file(db) + "|" + read_file(db.string() + ".keyring");
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// The first tab-separated field of each line: the names `person list` prints.
std::vector<std::string> first_fields(const std::string& text) {
    std::vector<std::string> out;
    for (const std::string& line : lines_of(text))
        out.push_back(line.substr(0, line.find('\t')));
    return out;
}

}  // namespace

TEST_CASE("a wrong passphrase for a named person exits 2 and leaves the practice and its keyring byte-identical") {
    TempDir dir;
    make_cli_practice(dir / "p.db");
    const std::string before = practice_bytes(dir / "p.db");

    SECTION("reading") {
        const CliResult r = run_attune("check --db p.db --user 'Dr Test'", dir.path(), "not the passphrase", "");
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        CHECK(r.err == "attune check: the passphrase for Dr Test is not right\n");
    }
    SECTION("writing") {
        const CliResult r = run_attune("case add --db p.db --user 'Dr Test' --label X --partners Ana,Ben", dir.path(),
                                       "not the passphrase", "");
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        CHECK(r.err == "attune case add: the passphrase for Dr Test is not right\n");
    }
    SECTION("no passphrase at all") {
        const CliResult r =
            run_attune("case add --db p.db --user 'Dr Test' --label X --partners Ana,Ben", dir.path(), "", "");
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("a passphrase is needed") != std::string::npos);
        CHECK(r.err.find('\n') == r.err.size() - 1);
    }
    CHECK(practice_bytes(dir / "p.db") == before);
}

TEST_CASE("an unknown --user or $ATTUNE_USER exits 2 naming them, and nobody is created") {
    TempDir dir;
    make_cli_practice(dir / "p.db");
    const std::string before = practice_bytes(dir / "p.db");
    // With Dr Test's own passphrase: a name nobody added is refused whatever the passphrase.
    const CliResult named = run_attune("case add --db p.db --user 'Dr Nobody' --label X --partners Ana,Ben", dir.path(),
                                       kCliPassphrase, "");
    CHECK(named.exit_code == 2);
    CHECK(named.out.empty());
    CHECK(named.err ==
          "attune case add: nobody named 'Dr Nobody' can sign in to p.db (an administrator adds people with attune "
          "person add)\n");
    const CliResult from_environment = run_attune("case list --db p.db", dir.path(), kCliPassphrase, "Dr Nobody");
    CHECK(from_environment.exit_code == 2);
    CHECK(from_environment.err.find("nobody named 'Dr Nobody' can sign in") != std::string::npos);
    CHECK(practice_bytes(dir / "p.db") == before);
    CHECK(first_fields(run_attune("person list --db p.db", dir.path()).out) ==
          std::vector<std::string>{"Dr Test", "Recovery key"});
}

TEST_CASE("after command-line use the only people are the ones an administrator added") {
    // Before personal sign-in, commands run without --user created a person
    // named after the login ("root (clinician)"). Here nobody says who they
    // are: the practice's one person signs in, and nobody else appears.
    TempDir dir;
    make_practice_with_open_session(dir / "p.db");
    const auto as_nobody_named = [&](const std::string& args) {
        const CliResult r = run_attune(args, dir.path(), kCliPassphrase, "");
        INFO(args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
        return r;
    };
    as_nobody_named("log --db p.db --case C --who A --code validate --at 3");
    as_nobody_named("session end --db p.db --case C --duration 600");
    as_nobody_named("export --db p.db --case C --session 1 --format txt");
    const std::string boris = shell_quote((test_data_dir() / "boris" / "couples_tabular.tsv").string());
    as_nobody_named("import boris " + boris + " --db p.db --case Imported --partners Ana,Ben");

    // A BORIS rater is a person of the practice: a name nobody added is refused, not created.
    const CliResult stray =
        run_attune("import boris " + boris + " --db p.db --case Imported2 --partners Ana,Ben --rater 'Kim Rater'",
                   dir.path(), kCliPassphrase, "");
    CHECK(stray.exit_code == 1);
    CHECK(stray.out.empty());
    CHECK(stray.err == "attune import boris: no person named 'Kim Rater' in this practice\n");

    CHECK(first_fields(as_nobody_named("person list --db p.db").out) ==
          std::vector<std::string>{"Dr Test", "Recovery key"});
    // Every row of the audit trail is Dr Test's (time, person, action, ...).
    std::set<std::string> actors;
    for (const std::string& line : lines_of(as_nobody_named("audit --db p.db --limit 1000").out)) {
        const size_t from = line.find('\t') + 1;
        actors.insert(line.substr(from, line.find('\t', from) - from));
    }
    CHECK(actors == std::set<std::string>{"Dr Test"});
    CHECK(lines_of(as_nobody_named("case list --db p.db").out).size() == 2);  // C and Imported, not Imported2
}

TEST_CASE("only attune init makes a practice: other commands on a missing file point to it and create nothing") {
    // case add and import boris used to create the practice on the side, its
    // founding administrator taken from $ATTUNE_USER (often the login name) and
    // its recovery key mixed into their output.
    TempDir dir;
    const std::string boris = shell_quote((test_data_dir() / "boris" / "couples_tabular.tsv").string());
    for (const std::string& args : {std::string("case add --db new.db --label X --partners Ana,Ben"),
                                    "import boris " + boris + " --db new.db --case X --partners Ana,Ben"}) {
        INFO(args);
        const CliResult r = run_attune(args, dir.path(), kCliPassphrase, "root");
        CHECK(r.exit_code == 1);
        CHECK(r.out.empty());
        CHECK(r.err.find(": no practice at new.db: make one with attune init --db new.db --admin NAME\n") !=
              std::string::npos);
        CHECK(r.err.find('\n') == r.err.size() - 1);
        CHECK_FALSE(fs::exists(dir / "new.db"));
        CHECK_FALSE(fs::exists(dir / "new.db.keyring"));
    }
}
