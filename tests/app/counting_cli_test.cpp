// Issue 18 on the command line, through the real binary: `metrics --json`
// lists the case's flags (safety first) and says which sessions count;
// `session exclude/include`, `settings metrics --min-minutes` and
// `note accept-draft`.
#include <catch2/catch_test_macros.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "app/cli_runner.h"
#include "support/cli_practice.h"
#include "support/test_support.h"

using namespace attune;

namespace {

struct Run {
    int exit_code = 0;
    std::string out;
    std::string err;
};

// Runs attune in `dir` on its practice t.db, signed in as Dr Test (tests/support/cli_practice.h).
Run run(const test::TempDir& dir, const std::string& arguments) {
    const test::ScopedEnv config("XDG_CONFIG_HOME", (dir / "config").string());
    const test::CliResult r = test::run_attune(arguments + " --db t.db", dir.path());
    return {r.exit_code, r.out, r.err};
}

void must(const test::TempDir& dir, const std::string& arguments) {
    const Run r = run(dir, arguments);
    INFO(arguments << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
}

// Two full sessions (safety 8, then 2) and a third still running after 3 seconds with one rupture.
void make_case(const test::TempDir& dir) {
    test::make_cli_practice(dir / "t.db");
    must(dir, "case add --label Pair --partners Rosa,Tom");
    must(dir, "session start --case Pair --date 2026-03-03");
    must(dir, "log --case Pair --who A --code protest --at 10");
    must(dir, "log --case Pair --who B --code shut_down --at 30");
    must(dir, "log --case Pair --who B --code validate --at 70");
    must(dir, "session end --case Pair --duration 3000 --safety 8");
    must(dir, "session start --case Pair --date 2026-03-10");
    must(dir, "log --case Pair --who A --code defensive_anger --at 20");
    must(dir, "session end --case Pair --duration 3000 --safety 2");
    must(dir, "session start --case Pair --date 2026-03-17");
    must(dir, "log --case Pair --who A --code defensive_anger --at 1");
}

nlohmann::json metrics(const test::TempDir& dir) {
    const Run r = run(dir, "metrics --case Pair --json");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("metrics --json lists the flags with ids and reasons, the safety concern first") {
    test::TempDir dir;
    make_case(dir);
    const nlohmann::json j = metrics(dir);
    REQUIRE(j["flags"].is_array());
    REQUIRE_FALSE(j["flags"].empty());
    CHECK(j["flags"][0]["id"] == "safety_concern");
    CHECK(j["flags"][0]["reason"].get<std::string>().find("2/10 in session 2 of 2026-03-10, down from 8/10") !=
          std::string::npos);
    for (const auto& flag : j["flags"]) {
        CHECK(flag.contains("id"));
        CHECK(flag.contains("reason"));
    }
    CHECK(j["not_on_track"] == false);  // an existing key keeps its meaning
}

TEST_CASE("metrics --json: a running session does not count, says why, and has null rates and ratios") {
    test::TempDir dir;
    make_case(dir);
    const nlohmann::json j = metrics(dir);
    REQUIRE(j["sessions"].size() == 3);
    const nlohmann::json& running = j["sessions"][2];
    CHECK(running["counts_toward_trends"] == false);
    CHECK(running["reason"] == "still running");
    CHECK(running["ruptures"]["total"] == 1);
    for (const char* key : {"rupture_rate_per_10min", "pos_neg_ratio", "repair_rate", "answer_rate"}) {
        INFO(key);
        CHECK(running[key].is_null());
    }
    CHECK(j["sessions"][0]["counts_toward_trends"] == true);
    CHECK_FALSE(j["sessions"][0].contains("reason"));
    CHECK(j["sessions"][0]["repair_rate"].get<double>() == 1.0);
    CHECK(j["settings"]["min_active_minutes"] == 10);

    const Run table = run(dir, "metrics --case Pair");
    CHECK(table.out.find("Session 3 is not counted toward trends: still running.") != std::string::npos);
    CHECK(table.out.find("SAFETY CONCERN:") != std::string::npos);
}

TEST_CASE("session exclude leaves a session out of trends with its reason; include counts it again") {
    test::TempDir dir;
    make_case(dir);
    const Run excluded = run(dir, "session exclude --case Pair --session 1 --reason 'individual session'");
    INFO(excluded.err);
    REQUIRE(excluded.exit_code == 0);
    CHECK(excluded.out == "session 1 of Pair is not for trends: individual session\n");
    nlohmann::json j = metrics(dir);
    CHECK(j["sessions"][0]["counts_toward_trends"] == false);
    CHECK(j["sessions"][0]["reason"] == "marked not for trends (individual session)");
    CHECK(j["sessions"][0]["repair_rate"].is_null());
    CHECK(run(dir, "session list --case Pair").out.find("not counted: marked not for trends (individual session)") !=
          std::string::npos);

    CHECK(run(dir, "session exclude --case Pair --session 1").exit_code == 64);    // no reason
    CHECK(run(dir, "session exclude --case Pair --reason test").exit_code == 64);  // no session
    CHECK(run(dir, "session exclude --case Pair --session 9 --reason test").exit_code == 1);

    const Run included = run(dir, "session include --case Pair --session 1");
    REQUIRE(included.exit_code == 0);
    CHECK(included.out.find("it counts toward trends") != std::string::npos);
    j = metrics(dir);
    CHECK(j["sessions"][0]["counts_toward_trends"] == true);
    const Run audit = run(dir, "audit --entity session");
    CHECK(audit.out.find("not for trends: individual session") != std::string::npos);
    CHECK(audit.out.find("counted toward trends again") != std::string::npos);
}

TEST_CASE("settings metrics --min-minutes sets M by the one rule; shorter sessions stop counting") {
    test::TempDir dir;
    make_case(dir);
    const Run set = run(dir, "settings metrics --min-minutes 60");
    REQUIRE(set.exit_code == 0);
    CHECK(set.out.find("min minutes   60") != std::string::npos);
    const nlohmann::json j = metrics(dir);
    CHECK(j["settings"]["min_active_minutes"] == 60);
    CHECK(j["sessions"][0]["counts_toward_trends"] == false);
    CHECK(j["sessions"][0]["reason"] == "50:00 of active time, less than the 60 minutes a counted session needs");
    const Run bad = run(dir, "settings metrics --min-minutes 121");
    CHECK(bad.exit_code == 64);
    CHECK(bad.err.find("from 0 to 120 minutes") != std::string::npos);
    CHECK(run(dir, "settings metrics --min-minutes ten").exit_code == 64);
}

TEST_CASE("note accept-draft writes Attune's draft into an empty Assessment, once") {
    test::TempDir dir;
    make_case(dir);
    const Run before = run(dir, "export --case Pair --session 1 --format txt");
    REQUIRE(before.exit_code == 0);
    CHECK(before.out.find("Draft written by Attune from the coded session") != std::string::npos);
    CHECK(before.out.find("Signatures") != std::string::npos);

    const Run accepted = run(dir, "note accept-draft --case Pair --session 1");
    INFO(accepted.err);
    REQUIRE(accepted.exit_code == 0);
    CHECK(accepted.out.find("The negative cycle was active: Rosa pursued and Tom withdrew") != std::string::npos);
    const Run after = run(dir, "export --case Pair --session 1 --format txt");
    CHECK(after.out.find("Drafted by Attune from the coded session; accepted by the clinician") != std::string::npos);

    const Run again = run(dir, "note accept-draft --case Pair --session 1");
    CHECK(again.exit_code == 1);
    CHECK(again.err.find("already has an Assessment") != std::string::npos);
    CHECK(again.err.find('\n') == again.err.size() - 1);
}

TEST_CASE("note history prints each saved version of the progress note with its time and author", "[notes][cli]") {
    test::TempDir dir;
    make_case(dir);
    const Run none = run(dir, "note history --case Pair --session 1");
    INFO(none.err);
    REQUIRE(none.exit_code == 0);
    CHECK(none.out == "Progress note of session 1 of Pair: 0 saved versions, oldest first\n");

    must(dir, "note accept-draft --case Pair --session 1");
    const Run one = run(dir, "note history --case Pair --session 1");
    REQUIRE(one.exit_code == 0);
    CHECK(one.out.rfind("Progress note of session 1 of Pair: 1 saved version, oldest first\n\nversion 1, 20", 0) == 0);
    CHECK(one.out.find(", Dr Test (Attune's draft accepted) (current)\nData: \nAssessment: The negative cycle") !=
          std::string::npos);
    CHECK(run(dir, "note history --case Pair --session 9").exit_code != 0);
}
