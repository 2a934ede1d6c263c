// practice_log.h: the trust root and the signed log of keys and roles
// (core/practice_trust.h), who may see a case (its supervisor, the clinicians
// it is shared with) and which sessions a coder codes. The store keeps these
// rows; the services decide with them who may do what.
#pragma once

#include "core/practice_trust.h"
#include "store/database.h"

#include <optional>
#include <string>
#include <vector>

namespace attune::store {

class PracticeLogRepository {
public:
    explicit PracticeLogRepository(Database& db) : db_(db) {}

    // The trust root; none before the practice had people with keys.
    std::optional<TrustRoot> trust_root() const;
    // Once, when the practice gets its founding administrator. Audited.
    void set_trust_root(const TrustRoot& root, const std::string& founding_admin_name);

    std::vector<SignedGrant> grants() const;
    std::vector<SignedKey> keys() const;
    // The next free sequence number of the log.
    std::uint64_t next_sequence() const;
    // Appends a signed statement (the caller signed it). Audited.
    void append(const SignedGrant& grant);
    void append(const SignedKey& key);

private:
    Database& db_;
};

// A key of a person of another practice, kept to verify their signatures.
struct KnownKey {
    std::string person_uuid;
    std::string name;
    std::string public_key;  // hex
    std::string practice_uuid;
};

class KnownKeysRepository {
public:
    explicit KnownKeysRepository(Database& db) : db_(db) {}
    // Keeps it (again: nothing changes). Audited.
    void add(const KnownKey& key);
    std::vector<KnownKey> list() const;

private:
    Database& db_;
};

class AccessRepository {
public:
    explicit AccessRepository(Database& db) : db_(db) {}

    // 0 clears it. Audited.
    void set_supervisor(RowId case_id, RowId person_id);
    void share(RowId case_id, RowId person_id);
    void unshare(RowId case_id, RowId person_id);
    std::vector<RowId> shared_with(RowId case_id) const;
    // Every case shared with the person.
    std::vector<RowId> cases_shared_with(RowId person_id) const;

    void assign_coder(RowId session_id, RowId person_id);
    // Takes the assignment back, keeping a tombstone for the next sync (as
    // unshare does); false when the session was not assigned to the person.
    bool unassign_coder(RowId session_id, RowId person_id);
    // Sessions assigned to the person for coding.
    std::vector<RowId> sessions_assigned_to(RowId person_id) const;
    // The people the session is assigned to for coding, by id.
    std::vector<RowId> coders_of(RowId session_id) const;

    // [SECTION] With the practice server (issue 21)
    // The shares and coder assignments of the cases whose clinician is
    // `clinician_id` that their sync sends: every share, and the assignments
    // not yet on the server (one the server held and no longer holds was
    // taken back there, by them or the case's supervisor, and goes here too).
    std::vector<AccessRow> made_for_cases_of(RowId clinician_id) const;
    // Adds the rows that are not here yet and whose case (or session) and
    // person are, in one transaction, each audited ("share" or "assign", from
    // the practice server); returns how many were added. An assignment made
    // here that is among them is marked as the server's from now on.
    int add_arrived(const std::vector<AccessRow>& rows);
    // The shares and coder assignments of the clinician's cases taken back
    // here (unshare, unassign), which their sync takes back on the server
    // too; sharing or assigning again forgets one.
    std::vector<AccessRow> withdrawn_for_cases_of(RowId clinician_id) const;
    // What a supervisor's sync sends and takes back: the coder assignments
    // of the sessions of cases `supervisor_id` supervises (and does not
    // treat) made in this copy and not yet on the server, and those taken
    // back here.
    std::vector<AccessRow> made_for_cases_supervised_by(RowId supervisor_id) const;
    std::vector<AccessRow> withdrawn_for_cases_supervised_by(RowId supervisor_id) const;
    // Forgets the tombstones of `rows` once the server has taken them back
    // too: a later share or assignment, by anyone, is not taken back again.
    void forget_withdrawn(const std::vector<AccessRow>& rows);
    // Removes what `on_server` (every share and assignment the server lets
    // the person read) no longer holds: for cases that are not `person_id`'s,
    // the shares with them (when `shares`: only a clinician's login reads
    // shares) and the sessions assigned to them; and, of any case, the
    // assignments the server held (one made here and never sent stays). The
    // case's clinician or supervisor took them back, or the person no longer
    // reads the case. Each is audited ("unshare", "unassign", by the
    // practice server); returns how many.
    int remove_access_gone(const std::vector<AccessRow>& on_server, RowId person_id, bool shares);

private:
    Database& db_;
};

}  // namespace attune::store
