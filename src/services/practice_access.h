// practice_access.h: private to src/services. How a use case reaches the
// store behind an OpenPractice: its main connection, or a new connection for
// a worker thread opened with the practice's key material (which the worker
// never sees).
#pragma once

#include "services/open_practice.h"
#include "services/trust_internal.h"
#include "store/database.h"
#include "store/keyring.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

namespace attune::services {

struct PracticeAccess {
    static store::Database& database(OpenPractice& practice);
    static std::unique_ptr<store::Database> worker_connection(OpenPractice& practice, bool read_only);
    // The keyring, the data key and the signed-in person's signing key (an
    // administrator's use cases need them); Denied for a practice without keys.
    static store::Keyring& keyring(OpenPractice& practice);
    static const SecretBytes& data_key(OpenPractice& practice);
    static detail::StatementSigner signer(OpenPractice& practice);
    static const crypto::KdfLimits& slot_limits(OpenPractice& practice);
    // The trust root the signed-in person's own slot authenticates (for new slots).
    static const TrustRoot& trust_root(OpenPractice& practice);
    // Writes the keyring after a change (atomically).
    static void save_keyring(OpenPractice& practice);
    // A new practice file at `path` for a person whose keys came from the
    // practice server (attune join): `keys` from Keyring::for_person_copy,
    // `people` the practice's people as the server lists them (the person
    // among them), `administrator_name` the founding administrator's. Signs
    // the person in and runs `then` on it; when anything fails, the new files
    // are removed and the error passes on. Invalid when a file is at `path`.
    static std::unique_ptr<OpenPractice> create_person_copy(const std::filesystem::path& path, store::NewKeyring keys,
                                                            const std::vector<Person>& people,
                                                            const std::string& administrator_name,
                                                            const crypto::KdfLimits& kdf,
                                                            const std::function<void(OpenPractice&)>& then);
    // Appends one audit row in the signed-in person's name, also when the
    // practice was opened read-only (reads are recorded: services/access_audit.h).
    // Throws attune::Error when the row cannot be written.
    static void record_audit(OpenPractice& practice, const std::string& action, const std::string& entity,
                             const std::string& entity_id, const std::string& detail);
};

// The main connection; throws attune::Error once the practice is locked.
inline store::Database& database_of(OpenPractice& practice) { return PracticeAccess::database(practice); }
// A second connection for a worker thread of this process (no writer lock of
// its own); closed by the worker before the practice locks.
inline std::unique_ptr<store::Database> worker_connection(OpenPractice& practice, bool read_only) {
    return PracticeAccess::worker_connection(practice, read_only);
}

}  // namespace attune::services
