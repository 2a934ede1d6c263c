// The rows of issue 16 the store keeps for the services to decide with: the
// trust root and the signed log of keys and roles (append-only), who may see
// a case, which sessions a coder codes, and other practices' keys.
#include "store/practice_log.h"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <string>
#include <vector>

#include "core/practice_trust.h"
#include "store/audit_log.h"
#include "store/database.h"
#include "store/repositories.h"
#include "store/sqlite_access.h"
#include "support/store_fixture.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::store;

namespace {

const std::string kPractice = "11111111-2222-4333-8444-555555555555";

// Dr Admin founded the practice; Maya Lee is a person the log speaks about.
struct Fixture {
    test::TempDir dir;
    test::StorePractice practice = test::open_store_practice(test::store_options(dir / "p.db"), "Dr Admin");
    Database& db = *practice.db;
    Person admin = db.actor();
    Person maya = PeopleRepository(db).find_or_create("Maya Lee");
    crypto::SigningKeyPair admin_keys = crypto::generate_signing_keypair();
    crypto::SigningKeyPair maya_keys = crypto::generate_signing_keypair();
    PracticeLogRepository log{db};

    void found() { log.set_trust_root({kPractice, admin.uuid, admin_keys.public_key}, admin.name); }
    SignedGrant grant(std::uint64_t sequence, GrantRole role, bool granted = true) {
        GrantStatement s;
        s.practice_uuid = kPractice;
        s.sequence = sequence;
        s.granted = granted;
        s.role = role;
        s.grantee_uuid = maya.uuid;
        s.granted_by_uuid = admin.uuid;
        s.at = "2026-11-22T10:00:0" + std::to_string(sequence) + "Z";
        return sign_grant(s, admin_keys.secret_key);
    }
    SignedKey certify(std::uint64_t sequence) {
        KeyStatement s;
        s.practice_uuid = kPractice;
        s.sequence = sequence;
        s.person_uuid = maya.uuid;
        s.person_name = maya.name;
        s.public_key = maya_keys.public_key;
        s.certified_by_uuid = admin.uuid;
        s.at = "2026-11-22T09:59:00Z";
        return sign_key_statement(s, admin_keys.secret_key);
    }
    int audit_rows(const std::string& action) {
        AuditFilter filter;
        filter.action = action;
        return static_cast<int>(AuditLog(db).list(filter).size());
    }
    int count(const std::string& query) { return sql_of(db).execAndGet(query).getInt(); }
};

void require_refused(SQLite::Database& sql, const std::string& statement, const std::string& because) {
    try {
        sql.exec(statement);
        FAIL("the database took: " + statement);
    } catch (const SQLite::Exception& e) {
        INFO(statement);
        CHECK(std::string(e.what()).find(because) != std::string::npos);
    }
}

}  // namespace

// [SECTION] The trust root and the log

TEST_CASE("a practice has no trust root until it is founded, then exactly the one given", "[practice-log]") {
    Fixture f;
    REQUIRE_FALSE(f.log.trust_root());
    REQUIRE(f.log.next_sequence() == 1);
    f.found();
    const auto root = f.log.trust_root();
    REQUIRE(root);
    REQUIRE(root->practice_uuid == kPractice);
    REQUIRE(root->founding_administrator_uuid == f.admin.uuid);
    REQUIRE(root->founding_administrator_key == f.admin_keys.public_key);
    AuditFilter filter;
    filter.entity = "practice";
    const auto rows = AuditLog(f.db).list(filter);
    REQUIRE(rows.size() == 1);
    REQUIRE(rows[0].detail.find("founding administrator Dr Admin, key " +
                                crypto::fingerprint(f.admin_keys.public_key)) == 0);
}

TEST_CASE("the practice's identity is written once and never changed", "[practice-log]") {
    Fixture f;
    f.found();
    const crypto::SigningKeyPair intruder = crypto::generate_signing_keypair();
    REQUIRE_THROWS_AS(f.log.set_trust_root({kPractice, f.maya.uuid, intruder.public_key}, f.maya.name), StoreError);
    SQLite::Database& sql = sql_of(f.db);
    require_refused(sql, "UPDATE practice_identity SET founding_admin_uuid = '" + f.maya.uuid + "'",
                    "cannot be changed");
    require_refused(
        sql, "UPDATE practice_identity SET founding_admin_public_key = '" + crypto::to_hex(intruder.public_key) + "'",
        "cannot be changed");
    require_refused(sql, "DELETE FROM practice_identity", "cannot be changed");
    REQUIRE(f.log.trust_root()->founding_administrator_uuid == f.admin.uuid);
    REQUIRE(f.log.trust_root()->founding_administrator_key == f.admin_keys.public_key);
}

TEST_CASE("statements come back from the log as they were signed, and still verify", "[practice-log]") {
    Fixture f;
    f.found();
    const SignedKey key = f.certify(1);
    const SignedGrant clinician = f.grant(2, GrantRole::Clinician);
    const SignedGrant revoked = f.grant(3, GrantRole::Clinician, false);
    f.log.append(key);
    REQUIRE(f.log.next_sequence() == 2);
    f.log.append(clinician);
    f.log.append(revoked);
    REQUIRE(f.log.next_sequence() == 4);

    const std::vector<SignedKey> keys = f.log.keys();
    REQUIRE(keys.size() == 1);
    REQUIRE(canonical_key_bytes(keys[0].statement) == canonical_key_bytes(key.statement));
    REQUIRE(keys[0].signature == key.signature);
    REQUIRE(verify_key_statement(keys[0], f.admin_keys.public_key));

    const std::vector<SignedGrant> grants = f.log.grants();
    REQUIRE(grants.size() == 2);
    REQUIRE(canonical_grant_bytes(grants[0].statement) == canonical_grant_bytes(clinician.statement));
    REQUIRE(canonical_grant_bytes(grants[1].statement) == canonical_grant_bytes(revoked.statement));
    REQUIRE_FALSE(grants[1].statement.granted);
    REQUIRE(grants[1].signature == revoked.signature);
    REQUIRE(verify_grant(grants[1], f.admin_keys.public_key));

    // Certifying a key records it as the person's key too.
    REQUIRE(PeopleRepository(f.db).get(f.maya.id)->public_key == crypto::to_hex(f.maya_keys.public_key));
    REQUIRE(f.audit_rows("certify") == 1);
    REQUIRE(f.audit_rows("grant") == 1);
    REQUIRE(f.audit_rows("revoke") == 1);
    REQUIRE(AuditLog(f.db).verify().ok);

    // Replayed, the log says what the statements say.
    const PracticeTrust trust = replay_practice_log(*f.log.trust_root(), grants, keys);
    REQUIRE(trust.problems.empty());
    REQUIRE(trust.certified(f.maya.uuid, f.maya_keys.public_key));
    REQUIRE_FALSE(trust.holds(f.maya.uuid, GrantRole::Clinician));
    REQUIRE(trust.last_sequence == 3);
}

TEST_CASE("the log takes no second statement with a sequence number already used", "[practice-log]") {
    Fixture f;
    f.found();
    f.log.append(f.grant(1, GrantRole::Clinician));
    REQUIRE_THROWS_AS(f.log.append(f.grant(1, GrantRole::Supervisor)), StoreError);
    REQUIRE_THROWS_AS(f.log.append(f.certify(1)), StoreError);
    REQUIRE(f.log.grants().size() == 1);
    REQUIRE(f.log.grants()[0].statement.role == GrantRole::Clinician);
    REQUIRE(f.log.keys().empty());
    // The failed key statement did not record the key either (one transaction).
    REQUIRE(PeopleRepository(f.db).get(f.maya.id)->public_key.empty());
}

TEST_CASE("the log of keys and roles is append-only", "[practice-log]") {
    Fixture f;
    f.found();
    f.log.append(f.certify(1));
    f.log.append(f.grant(2, GrantRole::Supervisor));
    SQLite::Database& sql = sql_of(f.db);
    for (const char* statement :
         {"UPDATE practice_log SET role = 'administrator' WHERE sequence = 2",
          "UPDATE practice_log SET kind = 'revoke' WHERE sequence = 2", "UPDATE practice_log SET public_key = ''",
          "UPDATE practice_log SET sequence = 7 WHERE sequence = 1", "DELETE FROM practice_log WHERE sequence = 2",
          "DELETE FROM practice_log"})
        require_refused(sql, statement, "append-only");
    REQUIRE(f.count("SELECT count(*) FROM practice_log") == 2);
    REQUIRE(f.log.grants()[0].statement.role == GrantRole::Supervisor);
    REQUIRE(f.log.grants()[0].statement.granted);
}

// [SECTION] Who may see a case, and what a coder codes

TEST_CASE("a case's supervisor is named, changed and cleared, each audited", "[practice-log][access]") {
    Fixture f;
    const Case c = test::add_couple(f.db, "Couple S");
    REQUIRE(CaseRepository(f.db).get(c.id)->supervisor_id == 0);
    AccessRepository access(f.db);
    access.set_supervisor(c.id, f.maya.id);
    REQUIRE(CaseRepository(f.db).get(c.id)->supervisor_id == f.maya.id);
    REQUIRE(CaseRepository(f.db).get(c.id)->supervisor_name == "Maya Lee");
    access.set_supervisor(c.id, 0);
    REQUIRE(CaseRepository(f.db).get(c.id)->supervisor_id == 0);
    AuditFilter filter;
    filter.entity = "case";
    filter.action = "update";
    const auto rows = AuditLog(f.db).list(filter);
    REQUIRE(rows.size() == 2);
    REQUIRE(((rows[0].detail == "supervisor=" + f.maya.uuid && rows[1].detail == "supervisor=none") ||
             (rows[1].detail == "supervisor=" + f.maya.uuid && rows[0].detail == "supervisor=none")));
    REQUIRE_THROWS_AS(access.set_supervisor(c.id + 100, f.maya.id), StoreError);
}

TEST_CASE("a case is shared with a clinician once, and unshared", "[practice-log][access]") {
    Fixture f;
    const Case one = test::add_couple(f.db, "Couple S");
    const Case two = test::add_couple(f.db, "Couple T");
    const Person sam = PeopleRepository(f.db).find_or_create("Sam Ortiz");
    AccessRepository access(f.db);
    access.share(two.id, f.maya.id);
    access.share(one.id, f.maya.id);
    access.share(one.id, f.maya.id);  // again: nothing changes
    access.share(one.id, sam.id);
    REQUIRE(access.shared_with(one.id) == std::vector<RowId>{f.maya.id, sam.id});
    REQUIRE(access.cases_shared_with(f.maya.id) == std::vector<RowId>{one.id, two.id});
    access.unshare(one.id, f.maya.id);
    REQUIRE(access.shared_with(one.id) == std::vector<RowId>{sam.id});
    REQUIRE(access.cases_shared_with(f.maya.id) == std::vector<RowId>{two.id});
    REQUIRE(f.audit_rows("share") == 4);
    REQUIRE(f.audit_rows("unshare") == 1);
    REQUIRE_THROWS_AS(access.share(one.id, 9999), StoreError);  // no such person
}

TEST_CASE("a share taken back keeps a tombstone until shared again; one the server no longer holds goes",
          "[practice-log][access]") {
    Fixture f;
    const Person sam = PeopleRepository(f.db).find_or_create("Sam Ortiz");
    CaseRepository cases(f.db);
    Case of_sam;
    of_sam.label = "Couple S";
    of_sam.clinician_id = sam.id;
    of_sam.partner_a.display_name = "Ana";
    of_sam.partner_b.display_name = "Ben";
    const Case one = cases.create(of_sam);
    Case of_maya = of_sam;
    of_maya.label = "Couple T";
    of_maya.clinician_id = f.maya.id;
    const Case two = cases.create(of_maya);
    AccessRepository access(f.db);
    access.share(one.id, f.maya.id);
    access.share(two.id, sam.id);
    REQUIRE(access.withdrawn_for_cases_of(sam.id).empty());
    access.unshare(one.id, f.maya.id);
    access.unshare(one.id, f.maya.id);  // not shared any more: no second audit row
    const std::vector<AccessRow> withdrawn{{one.uuid, "", f.maya.uuid}};
    REQUIRE(access.withdrawn_for_cases_of(sam.id) == withdrawn);
    REQUIRE(access.withdrawn_for_cases_of(f.maya.id).empty());  // a tombstone of Sam's case, not Maya's
    REQUIRE(f.audit_rows("unshare") == 1);
    access.share(one.id, f.maya.id);
    REQUIRE(access.withdrawn_for_cases_of(sam.id).empty());

    // Sam's copy hears from the server which shares with him it still holds.
    const AccessRow sam_reads_two{two.uuid, "", sam.uuid};
    const AccessRow maya_reads_one{one.uuid, "", f.maya.uuid};
    REQUIRE(access.remove_access_gone({maya_reads_one, sam_reads_two}, sam.id, true) == 0);
    REQUIRE(access.cases_shared_with(sam.id) == std::vector<RowId>{two.id});
    REQUIRE(access.remove_access_gone({maya_reads_one}, sam.id, true) == 1);
    REQUIRE(access.cases_shared_with(sam.id).empty());
    // Sam's own case's share with Maya is not his to lose by what he reads.
    REQUIRE(access.remove_access_gone({}, sam.id, true) == 0);
    REQUIRE(access.cases_shared_with(f.maya.id) == std::vector<RowId>{one.id});
    REQUIRE(f.audit_rows("unshare") == 2);
}

TEST_CASE("sessions are assigned to a coder, and only those are listed for them", "[practice-log][access]") {
    Fixture f;
    const Case c = test::add_couple(f.db, "Couple S");
    SessionRepository sessions(f.db);
    const Session first = sessions.start(c.id, "2026-11-01", "10:00", 1000.0);
    sessions.end(first.id, 600);
    const Session second = sessions.start(c.id, "2026-11-08", "10:00", 2000.0);
    const Person coder = PeopleRepository(f.db).find_or_create("Coder C", PersonRole::Coder);
    AccessRepository access(f.db);
    REQUIRE(access.sessions_assigned_to(coder.id).empty());
    access.assign_coder(second.id, coder.id);
    access.assign_coder(second.id, coder.id);
    REQUIRE(access.sessions_assigned_to(coder.id) == std::vector<RowId>{second.id});
    REQUIRE(access.sessions_assigned_to(f.maya.id).empty());
    REQUIRE(f.audit_rows("assign") == 2);
    try {
        access.assign_coder(second.id + 100, coder.id);
        FAIL("a session that does not exist was assigned");
    } catch (const StoreError& e) {
        REQUIRE(e.kind() == StoreError::Kind::NotFound);
    }
}

TEST_CASE("an assignment taken back keeps a tombstone until assigned again; one the server no longer holds goes",
          "[practice-log][access]") {
    Fixture f;
    const Case c = test::add_couple(f.db, "Couple S");
    SessionRepository sessions(f.db);
    const Session first = sessions.start(c.id, "2026-11-01", "10:00", 1000.0);
    sessions.end(first.id, 600);
    const Session second = sessions.start(c.id, "2026-11-08", "10:00", 2000.0);
    const Person coder = PeopleRepository(f.db).find_or_create("Coder C", PersonRole::Coder);
    AccessRepository access(f.db);
    access.assign_coder(first.id, coder.id);
    access.assign_coder(second.id, coder.id);
    REQUIRE(access.unassign_coder(first.id, coder.id));
    REQUIRE_FALSE(access.unassign_coder(first.id, coder.id));  // not assigned any more: nothing, no audit row
    REQUIRE(f.audit_rows("unassign") == 1);
    REQUIRE(access.sessions_assigned_to(coder.id) == std::vector<RowId>{second.id});
    const std::vector<AccessRow> withdrawn{{c.uuid, first.uuid, coder.uuid}};
    REQUIRE(access.withdrawn_for_cases_of(c.clinician_id) == withdrawn);
    access.assign_coder(first.id, coder.id);
    REQUIRE(access.withdrawn_for_cases_of(c.clinician_id).empty());

    // The coder's copy hears from the server which assignments it still holds.
    const AccessRow second_assigned{c.uuid, second.uuid, coder.uuid};
    REQUIRE(access.remove_access_gone({second_assigned}, coder.id, false) == 1);
    REQUIRE(access.sessions_assigned_to(coder.id) == std::vector<RowId>{second.id});
    REQUIRE(access.remove_access_gone({second_assigned}, coder.id, false) == 0);
    REQUIRE(f.audit_rows("unassign") == 2);
}

TEST_CASE(
    "an assignment the server held goes from every copy once it no longer holds it; one made here is sent "
    "until the server has it; a legacy one stays",
    "[practice-log][access]") {
    Fixture f;
    const Case c = test::add_couple(f.db, "Couple S");
    SessionRepository sessions(f.db);
    const Session first = sessions.start(c.id, "2026-11-01", "10:00", 1000.0);
    sessions.end(first.id, 600);
    const Session second = sessions.start(c.id, "2026-11-08", "10:00", 2000.0);
    const Person coder = PeopleRepository(f.db).find_or_create("Coder C", PersonRole::Coder);
    const Person sam = PeopleRepository(f.db).find_or_create("Sam Ortiz");
    AccessRepository access(f.db);
    access.set_supervisor(c.id, sam.id);
    const AccessRow first_row{c.uuid, first.uuid, coder.uuid};
    const AccessRow second_row{c.uuid, second.uuid, coder.uuid};
    const auto state_of = [&](const Session& s) {
        return f.count("SELECT server_state FROM coding_assignments WHERE session_id = " + std::to_string(s.id));
    };

    // Made here: the clinician's sync and the supervisor's send it, and what the server lacks never takes it.
    access.assign_coder(first.id, coder.id);
    CHECK(state_of(first) == 2);
    CHECK(access.made_for_cases_of(c.clinician_id) == std::vector<AccessRow>{first_row});
    CHECK(access.made_for_cases_supervised_by(sam.id) == std::vector<AccessRow>{first_row});
    CHECK(access.made_for_cases_supervised_by(coder.id).empty());  // not a case the coder supervises
    CHECK(access.remove_access_gone({}, sam.id, false) == 0);
    // Seen on the server: the server's now, sent by neither any more; another arrives.
    CHECK(access.add_arrived({first_row, second_row}) == 1);
    CHECK(state_of(first) == 1);
    CHECK(state_of(second) == 1);
    CHECK(access.made_for_cases_of(c.clinician_id).empty());
    CHECK(access.made_for_cases_supervised_by(sam.id).empty());
    // Taken back on the server: gone here, whoever's copy this is (the clinician's own case included).
    CHECK(access.remove_access_gone({second_row}, c.clinician_id, false) == 1);
    CHECK(access.remove_access_gone({}, sam.id, false) == 1);
    CHECK(access.sessions_assigned_to(coder.id).empty());
    CHECK(f.audit_rows("unassign") == 2);

    // Assigned again here, then taken back here: the tombstone is the supervisor's to send, once.
    access.assign_coder(first.id, coder.id);
    REQUIRE(access.unassign_coder(first.id, coder.id));
    CHECK(access.withdrawn_for_cases_supervised_by(sam.id) == std::vector<AccessRow>{first_row});
    CHECK(access.withdrawn_for_cases_of(c.clinician_id) == std::vector<AccessRow>{first_row});
    access.forget_withdrawn({first_row});
    CHECK(access.withdrawn_for_cases_supervised_by(sam.id).empty());
    CHECK(access.withdrawn_for_cases_of(c.clinician_id).empty());

    // From before migration 14 (state 0): the clinician's sync sends it, the supervisor's neither sends
    // nor drops it, and seen on the server it is the server's.
    access.assign_coder(second.id, coder.id);
    sql_of(f.db).exec("UPDATE coding_assignments SET server_state = 0");
    CHECK(access.made_for_cases_of(c.clinician_id) == std::vector<AccessRow>{second_row});
    CHECK(access.made_for_cases_supervised_by(sam.id).empty());
    CHECK(access.remove_access_gone({}, sam.id, false) == 0);
    CHECK(access.add_arrived({second_row}) == 0);
    CHECK(state_of(second) == 1);
}

// [SECTION] Other practices' keys

TEST_CASE("a known key of another practice is kept once, in the order imported", "[practice-log][known-keys]") {
    Fixture f;
    KnownKeysRepository known(f.db);
    REQUIRE(known.list().empty());
    const crypto::SigningKeyPair first = crypto::generate_signing_keypair();
    const crypto::SigningKeyPair second = crypto::generate_signing_keypair();
    const std::string other_practice = "22222222-3333-4444-8555-666666666666";
    const KnownKey sam{"c0000000-0000-4000-8000-00000000000c", "Sam Ortiz", crypto::to_hex(first.public_key),
                       other_practice};
    known.add(sam);
    known.add(sam);  // again: kept once
    // The same person with a new key (a reset in their practice) is a second entry.
    known.add({sam.person_uuid, sam.name, crypto::to_hex(second.public_key), other_practice});
    const std::vector<KnownKey> listed = known.list();
    REQUIRE(listed.size() == 2);
    REQUIRE(listed[0].person_uuid == sam.person_uuid);
    REQUIRE(listed[0].name == "Sam Ortiz");
    REQUIRE(listed[0].public_key == crypto::to_hex(first.public_key));
    REQUIRE(listed[0].practice_uuid == other_practice);
    REQUIRE(listed[1].public_key == crypto::to_hex(second.public_key));
    AuditFilter filter;
    filter.action = "import";
    filter.entity = "key";
    const auto rows = AuditLog(f.db).list(filter);
    const std::string expected = "name=Sam Ortiz key " + crypto::fingerprint(second.public_key);
    REQUIRE(std::any_of(rows.begin(), rows.end(), [&](const AuditEntry& row) { return row.detail == expected; }));
}
