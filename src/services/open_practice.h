// open_practice.h: services::OpenPractice, the one owner of an open practice
// (as Tracy's Worker owns a capture): the database connection, the person
// signed in and the only copies of the key material (the practice's data key
// and the person's signing key), in locked memory wiped when the practice
// locks or closes. Worker threads (the caseload's rows, background backups,
// the background sync)
// are owned here too and get their connections from it, never a copy of a key.
//
// Signing in (issue 16): a practice file is encrypted with a random data key;
// `<db>.keyring` holds one slot per person wrapping it under a key derived
// from that person's own passphrase (store/keyring.h). Opening unlocks the
// named person's slot, checks that the signing key in it is the one an
// administrator certified for them (core/practice_trust.h), and signs them in:
// every write is theirs, every signature made with their key. A practice
// written by an earlier Attune (one shared passphrase) is converted once,
// after a verified backup. A plaintext practice (no keyring) has people but no
// keys: it cannot sign.
//
// The window and the command line open practices only through here; every
// other use case (services/*.h) takes an OpenPractice&.
#pragma once

#include "core/crypto.h"
#include "core/grants.h"
#include "core/model.h"
#include "core/practice_trust.h"
#include "core/scheme.h"
#include "core/secret.h"
#include "services/key_material.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace attune::services {

class BackgroundBackup;
class BackgroundSync;
class CaseloadSummaries;

struct OpenRequest {
    std::filesystem::path path;
    // Who signs in, by name. Empty: the practice's only person with a key (an
    // error when there are several).
    std::string person;
    // Their own passphrase; for a practice of an earlier Attune, the shared
    // passphrase it was opened with (the practice is converted once).
    KeyMaterial passphrase;
    // Instead of a person and passphrase: the recovery key printed when the
    // practice was made; signs in as the practice's recovery identity (which
    // may reset passphrases and reveal the data key, nothing else).
    KeyMaterial recovery_key;
    // When the file does not exist and create_if_missing: the founding
    // administrator's name (their passphrase is `passphrase`).
    std::string new_administrator;
    bool create_if_missing = false;
    bool allow_unencrypted = false;  // create without encryption (an explicit choice; nobody can sign)
    bool read_only = false;
    // The window's sign-in is an audit row ("unlock"); a command line's run is
    // not one of its own (a refused command changes nothing). Failed sign-ins
    // waiting beside the practice are recorded by either.
    bool audit_sign_in = false;
    // Key slots are written with `kdf` and refused below `kdf_minimum`:
    // MODERATE for everyone; only tests, in C++, pass lower limits (the
    // command line, the environment and files cannot).
    crypto::KdfLimits kdf = crypto::kKdfModerate;
    crypto::KdfLimits kdf_minimum = crypto::kKdfModerate;
};

class OpenPractice {
public:
    // Opens (or creates, or converts) the practice and signs its person in.
    // Stores the default coding scheme if it has none (not when read-only).
    // Throws attune::Error: WrongPassphrase (also for an unknown person or a
    // slot whose key nobody certified), NotFound, Locked, ...; a wrong
    // passphrase changes nothing in the file.
    static std::unique_ptr<OpenPractice> open(OpenRequest request);
    ~OpenPractice();  // locks: workers stopped, connections closed, keys wiped
    OpenPractice(const OpenPractice&) = delete;
    OpenPractice& operator=(const OpenPractice&) = delete;

    // [SECTION] Who is signed in
    const Person& person() const;
    bool signed_in() const;
    // The signed-in person holds this role (by the practice's verified grants).
    bool holds(GrantRole role) const;
    // `person` holds this role: by the practice's verified grants, or in a
    // practice without keys (plaintext) by their people.role.
    bool person_holds(const Person& person, GrantRole role) const;
    // Signed in with the recovery key (not a person of the practice).
    bool is_recovery() const;
    // Everyone of the practice, with their roles as granted.
    std::vector<Person> people() const;
    // The practice's log of keys and roles, replayed and verified (cached
    // until the data changes).
    const PracticeTrust& trust() const;
    // The recovery key of a practice made or converted by this open, once
    // (empty afterwards and for every other open): print it, then forget it.
    KeyMaterial take_recovery_key();
    // What opening changed that the person should hear of once (e.g. "the
    // folder ... could be read by others: it is now yours alone").
    const std::vector<std::string>& notices() const;
    // What opening found when it compared the audit chain with the last
    // checkpoint seen outside the database (services/audit_checkpoint.h): a
    // rollback ("... was rolled back ..."), or a checkpoint not to be trusted.
    // Also among the notices and in the audit trail; the window keeps a bar
    // up and `attune check` fails while it is set.
    const std::optional<std::string>& audit_checkpoint_problem() const;
    // Set when this open converted a practice of an earlier Attune: the
    // verified backup made first.
    const std::filesystem::path& conversion_backup() const;

    // [SECTION] The practice
    const std::filesystem::path& path() const;
    const std::string& practice_uuid() const;
    bool encrypted() const;
    bool has_keys() const;  // a keyring: people sign in with their own passphrases and can sign
    bool read_only() const;
    int schema_version() const;
    std::string cipher_version() const;
    RowId default_scheme_id() const;
    CodingScheme default_scheme() const;
    // Bumped by every change a person makes through this practice (never by
    // the metrics cache), and by a background sync that changed rows here:
    // views reload their in-memory state when it moves.
    std::uint64_t data_version() const;

    // [SECTION] Workers, stopped before the practice locks
    CaseloadSummaries& caseload_summaries();
    BackgroundBackup& background_backup();
    // The window's sync with the practice server (services/background_sync.h);
    // idle, with no thread, until started.
    BackgroundSync& background_sync();

    // [SECTION] Keys
    // A 32-byte key for one purpose (e.g. "attune-media-v1"), derived from the
    // practice's data key with BLAKE2b keyed hashing: the same practice and
    // purpose always give the same key, another purpose another key.
    // Throws attune::Error once locked.
    SecretBytes derive_key(std::string_view purpose) const;
    // Signs `message` with the signed-in person's key. Throws attune::Error
    // (Denied) when the practice has no keys or nobody is signed in.
    crypto::Bytes sign(crypto::ByteView message) const;
    // The signed-in person's public key (empty without keys).
    const crypto::Bytes& public_key() const;
    // Whether `passphrase` is the signed-in person's (the hand-over mode asks
    // the clinician for it): checked against their key slot, nothing kept.
    bool verify_passphrase(const KeyMaterial& passphrase) const;
    // The practice's data key as SQLCipher's raw key (`x'…'`), for
    // `attune key reveal`; only with the recovery identity signed in.
    KeyMaterial reveal_raw_key() const;

    // [SECTION] Locking
    // Stops the workers, closes every connection and wipes the key material.
    // Afterwards every use case on this practice throws attune::Error.
    // An explicit lock (the window's) is recorded in the audit trail; the
    // destructor only closes.
    void lock();
    bool locked() const;
    // The one copy of the database key (wiped once locked): for the tests of wiping.
    const KeyMaterial& key_material() const;

    struct Impl;

private:
    explicit OpenPractice(std::unique_ptr<Impl> impl);
    // The steps every open ends with (permissions, the default scheme, the workers).
    static std::unique_ptr<OpenPractice> finish_opening(std::unique_ptr<Impl> impl);
    void close();  // stops the workers, closes, wipes: what lock() does without its audit row
    std::unique_ptr<Impl> impl_;
    // services/practice_access.h: how the use cases reach the store behind it.
    friend struct PracticeAccess;
};

// The names of the people who can sign in to the practice at `path` (from its
// keyring, without unlocking anything): the unlock screen's choices. Empty
// when the practice has no keyring.
std::vector<std::string> people_with_keys(const std::filesystem::path& path);
// True when the file at `path` is an unencrypted SQLite database.
bool is_plaintext_practice(const std::filesystem::path& path);

// Reads and validates a scheme file; throws SchemeFormatError naming file and field.
CodingScheme load_scheme_file(const std::filesystem::path& path);
// assets/coding_scheme.json
CodingScheme load_default_scheme();
// The name of the person using Attune on the command line: $ATTUNE_USER, else empty.
std::string default_user_name();

}  // namespace attune::services
