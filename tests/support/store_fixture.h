// store_fixture.h: a practice database opened at the store level, for the
// store's own tests (which link only attune_store): the default coding
// scheme stored and the actor set, as services::OpenPractice would.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlcipher/sqlite3.h>

#include "core/scheme_json.h"
#include "core/sha256.h"
#include "store/repositories.h"
#include "store/schema.h"
#include "support/test_support.h"

#include <filesystem>
#include <memory>
#include <string>

namespace attune::test {

struct StorePractice {
    std::unique_ptr<store::Database> db;
    RowId default_scheme_id = 0;
};

inline CodingScheme default_scheme() { return parse_scheme_json(read_file(assets_dir() / "coding_scheme.json")); }

inline store::OpenOptions store_options(const std::filesystem::path& path, const char* passphrase = "correct horse",
                                        bool create_if_missing = true) {
    store::OpenOptions options;
    options.path = path;
    if (passphrase) options.passphrase = passphrase;
    options.create_if_missing = create_if_missing;
    return options;
}

// Opens the database, stores the default scheme when it has none, and makes
// `user` (created as a clinician when missing) the actor.
inline StorePractice open_store_practice(const store::OpenOptions& options, const std::string& user = "Dr Test") {
    StorePractice practice;
    practice.db = store::Database::open(options);
    store::Database& db = *practice.db;
    Person actor;
    actor.name = user;
    if (db.read_only()) {
        if (auto existing = store::PeopleRepository(db).find(user)) actor = *existing;
        db.set_actor(actor);
        practice.default_scheme_id = store::SchemeRepository(db).latest_id().value_or(0);
        return practice;
    }
    db.set_actor(actor);  // attributes the person's own creation row
    db.set_actor(store::PeopleRepository(db).find_or_create(user));
    store::SchemeRepository schemes(db);
    practice.default_scheme_id = schemes.latest_id().value_or(0);
    if (practice.default_scheme_id == 0) practice.default_scheme_id = schemes.ensure(default_scheme());
    return practice;
}

// A couple's case with only a label and the partners' display names.
inline Case add_couple(store::Database& db, const std::string& label, const std::string& partner_a = "Ana",
                       const std::string& partner_b = "Ben") {
    Case c;
    c.label = label;
    c.partner_a.display_name = partner_a;
    c.partner_b.display_name = partner_b;
    return store::CaseRepository(db).create(c);
}

// Files as an earlier Attune left them, for the tests of later migrations:
// an unencrypted practice at schema `version` (its first `version` migrations
// only) with the default coding scheme stored as scheme 1 at `at`; the test
// adds its own rows.
inline void write_schema_practice(SQLite::Database& sql, int version, const std::string& at) {
    // Migration 13 calls the function Attune's own connection defines (database.cpp); here, on a file
    // with no rows yet, only its name is needed.
    sqlite3_create_function(
        sql.getHandle(), "attune_sha256_uuid", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
        [](sqlite3_context* context, int, sqlite3_value**) { sqlite3_result_null(context); }, nullptr, nullptr);
    for (int i = 0; i < version; ++i)
        sql.exec(std::string(store::migrations()[static_cast<std::size_t>(i)]));
    sql.exec("PRAGMA application_id = " + std::to_string(store::kApplicationId));
    sql.exec("PRAGMA user_version = " + std::to_string(version));
    SQLite::Statement scheme(sql,
                             "INSERT INTO schemes (id, name, version, content, created_at) VALUES (1, ?, ?, ?, ?)");
    const CodingScheme defaults = default_scheme();
    scheme.bind(1, defaults.name);
    scheme.bind(2, defaults.version);
    scheme.bind(3, read_file(assets_dir() / "coding_scheme.json"));
    scheme.bind(4, at);
    scheme.exec();
}

// attune_sha256_uuid(text) as database.cpp defines it: the first 16 bytes of the text's SHA-256, 8-4-4-4-12.
inline std::string sha256_uuid(const std::string& text) {
    const std::string h = sha256_hex(text);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
           h.substr(20, 12);
}

// In such a file: person 1 ('u1', `clinician`) and their case 1 ('c1', `label`, begun 2026-06-01)
// with partners Ana and Ben, each written at `at` (an SQL literal).
inline void write_schema_couple(SQLite::Database& sql, const std::string& clinician, const std::string& label,
                                const std::string& at) {
    SQLite::Statement person(sql, "INSERT INTO people (id, uuid, name, role, created_at) VALUES (1, 'u1', ?, "
                                  "'clinician', " + at + ")");
    person.bind(1, clinician);
    person.exec();
    SQLite::Statement couple(sql, "INSERT INTO cases (id, uuid, label, clinician_id, start_date, scheme_id, "
                                  "created_at, updated_at) VALUES (1, 'c1', ?, 1, '2026-06-01', 1, " + at + ", " +
                                  at + ")");
    couple.bind(1, label);
    couple.exec();
    sql.exec("INSERT INTO participants (case_id, role, display_name) VALUES (1, 'A', 'Ana'), (1, 'B', 'Ben')");
}

// Opens such a file (migrating it to this Attune's schema) with person 1
// (uuid 'u1', `name`) as the actor.
inline std::unique_ptr<store::Database> open_upgraded(const std::filesystem::path& path, const std::string& name) {
    store::OpenOptions options;
    options.path = path;
    std::unique_ptr<store::Database> db = store::Database::open(options);
    Person actor;
    actor.id = 1;
    actor.uuid = "u1";
    actor.name = name;
    db->set_actor(actor);
    return db;
}

}  // namespace attune::test
