// boris_import.h: importing a BORIS file into a practice (step 3 of the
// import described in formats/boris.h): parse, plan, then one transaction.
#pragma once

#include "formats/boris.h"

#include <filesystem>
#include <string>
#include <vector>

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
    std::string rater_name;  // who coded in BORIS; empty = the person using Attune
    // The observations become the rater's layer on the case's existing sessions
    // (matched by date, else by position in date order) instead of new sessions.
    bool into_existing = false;
};

struct ImportedSessionReport {
    std::string observation_id;
    std::string date;
    int session_number = 0;
    bool session_already_imported = false;
    bool into_existing = false;  // added to a session that was already there
    int observations_created = 0;
    int observations_already_imported = 0;
};

struct ImportReport {
    std::filesystem::path file;
    std::string case_label;
    bool case_created = false;
    std::string rater;
    std::vector<ImportedSessionReport> sessions;  // in plan (date) order

    int sessions_created() const;
    int observations_created() const;
    int observations_already_imported() const;
    // Plain lines for the command line, e.g.
    // "session 3 (2026-03-10, BORIS observation 'S2'): 12 observations imported".
    std::string summary() const;
};

// Parses, plans and writes everything in one transaction: on any error
// nothing was imported. Throws BorisImportError for the file or the names,
// attune::Error for the database.
ImportReport import_boris(OpenPractice& practice, const std::filesystem::path& file, const BorisImportOptions& options);

}  // namespace attune::services
