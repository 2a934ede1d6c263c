#include "core/grants.h"

#include <catch2/catch_test_macros.hpp>
#include <string>
#include <vector>

using namespace attune;

namespace {

const std::string kPractice = "11111111-2222-4333-8444-555555555555";
const std::string kAdmin = "a0000000-0000-4000-8000-00000000000a";
const std::string kMaya = "b0000000-0000-4000-8000-00000000000b";
const std::string kSam = "c0000000-0000-4000-8000-00000000000c";

struct People {
    crypto::SigningKeyPair admin = crypto::generate_signing_keypair();
    crypto::SigningKeyPair maya = crypto::generate_signing_keypair();
    crypto::SigningKeyPair sam = crypto::generate_signing_keypair();
    PublicKeyDirectory keys{{kAdmin, {admin.public_key}}, {kMaya, {maya.public_key}}, {kSam, {sam.public_key}}};
    std::uint64_t next = 1;

    SignedGrant statement(const std::string& by, const SecretBytes& key, const std::string& grantee, GrantRole role,
                          bool granted = true) {
        GrantStatement s;
        s.practice_uuid = kPractice;
        s.sequence = next++;
        s.granted = granted;
        s.role = role;
        s.grantee_uuid = grantee;
        s.granted_by_uuid = by;
        s.at = "2026-11-22T10:00:00Z";
        return sign_grant(s, key);
    }
    SignedGrant by_admin(const std::string& grantee, GrantRole role, bool granted = true) {
        return statement(kAdmin, admin.secret_key, grantee, role, granted);
    }
    RoleReplay replay(const std::vector<SignedGrant>& statements) const {
        return replay_grants(kPractice, kAdmin, statements, keys);
    }
};

}  // namespace

TEST_CASE("the founding administrator is an administrator before any statement", "[grants]") {
    const People p;
    const RoleReplay replay = p.replay({});
    REQUIRE(replay.holds(kAdmin, GrantRole::Administrator));
    REQUIRE_FALSE(replay.holds(kMaya, GrantRole::Clinician));
    REQUIRE(replay.problems.empty());
}

TEST_CASE("a role granted by an administrator's signed statement is held", "[grants]") {
    People p;
    const SignedGrant grant = p.by_admin(kMaya, GrantRole::Clinician);
    REQUIRE(verify_grant(grant, p.admin.public_key));
    const RoleReplay replay = p.replay({grant});
    REQUIRE(replay.holds(kMaya, GrantRole::Clinician));
    REQUIRE_FALSE(replay.holds(kMaya, GrantRole::Supervisor));
    REQUIRE(replay.problems.empty());
}

TEST_CASE("a statement changed after signing does not verify and grants nothing", "[grants]") {
    People p;
    SignedGrant grant = p.by_admin(kMaya, GrantRole::Clinician);
    grant.statement.role = GrantRole::Administrator;
    REQUIRE_FALSE(verify_grant(grant, p.admin.public_key));
    const RoleReplay replay = p.replay({grant});
    REQUIRE_FALSE(replay.holds(kMaya, GrantRole::Administrator));
    REQUIRE_FALSE(replay.holds(kMaya, GrantRole::Clinician));
    REQUIRE(replay.problems.size() == 1);
    REQUIRE(replay.problems[0].index == 0);
    REQUIRE(replay.problems[0].reason.find("does not match its signature") != std::string::npos);

    SignedGrant other_grantee = p.by_admin(kMaya, GrantRole::Supervisor);
    other_grantee.statement.grantee_uuid = kSam;
    REQUIRE_FALSE(verify_grant(other_grantee, p.admin.public_key));
}

TEST_CASE("a statement signed by someone who is not an administrator is rejected", "[grants]") {
    People p;
    const SignedGrant clinician = p.by_admin(kMaya, GrantRole::Clinician);
    const SignedGrant by_maya = p.statement(kMaya, p.maya.secret_key, kSam, GrantRole::Supervisor);
    REQUIRE(verify_grant(by_maya, p.maya.public_key));  // a good signature, but not an administrator's
    const RoleReplay replay = p.replay({clinician, by_maya});
    REQUIRE_FALSE(replay.holds(kSam, GrantRole::Supervisor));
    REQUIRE(replay.problems.size() == 1);
    REQUIRE(replay.problems[0].index == 1);
    REQUIRE(replay.problems[0].reason.find("not an administrator") != std::string::npos);
}

TEST_CASE("a role granted to oneself by a non-administrator never counts", "[grants]") {
    People p;
    const SignedGrant self_admin = p.statement(kMaya, p.maya.secret_key, kMaya, GrantRole::Administrator);
    const SignedGrant then_grants = p.statement(kMaya, p.maya.secret_key, kSam, GrantRole::Supervisor);
    const RoleReplay replay = p.replay({self_admin, then_grants});
    REQUIRE_FALSE(replay.holds(kMaya, GrantRole::Administrator));
    REQUIRE_FALSE(replay.holds(kSam, GrantRole::Supervisor));
    REQUIRE(replay.problems.size() == 2);
}

TEST_CASE("a statement claiming an administrator but signed with another key is rejected", "[grants]") {
    People p;
    const SignedGrant forged = p.statement(kAdmin, p.maya.secret_key, kMaya, GrantRole::Administrator);
    const RoleReplay replay = p.replay({forged});
    REQUIRE_FALSE(replay.holds(kMaya, GrantRole::Administrator));
    REQUIRE(replay.problems.size() == 1);
}

TEST_CASE("a revoke after a grant removes the role", "[grants]") {
    People p;
    const SignedGrant grant = p.by_admin(kSam, GrantRole::Supervisor);
    const SignedGrant clinician = p.by_admin(kSam, GrantRole::Clinician);
    const SignedGrant revoke = p.by_admin(kSam, GrantRole::Supervisor, false);
    const RoleReplay replay = p.replay({grant, clinician, revoke});
    REQUIRE_FALSE(replay.holds(kSam, GrantRole::Supervisor));
    REQUIRE(replay.holds(kSam, GrantRole::Clinician));
    REQUIRE(replay.problems.empty());
}

TEST_CASE("an administrator made by a grant can grant, and cannot once revoked", "[grants]") {
    People p;
    const SignedGrant make_admin = p.by_admin(kMaya, GrantRole::Administrator);
    const SignedGrant maya_grants = p.statement(kMaya, p.maya.secret_key, kSam, GrantRole::Coder);
    const SignedGrant revoke_admin = p.by_admin(kMaya, GrantRole::Administrator, false);
    const SignedGrant maya_again = p.statement(kMaya, p.maya.secret_key, kSam, GrantRole::Supervisor);
    const RoleReplay replay = p.replay({make_admin, maya_grants, revoke_admin, maya_again});
    REQUIRE(replay.holds(kSam, GrantRole::Coder));
    REQUIRE_FALSE(replay.holds(kSam, GrantRole::Supervisor));
    REQUIRE(replay.problems.size() == 1);
    REQUIRE(replay.problems[0].index == 3);
}

TEST_CASE("a statement signed with a person's earlier key still verifies", "[grants]") {
    People p;
    const crypto::SigningKeyPair earlier = crypto::generate_signing_keypair();
    p.keys[kAdmin].insert(p.keys[kAdmin].begin(), earlier.public_key);
    const SignedGrant old_grant = p.statement(kAdmin, earlier.secret_key, kMaya, GrantRole::Clinician);
    REQUIRE(p.replay({old_grant}).holds(kMaya, GrantRole::Clinician));
}

TEST_CASE("a statement from another practice, a replay and a gap are reported", "[grants]") {
    People p;
    SignedGrant other_practice = p.by_admin(kMaya, GrantRole::Clinician);
    other_practice.statement.practice_uuid = "99999999-2222-4333-8444-555555555555";
    other_practice = sign_grant(other_practice.statement, p.admin.secret_key);
    REQUIRE(p.replay({other_practice}).problems.size() == 1);
    REQUIRE_FALSE(p.replay({other_practice}).holds(kMaya, GrantRole::Clinician));

    People q;
    const SignedGrant grant = q.by_admin(kMaya, GrantRole::Clinician);
    const SignedGrant revoke = q.by_admin(kMaya, GrantRole::Clinician, false);
    // Replaying the grant after its revoke would give the role back: refused.
    const RoleReplay replayed = q.replay({grant, revoke, grant});
    REQUIRE_FALSE(replayed.holds(kMaya, GrantRole::Clinician));
    REQUIRE(replayed.problems.size() == 1);
    REQUIRE(replayed.problems[0].index == 2);

    // Statement 2 (the revoke) removed from the list: the gap is reported.
    People r;
    const SignedGrant first = r.by_admin(kMaya, GrantRole::Clinician);
    r.by_admin(kMaya, GrantRole::Clinician, false);
    const SignedGrant third = r.by_admin(kSam, GrantRole::Coder);
    const RoleReplay gap = r.replay({first, third});
    REQUIRE(gap.holds(kSam, GrantRole::Coder));
    REQUIRE(gap.problems.size() == 1);
    REQUIRE(gap.problems[0].reason == "role statement 2 is missing");
}

TEST_CASE("roles have stable names that parse back", "[grants]") {
    for (GrantRole role : {GrantRole::Clinician, GrantRole::Supervisor, GrantRole::Coder, GrantRole::Administrator})
        REQUIRE(parse_grant_role(to_string(role)) == role);
    REQUIRE(to_string(GrantRole::Administrator) == "administrator");
    REQUIRE_FALSE(parse_grant_role("Administrator").has_value());
}

TEST_CASE("a grant's canonical bytes begin with the domain tag", "[grants]") {
    GrantStatement s;
    s.practice_uuid = kPractice;
    const std::string bytes = canonical_grant_bytes(s);
    REQUIRE(bytes.substr(0, 19) == std::string("\0\0\0\x0f"
                                               "attune-grant-v1",
                                               19));
}
