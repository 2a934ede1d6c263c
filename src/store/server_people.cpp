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
                                    std::string_view password) {
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

}  // namespace attune::store
