// cases.h: cases, their sessions and single observations: the use cases the
// caseload, the case view and the command line's `case`, `session` and `log`
// share. Every function throws attune::Error with one plain sentence.
#pragma once

#include "core/model.h"
#include "core/records.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace attune::services {

class OpenPractice;

// [SECTION] Cases
std::vector<CaseSummary> list_cases(OpenPractice& practice);
// Creates the case with both partners. `clinician_name` names its clinician
// (found, or created as a clinician); empty: the person signed in.
Case add_case(OpenPractice& practice, Case draft, const std::string& clinician_name = "");
void update_case(OpenPractice& practice, const Case& c);
std::optional<Case> get_case(OpenPractice& practice, RowId case_id);
// By label; NotFound names the label and where to look.
Case find_case(OpenPractice& practice, const std::string& label);

// [SECTION] Sessions
std::vector<Session> list_sessions(OpenPractice& practice, RowId case_id);  // date order
std::optional<Session> get_session(OpenPractice& practice, RowId session_id);
// Session `number`, else the case's unfinished session, else its latest one.
Session find_session(OpenPractice& practice, const Case& c, std::optional<int> number);
// Sessions not ended (Attune may have been killed during them), oldest first.
std::vector<Session> unfinished_sessions(OpenPractice& practice);
// The case's session in progress if there is one, else a new one started now
// (`date` empty: today). `started` says which.
struct SessionStart {
    Session session;
    bool started = false;
};
SessionStart start_or_resume_session(OpenPractice& practice, RowId case_id, const std::string& date = "");
// A new session; Invalid while another session of the case is in progress.
Session start_session(OpenPractice& practice, RowId case_id, const std::string& date = "");
// The session clock now: banked seconds plus the running time since it resumed.
double session_clock_now(OpenPractice& practice, const Session& s);
int observation_count(OpenPractice& practice, RowId session_id);

// Ends a session (closing running states) at `active_seconds` (empty: the
// clock now) unless it has ended already, then sets what is given.
struct SessionEnding {
    std::optional<double> active_seconds;
    std::optional<int> stage, step;
    std::optional<int> attunement_a, attunement_b, safety;
};
Session end_session(OpenPractice& practice, const Session& s, const SessionEnding& ending);

// Marks a session "not for trends" with the clinician's reason (a test, an
// aborted or individual session), or counts it again (nullopt); audited.
// Invalid for an empty reason. Returns the session as stored.
Session set_not_for_trends(OpenPractice& practice, const Session& s, const std::optional<std::string>& reason);

// [SECTION] One observation (the command line's `log`)
struct LogRequest {
    Who who = Who::A;
    std::string code;  // id or label
    std::optional<double> at;  // session seconds; empty: the clock now (not for an ended session)
    std::optional<double> stop;  // a state event given whole
    std::optional<int> intensity;
    std::string note;
};
// Committed before it returns. Throws Invalid for an unknown code (naming the
// scheme), a point code given a stop, an ended session without --at.
Observation log_observation(OpenPractice& practice, const Session& s, const LogRequest& request);

// For the crash-consistency test: logs `count` observations through the live
// logging path, calling `committed` with each id after its commit.
void stress_log(OpenPractice& practice, const Session& s, int count,
                const std::function<void(RowId id, bool stopped_a_state)>& committed);

}  // namespace attune::services
