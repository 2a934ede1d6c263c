#include "store/bench_probe.h"

#include <sqlcipher/sqlite3.h>

#include <chrono>

#include "store/observation_rows.h"
#include "store/sqlite_access.h"

namespace attune::store {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int count_statement(unsigned /*event*/, void* context, void* /*statement*/, void* /*sql*/) {
    ++*static_cast<std::uint64_t*>(context);
    return 0;
}

}  // namespace

double time_key_derivation(const std::filesystem::path& path, const std::string& passphrase) {
    try {
        const auto start = std::chrono::steady_clock::now();
        SQLite::Database sql(path.string(), SQLite::OPEN_READONLY);
        if (sqlite3_key(sql.getHandle(), passphrase.data(), static_cast<int>(passphrase.size())) != SQLITE_OK)
            throw StoreError(StoreError::Kind::NoEncryption, "SQLCipher refused the key");
        sql.execAndGet("SELECT count(*) FROM sqlite_master");  // the key is derived on the first read
        return seconds_since(start);
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "timing the key derivation");
    }
}

double raw_observation_insert(Database& db, const Observation& o) {
    try {
        SQLite::Statement& insert = db.impl().statement(kInsertObservationSql);
        const auto start = std::chrono::steady_clock::now();
        bind_observation_insert(insert, o, now_utc_iso());
        insert.exec();
        const double seconds = seconds_since(start);
        insert.tryReset();
        return seconds;
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "raw insert");
    }
}

StatementCounter::StatementCounter(Database& db) : db_(db) {
    sqlite3_trace_v2(sql_of(db_).getHandle(), SQLITE_TRACE_STMT, count_statement, &count_);
}

StatementCounter::~StatementCounter() {
    sqlite3_trace_v2(sql_of(db_).getHandle(), 0, nullptr, nullptr);
}

void clear_metrics_cache(Database& db) {
    write_transaction(db, [](SQLite::Database& sql) { sql.exec("DELETE FROM metrics_cache"); });
}

DatabaseSize database_size(Database& db) {
    try {
        SQLite::Database& sql = sql_of(db);
        DatabaseSize size;
        size.cases = sql.execAndGet("SELECT count(*) FROM cases").getInt64();
        size.sessions = sql.execAndGet("SELECT count(*) FROM sessions").getInt64();
        size.observations = sql.execAndGet("SELECT count(*) FROM observations WHERE deleted = 0").getInt64();
        return size;
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "counting rows");
    }
}

}  // namespace attune::store
