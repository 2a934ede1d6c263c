#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "app/cli_runner.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::test;

namespace {

CliResult must(const TempDir& dir, const std::string& args) {
    const CliResult r = run_attune(args + " --db p.db", dir.path());
    INFO(args << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
    return r;
}

void log_as(const TempDir& dir, const std::string& user, const std::string& who, const std::string& code,
            const std::string& at) {
    must(dir, "log --case Pair --session 1 --who " + who + " --code " + code + " --at " + at + " --user " +
                  shell_quote(user));
}

// Session 1 of "Pair", coded by the clinician Dr Lee (rater A) and Coder Kim (rater B):
//   Lee: 10 A blame_shift | 20 B validate | 40 A blame_shift   | 100 B reflect
//   Kim: 15 A blame_shift | 20.5 B reflect | 45.5 A blame_shift | 100 A reflect
// With T = 5: 10~15 match exactly at the edge (agree); 20~20.5 match (disagree);
// 40 and 45.5 are 5.5 apart (no match); the two at 100 differ in `who`.
// Pairs: bs/bs, validate/reflect, bs/none, reflect/none, none/bs, none/reflect:
// n = 6, p_o = 1/6; rows bs 2, validate 1, reflect 1, none 2; columns bs 2,
// reflect 2, none 2: p_e = (4 + 0 + 2 + 4) / 36 = 10/36; kappa = -4/26.
void make_two_rater_session(const TempDir& dir) {
    must(dir, "case add --label Pair --partners Ana,Ben --user 'Dr Lee'");
    must(dir, "person add --name 'Coder Kim' --role coder --user 'Dr Lee'");
    must(dir, "session start --case Pair --date 2026-03-10 --user 'Dr Lee'");
    must(dir, "session end --case Pair --duration 600 --user 'Dr Lee'");
    log_as(dir, "Dr Lee", "A", "blame_shift", "10");
    log_as(dir, "Dr Lee", "B", "validate", "20");
    log_as(dir, "Dr Lee", "A", "blame_shift", "40");
    log_as(dir, "Dr Lee", "B", "reflect", "100");
    log_as(dir, "Coder Kim", "A", "blame_shift", "15");
    log_as(dir, "Coder Kim", "B", "reflect", "20.5");
    log_as(dir, "Coder Kim", "A", "blame_shift", "45.5");
    log_as(dir, "Coder Kim", "A", "reflect", "100");
}

const char* kAgreement = "agreement --case Pair --session 1 --rater-a 'Dr Lee' --rater-b 'Coder Kim'";

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

TEST_CASE("a note signed on the command line is locked, co-signed by a supervisor and takes addenda") {
    TempDir dir;
    must(dir, "case add --label Pair --partners Ana,Ben --user 'Dr Lee'");
    must(dir, "session start --case Pair --date 2026-03-10 --user 'Dr Lee'");
    must(dir, "person add --name 'Dr Sup' --role supervisor --user 'Dr Lee'");
    REQUIRE(run_attune("cosign --db p.db --case Pair --session 1 --user 'Dr Sup'", dir.path()).exit_code == 1);
    must(dir, "sign --case Pair --session 1 --user 'Dr Lee'");
    REQUIRE(run_attune("cosign --db p.db --case Pair --session 1 --user 'Dr Lee'", dir.path()).exit_code == 1);
    const CliResult co = must(dir, "cosign --case Pair --session 1 --user 'Dr Sup'");
    REQUIRE(co.out.find("co-signed by Dr Sup") != std::string::npos);
    must(dir, "addendum --case Pair --session 1 --text 'Called the couple after the session.' --user 'Dr Lee'");
    must(dir, "comment --case Pair --session 1 --at 125 --text 'see the withdrawal' --user 'Dr Sup'");
    must(dir, "comment --case Pair --session 1 --at 30 --text 'good pacing' --user 'Dr Sup'");
    REQUIRE(must(dir, "comments --case Pair --session 1").out ==
            "00:30\tDr Sup\tgood pacing\n02:05\tDr Sup\tsee the withdrawal\n");
    REQUIRE(must(dir, "check").out.find("all well") != std::string::npos);
}
