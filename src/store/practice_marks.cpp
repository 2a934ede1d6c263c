#include "store/practice_marks.h"

#include "store/audit_write.h"
#include "store/sqlite_access.h"

namespace attune::store {
namespace {

constexpr const char* kDemoKey = "demo_practice";
constexpr const char* kDemoValue = "invented couples";

}  // namespace

std::optional<std::string> read_practice_setting(Database& db, const std::string& key) {
    try {
        SQLite::Statement& q = db.impl().statement("SELECT value FROM settings WHERE key = ?");
        q.bind(1, key);
        std::optional<std::string> value;
        if (q.executeStep()) value = q.getColumn(0).getString();
        q.reset();
        return value;
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the practice's setting " + key + " failed");
    }
}

void write_practice_setting(Database& db, const std::string& key, const std::string& value) {
    write_transaction(db, [&](SQLite::Database& sql) {
        SQLite::Statement upsert(sql, "INSERT INTO settings (key, value) VALUES (?, ?) "
                                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        upsert.bind(1, key);
        upsert.bind(2, value);
        upsert.exec();
        append_audit(db, "update", "settings", key, value);
    });
}

bool is_demo_practice(Database& db) {
    return read_practice_setting(db, kDemoKey) == std::optional<std::string>(kDemoValue);
}

void mark_demo_practice(Database& db) {
    write_practice_setting(db, kDemoKey, kDemoValue);
}

}  // namespace attune::store
