// cli_practice.h: practices the real `attune` binary opens (key slots with
// the MODERATE Argon2id limits everyone gets), made once per test process and
// copied for each test: every copy has the same people and passphrases.
//   "Dr Test"   (administrator, clinician)   passphrase "test passphrase"
// run_attune() signs in as Dr Test with that passphrase unless told otherwise.
#pragma once

#include "support/practice_fixture.h"
#include "support/test_support.h"

#include <filesystem>

namespace attune::test {

inline constexpr const char* kCliUser = "Dr Test";
inline constexpr const char* kCliPassphrase = "test passphrase";

// Copies the template practice (made on first use) to `db` (and its keyring beside it).
inline void make_cli_practice(const std::filesystem::path& db) {
    static TempDir templates;
    static const std::filesystem::path made = [] {
        const std::filesystem::path path = templates / "template.attune-db";
        services::OpenRequest request;
        request.path = path;
        request.person = kCliUser;
        request.new_administrator = kCliUser;
        request.passphrase = services::KeyMaterial(kCliPassphrase);
        request.create_if_missing = true;
        services::OpenPractice::open(std::move(request));  // closed at once: the WAL is folded in
        return path;
    }();
    std::filesystem::copy_file(made, db, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(made.string() + ".keyring", db.string() + ".keyring",
                               std::filesystem::copy_options::overwrite_existing);
}

}  // namespace attune::test
