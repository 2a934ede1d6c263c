// `attune bench` on a tiny demo database: every figure is reported, and each
// is a sane number. Nothing here is about time budgets (BENCHMARKS.md is).
#include <catch2/catch_test_macros.hpp>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "support/test_support.h"

using namespace attune;
using nlohmann::json;

namespace {

void check_stats(const json& stats, const std::string& name, int runs) {
    INFO(name << ": " << stats.dump());
    REQUIRE(stats.is_object());
    CHECK(stats["runs"].get<int>() == runs);
    CHECK(stats["median"].get<double>() > 0);
    CHECK(stats["p95"].get<double>() >= stats["median"].get<double>());
    CHECK(stats["p99"].get<double>() >= stats["p95"].get<double>());
    CHECK(stats["max"].get<double>() >= stats["p99"].get<double>());
}

}  // namespace

TEST_CASE("attune bench on a tiny demo database reports every figure as JSON, on a copy of the file") {
    test::TempDir dir;
    const std::string db = test::shell_quote((dir / "tiny.db").string());
    const test::CliResult demo =
        test::run_attune("demo --db " + db + " --cases 3 --sessions 3 --events 20 --today 2026-11-01", dir.path());
    INFO(demo.err);
    REQUIRE(demo.exit_code == 0);
    const std::string before = test::read_file(dir / "tiny.db");

    const test::CliResult run =
        test::run_attune("bench --db " + db + " --json --runs 3 --frames 20 --presses 12 --idle-seconds 1 --work-dir " +
                             test::shell_quote((dir / "work").string()),
                         dir.path());
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    const json out = json::parse(run.out);

    CHECK(out["database"]["cases"].get<int>() == 3);
    CHECK(out["database"]["sessions"].get<int>() == 9);
    CHECK(out["database"]["observations"].get<int>() > 0);
    CHECK(out["live_session_observations"].get<int>() == 12);
    for (const char* name :
         {"key_derivation_ms", "key_derivation_cpu_ms", "open_to_first_frame_ms", "open_to_first_frame_cpu_ms",
          "open_to_caseload_complete_ms", "open_to_caseload_complete_cpu_ms", "session_metrics_recompute_ms",
          "session_metrics_recompute_cpu_ms", "export_case_markdown_ms", "export_case_markdown_cpu_ms",
          "export_case_pdf_ms", "export_case_pdf_cpu_ms"})
        check_stats(out[name], name, 3);
    // Opening minus a key derivation timed on its own: on a tiny database that
    // can be all of it, so these are only never negative and ordered.
    for (const char* name : {"first_frame_after_key_derivation_ms", "first_frame_after_key_derivation_cpu_ms"}) {
        INFO(name << ": " << out[name].dump());
        CHECK(out[name]["median"].get<double>() >= 0);
        CHECK(out[name]["p95"].get<double>() >= out[name]["median"].get<double>());
    }
    const json& cold_view = out["caseload_view_cold"];
    CHECK(cold_view["frames"].get<int>() >= 1);
    CHECK(cold_view["wall_s"].get<double>() > 0);
    // The worker computes the rows: after the first frame (the case list) no frame queries.
    CHECK(cold_view["queries_per_frame_max"].get<int>() == 0);
    check_stats(cold_view["frame_cpu_ms"], "caseload_view_cold", cold_view["frames"].get<int>());
    check_stats(out["log_observation_ms"], "log_observation_ms", 12);
    check_stats(out["raw_insert_floor_ms"], "raw_insert_floor_ms", 12);
    check_stats(out["caseload_metrics_cold_s"], "caseload_metrics_cold_s", 3);
    check_stats(out["caseload_metrics_cold_cpu_s"], "caseload_metrics_cold_cpu_s", 3);
    // The caseload is complete no sooner than its first frame.
    CHECK(out["open_to_caseload_complete_ms"]["median"].get<double>() >=
          out["open_to_first_frame_ms"]["median"].get<double>());
    for (const char* view : {"caseload", "case_trends", "session_review", "live_session", "imgui_demo_window"}) {
        check_stats(out["frame_cpu_ms"][view], view, 20);
        CHECK(out["frame_cpu_ms"][view]["queries_per_frame_max"].get<int>() >= 0);
    }
    for (const char* view : {"caseload", "case_trends", "session_review", "live_session"})
        CHECK(out["view_over_demo_window_p95"][view].get<double>() > 0);
    CHECK(out["logging_over_raw_floor"]["p50"].get<double>() > 0);
    CHECK(out["logging_over_raw_floor"]["p99"].get<double>() > 0);
    CHECK(out["peak_rss_mib"]["bench"].get<double>() > 1);

    const json& idle = out["idle_cpu_per_wall_s"];
    if (idle["measured"].get<bool>()) {  // a DISPLAY (the suite runs under Xvfb)
        CHECK(idle["caseload"].get<double>() >= 0);
        CHECK(idle["live_session"].get<double>() >= 0);
        CHECK(out["peak_rss_mib"]["window"].get<double>() > 1);
    } else {
        CHECK_FALSE(idle["reason"].get<std::string>().empty());
        CHECK(idle["caseload"].is_null());
    }
    REQUIRE(out["budgets"].size() == 19);
    for (const json& budget : out["budgets"]) {
        INFO(budget.dump());
        CHECK(budget["limit"].get<double>() >= 0);
        CHECK((budget["met"].is_boolean() || (budget["met"].is_null() && budget["value"].is_null())));
    }
    // The bench wrote sessions and observations, but into its copy.
    CHECK(test::read_file(dir / "tiny.db") == before);
}
