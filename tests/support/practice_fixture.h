// practice_fixture.h: a new encrypted practice for a test (services::OpenPractice,
// as the window and the command line open one), a couple's case or a demo
// caseload in it. Header only: the core, store and formats tests never include it.
#pragma once

#include "services/cases.h"
#include "services/demo.h"
#include "services/open_practice.h"

#include <filesystem>
#include <memory>
#include <string>

namespace attune::test {

inline std::unique_ptr<services::OpenPractice> open_practice(const std::filesystem::path& path,
                                                            const std::string& passphrase = "correct horse",
                                                            const std::string& user = "Dr Test",
                                                            bool create_if_missing = false, bool read_only = false) {
    services::OpenRequest request;
    request.path = path;
    if (!passphrase.empty()) request.passphrase = services::KeyMaterial(passphrase);
    request.create_if_missing = create_if_missing;
    request.read_only = read_only;
    auto practice = services::OpenPractice::open(std::move(request));
    practice->sign_in_by_name(user);
    return practice;
}

inline std::unique_ptr<services::OpenPractice> new_practice(const std::filesystem::path& path,
                                                           const std::string& passphrase = "correct horse",
                                                           const std::string& user = "Dr Test") {
    return open_practice(path, passphrase, user, true);
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
