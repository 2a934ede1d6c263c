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
        sessions.push_back(s);
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

TEST_CASE("pursue-withdraw needs 4 ended sessions and compares the last with the first of them", "[dashboard]") {
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

TEST_CASE("no repair in the last 2 ended sessions is flagged, one is not", "[dashboard]") {
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
