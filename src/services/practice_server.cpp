#include "services/practice_server.h"

#include <cctype>

#include "core/crypto.h"
#include "core/error.h"
#include "services/key_material.h"
#include "services/open_practice.h"
#include "services/people.h"
#include "services/practice_access.h"
#include "store/practice_log.h"
#include "store/practice_server.h"

namespace attune::services {

ServerInitReport init_practice_server(const std::string& url) {
    const auto server = store::PracticeServer::connect(url);
    const store::ServerSchemaChange change = server->migrate_schema();
    return ServerInitReport{server->where(), change.before, change.after};
}

std::string server_login_name(const std::string& person_name) {
    std::string login;
    for (unsigned char c : person_name) {
        if (std::isalnum(c) && c < 0x80)
            login += static_cast<char>(std::tolower(c));
        else if (!login.empty() && login.back() != '_')
            login += '_';
    }
    while (!login.empty() && login.back() == '_') login.pop_back();
    if (login.empty() || std::isdigit(static_cast<unsigned char>(login.front()))) login = "p_" + login;
    return login.substr(0, 63);
}

namespace {

const char* group_of(GrantRole role) {
    switch (role) {
        case GrantRole::Clinician: return "attune_clinician";
        case GrantRole::Supervisor: return "attune_supervisor";
        case GrantRole::Coder: return "attune_coder";
        case GrantRole::Administrator: return "attune_admin";
    }
    return "attune_coder";
}

// The practice's signed log as the server keeps it.
std::vector<store::ServerLogEntry> server_log(store::Database& db) {
    std::vector<store::ServerLogEntry> log;
    store::PracticeLogRepository repository(db);
    for (const SignedKey& k : repository.keys())
        log.push_back({k.statement.sequence, "key", "", k.statement.person_uuid, k.statement.person_name,
                       crypto::to_hex(k.statement.public_key), k.statement.certified_by_uuid, k.statement.at,
                       crypto::to_hex(k.signature)});
    for (const SignedGrant& g : repository.grants())
        log.push_back({g.statement.sequence, g.statement.granted ? "grant" : "revoke",
                       std::string(to_string(g.statement.role)), g.statement.grantee_uuid, "", "",
                       g.statement.granted_by_uuid, g.statement.at, crypto::to_hex(g.signature)});
    return log;
}

}  // namespace

ServerPersonReport add_server_person(OpenPractice& practice, const std::string& url, const std::string& name,
                                     const KeyMaterial& password) {
    const Person me = practice.person();
    const PracticeTrust& trust = practice.trust();
    if (!practice.has_keys() || !trust.holds(me.uuid, GrantRole::Administrator))
        throw Error(Error::Kind::Denied, "only an administrator gives people a login on the practice server");
    if (password.size() < 12)
        throw Error(Error::Kind::Invalid, "the new login's password must have at least 12 characters");
    const Person person = find_person(practice, name);
    const crypto::Bytes key = trust.current_key(person.uuid);
    if (key.empty())
        throw Error(Error::Kind::Invalid, person.name + " has no key an administrator certified: they cannot sign, "
                                                        "so they cannot have a login on the practice server");

    ServerPersonReport report;
    std::vector<store::ServerPerson> people;
    for (const PersonEntry& p : list_people(practice)) {
        if (p.recovery) continue;
        const crypto::Bytes k = trust.current_key(p.person.uuid);
        if (k.empty()) continue;
        people.push_back({p.person.uuid, p.person.name, std::string(to_string(p.person.role)), crypto::to_hex(k)});
    }
    store::ServerLoginRequest login;
    login.login = server_login_name(person.name);
    login.person_uuid = person.uuid;
    if (auto held = trust.roles.find(person.uuid); held != trust.roles.end())
        for (GrantRole role : held->second) login.groups.push_back(group_of(role));
    const std::vector<store::ServerLogEntry> log = server_log(database_of(practice));

    const store::Keyring& keyring = PracticeAccess::keyring(practice);
    const std::string key_slot = keyring.find_person(person.uuid) ? keyring.person_json(person.uuid) : "";
    const TrustRoot& root = PracticeAccess::trust_root(practice);

    const auto server = store::PracticeServer::connect(url);
    server->publish_person(root.practice_uuid, people, log, login, password.view(), key_slot);
    report.key_slot = !key_slot.empty();
    report.root_fingerprint = crypto::fingerprint(root.founding_administrator_key);
    report.where = server->where();
    report.login = login.login;
    report.groups = login.groups;
    report.people = static_cast<int>(people.size());
    report.log_entries = static_cast<int>(log.size());
    std::string groups;
    for (const std::string& g : login.groups) groups += (groups.empty() ? "" : ",") + g;
    PracticeAccess::record_audit(practice, "server_add_person", "person", person.uuid,
                                 "login=" + login.login + " groups=" + groups + " server=" + report.where);
    return report;
}

}  // namespace attune::services
