// measure_repositories.cpp: see measure_repositories.h.
//
// [SECTION] Helpers
// [SECTION] Measures
// [SECTION] Instrument files
// [SECTION] Change-event decisions
// [SECTION] Session ratings
#include "store/measure_repositories.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/dates.h"
#include "core/instrument_json.h"
#include "core/text.h"
#include "core/uuid.h"
#include "store/audit_write.h"
#include "store/sqlite_access.h"

namespace attune::store {
namespace {

// [SECTION] Helpers

struct CaseRef {
    std::string uuid;
    std::string label;
    RowId clinician_id = 0;
};

CaseRef case_ref(SQLite::Database& sql, RowId case_id) {
    SQLite::Statement q(sql, "SELECT uuid, label, clinician_id FROM cases WHERE id = ?");
    q.bind(1, case_id);
    if (!q.executeStep()) throw StoreError(StoreError::Kind::NotFound, "the case no longer exists");
    return {q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt64()};
}

struct SessionRef {
    std::string uuid;
    RowId case_id = 0;
    int number = 0;
};

SessionRef session_ref(SQLite::Database& sql, RowId session_id) {
    SQLite::Statement q(sql, "SELECT uuid, case_id, number FROM sessions WHERE id = ?");
    q.bind(1, session_id);
    if (!q.executeStep()) throw StoreError(StoreError::Kind::NotFound, "the session no longer exists");
    return {q.getColumn(0).getString(), q.getColumn(1).getInt64(), q.getColumn(2).getInt()};
}

RowId signed_in(Database& db) {
    if (db.actor().id == 0) throw StoreError(StoreError::Kind::Invalid, "sign in as a person first");
    return db.actor().id;
}

// [SECTION] Measures

std::string items_text(const std::vector<std::optional<double>>& items) {
    nlohmann::json list = nlohmann::json::array();
    for (const std::optional<double>& score : items)
        list.push_back(score ? nlohmann::json(*score) : nullptr);
    return list.dump();
}

// A list only a hand-edited database can spoil; spoilt, it reads as no items
// (core's measure_error then leaves the measure out of every summary).
std::vector<std::optional<double>> items_from_text(const std::string& text) {
    std::vector<std::optional<double>> items;
    const nlohmann::json list = nlohmann::json::parse(text, nullptr, false);
    if (!list.is_array()) return items;
    for (const nlohmann::json& score : list) {
        if (score.is_number())
            items.emplace_back(score.get<double>());
        else if (score.is_null())
            items.emplace_back(std::nullopt);
        else
            return {};
    }
    return items;
}

void check_measure_row(const Measure& m) {
    auto invalid = [](const std::string& what) { throw StoreError(StoreError::Kind::Invalid, what); };
    if (m.partner != Who::A && m.partner != Who::B) invalid("a measure's partner must be A or B");
    if (!is_iso_date(m.date)) invalid("the date '" + m.date + "' is not a date written yyyy-mm-dd");
    if (m.instrument_id.empty() || m.instrument_id.size() > 64) invalid("a measure needs its instrument's id");
    if (m.entered_total.has_value() == !m.items.empty())
        invalid("a measure has item scores or an entered total, one of the two");
    if (m.entered_total && !std::isfinite(*m.entered_total)) invalid("the total is not a number");
    for (const std::optional<double>& score : m.items)
        if (score && !std::isfinite(*score)) invalid("an item score is not a number");
}

std::string describe_measure(const Measure& m, const CaseRef& c, std::optional<int> session_number) {
    return "case=" + c.label + " partner=" + std::string(to_string(m.partner)) + " instrument=" + m.instrument_id +
           " date=" + m.date + (session_number ? " session=" + std::to_string(*session_number) : "") +
           (m.entered_total ? " total entered" : " items=" + std::to_string(m.items.size()));
}

// The one writer of a measure row: a new one (id 0) or a correction.
void write_measure_row(Database& db, SQLite::Database& sql, Measure& m) {
    const CaseRef c = case_ref(sql, m.case_id);
    std::optional<int> session_number;
    if (m.session_id) {
        const SessionRef s = session_ref(sql, *m.session_id);
        if (s.case_id != m.case_id)
            throw StoreError(StoreError::Kind::Invalid,
                             "session " + std::to_string(s.number) + " belongs to another case than " + c.label);
        session_number = s.number;
    }
    const std::string now = now_utc_iso();
    const bool is_new = m.id == 0;
    SQLite::Statement write(
        sql, is_new ? "INSERT INTO measures (case_id, partner, instrument_id, date, session_id, items, entered_total, "
                      "entered_by, created_at, updated_at, uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    : "UPDATE measures SET case_id = ?, partner = ?, instrument_id = ?, date = ?, session_id = ?, "
                      "items = ?, entered_total = ?, entered_by = ?, updated_at = ? "
                      "WHERE id = ? AND uuid = ?");
    write.bind(1, m.case_id);
    write.bind(2, std::string(to_string(m.partner)));
    write.bind(3, m.instrument_id);
    write.bind(4, m.date);
    if (m.session_id)
        write.bind(5, *m.session_id);
    else
        write.bind(5);
    if (m.entered_total)
        write.bind(6);
    else
        write.bind(6, items_text(m.items));
    bind_optional(write, 7, m.entered_total);
    write.bind(8, signed_in(db));
    if (is_new) {
        write.bind(9, now);
        write.bind(10, now);
        write.bind(11, m.uuid);
    } else {
        write.bind(9, now);
        write.bind(10, m.id);
        write.bind(11, m.uuid);
    }
    if (write.exec() != 1) throw StoreError(StoreError::Kind::NotFound, "the measure no longer exists");
    if (is_new) m.id = sql.getLastInsertRowid();
    m.session_number = session_number;
    append_audit(db, is_new ? "create" : "update", "measure", m.uuid, describe_measure(m, c, session_number));
}

Measure read_measure(SQLite::Statement& q) {
    Measure m;
    m.id = q.getColumn(0).getInt64();
    m.uuid = q.getColumn(1).getString();
    m.case_id = q.getColumn(2).getInt64();
    m.partner = parse_who(q.getColumn(3).getString()).value_or(Who::A);
    m.instrument_id = q.getColumn(4).getString();
    m.date = q.getColumn(5).getString();
    if (!q.getColumn(6).isNull()) m.session_id = q.getColumn(6).getInt64();
    if (!q.getColumn(7).isNull()) m.items = items_from_text(q.getColumn(7).getString());
    m.entered_total = optional_double(q.getColumn(8));
    m.session_number = optional_int(q.getColumn(9));
    return m;
}

constexpr const char* kMeasureSelect =
    "SELECT m.id, m.uuid, m.case_id, m.partner, m.instrument_id, m.date, m.session_id, m.items, m.entered_total, "
    "s.number FROM measures m LEFT JOIN sessions s ON s.id = m.session_id ";

}  // namespace

Measure MeasureRepository::add(Measure measure) {
    check_measure_row(measure);
    measure.id = 0;
    if (measure.uuid.empty()) measure.uuid = new_uuid();
    write_transaction(db_, [&](SQLite::Database& sql) { write_measure_row(db_, sql, measure); });
    return measure;
}

void MeasureRepository::update(const Measure& measure) {
    check_measure_row(measure);
    if (measure.id == 0) throw StoreError(StoreError::Kind::NotFound, "the measure was never stored");
    Measure stored = measure;
    write_transaction(db_, [&](SQLite::Database& sql) { write_measure_row(db_, sql, stored); });
}

void MeasureRepository::remove(RowId measure_id) {
    const std::optional<Measure> m = get(measure_id);
    if (!m) throw StoreError(StoreError::Kind::NotFound, "the measure no longer exists");
    write_transaction(db_, [&](SQLite::Database& sql) {
        const CaseRef c = case_ref(sql, m->case_id);
        SQLite::Statement remove(sql, "DELETE FROM measures WHERE id = ?");
        remove.bind(1, measure_id);
        remove.exec();
        // The removal travels to other copies (bundles, the practice server).
        SQLite::Statement tombstone(sql,
                                    "INSERT OR REPLACE INTO removed_measures (uuid, case_id, removed_at) VALUES (?, ?, ?)");
        tombstone.bind(1, m->uuid);
        tombstone.bind(2, m->case_id);
        tombstone.bind(3, now_utc_iso());
        tombstone.exec();
        append_audit(db_, "delete", "measure", m->uuid, describe_measure(*m, c, m->session_number));
    });
}

std::optional<Measure> MeasureRepository::get(RowId id) const {
    try {
        SQLite::Statement& q = db_.impl().statement(std::string(kMeasureSelect) + "WHERE m.id = ?");
        q.bind(1, id);
        if (q.executeStep()) {
            Measure m = read_measure(q);
            q.reset();
            return m;
        }
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the measure failed");
    }
    return std::nullopt;
}

std::vector<Measure> MeasureRepository::list_for_case(RowId case_id) const {
    std::vector<Measure> out;
    try {
        SQLite::Statement& q =
            db_.impl().statement(std::string(kMeasureSelect) + "WHERE m.case_id = ? ORDER BY m.date, m.id");
        q.bind(1, case_id);
        while (q.executeStep())
            out.push_back(read_measure(q));
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the measures failed");
    }
    return out;
}

// [SECTION] Instrument files

StoredInstrumentFile InstrumentFileRepository::add(const std::string& content) {
    Instrument instrument;
    try {
        instrument = parse_instrument_json(content);  // the one parser: a stored file always reads back
    } catch (const InstrumentFormatError& e) {
        throw StoreError(StoreError::Kind::Invalid, std::string("the instrument file is not valid: ") + e.what());
    }
    StoredInstrumentFile stored;
    stored.id = instrument.id;
    stored.content = content;
    stored.added_by = db_.actor().name;
    stored.added_at = now_utc_iso();
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement taken(sql, "SELECT 1 FROM instruments WHERE id = ?");
        taken.bind(1, stored.id);
        if (taken.executeStep())
            throw StoreError(StoreError::Kind::Invalid, "this practice already has an instrument '" + stored.id +
                                                            "'; give the new file another id");
        SQLite::Statement insert(sql, "INSERT INTO instruments (id, content, added_by, added_at) VALUES (?, ?, ?, ?)");
        insert.bind(1, stored.id);
        insert.bind(2, stored.content);
        insert.bind(3, signed_in(db_));
        insert.bind(4, stored.added_at);
        insert.exec();
        append_audit(db_, "create", "instrument", stored.id,
                     instrument.name + ", " + std::to_string(instrument.item_count()) + " items");
    });
    return stored;
}

std::vector<StoredInstrumentFile> InstrumentFileRepository::list() const {
    std::vector<StoredInstrumentFile> out;
    try {
        SQLite::Statement& q = db_.impl().statement(
            "SELECT i.id, i.content, p.name, i.added_at FROM instruments i JOIN people p ON p.id = i.added_by "
            "ORDER BY i.id");
        while (q.executeStep())
            out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                           q.getColumn(3).getString()});
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the practice's instruments failed");
    }
    return out;
}

void InstrumentFileRepository::remove(const std::string& id) {
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement used(sql, "SELECT count(*) FROM measures WHERE instrument_id = ?");
        used.bind(1, id);
        used.executeStep();
        if (const int n = used.getColumn(0).getInt(); n > 0)
            throw StoreError(StoreError::Kind::Invalid, "the instrument '" + id +
                                                            "' cannot be removed: " + std::to_string(n) +
                                                            (n == 1 ? " measure uses" : " measures use") + " it");
        SQLite::Statement remove(sql, "DELETE FROM instruments WHERE id = ?");
        remove.bind(1, id);
        if (remove.exec() != 1)
            throw StoreError(StoreError::Kind::NotFound, "this practice has no instrument file '" + id + "'");
        append_audit(db_, "delete", "instrument", id, "");
    });
}

// [SECTION] Change-event decisions

CandidateDecisionRecord ChangeEventDecisionRepository::decide(RowId session_id, const std::string& candidate_key,
                                                              CandidateDecision decision,
                                                              const std::string& described) {
    if (candidate_key.empty() || candidate_key.size() > 200)
        throw StoreError(StoreError::Kind::Invalid, "a change-event candidate needs its key (1-200 characters)");
    CandidateDecisionRecord record{candidate_key, decision, db_.actor().name, now_utc_iso()};
    write_transaction(db_, [&](SQLite::Database& sql) {
        const SessionRef s = session_ref(sql, session_id);
        SQLite::Statement upsert(sql,
                                 "INSERT INTO change_event_decisions (session_id, candidate_key, decision, decided_by, "
                                 "decided_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, candidate_key) DO UPDATE "
                                 "SET decision = excluded.decision, decided_by = excluded.decided_by, "
                                 "decided_at = excluded.decided_at");
        upsert.bind(1, session_id);
        upsert.bind(2, candidate_key);
        upsert.bind(3, std::string(to_string(decision)));
        upsert.bind(4, signed_in(db_));
        upsert.bind(5, record.decided_at);
        upsert.exec();
        append_audit(db_, decision == CandidateDecision::Confirmed ? "confirm" : "reject", "change_event", s.uuid,
                     candidate_key + (described.empty() ? "" : " (" + described + ")"));
    });
    return record;
}

std::vector<CandidateDecisionRecord> ChangeEventDecisionRepository::for_session(RowId session_id) const {
    std::vector<CandidateDecisionRecord> out;
    try {
        SQLite::Statement& q = db_.impl().statement(
            "SELECT d.candidate_key, d.decision, p.name, d.decided_at FROM change_event_decisions d "
            "JOIN people p ON p.id = d.decided_by WHERE d.session_id = ? ORDER BY d.candidate_key");
        q.bind(1, session_id);
        while (q.executeStep()) {
            const auto decision = parse_candidate_decision(q.getColumn(1).getString());
            if (!decision) continue;  // the CHECK constraint makes this unreachable
            out.push_back(
                {q.getColumn(0).getString(), *decision, q.getColumn(2).getString(), q.getColumn(3).getString()});
        }
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the change-event decisions failed");
    }
    return out;
}

// [SECTION] Session ratings

void SessionRatingRepository::set(RowId session_id, RowId rater_id, const Ratings& ratings) {
    for (const std::optional<int>& value : {ratings.attunement_a, ratings.attunement_b, ratings.safety})
        if (value && (*value < 0 || *value > 10))
            throw StoreError(StoreError::Kind::Invalid, "a rating must be between 0 and 10");
    write_transaction(db_, [&](SQLite::Database& sql) {
        const SessionRef s = session_ref(sql, session_id);
        const CaseRef c = case_ref(sql, s.case_id);
        if (rater_id == c.clinician_id)
            throw StoreError(StoreError::Kind::Invalid,
                             "the case clinician's ratings are the session's own: give them when ending the session");
        SQLite::Statement rater(sql, "SELECT uuid, name FROM people WHERE id = ?");
        rater.bind(1, rater_id);
        if (!rater.executeStep()) throw StoreError(StoreError::Kind::NotFound, "the rater is not in this practice");
        const std::string rater_name = rater.getColumn(1).getString();
        const std::string now = now_utc_iso();
        SQLite::Statement upsert(
            sql,
            "INSERT INTO session_ratings (session_id, rater_id, attunement_a, attunement_b, "
            "safety, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (session_id, rater_id) DO UPDATE SET attunement_a = excluded.attunement_a, "
            "attunement_b = excluded.attunement_b, safety = excluded.safety, "
            "updated_at = excluded.updated_at");
        upsert.bind(1, session_id);
        upsert.bind(2, rater_id);
        bind_optional(upsert, 3, ratings.attunement_a);
        bind_optional(upsert, 4, ratings.attunement_b);
        bind_optional(upsert, 5, ratings.safety);
        upsert.bind(6, now);
        upsert.bind(7, now);
        upsert.exec();
        auto shown = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string("none"); };
        append_audit(db_, "rate", "session", s.uuid,
                     "rater=" + rater_name + " attunement_a=" + shown(ratings.attunement_a) +
                         " attunement_b=" + shown(ratings.attunement_b) + " safety=" + shown(ratings.safety));
    });
}

std::optional<Ratings> SessionRatingRepository::get(RowId session_id, RowId rater_id) const {
    try {
        SQLite::Statement& q = db_.impl().statement(
            "SELECT attunement_a, attunement_b, safety FROM session_ratings WHERE session_id = ? AND rater_id = ?");
        q.bind(1, session_id);
        q.bind(2, rater_id);
        if (q.executeStep()) {
            Ratings r{optional_int(q.getColumn(0)), optional_int(q.getColumn(1)), optional_int(q.getColumn(2))};
            q.reset();
            return r;
        }
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the session's ratings failed");
    }
    return std::nullopt;
}

std::vector<std::pair<RowId, Ratings>> SessionRatingRepository::for_rater_in_case(RowId case_id, RowId rater_id) const {
    std::vector<std::pair<RowId, Ratings>> out;
    try {
        SQLite::Statement& q = db_.impl().statement(
            "SELECT r.session_id, r.attunement_a, r.attunement_b, r.safety FROM session_ratings r "
            "JOIN sessions s ON s.id = r.session_id WHERE s.case_id = ? AND r.rater_id = ? ORDER BY s.date, s.number");
        q.bind(1, case_id);
        q.bind(2, rater_id);
        while (q.executeStep())
            out.emplace_back(
                q.getColumn(0).getInt64(),
                Ratings{optional_int(q.getColumn(1)), optional_int(q.getColumn(2)), optional_int(q.getColumn(3))});
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the ratings failed");
    }
    return out;
}

}  // namespace attune::store
