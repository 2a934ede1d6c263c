// practice_server.h: the store's client of a practice server (PostgreSQL 15,
// issue 21). libpqxx stays inside src/store, as SQLiteCpp does. Today it
// creates and migrates Attune's schema on the server (store/server_schema.h);
// the sync worker will add push and pull here.
//
// Every failure is a StoreError with one line saying what failed and where;
// no libpqxx exception leaves this layer, and no message carries the password
// of the URL.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/records.h"

namespace attune::store {

using StoreError = attune::Error;  // as in store/database.h

// Who a login is on the server: the person attune.person_role maps it to
// (empty: none) and the Attune group roles it is a member of.
struct ServerLogin {
    std::string login;
    std::string person_uuid;
    bool clinician = false;
    bool supervisor = false;
    bool coder = false;
    bool administrator = false;
};

// A person as the server keeps them (attune.people), and one statement of the
// practice's signed log (attune.practice_log), as add-person publishes them.
struct ServerPerson {
    std::string uuid;
    std::string name;
    std::string role;        // clinician, supervisor, coder
    std::string public_key;  // hex; certified by an administrator
};
struct ServerLogEntry {
    std::uint64_t sequence = 0;
    std::string kind;  // key, grant, revoke
    std::string role;  // for grant and revoke: clinician, supervisor, coder, administrator
    std::string person_uuid;
    std::string person_name;  // for key
    std::string public_key;   // for key, hex
    std::string signer_uuid;
    std::string at;
    std::string signature;  // hex
};
// A login role for one person, and what it is a member of.
struct ServerLoginRequest {
    std::string login;      // the PostgreSQL role name
    std::string person_uuid;
    std::vector<std::string> groups;  // attune_clinician, attune_supervisor, attune_coder, attune_admin
};

// What one push did (push_bundle).
struct ServerPush {
    BundleCounts counts;                 // rows created or changed on the server
    std::vector<std::string> conflicts;  // rows changed on both sides since the last sync, this side's kept
};

// What one pull handed out (pull_bundle).
struct ServerPull {
    std::int64_t horizon = 0;  // pass as `since` next time
    BundleCounts counts;       // rows written into the bundle, per kind
    int people = 0;
    std::set<std::string> cases;  // uuids of the cases the rows belong to
    // The people as the server names them (uuid, name): the bundle's rows name
    // raters and authors by name, so a name the server gives another uuid
    // than this copy does must stop the merge (sync_with_server checks).
    std::vector<std::pair<std::string, std::string>> named;
    // The practice's signed log from `log_from` on (sequence order), to be
    // verified before a copy takes any of it.
    std::vector<ServerLogEntry> log;
};

// Versions of attune.attune_schema_version before and after a migration
// (0: the database had no Attune schema).
struct ServerSchemaChange {
    int before = 0;
    int after = 0;
};

class PracticeServer {
public:
    // Connects to `url`: a libpq connection URI (postgresql://role@host:port/db)
    // or a key=value string. Gives up after 10 s unless the URL sets
    // connect_timeout. Throws StoreError: Invalid when libpq cannot read the
    // URL, Io when the server cannot be reached or refuses the login.
    static std::unique_ptr<PracticeServer> connect(const std::string& url);
    ~PracticeServer();
    PracticeServer(const PracticeServer&) = delete;
    PracticeServer& operator=(const PracticeServer&) = delete;

    // True when `url` carries a password (such a URL is never stored).
    // Throws StoreError Invalid when libpq cannot read it.
    static bool url_has_password(const std::string& url);

    // Which database on which server, for messages, e.g. `database "practice"
    // on db.example.org, port 5432`. Never the password.
    const std::string& where() const;

    // The newest schema version this Attune knows (its last migration's).
    static int known_schema_version();
    // The server's schema version; 0 when the database has no Attune schema.
    // Throws StoreError: NotAttune for a schema `attune` that Attune did not
    // make, Denied when this role cannot read the version (it is not the
    // schema's owner), Io when the connection is lost.
    int schema_version();

    // Applies the migrations the server lacks, each with its version row in one
    // transaction, under a lock so that two of these at once apply each
    // migration once. Changes nothing when the schema is already the newest.
    // Throws StoreError: NewerSchema when the server's schema is newer than
    // this Attune, Denied when the role may not create or change it (it needs
    // CREATEROLE and CREATE on the database), Io otherwise. A migration that
    // fails is rolled back whole; those before it stay applied.
    ServerSchemaChange migrate_schema();

    // [SECTION] People (server_people.cpp)

    // In one transaction, as the schema's owner (CREATEROLE): stores or
    // updates `people`, appends the log statements the server lacks (by
    // practice and sequence), creates the login role (or sets its password
    // again) with `password` sent only as a SCRAM-SHA-256 verifier computed
    // here, makes it a member of exactly `login.groups` among Attune's
    // groups, and maps it to its person. Throws StoreError: Denied when this
    // role may not create roles or is not the schema's owner, Invalid when
    // the login is already another person's, Io otherwise.
    // `key_slot` (keyring text holding the person's slot alone,
    // Keyring::person_json) is stored as their key slot (migration 2), which
    // only their login and administrators read; empty: left as it is.
    void publish_person(const std::string& practice_uuid, const std::vector<ServerPerson>& people,
                        const std::vector<ServerLogEntry>& log, const ServerLoginRequest& login,
                        std::string_view password, const std::string& key_slot = "");

    // This login's own key slot as add-person published it (keyring text);
    // empty when there is none. Reading it is audited on the server (action
    // 'key_slot_read'), in the same transaction. Throws StoreError: Denied
    // when the login is no person of the practice, Io otherwise.
    std::string own_key_slot();
    // The practice's people as the server keeps them, by name.
    std::vector<ServerPerson> people();

    // [SECTION] Sync (server_sync.cpp). Rows travel as case bundles
    // (store/bundle.h), so that the one bundle merge serves both.

    // This login's person and roles. Throws StoreError Io.
    ServerLogin login();

    // Sends the rows of `bundle` (a bundle file export_bundle wrote, opened
    // with `key`) that this login's person wrote and may write: cases they
    // are the clinician of, with their partners, sessions and progress notes;
    // their own coding, signatures, addenda and comments. Rows are matched by
    // uuid (derived from their natural key for partners, notes, signatures,
    // addenda and comments) and merged as bundles are: a missing row is
    // created, a row is changed only by a newer updated_at, signatures,
    // addenda and comments are never changed. So sending the same bundle again
    // changes nothing. One transaction: all of it or none. A row changed
    // here after `changed_since` (the last sync's time, ISO 8601; empty: not
    // checked) that replaces one changed on the server after `since` (the
    // last pull's horizon) is reported as a conflict. Throws StoreError: Denied when the
    // server refuses a row (row-level security, a sealed session), Invalid
    // when a row names a person the server does not have, Io otherwise.
    ServerPush push_bundle(const std::filesystem::path& bundle, std::string_view key, std::int64_t since = 0,
                           const std::string& changed_since = "");

    // Writes a new bundle file `out` (key `key`) holding every row this login
    // may read whose change_seq is above `since`, and every row of the cases
    // not in `known_cases` (uuids this copy has: a case shared with them or
    // given to their supervision later arrives whole). Records one pull row
    // per table in the server's audit (attune.record_pull). Rows above the
    // returned horizon may come again next time: the merge makes that harmless.
    ServerPull pull_bundle(const std::filesystem::path& out, std::string_view key, std::int64_t since,
                           const std::vector<std::string>& known_cases, std::uint64_t log_from = 1);

    // Sends the shares and coder assignments this login's person made (of
    // cases they are the clinician of on the server; assignments also of
    // cases they supervise) that the server lacks; rows naming a person or
    // session the server does not have are left out. Add-only: nothing is
    // removed. Returns how many were new there. Nothing for a login that is
    // neither clinician nor supervisor.
    int push_access(const std::vector<AccessRow>& made);
    // Every share and coder assignment this login may read (its own, those of
    // its cases), recorded in the server's audit (attune.record_pull) with
    // `horizon`, the pull's.
    std::vector<AccessRow> pull_access(std::int64_t horizon);
    // Takes back on the server the shares and coder assignments of
    // `withdrawn` (taken back in this person's copy): the shares this login
    // granted and the assignments of the cases it works on or supervises, each with a row in
    // the server's audit (action 'unshare' or 'unassign'). Returns how many
    // were there to take back.
    int withdraw_access(const std::vector<AccessRow>& withdrawn);

private:
    struct Impl;
    explicit PracticeServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace attune::store
