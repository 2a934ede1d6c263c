// practice_sync.cpp: one push and pull with the practice server (rules in
// practice_sync.h). Both directions travel as case bundles in a private
// temporary folder, encrypted with a random key that never leaves this
// process: the push is a bundle of every case here (the server keeps what
// this person wrote and may write), the pull a bundle the server's rows are
// written into, merged by store::import_bundle.
#include "services/practice_sync.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <optional>
#include <string_view>

#include "core/crypto.h"
#include "core/error.h"
#include "services/open_practice.h"
#include "services/measures_internal.h"
#include "services/practice_access.h"
#include "services/practice_sync_internal.h"
#include "services/supervision.h"
#include "services/temporary_folder.h"
#include "store/bundle.h"
#include "store/keyring.h"
#include "store/practice_log.h"
#include "store/practice_marks.h"
#include "store/practice_server.h"
#include "store/repositories.h"

namespace attune::services {

std::atomic<int> observations_per_merge{20000};

namespace {

constexpr const char* kUrlKey = "practice_server.url";
// "<horizon> <where>": the server's change number this copy has merged up to,
// and which server that number is of (another server starts from 0).
constexpr const char* kPulledKey = "practice_server.pulled";
// When the last sync began, by this machine's clock (ISO 8601 UTC): rows
// changed here later are this copy's edits since then.
constexpr const char* kSyncedAtKey = "practice_server.synced_at";
constexpr const char* kPasswordInUrl =
    "a server URL with a password is not stored; put the password in ~/.pgpass (or PGPASSFILE) and give the URL "
    "without it";

std::int64_t pulled_through(store::Database& db, const std::string& where) {
    const auto value = store::read_practice_setting(db, kPulledKey);
    if (!value) return 0;
    const auto space = value->find(' ');
    if (space == std::string::npos || value->substr(space + 1) != where) return 0;
    std::int64_t n = 0;
    const auto [end, error] = std::from_chars(value->data(), value->data() + space, n);
    return error == std::errc() && end == value->data() + space && n >= 0 ? n : 0;
}

// Rows arrive naming their raters and authors by name (the bundle format), so
// the server's names must be this copy's: a person renamed there (or two
// names swapped by someone who can write the server's people) would otherwise
// put one person's coding under another's name here. Nothing is merged then.
void refuse_renamed_people(store::Database& db, const store::ServerPull& pull, const std::string& where) {
    for (const Person& here : store::PeopleRepository(db).list())
        for (const auto& [uuid, name] : pull.named)
            if ((uuid == here.uuid) != same_person_name(name, here.name))
                throw Error(Error::Kind::Invalid,
                            "the practice server (" + where + ") " +
                                (uuid == here.uuid ? "calls " + here.name + " '" + name + "'"
                                                   : "gives the name '" + name +
                                                         "' to another person than this practice does") +
                                ": nothing was received; ask the practice's administrator (names must match)");
}

// The log's statements from the server that this copy lacks, as signed
// statements of this practice (the server does not keep the practice uuid:
// a statement of another practice does not verify as this one's).
struct LogTail {
    std::vector<SignedGrant> grants;
    std::vector<SignedKey> keys;
};

std::optional<LogTail> log_tail(const std::vector<store::ServerLogEntry>& entries, const std::string& practice) {
    LogTail tail;
    for (const store::ServerLogEntry& e : entries) {
        const auto signature = crypto::from_hex(e.signature);
        if (!signature) return std::nullopt;
        if (e.kind == "key") {
            const auto key = crypto::from_hex(e.public_key);
            if (!key) return std::nullopt;
            tail.keys.push_back({{practice, e.sequence, e.person_uuid, e.person_name, *key, e.signer_uuid, e.at},
                                 *signature});
        } else {
            const auto role = parse_grant_role(e.role);
            if (!role || (e.kind != "grant" && e.kind != "revoke")) return std::nullopt;
            tail.grants.push_back(
                {{practice, e.sequence, e.kind == "grant", *role, e.person_uuid, e.signer_uuid, e.at}, *signature});
        }
    }
    return tail;
}

// Takes the statements of the practice's signed log that the server has and
// this copy lacks, only when all of them verify after this copy's own (signed
// by an administrator at that point, with a certified key, in sequence).
// Returns how many were taken; a log that does not verify is reported, not taken.
int take_practice_log(const TrustRoot& root, store::Database& db, const std::vector<store::ServerLogEntry>& entries,
                      std::vector<std::string>& problems) {
    if (entries.empty()) return 0;
    store::PracticeLogRepository repository(db);
    std::vector<SignedGrant> grants = repository.grants();
    std::vector<SignedKey> keys = repository.keys();
    const std::size_t known = replay_practice_log(root, grants, keys).problems.size();
    const std::optional<LogTail> tail = log_tail(entries, root.practice_uuid);
    if (tail) {
        grants.insert(grants.end(), tail->grants.begin(), tail->grants.end());
        keys.insert(keys.end(), tail->keys.begin(), tail->keys.end());
    }
    if (!tail || replay_practice_log(root, grants, keys).problems.size() != known) {
        problems.push_back("the practice's signed log on the server has statements from " +
                           std::to_string(entries.front().sequence) +
                           " on that do not verify after this copy's: none of them was taken (roles and keys here "
                           "are unchanged)");
        return 0;
    }
    for (const SignedKey& k : tail->keys) repository.append(k);
    for (const SignedGrant& g : tail->grants) repository.append(g);
    return static_cast<int>(entries.size());
}

}  // namespace

std::string practice_server_url(OpenPractice& practice) {
    return store::read_practice_setting(database_of(practice), kUrlKey).value_or("");
}

bool syncs_with_practice_server(OpenPractice& practice) {
    store::Database& db = database_of(practice);
    return !store::read_practice_setting(db, kUrlKey).value_or("").empty() ||
           store::read_practice_setting(db, kPulledKey).has_value();
}

void set_practice_server_url(OpenPractice& practice, const std::string& url) {
    if (!url.empty() && store::PracticeServer::url_has_password(url)) throw Error(Error::Kind::Invalid, kPasswordInUrl);
    if (url == practice_server_url(practice)) return;
    store::write_practice_setting(database_of(practice), kUrlKey, url);
}

namespace detail {

SyncRun sync_on(store::Database& db, const Person& me, const TrustRoot& root, const std::string& url,
                bool remember_url) {
    const auto server = store::PracticeServer::connect(url);
    const store::ServerLogin login = server->login();
    if (login.person_uuid != me.uuid)
        throw Error(Error::Kind::Denied,
                    "the login " + login.login + " on the practice server (" + server->where() + ") is " +
                        (login.person_uuid.empty() ? std::string("no person of this practice")
                                                   : "another person than " + me.name) +
                        ": sync with your own login (an administrator adds it with attune server add-person)");

    SyncRun run;
    SyncReport& report = run.report;
    report.where = server->where();
    TemporaryFolder folder;
    const SecretBytes key = crypto::random_secret(32);
    const SecretString raw_key = store::sqlcipher_raw_key(key);
    store::BundleEnvelope envelope;
    envelope.shown_as = "practice server";

    // Push first: what this copy committed reaches the server before the pull echoes it back.
    BundleSelection outgoing;
    outgoing.every_case = true;
    const auto pushed = folder.path() / "push.attune-db";
    // Conflicts are edits made on both sides since the last sync (its time here, its horizon there).
    const std::int64_t since = pulled_through(db, report.where);
    const std::string changed_since = since > 0 ? store::read_practice_setting(db, kSyncedAtKey).value_or("") : "";
    const std::string synced_at = now_utc_iso();
    outgoing.changed_since = changed_since;  // the first sync sends everything
    store::export_bundle(db, outgoing, pushed, raw_key.view(), {}, {}, envelope);
    const store::ServerPush push = server->push_bundle(pushed, raw_key.view(), since, changed_since);
    report.pushed = push.counts;
    // Shares and assignments made here reach the server; one taken back here
    // (its tombstone) is taken back there.
    // A supervisor's sync does so for the assignments of the cases they supervise.
    store::AccessRepository access(db);
    const store::ServerLogin who = server->login();
    std::vector<AccessRow> withdrawn = access.withdrawn_for_cases_of(me.id);
    std::vector<AccessRow> made = access.made_for_cases_of(me.id);
    if (who.supervisor) {
        const std::vector<AccessRow> taken = access.withdrawn_for_cases_supervised_by(me.id);
        const std::vector<AccessRow> given = access.made_for_cases_supervised_by(me.id);
        withdrawn.insert(withdrawn.end(), taken.begin(), taken.end());
        made.insert(made.end(), given.begin(), given.end());
    }
    report.access_withdrawn_there = server->withdraw_access(withdrawn);
    // Taken back there now (a login that sends none keeps them): a later share or
    // assignment is not taken back again.
    if (who.clinician || who.supervisor) access.forget_withdrawn(withdrawn);
    report.access_sent = server->push_access(made);

    std::vector<std::string> known;
    for (const CaseSummary& c : store::CaseRepository(db).list()) known.push_back(c.info.uuid);
    const auto pulled = folder.path() / "pull.attune-db";
    const store::ServerPull pull =
        server->pull_bundle(pulled, raw_key.view(), since, known, store::PracticeLogRepository(db).next_sequence());
    refuse_renamed_people(db, pull, report.where);
    report.received = pull.counts;
    report.horizon = pull.horizon;
    const InstrumentCatalog instruments = detail::load_instrument_catalog(db);
    envelope.instruments = &instruments;
    // A large pull merges in parts, each its own short write transaction (the
    // window's logging waits behind each); the horizon is recorded only after
    // the last, so a sync stopped between parts pulls and merges again.
    const std::vector<std::filesystem::path> parts =
        store::split_bundle(pulled, raw_key.view(), observations_per_merge.load());
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto merge_start = std::chrono::steady_clock::now();
        const BundleImportReport part = store::import_bundle(db, parts[i], raw_key.view(), {}, envelope,
                                                             store::ImportMode::Import, changed_since);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - merge_start).count();
        add_import_part(report.merged, part, i == 0);
        report.merge_seconds += seconds;
        report.merge_hold_seconds = std::max(report.merge_hold_seconds, seconds);
    }
    report.merge_parts = static_cast<int>(parts.size());
    report.merged.conflicts.insert(report.merged.conflicts.begin(), push.conflicts.begin(), push.conflicts.end());
    // After the merge: people new here are recorded by then.
    report.log_statements = take_practice_log(root, db, pull.log, report.signature_problems);
    // After the merge: the cases and sessions they name are here by then.
    // The server holds every share and assignment this login may read: one
    // given to me that it no longer holds was taken back by the case's clinician.
    const std::vector<AccessRow> on_server = server->pull_access(pull.horizon);
    report.access_added = access.add_arrived(on_server);
    report.access_withdrawn_here = access.remove_access_gone(on_server, me.id, who.clinician);
    store::write_practice_setting(db, kPulledKey, std::to_string(pull.horizon) + " " + report.where);
    store::write_practice_setting(db, kSyncedAtKey, synced_at);
    if (remember_url && url != store::read_practice_setting(db, kUrlKey).value_or("") &&
        !store::PracticeServer::url_has_password(url))
        store::write_practice_setting(db, kUrlKey, url);
    run.arrived_cases = pull.cases;
    return run;
}

std::int64_t changes_waiting(store::Database& db) {
    // What the next push selects as changed: everything until a sync has pulled.
    const bool synced = store::read_practice_setting(db, kPulledKey).has_value();
    return store::count_changed_since(db, synced ? store::read_practice_setting(db, kSyncedAtKey).value_or("") : "");
}

}  // namespace detail

SyncReport sync_with_server(OpenPractice& practice, const std::string& given_url) {
    if (!practice.has_keys()) throw Error(Error::Kind::Invalid, detail::kNoKeys);
    const std::string url = given_url.empty() ? practice_server_url(practice) : given_url;
    if (url.empty())
        throw Error(Error::Kind::Invalid,
                    "no practice server is set for this practice: give its URL once with --url (or in Settings)");
    store::Database& db = database_of(practice);
    detail::SyncRun run;
    try {
        run = detail::sync_on(db, practice.person(), PracticeAccess::trust_root(practice), url, !given_url.empty());
    } catch (const Error& e) {
        // Still one line: what it failed to send is kept here, and how much.
        std::int64_t waiting = 0;
        try {
            waiting = detail::changes_waiting(db);
        } catch (const std::exception&) {
            throw e;  // the sync's own reason stands
        }
        throw Error(e.kind(), std::string(e.what()) +
                                  (waiting == 0   ? std::string(" (no changes made here are waiting to be sent)")
                                   : waiting == 1 ? std::string(" (1 change made here is waiting to be sent)")
                                                  : " (" + std::to_string(waiting) +
                                                        " changes made here are waiting to be sent)"));
    }
    SyncReport& report = run.report;

    // Signatures are checked here, against the keys this practice certified:
    // a row changed on the server after signing shows, whoever changed it.
    // Only the cases something arrived for: a sync costs what it moved.
    for (const CaseSummary& c : store::CaseRepository(db).list()) {
        if (run.arrived_cases.count(c.info.uuid) == 0) continue;
        for (const SessionSignatureCheck& check : verify_practice(practice, c.info.label))
            if (!check.check.verified())
                report.signature_problems.push_back(check.case_info.label + ", session " +
                                                    std::to_string(check.session.number) + ": " +
                                                    signature_line(check.check));
    }
    return report;
}

}  // namespace attune::services
