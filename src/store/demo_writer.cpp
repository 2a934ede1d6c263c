#include "store/demo_writer.h"

#include "store/case_rows.h"
#include "store/observation_rows.h"
#include "store/signing.h"

#include "core/uuid.h"
#include "store/audit_write.h"
#include "store/sqlite_access.h"

namespace attune::store {
namespace {

// A bulk write touches random pages of the observations' uuid index; with
// SQLite's default 2 MB page cache most inserts read and decrypt a page again
// (measured, 360,000 observations: 23 s of CPU with the default cache, 7 s
// with this one). 256 MB keeps a large demo's indexes in memory while it is
// written; the previous size comes back when the writer goes away.
constexpr int kBulkCacheKiB = 256 * 1024;

// A cached SELECT left on a row keeps a read transaction open, and SQLite
// refuses to checkpoint the WAL of a connection inside a transaction: the WAL
// would then grow by every page of the demo (gigabytes for a large one) and
// every read would have to search it. Several repository look-ups return from
// their first row, so the writer resets every cached statement first.
void release_read_transaction(Database::Impl& impl) {
    for (auto& [text, statement] : impl.statements) statement->tryReset();  // an earlier error is not ours to report
}

void write_session_row(SQLite::Statement& insert, const Case& c, DemoSession& demo, const std::string& now) {
    Session& s = demo.session;
    if (s.uuid.empty()) s.uuid = new_uuid();
    s.case_id = c.id;
    s.scheme_id = c.scheme_id;
    insert.reset();
    bind_session_insert(insert, s, demo.resumed_at, now);
    insert.exec();
}

void write_observation(SQLite::Statement& insert, Observation& o, const std::string& now) {
    if (o.uuid.empty()) o.uuid = new_uuid();
    insert.reset();
    bind_observation_insert(insert, o, now);
    insert.exec();
}


// Inside the caller's transaction.
void insert_case(Database& db, SQLite::Database& sql, DemoCase& demo_case, const std::string& now,
                 const DemoWriter::Signer& signer) {
    Database::Impl& impl = db.impl();
    Case& c = demo_case.info;
    c.partner_a.role = Who::A;
    c.partner_b.role = Who::B;
    if (c.uuid.empty()) c.uuid = new_uuid();
    SQLite::Statement& case_insert = impl.statement(kInsertCaseSql);
    bind_case_insert(case_insert, c, now);
    case_insert.exec();
    c.id = sql.getLastInsertRowid();
    insert_participants(impl.statement(kInsertParticipantSql), c);
    append_audit(db, "create", "case", c.uuid,
                 "demo: label=" + c.label + " sessions=" + std::to_string(demo_case.sessions.size()));

    // Fetched once per case: Impl::statement() looks the text up in a map,
    // which would cost more than the insert itself a million times over.
    SQLite::Statement& session_insert = impl.statement(kInsertSessionSql);
    SQLite::Statement& observation_insert = impl.statement(
        kInsertObservationSql);
    SQLite::Statement& progress_insert = impl.statement(
        "INSERT INTO progress_notes (session_id, data, assessment, plan, updated_at) VALUES (?, ?, ?, ?, ?)");
    // The demo's notes are the clinician's first saved version (migration 9).
    SQLite::Statement& version_insert = impl.statement(
        "INSERT INTO progress_note_versions (session_id, data, assessment, plan, assessment_source, saved_at, "
        "author_id, how) VALUES (?, ?, ?, ?, 'clinician', ?, ?, 'edited')");
    SQLite::Statement& signature_insert = impl.statement(
        "INSERT INTO signatures (session_id, signer_id, role, signed_at, note_sha256, digest, signature) "
        "VALUES (?, ?, 'sign', ?, ?, ?, ?)");
    SQLite::Statement& layer_insert =
        impl.statement("INSERT INTO signature_layers (signature_id, rater_id) VALUES (?, ?)");
    SQLite::Statement& process_insert =
        impl.statement("INSERT INTO process_notes (session_id, body, updated_at) VALUES (?, ?, ?)");
    SQLite::Statement& homework_insert = impl.statement(
        "INSERT INTO homework (uuid, case_id, agreed_session_id, description, done, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)");

    for (DemoSession& demo : demo_case.sessions) {
        write_session_row(session_insert, c, demo, now);
        Session& s = demo.session;
        s.id = sql.getLastInsertRowid();
        for (Observation& o : demo.observations) {
            o.session_id = s.id;
            write_observation(observation_insert, o, now);
            o.id = sql.getLastInsertRowid();
        }
        const ProgressNote& note = demo.progress_note;
        const bool has_note = !note.data.empty() || !note.assessment.empty() || !note.plan.empty();
        if (has_note) {
            progress_insert.reset();
            progress_insert.bind(1, s.id);
            progress_insert.bind(2, note.data);
            progress_insert.bind(3, note.assessment);
            progress_insert.bind(4, note.plan);
            progress_insert.bind(5, now);
            progress_insert.exec();
            version_insert.reset();
            version_insert.bind(1, s.id);
            version_insert.bind(2, note.data);
            version_insert.bind(3, note.assessment);
            version_insert.bind(4, note.plan);
            version_insert.bind(5, now);
            version_insert.bind(6, c.clinician_id);
            version_insert.exec();
        }
        const bool signed_note = has_note && demo.note_signed && signer;
        if (signed_note) {
            const SignatureDraft draft = signer(c, demo);
            signature_insert.reset();
            signature_insert.bind(1, s.id);
            signature_insert.bind(2, c.clinician_id);
            signature_insert.bind(3, draft.signed_at);
            signature_insert.bind(4, note_sha256(note));
            signature_insert.bind(5, draft.digest);
            signature_insert.bind(6, draft.signature);
            signature_insert.exec();
            const RowId signature_id = sql.getLastInsertRowid();
            for (const RowId rater : draft.layers) {
                layer_insert.reset();
                layer_insert.bind(1, signature_id);
                layer_insert.bind(2, rater);
                layer_insert.exec();
            }
        }
        if (!demo.process_note.empty()) {
            process_insert.reset();
            process_insert.bind(1, s.id);
            process_insert.bind(2, demo.process_note);
            process_insert.bind(3, now);
            process_insert.exec();
        }
        for (const DemoHomework& h : demo.homework) {
            homework_insert.reset();
            homework_insert.bind(1, new_uuid());
            homework_insert.bind(2, c.id);
            homework_insert.bind(3, s.id);
            homework_insert.bind(4, h.description);
            if (h.done) homework_insert.bind(5, *h.done ? 1 : 0);
            else homework_insert.bind(5);
            homework_insert.bind(6, now);
            homework_insert.exec();
        }
        // One row per session says what was generated, never the note text.
        append_audit(db, "create", "session", s.uuid,
                     "demo: case=" + c.label + " number=" + std::to_string(s.number) + " date=" + s.date +
                         " state=" + std::string(to_string(s.state)) +
                         " observations=" + std::to_string(demo.observations.size()) +
                         (has_note ? " progress_note" : "") + (signed_note ? " signed" : "") + (demo.process_note.empty() ? "" : " process_note") +
                         " homework=" + std::to_string(demo.homework.size()));
    }
}

}  // namespace

DemoWriter::DemoWriter(Database& db) : db_(db) {
    try {
        previous_cache_size_ = sql_of(db_).execAndGet("PRAGMA cache_size").getInt();
        sql_of(db_).exec("PRAGMA cache_size = -" + std::to_string(kBulkCacheKiB));
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "preparing the demo failed");
    }
}

DemoWriter::~DemoWriter() {
    try {
        sql_of(db_).exec("PRAGMA cache_size = " + std::to_string(previous_cache_size_));
    } catch (const SQLite::Exception&) {
        // The connection keeps the larger cache; nothing is lost by that.
    }
}

std::int64_t DemoWriter::existing_cases() const {
    try {
        return sql_of(db_).execAndGet("SELECT count(*) FROM cases").getInt64();
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading cases failed");
    }
}

void DemoWriter::write_cases(std::vector<DemoCase>& cases, const std::function<void(size_t written)>& on_case) {
    release_read_transaction(db_.impl());
    write_transaction(db_, [&](SQLite::Database& sql) {
        const std::string now = now_utc_iso();
        for (size_t i = 0; i < cases.size(); ++i) {
            insert_case(db_, sql, cases[i], now, signer_);
            if (on_case) on_case(i + 1);
        }
    });
}

}  // namespace attune::store
