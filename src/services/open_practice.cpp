// open_practice.cpp: the one owner of an open practice (see the header).
//
// [SECTION] The practice's state
// [SECTION] Statements in the practice's log
// [SECTION] Creating a practice
// [SECTION] Converting a practice of an earlier Attune
// [SECTION] Sign-ins in the audit trail
// [SECTION] Rows of a read-only open, and the audit checkpoint
// [SECTION] Opening and signing in
// [SECTION] Who is signed in
// [SECTION] Keys
// [SECTION] Locking and workers
// [SECTION] Schemes and names
#include "services/open_practice.h"

#include "formats/text_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

#include "core/dates.h"
#include "core/scheme_json.h"
#include "core/uuid.h"
#include "services/audit_checkpoint.h"
#include "services/background_sync.h"
#include "services/backups.h"
#include "services/caseload_summaries.h"
#include "services/paths.h"
#include "services/practice_access.h"
#include "services/trust_internal.h"
#include "store/audit_log.h"
#include "store/backup.h"
#include "store/keyring.h"
#include "store/practice_log.h"
#include "store/repositories.h"
#include "store/security.h"

namespace attune::services {
namespace fs = std::filesystem;

// [SECTION] The practice's state

struct OpenPractice::Impl {
    fs::path path;
    bool read_only = false;
    mutable std::mutex key_mutex;  // worker threads open connections with the key
    KeyMaterial key;               // SQLCipher's raw key x'…' (empty for a plaintext practice)
    SecretBytes data_key;          // the same key as bytes (for new key slots)
    SecretBytes signing_key;       // the signed-in person's Ed25519 secret key (empty without keys)
    crypto::Bytes public_key;
    std::optional<store::Keyring> keyring;
    crypto::KdfLimits kdf = crypto::kKdfModerate;
    crypto::KdfLimits kdf_minimum = crypto::kKdfModerate;
    std::string practice_uuid;
    // The trust root as the signed-in person's own key slot authenticates it
    // (store/keyring.h); absent in a plaintext practice.
    std::optional<TrustRoot> root;
    bool recovery = false;
    KeyMaterial recovery_key;  // of a practice made or converted now, until taken
    fs::path conversion_backup;
    std::vector<std::string> notices;
    std::unique_ptr<store::Database> db;
    // A read-only open still records its reads: this writable connection,
    // opened on the first such row, appends them (and nothing else).
    std::unique_ptr<store::Database> appender;
    // What the comparison with the last audit checkpoint found on opening;
    // while set, closing leaves that checkpoint as it is.
    std::optional<std::string> checkpoint_problem;
    RowId default_scheme_id = 0;
    bool signed_in = false;
    bool locked = false;
    mutable PracticeTrust trust;
    mutable std::uint64_t trust_version = 0;
    // BackgroundSync::changes_here() when data_version() last looked.
    std::uint64_t synced_changes_seen = 0;
    // Declared last: destroyed first, so a worker never outlives the connection it was opened beside.
    std::unique_ptr<CaseloadSummaries> caseload;
    std::unique_ptr<BackgroundBackup> backup;
    std::unique_ptr<BackgroundSync> sync;
};

namespace {

SecretString secret_of(const KeyMaterial& key) {
    return SecretString(key.view());
}

// Signs the audit rows a connection writes with the signed-in person's key
// (the key stays in the practice; it is wiped when the practice locks, and
// every connection is closed before).
store::Database::AuditSigner audit_signer_of(const OpenPractice::Impl& impl) {
    return [&impl](const std::string& row_hash, const std::string& actor_uuid) {
        if (impl.signing_key.empty()) return std::string();
        const std::string message = canonical_audit_row(impl.practice_uuid, row_hash, actor_uuid);
        return crypto::to_hex(crypto::sign(crypto::as_bytes(message), impl.signing_key));
    };
}

KeyMaterial key_material_of(const SecretString& text) {
    return KeyMaterial(text.view());
}

std::unique_ptr<store::Database> open_database(const fs::path& path, std::string_view key, bool create, bool plaintext,
                                               bool read_only) {
    store::OpenOptions options;
    options.path = path;
    if (!key.empty()) options.passphrase = key;
    options.create_if_missing = create;
    options.allow_unencrypted = plaintext;
    options.read_only = read_only;
    return store::Database::open(options);
}

// The scheme new cases are coded with: the practice's latest; the shipped
// default for a new practice; and the shipped default's new edition when the
// practice's latest is an earlier edition of it (core/scheme.h's
// is_later_edition). Cases and sessions keep the version they were coded with.
void store_default_scheme(OpenPractice::Impl& impl) {
    store::SchemeRepository schemes(*impl.db);
    const std::optional<RowId> latest = schemes.latest_id();
    if (impl.db->read_only()) {
        impl.default_scheme_id = latest.value_or(0);
        return;
    }
    if (!latest) {
        impl.default_scheme_id = schemes.ensure(load_default_scheme());
        return;
    }
    impl.default_scheme_id = *latest;
    try {
        const CodingScheme shipped = load_default_scheme();
        if (is_later_edition(shipped, schemes.get(*latest))) impl.default_scheme_id = schemes.ensure(shipped);
    } catch (const std::exception&) {
        // Without the assets folder the practice still opens, with the scheme it has.
    }
}

// A practice's folder and files that others could read are made the user's
// alone (folder 0700, files 0600); says so once, naming what was changed.
void tighten_permissions(const fs::path& path, std::vector<std::string>& notices) {
    std::error_code ec;
    const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::current_path(ec);
    constexpr auto others = fs::perms::group_all | fs::perms::others_all;
    std::vector<std::string> changed;
    const auto tighten = [&](const fs::path& p, fs::perms wanted) {
        const auto status = fs::status(p, ec);
        if (ec || !fs::exists(status) || (status.permissions() & others) == fs::perms::none) return;
        fs::permissions(p, wanted, fs::perm_options::replace, ec);
        if (!ec) changed.push_back(p.string());
    };
    // Attune's own data folder is tightened; a folder the user chose (their
    // documents, a shared drive) is theirs to decide; the practice's files are tightened wherever they are.
    if (fs::equivalent(folder, data_dir(), ec)) tighten(folder, fs::perms::owner_all);
    for (const char* suffix : {"", "-wal", "-shm", ".keyring", ".lock"})
        tighten(path.string() + suffix, fs::perms::owner_read | fs::perms::owner_write);
    if (!changed.empty()) {
        std::string list;
        for (const std::string& p : changed)
            list += (list.empty() ? "" : ", ") + p;
        notices.push_back("others could read " + list + ": now only you can");
    }
}

void remove_database_files(const fs::path& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", ".lock"})
        fs::remove(path.string() + suffix, ec);
}

}  // namespace

// [SECTION] Statements in the practice's log

namespace detail {

GrantRole grant_role_of(PersonRole role) {
    switch (role) {
        case PersonRole::Clinician:
            return GrantRole::Clinician;
        case PersonRole::Supervisor:
            return GrantRole::Supervisor;
        case PersonRole::Coder:
            return GrantRole::Coder;
    }
    return GrantRole::Coder;
}

void certify_key(store::Database& db, const std::string& practice_uuid, const StatementSigner& signer,
                 const std::string& person_uuid, const std::string& person_name, const crypto::Bytes& public_key) {
    store::PracticeLogRepository log(db);
    KeyStatement s;
    s.practice_uuid = practice_uuid;
    s.sequence = log.next_sequence();
    s.person_uuid = person_uuid;
    s.person_name = person_name;
    s.public_key = public_key;
    s.certified_by_uuid = signer.uuid;
    s.at = now_utc_iso();
    log.append(sign_key_statement(s, *signer.secret_key));
}

void state_role(store::Database& db, const std::string& practice_uuid, const StatementSigner& signer,
                const std::string& person_uuid, GrantRole role, bool granted) {
    store::PracticeLogRepository log(db);
    GrantStatement s;
    s.practice_uuid = practice_uuid;
    s.sequence = log.next_sequence();
    s.granted = granted;
    s.role = role;
    s.grantee_uuid = person_uuid;
    s.granted_by_uuid = signer.uuid;
    s.at = now_utc_iso();
    log.append(sign_grant(s, *signer.secret_key));
}

}  // namespace detail

namespace {

// The recovery identity: a person slot opened with the recovery key, whose
// key an administrator certified and who holds the administrator role (to
// reset a forgotten passphrase, even the founding administrator's).
void add_recovery_identity(store::Database& db, store::Keyring& keyring, const TrustRoot& root,
                           const detail::StatementSigner& admin, const SecretString& recovery_key,
                           const SecretBytes& data_key, const crypto::KdfLimits& kdf) {
    const std::string& practice_uuid = root.practice_uuid;
    Person recovery;
    recovery.uuid = new_uuid();
    recovery.name = detail::kRecoveryName;
    recovery.role = PersonRole::Coder;  // a display role only; it holds no grant but administrator
    const store::KeySlot slot = keyring.add_person({recovery.uuid, recovery.name}, recovery_key, data_key, root, kdf);
    recovery.public_key = crypto::to_hex(slot.public_key);
    store::PeopleRepository(db).create(recovery);
    detail::certify_key(db, practice_uuid, admin, recovery.uuid, recovery.name, slot.public_key);
    detail::state_role(db, practice_uuid, admin, recovery.uuid, GrantRole::Administrator, true);
}

// [SECTION] Creating a practice

void create_practice(OpenPractice::Impl& impl, OpenRequest& request) {
    const std::string name = !request.new_administrator.empty() ? request.new_administrator : request.person;
    if (name.empty())
        throw Error(Error::Kind::Invalid, "a new practice needs its founding administrator's name (--admin NAME)");
    if (request.allow_unencrypted) {
        // Nobody can sign here: no keys. An explicit choice, for demonstrations.
        impl.db = open_database(impl.path, "", true, true, false);
        Person admin;
        admin.name = name;
        admin.uuid = new_uuid();
        impl.db->set_actor(admin);
        impl.db->set_actor(store::PeopleRepository(*impl.db).create(admin));
        impl.signed_in = true;
        return;
    }
    if (request.passphrase.empty()) throw Error(Error::Kind::Invalid, "a new practice needs a passphrase for " + name);
    impl.practice_uuid = new_uuid();
    const std::string admin_uuid = new_uuid();
    store::NewKeyring made =
        store::Keyring::create(impl.practice_uuid, {admin_uuid, name}, secret_of(request.passphrase), request.kdf);
    const SecretString raw = store::sqlcipher_raw_key(made.administrator.data_key);
    impl.key = key_material_of(raw);
    try {
        impl.db = open_database(impl.path, impl.key.view(), true, false, false);
        store::Database& db = *impl.db;
        impl.signing_key = made.administrator.signing_key.clone();
        db.set_audit_signer(audit_signer_of(impl));
        Person admin;
        admin.uuid = admin_uuid;
        admin.name = name;
        admin.role = PersonRole::Clinician;
        admin.public_key = crypto::to_hex(made.administrator.public_key);
        db.set_actor(admin);  // attributes the person's own creation row
        admin = store::PeopleRepository(db).create(admin);
        db.set_actor(admin);
        store::PracticeLogRepository(db).set_trust_root({impl.practice_uuid, admin_uuid, made.administrator.public_key},
                                                        name);
        const detail::StatementSigner signer{admin_uuid, &made.administrator.signing_key};
        detail::certify_key(db, impl.practice_uuid, signer, admin_uuid, name, made.administrator.public_key);
        detail::state_role(db, impl.practice_uuid, signer, admin_uuid, GrantRole::Administrator, true);
        detail::state_role(db, impl.practice_uuid, signer, admin_uuid, GrantRole::Clinician, true);
        add_recovery_identity(db, made.keyring, made.administrator.trust_root, signer, made.recovery_key,
                              made.administrator.data_key, request.kdf);
        made.keyring.save_new(store::keyring_path_for(impl.path));
    } catch (...) {
        impl.db.reset();
        remove_database_files(impl.path);  // a new file: nothing of anyone's is lost
        throw;
    }
    impl.root = made.administrator.trust_root;
    impl.keyring = std::move(made.keyring);
    impl.data_key = std::move(made.administrator.data_key);
    impl.signing_key = std::move(made.administrator.signing_key);
    impl.public_key = made.administrator.public_key;
    impl.recovery_key = key_material_of(made.recovery_key);
    impl.signed_in = true;
}

// [SECTION] Converting a practice of an earlier Attune

// Checks that the practice file opens with `new_key` and no longer with `old_key`.
void prove_rekey(const fs::path& path, std::string_view new_key, std::string_view old_key) {
    store::verify_database_file(path, new_key);
    bool old_opens = true;
    try {
        store::verify_database_file(path, old_key);
    } catch (const Error&) {
        old_opens = false;
    }
    if (old_opens)
        throw Error(Error::Kind::Io, "the change of key did not take: " + path.string() +
                                         " still opens with its old passphrase, so it was left as it was");
}

void convert_practice(OpenPractice::Impl& impl, OpenRequest& request) {
    if (request.read_only)
        throw Error(Error::Kind::ReadOnly, impl.path.string() +
                                               " was written by an earlier Attune and must be converted to personal "
                                               "sign-in once: open it without --read-only");
    // 1. Open with the shared passphrase and find who becomes its administrator.
    auto db = open_database(impl.path, request.passphrase.view(), false, false, false);
    store::PeopleRepository people(*db);
    std::vector<Person> everyone = people.list();
    Person admin;
    if (!request.person.empty()) {
        auto found = people.find(request.person);
        if (!found)
            throw Error(Error::Kind::NotFound, "no person named '" + request.person + "' in " + impl.path.string() +
                                                   ": name the person who becomes its administrator");
        admin = *found;
    } else if (everyone.size() == 1) {
        admin = everyone.front();
    } else {
        throw Error(Error::Kind::Invalid, impl.path.string() +
                                              " is converted to personal sign-in on this first open: name its "
                                              "administrator with --user NAME (one of its people)");
    }
    db->set_actor(admin);
    // 2. A verified backup first (store::backup_database checks it opens and is whole).
    const fs::path backup_dir = impl.path.string() + ".before-keyring";
    const BackupResult backup = store::backup_database(*db, backup_dir, 1000);
    impl.conversion_backup = backup.file;
    // 3. The keys: a data key, the administrator's slot, a recovery slot.
    impl.practice_uuid = new_uuid();
    store::NewKeyring made = store::Keyring::create(impl.practice_uuid, {admin.uuid, admin.name},
                                                    secret_of(request.passphrase), request.kdf);
    const SecretString raw = store::sqlcipher_raw_key(made.administrator.data_key);
    const fs::path keyring_path = store::keyring_path_for(impl.path);
    const fs::path pending = keyring_path.string() + ".new";
    std::error_code ec;
    fs::remove(pending, ec);
    made.keyring.save_new(pending);  // before the file changes key: a crash then leaves both
    // 4. The file under the data key, proven before anything relies on it.
    try {
        store::change_passphrase(*db, raw.view());
        db.reset();
        prove_rekey(impl.path, raw.view(), request.passphrase.view());
    } catch (...) {
        fs::remove(pending, ec);
        throw;
    }
    fs::rename(pending, keyring_path);
    // 5. The administrator's key and roles, and every other person's role as it was.
    impl.key = key_material_of(raw);
    impl.db = open_database(impl.path, impl.key.view(), false, false, false);
    store::Database& converted = *impl.db;
    converted.set_actor(admin);
    impl.signing_key = made.administrator.signing_key.clone();
    converted.set_audit_signer(audit_signer_of(impl));
    store::PracticeLogRepository(converted).set_trust_root(
        {impl.practice_uuid, admin.uuid, made.administrator.public_key}, admin.name);
    const detail::StatementSigner signer{admin.uuid, &made.administrator.signing_key};
    detail::certify_key(converted, impl.practice_uuid, signer, admin.uuid, admin.name, made.administrator.public_key);
    detail::state_role(converted, impl.practice_uuid, signer, admin.uuid, GrantRole::Administrator, true);
    for (const Person& p : everyone)
        detail::state_role(converted, impl.practice_uuid, signer, p.uuid, detail::grant_role_of(p.role), true);
    add_recovery_identity(converted, made.keyring, made.administrator.trust_root, signer, made.recovery_key,
                          made.administrator.data_key, request.kdf);
    made.keyring.save(keyring_path);
    store::AuditLog(converted).record("convert", "practice", impl.practice_uuid,
                                      "personal sign-in; backup " + backup.file.string());
    admin.public_key = crypto::to_hex(made.administrator.public_key);
    converted.set_actor(admin);
    impl.root = made.administrator.trust_root;
    impl.keyring = std::move(made.keyring);
    impl.data_key = std::move(made.administrator.data_key);
    impl.signing_key = std::move(made.administrator.signing_key);
    impl.public_key = made.administrator.public_key;
    impl.recovery_key = key_material_of(made.recovery_key);
    impl.signed_in = true;
}

// [SECTION] Sign-ins in the audit trail
//
// A failed sign-in cannot be written into a database nobody could open: it is
// counted in `<db>.failed-sign-ins` beside it (one line per attempt: UTC time,
// a tab, the name given), and the next successful sign-in moves the count into
// the audit trail and tells that person.

fs::path failures_path_for(const fs::path& database) {
    return database.string() + ".failed-sign-ins";
}

void count_failed_sign_in(const fs::path& database, const std::string& name) {
    const fs::path path = failures_path_for(database);
    const std::string line = now_utc_iso() + "\t" + (name.empty() ? "(no name given)" : name) + "\n";
    // Made 0600 from its first byte (never readable by others for a moment), and
    // never through a symbolic link someone put in its place.
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return;  // counting is best effort: the refusal itself stands
    ::fchmod(fd, 0600);  // an older file made with the process umask
    [[maybe_unused]] const ssize_t written = ::write(fd, line.data(), line.size());
    ::close(fd);
}

void record_sign_in(OpenPractice::Impl& impl, bool audit_sign_in) {
    store::Database& db = *impl.db;
    const fs::path failures = failures_path_for(impl.path);
    std::vector<std::string> attempts;
    {
        std::ifstream in(failures);
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) attempts.push_back(line);
    }
    if (!attempts.empty()) {
        std::string detail = std::to_string(attempts.size()) + " failed since the last sign-in:";
        for (std::string attempt : attempts) {
            std::replace(attempt.begin(), attempt.end(), '\t', ' ');
            detail += " " + attempt + ";";
        }
        store::AuditLog(db).record("unlock_failed", "practice", impl.practice_uuid, detail);
        impl.notices.push_back(std::to_string(attempts.size()) +
                               (attempts.size() == 1 ? " failed attempt" : " failed attempts") +
                               " to sign in since your last sign-in (listed in the audit trail)");
    }
    std::error_code ec;
    fs::remove(failures, ec);
    if (!audit_sign_in) return;
    store::AuditLog(db).record("unlock", "person", db.actor().uuid,
                               impl.recovery ? "with the recovery key" : "with their passphrase");
}

// [SECTION] Rows of a read-only open, and the audit checkpoint

void append_audit_row(OpenPractice::Impl& impl, const std::string& action, const std::string& entity,
                      const std::string& entity_id, const std::string& detail) {
    if (impl.locked || !impl.db) throw Error(Error::Kind::Locked, "the practice is locked: unlock it again to go on");
    if (!impl.db->read_only()) {
        store::AuditLog(*impl.db).record(action, entity, entity_id, detail);
        return;
    }
    if (!impl.appender) {
        std::lock_guard guard(impl.key_mutex);
        store::OpenOptions options;
        options.path = impl.path;
        if (!impl.key.empty()) options.passphrase = impl.key.view();
        // No writer lock of its own: a read-only open is how a practice is read
        // while the window has it open, and the window holds that lock. SQLite
        // orders the two processes' writes, and a row's place in the chain is
        // read inside its own write transaction (store/audit_log.cpp).
        options.worker_of_this_process = true;
        impl.appender = store::Database::open(options);
        impl.appender->set_actor(impl.db->actor());
        impl.appender->set_audit_signer(audit_signer_of(impl));
    }
    store::AuditLog(*impl.appender).record(action, entity, entity_id, detail);
}

// Compared before this open writes any row of its own.
void compare_with_checkpoint(OpenPractice::Impl& impl) {
    if (!impl.root || impl.signing_key.empty()) return;  // nobody here can have signed one
    store::PracticeLogRepository log(*impl.db);
    const PracticeTrust trust = replay_practice_log(*impl.root, log.grants(), log.keys());
    impl.checkpoint_problem = detail::audit_checkpoint_problem(*impl.db, trust, impl.practice_uuid);
}

// Said loudly and recorded by every open that finds it.
void report_checkpoint_problem(OpenPractice::Impl& impl) {
    if (!impl.checkpoint_problem) return;
    impl.notices.push_back(*impl.checkpoint_problem);
    try {
        append_audit_row(impl, "checkpoint_problem", "practice", impl.practice_uuid, *impl.checkpoint_problem);
    } catch (const std::exception& e) {
        impl.notices.push_back(std::string("the audit trail could not record this: ") + e.what());
    }
}

// The chain as this open leaves it becomes the last checkpoint seen.
void write_checkpoint_on_close(OpenPractice::Impl& impl) {
    if (!impl.db || !impl.signed_in || impl.signing_key.empty() || impl.checkpoint_problem) return;
    try {
        impl.db->end_open_reads();  // a cached read's snapshot would hide the rows written since (the appender's)
        const store::AuditLog::Reach reach = store::AuditLog(*impl.db).reach();
        detail::write_checkpoint(checkpoint_path(impl.practice_uuid, impl.path), impl.practice_uuid, reach.rows, reach.head,
                                 {impl.db->actor().uuid, &impl.signing_key, impl.public_key});
    } catch (const std::exception&) {
        // Best effort: closing must not fail. The next open compares with the last one written.
    }
}

// [SECTION] Opening and signing in

// The slot to unlock: the person named, else the practice's only person.
std::string person_to_unlock(const store::Keyring& keyring, const std::string& named, const fs::path& path) {
    if (!named.empty()) return named;
    std::vector<std::string> names;
    for (const store::KeySlot& slot : keyring.slots())
        if (slot.kind == store::SlotKind::Person && slot.person_name != detail::kRecoveryName)
            names.push_back(slot.person_name);
    if (names.size() == 1) return names.front();
    throw Error(Error::Kind::WrongPassphrase,
                path.string() + " has " + std::to_string(names.size()) + " people: say who you are with --user NAME");
}

void unlock_with_keyring(OpenPractice::Impl& impl, OpenRequest& request) {
    impl.keyring = store::Keyring::load(store::keyring_path_for(impl.path));
    store::UnlockedPerson unlocked;
    if (!request.recovery_key.empty()) {
        const auto bytes = store::parse_recovery_key(secret_of(request.recovery_key));
        if (!bytes) throw Error(Error::Kind::WrongPassphrase, "that is not a recovery key (8 groups of 4 characters)");
        unlocked =
            impl.keyring->unlock_person(detail::kRecoveryName, store::format_recovery_key(*bytes), request.kdf_minimum);
        impl.recovery = true;
    } else {
        if (request.passphrase.empty())
            throw Error(Error::Kind::WrongPassphrase,
                        impl.path.string() + " is encrypted: a passphrase is needed to open it");
        const std::string who = person_to_unlock(*impl.keyring, request.person, impl.path);
        if (!impl.keyring->find_person(who) || who == detail::kRecoveryName)
            throw Error(Error::Kind::WrongPassphrase, "nobody named '" + who + "' can sign in to " +
                                                          impl.path.string() +
                                                          " (an administrator adds people with attune person add)");
        unlocked = impl.keyring->unlock_person(who, secret_of(request.passphrase), request.kdf_minimum);
    }
    impl.key = key_material_of(store::sqlcipher_raw_key(unlocked.data_key));
    impl.db = open_database(impl.path, impl.key.view(), false, false, request.read_only);
    store::Database& db = *impl.db;
    const auto recorded = store::PracticeLogRepository(db).trust_root();
    if (!recorded)
        throw Error(Error::Kind::NotAttune, impl.path.string() + " has a keyring but no record of its people");
    // The root in the person's own slot is believed; the database's copy is
    // only compared with it (anyone who can unlock the practice can rewrite it).
    const TrustRoot& root = unlocked.trust_root;
    if (recorded->practice_uuid != root.practice_uuid ||
        recorded->founding_administrator_uuid != root.founding_administrator_uuid ||
        recorded->founding_administrator_key != root.founding_administrator_key)
        impl.notices.push_back(detail::kRootMismatchNotice);
    impl.practice_uuid = root.practice_uuid;
    auto person = store::PeopleRepository(db).find_by_uuid(unlocked.person.uuid);
    if (!person) throw Error(Error::Kind::WrongPassphrase, unlocked.person.name + " is not a person of this practice");
    // The slot's key must be the one an administrator certified: anyone who can
    // unlock the practice could write a slot in someone else's name.
    const PracticeTrust trust =
        replay_practice_log(root, store::PracticeLogRepository(db).grants(), store::PracticeLogRepository(db).keys());
    if (!trust.certified(person->uuid, unlocked.public_key))
        throw Error(Error::Kind::WrongPassphrase,
                    "the key in " + person->name +
                        "'s slot is not the one an administrator certified for them: sign-in refused (an "
                        "administrator can reset the passphrase)");
    db.set_actor(*person);
    impl.root = unlocked.trust_root;
    impl.data_key = std::move(unlocked.data_key);
    impl.signing_key = std::move(unlocked.signing_key);
    db.set_audit_signer(audit_signer_of(impl));
    impl.public_key = unlocked.public_key;
    impl.signed_in = true;
}

void open_plaintext(OpenPractice::Impl& impl, OpenRequest& request) {
    impl.db = open_database(impl.path, "", false, true, request.read_only);
    store::PeopleRepository people(*impl.db);
    std::optional<Person> person;
    if (!request.person.empty()) {
        person = people.find(request.person);
        if (!person)
            throw Error(Error::Kind::WrongPassphrase,
                        "no person named '" + request.person + "' in " + impl.path.string());
    } else {
        const std::vector<Person> everyone = people.list();
        if (everyone.size() != 1)
            throw Error(Error::Kind::WrongPassphrase, impl.path.string() + " has " + std::to_string(everyone.size()) +
                                                          " people: say who you are with --user NAME");
        person = everyone.front();
    }
    impl.db->set_actor(*person);
    impl.signed_in = true;
}

}  // namespace

std::unique_ptr<OpenPractice> OpenPractice::open(OpenRequest request) {
    auto impl = std::make_unique<Impl>();
    impl->path = request.path;
    impl->read_only = request.read_only;
    impl->kdf = request.kdf;
    impl->kdf_minimum = request.kdf_minimum;
    std::error_code ec;
    const bool exists = fs::exists(request.path, ec);
    const fs::path keyring = store::keyring_path_for(request.path);
    // A conversion interrupted after the file changed key left its keyring beside it.
    if (exists && !fs::exists(keyring, ec) && fs::exists(keyring.string() + ".new", ec) &&
        !store::is_plaintext_sqlite(request.path))
        fs::rename(keyring.string() + ".new", keyring);

    if (!exists) {
        if (!request.create_if_missing) throw Error(Error::Kind::NotFound, "no practice at " + request.path.string());
        create_practice(*impl, request);
    } else if (store::is_plaintext_sqlite(request.path)) {
        open_plaintext(*impl, request);
    } else if (fs::exists(keyring, ec)) {
        try {
            unlock_with_keyring(*impl, request);
        } catch (const Error& e) {
            if (e.kind() == Error::Kind::WrongPassphrase)
                count_failed_sign_in(request.path, request.recovery_key.empty() ? request.person : "recovery key");
            throw;
        }
        compare_with_checkpoint(*impl);
        if (!request.read_only) record_sign_in(*impl, request.audit_sign_in);
    } else {
        if (request.passphrase.empty())
            throw Error(Error::Kind::WrongPassphrase,
                        request.path.string() + " is encrypted: a passphrase is needed to open it");
        convert_practice(*impl, request);
    }
    request.passphrase.wipe();
    request.recovery_key.wipe();
    return OpenPractice::finish_opening(std::move(impl));
}

std::unique_ptr<OpenPractice> OpenPractice::finish_opening(std::unique_ptr<Impl> impl) {
    tighten_permissions(impl->path, impl->notices);
    store_default_scheme(*impl);
    report_checkpoint_problem(*impl);
    std::unique_ptr<OpenPractice> practice(new OpenPractice(std::move(impl)));
    practice->impl_->caseload = std::make_unique<CaseloadSummaries>(*practice);
    practice->impl_->backup = std::make_unique<BackgroundBackup>(*practice);
    practice->impl_->sync = std::make_unique<BackgroundSync>(*practice);
    return practice;
}

// [SECTION] A person's own copy, from the practice server (attune join)

std::unique_ptr<OpenPractice> PracticeAccess::create_person_copy(const fs::path& path, store::NewKeyring keys,
                                                                 const std::vector<Person>& people,
                                                                 const std::string& administrator_name,
                                                                 const crypto::KdfLimits& kdf,
                                                                 const std::function<void(OpenPractice&)>& then) {
    std::error_code ec;
    if (fs::exists(path, ec) || fs::exists(store::keyring_path_for(path), ec))
        throw Error(Error::Kind::Invalid, "there is already a file at " + path.string() +
                                              ": joining makes a new one (give another --db); nothing was changed");
    const store::UnlockedPerson& me_keys = keys.administrator;
    auto impl = std::make_unique<OpenPractice::Impl>();
    impl->path = path;
    impl->kdf = kdf;
    impl->kdf_minimum = kdf;
    impl->practice_uuid = me_keys.trust_root.practice_uuid;
    impl->key = key_material_of(store::sqlcipher_raw_key(me_keys.data_key));
    std::unique_ptr<OpenPractice> practice;
    try {
        impl->db = open_database(path, impl->key.view(), true, false, false);
        store::Database& db = *impl->db;
        impl->signing_key = me_keys.signing_key.clone();
        db.set_audit_signer(audit_signer_of(*impl));
        store::PeopleRepository repository(db);
        Person me;
        me.uuid = me_keys.person.uuid;
        me.name = me_keys.person.name;
        me.public_key = crypto::to_hex(me_keys.public_key);
        for (const Person& p : people)
            if (p.uuid == me.uuid) me.role = p.role;
        db.set_actor(me);  // attributes the person's own creation row
        me = repository.create(me);
        db.set_actor(me);
        for (const Person& p : people)
            if (p.uuid != me.uuid) repository.create(p);
        store::PracticeLogRepository(db).set_trust_root(me_keys.trust_root, administrator_name);
        keys.keyring.save_new(store::keyring_path_for(path));
        impl->root = me_keys.trust_root;
        impl->keyring = std::move(keys.keyring);
        impl->data_key = std::move(keys.administrator.data_key);
        impl->public_key = keys.administrator.public_key;
        impl->signed_in = true;
        practice = OpenPractice::finish_opening(std::move(impl));
        then(*practice);
    } catch (...) {
        // The file goes: no checkpoint of its audit chain is left to compare a later one with.
        if (practice) practice->impl_->checkpoint_problem = "discarded";
        practice.reset();
        if (impl) impl->db.reset();
        remove_database_files(path);  // a new file: nothing of anyone's is lost
        throw;
    }
    return practice;
}

OpenPractice::OpenPractice(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

OpenPractice::~OpenPractice() {
    close();
}

// [SECTION] Who is signed in

const Person& OpenPractice::person() const {
    return PracticeAccess::database(const_cast<OpenPractice&>(*this)).actor();
}
bool OpenPractice::signed_in() const {
    return impl_->signed_in && !impl_->locked;
}
bool OpenPractice::is_recovery() const {
    return impl_->recovery;
}

const PracticeTrust& OpenPractice::trust() const {
    store::Database& db = PracticeAccess::database(const_cast<OpenPractice&>(*this));
    if (impl_->trust_version != db.data_version() || impl_->trust_version == 0) {
        store::PracticeLogRepository log(db);
        // A practice with keys replays from the signed-in person's own root;
        // a plaintext one has only the database's copy to go on.
        const std::optional<TrustRoot> root = impl_->root ? impl_->root : log.trust_root();
        if (root) {
            impl_->trust = replay_practice_log(*root, log.grants(), log.keys());
            const auto recorded = log.trust_root();
            if (impl_->root && (!recorded || recorded->founding_administrator_key != root->founding_administrator_key ||
                                recorded->founding_administrator_uuid != root->founding_administrator_uuid ||
                                recorded->practice_uuid != root->practice_uuid))
                impl_->trust.problems.push_back(detail::kRootMismatchNotice);
        } else {
            impl_->trust = {};
        }
        impl_->trust_version = db.data_version();
    }
    return impl_->trust;
}

bool OpenPractice::holds(GrantRole role) const {
    // The recovery identity holds the administrator role in the log (so that
    // its key may certify a reset), but signed in it may only reset
    // passphrases and reveal the data key (people.h, reveal_raw_key): no role.
    if (impl_->recovery) return false;
    return person_holds(person(), role);
}

bool OpenPractice::person_holds(const Person& p, GrantRole role) const {
    // A plaintext practice has no signed grants: its people.role is all there is.
    if (!has_keys()) return role == detail::grant_role_of(p.role);
    return trust().holds(p.uuid, role);
}

std::vector<Person> OpenPractice::people() const {
    return store::PeopleRepository(PracticeAccess::database(const_cast<OpenPractice&>(*this))).list();
}

KeyMaterial OpenPractice::take_recovery_key() {
    return std::move(impl_->recovery_key);
}
const fs::path& OpenPractice::conversion_backup() const {
    return impl_->conversion_backup;
}
const std::vector<std::string>& OpenPractice::notices() const {
    return impl_->notices;
}
const std::optional<std::string>& OpenPractice::audit_checkpoint_problem() const {
    return impl_->checkpoint_problem;
}

// [SECTION] The practice

const fs::path& OpenPractice::path() const {
    return impl_->path;
}
const std::string& OpenPractice::practice_uuid() const {
    return impl_->practice_uuid;
}
bool OpenPractice::encrypted() const {
    return PracticeAccess::database(const_cast<OpenPractice&>(*this)).encrypted();
}
bool OpenPractice::has_keys() const {
    return impl_->keyring.has_value();
}
bool OpenPractice::read_only() const {
    return impl_->read_only;
}
int OpenPractice::schema_version() const {
    return PracticeAccess::database(const_cast<OpenPractice&>(*this)).schema_version();
}
std::string OpenPractice::cipher_version() const {
    return PracticeAccess::database(const_cast<OpenPractice&>(*this)).cipher_version();
}
RowId OpenPractice::default_scheme_id() const {
    return impl_->default_scheme_id;
}
CodingScheme OpenPractice::default_scheme() const {
    if (impl_->default_scheme_id == 0) return load_default_scheme();
    return store::SchemeRepository(PracticeAccess::database(const_cast<OpenPractice&>(*this)))
        .get(impl_->default_scheme_id);
}
std::uint64_t OpenPractice::data_version() const {
    if (!impl_->db) return 0;
    // Rows a background sync merged were written on its own connection.
    const std::uint64_t synced = impl_->sync ? impl_->sync->changes_here() : 0;
    if (synced != impl_->synced_changes_seen) {
        impl_->synced_changes_seen = synced;
        impl_->db->end_open_reads();  // a cached read's snapshot would hide them
    }
    return impl_->db->data_version() + synced;
}

// [SECTION] Keys

SecretBytes OpenPractice::derive_key(std::string_view purpose) const {
    std::lock_guard guard(impl_->key_mutex);
    if (impl_->locked) throw Error(Error::Kind::Locked, "the practice is locked: unlock it again to go on");
    const std::string_view material = impl_->key.view();
    // The key material (the raw key's text) is hashed to 32 bytes first.
    SecretBytes root(crypto_hash_sha256_BYTES);
    crypto_hash_sha256(root.data(), reinterpret_cast<const unsigned char*>(material.data()), material.size());
    SecretBytes derived(32);
    crypto_generichash(derived.data(), derived.size(), reinterpret_cast<const unsigned char*>(purpose.data()),
                       purpose.size(), root.data(), root.size());
    return derived;
}

crypto::Bytes OpenPractice::sign(crypto::ByteView message) const {
    if (impl_->locked) throw Error(Error::Kind::Locked, "the practice is locked: unlock it again to go on");
    if (impl_->signing_key.empty())
        throw Error(Error::Kind::Denied,
                    "this practice has no personal keys: nobody can sign in it (an encrypted "
                    "practice with personal sign-in can)");
    return crypto::sign(message, impl_->signing_key);
}

const crypto::Bytes& OpenPractice::public_key() const {
    return impl_->public_key;
}

bool OpenPractice::verify_passphrase(const KeyMaterial& passphrase) const {
    if (!impl_->keyring || impl_->locked || passphrase.empty()) return false;
    try {
        impl_->keyring->unlock_person(person().uuid, secret_of(passphrase), impl_->kdf_minimum);
        return true;
    } catch (const Error&) {
        return false;
    }
}

KeyMaterial OpenPractice::reveal_raw_key() const {
    if (!impl_->recovery)
        throw Error(Error::Kind::Denied,
                    "the practice's key is revealed only to the recovery key (--recovery-key-file)");
    std::lock_guard guard(impl_->key_mutex);
    if (impl_->locked) throw Error(Error::Kind::Locked, "the practice is locked");
    return KeyMaterial(impl_->key.view());
}

// [SECTION] Locking and workers

void OpenPractice::lock() {
    // Locking is recorded; a command line's practice closing at its end is not.
    if (!impl_->locked && impl_->db && impl_->signed_in && !impl_->read_only && impl_->keyring) {
        try {
            store::AuditLog(*impl_->db).record("lock", "person", impl_->db->actor().uuid, "");
        } catch (const std::exception&) {
            // A full disk must not keep the practice unlocked: the keys go regardless.
        }
    }
    close();
}

void OpenPractice::close() {
    if (impl_->locked) return;
    // Workers first: they hold connections of their own (opened with the key).
    if (impl_->sync) impl_->sync->stop();
    if (impl_->caseload) impl_->caseload->stop();
    if (impl_->backup) impl_->backup->wait();
    write_checkpoint_on_close(*impl_);
    impl_->appender.reset();
    impl_->db.reset();
    std::lock_guard guard(impl_->key_mutex);
    impl_->key.wipe();
    impl_->data_key.wipe();
    impl_->signing_key.wipe();
    impl_->recovery_key.wipe();
    impl_->locked = true;
    impl_->signed_in = false;
}

bool OpenPractice::locked() const {
    return impl_->locked;
}
const KeyMaterial& OpenPractice::key_material() const {
    return impl_->key;
}

store::Database& PracticeAccess::database(OpenPractice& practice) {
    if (practice.impl_->locked || !practice.impl_->db)
        throw Error(Error::Kind::Locked, "the practice is locked: unlock it again to go on");
    return *practice.impl_->db;
}

std::unique_ptr<store::Database> PracticeAccess::worker_connection(OpenPractice& practice, bool read_only) {
    OpenPractice::Impl& impl = *practice.impl_;
    std::lock_guard guard(impl.key_mutex);
    if (impl.locked) throw Error(Error::Kind::Locked, "the practice is locked");
    store::OpenOptions options;
    options.path = impl.path;
    if (!impl.key.empty()) options.passphrase = impl.key.view();
    options.read_only = read_only || impl.read_only;
    options.worker_of_this_process = true;
    auto connection = store::Database::open(options);
    // Rows a worker writes (a background backup) are the signed-in person's.
    if (impl.db) connection->set_actor(impl.db->actor());
    connection->set_audit_signer(audit_signer_of(impl));
    return connection;
}

void PracticeAccess::record_audit(OpenPractice& practice, const std::string& action, const std::string& entity,
                                  const std::string& entity_id, const std::string& detail) {
    append_audit_row(*practice.impl_, action, entity, entity_id, detail);
}

store::Keyring& PracticeAccess::keyring(OpenPractice& practice) {
    database(practice);  // throws once locked
    if (!practice.impl_->keyring)
        throw Error(Error::Kind::Denied,
                    "this practice has no personal keys (it is not encrypted with personal sign-in)");
    return *practice.impl_->keyring;
}

const SecretBytes& PracticeAccess::data_key(OpenPractice& practice) {
    keyring(practice);
    return practice.impl_->data_key;
}

detail::StatementSigner PracticeAccess::signer(OpenPractice& practice) {
    keyring(practice);
    return {database(practice).actor().uuid, &practice.impl_->signing_key};
}

const crypto::KdfLimits& PracticeAccess::slot_limits(OpenPractice& practice) {
    return practice.impl_->kdf;
}

const TrustRoot& PracticeAccess::trust_root(OpenPractice& practice) {
    if (!practice.impl_->root) throw Error(Error::Kind::Denied, "this practice has no personal keys");
    return *practice.impl_->root;
}

void PracticeAccess::save_keyring(OpenPractice& practice) {
    keyring(practice).save(store::keyring_path_for(practice.impl_->path));
}

CaseloadSummaries& OpenPractice::caseload_summaries() {
    return *impl_->caseload;
}
BackgroundBackup& OpenPractice::background_backup() {
    return *impl_->backup;
}
BackgroundSync& OpenPractice::background_sync() {
    return *impl_->sync;
}

// [SECTION] Schemes and names

std::vector<std::string> people_with_keys(const fs::path& path) {
    std::vector<std::string> names;
    std::error_code ec;
    const fs::path keyring = store::keyring_path_for(path);
    if (!fs::exists(keyring, ec)) return names;
    try {
        const store::Keyring loaded = store::Keyring::load(keyring);
        for (const store::KeySlot& slot : loaded.slots())
            if (slot.kind == store::SlotKind::Person && slot.person_name != detail::kRecoveryName)
                names.push_back(slot.person_name);
    } catch (const std::exception&) {
        // A damaged keyring: the unlock itself will say what is wrong.
    }
    return names;
}

bool is_plaintext_practice(const fs::path& path) {
    return store::is_plaintext_sqlite(path);
}

CodingScheme load_scheme_file(const fs::path& path) {
    std::string text;
    try {
        text = formats::read_small_text_file(path, kMaxSchemeFileBytes);
    } catch (const formats::TextFileError& e) {
        throw SchemeFormatError(e.what());
    }
    try {
        return parse_scheme_json(text);
    } catch (const SchemeFormatError& e) {
        throw SchemeFormatError(path.string() + ": " + e.what());
    }
}

CodingScheme load_default_scheme() {
    return load_scheme_file(assets_dir() / "coding_scheme.json");
}

std::string default_user_name() {
    if (const char* user = std::getenv("ATTUNE_USER"); user && *user) return user;
    return "";
}

}  // namespace attune::services
