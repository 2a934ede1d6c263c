#include "store/practice_log.h"

#include "store/audit_write.h"
#include "store/sqlite_access.h"

#include <algorithm>

namespace attune::store {
namespace {

crypto::Bytes hex_bytes(const std::string& hex) {
    auto bytes = crypto::from_hex(hex);
    return bytes ? *bytes : crypto::Bytes{};
}

std::string person_uuid_of(SQLite::Database& sql, RowId person_id) {
    SQLite::Statement q(sql, "SELECT uuid FROM people WHERE id = ?");
    q.bind(1, person_id);
    if (!q.executeStep()) throw StoreError(StoreError::Kind::NotFound, "no such person");
    return q.getColumn(0).getString();
}

std::string case_uuid_of(SQLite::Database& sql, RowId case_id) {
    SQLite::Statement q(sql, "SELECT uuid FROM cases WHERE id = ?");
    q.bind(1, case_id);
    if (!q.executeStep()) throw StoreError(StoreError::Kind::NotFound, "the case no longer exists");
    return q.getColumn(0).getString();
}

std::string session_uuid_of(SQLite::Database& sql, RowId session_id) {
    SQLite::Statement q(sql, "SELECT uuid FROM sessions WHERE id = ?");
    q.bind(1, session_id);
    if (!q.executeStep()) throw StoreError(StoreError::Kind::NotFound, "no such session");
    return q.getColumn(0).getString();
}

std::vector<RowId> ids(Database& db, const char* sql_text, RowId key) {
    std::vector<RowId> out;
    try {
        SQLite::Statement& q = db.impl().statement(sql_text);
        q.bind(1, key);
        while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading who may see a case failed");
    }
    return out;
}

}  // namespace

// [SECTION] The trust root and the log

std::optional<TrustRoot> PracticeLogRepository::trust_root() const {
    try {
        SQLite::Statement& q = db_.impl().statement(
            "SELECT practice_uuid, founding_admin_uuid, founding_admin_public_key FROM practice_identity WHERE id = 1");
        std::optional<TrustRoot> out;
        if (q.executeStep())
            out = TrustRoot{q.getColumn(0).getString(), q.getColumn(1).getString(), hex_bytes(q.getColumn(2).getString())};
        q.reset();
        return out;
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the practice's identity failed");
    }
}

void PracticeLogRepository::set_trust_root(const TrustRoot& root, const std::string& founding_admin_name) {
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement insert(sql,
                                 "INSERT INTO practice_identity (id, practice_uuid, founding_admin_uuid, "
                                 "founding_admin_public_key, created_at) VALUES (1, ?, ?, ?, ?)");
        insert.bind(1, root.practice_uuid);
        insert.bind(2, root.founding_administrator_uuid);
        insert.bind(3, crypto::to_hex(root.founding_administrator_key));
        insert.bind(4, now_utc_iso());
        insert.exec();
        append_audit(db_, "create", "practice", root.practice_uuid,
                     "founding administrator " + founding_admin_name + ", key " +
                         crypto::fingerprint(root.founding_administrator_key));
    });
}

std::vector<SignedGrant> PracticeLogRepository::grants() const {
    std::vector<SignedGrant> out;
    const auto root = trust_root();
    try {
        SQLite::Statement& q = db_.impl().statement(
            "SELECT sequence, kind, role, person_uuid, signer_uuid, at, signature FROM practice_log "
            "WHERE kind IN ('grant', 'revoke') ORDER BY sequence");
        while (q.executeStep()) {
            SignedGrant g;
            g.statement.practice_uuid = root ? root->practice_uuid : "";
            g.statement.sequence = static_cast<std::uint64_t>(q.getColumn(0).getInt64());
            g.statement.granted = q.getColumn(1).getString() == "grant";
            g.statement.role = parse_grant_role(q.getColumn(2).getString()).value_or(GrantRole::Coder);
            g.statement.grantee_uuid = q.getColumn(3).getString();
            g.statement.granted_by_uuid = q.getColumn(4).getString();
            g.statement.at = q.getColumn(5).getString();
            g.signature = hex_bytes(q.getColumn(6).getString());
            out.push_back(std::move(g));
        }
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the practice's roles failed");
    }
    return out;
}

std::vector<SignedKey> PracticeLogRepository::keys() const {
    std::vector<SignedKey> out;
    const auto root = trust_root();
    try {
        SQLite::Statement& q = db_.impl().statement(
            "SELECT sequence, person_uuid, person_name, public_key, signer_uuid, at, signature FROM practice_log "
            "WHERE kind = 'key' ORDER BY sequence");
        while (q.executeStep()) {
            SignedKey k;
            k.statement.practice_uuid = root ? root->practice_uuid : "";
            k.statement.sequence = static_cast<std::uint64_t>(q.getColumn(0).getInt64());
            k.statement.person_uuid = q.getColumn(1).getString();
            k.statement.person_name = q.getColumn(2).getString();
            k.statement.public_key = hex_bytes(q.getColumn(3).getString());
            k.statement.certified_by_uuid = q.getColumn(4).getString();
            k.statement.at = q.getColumn(5).getString();
            k.signature = hex_bytes(q.getColumn(6).getString());
            out.push_back(std::move(k));
        }
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the practice's keys failed");
    }
    return out;
}

std::uint64_t PracticeLogRepository::next_sequence() const {
    try {
        SQLite::Statement& q = db_.impl().statement("SELECT coalesce(max(sequence), 0) + 1 FROM practice_log");
        q.executeStep();
        const auto next = static_cast<std::uint64_t>(q.getColumn(0).getInt64());
        q.reset();
        return next;
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the practice's log failed");
    }
}

void PracticeLogRepository::append(const SignedGrant& grant) {
    const GrantStatement& s = grant.statement;
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement insert(sql,
                                 "INSERT INTO practice_log (sequence, kind, role, person_uuid, signer_uuid, at, "
                                 "signature) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, static_cast<std::int64_t>(s.sequence));
        insert.bind(2, std::string(s.granted ? "grant" : "revoke"));
        insert.bind(3, std::string(to_string(s.role)));
        insert.bind(4, s.grantee_uuid);
        insert.bind(5, s.granted_by_uuid);
        insert.bind(6, s.at);
        insert.bind(7, crypto::to_hex(grant.signature));
        insert.exec();
        append_audit(db_, s.granted ? "grant" : "revoke", "person", s.grantee_uuid,
                     "role=" + std::string(to_string(s.role)) + " statement=" + std::to_string(s.sequence));
    });
}

void PracticeLogRepository::append(const SignedKey& key) {
    const KeyStatement& s = key.statement;
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement insert(sql,
                                 "INSERT INTO practice_log (sequence, kind, person_uuid, person_name, public_key, "
                                 "signer_uuid, at, signature) VALUES (?, 'key', ?, ?, ?, ?, ?, ?)");
        insert.bind(1, static_cast<std::int64_t>(s.sequence));
        insert.bind(2, s.person_uuid);
        insert.bind(3, s.person_name);
        insert.bind(4, crypto::to_hex(s.public_key));
        insert.bind(5, s.certified_by_uuid);
        insert.bind(6, s.at);
        insert.bind(7, crypto::to_hex(key.signature));
        insert.exec();
        SQLite::Statement update(sql, "UPDATE people SET public_key = ? WHERE uuid = ?");
        update.bind(1, crypto::to_hex(s.public_key));
        update.bind(2, s.person_uuid);
        update.exec();
        append_audit(db_, "certify", "person", s.person_uuid,
                     "key " + crypto::fingerprint(s.public_key) + " statement=" + std::to_string(s.sequence));
    });
}

// [SECTION] Keys of other practices

void KnownKeysRepository::add(const KnownKey& key) {
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement insert(sql,
                                 "INSERT OR IGNORE INTO known_keys (person_uuid, name, public_key, practice_uuid, "
                                 "imported_at) VALUES (?, ?, ?, ?, ?)");
        insert.bind(1, key.person_uuid);
        insert.bind(2, key.name);
        insert.bind(3, key.public_key);
        insert.bind(4, key.practice_uuid);
        insert.bind(5, now_utc_iso());
        insert.exec();
        auto bytes = crypto::from_hex(key.public_key);
        append_audit(db_, "import", "key", key.person_uuid,
                     "name=" + key.name + " key " + (bytes ? crypto::fingerprint(*bytes) : key.public_key));
    });
}

std::vector<KnownKey> KnownKeysRepository::list() const {
    std::vector<KnownKey> out;
    try {
        SQLite::Statement& q =
            db_.impl().statement("SELECT person_uuid, name, public_key, practice_uuid FROM known_keys ORDER BY id");
        while (q.executeStep())
            out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                           q.getColumn(3).getString()});
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the known keys failed");
    }
    return out;
}

// [SECTION] Who may see a case

void AccessRepository::set_supervisor(RowId case_id, RowId person_id) {
    write_transaction(db_, [&](SQLite::Database& sql) {
        const std::string uuid = case_uuid_of(sql, case_id);
        SQLite::Statement update(sql, "UPDATE cases SET supervisor_id = ?, updated_at = ? WHERE id = ?");
        if (person_id == 0) update.bind(1);
        else update.bind(1, person_id);
        update.bind(2, now_utc_iso());
        update.bind(3, case_id);
        update.exec();
        append_audit(db_, "update", "case", uuid,
                     person_id == 0 ? std::string("supervisor=none") : "supervisor=" + person_uuid_of(sql, person_id));
    });
}

void AccessRepository::share(RowId case_id, RowId person_id) {
    write_transaction(db_, [&](SQLite::Database& sql) {
        const std::string uuid = case_uuid_of(sql, case_id);
        const std::string person = person_uuid_of(sql, person_id);
        SQLite::Statement insert(sql, "INSERT OR IGNORE INTO case_shares (case_id, person_id) VALUES (?, ?)");
        insert.bind(1, case_id);
        insert.bind(2, person_id);
        insert.exec();
        SQLite::Statement revived(sql, "DELETE FROM withdrawn_shares WHERE case_uuid = ? AND person_uuid = ?");
        revived.bind(1, uuid);
        revived.bind(2, person);
        revived.exec();
        append_audit(db_, "share", "case", uuid, "with=" + person);
    });
}

void AccessRepository::unshare(RowId case_id, RowId person_id) {
    write_transaction(db_, [&](SQLite::Database& sql) {
        const std::string uuid = case_uuid_of(sql, case_id);
        const std::string person = person_uuid_of(sql, person_id);
        SQLite::Statement remove(sql, "DELETE FROM case_shares WHERE case_id = ? AND person_id = ?");
        remove.bind(1, case_id);
        remove.bind(2, person_id);
        if (remove.exec() == 0) return;
        SQLite::Statement tombstone(
            sql, "INSERT OR REPLACE INTO withdrawn_shares (case_uuid, person_uuid, at) VALUES (?, ?, ?)");
        tombstone.bind(1, uuid);
        tombstone.bind(2, person);
        tombstone.bind(3, now_utc_iso());
        tombstone.exec();
        append_audit(db_, "unshare", "case", uuid, "with=" + person);
    });
}

std::vector<RowId> AccessRepository::shared_with(RowId case_id) const {
    return ids(db_, "SELECT person_id FROM case_shares WHERE case_id = ? ORDER BY person_id", case_id);
}

std::vector<RowId> AccessRepository::cases_shared_with(RowId person_id) const {
    return ids(db_, "SELECT case_id FROM case_shares WHERE person_id = ? ORDER BY case_id", person_id);
}

void AccessRepository::assign_coder(RowId session_id, RowId person_id) {
    write_transaction(db_, [&](SQLite::Database& sql) {
        const std::string uuid = session_uuid_of(sql, session_id);
        // Assigned here (again), it is sent at the next sync, even if the server held it before.
        SQLite::Statement insert(sql,
                                 "INSERT INTO coding_assignments (session_id, person_id, server_state) VALUES "
                                 "(?, ?, 2) ON CONFLICT DO UPDATE SET server_state = 2");
        insert.bind(1, session_id);
        insert.bind(2, person_id);
        insert.exec();
        const std::string person = person_uuid_of(sql, person_id);
        SQLite::Statement revived(sql, "DELETE FROM withdrawn_assignments WHERE session_uuid = ? AND person_uuid = ?");
        revived.bind(1, uuid);
        revived.bind(2, person);
        revived.exec();
        append_audit(db_, "assign", "session", uuid, "coder=" + person);
    });
}

bool AccessRepository::unassign_coder(RowId session_id, RowId person_id) {
    bool removed = false;
    write_transaction(db_, [&](SQLite::Database& sql) {
        const std::string uuid = session_uuid_of(sql, session_id);
        const std::string person = person_uuid_of(sql, person_id);
        SQLite::Statement remove(sql, "DELETE FROM coding_assignments WHERE session_id = ? AND person_id = ?");
        remove.bind(1, session_id);
        remove.bind(2, person_id);
        removed = remove.exec() > 0;
        if (!removed) return;
        SQLite::Statement tombstone(
            sql, "INSERT OR REPLACE INTO withdrawn_assignments (session_uuid, person_uuid, at) VALUES (?, ?, ?)");
        tombstone.bind(1, uuid);
        tombstone.bind(2, person);
        tombstone.bind(3, now_utc_iso());
        tombstone.exec();
        append_audit(db_, "unassign", "session", uuid, "coder=" + person);
    });
    return removed;
}

std::vector<RowId> AccessRepository::sessions_assigned_to(RowId person_id) const {
    return ids(db_, "SELECT session_id FROM coding_assignments WHERE person_id = ? ORDER BY session_id", person_id);
}

std::vector<RowId> AccessRepository::coders_of(RowId session_id) const {
    return ids(db_, "SELECT person_id FROM coding_assignments WHERE session_id = ? ORDER BY person_id", session_id);
}

namespace {

// The rows (case uuid, session uuid or '', person uuid) of `query`, with `id` bound to ?1.
std::vector<AccessRow> access_rows(Database& db, const char* query, RowId id, const char* what) {
    std::vector<AccessRow> rows;
    try {
        SQLite::Statement& q = db.impl().statement(query);
        q.bind(1, id);
        while (q.executeStep())
            rows.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString()});
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, std::string("reading ") + what + " failed");
    }
    return rows;
}

}  // namespace

std::vector<AccessRow> AccessRepository::made_for_cases_of(RowId clinician_id) const {
    return access_rows(db_,
                       "SELECT c.uuid, '', p.uuid FROM case_shares s JOIN cases c ON c.id = s.case_id JOIN people p ON "
                       "p.id = s.person_id WHERE c.clinician_id = ?1 UNION ALL SELECT c.uuid, se.uuid, p.uuid FROM "
                       "coding_assignments a JOIN sessions se ON se.id = a.session_id JOIN cases c ON c.id = "
                       "se.case_id JOIN people p ON p.id = a.person_id WHERE c.clinician_id = ?1 AND "
                       "a.server_state <> 1 ORDER BY 1, 2, 3",
                       clinician_id, "the shares and coder assignments of a clinician's cases");
}

std::vector<AccessRow> AccessRepository::made_for_cases_supervised_by(RowId supervisor_id) const {
    return access_rows(db_,
                       "SELECT c.uuid, se.uuid, p.uuid FROM coding_assignments a JOIN sessions se ON se.id = "
                       "a.session_id JOIN cases c ON c.id = se.case_id JOIN people p ON p.id = a.person_id WHERE "
                       "c.supervisor_id = ?1 AND (c.clinician_id IS NULL OR c.clinician_id <> ?1) AND a.server_state = "
                       "2 ORDER BY 1, 2, 3",
                       supervisor_id, "the coder assignments made for a supervisor's cases");
}

int AccessRepository::add_arrived(const std::vector<AccessRow>& rows) {
    int added = 0;
    if (rows.empty()) return added;
    write_transaction(db_, [&](SQLite::Database& sql) {
        added = 0;
        SQLite::Statement share(sql,
                                "INSERT OR IGNORE INTO case_shares (case_id, person_id) SELECT c.id, p.id FROM cases c, "
                                "people p WHERE c.uuid = ? AND p.uuid = ?");
        SQLite::Statement assign(sql,
                                 "INSERT OR IGNORE INTO coding_assignments (session_id, person_id, server_state) "
                                 "SELECT se.id, p.id, 1 "
                                 "FROM sessions se JOIN cases c ON c.id = se.case_id, people p WHERE se.uuid = ? AND "
                                 "c.uuid = ? AND p.uuid = ?");
        // One made here (or from before migration 14) that the server holds now is the server's
        // from now on: taken back there, it goes here too.
        SQLite::Statement held(sql,
                               "UPDATE coding_assignments SET server_state = 1 WHERE server_state <> 1 AND "
                               "session_id = (SELECT se.id FROM sessions se JOIN cases c ON c.id = se.case_id WHERE "
                               "se.uuid = ? AND c.uuid = ?) AND person_id = (SELECT id FROM people WHERE uuid = ?)");
        for (const AccessRow& row : rows) {
            if (!row.session_uuid.empty()) {
                held.reset();
                held.bind(1, row.session_uuid);
                held.bind(2, row.case_uuid);
                held.bind(3, row.person_uuid);
                held.exec();
            }
            SQLite::Statement& insert = row.session_uuid.empty() ? share : assign;
            insert.reset();
            int at = 1;
            if (!row.session_uuid.empty()) insert.bind(at++, row.session_uuid);
            insert.bind(at++, row.case_uuid);
            insert.bind(at, row.person_uuid);
            if (insert.exec() == 0) continue;
            ++added;
            if (row.session_uuid.empty())
                append_audit(db_, "share", "case", row.case_uuid, "with=" + row.person_uuid + " (from the practice server)");
            else
                append_audit(db_, "assign", "session", row.session_uuid,
                             "coder=" + row.person_uuid + " (from the practice server)");
        }
    });
    return added;
}

std::vector<AccessRow> AccessRepository::withdrawn_for_cases_of(RowId clinician_id) const {
    return access_rows(db_,
                       "SELECT w.case_uuid, '', w.person_uuid FROM withdrawn_shares w JOIN cases c ON c.uuid = "
                       "w.case_uuid WHERE c.clinician_id = ?1 UNION ALL SELECT c.uuid, w.session_uuid, w.person_uuid "
                       "FROM withdrawn_assignments w JOIN sessions se ON se.uuid = w.session_uuid JOIN cases c ON c.id "
                       "= se.case_id WHERE c.clinician_id = ?1 ORDER BY 1, 2, 3",
                       clinician_id, "the shares and coder assignments taken back");
}

std::vector<AccessRow> AccessRepository::withdrawn_for_cases_supervised_by(RowId supervisor_id) const {
    return access_rows(db_,
                       "SELECT c.uuid, w.session_uuid, w.person_uuid FROM withdrawn_assignments w JOIN sessions se ON "
                       "se.uuid = w.session_uuid JOIN cases c ON c.id = se.case_id WHERE c.supervisor_id = ?1 AND "
                       "(c.clinician_id IS NULL OR c.clinician_id <> ?1) ORDER BY 1, 2, 3",
                       supervisor_id, "the coder assignments taken back for a supervisor's cases");
}

void AccessRepository::forget_withdrawn(const std::vector<AccessRow>& rows) {
    if (rows.empty()) return;
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement share(sql, "DELETE FROM withdrawn_shares WHERE case_uuid = ? AND person_uuid = ?");
        SQLite::Statement assignment(sql,
                                     "DELETE FROM withdrawn_assignments WHERE session_uuid = ? AND person_uuid = ?");
        for (const AccessRow& row : rows) {
            const bool is_share = row.session_uuid.empty();
            SQLite::Statement& forget = is_share ? share : assignment;
            forget.reset();
            forget.bind(1, is_share ? row.case_uuid : row.session_uuid);
            forget.bind(2, row.person_uuid);
            forget.exec();
        }
    });
}

int AccessRepository::remove_access_gone(const std::vector<AccessRow>& on_server, RowId person_id, bool shares) {
    int removed = 0;
    write_transaction(db_, [&](SQLite::Database& sql) {
        removed = 0;
        // For cases that are not the person's, what was given to them (the
        // shares with them, when `shares`, and the sessions assigned to them);
        // and, of any case, the assignments the server held (arrived from it,
        // or sent from here and seen there). Each row with its case's id (a
        // share) or its session's (an assignment), and its person's id.
        SQLite::Statement held(sql,
                               "SELECT c.uuid, '', p.uuid, s.case_id, s.person_id FROM case_shares s JOIN cases c ON "
                               "c.id = s.case_id JOIN people p ON p.id = s.person_id WHERE ?2 AND s.person_id = ?1 AND "
                               "(c.clinician_id IS NULL OR c.clinician_id <> ?1) UNION ALL SELECT c.uuid, se.uuid, "
                               "p.uuid, a.session_id, a.person_id FROM coding_assignments a JOIN sessions se ON se.id = "
                               "a.session_id JOIN cases c ON c.id = se.case_id JOIN people p ON p.id = a.person_id "
                               "WHERE (a.person_id = ?1 AND (c.clinician_id IS NULL OR c.clinician_id <> ?1)) OR "
                               "a.server_state = 1 ORDER BY 1, 2, 3");
        held.bind(1, person_id);
        held.bind(2, shares ? 1 : 0);
        struct Gone {
            AccessRow row;
            RowId id = 0;
            RowId person = 0;
        };
        std::vector<Gone> gone;
        while (held.executeStep()) {
            AccessRow row{held.getColumn(0).getString(), held.getColumn(1).getString(), held.getColumn(2).getString()};
            if (std::find(on_server.begin(), on_server.end(), row) == on_server.end())
                gone.push_back({std::move(row), held.getColumn(3).getInt64(), held.getColumn(4).getInt64()});
        }
        held.reset();
        SQLite::Statement unshare(sql, "DELETE FROM case_shares WHERE case_id = ? AND person_id = ?");
        SQLite::Statement unassign(sql, "DELETE FROM coding_assignments WHERE session_id = ? AND person_id = ?");
        for (const Gone& g : gone) {
            const bool share = g.row.session_uuid.empty();
            SQLite::Statement& remove = share ? unshare : unassign;
            remove.reset();
            remove.bind(1, g.id);
            remove.bind(2, g.person);
            remove.exec();
            ++removed;
            if (share)
                append_audit(db_, "unshare", "case", g.row.case_uuid,
                             "with=" + g.row.person_uuid + " (by the practice server)");
            else
                append_audit(db_, "unassign", "session", g.row.session_uuid,
                             "coder=" + g.row.person_uuid + " (by the practice server)");
        }
    });
    return removed;
}

}  // namespace attune::store
