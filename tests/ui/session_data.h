// session_data.h: sessions, observations and notes put into a practice before
// the window shows it, and read back afterwards, through the services as the
// window itself does (test_ui links no store). Header only, for tests/ui.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/dates.h"
#include "core/session_clock.h"
#include "services/cases.h"
#include "services/export.h"
#include "services/live_session.h"
#include "services/open_practice.h"
#include "services/supervision.h"
#include "support/practice_fixture.h"

namespace attune::test {

// The same practice with `name` signed in instead, with their own passphrase
// (the practice given is locked first): how another person sees and writes it.
inline std::unique_ptr<services::OpenPractice> sign_in_as(std::unique_ptr<services::OpenPractice> practice,
                                                          const std::string& name,
                                                          const std::string& passphrase = "their passphrase") {
    const std::filesystem::path path = practice->path();
    practice.reset();
    return open_practice(path, passphrase, name);
}

// One observation by the person signed in, at `t` session seconds.
inline Observation add_observation(services::OpenPractice& practice, const Session& s, Who who, double t,
                                   const std::string& code) {
    services::LogRequest request;
    request.who = who;
    request.code = code;
    request.at = t;
    return services::log_observation(practice, s, request);
}

// Ends the session at `active_seconds` of session time.
inline Session end_session(services::OpenPractice& practice, const Session& s, double active_seconds) {
    services::SessionEnding ending;
    ending.active_seconds = active_seconds;
    return services::end_session(practice, s, ending);
}

// Saves the notes as the live view does (services::LiveSession); for an ended
// session or one just started, which the live view never takes for a crash.
inline void save_notes(services::OpenPractice& practice, RowId session_id, const ProgressNote& note,
                       const std::string& process_note) {
    services::LiveSession live(practice);
    const double now = wall_clock_seconds();
    live.sync(session_id, now);
    live.progress_note = note;
    live.progress_note_edited(now);
    live.process_note = process_note;
    live.process_note_edited(now);
    live.flush_notes();
}

// A couple whose session numbers differ from their date order, each ended at
// 10 minutes, A's ruptures (blame_shift) and B's repairs (validate, 30 s later):
//   S1 on 2026-03-10: ruptures at 10 and 400 s, one repaired -> repair rate 0.5
//   S2 on 2026-03-03: rupture at 10 s, repaired             -> repair rate 1.0
//   S3 on 2026-03-17: rupture at 10 s, not repaired         -> repair rate 0.0
// In date order: S2, S1, S3.
inline Case add_case_out_of_date_order(services::OpenPractice& practice) {
    Case draft;
    draft.label = "Couple Order";
    draft.partner_a.display_name = "Ana";
    draft.partner_b.display_name = "Ben";
    const Case c = services::add_case(practice, draft);
    const auto session = [&](const char* date, std::vector<std::pair<double, const char*>> events) {
        const Session s = services::start_session(practice, c.id, date);
        for (const auto& [t, code] : events)
            add_observation(practice, s, std::string(code) == "validate" ? Who::B : Who::A, t, code);
        end_session(practice, s, 600);
    };
    session("2026-03-10", {{10, "blame_shift"}, {40, "validate"}, {400, "blame_shift"}});
    session("2026-03-03", {{10, "blame_shift"}, {40, "validate"}});
    session("2026-03-17", {{10, "blame_shift"}});
    return c;
}

// The private process note of an ended session as stored (a running one
// would be taken for a crash and paused by the LiveSession reading it).
inline std::string stored_process_note(services::OpenPractice& practice, const Session& ended) {
    services::LiveSession live(practice);
    live.sync(ended.id, wall_clock_seconds());
    return live.process_note;
}

// The progress note as stored.
inline ProgressNote stored_note(services::OpenPractice& practice, const Session& s) {
    return services::load_session_review(practice, s.case_id, s.id).note;
}

// Every rater's observations of the session, not deleted, in time order.
inline std::vector<Observation> stored_observations(services::OpenPractice& practice, const Session& s) {
    return services::load_supervision(practice, s.case_id, s.id).observations;
}

inline Session stored_session(services::OpenPractice& practice, RowId session_id) {
    return services::get_session(practice, session_id).value();
}

// The session note as `attune export --format txt --session N` writes it
// (with the private process note when asked), not delivered: nothing audited.
inline std::string session_note_text(services::OpenPractice& practice, const Session& s, bool include_private = false) {
    services::ExportOptions options;
    options.format = "txt";
    options.session_number = s.number;
    options.include_private = include_private;
    return services::ExportJob(practice, services::get_case(practice, s.case_id).value(), options).text();
}

}  // namespace attune::test
