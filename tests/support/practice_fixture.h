// practice_fixture.h: a new encrypted practice database for a test, and a demo
// caseload in it (header only: the core tests, which link no io, never include it).
#pragma once

#include "io/demo.h"
#include "io/practice.h"

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
