// boris_import.cpp: step 3 of the BORIS import (see formats/boris.h): the
// parsed and planned file, placed in a case, written in one transaction.
//
// [SECTION] Preparing: case, names, map, plan, target sessions
// [SECTION] Importing
// [SECTION] Texts: preview and report
#include "services/boris_import.h"

#include <algorithm>

#include "core/text.h"
#include "services/access.h"
#include "services/practice_access.h"
#include "store/bulk_import.h"
#include "store/repositories.h"

namespace attune::services {
namespace fs = std::filesystem;
using namespace attune::formats;

namespace {

std::string in_quotes(const std::string& text) {
    return "'" + text + "'";
}

// [SECTION] Preparing: case, names, map, plan, target sessions

// The case's sessions each planned session goes to (into_existing).
std::vector<int> target_sessions(store::Database& db, const Case& the_case, const ImportPlan& plan,
                                 const BorisImportOptions& options) {
    const std::vector<Session> existing = store::SessionRepository(db).list_for_case(the_case.id);  // date order
    std::vector<int> targets;
    if (options.session_number) {
        if (plan.sessions.size() > 1)
            throw BorisImportError(plan.file.string() + ": " + std::to_string(plan.sessions.size()) +
                                   " BORIS observations would be imported, and --session names one session: choose "
                                   "one observation with --observation ID; nothing was imported");
        const bool found = std::any_of(existing.begin(), existing.end(),
                                       [&](const Session& s) { return s.number == *options.session_number; });
        if (!found)
            throw BorisImportError("case " + in_quotes(the_case.label) + " has no session " +
                                   std::to_string(*options.session_number) +
                                   " (see attune session list); nothing was imported");
        if (!plan.sessions.empty()) targets.push_back(*options.session_number);
        return targets;
    }
    std::vector<bool> used(existing.size(), false);
    for (const PlannedSession& planned : plan.sessions) {
        std::optional<size_t> found;
        for (size_t k = 0; k < existing.size() && !found; ++k)
            if (!used[k] && existing[k].date == planned.date) found = k;
        if (!found) {
            const std::string id = planned.layers.empty() ? planned.key : planned.layers.front().observation_id;
            throw BorisImportError(plan.file.string() + ": case " + in_quotes(the_case.label) +
                                   " has no session dated " + planned.date + " for BORIS observation " + in_quotes(id) +
                                   ": say which session it is with --session N (and --observation ID); nothing "
                                   "was imported");
        }
        used[*found] = true;
        targets.push_back(existing[*found].number);
    }
    return targets;
}

// No person is ever created by an import: the raters Attune's own project
// names (--rater was checked before the file was read) must be people an
// administrator added.
void refuse_unknown_raters(store::Database& db, const PreparedBorisImport& prepared) {
    std::vector<std::string> unknown;
    for (const PlannedSession& session : prepared.plan.sessions)
        for (const PlannedLayer& layer : session.layers) {
            const std::string name = prepared.rater_of(layer);
            if (store::PeopleRepository(db).find(name)) continue;
            const std::string text = in_quotes(name);
            if (std::find(unknown.begin(), unknown.end(), text) == unknown.end()) unknown.push_back(text);
        }
    if (unknown.empty()) return;
    std::string names;
    for (size_t i = 0; i < unknown.size(); ++i)
        names += (i == 0 ? "" : i + 1 == unknown.size() ? " and " : ", ") + unknown[i];
    throw BorisImportError(prepared.file.string() + (unknown.size() == 1 ? ": the rater " : ": the raters ") + names +
                           (unknown.size() == 1 ? " is not a person" : " are not people") +
                           " of this practice: an administrator adds raters with attune person add, or name an "
                           "existing person with --rater; nothing was imported");
}

}  // namespace

PreparedBorisImport prepare_boris_import(OpenPractice& practice, const fs::path& file,
                                         const BorisImportOptions& given) {
    store::Database& db = database_of(practice);
    PreparedBorisImport prepared;
    prepared.file = file;
    BorisImportOptions& options = prepared.options;
    options = given;
    options.case_label = trim(options.case_label);
    options.partner_a_name = trim(options.partner_a_name);
    options.partner_b_name = trim(options.partner_b_name);
    options.therapist_name = trim(options.therapist_name);
    if (options.therapist_name.empty()) options.therapist_name = "Therapist";
    const std::string& label = options.case_label;
    if (label.empty()) throw BorisImportError("a case label is needed to import " + file.string());
    if (options.session_number && !options.into_existing)
        throw BorisImportError(
            "--session names the existing session a rater's coding is added to: use it with "
            "--into-existing");

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
        throw BorisImportError("case " + in_quotes(label) +
                               " does not exist: --into-existing adds a rater's coding to the "
                               "sessions of an existing case");
    if (!existing && !practice.holds(GrantRole::Clinician))
        throw BorisImportError(practice.person().name + " is not a clinician: only clinicians open cases, so " +
                               file.string() + " was not imported");
    prepared.case_exists = existing.has_value();
    prepared.default_rater = practice.person().name;
    if (existing) {
        const std::string stored_a = existing->partner_a.display_name;
        const std::string stored_b = existing->partner_b.display_name;
        if (options.partner_a_name.empty() && options.partner_b_name.empty()) {
            options.partner_a_name = stored_a;
            options.partner_b_name = stored_b;
        } else if (normalize_key(options.partner_a_name) != normalize_key(stored_a) ||
                   normalize_key(options.partner_b_name) != normalize_key(stored_b)) {
            // Guessing here could file one partner's coding under the other.
            throw BorisImportError("case " + in_quotes(existing->label) + " has the partners " + in_quotes(stored_a) +
                                   " (A) and " + in_quotes(stored_b) + " (B), not " +
                                   in_quotes(options.partner_a_name) + " and " + in_quotes(options.partner_b_name) +
                                   ": name them in that order, or import into another case");
        }
        scheme = store::SchemeRepository(db).get(existing->scheme_id);
    } else {
        if (options.partner_a_name.empty() || options.partner_b_name.empty())
            throw BorisImportError("case " + in_quotes(label) +
                                   " does not exist yet: name both partners as the BORIS subjects spell them");
        const auto latest = store::SchemeRepository(db).latest_id();
        if (!latest) throw BorisImportError("the database has no coding scheme to import into");
        scheme = store::SchemeRepository(db).get(*latest);
    }

    BorisPlanOptions plan_options;
    plan_options.names = {options.partner_a_name, options.partner_b_name, options.therapist_name};
    if (!options.map_file.empty()) plan_options.behavior_map = read_behavior_map_file(options.map_file);
    for (const auto& [from, to] : options.behavior_map)
        plan_options.behavior_map[normalize_key(from)] = to;
    plan_options.ignored_subjects = options.ignored_subjects;
    plan_options.observation_ids = options.observation_ids;
    plan_options.close_unpaired = options.close_unpaired;
    prepared.plan = plan_boris_import(parse_boris_file(file), scheme, plan_options);
    if (options.into_existing) prepared.target_sessions = target_sessions(db, *existing, prepared.plan, options);
    refuse_unknown_raters(db, prepared);
    return prepared;
}

std::string PreparedBorisImport::rater_of(const PlannedLayer& layer) const {
    if (!trim(options.rater_name).empty()) return trim(options.rater_name);
    return layer.rater.empty() ? default_rater : layer.rater;
}

// [SECTION] Importing

ImportReport import_boris(OpenPractice& practice, const PreparedBorisImport& prepared) {
    store::Database& db = database_of(practice);
    const ImportPlan& plan = prepared.plan;
    if (prepared.nothing_to_import()) {
        std::string why;
        for (const SkippedObservation& s : plan.skipped)
            why += (why.empty() ? "" : "; ") + in_quotes(s.observation_id) + ": " + s.reason;
        throw BorisImportError(prepared.file.string() + ": nothing was imported: " +
                               (why.empty() ? std::string("the file has no observations")
                                            : "no observation could be imported (" + why + ")"));
    }
    const std::string& label = prepared.options.case_label;
    const std::string case_key = normalize_key(label);
    store::BulkImport bulk;
    bulk.case_info.label = label;
    bulk.case_info.partner_a.display_name = prepared.options.partner_a_name;
    bulk.case_info.partner_b.display_name = prepared.options.partner_b_name;
    bulk.case_info.start_date = plan.sessions.front().date;
    bulk.source = "BORIS file " + prepared.file.string();
    bulk.into_existing = prepared.options.into_existing;
    for (size_t i = 0; i < plan.sessions.size(); ++i) {
        const PlannedSession& planned = plan.sessions[i];
        store::ImportedSession imported;
        // The session is the BORIS observation (or, for Attune's own export,
        // its session), whoever coded it: a second rater's file of the same
        // observation lands in the same session.
        imported.session.uuid = derived_uuid({"attune-boris-session", case_key, planned.key});
        imported.session.date = planned.date;
        imported.session.start_time = planned.start_time;
        imported.session.active_seconds = planned.active_seconds;
        imported.source = "BORIS observation " + in_quotes(planned.layers.front().observation_id) + " in " +
                          prepared.file.filename().string();
        if (bulk.into_existing) imported.existing_number = prepared.target_sessions.at(i);
        for (const PlannedLayer& layer : planned.layers) {
            store::ImportedLayer out;
            out.rater_name = prepared.rater_of(layer);
            const std::string rater_key = normalize_key(out.rater_name.empty() ? db.actor().name : out.rater_name);
            for (const PlannedObservation& p : layer.observations) {
                Observation o = p.observation;
                o.uuid =
                    derived_uuid({"attune-boris-observation", case_key, rater_key, layer.observation_id, p.source_key});
                out.observations.push_back(std::move(o));
            }
            imported.layers.push_back(std::move(out));
        }
        bulk.sessions.push_back(std::move(imported));
    }

    const store::BulkImportResult result = store::import_sessions(db, bulk);
    ImportReport report;
    report.file = prepared.file;
    report.case_label = result.the_case.label;
    report.case_created = result.case_created;
    report.left_out = plan.skipped;
    for (size_t i = 0; i < result.sessions.size(); ++i) {
        const store::ImportedSessionResult& outcome = result.sessions[i];
        ImportedSessionReport line;
        line.date = outcome.session.date;
        line.session_number = outcome.session.number;
        line.session_already_imported = outcome.already_imported;
        line.into_existing = outcome.into_existing;
        for (size_t k = 0; k < outcome.layers.size(); ++k) {
            const PlannedLayer& planned = plan.sessions[i].layers[k];
            line.layers.push_back({planned.observation_id, outcome.layers[k].rater.name,
                                   outcome.layers[k].observations_created,
                                   outcome.layers[k].observations_already_imported, planned.notes});
        }
        report.sessions.push_back(std::move(line));
    }
    return report;
}

ImportReport import_boris(OpenPractice& practice, const fs::path& file, const BorisImportOptions& options) {
    return import_boris(practice, prepare_boris_import(practice, file, options));
}

// [SECTION] Texts: preview and report

namespace {

std::string left_out_lines(const std::vector<SkippedObservation>& skipped) {
    if (skipped.empty()) return "";
    std::string out = "Left out:\n";
    for (const SkippedObservation& s : skipped)
        out += "  BORIS observation " + in_quotes(s.observation_id) + ": " + s.reason + "\n";
    return out;
}

std::string observations_text(int n) {
    return std::to_string(n) + (n == 1 ? " observation" : " observations");
}

std::string note_lines(const std::vector<std::string>& notes) {
    std::string out;
    for (const std::string& note : notes)
        out += "    note: " + note + "\n";
    return out;
}

}  // namespace

std::string PreparedBorisImport::preview_text() const {
    std::string out = "Into " + std::string(case_exists ? "case " : "a new case ") + in_quotes(options.case_label) +
                      " (A " + in_quotes(options.partner_a_name) + ", B " + in_quotes(options.partner_b_name) + "):\n";
    for (size_t i = 0; i < plan.sessions.size(); ++i) {
        const PlannedSession& s = plan.sessions[i];
        out += "Session of " + s.date + (s.start_time.empty() ? "" : " " + s.start_time) + ", " +
               format_clock(s.active_seconds) +
               (options.into_existing && i < target_sessions.size()
                    ? ", into existing session " + std::to_string(target_sessions[i])
                    : std::string(", a new session")) +
               ":\n";
        for (const PlannedLayer& layer : s.layers) {
            out += "  BORIS observation " + in_quotes(layer.observation_id) + ", rater " + rater_of(layer) + ": " +
                   observations_text(static_cast<int>(layer.observations.size())) + "\n" + note_lines(layer.notes);
        }
    }
    if (plan.sessions.empty()) out += "Nothing to import.\n";
    return out + left_out_lines(plan.skipped);
}

int ImportedSessionReport::observations_created() const {
    int total = 0;
    for (const ImportedLayerReport& layer : layers)
        total += layer.observations_created;
    return total;
}

int ImportReport::sessions_created() const {
    return static_cast<int>(std::count_if(sessions.begin(), sessions.end(), [](const ImportedSessionReport& s) {
        return !s.session_already_imported && !s.into_existing;
    }));
}

int ImportReport::observations_created() const {
    int total = 0;
    for (const ImportedSessionReport& s : sessions)
        total += s.observations_created();
    return total;
}

int ImportReport::observations_already_imported() const {
    int total = 0;
    for (const ImportedSessionReport& s : sessions)
        for (const ImportedLayerReport& layer : s.layers)
            total += layer.observations_already_imported;
    return total;
}

std::string ImportReport::summary() const {
    std::string out;
    if (case_created) out += "Case " + in_quotes(case_label) + " created.\n";
    for (const ImportedSessionReport& s : sessions) {
        for (const ImportedLayerReport& layer : s.layers) {
            out += "Session " + std::to_string(s.session_number) + " (" + s.date +
                   (s.into_existing              ? ", existing session"
                    : s.session_already_imported ? ", already imported"
                                                 : "") +
                   "), BORIS observation " + in_quotes(layer.observation_id) + ", rater " + layer.rater + ": " +
                   observations_text(layer.observations_created) + " imported";
            if (layer.observations_already_imported > 0)
                out += ", " + std::to_string(layer.observations_already_imported) + " already imported";
            out += "\n" + note_lines(layer.notes);
        }
    }
    out += left_out_lines(left_out);
    out += std::to_string(sessions_created()) + (sessions_created() == 1 ? " session and " : " sessions and ") +
           observations_text(observations_created()) + " imported into case " + in_quotes(case_label);
    if (observations_already_imported() > 0)
        out += "; " + std::to_string(observations_already_imported()) + " were already imported";
    out += ".\n";
    return out;
}

}  // namespace attune::services
