#include "store/audit_log.h"

#include "store/audit_write.h"
#include "store/sqlite_access.h"

#include "core/sha256.h"

namespace attune::store {

namespace {

// Fields are length-prefixed so that no choice of content can collide with another.
std::string chained_content(const std::string& prev_hash, const AuditEntry& e) {
    std::string out;
    for (const std::string* field : {&prev_hash, &e.at, &e.actor, &e.action, &e.entity, &e.entity_id, &e.detail}) {
        out += std::to_string(field->size());
        out += ':';
        out += *field;
        out += '|';
    }
    return out;
}

constexpr const char* kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

}  // namespace

void append_audit(Database& db, const std::string& action, const std::string& entity,
                  const std::string& entity_id, const std::string& detail) {
    Database::Impl& impl = db.impl();
    SQLite::Statement& last = impl.statement("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1");
    std::string prev = kGenesisHash;
    if (last.executeStep()) prev = last.getColumn(0).getString();
    last.reset();

    AuditEntry entry;
    entry.at = now_utc_iso();
    entry.actor = impl.actor.name;
    entry.actor_uuid = impl.actor.uuid;
    entry.action = action;
    entry.entity = entity;
    entry.entity_id = entity_id;
    entry.detail = detail;
    const std::string hash = sha256_hex(chained_content(prev, entry));
    // Signed in the actor's name; the signature binds the actor's uuid to the row.
    const std::string signature = impl.audit_signer ? impl.audit_signer(hash, entry.actor_uuid) : std::string();

    SQLite::Statement& insert = impl.statement(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, detail, prev_hash, hash, actor_uuid, signature) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, entry.at);
    insert.bind(2, entry.actor);
    insert.bind(3, entry.action);
    insert.bind(4, entry.entity);
    insert.bind(5, entry.entity_id);
    insert.bind(6, entry.detail);
    insert.bind(7, prev);
    insert.bind(8, hash);
    insert.bind(9, entry.actor_uuid);
    insert.bind(10, signature);
    insert.exec();
}

void AuditLog::record(const std::string& action, const std::string& entity, const std::string& entity_id,
                      const std::string& detail) {
    write_transaction(db_, [&](SQLite::Database&) { append_audit(db_, action, entity, entity_id, detail); });
}

namespace {
AuditEntry read_entry(SQLite::Statement& q) {
    AuditEntry e;
    e.id = q.getColumn(0).getInt64();
    e.at = q.getColumn(1).getString();
    e.actor = q.getColumn(2).getString();
    e.action = q.getColumn(3).getString();
    e.entity = q.getColumn(4).getString();
    e.entity_id = q.getColumn(5).getString();
    e.detail = q.getColumn(6).getString();
    e.prev_hash = q.getColumn(7).getString();
    e.hash = q.getColumn(8).getString();
    e.actor_uuid = q.getColumn(9).getString();
    e.signature = q.getColumn(10).getString();
    return e;
}
}  // namespace

std::vector<AuditEntry> AuditLog::list(const AuditFilter& filter) const {
    std::vector<AuditEntry> out;
    try {
        SQLite::Statement& q = db_.impl().statement(
            "SELECT id, at, actor, action, entity, entity_id, detail, prev_hash, hash, actor_uuid, signature "
            "FROM audit_log WHERE (?1 = '' OR action = ?1) AND (?2 = '' OR entity = ?2) AND (?3 = '' OR actor = ?3) "
            "AND (?5 = '' OR substr(at, 1, 10) >= ?5) AND (?6 = '' OR substr(at, 1, 10) <= ?6) "
            "AND (?7 = '' OR instr(lower(detail), lower(?7)) > 0 OR instr(lower(entity_id), lower(?7)) > 0) "
            "ORDER BY id DESC LIMIT ?4");
        q.bind(1, filter.action);
        q.bind(2, filter.entity);
        q.bind(3, filter.actor);
        q.bind(4, filter.limit);
        q.bind(5, filter.from);
        q.bind(6, filter.to);
        q.bind(7, filter.text);
        while (q.executeStep()) out.push_back(read_entry(q));
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the audit log failed");
    }
    return out;
}

namespace {

std::vector<std::string> distinct_values(Database& db, const char* sql) {
    std::vector<std::string> out;
    try {
        SQLite::Statement q(sql_of(db), sql);
        while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the audit log failed");
    }
    return out;
}

}  // namespace

std::vector<std::string> AuditLog::actions() const {
    return distinct_values(db_, "SELECT DISTINCT action FROM audit_log ORDER BY action");
}
std::vector<std::string> AuditLog::actors() const {
    return distinct_values(db_, "SELECT DISTINCT actor FROM audit_log ORDER BY actor");
}
std::vector<std::string> AuditLog::entities() const {
    return distinct_values(db_, "SELECT DISTINCT entity FROM audit_log ORDER BY entity");
}

AuditLog::Reach AuditLog::reach() const {
    Reach reach;
    try {
        SQLite::Statement q(sql_of(db_),
                            "SELECT count(*), coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') "
                            "FROM audit_log");
        if (q.executeStep()) {
            reach.rows = q.getColumn(0).getInt64();
            reach.head = q.getColumn(1).getString();
        }
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the audit log failed");
    }
    return reach;
}

std::optional<std::string> AuditLog::hash_at(std::int64_t position) const {
    if (position < 1) return std::nullopt;
    try {
        SQLite::Statement q(sql_of(db_), "SELECT hash FROM audit_log ORDER BY id LIMIT 1 OFFSET ?");
        q.bind(1, position - 1);
        if (q.executeStep()) return q.getColumn(0).getString();
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the audit log failed");
    }
    return std::nullopt;
}

std::vector<AuditEntry> AuditLog::rows_after(std::int64_t position) const {
    std::vector<AuditEntry> out;
    try {
        SQLite::Statement q(sql_of(db_),
                            "SELECT id, at, actor, action, entity, entity_id, detail, prev_hash, hash, actor_uuid, "
                            "signature FROM audit_log ORDER BY id LIMIT -1 OFFSET ?");
        q.bind(1, position < 0 ? 0 : position);
        while (q.executeStep()) out.push_back(read_entry(q));
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the audit log failed");
    }
    return out;
}

AuditVerification AuditLog::verify(const RowCheck& check_row) const {
    AuditVerification result;
    try {
        SQLite::Statement q(sql_of(db_),
                            "SELECT id, at, actor, action, entity, entity_id, detail, prev_hash, hash, actor_uuid, "
                            "signature FROM audit_log ORDER BY id");
        std::string prev = kGenesisHash;
        while (q.executeStep()) {
            const AuditEntry e = read_entry(q);
            ++result.rows;
            if (e.prev_hash != prev) {
                result.ok = false;
                result.first_broken_id = e.id;
                result.message = "audit row " + std::to_string(e.id) +
                                 " does not follow the row before it (a row was removed or inserted)";
                return result;
            }
            if (sha256_hex(chained_content(prev, e)) != e.hash) {
                result.ok = false;
                result.first_broken_id = e.id;
                result.message = "audit row " + std::to_string(e.id) + " was changed after it was written";
                return result;
            }
            if (check_row) {
                if (std::optional<std::string> problem = check_row(e)) {
                    result.ok = false;
                    result.first_broken_id = e.id;
                    result.message = std::move(*problem);
                    return result;
                }
            }
            prev = e.hash;
        }
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the audit log failed");
    }
    result.message = "audit log intact (" + std::to_string(result.rows) + " rows)";
    return result;
}

}  // namespace attune::store
