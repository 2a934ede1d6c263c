#include "core/grants.h"

#include <array>

#include "core/canonical_writer.h"

namespace attune {
namespace {

constexpr std::array<std::string_view, 4> kRoleNames = {"clinician", "supervisor", "coder", "administrator"};

bool verifies_with_any(const SignedGrant& grant, const std::vector<crypto::Bytes>& public_keys) {
    for (const crypto::Bytes& key : public_keys)
        if (verify_grant(grant, key)) return true;
    return false;
}

}  // namespace

std::string_view to_string(GrantRole role) {
    return kRoleNames[static_cast<std::size_t>(role)];
}

std::optional<GrantRole> parse_grant_role(std::string_view text) {
    for (std::size_t i = 0; i < kRoleNames.size(); ++i)
        if (kRoleNames[i] == text) return static_cast<GrantRole>(i);
    return std::nullopt;
}

std::string canonical_grant_bytes(const GrantStatement& statement) {
    CanonicalWriter out;
    out.text("attune-grant-v1");
    out.text(statement.practice_uuid);
    out.count(statement.sequence);
    out.text(statement.granted ? "grant" : "revoke");
    out.text(to_string(statement.role));
    out.text(statement.grantee_uuid);
    out.text(statement.granted_by_uuid);
    out.text(statement.at);
    return out.take();
}

SignedGrant sign_grant(const GrantStatement& statement, const SecretBytes& secret_signing_key) {
    return {statement, crypto::sign(crypto::as_bytes(canonical_grant_bytes(statement)), secret_signing_key)};
}

bool verify_grant(const SignedGrant& grant, crypto::ByteView public_key) {
    return crypto::verify(crypto::as_bytes(canonical_grant_bytes(grant.statement)), grant.signature, public_key);
}

bool RoleReplay::holds(const std::string& person_uuid, GrantRole role) const {
    const auto found = roles.find(person_uuid);
    return found != roles.end() && found->second.count(role) != 0;
}

RoleReplay replay_grants(const std::string& practice_uuid, const std::string& founding_administrator_uuid,
                         const std::vector<SignedGrant>& statements, const PublicKeyDirectory& keys) {
    RoleReplay replay;
    replay.roles[founding_administrator_uuid].insert(GrantRole::Administrator);
    std::uint64_t last_sequence = 0;
    for (std::size_t index = 0; index < statements.size(); ++index) {
        const SignedGrant& grant = statements[index];
        const GrantStatement& s = grant.statement;
        const auto reject = [&](const std::string& reason) { replay.problems.push_back({index, s.sequence, reason}); };
        const std::string what = "role statement " + std::to_string(s.sequence);
        if (s.practice_uuid != practice_uuid) {
            reject(what + " belongs to another practice");
            continue;
        }
        if (s.sequence <= last_sequence) {
            reject(what + " comes after statement " + std::to_string(last_sequence) + " (repeated or out of order)");
            continue;
        }
        if (!replay.holds(s.granted_by_uuid, GrantRole::Administrator)) {
            reject(what + " was signed by someone who is not an administrator");
            continue;
        }
        const auto signer_keys = keys.find(s.granted_by_uuid);
        if (signer_keys == keys.end() || signer_keys->second.empty()) {
            reject(what + " was signed by an administrator whose public key is not known");
            continue;
        }
        if (!verifies_with_any(grant, signer_keys->second)) {
            reject(what + " does not match its signature (changed after signing, or signed by another key)");
            continue;
        }
        // Only a statement that counts moves the sequence on: a forged one
        // cannot use up the number of the genuine statement that follows it.
        if (s.sequence == last_sequence + 2)
            replay.problems.push_back(
                {index, s.sequence, "role statement " + std::to_string(s.sequence - 1) + " is missing"});
        else if (s.sequence > last_sequence + 2)
            replay.problems.push_back({index, s.sequence,
                                       "role statements " + std::to_string(last_sequence + 1) + " to " +
                                           std::to_string(s.sequence - 1) + " are missing"});
        last_sequence = s.sequence;
        if (s.granted)
            replay.roles[s.grantee_uuid].insert(s.role);
        else
            replay.roles[s.grantee_uuid].erase(s.role);
    }
    return replay;
}

}  // namespace attune
