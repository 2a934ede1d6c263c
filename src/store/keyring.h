// keyring.h: the keys to one practice, kept in `<db>.keyring` beside its database.
//
// A practice's database is encrypted by SQLCipher under a random 256-bit data
// key, used as a raw key (no passphrase stretching by SQLCipher). Nobody
// types the data key: each person has a key slot that wraps it under a key
// derived from their own passphrase, and a recovery slot wraps it under a key
// derived from a random recovery key shown once when the practice is created.
// A person slot also holds the person's Ed25519 key pair: the public key in
// the clear, the secret key wrapped like the data key.
//
// [SECTION] File format, version 1
// UTF-8 JSON, one object; no other members are accepted. Binary values are
// standard base64 with padding (RFC 4648 section 4). At most 1 MiB.
//   format          "attune-keyring"
//   version         1 (a reader refuses any other number)
//   practice_uuid   the practice's uuid (lower-case, 8-4-4-4-12)
//   data_key_check  32 bytes: BLAKE2b-256 keyed with the data key over
//                   AD("data-key-check", practice_uuid); tells whether a key
//                   is this practice's data key
//   slots           array of slots, at least one:
//     slot_id       uuid, unique in the file; a new one whenever a slot is rewritten
//     kind          "person" | "recovery"
//     person_uuid   person slots only: whose slot it is
//     person_name   person slots only: for finding the slot by name; NOT
//                   authenticated (after unlocking, trust person_uuid)
//     created_at    ISO 8601 UTC
//     kdf           { "alg": "argon2id13", "opslimit": integer, "memlimit":
//                   integer (bytes), "salt": 16 bytes }
//                   slot key K = Argon2id13(secret, salt, opslimit, memlimit), 32 bytes;
//                   secret = the passphrase's UTF-8 bytes, or the recovery key's 20 bytes
//     trust_root    { "administrator_uuid": uuid, "public_key": 32 bytes }: the
//                   practice's founding administrator and their Ed25519 public
//                   key (core/practice_trust.h) as the slot's writer knew them.
//                   It is in the slot's associated data, so it cannot be changed
//                   without the slot failing authentication. Sign-in trusts the
//                   root in the person's own slot, never the copy in the
//                   database: someone who can unlock the practice can rewrite
//                   the database's copy and write slots of their own, but not
//                   change the root in anyone else's slot.
//     key_check     32 bytes: BLAKE2b-256 keyed with K over AD("key-check", "", slot_id):
//                   tells a wrong passphrase from a slot that was changed
//     data_key      { "nonce": 24 bytes, "ciphertext": 48 bytes }:
//                   XChaCha20-Poly1305-IETF of the 32-byte data key under K,
//                   associated data AD("data-key", practice_uuid, slot_id, kind, person_uuid,
//                   trust_root.administrator_uuid, trust_root.public_key bytes)
//     public_key    person slots only: 32 bytes, the person's Ed25519 public key
//     signing_key   person slots only: { "nonce": 24 bytes, "ciphertext": 80 bytes }:
//                   the 64-byte Ed25519 secret key (libsodium layout) under K,
//                   associated data AD("signing-key", practice_uuid, slot_id, kind,
//                   person_uuid, public_key bytes)
//   AD(...) is the concatenation of "attune-keyring-v1" and the values given,
//   each as a u32 big-endian length followed by its bytes (person_uuid is ""
//   in a recovery slot). So a slot opens only for the practice, slot id and
//   person it was written for: copied to another person or practice, or with
//   its kind changed, it fails authentication.
//
// A recovery key is 20 random bytes written in Crockford's base32 as eight
// groups of four ("7K3M-9QXA-…"); reading it ignores case, hyphens and
// spaces, and takes O as 0 and I or L as 1.
//
// [SECTION] Rules
// - Unlocking refuses, before deriving anything, a slot whose Argon2id limits
//   are below `minimum` (MODERATE unless a caller says otherwise) or above
//   crypto::kKdfMaximum: a weakened slot written by someone else is not
//   accepted. Slots are written with MODERATE unless a caller says otherwise.
//   Only tests pass lower limits: nothing reads them from the command line,
//   the environment or a file.
// - A wrong passphrase is StoreError::Kind::WrongPassphrase; a slot that was
//   changed (ciphertext, person, practice, kind, public key) is Kind::Io with a
//   sentence saying it was changed; neither ever yields a key.
// - New passphrases follow core/passphrase_policy.h.
// - Writing is atomic (temporary file, fsync, rename, fsync of the folder) and
//   the file is created with mode 0600. Callers hold the practice's writer
//   lock while they change its keyring.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto.h"
#include "core/practice_trust.h"
#include "core/secret.h"
#include "store/database.h"

namespace attune::store {

inline constexpr std::string_view kKeyringFormat = "attune-keyring";
inline constexpr int kKeyringVersion = 1;
inline constexpr std::size_t kDataKeySize = 32;
inline constexpr std::size_t kRecoveryKeySize = 20;  // bytes; 32 base32 characters

// "<db>.keyring" for a database at "<db>".
std::filesystem::path keyring_path_for(const std::filesystem::path& database_path);

enum class SlotKind { Person, Recovery };
std::string_view to_string(SlotKind kind);  // "person","recovery"

// The founding administrator, as a slot carries it.
struct SlotRoot {
    std::string administrator_uuid;
    crypto::Bytes public_key;
};

struct KeySlot {
    std::string slot_id;
    SlotKind kind = SlotKind::Person;
    std::string person_uuid;  // person slots
    std::string person_name;  // person slots; a hint, not authenticated
    std::string created_at;   // ISO 8601 UTC
    SlotRoot root;
    crypto::KdfLimits limits;
    crypto::Bytes salt;
    crypto::Bytes key_check;
    crypto::Sealed data_key;
    crypto::Bytes public_key;    // person slots
    crypto::Sealed signing_key;  // person slots
};

struct PersonIdentity {
    std::string uuid;
    std::string name;
};

// What a person's passphrase opens.
struct UnlockedPerson {
    PersonIdentity person;  // uuid authenticated; name as the slot gives it
    std::string slot_id;
    SecretBytes data_key;     // kDataKeySize bytes
    SecretBytes signing_key;  // crypto::kSecretKeySize bytes
    crypto::Bytes public_key;
    // The practice's trust root as the person's own slot authenticates it:
    // believe this one, not the copy in the database.
    TrustRoot trust_root;
};

struct NewKeyring;

class Keyring {
public:
    // [SECTION] Creating, reading and writing

    // A new practice's keys: a random data key, a slot for its first
    // administrator with a new signing key pair, and a recovery slot. Nothing
    // is written: call save_new(). Throws StoreError(Invalid) for a passphrase
    // that breaks the policy or an identity that is not a uuid and a name.
    static NewKeyring create(const std::string& practice_uuid, const PersonIdentity& administrator,
                             const SecretString& passphrase, const crypto::KdfLimits& limits = crypto::kKdfModerate);

    // Throws StoreError: NotFound (no file), NotAttune (not a keyring),
    // NewerSchema (another version), Io (damaged or unreadable).
    static Keyring load(const std::filesystem::path& path);
    // The same checks on text; `where` names it in messages.
    static Keyring parse(std::string_view json, const std::string& where);
    std::string to_json() const;
    // Replaces the file at `path` atomically.
    void save(const std::filesystem::path& path) const;
    // Writes a keyring where there is none; StoreError(Invalid) if a file is there.
    void save_new(const std::filesystem::path& path) const;

    const std::string& practice_uuid() const { return practice_uuid_; }
    const std::vector<KeySlot>& slots() const { return slots_; }
    // The person slot for a person uuid, or for a name (ignoring ASCII case, as
    // the people table does); nullptr when there is none.
    const KeySlot* find_person(std::string_view name_or_uuid) const;
    // True when `data_key` is this practice's data key (checked in constant time).
    bool is_data_key(const SecretBytes& data_key) const;

    // [SECTION] A person's own copy of the practice (the practice server, issue 21)

    // One person's slot alone, as keyring text (no other slot): what the
    // practice server keeps for that person so that `attune join` on their
    // machine opens it with their own passphrase. Throws StoreError NotFound
    // when the person has no slot.
    std::string person_json(std::string_view person_uuid) const;
    // The keys of a new file for `person` (a slot of this practice, unlocked):
    // a new random data key, and one slot opened by `passphrase` that keeps
    // the person's key pair and trust root as they are. No recovery slot.
    // Nothing is written: call save_new(). Throws StoreError(Invalid) for a
    // passphrase that breaks the policy or a person of another practice.
    static NewKeyring for_person_copy(const std::string& practice_uuid, const UnlockedPerson& person,
                                      const SecretString& passphrase,
                                      const crypto::KdfLimits& limits = crypto::kKdfModerate);

    // [SECTION] Unlocking

    // Throws StoreError: NotFound (no such person), WrongPassphrase, Io (slot
    // changed, or its limits below `minimum`).
    UnlockedPerson unlock_person(std::string_view name_or_uuid, const SecretString& passphrase,
                                 const crypto::KdfLimits& minimum = crypto::kKdfModerate) const;
    // The data key. Throws StoreError: Invalid (not written like a recovery
    // key), WrongPassphrase (no recovery slot opens with it), Io (as above).
    SecretBytes unlock_recovery(const SecretString& recovery_key,
                                const crypto::KdfLimits& minimum = crypto::kKdfModerate) const;

    // [SECTION] Changing slots (each needs the data key: an unlocked practice)

    // A slot for a person who has none, with a new signing key pair; returns
    // the slot (its public_key is the person's new public key). Throws
    // StoreError(Invalid) for a wrong data key, a person who has a slot, a name
    // another slot has, or a passphrase that breaks the policy.
    // Every new slot carries `root`: the writer's own authenticated root
    // (UnlockedPerson::trust_root); StoreError(Invalid) for another practice's.
    KeySlot add_person(const PersonIdentity& person, const SecretString& passphrase, const SecretBytes& data_key,
                       const TrustRoot& root, const crypto::KdfLimits& limits = crypto::kKdfModerate);
    // A forgotten passphrase: the person's slot is replaced by a new one with a
    // new passphrase and a NEW signing key pair (the old secret key is lost
    // with the old passphrase). Throws as add_person, and NotFound when the
    // person has no slot.
    KeySlot reset_person(const PersonIdentity& person, const SecretString& new_passphrase, const SecretBytes& data_key,
                         const TrustRoot& root, const crypto::KdfLimits& limits = crypto::kKdfModerate);
    // A person changes their own passphrase: a new slot, the same key pair and root.
    KeySlot change_passphrase(const UnlockedPerson& person, const SecretString& new_passphrase,
                              const crypto::KdfLimits& limits = crypto::kKdfModerate);
    // A further recovery slot; returns its recovery key, to be shown once.
    SecretString add_recovery(const SecretBytes& data_key, const TrustRoot& root,
                              const crypto::KdfLimits& limits = crypto::kKdfModerate);
    // Updates the name hint of a person's slot (no secret needed: it is not authenticated).
    void rename_person(const std::string& person_uuid, const std::string& new_name);
    // Throws NotFound for no such slot, Invalid when it is the last slot.
    void remove_slot(std::string_view slot_id);

private:
    Keyring() = default;
    const KeySlot& person_slot(std::string_view name_or_uuid) const;
    void require_data_key(const SecretBytes& data_key) const;
    KeySlot make_person_slot(const PersonIdentity& person, const SecretString& passphrase, const SecretBytes& data_key,
                             const crypto::SigningKeyPair& keys, const TrustRoot& root,
                             const crypto::KdfLimits& limits) const;

    std::string where_ = "the keyring";  // the file, for messages
    std::string practice_uuid_;
    crypto::Bytes data_key_check_;
    std::vector<KeySlot> slots_;
};

struct NewKeyring {
    Keyring keyring;
    UnlockedPerson administrator;  // the data key and the administrator's keys
    SecretString recovery_key;     // show once; it is not kept anywhere (empty: no recovery slot)
};

// The data key as SQLCipher's raw key: x'<64 hex digits>' (for sqlite3_key
// and for `PRAGMA key` in the sqlcipher shell).
SecretString sqlcipher_raw_key(const SecretBytes& data_key);

// Recovery keys as text (see the format above).
SecretString format_recovery_key(const SecretBytes& key_bytes);
// nullopt when `text` is not 32 base32 characters after dropping hyphens and spaces.
std::optional<SecretBytes> parse_recovery_key(const SecretString& text);

}  // namespace attune::store
