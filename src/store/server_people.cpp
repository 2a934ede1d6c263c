// server_people.cpp: publishing a person to the practice server
// (`attune server add-person`; rules in practice_server.h).
#include <libpq-fe.h>

#include <algorithm>
#include <memory>
#include <pqxx/pqxx>

#include "store/database.h"
#include "store/practice_server.h"
#include "store/practice_server_internal.h"

namespace attune::store {
namespace {

using server_detail::guarded;

const char* const kGroups[] = {"attune_clinician", "attune_supervisor", "attune_coder", "attune_admin"};

// The SCRAM-SHA-256 verifier of `password` for `login`, computed by libpq on
// this machine: the server never receives the password itself.
std::string scram_verifier(const std::string& conninfo, const std::string& login, std::string_view password) {
    // libpqxx 6 has no SCRAM helper; libpq's needs a connection object of its own.
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(conninfo.c_str()),
                                                      &PQfinish);
    if (!conn || PQstatus(conn.get()) != CONNECTION_OK)
        throw StoreError(StoreError::Kind::Io, "cannot connect to the practice server to encrypt the password");
    const std::string text(password);
    char* verifier = PQencryptPasswordConn(conn.get(), text.c_str(), login.c_str(), "scram-sha-256");
    if (!verifier) throw StoreError(StoreError::Kind::Io, "libpq could not encrypt the password");
    std::string out = verifier;
    PQfreemem(verifier);
    return out;
}

}  // namespace

void PracticeServer::publish_person(const std::string& practice_uuid, const std::vector<ServerPerson>& people,
                                    const std::vector<ServerLogEntry>& log, const ServerLoginRequest& login,
                                    std::string_view password, const std::string& key_slot) {
    const std::string verifier = scram_verifier(impl_->conninfo, login.login, password);
    guarded("adding " + login.login, impl_->where, [&] {
        pqxx::work tx(impl_->connection);
        const std::string now = now_utc_iso();
        // The owner acts as an administrator only inside this transaction.
        tx.exec("GRANT attune_admin TO CURRENT_USER");
        tx.exec("SET LOCAL ROLE attune_admin");
        for (const ServerPerson& p : people)
            tx.exec_params(
                "INSERT INTO attune.people AS t (uuid, name, role, public_key, created_at, updated_at) VALUES "
                "($1, $2, $3, $4, $5, $5) ON CONFLICT (uuid) DO UPDATE SET name = excluded.name, role = "
                "excluded.role, public_key = excluded.public_key, updated_at = excluded.updated_at WHERE "
                "(t.name, t.role, t.public_key) IS DISTINCT FROM (excluded.name, excluded.role, excluded.public_key)",
                p.uuid, p.name, p.role, p.public_key, now);
        for (const ServerLogEntry& e : log)
            tx.exec_params(
                "INSERT INTO attune.practice_log (uuid, sequence, kind, role, person_uuid, person_name, public_key, "
                "signer_uuid, at, signature) VALUES (md5('attune-practice-log:' || $1 || ':' || $2::text)::uuid, $2::bigint, $3, "
                "$4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
                practice_uuid, static_cast<long long>(e.sequence), e.kind, e.role, e.person_uuid, e.person_name,
                e.public_key, e.signer_uuid, e.at, e.signature);
        if (!key_slot.empty())
            tx.exec_params(
                "INSERT INTO attune.key_slots AS t (person_uuid, keyring) VALUES ($1, $2) ON CONFLICT (person_uuid) "
                "DO UPDATE SET keyring = excluded.keyring, published_at = now() WHERE t.keyring <> excluded.keyring",
                login.person_uuid, key_slot);
        const pqxx::result mapped =
            tx.exec_params("SELECT person_uuid FROM attune.person_role WHERE login_name = $1", login.login);
        if (!mapped.empty() && mapped[0][0].as<std::string>() != login.person_uuid)
            throw StoreError(StoreError::Kind::Invalid, "the login " + login.login +
                                                            " is already another person's on the practice server");
        tx.exec("RESET ROLE");
        const std::string role = tx.quote_name(login.login);
        const bool exists = !tx.exec_params("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1", login.login)
                                 .empty();
        tx.exec((exists ? "ALTER ROLE " : "CREATE ROLE ") + role + " LOGIN PASSWORD " + tx.quote(verifier));
        for (const char* group : kGroups) {
            const bool wanted = std::find(login.groups.begin(), login.groups.end(), group) != login.groups.end();
            tx.exec(std::string(wanted ? "GRANT " : "REVOKE ") + group + (wanted ? " TO " : " FROM ") + role);
        }
        if (mapped.empty()) {
            tx.exec("SET LOCAL ROLE attune_admin");
            tx.exec_params("INSERT INTO attune.person_role (login_name, person_uuid) VALUES ($1, $2)", login.login,
                           login.person_uuid);
            tx.exec("RESET ROLE");
        }
        tx.exec("REVOKE attune_admin FROM CURRENT_USER");
        tx.commit();
        return 0;
    });
}

std::string PracticeServer::own_key_slot() {
    return guarded("reading your key slot", impl_->where, [&] {
        pqxx::work tx(impl_->connection);
        const pqxx::result me = tx.exec("SELECT attune.me()");
        if (me.empty() || me[0][0].is_null())
            throw StoreError(StoreError::Kind::Denied, "this login is no person of the practice on the server (" +
                                                           impl_->where + ")");
        const pqxx::result r =
            tx.exec("SELECT keyring FROM attune.key_slots WHERE person_uuid = (SELECT attune.me())");
        if (r.empty()) return std::string();
        tx.exec_params(
            "INSERT INTO attune.audit_log (at, actor_uuid, action, entity, entity_id, detail) VALUES ($1, "
            "attune.me(), 'key_slot_read', 'key_slots', attune.me()::text, 'attune join')",
            now_utc_iso());
        std::string keyring = r[0][0].as<std::string>();
        tx.commit();
        return keyring;
    });
}

std::vector<ServerPerson> PracticeServer::people() {
    return guarded("reading the practice's people", impl_->where, [&] {
        pqxx::read_transaction tx(impl_->connection);
        std::vector<ServerPerson> out;
        for (const auto& row : tx.exec("SELECT uuid, name, role, public_key FROM attune.people ORDER BY lower(name)"))
            out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                           row[3].as<std::string>()});
        return out;
    });
}

}  // namespace attune::store
