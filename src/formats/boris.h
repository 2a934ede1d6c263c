// boris.h: reading BORIS files (Behavioral Observation Research Interactive
// Software) as Attune sessions. Writing them is formats/boris_write.h.
//
// Three steps, each testable on its own:
//   1. parse_boris_file: a BORIS project (.boris or .boris.gz, JSON) or an
//      event export (tabular or aggregated, tab-, comma- or semicolon-
//      separated) -> BorisData, with START/STOP/POINT status on every event.
//      No scheme, no database. A file that is not BORIS data at all, is
//      damaged or is too big or too deep is refused (BorisImportError).
//   2. plan_boris_import: BorisData + coding scheme + options -> one
//      PlannedSession per session (usually per BORIS observation), and the
//      observations left out, each with the reason. Pure. Names that match
//      nothing (subjects, behaviours) refuse the whole file in one message.
//   3. services/boris_import.h writes a plan in one store transaction.
//
// Decisions:
//   - A BORIS state (START..STOP) of an Attune state code becomes one state
//     observation; of an Attune point code a point at its start (reported
//     with how many durations were dropped). A BORIS point of a state code
//     becomes a zero-length state, so a state code never holds a point.
//   - An unpaired START of a state code leaves its observation out, unless
//     close_unpaired: then it stops 1 ms after the observation's last event,
//     each further one 1 ms later, as BORIS's "Fix unpaired events" does. An
//     unpaired START of a point code is a point at its start.
//   - START/STOP pair per (subject, behaviour, modifiers), as BORIS does; in a
//     project the status comes from counting, as BORIS counts.
//   - NaN, Infinity and null times are missing: those events are left out and
//     reported; an observation with no timed event left is left out.
//   - Day-clock and epoch times (BORIS live observations "from the current
//     time") are rebased to the observation's start.
//   - Session length = max(last event, media duration, BORIS's observation
//     interval end, Attune's own "session length (s)" variable).
//   - Observations that Attune exported (variables "case" and "session") are
//     grouped back into one session per session, one layer per "rater".
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/scheme.h"

namespace attune::formats {

// A file that cannot be read as BORIS data, names that match nothing, options
// that do not fit the file: one message naming the file and where. Nothing
// was imported.
class BorisImportError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Limits of what the parser reads: a real project is a few MB and nested a
// handful of levels; beyond these a file is refused, never half-read.
inline constexpr std::uintmax_t kMaxBorisFileBytes = 64u << 20;   // on disk
inline constexpr std::uintmax_t kMaxBorisTextBytes = 256u << 20;  // after gunzip
inline constexpr int kMaxBorisJsonDepth = 32;                     // nested arrays and objects

// [SECTION] Step 1: BORIS data as read

enum class BorisStatus { Start, Stop, Point };
std::string_view to_string(BorisStatus status);  // "START","STOP","POINT"

struct BorisModifier {
    std::string set_name;  // the ethogram's name of its modifier set; empty when unknown (exports)
    std::string value;     // as written, never empty or "None"
};

struct BorisEvent {
    // Seconds from the observation's start (after any rebase), >= 0 for a
    // usable event; none when BORIS stored NaN, Infinity or null.
    std::optional<double> time;
    std::string subject;   // as written; empty = no focal subject
    std::string behavior;  // BORIS behaviour code, as written
    BorisStatus status = BorisStatus::Point;
    std::string modifier_text;             // as written ("m1|None"): what START and STOP pair on
    std::vector<BorisModifier> modifiers;  // the chosen values, in set order
    std::string comment;
    int line = 0;   // 1-based line in a delimited export; 0 in a project file
    int index = 0;  // 1-based position in a project observation's event list; 0 in exports
};

enum class BorisClock { Relative, DayTime, Epoch };

struct BorisObservation {
    std::string id;          // BORIS observation id (the file name for a bare tabular export)
    std::string type;        // "LIVE", "MEDIA", "IMAGES"; empty when the file does not say
    std::string date;        // ISO yyyy-mm-dd: the date part of BORIS's date
    std::string start_time;  // HH:MM from BORIS's date; may be empty
    std::string description;
    std::optional<double> media_duration;          // seconds of player 1's media, when known
    std::optional<double> interval_end;            // BORIS's "observation time interval" end, when set (> 0)
    std::map<std::string, std::string> variables;  // independent variables: label -> value as written
    BorisClock clock = BorisClock::Relative;       // how BORIS timed it before any rebase
    double rebased_by = 0;                         // seconds subtracted from every time
    std::vector<BorisEvent> events;                // in time order (see parse_boris_file)
    int first_line = 0;                            // delimited exports: the line where it first appears
};

enum class BorisFormat { Project, TabularEvents, AggregatedEvents };

struct BorisData {
    std::filesystem::path file;
    BorisFormat format = BorisFormat::Project;
    bool compressed = false;                     // read through gzip
    std::vector<BorisObservation> observations;  // in file order
};

// Format by content: gzip is unpacked first; `{` opens a project; a ZIP
// (XLSX, ODS), an OLE2 (XLS) or HTML file is refused with one line saying to
// export TSV or CSV from BORIS; anything else is read as an event export
// whose delimiter is sniffed from its row header. Throws BorisImportError.
BorisData parse_boris_file(const std::filesystem::path& path);

// "test.tsv line 23" or "test.boris, observation 'live', event 12".
std::string describe_location(const BorisData& data, const BorisObservation& observation, const BorisEvent& event);

// [SECTION] Step 2: the plan

struct BorisMapping {
    std::string partner_a_name;                // subject name that is partner A
    std::string partner_b_name;                // subject name that is partner B
    std::string therapist_name = "Therapist";  // subject name that is the therapist
};

// BORIS behaviour (as written; case and spaces ignored) -> Attune code id or
// label; an empty target leaves the behaviour out.
using BehaviorMap = std::map<std::string, std::string>;
// "BORIS=ATTUNE,BORIS2=ATTUNE2" (the command line's --map). Throws BorisImportError.
BehaviorMap parse_behavior_map(std::string_view text);
// One "BORIS=ATTUNE" per line (a tab or a comma may stand for '='); blank
// lines and lines starting with '#' are skipped. Throws BorisImportError
// naming the file and line.
BehaviorMap read_behavior_map_file(const std::filesystem::path& path);

struct BorisPlanOptions {
    BorisMapping names;
    BehaviorMap behavior_map;
    std::vector<std::string> ignored_subjects;  // their events are left out (case and spaces ignored)
    std::vector<std::string> observation_ids;   // only these (exactly as in the file); empty = all
    bool close_unpaired = false;                // close open states at the last event, as BORIS's fix does
};

struct PlannedObservation {
    Observation observation;  // who, code_id, t, stop, kind, intensity, comment; no ids yet
    // Identifies the BORIS event(s) independently of file layout and mapping:
    // normalised subject and behaviour, start and stop in milliseconds and an
    // occurrence counter. Deterministic uuids are derived from it.
    std::string source_key;
    std::string where;  // describe_location of its (start) event
};

// One BORIS observation's coding: one rater's layer of a session.
struct PlannedLayer {
    std::string observation_id;
    std::string rater;  // the observation's "rater" variable (Attune's own export); empty = not said
    std::vector<PlannedObservation> observations;  // in time order
    // What was changed or left out on the way, one sentence each.
    std::vector<std::string> notes;
};

struct PlannedSession {
    // The BORIS observation id, or for observations Attune exported
    // "case|session" so that every rater's observation meets in one session.
    std::string key;
    std::string date;        // yyyy-mm-dd
    std::string start_time;  // HH:MM or empty
    std::string description;
    double active_seconds = 0;
    std::vector<PlannedLayer> layers;  // in file order

    std::size_t observation_count() const;
};

struct SkippedObservation {
    std::string observation_id;
    std::string reason;  // one sentence, e.g. "START of 's' at 2.718 s has no STOP (...)"
};

struct ImportPlan {
    std::filesystem::path file;
    std::vector<PlannedSession> sessions;     // by date, then start time, then file order
    std::vector<SkippedObservation> skipped;  // in file order

    std::size_t observation_count() const;
};

// Pure. Throws BorisImportError for names that match nothing: every unknown
// subject and behaviour once, where first seen, with what would match (the
// scheme's code ids), in one message; and for an observation id that is not
// in the file or a map to a code the scheme does not have.
ImportPlan plan_boris_import(const BorisData& data, const CodingScheme& scheme, const BorisPlanOptions& options);

// The uuid an imported row gets: a SHA-256 name-based UUID (RFC 9562
// version 8) of the parts, each length-prefixed.
std::string derived_uuid(const std::vector<std::string>& parts);

}  // namespace attune::formats
