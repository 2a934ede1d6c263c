// The rows of issue 20 (migration 5): measures, a practice's instrument files,
// decisions on change-event candidates and second raters' ratings. Each is
// written by one repository, audited, and refused whole when wrong.
#include "store/measure_repositories.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "store/audit_log.h"
#include "store/schema.h"
#include "store/sqlite_access.h"
#include "support/store_fixture.h"

using namespace attune;
using namespace attune::store;
using Catch::Matchers::ContainsSubstring;

namespace {

struct Fixture {
    test::TempDir dir;
    test::StorePractice practice = test::open_store_practice(test::store_options(dir / "practice.db"), "Dr Store");
    Database& db = *practice.db;
    Case couple = test::add_couple(db, "Couple M");
    Session first = SessionRepository(db).start(couple.id, "2026-01-05", "10:00", 0);

    Measure items(const char* date, std::vector<std::optional<double>> scores) const {
        Measure m;
        m.case_id = couple.id;
        m.instrument_id = "csi4";
        m.partner = Who::B;
        m.date = date;
        m.items = std::move(scores);
        return m;
    }
    AuditEntry last_audit() const { return AuditLog(db).list().front(); }
};

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const StoreError& e) {
        return e.what();
    }
    return "";
}

const char* const kPracticeScale = R"({"format": "attune-instrument", "format_version": 1, "id": "practice_scale",
  "name": "Practice scale", "validated": false, "item_count": 2, "score_decimals": 0,
  "items": [{"min": 0, "max": 4}, {"min": 1, "max": 5}], "higher_is_better": false,
  "total": {"min": 1, "max": 9}, "clinical_cutoff": 6, "reliable_change": "not defined", "direct_total": false})";

}  // namespace

// [SECTION] Measures

TEST_CASE("a measure round-trips with its missing item, its session and an audit row", "[measures]") {
    Fixture f;
    Measure m = f.items("2026-01-05", {3, std::nullopt, 4, 5});
    m.session_id = f.first.id;
    const Measure stored = MeasureRepository(f.db).add(m);
    CHECK(stored.id > 0);
    CHECK(stored.uuid.size() == 36);
    const auto back = MeasureRepository(f.db).get(stored.id);
    REQUIRE(back.has_value());
    CHECK(back->items == std::vector<std::optional<double>>{3.0, std::nullopt, 4.0, 5.0});
    CHECK_FALSE(back->entered_total.has_value());
    CHECK(back->partner == Who::B);
    CHECK(back->session_id == f.first.id);
    CHECK(back->session_number == 1);
    const AuditEntry audit = f.last_audit();
    CHECK(audit.action == "create");
    CHECK(audit.entity == "measure");
    CHECK(audit.entity_id == stored.uuid);
    CHECK(audit.detail == "case=Couple M partner=B instrument=csi4 date=2026-01-05 session=1 items=4");
    CHECK(audit.actor == "Dr Store");
}

TEST_CASE("a directly entered total is stored without items", "[measures]") {
    Fixture f;
    Measure m = f.items("2026-01-05", {});
    m.instrument_id = "ors";
    m.entered_total = 31.5;
    const Measure stored = MeasureRepository(f.db).add(m);
    const auto back = MeasureRepository(f.db).get(stored.id);
    REQUIRE(back.has_value());
    CHECK(back->items.empty());
    CHECK(back->entered_total == 31.5);
    CHECK_FALSE(back->session_number.has_value());
}

TEST_CASE("a case's measures list in date order, then entry order", "[measures]") {
    Fixture f;
    MeasureRepository measures(f.db);
    const RowId late = measures.add(f.items("2026-02-01", {1, 1, 1, 1})).id;
    const RowId early_second = measures.add(f.items("2026-01-01", {2, 2, 2, 2})).id;
    const RowId early_third = measures.add(f.items("2026-01-01", {3, 3, 3, 3})).id;
    const Case other = test::add_couple(f.db, "Couple N");
    Measure elsewhere = f.items("2026-01-01", {4, 4, 4, 4});
    elsewhere.case_id = other.id;
    measures.add(elsewhere);
    const std::vector<Measure> listed = measures.list_for_case(f.couple.id);
    REQUIRE(listed.size() == 3);
    CHECK(listed[0].id == early_second);
    CHECK(listed[1].id == early_third);
    CHECK(listed[2].id == late);
}

TEST_CASE("a measure row is refused whole when a field is wrong, and nothing is written", "[measures]") {
    Fixture f;
    MeasureRepository measures(f.db);
    const auto rows_before = AuditLog(f.db).list().size();
    Measure both = f.items("2026-01-05", {1, 2, 3, 4});
    both.entered_total = 10;
    CHECK(error_of([&] { measures.add(both); }) == "a measure has item scores or an entered total, one of the two");
    CHECK(error_of([&] {
              measures.add(f.items("2026-02-30", {1, 2, 3, 4}));
          }) == "the date '2026-02-30' is not a date written yyyy-mm-dd");
    Measure therapist = f.items("2026-01-05", {1, 2, 3, 4});
    therapist.partner = Who::Therapist;
    CHECK(error_of([&] { measures.add(therapist); }) == "a measure's partner must be A or B");
    const Case other = test::add_couple(f.db, "Couple N");
    const Session theirs = SessionRepository(f.db).start(other.id, "2026-01-06", "10:00", 0);
    Measure wrong_session = f.items("2026-01-05", {1, 2, 3, 4});
    wrong_session.session_id = theirs.id;
    CHECK(error_of([&] { measures.add(wrong_session); }) == "session 1 belongs to another case than Couple M");
    CHECK(measures.list_for_case(f.couple.id).empty());
    // Two rows more than before: Couple N's case and its session, nothing of the refused measures.
    CHECK(AuditLog(f.db).list().size() == rows_before + 2);
}

TEST_CASE("the database itself refuses a measure tied to another case's session", "[measures]") {
    Fixture f;
    const Case other = test::add_couple(f.db, "Couple N");
    const Session theirs = SessionRepository(f.db).start(other.id, "2026-01-06", "10:00", 0);
    const std::string sql =
        "INSERT INTO measures (uuid, case_id, partner, instrument_id, date, session_id, entered_total, entered_by, "
        "created_at, updated_at) VALUES ('u', " +
        std::to_string(f.couple.id) + ", 'A', 'ors', '2026-01-05', " + std::to_string(theirs.id) + ", 20, " +
        std::to_string(f.db.actor().id) + ", 'x', 'x')";
    CHECK_THROWS_WITH(sql_of(f.db).exec(sql), ContainsSubstring("not one of this case's sessions"));
}

TEST_CASE("correcting and removing a measure are audited", "[measures]") {
    Fixture f;
    MeasureRepository measures(f.db);
    Measure m = measures.add(f.items("2026-01-05", {1, 2, 3, 4}));
    m.items = {1, 2, 3, 5};
    m.date = "2026-01-06";
    measures.update(m);
    CHECK(measures.get(m.id)->items[3] == 5.0);
    CHECK(measures.get(m.id)->date == "2026-01-06");
    CHECK(f.last_audit().action == "update");
    measures.remove(m.id);
    CHECK_FALSE(measures.get(m.id).has_value());
    CHECK(f.last_audit().action == "delete");
    CHECK(f.last_audit().entity_id == m.uuid);
}

TEST_CASE("deleting a session keeps its measures, no longer tied to it", "[measures]") {
    Fixture f;
    Measure m = f.items("2026-01-05", {1, 2, 3, 4});
    m.session_id = f.first.id;
    const RowId id = MeasureRepository(f.db).add(m).id;
    sql_of(f.db).exec("DELETE FROM sessions WHERE id = " + std::to_string(f.first.id));
    const auto back = MeasureRepository(f.db).get(id);
    REQUIRE(back.has_value());
    CHECK_FALSE(back->session_id.has_value());
}

// [SECTION] Instrument files

TEST_CASE("a practice's instrument file is parsed before it is stored, and kept as given", "[measures]") {
    Fixture f;
    InstrumentFileRepository files(f.db);
    const StoredInstrumentFile stored = files.add(kPracticeScale);
    CHECK(stored.id == "practice_scale");
    const auto listed = files.list();
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].content == kPracticeScale);
    CHECK(listed[0].added_by == "Dr Store");
    CHECK(f.last_audit().entity == "instrument");
    CHECK(f.last_audit().detail == "Practice scale, 2 items");

    std::string broken = kPracticeScale;
    broken.replace(broken.find("\"max\": 4"), 8, "\"max\": \"4\"");
    CHECK(error_of([&] { files.add(broken); }) == "the instrument file is not valid: items[0].max: must be a number");
    CHECK(error_of([&] { files.add(kPracticeScale); }) ==
          "this practice already has an instrument 'practice_scale'; give the new file another id");
    CHECK(files.list().size() == 1);
}

TEST_CASE("an instrument file in use cannot be removed or changed", "[measures]") {
    Fixture f;
    InstrumentFileRepository files(f.db);
    files.add(kPracticeScale);
    Measure m = f.items("2026-01-05", {1, 2});
    m.instrument_id = "practice_scale";
    const RowId id = MeasureRepository(f.db).add(m).id;
    CHECK(error_of([&] { files.remove("practice_scale"); }) ==
          "the instrument 'practice_scale' cannot be removed: 1 measure uses it");
    CHECK_THROWS_WITH(sql_of(f.db).exec("UPDATE instruments SET content = '{}'"),
                      ContainsSubstring("cannot be changed"));
    MeasureRepository(f.db).remove(id);
    files.remove("practice_scale");
    CHECK(files.list().empty());
}

// [SECTION] Decisions and ratings

TEST_CASE("a change-event decision is recorded, changed and audited with the candidate", "[change-events]") {
    Fixture f;
    ChangeEventDecisionRepository decisions(f.db);
    decisions.decide(f.first.id, "blamer_softening:u1", CandidateDecision::Confirmed, "A msg_unworthy at 01:40");
    CHECK(f.last_audit().action == "confirm");
    CHECK(f.last_audit().entity == "change_event");
    CHECK(f.last_audit().entity_id == f.first.uuid);
    CHECK(f.last_audit().detail == "blamer_softening:u1 (A msg_unworthy at 01:40)");
    decisions.decide(f.first.id, "blamer_softening:u1", CandidateDecision::Rejected, "");
    CHECK(f.last_audit().action == "reject");
    const auto stored = decisions.for_session(f.first.id);
    REQUIRE(stored.size() == 1);  // changed, not doubled
    CHECK(stored[0].decision == CandidateDecision::Rejected);
    CHECK(stored[0].decided_by == "Dr Store");
}

TEST_CASE("a second rater's ratings are kept apart from the clinician's; the clinician is refused", "[icc]") {
    Fixture f;
    const Person coder = PeopleRepository(f.db).find_or_create("Coder C", PersonRole::Coder);
    SessionRatingRepository ratings(f.db);
    ratings.set(f.first.id, coder.id, Ratings{7, std::nullopt, 9});
    CHECK(f.last_audit().action == "rate");
    CHECK(f.last_audit().detail == "rater=Coder C attunement_a=7 attunement_b=none safety=9");
    ratings.set(f.first.id, coder.id, Ratings{8, 6, 9});
    const auto back = ratings.get(f.first.id, coder.id);
    REQUIRE(back.has_value());
    CHECK(back->attunement_a == 8);
    CHECK(back->attunement_b == 6);
    CHECK(ratings.for_rater_in_case(f.couple.id, coder.id).size() == 1);
    CHECK_FALSE(SessionRepository(f.db).get(f.first.id)->ratings.attunement_a.has_value());  // the session's own stay
    CHECK(error_of([&] {
              ratings.set(f.first.id, f.couple.clinician_id, Ratings{5, 5, 5});
          }) == "the case clinician's ratings are the session's own: give them when ending the session");
    CHECK(error_of([&] {
              ratings.set(f.first.id, coder.id, Ratings{11, 5, 5});
          }) == "a rating must be between 0 and 10");
}

// [SECTION] Migration

TEST_CASE("a schema-3 practice migrates to the current schema with its data and gains the issue-20 tables",
          "[measures]") {
    test::TempDir dir;
    const auto path = dir / "old.db";
    {
        // Migrations 1-3 exactly as an older Attune wrote them, without encryption.
        SQLite::Database sql(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        for (std::size_t i = 0; i < 3; ++i)
            sql.exec(std::string(migrations()[i]));
        sql.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
        sql.exec("PRAGMA user_version = 3");
        sql.exec("INSERT INTO people (uuid, name, created_at) VALUES ('p', 'Dr Old', 'x')");
        sql.exec("INSERT INTO schemes (name, version, content, created_at) VALUES ('s', 1, '{}', 'x')");
        sql.exec(
            "INSERT INTO cases (uuid, label, clinician_id, start_date, scheme_id, created_at, updated_at) "
            "VALUES ('c', 'Old couple', 1, '2025-01-01', 1, 'x', 'x')");
    }
    store::OpenOptions options;
    options.path = path;
    auto db = Database::open(options);
    CHECK(db->schema_version() == Database::kSchemaVersion);
    for (const char* table : {"measures", "instruments", "change_event_decisions", "session_ratings"})
        CHECK(sql_of(*db).tableExists(table));
    CHECK(CaseRepository(*db).find_by_label("Old couple").has_value());
}
