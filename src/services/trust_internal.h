// trust_internal.h: private to src/services. Appending signed statements to
// the practice's log of keys and roles (core/practice_trust.h), for creating
// and converting a practice and for the administrators' use cases.
#pragma once

#include "core/practice_trust.h"
#include "store/database.h"

#include <optional>
#include <string>

namespace attune::services::detail {

// Who signs a statement: an administrator's uuid and secret signing key.
struct StatementSigner {
    std::string uuid;
    const SecretBytes* secret_key = nullptr;
};

// Certifies `public_key` as the person's key, signed by `signer`.
void certify_key(store::Database& db, const std::string& practice_uuid, const StatementSigner& signer,
                 const std::string& person_uuid, const std::string& person_name, const crypto::Bytes& public_key);
// Grants (or revokes) `role`, signed by `signer`.
void state_role(store::Database& db, const std::string& practice_uuid, const StatementSigner& signer,
                const std::string& person_uuid, GrantRole role, bool granted);

// The role a person's main role (people.role) grants.
GrantRole grant_role_of(PersonRole role);

// The name of the practice's recovery identity (a person slot opened with the
// recovery key; it may reset passphrases and reveal the data key).
inline constexpr const char* kRecoveryName = "Recovery key";

// The audit chain in `db` against the last checkpoint of the practice seen on
// this computer (services/audit_checkpoint.h): nullopt when there is none, or
// when the chain still holds the checkpointed rows; else one sentence, with
// "rolled back" in it when rows are missing or differ, or saying why the
// checkpoint itself is not trusted.
std::optional<std::string> audit_checkpoint_problem(store::Database& db, const PracticeTrust& trust,
                                                    const std::string& practice_uuid);

// Said when the database's record of the founding administrator differs from
// the one sealed in the signed-in person's key slot.
inline constexpr const char* kRootMismatchNotice =
    "the practice's record of its founding administrator differs from the one sealed in your key slot: someone "
    "changed it behind Attune's back. Statements signed under the changed record are not believed; restore the "
    "practice from a backup and tell your administrator";

}  // namespace attune::services::detail
