// A hostile bundle's schema (issue 17 item 8): whoever writes a bundle writes
// its schema too. A trigger, a view, an extra table, an index of its own or a
// column too many is refused with one sentence naming it, before a row is
// read, and nothing is imported; the sender's seal is made again by the
// attacker, so only the schema check stands in the way. A bundle that says
// its people are administrators gives nobody a role.
#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch_test_macros.hpp>
#include <string>

#include "attack_fixture.h"
#include "core/crypto.h"
#include "services/bundles.h"
#include "services/cases.h"
#include "services/excerpts.h"
#include "services/supervision.h"
#include "services/measures.h"
#include "services/recordings.h"
#include "support/practice_fixture.h"
#include "store/bundle_internal.h"
#include "support/test_support.h"

using namespace attune;

namespace {

const std::string kBundlePassphrase = "hostile bundle passphrase";

// Couple A as Dr Test exports it, then changed by `sql` and sealed again by
// the attacker with her own key (a sender this practice does not know, which
// an import accepts and reports).
std::filesystem::path hostile_bundle(const test::AttackedPractice& source, const std::string& sql) {
    const auto bundle = source.dir / "hostile.attune";
    {
        auto practice = source.open_as_admin();
        BundleSelection selection;
        selection.case_label = "Couple A";
        services::export_bundle(*practice, selection, bundle, services::KeyMaterial(kBundlePassphrase));
    }
    {
        SQLite::Database file(bundle.string(), SQLite::OPEN_READWRITE);
        file.exec("PRAGMA key = '" + kBundlePassphrase + "'");
        file.exec(sql);
    }
    const crypto::SigningKeyPair attacker = crypto::generate_signing_keypair();
    SQLite::Database sql_on(":memory:", SQLite::OPEN_READWRITE);
    sql_on.exec("ATTACH DATABASE '" + bundle.string() + "' AS bundle KEY '" + kBundlePassphrase + "'");
    sql_on.exec("UPDATE bundle.info SET value = 'Mallory' WHERE key = 'sender_name'");
    SQLite::Statement key(sql_on, "UPDATE bundle.info SET value = ? WHERE key = 'sender_key'");
    key.bind(1, crypto::to_hex(attacker.public_key));
    REQUIRE(key.exec() == 1);
    const std::string hash = store::bundle_detail::bundle_content_sha256(sql_on);
    SQLite::Statement seal(sql_on, "UPDATE bundle.info SET value = ? WHERE key = 'sender_signature'");
    seal.bind(1, crypto::to_hex(crypto::sign(*crypto::from_hex(hash), attacker.secret_key)));
    REQUIRE(seal.exec() == 1);
    return bundle;
}

// Imports `bundle` into an empty practice elsewhere (and, first, previews it):
// the message of the refusal, or "imported".
std::string import_elsewhere(const std::filesystem::path& bundle, bool& nothing_imported) {
    test::TempDir elsewhere;
    auto target = test::new_practice(elsewhere / "target.db");
    std::string message;
    try {
        services::preview_bundle_import(*target, bundle, services::KeyMaterial(kBundlePassphrase));
        message = "previewed, not imported";
        services::import_bundle(*target, bundle, services::KeyMaterial(kBundlePassphrase));
        message = "imported";
    } catch (const Error& e) {
        message = e.what();
    }
    nothing_imported = services::list_cases(*target).empty();
    return message;
}

}  // namespace

TEST_CASE("a sealed bundle whose changes are only the attacker's seal imports (the control of the cases below)",
          "[attacks][bundle]") {
    test::AttackedPractice source;
    bool nothing_imported = true;
    CHECK(import_elsewhere(hostile_bundle(source, "SELECT 1"), nothing_imported) == "imported");
    CHECK_FALSE(nothing_imported);
}

TEST_CASE("a bundle holding a trigger is refused naming it, and nothing is imported", "[attacks][bundle]") {
    test::AttackedPractice source;
    bool nothing_imported = false;
    const auto bundle = hostile_bundle(
        source, "CREATE TRIGGER wipe_cases AFTER INSERT ON review_comments BEGIN DELETE FROM cases; END");
    CHECK(import_elsewhere(bundle, nothing_imported) ==
          "hostile.attune holds a trigger 'wipe_cases', which Attune's bundles never have: nothing was imported");
    CHECK(nothing_imported);
}

TEST_CASE("a bundle holding a view is refused naming it, and nothing is imported", "[attacks][bundle]") {
    test::AttackedPractice source;
    bool nothing_imported = false;
    const auto bundle = hostile_bundle(source, "CREATE VIEW every_case AS SELECT * FROM cases");
    CHECK(import_elsewhere(bundle, nothing_imported) ==
          "hostile.attune holds a view 'every_case', which Attune's bundles never have: nothing was imported");
    CHECK(nothing_imported);
}

TEST_CASE("a table in place of one of the bundle's tables cannot hide behind a view's name", "[attacks][bundle]") {
    test::AttackedPractice source;
    bool nothing_imported = false;
    const auto bundle = hostile_bundle(source,
                                       "CREATE TABLE real_homework AS SELECT * FROM homework; DROP TABLE homework; "
                                       "CREATE VIEW homework AS SELECT * FROM real_homework");
    // Objects are named in the order of their names: the view before the table.
    CHECK(import_elsewhere(bundle, nothing_imported) ==
          "hostile.attune holds a view 'homework', which Attune's bundles never have: nothing was imported");
    CHECK(nothing_imported);
}

TEST_CASE("a bundle holding an extra table is refused naming it, and nothing is imported", "[attacks][bundle]") {
    test::AttackedPractice source;
    bool nothing_imported = false;
    const auto bundle = hostile_bundle(source, "CREATE TABLE payload (x TEXT); INSERT INTO payload VALUES ('x')");
    CHECK(import_elsewhere(bundle, nothing_imported) ==
          "hostile.attune holds an extra table 'payload', which Attune's bundles never have: nothing was imported");
    CHECK(nothing_imported);
}

TEST_CASE("a bundle holding an index with an expression is refused naming it", "[attacks][bundle]") {
    test::AttackedPractice source;
    bool nothing_imported = false;
    const auto bundle = hostile_bundle(source, "CREATE INDEX cases_by_lower_label ON cases (lower(label))");
    CHECK(import_elsewhere(bundle, nothing_imported) ==
          "hostile.attune holds an index 'cases_by_lower_label', which Attune's bundles never have: nothing was "
          "imported");
    CHECK(nothing_imported);
}

TEST_CASE("a bundle with a column too many is refused naming the column and its table", "[attacks][bundle]") {
    test::AttackedPractice source;
    bool nothing_imported = false;
    const auto bundle = hostile_bundle(source, "ALTER TABLE people ADD COLUMN is_admin INTEGER DEFAULT 1");
    CHECK(import_elsewhere(bundle, nothing_imported) ==
          "hostile.attune has a column 'is_admin' in its table 'people', which Attune's bundles never have: nothing "
          "was imported");
    CHECK(nothing_imported);
}

TEST_CASE("a bundle whose table has a default Attune never writes is refused", "[attacks][bundle]") {
    test::AttackedPractice source;
    bool nothing_imported = false;
    const auto bundle = hostile_bundle(source,
                                       "CREATE TABLE addenda2 (session_uuid TEXT NOT NULL, author_name TEXT NOT NULL, "
                                       "created_at TEXT NOT NULL DEFAULT (datetime('now')), body TEXT NOT NULL); "
                                       "DROP TABLE addenda; ALTER TABLE addenda2 RENAME TO addenda");
    CHECK(import_elsewhere(bundle, nothing_imported) ==
          "hostile.attune defines its table 'addenda' differently (types, keys, constraints or defaults), which "
          "Attune's bundles never have: nothing was imported");
    CHECK(nothing_imported);
}

TEST_CASE("a bundle that says its people are administrators gives nobody a role", "[attacks][bundle]") {
    test::AttackedPractice target;
    const std::string mallory_uuid = "6f0c1a52-2b7e-4c3d-9a10-5e8f7d6c4b3a";
    const auto bundle = hostile_bundle(target, "UPDATE people SET role = 'administrator'; "
                                               "INSERT INTO people (uuid, name, role) VALUES ('" + target.coder.uuid +
                                                   "', 'Coder C', 'administrator'), ('" + mallory_uuid +
                                                   "', 'Mallory', 'administrator')");
    auto practice = target.open_as_admin();
    const BundleImportReport preview =
        services::preview_bundle_import(*practice, bundle, services::KeyMaterial(kBundlePassphrase));
    CHECK(preview.people_created == 1);    // Mallory; Dr Test, Dr Super (co-signer) and Coder C are here
    CHECK(preview.people_in_bundle == 4);
    services::import_bundle(*practice, bundle, services::KeyMaterial(kBundlePassphrase));

    const auto entry = [&](const std::string& name) {
        for (const services::PersonEntry& e : services::list_people(*practice))
            if (e.person.name == name) return e;
        FAIL("no person " << name);
        return services::PersonEntry{};
    };
    const services::PersonEntry mallory = entry("Mallory");
    CHECK(mallory.person.uuid == mallory_uuid);
    CHECK(mallory.person.role == PersonRole::Coder);  // the least role
    CHECK(mallory.roles.empty());
    CHECK_FALSE(practice->trust().holds(mallory_uuid, GrantRole::Administrator));
    const services::PersonEntry coder = entry("Coder C");
    CHECK(coder.person.role == PersonRole::Coder);
    CHECK(coder.roles == std::set<GrantRole>{GrantRole::Coder});
    const services::PersonEntry admin = entry("Dr Test");
    CHECK(admin.roles.count(GrantRole::Administrator) == 1);
}

// Couple-reported measures (bundle format 6): a measure must be valid for its
// instrument and an instrument file a valid one, under an id of its own, or
// nothing is imported.
TEST_CASE("a bundle's measure out of its instrument's range, or an instrument file under a shipped id, imports "
          "nothing",
          "[attacks][bundle][measures]") {
    test::AttackedPractice source;
    const std::string measure =
        "INSERT INTO measures VALUES ('9d6c2f52-0000-4000-8000-00000000000a', (SELECT uuid FROM cases), 'A', "
        "'csi4', '2026-03-01', NULL, '[99,1,1,1]', NULL, (SELECT clinician_name FROM cases), '2026-03-01T10:00:00Z', "
        "'2026-03-01T10:00:00Z')";
    bool nothing_imported = false;
    CHECK(import_elsewhere(hostile_bundle(source, measure), nothing_imported) ==
          "hostile.attune: the measure 9d6c2f52-0000-4000-8000-00000000000a of case Couple A is not valid: item 1 is "
          "99; it takes 0-6: nothing was imported");
    CHECK(nothing_imported);

    const std::string unknown =
        "INSERT INTO measures VALUES ('9d6c2f52-0000-4000-8000-00000000000b', (SELECT uuid FROM cases), 'B', "
        "'nowhere', '2026-03-01', NULL, NULL, 12, (SELECT clinician_name FROM cases), '2026-03-01T10:00:00Z', "
        "'2026-03-01T10:00:00Z')";
    CHECK(import_elsewhere(hostile_bundle(source, unknown), nothing_imported) ==
          "hostile.attune: the measure 9d6c2f52-0000-4000-8000-00000000000b of case Couple A is of an instrument "
          "'nowhere' this practice does not have and the bundle does not bring: nothing was imported");
    CHECK(nothing_imported);

    std::string csi4;
    for (const char c : test::read_file(test::assets_dir() / "instruments" / "csi4.json"))
        csi4 += c == '\'' ? std::string("''") : std::string(1, c);
    const std::string shipped = "INSERT INTO instruments VALUES ('csi4', '" + csi4 + "')";
    CHECK(import_elsewhere(hostile_bundle(source, shipped), nothing_imported) ==
          "hostile.attune holds an instrument file 'csi4' under a shipped instrument's id: nothing was imported");
    CHECK(nothing_imported);

    const std::string broken = "INSERT INTO instruments VALUES ('own_scale', '{\"format\": \"attune-instrument\", "
                               "\"format_version\": 1, \"id\": \"own_scale\"}')";
    CHECK(import_elsewhere(hostile_bundle(source, broken), nothing_imported) ==
          "hostile.attune holds an instrument file 'own_scale' that is not valid (name: missing): nothing was "
          "imported");
    CHECK(nothing_imported);
}

TEST_CASE("a bundle's removal or change of a measure reaches no measure of another case, whatever uuid it names",
          "[attacks][bundle][measures]") {
    test::AttackedPractice source;
    test::TempDir elsewhere;
    auto target = test::new_practice(elsewhere / "target.db");
    const Case other = test::add_couple(*target, "Couple Z");
    Measure kept;
    kept.case_id = other.id;
    kept.partner = Who::A;
    kept.instrument_id = "ors";
    kept.date = "2026-03-01";
    kept.entered_total = 30;
    kept = services::add_measure(*target, kept);
    // Both name Couple A's uuid with the uuid of Couple Z's measure here, and a later time.
    const std::string hostile =
        "INSERT INTO removed_measures VALUES ('" + kept.uuid + "', (SELECT uuid FROM cases), '2099-01-01T00:00:00Z'); "
        "INSERT INTO measures VALUES ('" + kept.uuid + "', (SELECT uuid FROM cases), 'A', 'ors', '2026-03-01', NULL, "
        "NULL, 1, (SELECT clinician_name FROM cases), '2099-01-01T00:00:00Z', '2099-01-01T00:00:00Z')";
    const auto bundle = hostile_bundle(source, hostile);
    services::import_bundle(*target, bundle, services::KeyMaterial(kBundlePassphrase));
    const std::vector<Measure> after = services::list_measures(*target, other.id);
    REQUIRE(after.size() == 1);
    CHECK(after[0].uuid == kept.uuid);
    CHECK(after[0].entered_total == std::optional<double>(30));
}

TEST_CASE("a bundle's removal or edit of a comment reaches no comment of another session, whatever uuid it names",
          "[attacks][bundle][comments]") {
    test::AttackedPractice source;
    test::TempDir elsewhere;
    auto target = test::new_practice(elsewhere / "target.db");
    const Case other = test::add_couple(*target, "Couple Z");
    const Session session = services::start_session(*target, other.id, "2026-03-01");
    const ReviewComment kept = services::add_comment(*target, session.id, 12, "kept as written");
    std::string uuid;
    {
        // The comment's uuid, as a bundle of Couple Z would carry it.
        BundleSelection selection;
        selection.case_label = "Couple Z";
        services::export_bundle(*target, selection, elsewhere / "z.attune", services::KeyMaterial(kBundlePassphrase));
        SQLite::Database file((elsewhere / "z.attune").string(), SQLite::OPEN_READONLY);
        file.exec("PRAGMA key = '" + kBundlePassphrase + "'");
        uuid = file.execAndGet("SELECT uuid FROM review_comments").getString();
    }
    REQUIRE(uuid.size() == 36);
    // Both name Couple A's session with the uuid of Couple Z's comment here, its author, and a later time.
    const std::string hostile =
        "INSERT INTO removed_comments VALUES ('" + uuid + "', (SELECT uuid FROM sessions LIMIT 1), "
        "'2099-01-01T00:00:00Z'); "
        "INSERT INTO review_comments VALUES ('" + uuid + "', (SELECT uuid FROM sessions LIMIT 1), '" + kept.author_name +
        "', 1, 'forged', '2099-01-01T00:00:00Z', '2099-01-01T00:00:00Z')";
    services::import_bundle(*target, hostile_bundle(source, hostile), services::KeyMaterial(kBundlePassphrase));
    const std::vector<ReviewComment> after = services::list_comments(*target, session.id);
    REQUIRE(after.size() == 1);
    CHECK(after[0].id == kept.id);
    CHECK(after[0].text == "kept as written");
    CHECK(after[0].t == 12);
}

TEST_CASE("a bundle's ratings or change-event decisions Attune never writes import nothing; the clinician named a "
          "second rater is not imported",
          "[attacks][bundle][icc][change-events]") {
    test::AttackedPractice source;
    const std::string session = "(SELECT uuid FROM sessions LIMIT 1)";
    const auto rating = [&](const std::string& rater, const std::string& values) {
        return "INSERT INTO session_ratings VALUES (" + session + ", '" + rater + "', " + values +
               ", '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z')";
    };
    bool nothing_imported = false;
    CHECK(import_elsewhere(hostile_bundle(source, rating("Dr Super", "7, 11, 5")), nothing_imported) ==
          "hostile.attune: the ratings by Dr Super hold a rating that is not a whole number from 0 to 10: nothing was "
          "imported");
    CHECK(nothing_imported);
    CHECK(import_elsewhere(hostile_bundle(source, rating("Dr Super", "7, 2.5, 5")), nothing_imported) ==
          "hostile.attune: the ratings by Dr Super hold a rating that is not a whole number from 0 to 10: nothing was "
          "imported");
    CHECK(nothing_imported);
    CHECK(import_elsewhere(hostile_bundle(source, rating("Nobody Known", "7, 6, 5")), nothing_imported) ==
          "hostile.attune: the ratings by Nobody Known name a rater the bundle does not name: nothing was imported");
    CHECK(nothing_imported);
    const auto decision = [&](const std::string& key, const std::string& value) {
        return "INSERT INTO change_event_decisions VALUES (" + session + ", '" + key + "', '" + value +
               "', 'Dr Test', '2026-11-01T10:00:00Z')";
    };
    CHECK(import_elsewhere(hostile_bundle(source, decision("k1", "maybe")), nothing_imported) ==
          "hostile.attune: a change-event decision by Dr Test is neither confirmed nor rejected: nothing was imported");
    CHECK(nothing_imported);
    CHECK(import_elsewhere(hostile_bundle(source, decision(std::string(201, 'k'), "confirmed")), nothing_imported) ==
          "hostile.attune: a change-event decision by Dr Test has a candidate key that is not 1-200 characters: "
          "nothing was imported");
    CHECK(nothing_imported);

    // The case's own clinician named a second rater: the session's own ratings stay the only ones of theirs.
    test::TempDir elsewhere;
    auto target = test::new_practice(elsewhere / "target.db");
    const BundleImportReport report = services::import_bundle(
        *target, hostile_bundle(source, rating("Dr Test", "1, 1, 1")), services::KeyMaterial(kBundlePassphrase));
    CHECK(report.created.ratings == 0);
    CHECK(report.conflicted.ratings == 1);
    REQUIRE(report.conflicts.size() == 1);
    CHECK(report.conflicts[0] ==
          "case Couple A session 1: the bundle names Dr Test a second rater, but they are the case's clinician here: "
          "their ratings are the session's own; not imported");
    const Case there = services::find_case(*target, "Couple A");
    const Session one = services::find_session(*target, there, 1);
    const auto own = services::ratings_by(*target, one.id, there.clinician_id);
    REQUIRE(own.has_value());
    CHECK(own->attunement_a == 6);
}

TEST_CASE("a bundle's pauses Attune never writes import nothing; one arriving for a session signed here, or "
          "differing from the one here, is reported and changes nothing",
          "[attacks][bundle][pauses]") {
    test::AttackedPractice source;
    const auto pause = [](const std::string& uuid, const std::string& values) {
        return "INSERT INTO session_pauses VALUES ('" + uuid + "', (SELECT uuid FROM sessions ORDER BY number LIMIT "
               "1), " + values + ", '2026-11-01T10:00:00Z')";
    };
    const std::string uuid = "5d2b6a1e-0c4f-4e8a-9b7d-3f1e2d4c6a80";
    bool nothing_imported = false;
    for (const char* values : {"-1, 30, NULL, 'live'", "60, -30, NULL, 'live'", "'sixty', 30, NULL, 'live'",
                               "60, 1e12, NULL, 'live'"}) {
        CAPTURE(values);
        const std::string message = import_elsewhere(hostile_bundle(source, pause(uuid, values)), nothing_imported);
        CHECK(message.rfind("hostile.attune: a pause of session ", 0) == 0);
        CHECK(message.find(" does not begin at, or last, a number of seconds from 0 on: nothing was imported") !=
              std::string::npos);
        CHECK(nothing_imported);
    }
    for (const auto& [id, values] : {std::pair{uuid, "60, 30, NULL, 'forged'"}, {uuid, "60, 30, 'noon', 'live'"},
                                     {std::string("x"), "60, 30, NULL, 'live'"},
                                     {std::string("5D2B6A1E-0C4F-4E8A-9B7D-3F1E2D4C6A80"), "60, 30, NULL, 'live'"},
                                     {std::string("5d2b6a1e-0c4f-4e8a-9b7d-3f1e2d4c6a8g"), "60, 30, NULL, 'live'"}}) {
        CAPTURE(id, values);
        const std::string message = import_elsewhere(hostile_bundle(source, pause(id, values)), nothing_imported);
        CHECK(message.find(" holds a start, an origin or an identity Attune never writes: nothing was imported") !=
              std::string::npos);
        CHECK(nothing_imported);
    }
    CHECK(import_elsewhere(hostile_bundle(source, pause(uuid, "60, 30, NULL, 'entered'")), nothing_imported) ==
          "imported");

    // Here session 1 arrives signed with one pause; a later bundle brings another, and that one changed.
    const std::string other = "0f9e8d7c-6b5a-4948-b7a6-958473625140";
    test::TempDir elsewhere;
    auto target = test::new_practice(elsewhere / "target.db");
    services::import_bundle(*target, hostile_bundle(source, pause(other, "10, 5, NULL, 'entered'")),
                            services::KeyMaterial(kBundlePassphrase));
    const Case there = services::find_case(*target, "Couple A");
    const Session one = services::find_session(*target, there, 1);
    REQUIRE(services::is_signed(*target, one.id));
    REQUIRE(services::session_pauses(*target, one.id).size() == 1);
    const BundleImportReport report = services::import_bundle(
        *target, hostile_bundle(source, pause(uuid, "60, 30, NULL, 'entered'") + "; " + pause(other, "10, 6, NULL, "
                                                                                                "'entered'")),
        services::KeyMaterial(kBundlePassphrase));
    CHECK(report.created.pauses == 0);
    CHECK(report.conflicted.pauses == 2);
    REQUIRE(report.conflicts.size() == 2);
    CHECK(report.conflicts[0] == "case Couple A session 1: the pause of the clock at 60.0 s arrived after the session "
                                 "was signed here, whose clock is sealed: not added");
    CHECK(report.conflicts[1] == "case Couple A session 1: the pause of the clock at 10.0 s differs from the one "
                                 "here: kept as here");
    const std::vector<PauseRecord> after = services::session_pauses(*target, one.id);
    REQUIRE(after.size() == 1);
    CHECK(after[0].session_seconds == 10);
    CHECK(after[0].wall_seconds == std::optional<double>(5));
}

TEST_CASE("a bundle's recordings or excerpts Attune never writes import nothing; another recording for a session, or "
          "one differing from the one here, is reported and changes nothing",
          "[attacks][bundle][recordings]") {
    test::AttackedPractice source;
    const std::string sha_a(64, 'a'), sha_b(64, 'b');
    const std::string rec_a = "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", rec_b = "7b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e";
    const auto recording = [](const std::string& uuid, const std::string& sha, const std::string& values) {
        return "INSERT INTO recordings VALUES ('" + uuid + "', (SELECT uuid FROM sessions ORDER BY number LIMIT 1), '" +
               sha + "', " + values + ", '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z')";
    };
    const std::string fine = "600, 1, 2.5, 'session.mp4', 1000";
    const auto excerpt = [](const std::string& uuid, const std::string& rec, const std::string& values) {
        return "INSERT INTO excerpts VALUES ('" + uuid + "', '" + rec + "', " + values + ", '2026-11-01T10:00:00Z')";
    };
    const std::string ex = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
    bool nothing_imported = false;
    const std::string refused = ": nothing was imported";
    for (const auto& [sql, says] : std::initializer_list<std::pair<std::string, std::string>>{
             {recording(rec_a, std::string(63, 'a'), fine), "holds an identity, a length, a size or an offset"},
             {recording(rec_a, std::string(64, 'A'), fine), "holds an identity, a length, a size or an offset"},
             {recording("x", sha_a, fine), "holds an identity, a length, a size or an offset"},
             {recording(rec_a, sha_a, "-1, 1, 2.5, 'session.mp4', 1000"), "a length, a size or an offset"},
             {recording(rec_a, sha_a, "'long', 1, 2.5, 'session.mp4', 1000"), "a length, a size or an offset"},
             {recording(rec_a, sha_a, "600, 2, 2.5, 'session.mp4', 1000"), "a length, a size or an offset"},
             {recording(rec_a, sha_a, "600, 1, 1e12, 'session.mp4', 1000"), "a length, a size or an offset"},
             {recording(rec_a, sha_a, "600, 1, 2.5, 'session.mp4', -5"), "a length, a size or an offset"},
             {recording(rec_a, sha_a, "600, 1, 2.5, '../../home/x/session.mp4', 1000"), "holds a file name or a time"},
             {recording(rec_a, sha_a, fine) + "; " + recording(rec_b, sha_b, fine),
              "is one of two the bundle names for it (a session has one)"},
             {recording(rec_a, sha_a, fine) + "; " + excerpt(ex, rec_a, "'Reach', 4, 1, 3, 'Dr Test'"),
              "holds an identity, a name or a stage"},
             {recording(rec_a, sha_a, fine) + "; " + excerpt(ex, rec_a, "'   ', 1, 1, 3, 'Dr Test'"),
              "holds an identity, a name or a stage"},
             {recording(rec_a, sha_a, fine) + "; " + excerpt(ex, rec_a, "'Reach', 1, 3, 3, 'Dr Test'"),
              "does not start at, or stop after its start at, a number of seconds from 0 on"},
             {recording(rec_a, sha_a, fine) + "; " + excerpt(ex, rec_a, "'Reach', 1, 590, 601, 'Dr Test'"),
              "ends after the recording's end"},
             {recording(rec_a, sha_a, fine) + "; " + excerpt(ex, rec_a, "'Reach', 1, 1, 3, 'Nobody Known'"),
              "names a person the bundle does not name"}}) {
        CAPTURE(sql);
        const std::string message = import_elsewhere(hostile_bundle(source, sql), nothing_imported);
        CAPTURE(message);
        CHECK(message.rfind("hostile.attune: ", 0) == 0);
        CHECK(message.find(says) != std::string::npos);
        CHECK(message.find(refused) == message.size() - refused.size());
        CHECK(nothing_imported);
    }
    CHECK(import_elsewhere(hostile_bundle(source, recording(rec_a, sha_a, fine) + "; " +
                                                      excerpt(ex, rec_a, "'Reach', 1, 1, 3, 'Dr Test'")),
                           nothing_imported) == "imported");

    // Here session 1 has recording A; a later bundle brings another recording (B) for it with an excerpt,
    // and A with another SHA-256.
    test::TempDir elsewhere;
    auto target = test::new_practice(elsewhere / "target.db");
    services::import_bundle(*target, hostile_bundle(source, recording(rec_a, sha_a, fine)),
                            services::KeyMaterial(kBundlePassphrase));
    const Case there = services::find_case(*target, "Couple A");
    const Session one = services::find_session(*target, there, 1);
    const BundleImportReport other = services::import_bundle(
        *target, hostile_bundle(source, recording(rec_b, sha_b, fine) + "; " +
                                            excerpt(ex, rec_b, "'Reach', 1, 1, 3, 'Dr Test'")),
        services::KeyMaterial(kBundlePassphrase));
    CHECK(other.created.recordings == 0);
    CHECK(other.created.excerpts == 0);
    CHECK(other.conflicted.recordings == 1);
    CHECK(other.conflicted.excerpts == 1);
    REQUIRE(other.conflicts.size() == 2);
    CHECK(other.conflicts[0] == "case Couple A session 1: the recording session.mp4 (SHA-256 " + sha_b +
                                    ") is not the one linked here (SHA-256 " + sha_a + "): kept as here");
    CHECK(other.conflicts[1] ==
          "case Couple A session 1: the excerpt Reach belongs to a recording this copy does not link: not added");
    const BundleImportReport changed = services::import_bundle(
        *target, hostile_bundle(source, recording(rec_a, sha_b, fine)), services::KeyMaterial(kBundlePassphrase));
    CHECK(changed.updated.recordings == 0);
    REQUIRE(changed.conflicts.size() == 1);
    CHECK(changed.conflicts[0] == "case Couple A session 1: the recording session.mp4 differs from the one here in "
                                  "what identifies its file: kept as here");
    const Recording kept = services::session_recording(*target, one.id).value();
    CHECK(kept.uuid == rec_a);
    CHECK(kept.sha256 == sha_a);
    CHECK(services::list_excerpts(*target, there.id).empty());
}
