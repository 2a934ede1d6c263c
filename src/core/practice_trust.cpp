#include "core/practice_trust.h"

#include "core/canonical_writer.h"

#include <algorithm>

namespace attune {

std::string canonical_key_bytes(const KeyStatement& s) {
    CanonicalWriter w;
    w.text("attune-key-v1");
    w.text(s.practice_uuid);
    w.count(s.sequence);
    w.text(s.person_uuid);
    w.text(s.person_name);
    w.bytes(s.public_key);
    w.text(s.certified_by_uuid);
    w.text(s.at);
    return w.take();
}

SignedKey sign_key_statement(const KeyStatement& statement, const SecretBytes& secret_signing_key) {
    const std::string bytes = canonical_key_bytes(statement);
    return {statement, crypto::sign(crypto::as_bytes(bytes), secret_signing_key)};
}

bool verify_key_statement(const SignedKey& key, crypto::ByteView public_key) {
    const std::string bytes = canonical_key_bytes(key.statement);
    return crypto::verify(crypto::as_bytes(bytes), key.signature, public_key);
}

bool PracticeTrust::holds(const std::string& person_uuid, GrantRole role) const {
    const auto found = roles.find(person_uuid);
    return found != roles.end() && found->second.count(role) > 0;
}

bool PracticeTrust::certified(const std::string& person_uuid, crypto::ByteView public_key) const {
    const auto found = keys.find(person_uuid);
    if (found == keys.end()) return false;
    return std::any_of(found->second.begin(), found->second.end(), [&](const crypto::Bytes& k) {
        return k.size() == public_key.size() && std::equal(k.begin(), k.end(), public_key.begin());
    });
}

crypto::Bytes PracticeTrust::current_key(const std::string& person_uuid) const {
    const auto found = keys.find(person_uuid);
    if (found == keys.end() || found->second.empty()) return {};
    return found->second.back();
}

namespace {

// One statement of either kind, in the log's order.
struct Entry {
    std::uint64_t sequence = 0;
    const SignedGrant* grant = nullptr;
    const SignedKey* key = nullptr;
};

bool signed_by_administrator(const PracticeTrust& trust, const std::string& signer, const std::string& bytes,
                             const crypto::Bytes& signature) {
    if (!trust.holds(signer, GrantRole::Administrator)) return false;
    const auto found = trust.keys.find(signer);
    if (found == trust.keys.end()) return false;
    return std::any_of(found->second.begin(), found->second.end(), [&](const crypto::Bytes& k) {
        return crypto::verify(crypto::as_bytes(bytes), signature, k);
    });
}

}  // namespace

PracticeTrust replay_practice_log(const TrustRoot& root, const std::vector<SignedGrant>& grants,
                                  const std::vector<SignedKey>& keys) {
    PracticeTrust trust;
    trust.roles[root.founding_administrator_uuid].insert(GrantRole::Administrator);
    trust.keys[root.founding_administrator_uuid].push_back(root.founding_administrator_key);

    std::vector<Entry> log;
    for (const SignedGrant& g : grants) log.push_back({g.statement.sequence, &g, nullptr});
    for (const SignedKey& k : keys) log.push_back({k.statement.sequence, nullptr, &k});
    std::stable_sort(log.begin(), log.end(), [](const Entry& a, const Entry& b) { return a.sequence < b.sequence; });

    for (const Entry& e : log) {
        const std::string what = "statement " + std::to_string(e.sequence);
        const std::string& practice = e.grant ? e.grant->statement.practice_uuid : e.key->statement.practice_uuid;
        if (practice != root.practice_uuid) {
            trust.problems.push_back(what + " is for another practice");
            continue;
        }
        if (e.sequence <= trust.last_sequence) {
            trust.problems.push_back(what + " repeats a sequence number already used");
            continue;
        }
        if (e.grant) {
            const GrantStatement& s = e.grant->statement;
            if (!signed_by_administrator(trust, s.granted_by_uuid, canonical_grant_bytes(s), e.grant->signature)) {
                trust.problems.push_back(what + " (a role) is not signed by an administrator's certified key");
                continue;
            }
            if (s.granted)
                trust.roles[s.grantee_uuid].insert(s.role);
            else
                trust.roles[s.grantee_uuid].erase(s.role);
        } else {
            const KeyStatement& s = e.key->statement;
            if (s.public_key.size() != crypto::kPublicKeySize) {
                trust.problems.push_back(what + " (a key) does not hold a public key");
                continue;
            }
            if (!signed_by_administrator(trust, s.certified_by_uuid, canonical_key_bytes(s), e.key->signature)) {
                trust.problems.push_back(what + " (a key) is not signed by an administrator's certified key");
                continue;
            }
            auto& held = trust.keys[s.person_uuid];
            if (std::find(held.begin(), held.end(), s.public_key) == held.end()) held.push_back(s.public_key);
            trust.names[s.person_uuid].insert(s.person_name);
        }
        if (trust.founded_at.empty()) trust.founded_at = e.grant ? e.grant->statement.at : e.key->statement.at;
        trust.last_sequence = e.sequence;
    }
    return trust;
}

// [SECTION] Audit rows

std::string canonical_audit_row(std::string_view practice_uuid, std::string_view row_hash,
                                std::string_view actor_uuid) {
    CanonicalWriter out;
    out.text("attune-audit-v1");
    out.text(practice_uuid);
    out.text(row_hash);
    out.text(actor_uuid);
    return out.take();
}

std::optional<std::string> audit_row_problem(const PracticeTrust& trust, std::string_view practice_uuid,
                                             const AuditEntry& row, bool signed_before) {
    const std::string which = "audit row " + std::to_string(row.id) + " (" + row.action + " " + row.entity + ", " +
                              row.at + ", by " + row.actor + ")";
    if (row.signature.empty()) {
        if (signed_before || (!trust.founded_at.empty() && row.at > trust.founded_at))
            return which + " is not signed by anyone: it was not written by Attune";
        return std::nullopt;
    }
    const std::optional<crypto::Bytes> signature = crypto::from_hex(row.signature);
    const auto keys = trust.keys.find(row.actor_uuid);
    const std::string message = canonical_audit_row(practice_uuid, row.hash, row.actor_uuid);
    bool verified = false;
    if (signature && keys != trust.keys.end())
        for (const crypto::Bytes& key : keys->second)
            verified = verified || crypto::verify(crypto::as_bytes(message), *signature, key);
    if (!verified) return which + " is not signed by " + row.actor + "'s certified key";
    const auto names = trust.names.find(row.actor_uuid);
    if (names == trust.names.end() || names->second.count(row.actor) == 0)
        return which + " is signed by someone whose certified name is not " + row.actor;
    return std::nullopt;
}

}  // namespace attune
