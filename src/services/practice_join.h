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

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

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

}  // namespace attune::services
