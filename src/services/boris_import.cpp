// boris_import.cpp: step 3 of the BORIS import (see formats/boris.h): the
// parsed and planned file written into a practice in one transaction.
//
// [SECTION] Importing
// [SECTION] Report
#include "services/boris_import.h"

#include "core/text.h"
#include "services/access.h"
#include "services/practice_access.h"
#include "store/bulk_import.h"
#include "store/repositories.h"

#include <algorithm>

namespace attune::services {
namespace fs = std::filesystem;
using namespace attune::formats;

// [SECTION] Importing

ImportReport import_boris(OpenPractice& practice, const fs::path& file, const BorisImportOptions& options) {
    store::Database& db = database_of(practice);
    const std::string label = trim(options.case_label);
    if (label.empty()) throw BorisImportError("a case label is needed to import " + file.string());
    BorisMapping mapping{trim(options.partner_a_name), trim(options.partner_b_name), trim(options.therapist_name)};
    if (mapping.therapist_name.empty()) mapping.therapist_name = "Therapist";

    // The rater is a person of the practice: nobody is created by an import
    // (an administrator adds them first).
    const std::string named_rater = trim(options.rater_name);
    if (!named_rater.empty() && !store::PeopleRepository(db).find(named_rater))
        throw BorisImportError("no person named '" + named_rater + "' in this practice to import " + file.string() +
                               " as: an administrator adds them first (attune person add)");

    CodingScheme scheme;
    const auto existing = store::CaseRepository(db).find_by_label(label);
    // Who sees what (services/access.h): another clinician's case is not one to
    // import into, and only the case's own clinician adds sessions to it.
    if (existing && case_access(practice, *existing) == CaseAccess::None)
        throw BorisImportError("a case labelled '" + label + "' exists that " + practice.person().name +
                               " may not see: import under another label");
    if (existing && !options.into_existing && case_access(practice, *existing) != CaseAccess::Clinician)
        throw BorisImportError("only the clinician of " + label +
                               " adds sessions to it; a second rater's coding is imported into its existing sessions");
    if (options.into_existing && !existing)
        throw BorisImportError("case '" + label + "' does not exist: --into-existing adds a rater's coding to the "
                               "sessions of an existing case");
    if (existing) {
        const std::string stored_a = existing->partner_a.display_name;
        const std::string stored_b = existing->partner_b.display_name;
        if (mapping.partner_a_name.empty() && mapping.partner_b_name.empty()) {
            mapping.partner_a_name = stored_a;
            mapping.partner_b_name = stored_b;
        } else if (normalize_key(mapping.partner_a_name) != normalize_key(stored_a) ||
                   normalize_key(mapping.partner_b_name) != normalize_key(stored_b)) {
            // Guessing here could file one partner's coding under the other.
            throw BorisImportError("case '" + existing->label + "' has the partners '" + stored_a + "' (A) and '" +
                                   stored_b + "' (B), not '" + mapping.partner_a_name + "' and '" +
                                   mapping.partner_b_name + "': name them in that order, or import into another case");
        }
        scheme = store::SchemeRepository(db).get(existing->scheme_id);
    } else {
        if (mapping.partner_a_name.empty() || mapping.partner_b_name.empty())
            throw BorisImportError("case '" + label +
                                   "' does not exist yet: name both partners as the BORIS subjects spell them");
        const auto latest = store::SchemeRepository(db).latest_id();
        if (!latest) throw BorisImportError("the database has no coding scheme to import into");
        scheme = store::SchemeRepository(db).get(*latest);
    }

    const BorisData data = parse_boris_file(file);
    const ImportPlan plan = plan_boris_import(data, scheme, mapping);

    const std::string rater = trim(options.rater_name).empty() ? db.actor().name : trim(options.rater_name);
    const std::string case_key = normalize_key(label);
    store::BulkImport bulk;
    bulk.case_info.label = label;
    bulk.case_info.partner_a.display_name = mapping.partner_a_name;
    bulk.case_info.partner_b.display_name = mapping.partner_b_name;
    if (!plan.sessions.empty()) bulk.case_info.start_date = plan.sessions.front().date;
    bulk.rater_name = trim(options.rater_name);
    bulk.source = "BORIS file " + file.string();
    bulk.into_existing = options.into_existing;
    for (const PlannedSession& planned : plan.sessions) {
        store::ImportedSession imported;
        // The session is the BORIS observation, whoever coded it: a second
        // rater's file of the same observation lands in the same session.
        imported.session.uuid = derived_uuid({"attune-boris-session", case_key, planned.observation_id});
        imported.session.date = planned.date;
        imported.session.start_time = planned.start_time;
        imported.session.active_seconds = planned.active_seconds;
        imported.source = "BORIS observation '" + planned.observation_id + "' in " + file.filename().string();
        for (const PlannedObservation& p : planned.observations) {
            Observation o = p.observation;
            o.uuid = derived_uuid(
                {"attune-boris-observation", case_key, normalize_key(rater), planned.observation_id, p.source_key});
            imported.observations.push_back(std::move(o));
        }
        bulk.sessions.push_back(std::move(imported));
    }

    const store::BulkImportResult result = store::import_sessions(db, bulk);
    ImportReport report;
    report.file = file;
    report.case_label = result.the_case.label;
    report.case_created = result.case_created;
    report.rater = result.rater.name;
    for (size_t i = 0; i < result.sessions.size(); ++i) {
        const store::ImportedSessionResult& outcome = result.sessions[i];
        ImportedSessionReport line;
        line.observation_id = plan.sessions[i].observation_id;
        line.date = outcome.session.date;
        line.session_number = outcome.session.number;
        line.session_already_imported = outcome.already_imported;
        line.into_existing = outcome.into_existing;
        line.observations_created = outcome.observations_created;
        line.observations_already_imported = outcome.observations_already_imported;
        report.sessions.push_back(std::move(line));
    }
    return report;
}

// [SECTION] Report

int ImportReport::sessions_created() const {
    return static_cast<int>(std::count_if(sessions.begin(), sessions.end(),
                                          [](const ImportedSessionReport& s) {
                                              return !s.session_already_imported && !s.into_existing;
                                          }));
}

int ImportReport::observations_created() const {
    int total = 0;
    for (const ImportedSessionReport& s : sessions) total += s.observations_created;
    return total;
}

int ImportReport::observations_already_imported() const {
    int total = 0;
    for (const ImportedSessionReport& s : sessions) total += s.observations_already_imported;
    return total;
}

std::string ImportReport::summary() const {
    std::string out;
    if (case_created) out += "Case '" + case_label + "' created.\n";
    for (const ImportedSessionReport& s : sessions) {
        out += "Session " + std::to_string(s.session_number) + " (" + s.date + ", BORIS observation '" +
               s.observation_id + "')";
        out += s.into_existing ? ", existing session: " : s.session_already_imported ? ", already imported: " : ": ";
        out += std::to_string(s.observations_created) + " observations imported";
        if (s.observations_already_imported > 0)
            out += ", " + std::to_string(s.observations_already_imported) + " already imported";
        out += "\n";
    }
    out += std::to_string(sessions_created()) + " sessions and " + std::to_string(observations_created()) +
           " observations imported into case '" + case_label + "' (rater " + rater + ")";
    if (observations_already_imported() > 0)
        out += "; " + std::to_string(observations_already_imported()) + " were already imported";
    out += ".\n";
    return out;
}

}  // namespace attune::services
