// Caseload dashboard rows: flags and sparkline values, hand-computed.
#include "core/dashboard.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>

using namespace attune;
using Catch::Matchers::WithinAbs;

namespace {

struct Fixture {
    std::vector<SessionMetrics> metrics;
    std::vector<Session> sessions;

    // One ended session with the given numbers; repair_rate none = no rupture.
    Fixture& add(std::optional<double> repair_rate, std::optional<double> rupture_rate, int repairs = 1,
                 int pursue_withdraw = 0, const std::string& date = "2026-01-01",
                 SessionState state = SessionState::Ended) {
        SessionMetrics m;
        m.repair_rate = repair_rate;
        m.rupture_rate_per_10min = rupture_rate;
        m.repairs = repairs;
        m.rupture_total = rupture_rate ? 3 : 0;
        m.pursue_withdraw_a_to_b = pursue_withdraw / 2;
        m.pursue_withdraw_b_to_a = pursue_withdraw - pursue_withdraw / 2;
        metrics.push_back(m);
        Session s;
        s.number = static_cast<int>(sessions.size()) + 1;
        s.date = date;
        s.state = state;
        s.active_seconds = 50 * 60;  // a full session: it counts once ended
        sessions.push_back(s);
        return *this;
    }
    Fixture& safety(int rating) {
        sessions.back().ratings.safety = rating;
        return *this;
    }
    // Every note signed: these tests are about the other flags (see dashboard_signing_test.cpp).
    DashboardRow row(const std::string& today = "2026-01-02") const {
        return summarize_case(metrics, sessions, std::vector<bool>(sessions.size(), true), today);
    }
};

}  // namespace

TEST_CASE("a case with falling repair and no fewer ruptures is not on track, with its reason", "[dashboard]") {
    Fixture f;
    // Repair rate 0.5 .. 0.3: slope < 0. Ruptures: first 3 mean 2, last 3 mean (2+3+3)/3 = 2.67.
    f.add(0.5, 2).add(0.5, 2).add(0.4, 2).add(0.4, 3).add(0.3, 3);
    const DashboardRow row = f.row();
    REQUIRE(row.has(DashboardFlag::NotOnTrack));
    CHECK(row.flags.front().reason.find("Repair rate is falling") != std::string::npos);
    CHECK(flag_label(DashboardFlag::NotOnTrack) == "Not on track");
}

TEST_CASE("rising repair, or only 4 sessions, is on track", "[dashboard]") {
    Fixture rising;
    rising.add(0.3, 2).add(0.4, 2).add(0.4, 2).add(0.5, 3).add(0.5, 3);
    CHECK_FALSE(rising.row().has(DashboardFlag::NotOnTrack));
    Fixture four;
    four.add(0.5, 2).add(0.5, 2).add(0.4, 3).add(0.3, 3);
    CHECK_FALSE(four.row().has(DashboardFlag::NotOnTrack));
}

TEST_CASE("pursue-withdraw needs 4 counted sessions and compares the last with the first of them", "[dashboard]") {
    Fixture three;
    three.add(0.5, 2, 1, 2).add(0.5, 2, 1, 3).add(0.5, 2, 1, 4);
    CHECK_FALSE(three.row().has(DashboardFlag::PursueWithdrawNotDecreasing));

    Fixture equal;  // the first session is outside the last 4: 9, then 2, 5, 1, 2 -> 2 >= 2
    equal.add(0.5, 2, 1, 9).add(0.5, 2, 1, 2).add(0.5, 2, 1, 5).add(0.5, 2, 1, 1).add(0.5, 2, 1, 2);
    const DashboardRow row = equal.row();
    REQUIRE(row.has(DashboardFlag::PursueWithdrawNotDecreasing));
    CHECK(row.flags.back().reason.find("2 in session 5 vs 2 in session 2") != std::string::npos);

    Fixture decreasing;  // 3 -> 2 over the last 4
    decreasing.add(0.5, 2, 1, 3).add(0.5, 2, 1, 4).add(0.5, 2, 1, 4).add(0.5, 2, 1, 2);
    CHECK_FALSE(decreasing.row().has(DashboardFlag::PursueWithdrawNotDecreasing));

    Fixture none;  // 0 -> 0: no cycle left to de-escalate
    none.add(0.5, 2, 1, 0).add(0.5, 2, 1, 0).add(0.5, 2, 1, 0).add(0.5, 2, 1, 0);
    CHECK_FALSE(none.row().has(DashboardFlag::PursueWithdrawNotDecreasing));

    Fixture open_last;  // a session in progress does not count: the last 4 ended are 3,3,3,1
    open_last.add(0.5, 2, 1, 3).add(0.5, 2, 1, 3).add(0.5, 2, 1, 3).add(0.5, 2, 1, 1);
    open_last.add(0.5, 2, 1, 5, "2026-01-02", SessionState::Running);
    CHECK_FALSE(open_last.row().has(DashboardFlag::PursueWithdrawNotDecreasing));
}

TEST_CASE("no repair in the last 2 counted sessions is flagged, one is not", "[dashboard]") {
    Fixture two;
    two.add(0.5, 2, 3).add(0.0, 2, 0).add(0.0, 2, 0);
    const DashboardRow row = two.row();
    REQUIRE(row.has(DashboardFlag::NoRecentRepair));
    CHECK(row.flags.back().reason == "No repair was coded in sessions 2 and 3 (3 and 3 ruptures).");

    Fixture one;
    one.add(0.0, 2, 0).add(0.5, 2, 2).add(0.0, 2, 0);
    CHECK_FALSE(one.row().has(DashboardFlag::NoRecentRepair));

    Fixture single;
    single.add(0.0, 2, 0);
    CHECK_FALSE(single.row().has(DashboardFlag::NoRecentRepair));
}

TEST_CASE("a session left open for 8 days is flagged, for 6 or 7 days it is not", "[dashboard]") {
    Fixture f;
    f.add(0.5, 2, 1, 0, "2026-02-25", SessionState::Paused);
    const DashboardRow eight = f.row("2026-03-05");  // across the end of February: 8 days
    REQUIRE(eight.has(DashboardFlag::SessionNotEnded));
    CHECK(eight.flags.back().reason.find("8 days ago") != std::string::npos);
    CHECK_FALSE(f.row("2026-03-03").has(DashboardFlag::SessionNotEnded));  // 6 days
    CHECK_FALSE(f.row("2026-03-04").has(DashboardFlag::SessionNotEnded));  // 7 days
    CHECK_FALSE(f.row("not a date").has(DashboardFlag::SessionNotEnded));

    Fixture ended;
    ended.add(0.5, 2, 1, 0, "2026-02-25");
    CHECK_FALSE(ended.row("2026-03-05").has(DashboardFlag::SessionNotEnded));
}

TEST_CASE("sparkline values follow the sessions and keep gaps", "[dashboard]") {
    Fixture f;
    f.add(0.5, 2.0).add(std::nullopt, std::nullopt, 0).add(0.25, 4.5);
    const DashboardRow row = f.row();
    REQUIRE(row.repair_rate.size() == 3);
    REQUIRE(row.rupture_rate.size() == 3);
    CHECK_THAT(*row.repair_rate[0], WithinAbs(0.5, 1e-12));
    CHECK_FALSE(row.repair_rate[1].has_value());
    CHECK_THAT(*row.repair_rate[2], WithinAbs(0.25, 1e-12));
    CHECK_THAT(*row.rupture_rate[0], WithinAbs(2.0, 1e-12));
    CHECK_FALSE(row.rupture_rate[1].has_value());
    CHECK_THAT(*row.rupture_rate[2], WithinAbs(4.5, 1e-12));
    CHECK(row.flags.empty());
}

// [SECTION] Which sessions count (DOMAIN.md v2)

TEST_CASE("a short or marked session stays out of the sparklines and the clinical flags", "[dashboard][counting]") {
    Fixture f;
    f.add(0.5, 2.0).add(0.25, 4.0);
    f.add(0.0, 2000.0, 0);  // 3 seconds, ended: 1 rupture in 3 s would read as 2000 per 10 min
    f.sessions.back().active_seconds = 3;
    f.add(0.0, 2.0, 0);
    f.sessions.back().not_for_trends = "individual session";
    const DashboardRow row = f.row();
    REQUIRE(row.repair_rate.size() == 2);
    CHECK_THAT(*row.repair_rate[1], WithinAbs(0.25, 1e-12));
    REQUIRE(row.rupture_rate.size() == 2);
    CHECK_THAT(*row.rupture_rate[1], WithinAbs(4.0, 1e-12));
    // Two sessions without repair, but neither counts: no "no repair" flag.
    CHECK_FALSE(row.has(DashboardFlag::NoRecentRepair));
}

TEST_CASE("M comes with each session's metrics: with M = 0 a short ended session counts", "[dashboard][counting]") {
    Fixture f;
    f.add(0.5, 2.0).add(0.0, 2000.0, 0).add(0.0, 2.0, 0);
    f.sessions[1].active_seconds = 3;
    CHECK_FALSE(f.row().has(DashboardFlag::NoRecentRepair));
    for (SessionMetrics& m : f.metrics)
        m.settings.min_active_minutes = 0;
    CHECK(f.row().has(DashboardFlag::NoRecentRepair));
}

// [SECTION] Safety concern (DOMAIN.md v2)

TEST_CASE("a safety rating of 3 or lower in the latest counted session is a concern, shown first",
          "[dashboard][safety]") {
    Fixture f;
    // Not on track as well (see the first test), so the order can be seen.
    f.add(0.5, 2).safety(7).add(0.5, 2).safety(7).add(0.4, 2).safety(6).add(0.4, 3).safety(5).add(0.3, 3).safety(3);
    const DashboardRow row = f.row();
    REQUIRE(row.flags.size() >= 2);
    CHECK(row.flags[0].flag == DashboardFlag::SafetyConcern);
    CHECK(row.flags[1].flag == DashboardFlag::NotOnTrack);
    CHECK(row.flags[0].reason ==
          "Safety was rated 3/10 in session 5 of 2026-01-01, after 5/10 in session 4 (3 or lower): assess safety "
          "before continuing couple work.");
    CHECK(flag_label(DashboardFlag::SafetyConcern) == "Safety concern");
}

TEST_CASE("a fall of 3 or more is a concern; a fall of 2 to a rating above 3 is not", "[dashboard][safety]") {
    Fixture fell;
    fell.add(0.5, 2).safety(8).add(0.5, 2).safety(5);
    REQUIRE(fell.row().has(DashboardFlag::SafetyConcern));
    CHECK(fell.row().flags[0].reason.find("5/10 in session 2 of 2026-01-01, down from 8/10 in session 1 (a fall of 3 "
                                          "or more)") != std::string::npos);
    Fixture two;
    two.add(0.5, 2).safety(6).add(0.5, 2).safety(4);
    CHECK_FALSE(two.row().has(DashboardFlag::SafetyConcern));
    Fixture four;
    four.add(0.5, 2).safety(4);
    CHECK_FALSE(four.row().has(DashboardFlag::SafetyConcern));
}

TEST_CASE("safety reads the latest counted session with a rating: a missing rating does not hide a low one",
          "[dashboard][safety]") {
    Fixture f;
    f.add(0.5, 2).safety(2).add(0.5, 2);  // the last session was not rated
    REQUIRE(f.row().has(DashboardFlag::SafetyConcern));
    CHECK(f.row().flags[0].reason.find("2/10 in session 1") != std::string::npos);

    Fixture running;  // a session in progress does not count, its rating neither
    running.add(0.5, 2).safety(8).add(0.5, 2, 1, 0, "2026-01-02", SessionState::Running).safety(1);
    CHECK_FALSE(running.row().has(DashboardFlag::SafetyConcern));
}

TEST_CASE("every flag has a stable id, as `attune metrics --json` lists them", "[dashboard]") {
    CHECK(flag_id(DashboardFlag::SafetyConcern) == "safety_concern");
    CHECK(flag_id(DashboardFlag::NotOnTrack) == "not_on_track");
    CHECK(flag_id(DashboardFlag::PursueWithdrawNotDecreasing) == "pursue_withdraw_not_decreasing");
    CHECK(flag_id(DashboardFlag::NoRecentRepair) == "no_recent_repair");
    CHECK(flag_id(DashboardFlag::SessionNotEnded) == "session_not_ended");
    CHECK(flag_id(DashboardFlag::NoteUnsigned) == "note_unsigned");
}

TEST_CASE("version 2: a reliable deterioration raises Not on track first, with the measure named", "[dashboard]") {
    Fixture f;
    f.add(0.0, 2, 0).add(0.0, 2, 0);  // 2 sessions without repair: NoRecentRepair only
    DashboardRow row = f.row();
    REQUIRE_FALSE(row.has(DashboardFlag::NotOnTrack));
    REQUIRE(row.has(DashboardFlag::NoRecentRepair));

    NotOnTrack flag;
    flag.flagged = true;
    flag.reason = "Couple-reported measures: partner B's ORS total fell reliably from 30 to 24 (2026-01-01 to 2026-01-08).";
    apply_not_on_track(row, flag);
    REQUIRE(row.flags.size() == 2);
    CHECK(row.flags[0].flag == DashboardFlag::NotOnTrack);
    CHECK(row.flags[0].reason == flag.reason);
    CHECK(row.flags[1].flag == DashboardFlag::NoRecentRepair);

    // Down again (the measure was corrected): the notice goes, the others stay.
    apply_not_on_track(row, NotOnTrack{});
    REQUIRE(row.flags.size() == 1);
    CHECK(row.flags[0].flag == DashboardFlag::NoRecentRepair);
}

TEST_CASE("version 2's Not on track goes after a safety concern, which stays first", "[dashboard][safety]") {
    Fixture f;
    f.add(0.5, 2).safety(8).add(0.5, 2).safety(2);  // 2 sessions: the coded-process rule cannot fire
    DashboardRow row = f.row();
    REQUIRE(row.flags.size() == 1);
    REQUIRE(row.flags[0].flag == DashboardFlag::SafetyConcern);

    NotOnTrack flag;
    flag.flagged = true;
    flag.reason = "Couple-reported measures: partner A's ORS total fell reliably from 30 to 22.";
    apply_not_on_track(row, flag);
    REQUIRE(row.flags.size() == 2);
    CHECK(row.flags[0].flag == DashboardFlag::SafetyConcern);
    CHECK(row.flags[1].flag == DashboardFlag::NotOnTrack);
    CHECK(row.flags[1].reason == flag.reason);
}
