// Replaying a practice's log of keys and roles (core/practice_trust.h): only
// statements signed by an administrator's certified key, for this practice,
// in sequence, are applied; everything else is reported and changes nothing.
#include "core/practice_trust.h"

#include <catch2/catch_test_macros.hpp>
#include <string>
#include <vector>

using namespace attune;

namespace {

const std::string kPractice = "11111111-2222-4333-8444-555555555555";
const std::string kOtherPractice = "99999999-2222-4333-8444-555555555555";
const std::string kAdmin = "a0000000-0000-4000-8000-00000000000a";
const std::string kMaya = "b0000000-0000-4000-8000-00000000000b";
const std::string kSam = "c0000000-0000-4000-8000-00000000000c";

// The founding administrator (trust root), Maya and Sam, and the log being written.
struct Log {
    crypto::SigningKeyPair admin = crypto::generate_signing_keypair();
    crypto::SigningKeyPair maya = crypto::generate_signing_keypair();
    crypto::SigningKeyPair sam = crypto::generate_signing_keypair();
    TrustRoot root{kPractice, kAdmin, admin.public_key};
    std::vector<SignedGrant> grants;
    std::vector<SignedKey> keys;
    std::uint64_t next = 1;

    SignedGrant& grant(const std::string& by, const SecretBytes& key, const std::string& grantee, GrantRole role,
                       bool granted = true) {
        GrantStatement s;
        s.practice_uuid = kPractice;
        s.sequence = next++;
        s.granted = granted;
        s.role = role;
        s.grantee_uuid = grantee;
        s.granted_by_uuid = by;
        s.at = "2026-11-22T10:00:00Z";
        grants.push_back(sign_grant(s, key));
        return grants.back();
    }
    SignedKey& certify(const std::string& by, const SecretBytes& key, const std::string& person,
                       const std::string& name, const crypto::Bytes& public_key) {
        KeyStatement s;
        s.practice_uuid = kPractice;
        s.sequence = next++;
        s.person_uuid = person;
        s.person_name = name;
        s.public_key = public_key;
        s.certified_by_uuid = by;
        s.at = "2026-11-22T10:00:00Z";
        keys.push_back(sign_key_statement(s, key));
        return keys.back();
    }
    // Maya's key certified and the role given, both by the founding administrator.
    void admit_maya(GrantRole role) {
        certify(kAdmin, admin.secret_key, kMaya, "Maya Lee", maya.public_key);
        grant(kAdmin, admin.secret_key, kMaya, role);
    }
    PracticeTrust replay() const { return replay_practice_log(root, grants, keys); }
};

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
    for (const std::string& p : problems)
        if (p.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

// [SECTION] Key statements

TEST_CASE("a key statement verifies under the key that signed it, and under no other", "[trust]") {
    Log log;
    const SignedKey& key = log.certify(kAdmin, log.admin.secret_key, kMaya, "Maya Lee", log.maya.public_key);
    REQUIRE(key.signature.size() == crypto::kSignatureSize);
    REQUIRE(verify_key_statement(key, log.admin.public_key));
    REQUIRE_FALSE(verify_key_statement(key, log.maya.public_key));
}

TEST_CASE("changing any field of a key statement after signing breaks its signature", "[trust]") {
    Log log;
    const SignedKey original = log.certify(kAdmin, log.admin.secret_key, kMaya, "Maya Lee", log.maya.public_key);
    const auto changed = [&](auto edit) {
        SignedKey k = original;
        edit(k.statement);
        REQUIRE(canonical_key_bytes(k.statement) != canonical_key_bytes(original.statement));
        return verify_key_statement(k, log.admin.public_key);
    };
    REQUIRE_FALSE(changed([](KeyStatement& s) { s.practice_uuid = kOtherPractice; }));
    REQUIRE_FALSE(changed([](KeyStatement& s) { s.sequence = 2; }));
    REQUIRE_FALSE(changed([](KeyStatement& s) { s.person_uuid = kSam; }));
    REQUIRE_FALSE(changed([](KeyStatement& s) { s.person_name = "Sam Ortiz"; }));
    REQUIRE_FALSE(changed([&](KeyStatement& s) { s.public_key = log.sam.public_key; }));
    REQUIRE_FALSE(changed([](KeyStatement& s) { s.certified_by_uuid = kMaya; }));
    REQUIRE_FALSE(changed([](KeyStatement& s) { s.at = "2026-11-22T10:00:01Z"; }));
}

TEST_CASE("moving text between a key statement's fields changes its canonical bytes", "[trust]") {
    KeyStatement a;
    a.person_uuid = "ab";
    a.person_name = "c";
    KeyStatement b = a;
    b.person_uuid = "a";
    b.person_name = "bc";
    REQUIRE(canonical_key_bytes(a) != canonical_key_bytes(b));
}

// [SECTION] The trust root

TEST_CASE("the founding administrator's key is trusted and they are an administrator before any statement", "[trust]") {
    const Log log;
    const PracticeTrust trust = log.replay();
    REQUIRE(trust.holds(kAdmin, GrantRole::Administrator));
    REQUIRE_FALSE(trust.holds(kAdmin, GrantRole::Clinician));
    REQUIRE(trust.certified(kAdmin, log.admin.public_key));
    REQUIRE(trust.current_key(kAdmin) == log.admin.public_key);
    REQUIRE_FALSE(trust.certified(kAdmin, log.maya.public_key));
    REQUIRE_FALSE(trust.certified(kMaya, log.maya.public_key));
    REQUIRE(trust.current_key(kMaya).empty());
    REQUIRE(trust.problems.empty());
    REQUIRE(trust.last_sequence == 0);
}

TEST_CASE("keys certified and roles granted by the founding administrator are applied", "[trust]") {
    Log log;
    log.admit_maya(GrantRole::Supervisor);
    const PracticeTrust trust = log.replay();
    REQUIRE(trust.problems.empty());
    REQUIRE(trust.certified(kMaya, log.maya.public_key));
    REQUIRE(trust.holds(kMaya, GrantRole::Supervisor));
    REQUIRE_FALSE(trust.holds(kMaya, GrantRole::Administrator));
    REQUIRE(trust.last_sequence == 2);
}

TEST_CASE("a person's new key (a passphrase reset) is their current key; the old one still verifies old work",
          "[trust]") {
    Log log;
    log.admit_maya(GrantRole::Clinician);
    const crypto::SigningKeyPair renewed = crypto::generate_signing_keypair();
    log.certify(kAdmin, log.admin.secret_key, kMaya, "Maya Lee", renewed.public_key);
    const PracticeTrust trust = log.replay();
    REQUIRE(trust.current_key(kMaya) == renewed.public_key);
    REQUIRE(trust.certified(kMaya, log.maya.public_key));
    REQUIRE(trust.certified(kMaya, renewed.public_key));
}

// [SECTION] Statements that are not applied

TEST_CASE("a role a non-administrator grants, even to herself, is not applied", "[trust]") {
    Log log;
    log.admit_maya(GrantRole::Clinician);
    log.grant(kMaya, log.maya.secret_key, kMaya, GrantRole::Supervisor);
    log.grant(kMaya, log.maya.secret_key, kSam, GrantRole::Administrator);
    const PracticeTrust trust = log.replay();
    REQUIRE_FALSE(trust.holds(kMaya, GrantRole::Supervisor));
    REQUIRE_FALSE(trust.holds(kSam, GrantRole::Administrator));
    REQUIRE(trust.holds(kMaya, GrantRole::Clinician));
    REQUIRE(trust.problems.size() == 2);
    REQUIRE(mentions(trust.problems, "statement 3 (a role) is not signed by an administrator"));
    REQUIRE(mentions(trust.problems, "statement 4 (a role) is not signed by an administrator"));
    REQUIRE(trust.last_sequence == 2);
}

TEST_CASE("a key a non-administrator certifies is not applied", "[trust]") {
    Log log;
    log.admit_maya(GrantRole::Clinician);
    log.certify(kMaya, log.maya.secret_key, kSam, "Sam Ortiz", log.sam.public_key);
    // Nor a second key for herself.
    const crypto::SigningKeyPair spare = crypto::generate_signing_keypair();
    log.certify(kMaya, log.maya.secret_key, kMaya, "Maya Lee", spare.public_key);
    const PracticeTrust trust = log.replay();
    REQUIRE_FALSE(trust.certified(kSam, log.sam.public_key));
    REQUIRE_FALSE(trust.certified(kMaya, spare.public_key));
    REQUIRE(trust.current_key(kMaya) == log.maya.public_key);
    REQUIRE(mentions(trust.problems, "statement 3 (a key) is not signed by an administrator"));
    REQUIRE(mentions(trust.problems, "statement 4 (a key) is not signed by an administrator"));
}

TEST_CASE("a statement naming the administrator as signer but signed with another key is not applied", "[trust]") {
    Log log;
    log.admit_maya(GrantRole::Clinician);
    log.grant(kAdmin, log.maya.secret_key, kMaya, GrantRole::Supervisor);
    log.certify(kAdmin, log.maya.secret_key, kSam, "Sam Ortiz", log.sam.public_key);
    const PracticeTrust trust = log.replay();
    REQUIRE_FALSE(trust.holds(kMaya, GrantRole::Supervisor));
    REQUIRE_FALSE(trust.certified(kSam, log.sam.public_key));
    REQUIRE(trust.problems.size() == 2);
}

TEST_CASE("a statement changed after the administrator signed it is not applied", "[trust]") {
    Log log;
    log.certify(kAdmin, log.admin.secret_key, kMaya, "Maya Lee", log.maya.public_key);
    log.grant(kAdmin, log.admin.secret_key, kMaya, GrantRole::Coder).statement.role = GrantRole::Administrator;
    log.certify(kAdmin, log.admin.secret_key, kSam, "Sam Ortiz", log.sam.public_key).statement.public_key =
        log.maya.public_key;
    const PracticeTrust trust = log.replay();
    REQUIRE_FALSE(trust.holds(kMaya, GrantRole::Administrator));
    REQUIRE_FALSE(trust.holds(kMaya, GrantRole::Coder));
    REQUIRE_FALSE(trust.certified(kSam, log.maya.public_key));
    REQUIRE(trust.problems.size() == 2);
}

TEST_CASE("an administrator made by a grant may certify and grant, until revoked", "[trust]") {
    Log log;
    log.admit_maya(GrantRole::Administrator);                                         // 1, 2
    log.certify(kMaya, log.maya.secret_key, kSam, "Sam Ortiz", log.sam.public_key);   // 3: applied
    log.grant(kMaya, log.maya.secret_key, kSam, GrantRole::Clinician);                // 4: applied
    log.grant(kAdmin, log.admin.secret_key, kMaya, GrantRole::Administrator, false);  // 5: revoked
    log.grant(kMaya, log.maya.secret_key, kSam, GrantRole::Supervisor);               // 6: not applied
    const crypto::SigningKeyPair spare = crypto::generate_signing_keypair();
    log.certify(kMaya, log.maya.secret_key, kSam, "Sam Ortiz", spare.public_key);  // 7: not applied
    log.grant(kMaya, log.maya.secret_key, kMaya, GrantRole::Administrator);        // 8: not applied
    const PracticeTrust trust = log.replay();
    REQUIRE(trust.certified(kSam, log.sam.public_key));
    REQUIRE(trust.holds(kSam, GrantRole::Clinician));
    REQUIRE_FALSE(trust.holds(kMaya, GrantRole::Administrator));
    REQUIRE_FALSE(trust.holds(kSam, GrantRole::Supervisor));
    REQUIRE_FALSE(trust.certified(kSam, spare.public_key));
    REQUIRE(trust.problems.size() == 3);
    REQUIRE(mentions(trust.problems, "statement 6 "));
    REQUIRE(mentions(trust.problems, "statement 7 "));
    REQUIRE(mentions(trust.problems, "statement 8 "));
    REQUIRE(trust.last_sequence == 5);
}

TEST_CASE("even the founding administrator, once revoked, signs nothing that is applied", "[trust]") {
    Log log;
    log.admit_maya(GrantRole::Administrator);
    log.grant(kMaya, log.maya.secret_key, kAdmin, GrantRole::Administrator, false);
    log.grant(kAdmin, log.admin.secret_key, kSam, GrantRole::Clinician);
    const PracticeTrust trust = log.replay();
    REQUIRE_FALSE(trust.holds(kAdmin, GrantRole::Administrator));
    REQUIRE_FALSE(trust.holds(kSam, GrantRole::Clinician));
    // Their key stays certified: what they signed before still verifies.
    REQUIRE(trust.certified(kAdmin, log.admin.public_key));
    REQUIRE(trust.problems.size() == 1);
}

TEST_CASE("a statement for another practice is reported and not applied", "[trust]") {
    Log log;
    log.certify(kAdmin, log.admin.secret_key, kMaya, "Maya Lee", log.maya.public_key);
    SignedGrant& moved = log.grant(kAdmin, log.admin.secret_key, kMaya, GrantRole::Supervisor);
    // Signed for another practice by the same administrator (copied from there).
    moved.statement.practice_uuid = kOtherPractice;
    moved = sign_grant(moved.statement, log.admin.secret_key);
    SignedKey& key = log.certify(kAdmin, log.admin.secret_key, kSam, "Sam Ortiz", log.sam.public_key);
    key.statement.practice_uuid = kOtherPractice;
    key = sign_key_statement(key.statement, log.admin.secret_key);
    const PracticeTrust trust = log.replay();
    REQUIRE_FALSE(trust.holds(kMaya, GrantRole::Supervisor));
    REQUIRE_FALSE(trust.certified(kSam, log.sam.public_key));
    REQUIRE(trust.problems.size() == 2);
    REQUIRE(mentions(trust.problems, "statement 2 is for another practice"));
    REQUIRE(mentions(trust.problems, "statement 3 is for another practice"));
    REQUIRE(trust.last_sequence == 1);
}

TEST_CASE("a repeated sequence number is reported and its second statement not applied", "[trust]") {
    Log log;
    log.admit_maya(GrantRole::Clinician);  // 1, 2
    log.next = 2;
    log.grant(kAdmin, log.admin.secret_key, kMaya, GrantRole::Supervisor);  // 2 again, validly signed
    log.next = 1;
    log.certify(kAdmin, log.admin.secret_key, kSam, "Sam Ortiz", log.sam.public_key);  // 1 again
    const PracticeTrust trust = log.replay();
    REQUIRE(trust.holds(kMaya, GrantRole::Clinician));
    REQUIRE_FALSE(trust.holds(kMaya, GrantRole::Supervisor));
    REQUIRE_FALSE(trust.certified(kSam, log.sam.public_key));
    REQUIRE(trust.problems.size() == 2);
    REQUIRE(mentions(trust.problems, "statement 2 repeats a sequence number"));
    REQUIRE(mentions(trust.problems, "statement 1 repeats a sequence number"));
    REQUIRE(trust.last_sequence == 2);
}

TEST_CASE("a key statement that holds no public key is reported", "[trust]") {
    Log log;
    log.certify(kAdmin, log.admin.secret_key, kMaya, "Maya Lee", crypto::Bytes(16, 7));
    const PracticeTrust trust = log.replay();
    REQUIRE(trust.current_key(kMaya).empty());
    REQUIRE(mentions(trust.problems, "statement 1 (a key) does not hold a public key"));
}

TEST_CASE("statements are replayed in sequence order, whatever order they are given in", "[trust]") {
    Log log;
    log.admit_maya(GrantRole::Administrator);                       // 1, 2
    log.grant(kMaya, log.maya.secret_key, kSam, GrantRole::Coder);  // 3: Maya is an administrator
    std::vector<SignedGrant> reversed(log.grants.rbegin(), log.grants.rend());
    const PracticeTrust trust = replay_practice_log(log.root, reversed, log.keys);
    REQUIRE(trust.problems.empty());
    REQUIRE(trust.holds(kSam, GrantRole::Coder));
}
