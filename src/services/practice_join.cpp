// practice_join.cpp: `attune join` (rules in practice_join.h).
#include "services/practice_join.h"

#include "core/error.h"
#include "services/open_practice.h"
#include "services/practice_access.h"
#include "store/keyring.h"
#include "store/practice_server.h"

namespace attune::services {
namespace {

SecretString secret_of(const KeyMaterial& key) { return SecretString(key.view()); }

std::vector<Person> people_of(const std::vector<store::ServerPerson>& listed) {
    std::vector<Person> people;
    for (const store::ServerPerson& s : listed) {
        Person p;
        p.uuid = s.uuid;
        p.name = s.name;
        p.role = parse_person_role(s.role).value_or(PersonRole::Coder);
        p.public_key = s.public_key;
        people.push_back(std::move(p));
    }
    return people;
}

}  // namespace

std::unique_ptr<OpenPractice> join_practice(JoinRequest request, JoinReport& report) {
    std::error_code ec;
    if (std::filesystem::exists(request.path, ec))
        throw Error(Error::Kind::Invalid, "there is already a file at " + request.path.string() +
                                              ": joining makes a new one (give another --db); nothing was changed");
    if (request.passphrase.empty())
        throw Error(Error::Kind::WrongPassphrase,
                    "joining needs your own passphrase, the one your key slot was written with");
    const auto server = store::PracticeServer::connect(request.url);
    JoinOffer& offer = report.offer;
    offer.where = server->where();
    const store::ServerLogin login = server->login();
    offer.login = login.login;
    if (login.person_uuid.empty())
        throw Error(Error::Kind::Denied, "the login " + login.login + " on the practice server (" + offer.where +
                                             ") is no person of the practice: join with your own login");
    const std::vector<Person> people = people_of(server->people());
    const Person* me = nullptr;
    for (const Person& p : people)
        if (p.uuid == login.person_uuid) me = &p;
    if (!me || !same_person_name(me->name, request.name))
        throw Error(Error::Kind::Invalid, "the login " + login.login + " on the practice server (" + offer.where +
                                              ") is " + (me ? me->name + "'s" : std::string("nobody's")) +
                                              ", not " + request.name + "'s: join with your own name and login");
    offer.person_name = me->name;

    const std::string slot_text = server->own_key_slot();
    if (slot_text.empty())
        throw Error(Error::Kind::NotFound, "the practice server (" + offer.where + ") has no key slot for " +
                                               me->name + ": ask an administrator to run attune server add-person "
                                               "--name '" + me->name + "' again with this Attune");
    const store::Keyring slot = store::Keyring::parse(slot_text, "your key slot on the practice server");
    if (slot.slots().size() != 1 || !slot.find_person(login.person_uuid))
        throw Error(Error::Kind::Invalid, "the key slot the practice server (" + offer.where + ") gives " +
                                              me->name + " is not theirs alone: nothing was written");
    // The slot's associated data authenticates its person and the practice's
    // root: a slot the server made up does not open with this passphrase.
    store::UnlockedPerson unlocked =
        slot.unlock_person(login.person_uuid, secret_of(request.passphrase), request.kdf_minimum);
    unlocked.person.name = me->name;  // the slot's name is a hint; the log certifies the name with the key
    const TrustRoot& root = unlocked.trust_root;
    offer.administrator_name = "(a person the server does not list)";
    for (const Person& p : people)
        if (p.uuid == root.founding_administrator_uuid) offer.administrator_name = p.name;
    offer.fingerprint = crypto::fingerprint(root.founding_administrator_key);
    if (!request.confirm || !request.confirm(offer))
        throw Error(Error::Kind::Denied,
                    "not joined: the founding administrator's key fingerprint was not confirmed; nothing was written");

    store::NewKeyring keys =
        store::Keyring::for_person_copy(root.practice_uuid, unlocked, secret_of(request.passphrase), request.kdf);
    request.passphrase.wipe();
    const std::string me_uuid = me->uuid;
    const crypto::Bytes my_key = unlocked.public_key;
    report.people = static_cast<int>(people.size());
    return PracticeAccess::create_person_copy(
        request.path, std::move(keys), people, offer.administrator_name, request.kdf, [&](OpenPractice& practice) {
            report.sync = sync_with_server(practice, request.url);
            // The practice's log, taken only when it verifies from the root in the
            // person's own slot, must certify the key they sign with as their newest.
            if (practice.trust().current_key(me_uuid) != my_key)
                throw Error(Error::Kind::Denied,
                            "the practice's signed log on the server (" + offer.where +
                                ") does not certify the key in your slot as your current one: not joined, nothing was written (ask "
                                "an administrator)");
            PracticeAccess::record_audit(practice, "join", "person", me_uuid,
                                         "server=" + offer.where + " login=" + offer.login +
                                             " administrator_fingerprint=" + offer.fingerprint);
        });
}

// [SECTION] In the background, for the window

BackgroundJoin::BackgroundJoin(JoinRequest request, std::function<void()> wake) : wake_(std::move(wake)) {
    thread_ = std::thread([this, request = std::move(request)]() mutable { run(std::move(request)); });
}

BackgroundJoin::~BackgroundJoin() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!answer_) answer_ = false;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void BackgroundJoin::run(JoinRequest request) {
    request.confirm = [this](const JoinOffer& offer) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            report_.offer = offer;
        }
        move_to(Stage::Confirm);
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return answer_.has_value(); });
        return *answer_;
    };
    try {
        JoinReport report;
        std::unique_ptr<OpenPractice> practice = join_practice(std::move(request), report);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            report_ = std::move(report);
            practice_ = std::move(practice);
        }
        move_to(Stage::Joined);
    } catch (const std::exception& e) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            error_ = e.what();
        }
        move_to(Stage::Failed);
    }
}

void BackgroundJoin::move_to(Stage stage) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stage_ = stage;
    }
    if (wake_) wake_();  // the window first; a waiter may still see the stage before it returns
    changed_.notify_all();
}

BackgroundJoin::Stage BackgroundJoin::stage() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stage_;
}

BackgroundJoin::Stage BackgroundJoin::wait_while_working() const {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return stage_ != Stage::Working; });
    return stage_;
}

JoinOffer BackgroundJoin::offer() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return report_.offer;
}

void BackgroundJoin::answer(bool go) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stage_ != Stage::Confirm || answer_) return;
        answer_ = go;
        stage_ = Stage::Working;  // on to the file, or to the refusal
    }
    changed_.notify_all();
}

std::string BackgroundJoin::error() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return error_;
}

std::unique_ptr<OpenPractice> BackgroundJoin::take_practice() {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::move(practice_);
}

JoinReport BackgroundJoin::report() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return report_;
}

}  // namespace attune::services
