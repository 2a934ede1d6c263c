// model.h: Attune's domain objects as plain structs (see shared DOMAIN.md).
// No I/O, no UI: every layer above speaks in these types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attune {

using RowId = std::int64_t;  // database row id; 0 means "not stored yet"

// Who an observation is about. Stable text ids: "A", "B", "both", "therapist".
enum class Who { A, B, Both, Therapist };
std::string_view to_string(Who who);
std::optional<Who> parse_who(std::string_view text);  // case-insensitive
Who other_partner(Who who);                           // A<->B; others unchanged

enum class Polarity { Rupture, Signal, Repair, Intervention };
std::string_view to_string(Polarity polarity);  // "rupture","signal","repair","intervention"
std::optional<Polarity> parse_polarity(std::string_view text);
// In words for people: "rupture", "attachment signal", "repair", "therapist move".
std::string_view polarity_words(Polarity polarity);

enum class CycleRole { None, Pursue, Withdraw };
std::string_view to_string(CycleRole role);  // "none","pursue","withdraw"
std::optional<CycleRole> parse_cycle_role(std::string_view text);

// Point events have one time; state events a start and a stop.
enum class EventKind { Point, State };
std::string_view to_string(EventKind kind);  // "point","state"
std::optional<EventKind> parse_event_kind(std::string_view text);

enum class CaseStatus { Active, Paused, Closed };
std::string_view to_string(CaseStatus status);  // "active","paused","closed"
std::optional<CaseStatus> parse_case_status(std::string_view text);

enum class SessionState { Running, Paused, Ended };
std::string_view to_string(SessionState state);  // "running","paused","ended"
std::optional<SessionState> parse_session_state(std::string_view text);

// Attachment-style impression of a participant.
// "secure","anxious","avoidant","disorganized","unclear"; empty = not recorded.
bool is_valid_attachment_style(std::string_view text);
// A partner's position in the couple's negative cycle, as the clinician sees
// it (DOMAIN.md, "Negative cycle"): "pursuer", "withdrawer"; empty = not recorded.
bool is_valid_cycle_position(std::string_view text);

enum class PersonRole { Clinician, Supervisor, Coder };
std::string_view to_string(PersonRole role);  // "clinician","supervisor","coder"
std::optional<PersonRole> parse_person_role(std::string_view text);

// A clinician, supervisor or research coder: anyone who codes or writes.
struct Person {
    RowId id = 0;
    std::string uuid;
    std::string name;
    PersonRole role = PersonRole::Clinician;  // the main role, for display; what a person may do is their grants'
    std::string public_key;                   // Ed25519, hex, as an administrator certified it; empty when none
};
// People's names are compared ignoring ASCII case, as the people table does.
bool same_person_name(std::string_view a, std::string_view b);

struct Participant {
    Who role = Who::A;              // A or B
    std::string display_name;       // name or initials
    std::string attachment_style;   // see is_valid_attachment_style; may be empty
    std::string cycle_position;     // see is_valid_cycle_position; may be empty
};

struct Case {
    RowId id = 0;
    std::string uuid;
    std::string label;       // pseudonymous, unique in a database
    RowId clinician_id = 0;  // Person
    std::string clinician_name;
    RowId supervisor_id = 0;  // Person who supervises (and alone co-signs) the case; 0 = none named
    std::string supervisor_name;
    std::string start_date;  // ISO yyyy-mm-dd
    CaseStatus status = CaseStatus::Active;
    std::string goals;
    Participant partner_a{Who::A, "", "", ""};
    Participant partner_b{Who::B, "", "", ""};
    RowId scheme_id = 0;  // the scheme version this case codes with
};

struct Ratings {
    std::optional<int> attunement_a;  // 0-10
    std::optional<int> attunement_b;  // 0-10
    std::optional<int> safety;        // 0-10, overall safety
};

struct Session {
    RowId id = 0;
    std::string uuid;
    RowId case_id = 0;
    int number = 0;           // 1-based within the case
    std::string date;         // ISO yyyy-mm-dd
    std::string start_time;   // HH:MM local
    double active_seconds = 0;  // session-clock length, pauses excluded
    SessionState state = SessionState::Running;
    std::optional<int> eft_stage;  // 1-3
    std::optional<int> eft_step;   // 1-9
    Ratings ratings;
    RowId scheme_id = 0;
    // The clinician's reason for leaving this session out of trends (a test, an
    // aborted or individual session); empty = counted by the usual rule.
    std::string not_for_trends;
};

// One coded moment. Times are session-clock seconds (pauses excluded).
struct Observation {
    RowId id = 0;
    std::string uuid;
    RowId session_id = 0;
    RowId rater_id = 0;  // Person who coded it
    double t = 0;                  // start (or only) time, seconds
    std::optional<double> stop;    // state events only; open while running
    Who who = Who::A;
    std::string code_id;
    std::optional<int> intensity;  // 1-3
    std::string comment;           // quote or comment
    bool deleted = false;          // soft delete
    EventKind kind = EventKind::Point;  // a state event may still be running (stop empty)
};

// Who wrote a note's Assessment: the clinician, or Attune's draft (written from
// the coded session) that the clinician accepted as it stands.
enum class AssessmentSource { Clinician, AcceptedDraft };
std::string_view to_string(AssessmentSource source);  // "clinician","accepted_draft"
std::optional<AssessmentSource> parse_assessment_source(std::string_view text);

// DAP progress note. Private process notes are a separate object on purpose.
struct ProgressNote {
    std::string data;
    std::string assessment;
    std::string plan;
    // Not part of the signed content (the three fields are): it only says who wrote the Assessment.
    AssessmentSource assessment_source = AssessmentSource::Clinician;
};

struct Homework {
    RowId id = 0;
    std::string uuid;
    RowId case_id = 0;
    RowId agreed_session_id = 0;    // session where it was agreed
    std::string description;        // e.g. "weekly check-in"
    std::optional<bool> done;       // checked off at the next session; empty = not yet
};

}  // namespace attune
