// Which sessions count (DOMAIN.md v2): ended, at least M active minutes, not
// marked "not for trends". A session that does not count keeps its counts and
// loses its rates; the case's trends use only the sessions that count.
#include "core/counting.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <limits>

#include "core/case_metrics.h"
#include "core/metrics_json.h"

using namespace attune;
using Catch::Matchers::WithinAbs;

namespace {

Session ended(double active_seconds, int number = 1) {
    Session s;
    s.number = number;
    s.date = "2026-03-0" + std::to_string(number);
    s.state = SessionState::Ended;
    s.active_seconds = active_seconds;
    return s;
}

bool mentions(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("an ended session of at least M active minutes counts; a shorter one says how short", "[counting]") {
    const MetricSettings m;  // M = 10
    CHECK(session_counting(ended(600), m).counts);
    CHECK(session_counting(ended(600), m).reason.empty());
    const SessionCounting short_one = session_counting(ended(599), m);
    CHECK_FALSE(short_one.counts);
    CHECK(short_one.reason == "09:59 of active time, less than the 10 minutes a counted session needs");
    const SessionCounting three_seconds = session_counting(ended(3), m);
    CHECK_FALSE(three_seconds.counts);
    CHECK(three_seconds.reason == "00:03 of active time, less than the 10 minutes a counted session needs");
    MetricSettings any;
    any.min_active_minutes = 0;
    CHECK(session_counting(ended(0), any).counts);
}

TEST_CASE("a running or paused session never counts, however long it has run", "[counting]") {
    Session running = ended(3600);
    running.state = SessionState::Running;
    CHECK(session_counting(running, MetricSettings{}).reason == "still running");
    Session paused = ended(3600);
    paused.state = SessionState::Paused;
    CHECK(session_counting(paused, MetricSettings{}).reason == "paused, not ended yet");
    CHECK(not_counted_sentence(session_counting(running, MetricSettings{})) ==
          "Not counted toward trends: still running.");
    CHECK(not_counted_sentence(session_counting(ended(600), MetricSettings{})).empty());
}

TEST_CASE("the clinician's 'not for trends' mark leaves out a long ended session and is named first", "[counting]") {
    Session test = ended(3000);
    test.not_for_trends = "  test session ";
    CHECK(session_counting(test, MetricSettings{}).reason == "marked not for trends (test session)");
    test.state = SessionState::Running;
    CHECK(session_counting(test, MetricSettings{}).reason == "marked not for trends (test session)");
    test.not_for_trends = "   ";  // only spaces: no mark
    CHECK(session_counting(test, MetricSettings{}).reason == "still running");
}

TEST_CASE("a session that does not count keeps its counts and its median time, but no rate or ratio", "[counting]") {
    SessionMetrics m;
    m.rupture_total = 2;
    m.repairs = 1;
    m.rupture_rate_per_10min = 4000.0;
    m.pos_neg_ratio = 0.5;
    m.repair_rate = 0.0;
    m.answer_rate = 1.0;
    m.median_time_to_repair_s = 12.0;
    const SessionMetrics only = counts_only(m);
    CHECK(only.rupture_total == 2);
    CHECK(only.repairs == 1);
    CHECK_FALSE(only.rupture_rate_per_10min);
    CHECK_FALSE(only.pos_neg_ratio);
    CHECK_FALSE(only.repair_rate);
    CHECK_FALSE(only.answer_rate);
    CHECK(only.median_time_to_repair_s == 12.0);
}

TEST_CASE("a 3-second running session puts no crash into the trends: they use the counted sessions only",
          "[counting]") {
    // Repair rates 0.2, 0.4, 0.6 over three counted sessions: slope +0.2 per session.
    // The running session's 0 % (1 rupture, no repair, in 3 s) would pull it down.
    std::vector<std::pair<Session, SessionMetrics>> sessions;
    for (int i = 0; i < 3; ++i) {
        SessionMetrics m;
        m.repair_rate = 0.2 * (i + 1);
        m.rupture_rate_per_10min = 2.0;
        m.rupture_total = 5;
        sessions.emplace_back(ended(3000, i + 1), m);
    }
    Session running = ended(3, 4);
    running.state = SessionState::Running;
    SessionMetrics crash;
    crash.repair_rate = 0.0;
    crash.rupture_rate_per_10min = 2000.0;
    crash.rupture_total = 1;
    sessions.emplace_back(running, crash);

    const CaseMetrics out = assemble_case_metrics(Case{}, MetricSettings{}, sessions);
    REQUIRE(out.sessions.size() == 4);  // still listed
    CHECK(out.counted().size() == 3);
    REQUIRE(out.trends.repair_rate);
    CHECK_THAT(*out.trends.repair_rate, WithinAbs(0.2, 1e-12));
    const SessionWithMetrics& last = out.sessions.back();
    CHECK_FALSE(last.counting.counts);
    CHECK(last.counting.reason == "still running");
    CHECK(last.metrics.rupture_total == 1);
    CHECK_FALSE(last.metrics.repair_rate);
    CHECK_FALSE(last.metrics.rupture_rate_per_10min);
}

TEST_CASE("M is valid from 0 to 120 minutes; the settings problem names it", "[counting][settings]") {
    CHECK(is_valid_min_active_minutes(0));
    CHECK(is_valid_min_active_minutes(120));
    CHECK_FALSE(is_valid_min_active_minutes(-0.5));
    CHECK_FALSE(is_valid_min_active_minutes(120.5));
    CHECK_FALSE(is_valid_min_active_minutes(std::numeric_limits<double>::quiet_NaN()));
    MetricSettings bad;
    bad.min_active_minutes = 121;
    CHECK(metric_settings_problem(bad) == "the minimum length of a counted session must be from 0 to 120 minutes");
    CHECK(mentions(min_active_minutes_rule_text(), "120"));
}

TEST_CASE("M is stored with the windows; settings stored before it read as 10; the cache key leaves it out",
          "[counting][settings]") {
    MetricSettings m;
    m.min_active_minutes = 25;
    const auto back = metric_settings_from_json(to_json(m));
    REQUIRE(back);
    CHECK(back->min_active_minutes == 25);
    const auto old = metric_settings_from_json(
        nlohmann::json{{"repair_window_s", 120}, {"cycle_window_s", 60}, {"answer_window_s", 120}});
    REQUIRE(old);
    CHECK(old->min_active_minutes == 10);
    CHECK_FALSE(metric_settings_from_json(nlohmann::json{
        {"repair_window_s", 120}, {"cycle_window_s", 60}, {"answer_window_s", 120}, {"min_active_minutes", -1}}));
    MetricSettings other = m;
    other.min_active_minutes = 0;
    CHECK(metrics_cache_key(m) == metrics_cache_key(other));
    CHECK_FALSE(mentions(metrics_cache_key(m), "min_active_minutes"));
    other.repair_window_s = 90;
    CHECK(metrics_cache_key(m) != metrics_cache_key(other));
}
