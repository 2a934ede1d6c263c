#include "store/keyring.h"

#include <sys/stat.h>

#include <catch2/catch_test_macros.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "store/database.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::store;
using nlohmann::json;

namespace {

// Argon2id's cheapest setting, so that tests run in milliseconds. Only tests
// pass it, both to write slots and as the minimum they accept.
constexpr crypto::KdfLimits kFast = crypto::kKdfLibraryMinimum;

const std::string kPractice = "11111111-2222-4333-8444-555555555555";
const PersonIdentity kMaya{"b0000000-0000-4000-8000-00000000000b", "Maya Lee"};
const PersonIdentity kSam{"c0000000-0000-4000-8000-00000000000c", "Sam Ortiz"};
const SecretString kMayaPass("maya's long passphrase");
const SecretString kSamPass("sam's own long passphrase");

struct Fixture {
    test::TempDir dir;
    std::filesystem::path path = dir / "practice.db.keyring";
    NewKeyring created = Keyring::create(kPractice, kMaya, kMayaPass, kFast);
    Keyring& keyring = created.keyring;

    const TrustRoot& root() const { return created.administrator.trust_root; }

    // The file with one change made to its JSON, loaded again.
    Keyring edited(const std::function<void(json&)>& edit) {
        json root = json::parse(keyring.to_json());
        edit(root);
        return Keyring::parse(root.dump(), "edited.keyring");
    }
};

void flip_base64(json& value) {
    crypto::Bytes bytes = crypto::from_base64(value.get<std::string>()).value();
    bytes[bytes.size() / 2] ^= 0x01;
    value = crypto::to_base64(bytes);
}

StoreError::Kind kind_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const StoreError& e) {
        return e.kind();
    }
    FAIL("no StoreError was thrown");
    return StoreError::Kind::Io;
}

std::string message_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const StoreError& e) {
        return e.what();
    }
    FAIL("no StoreError was thrown");
    return {};
}

}  // namespace

// [SECTION] Creating and unlocking

TEST_CASE("a new keyring opens with the administrator's passphrase, by name or uuid", "[keyring]") {
    Fixture f;
    f.keyring.save_new(f.path);
    const Keyring loaded = Keyring::load(f.path);
    REQUIRE(loaded.practice_uuid() == kPractice);
    REQUIRE(loaded.slots().size() == 2);

    const UnlockedPerson by_name = loaded.unlock_person("maya lee", kMayaPass, kFast);
    REQUIRE(by_name.person.uuid == kMaya.uuid);
    REQUIRE(by_name.data_key == f.created.administrator.data_key);
    REQUIRE(by_name.signing_key == f.created.administrator.signing_key);
    REQUIRE(by_name.public_key == crypto::public_key_of(by_name.signing_key));
    REQUIRE(by_name.data_key.size() == 32);
    REQUIRE(loaded.unlock_person(kMaya.uuid, kMayaPass, kFast).data_key == by_name.data_key);
}

TEST_CASE("the recovery key is shown as eight groups of four and opens the data key", "[keyring]") {
    Fixture f;
    const std::string shown(f.created.recovery_key.view());
    REQUIRE(shown.size() == 39);
    for (std::size_t i = 4; i < shown.size(); i += 5)
        REQUIRE(shown[i] == '-');
    REQUIRE(f.keyring.unlock_recovery(f.created.recovery_key, kFast) == f.created.administrator.data_key);

    // Typed in lower case, without hyphens, with O for 0 and l for 1.
    std::string typed;
    for (char c : shown) {
        if (c == '-') continue;
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        typed += c == '0' ? 'O' : c == '1' ? 'l' : c;
    }
    REQUIRE(f.keyring.unlock_recovery(SecretString(typed), kFast) == f.created.administrator.data_key);
}

TEST_CASE("recovery keys are Crockford base32 of their 20 bytes", "[keyring]") {
    crypto::Bytes counting(20);
    for (std::size_t i = 0; i < counting.size(); ++i)
        counting[i] = static_cast<std::uint8_t>(i);
    // Python: base64.b32encode(bytes(range(20))) with the alphabet mapped to Crockford's.
    const SecretString text = format_recovery_key(SecretBytes::copy_of(counting));
    REQUIRE(text.view() == "000G-40R4-0M30-E209-185G-R38E-1W81-24GK");
    REQUIRE(parse_recovery_key(text).value() == SecretBytes::copy_of(counting));
    REQUIRE_FALSE(parse_recovery_key(SecretString("000G-40R4-0M30-E209-185G-R38E-1W81-24G")).has_value());
    REQUIRE_FALSE(parse_recovery_key(SecretString("000G-40R4-0M30-E209-185G-R38E-1W81-24GKK")).has_value());
    REQUIRE_FALSE(parse_recovery_key(SecretString("000G-40R4-0M30-E209-185G-R38E-1W81-24GU")).has_value());
}

TEST_CASE("a wrong passphrase is its own error and opens nothing", "[keyring]") {
    Fixture f;
    REQUIRE(kind_of([&] { f.keyring.unlock_person("Maya Lee", SecretString("maya's long passphrasE"), kFast); }) ==
            StoreError::Kind::WrongPassphrase);
    REQUIRE(message_of([&] { f.keyring.unlock_person("Maya Lee", SecretString("nope nope nope"), kFast); }) ==
            "the passphrase for Maya Lee is not right");
    REQUIRE(kind_of([&] { f.keyring.unlock_person("Nobody", kMayaPass, kFast); }) == StoreError::Kind::NotFound);
}

TEST_CASE("a wrong or mistyped recovery key opens nothing", "[keyring]") {
    Fixture f;
    const SecretString other = format_recovery_key(crypto::random_secret(kRecoveryKeySize));
    REQUIRE(kind_of([&] { f.keyring.unlock_recovery(other, kFast); }) == StoreError::Kind::WrongPassphrase);
    REQUIRE(kind_of([&] { f.keyring.unlock_recovery(SecretString("ABCD-EFGH"), kFast); }) == StoreError::Kind::Invalid);
}

// [SECTION] Tampering

TEST_CASE("a changed data key ciphertext is reported as a changed slot, never opened", "[keyring]") {
    Fixture f;
    const Keyring tampered = f.edited([](json& root) { flip_base64(root["slots"][0]["data_key"]["ciphertext"]); });
    const std::string message = message_of([&] { tampered.unlock_person("Maya Lee", kMayaPass, kFast); });
    REQUIRE(message.find("the key slot of Maya Lee in edited.keyring was changed after it was written") == 0);
    REQUIRE(kind_of([&] { tampered.unlock_person("Maya Lee", kMayaPass, kFast); }) == StoreError::Kind::Io);

    const Keyring nonce = f.edited([](json& root) { flip_base64(root["slots"][1]["data_key"]["nonce"]); });
    REQUIRE(kind_of([&] { nonce.unlock_recovery(f.created.recovery_key, kFast); }) == StoreError::Kind::Io);
}

TEST_CASE("a changed signing key or public key is reported as a changed slot", "[keyring]") {
    Fixture f;
    const Keyring secret = f.edited([](json& root) { flip_base64(root["slots"][0]["signing_key"]["ciphertext"]); });
    REQUIRE(kind_of([&] { secret.unlock_person("Maya Lee", kMayaPass, kFast); }) == StoreError::Kind::Io);
    // Someone else's public key put in Maya's slot, so that her signatures would seem theirs.
    const Keyring swapped = f.edited([](json& root) {
        root["slots"][0]["public_key"] = crypto::to_base64(crypto::generate_signing_keypair().public_key);
    });
    REQUIRE(kind_of([&] { swapped.unlock_person("Maya Lee", kMayaPass, kFast); }) == StoreError::Kind::Io);
}

TEST_CASE("a slot moved to another person fails authentication", "[keyring]") {
    Fixture f;
    const Keyring moved = f.edited([](json& root) {
        root["slots"][0]["person_uuid"] = kSam.uuid;
        root["slots"][0]["person_name"] = kSam.name;
    });
    // Maya's passphrase still derives the slot's key, but the slot no longer authenticates as Sam's.
    const std::string message = message_of([&] { moved.unlock_person("Sam Ortiz", kMayaPass, kFast); });
    REQUIRE(message.find("was changed after it was written") != std::string::npos);
    REQUIRE(kind_of([&] { moved.unlock_person(kSam.uuid, kMayaPass, kFast); }) == StoreError::Kind::Io);
}

TEST_CASE("a keyring copied to another practice or a slot relabelled fails authentication", "[keyring]") {
    Fixture f;
    const Keyring other_practice =
        f.edited([](json& root) { root["practice_uuid"] = "99999999-2222-4333-8444-555555555555"; });
    REQUIRE(kind_of([&] { other_practice.unlock_person("Maya Lee", kMayaPass, kFast); }) == StoreError::Kind::Io);
    REQUIRE(kind_of([&] { other_practice.unlock_recovery(f.created.recovery_key, kFast); }) == StoreError::Kind::Io);
}

TEST_CASE("every slot carries the founding administrator, and unlocking returns it", "[keyring][trust-root]") {
    Fixture f;
    REQUIRE(f.root().practice_uuid == kPractice);
    REQUIRE(f.root().founding_administrator_uuid == kMaya.uuid);
    REQUIRE(f.root().founding_administrator_key == f.created.administrator.public_key);
    f.keyring.add_person(kSam, kSamPass, f.created.administrator.data_key, f.root(), kFast);
    const UnlockedPerson sam = f.keyring.unlock_person("Sam Ortiz", kSamPass, kFast);
    REQUIRE(sam.trust_root.founding_administrator_uuid == kMaya.uuid);
    REQUIRE(sam.trust_root.founding_administrator_key == f.created.administrator.public_key);
    REQUIRE(sam.trust_root.practice_uuid == kPractice);
}

TEST_CASE("a trust root rewritten in a slot fails authentication", "[keyring][trust-root]") {
    Fixture f;
    f.keyring.add_person(kSam, kSamPass, f.created.administrator.data_key, f.root(), kFast);
    const std::string sams_key = crypto::to_base64(crypto::generate_signing_keypair().public_key);
    // Sam's key put in as the founding administrator of every slot, and Sam's uuid.
    const Keyring rekeyed = f.edited([&](json& root) {
        for (json& slot : root["slots"])
            slot["trust_root"]["public_key"] = sams_key;
    });
    REQUIRE(kind_of([&] { rekeyed.unlock_person("Maya Lee", kMayaPass, kFast); }) == StoreError::Kind::Io);
    REQUIRE(kind_of([&] { rekeyed.unlock_person("Sam Ortiz", kSamPass, kFast); }) == StoreError::Kind::Io);
    REQUIRE(kind_of([&] { rekeyed.unlock_recovery(f.created.recovery_key, kFast); }) == StoreError::Kind::Io);
    const Keyring renamed = f.edited([&](json& root) {
        root["slots"][2]["trust_root"]["administrator_uuid"] = kSam.uuid;
    });
    REQUIRE(message_of([&] { renamed.unlock_person("Sam Ortiz", kSamPass, kFast); })
                .find("was changed after it was written") != std::string::npos);
    // A slot without a root is a damaged file.
    REQUIRE(kind_of([&] { f.edited([](json& root) { root["slots"][0].erase("trust_root"); }); }) ==
            StoreError::Kind::Io);
}

TEST_CASE("a new slot refuses another practice's trust root", "[keyring][trust-root]") {
    Fixture f;
    TrustRoot other = f.root();
    other.practice_uuid = "99999999-2222-4333-8444-555555555555";
    REQUIRE(kind_of([&] { f.keyring.add_person(kSam, kSamPass, f.created.administrator.data_key, other, kFast); }) ==
            StoreError::Kind::Invalid);
    TrustRoot keyless = f.root();
    keyless.founding_administrator_key.clear();
    REQUIRE(kind_of([&] { f.keyring.add_recovery(f.created.administrator.data_key, keyless, kFast); }) ==
            StoreError::Kind::Invalid);
}

TEST_CASE("a slot with weaker key derivation than the minimum is refused", "[keyring]") {
    Fixture f;
    // Written with test limits, opened with the default minimum (MODERATE): refused before deriving.
    const std::string message = message_of([&] { f.keyring.unlock_person("Maya Lee", kMayaPass); });
    REQUIRE(message.find("weaker key derivation") != std::string::npos);
    REQUIRE(kind_of([&] { f.keyring.unlock_recovery(f.created.recovery_key); }) == StoreError::Kind::Io);
    // Lowered in the file by one pass below a test minimum of two passes: refused too.
    const Keyring weakened = f.edited([](json& root) { root["slots"][0]["kdf"]["opslimit"] = 1; });
    REQUIRE(kind_of([&] { weakened.unlock_person("Maya Lee", kMayaPass, {2, 8192}); }) == StoreError::Kind::Io);
}

// [SECTION] The file

TEST_CASE("a truncated keyring file is reported as damaged", "[keyring]") {
    Fixture f;
    f.keyring.save_new(f.path);
    const std::string whole = test::read_file(f.path);
    test::write_file(f.path, whole.substr(0, whole.size() / 2));
    REQUIRE(kind_of([&] { Keyring::load(f.path); }) == StoreError::Kind::Io);
    REQUIRE(message_of([&] { Keyring::load(f.path); }).find("is damaged") != std::string::npos);
}

TEST_CASE("a keyring of another version or format is refused", "[keyring]") {
    Fixture f;
    REQUIRE(kind_of([&] { f.edited([](json& root) { root["version"] = 2; }); }) == StoreError::Kind::NewerSchema);
    REQUIRE(kind_of([&] { f.edited([](json& root) { root["version"] = "1"; }); }) == StoreError::Kind::Io);
    REQUIRE(kind_of([&] { f.edited([](json& root) { root["format"] = "other-keyring"; }); }) ==
            StoreError::Kind::NotAttune);
    REQUIRE(kind_of([] { Keyring::parse("[1, 2]", "x"); }) == StoreError::Kind::NotAttune);
}

TEST_CASE("a keyring with unknown, missing or out-of-range members is refused", "[keyring]") {
    Fixture f;
    const std::vector<std::function<void(json&)>> edits = {
        [](json& root) { root["extra"] = true; },
        [](json& root) { root["slots"][0]["kdf"]["alg"] = "argon2i13"; },
        [](json& root) { root["slots"][0]["kdf"]["opslimit"] = 1000; },
        [](json& root) { root["slots"][0]["kdf"]["memlimit"] = 1ull << 40; },
        [](json& root) { root["slots"][0]["kdf"]["memlimit"] = -1; },
        [](json& root) { root["slots"][0].erase("key_check"); },
        [](json& root) { root["slots"][0]["kind"] = "admin"; },
        [](json& root) { root["slots"][1]["slot_id"] = root["slots"][0]["slot_id"]; },
        [](json& root) { root["slots"][1]["public_key"] = root["slots"][0]["public_key"]; },
        [](json& root) { root["slots"][0]["kdf"]["salt"] = "AAAA"; },
        [](json& root) { root["slots"] = json::array(); },
        [](json& root) { root["slots"][0]["person_name"] = json::array({json::array({json::array({1})})}); },
    };
    for (std::size_t i = 0; i < edits.size(); ++i) {
        INFO("edit " << i);
        REQUIRE(kind_of([&] { f.edited(edits[i]); }) == StoreError::Kind::Io);
    }
}

TEST_CASE("a deeply nested keyring is refused while it is read", "[keyring]") {
    const std::string hostile = "{\"format\": \"attune-keyring\", \"slots\": " + std::string(100000, '[');
    REQUIRE(kind_of([&] { Keyring::parse(hostile, "hostile.keyring"); }) == StoreError::Kind::Io);
    REQUIRE(kind_of([] { Keyring::parse(std::string(2 << 20, ' '), "huge.keyring"); }) == StoreError::Kind::Io);
}

TEST_CASE("the keyring file is private to its owner and holds no key or passphrase in the clear", "[keyring]") {
    Fixture f;
    f.keyring.save_new(f.path);
    struct stat info {};
    REQUIRE(::stat(f.path.c_str(), &info) == 0);
    REQUIRE((info.st_mode & 0777) == 0600);
    const std::string text = test::read_file(f.path);
    REQUIRE(text.find(std::string(crypto::to_hex_secret(f.created.administrator.data_key).view())) ==
            std::string::npos);
    REQUIRE(text.find(crypto::to_base64(f.created.administrator.data_key.view())) == std::string::npos);
    REQUIRE(text.find("maya's long passphrase") == std::string::npos);
    REQUIRE(text.find("\"format\": \"attune-keyring\"") != std::string::npos);
}

TEST_CASE("saving a new keyring never replaces one; saving replaces it whole", "[keyring]") {
    Fixture f;
    f.keyring.save_new(f.path);
    NewKeyring other = Keyring::create(kPractice, kSam, kSamPass, kFast);
    REQUIRE(kind_of([&] { other.keyring.save_new(f.path); }) == StoreError::Kind::Invalid);
    REQUIRE(Keyring::load(f.path).find_person("Maya Lee") != nullptr);

    other.keyring.save(f.path);
    REQUIRE(Keyring::load(f.path).find_person("Maya Lee") == nullptr);
    REQUIRE(std::distance(std::filesystem::directory_iterator(f.dir.path()), {}) == 1);  // no temporary left
}

// [SECTION] Changing slots

TEST_CASE("a person added with the data key signs in with their own passphrase", "[keyring]") {
    Fixture f;
    const KeySlot slot = f.keyring.add_person(kSam, kSamPass, f.created.administrator.data_key, f.root(), kFast);
    f.keyring.save_new(f.path);
    const Keyring loaded = Keyring::load(f.path);
    const UnlockedPerson sam = loaded.unlock_person("Sam Ortiz", kSamPass, kFast);
    REQUIRE(sam.data_key == f.created.administrator.data_key);
    REQUIRE(sam.public_key == slot.public_key);
    REQUIRE_FALSE(sam.signing_key == f.created.administrator.signing_key);
    REQUIRE(kind_of([&] { loaded.unlock_person("Sam Ortiz", kMayaPass, kFast); }) == StoreError::Kind::WrongPassphrase);
}

TEST_CASE("adding a person needs the practice's data key, a new person and a long passphrase", "[keyring]") {
    Fixture f;
    const SecretBytes& data_key = f.created.administrator.data_key;
    REQUIRE(kind_of([&] { f.keyring.add_person(kSam, kSamPass, crypto::random_secret(32), f.root(), kFast); }) ==
            StoreError::Kind::Invalid);
    REQUIRE(kind_of([&] { f.keyring.add_person(kSam, SecretString("too short"), data_key, f.root(), kFast); }) ==
            StoreError::Kind::Invalid);
    REQUIRE(kind_of([&] {
                f.keyring.add_person({kSam.uuid, "MAYA LEE"}, kSamPass, data_key, f.root(), kFast);
            }) == StoreError::Kind::Invalid);
    REQUIRE(kind_of([&] {
                f.keyring.add_person({kMaya.uuid, "Other"}, kSamPass, data_key, f.root(), kFast);
            }) == StoreError::Kind::Invalid);
    REQUIRE(f.keyring.slots().size() == 2);
}

TEST_CASE("a reset gives a new passphrase and a new signing key; the old passphrase stops working", "[keyring]") {
    Fixture f;
    const SecretBytes recovered = f.keyring.unlock_recovery(f.created.recovery_key, kFast);
    const KeySlot slot = f.keyring.reset_person(kMaya, SecretString("maya's new passphrase"), recovered, f.root(), kFast);
    REQUIRE(slot.public_key != f.created.administrator.public_key);
    REQUIRE(kind_of([&] { f.keyring.unlock_person("Maya Lee", kMayaPass, kFast); }) ==
            StoreError::Kind::WrongPassphrase);
    const UnlockedPerson maya = f.keyring.unlock_person("Maya Lee", SecretString("maya's new passphrase"), kFast);
    REQUIRE(maya.public_key == slot.public_key);
    REQUIRE(maya.data_key == recovered);
    REQUIRE(kind_of([&] { f.keyring.reset_person(kSam, kSamPass, recovered, f.root(), kFast); }) == StoreError::Kind::NotFound);
}

TEST_CASE("changing one's own passphrase keeps one's signing key", "[keyring]") {
    Fixture f;
    const UnlockedPerson before = f.keyring.unlock_person("Maya Lee", kMayaPass, kFast);
    const KeySlot slot = f.keyring.change_passphrase(before, SecretString("maya's changed passphrase"), kFast);
    REQUIRE(slot.slot_id != before.slot_id);
    const UnlockedPerson after = f.keyring.unlock_person("Maya Lee", SecretString("maya's changed passphrase"), kFast);
    REQUIRE(after.signing_key == before.signing_key);
    REQUIRE(after.public_key == before.public_key);
    REQUIRE(kind_of([&] { f.keyring.unlock_person("Maya Lee", kMayaPass, kFast); }) ==
            StoreError::Kind::WrongPassphrase);
}

TEST_CASE("a removed slot opens nothing, and the last slot cannot be removed", "[keyring]") {
    Fixture f;
    f.keyring.add_person(kSam, kSamPass, f.created.administrator.data_key, f.root(), kFast);
    f.keyring.remove_slot(f.keyring.find_person("Sam Ortiz")->slot_id);
    REQUIRE(kind_of([&] { f.keyring.unlock_person("Sam Ortiz", kSamPass, kFast); }) == StoreError::Kind::NotFound);
    f.keyring.remove_slot(f.keyring.slots()[1].slot_id);  // the recovery slot
    REQUIRE(kind_of([&] { f.keyring.unlock_recovery(f.created.recovery_key, kFast); }) ==
            StoreError::Kind::WrongPassphrase);
    REQUIRE(kind_of([&] { f.keyring.remove_slot(f.keyring.slots()[0].slot_id); }) == StoreError::Kind::Invalid);
    REQUIRE(kind_of([&] { f.keyring.remove_slot("no such slot"); }) == StoreError::Kind::NotFound);
}

TEST_CASE("a further recovery key opens the data key as the first one does", "[keyring]") {
    Fixture f;
    const SecretString second = f.keyring.add_recovery(f.created.administrator.data_key, f.root(), kFast);
    REQUIRE_FALSE(second == f.created.recovery_key);
    REQUIRE(f.keyring.unlock_recovery(second, kFast) == f.created.administrator.data_key);
    REQUIRE(f.keyring.unlock_recovery(f.created.recovery_key, kFast) == f.created.administrator.data_key);
}

TEST_CASE("renaming a person changes only the name their slot is found by", "[keyring]") {
    Fixture f;
    f.keyring.rename_person(kMaya.uuid, "Maya Lee-Park");
    REQUIRE(f.keyring.find_person("Maya Lee") == nullptr);
    REQUIRE(f.keyring.unlock_person("Maya Lee-Park", kMayaPass, kFast).person.uuid == kMaya.uuid);
}

// [SECTION] The data key as SQLCipher's raw key

TEST_CASE("the data key is handed to SQLCipher as x'<64 hex digits>'", "[keyring]") {
    crypto::Bytes bytes(32, 0xab);
    bytes[0] = 0x01;
    const SecretString raw = sqlcipher_raw_key(SecretBytes::copy_of(bytes));
    std::string expected = "x'01";
    for (int i = 0; i < 31; ++i)
        expected += "ab";
    expected += "'";
    REQUIRE(raw.view() == expected);
}

TEST_CASE("a database keyed with the raw key opens with it and not with another", "[keyring]") {
    Fixture f;
    const std::filesystem::path db_path = f.dir / "practice.db";
    OpenOptions options;
    options.path = db_path;
    // OpenOptions holds a view: the key must outlive the open.
    const SecretString raw_key = sqlcipher_raw_key(f.created.administrator.data_key);
    options.passphrase = raw_key.view();
    options.create_if_missing = true;
    Database::open(options).reset();
    REQUIRE(Database::open(options)->encrypted());

    const SecretString other_key = sqlcipher_raw_key(crypto::random_secret(32));
    options.passphrase = other_key.view();
    options.create_if_missing = false;
    REQUIRE(kind_of([&] { Database::open(options); }) == StoreError::Kind::WrongPassphrase);
}

// [SECTION] The real limits (slow: about three Argon2id runs of 256 MiB)

TEST_CASE("slots are written with MODERATE limits by default, and open with them", "[keyring][slow]") {
    NewKeyring created = Keyring::create(kPractice, kMaya, kMayaPass);
    for (const KeySlot& slot : created.keyring.slots())
        REQUIRE(slot.limits == crypto::kKdfModerate);
    REQUIRE(created.keyring.unlock_person("Maya Lee", kMayaPass).data_key == created.administrator.data_key);
}

TEST_CASE("one person's slot alone opens with their passphrase and holds nobody else's", "[keyring][join]") {
    Fixture f;
    f.keyring.add_person(kSam, kSamPass, f.created.administrator.data_key, f.root(), kFast);
    const Keyring sams = Keyring::parse(f.keyring.person_json(kSam.uuid), "sam's slot");
    REQUIRE(sams.slots().size() == 1);
    CHECK(sams.practice_uuid() == kPractice);
    CHECK(sams.find_person(kMaya.uuid) == nullptr);
    const UnlockedPerson sam = sams.unlock_person(kSam.uuid, kSamPass, kFast);
    CHECK(sam.trust_root.founding_administrator_key == f.root().founding_administrator_key);
    CHECK(kind_of([&] { sams.unlock_person(kSam.uuid, kMayaPass, kFast); }) == StoreError::Kind::WrongPassphrase);
    CHECK(kind_of([&] { (void)f.keyring.person_json("d0000000-0000-4000-8000-00000000000d"); }) ==
          StoreError::Kind::NotFound);
}

TEST_CASE("a person's own copy has a new data key and their key pair and root unchanged", "[keyring][join]") {
    Fixture f;
    f.keyring.add_person(kSam, kSamPass, f.created.administrator.data_key, f.root(), kFast);
    const UnlockedPerson sam = f.keyring.unlock_person(kSam.uuid, kSamPass, kFast);
    NewKeyring copy = Keyring::for_person_copy(kPractice, sam, kSamPass, kFast);
    CHECK(copy.recovery_key.empty());
    REQUIRE(copy.keyring.slots().size() == 1);
    CHECK(!(copy.administrator.data_key == sam.data_key));
    CHECK(!copy.keyring.is_data_key(sam.data_key));
    CHECK(!f.keyring.is_data_key(copy.administrator.data_key));
    const UnlockedPerson opened = copy.keyring.unlock_person("sam ortiz", kSamPass, kFast);
    CHECK(opened.person.uuid == kSam.uuid);
    CHECK(opened.public_key == sam.public_key);
    CHECK(opened.signing_key == sam.signing_key);
    CHECK(opened.data_key == copy.administrator.data_key);
    CHECK(opened.trust_root.founding_administrator_uuid == kMaya.uuid);
    CHECK(opened.trust_root.founding_administrator_key == f.root().founding_administrator_key);
    // Keys of this practice only.
    CHECK(kind_of([&] { Keyring::for_person_copy("99999999-2222-4333-8444-555555555555", sam, kSamPass, kFast); }) ==
          StoreError::Kind::Invalid);
}
