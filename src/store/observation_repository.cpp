#include <cmath>

#include "core/observation_text.h"
#include "core/text.h"
#include "core/uuid.h"
#include "store/audit_write.h"
#include "store/observation_rows.h"
#include "store/repositories.h"
#include "store/sqlite_access.h"

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

// What an audit row says about an observation of this session: names and labels.
struct Described {
    CodingScheme scheme;
    Case the_case;
    std::string operator()(const Observation& o) const { return describe_observation(o, scheme, the_case); }
};

// Checks the observation; returns what describes it in the audit log.
Described validate(Database& db, const Observation& o) {
    if (const std::string problem = observation_field_problem(o); !problem.empty())
        throw StoreError(StoreError::Kind::Invalid, problem);
    auto session = SessionRepository(db).get(o.session_id);
    if (!session) throw StoreError(StoreError::Kind::NotFound, "the session no longer exists");
    Described described;
    described.scheme = SchemeRepository(db).get(session->scheme_id);
    const Code* code = described.scheme.find(o.code_id);
    if (!code || code->id != o.code_id)
        throw StoreError(StoreError::Kind::Invalid, "'" + o.code_id + "' is not a code of this session's scheme");
    if (auto c = CaseRepository(db).get(session->case_id)) described.the_case = std::move(*c);
    return described;
}

}  // namespace

Observation ObservationRepository::add(Observation o) {
    if (o.rater_id == 0) o.rater_id = db_.actor().id;
    if (o.rater_id == 0) throw StoreError(StoreError::Kind::Invalid, "an observation needs a rater");
    if (o.uuid.empty()) o.uuid = new_uuid();
    const Described describe = validate(db_, o);
    write_transaction(db_, [&](SQLite::Database& sql) {
        const std::string now = now_utc_iso();
        SQLite::Statement& insert = db_.impl().statement(kInsertObservationSql);
        bind_observation_insert(insert, o, now);
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
    const Described describe = validate(db_, changed);
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
        append_audit(db_, "update", "observation", changed.uuid,
                     "from " + describe(*existing) + " to " + describe(changed));
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
