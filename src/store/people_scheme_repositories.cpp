// People and coding-scheme repositories.
#include "core/scheme_json.h"
#include "core/uuid.h"
#include "store/audit_write.h"
#include "store/repositories.h"
#include "store/case_rows.h"
#include "store/sqlite_access.h"


namespace attune::store {

// [SECTION] People

namespace {
Person read_person(SQLite::Statement& q) {
    Person p;
    p.id = q.getColumn(0).getInt64();
    p.uuid = q.getColumn(1).getString();
    p.name = q.getColumn(2).getString();
    p.role = parse_person_role(q.getColumn(3).getString()).value_or(PersonRole::Clinician);
    p.public_key = q.getColumn(4).getString();
    return p;
}
constexpr const char* kPersonColumns = "SELECT id, uuid, name, role, public_key FROM people ";
}  // namespace

std::optional<Person> PeopleRepository::find(const std::string& name) const {
    try {
        SQLite::Statement& q = db_.impl().statement(std::string(kPersonColumns) + "WHERE name = ?");
        q.bind(1, name);
        if (q.executeStep()) return read_person(q);
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading people failed");
    }
    return std::nullopt;
}

std::optional<Person> PeopleRepository::get(RowId id) const {
    try {
        SQLite::Statement& q = db_.impl().statement(std::string(kPersonColumns) + "WHERE id = ?");
        q.bind(1, id);
        if (q.executeStep()) return read_person(q);
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading people failed");
    }
    return std::nullopt;
}

std::vector<Person> PeopleRepository::list() const {
    std::vector<Person> out;
    try {
        SQLite::Statement& q = db_.impl().statement(std::string(kPersonColumns) + "ORDER BY name");
        while (q.executeStep()) out.push_back(read_person(q));
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading people failed");
    }
    return out;
}

Person PeopleRepository::create(Person person) {
    if (person.name.empty() || person.name.size() > 200)
        throw StoreError(StoreError::Kind::Invalid, "a person's name must be 1 to 200 characters");
    if (find(person.name)) throw StoreError(StoreError::Kind::Invalid, person.name + " is already a person of this practice");
    if (person.uuid.empty()) person.uuid = new_uuid();
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement insert(sql, kInsertPersonSql);
        bind_person_insert(insert, person, now_utc_iso());
        insert.exec();
        person.id = sql.getLastInsertRowid();
        append_audit(db_, "create", "person", person.uuid,
                     "name=" + person.name + " role=" + std::string(to_string(person.role)));
    });
    return person;
}

std::optional<Person> PeopleRepository::find_by_uuid(const std::string& uuid) const {
    try {
        SQLite::Statement& q = db_.impl().statement(std::string(kPersonColumns) + "WHERE uuid = ?");
        q.bind(1, uuid);
        std::optional<Person> out;
        if (q.executeStep()) out = read_person(q);
        q.reset();
        return out;
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading people failed");
    }
}

Person PeopleRepository::find_or_create(const std::string& name, PersonRole role) {
    if (auto existing = find(name)) return *existing;
    if (name.empty() || name.size() > 200)
        throw StoreError(StoreError::Kind::Invalid, "a person's name must be 1 to 200 characters");
    Person person;
    person.uuid = new_uuid();
    person.name = name;
    person.role = role;
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement insert(sql, kInsertPersonSql);
        bind_person_insert(insert, person, now_utc_iso());
        insert.exec();
        person.id = sql.getLastInsertRowid();
        append_audit(db_, "create", "person", person.uuid, "name=" + name + " role=" + std::string(to_string(role)));
    });
    return person;
}

// [SECTION] Coding schemes


RowId SchemeRepository::ensure(const CodingScheme& scheme) {
    try {
        SQLite::Statement& q = db_.impl().statement("SELECT id FROM schemes WHERE name = ? AND version = ?");
        q.bind(1, scheme.name);
        q.bind(2, scheme.version);
        if (q.executeStep()) return q.getColumn(0).getInt64();
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading coding schemes failed");
    }
    RowId id = 0;
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement insert(sql, "INSERT INTO schemes (name, version, content, created_at) VALUES (?, ?, ?, ?)");
        insert.bind(1, scheme.name);
        insert.bind(2, scheme.version);
        insert.bind(3, scheme_to_json(scheme));
        insert.bind(4, now_utc_iso());
        insert.exec();
        id = sql.getLastInsertRowid();
        append_audit(db_, "create", "scheme", std::to_string(id),
                     scheme.name + " version " + std::to_string(scheme.version));
    });
    return id;
}

CodingScheme SchemeRepository::get(RowId id) const {
    auto& cache = db_.impl().schemes;
    if (auto found = cache.find(id); found != cache.end()) return found->second;
    std::string content;
    try {
        SQLite::Statement& q = db_.impl().statement("SELECT content FROM schemes WHERE id = ?");
        q.bind(1, id);
        if (!q.executeStep())
            throw StoreError(StoreError::Kind::NotFound, "coding scheme " + std::to_string(id) + " is missing");
        content = q.getColumn(0).getString();
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading coding schemes failed");
    }
    CodingScheme scheme;
    try {
        scheme = parse_scheme_json(content);
    } catch (const SchemeFormatError& e) {
        throw StoreError(StoreError::Kind::Io, std::string("the stored coding scheme is damaged: ") + e.what());
    }
    cache[id] = scheme;
    return scheme;
}

std::optional<RowId> SchemeRepository::latest_id() const {
    try {
        SQLite::Statement& q = db_.impl().statement("SELECT id FROM schemes ORDER BY id DESC LIMIT 1");
        if (q.executeStep()) return q.getColumn(0).getInt64();
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading coding schemes failed");
    }
    return std::nullopt;
}

}  // namespace attune::store
