#include "store/bulk_import.h"

#include <cmath>
#include <set>

#include "core/observation_text.h"
#include "core/scheme.h"
#include "core/text.h"
#include "core/uuid.h"
#include "store/audit_write.h"
#include "store/case_rows.h"
#include "store/observation_rows.h"
#include "store/repositories.h"
#include "store/sqlite_access.h"

namespace attune::store {
namespace {

[[noreturn]] void invalid(const std::string& message) {
    throw StoreError(StoreError::Kind::Invalid, message);
}

// The same rules as ObservationRepository::add, with the source named in the
// message because an import holds many observations.
void validate_observation(const CodingScheme& scheme, const Observation& o, const std::string& source) {
    const std::string where = source + ", " + describe_observation(o) + ": ";
    if (const std::string problem = observation_field_problem(o); !problem.empty()) invalid(where + problem);
    const Code* code = scheme.find(o.code_id);
    if (!code || code->id != o.code_id) invalid(where + "'" + o.code_id + "' is not a code of this case's scheme");
    if (!o.uuid.empty() && !is_valid_uuid(o.uuid)) invalid(where + "'" + o.uuid + "' is not a valid uuid");
}

void validate_new_case(const Case& c) {
    if (c.label.empty()) invalid("a case needs a label");
    if (c.label.size() > 100) invalid("a case label can have at most 100 characters");
    if (c.partner_a.display_name.empty() || c.partner_b.display_name.empty())
        invalid("case '" + c.label + "' is new: both partners need a name or initials");
    if (c.partner_a.display_name.size() > 100 || c.partner_b.display_name.size() > 100)
        invalid("a partner's name can have at most 100 characters");
    if (!is_valid_attachment_style(c.partner_a.attachment_style) ||
        !is_valid_attachment_style(c.partner_b.attachment_style))
        invalid("attachment style must be secure, anxious, avoidant, disorganized or unclear");
    if (!is_valid_cycle_position(c.partner_a.cycle_position) || !is_valid_cycle_position(c.partner_b.cycle_position))
        invalid("a cycle position must be pursuer or withdrawer");
    if (c.start_date.size() != 10) invalid("the start date must be written yyyy-mm-dd");
}

Case find_or_create_case(Database& db, SQLite::Database& sql, Case c, bool& created) {
    CaseRepository cases(db);
    if (auto existing = cases.find_by_label(c.label)) {
        created = false;
        return *existing;
    }
    if (c.start_date.empty()) c.start_date = today_local_iso();
    validate_new_case(c);
    if (c.clinician_id == 0) c.clinician_id = db.actor().id;
    if (c.clinician_id == 0) invalid("a case needs a clinician");
    if (c.scheme_id == 0) {
        auto latest = SchemeRepository(db).latest_id();
        if (!latest) invalid("no coding scheme is loaded");
        c.scheme_id = *latest;
    }
    if (c.uuid.empty()) c.uuid = new_uuid();
    const std::string now = now_utc_iso();
    SQLite::Statement insert(sql, kInsertCaseSql);
    bind_case_insert(insert, c, now);
    insert.exec();
    c.id = sql.getLastInsertRowid();
    SQLite::Statement participants(sql, kInsertParticipantSql);
    insert_participants(participants, c);
    append_audit(db, "create", "case", c.uuid, "label=" + c.label);
    created = true;
    if (auto stored = cases.get(c.id)) return *stored;
    return c;
}

// An import never creates a person: the services refuse raters nobody added
// before they get here; this is the last guard.
Person find_rater(Database& db, const std::string& name) {
    if (name.empty()) {
        if (db.actor().id == 0) invalid("imported observations need a rater");
        return db.actor();
    }
    if (auto existing = PeopleRepository(db).find(name)) return *existing;
    invalid("the rater '" + name + "' is not a person of this practice (an administrator adds people)");
}

int last_session_number(SQLite::Database& sql, RowId case_id) {
    SQLite::Statement q(sql, "SELECT coalesce(max(number), 0) FROM sessions WHERE case_id = ?");
    q.bind(1, case_id);
    q.executeStep();
    return q.getColumn(0).getInt();
}

// The stored session with this uuid, checked to belong to the case.
std::optional<Session> existing_session(Database& db, SQLite::Database& sql, const std::string& uuid,
                                        const Case& the_case) {
    SQLite::Statement q(sql, "SELECT id, case_id FROM sessions WHERE uuid = ?");
    q.bind(1, uuid);
    if (!q.executeStep()) return std::nullopt;
    if (q.getColumn(1).getInt64() != the_case.id)
        invalid("session " + uuid + " was already imported into another case, not '" + the_case.label + "'");
    return SessionRepository(db).get(q.getColumn(0).getInt64());
}

Session insert_session(Database& db, SQLite::Database& sql, const ImportedSession& imported, const Case& the_case,
                       int number) {
    Session s = imported.session;
    if (s.date.size() != 10) invalid(imported.source + ": the session date must be written yyyy-mm-dd");
    if (!std::isfinite(s.active_seconds) || s.active_seconds < 0)
        invalid(imported.source + ": the session length must be 0 seconds or more");
    if (s.uuid.empty()) s.uuid = new_uuid();
    if (!is_valid_uuid(s.uuid)) invalid(imported.source + ": '" + s.uuid + "' is not a valid uuid");
    s.case_id = the_case.id;
    s.number = number;
    s.state = SessionState::Ended;
    s.scheme_id = the_case.scheme_id;
    const std::string now = now_utc_iso();
    SQLite::Statement insert(sql, kInsertSessionSql);
    bind_session_insert(insert, s, std::nullopt, now);
    insert.exec();
    s.id = sql.getLastInsertRowid();
    append_audit(db, "create", "session", s.uuid,
                 "case=" + the_case.label + " number=" + std::to_string(s.number) + " date=" + s.date +
                     " imported from " + imported.source);
    return s;
}

bool observation_exists(Database& db, const std::string& uuid) {
    SQLite::Statement& q = db.impl().statement("SELECT 1 FROM observations WHERE uuid = ?");
    q.bind(1, uuid);
    const bool found = q.executeStep();
    q.reset();  // no read left open in the cached statement
    return found;
}

void insert_observation(Database& db, SQLite::Database& sql, Observation& o, const std::string& source,
                        const CodingScheme& scheme, const Case& the_case) {
    const std::string now = now_utc_iso();
    SQLite::Statement& insert = db.impl().statement(kInsertObservationSql);
    Observation row = o;
    row.deleted = false;
    bind_observation_insert(insert, row, now);
    insert.exec();
    o.id = sql.getLastInsertRowid();
    append_audit(db, "create", "observation", o.uuid,
                 describe_observation(o, scheme, the_case) + " imported from " + source);
}

// For BulkImport::into_existing: the existing session each imported one goes to.
std::vector<Session> existing_targets(Database& db, const BulkImport& import, const Case& the_case) {
    std::vector<Session> targets;
    for (const ImportedSession& imported : import.sessions) {
        auto found = SessionRepository(db).find(the_case.id, imported.existing_number);
        if (imported.existing_number <= 0 || !found)
            invalid(imported.source + ": case '" + the_case.label + "' has no session " +
                    std::to_string(imported.existing_number) + " to add it to");
        targets.push_back(*found);
    }
    return targets;
}

void import_layer(Database& db, SQLite::Database& sql, const CodingScheme& scheme, const Case& the_case,
                  const ImportedSession& imported, const ImportedLayer& layer, const Session& session,
                  ImportedLayerResult& outcome) {
    outcome.rater = find_rater(db, layer.rater_name);
    for (Observation o : layer.observations) {
        validate_observation(scheme, o, imported.source);
        if (o.uuid.empty()) o.uuid = new_uuid();
        if (observation_exists(db, o.uuid)) {
            ++outcome.observations_already_imported;
            continue;
        }
        o.id = 0;
        o.session_id = session.id;
        o.rater_id = outcome.rater.id;
        o.deleted = false;
        insert_observation(db, sql, o, imported.source, scheme, the_case);
        ++outcome.observations_created;
    }
}

}  // namespace

int ImportedSessionResult::observations_created() const {
    int total = 0;
    for (const ImportedLayerResult& layer : layers)
        total += layer.observations_created;
    return total;
}

int ImportedSessionResult::observations_already_imported() const {
    int total = 0;
    for (const ImportedLayerResult& layer : layers)
        total += layer.observations_already_imported;
    return total;
}

BulkImportResult import_sessions(Database& db, const BulkImport& import) {
    BulkImportResult result;
    write_transaction(db, [&](SQLite::Database& sql) {
        result = BulkImportResult{};
        if (import.into_existing && !CaseRepository(db).find_by_label(import.case_info.label))
            invalid("case '" + import.case_info.label + "' does not exist: there are no sessions to add to");
        result.the_case = find_or_create_case(db, sql, import.case_info, result.case_created);
        std::vector<Session> targets;
        if (import.into_existing) targets = existing_targets(db, import, result.the_case);
        const CodingScheme scheme = SchemeRepository(db).get(result.the_case.scheme_id);
        int number = last_session_number(sql, result.the_case.id);
        int sessions_created = 0;
        int observations_created = 0;
        std::set<std::string> raters;
        for (size_t i = 0; i < import.sessions.size(); ++i) {
            const ImportedSession& imported = import.sessions[i];
            ImportedSessionResult outcome;
            if (import.into_existing) {
                outcome.session = targets[i];
                outcome.into_existing = true;
            } else if (auto existing = existing_session(db, sql, imported.session.uuid, result.the_case)) {
                outcome.session = *existing;
                outcome.already_imported = true;
            } else {
                outcome.session = insert_session(db, sql, imported, result.the_case, ++number);
                ++sessions_created;
            }
            for (const ImportedLayer& layer : imported.layers) {
                ImportedLayerResult layer_outcome;
                import_layer(db, sql, scheme, result.the_case, imported, layer, outcome.session, layer_outcome);
                observations_created += layer_outcome.observations_created;
                raters.insert(layer_outcome.rater.name);
                outcome.layers.push_back(std::move(layer_outcome));
            }
            result.sessions.push_back(std::move(outcome));
        }
        // A re-import that found everything stored leaves no trace: nothing changed.
        if (!result.case_created && sessions_created == 0 && observations_created == 0) return;
        std::string rater_list;
        for (const std::string& name : raters)
            rater_list += (rater_list.empty() ? "" : ", ") + name;
        append_audit(db, "import", "case", result.the_case.uuid,
                     import.source + ": " + std::to_string(sessions_created) + " sessions and " +
                         std::to_string(observations_created) + " observations created, rater " + rater_list);
    });
    return result;
}

}  // namespace attune::store
