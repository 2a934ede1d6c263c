// session_pauses.cpp: the live clock's pauses (DOMAIN.md, "Recordings").
#include <algorithm>
#include <cmath>

#include "core/uuid.h"
#include "store/audit_write.h"
#include "store/pause_rows.h"
#include "store/repositories.h"
#include "store/sqlite_access.h"

namespace attune::store {

void open_pause(SQLite::Database& sql, RowId session_id, double session_seconds, double began_at, PauseOrigin origin) {
    SQLite::Statement open(sql, "SELECT 1 FROM session_pauses WHERE session_id = ? AND wall_seconds IS NULL");
    open.bind(1, session_id);
    if (open.executeStep()) return;
    SQLite::Statement insert(sql,
                             "INSERT INTO session_pauses (session_id, session_seconds, began_at, origin, "
                             "created_at, uuid) VALUES (?, ?, ?, ?, ?, ?)");
    insert.bind(1, session_id);
    insert.bind(2, std::max(0.0, session_seconds));
    insert.bind(3, began_at);
    insert.bind(4, std::string(to_string(origin)));
    insert.bind(5, now_utc_iso());
    insert.bind(6, new_uuid());
    insert.exec();
}

void close_open_pause(SQLite::Database& sql, RowId session_id, double wall_now) {
    SQLite::Statement close(sql,
                            "UPDATE session_pauses SET wall_seconds = max(0.0, ?1 - began_at) "
                            "WHERE session_id = ?2 AND wall_seconds IS NULL");
    close.bind(1, wall_now);
    close.bind(2, session_id);
    close.exec();
}

std::vector<PauseRecord> SessionRepository::pauses(RowId session_id) const {
    std::vector<PauseRecord> out;
    try {
        SQLite::Statement& q = db_.impl().statement(
            "SELECT id, session_seconds, wall_seconds, began_at, origin FROM session_pauses WHERE session_id = ? "
            "ORDER BY session_seconds, id");
        q.bind(1, session_id);
        while (q.executeStep()) {
            PauseRecord p;
            p.id = q.getColumn(0).getInt64();
            p.session_seconds = q.getColumn(1).getDouble();
            p.wall_seconds = optional_double(q.getColumn(2));
            p.began_at = optional_double(q.getColumn(3));
            p.origin = parse_pause_origin(q.getColumn(4).getString()).value_or(PauseOrigin::Live);
            out.push_back(p);
        }
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the session's pauses failed");
    }
    return out;
}

PauseRecord SessionRepository::add_pause(RowId session_id, double session_seconds, double wall_seconds) {
    if (!std::isfinite(session_seconds) || session_seconds < 0)
        throw StoreError(StoreError::Kind::Invalid, "a pause begins at a session second of 0 or more");
    if (!std::isfinite(wall_seconds) || wall_seconds < 0)
        throw StoreError(StoreError::Kind::Invalid, "a pause lasts 0 seconds or more");
    PauseRecord p;
    p.session_seconds = session_seconds;
    p.wall_seconds = wall_seconds;
    p.origin = PauseOrigin::Entered;
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement uuid(sql, "SELECT uuid FROM sessions WHERE id = ?");
        uuid.bind(1, session_id);
        if (!uuid.executeStep()) throw StoreError(StoreError::Kind::NotFound, "the session no longer exists");
        const std::string session_uuid = uuid.getColumn(0).getString();
        SQLite::Statement insert(sql,
                                 "INSERT INTO session_pauses (session_id, session_seconds, wall_seconds, origin, "
                                 "created_at, uuid) VALUES (?, ?, ?, 'entered', ?, ?)");
        insert.bind(1, session_id);
        insert.bind(2, session_seconds);
        insert.bind(3, wall_seconds);
        insert.bind(4, now_utc_iso());
        insert.bind(5, new_uuid());
        insert.exec();
        p.id = sql.getLastInsertRowid();
        append_audit(db_, "create", "pause", session_uuid,
                     "pause entered at " + std::to_string(session_seconds) + " s of session time, " +
                         std::to_string(wall_seconds) + " s long");
    });
    return p;
}

}  // namespace attune::store
