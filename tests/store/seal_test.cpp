// The seal of migration 4: once a session is signed, the coding of the layers
// the signature covers, its ratings, stage, step and clock cannot change,
// whichever path tries (a repository or SQL that bypasses them); another
// rater's layer can still be added; what a signature covers cannot shrink.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/repositories.h"
#include "store/signature_drafts.h"
#include "store/signing.h"
#include "store/sqlite_access.h"
#include "support/store_fixture.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::store;
using Catch::Matchers::ContainsSubstring;

namespace {

// Dr Sign's ended session 1 with two of her observations (one point, one
// state), ratings and a stage; Coder C, a second rater.
struct Fixture {
    test::TempDir dir;
    test::StorePractice practice = test::open_store_practice(test::store_options(dir / "p.db"), "Dr Sign");
    Database& db = *practice.db;
    Person therapist = db.actor();
    Person coder = PeopleRepository(db).find_or_create("Coder C", PersonRole::Coder);
    Session session;
    Observation withdrawal, reactivity;

    Fixture() {
        const Case c = test::add_couple(db, "Couple S");
        SessionRepository sessions(db);
        session = sessions.start(c.id, "2026-11-01", "10:00", 1000.0);
        withdrawal = add(therapist.id, 12, "withdraw_emotion", Who::A);
        reactivity = add(therapist.id, 40, "defensive_anger", Who::B);
        sessions.set_ratings(session.id, {6, 7, 5});
        sessions.set_stage(session.id, 1, 2);
        sessions.save_progress_note(session.id, {"data", "assessment", "plan"});
        sessions.end(session.id, 600);
    }
    Observation add(RowId rater, double t, const std::string& code, Who who) {
        Observation o;
        o.session_id = session.id;
        o.rater_id = rater;
        o.t = t;
        o.code_id = code;
        o.who = who;
        return ObservationRepository(db).add(o);
    }
    Signature sign(std::vector<RowId> layers) {
        return SigningRepository(db).sign(session.id, test::signature_draft(layers));
    }
    std::string id(RowId row) const { return std::to_string(row); }
    SQLite::Database& sql() { return sql_of(db); }
    int count(const std::string& query) { return sql().execAndGet(query).getInt(); }
};

// Runs `write` and requires that the store refused it with the seal's sentence.
template <typename Write>
void require_sealed(Write write) {
    try {
        write();
        FAIL("a sealed session was changed");
    } catch (const StoreError& e) {
        CHECK(e.kind() == StoreError::Kind::Invalid);
        CHECK(std::string(e.what()).find("this session is signed") != std::string::npos);
    }
}

// Runs raw SQL that bypasses the repositories and requires that a trigger
// refused it with a sentence containing `because`.
void require_refused(SQLite::Database& sql, const std::string& statement,
                     const std::string& because = "this session is signed") {
    try {
        sql.exec(statement);
        FAIL("the database took: " + statement);
    } catch (const SQLite::Exception& e) {
        INFO(statement);
        CHECK(std::string(e.what()).find(because) != std::string::npos);
    }
}

}  // namespace

TEST_CASE("a signed layer gets no new observation, through the repository or raw SQL", "[signing][seal]") {
    Fixture f;
    f.sign({f.therapist.id});
    require_sealed([&] { f.add(f.therapist.id, 100, "withdraw_emotion", Who::A); });
    require_refused(f.sql(),
                    "INSERT INTO observations (uuid, session_id, rater_id, t, who, code_id, created_at, "
                    "updated_at) VALUES ('forged', " +
                        f.id(f.session.id) + ", " + f.id(f.therapist.id) +
                        ", 5, 'A', 'withdraw_emotion', 'now', 'now')");
    REQUIRE(f.count("SELECT count(*) FROM observations WHERE session_id = " + f.id(f.session.id)) == 2);
}

TEST_CASE("a signed layer's observations cannot be edited, soft-deleted, restored or deleted", "[signing][seal]") {
    Fixture f;
    ObservationRepository observations(f.db);
    // Deleted before signing: restoring it afterwards would change the signed record too.
    const Observation undone = f.add(f.therapist.id, 70, "withdraw_emotion", Who::A);
    observations.soft_delete(undone.id);
    f.sign({f.therapist.id});

    Observation changed = f.withdrawal;
    changed.code_id = "defensive_anger";
    require_sealed([&] { observations.update(changed); });
    require_sealed([&] { observations.set_extras(f.withdrawal.id, 3, "louder"); });
    require_sealed([&] { observations.soft_delete(f.withdrawal.id); });
    require_sealed([&] { observations.restore(undone.id); });

    const std::string row = f.id(f.withdrawal.id);
    require_refused(f.sql(), "UPDATE observations SET code_id = 'defensive_anger' WHERE id = " + row);
    require_refused(f.sql(), "UPDATE observations SET deleted = 1 WHERE id = " + row);
    require_refused(f.sql(), "DELETE FROM observations WHERE id = " + row);
    // Handing the observation to an unsealed rater, or moving it to another session, would take it out of the seal.
    require_refused(f.sql(), "UPDATE observations SET rater_id = " + f.id(f.coder.id) + " WHERE id = " + row);
    const Session other = SessionRepository(f.db).start(f.session.case_id, "2026-11-08", "10:00", 2000.0);
    require_refused(f.sql(), "UPDATE observations SET session_id = " + f.id(other.id) + " WHERE id = " + row);

    const auto stored = observations.get(f.withdrawal.id);
    REQUIRE(stored);
    REQUIRE(stored->code_id == "withdraw_emotion");
    REQUIRE_FALSE(stored->intensity);
    REQUIRE_FALSE(stored->deleted);
    REQUIRE(stored->session_id == f.session.id);
    REQUIRE(stored->rater_id == f.therapist.id);
    REQUIRE(observations.get(undone.id)->deleted);
}

TEST_CASE("an observation cannot be moved into a signed layer", "[signing][seal]") {
    Fixture f;
    SessionRepository sessions(f.db);
    const Session other = sessions.start(f.session.case_id, "2026-11-08", "10:00", 2000.0);
    Observation elsewhere;
    elsewhere.session_id = other.id;
    elsewhere.t = 3;
    elsewhere.code_id = "withdraw_emotion";
    elsewhere = ObservationRepository(f.db).add(elsewhere);
    Observation coded = f.add(f.coder.id, 50, "withdraw_emotion", Who::A);
    f.sign({f.therapist.id});
    require_refused(f.sql(),
                    "UPDATE observations SET session_id = " + f.id(f.session.id) + " WHERE id = " + f.id(elsewhere.id));
    require_refused(f.sql(),
                    "UPDATE observations SET rater_id = " + f.id(f.therapist.id) + " WHERE id = " + f.id(coded.id));
    REQUIRE(ObservationRepository(f.db).get(elsewhere.id)->session_id == other.id);
    REQUIRE(ObservationRepository(f.db).get(coded.id)->rater_id == f.coder.id);
}

TEST_CASE("a signed session's ratings, stage, step and clock cannot change", "[signing][seal]") {
    Fixture f;
    f.sign({f.therapist.id});
    SessionRepository sessions(f.db);
    require_sealed([&] { sessions.set_ratings(f.session.id, {6, 7, 9}); });
    require_sealed([&] { sessions.set_stage(f.session.id, 2, 5); });
    require_sealed([&] { sessions.set_stage(f.session.id, 1, 3); });
    require_sealed([&] { sessions.end(f.session.id, 700); });
    const std::string row = f.id(f.session.id);
    for (const char* set : {"attunement_a = 1", "attunement_b = NULL", "safety = 0", "eft_stage = 3", "eft_step = 9",
                            "active_seconds = 601", "state = 'paused'", "uuid = 'forged'"})
        require_refused(f.sql(), std::string("UPDATE sessions SET ") + set + " WHERE id = " + row);

    const Session stored = *sessions.get(f.session.id);
    REQUIRE(stored.ratings.attunement_a == 6);
    REQUIRE(stored.ratings.attunement_b == 7);
    REQUIRE(stored.ratings.safety == 5);
    REQUIRE(stored.eft_stage == 1);
    REQUIRE(stored.eft_step == 2);
    REQUIRE(stored.active_seconds == 600);
    REQUIRE(stored.state == SessionState::Ended);
    REQUIRE(stored.uuid == f.session.uuid);
}

TEST_CASE("a signed session's date is sealed while unsigned sessions stay editable", "[signing][seal]") {
    Fixture f;
    f.sign({f.therapist.id});
    const std::string signed_date = SessionRepository(f.db).get(f.session.id)->date;
    REQUIRE_THROWS_WITH(f.sql().exec("UPDATE sessions SET date = '2026-11-02' WHERE id = " + f.id(f.session.id)),
                        ContainsSubstring("its date, ratings, stage and clock are sealed"));
    REQUIRE(SessionRepository(f.db).get(f.session.id)->date == signed_date);
    const Session other = SessionRepository(f.db).start(f.session.case_id, "2026-11-08", "10:00", 2000.0);
    SessionRepository(f.db).set_ratings(other.id, {1, 2, 3});
    Observation o;
    o.session_id = other.id;
    o.t = 3;
    o.code_id = "withdraw_emotion";
    o = ObservationRepository(f.db).add(o);
    ObservationRepository(f.db).soft_delete(o.id);
    REQUIRE(SessionRepository(f.db).get(other.id)->ratings.safety == 3);
}

TEST_CASE("another rater's layer can still be coded on a signed session, and stays theirs to edit", "[signing][seal]") {
    Fixture f;
    f.sign({f.therapist.id});
    Observation coded = f.add(f.coder.id, 15, "withdraw_emotion", Who::A);
    REQUIRE(coded.id != 0);
    coded.code_id = "defensive_anger";
    ObservationRepository(f.db).update(coded);
    REQUIRE(ObservationRepository(f.db).get(coded.id)->code_id == "defensive_anger");
    ObservationRepository(f.db).soft_delete(coded.id);
    REQUIRE(ObservationRepository(f.db).list_for_session(f.session.id, f.coder.id).empty());
    REQUIRE(ObservationRepository(f.db).list_for_session(f.session.id, f.therapist.id).size() == 2);
}

TEST_CASE("a layer coded before signing is sealed with the therapist's when the signature covers it",
          "[signing][seal]") {
    Fixture f;
    const Observation coded = f.add(f.coder.id, 15, "withdraw_emotion", Who::A);
    f.sign({f.therapist.id, f.coder.id});
    require_sealed([&] { f.add(f.coder.id, 90, "withdraw_emotion", Who::A); });
    require_sealed([&] { ObservationRepository(f.db).soft_delete(coded.id); });
    REQUIRE(SigningRepository(f.db).signatures(f.session.id)[0].layers ==
            std::vector<RowId>{f.therapist.id, f.coder.id});
}

TEST_CASE("a co-signature's layers seal as the signature's do", "[signing][seal]") {
    Fixture f;
    f.sign({f.therapist.id});
    f.db.set_actor(PeopleRepository(f.db).find_or_create("Dr Super", PersonRole::Supervisor));
    SigningRepository(f.db).cosign(f.session.id, test::signature_draft({f.therapist.id}, "c0"));
    const auto signatures = SigningRepository(f.db).signatures(f.session.id);
    REQUIRE(signatures.size() == 2);
    REQUIRE(signatures[1].layers == std::vector<RowId>{f.therapist.id});
    REQUIRE(f.count("SELECT count(*) FROM signature_layers") == 2);
    require_sealed([&] { ObservationRepository(f.db).soft_delete(f.reactivity.id); });
}

TEST_CASE("what a signature covers cannot shrink: its layers are neither removed nor changed", "[signing][seal]") {
    Fixture f;
    const Signature s = f.sign({f.therapist.id});
    require_refused(f.sql(), "DELETE FROM signature_layers", "signatures cannot be changed");
    require_refused(f.sql(), "UPDATE signature_layers SET rater_id = " + f.id(f.coder.id),
                    "signatures cannot be changed");
    require_refused(f.sql(), "UPDATE signatures SET digest = 'forged'", "signatures cannot be changed");
    require_refused(f.sql(), "DELETE FROM signatures", "signatures cannot be removed");
    REQUIRE(f.count("SELECT count(*) FROM signature_layers WHERE signature_id = " + f.id(s.id) +
                    " AND rater_id = " + f.id(f.therapist.id)) == 1);
    REQUIRE(SigningRepository(f.db).signatures(f.session.id)[0].digest == "d1gest");
}

TEST_CASE("a signed session's pauses are sealed with its clock: none added, changed or removed", "[signing][seal]") {
    Fixture f;
    SessionRepository(f.db).add_pause(f.session.id, 100, 30);
    f.sign({f.therapist.id});
    require_sealed([&] { SessionRepository(f.db).add_pause(f.session.id, 200, 10); });
    const std::string of_session = " WHERE session_id = " + f.id(f.session.id);
    require_refused(f.sql(), "UPDATE session_pauses SET wall_seconds = 5" + of_session);
    require_refused(f.sql(), "DELETE FROM session_pauses" + of_session);
    REQUIRE(f.count("SELECT count(*) FROM session_pauses" + of_session + " AND wall_seconds = 30") == 1);
}
