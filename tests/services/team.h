// team.h: a practice of several people for the tests of who may do what
// (issue 16): "Dr Test" made it (administrator and clinician) and adds the
// others, each with their own passphrase; sign_in_as() closes the practice
// and opens it again as someone else, as a second person at the same
// computer would (one person at a time has a practice file open).
#pragma once

#include <catch2/catch_test_macros.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "services/cases.h"
#include "services/live_session.h"
#include "services/open_practice.h"
#include "services/people.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

namespace attune::test {

// What refused an action: the kind of attune::Error it threw (none: it was
// allowed, which CHECKs against any kind then report) and its sentence.
struct Refusal {
    std::optional<Error::Kind> kind;
    std::string message = "(nothing was refused)";
    const char* what() const { return message.c_str(); }
};
template <typename Action>
Refusal refusal(Action&& action) {
    try {
        action();
    } catch (const Error& e) {
        return {e.kind(), e.what()};
    }
    return {};
}

struct Team {
    TempDir dir;
    std::filesystem::path path = dir / "team.db";
    std::unique_ptr<services::OpenPractice> practice = new_practice(path, passphrase_of("Dr Test"), "Dr Test");

    static std::string passphrase_of(const std::string& name) {
        return name == "Dr Test" ? "correct horse" : name + "'s own passphrase";
    }
    services::OpenPractice& p() { return *practice; }
    // Added by whoever is signed in (an administrator).
    Person add(const std::string& name, GrantRole role, bool administrator = false) {
        return add_person(*practice, name, role, passphrase_of(name), administrator);
    }
    services::OpenPractice& sign_in_as(const std::string& name) {
        practice.reset();
        practice = open_practice(path, passphrase_of(name), name);
        return *practice;
    }
};

// What the session view shows of a session, loaded as the person signed in
// and then let go; `errors` collects what it reported.
struct SessionViewLoad {
    bool loaded = false;
    ProgressNote progress_note;
    std::string process_note;
    std::vector<std::string> errors;
};
inline SessionViewLoad load_in_session_view(services::OpenPractice& practice, RowId session_id) {
    SessionViewLoad out;
    services::LiveSession live(practice, [&](bool is_error, const std::string& text) {
        if (is_error) out.errors.push_back(text);
    });
    out.loaded = live.sync(session_id, 0);
    out.progress_note = live.progress_note;
    out.process_note = live.process_note;
    return out;
}

// An ended session of `c` (its clinician signed in) with three observations
// at 10, 40 and 50-80 s, stage 1 step 2, safety 6, a progress note and a
// private process note.
inline Session coded_session(services::OpenPractice& practice, const Case& c, const std::string& date,
                             const std::string& process_note) {
    Session s = services::start_session(practice, c.id, date);
    const auto log = [&](Who who, const char* code, double at, std::optional<double> stop = std::nullopt) {
        services::LogRequest request;
        request.who = who;
        request.code = code;
        request.at = at;
        request.stop = stop;
        services::log_observation(practice, s, request);
    };
    log(Who::A, "blame_shift", 10);
    log(Who::B, "validate", 40);
    log(Who::B, "shut_down", 50, 80.0);
    services::SessionEnding ending;
    ending.active_seconds = 600;
    ending.stage = 1;
    ending.step = 2;
    ending.safety = 6;
    s = services::end_session(practice, s, ending);
    std::vector<std::string> errors;
    services::LiveSession live(practice, [&](bool is_error, const std::string& text) {
        if (is_error) errors.push_back(text);
    });
    REQUIRE(live.sync(s.id, 0));
    live.progress_note = {"Progress of " + date, "Assessed " + date, "Plan after " + date};
    live.progress_note_edited(0);
    live.process_note = process_note;
    live.process_note_edited(0);
    live.flush_notes();
    REQUIRE(errors.empty());
    return s;
}

}  // namespace attune::test
