// practice_trust.h: whose public key is whose, and who holds which role, as
// one log of statements signed by administrators (core/grants.h's grants,
// and key statements, which this file adds).
//
// The trust root is the founding administrator: their person uuid and public
// key, fixed when the practice is created (printed then as a fingerprint, and
// kept in the practice). Every other key counts only because an administrator
// certified it in a signed key statement; every role only because an
// administrator granted it. Signatures on sessions are checked against the
// certified keys, never against a key found in a keyring slot (anyone who can
// unlock the practice can write a slot; nobody can certify a key without an
// administrator's secret key).
//
// Key statement, canonical encoding version 1 (core/canonical_writer.h):
//   text "attune-key-v1", text practice uuid, count sequence,
//   text person uuid, text person name, bytes public key (32),
//   text certifying administrator's person uuid, text at (ISO 8601 UTC)
// Key statements and grants share one sequence: together they are the
// practice's log, replayed in order.
#pragma once

#include "core/crypto.h"
#include "core/grants.h"
#include "core/records.h"
#include "core/secret.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace attune {

struct KeyStatement {
    std::string practice_uuid;
    std::uint64_t sequence = 0;
    std::string person_uuid;
    std::string person_name;  // as known when certified (names can be seen as changed; uuids cannot)
    crypto::Bytes public_key;  // crypto::kPublicKeySize
    std::string certified_by_uuid;
    std::string at;
};

struct SignedKey {
    KeyStatement statement;
    crypto::Bytes signature;
};

std::string canonical_key_bytes(const KeyStatement& statement);
SignedKey sign_key_statement(const KeyStatement& statement, const SecretBytes& secret_signing_key);
bool verify_key_statement(const SignedKey& key, crypto::ByteView public_key);

// The trust root, fixed at the practice's creation.
struct TrustRoot {
    std::string practice_uuid;
    std::string founding_administrator_uuid;
    crypto::Bytes founding_administrator_key;
};

struct PracticeTrust {
    std::map<std::string, std::set<GrantRole>> roles;  // person uuid -> roles held now
    PublicKeyDirectory keys;                           // person uuid -> every certified key, oldest first
    std::map<std::string, std::set<std::string>> names;  // person uuid -> every name a key was certified under
    std::vector<std::string> problems;                 // statements not applied, in plain words
    std::uint64_t last_sequence = 0;                   // of the statements applied
    std::string founded_at;                            // `at` of the first statement applied (ISO 8601 UTC)

    bool holds(const std::string& person_uuid, GrantRole role) const;
    // True when `public_key` is one of the person's certified keys.
    bool certified(const std::string& person_uuid, crypto::ByteView public_key) const;
    // The person's newest certified key, or empty.
    crypto::Bytes current_key(const std::string& person_uuid) const;
};

// Replays the log in sequence order. The founding administrator holds the
// administrator role and their key before the first statement. A statement
// is applied only when it is for this practice, comes after every statement
// applied before it, is signed by an administrator at that point, and its
// signature verifies under one of that administrator's certified keys;
// anything else is a problem and changes nothing.
PracticeTrust replay_practice_log(const TrustRoot& root, const std::vector<SignedGrant>& grants,
                                  const std::vector<SignedKey>& keys);

// [SECTION] Audit rows
// In a practice with keys every audit row is signed by its actor, so that
// holding the data key is not enough to write a row in someone else's name.
// Canonical encoding, version 1: text "attune-audit-v1", text practice uuid,
// text the row's hash (hex, as stored), text the actor's person uuid.
std::string canonical_audit_row(std::string_view practice_uuid, std::string_view row_hash,
                                std::string_view actor_uuid);

// Why a row cannot be believed, in words, or nullopt. A signed row must
// verify under one of its actor's certified keys, and name them as certified.
// An unsigned row is a problem once a signed row came before it
// (`signed_before`) or when it was written after the practice's first
// statement (trust.founded_at): rows from before personal sign-in are unsigned.
std::optional<std::string> audit_row_problem(const PracticeTrust& trust, std::string_view practice_uuid,
                                             const AuditEntry& row, bool signed_before);

}  // namespace attune
