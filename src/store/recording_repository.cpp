// recording_repository.cpp: recordings linked to sessions, and their excerpts.
//
// [SECTION] Reading rows
// [SECTION] Recordings
// [SECTION] Excerpts
#include <cmath>

#include "core/uuid.h"
#include "store/audit_write.h"
#include "store/case_rows.h"
#include "store/repositories.h"
#include "store/sqlite_access.h"

namespace attune::store {
namespace {

// [SECTION] Reading rows

constexpr const char* kRecordingSelect =
    "SELECT r.id, r.uuid, r.session_id, r.sha256, r.duration_seconds, r.has_video, r.offset_seconds, r.storage, "
    "r.path, r.original_name, r.bytes, r.created_at FROM recordings r JOIN sessions s ON s.id = r.session_id ";

Recording read_recording(SQLite::Statement& q) {
    Recording r;
    r.id = q.getColumn(0).getInt64();
    r.uuid = q.getColumn(1).getString();
    r.session_id = q.getColumn(2).getInt64();
    r.sha256 = q.getColumn(3).getString();
    r.duration_seconds = q.getColumn(4).getDouble();
    r.has_video = q.getColumn(5).getInt() != 0;
    r.offset_seconds = q.getColumn(6).getDouble();
    r.storage = parse_recording_storage(q.getColumn(7).getString()).value_or(RecordingStorage::Encrypted);
    r.path = q.getColumn(8).getString();
    r.original_name = q.getColumn(9).getString();
    r.bytes = static_cast<std::uint64_t>(q.getColumn(10).getInt64());
    r.created_at = q.getColumn(11).getString();
    return r;
}

std::vector<Recording> query_recordings(Database& db, const std::string& where, RowId bind_value) {
    std::vector<Recording> out;
    try {
        SQLite::Statement& q = db.impl().statement(std::string(kRecordingSelect) + where);
        if (bind_value != 0) q.bind(1, bind_value);
        while (q.executeStep())
            out.push_back(read_recording(q));
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading recordings failed");
    }
    return out;
}

std::string session_uuid_of(SQLite::Database& sql, RowId session_id) {
    SQLite::Statement q(sql, "SELECT uuid FROM sessions WHERE id = ?");
    q.bind(1, session_id);
    if (!q.executeStep()) throw StoreError(StoreError::Kind::NotFound, "the session no longer exists");
    return q.getColumn(0).getString();
}

void check_recording(const Recording& r) {
    if (r.sha256.size() != 64) throw StoreError(StoreError::Kind::Invalid, "a recording's SHA-256 has 64 hex digits");
    if (!std::isfinite(r.duration_seconds) || r.duration_seconds < 0)
        throw StoreError(StoreError::Kind::Invalid, "a recording's duration must be 0 seconds or more");
    if (!std::isfinite(r.offset_seconds))
        throw StoreError(StoreError::Kind::Invalid, "a recording's offset must be a number of seconds");
    if (r.path.empty()) throw StoreError(StoreError::Kind::Invalid, "a recording needs a file");
}

// Inserts the recording row and its audit row (inside the caller's transaction).
void insert_recording(Database& db, SQLite::Database& sql, Recording& r) {
    const std::string now = now_utc_iso();
    SQLite::Statement existing(sql, "SELECT sha256 FROM recordings WHERE session_id = ?");
    existing.bind(1, r.session_id);
    if (existing.executeStep())
        throw StoreError(StoreError::Kind::Invalid,
                         "this session already has a recording (SHA-256 " + existing.getColumn(0).getString() + ")");
    SQLite::Statement insert(sql,
                             "INSERT INTO recordings (uuid, session_id, sha256, duration_seconds, has_video, "
                             "offset_seconds, storage, path, original_name, bytes, created_at, updated_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, r.uuid);
    insert.bind(2, r.session_id);
    insert.bind(3, r.sha256);
    insert.bind(4, r.duration_seconds);
    insert.bind(5, r.has_video ? 1 : 0);
    insert.bind(6, r.offset_seconds);
    insert.bind(7, std::string(to_string(r.storage)));
    insert.bind(8, r.path);
    insert.bind(9, r.original_name);
    insert.bind(10, static_cast<std::int64_t>(r.bytes));
    insert.bind(11, now);
    insert.bind(12, now);
    insert.exec();
    r.id = sql.getLastInsertRowid();
    r.created_at = now;
    // The file's name is not in the audit trail: it often names the couple.
    append_audit(db, "create", "recording", r.uuid,
                 "session=" + session_uuid_of(sql, r.session_id) + " sha256=" + r.sha256 + " storage=" +
                     std::string(to_string(r.storage)) + " duration=" + std::to_string(r.duration_seconds) +
                     " s offset=" + std::to_string(r.offset_seconds) + " s");
}

}  // namespace

// [SECTION] Recordings

Recording RecordingRepository::add(Recording recording) {
    check_recording(recording);
    if (recording.uuid.empty()) recording.uuid = new_uuid();
    write_transaction(db_, [&](SQLite::Database& sql) { insert_recording(db_, sql, recording); });
    return recording;
}

std::pair<Session, Recording> RecordingRepository::add_with_new_session(RowId case_id, const std::string& date,
                                                                        const std::string& start_time,
                                                                        double active_seconds, Recording recording) {
    check_recording(recording);
    if (!std::isfinite(active_seconds) || active_seconds < 0)
        throw StoreError(StoreError::Kind::Invalid, "a session's length must be 0 seconds or more");
    if (recording.uuid.empty()) recording.uuid = new_uuid();
    Session s = SessionRepository(db_).draft_next(case_id, date, start_time);
    s.state = SessionState::Ended;
    s.active_seconds = active_seconds;
    write_transaction(db_, [&](SQLite::Database& sql) {
        const std::string now = now_utc_iso();
        SQLite::Statement insert(sql, kInsertSessionSql);
        bind_session_insert(insert, s, std::nullopt, now);
        insert.exec();
        s.id = sql.getLastInsertRowid();
        append_audit(db_, "create", "session", s.uuid,
                     "number=" + std::to_string(s.number) + " date=" + date + " from a recording, " +
                         std::to_string(active_seconds) + " s");
        recording.session_id = s.id;
        insert_recording(db_, sql, recording);
    });
    return {s, recording};
}

void RecordingRepository::relink(RowId recording_id, RecordingStorage storage, const std::string& path) {
    if (path.empty()) throw StoreError(StoreError::Kind::Invalid, "a recording needs a file");
    write_transaction(db_, [&](SQLite::Database& sql) {
        // updated_at says when what travels (the offset) last changed: where the
        // file lies here is this copy's alone (bundle format 10).
        SQLite::Statement update(sql, "UPDATE recordings SET storage = ?, path = ? WHERE id = ?");
        update.bind(1, std::string(to_string(storage)));
        update.bind(2, path);
        update.bind(3, recording_id);
        if (update.exec() != 1) throw StoreError(StoreError::Kind::NotFound, "the recording no longer exists");
        SQLite::Statement uuid(sql, "SELECT uuid FROM recordings WHERE id = ?");
        uuid.bind(1, recording_id);
        uuid.executeStep();
        append_audit(db_, "update", "recording", uuid.getColumn(0).getString(),
                     "relinked, storage=" + std::string(to_string(storage)));
    });
}

void RecordingRepository::set_offset(RowId recording_id, double offset_seconds) {
    if (!std::isfinite(offset_seconds))
        throw StoreError(StoreError::Kind::Invalid, "a recording's offset must be a number of seconds");
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement update(sql, "UPDATE recordings SET offset_seconds = ?, updated_at = ? WHERE id = ?");
        update.bind(1, offset_seconds);
        update.bind(2, now_utc_iso());
        update.bind(3, recording_id);
        if (update.exec() != 1) throw StoreError(StoreError::Kind::NotFound, "the recording no longer exists");
        SQLite::Statement uuid(sql, "SELECT uuid FROM recordings WHERE id = ?");
        uuid.bind(1, recording_id);
        uuid.executeStep();
        append_audit(db_, "update", "recording", uuid.getColumn(0).getString(),
                     "offset=" + std::to_string(offset_seconds) + " s");
    });
}

std::optional<Recording> RecordingRepository::get(RowId id) const {
    auto found = query_recordings(db_, "WHERE r.id = ?", id);
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::optional<Recording> RecordingRepository::for_session(RowId session_id) const {
    auto found = query_recordings(db_, "WHERE r.session_id = ?", session_id);
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::vector<Recording> RecordingRepository::list_for_case(RowId case_id) const {
    return query_recordings(db_, "WHERE s.case_id = ? ORDER BY s.date, s.number", case_id);
}

std::vector<Recording> RecordingRepository::list_all() const {
    return query_recordings(db_, "ORDER BY r.id", 0);
}

// [SECTION] Excerpts

Excerpt RecordingRepository::add_excerpt(Excerpt excerpt) {
    if (excerpt.uuid.empty()) excerpt.uuid = new_uuid();
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement recording(sql, "SELECT uuid, session_id FROM recordings WHERE id = ?");
        recording.bind(1, excerpt.recording_id);
        if (!recording.executeStep()) throw StoreError(StoreError::Kind::NotFound, "the recording no longer exists");
        const std::string recording_uuid = recording.getColumn(0).getString();
        excerpt.session_id = recording.getColumn(1).getInt64();
        const std::string now = now_utc_iso();
        SQLite::Statement insert(sql,
                                 "INSERT INTO excerpts (uuid, recording_id, name, stage, media_start, media_stop, "
                                 "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, excerpt.uuid);
        insert.bind(2, excerpt.recording_id);
        insert.bind(3, excerpt.name);
        insert.bind(4, excerpt.stage);
        insert.bind(5, excerpt.media_start);
        insert.bind(6, excerpt.media_stop);
        insert.bind(7, db_.actor().id);
        insert.bind(8, now);
        insert.exec();
        excerpt.id = sql.getLastInsertRowid();
        excerpt.created_at = now;
        append_audit(db_, "create", "excerpt", excerpt.uuid,
                     "recording=" + recording_uuid + " stage=" + std::to_string(excerpt.stage) + " media=" +
                         std::to_string(excerpt.media_start) + "-" + std::to_string(excerpt.media_stop) + " s");
    });
    return excerpt;
}

std::vector<Excerpt> RecordingRepository::excerpts_for_case(RowId case_id) const {
    std::vector<Excerpt> out;
    try {
        SQLite::Statement& q = db_.impl().statement(
            "SELECT e.id, e.uuid, e.recording_id, r.session_id, e.name, e.stage, e.media_start, e.media_stop, "
            "e.created_at FROM excerpts e JOIN recordings r ON r.id = e.recording_id JOIN sessions s ON "
            "s.id = r.session_id WHERE s.case_id = ? ORDER BY s.date, s.number, e.media_start, e.id");
        q.bind(1, case_id);
        while (q.executeStep()) {
            Excerpt e;
            e.id = q.getColumn(0).getInt64();
            e.uuid = q.getColumn(1).getString();
            e.recording_id = q.getColumn(2).getInt64();
            e.session_id = q.getColumn(3).getInt64();
            e.name = q.getColumn(4).getString();
            e.stage = q.getColumn(5).getInt();
            e.media_start = q.getColumn(6).getDouble();
            e.media_stop = q.getColumn(7).getDouble();
            e.created_at = q.getColumn(8).getString();
            out.push_back(std::move(e));
        }
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading excerpts failed");
    }
    return out;
}

}  // namespace attune::store
