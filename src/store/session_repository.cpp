#include "core/session_clock.h"
#include "core/text.h"
#include "core/uuid.h"
#include "store/audit_write.h"
#include "store/case_rows.h"
#include "store/pause_rows.h"
#include "store/repositories.h"
#include "store/sqlite_access.h"

namespace attune::store {
namespace {

constexpr const char* kSessionSelect =
    "SELECT id, uuid, case_id, number, date, start_time, active_seconds, state, eft_stage, eft_step, "
    "attunement_a, attunement_b, safety, scheme_id, not_for_trends FROM sessions ";

Session read_session(SQLite::Statement& q) {
    Session s;
    s.id = q.getColumn(0).getInt64();
    s.uuid = q.getColumn(1).getString();
    s.case_id = q.getColumn(2).getInt64();
    s.number = q.getColumn(3).getInt();
    s.date = q.getColumn(4).getString();
    s.start_time = q.getColumn(5).getString();
    s.active_seconds = q.getColumn(6).getDouble();
    s.state = parse_session_state(q.getColumn(7).getString()).value_or(SessionState::Ended);
    s.eft_stage = optional_int(q.getColumn(8));
    s.eft_step = optional_int(q.getColumn(9));
    s.ratings.attunement_a = optional_int(q.getColumn(10));
    s.ratings.attunement_b = optional_int(q.getColumn(11));
    s.ratings.safety = optional_int(q.getColumn(12));
    s.scheme_id = q.getColumn(13).getInt64();
    if (!q.getColumn(14).isNull()) s.not_for_trends = q.getColumn(14).getString();
    return s;
}

std::vector<Session> query_sessions(Database& db, const std::string& where, RowId bind_value) {
    std::vector<Session> out;
    try {
        SQLite::Statement& q = db.impl().statement(std::string(kSessionSelect) + where);
        if (bind_value != 0) q.bind(1, bind_value);
        while (q.executeStep()) out.push_back(read_session(q));
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading sessions failed");
    }
    return out;
}

std::string session_uuid(SQLite::Database& sql, RowId session_id) {
    SQLite::Statement q(sql, "SELECT uuid FROM sessions WHERE id = ?");
    q.bind(1, session_id);
    if (!q.executeStep()) throw StoreError(StoreError::Kind::NotFound, "the session no longer exists");
    return q.getColumn(0).getString();
}

// Closes every running state event of the session at `at` (never before its start).
void close_open_states(Database& db, SQLite::Database& sql, RowId session_id, double at) {
    SQLite::Statement open(sql, "SELECT id, uuid, t FROM observations WHERE session_id = ? AND kind = 'state' "
                                "AND stop IS NULL AND deleted = 0");
    open.bind(1, session_id);
    std::vector<std::tuple<RowId, std::string, double>> rows;
    while (open.executeStep())
        rows.emplace_back(open.getColumn(0).getInt64(), open.getColumn(1).getString(), open.getColumn(2).getDouble());
    SQLite::Statement close(sql, "UPDATE observations SET stop = ?, updated_at = ? WHERE id = ?");
    for (const auto& [id, uuid, t] : rows) {
        const double stop = std::max(at, t);
        close.bind(1, stop);
        close.bind(2, now_utc_iso());
        close.bind(3, id);
        close.exec();
        close.reset();
        append_audit(db, "update", "observation", uuid, "state closed at " + format_clock(stop));
    }
}

void check_range(const std::optional<int>& value, int lo, int hi, const char* what) {
    if (value && (*value < lo || *value > hi))
        throw StoreError(StoreError::Kind::Invalid, std::string(what) + " must be between " + std::to_string(lo) +
                                                        " and " + std::to_string(hi));
}

}  // namespace

Session SessionRepository::draft_next(RowId case_id, const std::string& date, const std::string& start_time) const {
    auto the_case = CaseRepository(db_).get(case_id);
    if (!the_case) throw StoreError(StoreError::Kind::NotFound, "the case no longer exists");
    if (date.size() != 10) throw StoreError(StoreError::Kind::Invalid, "the session date must be written yyyy-mm-dd");
    const std::vector<Session> previous = list_for_case(case_id);
    Session s;
    s.uuid = new_uuid();
    s.case_id = case_id;
    s.date = date;
    s.start_time = start_time;
    s.state = SessionState::Running;
    s.scheme_id = the_case->scheme_id;
    int last_number = 0;
    for (const Session& p : previous) {
        last_number = std::max(last_number, p.number);
        if (p.eft_stage) s.eft_stage = p.eft_stage;  // list is in date order: the last one wins
        if (p.eft_step) s.eft_step = p.eft_step;
    }
    s.number = last_number + 1;
    return s;
}

Session SessionRepository::start(RowId case_id, const std::string& date, const std::string& start_time,
                                 double wall_now) {
    auto the_case = CaseRepository(db_).get(case_id);
    if (!the_case) throw StoreError(StoreError::Kind::NotFound, "the case no longer exists");
    Session s = draft_next(case_id, date, start_time);
    write_transaction(db_, [&](SQLite::Database& sql) {
        const std::string now = now_utc_iso();
        SQLite::Statement insert(sql, kInsertSessionSql);
        bind_session_insert(insert, s, wall_now, now);
        insert.exec();
        s.id = sql.getLastInsertRowid();
        append_audit(db_, "create", "session", s.uuid,
                     "case=" + the_case->label + " number=" + std::to_string(s.number) + " date=" + date);
    });
    return s;
}

std::optional<Session> SessionRepository::get(RowId id) const {
    auto found = query_sessions(db_, "WHERE id = ?", id);
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::optional<Session> SessionRepository::find(RowId case_id, int number) const {
    for (const Session& s : list_for_case(case_id))
        if (s.number == number) return s;
    return std::nullopt;
}

std::vector<Session> SessionRepository::list_for_case(RowId case_id) const {
    return query_sessions(db_, "WHERE case_id = ? ORDER BY date, number", case_id);
}

std::vector<Session> SessionRepository::unfinished() const {
    return query_sessions(db_, "WHERE state <> 'ended' ORDER BY date, id", 0);
}

std::optional<double> SessionRepository::resumed_at(RowId session_id) const {
    try {
        SQLite::Statement& q =
            db_.impl().statement("SELECT resumed_at FROM sessions WHERE id = ? AND state = 'running'");
        q.bind(1, session_id);
        if (q.executeStep()) return optional_double(q.getColumn(0));
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading sessions failed");
    }
    return std::nullopt;
}

void SessionRepository::pause(RowId session_id, double active_seconds, std::optional<double> clock_stopped_at,
                              PauseOrigin origin) {
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement state(sql, "SELECT state FROM sessions WHERE id = ?");
        state.bind(1, session_id);
        // Only a running clock begins a pause; pausing again changes nothing there.
        if (state.executeStep() && state.getColumn(0).getString() == "running")
            open_pause(sql, session_id, active_seconds, clock_stopped_at.value_or(wall_clock_seconds()), origin);
        close_open_states(db_, sql, session_id, active_seconds);
        SQLite::Statement update(sql, "UPDATE sessions SET state = 'paused', active_seconds = ?, resumed_at = NULL, "
                                      "updated_at = ? WHERE id = ? AND state <> 'ended'");
        update.bind(1, active_seconds);
        update.bind(2, now_utc_iso());
        update.bind(3, session_id);
        update.exec();
        append_audit(db_, "update", "session", session_uuid(sql, session_id),
                     "paused at " + format_clock(active_seconds));
    });
}

void SessionRepository::resume(RowId session_id, double wall_now) {
    write_transaction(db_, [&](SQLite::Database& sql) {
        close_open_pause(sql, session_id, wall_now);
        SQLite::Statement update(sql, "UPDATE sessions SET state = 'running', resumed_at = ?, updated_at = ? "
                                      "WHERE id = ? AND state <> 'ended'");
        update.bind(1, wall_now);
        update.bind(2, now_utc_iso());
        update.bind(3, session_id);
        update.exec();
        append_audit(db_, "update", "session", session_uuid(sql, session_id), "resumed");
    });
}

void SessionRepository::save_running_clock(RowId session_id, double active_seconds, double wall_now) {
    // What a view shows does not change (a running clock reads the same), so the
    // data version stays: nothing reloads every few seconds.
    write_transaction(
        db_,
        [&](SQLite::Database& sql) {
            SQLite::Statement update(sql,
                                     "UPDATE sessions SET active_seconds = ?, resumed_at = ? "
                                     "WHERE id = ? AND state = 'running' AND active_seconds <= ?");
            update.bind(1, active_seconds);
            update.bind(2, wall_now);
            update.bind(3, session_id);
            update.bind(4, active_seconds);
            update.exec();
        },
        WritesData::CacheOnly);
}

void SessionRepository::end(RowId session_id, double active_seconds, std::optional<double> wall_now) {
    write_transaction(db_, [&](SQLite::Database& sql) {
        close_open_pause(sql, session_id, wall_now.value_or(wall_clock_seconds()));
        close_open_states(db_, sql, session_id, active_seconds);
        SQLite::Statement update(sql, "UPDATE sessions SET state = 'ended', active_seconds = ?, resumed_at = NULL, "
                                      "ended_at = ?, updated_at = ? WHERE id = ?");
        const std::string now = now_utc_iso();
        update.bind(1, active_seconds);
        update.bind(2, now);
        update.bind(3, now);
        update.bind(4, session_id);
        if (update.exec() != 1) throw StoreError(StoreError::Kind::NotFound, "the session no longer exists");
        append_audit(db_, "update", "session", session_uuid(sql, session_id),
                     "ended at " + format_clock(active_seconds));
    });
}

void SessionRepository::set_stage(RowId session_id, std::optional<int> stage, std::optional<int> step) {
    check_range(stage, 1, 3, "EFT stage");
    check_range(step, 1, 9, "EFT step");
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement update(sql, "UPDATE sessions SET eft_stage = ?, eft_step = ?, updated_at = ? WHERE id = ?");
        bind_optional(update, 1, stage);
        bind_optional(update, 2, step);
        update.bind(3, now_utc_iso());
        update.bind(4, session_id);
        update.exec();
        append_audit(db_, "update", "session", session_uuid(sql, session_id),
                     "eft stage=" + (stage ? std::to_string(*stage) : "none") +
                         " step=" + (step ? std::to_string(*step) : "none"));
    });
}

void SessionRepository::set_ratings(RowId session_id, const Ratings& ratings) {
    check_range(ratings.attunement_a, 0, 10, "attunement of partner A");
    check_range(ratings.attunement_b, 0, 10, "attunement of partner B");
    check_range(ratings.safety, 0, 10, "safety");
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement update(sql, "UPDATE sessions SET attunement_a = ?, attunement_b = ?, safety = ?, "
                                      "updated_at = ? WHERE id = ?");
        bind_optional(update, 1, ratings.attunement_a);
        bind_optional(update, 2, ratings.attunement_b);
        bind_optional(update, 3, ratings.safety);
        update.bind(4, now_utc_iso());
        update.bind(5, session_id);
        update.exec();
        append_audit(db_, "update", "session", session_uuid(sql, session_id), "ratings");
    });
}

void SessionRepository::set_not_for_trends(RowId session_id, const std::optional<std::string>& reason) {
    std::optional<std::string> mark;
    if (reason) {
        mark = trim(*reason);
        if (mark->empty())
            throw StoreError(StoreError::Kind::Invalid,
                             "say why the session is not for trends (e.g. a test, an aborted or individual session)");
        if (mark->size() > 500)
            throw StoreError(StoreError::Kind::Invalid, "the reason can have at most 500 characters");
        if (!is_valid_utf8(*mark)) throw StoreError(StoreError::Kind::Invalid, "the reason is not valid UTF-8 text");
    }
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement update(sql, "UPDATE sessions SET not_for_trends = ?, updated_at = ? WHERE id = ?");
        if (mark)
            update.bind(1, *mark);
        else
            update.bind(1);
        update.bind(2, now_utc_iso());
        update.bind(3, session_id);
        if (update.exec() != 1) throw StoreError(StoreError::Kind::NotFound, "the session no longer exists");
        append_audit(db_, "update", "session", session_uuid(sql, session_id),
                     mark ? "not for trends: " + *mark : std::string("counted toward trends again"));
    });
}

// [SECTION] Notes

ProgressNote SessionRepository::progress_note(RowId session_id) const {
    ProgressNote note;
    try {
        SQLite::Statement& q = db_.impl().statement(
            "SELECT data, assessment, plan, assessment_source FROM progress_notes WHERE session_id = ?");
        q.bind(1, session_id);
        if (q.executeStep()) {
            note.data = q.getColumn(0).getString();
            note.assessment = q.getColumn(1).getString();
            note.plan = q.getColumn(2).getString();
            note.assessment_source =
                parse_assessment_source(q.getColumn(3).getString()).value_or(AssessmentSource::Clinician);
        }
        q.reset();
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the progress note failed");
    }
    return note;
}

void SessionRepository::save_progress_note(RowId session_id, const ProgressNote& note) {
    for (const std::string* field : {&note.data, &note.assessment, &note.plan})
        if (field->size() > 50000)
            throw StoreError(StoreError::Kind::Invalid, "a note field can have at most 50000 characters");
    write_transaction(db_, [&](SQLite::Database& sql) {
        // An accepted draft stays marked as one until its text is edited; then it is the clinician's.
        SQLite::Statement upsert(
            sql,
            "INSERT INTO progress_notes (session_id, data, assessment, plan, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET data = excluded.data, "
            "assessment_source = CASE WHEN progress_notes.assessment = excluded.assessment "
            "THEN progress_notes.assessment_source ELSE 'clinician' END, "
            "assessment = excluded.assessment, plan = excluded.plan, updated_at = excluded.updated_at");
        upsert.bind(1, session_id);
        upsert.bind(2, note.data);
        upsert.bind(3, note.assessment);
        upsert.bind(4, note.plan);
        upsert.bind(5, now_utc_iso());
        upsert.exec();
        keep_note_versions(sql, "(:session)", db_.impl().actor.id, NoteVersion::How::Edited, session_id);
        // The audit row says that the note changed, never what it says.
        append_audit(db_, "update", "progress_note", session_uuid(sql, session_id),
                     std::to_string(note.data.size() + note.assessment.size() + note.plan.size()) + " characters");
    });
}

void SessionRepository::accept_assessment_draft(RowId session_id, const std::string& draft) {
    if (trim(draft).empty()) throw StoreError(StoreError::Kind::Invalid, "there is no draft to accept");
    if (draft.size() > 50000)
        throw StoreError(StoreError::Kind::Invalid, "a note field can have at most 50000 characters");
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement current(sql, "SELECT assessment FROM progress_notes WHERE session_id = ?");
        current.bind(1, session_id);
        if (current.executeStep() && !trim(current.getColumn(0).getString()).empty())
            throw StoreError(
                StoreError::Kind::Invalid,
                "the Assessment already has the clinician's text: a draft is offered only for an empty one");
        SQLite::Statement upsert(sql,
                                 "INSERT INTO progress_notes (session_id, assessment, assessment_source, updated_at) "
                                 "VALUES (?, ?, 'accepted_draft', ?) ON CONFLICT (session_id) DO UPDATE SET "
                                 "assessment = excluded.assessment, assessment_source = 'accepted_draft', "
                                 "updated_at = excluded.updated_at");
        upsert.bind(1, session_id);
        upsert.bind(2, draft);
        upsert.bind(3, now_utc_iso());
        upsert.exec();
        keep_note_versions(sql, "(:session)", db_.impl().actor.id, NoteVersion::How::AcceptedDraft, session_id);
        append_audit(db_, "update", "progress_note", session_uuid(sql, session_id),
                     "assessment draft accepted (" + std::to_string(draft.size()) + " characters)");
    });
}

std::string SessionRepository::process_note(RowId session_id) const {
    try {
        SQLite::Statement& q = db_.impl().statement("SELECT body FROM process_notes WHERE session_id = ?");
        q.bind(1, session_id);
        if (q.executeStep()) return q.getColumn(0).getString();
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the process note failed");
    }
    return {};
}

void SessionRepository::save_process_note(RowId session_id, const std::string& body) {
    if (body.size() > 50000)
        throw StoreError(StoreError::Kind::Invalid, "a process note can have at most 50000 characters");
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement upsert(sql, "INSERT INTO process_notes (session_id, body, updated_at) VALUES (?, ?, ?) "
                                      "ON CONFLICT (session_id) DO UPDATE SET body = excluded.body, "
                                      "updated_at = excluded.updated_at");
        upsert.bind(1, session_id);
        upsert.bind(2, body);
        upsert.bind(3, now_utc_iso());
        upsert.exec();
        append_audit(db_, "update", "process_note", session_uuid(sql, session_id),
                     std::to_string(body.size()) + " characters");
    });
}

// [SECTION] Homework

namespace {
std::vector<Homework> query_homework(Database& db, const std::string& sql_text, RowId a, std::optional<int> b) {
    std::vector<Homework> out;
    try {
        SQLite::Statement& q = db.impl().statement(
            "SELECT h.id, h.uuid, h.case_id, h.agreed_session_id, h.description, h.done FROM homework h "
            "JOIN sessions s ON s.id = h.agreed_session_id " + sql_text);
        q.bind(1, a);
        if (b) q.bind(2, *b);
        while (q.executeStep()) {
            Homework h;
            h.id = q.getColumn(0).getInt64();
            h.uuid = q.getColumn(1).getString();
            h.case_id = q.getColumn(2).getInt64();
            h.agreed_session_id = q.getColumn(3).getInt64();
            h.description = q.getColumn(4).getString();
            if (!q.getColumn(5).isNull()) h.done = q.getColumn(5).getInt() != 0;
            out.push_back(std::move(h));
        }
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading homework failed");
    }
    return out;
}
}  // namespace

std::vector<Homework> SessionRepository::homework_agreed_in(RowId session_id) const {
    return query_homework(db_, "WHERE h.agreed_session_id = ? ORDER BY h.id", session_id, std::nullopt);
}

std::vector<Homework> SessionRepository::homework_open_before(RowId case_id, int session_number) const {
    return query_homework(db_, "WHERE h.case_id = ? AND s.number < ? AND h.done IS NULL ORDER BY h.id", case_id,
                          session_number);
}

std::vector<Homework> SessionRepository::homework_for_case(RowId case_id) const {
    return query_homework(db_, "WHERE h.case_id = ? ORDER BY s.date, s.number, h.id", case_id, std::nullopt);
}

Homework SessionRepository::add_homework(RowId session_id, const std::string& description) {
    if (description.empty() || description.size() > 500)
        throw StoreError(StoreError::Kind::Invalid, "homework needs a description of 1 to 500 characters");
    auto session = get(session_id);
    if (!session) throw StoreError(StoreError::Kind::NotFound, "the session no longer exists");
    Homework h;
    h.uuid = new_uuid();
    h.case_id = session->case_id;
    h.agreed_session_id = session_id;
    h.description = description;
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement insert(sql, "INSERT INTO homework (uuid, case_id, agreed_session_id, description, "
                                      "created_at) VALUES (?, ?, ?, ?, ?)");
        insert.bind(1, h.uuid);
        insert.bind(2, h.case_id);
        insert.bind(3, session_id);
        insert.bind(4, description);
        insert.bind(5, now_utc_iso());
        insert.exec();
        h.id = sql.getLastInsertRowid();
        append_audit(db_, "create", "homework", h.uuid, description);
    });
    return h;
}

void SessionRepository::set_homework_done(RowId homework_id, std::optional<bool> done) {
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement update(sql, "UPDATE homework SET done = ? WHERE id = ?");
        if (done) update.bind(1, *done ? 1 : 0);
        else update.bind(1);
        update.bind(2, homework_id);
        if (update.exec() != 1) throw StoreError(StoreError::Kind::NotFound, "the homework item no longer exists");
        append_audit(db_, "update", "homework", std::to_string(homework_id),
                     done ? (*done ? "done" : "not done") : "unchecked");
    });
}

}  // namespace attune::store
