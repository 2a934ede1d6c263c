#include "core/metrics.h"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>

#include "core/metrics_json.h"

using namespace attune;
using Catch::Matchers::WithinAbs;

namespace {

// The default scheme's categories with a few codes each (DOMAIN.md).
CodingScheme scheme() {
    CodingScheme s;
    s.categories = {{"withdrawal", "Withdrawal", Polarity::Rupture, CycleRole::Withdraw},
                    {"reactivity", "Reactivity", Polarity::Rupture, CycleRole::Pursue},
                    {"low_warmth", "Low warmth", Polarity::Rupture, CycleRole::None},
                    {"attachment", "Attachment signals", Polarity::Signal, CycleRole::None},
                    {"repair", "Repair", Polarity::Repair, CycleRole::None},
                    {"therapist", "Therapist moves", Polarity::Intervention, CycleRole::None}};
    auto add = [&s](const char* id, const char* category, EventKind kind = EventKind::Point) {
        const Category* c = s.find_category(category);
        Code code;
        code.id = id;
        code.label = id;
        code.category = category;
        code.kind = kind;
        code.polarity = c->polarity;
        code.cycle_role = c->cycle_role;
        s.codes.push_back(code);
    };
    add("withdraw_emotion", "withdrawal");
    add("shut_down", "withdrawal", EventKind::State);
    add("defensive_anger", "reactivity");
    add("blame_shift", "reactivity");
    add("low_warmth", "low_warmth");
    add("need_closeness", "attachment");
    add("reflect", "repair");
    add("validate", "repair");
    add("t_reflect", "therapist");
    add("t_enactment", "therapist");
    return s;
}

Observation obs(RowId id, double t, Who who, const char* code, std::optional<double> stop = std::nullopt) {
    Observation o;
    o.id = id;
    o.t = t;
    o.who = who;
    o.code_id = code;
    o.stop = stop;
    return o;
}

// 50 active minutes unless a test says otherwise.
SessionMetrics run(const std::vector<Observation>& observations, double active_seconds = 3000) {
    return compute_session_metrics(observations, scheme(), active_seconds, MetricSettings{});
}

SessionMetrics with_rates(std::optional<double> repair_rate, std::optional<double> rupture_rate) {
    SessionMetrics m;
    m.repair_rate = repair_rate;
    m.rupture_rate_per_10min = rupture_rate;
    return m;
}

}  // namespace

// [SECTION] Repairs

TEST_CASE("a repair exactly at the window edge counts") {
    // rupture at 10, W = 120: the window is (10, 130]; a repair at 130 is inside.
    const SessionMetrics m = run({obs(1, 10, Who::A, "low_warmth"), obs(2, 130, Who::B, "reflect")});
    REQUIRE(m.repaired_ruptures == 1);
    REQUIRE(m.repair_rate == 1.0);                                   // 1 / 1
    REQUIRE_THAT(*m.median_time_to_repair_s, WithinAbs(120, 1e-9));  // 130 - 10
    REQUIRE(m.rupture_links.size() == 1);
    REQUIRE(m.rupture_links[0].rupture_id == 1);
    REQUIRE(m.rupture_links[0].repaired_by == RowId{2});
}

TEST_CASE("a repair just after the window edge does not count") {
    // 130.001 > 10 + 120
    const SessionMetrics m = run({obs(1, 10, Who::A, "low_warmth"), obs(2, 130.001, Who::B, "reflect")});
    REQUIRE(m.repaired_ruptures == 0);
    REQUIRE(m.repair_rate == 0.0);  // 0 / 1: a rupture exists, so 0 and not none
    REQUIRE_FALSE(m.median_time_to_repair_s.has_value());
    REQUIRE_FALSE(m.rupture_links[0].repaired_by.has_value());
}

TEST_CASE("a repair at the rupture's own time does not repair it") {
    // the window (10, 130] is open at 10
    const SessionMetrics m = run({obs(1, 10, Who::A, "low_warmth"), obs(2, 10, Who::B, "reflect")});
    REQUIRE(m.repaired_ruptures == 0);
    REQUIRE(m.repairs == 1);
}

TEST_CASE("a repair by the partner who ruptured still repairs the rupture") {
    const SessionMetrics m = run({obs(1, 10, Who::A, "defensive_anger"), obs(2, 40, Who::A, "validate")});
    REQUIRE(m.repaired_ruptures == 1);
    REQUIRE(m.rupture_links[0].time_to_repair_s == 30.0);  // 40 - 10
}

TEST_CASE("one repair repairs several ruptures and the median of an odd count is the middle one") {
    // ruptures at 0, 30, 60 and one repair at 100: times to repair 100, 70, 40
    const SessionMetrics m = run({obs(1, 0, Who::A, "low_warmth"), obs(2, 30, Who::B, "blame_shift"),
                                  obs(3, 60, Who::Both, "low_warmth"), obs(4, 100, Who::B, "reflect")});
    REQUIRE(m.rupture_total == 3);
    REQUIRE(m.repaired_ruptures == 3);
    REQUIRE(m.repair_rate == 1.0);                                  // 3 / 3
    REQUIRE_THAT(*m.pos_neg_ratio, WithinAbs(1.0 / 3, 1e-12));      // 1 repair / 3 ruptures
    REQUIRE_THAT(*m.median_time_to_repair_s, WithinAbs(70, 1e-9));  // sorted 40, 70, 100
    for (const RuptureLink& link : m.rupture_links)
        REQUIRE(link.repaired_by == RowId{4});
}

TEST_CASE("the median time to repair of an even count averages the middle two") {
    // rupture 0 -> repair 10 (10 s); rupture 100 -> repair 130 (30 s);
    // rupture 200 -> repair 250 (50 s); rupture 300 -> repair 400 (100 s)
    // median of 10, 30, 50, 100 = (30 + 50) / 2 = 40
    const SessionMetrics m =
        run({obs(1, 0, Who::A, "low_warmth"), obs(2, 10, Who::B, "reflect"), obs(3, 100, Who::A, "low_warmth"),
             obs(4, 130, Who::B, "reflect"), obs(5, 200, Who::A, "low_warmth"), obs(6, 250, Who::B, "reflect"),
             obs(7, 300, Who::A, "low_warmth"), obs(8, 400, Who::B, "reflect")});
    REQUIRE(m.repaired_ruptures == 4);
    REQUIRE_THAT(*m.median_time_to_repair_s, WithinAbs(40, 1e-9));
    // the earliest repair in the window is the one linked: rupture 1 -> repair 2, not 4
    REQUIRE(m.rupture_links[0].repaired_by == RowId{2});
}

// [SECTION] Signals

TEST_CASE("a repair by the same partner does not answer a signal but one by the other partner does") {
    // A signals at 0; A's own repair at 10 does not answer; B's repair at 20 does (20 <= 0 + 120).
    const SessionMetrics m =
        run({obs(1, 0, Who::A, "need_closeness"), obs(2, 10, Who::A, "validate"), obs(3, 20, Who::B, "reflect")});
    REQUIRE(m.signals == 1);
    REQUIRE(m.answered_signals == 1);
    REQUIRE(m.answer_rate == 1.0);
    REQUIRE(m.signal_links[0].answered_by == RowId{3});

    const SessionMetrics only_self = run({obs(1, 0, Who::A, "need_closeness"), obs(2, 10, Who::A, "validate")});
    REQUIRE(only_self.answered_signals == 0);
    REQUIRE(only_self.answer_rate == 0.0);  // 0 / 1
}

TEST_CASE("a signal answer must come within the answer window") {
    // B signals at 0, R = 120: A's repair at 120 answers, at 120.5 it would not
    REQUIRE(run({obs(1, 0, Who::B, "need_closeness"), obs(2, 120, Who::A, "reflect")}).answered_signals == 1);
    REQUIRE(run({obs(1, 0, Who::B, "need_closeness"), obs(2, 120.5, Who::A, "reflect")}).answered_signals == 0);
}

TEST_CASE("a repair by both answers a partner's signal but a signal by both is never answered") {
    const SessionMetrics m =
        run({obs(1, 0, Who::A, "need_closeness"), obs(2, 5, Who::Both, "reflect"),
             obs(3, 100, Who::Both, "need_closeness"), obs(4, 110, Who::A, "reflect"), obs(5, 111, Who::B, "reflect")});
    REQUIRE(m.signals == 2);           // both signals count
    REQUIRE(m.answered_signals == 1);  // only A's, by the `both` repair
    REQUIRE(m.answer_rate == 0.5);     // 1 / 2
    REQUIRE(m.signal_links[0].answered_by == RowId{2});
    REQUIRE_FALSE(m.signal_links[1].answered_by.has_value());
}

// [SECTION] Pursue -> withdraw

TEST_CASE("each pursue counts at most once for pursue-withdraw, per direction") {
    const SessionMetrics m = run({
        // A pursues at 0; B withdraws at 10 and 20: one A->B sequence (the earliest withdraw)
        obs(1, 0, Who::A, "defensive_anger"),
        obs(2, 10, Who::B, "withdraw_emotion"),
        obs(3, 20, Who::B, "withdraw_emotion"),
        // B pursues at 100; A withdraws at 160 = 100 + C: counts (window edge)
        obs(4, 100, Who::B, "blame_shift"),
        obs(5, 160, Who::A, "withdraw_emotion"),
        // A pursues and A withdraws: same partner, no sequence
        obs(6, 300, Who::A, "blame_shift"),
        obs(7, 310, Who::A, "withdraw_emotion"),
        // A pursues at 500; B withdraws at 560.001 > 500 + 60: too late
        obs(8, 500, Who::A, "defensive_anger"),
        obs(9, 560.001, Who::B, "withdraw_emotion"),
        // `both` pursues: not between two people, no sequence
        obs(10, 700, Who::Both, "defensive_anger"),
        obs(11, 710, Who::B, "withdraw_emotion"),
    });
    REQUIRE(m.pursue_withdraw_a_to_b == 1);
    REQUIRE(m.pursue_withdraw_b_to_a == 1);
    REQUIRE(m.pursue_withdraw_pairs.size() == 2);
    REQUIRE(m.pursue_withdraw_pairs[0].pursue_id == 1);
    REQUIRE(m.pursue_withdraw_pairs[0].withdraw_id == 2);
    REQUIRE(m.pursue_withdraw_pairs[0].pursuer == Who::A);
    REQUIRE(m.pursue_withdraw_pairs[1].pursue_id == 4);
    REQUIRE(m.pursue_withdraw_pairs[1].withdraw_id == 5);
    REQUIRE(m.pursue_withdraw_pairs[1].pursuer == Who::B);
}

TEST_CASE("two pursues may both be followed by the same withdraw") {
    // A pursues at 0 and 30; B withdraws at 50: both within 60 s, each pursue counts once
    const SessionMetrics m = run({obs(1, 0, Who::A, "defensive_anger"), obs(2, 30, Who::A, "blame_shift"),
                                  obs(3, 50, Who::B, "shut_down", 80.0)});
    REQUIRE(m.pursue_withdraw_a_to_b == 2);
    REQUIRE(m.pursue_withdraw_b_to_a == 0);
}

// [SECTION] State events

TEST_CASE("time withdrawn sums the withdraw state events of each partner") {
    const SessionMetrics m = run({
        obs(1, 100, Who::A, "shut_down", 160.0),        // A 60
        obs(2, 200, Who::A, "shut_down", 230.0),        // A 30
        obs(3, 50, Who::B, "shut_down", 70.0),          // B 20
        obs(4, 300, Who::A, "shut_down"),               // still open: nothing
        obs(5, 400, Who::Both, "shut_down", 410.0),     // both: 10 to A and 10 to B
        obs(6, 500, Who::B, "defensive_anger", 900.0),  // a pursue state event: not withdrawn time
    });
    REQUIRE_THAT(m.time_withdrawn_a_s, WithinAbs(100, 1e-9));  // 60 + 30 + 10
    REQUIRE_THAT(m.time_withdrawn_b_s, WithinAbs(30, 1e-9));   // 20 + 10
    REQUIRE(m.rupture_total == 6);                             // open or closed, each state event is one rupture
}

TEST_CASE("a state event counts at its start time") {
    // A shuts down from 10 to 400. Counted at 10: B's repair at 100 lies in (10, 130]
    // (at 400 it would not), and B's pursue at 0 is followed within 60 s by A's withdraw.
    const SessionMetrics m = run(
        {obs(1, 0, Who::B, "defensive_anger"), obs(2, 10, Who::A, "shut_down", 400.0), obs(3, 100, Who::B, "reflect")});
    REQUIRE(m.rupture_links[1].rupture_id == 2);
    REQUIRE(m.rupture_links[1].repaired_by == RowId{3});
    REQUIRE(m.rupture_links[1].time_to_repair_s == 90.0);  // 100 - 10
    REQUIRE(m.pursue_withdraw_b_to_a == 1);
}

// [SECTION] What counts

TEST_CASE("deleted observations are ignored") {
    std::vector<Observation> observations = {obs(1, 10, Who::A, "low_warmth"), obs(2, 20, Who::B, "reflect"),
                                             obs(3, 30, Who::A, "t_reflect")};
    for (Observation& o : observations)
        o.deleted = true;
    observations.push_back(obs(4, 500, Who::B, "low_warmth"));
    const SessionMetrics m = run(observations);
    REQUIRE(m.rupture_total == 1);
    REQUIRE(m.repairs == 0);
    REQUIRE(m.repaired_ruptures == 0);  // the deleted repair at 20 repairs nothing
    REQUIRE(m.therapist_moves.empty());
}

TEST_CASE("therapist codes count only as therapist moves") {
    const SessionMetrics m = run({
        obs(1, 10, Who::Therapist, "t_reflect"), obs(2, 20, Who::Therapist, "t_reflect"),
        obs(3, 30, Who::Therapist, "t_enactment"),
        obs(4, 40, Who::A, "t_reflect"),           // an intervention code is a move whoever it is put on
        obs(5, 50, Who::Therapist, "reflect"),     // a partner code on the therapist: no partner's repair
        obs(6, 60, Who::Therapist, "low_warmth"),  // nor a partner's rupture
    });
    REQUIRE(m.therapist_moves == std::map<std::string, int>{{"t_enactment", 1}, {"t_reflect", 3}});
    REQUIRE(m.rupture_total == 0);
    REQUIRE(m.repairs == 0);
    REQUIRE(m.signals == 0);
}

TEST_CASE("a code not in the scheme is ignored") {
    const SessionMetrics m = run({obs(1, 10, Who::A, "no_such_code"), obs(2, 20, Who::A, "low_warmth")});
    REQUIRE(m.rupture_total == 1);
}

TEST_CASE("a session without rupture gives none, not zero, for ratio, repair rate and median") {
    const SessionMetrics m = run({obs(1, 10, Who::A, "reflect")});
    REQUIRE(m.repairs == 1);
    REQUIRE_FALSE(m.pos_neg_ratio.has_value());
    REQUIRE_FALSE(m.repair_rate.has_value());
    REQUIRE_FALSE(m.median_time_to_repair_s.has_value());
    REQUIRE_FALSE(m.answer_rate.has_value());  // no signal either
    REQUIRE(m.rupture_rate_per_10min == 0.0);  // D = 50 min is known: 0 ruptures per 10 min
}

TEST_CASE("ruptures are counted per partner and category, both in a bucket of its own") {
    const SessionMetrics m =
        run({obs(1, 10, Who::A, "withdraw_emotion"), obs(2, 20, Who::A, "shut_down", 30.0),
             obs(3, 40, Who::A, "low_warmth"), obs(4, 50, Who::B, "blame_shift"), obs(5, 60, Who::Both, "low_warmth")});
    const std::map<std::string, int> a{{"low_warmth", 1}, {"reactivity", 0}, {"withdrawal", 2}};
    const std::map<std::string, int> b{{"low_warmth", 0}, {"reactivity", 1}, {"withdrawal", 0}};
    const std::map<std::string, int> both{{"low_warmth", 1}, {"reactivity", 0}, {"withdrawal", 0}};
    REQUIRE(m.ruptures_a.by_category == a);
    REQUIRE(m.ruptures_a.total == 3);
    REQUIRE(m.ruptures_b.by_category == b);
    REQUIRE(m.ruptures_b.total == 1);
    REQUIRE(m.ruptures_both.by_category == both);
    REQUIRE(m.ruptures_both.total == 1);
    REQUIRE(m.rupture_total == 5);  // 3 + 1 + 1
}

TEST_CASE("the rupture rate is ruptures per 10 active minutes") {
    const std::vector<Observation> three = {obs(1, 10, Who::A, "low_warmth"), obs(2, 20, Who::B, "low_warmth"),
                                            obs(3, 30, Who::Both, "low_warmth")};
    const SessionMetrics m = run(three, 1200);  // D = 1200 s = 20 min
    REQUIRE(m.active_minutes == 20.0);
    REQUIRE_THAT(*m.rupture_rate_per_10min, WithinAbs(1.5, 1e-12));   // 10 * 3 / 20
    REQUIRE_FALSE(run(three, 0).rupture_rate_per_10min.has_value());  // D = 0: none, not infinity
}

TEST_CASE("observations stored out of time order give the same result as sorted") {
    const std::vector<Observation> sorted = {
        obs(1, 0, Who::A, "defensive_anger"),    obs(2, 5, Who::A, "need_closeness"),
        obs(3, 20, Who::B, "shut_down", 80.0),   obs(4, 50, Who::B, "reflect"),
        obs(5, 90, Who::A, "low_warmth"),        obs(6, 200, Who::A, "validate"),
        obs(7, 210, Who::Therapist, "t_reflect")};
    std::vector<Observation> shuffled = sorted;
    std::reverse(shuffled.begin(), shuffled.end());
    std::swap(shuffled[1], shuffled[4]);
    const SessionMetrics x = run(sorted);
    const SessionMetrics y = run(shuffled);
    // ruptures 1, 3, 5: 1 -> repair 4 (50 s), 3 -> repair 4 (30 s), 5 -> repair 6 (110 s)
    REQUIRE(x.repaired_ruptures == 3);
    REQUIRE_THAT(*x.median_time_to_repair_s, WithinAbs(50, 1e-9));  // sorted 30, 50, 110
    REQUIRE(x.answered_signals == 1);                               // A's signal at 5, B's repair at 50
    REQUIRE(x.pursue_withdraw_a_to_b == 1);                         // A pursues at 0, B withdraws at 20
    REQUIRE(y.repaired_ruptures == x.repaired_ruptures);
    REQUIRE(y.median_time_to_repair_s == x.median_time_to_repair_s);
    REQUIRE(y.answered_signals == x.answered_signals);
    REQUIRE(y.pursue_withdraw_a_to_b == x.pursue_withdraw_a_to_b);
    REQUIRE(y.time_withdrawn_b_s == x.time_withdrawn_b_s);
    REQUIRE(y.therapist_moves == x.therapist_moves);
    REQUIRE(to_cache_text(y) == to_cache_text(x));
    for (size_t i = 0; i < x.rupture_links.size(); ++i) {
        REQUIRE(y.rupture_links[i].rupture_id == x.rupture_links[i].rupture_id);
        REQUIRE(y.rupture_links[i].repaired_by == x.rupture_links[i].repaired_by);
    }
}

// [SECTION] Trends

TEST_CASE("the trend slope is the least-squares slope per session") {
    // x = 0, 1, 2; y = 0, 0.5, 1.0: a straight line rising 0.5 per session
    REQUIRE_THAT(*trend_slope({0.0, 0.5, 1.0}), WithinAbs(0.5, 1e-12));
    // x = 0, 1, 2; y = 3, 1, 2: mean x 1, mean y 2; sxy = (-1)(1) + 0 + (1)(0) = -1; sxx = 2
    REQUIRE_THAT(*trend_slope({3.0, 1.0, 2.0}), WithinAbs(-0.5, 1e-12));
}

TEST_CASE("a trend needs at least 3 sessions with a value") {
    REQUIRE_FALSE(trend_slope({}).has_value());
    REQUIRE_FALSE(trend_slope({1.0, 2.0}).has_value());
    REQUIRE_FALSE(trend_slope({1.0, std::nullopt, 2.0, std::nullopt}).has_value());
}

TEST_CASE("a trend uses only the last 6 sessions that have a value") {
    // without the first value (100) the series is 0..5, slope 1; with it the slope would be negative
    REQUIRE_THAT(*trend_slope({100.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0}), WithinAbs(1.0, 1e-12));
    // a session without a value is not one of the 6: values at x = 1..7 are 100, 0, 1, 2, 3, 4, 5;
    // the last 6 are x = 2..7 with y = x - 2, slope 1
    REQUIRE_THAT(*trend_slope({std::nullopt, 100.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0}), WithinAbs(1.0, 1e-12));
}

TEST_CASE("a session without a value still counts as one session on the trend's x axis") {
    // x = 0, 2, 3 and y = 1, 3, 4: y = x + 1 exactly, slope 1 (gap-blind x = 0, 1, 2 would give 1.5)
    REQUIRE_THAT(*trend_slope({1.0, std::nullopt, 3.0, 4.0}), WithinAbs(1.0, 1e-12));
}

TEST_CASE("a case with falling repairs and no fewer ruptures is not on track") {
    // repair rates 0.5, 0.5, 0.4, 0.4, 0.3 at x = 0..4: mean x 2, mean y 0.42;
    // sxy = (-2)(0.08) + (-1)(0.08) + 0 + (1)(-0.02) + (2)(-0.12) = -0.5; sxx = 10; slope -0.05
    // rupture rates 1.5, 1.8, 2.1, 2.4, 1.8: first 3 mean 1.8, last 3 mean (2.1 + 2.4 + 1.8) / 3 = 2.1
    const std::vector<SessionMetrics> sessions = {with_rates(0.5, 1.5), with_rates(0.5, 1.8), with_rates(0.4, 2.1),
                                                  with_rates(0.4, 2.4), with_rates(0.3, 1.8)};
    const CaseTrends trends = compute_trends(sessions);
    REQUIRE_THAT(*trends.repair_rate, WithinAbs(-0.05, 1e-12));
    REQUIRE(trends.not_on_track);
    REQUIRE(trends.not_on_track_reason ==
            "Repair rate is falling (-0.05 per session) and ruptures are at least as frequent as at the start "
            "(2.1 per 10 min in the last 3 sessions vs 1.8 in the first 3).");
}

TEST_CASE("a flat repair rate with steady ruptures is not on track") {
    // slope of five equal values is exactly 0, which is <= 0; rupture means 2.0 and 2.0
    const std::vector<SessionMetrics> sessions(5, with_rates(0.1, 2.0));
    const CaseTrends trends = compute_trends(sessions);
    REQUIRE(trends.repair_rate == 0.0);
    REQUIRE(trends.not_on_track);
    REQUIRE(trends.not_on_track_reason.rfind("Repair rate is flat (0.00 per session)", 0) == 0);
}

TEST_CASE("a case is on track when any condition of the flag fails") {
    const std::vector<SessionMetrics> stuck = {with_rates(0.5, 1.5), with_rates(0.5, 1.8), with_rates(0.4, 2.1),
                                               with_rates(0.4, 2.4), with_rates(0.3, 1.8)};
    SECTION("fewer than 5 sessions") {
        const CaseTrends trends = compute_trends({stuck.begin(), stuck.end() - 1});
        REQUIRE_FALSE(trends.not_on_track);
        REQUIRE(trends.not_on_track_reason.empty());
    }
    SECTION("repair rate rising") {
        std::vector<SessionMetrics> sessions = stuck;
        // y = .5 .5 .4 .4 .9, mean .54: sxy = (-2)(-.04) + (-1)(-.04) + 0 + (1)(-.14) + (2)(.36) = .7; slope .07
        sessions.back().repair_rate = 0.9;
        REQUIRE_THAT(*compute_trends(sessions).repair_rate, WithinAbs(0.07, 1e-12));
        REQUIRE_FALSE(compute_trends(sessions).not_on_track);
    }
    SECTION("ruptures less frequent than at the start") {
        std::vector<SessionMetrics> sessions = stuck;
        sessions[4].rupture_rate_per_10min = 0.9;  // last 3 mean (2.1 + 2.4 + 0.9) / 3 = 1.8: as frequent, flagged
        REQUIRE(compute_trends(sessions).not_on_track);
        sessions[4].rupture_rate_per_10min = 0.6;  // (2.1 + 2.4 + 0.6) / 3 = 1.7 < 1.8
        REQUIRE_FALSE(compute_trends(sessions).not_on_track);
    }
    SECTION("no repair-rate trend: none is not <= 0") {
        // only 2 sessions have ruptures, hence a repair rate: the trend is none
        const std::vector<SessionMetrics> sessions = {with_rates(0.2, 2.0), with_rates(std::nullopt, 0.0),
                                                      with_rates(std::nullopt, 0.0), with_rates(0.1, 3.0),
                                                      with_rates(std::nullopt, 0.0)};
        const CaseTrends trends = compute_trends(sessions);
        REQUIRE_FALSE(trends.repair_rate.has_value());
        REQUIRE_FALSE(trends.not_on_track);
    }
}

TEST_CASE("sessions without a rupture rate are skipped in the first and last 3") {
    // repair rates 0.5 x 5 (flat). Rupture rates 1.0, none, 1.0, 1.0, 3.0, none:
    // rated sessions 1.0, 1.0, 1.0, 3.0 -> first 3 mean 1.0, last 3 mean (1 + 1 + 3) / 3 = 1.67
    const std::vector<SessionMetrics> sessions = {with_rates(0.5, 1.0), with_rates(0.5, std::nullopt),
                                                  with_rates(0.5, 1.0), with_rates(0.5, 1.0),
                                                  with_rates(0.5, 3.0), with_rates(std::nullopt, std::nullopt)};
    const CaseTrends trends = compute_trends(sessions);
    REQUIRE(trends.not_on_track);
    REQUIRE(trends.not_on_track_reason.find("(1.7 per 10 min in the last 3 sessions vs 1.0 in the first 3)") !=
            std::string::npos);
}

TEST_CASE("case trends are the slopes of each per-session metric") {
    std::vector<SessionMetrics> sessions(3);
    for (int i = 0; i < 3; ++i) {
        sessions[i].rupture_rate_per_10min = 3.0 - i;         // slope -1
        sessions[i].pos_neg_ratio = 1.0 + 2 * i;              // slope 2
        sessions[i].median_time_to_repair_s = 60.0 - 10 * i;  // slope -10
        sessions[i].answer_rate = 0.25 * i;                   // slope 0.25
    }
    sessions[1].repair_rate = 0.5;  // one value only: none
    const CaseTrends trends = compute_trends(sessions);
    REQUIRE_THAT(*trends.rupture_rate_per_10min, WithinAbs(-1, 1e-12));
    REQUIRE_THAT(*trends.pos_neg_ratio, WithinAbs(2, 1e-12));
    REQUIRE_THAT(*trends.median_time_to_repair_s, WithinAbs(-10, 1e-12));
    REQUIRE_THAT(*trends.answer_rate, WithinAbs(0.25, 1e-12));
    REQUIRE_FALSE(trends.repair_rate.has_value());
    REQUIRE_FALSE(trends.not_on_track);  // 3 sessions < 5
}

// [SECTION] JSON

TEST_CASE("a session's metrics export in the documented JSON shape") {
    const SessionMetrics m = run({obs(1, 10, Who::A, "defensive_anger"), obs(2, 20, Who::B, "shut_down", 50.0),
                                  obs(3, 30, Who::Therapist, "t_reflect")},
                                 1200);
    const nlohmann::json j = nlohmann::json::parse(to_json(m, 3, "2024-03-05").dump());
    REQUIRE(j["number"] == 3);
    REQUIRE(j["date"] == "2024-03-05");
    REQUIRE(j["active_minutes"] == 20.0);
    REQUIRE(j["ruptures"]["A"] ==
            nlohmann::json{{"withdrawal", 0}, {"reactivity", 1}, {"low_warmth", 0}, {"total", 1}});
    REQUIRE(j["ruptures"]["B"]["withdrawal"] == 1);
    REQUIRE(j["ruptures"]["both"]["total"] == 0);
    REQUIRE(j["ruptures"]["total"] == 2);
    REQUIRE(j["rupture_rate_per_10min"] == 1.0);  // 10 * 2 / 20
    REQUIRE(j["repairs"] == 0);
    REQUIRE(j["pos_neg_ratio"] == 0.0);  // 0 repairs / 2 ruptures
    REQUIRE(j["repair_rate"] == 0.0);
    REQUIRE(j["median_time_to_repair_s"].is_null());  // nothing repaired
    REQUIRE(j["signals"] == 0);
    REQUIRE(j["answer_rate"].is_null());
    REQUIRE(j["pursue_withdraw"] == nlohmann::json{{"A_to_B", 1}, {"B_to_A", 0}});
    REQUIRE(j["time_withdrawn_s"] == nlohmann::json{{"A", 0.0}, {"B", 30.0}});
    REQUIRE(j["therapist_moves"] == nlohmann::json{{"t_reflect", 1}});
    REQUIRE(j.size() == 14);  // no other key (metrics_version, settings are cache-only)
}

TEST_CASE("the export writes null for a rate without active time and empty objects stay objects") {
    const nlohmann::json j = to_json(run({}, 0), 1, "2024-01-01");
    REQUIRE(j["rupture_rate_per_10min"].is_null());
    REQUIRE(j["pos_neg_ratio"].is_null());
    REQUIRE(j["repair_rate"].is_null());
    REQUIRE(j["therapist_moves"].is_object());
    REQUIRE(j["therapist_moves"].empty());
}

TEST_CASE("trends and settings export in the documented JSON shape") {
    CaseTrends trends;
    trends.repair_rate = -0.05;
    const nlohmann::json t = to_json(trends);
    REQUIRE(t.size() == 5);
    REQUIRE(t["repair_rate"] == -0.05);
    for (const char* key : {"rupture_rate_per_10min", "pos_neg_ratio", "median_time_to_repair_s", "answer_rate"})
        REQUIRE(t.at(key).is_null());

    const nlohmann::json s = to_json(MetricSettings{});
    REQUIRE(s == nlohmann::json::parse(
                     R"({"repair_window_s":120,"cycle_window_s":60,"answer_window_s":120,"min_active_minutes":10})"));
    const auto back = metric_settings_from_json(
        nlohmann::json{{"repair_window_s", 90}, {"cycle_window_s", 30}, {"answer_window_s", 45.5}});
    REQUIRE(back->repair_window_s == 90);
    REQUIRE(back->cycle_window_s == 30);
    REQUIRE(back->answer_window_s == 45.5);
    REQUIRE_FALSE(metric_settings_from_json(nlohmann::json{{"repair_window_s", 90}}).has_value());
}

TEST_CASE("cached metrics read back with every summary field") {
    MetricSettings settings;
    settings.repair_window_s = 90;
    const SessionMetrics m = compute_session_metrics(
        {obs(1, 0, Who::A, "defensive_anger"), obs(2, 10, Who::B, "shut_down", 70.0),
         obs(3, 40, Who::Both, "low_warmth"), obs(4, 60, Who::A, "reflect"), obs(5, 65, Who::B, "need_closeness"),
         obs(6, 70, Who::A, "validate"), obs(7, 80, Who::Therapist, "t_enactment")},
        scheme(), 1000.5, settings);
    const std::string text = to_cache_text(m);
    REQUIRE(nlohmann::json::parse(text)["metrics_version"] == kMetricsVersion);
    const std::optional<SessionMetrics> back = session_metrics_from_cache_text(text);
    REQUIRE(back.has_value());
    REQUIRE(back->settings.repair_window_s == 90);
    REQUIRE(back->active_minutes == m.active_minutes);
    REQUIRE(back->ruptures_a.by_category == m.ruptures_a.by_category);
    REQUIRE(back->ruptures_b.total == 1);
    REQUIRE(back->ruptures_both.by_category.at("low_warmth") == 1);
    REQUIRE(back->rupture_total == 3);
    REQUIRE(back->rupture_rate_per_10min == m.rupture_rate_per_10min);
    REQUIRE(back->repairs == 2);
    REQUIRE(back->repaired_ruptures == 3);  // all three repaired by the repair at 60
    REQUIRE(back->repair_rate == 1.0);
    REQUIRE(back->median_time_to_repair_s == m.median_time_to_repair_s);  // 60, 50, 20 -> 50
    REQUIRE(back->pos_neg_ratio == m.pos_neg_ratio);
    REQUIRE(back->signals == 1);
    REQUIRE(back->answered_signals == 1);  // B's signal at 65, A's repair at 70
    REQUIRE(back->answer_rate == 1.0);
    REQUIRE(back->pursue_withdraw_a_to_b == 1);
    REQUIRE(back->time_withdrawn_b_s == 60.0);
    REQUIRE(back->therapist_moves == m.therapist_moves);
    REQUIRE(to_cache_text(*back) == text);
    REQUIRE(back->rupture_links.empty());  // detail is not cached
}

TEST_CASE("a damaged or outdated metrics cache reads as nothing, so it is recomputed") {
    nlohmann::json cached = to_cache_json(run({obs(1, 0, Who::A, "low_warmth")}));
    REQUIRE(session_metrics_from_cache_json(cached).has_value());
    REQUIRE_FALSE(session_metrics_from_cache_text("{not json").has_value());
    REQUIRE_FALSE(session_metrics_from_cache_text("[]").has_value());

    nlohmann::json other_version = cached;
    other_version["metrics_version"] = kMetricsVersion + 1;
    REQUIRE_FALSE(session_metrics_from_cache_json(other_version).has_value());

    nlohmann::json missing = cached;
    missing.erase("repair_rate");
    REQUIRE_FALSE(session_metrics_from_cache_json(missing).has_value());

    nlohmann::json wrong_type = cached;
    wrong_type["repairs"] = "two";
    REQUIRE_FALSE(session_metrics_from_cache_json(wrong_type).has_value());
}
