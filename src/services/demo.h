// demo.h: `attune demo`: a realistic synthetic caseload for trying the app,
// screenshots and performance work.
//
// What it writes (see shared DOMAIN.md for the vocabulary):
// - 3 to 4 clinicians and one supervisor; cases spread across the clinicians,
//   each a couple with a pursuer and a withdrawer, pseudonymous labels
//   ("Couple 001 (Maple)"), partner names from several cultures (UTF-8),
//   attachment-style impressions, goals, statuses (mostly active).
// - About two thirds of the couples improve (ruptures fall, repairs rise, EFT
//   stage 1 -> 2 -> 3) and a third are stuck (ruptures flat or rising, few
//   repairs, stage 1); ratings, DAP progress notes, private process notes and
//   homework follow the trajectory.
// - Every ended session has exactly `events_per_session` observations by the
//   case's clinician; the supervisor has also coded one session of every
//   fourth case (cases 2, 6, 10, ...) so that agreement can be shown.
// - The latest session of the first case is still running, with fewer
//   observations and a `shut_down` state event still open.
//
// Content (labels, names, codes, times, notes, dates for a given `today`) is a
// pure function of the options: the seed drives a std::mt19937_64 through our
// own integer arithmetic, never std::uniform_*_distribution, whose output
// differs between standard libraries. Uuids and timestamps are not part of it.
#pragma once


#include <cstdint>
#include <functional>
#include <string>

namespace attune::services {

class OpenPractice;

struct DemoOptions {
    int cases = 12;               // 1..5000
    int sessions_per_case = 8;    // 1..500
    int events_per_session = 60;  // 1..2000, per ended session
    std::uint64_t seed = 1;
    // Called with 0, then after each case written, ending with 1 (on the calling thread); may be empty.
    std::function<void(double fraction)> progress;
    // The date the caseload is anchored at (yyyy-mm-dd): active cases have
    // their latest session within the two weeks before it and the running
    // session on it. Empty = today's local date.
    std::string today;
};

struct DemoReport {
    int clinicians = 0;    // people with role clinician that hold demo cases (not the supervisor)
    int cases = 0;
    int sessions = 0;
    int observations = 0;  // every rater's, including the running session's
};

// Writes the caseload into the practice (whose default coding scheme is stored): whole cases, about 60,000
// observations to a transaction, which takes about a second for the default
// size and well under a minute of CPU for 1.2 million observations.
// Throws attune::Error: Invalid for options out of range, for a scheme without
// the default codes, or for a database that already holds cases (a demo never
// mixes with real couples; checked before anything is written); other kinds
// as the store reports them. A failure part-way keeps the cases already
// written, each of them whole.
DemoReport generate_demo(OpenPractice& practice, const DemoOptions& options);

// The practice is a demo of invented couples: generate_demo marked it (in the
// practice's own settings table). One query: the window asks once per data
// version, never per frame. False once locked.
bool is_demo_practice(OpenPractice& practice);

}  // namespace attune::services
