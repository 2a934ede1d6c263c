// Issue 18 at the store: the "not for trends" mark (migration 4, audited with
// its reason), who wrote a note's Assessment (an accepted draft until edited),
// and audit rows that describe observations by names and labels.
#include <catch2/catch_test_macros.hpp>

#include "store/audit_log.h"
#include "store/repositories.h"
#include "store/signature_drafts.h"
#include "store/signing.h"
#include "support/store_fixture.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::store;

namespace {

struct Fixture {
    test::TempDir dir;
    test::StorePractice practice = test::open_store_practice(test::store_options(dir / "p.db"), "Dr Mark");
    Database& db = *practice.db;
    Case c = test::add_couple(db, "Couple M", "Ana", "Ben");
    Session session = SessionRepository(db).start(c.id, "2026-11-01", "10:00", 1000.0);

    std::vector<AuditEntry> audit(const std::string& entity) {
        AuditFilter filter;
        filter.entity = entity;
        return AuditLog(db).list(filter);  // newest first
    }
};

}  // namespace

TEST_CASE("a session is marked not for trends with its reason, audited, and counted again", "[store][counting]") {
    Fixture f;
    SessionRepository sessions(f.db);
    CHECK(sessions.get(f.session.id)->not_for_trends.empty());
    sessions.set_not_for_trends(f.session.id, std::string("  test session  "));
    CHECK(sessions.get(f.session.id)->not_for_trends == "test session");
    CHECK(sessions.list_for_case(f.c.id).front().not_for_trends == "test session");
    CHECK(f.audit("session").front().detail == "not for trends: test session");

    sessions.set_not_for_trends(f.session.id, std::nullopt);
    CHECK(sessions.get(f.session.id)->not_for_trends.empty());
    CHECK(f.audit("session").front().detail == "counted toward trends again");
}

TEST_CASE("a mark needs a reason of at most 500 characters", "[store][counting]") {
    Fixture f;
    SessionRepository sessions(f.db);
    CHECK_THROWS_AS(sessions.set_not_for_trends(f.session.id, std::string("   ")), StoreError);
    CHECK_THROWS_AS(sessions.set_not_for_trends(f.session.id, std::string(501, 'x')), StoreError);
    CHECK_THROWS_AS(sessions.set_not_for_trends(f.session.id + 99, std::string("test")), StoreError);
    CHECK(sessions.get(f.session.id)->not_for_trends.empty());
}

TEST_CASE("an accepted draft is marked as one until the clinician edits the Assessment", "[store][draft]") {
    Fixture f;
    SessionRepository sessions(f.db);
    sessions.save_progress_note(f.session.id, {"what happened", "", "next time"});
    sessions.accept_assessment_draft(f.session.id, "The negative cycle was active.");
    ProgressNote note = sessions.progress_note(f.session.id);
    CHECK(note.assessment == "The negative cycle was active.");
    CHECK(note.assessment_source == AssessmentSource::AcceptedDraft);
    CHECK(note.data == "what happened");  // the other fields are kept
    CHECK(f.audit("progress_note").front().detail == "assessment draft accepted (30 characters)");

    note.plan = "a new plan";  // editing another field keeps the mark
    sessions.save_progress_note(f.session.id, note);
    CHECK(sessions.progress_note(f.session.id).assessment_source == AssessmentSource::AcceptedDraft);

    note.assessment += " Ben reached for Ana.";                // editing the Assessment makes it the clinician's
    note.assessment_source = AssessmentSource::AcceptedDraft;  // whatever the caller says
    sessions.save_progress_note(f.session.id, note);
    CHECK(sessions.progress_note(f.session.id).assessment_source == AssessmentSource::Clinician);
}

TEST_CASE("a draft is accepted only into an empty Assessment, and never into a signed note", "[store][draft]") {
    Fixture f;
    SessionRepository sessions(f.db);
    sessions.accept_assessment_draft(f.session.id, "Draft into a note not written yet.");
    CHECK(sessions.progress_note(f.session.id).assessment_source == AssessmentSource::AcceptedDraft);
    CHECK_THROWS_AS(sessions.accept_assessment_draft(f.session.id, "another draft"), StoreError);
    CHECK_THROWS_AS(sessions.accept_assessment_draft(f.session.id, "  "), StoreError);

    Fixture signed_note;
    SessionRepository other(signed_note.db);
    other.save_progress_note(signed_note.session.id, {"data", "", "plan"});
    SigningRepository(signed_note.db).sign(signed_note.session.id, test::signature_draft());
    CHECK_THROWS_AS(other.accept_assessment_draft(signed_note.session.id, "too late"), StoreError);
    CHECK(other.progress_note(signed_note.session.id).assessment.empty());
}

TEST_CASE("audit rows describe observations by names and labels, not ids", "[store][audit]") {
    Fixture f;
    ObservationRepository observations(f.db);
    Observation o;
    o.session_id = f.session.id;
    o.who = Who::A;
    o.code_id = "i_statement";
    o.t = 97.042;
    o = observations.add(o);
    CHECK(f.audit("observation").front().detail == "Ana: Soft start-up / I-statement at 01:37");
    Observation changed = o;
    changed.who = Who::B;
    changed.code_id = "protest";
    observations.update(changed);
    CHECK(f.audit("observation").front().detail ==
          "from Ana: Soft start-up / I-statement at 01:37 to Ben: Protests / criticizes at 01:37");
}
