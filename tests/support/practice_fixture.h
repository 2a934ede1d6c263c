// practice_fixture.h: a new encrypted practice for a test (services::OpenPractice,
// as the window and the command line open one, with its founding
// administrator signed in), people, a couple's case or a demo caseload in it. Header only: the core, store and formats tests never include it.
#pragma once

#include "services/cases.h"
#include "services/demo.h"
#include "services/open_practice.h"
#include "services/people.h"

#include <filesystem>
#include <memory>
#include <string>

namespace attune::test {

// Key slots in tests are written with libsodium's lowest Argon2id limits, set
// here in C++ (the command line, the environment and files cannot lower
// them): a practice made this way opens only in-process, through these
// helpers. Practices for the real binary are made with
// moderate_practice() (the limits everyone else gets).
inline constexpr crypto::KdfLimits kTestKdf = crypto::kKdfLibraryMinimum;

inline services::OpenRequest test_request(const std::filesystem::path& path, const std::string& passphrase,
                                          const std::string& user) {
    services::OpenRequest request;
    request.path = path;
    request.person = user;
    if (!passphrase.empty()) request.passphrase = services::KeyMaterial(passphrase);
    request.kdf = kTestKdf;
    request.kdf_minimum = kTestKdf;
    return request;
}

// Signs `user` in with their passphrase.
inline std::unique_ptr<services::OpenPractice> open_practice(const std::filesystem::path& path,
                                                            const std::string& passphrase = "correct horse",
                                                            const std::string& user = "Dr Test",
                                                            bool create_if_missing = false, bool read_only = false) {
    services::OpenRequest request = test_request(path, passphrase, user);
    request.create_if_missing = create_if_missing;
    request.new_administrator = user;
    request.read_only = read_only;
    return services::OpenPractice::open(std::move(request));
}

// A new practice whose founding administrator (also a clinician) is `user`.
inline std::unique_ptr<services::OpenPractice> new_practice(const std::filesystem::path& path,
                                                           const std::string& passphrase = "correct horse",
                                                           const std::string& user = "Dr Test") {
    return open_practice(path, passphrase, user, true);
}

// A person added by the administrator signed in to `practice`, with their own passphrase.
inline Person add_person(services::OpenPractice& practice, const std::string& name, GrantRole role,
                         const std::string& passphrase = "their passphrase", bool administrator = false) {
    return services::add_person(practice, name, role, administrator, services::KeyMaterial(passphrase));
}

// A couple's case with only a label and the partners' display names.
inline Case add_couple(services::OpenPractice& practice, const std::string& label, const std::string& partner_a = "Ana",
                       const std::string& partner_b = "Ben") {
    Case c;
    c.label = label;
    c.partner_a.display_name = partner_a;
    c.partner_b.display_name = partner_b;
    return services::add_case(practice, c);
}

// A demo caseload (services::generate_demo, seed 1) of `cases` couples with
// `sessions` sessions each and `events` observations per ended session,
// anchored at `today`.
inline void add_demo(services::OpenPractice& practice, int cases, int sessions, int events,
                     const std::string& today = "2026-11-22") {
    services::DemoOptions demo;
    demo.cases = cases;
    demo.sessions_per_case = sessions;
    demo.events_per_session = events;
    demo.today = today;
    services::generate_demo(practice, demo);
}

}  // namespace attune::test
