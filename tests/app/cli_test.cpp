#include <catch2/catch_test_macros.hpp>
#include <cstdlib>

#include "app/cli_runner.h"
#include "services/cases.h"
#include "support/cli_practice.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune::test;

TEST_CASE("attune --help lists the subcommands") {
    TempDir dir;
    const CliResult r = run_attune("--help", dir.path());
    REQUIRE(r.exit_code == 0);
    for (const char* command : {"case add", "session start", "log", "check", "screenshot", "demo"})
        REQUIRE(r.out.find(command) != std::string::npos);
}

TEST_CASE("a logged observation's id is printed only once it is in the database") {
    TempDir dir;
    make_cli_practice(dir / "p.db");
    REQUIRE(run_attune("case add --db p.db --label 'Couple 1' --partners 'Zoë,José'", dir.path()).exit_code == 0);
    REQUIRE(run_attune("session start --db p.db --case 'Couple 1'", dir.path()).out == "1\n");
    const CliResult logged =
        run_attune("log --db p.db --case 'Couple 1' --who A --code 'Defensive anger' --at 12.5", dir.path());
    REQUIRE(logged.exit_code == 0);
    REQUIRE(logged.out == "1\n");
    const CliResult listed = run_attune("session list --db p.db --case 'Couple 1'", dir.path());
    REQUIRE(listed.out.find("1 observations") != std::string::npos);
    const CliResult check = run_attune("check --db p.db", dir.path());
    REQUIRE(check.exit_code == 0);
    REQUIRE(check.out.find("all well") != std::string::npos);
}

TEST_CASE("case add records attachment styles and each partner's place in the cycle; a wrong one is refused") {
    TempDir dir;
    make_cli_practice(dir / "p.db");
    REQUIRE(run_attune("case add --db p.db --label Cycle --partners Ana,Ben --styles anxious,avoidant "
                       "--cycle pursuer,withdrawer",
                       dir.path())
                .exit_code == 0);
    const CliResult wrong =
        run_attune("case add --db p.db --label Other --partners Cy,Di --cycle chaser,withdrawer", dir.path());
    CHECK(wrong.exit_code == 1);
    CHECK(wrong.err == "attune case add: a cycle position must be pursuer or withdrawer\n");
    const CliResult one = run_attune("case add --db p.db --label Other --partners Cy,Di --cycle pursuer", dir.path());
    CHECK(one.exit_code == 64);  // a wrong command line
    CHECK(one.err.find("--cycle takes both partners' cycle positions") != std::string::npos);
    auto practice = open_practice(dir / "p.db", kCliPassphrase, kCliUser);
    const attune::Case c = attune::services::find_case(*practice, "Cycle");
    CHECK(c.partner_a.attachment_style == "anxious");
    CHECK(c.partner_a.cycle_position == "pursuer");
    CHECK(c.partner_b.cycle_position == "withdrawer");
    CHECK_THROWS(attune::services::find_case(*practice, "Other"));  // neither refused one was made
}

TEST_CASE("a state code pressed twice from the command line starts and stops one state event") {
    TempDir dir;
    make_practice_with_open_session(dir / "p.db");
    REQUIRE(run_attune("log --db p.db --case C --who B --code shut_down --at 20", dir.path()).out == "1\n");
    REQUIRE(run_attune("log --db p.db --case C --who B --code shut_down --at 50", dir.path()).out == "1\n");
    REQUIRE(run_attune("log --db p.db --case C --who B --code shut_down --at 60", dir.path()).out == "2\n");
}

TEST_CASE("bad input gets one plain line on stderr and changes nothing") {
    TempDir dir;
    make_practice_with_open_session(dir / "p.db");
    SECTION("unknown code") {
        const CliResult r = run_attune("log --db p.db --case C --who A --code nonsense --at 1", dir.path());
        REQUIRE(r.exit_code == 1);
        REQUIRE(count_lines(r.err) == 1);
        REQUIRE(r.err.find("nonsense") != std::string::npos);
        REQUIRE(r.out.empty());
    }
    SECTION("unknown partner") {
        const CliResult r = run_attune("log --db p.db --case C --who C --code validate --at 1", dir.path());
        REQUIRE(r.exit_code == 64);
        REQUIRE(count_lines(r.err) == 1);
    }
    SECTION("unknown case") {
        const CliResult r = run_attune("log --db p.db --case Nobody --who A --code validate --at 1", dir.path());
        REQUIRE(r.exit_code == 1);
        REQUIRE(r.err.find("Nobody") != std::string::npos);
    }
    SECTION("intensity out of range") {
        const CliResult r =
            run_attune("log --db p.db --case C --who A --code validate --at 1 --intensity 7", dir.path());
        REQUIRE(r.exit_code == 64);
        REQUIRE(count_lines(r.err) == 1);
    }
    REQUIRE(run_attune("session list --db p.db --case C", dir.path()).out.find("0 observations") != std::string::npos);
}

TEST_CASE("a new practice is refused without a passphrase unless no encryption is asked for") {
    TempDir dir;
    const CliResult refused = run_attune("init --db p.db --admin 'Dr Test'", dir.path(), "");
    REQUIRE(refused.exit_code == 2);
    REQUIRE(count_lines(refused.err) == 1);
    REQUIRE(refused.err.find("a passphrase is needed") != std::string::npos);
    REQUIRE_FALSE(std::filesystem::exists(dir / "p.db"));
    REQUIRE_FALSE(std::filesystem::exists(dir / "p.db.keyring"));
    const CliResult plain = run_attune("init --db plain.db --admin 'Dr Test' --no-encryption", dir.path(), "");
    REQUIRE(plain.exit_code == 0);
    REQUIRE(plain.out.empty());  // no keys, so no recovery key
    REQUIRE(plain.err.find("NOT encrypted") != std::string::npos);
}

TEST_CASE("the binary links SQLCipher and not the plain SQLite library") {
    TempDir dir;
    const std::string command =
        "ldd " + shell_quote(attune_binary().string()) + " > " + shell_quote((dir / "ldd.txt").string());
    REQUIRE(std::system(command.c_str()) == 0);
    const std::string libs = read_file(dir / "ldd.txt");
    REQUIRE(libs.find("libsqlcipher") != std::string::npos);
    REQUIRE(libs.find("libsqlite3") == std::string::npos);
}

TEST_CASE("the caseload screenshot is a real PNG of the window") {
    if (!std::getenv("DISPLAY")) SKIP("no display: run the suite through scripts/test.sh (Xvfb)");
    TempDir dir;
    make_cli_practice(dir / "p.db");
    REQUIRE(
        run_attune("case add --db p.db --label 'Couple Screenshot' --partners 'Ayşe,Дмитрий'", dir.path()).exit_code ==
        0);
    const CliResult r =
        run_attune("screenshot --db p.db --view caseload --out shot.png --width 800 --height 500", dir.path());
    REQUIRE(r.exit_code == 0);
    const std::string png = read_file(dir / "shot.png");
    REQUIRE(png.size() > 2000);
    REQUIRE(png.substr(1, 3) == "PNG");
    // Width and height are big-endian in the IHDR chunk at bytes 16..23.
    auto be32 = [&](size_t at) {
        return (static_cast<unsigned>(static_cast<unsigned char>(png[at])) << 24) |
               (static_cast<unsigned>(static_cast<unsigned char>(png[at + 1])) << 16) |
               (static_cast<unsigned>(static_cast<unsigned char>(png[at + 2])) << 8) |
               static_cast<unsigned>(static_cast<unsigned char>(png[at + 3]));
    };
    REQUIRE(be32(16) == 800);
    REQUIRE(be32(20) == 500);
}
