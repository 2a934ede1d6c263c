// server_sync.cpp: pushing a bundle's rows to the practice server and pulling
// what a login may read into a bundle (issue 21; the rules are in
// practice_server.h). JSON carries the rows both ways: SQLite writes a table's
// rows as one JSON array, PostgreSQL reads it with json_to_recordset, and back
// with json_agg and SQLite's json_each. No row is quoted by hand.
//
// Index:
// [SECTION] Who is asking
// [SECTION] Push
// [SECTION] Pull
#include <sqlcipher/sqlite3.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <vector>

#include "store/bundle_internal.h"
#include "store/database.h"
#include "store/practice_server.h"
#include "store/practice_server_internal.h"

namespace attune::store {
namespace {

using server_detail::guarded;

// A bundle file opened on its own connection (not attached to a practice).
SQLite::Database open_bundle_file(const std::filesystem::path& path, std::string_view key, int flags) {
    SQLite::Database file(path.string(), flags);
    if (sqlite3_key(file.getHandle(), key.data(), static_cast<int>(key.size())) != SQLITE_OK)
        throw StoreError(StoreError::Kind::NoEncryption, "SQLCipher refused the bundle key");
    return file;
}

}  // namespace

// [SECTION] Who is asking

ServerLogin PracticeServer::login() {
    return guarded("reading who this login is", impl_->where, [&] {
        pqxx::read_transaction tx(impl_->connection);
        const pqxx::result r = tx.exec(
            "SELECT current_user, attune.me(), pg_has_role('attune_clinician', 'MEMBER'), "
            "pg_has_role('attune_supervisor', 'MEMBER'), pg_has_role('attune_coder', 'MEMBER'), "
            "pg_has_role('attune_admin', 'MEMBER')");
        ServerLogin login;
        login.login = r[0][0].as<std::string>();
        login.person_uuid = r[0][1].is_null() ? std::string() : r[0][1].as<std::string>();
        login.clinician = r[0][2].as<bool>();
        login.supervisor = r[0][3].as<bool>();
        login.coder = r[0][4].as<bool>();
        login.administrator = r[0][5].as<bool>();
        return login;
    });
}

// [SECTION] Push

namespace {

// One table of the push: how SQLite writes each bundle row as a JSON object
// (over `from`, binding the row as r), the record type PostgreSQL reads it
// with, and the INSERT that merges it (its $1 is the JSON array, $2 the
// time a scheme is first stored).
// Which of Attune's groups a statement needs the privileges of (a statement
// on a table the login has no grant for fails even when it writes nothing).
enum Groups : unsigned { kClinician = 1, kSupervisor = 2, kCoder = 4, kAdmin = 8 };

unsigned groups_of(const ServerLogin& login) {
    return (login.clinician ? kClinician : 0u) | (login.supervisor ? kSupervisor : 0u) |
           (login.coder ? kCoder : 0u) | (login.administrator ? kAdmin : 0u);
}

struct PushTable {
    unsigned groups;  // any of these
    const char* name;
    std::string object;  // json_object(...) over r
    std::string from;    // the bundle table, as r
    std::string merge;   // INSERT ... FROM json_to_recordset($1::json) AS s(...)
    int BundleCounts::*count;
    // Rows changed both here since the last sync ($3) and on the server since
    // the last pull ($2), where this newer version replaces the server's: a
    // SELECT of (what, here, there). Empty: none for this table.
    std::string both_changed = {};
    // An UPDATE run before `merge`, with the same $1: columns a login may
    // write but not read (the formulation, server migration 7), which an ON
    // CONFLICT's SET cannot copy (reading excluded.column needs SELECT on it).
    std::string first = {};
    unsigned unless = 0;  // not for a login in any of these (another entry serves it)
};

const std::string kMe = "(SELECT attune.me())";
// A REAL as JSON text with every digit it has: SQLite's JSON writes 15
// significant digits, and a session's clock or a moment's time that changes
// in its 16th digit no longer gives the digest that was signed.
std::string exact(const std::string& column) {
    return "CASE WHEN " + column + " IS NULL THEN NULL ELSE printf('%!.17g', " + column + ") END";
}
// A person's uuid from their name, as the bundle records people.
std::string uuid_of(const std::string& name_column) {
    return "(SELECT uuid FROM people WHERE name = " + name_column + " LIMIT 1)";
}
// Sessions this login can read (row-level security decides which).
const std::string kVisibleSessions = "(SELECT uuid FROM attune.sessions)";

const std::string kRatingObject =
    "json_object('session_uuid', r.session_uuid, 'rater_uuid', " + uuid_of("r.rater_name") +
    ", 'attunement_a', r.attunement_a, 'attunement_b', r.attunement_b, 'safety', r.safety, 'created_at', "
    "r.created_at, 'updated_at', r.updated_at)";
// The ratings a login may write (`who`, over s), merged by session and rater:
// the newer version wins. Never the case's clinician as a second rater.
std::string ratings_merge(const std::string& who) {
    return "INSERT INTO attune.session_ratings AS t (uuid, session_uuid, rater_uuid, attunement_a, attunement_b, "
           "safety, entered_by, created_at, updated_at) SELECT md5('attune-session-rating:' || s.session_uuid || ':' "
           "|| s.rater_uuid)::uuid, s.session_uuid, s.rater_uuid, s.attunement_a, s.attunement_b, s.safety, " + kMe +
           ", s.created_at, s.updated_at FROM json_to_recordset($1::json) AS s(session_uuid uuid, rater_uuid uuid, "
           "attunement_a integer, attunement_b integer, safety integer, created_at text, updated_at text) WHERE (" +
           who + ") AND NOT attune.treats_session(s.session_uuid, s.rater_uuid) AND NOT EXISTS (SELECT 1 FROM "
           "attune.session_ratings x WHERE x.session_uuid = s.session_uuid AND x.rater_uuid = s.rater_uuid AND "
           "x.updated_at >= s.updated_at) ON CONFLICT (uuid) DO UPDATE SET attunement_a = excluded.attunement_a, "
           "attunement_b = excluded.attunement_b, safety = excluded.safety, entered_by = excluded.entered_by, "
           "updated_at = excluded.updated_at WHERE t.updated_at < excluded.updated_at";
}
const std::string kRatingsBothChanged =
    "SELECT 'case ' || c.label || ' session ' || se.number || ': the end-of-session rating by ' || p.name, "
    "s.updated_at, x.updated_at FROM json_to_recordset($1::json) AS s(session_uuid uuid, rater_uuid uuid, "
    "updated_at text) JOIN attune.session_ratings x ON x.session_uuid = s.session_uuid AND x.rater_uuid = "
    "s.rater_uuid JOIN attune.sessions se ON se.uuid = x.session_uuid JOIN attune.cases c ON c.uuid = se.case_uuid "
    "JOIN attune.people p ON p.uuid = x.rater_uuid WHERE x.change_seq > $2 AND s.updated_at > $3 AND s.updated_at > "
    "x.updated_at";

const std::string kExcerptObject =
    "json_object('uuid', r.uuid, 'recording_uuid', r.recording_uuid, 'name', r.name, 'stage', r.stage, "
    "'media_start', " + exact("r.media_start") + ", 'media_stop', " + exact("r.media_stop") + ", 'created_by', " +
    uuid_of("r.created_by_name") + ", 'created_at', r.created_at)";
// The login's own excerpts of the recordings of `sessions`; one the server has stays.
std::string excerpts_merge(const std::string& sessions) {
    return "INSERT INTO attune.excerpts (uuid, recording_uuid, name, stage, media_start, media_stop, created_by, "
           "created_at) SELECT s.uuid, s.recording_uuid, s.name, s.stage, s.media_start, s.media_stop, s.created_by, "
           "s.created_at FROM json_to_recordset($1::json) AS s(uuid uuid, recording_uuid uuid, name text, stage "
           "integer, media_start double precision, media_stop double precision, created_by uuid, created_at text) "
           "WHERE s.created_by = " + kMe + " AND s.recording_uuid IN (SELECT uuid FROM attune.recordings WHERE "
           "session_uuid IN (SELECT " + sessions + ")) AND NOT EXISTS (SELECT 1 FROM attune.excerpts x WHERE x.uuid "
           "= s.uuid) ON CONFLICT (uuid) DO NOTHING";
}

std::vector<PushTable> push_tables() {
    return {
        {kClinician | kSupervisor | kAdmin, "schemes", "json_object('name', r.name, 'version', r.version, 'content', r.content)", "schemes r",
         "INSERT INTO attune.schemes (name, version, content, created_at) SELECT s.name, s.version, s.content, $2 "
         "FROM json_to_recordset($1::json) AS s(name text, version integer, content text) WHERE NOT EXISTS "
         "(SELECT 1 FROM attune.schemes x WHERE x.name = s.name AND x.version = s.version) ON CONFLICT DO NOTHING",
         nullptr},
        {kClinician, "cases",
         "json_object('uuid', r.uuid, 'label', r.label, 'clinician_uuid', " + uuid_of("r.clinician_name") +
             ", 'supervisor_uuid', " + uuid_of("r.supervisor_name") +
             ", 'start_date', r.start_date, 'status', r.status, 'goals', r.goals, 'scheme_name', r.scheme_name, "
             "'scheme_version', r.scheme_version, 'created_at', r.created_at, 'updated_at', r.updated_at)",
         "cases r",
         "INSERT INTO attune.cases AS t (uuid, label, clinician_uuid, supervisor_uuid, start_date, status, goals, "
         "scheme_name, scheme_version, created_at, updated_at) SELECT s.uuid, s.label, s.clinician_uuid, "
         "s.supervisor_uuid, s.start_date, s.status, s.goals, s.scheme_name, s.scheme_version, s.created_at, "
         "s.updated_at FROM json_to_recordset($1::json) AS s(uuid uuid, label text, clinician_uuid uuid, "
         "supervisor_uuid uuid, start_date text, status text, goals text, scheme_name text, scheme_version integer, "
         "created_at text, updated_at text) WHERE s.clinician_uuid = " + kMe +
             " AND NOT EXISTS (SELECT 1 FROM attune.cases x WHERE x.uuid = s.uuid AND x.updated_at >= s.updated_at) "
             "ON CONFLICT (uuid) DO UPDATE SET label = excluded.label, supervisor_uuid = excluded.supervisor_uuid, "
             "start_date = excluded.start_date, status = excluded.status, updated_at = excluded.updated_at WHERE "
             "t.updated_at < excluded.updated_at",
         &BundleCounts::cases,
         "SELECT 'case ' || x.label, s.updated_at, x.updated_at FROM json_to_recordset($1::json) AS s(uuid uuid, "
         "updated_at text) JOIN attune.cases x ON x.uuid = s.uuid WHERE x.change_seq > $2 AND s.updated_at > $3 AND "
         "s.updated_at > x.updated_at",
         "UPDATE attune.cases AS t SET goals = s.goals FROM json_to_recordset($1::json) AS s(uuid uuid, goals text, "
         "updated_at text) WHERE t.uuid = s.uuid AND t.updated_at < s.updated_at AND t.clinician_uuid = " + kMe},
        // Partners travel in the case row; on the server they have rows of their own.
        {kClinician, "participants",
         "json_object('case_uuid', r.uuid, 'a_name', r.a_name, 'a_style', r.a_style, 'a_cycle', r.a_cycle, "
         "'b_name', r.b_name, 'b_style', r.b_style, 'b_cycle', r.b_cycle, 'updated_at', r.updated_at)",
         "cases r",
         "INSERT INTO attune.participants AS t (uuid, case_uuid, role, display_name, attachment_style, "
         "cycle_position, updated_at) SELECT md5('attune-participant:' || s.case_uuid || ':' || p.role)::uuid, "
         "s.case_uuid, p.role, p.name, p.style, p.cycle, s.updated_at FROM json_to_recordset($1::json) AS "
         "s(case_uuid uuid, a_name text, a_style text, a_cycle text, b_name text, b_style text, b_cycle text, "
         "updated_at text) CROSS JOIN LATERAL (VALUES ('A', s.a_name, s.a_style, s.a_cycle), ('B', s.b_name, "
         "s.b_style, s.b_cycle)) AS p(role, name, style, cycle) WHERE s.case_uuid IN (SELECT attune.my_cases()) "
         "AND NOT EXISTS (SELECT 1 FROM attune.participants x WHERE x.case_uuid = s.case_uuid AND x.role = p.role "
         "AND x.updated_at >= s.updated_at) ON CONFLICT (uuid) DO UPDATE SET display_name = excluded.display_name, "
         "updated_at = excluded.updated_at WHERE t.updated_at < excluded.updated_at",
         nullptr, {},
         "UPDATE attune.participants AS t SET attachment_style = p.style, cycle_position = p.cycle FROM "
         "json_to_recordset($1::json) AS s(case_uuid uuid, a_style text, a_cycle text, b_style text, b_cycle text, "
         "updated_at text) CROSS JOIN LATERAL (VALUES ('A', s.a_style, s.a_cycle), ('B', s.b_style, s.b_cycle)) AS "
         "p(role, style, cycle) WHERE t.case_uuid = s.case_uuid AND t.role = p.role AND t.updated_at < s.updated_at "
         "AND s.case_uuid IN (SELECT attune.my_cases())"},
        {kClinician, "sessions",
         "json_object('uuid', r.uuid, 'case_uuid', r.case_uuid, 'number', r.number, 'date', r.date, 'start_time', "
         "r.start_time, 'state', r.state, 'active_seconds', " + exact("r.active_seconds") + ", 'eft_stage', r.eft_stage, 'eft_step', "
         "r.eft_step, 'attunement_a', r.attunement_a, 'attunement_b', r.attunement_b, 'safety', r.safety, "
         "'scheme_name', r.scheme_name, 'scheme_version', r.scheme_version, 'created_at', r.created_at, "
         "'updated_at', r.updated_at, 'ended_at', r.ended_at)",
         "sessions r",
         "INSERT INTO attune.sessions AS t (uuid, case_uuid, number, date, start_time, state, active_seconds, "
         "eft_stage, eft_step, attunement_a, attunement_b, safety, scheme_name, scheme_version, created_at, "
         "updated_at, ended_at) SELECT s.uuid, s.case_uuid, s.number, s.date, s.start_time, s.state, "
         "s.active_seconds, s.eft_stage, s.eft_step, s.attunement_a, s.attunement_b, s.safety, s.scheme_name, "
         "s.scheme_version, s.created_at, s.updated_at, s.ended_at FROM json_to_recordset($1::json) AS s(uuid uuid, "
         "case_uuid uuid, number integer, date text, start_time text, state text, active_seconds double precision, "
         "eft_stage integer, eft_step integer, attunement_a integer, attunement_b integer, safety integer, "
         "scheme_name text, scheme_version integer, created_at text, updated_at text, ended_at text) "
         "WHERE s.case_uuid IN (SELECT attune.my_cases()) AND NOT EXISTS (SELECT 1 FROM attune.sessions x WHERE "
         "x.uuid = s.uuid AND x.updated_at >= s.updated_at) ON CONFLICT (uuid) DO UPDATE SET date = excluded.date, "
         "start_time = excluded.start_time, state = excluded.state, active_seconds = excluded.active_seconds, "
         "eft_stage = excluded.eft_stage, eft_step = excluded.eft_step, attunement_a = excluded.attunement_a, "
         "attunement_b = excluded.attunement_b, safety = excluded.safety, ended_at = excluded.ended_at, updated_at "
         "= excluded.updated_at WHERE t.updated_at < excluded.updated_at",
         &BundleCounts::sessions,
         "SELECT 'case ' || c.label || ' session ' || x.number, s.updated_at, x.updated_at FROM "
         "json_to_recordset($1::json) AS s(uuid uuid, updated_at text) JOIN attune.sessions x ON x.uuid = s.uuid "
         "JOIN attune.cases c ON c.uuid = x.case_uuid WHERE x.change_seq > $2 AND s.updated_at > $3 AND "
         "s.updated_at > x.updated_at"},
        // The clock's closed pauses, before the signatures that seal them. Never changed:
        // one on the server already stays; none is added to a session signed there.
        {kClinician, "session_pauses",
         "json_object('uuid', r.uuid, 'session_uuid', r.session_uuid, 'session_seconds', " +
             exact("r.session_seconds") + ", 'wall_seconds', " + exact("r.wall_seconds") + ", 'began_at', " +
             exact("r.began_at") + ", 'origin', r.origin, 'created_at', r.created_at)",
         "session_pauses r",
         "INSERT INTO attune.session_pauses (uuid, session_uuid, session_seconds, wall_seconds, began_at, origin, "
         "created_at) SELECT s.uuid, s.session_uuid, s.session_seconds, s.wall_seconds, s.began_at, s.origin, "
         "s.created_at FROM json_to_recordset($1::json) AS s(uuid uuid, session_uuid uuid, session_seconds double "
         "precision, wall_seconds double precision, began_at double precision, origin text, created_at text) WHERE "
         "s.session_uuid IN (SELECT attune.my_sessions()) AND NOT EXISTS (SELECT 1 FROM attune.session_pauses x "
         "WHERE x.uuid = s.uuid) AND NOT EXISTS (SELECT 1 FROM attune.signatures g WHERE g.session_uuid = "
         "s.session_uuid) ON CONFLICT (uuid) DO NOTHING",
         &BundleCounts::pauses},
        // Recordings' links (never their files): added by the case's clinicians; only the offset
        // changes after, the newer version winning. A session the server has another recording
        // for keeps the server's (the pull reports it).
        {kClinician, "recordings",
         "json_object('uuid', r.uuid, 'session_uuid', r.session_uuid, 'sha256', r.sha256, 'duration_seconds', " +
             exact("r.duration_seconds") + ", 'has_video', json(CASE WHEN r.has_video = 0 THEN 'false' ELSE 'true' "
             "END), 'offset_seconds', " + exact("r.offset_seconds") + ", 'original_name', r.original_name, 'bytes', "
             "r.bytes, 'created_at', r.created_at, 'updated_at', r.updated_at)",
         "recordings r",
         "INSERT INTO attune.recordings AS t (uuid, session_uuid, sha256, duration_seconds, has_video, offset_seconds, "
         "original_name, bytes, created_at, updated_at) SELECT s.uuid, s.session_uuid, s.sha256, s.duration_seconds, "
         "s.has_video, s.offset_seconds, s.original_name, s.bytes, s.created_at, s.updated_at FROM "
         "json_to_recordset($1::json) AS s(uuid uuid, session_uuid uuid, sha256 text, duration_seconds double "
         "precision, has_video boolean, offset_seconds double precision, original_name text, bytes bigint, "
         "created_at text, updated_at text) WHERE s.session_uuid IN (SELECT attune.my_sessions()) AND NOT EXISTS "
         "(SELECT 1 FROM attune.recordings x WHERE (x.uuid = s.uuid AND x.updated_at >= s.updated_at) OR "
         "(x.session_uuid = s.session_uuid AND x.uuid <> s.uuid)) ON CONFLICT (uuid) DO UPDATE SET offset_seconds = "
         "excluded.offset_seconds, updated_at = excluded.updated_at WHERE t.updated_at < excluded.updated_at AND "
         "t.sha256 = excluded.sha256 AND t.session_uuid = excluded.session_uuid",
         &BundleCounts::recordings},
        // Excerpts, each person's own, of the recordings of sessions they treat or supervise.
        {kClinician, "excerpts", kExcerptObject, "excerpts r", excerpts_merge("attune.my_sessions()"),
         &BundleCounts::excerpts},
        {kSupervisor, "excerpts", kExcerptObject, "excerpts r", excerpts_merge("attune.supervised_sessions()"),
         &BundleCounts::excerpts},
        {kClinician | kSupervisor | kCoder, "observations",
         "json_object('uuid', r.uuid, 'session_uuid', r.session_uuid, 'rater_uuid', " + uuid_of("r.rater_name") +
             ", 't', " + exact("r.t") + ", 'stop', " + exact("r.stop") + ", 'kind', r.kind, 'who', r.who, 'code_id', r.code_id, 'intensity', "
             "r.intensity, 'comment', r.comment, 'deleted', json(CASE r.deleted WHEN 0 THEN 'false' ELSE 'true' "
             "END), 'created_at', r.created_at, 'updated_at', r.updated_at)",
         "observations r",
         "INSERT INTO attune.observations AS t (uuid, session_uuid, rater_uuid, t, stop, kind, who, code_id, "
         "intensity, comment, deleted, created_at, updated_at) SELECT s.uuid, s.session_uuid, s.rater_uuid, s.t, "
         "s.stop, s.kind, s.who, s.code_id, s.intensity, s.comment, s.deleted, s.created_at, s.updated_at FROM "
         "json_to_recordset($1::json) AS s(uuid uuid, session_uuid uuid, rater_uuid uuid, t double precision, stop "
         "double precision, kind text, who text, code_id text, intensity integer, comment text, deleted boolean, "
         "created_at text, updated_at text) WHERE s.rater_uuid = " + kMe + " AND s.session_uuid IN " +
             kVisibleSessions +
             " AND NOT EXISTS (SELECT 1 FROM attune.observations x WHERE x.uuid = s.uuid AND x.updated_at >= "
             "s.updated_at) ON CONFLICT (uuid) DO UPDATE SET t = excluded.t, stop = excluded.stop, kind = "
             "excluded.kind, who = excluded.who, code_id = excluded.code_id, intensity = excluded.intensity, "
             "comment = excluded.comment, deleted = excluded.deleted, updated_at = excluded.updated_at "
             "WHERE t.updated_at < excluded.updated_at",
         &BundleCounts::observations,
         "SELECT 'case ' || c.label || ' session ' || se.number || ': observation ' || x.code_id || ' at ' || "
         "round(x.t::numeric, 1) || ' s', s.updated_at, x.updated_at FROM json_to_recordset($1::json) AS s(uuid "
         "uuid, updated_at text) JOIN attune.observations x ON x.uuid = s.uuid JOIN attune.sessions se ON se.uuid = "
         "x.session_uuid JOIN attune.cases c ON c.uuid = se.case_uuid WHERE x.change_seq > $2 AND s.updated_at > $3 "
         "AND s.updated_at > x.updated_at"},
        {kClinician, "progress_notes",
         "json_object('session_uuid', r.session_uuid, 'data', r.data, 'assessment', r.assessment, 'plan', r.plan, "
         "'updated_at', r.updated_at)",
         "progress_notes r",
         "INSERT INTO attune.progress_notes AS t (uuid, session_uuid, data, assessment, plan, updated_at) SELECT "
         "md5('attune-progress-note:' || s.session_uuid)::uuid, s.session_uuid, s.data, s.assessment, s.plan, "
         "s.updated_at FROM json_to_recordset($1::json) AS s(session_uuid uuid, data text, assessment text, plan "
         "text, updated_at text) WHERE s.session_uuid IN (SELECT attune.my_sessions()) AND NOT EXISTS (SELECT 1 "
         "FROM attune.progress_notes x WHERE x.session_uuid = s.session_uuid AND x.updated_at >= s.updated_at) "
         "ON CONFLICT (uuid) DO UPDATE SET data = excluded.data, assessment = excluded.assessment, plan = "
         "excluded.plan, updated_at = excluded.updated_at WHERE t.updated_at < excluded.updated_at",
         &BundleCounts::progress_notes,
         "SELECT 'case ' || c.label || ' session ' || se.number || ': progress note', s.updated_at, x.updated_at "
         "FROM json_to_recordset($1::json) AS s(session_uuid uuid, updated_at text) JOIN attune.progress_notes x ON "
         "x.session_uuid = s.session_uuid JOIN attune.sessions se ON se.uuid = x.session_uuid JOIN attune.cases c "
         "ON c.uuid = se.case_uuid WHERE x.change_seq > $2 AND s.updated_at > $3 AND s.updated_at > x.updated_at"},
        {kClinician | kSupervisor, "signatures",
         "json_object('session_uuid', r.session_uuid, 'signer_uuid', r.signer_uuid, 'role', r.role, 'signed_at', "
         "r.signed_at, 'note_sha256', r.note_sha256, 'digest', r.digest, 'signature', r.signature, 'signed_name', "
         "r.signer_name, 'signer_key', r.signer_key, 'layers', (SELECT json_group_array(l.rater_uuid) FROM "
         "signature_layers l WHERE l.session_uuid = r.session_uuid AND l.role = r.role))",
         "signatures r",
         "INSERT INTO attune.signatures (uuid, session_uuid, signer_uuid, role, signed_at, note_sha256, digest, "
         "signature, signed_name, signer_key, layers) SELECT md5('attune-signature:' || s.session_uuid || ':' || "
         "s.role)::uuid, s.session_uuid, s.signer_uuid, s.role, s.signed_at, s.note_sha256, s.digest, s.signature, "
         "s.signed_name, s.signer_key, ARRAY(SELECT json_array_elements_text(s.layers)::uuid) FROM "
         "json_to_recordset($1::json) AS s(session_uuid uuid, signer_uuid uuid, role text, signed_at text, "
         "note_sha256 text, digest text, signature text, signed_name text, signer_key text, layers json) WHERE "
         "s.signer_uuid = " + kMe + " AND s.session_uuid IN " + kVisibleSessions +
             " AND NOT EXISTS (SELECT 1 FROM attune.signatures x WHERE x.session_uuid = s.session_uuid AND x.role = "
             "s.role) ON CONFLICT DO NOTHING",
         &BundleCounts::signatures},
        {kClinician, "addenda",
         "json_object('session_uuid', r.session_uuid, 'author_uuid', " + uuid_of("r.author_name") +
             ", 'created_at', r.created_at, 'body', r.body)",
         "addenda r",
         "INSERT INTO attune.addenda (uuid, session_uuid, author_uuid, created_at, body) SELECT "
         "md5('attune-addendum:' || s.session_uuid || ':' || s.author_uuid || ':' || s.created_at || ':' || "
         "s.body)::uuid AS id, s.session_uuid, s.author_uuid, s.created_at, s.body FROM json_to_recordset($1::json) "
         "AS s(session_uuid uuid, author_uuid uuid, created_at text, body text) WHERE s.author_uuid = " + kMe +
             " AND s.session_uuid IN " + kVisibleSessions +
             " AND NOT EXISTS (SELECT 1 FROM attune.addenda x WHERE x.uuid = md5('attune-addendum:' || "
             "s.session_uuid || ':' || s.author_uuid || ':' || s.created_at || ':' || s.body)::uuid) "
             "ON CONFLICT DO NOTHING",
         &BundleCounts::addenda},
        // Each author's own comments and edits by uuid; the newer version wins, as in bundles.
        {kClinician | kSupervisor, "review_comments",
         "json_object('uuid', r.uuid, 'session_uuid', r.session_uuid, 'author_uuid', " + uuid_of("r.author_name") +
             ", 't', " + exact("r.t") + ", 'body', r.body, 'created_at', r.created_at, 'updated_at', r.updated_at)",
         "review_comments r",
         "INSERT INTO attune.review_comments AS t (uuid, session_uuid, author_uuid, t, body, created_at, updated_at) "
         "SELECT s.uuid, s.session_uuid, s.author_uuid, s.t, s.body, s.created_at, s.updated_at FROM "
         "json_to_recordset($1::json) AS s(uuid uuid, session_uuid uuid, author_uuid uuid, t double precision, body "
         "text, created_at text, updated_at text) WHERE s.author_uuid = " + kMe + " AND s.session_uuid IN " +
             kVisibleSessions +
             " AND NOT EXISTS (SELECT 1 FROM attune.review_comments x WHERE x.uuid = s.uuid AND x.updated_at >= "
             "s.updated_at) ON CONFLICT (uuid) DO UPDATE SET t = excluded.t, body = excluded.body, updated_at = "
             "excluded.updated_at, removed = false WHERE t.updated_at < excluded.updated_at AND t.author_uuid = "
             "excluded.author_uuid AND t.session_uuid = excluded.session_uuid",
         &BundleCounts::comments,
         "SELECT 'case ' || c.label || ' session ' || se.number || ': comment at ' || round(x.t::numeric, 1) || ' s', "
         "s.updated_at, x.updated_at FROM json_to_recordset($1::json) AS s(uuid uuid, updated_at text) JOIN "
         "attune.review_comments x ON x.uuid = s.uuid JOIN attune.sessions se ON se.uuid = x.session_uuid JOIN "
         "attune.cases c ON c.uuid = se.case_uuid WHERE x.change_seq > $2 AND s.updated_at > $3 AND s.updated_at > "
         "x.updated_at"},
        // A comment taken down is marked removed on the server, unless it was edited there later.
        {kClinician | kSupervisor, "removed_comments", "json_object('uuid', r.uuid, 'removed_at', r.removed_at)",
         "removed_comments r",
         "UPDATE attune.review_comments AS t SET removed = true, updated_at = s.removed_at FROM "
         "json_to_recordset($1::json) AS s(uuid uuid, removed_at text) WHERE t.uuid = s.uuid AND NOT t.removed AND "
         "t.updated_at <= s.removed_at AND t.author_uuid = " + kMe,
         &BundleCounts::comments},
        // A check-off travels only into an item not checked off yet (as bundles merge it). Items
        // arrive in the order they were agreed in (the server's `arrival`; created_at has whole seconds).
        {kClinician, "homework",
         "json_object('uuid', r.uuid, 'case_uuid', r.case_uuid, 'session_uuid', r.session_uuid, 'description', "
         "r.description, 'done', json(CASE WHEN r.done IS NULL THEN 'null' WHEN r.done = 0 THEN 'false' ELSE 'true' "
         "END), 'created_at', r.created_at)",
         "homework r",
         "INSERT INTO attune.homework AS t (uuid, case_uuid, session_uuid, description, done, created_at) SELECT "
         "s.uuid, s.case_uuid, s.session_uuid, s.description, s.done, s.created_at FROM ROWS FROM "
         "(json_to_recordset($1::json) AS (uuid uuid, case_uuid uuid, session_uuid uuid, description text, done "
         "boolean, created_at text)) WITH ORDINALITY AS s(uuid, case_uuid, session_uuid, description, done, "
         "created_at, n) WHERE s.case_uuid IN (SELECT attune.my_cases()) AND NOT EXISTS (SELECT 1 FROM "
         "attune.homework x WHERE x.uuid = s.uuid AND (x.done IS NOT NULL OR s.done IS NULL)) ORDER BY s.n "
         "ON CONFLICT (uuid) DO UPDATE SET done = excluded.done WHERE t.done IS NULL AND excluded.done IS NOT NULL",
         &BundleCounts::homework},
        // Instrument files are the practice's (like schemes): the first stored stays.
        {kClinician, "instruments", "json_object('id', r.id, 'content', r.content)", "instruments r",
         "INSERT INTO attune.instruments (id, content, added_by, added_at) SELECT s.id, s.content, " + kMe +
             ", $2 FROM json_to_recordset($1::json) AS s(id text, content text) WHERE NOT EXISTS (SELECT 1 FROM "
             "attune.instruments x WHERE x.id = s.id) ON CONFLICT DO NOTHING",
         nullptr},
        // Each person's own entries and corrections; the newer version wins, as in bundles.
        {kClinician, "measures",
         "json_object('uuid', r.uuid, 'case_uuid', r.case_uuid, 'partner', r.partner, 'instrument_id', "
         "r.instrument_id, 'date', r.date, 'session_uuid', r.session_uuid, 'items', r.items, 'entered_total', " +
             exact("r.entered_total") + ", 'entered_by', " + uuid_of("r.entered_by_name") +
             ", 'created_at', r.created_at, 'updated_at', r.updated_at)",
         "measures r",
         "INSERT INTO attune.measures AS t (uuid, case_uuid, partner, instrument_id, date, session_uuid, items, "
         "entered_total, entered_by, created_at, updated_at) SELECT s.uuid, s.case_uuid, s.partner, s.instrument_id, "
         "s.date, s.session_uuid, s.items, s.entered_total, s.entered_by, s.created_at, s.updated_at FROM ROWS FROM "
         "(json_to_recordset($1::json) AS (uuid uuid, case_uuid uuid, partner text, instrument_id text, date text, "
         "session_uuid uuid, items text, entered_total double precision, entered_by uuid, created_at text, "
         "updated_at text)) WITH ORDINALITY AS s(uuid, case_uuid, partner, instrument_id, date, session_uuid, items, "
         "entered_total, entered_by, created_at, updated_at, n) WHERE s.entered_by = " + kMe +
             " AND s.case_uuid IN (SELECT attune.my_cases()) AND NOT EXISTS (SELECT 1 FROM attune.measures x WHERE "
             "x.uuid = s.uuid AND x.updated_at >= s.updated_at) ORDER BY s.n ON CONFLICT (uuid) DO UPDATE SET "
             "partner = excluded.partner, instrument_id = excluded.instrument_id, date = excluded.date, "
             "session_uuid = excluded.session_uuid, items = excluded.items, entered_total = excluded.entered_total, "
             "entered_by = excluded.entered_by, updated_at = excluded.updated_at, removed = false WHERE t.updated_at "
             "< excluded.updated_at",
         &BundleCounts::measures,
         "SELECT 'case ' || c.label || ': measure ' || x.instrument_id || ' of partner ' || x.partner || ' on ' || "
         "x.date, s.updated_at, x.updated_at FROM json_to_recordset($1::json) AS s(uuid uuid, updated_at text) JOIN "
         "attune.measures x ON x.uuid = s.uuid JOIN attune.cases c ON c.uuid = x.case_uuid WHERE x.change_seq > $2 "
         "AND s.updated_at > $3 AND s.updated_at > x.updated_at"},
        // A removal marks the server's row removed, unless it changed there later.
        {kClinician, "removed_measures", "json_object('uuid', r.uuid, 'removed_at', r.removed_at)",
         "removed_measures r",
         "UPDATE attune.measures AS t SET removed = true, updated_at = s.removed_at, entered_by = " + kMe +
             " FROM json_to_recordset($1::json) AS s(uuid uuid, removed_at text) WHERE t.uuid = s.uuid AND NOT "
             "t.removed AND t.updated_at <= s.removed_at AND t.case_uuid IN (SELECT attune.my_cases())",
         &BundleCounts::measures},
        // A second rater's ratings: a clinician's of the sessions of their cases (their own, or
        // another rater's given on paper), anyone's own of the sessions they read.
        {kClinician, "session_ratings", kRatingObject, "session_ratings r",
         ratings_merge("(s.rater_uuid = " + kMe + " AND s.session_uuid IN " + kVisibleSessions +
                       ") OR s.session_uuid IN (SELECT attune.my_sessions())"),
         &BundleCounts::ratings, kRatingsBothChanged},
        {kSupervisor | kCoder, "session_ratings", kRatingObject, "session_ratings r",
         ratings_merge("s.rater_uuid = " + kMe + " AND s.session_uuid IN " + kVisibleSessions),
         &BundleCounts::ratings, kRatingsBothChanged, {}, kClinician},
        // The case's clinicians' own decisions; the later one wins.
        {kClinician, "change_event_decisions",
         "json_object('session_uuid', r.session_uuid, 'candidate_key', r.candidate_key, 'decision', r.decision, "
         "'decided_by', " + uuid_of("r.decided_by_name") + ", 'decided_at', r.decided_at)",
         "change_event_decisions r",
         "INSERT INTO attune.change_event_decisions AS t (uuid, session_uuid, candidate_key, decision, decided_by, "
         "decided_at) SELECT md5('attune-change-event:' || s.session_uuid || ':' || s.candidate_key)::uuid, "
         "s.session_uuid, s.candidate_key, s.decision, s.decided_by, s.decided_at FROM json_to_recordset($1::json) "
         "AS s(session_uuid uuid, candidate_key text, decision text, decided_by uuid, decided_at text) WHERE "
         "s.decided_by = " + kMe + " AND s.session_uuid IN (SELECT attune.my_sessions()) AND NOT EXISTS (SELECT 1 "
         "FROM attune.change_event_decisions x WHERE x.session_uuid = s.session_uuid AND x.candidate_key = "
         "s.candidate_key AND x.decided_at >= s.decided_at) ON CONFLICT (uuid) DO UPDATE SET decision = "
         "excluded.decision, decided_by = excluded.decided_by, decided_at = excluded.decided_at WHERE t.decided_at "
         "< excluded.decided_at",
         &BundleCounts::decisions,
         "SELECT 'case ' || c.label || ' session ' || se.number || ': change-event candidate ' || x.candidate_key, "
         "s.decided_at, x.decided_at FROM json_to_recordset($1::json) AS s(session_uuid uuid, candidate_key text, "
         "decided_at text) JOIN attune.change_event_decisions x ON x.session_uuid = s.session_uuid AND "
         "x.candidate_key = s.candidate_key JOIN attune.sessions se ON se.uuid = x.session_uuid JOIN attune.cases c "
         "ON c.uuid = se.case_uuid WHERE x.change_seq > $2 AND s.decided_at > $3 AND s.decided_at > x.decided_at"},
    };
}

// Rows per JSON array sent: large pushes go in pieces of this many.
constexpr int kPushChunk = 20000;

// After a foreign-key refusal of `rows` (a JSON array of objects): the names,
// as the bundle's people give them, of the people these rows name whom the
// server does not have, sorted; empty when none is found (a case it lacks, or
// the server could not be asked).
std::vector<std::string> people_not_on_server(SQLite::Database& file, const std::string& rows,
                                              pqxx::connection& connection) {
    std::set<std::string> values;
    const nlohmann::json parsed = nlohmann::json::parse(rows, nullptr, false);
    if (parsed.is_array())
        for (const nlohmann::json& row : parsed)
            if (row.is_object())
                for (const auto& item : row.items())
                    if (item.value().is_string()) values.insert(item.value().get<std::string>());
    nlohmann::json named = nlohmann::json::array();
    std::map<std::string, std::string> name_of;
    SQLite::Statement people(file, "SELECT uuid, name FROM people");
    while (people.executeStep()) {
        const std::string uuid = people.getColumn(0).getString();
        if (!values.count(uuid)) continue;
        named.push_back(uuid);
        name_of[uuid] = people.getColumn(1).getString();
    }
    std::vector<std::string> out;
    if (named.empty()) return out;
    try {
        pqxx::nontransaction ask(connection);
        for (const pqxx::row& row : ask.exec_params(
                 "SELECT u FROM json_array_elements_text($1::json) AS v(u) WHERE NOT EXISTS (SELECT 1 FROM "
                 "attune.people p WHERE p.uuid = v.u::uuid)",
                 named.dump()))
            out.push_back(name_of[row[0].as<std::string>()]);
    } catch (const std::exception&) {
        return {};  // the refusal's own sentence says enough
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

ServerPush PracticeServer::push_bundle(const std::filesystem::path& bundle, std::string_view key,
                                       std::int64_t since, const std::string& changed_since) {
    SQLite::Database file = open_bundle_file(bundle, key, SQLite::OPEN_READONLY);
    const unsigned groups = groups_of(login());
    return guarded("sending changes", impl_->where, [&] {
        ServerPush push;
        BundleCounts& counts = push.counts;
        pqxx::work tx(impl_->connection);
        const std::string now = now_utc_iso();
        for (const PushTable& table : push_tables()) {
            if ((table.groups & groups) == 0 || (table.unless & groups) != 0) continue;
            SQLite::Statement rows(file, "SELECT count(*) FROM " + table.from);
            rows.executeStep();
            const int total = rows.getColumn(0).getInt();
            SQLite::Statement chunk(file, "SELECT json_group_array(" + table.object + ") FROM (SELECT * FROM " +
                                              table.from.substr(0, table.from.find(' ')) +
                                              " ORDER BY rowid LIMIT ? OFFSET ?) AS r");
            for (int offset = 0; offset < total; offset += kPushChunk) {
                chunk.bind(1, kPushChunk);
                chunk.bind(2, offset);
                chunk.executeStep();
                const std::string json = chunk.getColumn(0).getString();
                chunk.reset();
                if (!changed_since.empty() && !table.both_changed.empty())
                    for (const pqxx::row& row : tx.exec_params(table.both_changed, json, since, changed_since))
                        push.conflicts.push_back(row[0].as<std::string>() + " was changed both here (" +
                                                 row[1].as<std::string>() + ") and on another machine (" +
                                                 row[2].as<std::string>() +
                                                 ") since the last sync: the later version was kept, the other "
                                                 "one replaced");
                try {
                    if (!table.first.empty()) tx.exec_params(table.first, json);
                    const pqxx::result r = table.merge.find("$2") == std::string::npos
                                               ? tx.exec_params(table.merge, json)
                                               : tx.exec_params(table.merge, json, now);
                    if (table.count) counts.*table.count += static_cast<int>(r.affected_rows());
                } catch (const pqxx::foreign_key_violation&) {
                    tx.abort();
                    const std::vector<std::string> missing =
                        people_not_on_server(file, json, impl_->connection);
                    std::string names;
                    for (const std::string& name : missing) names += (names.empty() ? "" : ", ") + name;
                    const std::string who =
                        missing.empty() ? std::string("a person or case they name is not on the server")
                                        : "they name " + names + (missing.size() == 1 ? ", who is" : ", who are") +
                                              " not on the server";
                    throw StoreError(StoreError::Kind::Invalid,
                                     std::string("sending ") + table.name + " to the practice server (" +
                                         impl_->where + "): " + who +
                                         " (an administrator adds people with attune server add-person); nothing "
                                         "was sent");
                } catch (const pqxx::check_violation& e) {
                    throw StoreError(StoreError::Kind::Denied, std::string("the practice server refused ") +
                                                                   table.name + ": " +
                                                                   server_detail::first_line(e.what()) +
                                                                   "; nothing was sent");
                }
            }
        }
        tx.commit();
        return push;
    });
}

// [SECTION] Pull

namespace {

// One table of the pull: the SELECT whose rows (as r) become the bundle's,
// with r.uuid the server row's uuid for the audit, and the INSERT that
// writes them from a JSON array (SQLite's json_each, one object per row;
// fields it does not name are left out).
// $1 is `since`, $2 the known cases (uuid[]).
struct PullTable {
    unsigned groups;      // any of these may read it
    const char* name;     // the server table, for record_pull
    std::string select;   // SELECT ... AS columns ... (a row per bundle row)
    std::string insert;   // INSERT INTO bundle table ... FROM json_each(?)
    int BundleCounts::*count;
    unsigned unless = 0;  // not for a login in any of these (another entry serves it)
    // How the pull learns which cases the rows belong to (the cases something
    // arrived for, whose signatures are checked): a row names its case
    // (case_uuid), its session (session_uuid), or is a case itself.
    enum class CaseOf { Session, Case, Itself } case_of = CaseOf::Session;
};

// The JSON object's field `f`, in SQLite.
std::string field(const char* f) {
    return std::string("json_extract(value, '$.") + f + "')";
}

std::string fields(std::initializer_list<const char*> names) {
    std::string out;
    for (const char* n : names) out += (out.empty() ? "" : ", ") + field(n);
    return out;
}

// A session's row is new to this copy, or belongs to a case it does not have yet.
const std::string kSessionChanged = "(x.change_seq > $1 OR s.case_uuid <> ALL ($2::uuid[]))";

// The cases with their partners. The formulation (the goals, the partners'
// attachment styles and cycle positions) comes from attune.formulations(),
// which has it only for the cases the login treats or supervises (server
// migration 7): a case it only codes arrives with it empty. A coder's login
// may not call it (migration 3's column privileges).
std::string cases_select(bool formulation) {
    const auto column = [&](const char* server, const char* as) {
        return (formulation ? "coalesce(" + std::string(server) + ", '')" : std::string("''")) + " AS " + as;
    };
    return "SELECT c.uuid, c.label, p.name AS clinician_name, c.start_date, c.status, " + column("f.goals", "goals") +
           ", c.scheme_name, c.scheme_version, a.display_name AS a_name, " + column("f.a_style", "a_style") +
           ", b.display_name AS b_name, " + column("f.b_style", "b_style") + ", c.created_at, c.updated_at, " +
           column("f.a_cycle", "a_cycle") + ", " + column("f.b_cycle", "b_cycle") +
           ", coalesce(sp.name, '') AS supervisor_name, a.uuid AS a_uuid, b.uuid AS b_uuid FROM attune.cases c JOIN "
           "attune.people p ON p.uuid = c.clinician_uuid LEFT JOIN attune.people sp ON sp.uuid = c.supervisor_uuid "
           "JOIN attune.participants a ON a.case_uuid = c.uuid AND a.role = 'A' JOIN attune.participants b ON "
           "b.case_uuid = c.uuid AND b.role = 'B' " +
           (formulation ? "LEFT JOIN attune.formulations() f ON f.case_uuid = c.uuid " : "") +
           "WHERE c.change_seq > $1 OR a.change_seq > $1 OR b.change_seq > $1 OR c.uuid <> ALL ($2::uuid[])";
}

std::vector<PullTable> pull_tables() {
    const std::string cases_insert =
        "INSERT INTO cases SELECT " +
        fields({"uuid", "label", "clinician_name", "start_date", "status", "goals", "scheme_name", "scheme_version",
                "a_name", "a_style", "b_name", "b_style", "created_at", "updated_at", "a_cycle", "b_cycle",
                "supervisor_name"}) +
        " FROM json_each(?)";
    return {
        {kClinician | kSupervisor, "cases", cases_select(true), cases_insert, &BundleCounts::cases, 0,
         PullTable::CaseOf::Itself},
        {kCoder, "cases", cases_select(false), cases_insert, &BundleCounts::cases, kClinician | kSupervisor,
         PullTable::CaseOf::Itself},
        {kClinician | kSupervisor | kCoder, "sessions",
         "SELECT x.uuid, x.case_uuid, x.number, x.date, x.start_time, x.state, x.active_seconds, x.eft_stage, "
         "x.eft_step, x.attunement_a, x.attunement_b, x.safety, x.scheme_name, x.scheme_version, x.created_at, "
         "x.updated_at, x.ended_at FROM attune.sessions x WHERE x.change_seq > $1 OR x.case_uuid <> ALL ($2::uuid[])",
         "INSERT INTO sessions SELECT " +
             fields({"uuid", "case_uuid", "number", "date", "start_time", "state", "active_seconds", "eft_stage",
                     "eft_step", "attunement_a", "attunement_b", "safety", "scheme_name", "scheme_version",
                     "created_at", "updated_at", "ended_at"}) +
             " FROM json_each(?)",
         &BundleCounts::sessions, 0, PullTable::CaseOf::Case},
        {kClinician | kSupervisor | kCoder, "observations",
         "SELECT x.uuid, x.session_uuid, p.name AS rater_name, x.t, x.stop, x.kind, x.who, x.code_id, x.intensity, "
         "x.comment, x.deleted::int AS deleted, x.created_at, x.updated_at FROM attune.observations x JOIN "
         "attune.sessions s ON s.uuid = x.session_uuid JOIN attune.people p ON p.uuid = x.rater_uuid WHERE " +
             kSessionChanged,
         "INSERT INTO observations SELECT " +
             fields({"uuid", "session_uuid", "rater_name", "t", "stop", "kind", "who", "code_id", "intensity",
                     "comment", "deleted", "created_at", "updated_at"}) +
             " FROM json_each(?)",
         &BundleCounts::observations},
        {kClinician | kSupervisor | kCoder, "session_pauses",
         "SELECT x.uuid, x.session_uuid, x.session_seconds, x.wall_seconds, x.began_at, x.origin, x.created_at FROM "
         "attune.session_pauses x JOIN attune.sessions s ON s.uuid = x.session_uuid WHERE " + kSessionChanged +
             " ORDER BY x.session_uuid, x.session_seconds, x.created_at",
         "INSERT INTO session_pauses SELECT " +
             fields({"uuid", "session_uuid", "session_seconds", "wall_seconds", "began_at", "origin", "created_at"}) +
             " FROM json_each(?)",
         &BundleCounts::pauses},
        {kClinician | kSupervisor | kCoder, "recordings",
         "SELECT x.uuid, x.session_uuid, x.sha256, x.duration_seconds, x.has_video::int AS has_video, "
         "x.offset_seconds, x.original_name, x.bytes, x.created_at, x.updated_at FROM attune.recordings x JOIN "
         "attune.sessions s ON s.uuid = x.session_uuid WHERE " + kSessionChanged,
         "INSERT INTO recordings SELECT " +
             fields({"uuid", "session_uuid", "sha256", "duration_seconds", "has_video", "offset_seconds",
                     "original_name", "bytes", "created_at", "updated_at"}) +
             " FROM json_each(?)",
         &BundleCounts::recordings},
        {kClinician | kSupervisor | kCoder, "excerpts",
         "SELECT x.uuid, x.recording_uuid, x.name, x.stage, x.media_start, x.media_stop, p.name AS "
         "created_by_name, x.created_at, s.uuid AS session_uuid FROM attune.excerpts x JOIN attune.recordings r ON "
         "r.uuid = x.recording_uuid JOIN attune.sessions s ON s.uuid = r.session_uuid JOIN attune.people p ON p.uuid "
         "= x.created_by WHERE " + kSessionChanged + " ORDER BY s.uuid, x.media_start, x.uuid",
         "INSERT INTO excerpts SELECT " +
             fields({"uuid", "recording_uuid", "name", "stage", "media_start", "media_stop", "created_by_name",
                     "created_at"}) +
             " FROM json_each(?)",
         &BundleCounts::excerpts},
        {kClinician | kSupervisor, "progress_notes",
         "SELECT x.uuid, x.session_uuid, x.data, x.assessment, x.plan, x.updated_at FROM attune.progress_notes x "
         "JOIN attune.sessions s ON s.uuid = x.session_uuid WHERE " + kSessionChanged,
         "INSERT INTO progress_notes SELECT " + fields({"session_uuid", "data", "assessment", "plan", "updated_at"}) +
             " FROM json_each(?)",
         &BundleCounts::progress_notes},
        {kClinician | kSupervisor, "signatures",
         "SELECT x.uuid, x.session_uuid, CASE x.signed_name WHEN '' THEN p.name ELSE x.signed_name END AS "
         "signer_name, x.role, x.signed_at, x.note_sha256, x.signer_uuid, x.digest, x.signature, CASE x.signer_key "
         "WHEN '' THEN p.public_key ELSE x.signer_key END AS signer_key, x.layers FROM attune.signatures x JOIN "
         "attune.sessions s ON s.uuid = x.session_uuid JOIN attune.people p ON p.uuid = x.signer_uuid WHERE " +
             kSessionChanged,
         "INSERT INTO signatures SELECT " +
             fields({"session_uuid", "signer_name", "role", "signed_at", "note_sha256", "signer_uuid", "digest",
                     "signature", "signer_key"}) +
             " FROM json_each(?)",
         &BundleCounts::signatures},
        {kClinician | kSupervisor, "addenda",
         "SELECT x.uuid, x.session_uuid, p.name AS author_name, x.created_at, x.body FROM attune.addenda x JOIN "
         "attune.sessions s ON s.uuid = x.session_uuid JOIN attune.people p ON p.uuid = x.author_uuid WHERE " +
             kSessionChanged,
         "INSERT INTO addenda SELECT " + fields({"session_uuid", "author_name", "created_at", "body"}) +
             " FROM json_each(?)",
         &BundleCounts::addenda},
        {kClinician | kSupervisor, "review_comments",
         "SELECT x.uuid, x.session_uuid, p.name AS author_name, x.t, x.body, x.created_at, x.updated_at FROM "
         "attune.review_comments x JOIN attune.sessions s ON s.uuid = x.session_uuid JOIN attune.people p ON "
         "p.uuid = x.author_uuid WHERE NOT x.removed AND " + kSessionChanged,
         "INSERT INTO review_comments SELECT " +
             fields({"uuid", "session_uuid", "author_name", "t", "body", "created_at", "updated_at"}) +
             " FROM json_each(?)",
         &BundleCounts::comments},
        // Taken down since the last pull: the removal travels (a case new here never had them).
        {kClinician | kSupervisor, "review_comments",
         "SELECT x.uuid, x.session_uuid, x.updated_at AS removed_at FROM attune.review_comments x JOIN "
         "attune.sessions s ON s.uuid = x.session_uuid WHERE x.removed AND x.change_seq > $1 AND s.case_uuid = ANY "
         "($2::uuid[])",
         "INSERT INTO removed_comments SELECT " + fields({"uuid", "session_uuid", "removed_at"}) +
             " FROM json_each(?)",
         &BundleCounts::comments},
        {kClinician | kSupervisor, "homework",
         "SELECT x.uuid, x.case_uuid, x.session_uuid, x.description, x.done::int AS done, x.created_at FROM "
         "attune.homework x WHERE x.change_seq > $1 OR x.case_uuid <> ALL ($2::uuid[]) ORDER BY x.created_at, "
         "x.arrival",
         "INSERT INTO homework SELECT " +
             fields({"uuid", "case_uuid", "session_uuid", "description", "done", "created_at"}) + " FROM json_each(?)",
         &BundleCounts::homework, 0, PullTable::CaseOf::Case},
        {kClinician | kSupervisor, "measures",
         "SELECT x.uuid, x.case_uuid, x.partner, x.instrument_id, x.date, x.session_uuid, x.items, x.entered_total, "
         "p.name AS entered_by_name, x.created_at, x.updated_at FROM attune.measures x JOIN attune.people p ON "
         "p.uuid = x.entered_by WHERE NOT x.removed AND (x.change_seq > $1 OR x.case_uuid <> ALL ($2::uuid[])) "
         "ORDER BY x.arrival",
         "INSERT INTO measures SELECT " +
             fields({"uuid", "case_uuid", "partner", "instrument_id", "date", "session_uuid", "items",
                     "entered_total", "entered_by_name", "created_at", "updated_at"}) +
             " FROM json_each(?)",
         &BundleCounts::measures, 0, PullTable::CaseOf::Case},
        // Removed since the last pull: the removal travels (a case new here never had them).
        {kClinician | kSupervisor, "measures",
         "SELECT x.uuid, x.case_uuid, x.updated_at AS removed_at FROM attune.measures x WHERE x.removed AND "
         "x.change_seq > $1 AND x.case_uuid = ANY ($2::uuid[])",
         "INSERT INTO removed_measures SELECT " + fields({"uuid", "case_uuid", "removed_at"}) + " FROM json_each(?)",
         &BundleCounts::measures, 0, PullTable::CaseOf::Case},
        // Row-level security gives a coder only their own ratings.
        {kClinician | kSupervisor | kCoder, "session_ratings",
         "SELECT x.uuid, x.session_uuid, p.name AS rater_name, x.attunement_a, x.attunement_b, x.safety, "
         "x.created_at, x.updated_at FROM attune.session_ratings x JOIN attune.sessions s ON s.uuid = "
         "x.session_uuid JOIN attune.people p ON p.uuid = x.rater_uuid WHERE " + kSessionChanged,
         "INSERT INTO session_ratings SELECT " +
             fields({"session_uuid", "rater_name", "attunement_a", "attunement_b", "safety", "created_at",
                     "updated_at"}) +
             " FROM json_each(?)",
         &BundleCounts::ratings},
        {kClinician | kSupervisor, "change_event_decisions",
         "SELECT x.uuid, x.session_uuid, x.candidate_key, x.decision, p.name AS decided_by_name, x.decided_at FROM "
         "attune.change_event_decisions x JOIN attune.sessions s ON s.uuid = x.session_uuid JOIN attune.people p ON "
         "p.uuid = x.decided_by WHERE " + kSessionChanged,
         "INSERT INTO change_event_decisions SELECT " +
             fields({"session_uuid", "candidate_key", "decision", "decided_by_name", "decided_at"}) +
             " FROM json_each(?)",
         &BundleCounts::decisions},
    };
}

// A uuid[] literal of `uuids` for a query parameter.
std::string uuid_array(const std::vector<std::string>& uuids) {
    std::string out = "{";
    for (const std::string& u : uuids) out += (out.size() > 1 ? "," : "") + u;
    return out + "}";
}

}  // namespace

ServerPull PracticeServer::pull_bundle(const std::filesystem::path& out, std::string_view key, std::int64_t since,
                                       const std::vector<std::string>& known_cases, std::uint64_t log_from) {
    return guarded("receiving changes", impl_->where, [&] {
        ServerPull pull;
        const unsigned groups = groups_of(login());
        {
            // Its own statement: every number up to the horizon belongs to a finished transaction.
            pqxx::nontransaction horizon(impl_->connection);
            pull.horizon = horizon.exec("SELECT attune.pull_horizon()")[0][0].as<std::int64_t>();
        }
        bundle_detail::create_empty_bundle(out, key, {{"exported_at", now_utc_iso()}, {"selection", "practice server pull"},
                                       {"source", impl_->where}, {"include_private", "no"},
                                       {"sender_uuid", ""}, {"sender_name", ""}, {"sender_key", ""}});
        SQLite::Database file = open_bundle_file(out, key, SQLite::OPEN_READWRITE);
        SQLite::Transaction write(file);
        // One snapshot, taken after the horizon, for every table.
        pqxx::transaction<pqxx::repeatable_read> tx(impl_->connection);
        const std::string known = uuid_array(known_cases);
        const auto record = [&](const char* table, const std::string& uuids) {
            tx.exec_params("SELECT attune.record_pull($1, $2::uuid[], $3, $4)", std::string(table), uuids, since,
                           pull.horizon);
        };
        const pqxx::result people = tx.exec(
            "SELECT coalesce(json_agg(json_build_object('uuid', uuid, 'name', name, 'role', role)), '[]'), "
            "coalesce(array_agg(uuid), '{}') FROM attune.people");
        SQLite::Statement put_people(file, "INSERT INTO people SELECT " + fields({"uuid", "name", "role"}) +
                                               " FROM json_each(?)");
        put_people.bind(1, people[0][0].as<std::string>());
        pull.people = put_people.exec();
        for (const pqxx::row& person : tx.exec("SELECT uuid, name FROM attune.people ORDER BY name"))
            pull.named.emplace_back(person[0].as<std::string>(), person[1].as<std::string>());
        std::vector<std::string> log_uuids;
        for (const pqxx::row& e : tx.exec_params(
                 "SELECT sequence, kind, role, person_uuid, person_name, public_key, signer_uuid, at, signature, uuid "
                 "FROM attune.practice_log WHERE sequence >= $1 ORDER BY sequence",
                 static_cast<long long>(log_from))) {
            pull.log.push_back({e[0].as<std::uint64_t>(), e[1].as<std::string>(), e[2].as<std::string>(),
                                e[3].as<std::string>(), e[4].as<std::string>(), e[5].as<std::string>(),
                                e[6].as<std::string>(), e[7].as<std::string>(), e[8].as<std::string>()});
            log_uuids.push_back(e[9].as<std::string>());
        }
        if (!pull.log.empty()) record("practice_log", uuid_array(log_uuids));
        record("people", people[0][1].as<std::string>());
        const pqxx::result schemes = tx.exec(
            "SELECT coalesce(json_agg(json_build_object('name', name, 'version', version, 'content', content)), "
            "'[]') FROM attune.schemes");
        SQLite::Statement put_schemes(file, "INSERT INTO schemes SELECT " + fields({"name", "version", "content"}) +
                                                " FROM json_each(?)");
        put_schemes.bind(1, schemes[0][0].as<std::string>());
        put_schemes.exec();
        if ((groups & (kClinician | kSupervisor | kAdmin)) != 0) {
            const pqxx::result instruments = tx.exec(
                "SELECT coalesce(json_agg(json_build_object('id', id, 'content', content) ORDER BY id), '[]') FROM "
                "attune.instruments");
            SQLite::Statement put(file, "INSERT INTO instruments SELECT " + fields({"id", "content"}) +
                                            " FROM json_each(?)");
            put.bind(1, instruments[0][0].as<std::string>());
            put.exec();
        }
        for (const PullTable& table : pull_tables()) {
            if ((table.groups & groups) == 0 || (table.unless & groups) != 0) continue;
            const bool cases = table.case_of == PullTable::CaseOf::Itself;
            // The rows as JSON, their uuids, the partners' uuids (cases), and the cases they belong to.
            const std::string case_of = cases ? "SELECT uuid FROM r"
                                        : table.case_of == PullTable::CaseOf::Case
                                            ? "SELECT case_uuid FROM r"
                                            : "SELECT se.case_uuid FROM attune.sessions se WHERE se.uuid IN "
                                              "(SELECT session_uuid FROM r)";
            const pqxx::result rows = tx.exec_params(
                "WITH r AS (" + table.select + ") SELECT coalesce(json_agg(r), '[]'), coalesce(array_agg(r.uuid), "
                    "'{}'), " +
                    std::string(cases ? "coalesce(array_agg(r.a_uuid) || array_agg(r.b_uuid), '{}')" : "'{}'") +
                    ", (SELECT coalesce(array_agg(DISTINCT c), '{}') FROM (" + case_of + ") AS q(c)) FROM r",
                since, known);
            const std::string touched = rows[0][3].as<std::string>();  // {uuid,uuid,...}
            for (std::size_t at = 1; at + 1 < touched.size();) {
                const std::size_t end = std::min(touched.find(',', at), touched.size() - 1);
                pull.cases.insert(touched.substr(at, end - at));
                at = end + 1;
            }
            const std::string json = rows[0][0].as<std::string>();
            SQLite::Statement put(file, table.insert);
            put.bind(1, json);
            pull.counts.*table.count += put.exec();
            // Every pull is recorded by its people row; a table, when it handed out rows.
            if (json != "[]") record(table.name, rows[0][1].as<std::string>());
            if (cases && json != "[]") record("participants", rows[0][2].as<std::string>());
            if (std::string(table.name) == "signatures") {
                SQLite::Statement layers(file,
                                         "INSERT INTO signature_layers SELECT json_extract(s.value, '$.session_uuid'), "
                                         "json_extract(s.value, '$.role'), l.value FROM json_each(?) AS s, "
                                         "json_each(json_extract(s.value, '$.layers')) AS l");
                layers.bind(1, json);
                layers.exec();
            }
        }
        tx.commit();
        write.commit();
        return pull;
    });
}

// [SECTION] Shares and coder assignments

namespace {

// The shares (session_uuid empty) or the coder assignments of `rows`, as the
// JSON array json_to_recordset reads.
nlohmann::json access_json(const std::vector<AccessRow>& rows, bool assignments) {
    nlohmann::json out = nlohmann::json::array();
    for (const AccessRow& row : rows) {
        if (row.session_uuid.empty() == assignments) continue;
        nlohmann::json item = {{"case_uuid", row.case_uuid}, {"person_uuid", row.person_uuid}};
        if (assignments) item["session_uuid"] = row.session_uuid;
        out.push_back(std::move(item));
    }
    return out;
}

}  // namespace

int PracticeServer::push_access(const std::vector<AccessRow>& made) {
    if (made.empty()) return 0;
    const ServerLogin who = login();  // before the transaction: login() runs one of its own
    if (!who.clinician && !who.supervisor) return 0;
    return guarded("sending shares and coder assignments", impl_->where, [&] {
        const nlohmann::json shares = access_json(made, false);
        const nlohmann::json assignments = access_json(made, true);
        pqxx::work tx(impl_->connection);
        const std::string now = now_utc_iso();
        int added = 0;
        if (!shares.empty() && who.clinician)
            added += tx.exec_params(
                           "INSERT INTO attune.case_shares (uuid, case_uuid, person_uuid, granted_by, created_at) SELECT "
                           "md5('attune-case-share:' || r.case_uuid || ':' || r.person_uuid)::uuid, r.case_uuid::uuid, "
                           "r.person_uuid::uuid, attune.me(), $2 FROM json_to_recordset($1::json) AS r(case_uuid text, "
                           "person_uuid text) WHERE EXISTS (SELECT 1 FROM attune.people p WHERE p.uuid = "
                           "r.person_uuid::uuid) AND EXISTS (SELECT 1 FROM attune.cases c WHERE c.uuid = "
                           "r.case_uuid::uuid AND c.clinician_uuid = attune.me()) ON CONFLICT DO NOTHING",
                           shares.dump(), now)
                         .affected_rows();
        if (!assignments.empty())
            added += tx.exec_params(
                           "INSERT INTO attune.coder_assignments (uuid, session_uuid, case_uuid, person_uuid, "
                           "assigned_by, created_at) SELECT md5('attune-coder-assignment:' || r.session_uuid || ':' || "
                           "r.person_uuid)::uuid, r.session_uuid::uuid, r.case_uuid::uuid, r.person_uuid::uuid, "
                           "attune.me(), $2 FROM json_to_recordset($1::json) AS r(case_uuid text, session_uuid text, "
                           "person_uuid text) WHERE EXISTS (SELECT 1 FROM attune.people p WHERE p.uuid = "
                           "r.person_uuid::uuid) AND EXISTS (SELECT 1 FROM attune.sessions s JOIN attune.cases c ON "
                           "c.uuid = s.case_uuid WHERE s.uuid = r.session_uuid::uuid AND c.uuid = r.case_uuid::uuid "
                           "AND attune.me() IN (c.clinician_uuid, c.supervisor_uuid)) ON CONFLICT DO NOTHING",
                           assignments.dump(), now)
                         .affected_rows();
        tx.commit();
        return added;
    });
}

int PracticeServer::withdraw_access(const std::vector<AccessRow>& withdrawn) {
    if (withdrawn.empty()) return 0;
    const ServerLogin who = login();  // before the transaction: login() runs one of its own
    if (!who.clinician && !who.supervisor) return 0;
    return guarded("taking back shares and coder assignments", impl_->where, [&] {
        const nlohmann::json shares = access_json(withdrawn, false);
        const nlohmann::json assignments = access_json(withdrawn, true);
        pqxx::work tx(impl_->connection);
        const std::string now = now_utc_iso();
        // Row-level security lets a clinician delete only the shares they
        // granted, and the assignments of the cases they work on; a
        // supervisor (who may not touch shares) the assignments of the cases
        // they supervise.
        int taken = 0;
        if (!shares.empty() && who.clinician)
            taken += tx.exec_params(
                                "WITH gone AS (DELETE FROM attune.case_shares s USING json_to_recordset($1::json) AS "
                                "r(case_uuid text, person_uuid text) WHERE s.case_uuid = r.case_uuid::uuid AND "
                                "s.person_uuid = r.person_uuid::uuid AND s.granted_by = attune.me() RETURNING s.uuid, "
                                "s.case_uuid, s.person_uuid) INSERT INTO attune.audit_log (at, actor_uuid, action, "
                                "entity, entity_id, detail, row_uuids) SELECT $2, attune.me(), 'unshare', "
                                "'case_shares', gone.case_uuid::text, 'with=' || gone.person_uuid, ARRAY[gone.uuid] "
                                "FROM gone",
                                shares.dump(), now)
                              .affected_rows();
        if (!assignments.empty())
            taken += tx.exec_params(
                       "WITH gone AS (DELETE FROM attune.coder_assignments a USING json_to_recordset($1::json) AS "
                       "r(session_uuid text, person_uuid text) WHERE a.session_uuid = r.session_uuid::uuid AND "
                       "a.person_uuid = r.person_uuid::uuid RETURNING a.uuid, a.session_uuid, a.person_uuid) INSERT "
                       "INTO attune.audit_log (at, actor_uuid, action, entity, entity_id, detail, row_uuids) SELECT "
                       "$2, attune.me(), 'unassign', 'coder_assignments', gone.session_uuid::text, 'coder=' || "
                       "gone.person_uuid, ARRAY[gone.uuid] FROM gone",
                       assignments.dump(), now)
                     .affected_rows();
        tx.commit();
        return taken;
    });
}

std::vector<AccessRow> PracticeServer::pull_access(std::int64_t horizon) {
    const ServerLogin who = login();
    return guarded("receiving shares and coder assignments", impl_->where, [&] {
        std::vector<AccessRow> rows;
        pqxx::work tx(impl_->connection);
        const auto take = [&](const char* table, const std::string& select, bool session) {
            std::vector<std::string> uuids;
            for (const pqxx::row& r : tx.exec(select)) {
                rows.push_back({r[1].as<std::string>(), session ? r[2].as<std::string>() : std::string(),
                                r[session ? 3 : 2].as<std::string>()});
                uuids.push_back(r[0].as<std::string>());
            }
            if (!uuids.empty())
                tx.exec_params("SELECT attune.record_pull($1, $2::uuid[], 0, $3)", std::string(table),
                               uuid_array(uuids), horizon);
        };
        if (who.clinician || who.administrator)
            take("case_shares", "SELECT uuid, case_uuid, person_uuid FROM attune.case_shares ORDER BY uuid", false);
        if (who.clinician || who.supervisor || who.coder || who.administrator)
            take("coder_assignments",
                 "SELECT uuid, case_uuid, session_uuid, person_uuid FROM attune.coder_assignments ORDER BY uuid", true);
        tx.commit();
        return rows;
    });
}

}  // namespace attune::store
