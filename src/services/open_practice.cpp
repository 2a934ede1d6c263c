#include "services/open_practice.h"

#include "core/scheme_json.h"
#include "services/backups.h"
#include "services/caseload_summaries.h"
#include "services/paths.h"
#include "services/practice_access.h"
#include "store/repositories.h"

#include <sodium.h>

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

namespace attune::services {

struct OpenPractice::Impl {
    std::filesystem::path path;
    bool read_only = false;
    mutable std::mutex key_mutex;  // worker threads open connections with the key
    KeyMaterial key;
    std::unique_ptr<store::Database> db;
    RowId default_scheme_id = 0;
    bool signed_in = false;
    bool locked = false;
    // Declared last: destroyed first, so a worker never outlives the connection it was opened beside.
    std::unique_ptr<CaseloadSummaries> caseload;
    std::unique_ptr<BackgroundBackup> backup;
};

// [SECTION] Opening and locking

namespace {

// The scheme new cases are coded with: the practice's latest; the shipped
// default for a new practice; and the shipped default's new edition when the
// practice's latest is an earlier edition of it (core/scheme.h's
// is_later_edition). Cases and sessions keep the version they were coded with.
RowId choose_default_scheme(store::Database& db) {
    store::SchemeRepository schemes(db);
    const std::optional<RowId> latest = schemes.latest_id();
    if (db.read_only()) return latest.value_or(0);
    if (!latest) return schemes.ensure(load_default_scheme());
    try {
        const CodingScheme shipped = load_default_scheme();
        if (is_later_edition(shipped, schemes.get(*latest))) return schemes.ensure(shipped);
    } catch (const std::exception&) {
        // Without the assets folder the practice still opens, with the scheme it has.
    }
    return *latest;
}

}  // namespace

std::unique_ptr<OpenPractice> OpenPractice::open(OpenRequest request) {
    auto impl = std::make_unique<Impl>();
    impl->path = request.path;
    impl->read_only = request.read_only;
    impl->key = std::move(request.passphrase);
    store::OpenOptions options;
    options.path = request.path;
    if (!impl->key.empty()) options.passphrase = impl->key.view();
    options.create_if_missing = request.create_if_missing;
    options.allow_unencrypted = request.allow_unencrypted;
    options.read_only = request.read_only;
    impl->db = store::Database::open(options);
    impl->default_scheme_id = choose_default_scheme(*impl->db);
    std::unique_ptr<OpenPractice> practice(new OpenPractice(std::move(impl)));
    practice->impl_->caseload = std::make_unique<CaseloadSummaries>(*practice);
    practice->impl_->backup = std::make_unique<BackgroundBackup>(*practice);
    return practice;
}

OpenPractice::OpenPractice(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

OpenPractice::~OpenPractice() { lock(); }

void OpenPractice::lock() {
    if (impl_->locked) return;
    // Workers first: they hold connections of their own (opened with the key).
    if (impl_->caseload) impl_->caseload->stop();
    if (impl_->backup) impl_->backup->wait();
    impl_->db.reset();
    std::lock_guard guard(impl_->key_mutex);
    impl_->key.wipe();
    impl_->locked = true;
    impl_->signed_in = false;
}

bool OpenPractice::locked() const { return impl_->locked; }

SecretBytes OpenPractice::derive_key(std::string_view purpose) const {
    std::lock_guard guard(impl_->key_mutex);
    if (impl_->locked) throw Error(Error::Kind::Locked, "the practice is locked: unlock it again to go on");
    const std::string_view material = impl_->key.view();
    // The key material is hashed to 32 bytes first (a passphrase has any length).
    SecretBytes root(crypto_hash_sha256_BYTES);
    crypto_hash_sha256(root.data(), reinterpret_cast<const unsigned char*>(material.data()), material.size());
    SecretBytes derived(32);
    crypto_generichash(derived.data(), derived.size(), reinterpret_cast<const unsigned char*>(purpose.data()),
                       purpose.size(), root.data(), root.size());
    return derived;
}
const KeyMaterial& OpenPractice::key_material() const { return impl_->key; }

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
    return store::Database::open(options);
}

// [SECTION] Who is using Attune

std::vector<Person> OpenPractice::people() const {
    return store::PeopleRepository(database_of(const_cast<OpenPractice&>(*this))).list();
}

void OpenPractice::sign_in(const Person& person) {
    store::Database& db = database_of(*this);
    auto stored = store::PeopleRepository(db).get(person.id);
    if (!stored) throw Error(Error::Kind::NotFound, person.name + " is not a person of this practice");
    db.set_actor(*stored);
    impl_->signed_in = true;
}

Person OpenPractice::sign_in_new_person(const std::string& name, PersonRole role) {
    store::Database& db = database_of(*this);
    store::PeopleRepository people(db);
    if (people.find(name)) throw Error(Error::Kind::Invalid, name + " is already in this practice: choose them from the list");
    Person actor;
    actor.name = name;
    db.set_actor(actor);  // attributes the person's own creation row
    const Person created = people.find_or_create(name, role);
    db.set_actor(created);
    impl_->signed_in = true;
    return created;
}

void OpenPractice::sign_in_by_name(const std::string& name) {
    store::Database& db = database_of(*this);
    store::PeopleRepository people(db);
    if (db.read_only()) {
        Person reader;
        reader.name = name;
        if (auto existing = people.find(name)) reader = *existing;
        db.set_actor(reader);
    } else {
        Person actor;
        actor.name = name;
        db.set_actor(actor);  // attributes the person's own creation row
        db.set_actor(people.find_or_create(name));
    }
    impl_->signed_in = true;
}

bool OpenPractice::signed_in() const { return impl_->signed_in && !impl_->locked; }
const Person& OpenPractice::person() const { return database_of(const_cast<OpenPractice&>(*this)).actor(); }

// [SECTION] The practice

const std::filesystem::path& OpenPractice::path() const { return impl_->path; }
bool OpenPractice::encrypted() const { return database_of(const_cast<OpenPractice&>(*this)).encrypted(); }
bool OpenPractice::read_only() const { return impl_->read_only; }
int OpenPractice::schema_version() const { return database_of(const_cast<OpenPractice&>(*this)).schema_version(); }
std::string OpenPractice::cipher_version() const {
    return database_of(const_cast<OpenPractice&>(*this)).cipher_version();
}
RowId OpenPractice::default_scheme_id() const { return impl_->default_scheme_id; }
CodingScheme OpenPractice::default_scheme() const {
    if (impl_->default_scheme_id == 0) return load_default_scheme();
    return store::SchemeRepository(database_of(const_cast<OpenPractice&>(*this))).get(impl_->default_scheme_id);
}
std::uint64_t OpenPractice::data_version() const { return impl_->db ? impl_->db->data_version() : 0; }

CaseloadSummaries& OpenPractice::caseload_summaries() { return *impl_->caseload; }
BackgroundBackup& OpenPractice::background_backup() { return *impl_->backup; }

// [SECTION] Schemes and names

bool is_plaintext_practice(const std::filesystem::path& path) { return store::is_plaintext_sqlite(path); }

CodingScheme load_scheme_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw SchemeFormatError(path.string() + ": cannot read the file");
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return parse_scheme_json(text.str());
    } catch (const SchemeFormatError& e) {
        throw SchemeFormatError(path.string() + ": " + e.what());
    }
}

CodingScheme load_default_scheme() { return load_scheme_file(assets_dir() / "coding_scheme.json"); }

std::string default_user_name() {
    if (const char* user = std::getenv("ATTUNE_USER"); user && *user) return user;
    if (const passwd* entry = getpwuid(getuid()); entry && entry->pw_name) return entry->pw_name;
    if (const char* user = std::getenv("USER"); user && *user) return user;
    return "clinician";
}

}  // namespace attune::services
