// An attack on "no one can appear in the audit trail as someone else without
// that person's passphrase" (issue 16): anyone who holds the data key (every
// person who can unlock the practice) can append a row in anyone's name
// through the store and keep the hash chain whole. Rows carry their actor's
// signature, so the check finds the row that is not the administrator's.
#include "attacks/attack_fixture.h"
#include "services/audit.h"
#include "store/audit_log.h"
#include "store/database.h"

using namespace attune;
using namespace attune::test;

TEST_CASE("a clinician cannot write an audit row that shows as the administrator's and still verifies",
          "[attack][audit]") {
    const AttackedPractice p(false);
    const store::UnlockedPerson me =
        store::Keyring::load(p.keyring_path()).unlock_person("Dr Clin", SecretString(kClinicianPassphrase), kTestKdf);
    {
        const SecretString raw = store::sqlcipher_raw_key(me.data_key);
        store::OpenOptions options;
        options.path = p.path;
        options.passphrase = raw.view();
        auto db = store::Database::open(options);
        db->set_actor(p.admin);
        store::AuditLog(*db).record("export", "case", p.couple.uuid, "format=pdf out=file path=/tmp/all-notes.pdf");
    }
    auto admin = p.open_as_admin();
    AuditFilter filter;
    filter.action = "export";
    const std::vector<AuditEntry> rows = services::audit_entries(*admin, filter);
    REQUIRE(rows.size() == 1);
    REQUIRE(rows[0].actor == "Dr Test");  // the row exists, in his name
    // The promise: a row Dr Test did not write is detected.
    CHECK_FALSE(services::verify_audit_chain(*admin).ok);
}
