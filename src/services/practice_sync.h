// practice_sync.h: one push and pull between this practice file and the
// practice's PostgreSQL server (issue 21), as `attune sync` and the window's
// background sync use it. Local first: everything is committed here before
// it is sent, and what arrives is merged by the case-bundle rules
// (store/bundle.h), one implementation for both: a row is matched by uuid,
// a newer edit wins, a conflicting edit is reported and this copy's version
// kept, a signed note is never changed. Private process notes never leave
// this machine.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "core/records.h"

namespace attune::services {

class OpenPractice;

struct SyncReport {
    std::string where;               // which server, without the password
    BundleCounts pushed;             // rows created or changed on the server
    BundleCounts received;           // rows the server handed out since the last sync
    BundleImportReport merged;       // what they created and changed here, and the conflicts
    std::int64_t horizon = 0;        // the server's change number this copy is now in step with
    // Signatures of sessions that arrived, that do not verify here
    // ("Couple 7, session 3: signed by Maya Lee — changed after signing").
    std::vector<std::string> signature_problems;
    // Statements of the practice's signed log (keys, roles) taken from the
    // server; a log that does not verify is one of signature_problems instead.
    int log_statements = 0;
    // Shares of cases and sessions given to coders: sent to the server (new
    // there), and new here.
    int access_sent = 0;
    int access_added = 0;
    // Shares and coder assignments taken back: here, and so on the server
    // (there); on the server, and so here.
    int access_withdrawn_there = 0;
    int access_withdrawn_here = 0;
    // Wall seconds of the merge into this copy, and of its longest write
    // transaction: every other writer of the file (the window's logging) waits
    // behind one for up to the database's busy timeout (2 s) before it queues
    // its write. A large pull merges in parts (the store's split_bundle), each its
    // own transaction.
    double merge_seconds = 0;
    double merge_hold_seconds = 0;
    int merge_parts = 0;
    bool changed_here() const { return merged.created.total() + merged.updated.total() > 0; }
};

// Observations a sync merges in one write transaction: a larger pull merges
// in parts, each its own transaction (the store's split_bundle), so that the
// window's logging never waits behind a whole first pull (at the medium size
// of BENCHMARKS.md no part held the file for more than 1.2 s on a 2-core
// machine). Tests set it lower.
extern std::atomic<int> observations_per_merge;

// The server's URL this practice syncs with (set by the first sync with
// --url, or in Settings); empty when none. Never holds a password.
std::string practice_server_url(OpenPractice& practice);
// Sets (empty: forgets) the server this practice syncs with, as Settings
// does. Throws attune::Error Invalid, nothing stored, for a URL holding a
// password ("... put the password in ~/.pgpass ...") or one libpq cannot read.
void set_practice_server_url(OpenPractice& practice, const std::string& url);
// This copy syncs with a practice server: one is set, or a sync (or the join
// that made the copy) has pulled from one.
bool syncs_with_practice_server(OpenPractice& practice);

// Pushes what this copy has and pulls what the person signed in may see, in
// that order, then checks the signatures of what arrived. `url` empty: the
// one stored (Invalid when none). The URL names the person's own login role
// (postgresql://ROLE@HOST/DB; its password from ~/.pgpass, PGPASSFILE or the
// URL). Throws attune::Error, one line, with nothing changed here: Io when
// the server cannot be reached, Denied when it refuses the login or a row,
// or the login is another person's, Invalid when the practice has no keys.
// Once a server was tried, the line ends with the changes made here that wait
// for the next sync: "(14 changes made here are waiting to be sent)".
SyncReport sync_with_server(OpenPractice& practice, const std::string& url = "");

}  // namespace attune::services
