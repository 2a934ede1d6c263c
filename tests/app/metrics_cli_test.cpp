#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "app/cli_runner.h"
#include "support/cli_practice.h"
#include "support/test_support.h"

using namespace attune;
using test::CliResult;

namespace {

using Run = CliResult;

// Runs the real binary on dir/p.db as Dr Test.
Run run(const std::filesystem::path& dir, const std::string& arguments) {
    return test::run_attune(arguments + " --db p.db", dir);
}
Run run(const test::TempDir& dir, const std::string& arguments) {
    return run(dir.path(), arguments);
}

void must(const std::filesystem::path& dir, const std::string& arguments) {
    const Run r = run(dir, arguments);
    INFO(arguments << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
}
void must(const test::TempDir& dir, const std::string& arguments) {
    must(dir.path(), arguments);
}

// Session 1 is dated after session 2 so that date order and number order differ.
// Made once per process and copied.
void make_case(const test::TempDir& dir) {
    static test::PreparedPractice prepared([](const std::filesystem::path& at) {
        test::make_cli_practice(at / "p.db");
        must(at, "case add --label Pair --partners Ana,Ben");
        must(at, "session start --case Pair --date 2026-03-10");
        must(at, "log --case Pair --who A --code blame_shift --at 10");
        must(at, "log --case Pair --who B --code shut_down --at 30");
        must(at, "log --case Pair --who B --code validate --at 70");
        must(at, "log --case Pair --who A --code low_warmth --at 400");
        must(at, "session end --case Pair --duration 600");
        must(at, "session start --case Pair --date 2026-03-03");
        must(at, "log --case Pair --who therapist --code t_reflect --at 5");
        must(at, "session end --case Pair --duration 600");
    });
    prepared.copy_to(dir / "p.db");
}

}  // namespace

TEST_CASE("attune metrics --json gives the hand-computed values in date order") {
    test::TempDir dir;
    make_case(dir);
    const Run r = run(dir, "metrics --case Pair --json");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const nlohmann::json j = nlohmann::json::parse(r.out);
    REQUIRE(j["case"] == "Pair");
    REQUIRE(j["settings"]["repair_window_s"] == 120);
    REQUIRE(j["settings"]["cycle_window_s"] == 60);
    REQUIRE(j["settings"]["answer_window_s"] == 120);
    REQUIRE(j["sessions"].size() == 2);
    REQUIRE(j["sessions"][0]["date"] == "2026-03-03");
    REQUIRE(j["sessions"][0]["number"] == 2);
    REQUIRE(j["sessions"][1]["number"] == 1);

    const nlohmann::json& quiet = j["sessions"][0];  // only a therapist move
    REQUIRE(quiet["ruptures"]["total"] == 0);
    REQUIRE(quiet["repair_rate"].is_null());
    REQUIRE(quiet["pos_neg_ratio"].is_null());
    REQUIRE(quiet["median_time_to_repair_s"].is_null());
    REQUIRE(quiet["therapist_moves"]["t_reflect"] == 1);

    // Ruptures @10 (A), @30 (B), @400 (A); repair @70 repairs the first two.
    const nlohmann::json& s = j["sessions"][1];
    REQUIRE(s["ruptures"]["total"] == 3);
    REQUIRE(s["ruptures"]["A"]["total"] == 2);
    REQUIRE(s["rupture_rate_per_10min"].get<double>() == 3.0);  // 10 * 3 / 10 min
    REQUIRE(s["repairs"] == 1);
    REQUIRE(std::abs(s["repair_rate"].get<double>() - 2.0 / 3.0) < 1e-9);
    REQUIRE(s["median_time_to_repair_s"].get<double>() == 50.0);  // of 60 and 40
    REQUIRE(s["pursue_withdraw"]["A_to_B"] == 1);
    REQUIRE(j["not_on_track"] == false);
    REQUIRE(j.contains("not_on_track_reason"));
    REQUIRE(j.contains("trends"));
}

TEST_CASE("attune metrics --session lists one session and the table reads") {
    test::TempDir dir;
    make_case(dir);
    const Run one = run(dir, "metrics --case Pair --session 1 --json");
    REQUIRE(one.exit_code == 0);
    const nlohmann::json j = nlohmann::json::parse(one.out);
    REQUIRE(j["sessions"].size() == 1);
    REQUIRE(j["sessions"][0]["number"] == 1);

    const Run table = run(dir, "metrics --case Pair");
    REQUIRE(table.exit_code == 0);
    REQUIRE(table.out.find("2026-03-10") != std::string::npos);
    REQUIRE(table.out.find("On track") != std::string::npos);
}

TEST_CASE("attune metrics of an unknown case fails with one line on stderr") {
    test::TempDir dir;
    make_case(dir);
    const Run r = run(dir, "metrics --case Nobody --json");
    REQUIRE(r.exit_code == 1);
    REQUIRE(r.out.empty());
    REQUIRE_FALSE(r.err.empty());
    REQUIRE(r.err.find('\n') == r.err.size() - 1);
}

TEST_CASE("attune settings metrics stores the windows and metrics use them") {
    test::TempDir dir;
    make_case(dir);
    must(dir, "settings metrics --repair-window 45");
    const nlohmann::json j = nlohmann::json::parse(run(dir, "metrics --case Pair --session 1 --json").out);
    REQUIRE(j["settings"]["repair_window_s"] == 45);
    // Only the rupture @30 is within 45 s of the repair @70 now.
    REQUIRE(std::abs(j["sessions"][0]["repair_rate"].get<double>() - 1.0 / 3.0) < 1e-9);

    // A window of 0 is refused as a usage error, by the one rule (core/metrics.h), and changes nothing.
    const Run zero = run(dir, "settings metrics --cycle-window 0");
    CHECK(zero.exit_code == 64);
    CHECK(zero.err.find("--cycle-window") != std::string::npos);
    CHECK(zero.err.find("more than 0 and at most 3600 seconds") != std::string::npos);
    CHECK(zero.err.find('\n') == zero.err.size() - 1);
    CHECK(run(dir, "settings metrics --cycle-window 3601").exit_code == 64);
    const nlohmann::json after = nlohmann::json::parse(run(dir, "metrics --case Pair --session 1 --json").out);
    CHECK(after["settings"]["repair_window_s"] == 45);
    CHECK(after["settings"]["cycle_window_s"] == 60);
}
