// audit_log.h: the append-only, hash-chained audit trail.
// Each row's hash is SHA-256 over the previous row's hash and the row's own
// content, so changing or removing any row breaks the chain from there on.
#pragma once

#include "store/database.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace attune::store {

struct AuditEntry {
    std::int64_t id = 0;
    std::string at;         // ISO 8601 UTC
    std::string actor;      // person's name
    std::string action;     // create, update, delete, export, sign, unlock, unlock_failed, ...
    std::string entity;     // case, session, observation, note, ...
    std::string entity_id;  // uuid or id of the entity
    std::string detail;     // what changed, in words or compact JSON
    std::string prev_hash;
    std::string hash;
};

struct AuditFilter {
    std::string action;  // empty = any
    std::string entity;  // empty = any
    std::string actor;   // empty = any
    int limit = 1000;
    std::string from;  // YYYY-MM-DD, inclusive; empty = from the start
    std::string to;    // YYYY-MM-DD, inclusive; empty = up to now
    std::string text;  // found in the detail or the entity id, ignoring case; empty = any

    // The newest `limit` rows of one action (and record kind).
    static AuditFilter of_action(std::string action, int limit = 1000, std::string entity = {}) {
        AuditFilter filter;
        filter.action = std::move(action);
        filter.entity = std::move(entity);
        filter.limit = limit;
        return filter;
    }
};

struct AuditVerification {
    bool ok = true;
    std::int64_t rows = 0;
    std::optional<std::int64_t> first_broken_id;
    std::string message;  // plain words, e.g. "row 17 was changed after it was written"
};

class AuditLog {
public:
    explicit AuditLog(Database& db) : db_(db) {}
    // Records one event in its own transaction (use inside-transaction helper for writes).
    void record(const std::string& action, const std::string& entity, const std::string& entity_id,
                const std::string& detail);
    // Newest first, at most filter.limit rows.
    std::vector<AuditEntry> list(const AuditFilter& filter = {}) const;
    // The values present in the log, sorted, for the audit view's filters.
    std::vector<std::string> actions() const;
    std::vector<std::string> actors() const;
    std::vector<std::string> entities() const;
    AuditVerification verify() const;

private:
    Database& db_;
};

// SHA-256 of `text` as lower-case hex.
std::string sha256_hex(const std::string& text);

}  // namespace attune::store
