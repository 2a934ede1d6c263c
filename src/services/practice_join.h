// practice_join.h: `attune join` (issue 21). A person's own copy of the
// practice, made on their machine from the practice server: their key slot
// (published by `attune server add-person`, readable only by their login and
// the administrators) is opened with their own passphrase, which gives their
// signing key and the practice's trust root; they confirm the founding
// administrator's key fingerprint; a new practice file is made with a new
// data key, their slot (same key pair, same root) and the practice's people;
// then one sync pulls what they may see, and the practice's signed log is
// taken only when it verifies from that root. Anything that fails leaves no
// file behind.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/crypto.h"
#include "services/key_material.h"
#include "services/practice_sync.h"

namespace attune::services {

class OpenPractice;

// What the person is asked to confirm before anything is written.
struct JoinOffer {
    std::string where;               // the server, without the password
    std::string login;               // their login role
    std::string person_name;         // who the login is
    std::string administrator_name;  // the practice's founding administrator, as the server names them
    // Of the founding administrator's public key, as the person's own slot
    // authenticates it (crypto::fingerprint); the administrator tells them
    // theirs (attune server add-person prints it).
    std::string fingerprint;
};

struct JoinRequest {
    std::filesystem::path path;  // the new practice file; nothing may be there
    std::string url;             // the person's own login (as for attune sync)
    std::string name;            // who joins: must be the login's person
    KeyMaterial passphrase;      // their own, as their key slot was written with
    // Shown the offer; true to go on, false to stop with nothing written.
    std::function<bool(const JoinOffer&)> confirm;
    // Only tests pass lower limits (as OpenRequest).
    crypto::KdfLimits kdf = crypto::kKdfModerate;
    crypto::KdfLimits kdf_minimum = crypto::kKdfModerate;
};

struct JoinReport {
    JoinOffer offer;
    int people = 0;   // people of the practice recorded in the new file
    SyncReport sync;  // the first sync's
};

// Makes the new file, signs the person in and syncs once. Throws
// attune::Error, one line, with no file left at `path`: Invalid (a file is
// there, the name is not the login's person, a slot that is not theirs),
// NotFound (no key slot published for the login), WrongPassphrase, Denied
// (the fingerprint not confirmed, the login refused, the practice's log does
// not certify their key), Io (the server cannot be reached).
std::unique_ptr<OpenPractice> join_practice(JoinRequest request, JoinReport& report);

// join_practice on a thread of its own, for the window: the network, the key
// derivations and the new file never run inside a frame. The thread stops at
// the offer until answer() is called.
class BackgroundJoin {
public:
    enum class Stage { Working, Confirm, Joined, Failed };

    // Starts at once; request.confirm is replaced by the Confirm stage.
    // `wake` is called on the thread whenever stage() moves (the window posts
    // an empty event to wake its loop).
    BackgroundJoin(JoinRequest request, std::function<void()> wake);
    // Answers "no" to an offer still waiting, and waits for the thread (no
    // file is left then).
    ~BackgroundJoin();
    BackgroundJoin(const BackgroundJoin&) = delete;
    BackgroundJoin& operator=(const BackgroundJoin&) = delete;

    Stage stage() const;
    // Blocks while the stage is Working (tests); returns the next one.
    Stage wait_while_working() const;
    JoinOffer offer() const;  // from Confirm on
    void answer(bool go);     // in Confirm: go on, or stop with nothing written
    std::string error() const;  // in Failed: one line
    // In Joined, once: the new practice, signed in; and what the join did.
    std::unique_ptr<OpenPractice> take_practice();
    JoinReport report() const;

private:
    void run(JoinRequest request);
    void move_to(Stage stage);

    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    Stage stage_ = Stage::Working;
    std::optional<bool> answer_;
    std::string error_;
    std::unique_ptr<OpenPractice> practice_;
    JoinReport report_;
    std::function<void()> wake_;
    std::thread thread_;
};

}  // namespace attune::services
