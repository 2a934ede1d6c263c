// export_data.h: what every export needs, as plain structs. The formatters
// (export_text, export_tables, export_pdf) take only these, so they are
// tested without a database; services/export gathers them from the store.
//
// Privacy: the private process note is read only when the caller asks for it
// (include_private); otherwise it never leaves the store, so no formatter can
// leak it by mistake.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/case_metrics.h"
#include "core/counting.h"
#include "core/metrics.h"
#include "core/model.h"
#include "core/records.h"
#include "core/scheme.h"

namespace attune::formats {

// [SECTION] Signatures and addenda

// One signature on a session as the services checked it when they gathered
// the export: against the session as it is now and the signer's certified
// key (services/supervision.h). Formatted by export_text.h's signature_text.
struct SignatureLine {
    bool cosign = false;
    std::string signer;     // the signer's name
    std::string signed_at;  // ISO 8601 UTC
    bool verified = false;
    std::string fingerprint;  // of the key that verified it; empty when not verified
    std::string problem;      // why it is not verified, in words ("changed after signing"); empty when verified
};

// The sign-off of one session's progress note, as exports print it.
struct SessionSignOff {
    int session_number = 0;
    std::string date;                       // yyyy-mm-dd
    std::vector<SignatureLine> signatures;  // sign first, then co-sign; empty: not signed
    std::vector<Addendum> addenda;          // in the order added
};

// [SECTION] Session note

struct HomeworkItem {
    std::string description;
    std::optional<bool> done;  // empty = not checked off yet
};

struct SessionNoteData {
    Case info;
    Session session;
    ProgressNote note;
    std::optional<std::string> process_note;       // only when asked for; private
    std::vector<HomeworkItem> homework_agreed;     // agreed in this session
    std::vector<HomeworkItem> homework_follow_up;  // agreed in the previous session
    std::optional<int> previous_session_number;
    CodingScheme scheme;
    std::vector<Observation> observations;  // the clinician's layer, not deleted, in time order
    SessionMetrics metrics;                 // over `observations`, with links; no rates when it does not count
    SessionCounting counting;               // whether this session counts toward trends
    // The counted sessions before this one (at most the last 3, date order):
    // what the Assessment draft compares this session with.
    std::vector<SessionWithMetrics> earlier;
    SessionSignOff sign_off;
    bool show_five_to_one = false;  // the person's setting: mention Gottman's 5 : 1 reference
};

// [SECTION] Case summary

struct CaseSummaryData {
    CaseMetrics case_metrics;  // sessions in the range, with metrics and trends
    std::string from;          // ISO dates as asked; empty = open
    std::string to;
    int homework_agreed = 0;  // homework due: agreed in sessions of the range before the case's latest session
    int homework_done = 0;
    int homework_not_done = 0;  // checked off as not done (the rest is not yet checked)
    // Homework agreed in the case's latest session (when it is in the range):
    // not due until the next session, so never counted as "not done".
    int homework_not_due = 0;
    std::optional<int> latest_session_number;
    std::vector<SessionSignOff> sign_offs;  // of the sessions in the range, in their order
    bool show_five_to_one = false;          // the person's setting: draw and mention the 5 : 1 line
};

// "2026-03-02 to 2026-03-30": the asked range, else the sessions' dates.
std::string period_text(const CaseSummaryData& data);

// [SECTION] Observations (data exports)

struct ObservationRow {
    std::string case_label;
    int session_number = 0;
    std::string session_date;        // yyyy-mm-dd
    std::string session_start_time;  // HH:MM; may be empty
    double session_active_seconds = 0;
    double t = 0;
    std::optional<double> stop;
    EventKind kind = EventKind::Point;
    Who who = Who::A;
    std::string who_name;  // partner's name, "Therapist", or "" for both
    std::string code_id;
    std::string code_label;
    std::string category_id;
    std::string category_label;
    Polarity polarity = Polarity::Rupture;
    std::optional<int> intensity;
    std::string comment;
    std::string rater;  // the rater's name
};

struct ObservationExportData {
    Case info;
    std::vector<ObservationRow> rows;  // by session (date order), then time
};

// [SECTION] BORIS (formats/boris_write.h)

// One rater's coding of one session: one BORIS observation.
struct BorisLayer {
    std::string rater;                      // the rater's name
    std::vector<Observation> observations;  // not deleted, in time order
};

struct BorisSession {
    Session session;                 // number, date, start time, length, state
    std::vector<BorisLayer> layers;  // the clinician's first, then by rater name; at least one
};

struct BorisExportData {
    Case info;
    // The ethogram: the case's scheme, plus any code the sessions' observations
    // use from an older version of it.
    CodingScheme scheme;
    std::vector<BorisSession> sessions;  // in date order
    std::string exported_at;             // ISO date and time, BORIS's project date
};

}  // namespace attune::formats
