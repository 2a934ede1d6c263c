// bundle.cpp: writing a case bundle, and attaching one (shared with the
// import in bundle_merge.cpp).
#include "store/bundle.h"

#include "store/audit_write.h"
#include "store/bundle_internal.h"
#include "store/repositories.h"
#include "store/sqlite_access.h"

#include <sqlcipher/sqlite3.h>

#include <charconv>

namespace attune::store {
namespace bundle_detail {

namespace {

// The connection's trusted_schema (1 or 0).
int trusted_schema(SQLite::Database& sql) {
    SQLite::Statement q(sql, "PRAGMA trusted_schema");
    return q.executeStep() ? q.getColumn(0).getInt() : 1;
}

void set_trusted_schema(SQLite::Database& sql, int on) {
    sql.exec(std::string("PRAGMA trusted_schema = ") + (on ? "ON" : "OFF"));
}

void detach(SQLite::Database& sql, int trusted) {
    try {
        sql.exec("DETACH DATABASE bundle");
    } catch (const SQLite::Exception&) {
    }
    try {
        set_trusted_schema(sql, trusted);
    } catch (const SQLite::Exception&) {
    }
}

}  // namespace

AttachedBundle::AttachedBundle(Database& db, const std::filesystem::path& file, std::string_view passphrase,
                               const std::filesystem::path& shown)
    : db_(db) {
    const std::filesystem::path& path = shown.empty() ? file : shown;
    const std::string name = path.filename().string();
    // An empty KEY would attach the file unencrypted.
    if (passphrase.empty()) throw StoreError(StoreError::Kind::Invalid, "a bundle needs a passphrase");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw StoreError(StoreError::Kind::NotFound, "no bundle at " + path.string());
    SQLite::Database& sql = sql_of(db);
    db.impl().release_statements();
    const auto wrong_passphrase = [&] {
        return StoreError(StoreError::Kind::WrongPassphrase,
                          "cannot open the bundle " + name + ": wrong bundle passphrase, or not an Attune bundle");
    };
    // Off before ATTACH: SQLite parses the bundle's schema as it attaches it.
    try {
        trusted_schema_ = trusted_schema(sql);
        set_trusted_schema(sql, 0);
        SQLite::Statement attach(sql, "ATTACH DATABASE ? AS bundle KEY ?");
        attach.bind(1, file.string());
        attach.bindNoCopy(2, passphrase.data(), static_cast<int>(passphrase.size()));
        attach.exec();
    } catch (const SQLite::Exception& e) {
        detach(sql, trusted_schema_);
        if (e.getErrorCode() == SQLITE_NOTADB) throw wrong_passphrase();
        rethrow_as_store_error(e, "cannot open the bundle " + path.string());
    }
    try {
        try {
            check_bundle_objects(sql, name);
        } catch (const SQLite::Exception& e) {
            if (e.getErrorCode() == SQLITE_NOTADB) throw wrong_passphrase();
            throw StoreError(StoreError::Kind::NotAttune, path.string() + " is not an Attune bundle");
        }
        std::string format;
        try {
            SQLite::Statement q(sql, "SELECT value FROM bundle.info WHERE key = 'format'");
            if (q.executeStep()) format = q.getColumn(0).getString();
        } catch (const SQLite::Exception&) {
            throw StoreError(StoreError::Kind::NotAttune, path.string() + " is not an Attune bundle");
        }
        if (format != kFormat) throw StoreError(StoreError::Kind::NotAttune, path.string() + " is not an Attune bundle");
        SQLite::Statement v(sql, "SELECT value FROM bundle.info WHERE key = 'format_version'");
        // Written by Attune as a whole number; anything else (fuzz_bundle found that std::stoi
        // threw std::invalid_argument out of the import) is a damaged or foreign file.
        int version = kFormatVersion + 1;
        if (v.executeStep()) {
            const std::string text = v.getColumn(0).getString();
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
            if (error != std::errc() || end != text.data() + text.size() || version < 1)
                throw StoreError(StoreError::Kind::NotAttune,
                                 path.string() + " is not an Attune bundle (its format_version is not a version)");
        }
        if (version > kFormatVersion)
            throw StoreError(StoreError::Kind::NewerSchema,
                             name + " was written by a newer Attune: update Attune to import it");
        if (version < kFormatVersion)
            throw StoreError(StoreError::Kind::NotAttune,
                             name + " was written by an earlier Attune (bundle format " + std::to_string(version) +
                                 ", this Attune reads format " + std::to_string(kFormatVersion) +
                                 "): export it again with this version");
        check_bundle_tables(sql, name);
    } catch (const SQLite::Exception& e) {
        // A page that decrypts but does not parse (fuzz_bundle found "database disk
        // image is malformed" escaping the import): a damaged file, said plainly.
        detach(sql, trusted_schema_);
        throw StoreError(StoreError::Kind::NotAttune,
                         path.string() + " is damaged or not an Attune bundle (" + e.what() + ")");
    } catch (...) {
        detach(sql, trusted_schema_);
        throw;
    }
}

AttachedBundle::~AttachedBundle() {
    try {
        db_.impl().release_statements();
    } catch (const SQLite::Exception&) {
        // Nothing to report from a destructor; the connection closes the file at the latest.
    }
    detach(sql_of(db_), trusted_schema_);
}

void create_empty_bundle(const std::filesystem::path& path, std::string_view passphrase, const BundleInfo& info) {
    SQLite::Database out(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    if (sqlite3_key(out.getHandle(), passphrase.data(), static_cast<int>(passphrase.size())) != SQLITE_OK)
        throw StoreError(StoreError::Kind::NoEncryption, "SQLCipher refused the bundle key");
    SQLite::Transaction transaction(out);
    out.exec(kBundleSchema);
    SQLite::Statement insert(out, "INSERT INTO info (key, value) VALUES (?, ?)");
    const auto put = [&insert](const std::string& key, const std::string& value) {
        insert.bind(1, key);
        insert.bind(2, value);
        insert.exec();
        insert.reset();
    };
    put("format", kFormat);
    put("format_version", std::to_string(kFormatVersion));
    for (const auto& [key, value] : info) put(key, value);
    transaction.commit();
}

}  // namespace bundle_detail

namespace {

using namespace bundle_detail;

std::vector<RowId> selected_cases(Database& db, const BundleSelection& selection) {
    std::vector<RowId> ids;
    if (selection.every_case) {
        for (const CaseSummary& s : CaseRepository(db).list()) ids.push_back(s.info.id);
        return ids;
    }
    if (selection.case_label.empty() == selection.clinician_name.empty())
        throw StoreError(StoreError::Kind::Invalid, "name either one case or one clinician to bundle");
    if (!selection.case_label.empty()) {
        auto c = CaseRepository(db).find_by_label(selection.case_label);
        if (!c) throw StoreError(StoreError::Kind::NotFound, "no case '" + selection.case_label + "'");
        ids.push_back(c->id);
        return ids;
    }
    auto person = PeopleRepository(db).find(selection.clinician_name);
    if (!person) throw StoreError(StoreError::Kind::NotFound, "no clinician '" + selection.clinician_name + "'");
    for (const CaseSummary& s : CaseRepository(db).list())
        if (s.info.clinician_id == person->id) ids.push_back(s.info.id);
    if (ids.empty()) throw StoreError(StoreError::Kind::NotFound, selection.clinician_name + " has no cases");
    return ids;
}

// Creates the empty bundle on its own connection: ATTACH could not create a
// file the main connection was opened without OPEN_CREATE for.
void create_bundle_file(const std::filesystem::path& path, std::string_view passphrase, Database& db,
                        const BundleSelection& selection, const BundleSeal& sender) {
    BundleInfo info = {
        {"exported_at", now_utc_iso()},
        {"exported_by", db.actor().name},
        {"source", db.path().filename().string()},
        {"selection", selection.every_case       ? std::string("every case")
                      : selection.case_label.empty() ? "clinician " + selection.clinician_name
                                                     : "case " + selection.case_label},
        {"include_private", selection.include_private ? "yes" : "no"},
        {"sender_uuid", sender.sender_uuid},
        {"sender_name", sender.sender_name},
        {"sender_key", sender.sender_key},
    };
    if (!sender.recipients_sha256.empty()) info.emplace_back("recipients_sha256", sender.recipients_sha256);
    create_empty_bundle(path, passphrase, info);
}

// " AND column >= 'since'", or nothing when `since` is empty.
std::string changed_since(const std::string& column, const std::string& since) {
    if (since.empty()) return "";
    std::string quoted;
    for (char c : since) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    return " AND " + column + " >= '" + quoted + "'";
}

BundleCounts copy_into_bundle(SQLite::Database& sql, const std::string& ids, bool include_private,
                              const std::string& since) {
    const std::string cases = "(SELECT id FROM main.cases WHERE id IN " + ids + ")";
    const std::string sessions = "(SELECT id FROM main.sessions WHERE case_id IN " + cases + ")";
    BundleCounts n;
    sql.exec("INSERT INTO bundle.people (uuid, name, role) SELECT uuid, name, role FROM main.people WHERE id IN "
             "(SELECT clinician_id FROM main.cases WHERE id IN " + cases + ") OR id IN "
             "(SELECT supervisor_id FROM main.cases WHERE id IN " + cases + ") OR id IN "
             "(SELECT rater_id FROM main.observations WHERE session_id IN " + sessions + ") OR id IN "
             "(SELECT signer_id FROM main.signatures WHERE session_id IN " + sessions + ") OR id IN "
             "(SELECT author_id FROM main.addenda WHERE session_id IN " + sessions + ") OR id IN "
             "(SELECT author_id FROM main.review_comments WHERE session_id IN " + sessions + ") OR id IN "
             "(SELECT entered_by FROM main.measures WHERE case_id IN " + cases + ") OR id IN "
             "(SELECT rater_id FROM main.session_ratings WHERE session_id IN " + sessions + ") OR id IN "
             "(SELECT decided_by FROM main.change_event_decisions WHERE session_id IN " + sessions + ") OR id IN "
             "(SELECT e.created_by FROM main.excerpts e JOIN main.recordings r ON r.id = e.recording_id WHERE "
             "r.session_id IN " + sessions + ")");
    sql.exec("INSERT INTO bundle.schemes (name, version, content) SELECT name, version, content FROM main.schemes "
             "WHERE id IN (SELECT scheme_id FROM main.cases WHERE id IN " + cases + ") OR id IN "
             "(SELECT scheme_id FROM main.sessions WHERE id IN " + sessions + ")");
    n.cases = sql.exec(
        "INSERT INTO bundle.cases SELECT c.uuid, c.label, p.name, c.start_date, c.status, c.goals, sc.name, "
        "sc.version, a.display_name, a.attachment_style, b.display_name, b.attachment_style, c.created_at, "
        "c.updated_at, a.cycle_position, b.cycle_position, coalesce(sp.name, '') FROM main.cases c "
        "JOIN main.people p ON p.id = c.clinician_id LEFT JOIN main.people sp ON sp.id = c.supervisor_id "
        "JOIN main.schemes sc ON sc.id = c.scheme_id "
        "JOIN main.participants a ON a.case_id = c.id AND a.role = 'A' "
        "JOIN main.participants b ON b.case_id = c.id AND b.role = 'B' WHERE c.id IN " + cases +
            changed_since("c.updated_at", since));
    n.sessions = sql.exec(
        "INSERT INTO bundle.sessions SELECT s.uuid, c.uuid, s.number, s.date, s.start_time, s.state, "
        "s.active_seconds, s.eft_stage, s.eft_step, s.attunement_a, s.attunement_b, s.safety, sc.name, sc.version, "
        "s.created_at, s.updated_at, s.ended_at FROM main.sessions s JOIN main.cases c ON c.id = s.case_id "
        "JOIN main.schemes sc ON sc.id = s.scheme_id WHERE s.id IN " + sessions + changed_since("s.updated_at", since));
    // Deleted observations travel too, so that a deletion reaches the copy.
    n.observations = sql.exec(
        "INSERT INTO bundle.observations SELECT o.uuid, s.uuid, p.name, o.t, o.stop, o.kind, o.who, o.code_id, "
        "o.intensity, o.comment, o.deleted, o.created_at, o.updated_at FROM main.observations o "
        "JOIN main.sessions s ON s.id = o.session_id JOIN main.people p ON p.id = o.rater_id "
        "WHERE o.session_id IN " + sessions + changed_since("o.updated_at", since));
    n.progress_notes = sql.exec(
        "INSERT INTO bundle.progress_notes SELECT s.uuid, n.data, n.assessment, n.plan, n.updated_at "
        "FROM main.progress_notes n JOIN main.sessions s ON s.id = n.session_id WHERE n.session_id IN " + sessions +
            changed_since("n.updated_at", since));
    if (include_private)
        n.process_notes = sql.exec(
            "INSERT INTO bundle.process_notes SELECT s.uuid, n.body, n.updated_at FROM main.process_notes n "
            "JOIN main.sessions s ON s.id = n.session_id WHERE n.session_id IN " + sessions);
    n.homework = sql.exec(
        "INSERT INTO bundle.homework SELECT h.uuid, c.uuid, s.uuid, h.description, h.done, h.created_at "
        "FROM main.homework h JOIN main.cases c ON c.id = h.case_id JOIN main.sessions s "
        "ON s.id = h.agreed_session_id WHERE h.case_id IN " + cases + " ORDER BY h.id");
    // A signature carries the name it was signed under and the key that signed
    // it (as the bundle says: the receiver trusts only keys it knows).
    n.signatures = sql.exec(
        "INSERT INTO bundle.signatures SELECT s.uuid, CASE g.signed_name WHEN '' THEN p.name ELSE g.signed_name END, "
        "g.role, g.signed_at, g.note_sha256, p.uuid, g.digest, g.signature, "
        "CASE g.signer_key WHEN '' THEN p.public_key ELSE g.signer_key END "
        "FROM main.signatures g JOIN main.sessions s ON s.id = g.session_id JOIN main.people p ON p.id = g.signer_id "
        "WHERE g.session_id IN " + sessions + changed_since("g.signed_at", since) + " ORDER BY g.id");
    sql.exec("INSERT INTO bundle.signature_layers SELECT s.uuid, g.role, p.uuid FROM main.signature_layers l "
             "JOIN main.signatures g ON g.id = l.signature_id JOIN main.sessions s ON s.id = g.session_id "
             "JOIN main.people p ON p.id = l.rater_id WHERE g.session_id IN " + sessions);
    n.addenda = sql.exec(
        "INSERT INTO bundle.addenda SELECT s.uuid, p.name, a.created_at, a.body FROM main.addenda a "
        "JOIN main.sessions s ON s.id = a.session_id JOIN main.people p ON p.id = a.author_id "
        "WHERE a.session_id IN " + sessions + changed_since("a.created_at", since) + " ORDER BY a.id");
    // Comments edited since travel too (by uuid), and those taken down since.
    n.comments = sql.exec(
        "INSERT INTO bundle.review_comments SELECT r.uuid, s.uuid, p.name, r.t, r.body, r.created_at, r.updated_at "
        "FROM main.review_comments r JOIN main.sessions s ON s.id = r.session_id JOIN main.people p "
        "ON p.id = r.author_id WHERE r.session_id IN " + sessions + changed_since("r.updated_at", since) +
            " ORDER BY r.id");
    n.comments += sql.exec(
        "INSERT INTO bundle.removed_comments SELECT r.uuid, s.uuid, r.removed_at FROM main.removed_comments r "
        "JOIN main.sessions s ON s.id = r.session_id WHERE r.session_id IN " + sessions +
            changed_since("r.removed_at", since) + " ORDER BY r.uuid");
    // Measures with the practice's own instrument files they were scored with
    // (a shipped instrument is in every Attune), and the removals since.
    sql.exec("INSERT INTO bundle.instruments SELECT i.id, i.content FROM main.instruments i WHERE i.id IN "
             "(SELECT instrument_id FROM main.measures WHERE case_id IN " + cases + ") ORDER BY i.id");
    n.measures = sql.exec(
        "INSERT INTO bundle.measures SELECT m.uuid, c.uuid, m.partner, m.instrument_id, m.date, s.uuid, m.items, "
        "m.entered_total, p.name, m.created_at, m.updated_at FROM main.measures m JOIN main.cases c ON c.id = "
        "m.case_id LEFT JOIN main.sessions s ON s.id = m.session_id JOIN main.people p ON p.id = m.entered_by "
        "WHERE m.case_id IN " + cases + changed_since("m.updated_at", since) + " ORDER BY m.id");
    n.measures += sql.exec(
        "INSERT INTO bundle.removed_measures SELECT r.uuid, c.uuid, r.removed_at FROM main.removed_measures r "
        "JOIN main.cases c ON c.id = r.case_id WHERE r.case_id IN " + cases +
            changed_since("r.removed_at", since) + " ORDER BY r.uuid");
    // A second rater's ratings and the therapist's change-event decisions, as last given.
    n.ratings = sql.exec(
        "INSERT INTO bundle.session_ratings SELECT s.uuid, p.name, r.attunement_a, r.attunement_b, r.safety, "
        "r.created_at, r.updated_at FROM main.session_ratings r JOIN main.sessions s ON s.id = r.session_id JOIN "
        "main.people p ON p.id = r.rater_id WHERE r.session_id IN " + sessions + changed_since("r.updated_at", since) +
            " ORDER BY s.id, p.name");
    n.decisions = sql.exec(
        "INSERT INTO bundle.change_event_decisions SELECT s.uuid, d.candidate_key, d.decision, p.name, d.decided_at "
        "FROM main.change_event_decisions d JOIN main.sessions s ON s.id = d.session_id JOIN main.people p ON p.id = "
        "d.decided_by WHERE d.session_id IN " + sessions + changed_since("d.decided_at", since) +
            " ORDER BY s.id, d.candidate_key");
    // The clock's closed pauses (an open one is still changing), all of them
    // whatever `since` says: they are few, never change, and merge by uuid,
    // so a sync sends again those the server already has (it keeps its own)
    // and those made before pauses travelled (migration 15) reach it too.
    n.pauses = sql.exec(
        "INSERT INTO bundle.session_pauses SELECT p.uuid, s.uuid, p.session_seconds, p.wall_seconds, p.began_at, "
        "p.origin, p.created_at FROM main.session_pauses p JOIN main.sessions s ON s.id = p.session_id WHERE "
        "p.wall_seconds IS NOT NULL AND p.session_id IN " + sessions + " ORDER BY s.id, p.session_seconds, p.id");
    // Each recording's link (what identifies its file, and its offset; never
    // the file, its storage or where it lies here) and its excerpts, all of
    // them whatever `since` says, as pauses: they are few and merge by uuid,
    // so those linked before they travelled (format 10) reach the server too.
    n.recordings = sql.exec(
        "INSERT INTO bundle.recordings SELECT r.uuid, s.uuid, r.sha256, r.duration_seconds, r.has_video, "
        "r.offset_seconds, r.original_name, r.bytes, r.created_at, r.updated_at FROM main.recordings r JOIN "
        "main.sessions s ON s.id = r.session_id WHERE r.session_id IN " + sessions + " ORDER BY s.id");
    n.excerpts = sql.exec(
        "INSERT INTO bundle.excerpts SELECT e.uuid, r.uuid, e.name, e.stage, e.media_start, e.media_stop, p.name, "
        "e.created_at FROM main.excerpts e JOIN main.recordings r ON r.id = e.recording_id JOIN main.people p ON "
        "p.id = e.created_by WHERE r.session_id IN " + sessions + " ORDER BY r.session_id, e.media_start, e.id");
    return n;
}

}  // namespace

std::int64_t count_changed_since(Database& db, const std::string& since) {
    // Each table copy_into_bundle reads, by the column it selects changes by
    // (pauses, recordings, excerpts and homework travel whole: counted from
    // when they were made), and the shares and assignments taken back here.
    struct Stamped {
        const char* table;
        const char* column;
        const char* also = "";  // a further condition
    };
    static constexpr Stamped kStamped[] = {
        {"cases", "updated_at"},
        {"sessions", "updated_at"},
        {"observations", "updated_at"},
        {"progress_notes", "updated_at"},
        {"homework", "created_at"},
        {"signatures", "signed_at"},
        {"addenda", "created_at"},
        {"review_comments", "updated_at"},
        {"removed_comments", "removed_at"},
        {"measures", "updated_at"},
        {"removed_measures", "removed_at"},
        {"session_ratings", "updated_at"},
        {"change_event_decisions", "decided_at"},
        {"session_pauses", "created_at", " AND wall_seconds IS NOT NULL"},  // an open pause is not sent
        {"recordings", "updated_at"},
        {"excerpts", "created_at"},
        {"withdrawn_shares", "at"},
        {"withdrawn_assignments", "at"},
    };
    // Coder assignments made here and not yet found on the server (they have no time).
    std::string sql = "SELECT (SELECT count(*) FROM main.coding_assignments WHERE server_state = 2)";
    for (const Stamped& t : kStamped)
        sql += std::string(" + (SELECT count(*) FROM main.") + t.table + " WHERE 1" + changed_since(t.column, since) +
               t.also + ")";
    try {
        return sql_of(db).execAndGet(sql).getInt64();
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "counting the changes since " + since + " failed");
    }
}

BundleCounts export_bundle(Database& db, const BundleSelection& selection, const std::filesystem::path& out,
                           std::string_view bundle_passphrase, const BundleSeal& sender, const BundleSigner& sign,
                           const BundleEnvelope& envelope) {
    const std::filesystem::path& shown = envelope.shown_as.empty() ? out : envelope.shown_as;
    if (bundle_passphrase.empty()) throw StoreError(StoreError::Kind::Invalid, "a bundle needs a passphrase");
    const std::vector<RowId> ids = selected_cases(db, selection);
    // Row ids from our own database: integers, safe to write into the SQL text.
    std::string id_list = "(";
    for (RowId id : ids) id_list += (id_list.size() > 1 ? "," : "") + std::to_string(id);
    id_list += ")";

    std::filesystem::path part = out;
    part += ".part";
    std::error_code ec;
    std::filesystem::remove(part, ec);
    BundleCounts counts;
    try {
        try {
            create_bundle_file(part, bundle_passphrase, db, selection, sender);
        } catch (const SQLite::Exception& e) {
            rethrow_as_store_error(e, "cannot write the bundle " + shown.string());
        }
        {
            AttachedBundle attached(db, part, bundle_passphrase, shown);
            write_transaction(db, [&](SQLite::Database& sql) {
                counts = copy_into_bundle(sql, id_list, selection.include_private, selection.changed_since);
                append_audit(
                    db, "export", "bundle", shown.filename().string(),
                    (selection.every_case           ? std::string("every case")
                     : selection.case_label.empty() ? "clinician=" + selection.clinician_name
                                                    : "case=" + selection.case_label) +
                        " cases=" + std::to_string(counts.cases) + " sessions=" + std::to_string(counts.sessions) +
                        " observations=" + std::to_string(counts.observations) +
                        " signatures=" + std::to_string(counts.signatures) +
                        " addenda=" + std::to_string(counts.addenda) + " comments=" + std::to_string(counts.comments) +
                        " include_private=" + (selection.include_private ? "yes" : "no") +
                        (envelope.recipients.empty() ? std::string() : " to=" + envelope.recipients) +
                        " path=" + std::filesystem::absolute(shown).lexically_normal().string());
            });
            if (sign) {
                // Sealed last, over everything else the bundle holds.
                SQLite::Database& sql = sql_of(db);
                const std::string signature = sign(bundle_content_sha256(sql));
                SQLite::Statement seal(sql, "INSERT INTO bundle.info (key, value) VALUES ('sender_signature', ?)");
                seal.bind(1, signature);
                seal.exec();
            }
        }
        std::filesystem::rename(part, out);
    } catch (const std::filesystem::filesystem_error& e) {
        std::filesystem::remove(part, ec);
        throw StoreError(StoreError::Kind::Io, "cannot write the bundle " + shown.string() + ": " + e.what());
    } catch (...) {
        std::filesystem::remove(part, ec);
        throw;
    }
    return counts;
}

}  // namespace attune::store
