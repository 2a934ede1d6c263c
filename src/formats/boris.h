// boris_import.h: importing BORIS coding (Behavioral Observation Research
// Interactive Software) as Attune sessions.
//
// Three steps, each testable on its own:
//   1. parse_boris_file: a BORIS project (.boris, JSON) or event export
//      (tabular or aggregated, tab- or comma-separated) -> BorisData, with
//      START/STOP/POINT status on every event. No scheme, no database.
//   2. plan_boris_import: BorisData + coding scheme + subject names -> one
//      PlannedSession per BORIS observation, in date order. Pure; every
//      problem (unknown subject or behaviour, unpaired START, ...) is collected
//      and thrown together, each with where it was first seen.
//   3. import_boris: parse + plan + one store transaction (store/bulk_import.h).
//      Re-importing the same coding is a no-op: uuids are derived from it.
//
// Decisions:
//   - A BORIS state (START..STOP) of an Attune state code becomes one state
//     observation with t = start, stop = stop.
//   - A BORIS state of an Attune point code becomes a point at its start: the
//     code's meaning in Attune is a moment, and metrics count states at their
//     start anyway.
//   - A BORIS point of an Attune state code becomes a zero-length state
//     (stop = t), so that a state code never carries a point observation.
//   - An unpaired START of an Attune state code is an error (we will not guess
//     when it ended); of an Attune point code it is a point at its start.
//   - START/STOP pair per (subject, behaviour, modifiers), as BORIS does.
//   - Session active seconds = max(last event time, media duration).
//   - Sessions get the case's next numbers in date order; they are ended.
//   - An imported observation the user later deleted stays deleted on re-import
//     (its uuid is stored, so it counts as already imported).
#pragma once

#include "core/model.h"
#include "core/scheme.h"

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace attune::formats {

// Malformed input, unknown subjects/behaviours, unpaired states: one message
// that names the file and the line, field or observation. Nothing was imported.
class BorisImportError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// [SECTION] Step 1: BORIS data as read

enum class BorisStatus { Start, Stop, Point };
std::string_view to_string(BorisStatus status);  // "START","STOP","POINT"

struct BorisEvent {
    double time = 0;        // seconds from the observation's start, >= 0
    std::string subject;    // as written; empty = no focal subject
    std::string behavior;   // BORIS behaviour code, as written
    BorisStatus status = BorisStatus::Point;
    std::vector<std::string> modifiers;  // empty and "None" values dropped
    std::string comment;
    int line = 0;   // 1-based line in a delimited export; 0 in a project file
    int index = 0;  // 1-based position in a project observation's event list; 0 in exports
};

struct BorisObservation {
    std::string id;           // BORIS observation id (the file name for a bare tabular export)
    std::string date;         // ISO yyyy-mm-dd: the date part of BORIS's date
    std::string start_time;   // HH:MM from BORIS's date; may be empty
    std::string description;
    std::optional<double> media_duration;  // seconds of player 1's media, when known
    std::vector<BorisEvent> events;        // in time order (file order kept on ties)
    int first_line = 0;  // delimited exports: the line where it first appears
};

enum class BorisFormat { Project, TabularEvents, AggregatedEvents };

struct BorisData {
    std::filesystem::path file;
    BorisFormat format = BorisFormat::Project;
    std::vector<BorisObservation> observations;  // in file order
};

// Format by extension and content: `.boris` or content starting with '{' is a
// project; `.tsv`/`.csv`/`.txt` are exports whose delimiter (tab, comma or
// semicolon) is sniffed from the row header, which is found by its column
// names. Throws BorisImportError.
BorisData parse_boris_file(const std::filesystem::path& path);

// "test.tsv line 23" or "test.boris, observation 'live', event 12".
std::string describe_location(const BorisData& data, const BorisObservation& observation,
                              const BorisEvent& event);

// [SECTION] Step 2: the plan

struct BorisMapping {
    std::string partner_a_name;                // subject name that is partner A
    std::string partner_b_name;                // subject name that is partner B
    std::string therapist_name = "Therapist";  // subject name that is the therapist
};

struct PlannedObservation {
    Observation observation;  // who, code_id, t, stop, kind, comment; no ids yet
    // Identifies the BORIS event(s) independently of file layout and mapping:
    // normalised subject and behaviour, start and stop in milliseconds and an
    // occurrence counter. Deterministic uuids are derived from it.
    std::string source_key;
    std::string where;  // describe_location of its (start) event
};

struct PlannedSession {
    std::string observation_id;
    std::string date;        // yyyy-mm-dd
    std::string start_time;  // HH:MM or empty
    std::string description;
    double active_seconds = 0;
    std::vector<PlannedObservation> observations;  // in time order
};

struct ImportPlan {
    std::filesystem::path file;
    std::vector<PlannedSession> sessions;  // by date, then start time, then observation id
};

// Pure. Throws BorisImportError listing every unknown subject and behaviour
// (with where each was first seen), every unpaired START or STOP and every
// comment that is too long.
ImportPlan plan_boris_import(const BorisData& data, const CodingScheme& scheme, const BorisMapping& mapping);

// The uuid an imported row gets: a SHA-256 name-based UUID (RFC 9562
// version 8) of the parts, each length-prefixed.
std::string derived_uuid(const std::vector<std::string>& parts);

}  // namespace attune::formats
