#include "services/people.h"

#include "core/json_limits.h"

#include "core/text.h"
#include "core/uuid.h"
#include "formats/output_file.h"
#include "services/access_audit.h"
#include "services/practice_access.h"
#include "store/audit_log.h"
#include "store/practice_log.h"
#include "store/repositories.h"

#include <nlohmann/json.hpp>

namespace attune::services {
namespace {

SecretString secret_of(const KeyMaterial& key) { return SecretString(key.view()); }

void require_administrator(OpenPractice& practice, const char* doing) {
    if (practice.holds(GrantRole::Administrator)) return;
    if (practice.is_recovery())
        throw Error(Error::Kind::Denied, std::string("the recovery key only resets passphrases and reveals the "
                                                     "practice's key: an administrator must ") +
                                             doing);
    throw Error(Error::Kind::Denied, practice.person().name + " is not an administrator: only an administrator may " +
                                         doing);
}


}  // namespace

std::vector<PersonEntry> list_people(OpenPractice& practice) {
    store::Database& db = database_of(practice);
    const PracticeTrust& trust = practice.trust();
    const store::Keyring* keyring = practice.has_keys() ? &PracticeAccess::keyring(practice) : nullptr;
    std::vector<PersonEntry> out;
    for (const Person& p : store::PeopleRepository(db).list()) {
        PersonEntry e;
        e.person = p;
        if (auto found = trust.roles.find(p.uuid); found != trust.roles.end()) e.roles = found->second;
        if (!practice.has_keys()) e.roles.insert(detail::grant_role_of(p.role));
        const crypto::Bytes key = trust.current_key(p.uuid);
        if (!key.empty()) e.fingerprint = crypto::fingerprint(key);
        e.can_sign_in = keyring && keyring->find_person(p.uuid) != nullptr;
        e.recovery = p.name == detail::kRecoveryName && e.roles.count(GrantRole::Administrator) > 0 &&
                     e.roles.size() == 1;
        out.push_back(std::move(e));
    }
    return out;
}

std::optional<Person> get_person(OpenPractice& practice, RowId person_id) {
    return store::PeopleRepository(database_of(practice)).get(person_id);
}

Person find_person(OpenPractice& practice, const std::string& name) {
    auto person = store::PeopleRepository(database_of(practice)).find(trim(name));
    if (!person) throw Error(Error::Kind::NotFound, "no person named '" + name + "' in this practice");
    return *person;
}

// [SECTION] Administrators' use cases

Person add_person(OpenPractice& practice, const std::string& name, GrantRole role, bool administrator,
                  const KeyMaterial& initial_passphrase) {
    require_administrator(practice, "add people");
    const std::string clean = trim(name);
    if (clean.empty()) throw Error(Error::Kind::Invalid, "a person needs a name");
    if (clean == detail::kRecoveryName) throw Error(Error::Kind::Invalid, "that name is the practice's recovery key's");
    store::Database& db = database_of(practice);
    if (store::PeopleRepository(db).find(clean))
        throw Error(Error::Kind::Invalid, clean + " is already a person of this practice");
    Person person;
    person.uuid = new_uuid();
    person.name = clean;
    person.role = role == GrantRole::Supervisor ? PersonRole::Supervisor
                  : role == GrantRole::Coder    ? PersonRole::Coder
                                                : PersonRole::Clinician;
    if (!practice.has_keys()) {  // a plaintext practice: people without keys
        store::PeopleRepository(db).create(person);
        return *store::PeopleRepository(db).find(clean);
    }
    store::Keyring& keyring = PracticeAccess::keyring(practice);
    const store::KeySlot slot = keyring.add_person({person.uuid, person.name}, secret_of(initial_passphrase),
                                                   PracticeAccess::data_key(practice), PracticeAccess::trust_root(practice),
                                                   PracticeAccess::slot_limits(practice));
    person.public_key = crypto::to_hex(slot.public_key);
    const detail::StatementSigner signer = PracticeAccess::signer(practice);
    try {
        store::PeopleRepository(db).create(person);
        detail::certify_key(db, practice.practice_uuid(), signer, person.uuid, person.name, slot.public_key);
        detail::state_role(db, practice.practice_uuid(), signer, person.uuid, role, true);
        if (administrator)
            detail::state_role(db, practice.practice_uuid(), signer, person.uuid, GrantRole::Administrator, true);
        PracticeAccess::save_keyring(practice);
    } catch (...) {
        keyring.remove_slot(slot.slot_id);  // in memory only: the file was not written
        throw;
    }
    return *store::PeopleRepository(db).find(clean);
}

void reset_passphrase(OpenPractice& practice, const std::string& name, const KeyMaterial& new_passphrase) {
    if (!practice.is_recovery()) require_administrator(practice, "reset a passphrase");
    store::Database& db = database_of(practice);
    const Person person = find_person(practice, name);
    if (person.name == detail::kRecoveryName) throw Error(Error::Kind::Invalid, "the recovery key cannot be reset");
    store::Keyring& keyring = PracticeAccess::keyring(practice);
    const store::KeySlot slot =
        keyring.find_person(person.uuid)
            ? keyring.reset_person({person.uuid, person.name}, secret_of(new_passphrase),
                                   PracticeAccess::data_key(practice), PracticeAccess::trust_root(practice),
                                   PracticeAccess::slot_limits(practice))
            : keyring.add_person({person.uuid, person.name}, secret_of(new_passphrase),
                                 PracticeAccess::data_key(practice), PracticeAccess::trust_root(practice),
                                 PracticeAccess::slot_limits(practice));
    // The new key pair is certified before the keyring is written: a slot
    // whose key nobody certified cannot sign in.
    detail::certify_key(db, practice.practice_uuid(), PracticeAccess::signer(practice), person.uuid, person.name,
                        slot.public_key);
    PracticeAccess::save_keyring(practice);
    store::AuditLog(db).record("reset", "person", person.uuid, "passphrase reset: a new key slot and key pair");
}

namespace {

void state(OpenPractice& practice, const std::string& name, GrantRole role, bool granted) {
    require_administrator(practice, granted ? "grant a role" : "revoke a role");
    const Person person = find_person(practice, name);
    if (!practice.has_keys())
        throw Error(Error::Kind::Denied, "roles are signed statements: this practice has no personal keys");
    // Its administrator role is what lets the recovery key reset a forgotten passphrase.
    if (person.name == detail::kRecoveryName)
        throw Error(Error::Kind::Invalid, "the recovery key's role cannot be changed");
    if (!granted && role == GrantRole::Administrator && person.uuid == practice.person().uuid) {
        int administrators = 0;
        for (const auto& [uuid, roles] : practice.trust().roles)
            administrators += roles.count(GrantRole::Administrator) > 0 ? 1 : 0;
        if (administrators <= 2)  // the recovery identity and this one
            throw Error(Error::Kind::Invalid, "the practice would have no administrator left but its recovery key");
    }
    if (practice.trust().holds(person.uuid, role) == granted)
        throw Error(Error::Kind::Invalid, person.name + (granted ? " already holds " : " does not hold ") +
                                              "the role " + std::string(to_string(role)));
    detail::state_role(database_of(practice), practice.practice_uuid(), PracticeAccess::signer(practice), person.uuid,
                       role, granted);
}

}  // namespace

void grant_role(OpenPractice& practice, const std::string& name, GrantRole role) { state(practice, name, role, true); }
void revoke_role(OpenPractice& practice, const std::string& name, GrantRole role) { state(practice, name, role, false); }

void change_own_passphrase(OpenPractice& practice, const KeyMaterial& new_passphrase) {
    store::Keyring& keyring = PracticeAccess::keyring(practice);
    const Person me = practice.person();
    store::UnlockedPerson unlocked;
    unlocked.person = {me.uuid, me.name};
    unlocked.data_key = PracticeAccess::data_key(practice).clone();
    unlocked.signing_key = PracticeAccess::signer(practice).secret_key->clone();
    unlocked.public_key = practice.public_key();
    unlocked.trust_root = PracticeAccess::trust_root(practice);
    keyring.change_passphrase(unlocked, secret_of(new_passphrase), PracticeAccess::slot_limits(practice));
    PracticeAccess::save_keyring(practice);
    store::AuditLog(database_of(practice)).record("rekey", "person", me.uuid, "own passphrase changed");
}

// [SECTION] Keys between practices

namespace {

PublicKeyFile public_key_of(OpenPractice& practice, const Person& person) {
    const crypto::Bytes key = practice.trust().current_key(person.uuid);
    if (key.empty()) throw Error(Error::Kind::NotFound, person.name + " has no certified key in this practice");
    return {person.name, person.uuid, crypto::to_hex(key), crypto::fingerprint(key), practice.practice_uuid()};
}

}  // namespace

PublicKeyFile export_public_key(OpenPractice& practice, const std::string& name) {
    const Person person = find_person(practice, name);
    PublicKeyFile key = public_key_of(practice, person);
    store::AuditLog(database_of(practice)).record("export", "key", person.uuid, "public key of " + person.name);
    return key;
}

PublicKeyFile save_public_key(OpenPractice& practice, const std::string& name, const std::filesystem::path& out) {
    const Person person = find_person(practice, name);
    PublicKeyFile key = public_key_of(practice, person);
    formats::write_output(out, public_key_file_text(key), [&](const formats::OutputWritten& written) {
        store::AuditLog(database_of(practice))
            .record("export", "key", person.uuid,
                    "public key of " + person.name + " out=file path=" + destination_text(out, written.written));
    });
    return key;
}

std::string public_key_file_text(const PublicKeyFile& key) {
    const nlohmann::json j{{"format", "attune-public-key"}, {"version", 1},      {"name", key.name},
                           {"person_uuid", key.uuid},       {"public_key", key.public_key},
                           {"fingerprint", key.fingerprint}, {"practice_uuid", key.practice_uuid}};
    return j.dump(2) + "\n";
}

PublicKeyFile parse_public_key_file(const std::string& text, const std::string& where) {
    if (const std::string problem = json_limit_problem(text, kMaxPublicKeyFileBytes, kMaxPublicKeyJsonDepth);
        !problem.empty())
        throw Error(Error::Kind::Invalid, where + ": " + problem + "; a public key file is not");
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    const auto field = [&](const char* name) -> std::string {
        if (!j.is_object() || !j.contains(name) || !j[name].is_string())
            throw Error(Error::Kind::Invalid, where + ": '" + name + "' is missing: not an Attune public key file");
        return j[name].get<std::string>();
    };
    if (!j.is_object() || !j.contains("format") || j["format"] != "attune-public-key")
        throw Error(Error::Kind::Invalid, where + " is not an Attune public key file");
    if (!j.contains("version") || j["version"] != 1)
        throw Error(Error::Kind::NewerSchema, where + " is of a newer Attune (version other than 1)");
    PublicKeyFile key{field("name"), field("person_uuid"), field("public_key"), "", field("practice_uuid")};
    const auto bytes = crypto::from_hex(key.public_key);
    if (!bytes || bytes->size() != crypto::kPublicKeySize)
        throw Error(Error::Kind::Invalid, where + ": the public key is not 32 bytes of hex");
    key.fingerprint = crypto::fingerprint(*bytes);
    if (j.contains("fingerprint") && j["fingerprint"].is_string() && j["fingerprint"] != key.fingerprint)
        throw Error(Error::Kind::Invalid, where + ": the fingerprint written in it is not its key's");
    return key;
}

void record_key_reveal(OpenPractice& practice) {
    store::AuditLog(database_of(practice))
        .record("reveal", "practice", practice.practice_uuid(), "the raw database key was shown to the recovery key");
}

std::string import_public_key(OpenPractice& practice, const PublicKeyFile& key) {
    require_administrator(practice, "import another practice's key");
    store::KnownKeysRepository(database_of(practice)).add({key.uuid, key.name, key.public_key, key.practice_uuid});
    return key.fingerprint;
}

}  // namespace attune::services
