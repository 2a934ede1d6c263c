// grants.h: who holds which role, as statements signed by administrators.
//
// A role is never a column anyone can write: it is the result of replaying a
// practice's grant and revoke statements in sequence, each signed with the
// Ed25519 key of an administrator. The first administrator is trusted from
// the practice's creation (its keyring); every other administrator holds the
// role because a verified statement granted it.
//
// Canonical encoding of a statement, version 1 (fields as in
// core/canonical_writer.h: u32 big-endian length, then the bytes):
//   text "attune-grant-v1", text practice uuid, count sequence,
//   text "grant" | "revoke", text role ("clinician"|"supervisor"|"coder"|
//   "administrator"), text grantee's person uuid, text granting
//   administrator's person uuid, text at (ISO 8601 UTC)
// The signature is Ed25519 over these bytes (no hash in between).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto.h"
#include "core/secret.h"

namespace attune {

enum class GrantRole { Clinician, Supervisor, Coder, Administrator };
std::string_view to_string(GrantRole role);  // "clinician","supervisor","coder","administrator"
std::optional<GrantRole> parse_grant_role(std::string_view text);

struct GrantStatement {
    std::string practice_uuid;
    std::uint64_t sequence = 0;  // 1 for a practice's first statement, then one more each time
    bool granted = true;         // false: the role is revoked
    GrantRole role = GrantRole::Clinician;
    std::string grantee_uuid;     // person who gains or loses the role
    std::string granted_by_uuid;  // administrator who signs
    std::string at;               // ISO 8601 UTC
};

struct SignedGrant {
    GrantStatement statement;
    crypto::Bytes signature;  // crypto::kSignatureSize bytes
};

std::string canonical_grant_bytes(const GrantStatement& statement);
SignedGrant sign_grant(const GrantStatement& statement, const SecretBytes& secret_signing_key);
// True when `signature` is the statement's, made with the key matching `public_key`.
bool verify_grant(const SignedGrant& grant, crypto::ByteView public_key);

// Person uuid -> every Ed25519 public key that person has held (a passphrase
// reset gives a new one; statements signed with an earlier key still count).
using PublicKeyDirectory = std::map<std::string, std::vector<crypto::Bytes>>;

struct GrantProblem {
    std::size_t index = 0;       // position in the list given
    std::uint64_t sequence = 0;  // as the statement says
    std::string reason;          // one plain sentence
};

struct RoleReplay {
    std::map<std::string, std::set<GrantRole>> roles;  // person uuid -> roles now held
    std::vector<GrantProblem> problems;                // statements not applied, and gaps in the sequence
    bool holds(const std::string& person_uuid, GrantRole role) const;
};

// Replays `statements` (in sequence order) for the practice. A statement is
// applied only when it is for this practice, its sequence is above that of
// every statement applied before it, its signer is an administrator at that
// point, and its signature verifies under one of the signer's keys; anything
// else is reported in problems and changes no role (nor the sequence). A
// skipped sequence number (a statement missing from the list) is reported
// too, and the statements after it still apply. `founding_administrator_uuid` holds the administrator role
// before the first statement.
RoleReplay replay_grants(const std::string& practice_uuid, const std::string& founding_administrator_uuid,
                         const std::vector<SignedGrant>& statements, const PublicKeyDirectory& keys);

}  // namespace attune
