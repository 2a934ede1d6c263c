// bundle_merge.cpp: importing a case bundle (rules in bundle.h). The bundle
// is attached to the target connection, so each table merges in a few
// INSERT ... SELECT / UPDATE ... FROM statements inside one transaction.
#include "store/audit_write.h"
#include "store/bundle.h"
#include "store/bundle_internal.h"
#include "store/signing.h"
#include "store/sqlite_access.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "core/dates.h"
#include "core/instrument_json.h"
#include "core/measures.h"
#include "core/recordings.h"

namespace attune::store {
namespace {

using namespace bundle_detail;

[[noreturn]] void invalid(const std::string& message) { throw StoreError(StoreError::Kind::Invalid, message); }

// One row the import created or changed, for its own audit row.
struct Touched {
    std::string action;  // create, update
    std::string entity;  // case, session, observation, progress_note, ...
    std::string id;      // its uuid (a note's: its session's)
    std::string detail;
};

// Steps a statement whose RETURNING gives (id, detail) for each row it wrote;
// returns how many.
int collect(SQLite::Statement& q, const char* action, const char* entity, std::vector<Touched>& touched) {
    int n = 0;
    while (q.executeStep()) {
        touched.push_back({action, entity, q.getColumn(0).getString(), q.getColumn(1).getString()});
        ++n;
    }
    return n;
}

int collect(SQLite::Database& sql, const std::string& statement, const char* action, const char* entity,
            std::vector<Touched>& touched) {
    SQLite::Statement q(sql, statement);
    return collect(q, action, entity, touched);
}

// RETURNING text naming a session's uuid from its id.
const std::string kSessionUuid = "(SELECT uuid FROM main.sessions WHERE id = session_id)";

// How one table with updated_at merges: rows present on both sides, matched by `join`.
struct TableMerge {
    std::string table;      // e.g. "sessions" (same name in main and bundle)
    std::string from;       // FROM/JOIN text binding t (main) and b (bundle), plus any lookups
    std::string match;      // WHERE text that pairs t with b
    std::string differs;    // true when the content differs
    std::string set;        // UPDATE's SET list (updated_at included)
    std::string describe;   // SQL text naming the row for the conflict report
    const char* entity;     // for the audit rows
    std::string returning;  // RETURNING text: the row's uuid, and a detail
    std::string stamp = "updated_at";  // the column (in t and b) that says which version is newer
};

// Reports the pairs whose content differs and where this database's row is
// as new or newer (counted in `conflicted`); updates the others. Returns the
// number of rows updated.
int merge_existing(SQLite::Database& sql, const TableMerge& m, std::vector<std::string>& conflicts, int& conflicted,
                   std::vector<Touched>& touched, const std::string& changed_since) {
    const std::string t = "t." + m.stamp, b = "b." + m.stamp;
    SQLite::Statement q(sql, "SELECT " + m.describe + ", " + t + ", " + b + " FROM " + m.from + " WHERE " + m.match +
                                 " AND " + b + " <= " + t + " AND " + m.differs);
    while (q.executeStep()) {
        conflicts.push_back(q.getColumn(0).getString() + " was changed here (" + q.getColumn(1).getString() +
                            ") as late as or after the bundle's version (" + q.getColumn(2).getString() +
                            "): this database's version was kept");
        ++conflicted;
    }
    // Changed here since `changed_since` too (the last sync): the newer version
    // wins as always, and the edit it replaces is reported (a progress note's
    // stays in its history).
    if (!changed_since.empty()) {
        SQLite::Statement both(sql, "SELECT " + m.describe + ", " + t + ", " + b + " FROM " + m.from + " WHERE " +
                                        m.match + " AND " + b + " > " + t + " AND " + t + " > ? AND " + m.differs);
        both.bind(1, changed_since);
        while (both.executeStep()) {
            conflicts.push_back(both.getColumn(0).getString() + " was changed both here (" +
                                both.getColumn(1).getString() + ") and on another machine (" +
                                both.getColumn(2).getString() +
                                ") since the last sync: the later version was kept, this one replaced");
            ++conflicted;
        }
    }
    // UPDATE ... FROM cannot name t in its FROM: the lookups there use b only.
    return collect(sql,
                   "UPDATE main." + m.table + " AS t SET " + m.set + " FROM " + m.from.substr(m.from.find(",") + 1) +
                       " WHERE " + m.match + " AND " + b + " > " + t + " AND " + m.differs + " RETURNING " +
                           m.returning,
                   "update", m.entity, touched);
}

void check_no_clashes(SQLite::Database& sql) {
    SQLite::Statement labels(sql,
                             "SELECT b.label FROM bundle.cases b JOIN main.cases c ON c.label = b.label "
                             "WHERE c.uuid <> b.uuid");
    if (labels.executeStep())
        invalid("the label '" + labels.getColumn(0).getString() +
                "' already names a different case in this database; rename that case before importing");
    SQLite::Statement numbers(sql,
                              "SELECT c.label, b.number FROM bundle.sessions b JOIN main.cases c ON c.uuid = "
                              "b.case_uuid JOIN main.sessions s ON s.case_id = c.id AND s.number = b.number "
                              "AND s.uuid <> b.uuid");
    if (numbers.executeStep())
        invalid("case '" + numbers.getColumn(0).getString() + "' already has a session " +
                numbers.getColumn(1).getString() + " that is not the bundle's session " +
                numbers.getColumn(1).getString());
}

const std::string kScheme =
    "(SELECT id FROM main.schemes WHERE name = b.scheme_name AND version = b.scheme_version)";
// The case's supervisor (format 5): NULL for '' (none).
const std::string kSupervisor =
    "(SELECT id FROM main.people WHERE name = b.supervisor_name AND b.supervisor_name <> '')";
// A session running on the source machine has no clock here: it arrives paused.
const std::string kState = "(CASE b.state WHEN 'running' THEN 'paused' ELSE b.state END)";
// And a session running here is the same as the bundle's paused one (the
// practice server hands back the running session this machine pushed).
const std::string kStateHere = "(CASE t.state WHEN 'running' THEN 'paused' ELSE t.state END)";

BundleCounts merge_updates(SQLite::Database& sql, BundleImportReport& report, std::vector<Touched>& touched,
                           const std::string& changed_since) {
    std::vector<std::string>& conflicts = report.conflicts;
    BundleCounts& conflicted = report.conflicted;
    BundleCounts n;
    // Participants follow a case whose bundle version is newer (before the case
    // row takes the bundle's updated_at).
    for (const char* role : {"A", "B"}) {
        const std::string r = role == std::string("A") ? "a" : "b";
        collect(sql,
                "UPDATE main.participants AS p SET display_name = b." + r + "_name, attachment_style = b." + r +
                    "_style, cycle_position = b." + r + "_cycle FROM bundle.cases AS b JOIN main.cases AS c ON "
                    "c.uuid = b.uuid WHERE p.case_id = c.id AND p.role = '" + role + "' AND b.updated_at > "
                    "c.updated_at AND (p.display_name IS NOT b." + r + "_name OR p.attachment_style IS NOT b." + r +
                    "_style OR p.cycle_position IS NOT b." + r + "_cycle) RETURNING (SELECT uuid FROM main.cases "
                    "WHERE id = case_id), 'partner " + role + "'",
                "update", "participant", touched);
    }
    n.cases = merge_existing(
        sql, {"cases", "main.cases AS t, bundle.cases AS b", "b.uuid = t.uuid",
              "(t.label IS NOT b.label OR t.start_date IS NOT b.start_date OR t.status IS NOT b.status OR "
              "t.goals IS NOT b.goals OR t.clinician_id IS NOT (SELECT id FROM main.people WHERE name = "
              "b.clinician_name) OR t.supervisor_id IS NOT " + kSupervisor + ")",
              "label = b.label, start_date = b.start_date, status = b.status, goals = b.goals, clinician_id = "
              "(SELECT id FROM main.people WHERE name = b.clinician_name), supervisor_id = " + kSupervisor +
                  ", updated_at = b.updated_at",
              "'case ' || t.label", "case", "uuid, 'label=' || label"},
        conflicts, conflicted.cases, touched, changed_since);
    n.sessions = merge_existing(
        sql, {"sessions", "main.sessions AS t, bundle.sessions AS b JOIN main.cases AS c ON c.uuid = b.case_uuid",
              "b.uuid = t.uuid",
              "(t.date IS NOT b.date OR t.start_time IS NOT b.start_time OR " + kStateHere + " IS NOT " + kState +
                  " OR t.active_seconds IS NOT b.active_seconds OR t.eft_stage IS NOT b.eft_stage OR t.eft_step IS "
                  "NOT b.eft_step OR t.attunement_a IS NOT b.attunement_a OR t.attunement_b IS NOT b.attunement_b "
                  "OR t.safety IS NOT b.safety OR t.ended_at IS NOT b.ended_at)",
              "date = b.date, start_time = b.start_time, state = " + kState +
                  ", active_seconds = b.active_seconds, resumed_at = NULL, eft_stage = b.eft_stage, eft_step = "
                  "b.eft_step, attunement_a = b.attunement_a, attunement_b = b.attunement_b, safety = b.safety, "
                  "ended_at = b.ended_at, updated_at = b.updated_at",
              "'case ' || c.label || ' session ' || t.number", "session", "uuid, 'session ' || number"},
        conflicts, conflicted.sessions, touched, changed_since);
    n.observations = merge_existing(
        sql, {"observations",
              "main.observations AS t, bundle.observations AS b JOIN main.sessions AS s ON s.uuid = b.session_uuid "
              "JOIN main.cases AS c ON c.id = s.case_id",
              "b.uuid = t.uuid",
              "(t.t IS NOT b.t OR t.stop IS NOT b.stop OR t.kind IS NOT b.kind OR t.who IS NOT b.who OR t.code_id "
              "IS NOT b.code_id OR t.intensity IS NOT b.intensity OR t.comment IS NOT b.comment OR t.deleted IS "
              "NOT b.deleted)",
              "t = b.t, stop = b.stop, kind = b.kind, who = b.who, code_id = b.code_id, intensity = b.intensity, "
              "comment = b.comment, deleted = b.deleted, updated_at = b.updated_at",
              "'case ' || c.label || ' session ' || s.number || ': observation ' || b.code_id || ' at ' || "
              "printf('%.1f', b.t) || ' s'",
              "observation", "uuid, code_id || ' at ' || printf('%.1f', t) || ' s'"},
        conflicts, conflicted.observations, touched, changed_since);
    // A note signed here is locked (the triggers would refuse the update): a
    // bundle version that differs is a conflict, whatever its updated_at.
    SQLite::Statement signed_notes(
        sql, "SELECT c.label, s.number FROM bundle.progress_notes b JOIN main.sessions s ON s.uuid = b.session_uuid "
             "JOIN main.cases c ON c.id = s.case_id LEFT JOIN main.progress_notes t ON t.session_id = s.id WHERE "
             "EXISTS (SELECT 1 FROM main.signatures g WHERE g.session_id = s.id) AND (COALESCE(t.data, '') <> b.data "
             "OR COALESCE(t.assessment, '') <> b.assessment OR COALESCE(t.plan, '') <> b.plan)");
    while (signed_notes.executeStep()) {
        conflicts.push_back("case " + signed_notes.getColumn(0).getString() + " session " +
                            signed_notes.getColumn(1).getString() +
                            ": progress note is signed here and the bundle's version differs: this database's "
                            "signed note was kept");
        ++conflicted.progress_notes;
    }
    n.progress_notes = merge_existing(
        sql, {"progress_notes",
              "main.progress_notes AS t, bundle.progress_notes AS b JOIN main.sessions AS s ON s.uuid = "
              "b.session_uuid JOIN main.cases AS c ON c.id = s.case_id",
              "s.id = t.session_id AND NOT EXISTS (SELECT 1 FROM main.signatures g WHERE g.session_id = t.session_id)",
              "(t.data IS NOT b.data OR t.assessment IS NOT b.assessment OR t.plan IS NOT b.plan)",
              "data = b.data, assessment = b.assessment, plan = b.plan, updated_at = b.updated_at",
              "'case ' || c.label || ' session ' || s.number || ': progress note'", "progress_note",
              kSessionUuid + ", ''"},
        conflicts, conflicted.progress_notes, touched, changed_since);
    n.process_notes = merge_existing(
        sql, {"process_notes",
              "main.process_notes AS t, bundle.process_notes AS b JOIN main.sessions AS s ON s.uuid = "
              "b.session_uuid JOIN main.cases AS c ON c.id = s.case_id",
              "s.id = t.session_id", "(t.body IS NOT b.body)", "body = b.body, updated_at = b.updated_at",
              "'case ' || c.label || ' session ' || s.number || ': private process note'", "process_note",
              kSessionUuid + ", ''"},
        conflicts, conflicted.process_notes, touched, changed_since);
    // Homework has no updated_at: a check-off travels only into an unchecked item.
    SQLite::Statement homework(sql,
                               "SELECT c.label, t.description FROM main.homework t JOIN bundle.homework b ON "
                               "b.uuid = t.uuid JOIN main.cases c ON c.id = t.case_id WHERE t.done IS NOT NULL AND "
                               "b.done IS NOT NULL AND t.done <> b.done");
    while (homework.executeStep()) {
        conflicts.push_back("case " + homework.getColumn(0).getString() + ": homework '" +
                            homework.getColumn(1).getString() +
                            "' is checked off differently here: this database's version was kept");
        ++conflicted.homework;
    }
    n.homework = collect(sql,
                         "UPDATE main.homework AS t SET done = b.done FROM bundle.homework AS b WHERE b.uuid = "
                         "t.uuid AND t.done IS NULL AND b.done IS NOT NULL RETURNING uuid, "
                         "CASE done WHEN 1 THEN 'done' ELSE 'not done' END",
                         "update", "homework", touched);
    return n;
}

BundleCounts insert_new(SQLite::Database& sql, std::vector<Touched>& touched) {
    const std::string now = now_utc_iso();
    // Roles are never taken from a bundle (they are granted here, by signed
    // statements): a person new here is recorded with the least role.
    SQLite::Statement people(sql,
                             "INSERT INTO main.people (uuid, name, role, created_at) SELECT b.uuid, b.name, 'coder', "
                             "? FROM bundle.people b WHERE NOT EXISTS (SELECT 1 FROM main.people p WHERE p.name = "
                             "b.name OR p.uuid = b.uuid) RETURNING uuid, 'name=' || name || ' role=' || role");
    people.bind(1, now);
    collect(people, "create", "person", touched);
    SQLite::Statement schemes(sql,
                              "INSERT OR IGNORE INTO main.schemes (name, version, content, created_at) "
                              "SELECT name, version, content, ? FROM bundle.schemes RETURNING id, name || ' version ' "
                              "|| version");
    schemes.bind(1, now);
    collect(schemes, "create", "scheme", touched);
    BundleCounts n;
    n.cases = collect(sql,
        "INSERT INTO main.cases (uuid, label, clinician_id, supervisor_id, start_date, status, goals, scheme_id, "
        "created_at, updated_at) SELECT b.uuid, b.label, (SELECT id FROM main.people WHERE name = b.clinician_name), "
        + kSupervisor + ", b.start_date, b.status, b.goals, " + kScheme + ", b.created_at, b.updated_at "
        "FROM bundle.cases b "
        "WHERE NOT EXISTS (SELECT 1 FROM main.cases c WHERE c.uuid = b.uuid) RETURNING uuid, 'label=' || label",
        "create", "case", touched);
    for (const char* role : {"A", "B"}) {
        const std::string r = role == std::string("A") ? "a" : "b";
        sql.exec("INSERT INTO main.participants (case_id, role, display_name, attachment_style, cycle_position) "
                 "SELECT c.id, '" + std::string(role) + "', b." + r + "_name, b." + r + "_style, b." + r +
                 "_cycle FROM bundle.cases b JOIN main.cases c "
                 "ON c.uuid = b.uuid WHERE NOT EXISTS (SELECT 1 FROM main.participants p WHERE p.case_id = c.id "
                 "AND p.role = '" + role + "')");
    }
    n.sessions = collect(sql,
        "INSERT INTO main.sessions (uuid, case_id, number, date, start_time, state, active_seconds, resumed_at, "
        "eft_stage, eft_step, attunement_a, attunement_b, safety, scheme_id, created_at, updated_at, ended_at) "
        "SELECT b.uuid, c.id, b.number, b.date, b.start_time, " + kState + ", b.active_seconds, NULL, b.eft_stage, "
        "b.eft_step, b.attunement_a, b.attunement_b, b.safety, " + kScheme + ", b.created_at, b.updated_at, "
        "b.ended_at FROM bundle.sessions b JOIN main.cases c ON c.uuid = b.case_uuid "
        "WHERE NOT EXISTS (SELECT 1 FROM main.sessions s WHERE s.uuid = b.uuid) ORDER BY c.id, b.number "
        "RETURNING uuid, 'session ' || number",
        "create", "session", touched);
    n.observations = collect(sql,
        "INSERT INTO main.observations (uuid, session_id, rater_id, t, stop, kind, who, code_id, intensity, "
        "comment, deleted, created_at, updated_at) SELECT b.uuid, s.id, (SELECT id FROM main.people WHERE name = "
        "b.rater_name), b.t, b.stop, b.kind, b.who, b.code_id, b.intensity, b.comment, b.deleted, b.created_at, "
        "b.updated_at FROM bundle.observations b JOIN main.sessions s ON s.uuid = b.session_uuid "
        "WHERE NOT EXISTS (SELECT 1 FROM main.observations o WHERE o.uuid = b.uuid) "
        "RETURNING uuid, code_id || ' at ' || printf('%.1f', t) || ' s'",
        "create", "observation", touched);
    n.progress_notes = collect(sql,
        "INSERT INTO main.progress_notes (session_id, data, assessment, plan, updated_at) SELECT s.id, b.data, "
        "b.assessment, b.plan, b.updated_at FROM bundle.progress_notes b JOIN main.sessions s ON s.uuid = "
        "b.session_uuid WHERE NOT EXISTS (SELECT 1 FROM main.progress_notes n WHERE n.session_id = s.id) "
        "AND NOT EXISTS (SELECT 1 FROM main.signatures g WHERE g.session_id = s.id) RETURNING " + kSessionUuid + ", ''",
        "create", "progress_note", touched);
    n.process_notes = collect(sql,
        "INSERT INTO main.process_notes (session_id, body, updated_at) SELECT s.id, b.body, b.updated_at FROM "
        "bundle.process_notes b JOIN main.sessions s ON s.uuid = b.session_uuid "
        "WHERE NOT EXISTS (SELECT 1 FROM main.process_notes n WHERE n.session_id = s.id) RETURNING " + kSessionUuid +
            ", ''",
        "create", "process_note", touched);
    SQLite::Statement homework(sql,
                               "INSERT INTO main.homework (uuid, case_id, agreed_session_id, description, done, "
                               "created_at) SELECT b.uuid, c.id, s.id, b.description, b.done, b.created_at FROM "
                               "bundle.homework b JOIN main.cases c ON c.uuid = b.case_uuid JOIN main.sessions s ON "
                               "s.uuid = b.session_uuid WHERE NOT EXISTS (SELECT 1 FROM main.homework h WHERE "
                               "h.uuid = b.uuid) ORDER BY b.rowid RETURNING uuid, description");
    n.homework = collect(homework, "create", "homework", touched);
    return n;
}

// [SECTION] Signatures and addenda (rules in bundle.h)

bool bundle_has_table(SQLite::Database& sql, const std::string& table) {
    SQLite::Statement q(sql, "SELECT 1 FROM bundle.sqlite_master WHERE type = 'table' AND name = ?");
    q.bind(1, table);
    return q.executeStep();
}

// The person a bundle's signature is recorded against: the one with the
// signer's uuid, never a namesake. A signer new here is added (as a coder,
// roles are not taken from bundles) under their name, or under "NAME (other
// practice)" when a different person here has that name.
RowId signer_here(SQLite::Database& sql, const std::string& uuid, const std::string& name,
                  std::vector<Touched>& touched) {
    SQLite::Statement by_uuid(sql, "SELECT id FROM main.people WHERE uuid = ?");
    by_uuid.bind(1, uuid);
    if (by_uuid.executeStep()) return by_uuid.getColumn(0).getInt64();
    std::string recorded = name;
    for (int n = 1;; ++n) {
        SQLite::Statement taken(sql, "SELECT 1 FROM main.people WHERE name = ?");
        taken.bind(1, recorded);
        if (!taken.executeStep()) break;
        recorded = name + " (other practice" + (n > 1 ? " " + std::to_string(n) : std::string()) + ")";
    }
    SQLite::Statement insert(sql, "INSERT INTO main.people (uuid, name, role, created_at) VALUES (?, ?, 'coder', ?)");
    insert.bind(1, uuid);
    insert.bind(2, recorded);
    insert.bind(3, now_utc_iso());
    insert.exec();
    touched.push_back({"create", "person", uuid, "name=" + recorded + " role=coder"});
    return sql.getLastInsertRowid();
}

// A rater of a signed layer: by uuid, else as their observations were
// attributed (by the bundle's name for that uuid).
std::optional<RowId> rater_here(SQLite::Database& sql, const std::string& uuid) {
    SQLite::Statement q(sql,
                        "SELECT id FROM main.people WHERE uuid = ?1 UNION ALL SELECT m.id FROM main.people m "
                        "JOIN bundle.people b ON b.name = m.name WHERE b.uuid = ?1 LIMIT 1");
    q.bind(1, uuid);
    if (q.executeStep()) return q.getColumn(0).getInt64();
    return std::nullopt;
}

int merge_signatures(SQLite::Database& sql, std::vector<std::string>& conflicts, int& conflicted,
                     std::vector<Touched>& touched) {
    int created = 0;
    const int conflicts_before = static_cast<int>(conflicts.size());
    // The signature before the co-signature of the same session.
    SQLite::Statement q(sql,
                        "SELECT s.id, 'case ' || c.label || ' session ' || s.number, b.signer_name, b.role, "
                        "b.signed_at, b.note_sha256, b.signer_uuid, b.digest, b.signature, b.signer_key, s.uuid "
                        "FROM bundle.signatures b JOIN main.sessions s ON s.uuid = b.session_uuid JOIN main.cases c "
                        "ON c.id = s.case_id ORDER BY s.id, CASE b.role WHEN 'sign' THEN 0 ELSE 1 END");
    while (q.executeStep()) {
        const RowId session_id = q.getColumn(0).getInt64();
        const std::string where = q.getColumn(1).getString();
        const std::string signer = q.getColumn(2).getString();
        const std::string role = q.getColumn(3).getString();
        const std::string signed_at = q.getColumn(4).getString();
        const std::string sha = q.getColumn(5).getString();
        const std::string signer_uuid = q.getColumn(6).getString();
        const std::string digest = q.getColumn(7).getString();
        const std::string signature = q.getColumn(8).getString();
        const std::string signer_key = q.getColumn(9).getString();
        const std::string session_uuid = q.getColumn(10).getString();
        const std::string what = std::string(role == "sign" ? "signature" : "co-signature") + " by " + signer + " (" +
                                 signed_at + ")";
        SQLite::Statement here(sql,
                               "SELECT p.name, g.signed_at, p.uuid, g.digest, g.signature FROM main.signatures g "
                               "JOIN main.people p ON p.id = g.signer_id WHERE g.session_id = ? AND g.role = ?");
        here.bind(1, session_id);
        here.bind(2, role);
        if (here.executeStep()) {
            const bool same = here.getColumn(2).getString() == signer_uuid &&
                              here.getColumn(1).getString() == signed_at && here.getColumn(3).getString() == digest &&
                              here.getColumn(4).getString() == signature;
            if (!same)
                conflicts.push_back(where + ": the bundle's " + what + " was not imported: the note already has a " +
                                    (role == "sign" ? "signature" : "co-signature") + " here by " +
                                    here.getColumn(0).getString() + " (" + here.getColumn(1).getString() + ")");
            continue;
        }
        if (signer_uuid.empty() || digest.empty() || signature.empty()) {
            conflicts.push_back(where + ": the bundle's " + what + " carries no digest, key or signer: not imported");
            continue;
        }
        if (note_sha256(read_progress_note(sql, session_id)) != sha) {
            conflicts.push_back(where + ": the bundle's " + what +
                                " is for a different version of the progress note than this database's: not "
                                "imported, this database's note was kept");
            continue;
        }
        if (role == "cosign") {
            SQLite::Statement has_sign(sql, "SELECT 1 FROM main.signatures WHERE session_id = ? AND role = 'sign'");
            has_sign.bind(1, session_id);
            if (!has_sign.executeStep()) {
                conflicts.push_back(where + ": the bundle's " + what +
                                    " was not imported: the note has no therapist's signature here");
                continue;
            }
        }
        std::vector<RowId> layers;
        bool layers_known = true;
        SQLite::Statement layer_q(sql, "SELECT rater_uuid FROM bundle.signature_layers WHERE session_uuid = ? AND "
                                       "role = ? ORDER BY rater_uuid");
        layer_q.bind(1, session_uuid);
        layer_q.bind(2, role);
        while (layer_q.executeStep()) {
            const auto rater = rater_here(sql, layer_q.getColumn(0).getString());
            if (!rater) layers_known = false;
            else layers.push_back(*rater);
        }
        if (!layers_known) {
            conflicts.push_back(where + ": the bundle's " + what +
                                " covers the coding of a person the bundle does not name: not imported");
            continue;
        }
        const RowId signer_id = signer_here(sql, signer_uuid, signer, touched);
        SQLite::Statement name_here(sql, "SELECT name FROM main.people WHERE id = ?");
        name_here.bind(1, signer_id);
        name_here.executeStep();
        const std::string recorded_name = name_here.getColumn(0).getString();
        SQLite::Statement insert(sql,
                                 "INSERT INTO main.signatures (session_id, signer_id, role, signed_at, note_sha256, "
                                 "digest, signature, signed_name, signer_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, session_id);
        insert.bind(2, signer_id);
        insert.bind(3, role);
        insert.bind(4, signed_at);
        insert.bind(5, sha);
        insert.bind(6, digest);
        insert.bind(7, signature);
        insert.bind(8, recorded_name == signer ? std::string() : signer);
        insert.bind(9, signer_key);
        insert.exec();
        const RowId id = sql.getLastInsertRowid();
        SQLite::Statement layer(sql, "INSERT OR IGNORE INTO main.signature_layers (signature_id, rater_id) VALUES (?, ?)");
        for (const RowId rater : layers) {
            layer.bind(1, id);
            layer.bind(2, rater);
            layer.exec();
            layer.reset();
        }
        touched.push_back({"create", "signature", session_uuid, role + " by " + signer + " (" + signed_at + ")"});
        ++created;
    }
    conflicted += static_cast<int>(conflicts.size()) - conflicts_before;
    return created;
}

void merge_supervision(SQLite::Database& sql, BundleImportReport& report, std::vector<Touched>& touched) {
    report.created.signatures = merge_signatures(sql, report.conflicts, report.conflicted.signatures, touched);
    const std::string same_addendum =
        "EXISTS (SELECT 1 FROM main.addenda a JOIN main.people p ON p.id = a.author_id WHERE a.session_id = s.id "
        "AND p.name = b.author_name AND a.created_at = b.created_at AND a.body = b.body)";
    const std::string signed_here = "EXISTS (SELECT 1 FROM main.signatures g WHERE g.session_id = s.id)";
    SQLite::Statement orphans(sql, "SELECT 'case ' || c.label || ' session ' || s.number, b.author_name, b.created_at "
                                   "FROM bundle.addenda b JOIN main.sessions s ON s.uuid = b.session_uuid JOIN "
                                   "main.cases c ON c.id = s.case_id WHERE NOT " + signed_here + " AND NOT " +
                                       same_addendum + " ORDER BY b.rowid");
    while (orphans.executeStep()) {
        report.conflicts.push_back(orphans.getColumn(0).getString() + ": addendum by " +
                                   orphans.getColumn(1).getString() + " (" + orphans.getColumn(2).getString() +
                                   ") not imported: the note is not signed here");
        ++report.conflicted.addenda;
    }
    report.created.addenda = collect(sql,
        "INSERT INTO main.addenda (session_id, author_id, created_at, body) SELECT s.id, (SELECT id FROM main.people "
        "WHERE name = b.author_name), b.created_at, b.body FROM bundle.addenda b JOIN main.sessions s ON s.uuid = "
        "b.session_uuid WHERE " + signed_here + " AND NOT " + same_addendum + " ORDER BY b.rowid RETURNING " +
            kSessionUuid + ", 'by ' || (SELECT name FROM main.people WHERE id = author_id) || ' (' || created_at || ')'",
        "create", "addendum", touched);
}

// Rows removed on another machine (`select`: what, changed here, removed
// there) but changed here since: kept, each reported as a conflict.
void report_kept_after_removal(SQLite::Database& sql, const std::string& select, const char* changed,
                               const char* removed, std::vector<std::string>& conflicts, int& conflicted) {
    SQLite::Statement q(sql, select);
    while (q.executeStep()) {
        conflicts.push_back(q.getColumn(0).getString() + " was " + changed + " here (" + q.getColumn(1).getString() +
                            ") after it was " + removed + " on another machine (" + q.getColumn(2).getString() +
                            "): it was kept");
        ++conflicted;
    }
}

// [SECTION] Review comments (format 7)

void merge_comments(SQLite::Database& sql, BundleImportReport& report, std::vector<Touched>& touched,
                    const std::string& changed_since) {
    // A removal names the comment's session too: a bundle reaches no comment
    // of another session by its uuid. Taken down at the source: taken down here
    // too, unless it was edited here later.
    report_kept_after_removal(
        sql,
        "SELECT 'case ' || c.label || ' session ' || s.number || ': comment at ' || printf('%.1f', t.t) || ' s', "
        "t.updated_at, r.removed_at FROM bundle.removed_comments r JOIN main.review_comments t ON t.uuid = r.uuid "
        "JOIN main.sessions s ON s.id = t.session_id AND s.uuid = r.session_uuid JOIN main.cases c ON c.id = "
        "s.case_id WHERE t.updated_at > r.removed_at ORDER BY t.id",
        "edited", "taken down", report.conflicts, report.conflicted.comments);
    report.updated.comments += collect(
        sql, "DELETE FROM main.review_comments AS t WHERE EXISTS (SELECT 1 FROM bundle.removed_comments r JOIN "
             "main.sessions s ON s.uuid = r.session_uuid WHERE r.uuid = t.uuid AND s.id = t.session_id AND "
             "t.updated_at <= r.removed_at) RETURNING " + kSessionUuid +
             ", 'taken down: by ' || (SELECT name FROM main.people WHERE id = author_id) || ' at ' || "
             "printf('%.1f', t) || ' s'",
        "delete", "comment", touched);
    sql.exec("INSERT INTO main.removed_comments (uuid, session_id, removed_at) SELECT r.uuid, s.id, r.removed_at "
             "FROM bundle.removed_comments r JOIN main.sessions s ON s.uuid = r.session_uuid WHERE NOT EXISTS "
             "(SELECT 1 FROM main.review_comments m WHERE m.uuid = r.uuid) ON CONFLICT (uuid) DO UPDATE SET "
             "removed_at = max(removed_at, excluded.removed_at)");
    // Edits: the same comment (uuid, session and author), the newer version wins.
    report.updated.comments += merge_existing(
        sql, {"review_comments",
              "main.review_comments AS t, bundle.review_comments AS b JOIN main.sessions AS s ON s.uuid = "
              "b.session_uuid JOIN main.cases AS c ON c.id = s.case_id",
              "t.uuid = b.uuid AND t.session_id = s.id AND t.author_id = (SELECT id FROM main.people WHERE name = "
              "b.author_name)",
              "(t.t IS NOT b.t OR t.body IS NOT b.body)", "t = b.t, body = b.body, updated_at = b.updated_at",
              "'case ' || c.label || ' session ' || s.number || ': comment by ' || b.author_name || ' at ' || "
              "printf('%.1f', b.t) || ' s'",
              "comment",
              kSessionUuid + ", 'by ' || (SELECT name FROM main.people WHERE id = author_id) || ' at ' || "
                             "printf('%.1f', t) || ' s'"},
        report.conflicts, report.conflicted.comments, touched, changed_since);
    // New here, unless taken down here since the bundle's version was written.
    report.created.comments += collect(sql,
        "INSERT INTO main.review_comments (uuid, session_id, author_id, t, body, created_at, updated_at) SELECT "
        "b.uuid, s.id, (SELECT id FROM main.people WHERE name = b.author_name), b.t, b.body, b.created_at, "
        "b.updated_at FROM bundle.review_comments b JOIN main.sessions s ON s.uuid = b.session_uuid WHERE NOT "
        "EXISTS (SELECT 1 FROM main.review_comments r WHERE r.uuid = b.uuid) AND NOT EXISTS (SELECT 1 FROM "
        "main.removed_comments r WHERE r.uuid = b.uuid AND r.removed_at >= b.updated_at) ORDER BY b.rowid "
        "RETURNING " + kSessionUuid +
            ", 'by ' || (SELECT name FROM main.people WHERE id = author_id) || ' at ' || printf('%.1f', t) || ' s'",
        "create", "comment", touched);
}

// [SECTION] Couple-reported measures (format 6)

// The bundle's item scores ("[3,4,null,5]") as a measure's items; nothing
// when the text is not such a list.
std::optional<std::vector<std::optional<double>>> items_of(const std::string& text) {
    const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
    if (!parsed.is_array()) return std::nullopt;
    std::vector<std::optional<double>> items;
    for (const nlohmann::json& item : parsed) {
        if (item.is_null()) items.emplace_back();
        else if (item.is_number()) items.emplace_back(item.get<double>());
        else return std::nullopt;
    }
    return items;
}

// Refuses (nothing is imported) a bundle whose instrument files do not parse,
// take a shipped instrument's id, or whose measures are not valid for their
// instrument; reports a file whose id this practice uses for another file.
// Returns the ids of the bundle's files that are new here.
std::vector<std::string> check_measures(SQLite::Database& sql, const std::string& file,
                                        const InstrumentCatalog* practice, BundleImportReport& report) {
    InstrumentCatalog catalog;
    if (practice)
        for (const Instrument& i : practice->all()) catalog.add(i);
    std::vector<std::string> fresh;
    SQLite::Statement files(sql, "SELECT b.id, b.content, m.content FROM bundle.instruments b LEFT JOIN "
                                 "main.instruments m ON m.id = b.id ORDER BY b.id");
    while (files.executeStep()) {
        const std::string id = files.getColumn(0).getString();
        const std::string content = files.getColumn(1).getString();
        if (!files.getColumn(2).isNull()) {
            if (files.getColumn(2).getString() != content) {
                report.conflicts.push_back("instrument '" + id +
                                           "': this practice has a different file of that id; its own was kept");
                ++report.conflicted.measures;
            }
            if (!practice) catalog.add(parse_instrument_json(files.getColumn(2).getString()));
            continue;
        }
        if (catalog.find(id)) invalid(file + " holds an instrument file '" + id + "' under a shipped instrument's id: "
                                                  "nothing was imported");
        try {
            Instrument parsed = parse_instrument_json(content);
            if (parsed.id != id) throw InstrumentFormatError("its id is '" + parsed.id + "'");
            catalog.add(std::move(parsed));
        } catch (const InstrumentFormatError& e) {
            invalid(file + " holds an instrument file '" + id + "' that is not valid (" + e.what() +
                    "): nothing was imported");
        }
        fresh.push_back(id);
    }
    if (!practice) {
        SQLite::Statement stored(sql, "SELECT content FROM main.instruments WHERE id NOT IN (SELECT id FROM "
                                      "bundle.instruments)");
        while (stored.executeStep()) catalog.add(parse_instrument_json(stored.getColumn(0).getString()));
    }
    SQLite::Statement measures(sql, "SELECT b.uuid, b.partner, b.instrument_id, b.date, b.items, b.entered_total, "
                                    "coalesce((SELECT label FROM bundle.cases WHERE uuid = b.case_uuid), (SELECT "
                                    "label FROM main.cases WHERE uuid = b.case_uuid), b.case_uuid) FROM "
                                    "bundle.measures b ORDER BY b.rowid");
    while (measures.executeStep()) {
        const std::string where = file + ": the measure " + measures.getColumn(0).getString() + " of case " +
                                  measures.getColumn(6).getString() + " ";
        Measure m;
        const std::string partner = measures.getColumn(1).getString();
        if (partner != "A" && partner != "B") invalid(where + "names a partner '" + partner + "': nothing was imported");
        m.partner = partner == "A" ? Who::A : Who::B;
        m.instrument_id = measures.getColumn(2).getString();
        m.date = measures.getColumn(3).getString();
        if (!is_iso_date(m.date)) invalid(where + "has the date '" + m.date + "': nothing was imported");
        if (!measures.getColumn(5).isNull()) m.entered_total = measures.getColumn(5).getDouble();
        if (!measures.getColumn(4).isNull()) {
            const auto items = items_of(measures.getColumn(4).getString());
            if (!items) invalid(where + "has item scores that are not a list of numbers: nothing was imported");
            m.items = *items;
        }
        const Instrument* instrument = catalog.find(m.instrument_id);
        if (!instrument)
            invalid(where + "is of an instrument '" + m.instrument_id + "' this practice does not have and the "
                            "bundle does not bring: nothing was imported");
        if (const auto error = measure_error(m, *instrument)) invalid(where + "is not valid: " + *error +
                                                                      ": nothing was imported");
    }
    return fresh;
}

void merge_measures(SQLite::Database& sql, const std::string& file, const InstrumentCatalog* instruments,
                    BundleImportReport& report, std::vector<Touched>& touched, const std::string& changed_since,
                    RowId actor) {
    if (!bundle_has_table(sql, "measures")) return;
    const std::vector<std::string> fresh = check_measures(sql, file, instruments, report);
    // New instrument files, recorded as added by whoever entered the bundle's first measure with them.
    SQLite::Statement add_file(sql, "INSERT INTO main.instruments (id, content, added_by, added_at) SELECT b.id, "
                                    "b.content, coalesce((SELECT p.id FROM bundle.measures m JOIN main.people p ON "
                                    "p.name = m.entered_by_name WHERE m.instrument_id = b.id ORDER BY m.created_at "
                                    "LIMIT 1), ?), ? FROM bundle.instruments b WHERE b.id = ?");
    for (const std::string& id : fresh) {
        add_file.bind(1, actor);
        add_file.bind(2, now_utc_iso());
        add_file.bind(3, id);
        add_file.exec();
        add_file.reset();
        touched.push_back({"create", "instrument", id, ""});
    }
    const std::string describe =
        "'case ' || c.label || ': measure ' || b.instrument_id || ' of partner ' || b.partner || ' on ' || b.date";
    // Removed at the source: removed here too, unless it changed here later.
    // A removal (and an update below) names the measure's case too: a bundle
    // reaches no measure of another case by its uuid.
    report_kept_after_removal(
        sql,
        "SELECT 'case ' || c.label || ': measure ' || t.instrument_id || ' of partner ' || t.partner || ' on ' || "
        "t.date, t.updated_at, r.removed_at FROM bundle.removed_measures r JOIN main.measures t ON t.uuid = r.uuid "
        "JOIN main.cases c ON c.id = t.case_id AND c.uuid = r.case_uuid WHERE t.updated_at > r.removed_at ORDER BY "
        "t.id",
        "changed", "removed", report.conflicts, report.conflicted.measures);
    report.updated.measures += collect(
        sql, "DELETE FROM main.measures AS t WHERE EXISTS (SELECT 1 FROM bundle.removed_measures r JOIN main.cases c "
             "ON c.uuid = r.case_uuid WHERE r.uuid = t.uuid AND c.id = t.case_id AND t.updated_at <= r.removed_at) "
             "RETURNING uuid, 'removed: ' || instrument_id || ' partner ' || "
             "partner || ' ' || date",
        "delete", "measure", touched);
    sql.exec("INSERT INTO main.removed_measures (uuid, case_id, removed_at) SELECT r.uuid, c.id, r.removed_at FROM "
             "bundle.removed_measures r JOIN main.cases c ON c.uuid = r.case_uuid WHERE NOT EXISTS (SELECT 1 FROM "
             "main.measures m WHERE m.uuid = r.uuid) ON CONFLICT (uuid) DO UPDATE SET removed_at = "
             "max(removed_at, excluded.removed_at)");
    report.updated.measures += merge_existing(
        sql, {"measures",
              "main.measures AS t, bundle.measures AS b JOIN main.cases AS c ON c.uuid = b.case_uuid LEFT JOIN "
              "main.sessions AS s ON s.uuid = b.session_uuid",
              "t.uuid = b.uuid AND t.case_id = c.id",
              "(t.partner IS NOT b.partner OR t.instrument_id IS NOT b.instrument_id OR t.date IS NOT b.date OR "
              "t.session_id IS NOT s.id OR t.items IS NOT b.items OR t.entered_total IS NOT b.entered_total)",
              "partner = b.partner, instrument_id = b.instrument_id, date = b.date, session_id = s.id, items = "
              "b.items, entered_total = b.entered_total, entered_by = (SELECT id FROM main.people WHERE name = "
              "b.entered_by_name), updated_at = b.updated_at",
              describe, "measure", "uuid, instrument_id || ' partner ' || partner || ' ' || date"},
        report.conflicts, report.conflicted.measures, touched, changed_since);
    // New here, unless removed here since the bundle's version was written.
    report.created.measures += collect(
        sql, "INSERT INTO main.measures (uuid, case_id, partner, instrument_id, date, session_id, items, "
             "entered_total, entered_by, created_at, updated_at) SELECT b.uuid, c.id, b.partner, b.instrument_id, "
             "b.date, s.id, b.items, b.entered_total, (SELECT id FROM main.people WHERE name = b.entered_by_name), "
             "b.created_at, b.updated_at FROM bundle.measures b JOIN main.cases c ON c.uuid = b.case_uuid LEFT JOIN "
             "main.sessions s ON s.uuid = b.session_uuid WHERE NOT EXISTS (SELECT 1 FROM main.measures m WHERE "
             "m.uuid = b.uuid) AND NOT EXISTS (SELECT 1 FROM main.removed_measures r WHERE r.uuid = b.uuid AND "
             "r.removed_at >= b.updated_at) ORDER BY b.rowid RETURNING uuid, instrument_id || ' partner ' || partner "
             "|| ' ' || date",
        "create", "measure", touched);
}

// [SECTION] Second raters' ratings and change-event decisions (format 8)

// Refuses (nothing is imported) a bundle whose ratings or decisions hold what
// Attune never writes: a rating outside 0-10, a decision other than confirmed
// or rejected, a candidate key outside 1-200 characters, or a person the
// bundle does not name and this practice does not have.
void check_reviews(SQLite::Database& sql, const std::string& file) {
    const std::string known = "(SELECT name FROM bundle.people UNION SELECT name FROM main.people)";
    std::string in_range = "1";  // each rating absent, or a whole number from 0 to 10
    for (const char* column : {"b.attunement_a", "b.attunement_b", "b.safety"})
        in_range += std::string(" AND (") + column + " IS NULL OR (typeof(" + column + ") = 'integer' AND " + column +
                    " BETWEEN 0 AND 10))";
    SQLite::Statement ratings(sql, "SELECT b.rater_name, b.rater_name IN " + known + ", " + in_range +
                                       " FROM bundle.session_ratings b ORDER BY b.rowid");
    while (ratings.executeStep()) {
        const std::string where = file + ": the ratings by " + ratings.getColumn(0).getString() + " ";
        if (ratings.getColumn(1).getInt() == 0)
            invalid(where + "name a rater the bundle does not name: nothing was imported");
        if (ratings.getColumn(2).getInt() == 0)
            invalid(where + "hold a rating that is not a whole number from 0 to 10: nothing was imported");
    }
    SQLite::Statement decisions(sql,
                                "SELECT b.decided_by_name, b.decided_by_name IN " + known + ", b.decision IN "
                                "('confirmed', 'rejected'), length(b.candidate_key) BETWEEN 1 AND 200 FROM "
                                "bundle.change_event_decisions b ORDER BY b.rowid");
    while (decisions.executeStep()) {
        const std::string where = file + ": a change-event decision by " + decisions.getColumn(0).getString() + " ";
        if (decisions.getColumn(1).getInt() == 0)
            invalid(where + "names a person the bundle does not name: nothing was imported");
        if (decisions.getColumn(2).getInt() == 0)
            invalid(where + "is neither confirmed nor rejected: nothing was imported");
        if (decisions.getColumn(3).getInt() == 0)
            invalid(where + "has a candidate key that is not 1-200 characters: nothing was imported");
    }
}

// Each rater's ratings of a session, and the decision on each candidate of a
// session: the newer version wins, an older one is a reported conflict (as
// every row with a time of change). The case clinician's ratings are the
// session's own: a bundle's row naming them as second rater is not imported.
void merge_reviews(SQLite::Database& sql, const std::string& file, BundleImportReport& report,
                   std::vector<Touched>& touched, const std::string& changed_since) {
    if (!bundle_has_table(sql, "session_ratings")) return;
    check_reviews(sql, file);
    const std::string rater = "(SELECT id FROM main.people WHERE name = b.rater_name)";
    SQLite::Statement own(sql, "SELECT 'case ' || c.label || ' session ' || s.number || ': the bundle names ' || "
                               "b.rater_name || ' a second rater, but they are the case''s clinician here: their "
                               "ratings are the session''s own; not imported' FROM bundle.session_ratings b JOIN "
                               "main.sessions s ON s.uuid = b.session_uuid JOIN main.cases c ON c.id = s.case_id "
                               "WHERE " + rater + " = c.clinician_id ORDER BY b.rowid");
    while (own.executeStep()) {
        report.conflicts.push_back(own.getColumn(0).getString());
        ++report.conflicted.ratings;
    }
    report.updated.ratings += merge_existing(
        sql, {"session_ratings",
              "main.session_ratings AS t, bundle.session_ratings AS b JOIN main.sessions AS s ON s.uuid = "
              "b.session_uuid JOIN main.cases AS c ON c.id = s.case_id",
              "t.session_id = s.id AND t.rater_id = " + rater,
              "(t.attunement_a IS NOT b.attunement_a OR t.attunement_b IS NOT b.attunement_b OR t.safety IS NOT "
              "b.safety)",
              "attunement_a = b.attunement_a, attunement_b = b.attunement_b, safety = b.safety, updated_at = "
              "b.updated_at",
              "'case ' || c.label || ' session ' || s.number || ': the end-of-session rating by ' || b.rater_name",
              "rating",
              kSessionUuid + ", 'by ' || (SELECT name FROM main.people WHERE id = rater_id)"},
        report.conflicts, report.conflicted.ratings, touched, changed_since);
    report.created.ratings += collect(
        sql, "INSERT INTO main.session_ratings (session_id, rater_id, attunement_a, attunement_b, safety, "
             "created_at, updated_at) SELECT s.id, " + rater + ", b.attunement_a, b.attunement_b, b.safety, "
             "b.created_at, b.updated_at FROM bundle.session_ratings b JOIN main.sessions s ON s.uuid = "
             "b.session_uuid JOIN main.cases c ON c.id = s.case_id WHERE " + rater + " <> c.clinician_id AND NOT "
             "EXISTS (SELECT 1 FROM main.session_ratings r WHERE r.session_id = s.id AND r.rater_id = " + rater +
             ") ORDER BY b.rowid RETURNING " + kSessionUuid +
             ", 'by ' || (SELECT name FROM main.people WHERE id = rater_id)",
        "create", "rating", touched);

    const std::string decider = "(SELECT id FROM main.people WHERE name = b.decided_by_name)";
    report.updated.decisions += merge_existing(
        sql, {"change_event_decisions",
              "main.change_event_decisions AS t, bundle.change_event_decisions AS b JOIN main.sessions AS s ON "
              "s.uuid = b.session_uuid JOIN main.cases AS c ON c.id = s.case_id",
              "t.session_id = s.id AND t.candidate_key = b.candidate_key",
              "(t.decision IS NOT b.decision OR t.decided_by IS NOT " + decider + ")",
              "decision = b.decision, decided_by = " + decider + ", decided_at = b.decided_at",
              "'case ' || c.label || ' session ' || s.number || ': change-event candidate ' || b.candidate_key",
              "change_event", kSessionUuid + ", candidate_key || ' ' || decision", "decided_at"},
        report.conflicts, report.conflicted.decisions, touched, changed_since);
    report.created.decisions += collect(
        sql, "INSERT INTO main.change_event_decisions (session_id, candidate_key, decision, decided_by, decided_at) "
             "SELECT s.id, b.candidate_key, b.decision, " + decider + ", b.decided_at FROM "
             "bundle.change_event_decisions b JOIN main.sessions s ON s.uuid = b.session_uuid WHERE NOT EXISTS "
             "(SELECT 1 FROM main.change_event_decisions d WHERE d.session_id = s.id AND d.candidate_key = "
             "b.candidate_key) ORDER BY b.rowid RETURNING " + kSessionUuid + ", candidate_key || ' ' || decision",
        "create", "change_event", touched);
}

// [SECTION] Pauses of the live clock (format 9)

// A uuid that identifies a row here and on the practice server (whose uuid
// type refuses any other text): 8-4-4-4-12 lowercase hex.
std::string uuid_shaped(const std::string& column) {
    return "(typeof(" + column + ") = 'text' AND length(" + column + ") = 36 AND instr(" + column +
           ", '-') = 9 AND substr(" + column + ", 14, 1) = '-' AND substr(" + column + ", 19, 1) = '-' AND substr(" +
           column + ", 24, 1) = '-' AND length(replace(" + column + ", '-', '')) = 32 AND NOT replace(" + column +
           ", '-', '') GLOB '*[^0-9a-f]*')";
}

// Seconds as Attune writes them: a number from 0 up to (not including) a billion.
std::string seconds_shaped(const std::string& column) {
    return "(typeof(" + column + ") IN ('real', 'integer') AND " + column + " >= 0 AND " + column + " < 1e9)";
}

// A closed pause is never changed, so it merges by its uuid alone: new here,
// it is added, before the signatures (which seal the clock); one this copy
// has already with other values (changed on the way, or on the server) is
// kept as here and reported, and so is one arriving for a session signed here
// before it came (this copy's clock is sealed). A bundle whose pauses hold
// what Attune never writes is refused: nothing is imported.
void merge_pauses(SQLite::Database& sql, const std::string& file, BundleImportReport& report,
                  std::vector<Touched>& touched) {
    if (!bundle_has_table(sql, "session_pauses")) return;
    const auto number = seconds_shaped;
    SQLite::Statement check(sql, "SELECT b.session_uuid, " + number("b.session_seconds") + ", " +
                                     number("b.wall_seconds") + ", b.began_at IS NULL OR typeof(b.began_at) IN "
                                     "('real', 'integer'), b.origin IN ('live', 'recovered', 'entered'), " +
                                     uuid_shaped("b.uuid") + " FROM bundle.session_pauses b ORDER BY b.rowid");
    while (check.executeStep()) {
        const std::string where = file + ": a pause of session " + check.getColumn(0).getString() + " ";
        if (check.getColumn(1).getInt() == 0 || check.getColumn(2).getInt() == 0)
            invalid(where + "does not begin at, or last, a number of seconds from 0 on: nothing was imported");
        if (check.getColumn(3).getInt() == 0 || check.getColumn(4).getInt() == 0 || check.getColumn(5).getInt() == 0)
            invalid(where + "holds a start, an origin or an identity Attune never writes: nothing was imported");
    }
    const std::string where = "'case ' || c.label || ' session ' || s.number || ': the pause of the clock at ' || "
                              "printf('%.1f', b.session_seconds) || ' s'";
    SQLite::Statement kept(sql, "SELECT " + where + " || CASE WHEN p.uuid IS NULL THEN ' arrived after the session "
                                "was signed here, whose clock is sealed: not added' ELSE ' differs from the one "
                                "here: kept as here' END FROM bundle.session_pauses b JOIN main.sessions s ON s.uuid "
                                "= b.session_uuid JOIN main.cases c ON c.id = s.case_id LEFT JOIN "
                                "main.session_pauses p ON p.uuid = b.uuid WHERE CASE WHEN p.uuid IS NULL THEN EXISTS "
                                "(SELECT 1 FROM main.signatures g WHERE g.session_id = s.id) ELSE p.session_id IS "
                                "NOT s.id OR p.session_seconds IS NOT b.session_seconds OR p.wall_seconds IS NOT "
                                "b.wall_seconds OR p.began_at IS NOT b.began_at OR p.origin IS NOT b.origin END "
                                "ORDER BY b.rowid");
    while (kept.executeStep()) {
        report.conflicts.push_back(kept.getColumn(0).getString());
        ++report.conflicted.pauses;
    }
    report.created.pauses += collect(
        sql, "INSERT INTO main.session_pauses (uuid, session_id, session_seconds, wall_seconds, began_at, origin, "
             "created_at) SELECT b.uuid, s.id, b.session_seconds, b.wall_seconds, b.began_at, b.origin, "
             "b.created_at FROM bundle.session_pauses b JOIN main.sessions s ON s.uuid = b.session_uuid WHERE NOT "
             "EXISTS (SELECT 1 FROM main.session_pauses p WHERE p.uuid = b.uuid) AND NOT EXISTS (SELECT 1 FROM "
             "main.signatures g WHERE g.session_id = s.id) ORDER BY b.rowid RETURNING " + kSessionUuid +
             ", 'at ' || printf('%.1f', session_seconds) || ' s, ' || printf('%.1f', wall_seconds) || ' s long'",
        "create", "pause", touched);
}

// [SECTION] Recordings' links and excerpts (format 10)

// Refuses (nothing is imported) a bundle whose recordings or excerpts hold
// what Attune never writes: a uuid or SHA-256 of another shape, a length,
// size or offset that is no number, a name with a folder in it, two
// recordings for one session, an excerpt outside its recording or of a
// recording that ends before it, or a person the bundle does not name.
void check_recordings(SQLite::Database& sql, const std::string& file) {
    SQLite::Statement recordings(
        sql, "SELECT b.session_uuid, " + uuid_shaped("b.uuid") + " AND typeof(b.sha256) = 'text' AND "
             "length(b.sha256) = 64 AND NOT b.sha256 GLOB '*[^0-9a-f]*', " + seconds_shaped("b.duration_seconds") +
             " AND typeof(b.offset_seconds) IN ('real', 'integer') AND abs(b.offset_seconds) < 1e9 AND "
             "typeof(b.bytes) = 'integer' AND b.bytes >= 0 AND typeof(b.has_video) = 'integer' AND b.has_video IN "
             "(0, 1), typeof(b.original_name) = 'text' AND length(CAST(b.original_name AS BLOB)) <= 1024 AND "
             "instr(b.original_name, '/') = 0 AND typeof(b.created_at) = 'text' AND typeof(b.updated_at) = 'text', "
             "(SELECT count(*) FROM bundle.recordings o WHERE o.session_uuid = b.session_uuid) FROM "
             "bundle.recordings b ORDER BY b.rowid");
    while (recordings.executeStep()) {
        const std::string where = file + ": the recording of session " + recordings.getColumn(0).getString() + " ";
        if (recordings.getColumn(1).getInt() == 0 || recordings.getColumn(2).getInt() == 0)
            invalid(where + "holds an identity, a length, a size or an offset Attune never writes: nothing was "
                            "imported");
        if (recordings.getColumn(3).getInt() == 0)
            invalid(where + "holds a file name or a time Attune never writes: nothing was imported");
        if (recordings.getColumn(4).getInt() > 1)
            invalid(where + "is one of two the bundle names for it (a session has one): nothing was imported");
    }
    const std::string known = "(SELECT name FROM bundle.people UNION SELECT name FROM main.people)";
    const std::string length = "(SELECT duration_seconds FROM bundle.recordings WHERE uuid = b.recording_uuid "
                               "UNION ALL SELECT duration_seconds FROM main.recordings WHERE uuid = "
                               "b.recording_uuid LIMIT 1)";
    SQLite::Statement excerpts(
        sql, "SELECT b.recording_uuid, " + uuid_shaped("b.uuid") + " AND typeof(b.name) = 'text' AND "
             "length(trim(b.name)) > 0 AND length(CAST(b.name AS BLOB)) <= " + std::to_string(kMaxExcerptNameBytes) +
             " AND typeof(b.stage) = 'integer' AND b.stage BETWEEN 1 AND 3 AND typeof(b.created_at) = 'text', " +
             seconds_shaped("b.media_start") + " AND " + seconds_shaped("b.media_stop") + " AND b.media_stop > "
             "b.media_start, b.created_by_name IN " + known + ", coalesce(b.media_stop <= " + length +
             " + 0.001, 1) FROM bundle.excerpts b ORDER BY b.rowid");
    while (excerpts.executeStep()) {
        const std::string where = file + ": an excerpt of recording " + excerpts.getColumn(0).getString() + " ";
        if (excerpts.getColumn(1).getInt() == 0)
            invalid(where + "holds an identity, a name or a stage Attune never writes: nothing was imported");
        if (excerpts.getColumn(2).getInt() == 0)
            invalid(where + "does not start at, or stop after its start at, a number of seconds from 0 on: nothing "
                            "was imported");
        if (excerpts.getColumn(3).getInt() == 0)
            invalid(where + "names a person the bundle does not name: nothing was imported");
        if (excerpts.getColumn(4).getInt() == 0)
            invalid(where + "ends after the recording's end: nothing was imported");
    }
}

// A recording's link merges by its uuid without its file: new here (for a
// session without one) it is added as a recording whose file this copy does
// not have yet (an encrypted container that is missing), so that linking a
// copy of the file with the same SHA-256 imports it (services'
// link_recording). Its offset is the only thing that changes: the newer
// version wins, as every row with a time of change. A session that has
// another recording here, or a recording here that differs in what
// identifies its file, is kept as here and reported. Excerpts never change:
// new here they are added to their recording; one this copy has with other
// values, or of a recording kept as here, is reported.
void merge_recordings(SQLite::Database& sql, const std::string& file, BundleImportReport& report,
                      std::vector<Touched>& touched, const std::string& changed_since) {
    if (!bundle_has_table(sql, "recordings")) return;
    check_recordings(sql, file);
    const std::string named = "'case ' || c.label || ' session ' || s.number || ': the recording ' || "
                              "b.original_name";
    const std::string same_file = "t.sha256 = b.sha256 AND t.duration_seconds = b.duration_seconds AND t.has_video "
                                  "= b.has_video AND t.bytes = b.bytes";
    SQLite::Statement kept(sql, "SELECT " + named + " || CASE WHEN t.uuid = b.uuid THEN ' differs from the one "
                                "here in what identifies its file: kept as here' ELSE ' (SHA-256 ' || b.sha256 || "
                                "') is not the one linked here (SHA-256 ' || t.sha256 || '): kept as here' END FROM "
                                "bundle.recordings b JOIN main.sessions s ON s.uuid = b.session_uuid JOIN main.cases "
                                "c ON c.id = s.case_id JOIN main.recordings t ON t.uuid = b.uuid OR t.session_id = "
                                "s.id WHERE t.uuid <> b.uuid OR t.session_id <> s.id OR NOT (" + same_file +
                                ") ORDER BY b.rowid");
    while (kept.executeStep()) {
        report.conflicts.push_back(kept.getColumn(0).getString());
        ++report.conflicted.recordings;
    }
    report.updated.recordings += merge_existing(
        sql, {"recordings",
              "main.recordings AS t, bundle.recordings AS b JOIN main.sessions AS s ON s.uuid = b.session_uuid JOIN "
              "main.cases AS c ON c.id = s.case_id",
              "t.uuid = b.uuid AND t.session_id = s.id AND " + same_file,
              "t.offset_seconds IS NOT b.offset_seconds",
              "offset_seconds = b.offset_seconds, updated_at = b.updated_at",
              "'case ' || c.label || ' session ' || s.number || ': the offset of the recording ' || b.original_name",
              "recording", kSessionUuid + ", 'offset=' || offset_seconds || ' s'"},
        report.conflicts, report.conflicted.recordings, touched, changed_since);
    report.created.recordings += collect(
        sql, "INSERT INTO main.recordings (uuid, session_id, sha256, duration_seconds, has_video, offset_seconds, "
             "storage, path, original_name, bytes, created_at, updated_at) SELECT b.uuid, s.id, b.sha256, "
             "b.duration_seconds, b.has_video, b.offset_seconds, 'encrypted', 'not-here-' || lower(hex(randomblob(16)))"
             " || '.attmedia', b.original_name, b.bytes, b.created_at, b.updated_at FROM bundle.recordings b JOIN "
             "main.sessions s ON s.uuid = b.session_uuid WHERE NOT EXISTS (SELECT 1 FROM main.recordings t WHERE "
             "t.uuid = b.uuid OR t.session_id = s.id) ORDER BY b.rowid RETURNING " + kSessionUuid +
             ", 'sha256=' || sha256 || ' offset=' || offset_seconds || ' s, its file not here'",
        "create", "recording", touched);

    // (A pull hands out an excerpt without its recording when only the excerpt is new.)
    SQLite::Statement excerpts_kept(
        sql, "SELECT coalesce('case ' || c.label || ' session ' || s.number || ': ', '') || 'the excerpt ' || b.name "
             "|| CASE WHEN e.uuid IS NULL THEN ' belongs to a recording this copy does not link: not added' ELSE ' "
             "differs from the one here: kept as here' END FROM bundle.excerpts b LEFT JOIN main.excerpts e ON e.uuid "
             "= b.uuid LEFT JOIN main.recordings r ON r.uuid = b.recording_uuid LEFT JOIN bundle.recordings br ON "
             "br.uuid = b.recording_uuid LEFT JOIN main.sessions s ON s.id = coalesce(r.session_id, (SELECT id FROM "
             "main.sessions WHERE uuid = br.session_uuid)) LEFT JOIN main.cases c ON c.id = s.case_id WHERE CASE "
             "WHEN e.uuid IS NULL THEN r.uuid IS NULL ELSE e.recording_id IS NOT r.id OR e.name IS NOT b.name OR "
             "e.stage IS NOT b.stage OR e.media_start IS NOT b.media_start OR e.media_stop IS NOT b.media_stop END "
             "ORDER BY b.rowid");
    while (excerpts_kept.executeStep()) {
        report.conflicts.push_back(excerpts_kept.getColumn(0).getString());
        ++report.conflicted.excerpts;
    }
    report.created.excerpts += collect(
        sql, "INSERT INTO main.excerpts (uuid, recording_id, name, stage, media_start, media_stop, created_by, "
             "created_at) SELECT b.uuid, r.id, b.name, b.stage, b.media_start, b.media_stop, (SELECT id FROM "
             "main.people WHERE name = b.created_by_name), b.created_at FROM bundle.excerpts b JOIN main.recordings r "
             "ON r.uuid = b.recording_uuid WHERE NOT EXISTS (SELECT 1 FROM main.excerpts e WHERE e.uuid = b.uuid) "
             "ORDER BY b.rowid RETURNING (SELECT s.uuid FROM main.sessions s JOIN main.recordings r ON r.session_id "
             "= s.id WHERE r.id = recording_id), 'stage ' || stage || ', ' || printf('%.1f', media_start) || '-' || "
             "printf('%.1f', media_stop) || ' s'",
        "create", "excerpt", touched);
}

BundleCounts count_bundle(SQLite::Database& sql) {
    const auto count = [&](const std::string& table) {
        if (!bundle_has_table(sql, table)) return 0;
        SQLite::Statement q(sql, "SELECT COUNT(*) FROM bundle." + table);
        return q.executeStep() ? q.getColumn(0).getInt() : 0;
    };
    BundleCounts n;
    n.cases = count("cases");
    n.sessions = count("sessions");
    n.observations = count("observations");
    n.progress_notes = count("progress_notes");
    n.process_notes = count("process_notes");
    n.homework = count("homework");
    n.signatures = count("signatures");
    n.addenda = count("addenda");
    n.comments = count("review_comments") + count("removed_comments");
    n.measures = count("measures") + count("removed_measures");
    n.ratings = count("session_ratings");
    n.decisions = count("change_event_decisions");
    n.pauses = count("session_pauses");
    n.recordings = count("recordings");
    n.excerpts = count("excerpts");
    return n;
}

std::string describe(const BundleCounts& n) {
    return "cases " + std::to_string(n.cases) + ", sessions " + std::to_string(n.sessions) + ", observations " +
           std::to_string(n.observations) + ", progress notes " + std::to_string(n.progress_notes) +
           ", private notes " + std::to_string(n.process_notes) + ", homework " + std::to_string(n.homework) +
           ", signatures " + std::to_string(n.signatures) + ", addenda " + std::to_string(n.addenda) +
           ", comments " + std::to_string(n.comments) + ", measures " + std::to_string(n.measures) + ", ratings " +
           std::to_string(n.ratings) + ", change-event decisions " + std::to_string(n.decisions);
}

BundleSeal read_seal(SQLite::Database& sql, const std::filesystem::path& from) {
    BundleSeal seal;
    try {
        SQLite::Statement q(sql,
                            "SELECT key, value FROM bundle.info WHERE key IN ('sender_uuid', 'sender_name', "
                            "'sender_key', 'sender_signature', 'recipients_sha256')");
        while (q.executeStep()) {
            const std::string key = q.getColumn(0).getString();
            std::string value = q.getColumn(1).getString();
            if (key == "sender_uuid") seal.sender_uuid = std::move(value);
            else if (key == "sender_name") seal.sender_name = std::move(value);
            else if (key == "sender_key") seal.sender_key = std::move(value);
            else if (key == "recipients_sha256")
                seal.recipients_sha256 = std::move(value);
            else seal.signature = std::move(value);
        }
        seal.content_sha256 = bundle_content_sha256(sql);
    } catch (const SQLite::Exception& e) {
        throw StoreError(StoreError::Kind::NotAttune,
                         from.string() + " is damaged or not an Attune bundle (" + e.what() + ")");
    }
    return seal;
}

int count_rows(SQLite::Database& sql, const std::string& table) {
    SQLite::Statement q(sql, "SELECT COUNT(*) FROM " + table);
    return q.executeStep() ? q.getColumn(0).getInt() : 0;
}

// Thrown out of a previewing import's transaction, which rolls it back.
struct PreviewDone {};

}  // namespace

BundleImportReport import_bundle(Database& db, const std::filesystem::path& from, std::string_view bundle_passphrase,
                                 const BundleSealCheck& check, const BundleEnvelope& envelope, ImportMode mode,
                                 const std::string& changed_since) {
    const std::filesystem::path& shown = envelope.shown_as.empty() ? from : envelope.shown_as;
    const std::string name = shown.filename().string();
    BundleImportReport report;
    AttachedBundle attached(db, from, bundle_passphrase, shown);
    if (check) check(read_seal(sql_of(db), shown));
    try {
        write_transaction(db, [&](SQLite::Database& sql) {
            report = BundleImportReport{};
            report.dry_run = mode == ImportMode::Preview;
            check_no_clashes(sql);
            const int people_before = count_rows(sql, "main.people");
            std::vector<Touched> touched;
            report.updated = merge_updates(sql, report, touched, changed_since);
            report.created = insert_new(sql, touched);
            merge_pauses(sql, name, report, touched);  // before the signatures seal the clocks
            merge_supervision(sql, report, touched);
            merge_comments(sql, report, touched, changed_since);
            merge_measures(sql, name, envelope.instruments, report, touched, changed_since, db.actor().id);
            merge_reviews(sql, name, report, touched, changed_since);
            merge_recordings(sql, name, report, touched, changed_since);
            // The notes the import created or changed are kept as versions (migration 9).
            keep_note_versions(sql, "(SELECT s.id FROM main.sessions s JOIN bundle.progress_notes b ON b.session_uuid = "
                                    "s.uuid)",
                               db.actor().id, NoteVersion::How::Imported);
            report.in_bundle = count_bundle(sql);
            report.people_in_bundle = count_rows(sql, "bundle.people");
            report.people_created = count_rows(sql, "main.people") - people_before;
            if (report.dry_run) {
                db.impl().release_statements();
                throw PreviewDone{};
            }
            // One row per record created or changed, then the import's own row.
            for (const Touched& t : touched)
                append_audit(db, t.action, t.entity, t.id,
                             "from bundle " + name + (t.detail.empty() ? std::string() : ": " + t.detail));
            append_audit(db, "import", "bundle", name,
                         std::to_string(report.created.total()) + " new, " + std::to_string(report.updated.total()) +
                             " updated, " + std::to_string(report.conflicts.size()) + " conflicts kept; new: " +
                             describe(report.created) + "; updated: " + describe(report.updated) +
                             "; people new: " + std::to_string(report.people_created));
        });
    } catch (const PreviewDone&) {
        // Rolled back: the report says what the import would do.
    }
    return report;
}

}  // namespace attune::store
