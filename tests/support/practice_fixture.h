// practice_fixture.h: a new encrypted practice database for a test, a couple's
// case or a demo caseload in it (header only: the core tests, which link no io, never include it).
#pragma once

#include "io/demo.h"
#include "io/practice.h"
#include "store/repositories.h"

#include <filesystem>
#include <string>

namespace attune::test {

inline io::Practice new_practice(const std::filesystem::path& path, const std::string& passphrase = "correct horse",
                                 const std::string& user = "Dr Test") {
    store::OpenOptions options;
    options.path = path;
    options.passphrase = passphrase;
    options.create_if_missing = true;
    return io::open_practice(options, user);
}

// A couple's case with only a label and the partners' display names, created in `db`.
inline Case add_couple(store::Database& db, const std::string& label, const std::string& partner_a = "Ana",
                       const std::string& partner_b = "Ben") {
    Case c;
    c.label = label;
    c.partner_a.display_name = partner_a;
    c.partner_b.display_name = partner_b;
    return store::CaseRepository(db).create(c);
}

// A demo caseload (io::generate_demo, seed 1) of `cases` couples with
// `sessions` sessions each and `events` observations per ended session,
// anchored at `today`.
inline void add_demo(store::Database& db, int cases, int sessions, int events,
                     const std::string& today = "2026-11-22") {
    io::DemoOptions demo;
    demo.cases = cases;
    demo.sessions_per_case = sessions;
    demo.events_per_session = events;
    demo.today = today;
    io::generate_demo(db, demo);
}

}  // namespace attune::test
