// Issue 18 through the services, as the window and the command line use them:
// which sessions count (a running 3-second session, the clinician's "not for
// trends" mark), the safety concern first among the flags, the Assessment
// draft and its acceptance, signatures and homework in exports, and a
// practice picking up the next edition of the default coding scheme.
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

#include "core/counting.h"
#include "core/dashboard.h"
#include "core/error.h"
#include "formats/note_draft.h"
#include "hand_case.h"
#include "practice_reads.h"
#include "services/case_trends.h"
#include "services/cases.h"
#include "services/export.h"
#include "services/live_session.h"
#include "services/notes.h"
#include "services/settings.h"
#include "services/supervision.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Approx;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string session_note(services::OpenPractice& practice, const Case& c, int number) {
    services::ExportOptions options;
    options.session_number = number;
    return services::ExportJob(practice, c, options).text();
}

}  // namespace

TEST_CASE("a 3-second session still running is listed with its counts, but not charted nor trended",
          "[counting][trends]") {
    test::HandCase f;  // three ended sessions: repair rates 0.5, 0 and none
    Session running = services::start_session(*f.practice, f.c.id, "2026-02-22");
    f.sessions.push_back(running);
    f.add(3, Who::A, "defensive_anger", 1);
    const CaseMetrics m = services::case_metrics(*f.practice, f.c.id);
    REQUIRE(m.sessions.size() == 4);
    const SessionWithMetrics& last = m.sessions.back();
    CHECK_FALSE(last.counting.counts);
    CHECK(last.counting.reason == "still running");
    CHECK(last.metrics.rupture_total == 1);
    CHECK_FALSE(last.metrics.rupture_rate_per_10min);  // not 305 per 10 min
    CHECK_FALSE(last.metrics.repair_rate);             // not a crash to 0 %
    CHECK(m.counted().size() == 3);
    const DashboardRow row = services::case_dashboard_row(*f.practice, f.c.id, "2026-02-22");
    CHECK(row.repair_rate.size() == 3);
    CHECK(services::session_counting(*f.practice, running).reason == "still running");
}

TEST_CASE("M is a practice setting: with 15 minutes the two 10-minute sessions stop counting", "[counting][settings]") {
    test::HandCase f;  // S1 10 min, S2 20 min, S3 10 min
    MetricSettings settings = services::metric_windows(*f.practice);
    CHECK(settings.min_active_minutes == 10);
    settings.min_active_minutes = 15;
    services::save_metric_windows(*f.practice, settings);
    CHECK(services::metric_windows(*f.practice).min_active_minutes == 15);
    const CaseMetrics m = services::case_metrics(*f.practice, f.c.id);
    REQUIRE(m.counted().size() == 1);
    CHECK(m.counted()[0]->session.number == 2);
    CHECK(m.sessions[0].counting.reason == "10:00 of active time, less than the 15 minutes a counted session needs");
    settings.min_active_minutes = 121;
    CHECK_THROWS_AS(services::save_metric_windows(*f.practice, settings), Error);
}

TEST_CASE("a session marked not for trends leaves the trends and comes back when the mark is removed",
          "[counting][trends]") {
    test::HandCase f;
    const Session marked = services::set_not_for_trends(*f.practice, f.sessions[0], std::string("aborted: fire alarm"));
    CHECK(marked.not_for_trends == "aborted: fire alarm");
    CaseMetrics m = services::case_metrics(*f.practice, f.c.id);
    CHECK(m.sessions[0].counting.reason == "marked not for trends (aborted: fire alarm)");
    CHECK_FALSE(m.sessions[0].metrics.repair_rate);
    CHECK(m.counted().size() == 2);
    CHECK(services::audit_entries(*f.practice, AuditFilter::of_action("update", 1, "session")).front().detail ==
          "not for trends: aborted: fire alarm");
    services::set_not_for_trends(*f.practice, marked, std::nullopt);
    m = services::case_metrics(*f.practice, f.c.id);
    CHECK(m.counted().size() == 3);
    CHECK(*m.sessions[0].metrics.repair_rate == Approx(0.5));
    CHECK_THROWS_AS(services::set_not_for_trends(*f.practice, marked, std::string(" ")), Error);
}

TEST_CASE("a low safety rating puts the safety concern first among the case's flags", "[safety]") {
    test::HandCase f;
    services::SessionEnding ratings;
    ratings.safety = 8;
    f.sessions[1] = services::end_session(*f.practice, f.sessions[1], ratings);
    ratings.safety = 2;
    f.sessions[2] = services::end_session(*f.practice, f.sessions[2], ratings);
    const DashboardRow row = services::case_dashboard_row(*f.practice, f.c.id, "2026-02-16");
    REQUIRE_FALSE(row.flags.empty());
    CHECK(row.flags[0].flag == DashboardFlag::SafetyConcern);
    CHECK(contains(row.flags[0].reason, "2/10 in session 3 of 2026-02-15, down from 8/10 in session 2"));
}

TEST_CASE("an empty Assessment is exported as a marked draft until the clinician accepts it", "[draft][export]") {
    test::HandCase f;
    const std::string before = session_note(*f.practice, f.c, 1);
    CHECK(contains(before, std::string(formats::kDraftLead) + "\n"));
    CHECK(contains(before, "The negative cycle was active: Ana pursued and Ben withdrew"));
    const std::string draft = services::assessment_draft(*f.practice, f.sessions[0]);
    REQUIRE_FALSE(draft.empty());
    CHECK(contains(before, draft.substr(0, draft.find('\n'))));

    CHECK(services::accept_assessment_draft(*f.practice, f.sessions[0]) == draft);
    const std::string after = session_note(*f.practice, f.c, 1);
    CHECK(contains(after, std::string(formats::kAcceptedDraftLead) + "\n"));
    CHECK_FALSE(contains(after, formats::kDraftLead));
    CHECK(services::assessment_draft(*f.practice, f.sessions[0]).empty());  // it has text now
    CHECK_THROWS_AS(services::accept_assessment_draft(*f.practice, f.sessions[0]), Error);
}

TEST_CASE("the live view's draft is shown on request and accepted into the note", "[draft]") {
    test::HandCase f;
    services::LiveSession live(*f.practice);
    REQUIRE(live.sync(f.sessions[0].id, 0.0));
    CHECK(live.assessment_draft().empty());  // nothing is computed until asked
    live.show_assessment_draft();
    REQUIRE_FALSE(live.assessment_draft().empty());
    const std::string shown = live.assessment_draft();
    REQUIRE(live.accept_assessment_draft());
    CHECK(live.progress_note.assessment == shown);
    CHECK(live.progress_note.assessment_source == AssessmentSource::AcceptedDraft);
    CHECK(live.assessment_draft().empty());
}

TEST_CASE("a session note export ends with its signature, co-signature and addenda", "[export][signing]") {
    test::HandCase f;
    services::sign_session(*f.practice, f.sessions[0].id);
    services::add_addendum(*f.practice, f.sessions[0].id, "Ana called: the pause word helped.");
    const std::string note = session_note(*f.practice, f.c, 1);
    CHECK(contains(note, "\nSignatures\n"));
    CHECK(contains(note, "Signed by Dr Hand, "));
    CHECK(contains(note, "\xE2\x80\x94 verified (key "));  // checked when exported
    CHECK(contains(note, "Addendum by Dr Hand, "));
    CHECK(contains(note, ": Ana called: the pause word helped."));
    CHECK(contains(session_note(*f.practice, f.c, 2), "Not signed."));
}

TEST_CASE("homework agreed in the latest session is not due: the summary never says 0 of 1 done",
          "[export][homework]") {
    test::HandCase f;
    services::LiveSession live(*f.practice);
    REQUIRE(live.sync(f.sessions[2].id, 0.0));
    live.add_homework("weekly check-in");
    services::ExportOptions options;
    options.format = "txt";
    const std::string summary = services::ExportJob(*f.practice, f.c, options).text();
    CHECK(contains(summary, "No homework was due yet: 1 task agreed in session 3 is not due until the next session."));
    CHECK_FALSE(contains(summary, "0 of 1"));
}

TEST_CASE("an existing practice takes the next edition of the default scheme for new cases; old sessions keep theirs",
          "[scheme]") {
    test::TempDir dir;
    // The first edition, as practices stored it before issue 18: no protest code.
    std::string first = test::read_file(test::assets_dir() / "coding_scheme.json");
    const auto cut = [&](const std::string& from, const std::string& to) {
        const auto a = first.find(from);
        REQUIRE(a != std::string::npos);
        first.erase(a, first.find(to, a) - a);
    };
    cut("    {\"id\": \"pursuit\"", "    {\"id\": \"low_warmth\", \"label\"");
    cut("    {\"id\": \"protest\"", "    {\"id\": \"low_warmth\", \"label\": \"Low warmth\", \"category\"");
    cut("  \"former_names\"", "  \"categories\"");
    first.replace(first.find("Couple process codes (EFT-informed)"), 35, "Attune default (assets taxonomy)");
    first.replace(first.find("\"version\": 2"), 12, "\"version\": 1");
    std::filesystem::create_directories(dir / "old_assets");
    test::write_file(dir / "old_assets" / "coding_scheme.json", first);

    Session old_session;
    Case old_case;
    {
        test::ScopedEnv assets("ATTUNE_ASSETS_DIR", (dir / "old_assets").string());
        auto practice = test::new_practice(dir / "p.db");
        REQUIRE(practice->default_scheme().version == 1);
        REQUIRE_FALSE(practice->default_scheme().find("protest"));
        old_case = test::add_couple(*practice, "Couple Old");
        old_session = services::start_session(*practice, old_case.id, "2026-01-05");
    }
    auto practice = test::open_practice(dir / "p.db");  // the shipped assets again
    CHECK(practice->default_scheme().version == 2);
    CHECK(practice->default_scheme().find("protest"));
    const Case new_case = test::add_couple(*practice, "Couple New");
    const Session new_session = services::start_session(*practice, new_case.id, "2026-01-06");
    CHECK(new_session.scheme_id != old_session.scheme_id);
    CHECK(services::get_session(*practice, old_session.id)->scheme_id == old_session.scheme_id);
    services::LogRequest protest;
    protest.who = Who::A;
    protest.code = "protest";
    protest.at = 5;
    CHECK(services::log_observation(*practice, new_session, protest).code_id == "protest");
    CHECK_THROWS_AS(services::log_observation(*practice, old_session, protest), Error);  // not in its edition
    protest.code = "defensive_anger";
    CHECK_NOTHROW(services::log_observation(*practice, old_session, protest));
    // Opening again stores nothing new.
    const RowId scheme_now = practice->default_scheme_id();
    practice.reset();
    CHECK(test::open_practice(dir / "p.db")->default_scheme_id() == scheme_now);
}
