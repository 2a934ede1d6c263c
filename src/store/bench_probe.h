// bench_probe.h: what `attune bench` needs from the store and nothing else
// does: the raw-insert floor, the key-derivation timing, a count of SQL
// statements run (to prove a frame ran none) and emptying the metrics cache
// for a cold measurement. SQL stays in src/store, as everywhere.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/model.h"
#include "store/database.h"

namespace attune::store {

// Wall seconds SQLCipher takes to derive the key and read the first page:
// a read-only connection keyed with `passphrase`, one read. Throws StoreError.
double time_key_derivation(const std::filesystem::path& path, const std::string& passphrase);

// The floor under Attune's logging path: one observation row inserted with a
// prepared SQLiteCpp statement in autocommit (one transaction, one WAL sync
// under the connection's synchronous=FULL), no validation, no audit row.
// Returns the wall seconds of the insert. Throws StoreError.
double raw_observation_insert(Database& db, const Observation& o);

// Counts the SQL statements the connection starts while it is alive (SQLite's
// statement trace); one counter per connection at a time.
class StatementCounter {
public:
    explicit StatementCounter(Database& db);
    ~StatementCounter();
    StatementCounter(const StatementCounter&) = delete;
    StatementCounter& operator=(const StatementCounter&) = delete;
    std::uint64_t count() const { return count_; }

private:
    Database& db_;
    std::uint64_t count_ = 0;
};

// Empties the metrics cache (cold start); not a user action, so no audit row.
void clear_metrics_cache(Database& db);

struct DatabaseSize {
    std::int64_t cases = 0;
    std::int64_t sessions = 0;
    std::int64_t observations = 0;  // not deleted
};
DatabaseSize database_size(Database& db);

}  // namespace attune::store
