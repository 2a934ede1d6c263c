// Attacks on "no one can sign, co-sign or grant a role as someone else
// without that person's passphrase" (issue 16), by a clinician who can
// unlock the practice with her own passphrase and so holds its data key.
#include <nlohmann/json.hpp>

#include "attacks/attack_fixture.h"
#include "core/canonical_writer.h"
#include "core/practice_trust.h"
#include "services/maintenance.h"
#include "store/database.h"
#include "store/practice_log.h"
#include "store/repositories.h"
#include "store/signing.h"

using namespace attune;
using namespace attune::test;

namespace {

// What the clinician gets from her own slot, as anyone who can open the practice can.
store::UnlockedPerson unlock_own_slot(const AttackedPractice& p) {
    return store::Keyring::load(p.keyring_path())
        .unlock_person("Dr Clin", SecretString(kClinicianPassphrase), kTestKdf);
}

// Requires that opening threw attune::Error of `kind` whose sentence contains `words`.
template <typename Open>
void require_refused(Open open, Error::Kind kind, const std::string& words) {
    try {
        open();
        FAIL("signed in");
    } catch (const Error& e) {
        INFO(e.what());
        CHECK(e.kind() == kind);
        CHECK(std::string(e.what()).find(words) != std::string::npos);
    }
}

std::size_t signature_count(const AttackedPractice& p) {
    auto practice = p.open_as_admin();
    return services::verify_signatures(*practice, p.session.id).size();
}

}  // namespace

// [SECTION] A key slot written in the supervisor's name

TEST_CASE("a clinician who writes a new key slot for the supervisor cannot sign in as them, so cannot co-sign",
          "[attack][keyring]") {
    const AttackedPractice p(false);
    store::Keyring keyring = store::Keyring::load(p.keyring_path());
    const store::UnlockedPerson me = unlock_own_slot(p);
    const SecretString forged("forged passphrase");
    const store::PersonIdentity supervisor{p.supervisor.uuid, p.supervisor.name};

    SECTION("by resetting the supervisor's slot") {
        keyring.reset_person(supervisor, forged, me.data_key, me.trust_root, kTestKdf);
    }
    SECTION("by removing the supervisor's slot and adding one") {
        keyring.remove_slot(keyring.find_person(p.supervisor.uuid)->slot_id);
        keyring.add_person(supervisor, forged, me.data_key, me.trust_root, kTestKdf);
    }
    keyring.save(p.keyring_path());
    // And the supervisor's key as the people table shows it, which verification must not trust.
    const std::string forged_key = crypto::to_hex(keyring.find_person(p.supervisor.uuid)->public_key);
    edit_behind_attunes_back(
        p.path, std::string(store::sqlcipher_raw_key(me.data_key).view()),
        "UPDATE people SET public_key = '" + forged_key + "' WHERE uuid = '" + p.supervisor.uuid + "'");
    // The slot opens with her passphrase: the keyring alone cannot tell. The practice can.
    REQUIRE(store::Keyring::load(p.keyring_path()).unlock_person("Dr Super", forged, kTestKdf).person.uuid ==
            p.supervisor.uuid);
    require_refused([&] { open_practice(p.path, "forged passphrase", "Dr Super"); }, Error::Kind::WrongPassphrase,
                    "is not the one an administrator certified");

    // As herself she may read the case (it is shared with her) but not co-sign it.
    auto as_herself = open_practice(p.path, kClinicianPassphrase, "Dr Clin");
    REQUIRE(services::get_session(*as_herself, p.session.id));
    try {
        services::cosign_session(*as_herself, p.session.id);
        FAIL("Dr Clin co-signed");
    } catch (const Error& e) {
        REQUIRE(e.kind() == Error::Kind::Denied);
    }
    as_herself.reset();
    REQUIRE(signature_count(p) == 1);
}

TEST_CASE("a slot that claims the supervisor's certified public key around another secret key is refused",
          "[attack][keyring]") {
    const AttackedPractice p(false);
    store::Keyring keyring = store::Keyring::load(p.keyring_path());
    const store::UnlockedPerson me = unlock_own_slot(p);
    const SecretString forged("forged passphrase");
    const store::KeySlot slot =
        keyring.reset_person({p.supervisor.uuid, p.supervisor.name}, forged, me.data_key, me.trust_root, kTestKdf);
    const crypto::Bytes certified = *crypto::from_hex(p.supervisor.public_key);
    REQUIRE(certified.size() == crypto::kPublicKeySize);

    // Her own secret key, sealed under the slot key she knows, with the
    // associated data the keyring format documents for the certified public key.
    const SecretBytes slot_key = crypto::derive_key(forged.bytes(), slot.salt, slot.limits);
    CanonicalWriter ad;
    for (std::string_view value : {std::string_view("attune-keyring-v1"), std::string_view("signing-key"),
                                   std::string_view(keyring.practice_uuid()), std::string_view(slot.slot_id),
                                   std::string_view("person"), std::string_view(p.supervisor.uuid)})
        ad.text(value);
    ad.bytes(certified);
    const crypto::Sealed sealed =
        crypto::aead_seal(me.signing_key.view(), crypto::as_bytes(ad.bytes_written()), slot_key);
    nlohmann::json file = nlohmann::json::parse(keyring.to_json());
    bool rewritten = false;
    for (auto& value : file["slots"])
        if (value.value("slot_id", "") == slot.slot_id) {
            value["public_key"] = crypto::to_base64(certified);
            value["signing_key"] = {{"nonce", crypto::to_base64(sealed.nonce)},
                                    {"ciphertext", crypto::to_base64(sealed.ciphertext)}};
            rewritten = true;
        }
    REQUIRE(rewritten);
    write_file(p.keyring_path(), file.dump(2));

    // Its public key is the certified one, but the secret key inside is not its pair.
    require_refused([&] { open_practice(p.path, "forged passphrase", "Dr Super"); }, Error::Kind::Io,
                    "its public key does not match its signing key");
    REQUIRE(signature_count(p) == 1);
}

// [SECTION] A role granted by someone who is not an administrator

TEST_CASE("a clinician who appends a grant of the supervisor role to the log herself gains nothing by it",
          "[attack][grants]") {
    const AttackedPractice p(false);
    const store::UnlockedPerson me = unlock_own_slot(p);
    {
        // The file opened with the data key from her own slot, through the store itself.
        const SecretString raw = store::sqlcipher_raw_key(me.data_key);
        store::OpenOptions options;
        options.path = p.path;
        options.passphrase = raw.view();
        auto db = store::Database::open(options);
        db->set_actor(p.clinician);
        store::PracticeLogRepository log(*db);
        GrantStatement s;
        s.practice_uuid = log.trust_root()->practice_uuid;
        s.sequence = log.next_sequence();
        s.role = GrantRole::Supervisor;
        s.grantee_uuid = p.clinician.uuid;
        s.at = now_utc_iso();
        SECTION("signed as herself") {
            s.granted_by_uuid = p.clinician.uuid;
        }
        SECTION("claiming the founding administrator signed it") {
            s.granted_by_uuid = p.admin.uuid;
        }
        log.append(sign_grant(s, me.signing_key));
        // And names herself the case's supervisor and gives herself the role the people
        // table shows (columns anyone with the key can write).
        store::AccessRepository(*db).set_supervisor(p.couple.id, p.clinician.id);
        store::set_person_role(*db, p.clinician.id, PersonRole::Supervisor);
    }

    auto as_herself = open_practice(p.path, kClinicianPassphrase, "Dr Clin");
    REQUIRE(as_herself->holds(GrantRole::Clinician));
    REQUIRE_FALSE(as_herself->holds(GrantRole::Supervisor));
    REQUIRE_FALSE(as_herself->trust().holds(p.clinician.uuid, GrantRole::Supervisor));
    REQUIRE(as_herself->trust().problems.size() == 1);
    REQUIRE(as_herself->trust().problems[0].find("not signed by an administrator") != std::string::npos);
    try {
        services::cosign_session(*as_herself, p.session.id);
        FAIL("Dr Clin co-signed with a role she granted herself");
    } catch (const Error& e) {
        REQUIRE(e.kind() == Error::Kind::Denied);
    }
    as_herself.reset();

    // The administrator's health check names the statement that does not verify.
    auto admin = p.open_as_admin();
    const HealthReport health = services::check_health(*admin);
    REQUIRE(health.trust_problems.size() == 1);
    REQUIRE_FALSE(health.ok());
    REQUIRE(services::verify_signatures(*admin, p.session.id).size() == 1);
}

// [SECTION] Sign-in that must be refused, leaving the files as they were

TEST_CASE(
    "sign-in is refused for a wrong passphrase, an unknown person or a slot copied to another name, and "
    "nothing changes",
    "[attack][sign-in]") {
    const AttackedPractice p(false);
    const FileState database = FileState::of(p.path);
    FileState keyring = FileState::of(p.keyring_path());
    REQUIRE(database.exists);
    REQUIRE(database.bytes.size() > 4096);

    SECTION("a wrong passphrase for a named person") {
        require_refused([&] { open_practice(p.path, kClinicianPassphrase, "Dr Super"); }, Error::Kind::WrongPassphrase,
                        "is not right");
    }
    SECTION("an unknown person, with a passphrase that opens another slot") {
        require_refused([&] { open_practice(p.path, kSupervisorPassphrase, "Dr Nobody"); },
                        Error::Kind::WrongPassphrase, "nobody named 'Dr Nobody'");
    }
    SECTION("the recovery identity named as a person") {
        require_refused([&] { open_practice(p.path, p.recovery_key, "Recovery key"); }, Error::Kind::WrongPassphrase,
                        "nobody named 'Recovery key'");
    }
    SECTION("a slot moved or copied to the supervisor's name") {
        nlohmann::json file = nlohmann::json::parse(read_file(p.keyring_path()));
        nlohmann::json hers;
        for (const auto& slot : file["slots"])
            if (slot.value("person_uuid", "") == p.clinician.uuid) hers = slot;
        REQUIRE(hers.is_object());
        hers["person_uuid"] = p.supervisor.uuid;
        hers["person_name"] = p.supervisor.name;
        nlohmann::json slots = nlohmann::json::array();
        Error::Kind expected = Error::Kind::Io;
        std::string words;
        SECTION("moved: her slot, under the supervisor's uuid and name, in place of theirs") {
            for (const auto& slot : file["slots"])
                if (slot.value("person_uuid", "") != p.clinician.uuid) slots.push_back(slot);
            words = "was changed after it was written";  // the slot is bound to her uuid
        }
        SECTION("copied: both slots kept, with one slot id") {
            slots = file["slots"];
            words = "two slots have the id";
        }
        SECTION("copied with a new slot id") {
            slots = file["slots"];
            hers["slot_id"] = "0c0ffee0-0000-4000-8000-000000000000";
            expected = Error::Kind::WrongPassphrase;  // the slot's key check is bound to its id
            words = "is not right";
        }
        for (auto& slot : slots)
            if (slot.value("person_uuid", "") == p.supervisor.uuid) slot = hers;
        file["slots"] = slots;
        write_file(p.keyring_path(), file.dump(2));
        keyring = FileState::of(p.keyring_path());  // the attacker's edit; Attune must not write over it
        require_refused([&] { open_practice(p.path, kClinicianPassphrase, "Dr Super"); }, expected, words);
    }
    SECTION("an empty passphrase") {
        require_refused([&] { open_practice(p.path, "", "Dr Super"); }, Error::Kind::WrongPassphrase,
                        "a passphrase is needed");
    }
    REQUIRE(FileState::of(p.path) == database);
    REQUIRE(FileState::of(p.keyring_path()) == keyring);
    for (const char* suffix : {"-wal", "-shm"})
        REQUIRE_FALSE(std::filesystem::exists(p.path.string() + suffix));
}

TEST_CASE("the name on a key slot is only a hint: a slot renamed to the supervisor signs in its own person",
          "[attack][sign-in]") {
    const AttackedPractice p(false);
    nlohmann::json file = nlohmann::json::parse(read_file(p.keyring_path()));
    nlohmann::json kept = nlohmann::json::array();
    for (auto& slot : file["slots"]) {
        if (slot.value("person_uuid", "") == p.supervisor.uuid) continue;
        if (slot.value("person_uuid", "") == p.clinician.uuid) slot["person_name"] = p.supervisor.name;
        kept.push_back(slot);
    }
    file["slots"] = kept;
    write_file(p.keyring_path(), file.dump(2));

    auto practice = open_practice(p.path, kClinicianPassphrase, "Dr Super");
    REQUIRE(practice->person().uuid == p.clinician.uuid);
    REQUIRE(practice->person().name == "Dr Clin");
    REQUIRE_FALSE(practice->holds(GrantRole::Supervisor));
    REQUIRE_THROWS_AS(services::cosign_session(*practice, p.session.id), Error);
}
