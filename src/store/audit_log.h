// audit_log.h: the append-only, hash-chained audit trail.
// Each row's hash is SHA-256 over the previous row's hash and the row's own
// content, so changing or removing any row breaks the chain from there on.
#pragma once

#include "core/sha256.h"
#include "core/records.h"
#include "store/database.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace attune::store {

using attune::AuditEntry;
using attune::AuditFilter;
using attune::AuditVerification;

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
    // Walks the chain from its first row; `check_row`, when given, is asked
    // about each row whose hash holds (the services check signatures with it)
    // and the first sentence it returns ends the walk as a failure.
    using RowCheck = std::function<std::optional<std::string>(const AuditEntry&)>;
    AuditVerification verify(const RowCheck& check_row = {}) const;

    // How far the chain reaches: its number of rows and the last row's hash
    // (empty when there is none). What an audit checkpoint records.
    struct Reach {
        std::int64_t rows = 0;
        std::string head;
    };
    Reach reach() const;
    // The hash of row number `position` in chain order (counted from 1), or
    // nullopt when the chain is shorter.
    std::optional<std::string> hash_at(std::int64_t position) const;
    // The rows after the first `position` rows, oldest first (what a restore
    // to a chain of that length leaves out).
    std::vector<AuditEntry> rows_after(std::int64_t position) const;

private:
    Database& db_;
};

}  // namespace attune::store
