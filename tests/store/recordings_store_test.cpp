// The store's side of recordings: the live clock's pauses (stored when the
// clock stops, given their wall length when it runs again), recordings linked
// one per session, excerpts, and a rater's states being their own.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "store/audit_log.h"
#include "store/repositories.h"
#include "store/session_logger.h"
#include "store/sqlite_access.h"
#include "support/store_fixture.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::store;
using Catch::Matchers::ContainsSubstring;

namespace {

struct Fixture {
    test::TempDir dir;
    test::StorePractice practice = test::open_store_practice(test::store_options(dir / "p.db"), "Dr Rec");
    Database& db = *practice.db;
    Case c = test::add_couple(db, "Couple R");

    int audit_rows(const std::string& entity) {
        SQLite::Statement q(sql_of(db), "SELECT count(*) FROM audit_log WHERE entity = ?");
        q.bind(1, entity);
        q.executeStep();
        return q.getColumn(0).getInt();
    }
};

Recording a_recording(RowId session_id, const std::string& sha_digit = "a") {
    Recording r;
    r.session_id = session_id;
    r.sha256 = std::string(64, sha_digit[0]);
    r.duration_seconds = 600;
    r.has_video = true;
    r.offset_seconds = 2.5;
    r.path = "container.attmedia";
    r.original_name = "session.mp4";
    r.bytes = 1234;
    return r;
}

}  // namespace

TEST_CASE("pausing a running clock stores a pause that gets its wall length when the clock resumes") {
    Fixture f;
    SessionRepository sessions(f.db);
    const Session s = sessions.start(f.c.id, "2026-05-01", "10:00", 1000.0);
    sessions.pause(s.id, 300, 1300.0);
    auto pauses = sessions.pauses(s.id);
    REQUIRE(pauses.size() == 1);
    CHECK(pauses[0].session_seconds == 300);
    CHECK_FALSE(pauses[0].wall_seconds.has_value());  // still paused
    CHECK(pauses[0].began_at == 1300.0);
    CHECK(pauses[0].origin == PauseOrigin::Live);

    sessions.pause(s.id, 300, 1310.0);  // paused again while paused: nothing new
    sessions.resume(s.id, 1345.5);
    pauses = sessions.pauses(s.id);
    REQUIRE(pauses.size() == 1);
    CHECK(pauses[0].wall_seconds == 45.5);

    sessions.pause(s.id, 900, 2000.0);
    sessions.end(s.id, 900, 2012.0);  // ending while paused closes the pause
    pauses = sessions.pauses(s.id);
    REQUIRE(pauses.size() == 2);
    CHECK(pauses[1].session_seconds == 900);
    CHECK(pauses[1].wall_seconds == 12.0);
}

TEST_CASE("a pause typed in afterwards is stored as entered and audited; a negative one is refused") {
    Fixture f;
    SessionRepository sessions(f.db);
    const Session s = sessions.start(f.c.id, "2026-05-01", "10:00", 1000.0);
    sessions.end(s.id, 1200, 3000.0);
    const int before = f.audit_rows("pause");
    const PauseRecord p = sessions.add_pause(s.id, 600, 90);
    CHECK(p.origin == PauseOrigin::Entered);
    CHECK(f.audit_rows("pause") == before + 1);
    const auto stored = sessions.pauses(s.id);
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].wall_seconds == 90);
    CHECK_FALSE(stored[0].began_at.has_value());
    CHECK_THROWS_WITH(sessions.add_pause(s.id, -1, 10), ContainsSubstring("0 or more"));
    CHECK_THROWS_WITH(sessions.add_pause(s.id, 10, -1), ContainsSubstring("0 seconds or more"));
    CHECK(sessions.pauses(s.id).size() == 1);
}

TEST_CASE("a session has one recording; linking a second is refused naming the linked hash") {
    Fixture f;
    SessionRepository sessions(f.db);
    const Session s = sessions.start(f.c.id, "2026-05-01", "10:00", 1000.0);
    RecordingRepository recordings(f.db);
    const Recording r = recordings.add(a_recording(s.id));
    CHECK(r.id != 0);
    CHECK(r.uuid.size() == 36);
    CHECK(f.audit_rows("recording") == 1);
    CHECK_THROWS_WITH(recordings.add(a_recording(s.id, "b")), ContainsSubstring(std::string(64, 'a')));
    const auto read = recordings.for_session(s.id);
    REQUIRE(read);
    CHECK(read->offset_seconds == 2.5);
    CHECK(read->storage == RecordingStorage::Encrypted);
    CHECK(read->original_name == "session.mp4");
    recordings.set_offset(r.id, -4);
    recordings.relink(r.id, RecordingStorage::InPlace, "/elsewhere/session.mp4");
    const Recording moved = *recordings.get(r.id);
    CHECK(moved.offset_seconds == -4);
    CHECK(moved.storage == RecordingStorage::InPlace);
    CHECK(moved.path == "/elsewhere/session.mp4");
    CHECK(f.audit_rows("recording") == 3);
}

TEST_CASE("a session made from a recording alone is ended, has no pauses, and both rows come in one step") {
    Fixture f;
    RecordingRepository recordings(f.db);
    const auto [s, r] = recordings.add_with_new_session(f.c.id, "2026-05-02", "11:00", 597.5, a_recording(0));
    CHECK(s.number == 1);
    CHECK(r.session_id == s.id);
    const Session stored = *SessionRepository(f.db).get(s.id);
    CHECK(stored.state == SessionState::Ended);
    CHECK(stored.active_seconds == 597.5);
    CHECK(SessionRepository(f.db).pauses(s.id).empty());
    // A refused recording leaves no session behind.
    Recording bad = a_recording(0);
    bad.sha256 = "short";
    CHECK_THROWS(recordings.add_with_new_session(f.c.id, "2026-05-03", "11:00", 10, bad));
    CHECK(SessionRepository(f.db).list_for_case(f.c.id).size() == 1);
}

TEST_CASE("excerpts of a case come back by session date, then media start, with their session") {
    Fixture f;
    SessionRepository sessions(f.db);
    RecordingRepository recordings(f.db);
    const Session late = sessions.start(f.c.id, "2026-06-01", "10:00", 1000.0);
    sessions.end(late.id, 600);
    const Session early = sessions.start(f.c.id, "2026-05-01", "10:00", 1000.0);
    sessions.end(early.id, 600);
    const Recording r_late = recordings.add(a_recording(late.id));
    const Recording r_early = recordings.add(a_recording(early.id, "b"));
    const auto excerpt = [&](const Recording& r, double start, const std::string& name) {
        Excerpt e;
        e.recording_id = r.id;
        e.name = name;
        e.stage = 2;
        e.media_start = start;
        e.media_stop = start + 60;
        return recordings.add_excerpt(e);
    };
    excerpt(r_late, 10, "late");
    excerpt(r_early, 300, "early second");
    excerpt(r_early, 100, "early first");
    const auto all = recordings.excerpts_for_case(f.c.id);
    REQUIRE(all.size() == 3);
    CHECK(all[0].name == "early first");
    CHECK(all[1].name == "early second");
    CHECK(all[2].name == "late");
    CHECK(all[0].session_id == early.id);
    CHECK(all[2].session_id == late.id);
    CHECK(f.audit_rows("excerpt") == 3);
}

TEST_CASE("a second rater's state press starts their own state, leaving the clinician's running") {
    Fixture f;
    SessionRepository sessions(f.db);
    const Session s = sessions.start(f.c.id, "2026-05-01", "10:00", 1000.0);
    const CodingScheme scheme = SchemeRepository(f.db).get(s.scheme_id);
    const Code& shut_down = *scheme.find("shut_down");
    SessionLogger(f.db, s.id, scheme).press(Who::A, shut_down, 10);
    const Person clinician = f.db.actor();
    f.db.set_actor(PeopleRepository(f.db).find_or_create("Coder Kim", PersonRole::Coder));
    SessionLogger coder(f.db, s.id, scheme);
    const LogOutcome started = coder.press(Who::A, shut_down, 12);
    CHECK(started.action == LogOutcome::Action::StateStarted);
    CHECK(coder.running_states().size() == 1);
    coder.stop_all_states(20);
    CHECK(coder.running_states().empty());
    f.db.set_actor(clinician);
    // The clinician's state still runs: the coder's stop-all was the coder's own.
    const auto open = ObservationRepository(f.db).open_states(s.id);
    REQUIRE(open.size() == 1);
    CHECK(open[0].rater_id == clinician.id);
}
