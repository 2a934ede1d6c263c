// boris_write.h: a case's coding for BORIS (Behavioral Observation Research
// Interactive Software), written from export_data.h's plain structs.
// Reading BORIS files is formats/boris.h; both sides meet in the round trip
// (a project written here reads back as the same observations, layers,
// intensities and session lengths).
//
// The project (.boris, JSON, the layout BORIS 8-10 opens, project format 7.0):
//   - ethogram: one behaviour per code (its id is the BORIS code, its label
//     the description), "Point event" or "State event" as the code's kind,
//     the category's label as the behavioural category; an "intensity"
//     modifier set (values 1, 2, 3) on every partner code and on any code
//     that carries an intensity; a letter key when no other code has it;
//   - subjects: partner A, partner B, "Both" and "Therapist" (names made
//     unique when partners are called so);
//   - one LIVE observation per session and rater, id "<case> S<n> <rater>",
//     dated with the session's date and start time, its length as BORIS's
//     observation time interval [0, length], independent variables case,
//     session, date, rater and session length (s);
//   - events [time, subject, code, modifiers, comment], a state as its START
//     and its STOP, sorted by time, subject and code as BORIS sorts them;
//     times to the millisecond; a state still running stops at the session's
//     end, and the observation's description says so.
#pragma once

#include <string>

#include "formats/export_data.h"

namespace attune::formats {

// The subject name BORIS gets for each `who` of this case (also in the TSV).
std::string boris_subject(const Case& info, Who who);

// The BORIS observation id of one rater's coding of one session.
std::string boris_observation_id(const Case& info, const Session& session, const std::string& rater);

// The project as JSON text (UTF-8, one line per observation event list kept compact).
std::string boris_project_json(const BorisExportData& data);

// BORIS 9's "aggregated events" table (TSV): one row per point or state, one
// BORIS observation per session and rater, its columns by BORIS 9's names
// with the independent variables (case, session, date, rater, session length
// (s)) where BORIS puts them; intensity as "Modifier #1".
std::string boris_aggregated_tsv(const BorisExportData& data);

}  // namespace attune::formats
