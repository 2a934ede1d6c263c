#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "app/cli_runner.h"
#include "support/cli_practice.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::test;

namespace {

constexpr const char* kCoderPassphrase = "coder kim's passphrase";

CliResult must(const std::filesystem::path& dir, const std::string& args,
               const std::string& passphrase = kCliPassphrase, const std::string& user = kCliUser) {
    const CliResult r = run_attune(args + " --db p.db", dir, passphrase, user);
    INFO(args << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
    return r;
}

CliResult must(const TempDir& dir, const std::string& args) {
    return must(dir.path(), args);
}

void log_as(const std::filesystem::path& dir, const std::string& user, const std::string& who, const std::string& code,
            const std::string& at) {
    must(dir, "log --case Pair --session 1 --who " + who + " --code " + code + " --at " + at,
         user == kCliUser ? kCliPassphrase : kCoderPassphrase, user);
}

// Session 1 of "Pair", coded by its clinician Dr Test (rater A) and Coder Kim (rater B),
// whom the administrator Dr Test added and assigned the session to:
//   Test: 10 A blame_shift | 20 B validate | 40 A blame_shift   | 100 B reflect
//   Kim:  15 A blame_shift | 20.5 B reflect | 45.5 A blame_shift | 100 A reflect
// With T = 5: 10~15 match exactly at the edge (agree); 20~20.5 match (disagree);
// 40 and 45.5 are 5.5 apart (no match); the two at 100 differ in `who`.
// Pairs: bs/bs, validate/reflect, bs/none, reflect/none, none/bs, none/reflect:
// n = 6, p_o = 1/6; rows bs 2, validate 1, reflect 1, none 2; columns bs 2,
// reflect 2, none 2: p_e = (4 + 0 + 2 + 4) / 36 = 10/36; kappa = -4/26.
// Made once per process (each run of attune costs an Argon2id unlock) and copied.
void make_two_rater_session(const TempDir& dir) {
    static PreparedPractice prepared([](const std::filesystem::path& at) {
        make_cli_practice(at / "p.db");
        write_file(at / "kim.pass", std::string(kCoderPassphrase) + "\n");
        must(at, "case add --label Pair --partners Ana,Ben");
        must(at, "person add --name 'Coder Kim' --role coder --new-passphrase-file kim.pass");
        must(at, "session start --case Pair --date 2026-03-10");
        must(at, "session end --case Pair --duration 600");
        must(at, "session assign --case Pair --session 1 --coder 'Coder Kim'");
        log_as(at, "Dr Test", "A", "blame_shift", "10");
        log_as(at, "Dr Test", "B", "validate", "20");
        log_as(at, "Dr Test", "A", "blame_shift", "40");
        log_as(at, "Dr Test", "B", "reflect", "100");
        log_as(at, "Coder Kim", "A", "blame_shift", "15");
        log_as(at, "Coder Kim", "B", "reflect", "20.5");
        log_as(at, "Coder Kim", "A", "blame_shift", "45.5");
        log_as(at, "Coder Kim", "A", "reflect", "100");
    });
    prepared.copy_to(dir / "p.db");
}

const char* kAgreement = "agreement --case Pair --session 1 --rater-a 'Dr Test' --rater-b 'Coder Kim'";

}  // namespace

TEST_CASE("attune agreement --json gives the hand-computed kappa, matches exactly at the tolerance edge") {
    TempDir dir;
    make_two_rater_session(dir);
    const CliResult r = must(dir, std::string(kAgreement) + " --json");
    const nlohmann::json j = nlohmann::json::parse(r.out);
    REQUIRE(j["kappa"].get<double>() == Catch::Approx(-4.0 / 26.0));
    REQUIRE(j["percent_agreement"].get<double>() == Catch::Approx(1.0 / 6.0));
    REQUIRE(j["matched"] == 2);
    REQUIRE(j["unmatched_a"] == 2);
    REQUIRE(j["unmatched_b"] == 2);
    REQUIRE(j["confusion"]["blame_shift"]["blame_shift"] == 1);
    REQUIRE(j["confusion"]["validate"]["reflect"] == 1);
    REQUIRE(j["confusion"]["none"]["blame_shift"] == 1);
    REQUIRE(j["per_code"]["blame_shift"]["agree"] == 1);
    REQUIRE(j["per_code"]["blame_shift"]["total"] == 3);
    const nlohmann::json& d = j["disagreements"];
    REQUIRE(d.size() == 5);
    // By the earlier of their times: 20/20.5, 40/-, -/45.5, then the two at 100.
    REQUIRE(d[0]["t_a"] == 20.0);
    REQUIRE(d[0]["t_b"] == 20.5);
    REQUIRE(d[0]["code_a"] == "validate");
    REQUIRE(d[0]["code_b"] == "reflect");
    REQUIRE(d[1]["t_a"] == 40.0);
    REQUIRE(d[1]["t_b"].is_null());
    REQUIRE(d[1]["code_b"] == "none");
    REQUIRE(d[2]["t_a"].is_null());
    REQUIRE(d[2]["t_b"] == 45.5);
}

TEST_CASE("attune agreement with a wider tolerance matches the pair 5.5 s apart") {
    TempDir dir;
    make_two_rater_session(dir);
    // bs/bs twice, validate/reflect, reflect/none, none/reflect: n = 5, p_o = 2/5,
    // p_e = (2*2 + 1*0 + 1*2 + 1*1) / 25 = 7/25, kappa = (10 - 7) / (25 - 7) = 1/6.
    const nlohmann::json j = nlohmann::json::parse(must(dir, std::string(kAgreement) + " --tolerance 5.5 --json").out);
    REQUIRE(j["matched"] == 3);
    REQUIRE(j["unmatched_a"] == 1);
    REQUIRE(j["unmatched_b"] == 1);
    REQUIRE(j["kappa"].get<double>() == Catch::Approx(1.0 / 6.0));
}

TEST_CASE("attune agreement without --json prints kappa in words and the disagreements in mm:ss") {
    TempDir dir;
    make_two_rater_session(dir);
    const std::string out = must(dir, kAgreement).out;
    INFO(out);
    REQUIRE(out.find("kappa -0.15 (poor agreement)") != std::string::npos);
    REQUIRE(out.find("percent agreement 17%") != std::string::npos);
    REQUIRE(out.find("00:20 / 00:20") != std::string::npos);
    REQUIRE(out.find("01:40") != std::string::npos);
}

TEST_CASE("attune agreement names an unknown rater") {
    TempDir dir;
    make_two_rater_session(dir);
    const CliResult r = run_attune(std::string(kAgreement) + " --db p.db --rater-b Nobody", dir.path());
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find("no person named 'Nobody' in this practice") != std::string::npos);
    CHECK(r.err.find('\n') == r.err.size() - 1);
}
