#include "store/signing.h"

#include <catch2/catch_test_macros.hpp>
#include <string>
#include <vector>

#include "store/audit_log.h"
#include "store/database.h"
#include "store/repositories.h"
#include "store/signature_drafts.h"
#include "store/sqlite_access.h"
#include "support/store_fixture.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::store;

namespace {

// A case with one session whose note the therapist, "Dr Sign", has written.
struct Fixture {
    test::TempDir dir;
    test::StorePractice practice = test::open_store_practice(test::store_options(dir / "p.db"), "Dr Sign");
    Database& db = *practice.db;
    Person therapist = db.actor();
    Session session;

    Fixture() {
        const Case c = test::add_couple(db, "Couple S");
        session = SessionRepository(db).start(c.id, "2026-11-01", "10:00", 1000.0);
        SessionRepository(db).save_progress_note(session.id, {"data", "assessment", "plan"});
    }
    void act_as(const std::string& name, PersonRole role) {
        db.set_actor(PeopleRepository(db).find_or_create(name, role));
    }
    int audit_rows(const std::string& action) {
        AuditFilter filter;
        filter.action = action;
        return static_cast<int>(AuditLog(db).list(filter).size());
    }
};

}  // namespace

TEST_CASE("signing records the signer and the hash of the note as it was") {
    Fixture f;
    REQUIRE_FALSE(SigningRepository(f.db).is_signed(f.session.id));
    store::SignatureDraft draft = test::signature_draft({f.therapist.id}, "aa11");
    draft.signed_at = "2026-11-01T11:00:00Z";
    const Signature s = SigningRepository(f.db).sign(f.session.id, draft);
    REQUIRE(SigningRepository(f.db).is_signed(f.session.id));
    const auto all = SigningRepository(f.db).signatures(f.session.id);
    REQUIRE(all.size() == 1);
    REQUIRE(all[0].id == s.id);
    REQUIRE(all[0].signer_name == "Dr Sign");
    REQUIRE(all[0].signer_uuid == f.therapist.uuid);
    REQUIRE(all[0].role == SignatureRole::Sign);
    // What the services made is kept as given.
    REQUIRE(all[0].signed_at == "2026-11-01T11:00:00Z");
    REQUIRE(all[0].digest == "aa11");
    REQUIRE(all[0].signature == "5igaa11");
    REQUIRE(all[0].layers == std::vector<RowId>{f.therapist.id});
    REQUIRE(all[0].note_sha256 == note_sha256({"data", "assessment", "plan"}));
    // Moving text between fields is a different note.
    REQUIRE(note_sha256({"dataa", "ssessment", "plan"}) != all[0].note_sha256);
    REQUIRE(f.audit_rows("sign") == 1);
    REQUIRE_THROWS_AS(SigningRepository(f.db).sign(f.session.id, test::signature_draft()), StoreError);
}

TEST_CASE("a signed note cannot be changed through the session repository") {
    Fixture f;
    SigningRepository(f.db).sign(f.session.id, test::signature_draft());
    try {
        SessionRepository(f.db).save_progress_note(f.session.id, {"changed", "", ""});
        FAIL("the signed note was saved");
    } catch (const StoreError& e) {
        REQUIRE(e.kind() == StoreError::Kind::Invalid);
        REQUIRE(std::string(e.what()).find("this note is signed; add an addendum instead") != std::string::npos);
    }
    REQUIRE(SessionRepository(f.db).progress_note(f.session.id).data == "data");
}

TEST_CASE("a signed note cannot be changed by SQL that bypasses the repositories") {
    Fixture f;
    SigningRepository(f.db).sign(f.session.id, test::signature_draft());
    SQLite::Database& sql = sql_of(f.db);
    REQUIRE_THROWS_AS(
        sql.exec("UPDATE progress_notes SET data = 'forged' WHERE session_id = " + std::to_string(f.session.id)),
        SQLite::Exception);
    REQUIRE_THROWS_AS(sql.exec("INSERT OR REPLACE INTO progress_notes (session_id, data, updated_at) VALUES (" +
                               std::to_string(f.session.id) + ", 'forged', 'now')"),
                      SQLite::Exception);
    REQUIRE_THROWS_AS(sql.exec("DELETE FROM progress_notes WHERE session_id = " + std::to_string(f.session.id)),
                      SQLite::Exception);
    REQUIRE_THROWS_AS(sql.exec("DELETE FROM signatures"), SQLite::Exception);
    REQUIRE(SessionRepository(f.db).progress_note(f.session.id).data == "data");
}

TEST_CASE("an unsigned note of another session can still be edited") {
    Fixture f;
    SessionRepository(f.db).end(f.session.id, 600);  // the services sign ended sessions only
    SigningRepository(f.db).sign(f.session.id, test::signature_draft());
    const Session second = SessionRepository(f.db).start(f.session.case_id, "2026-11-08", "10:00", 2000.0);
    SessionRepository(f.db).save_progress_note(second.id, {"one", "", ""});
    SessionRepository(f.db).save_progress_note(second.id, {"two", "", ""});
    REQUIRE(SessionRepository(f.db).progress_note(second.id).data == "two");
}

TEST_CASE("addenda append in order with their author and date, only after signing") {
    Fixture f;
    REQUIRE_THROWS_AS(SigningRepository(f.db).add_addendum(f.session.id, "too early"), StoreError);
    SigningRepository(f.db).sign(f.session.id, test::signature_draft());
    SigningRepository(f.db).add_addendum(f.session.id, "first");
    f.act_as("Dr Super", PersonRole::Supervisor);
    SigningRepository(f.db).add_addendum(f.session.id, "second");
    const auto addenda = SigningRepository(f.db).addenda(f.session.id);
    REQUIRE(addenda.size() == 2);
    REQUIRE(addenda[0].text == "first");
    REQUIRE(addenda[0].author_name == "Dr Sign");
    REQUIRE(addenda[1].text == "second");
    REQUIRE(addenda[1].author_name == "Dr Super");
    REQUIRE(addenda[0].created_at.size() == 20);  // 2026-11-22T02:04:31Z
    REQUIRE(f.audit_rows("addendum") == 2);
    REQUIRE_THROWS_AS(SigningRepository(f.db).add_addendum(f.session.id, "   "), StoreError);
    REQUIRE_THROWS_AS(sql_of(f.db).exec("UPDATE addenda SET body = 'forged'"), SQLite::Exception);
    REQUIRE_THROWS_AS(sql_of(f.db).exec("DELETE FROM addenda"), SQLite::Exception);
}

TEST_CASE("a co-signature before the therapist's signature is refused") {
    Fixture f;
    f.act_as("Dr Super", PersonRole::Supervisor);
    REQUIRE_THROWS_AS(SigningRepository(f.db).cosign(f.session.id, test::signature_draft()), StoreError);
    // Not even the raw table takes it.
    REQUIRE_THROWS_AS(sql_of(f.db).exec("INSERT INTO signatures (session_id, signer_id, role, signed_at, note_sha256) "
                                        "VALUES (" +
                                        std::to_string(f.session.id) + ", " + std::to_string(f.db.actor().id) +
                                        ", 'cosign', 'now', 'x')"),
                      SQLite::Exception);
    REQUIRE(SigningRepository(f.db).signatures(f.session.id).empty());
    REQUIRE(f.audit_rows("cosign") == 0);
}

// Who may sign or co-sign is the services' decision (the verified grants and
// the case's named supervisor; tests/services and tests/attacks); the store
// keeps only the order and that two signatures come from two people.
TEST_CASE("a co-signature by the person who signed is refused") {
    Fixture f;
    SigningRepository(f.db).sign(f.session.id, test::signature_draft());
    try {
        SigningRepository(f.db).cosign(f.session.id, test::signature_draft());
        FAIL("the signer co-signed their own note");
    } catch (const StoreError& e) {
        REQUIRE(e.kind() == StoreError::Kind::Invalid);
        REQUIRE(std::string(e.what()).find("someone other than the signer") != std::string::npos);
    }
    REQUIRE(SigningRepository(f.db).signatures(f.session.id).size() == 1);
    REQUIRE(f.audit_rows("cosign") == 0);
}

TEST_CASE("a supervisor co-signs after the therapist, and both are audited") {
    Fixture f;
    SigningRepository(f.db).sign(f.session.id, test::signature_draft());
    f.act_as("Dr Super", PersonRole::Supervisor);
    SigningRepository(f.db).cosign(f.session.id, test::signature_draft());
    const auto all = SigningRepository(f.db).signatures(f.session.id);
    REQUIRE(all.size() == 2);
    REQUIRE(all[0].role == SignatureRole::Sign);
    REQUIRE(all[1].role == SignatureRole::Cosign);
    REQUIRE(all[1].signer_name == "Dr Super");
    REQUIRE(f.audit_rows("sign") == 1);
    REQUIRE(f.audit_rows("cosign") == 1);
    REQUIRE_THROWS_AS(SigningRepository(f.db).cosign(f.session.id, test::signature_draft()), StoreError);
    REQUIRE(AuditLog(f.db).verify().ok);
}

TEST_CASE("nobody signs without a person signed in") {
    Fixture f;
    f.db.set_actor(Person{});
    REQUIRE_THROWS_AS(SigningRepository(f.db).sign(f.session.id, test::signature_draft()), StoreError);
    REQUIRE_FALSE(SigningRepository(f.db).is_signed(f.session.id));
}

TEST_CASE("comments pinned to moments are listed in time order with their author") {
    Fixture f;
    f.act_as("Dr Super", PersonRole::Supervisor);
    ReviewCommentRepository comments(f.db);
    comments.add(f.session.id, 125.5, "notice the withdrawal here");
    comments.add(f.session.id, 30, "good slowing down");
    comments.add(f.session.id, 125.5, "and the repair attempt");
    const auto listed = comments.list(f.session.id);
    REQUIRE(listed.size() == 3);
    REQUIRE(listed[0].t == 30);
    REQUIRE(listed[0].text == "good slowing down");
    REQUIRE(listed[1].text == "notice the withdrawal here");
    REQUIRE(listed[2].text == "and the repair attempt");
    REQUIRE(listed[2].author_name == "Dr Super");
    REQUIRE(f.audit_rows("comment") == 3);
    REQUIRE_THROWS_AS(comments.add(f.session.id, -1, "before the start"), StoreError);
    REQUIRE_THROWS_AS(comments.add(f.session.id, 10, ""), StoreError);
}
