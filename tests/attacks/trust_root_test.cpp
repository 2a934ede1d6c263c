// An attack on the trust root itself: everyone who can unlock a practice holds
// its data key, and the database's record of the founding administrator
// (practice_identity) and the log of keys and roles are rows of the file. A
// clinician rewrites them with her own key as the "founding administrator",
// signs the whole log again and certifies a key of her choosing for the
// supervisor, with a key slot for it.
//
// What holds (store/keyring.h): every key slot carries the trust root in its
// associated data, and sign-in replays the log from the root in the person's
// OWN slot. So:
// - a forged supervisor slot written with the true root cannot sign in (the
//   log she signed is not the founding administrator's);
// - one written with her own root signs in (she holds the data key: on her
//   own computer she can make the file say anything), but what it signs
//   verifies for nobody else, and the administrator's check reports the
//   changed record and every statement she signed.
#include <algorithm>

#include "attacks/attack_fixture.h"
#include "core/practice_trust.h"
#include "services/maintenance.h"
#include "store/database.h"
#include "store/practice_log.h"
#include "store/repositories.h"

using namespace attune;
using namespace attune::test;

namespace {

// The triggers that make the identity and the log append-only, as migration 4 wrote them.
std::string append_only_triggers() {
    return "CREATE TRIGGER practice_identity_no_update BEFORE UPDATE ON practice_identity "
           "BEGIN SELECT RAISE(ABORT, 'the practice''s identity cannot be changed'); END; "
           "CREATE TRIGGER practice_log_no_delete BEFORE DELETE ON practice_log "
           "BEGIN SELECT RAISE(ABORT, 'the practice''s log of keys and roles is append-only'); END;";
}

// The attack up to the forged slot: the identity and log rewritten, her key
// certified for the supervisor; returns the forged slot's public key.
crypto::Bytes rewrite_the_trust_root(const AttackedPractice& p, const store::UnlockedPerson& me,
                                     const TrustRoot& root_in_forged_slot) {
    const SecretString raw = store::sqlcipher_raw_key(me.data_key);
    store::OpenOptions options;
    options.path = p.path;
    options.passphrase = raw.view();

    // 1. What the log says now.
    std::vector<SignedGrant> grants;
    std::vector<SignedKey> keys;
    {
        auto db = store::Database::open(options);
        store::PracticeLogRepository log(*db);
        grants = log.grants();
        keys = log.keys();
    }
    REQUIRE(keys.size() == 5);    // Dr Test, the recovery identity, Dr Super, Dr Clin, Coder C
    REQUIRE(grants.size() == 6);  // each one role, Dr Test two more (administrator, clinician)

    // 2. A slot of her making for the supervisor.
    store::Keyring keyring = store::Keyring::load(p.keyring_path());
    const store::KeySlot forged = keyring.reset_person({p.supervisor.uuid, p.supervisor.name},
                                                       SecretString("forged passphrase"), me.data_key,
                                                       root_in_forged_slot, kTestKdf);
    keyring.save(p.keyring_path());

    // 3. Herself as the founding administrator, the log emptied, the triggers put back as they were.
    edit_behind_attunes_back(p.path, std::string(raw.view()),
                             "DROP TRIGGER practice_identity_no_update; DROP TRIGGER practice_log_no_delete; "
                             "DELETE FROM practice_log; UPDATE practice_identity SET founding_admin_uuid = '" +
                                 p.clinician.uuid + "', founding_admin_public_key = '" + crypto::to_hex(me.public_key) +
                                 "'; " + append_only_triggers());

    // 4. Every statement again, same sequence and content, signed by her; then her key for the supervisor.
    auto db = store::Database::open(options);
    db->set_actor(p.admin);  // the audit rows name Dr Test
    store::PracticeLogRepository log(*db);
    std::uint64_t last = 0;
    for (SignedKey k : keys) {
        k.statement.certified_by_uuid = p.clinician.uuid;
        log.append(sign_key_statement(k.statement, me.signing_key));
        last = std::max(last, k.statement.sequence);
    }
    for (SignedGrant g : grants) {
        g.statement.granted_by_uuid = p.clinician.uuid;
        log.append(sign_grant(g.statement, me.signing_key));
        last = std::max(last, g.statement.sequence);
    }
    KeyStatement s;
    s.practice_uuid = log.trust_root()->practice_uuid;
    s.sequence = last + 1;
    s.person_uuid = p.supervisor.uuid;
    s.person_name = p.supervisor.name;
    s.public_key = forged.public_key;
    s.certified_by_uuid = p.clinician.uuid;
    s.at = now_utc_iso();
    log.append(sign_key_statement(s, me.signing_key));
    return forged.public_key;
}

store::UnlockedPerson clinicians_slot(const AttackedPractice& p) {
    return store::Keyring::load(p.keyring_path())
        .unlock_person("Dr Clin", SecretString(kClinicianPassphrase), kTestKdf);
}

}  // namespace

TEST_CASE("a forged supervisor slot that keeps the true trust root cannot sign in after the log is rewritten",
          "[attack][trust-root]") {
    const AttackedPractice p(false);
    const store::UnlockedPerson me = clinicians_slot(p);
    rewrite_the_trust_root(p, me, me.trust_root);  // her own slot's root: the founding administrator's
    try {
        open_practice(p.path, "forged passphrase", "Dr Super");
        FAIL("signed in as the supervisor");
    } catch (const Error& e) {
        INFO(e.what());
        CHECK(e.kind() == Error::Kind::WrongPassphrase);
        CHECK(std::string(e.what()).find("is not the one an administrator certified") != std::string::npos);
    }
}

TEST_CASE("a co-signature made under a rewritten trust root verifies for nobody else, and the check reports it",
          "[attack][trust-root]") {
    const AttackedPractice p(false);
    const store::UnlockedPerson me = clinicians_slot(p);
    const TrustRoot hers{me.trust_root.practice_uuid, p.clinician.uuid, me.public_key};
    const crypto::Bytes forged_key = rewrite_the_trust_root(p, me, hers);

    // In the world she made, her slot for the supervisor signs in and co-signs.
    {
        auto as_supervisor = open_practice(p.path, "forged passphrase", "Dr Super");
        REQUIRE(as_supervisor->person().uuid == p.supervisor.uuid);
        services::cosign_session(*as_supervisor, p.session.id);
    }

    // The administrator's slot carries the true root: the co-signature is not the supervisor's.
    auto admin = p.open_as_admin();
    const std::vector<services::SignatureCheck> checks = services::verify_signatures(*admin, p.session.id);
    REQUIRE(checks.size() == 2);
    for (const services::SignatureCheck& check : checks) {
        INFO(check.reason);
        if (check.signature.role == SignatureRole::Cosign)
            CHECK(check.status == services::SignatureCheck::Status::NotTheirKey);
        else
            CHECK(check.verified());  // Dr Test's own signature stands
    }
    CHECK_FALSE(admin->trust().certified(p.supervisor.uuid, forged_key));
    // Nothing she signed is believed: the supervisor's grant went with the true log.
    CHECK_FALSE(admin->trust().holds(p.supervisor.uuid, GrantRole::Supervisor));
    CHECK_FALSE(admin->trust().holds(p.clinician.uuid, GrantRole::Administrator));

    // The administrator is told on opening, and the check fails naming the changed record.
    const std::vector<std::string> notices = admin->notices();
    CHECK(std::any_of(notices.begin(), notices.end(), [](const std::string& n) {
        return n.find("record of its founding administrator differs") != std::string::npos;
    }));
    const HealthReport health = services::check_health(*admin);
    CHECK_FALSE(health.ok());
    CHECK(std::any_of(health.trust_problems.begin(), health.trust_problems.end(), [](const std::string& n) {
        return n.find("record of its founding administrator differs") != std::string::npos;
    }));
    CHECK(health.trust_problems.size() == 13);  // the changed record and her 12 statements
}
