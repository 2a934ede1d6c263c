// boris_import.h: importing a BORIS file into a practice (step 3 of the
// import described in formats/boris.h). Two calls, so that what the window
// previews is exactly what is imported:
//   1. prepare_boris_import: reads the file and the case (never writes) and
//      plans: which sessions and layers will be created, where they go, which
//      BORIS observations are left out and why;
//   2. import_boris(practice, prepared): writes that plan in one transaction.
// import_boris(practice, file, options) does both (the command line).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "formats/boris.h"

namespace attune::services {

class OpenPractice;
using formats::BorisImportError;

struct BorisImportOptions {
    std::string case_label;
    // Partner names as the BORIS subjects spell them. Required for a new case
    // (which is created with these names); for an existing case they default
    // to its partners and must match them (case and spaces ignored).
    std::string partner_a_name;
    std::string partner_b_name;
    std::string therapist_name = "Therapist";
    // Who coded in BORIS; empty = the observation's own "rater" (Attune's
    // export names one per observation), else the person using Attune.
    std::string rater_name;
    // The observations become layers on the case's existing sessions instead
    // of new sessions: each goes to the session of the BORIS date, or to
    // session_number (then only one session may be imported).
    bool into_existing = false;
    std::optional<int> session_number;
    bool close_unpaired = false;                // close open states at the last event (BORIS's fix)
    std::vector<std::string> observation_ids;   // only these BORIS observations; empty = all
    formats::BehaviorMap behavior_map;          // --map (wins over the map file on the same behaviour)
    std::filesystem::path map_file;             // --map-file; empty = none
    std::vector<std::string> ignored_subjects;  // --ignore-subject
};

// A plan with where it goes, before anything is written.
struct PreparedBorisImport {
    std::filesystem::path file;
    BorisImportOptions options;  // as given, names resolved (the case's partners)
    bool case_exists = false;
    std::string default_rater;  // the person using Attune: the rater of layers that name none
    formats::ImportPlan plan;
    // into_existing: the number of the case's session each planned session goes to.
    std::vector<int> target_sessions;

    bool nothing_to_import() const { return plan.sessions.empty(); }
    // The rater a planned layer is filed under: --rater, else the layer's own, else default_rater.
    std::string rater_of(const formats::PlannedLayer& layer) const;
    // Plain lines: each session with its layers and notes, then what is left
    // out and why (the command line's --dry-run and the dialog's preview).
    std::string preview_text() const;
};

struct ImportedLayerReport {
    std::string observation_id;  // the BORIS observation
    std::string rater;
    int observations_created = 0;
    int observations_already_imported = 0;
    std::vector<std::string> notes;  // from the plan
};

struct ImportedSessionReport {
    std::string date;
    int session_number = 0;
    bool session_already_imported = false;
    bool into_existing = false;  // added to a session that was already there
    std::vector<ImportedLayerReport> layers;
    int observations_created() const;
};

struct ImportReport {
    std::filesystem::path file;
    std::string case_label;
    bool case_created = false;
    std::vector<ImportedSessionReport> sessions;        // in plan (date) order
    std::vector<formats::SkippedObservation> left_out;  // BORIS observations not imported, with why

    int sessions_created() const;
    int observations_created() const;
    int observations_already_imported() const;
    // Plain lines for the command line, e.g.
    // "Session 3 (2026-03-10), BORIS observation 'S2', rater Kim: 12 observations imported",
    // then the notes and what was left out.
    std::string summary() const;
};

// Reads the file and the practice, never writes. Throws BorisImportError for
// the file, the names or the options, attune::Error for the database.
PreparedBorisImport prepare_boris_import(OpenPractice& practice, const std::filesystem::path& file,
                                         const BorisImportOptions& options);

// Writes the prepared plan in one transaction: on any error nothing was
// imported. A plan without sessions writes nothing and throws
// BorisImportError saying why (no case is created for it).
ImportReport import_boris(OpenPractice& practice, const PreparedBorisImport& prepared);
ImportReport import_boris(OpenPractice& practice, const std::filesystem::path& file, const BorisImportOptions& options);

}  // namespace attune::services
