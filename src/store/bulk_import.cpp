#include "store/bulk_import.h"

#include <cmath>

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

[[noreturn]] void invalid(const std::string& message) { throw StoreError(StoreError::Kind::Invalid, message); }


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

Person find_or_create_rater(Database& db, SQLite::Database& sql, const std::string& name) {
    if (name.empty()) {
        if (db.actor().id == 0) invalid("imported observations need a rater");
        return db.actor();
    }
    if (auto existing = PeopleRepository(db).find(name)) return *existing;
    if (name.size() > 200) invalid("a person's name must be 1 to 200 characters");
    Person person;
    person.uuid = new_uuid();
    person.name = name;
    person.role = PersonRole::Coder;  // named only as the one who coded the imported file
    SQLite::Statement insert(sql, kInsertPersonSql);
    bind_person_insert(insert, person, now_utc_iso());
    insert.exec();
    person.id = sql.getLastInsertRowid();
    append_audit(db, "create", "person", person.uuid, "name=" + name + " role=" + std::string(to_string(person.role)));
    return person;
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
std::vector<Session> match_existing_sessions(Database& db, const BulkImport& import, const Case& the_case) {
    const std::vector<Session> existing = SessionRepository(db).list_for_case(the_case.id);  // date order
    std::vector<bool> used(existing.size(), false);
    std::vector<Session> targets;
    for (size_t i = 0; i < import.sessions.size(); ++i) {
        const ImportedSession& imported = import.sessions[i];
        std::optional<size_t> found;
        for (size_t k = 0; k < existing.size() && !found; ++k)
            if (!used[k] && existing[k].date == imported.session.date) found = k;
        if (!found && i < existing.size() && !used[i]) found = i;
        if (!found)
            invalid(imported.source + " (" + imported.session.date + "): case '" + the_case.label +
                    "' has no existing session of that date or position to add it to");
        used[*found] = true;
        targets.push_back(existing[*found]);
    }
    return targets;
}

}  // namespace

BulkImportResult import_sessions(Database& db, const BulkImport& import) {
    BulkImportResult result;
    write_transaction(db, [&](SQLite::Database& sql) {
        result = BulkImportResult{};
        if (import.into_existing && !CaseRepository(db).find_by_label(import.case_info.label))
            invalid("case '" + import.case_info.label + "' does not exist: there are no sessions to add to");
        result.the_case = find_or_create_case(db, sql, import.case_info, result.case_created);
        std::vector<Session> targets;
        if (import.into_existing) targets = match_existing_sessions(db, import, result.the_case);
        const CodingScheme scheme = SchemeRepository(db).get(result.the_case.scheme_id);
        result.rater = find_or_create_rater(db, sql, import.rater_name);
        int number = last_session_number(sql, result.the_case.id);
        int sessions_created = 0;
        int observations_created = 0;
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
            for (Observation o : imported.observations) {
                validate_observation(scheme, o, imported.source);
                if (o.uuid.empty()) o.uuid = new_uuid();
                if (observation_exists(db, o.uuid)) {
                    ++outcome.observations_already_imported;
                    continue;
                }
                o.id = 0;
                o.session_id = outcome.session.id;
                o.rater_id = result.rater.id;
                o.deleted = false;
                insert_observation(db, sql, o, imported.source, scheme, result.the_case);
                ++outcome.observations_created;
            }
            observations_created += outcome.observations_created;
            result.sessions.push_back(std::move(outcome));
        }
        // A re-import that found everything stored leaves no trace: nothing changed.
        if (!result.case_created && sessions_created == 0 && observations_created == 0) return;
        append_audit(db, "import", "case", result.the_case.uuid,
                     import.source + ": " + std::to_string(sessions_created) + " sessions and " +
                         std::to_string(observations_created) + " observations created, rater " +
                         result.rater.name);
    });
    return result;
}

}  // namespace attune::store
