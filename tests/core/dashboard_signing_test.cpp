// The dashboard's "Note unsigned > 7 days" flag, on hand-made sessions.
#include <catch2/catch_test_macros.hpp>

#include "core/dashboard.h"

using namespace attune;

namespace {

struct Caseload {
    std::vector<SessionMetrics> metrics;
    std::vector<Session> sessions;
    std::vector<bool> signed_notes;

    Caseload& add(const std::string& date, bool note_signed, SessionState state = SessionState::Ended) {
        SessionMetrics m;
        m.repairs = 2;  // keeps the no-repair flag away
        metrics.push_back(m);
        Session s;
        s.number = static_cast<int>(sessions.size()) + 1;
        s.date = date;
        s.state = state;
        sessions.push_back(s);
        signed_notes.push_back(note_signed);
        return *this;
    }
    DashboardRow row(const std::string& today) const { return summarize_case(metrics, sessions, signed_notes, today); }
};

}  // namespace

TEST_CASE("an ended session's note unsigned for 8 days is flagged, for 7 days it is not", "[dashboard][signing]") {
    Caseload c;
    c.add("2026-02-25", false);
    const DashboardRow eight = c.row("2026-03-05");  // across the end of February: 8 days
    REQUIRE(eight.has(DashboardFlag::NoteUnsigned));
    REQUIRE(eight.flags.size() == 1);
    CHECK(eight.flags[0].reason.find("session 1 of 2026-02-25") != std::string::npos);
    CHECK(eight.flags[0].reason.find("8 days ago") != std::string::npos);
    CHECK_FALSE(c.row("2026-03-04").has(DashboardFlag::NoteUnsigned));  // 7 days
    CHECK_FALSE(c.row("2026-02-25").has(DashboardFlag::NoteUnsigned));  // the same day
    CHECK_FALSE(c.row("not a date").has(DashboardFlag::NoteUnsigned));
    CHECK(flag_label(DashboardFlag::NoteUnsigned) == "Note unsigned > 7 days");
}

TEST_CASE("a signed note is never flagged, however old", "[dashboard][signing]") {
    Caseload c;
    c.add("2025-01-01", true).add("2025-01-08", true);
    CHECK_FALSE(c.row("2026-03-05").has(DashboardFlag::NoteUnsigned));
    // A missing entry counts as unsigned.
    c.signed_notes.pop_back();
    CHECK(c.row("2026-03-05").has(DashboardFlag::NoteUnsigned));
}

TEST_CASE("a session not ended raises the not-ended flag, not the unsigned one", "[dashboard][signing]") {
    Caseload c;
    c.add("2026-02-01", true).add("2026-02-25", false, SessionState::Paused);
    const DashboardRow row = c.row("2026-03-05");
    CHECK(row.has(DashboardFlag::SessionNotEnded));
    CHECK_FALSE(row.has(DashboardFlag::NoteUnsigned));
}

TEST_CASE("several unsigned notes name the oldest and count them all", "[dashboard][signing]") {
    Caseload c;
    // Sessions 1 and 3 unsigned and old; 2 signed; 4 unsigned but only 3 days old.
    c.add("2026-02-01", false).add("2026-02-08", true).add("2026-02-15", false).add("2026-03-02", false);
    const DashboardRow row = c.row("2026-03-05");
    REQUIRE(row.has(DashboardFlag::NoteUnsigned));
    const std::string& reason = row.flags.back().reason;
    CHECK(reason.find("session 1 of 2026-02-01") != std::string::npos);
    CHECK(reason.find("32 days ago") != std::string::npos);
    CHECK(reason.find("2 notes older than 7 days") != std::string::npos);
}
