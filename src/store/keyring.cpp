// keyring.cpp: creating, unlocking and changing key slots (the file format and
// writing are in keyring_file.cpp).
#include "store/keyring.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <stdexcept>

#include "core/canonical_writer.h"
#include "core/passphrase_policy.h"
#include "core/uuid.h"

namespace attune::store {
namespace {

// [SECTION] Associated data and checks (the AD(...) of keyring.h)

constexpr std::string_view kDomain = "attune-keyring-v1";

std::string associated_data(std::initializer_list<std::string_view> values) {
    CanonicalWriter out;
    out.text(kDomain);
    for (std::string_view value : values)
        out.text(value);
    return out.take();
}

std::string_view as_text(const crypto::Bytes& bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// The slot's trust root is in its associated data: whoever rewrites it makes
// the slot fail authentication; it is never believed.
std::string data_key_ad(const std::string& practice_uuid, const KeySlot& slot) {
    return associated_data({"data-key", practice_uuid, slot.slot_id, to_string(slot.kind), slot.person_uuid,
                            slot.root.administrator_uuid, as_text(slot.root.public_key)});
}

std::string signing_key_ad(const std::string& practice_uuid, const KeySlot& slot) {
    return associated_data(
        {"signing-key", practice_uuid, slot.slot_id, to_string(slot.kind), slot.person_uuid, as_text(slot.public_key)});
}

crypto::Bytes key_check_of(const KeySlot& slot, const SecretBytes& slot_key) {
    return crypto::keyed_hash(crypto::as_bytes(associated_data({"key-check", "", slot.slot_id})), slot_key);
}

crypto::Bytes data_key_check_of(const std::string& practice_uuid, const SecretBytes& data_key) {
    return crypto::keyed_hash(crypto::as_bytes(associated_data({"data-key-check", practice_uuid})), data_key);
}

void require_limits(const crypto::KdfLimits& limits) {
    if (!limits.at_least(crypto::kKdfLibraryMinimum) || !crypto::kKdfMaximum.at_least(limits))
        throw StoreError(StoreError::Kind::Invalid, "the key derivation limits are out of range");
}

void require_new_passphrase(const SecretString& passphrase) {
    if (auto problem = new_passphrase_problem(passphrase.view())) throw StoreError(StoreError::Kind::Invalid, *problem);
}

void require_root(const std::string& practice_uuid, const TrustRoot& root) {
    if (root.practice_uuid != practice_uuid || !is_valid_uuid(root.founding_administrator_uuid) ||
        root.founding_administrator_key.size() != crypto::kPublicKeySize)
        throw StoreError(StoreError::Kind::Invalid, "that is not this practice's trust root: nothing was changed");
}

void require_identity(const PersonIdentity& person) {
    if (!is_valid_uuid(person.uuid) || person.name.empty())
        throw StoreError(StoreError::Kind::Invalid, "a key slot needs the person's uuid and name");
}

bool same_name(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

std::string who(const KeySlot& slot) {
    return slot.kind == SlotKind::Recovery ? std::string("the recovery slot") : "the key slot of " + slot.person_name;
}

// Argon2id, with running out of memory reported as the store reports errors.
SecretBytes derive_slot_key(crypto::ByteView secret, const KeySlot& slot) {
    try {
        return crypto::derive_key(secret, slot.salt, slot.limits);
    } catch (const std::runtime_error& e) {
        throw StoreError(StoreError::Kind::Io, e.what());
    }
}

// A slot's fresh salt, limits and key; the caller seals what it needs under the key.
SecretBytes start_slot(KeySlot& slot, crypto::ByteView secret, const crypto::KdfLimits& limits) {
    slot.slot_id = new_uuid();
    slot.created_at = now_utc_iso();
    slot.limits = limits;
    slot.salt = crypto::random_bytes(crypto::kSaltSize);
    SecretBytes slot_key = derive_slot_key(secret, slot);
    slot.key_check = key_check_of(slot, slot_key);
    return slot_key;
}

// [SECTION] Recovery keys in Crockford's base32

constexpr std::string_view kBase32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int base32_value(char c) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    const auto at = kBase32.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

}  // namespace

std::string_view to_string(SlotKind kind) {
    return kind == SlotKind::Person ? "person" : "recovery";
}

SecretString format_recovery_key(const SecretBytes& key_bytes) {
    // 20 bytes = 160 bits = 32 symbols of 5 bits, written in groups of four.
    const std::size_t symbol_count = (key_bytes.size() * 8 + 4) / 5;
    SecretBytes text(symbol_count + (symbol_count == 0 ? 0 : (symbol_count - 1) / 4));
    std::size_t length = 0;
    unsigned bits = 0;
    int pending = 0;
    std::size_t symbols = 0;
    const auto put = [&](unsigned value) {
        if (symbols != 0 && symbols % 4 == 0) text.data()[length++] = '-';
        text.data()[length++] = static_cast<std::uint8_t>(kBase32[value & 31u]);
        ++symbols;
    };
    for (const std::uint8_t byte : key_bytes.view()) {
        bits = (bits << 8) | byte;
        pending += 8;
        while (pending >= 5) {
            pending -= 5;
            put(bits >> pending);
        }
        bits &= (1u << pending) - 1;  // keep only the bits not yet written
    }
    if (pending > 0) put(bits << (5 - pending));
    return SecretString(std::string_view(reinterpret_cast<const char*>(text.data()), length));
}

std::optional<SecretBytes> parse_recovery_key(const SecretString& text) {
    SecretBytes out(kRecoveryKeySize);
    std::size_t written = 0;
    std::size_t symbols = 0;
    unsigned bits = 0;
    int pending = 0;
    for (const char c : text.view()) {
        if (c == '-' || c == ' ') continue;
        const int value = base32_value(c);
        if (value < 0 || ++symbols > kRecoveryKeySize * 8 / 5) return std::nullopt;
        bits = (bits << 5) | static_cast<unsigned>(value);
        pending += 5;
        if (pending >= 8) {
            pending -= 8;
            out.data()[written++] = static_cast<std::uint8_t>(bits >> pending);
            bits &= (1u << pending) - 1;
        }
    }
    if (written != kRecoveryKeySize) return std::nullopt;
    return out;
}

SecretString sqlcipher_raw_key(const SecretBytes& data_key) {
    if (data_key.size() != kDataKeySize) throw StoreError(StoreError::Kind::Invalid, "the data key has the wrong size");
    const SecretString hex = crypto::to_hex_secret(data_key);
    SecretBytes text(hex.size() + 3);
    text.data()[0] = 'x';
    text.data()[1] = '\'';
    std::copy(hex.view().begin(), hex.view().end(), text.data() + 2);
    text.data()[text.size() - 1] = '\'';
    return SecretString(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
}

// [SECTION] Creating

NewKeyring Keyring::create(const std::string& practice_uuid, const PersonIdentity& administrator,
                           const SecretString& passphrase, const crypto::KdfLimits& limits) {
    if (!is_valid_uuid(practice_uuid)) throw StoreError(StoreError::Kind::Invalid, "the practice uuid is not valid");
    require_identity(administrator);
    require_new_passphrase(passphrase);
    require_limits(limits);

    Keyring keyring;
    keyring.practice_uuid_ = practice_uuid;
    SecretBytes data_key = crypto::random_secret(kDataKeySize);
    keyring.data_key_check_ = data_key_check_of(practice_uuid, data_key);

    crypto::SigningKeyPair keys = crypto::generate_signing_keypair();
    TrustRoot root{practice_uuid, administrator.uuid, keys.public_key};
    keyring.slots_.push_back(keyring.make_person_slot(administrator, passphrase, data_key, keys, root, limits));
    const std::string slot_id = keyring.slots_.back().slot_id;
    SecretString recovery_key = keyring.add_recovery(data_key, root, limits);

    UnlockedPerson unlocked{administrator,      slot_id,          std::move(data_key), std::move(keys.secret_key),
                            std::move(keys.public_key), std::move(root)};
    return NewKeyring{std::move(keyring), std::move(unlocked), std::move(recovery_key)};
}

NewKeyring Keyring::for_person_copy(const std::string& practice_uuid, const UnlockedPerson& person,
                                    const SecretString& passphrase, const crypto::KdfLimits& limits) {
    if (!is_valid_uuid(practice_uuid) || person.trust_root.practice_uuid != practice_uuid)
        throw StoreError(StoreError::Kind::Invalid, "that person's keys are another practice's");
    require_identity(person.person);
    require_new_passphrase(passphrase);
    require_limits(limits);

    Keyring keyring;
    keyring.practice_uuid_ = practice_uuid;
    SecretBytes data_key = crypto::random_secret(kDataKeySize);
    keyring.data_key_check_ = data_key_check_of(practice_uuid, data_key);
    crypto::SigningKeyPair keys{person.public_key, person.signing_key.clone()};
    keyring.slots_.push_back(
        keyring.make_person_slot(person.person, passphrase, data_key, keys, person.trust_root, limits));
    UnlockedPerson unlocked{person.person,           keyring.slots_.back().slot_id, std::move(data_key),
                            std::move(keys.secret_key), std::move(keys.public_key), person.trust_root};
    return NewKeyring{std::move(keyring), std::move(unlocked), SecretString()};
}

KeySlot Keyring::make_person_slot(const PersonIdentity& person, const SecretString& passphrase,
                                  const SecretBytes& data_key, const crypto::SigningKeyPair& keys,
                                  const TrustRoot& root, const crypto::KdfLimits& limits) const {
    KeySlot slot;
    slot.kind = SlotKind::Person;
    slot.root = {root.founding_administrator_uuid, root.founding_administrator_key};
    slot.person_uuid = person.uuid;
    slot.person_name = person.name;
    slot.public_key = keys.public_key;
    const SecretBytes slot_key = start_slot(slot, passphrase.bytes(), limits);
    slot.data_key = crypto::aead_seal(data_key.view(), crypto::as_bytes(data_key_ad(practice_uuid_, slot)), slot_key);
    slot.signing_key =
        crypto::aead_seal(keys.secret_key.view(), crypto::as_bytes(signing_key_ad(practice_uuid_, slot)), slot_key);
    return slot;
}

// [SECTION] Finding and unlocking

const KeySlot* Keyring::find_person(std::string_view name_or_uuid) const {
    const bool by_uuid = is_valid_uuid(std::string(name_or_uuid));
    const KeySlot* found = nullptr;
    for (const KeySlot& slot : slots_) {
        if (slot.kind != SlotKind::Person) continue;
        if (by_uuid ? slot.person_uuid == name_or_uuid : same_name(slot.person_name, name_or_uuid)) {
            // parse() refuses two slots of one person; two slots may still
            // carry one name hint, and then the name does not say which.
            if (found != nullptr)
                throw StoreError(StoreError::Kind::Invalid,
                                 "two key slots in " + where_ + " are named " + std::string(name_or_uuid));
            found = &slot;
        }
    }
    return found;
}

const KeySlot& Keyring::person_slot(std::string_view name_or_uuid) const {
    const KeySlot* slot = find_person(name_or_uuid);
    if (slot == nullptr)
        throw StoreError(StoreError::Kind::NotFound,
                         "no one called " + std::string(name_or_uuid) + " can sign in to this practice");
    return *slot;
}

bool Keyring::is_data_key(const SecretBytes& data_key) const {
    if (data_key.size() != kDataKeySize) return false;
    return crypto::equal_constant_time(data_key_check_of(practice_uuid_, data_key), data_key_check_);
}

void Keyring::require_data_key(const SecretBytes& data_key) const {
    if (!is_data_key(data_key))
        throw StoreError(StoreError::Kind::Invalid, "that key is not this practice's data key: nothing was changed");
}

namespace {

// The slot's key, once its limits are acceptable and the secret is right.
// Throws Io for weakened limits, WrongPassphrase for a wrong secret.
std::optional<SecretBytes> slot_key_for(const KeySlot& slot, crypto::ByteView secret, const crypto::KdfLimits& minimum,
                                        const std::string& where) {
    if (!slot.limits.at_least(minimum))
        throw StoreError(StoreError::Kind::Io, who(slot) + " in " + where +
                                                   " uses weaker key derivation than Attune writes; it was not "
                                                   "written by Attune (restore the keyring from a backup)");
    SecretBytes slot_key = derive_slot_key(secret, slot);
    if (!crypto::equal_constant_time(key_check_of(slot, slot_key), slot.key_check)) return std::nullopt;
    return slot_key;
}

[[noreturn]] void throw_changed(const KeySlot& slot, const std::string& where, const std::string& what) {
    throw StoreError(StoreError::Kind::Io, who(slot) + " in " + where + " was changed after it was written (" + what +
                                               "); restore the keyring from a backup");
}

}  // namespace

UnlockedPerson Keyring::unlock_person(std::string_view name_or_uuid, const SecretString& passphrase,
                                      const crypto::KdfLimits& minimum) const {
    const KeySlot& slot = person_slot(name_or_uuid);
    std::optional<SecretBytes> slot_key = slot_key_for(slot, passphrase.bytes(), minimum, where_);
    if (!slot_key)
        throw StoreError(StoreError::Kind::WrongPassphrase, "the passphrase for " + slot.person_name + " is not right");
    std::optional<SecretBytes> data_key =
        crypto::aead_open(slot.data_key, crypto::as_bytes(data_key_ad(practice_uuid_, slot)), *slot_key);
    if (!data_key) throw_changed(slot, where_, "its data key fails authentication");
    if (!is_data_key(*data_key)) throw_changed(slot, where_, "it holds another practice's key");
    std::optional<SecretBytes> signing_key =
        crypto::aead_open(slot.signing_key, crypto::as_bytes(signing_key_ad(practice_uuid_, slot)), *slot_key);
    if (!signing_key || signing_key->size() != crypto::kSecretKeySize)
        throw_changed(slot, where_, "its signing key fails authentication");
    if (!crypto::equal_constant_time(crypto::public_key_of(*signing_key), slot.public_key))
        throw_changed(slot, where_, "its public key does not match its signing key");
    return UnlockedPerson{{slot.person_uuid, slot.person_name},
                          slot.slot_id,
                          std::move(*data_key),
                          std::move(*signing_key),
                          slot.public_key,
                          TrustRoot{practice_uuid_, slot.root.administrator_uuid, slot.root.public_key}};
}

SecretBytes Keyring::unlock_recovery(const SecretString& recovery_key, const crypto::KdfLimits& minimum) const {
    const std::optional<SecretBytes> secret = parse_recovery_key(recovery_key);
    if (!secret)
        throw StoreError(StoreError::Kind::Invalid,
                         "that is not a recovery key: it has 32 letters and digits in groups of four");
    for (const KeySlot& slot : slots_) {
        if (slot.kind != SlotKind::Recovery) continue;
        std::optional<SecretBytes> slot_key = slot_key_for(slot, secret->view(), minimum, where_);
        if (!slot_key) continue;
        std::optional<SecretBytes> data_key =
            crypto::aead_open(slot.data_key, crypto::as_bytes(data_key_ad(practice_uuid_, slot)), *slot_key);
        if (!data_key) throw_changed(slot, where_, "its data key fails authentication");
        if (!is_data_key(*data_key)) throw_changed(slot, where_, "it holds another practice's key");
        return std::move(*data_key);
    }
    throw StoreError(StoreError::Kind::WrongPassphrase, "the recovery key does not open this practice");
}

// [SECTION] Changing slots

KeySlot Keyring::add_person(const PersonIdentity& person, const SecretString& passphrase, const SecretBytes& data_key,
                            const TrustRoot& root, const crypto::KdfLimits& limits) {
    require_identity(person);
    require_data_key(data_key);
    require_root(practice_uuid_, root);
    require_new_passphrase(passphrase);
    require_limits(limits);
    for (const KeySlot& slot : slots_) {
        if (slot.kind != SlotKind::Person) continue;
        if (slot.person_uuid == person.uuid)
            throw StoreError(StoreError::Kind::Invalid, person.name + " already has a key slot: reset it instead");
        if (same_name(slot.person_name, person.name))
            throw StoreError(StoreError::Kind::Invalid, "someone called " + person.name + " already has a key slot");
    }
    slots_.push_back(make_person_slot(person, passphrase, data_key, crypto::generate_signing_keypair(), root, limits));
    return slots_.back();
}

KeySlot Keyring::reset_person(const PersonIdentity& person, const SecretString& new_passphrase,
                              const SecretBytes& data_key, const TrustRoot& root, const crypto::KdfLimits& limits) {
    require_identity(person);
    require_data_key(data_key);
    require_root(practice_uuid_, root);
    require_new_passphrase(new_passphrase);
    require_limits(limits);
    const KeySlot& old_slot = person_slot(person.uuid);
    const auto at = static_cast<std::size_t>(&old_slot - slots_.data());
    slots_[at] = make_person_slot(person, new_passphrase, data_key, crypto::generate_signing_keypair(), root, limits);
    return slots_[at];
}

KeySlot Keyring::change_passphrase(const UnlockedPerson& person, const SecretString& new_passphrase,
                                   const crypto::KdfLimits& limits) {
    require_data_key(person.data_key);
    require_new_passphrase(new_passphrase);
    require_limits(limits);
    const KeySlot& old_slot = person_slot(person.person.uuid);
    const auto at = static_cast<std::size_t>(&old_slot - slots_.data());
    crypto::SigningKeyPair keys{crypto::public_key_of(person.signing_key), person.signing_key.clone()};
    slots_[at] = make_person_slot({old_slot.person_uuid, old_slot.person_name}, new_passphrase, person.data_key, keys,
                                  person.trust_root, limits);
    return slots_[at];
}

SecretString Keyring::add_recovery(const SecretBytes& data_key, const TrustRoot& root,
                                   const crypto::KdfLimits& limits) {
    require_data_key(data_key);
    require_root(practice_uuid_, root);
    require_limits(limits);
    const SecretBytes secret = crypto::random_secret(kRecoveryKeySize);
    KeySlot slot;
    slot.kind = SlotKind::Recovery;
    slot.root = {root.founding_administrator_uuid, root.founding_administrator_key};
    const SecretBytes slot_key = start_slot(slot, secret.view(), limits);
    slot.data_key = crypto::aead_seal(data_key.view(), crypto::as_bytes(data_key_ad(practice_uuid_, slot)), slot_key);
    slots_.push_back(std::move(slot));
    return format_recovery_key(secret);
}

void Keyring::rename_person(const std::string& person_uuid, const std::string& new_name) {
    if (new_name.empty()) throw StoreError(StoreError::Kind::Invalid, "a person's name cannot be empty");
    const KeySlot& slot = person_slot(person_uuid);
    slots_[static_cast<std::size_t>(&slot - slots_.data())].person_name = new_name;
}

void Keyring::remove_slot(std::string_view slot_id) {
    const auto found =
        std::find_if(slots_.begin(), slots_.end(), [&](const KeySlot& slot) { return slot.slot_id == slot_id; });
    if (found == slots_.end())
        throw StoreError(StoreError::Kind::NotFound, "there is no key slot " + std::string(slot_id) + " in " + where_);
    if (slots_.size() == 1)
        throw StoreError(StoreError::Kind::Invalid,
                         "the last key slot cannot be removed: nobody could open the practice any more");
    slots_.erase(found);
}

}  // namespace attune::store
