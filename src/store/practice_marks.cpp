#include "store/practice_marks.h"

#include "store/audit_write.h"
#include "store/sqlite_access.h"

namespace attune::store {
namespace {

constexpr const char* kDemoKey = "demo_practice";
constexpr const char* kDemoValue = "invented couples";

}  // namespace

bool is_demo_practice(Database& db) {
    try {
        SQLite::Statement& q = db.impl().statement("SELECT value FROM settings WHERE key = ?");
        q.bind(1, kDemoKey);
        const bool demo = q.executeStep() && q.getColumn(0).getString() == kDemoValue;
        q.reset();
        return demo;
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading whether the practice is a demo failed");
    }
}

void mark_demo_practice(Database& db) {
    write_transaction(db, [&](SQLite::Database& sql) {
        SQLite::Statement upsert(sql, "INSERT INTO settings (key, value) VALUES (?, ?) "
                                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        upsert.bind(1, kDemoKey);
        upsert.bind(2, kDemoValue);
        upsert.exec();
        append_audit(db, "update", "settings", kDemoKey, kDemoValue);
    });
}

}  // namespace attune::store
