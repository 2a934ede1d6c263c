// Case bundles: export to an encrypted file, merge into another database by uuid.
#include "store/bundle.h"

#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <thread>

#include "store/audit_log.h"
#include "store/bundle_internal.h"
#include "store/sqlite_access.h"
#include "store/database.h"
#include "store/practice_log.h"
#include "store/repositories.h"
#include "support/store_fixture.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::store;

namespace {

const std::string kBundlePassphrase = "bundle secret 42";
const std::string kPrivateMarker = "PRIVATE-MARKER-7f3a";

// The source: one case, two ended sessions, observations by the clinician and
// a supervisor, a progress note, a private note and homework.
struct Source {
    test::StorePractice practice;
    Database& db;
    Case c;
    Session one, two;
    explicit Source(const std::filesystem::path& path)
        : practice(test::open_store_practice(test::store_options(path), "Dr Source")), db(*practice.db) {
        c.label = "Couple B";
        c.partner_a.display_name = "Ana";
        c.partner_b.display_name = "Ben";
        c.goals = "de-escalate";
        c = CaseRepository(db).create(c);
        const Person supervisor = PeopleRepository(db).find_or_create("Dr Super", PersonRole::Supervisor);
        SessionRepository sessions(db);
        one = sessions.start(c.id, "2026-01-01", "10:00", 1000.0);
        add(one.id, 10, "blame_shift", 0);
        add(one.id, 30, "validate", 0);
        add(one.id, 12, "defensive_anger", supervisor.id);
        sessions.save_progress_note(one.id, {"data one", "assessment one", "plan one"});
        sessions.save_process_note(one.id, kPrivateMarker + " the therapist's own reactions");
        sessions.add_homework(one.id, "weekly check-in");
        sessions.end(one.id, 600);
        sessions.set_stage(one.id, 1, 2);
        two = sessions.start(c.id, "2026-01-08", "10:00", 2000.0);
        add(two.id, 20, "withdraw_emotion", 0);
        sessions.end(two.id, 900);
    }
    void add(RowId session_id, double t, const std::string& code, RowId rater) {
        Observation o;
        o.session_id = session_id;
        o.rater_id = rater;
        o.t = t;
        o.who = Who::A;
        o.code_id = code;
        ObservationRepository(db).add(o);
    }
};

struct Target {
    test::StorePractice practice;
    Database& db;
    explicit Target(const std::filesystem::path& path)
        : practice(test::open_store_practice(test::store_options(path), "Dr Target")), db(*practice.db) {}
};

// Everything that travels, by uuid, as one comparable text.
std::string content_of(Database& db, bool with_private) {
    std::string text;
    for (const CaseSummary& s : CaseRepository(db).list()) {
        const Case& c = s.info;
        text += c.uuid + " " + c.label + " " + c.clinician_name + " " + c.goals + " " + c.partner_a.display_name + " " +
                c.partner_b.display_name + "\n";
        SessionRepository sessions(db);
        for (const Session& session : sessions.list_for_case(c.id)) {
            text += " " + session.uuid + " #" + std::to_string(session.number) + " " + session.date + " " +
                    std::to_string(session.active_seconds) + " stage " + std::to_string(session.eft_stage.value_or(0)) +
                    "\n";
            for (const Observation& o : ObservationRepository(db).list_for_session(session.id, 0, true)) {
                const std::string rater = PeopleRepository(db).get(o.rater_id)->name;
                text += "  " + o.uuid + " " + o.code_id + " " + std::to_string(o.t) + " by " + rater + "\n";
            }
            const ProgressNote note = sessions.progress_note(session.id);
            text += "  note " + note.data + "|" + note.assessment + "|" + note.plan + "\n";
            if (with_private) text += "  private " + sessions.process_note(session.id) + "\n";
            for (const Homework& h : sessions.homework_agreed_in(session.id))
                text += "  hw " + h.uuid + " " + h.description + "\n";
        }
    }
    return text;
}

std::vector<AuditEntry> audit(Database& db, const std::string& action) {
    AuditFilter filter;
    filter.action = action;
    return AuditLog(db).list(filter);
}

using test::wait_for_next_second;

}  // namespace

TEST_CASE("a bundle round trip gives the same cases, sessions, observations and notes by uuid", "[bundle]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    const BundleCounts exported = export_bundle(source.db, {"Couple B", "", true}, dir / "b.attune", kBundlePassphrase);
    CHECK(exported.cases == 1);
    CHECK(exported.sessions == 2);
    CHECK(exported.observations == 4);
    CHECK(exported.progress_notes == 1);
    CHECK(exported.process_notes == 1);
    CHECK(exported.homework == 1);
    REQUIRE(audit(source.db, "export").size() == 1);
    CHECK(audit(source.db, "export")[0].detail.find("include_private=yes") != std::string::npos);

    Target target(dir / "target.db");
    const BundleImportReport first = import_bundle(target.db, dir / "b.attune", kBundlePassphrase);
    CHECK(first.created.total() == exported.total());
    CHECK(first.conflicts.empty());
    CHECK(content_of(target.db, true) == content_of(source.db, true));
    CHECK(content_of(target.db, true).find("by Dr Super") != std::string::npos);

    SECTION("importing twice changes nothing") {
        const std::string before = content_of(target.db, true);
        const BundleImportReport again = import_bundle(target.db, dir / "b.attune", kBundlePassphrase);
        CHECK(again.created.total() == 0);
        CHECK(again.updated.total() == 0);
        CHECK(again.conflicts.empty());
        CHECK(content_of(target.db, true) == before);
        const auto imports = audit(target.db, "import");
        REQUIRE(imports.size() == 2);
        // Newest first or last: find the row of the second import by its counts.
        int zero_rows = 0;
        for (const AuditEntry& e : imports)
            if (e.detail.rfind("0 new, 0 updated, 0 conflicts", 0) == 0) ++zero_rows;
        CHECK(zero_rows == 1);
        CHECK(imports[0].entity_id == "b.attune");
    }
}

TEST_CASE("private notes travel only when asked for, and never as plaintext", "[bundle]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    export_bundle(source.db, {"Couple B", "", false}, dir / "plain.attune", kBundlePassphrase);
    export_bundle(source.db, {"", "Dr Source", true}, dir / "private.attune", kBundlePassphrase);
    CHECK(audit(source.db, "export").size() == 2);

    // Encrypted either way: neither the marker nor the SQLite header is readable.
    for (const char* name : {"plain.attune", "private.attune"}) {
        const std::string bytes = test::read_file(dir / name);
        CHECK(bytes.find(kPrivateMarker) == std::string::npos);
        CHECK(bytes.find("data one") == std::string::npos);
        CHECK(bytes.rfind("SQLite format 3", 0) == std::string::npos);
    }

    Target without(dir / "without.db");
    const BundleImportReport r = import_bundle(without.db, dir / "plain.attune", kBundlePassphrase);
    CHECK(r.created.process_notes == 0);
    const auto case_id = CaseRepository(without.db).find_by_label("Couple B")->id;
    const Session s1 = *SessionRepository(without.db).find(case_id, 1);
    CHECK(SessionRepository(without.db).process_note(s1.id).empty());
    CHECK(SessionRepository(without.db).progress_note(s1.id).data == "data one");

    Target with(dir / "with.db");
    import_bundle(with.db, dir / "private.attune", kBundlePassphrase);
    const auto case_id2 = CaseRepository(with.db).find_by_label("Couple B")->id;
    const Session t1 = *SessionRepository(with.db).find(case_id2, 1);
    CHECK(SessionRepository(with.db).process_note(t1.id).find(kPrivateMarker) == 0);
}

TEST_CASE("a newer edit at the source updates the copy; an edit on both sides is a conflict", "[bundle]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    export_bundle(source.db, {"Couple B", "", true}, dir / "b.attune", kBundlePassphrase);
    Target target(dir / "target.db");
    import_bundle(target.db, dir / "b.attune", kBundlePassphrase);
    const RowId target_case = CaseRepository(target.db).find_by_label("Couple B")->id;
    const Session target_one = *SessionRepository(target.db).find(target_case, 1);

    wait_for_next_second();  // updated_at has one-second resolution
    SessionRepository(source.db).save_progress_note(source.one.id, {"data two", "assessment one", "plan one"});
    export_bundle(source.db, {"Couple B", "", true}, dir / "b.attune", kBundlePassphrase);
    const BundleImportReport updated = import_bundle(target.db, dir / "b.attune", kBundlePassphrase);
    CHECK(updated.updated.progress_notes == 1);
    CHECK(updated.updated.total() == 1);
    CHECK(updated.created.total() == 0);
    CHECK(updated.conflicts.empty());
    CHECK(SessionRepository(target.db).progress_note(target_one.id).data == "data two");

    // Both sides edit the same note; the copy's edit is as late or later.
    SessionRepository(source.db).save_progress_note(source.one.id, {"source edit", "assessment one", "plan one"});
    SessionRepository(target.db).save_progress_note(target_one.id, {"supervisor edit", "assessment one", "plan one"});
    export_bundle(source.db, {"Couple B", "", true}, dir / "b.attune", kBundlePassphrase);
    const BundleImportReport conflict = import_bundle(target.db, dir / "b.attune", kBundlePassphrase);
    REQUIRE(conflict.conflicts.size() == 1);
    CHECK(conflict.conflicts[0].find("case Couple B session 1: progress note") == 0);
    CHECK(conflict.updated.total() == 0);
    CHECK(SessionRepository(target.db).progress_note(target_one.id).data == "supervisor edit");
}

TEST_CASE("a wrong bundle passphrase is a clear error and changes nothing", "[bundle]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    export_bundle(source.db, {"Couple B", "", false}, dir / "b.attune", kBundlePassphrase);
    Target target(dir / "target.db");
    const auto audit_rows = AuditLog(target.db).list().size();
    try {
        import_bundle(target.db, dir / "b.attune", "not the passphrase");
        FAIL("the import should have been refused");
    } catch (const StoreError& e) {
        CHECK(e.kind() == StoreError::Kind::WrongPassphrase);
        CHECK(std::string(e.what()).find("wrong bundle passphrase") != std::string::npos);
    }
    CHECK(CaseRepository(target.db).list().empty());
    CHECK(AuditLog(target.db).list().size() == audit_rows);
    // The connection is still usable: the bundle was detached.
    CHECK(import_bundle(target.db, dir / "b.attune", kBundlePassphrase).created.cases == 1);
}

TEST_CASE("exporting an unknown case or clinician names what is missing", "[bundle]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    CHECK_THROWS_AS(export_bundle(source.db, {"Nobody", "", false}, dir / "x.attune", kBundlePassphrase), StoreError);
    CHECK_THROWS_AS(export_bundle(source.db, {"", "Dr Nobody", false}, dir / "x.attune", kBundlePassphrase),
                    StoreError);
    CHECK_FALSE(std::filesystem::exists(dir / "x.attune"));
    CHECK_FALSE(std::filesystem::exists(dir / "x.attune.part"));
}

TEST_CASE("a preview says what an import would do, kind by kind, and writes nothing", "[bundle]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    SessionRepository(source.db).add_pause(source.one.id, 120, 30);
    Recording recording;
    recording.session_id = source.one.id;
    recording.sha256 = std::string(64, 'c');
    recording.duration_seconds = 3000;
    recording.path = "c.attmedia";
    recording.original_name = "one.mp4";
    RecordingRepository(source.db).add(recording);
    export_bundle(source.db, {"Couple B", "", true}, dir / "b.attune", kBundlePassphrase);
    Target target(dir / "target.db");
    const auto audit_rows = AuditLog(target.db).list().size();
    const auto version = target.db.data_version();

    const BundleImportReport preview =
        import_bundle(target.db, dir / "b.attune", kBundlePassphrase, {}, {}, ImportMode::Preview);
    CHECK(preview.dry_run);
    CHECK(preview.created.cases == 1);
    CHECK(preview.created.sessions == 2);
    CHECK(preview.created.observations == 4);
    CHECK(preview.people_in_bundle == 2);  // Dr Source (clinician, rater) and Dr Super (rater)
    CHECK(preview.people_created == 2);
    const std::vector<BundleChange> changes = bundle_changes(preview);
    REQUIRE(changes.size() == 12);
    CHECK(change_text(changes[5]) == "measures: 0 new, 0 changed, 0 unchanged");
    CHECK(change_text(changes[6]) == "second raters' ratings: 0 new, 0 changed, 0 unchanged");
    CHECK(change_text(changes[7]) == "change-event decisions: 0 new, 0 changed, 0 unchanged");
    CHECK(change_text(changes[0]) == "cases: 1 new, 0 changed, 0 unchanged");
    CHECK(change_text(changes[2]) == "observations: 4 new, 0 changed, 0 unchanged");
    CHECK(change_text(changes[3]) == "progress notes: 1 new, 0 changed, 0 unchanged");
    CHECK(change_text(changes[8]) == "pauses of the clock: 1 new, 0 changed, 0 unchanged");
    CHECK(change_text(changes[9]) == "recordings (their links, not their files): 1 new, 0 changed, 0 unchanged");
    CHECK(change_text(changes[10]) == "excerpts: 0 new, 0 changed, 0 unchanged");
    CHECK(change_text(changes[11]) == "people: 2 new, 0 changed, 0 unchanged");
    // Nothing written: no case, no person, no audit row, no new data version.
    CHECK(CaseRepository(target.db).list().empty());
    CHECK_FALSE(PeopleRepository(target.db).find("Dr Super").has_value());
    CHECK(AuditLog(target.db).list().size() == audit_rows);
    CHECK(target.db.data_version() == version);

    // The import does what the preview said.
    const BundleImportReport imported = import_bundle(target.db, dir / "b.attune", kBundlePassphrase);
    CHECK_FALSE(imported.dry_run);
    CHECK(imported.created.total() == preview.created.total());
    CHECK(imported.people_created == 2);

    SECTION("a preview after a newer edit at the source counts it as changed, the rest unchanged") {
        wait_for_next_second();
        SessionRepository(source.db).save_progress_note(source.one.id, {"data two", "assessment one", "plan one"});
        export_bundle(source.db, {"Couple B", "", true}, dir / "b.attune", kBundlePassphrase);
        const BundleImportReport again =
            import_bundle(target.db, dir / "b.attune", kBundlePassphrase, {}, {}, ImportMode::Preview);
        const std::vector<BundleChange> c = bundle_changes(again);
        CHECK(change_text(c[0]) == "cases: 0 new, 0 changed, 1 unchanged");
        CHECK(change_text(c[1]) == "sessions: 0 new, 0 changed, 2 unchanged");
        CHECK(change_text(c[3]) == "progress notes: 0 new, 1 changed, 0 unchanged");
        CHECK(change_text(c[8]) == "pauses of the clock: 0 new, 0 changed, 1 unchanged");
        CHECK(change_text(c[9]) == "recordings (their links, not their files): 0 new, 0 changed, 1 unchanged");
        CHECK(change_text(c[11]) == "people: 0 new, 0 changed, 2 unchanged");
        const RowId target_case = CaseRepository(target.db).find_by_label("Couple B")->id;
        const Session target_one = *SessionRepository(target.db).find(target_case, 1);
        CHECK(SessionRepository(target.db).progress_note(target_one.id).data == "data one");
    }
}

TEST_CASE("each record an import creates or changes has its own audit row", "[bundle]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    export_bundle(source.db, {"Couple B", "", true}, dir / "b.attune", kBundlePassphrase);
    Target target(dir / "target.db");
    const auto rows_before = AuditLog(target.db).list().size();
    import_bundle(target.db, dir / "b.attune", kBundlePassphrase);

    const auto from_bundle = [&](const std::string& action, const std::string& entity) {
        std::vector<AuditEntry> out;
        for (const AuditEntry& e : audit(target.db, action))
            if (e.entity == entity && e.detail.rfind("from bundle b.attune", 0) == 0) out.push_back(e);
        return out;
    };
    const Case c = *CaseRepository(target.db).find_by_label("Couple B");
    REQUIRE(from_bundle("create", "case").size() == 1);
    CHECK(from_bundle("create", "case")[0].entity_id == c.uuid);
    CHECK(from_bundle("create", "case")[0].detail == "from bundle b.attune: label=Couple B");
    CHECK(from_bundle("create", "session").size() == 2);
    const std::vector<AuditEntry> observations = from_bundle("create", "observation");
    REQUIRE(observations.size() == 4);
    const Session one = *SessionRepository(target.db).find(c.id, 1);
    int found = 0;
    for (const Observation& o : ObservationRepository(target.db).list_for_session(one.id, 0, true))
        for (const AuditEntry& e : observations)
            if (e.entity_id == o.uuid) ++found;
    CHECK(found == 3);  // session 1's three, each once
    CHECK(from_bundle("create", "progress_note").size() == 1);
    CHECK(from_bundle("create", "progress_note")[0].entity_id == one.uuid);
    CHECK(from_bundle("create", "process_note").size() == 1);
    CHECK(from_bundle("create", "homework").size() == 1);
    const std::vector<AuditEntry> people = from_bundle("create", "person");
    REQUIRE(people.size() == 2);
    for (const AuditEntry& e : people)
        CHECK(e.detail.find(" role=coder") != std::string::npos);
    // 12 records (1 case, 2 sessions, 4 observations, 2 notes, 1 homework, 2 people) and the import's own row.
    CHECK(AuditLog(target.db).list().size() == rows_before + 13);

    SECTION("a changed note gets an update row; what is unchanged gets none") {
        wait_for_next_second();
        SessionRepository(source.db).save_progress_note(source.one.id, {"data two", "assessment one", "plan one"});
        export_bundle(source.db, {"Couple B", "", true}, dir / "b.attune", kBundlePassphrase);
        const auto before = AuditLog(target.db).list().size();
        import_bundle(target.db, dir / "b.attune", kBundlePassphrase);
        CHECK(AuditLog(target.db).list().size() == before + 2);  // the note, and the import's row
        REQUIRE(from_bundle("update", "progress_note").size() == 1);
        CHECK(from_bundle("update", "progress_note")[0].entity_id == one.uuid);
    }
}

TEST_CASE("a bundle is attached with trusted_schema off, and the setting is put back after", "[bundle]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    export_bundle(source.db, {"Couple B", "", false}, dir / "b.attune", kBundlePassphrase);
    Target target(dir / "target.db");
    const auto trusted = [&] {
        SQLite::Statement q(sql_of(target.db), "PRAGMA trusted_schema");
        REQUIRE(q.executeStep());
        return q.getColumn(0).getInt();
    };
    REQUIRE(trusted() == 1);  // SQLite's default, which the practice's own schema is read with
    {
        bundle_detail::AttachedBundle attached(target.db, dir / "b.attune", kBundlePassphrase);
        CHECK(trusted() == 0);
    }
    CHECK(trusted() == 1);
    // Refused (a wrong passphrase): put back as well.
    CHECK_THROWS_AS(bundle_detail::AttachedBundle(target.db, dir / "b.attune", "not the passphrase"), StoreError);
    CHECK(trusted() == 1);
}

TEST_CASE("each partner's cycle position travels with the case, and a newer change of it follows", "[bundle][cycle]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    Case c = *CaseRepository(source.db).get(source.c.id);
    c.partner_a.cycle_position = "pursuer";
    CaseRepository(source.db).update(c);
    export_bundle(source.db, {"Couple B", "", false}, dir / "b.attune", kBundlePassphrase);
    Target target(dir / "target.db");
    import_bundle(target.db, dir / "b.attune", kBundlePassphrase);
    Case copy = *CaseRepository(target.db).find_by_label("Couple B");
    CHECK(copy.partner_a.cycle_position == "pursuer");
    CHECK(copy.partner_b.cycle_position.empty());

    wait_for_next_second();  // updated_at has one-second resolution
    c.partner_b.cycle_position = "withdrawer";
    CaseRepository(source.db).update(c);
    export_bundle(source.db, {"Couple B", "", false}, dir / "b.attune", kBundlePassphrase);
    const BundleImportReport updated = import_bundle(target.db, dir / "b.attune", kBundlePassphrase);
    CHECK(updated.conflicts.empty());
    copy = *CaseRepository(target.db).find_by_label("Couple B");
    CHECK(copy.partner_a.cycle_position == "pursuer");
    CHECK(copy.partner_b.cycle_position == "withdrawer");
}

TEST_CASE("the clock's closed pauses travel by uuid, once, and before the signature that seals them; an open one "
          "waits until it closes",
          "[bundle][pauses]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    SessionRepository sessions(source.db);
    sessions.add_pause(source.one.id, 120, 30);
    sessions.add_pause(source.two.id, 300, 45.5);
    // Session 3 is paused live at 50 s and not resumed: its pause is still open.
    const Session three = sessions.start(source.c.id, "2026-01-15", "10:00", 3000.0);
    sessions.pause(three.id, 50, 3050.0);
    REQUIRE(sessions.pauses(three.id).size() == 1);

    const auto text = [](Database& db, const Session& s) {
        SQLite::Statement q(sql_of(db), "SELECT p.uuid, p.session_seconds, p.wall_seconds, p.origin FROM "
                                        "session_pauses p JOIN sessions s ON s.id = p.session_id WHERE s.uuid = ? "
                                        "ORDER BY p.session_seconds");
        q.bind(1, s.uuid);
        std::string out;
        while (q.executeStep())
            out += q.getColumn(0).getString() + " " + q.getColumn(1).getString() + " " +
                   q.getColumn(2).getString() + " " + q.getColumn(3).getString() + "\n";
        return out;
    };
    const BundleCounts exported =
        export_bundle(source.db, {"Couple B", "", false}, dir / "b.attune", kBundlePassphrase);
    CHECK(exported.pauses == 2);

    Target target(dir / "target.db");
    const BundleImportReport first = import_bundle(target.db, dir / "b.attune", kBundlePassphrase);
    CHECK(first.created.pauses == 2);
    CHECK(first.in_bundle.pauses == 2);
    CHECK(first.conflicts.empty());
    CHECK(text(target.db, source.one) == text(source.db, source.one));
    CHECK(text(target.db, source.two) == text(source.db, source.two));
    CHECK(text(target.db, source.one).find(" 120.0 30.0 entered\n") != std::string::npos);
    CHECK(text(target.db, three).empty());
    const std::vector<AuditEntry> created = audit(target.db, "create");
    int pause_rows = 0;
    for (const AuditEntry& e : created)
        if (e.entity == "pause") {
            ++pause_rows;
            CHECK(e.detail.find("from bundle b.attune: at ") == 0);
        }
    CHECK(pause_rows == 2);

    // Again: nothing more. Then session 3 resumes (its pause closes, 20 s long) and travels in a bundle of what
    // changed since.
    CHECK(import_bundle(target.db, dir / "b.attune", kBundlePassphrase).created.pauses == 0);
    wait_for_next_second();
    const std::string since = now_utc_iso();
    sessions.resume(three.id, 3070.0);
    sessions.end(three.id, 200, 3100.0);
    BundleSelection changed{"Couple B", "", false};
    changed.changed_since = since;
    CHECK(export_bundle(source.db, changed, dir / "c.attune", kBundlePassphrase).pauses == 3);
    const BundleImportReport later = import_bundle(target.db, dir / "c.attune", kBundlePassphrase);
    CHECK(later.created.pauses == 1);
    CHECK(later.conflicts.empty());
    CHECK(text(target.db, three).find(" 50.0 20.0 live\n") != std::string::npos);
    CHECK(text(target.db, three) == text(source.db, three));
}

TEST_CASE("the changes waiting for the practice server are the rows an export of every case since the last sync "
          "carries as changed, with the taking-backs and assignments not yet sent",
          "[bundle][waiting]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    BundleSelection every;
    every.every_case = true;
    // Before a first sync all of it waits: the case, two sessions, four
    // observations, one progress note and one homework (never the private note).
    const BundleCounts all = export_bundle(source.db, every, dir / "all.attune", kBundlePassphrase);
    CHECK(all.total() == 9);
    CHECK(count_changed_since(source.db, "") == 9);

    wait_for_next_second();
    const std::string since = now_utc_iso();
    CHECK(count_changed_since(source.db, since) == 0);
    CHECK(count_changed_since(source.db, "9999-01-01T00:00:00Z") == 0);

    // Since then: an observation, a closed pause, a share given and taken
    // back, and a coder's assignment.
    source.add(source.two.id, 40, "validate", 0);
    SessionRepository(source.db).add_pause(source.two.id, 60, 5);
    const Person coder = PeopleRepository(source.db).find_or_create("Cody Lane", PersonRole::Coder);
    AccessRepository access(source.db);
    access.share(source.c.id, coder.id);
    CHECK(count_changed_since(source.db, since) == 2);  // a share made has no time: the push sends them all
    access.unshare(source.c.id, coder.id);
    access.assign_coder(source.two.id, coder.id);
    CHECK(count_changed_since(source.db, since) == 4);
    every.changed_since = since;
    const BundleCounts changed = export_bundle(source.db, every, dir / "since.attune", kBundlePassphrase);
    CHECK(changed.observations == 1);
    CHECK(changed.pauses == 1);
    CHECK(changed.cases + changed.sessions + changed.progress_notes + changed.signatures == 0);
    // An open pause is not sent until it closes, nor counted.
    const Session three = SessionRepository(source.db).start(source.c.id, "2026-01-15", "10:00", 3000.0);
    CHECK(count_changed_since(source.db, since) == 5);  // its session
    SessionRepository(source.db).pause(three.id, 50, 3050.0);
    CHECK(count_changed_since(source.db, since) == 5);
}
