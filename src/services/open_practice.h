// open_practice.h: services::OpenPractice, the one owner of an open practice
// (as Tracy's Worker owns a capture): the database connection, the person
// using Attune and the only copy of the key material, which lives in locked
// memory and is wiped when the practice locks or closes. Worker threads (the
// caseload's rows, background backups) are owned here too and get their
// connections from it, never a copy of the passphrase.
//
// The window and the command line open practices only through here; every
// other use case (services/*.h) takes an OpenPractice&.
#pragma once

#include "core/model.h"
#include "core/scheme.h"
#include "core/secret.h"
#include "services/key_material.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace attune::services {

class BackgroundBackup;
class CaseloadSummaries;

struct OpenRequest {
    std::filesystem::path path;
    KeyMaterial passphrase;  // moved into the practice; empty only for a plaintext file
    bool create_if_missing = false;
    bool allow_unencrypted = false;  // create without encryption (an explicit choice)
    bool read_only = false;
};

class OpenPractice {
public:
    // Opens (or creates) the practice and stores the default coding scheme if
    // it has none (not when read-only). Nobody is signed in yet. Throws
    // attune::Error; a wrong passphrase changes nothing in the file.
    static std::unique_ptr<OpenPractice> open(OpenRequest request);
    ~OpenPractice();  // locks: workers stopped, connections closed, key wiped
    OpenPractice(const OpenPractice&) = delete;
    OpenPractice& operator=(const OpenPractice&) = delete;

    // [SECTION] Who is using Attune: every write is attributed to them
    std::vector<Person> people() const;
    // A person of the practice (by id).
    void sign_in(const Person& person);
    // A new person with this role, created and signed in; Invalid when the name is taken.
    Person sign_in_new_person(const std::string& name, PersonRole role);
    // The person of this name, created as a clinician when there is none
    // (the command line's --user); read-only practices only look them up.
    void sign_in_by_name(const std::string& name);
    bool signed_in() const;
    const Person& person() const;

    // [SECTION] The practice
    const std::filesystem::path& path() const;
    bool encrypted() const;
    bool read_only() const;
    int schema_version() const;
    std::string cipher_version() const;
    RowId default_scheme_id() const;
    CodingScheme default_scheme() const;
    // Bumped by every change a person makes through this practice (never by
    // the metrics cache): views reload their in-memory state when it moves.
    std::uint64_t data_version() const;

    // [SECTION] Workers, stopped before the practice locks
    CaseloadSummaries& caseload_summaries();
    BackgroundBackup& background_backup();

    // [SECTION] Keys for other purposes
    // A 32-byte key for one purpose (e.g. "attune-media-v1"), derived from the
    // practice's key material with BLAKE2b keyed hashing: the same practice
    // and purpose always give the same key, another purpose another key.
    // Throws attune::Error once locked.
    SecretBytes derive_key(std::string_view purpose) const;

    // [SECTION] The clinician's passphrase, asked again
    // True when `passphrase` is the passphrase this practice was opened with
    // (the hand-over check-in returns to the clinician only with it). Compares
    // keyed hashes of the two in constant time and keeps no copy of the given
    // one. False for a plaintext practice (it has no passphrase) and for an
    // empty one; throws attune::Error once locked.
    bool verify_passphrase(const KeyMaterial& passphrase) const;

    // [SECTION] Locking
    // Stops the workers, closes every connection and wipes the key material.
    // Afterwards every use case on this practice throws attune::Error.
    void lock();
    bool locked() const;
    // The one copy of the key material (wiped once locked): for the tests of wiping.
    const KeyMaterial& key_material() const;

    struct Impl;

private:
    explicit OpenPractice(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
    // services/practice_access.h: how the use cases reach the store behind it.
    friend struct PracticeAccess;
};

// True when the file at `path` is an unencrypted SQLite database.
bool is_plaintext_practice(const std::filesystem::path& path);

// Reads and validates a scheme file; throws SchemeFormatError naming file and field.
CodingScheme load_scheme_file(const std::filesystem::path& path);
// assets/coding_scheme.json
CodingScheme load_default_scheme();
// The name of the person using Attune: $ATTUNE_USER, else the login name.
std::string default_user_name();

}  // namespace attune::services
