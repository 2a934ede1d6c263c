#include "core/text.h"
#include "core/uuid.h"
#include "store/audit_write.h"
#include "store/repositories.h"
#include "store/sqlite_access.h"

#include <cmath>

namespace attune::store {
namespace {

constexpr const char* kObservationSelect =
    "SELECT id, uuid, session_id, rater_id, t, stop, kind, who, code_id, intensity, comment, deleted "
    "FROM observations ";

Observation read_observation(SQLite::Statement& q) {
    Observation o;
    o.id = q.getColumn(0).getInt64();
    o.uuid = q.getColumn(1).getString();
    o.session_id = q.getColumn(2).getInt64();
    o.rater_id = q.getColumn(3).getInt64();
    o.t = q.getColumn(4).getDouble();
    o.stop = optional_double(q.getColumn(5));
    o.kind = parse_event_kind(q.getColumn(6).getString()).value_or(EventKind::Point);
    o.who = parse_who(q.getColumn(7).getString()).value_or(Who::Both);
    o.code_id = q.getColumn(8).getString();
    o.intensity = optional_int(q.getColumn(9));
    o.comment = q.getColumn(10).getString();
    o.deleted = q.getColumn(11).getInt() != 0;
    return o;
}

void validate(Database& db, const Observation& o) {
    auto invalid = [](const std::string& message) { throw StoreError(StoreError::Kind::Invalid, message); };
    if (!std::isfinite(o.t) || o.t < 0) invalid("an observation's time must be 0 seconds or later");
    if (o.stop && (!std::isfinite(*o.stop) || *o.stop < o.t)) invalid("a state event cannot stop before it starts");
    if (o.stop && o.kind == EventKind::Point) invalid("a point event has no stop time");
    if (o.intensity && (*o.intensity < 1 || *o.intensity > 3)) invalid("intensity must be 1, 2 or 3");
    if (o.comment.size() > 2000) invalid("a comment can have at most 2000 characters");
    if (!is_valid_utf8(o.comment)) invalid("the comment is not valid UTF-8 text");
    auto session = SessionRepository(db).get(o.session_id);
    if (!session) throw StoreError(StoreError::Kind::NotFound, "the session no longer exists");
    const CodingScheme scheme = SchemeRepository(db).get(session->scheme_id);
    const Code* code = scheme.find(o.code_id);
    if (!code || code->id != o.code_id) invalid("'" + o.code_id + "' is not a code of this session's scheme");
}

std::string describe(const Observation& o) {
    std::string text = std::string(to_string(o.who)) + " " + o.code_id + " at " + format_number(o.t, 3) + " s";
    if (o.stop) text += " to " + format_number(*o.stop, 3) + " s";
    if (o.intensity) text += " intensity " + std::to_string(*o.intensity);
    return text;
}

}  // namespace

Observation ObservationRepository::add(Observation o) {
    if (o.rater_id == 0) o.rater_id = db_.actor().id;
    if (o.rater_id == 0) throw StoreError(StoreError::Kind::Invalid, "an observation needs a rater");
    if (o.uuid.empty()) o.uuid = new_uuid();
    validate(db_, o);
    write_transaction(db_, [&](SQLite::Database& sql) {
        const std::string now = now_utc_iso();
        SQLite::Statement& insert = db_.impl().statement(
            "INSERT INTO observations (uuid, session_id, rater_id, t, stop, kind, who, code_id, intensity, "
            "comment, deleted, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, o.uuid);
        insert.bind(2, o.session_id);
        insert.bind(3, o.rater_id);
        insert.bind(4, o.t);
        bind_optional(insert, 5, o.stop);
        insert.bind(6, std::string(to_string(o.kind)));
        insert.bind(7, std::string(to_string(o.who)));
        insert.bind(8, o.code_id);
        bind_optional(insert, 9, o.intensity);
        insert.bind(10, o.comment);
        insert.bind(11, o.deleted ? 1 : 0);
        insert.bind(12, now);
        insert.bind(13, now);
        insert.exec();
        o.id = sql.getLastInsertRowid();
        append_audit(db_, "create", "observation", o.uuid, describe(o));
    });
    return o;
}

void ObservationRepository::stop(RowId observation_id, double stop_time) {
    auto existing = get(observation_id);
    if (!existing) throw StoreError(StoreError::Kind::NotFound, "the observation no longer exists");
    if (existing->kind != EventKind::State) throw StoreError(StoreError::Kind::Invalid, "only a state event can be stopped");
    Observation changed = *existing;
    changed.stop = std::max(stop_time, existing->t);
    update(changed);
}

void ObservationRepository::update(const Observation& o) {
    auto existing = get(o.id);
    if (!existing) throw StoreError(StoreError::Kind::NotFound, "the observation no longer exists");
    Observation changed = o;
    changed.session_id = existing->session_id;
    changed.uuid = existing->uuid;
    changed.rater_id = existing->rater_id;
    changed.kind = existing->kind;
    // Moving a state event's start past its stop moves the stop with it, keeping the pair whole.
    if (changed.kind == EventKind::State && changed.stop && *changed.stop < changed.t) changed.stop = changed.t;
    validate(db_, changed);
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement update(sql, "UPDATE observations SET t = ?, stop = ?, who = ?, code_id = ?, intensity = ?, "
                                      "comment = ?, updated_at = ? WHERE id = ?");
        update.bind(1, changed.t);
        bind_optional(update, 2, changed.stop);
        update.bind(3, std::string(to_string(changed.who)));
        update.bind(4, changed.code_id);
        bind_optional(update, 5, changed.intensity);
        update.bind(6, changed.comment);
        update.bind(7, now_utc_iso());
        update.bind(8, changed.id);
        update.exec();
        append_audit(db_, "update", "observation", changed.uuid, "from " + describe(*existing) + " to " + describe(changed));
    });
}

void ObservationRepository::set_extras(RowId observation_id, std::optional<int> intensity, const std::string& comment) {
    auto existing = get(observation_id);
    if (!existing) throw StoreError(StoreError::Kind::NotFound, "the observation no longer exists");
    Observation changed = *existing;
    changed.intensity = intensity;
    changed.comment = comment;
    update(changed);
}

void ObservationRepository::soft_delete(RowId observation_id) {
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement update(sql, "UPDATE observations SET deleted = 1, updated_at = ? WHERE id = ? AND deleted = 0");
        update.bind(1, now_utc_iso());
        update.bind(2, observation_id);
        if (update.exec() != 1) throw StoreError(StoreError::Kind::NotFound, "the observation is already deleted or gone");
        SQLite::Statement uuid(sql, "SELECT uuid FROM observations WHERE id = ?");
        uuid.bind(1, observation_id);
        uuid.executeStep();
        append_audit(db_, "delete", "observation", uuid.getColumn(0).getString(), "soft delete");
    });
}

void ObservationRepository::restore(RowId observation_id) {
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement update(sql, "UPDATE observations SET deleted = 0, updated_at = ? WHERE id = ? AND deleted = 1");
        update.bind(1, now_utc_iso());
        update.bind(2, observation_id);
        if (update.exec() != 1) throw StoreError(StoreError::Kind::NotFound, "the observation is not deleted");
        SQLite::Statement uuid(sql, "SELECT uuid FROM observations WHERE id = ?");
        uuid.bind(1, observation_id);
        uuid.executeStep();
        append_audit(db_, "update", "observation", uuid.getColumn(0).getString(), "restored");
    });
}

std::optional<Observation> ObservationRepository::get(RowId id) const {
    try {
        SQLite::Statement& q = db_.impl().statement(std::string(kObservationSelect) + "WHERE id = ?");
        q.bind(1, id);
        if (q.executeStep()) return read_observation(q);
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading observations failed");
    }
    return std::nullopt;
}

std::vector<Observation> ObservationRepository::list_for_session(RowId session_id, RowId rater_id,
                                                                 bool include_deleted) const {
    std::vector<Observation> out;
    try {
        SQLite::Statement& q = db_.impl().statement(
            std::string(kObservationSelect) +
            "WHERE session_id = ?1 AND (?2 = 0 OR rater_id = ?2) AND (?3 = 1 OR deleted = 0) ORDER BY t, id");
        q.bind(1, session_id);
        q.bind(2, rater_id);
        q.bind(3, include_deleted ? 1 : 0);
        while (q.executeStep()) out.push_back(read_observation(q));
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading observations failed");
    }
    return out;
}

std::vector<Observation> ObservationRepository::open_states(RowId session_id) const {
    std::vector<Observation> out;
    for (Observation& o : list_for_session(session_id))
        if (o.kind == EventKind::State && !o.stop) out.push_back(std::move(o));
    return out;
}

std::int64_t ObservationRepository::count_all() const {
    try {
        return sql_of(db_).execAndGet("SELECT count(*) FROM observations").getInt64();
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading observations failed");
    }
}

}  // namespace attune::store
