// The one rule for a metric window's length (core/metrics.h): more than 0 and
// at most an hour. The store, the settings file, the command line and the
// settings dialog all ask it, so its edges are pinned here.
#include <catch2/catch_test_macros.hpp>
#include <limits>
#include <string>

#include "core/metrics.h"
#include "core/metrics_json.h"

using namespace attune;

namespace {

bool mentions(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a metric window is valid when more than 0 and at most 3600 seconds", "[metrics][settings]") {
    CHECK(kMaxMetricWindowS == 3600);
    CHECK_FALSE(is_valid_metric_window(0));
    CHECK_FALSE(is_valid_metric_window(-0.0));
    CHECK_FALSE(is_valid_metric_window(-1));
    CHECK(is_valid_metric_window(std::numeric_limits<double>::denorm_min()));
    CHECK(is_valid_metric_window(0.001));
    CHECK(is_valid_metric_window(120));
    CHECK(is_valid_metric_window(3600));
    CHECK_FALSE(is_valid_metric_window(3600.001));
    CHECK_FALSE(is_valid_metric_window(std::numeric_limits<double>::quiet_NaN()));
    CHECK_FALSE(is_valid_metric_window(std::numeric_limits<double>::infinity()));
    CHECK_FALSE(is_valid_metric_window(-std::numeric_limits<double>::infinity()));
    CHECK(mentions(metric_window_rule_text(), "3600"));
}

TEST_CASE("the settings problem names the first window that breaks the rule", "[metrics][settings]") {
    CHECK(metric_settings_problem(MetricSettings{}).empty());
    CHECK(metric_settings_problem(MetricSettings{3600, 0.5, 1}).empty());

    const std::string repair = metric_settings_problem(MetricSettings{0, 60, 120});
    CHECK(repair == "the repair window must be " + metric_window_rule_text());

    // Cycle and answer both broken: the cycle window comes first.
    const std::string cycle =
        metric_settings_problem(MetricSettings{120, std::numeric_limits<double>::quiet_NaN(), 3601});
    CHECK(mentions(cycle, "cycle window"));
    CHECK_FALSE(mentions(cycle, "answer window"));
    CHECK_FALSE(mentions(cycle, "repair window"));

    const std::string answer = metric_settings_problem(MetricSettings{120, 60, 3600.001});
    CHECK(mentions(answer, "answer window"));
    CHECK(mentions(answer, metric_window_rule_text()));
}

TEST_CASE("metric settings read from JSON follow the same rule: a 0 window is refused", "[metrics][settings]") {
    const auto windows = [](double repair, double cycle, double answer) {
        return nlohmann::json{{"repair_window_s", repair}, {"cycle_window_s", cycle}, {"answer_window_s", answer}};
    };
    CHECK_FALSE(metric_settings_from_json(windows(0, 60, 120)).has_value());
    CHECK_FALSE(metric_settings_from_json(windows(120, 0, 120)).has_value());
    CHECK_FALSE(metric_settings_from_json(windows(120, 60, -5)).has_value());
    CHECK_FALSE(metric_settings_from_json(windows(120, 3600.5, 120)).has_value());
    const auto edge = metric_settings_from_json(windows(3600, 0.25, 1));
    REQUIRE(edge.has_value());
    CHECK(edge->repair_window_s == 3600);
    CHECK(edge->cycle_window_s == 0.25);
    CHECK(edge->answer_window_s == 1);
}
