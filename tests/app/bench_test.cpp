// `attune-bench` on a tiny demo database: every figure and budget of
// BENCHMARKS.md is reported, on the database it was given, with the counts
// asked for, figures that agree with each other, and no SQL inside a frame.
// Nothing here is about how fast (BENCHMARKS.md is).
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli_runner.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Approx;
using nlohmann::json;

namespace {

constexpr int kRuns = 3;
constexpr int kFrames = 20;
constexpr int kPresses = 12;

// A timing summary over `runs` measurements: its order statistics in order.
void check_stats(const json& stats, const std::string& name, int runs) {
    INFO(name << ": " << stats.dump());
    REQUIRE(stats.is_object());
    CHECK(stats["runs"].get<int>() == runs);
    CHECK(stats["median"].get<double>() <= stats["p95"].get<double>());
    CHECK(stats["p95"].get<double>() <= stats["p99"].get<double>());
    CHECK(stats["p99"].get<double>() <= stats["max"].get<double>());
}

// BENCHMARKS.md's budgets: name, limit, and where the bench takes the value from.
struct Budget {
    const char* name;
    double limit;
    json::json_pointer value;
};

std::vector<Budget> expected_budgets() {
    using P = json::json_pointer;
    std::vector<Budget> budgets{
        {"first frame after key derivation, CPU (p95)", 500, P("/first_frame_after_key_derivation_cpu_ms/p95")}};
    for (const std::string view : {"caseload", "case_trends", "session_review", "live_session"}) {
        budgets.push_back({nullptr, 2, P("/frame_cpu_ms/" + view + "/p95")});
        budgets.push_back({nullptr, 0, P("/frame_cpu_ms/" + view + "/queries_per_frame_max")});
    }
    const std::vector<Budget> rest{
        {"logging p99 over raw insert p99", 2, P("/logging_over_raw_floor/p99")},
        {"one session's metrics recompute, CPU (p95)", 5, P("/session_metrics_recompute_cpu_ms/p95")},
        {"cold caseload metrics, wall (median)", 10, P("/caseload_metrics_cold_s/median")},
        {"cold caseload in the view, frame CPU (p95)", 2, P("/caseload_view_cold/frame_cpu_ms/p95")},
        {"cold caseload in the view, SQL statements in a frame (max)", 0,
         P("/caseload_view_cold/queries_per_frame_max")},
        {"case summary PDF, CPU (p95)", 1000, P("/export_case_pdf_cpu_ms/p95")},
        {"peak memory, bench process", 250, P("/peak_rss_mib/bench")},
        {"peak memory, window", 250, P("/peak_rss_mib/window")},
        {"idle CPU on the caseload", 0.01, P("/idle_cpu_per_wall_s/caseload")},
        {"idle CPU in a live session", 0.03, P("/idle_cpu_per_wall_s/live_session")},
        {"idle CPU in the review, recording paused", 0.01, P("/idle_cpu_per_wall_s/review_paused_recording")}};
    budgets.insert(budgets.end(), rest.begin(), rest.end());
    return budgets;
}

std::string budget_name(const Budget& budget) {
    if (budget.name) return budget.name;
    // The per-view lines: "<view> frame CPU (p95)", "<view> SQL statements in a frame (max)".
    const std::string path = budget.value.to_string();  // /frame_cpu_ms/<view>/<figure>
    const std::string view = path.substr(14, path.rfind('/') - 14);
    return view + (path.ends_with("/p95") ? " frame CPU (p95)" : " SQL statements in a frame (max)");
}

}  // namespace

TEST_CASE("attune-bench on a tiny demo database reports every figure and budget as JSON, on a copy of the file") {
    test::TempDir dir;
    const std::string db = test::shell_quote((dir / "tiny.db").string());
    const test::CliResult demo =
        test::run_attune("demo --db " + db + " --cases 3 --sessions 3 --events 20 --today 2026-11-01", dir.path());
    INFO(demo.err);
    REQUIRE(demo.exit_code == 0);
    // "demo: 3 cases of 3 clinicians, 9 sessions, 191 observations in ..."
    std::smatch written;
    REQUIRE(std::regex_search(demo.out, written, std::regex("(\\d+) sessions, (\\d+) observations")));
    REQUIRE(std::stoi(written[1]) == 3 * 3);
    const int demo_observations = std::stoi(written[2]);
    const std::string before = test::read_file(dir / "tiny.db");

    const test::CliResult run =
        test::run_bench("--db " + db + " --json --runs " + std::to_string(kRuns) + " --frames " +
                            std::to_string(kFrames) + " --presses " + std::to_string(kPresses) +
                            " --idle-seconds 1 --work-dir " + test::shell_quote((dir / "work").string()),
                        dir.path());
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    const json out = json::parse(run.out);

    // [SECTION] The database measured, and what the bench itself wrote
    CHECK(out["database"]["cases"].get<int>() == 3);
    CHECK(out["database"]["sessions"].get<int>() == 3 * 3);
    CHECK(out["database"]["observations"].get<int>() == demo_observations);
    CHECK(out["live_session_observations"].get<int>() == kPresses);
    CHECK(out["runs"].get<int>() == kRuns);

    // [SECTION] Timings: each summarises the runs asked for
    for (const char* name :
         {"key_derivation_ms", "key_derivation_cpu_ms", "open_to_first_frame_ms", "open_to_first_frame_cpu_ms",
          "first_frame_after_key_derivation_ms", "first_frame_after_key_derivation_cpu_ms",
          "open_to_caseload_complete_ms", "open_to_caseload_complete_cpu_ms", "session_metrics_recompute_ms",
          "session_metrics_recompute_cpu_ms", "export_case_markdown_ms", "export_case_markdown_cpu_ms",
          "export_case_pdf_ms", "export_case_pdf_cpu_ms", "caseload_metrics_cold_s", "caseload_metrics_cold_cpu_s"})
        check_stats(out[name], name, kRuns);
    check_stats(out["log_observation_ms"], "log_observation_ms", kPresses);
    check_stats(out["raw_insert_floor_ms"], "raw_insert_floor_ms", kPresses);
    // Opening minus the key derivation, run by run: never more than the opening.
    for (const char* figure : {"median", "p95", "p99", "max"}) {
        INFO(figure);
        CHECK(out["first_frame_after_key_derivation_ms"][figure].get<double>() <=
              out["open_to_first_frame_ms"][figure].get<double>());
        CHECK(out["open_to_first_frame_ms"][figure].get<double>() <=
              out["open_to_caseload_complete_ms"][figure].get<double>());
    }
    CHECK(out["key_derivation_ms"]["median"].get<double>() > 0);  // the file is encrypted

    // [SECTION] Frames: the counts asked for, and no SQL statement inside any
    for (const char* view : {"caseload", "case_trends", "session_review", "live_session", "imgui_demo_window"}) {
        check_stats(out["frame_cpu_ms"][view], view, kFrames);
        CHECK(out["frame_cpu_ms"][view]["queries_per_frame_max"].get<int>() == 0);
    }
    const json& cold_view = out["caseload_view_cold"];
    CHECK(cold_view["queries_per_frame_max"].get<int>() == 0);
    check_stats(cold_view["frame_cpu_ms"], "caseload_view_cold", cold_view["frames"].get<int>());
    CHECK(cold_view["frames"].get<int>() > 1);  // frames went on while the worker computed
    // The ratios are of the figures reported beside them.
    const double demo_p95 = out["frame_cpu_ms"]["imgui_demo_window"]["p95"].get<double>();
    for (const char* view : {"caseload", "case_trends", "session_review", "live_session"})
        CHECK(out["view_over_demo_window_p95"][view].get<double>() ==
              Approx(out["frame_cpu_ms"][view]["p95"].get<double>() / demo_p95));
    CHECK(
        out["logging_over_raw_floor"]["p50"].get<double>() ==
        Approx(out["log_observation_ms"]["median"].get<double>() / out["raw_insert_floor_ms"]["median"].get<double>()));
    CHECK(out["logging_over_raw_floor"]["p99"].get<double>() ==
          Approx(out["log_observation_ms"]["p99"].get<double>() / out["raw_insert_floor_ms"]["p99"].get<double>()));

    // [SECTION] Idle CPU and memory: measured under a display (the suite runs under Xvfb)
    const json& idle = out["idle_cpu_per_wall_s"];
    if (idle["measured"].get<bool>()) {
        CHECK(idle["seconds"].get<double>() == 1.0);
        CHECK(idle["caseload"].is_number());
        CHECK(idle["live_session"].is_number());
        // With a recording made by ffmpeg (installed with the test dependencies).
        INFO(idle["review_paused_recording_reason"].dump());
        CHECK(idle["review_paused_recording"].is_number());
        CHECK(out["peak_rss_mib"]["window"].get<double>() > 1);
    } else {
        CHECK_FALSE(idle["reason"].get<std::string>().empty());
        CHECK(idle["caseload"].is_null());
        CHECK(idle["review_paused_recording"].is_null());
        CHECK(out["peak_rss_mib"]["window"].is_null());
    }
    CHECK(out["peak_rss_mib"]["bench"].get<double>() > 1);

    // [SECTION] Budgets: every line of BENCHMARKS.md's table, judged on the figure it names
    const std::vector<Budget> budgets = expected_budgets();
    REQUIRE(out["budgets"].size() == budgets.size());
    for (std::size_t i = 0; i < budgets.size(); ++i) {
        const json& line = out["budgets"][i];
        INFO(line.dump());
        CHECK(line["name"].get<std::string>() == budget_name(budgets[i]));
        CHECK(line["limit"].get<double>() == budgets[i].limit);
        const json& figure = out[budgets[i].value];
        if (figure.is_number()) {
            CHECK(line["value"].get<double>() == figure.get<double>());
            CHECK(line["met"].get<bool>() == (figure.get<double>() <= budgets[i].limit));
        } else {
            CHECK(line["value"].is_null());
            CHECK(line["met"].is_null());
        }
    }

    // The bench wrote sessions and observations, but into its copy.
    CHECK(test::read_file(dir / "tiny.db") == before);
}
