// The foundation commands: init, case, session, log, check.
#include "app/cli.h"
#include "app/cli_lookup.h"
#include "core/session_clock.h"
#include "core/text.h"
#include "io/paths.h"
#include "store/maintenance.h"
#include "store/repositories.h"
#include "store/session_logger.h"

#include <iostream>

namespace attune::app {
namespace {

using store::StoreError;


int cmd_init(const Args& args) {
    const bool existed = std::filesystem::exists(args.get("db").value_or(io::default_database_path().string()));
    io::Practice practice = open_from_args(args, true);
    std::cout << (existed ? "opened " : "created ") << practice.db->path().string()
              << (practice.db->encrypted() ? " (encrypted)" : " (NOT encrypted)") << "\n";
    return kExitOk;
}

int cmd_case_add(const Args& args) {
    io::Practice practice = open_from_args(args, true);
    Case c;
    c.label = trim(args.require("label"));
    const std::vector<std::string> partners = split(args.require("partners"), ',');
    if (partners.size() != 2 || trim(partners[0]).empty() || trim(partners[1]).empty())
        throw UsageError("--partners takes two names separated by a comma, e.g. --partners Ana,Ben");
    c.partner_a.display_name = trim(partners[0]);
    c.partner_b.display_name = trim(partners[1]);
    if (auto styles = args.get("styles")) {
        const std::vector<std::string> parts = split(*styles, ',');
        if (parts.size() != 2) throw UsageError("--styles takes two attachment styles, e.g. --styles anxious,avoidant");
        c.partner_a.attachment_style = trim(parts[0]);
        c.partner_b.attachment_style = trim(parts[1]);
    }
    if (auto clinician = args.get("clinician"))
        c.clinician_id = store::PeopleRepository(*practice.db).find_or_create(trim(*clinician)).id;
    c.start_date = args.get("start").value_or("");
    c.goals = args.get("goals").value_or("");
    c = store::CaseRepository(*practice.db).create(c);
    std::cout << c.label << "\n";
    return kExitOk;
}

int cmd_case_list(const Args& args) {
    io::Practice practice = open_from_args(args, false, true);
    for (const store::CaseSummary& s : store::CaseRepository(*practice.db).list()) {
        std::cout << s.info.label << "\t" << s.info.partner_a.display_name << " & " << s.info.partner_b.display_name
                  << "\t" << s.info.clinician_name << "\t" << to_string(s.info.status) << "\t" << s.sessions
                  << " sessions" << (s.last_session_date.empty() ? "" : "\tlast " + s.last_session_date)
                  << (s.has_running_session ? "\tsession in progress" : "") << "\n";
    }
    return kExitOk;
}

int cmd_session_start(const Args& args) {
    io::Practice practice = open_from_args(args, false);
    const Case c = require_case(*practice.db, args.require("case"));
    store::SessionRepository sessions(*practice.db);
    for (const Session& s : sessions.list_for_case(c.id))
        if (s.state != SessionState::Ended)
            throw StoreError(StoreError::Kind::Invalid, "session " + std::to_string(s.number) + " of " + c.label +
                                                            " is still in progress; end it first");
    const Session s = sessions.start(c.id, args.get("date").value_or(store::today_local_iso()),
                                     store::now_local_hhmm(), wall_clock_seconds());
    std::cout << s.number << "\n";
    return kExitOk;
}

int cmd_session_end(const Args& args) {
    io::Practice practice = open_from_args(args, false);
    const Case c = require_case(*practice.db, args.require("case"));
    const Session s = require_session(*practice.db, c, args.get_int("session", 1, 100000));
    store::SessionRepository sessions(*practice.db);
    if (s.state != SessionState::Ended) {
        const double active = args.get_double("duration", 0, 24 * 3600)
                                  .value_or(session_clock_now(*practice.db, s));
        sessions.end(s.id, active);
    }
    const auto stage = args.get_int("stage", 1, 3);
    const auto step = args.get_int("step", 1, 9);
    if (stage || step) sessions.set_stage(s.id, stage ? stage : s.eft_stage, step ? step : s.eft_step);
    Ratings ratings = s.ratings;
    if (auto v = args.get_int("attunement-a", 0, 10)) ratings.attunement_a = v;
    if (auto v = args.get_int("attunement-b", 0, 10)) ratings.attunement_b = v;
    if (auto v = args.get_int("safety", 0, 10)) ratings.safety = v;
    if (args.has("attunement-a") || args.has("attunement-b") || args.has("safety")) sessions.set_ratings(s.id, ratings);
    std::cout << "session " << s.number << " of " << c.label << " ended\n";
    return kExitOk;
}

int cmd_session_list(const Args& args) {
    io::Practice practice = open_from_args(args, false, true);
    const Case c = require_case(*practice.db, args.require("case"));
    for (const Session& s : store::SessionRepository(*practice.db).list_for_case(c.id)) {
        const auto count = store::ObservationRepository(*practice.db).list_for_session(s.id).size();
        std::cout << s.number << "\t" << s.date << "\t" << to_string(s.state) << "\t"
                  << format_clock(s.active_seconds) << "\t" << count << " observations"
                  << (s.eft_stage ? "\tstage " + std::to_string(*s.eft_stage) : "") << "\n";
    }
    return kExitOk;
}

int cmd_log(const Args& args) {
    io::Practice practice = open_from_args(args, false);
    store::Database& db = *practice.db;
    const Case c = require_case(db, args.require("case"));
    const Session s = require_session(db, c, args.get_int("session", 1, 100000));
    if (s.state == SessionState::Ended && !args.has("at"))
        throw UsageError("session " + std::to_string(s.number) + " has ended: give the time with --at SECONDS");
    auto who = parse_who(args.require("who"));
    if (!who) throw UsageError("--who must be A, B, both or therapist");
    const CodingScheme scheme = store::SchemeRepository(db).get(s.scheme_id);
    const Code* code = scheme.find(args.require("code"));
    if (!code) throw StoreError(StoreError::Kind::Invalid, "no code '" + *args.get("code") + "' in " + scheme.name +
                                                                " (codes match by id or label)");
    const double at = args.get_double("at", 0, 24 * 3600).value_or(session_clock_now(db, s));
    const auto stop = args.get_double("stop", 0, 24 * 3600);
    const auto intensity = args.get_int("intensity", 1, 3);
    const std::string note = args.get("note").value_or("");
    if (!is_valid_utf8(note)) throw UsageError("--note is not valid UTF-8 text");

    Observation saved;
    if (stop) {
        if (code->kind != EventKind::State)
            throw UsageError("'" + code->id + "' is a point event: it takes no --stop");
        Observation o;
        o.session_id = s.id;
        o.who = *who;
        o.code_id = code->id;
        o.kind = EventKind::State;
        o.t = at;
        o.stop = *stop;
        o.intensity = intensity;
        o.comment = note;
        saved = store::ObservationRepository(db).add(o);
    } else {
        store::SessionLogger logger(db, s.id, scheme);
        store::LogOutcome outcome = logger.press(*who, *code, at);
        if (outcome.status != store::LogOutcome::Status::Saved)
            throw StoreError(StoreError::Kind::Io, "not saved: " + outcome.error);
        saved = outcome.observation;
        if (intensity || !note.empty()) logger.set_extras(saved.id, intensity, note);
    }
    // Printed only now: the observation is committed.
    std::cout << saved.id << "\n";
    return kExitOk;
}

int cmd_check(const Args& args) {
    io::Practice practice = open_from_args(args, false, true);
    const store::HealthReport r = store::check_health(*practice.db);
    std::cout << practice.db->path().string() << ": schema " << practice.db->schema_version() << ", "
              << (practice.db->encrypted() ? "encrypted (SQLCipher " + practice.db->cipher_version() + ")"
                                           : std::string("NOT encrypted"))
              << "\n";
    std::cout << "integrity: " << (r.integrity_ok ? "ok" : "FAILED") << "\n";
    if (!r.integrity_ok)
        for (const std::string& m : r.integrity_messages) std::cout << "  " << m << "\n";
    std::cout << "foreign keys: " << (r.foreign_key_problems == 0 ? "ok" : std::to_string(r.foreign_key_problems) + " problems")
              << "\n";
    std::cout << "audit log: " << (r.audit.ok ? "ok" : "BROKEN") << " (" << r.audit.message << ")\n";
    if (r.unpaired_states_in_ended_sessions > 0)
        std::cout << "state events left open in ended sessions: " << r.unpaired_states_in_ended_sessions << "\n";
    std::cout << r.people << " people, " << r.cases << " cases, " << r.sessions << " sessions, " << r.observations
              << " observations (" << r.deleted_observations << " deleted), " << r.audit_rows << " audit rows\n";
    std::cout << (r.ok() ? "all well" : "PROBLEMS FOUND") << "\n";
    return r.ok() ? kExitOk : kExitFailed;
}

// For the crash-consistency test: logs `count` observations through the same
// path as the session view, printing each id only after its commit.
int cmd_stress_log(const Args& args) {
    io::Practice practice = open_from_args(args, false);
    store::Database& db = *practice.db;
    const Case c = require_case(db, args.require("case"));
    const Session s = require_session(db, c, std::nullopt);
    const CodingScheme scheme = store::SchemeRepository(db).get(s.scheme_id);
    const int count = args.get_int("count", 1, 1000000).value_or(1000);
    const Code* codes[] = {scheme.find("defensive_anger"), scheme.find("withdraw_emotion"), scheme.find("validate"),
                           scheme.find("need_closeness"), scheme.find("shut_down")};
    store::SessionLogger logger(db, s.id, scheme);
    double t = session_clock_now(db, s);
    for (int i = 0; i < count; ++i) {
        const Code* code = codes[i % 5];
        if (!code) throw StoreError(StoreError::Kind::Invalid, "the default codes are missing from the scheme");
        t += 0.25;
        const store::LogOutcome outcome = logger.press(i % 2 == 0 ? Who::A : Who::B, *code, t);
        if (outcome.status != store::LogOutcome::Status::Saved)
            throw StoreError(StoreError::Kind::Io, "not saved: " + outcome.error);
        std::cout << outcome.observation.id << (outcome.action == store::LogOutcome::Action::StateStopped ? "s" : "")
                  << std::endl;  // flushed: the parent may kill us any moment after
    }
    return kExitOk;
}

}  // namespace

void register_core_commands() {
    auto& t = command_table();
    if (!t.empty()) return;
    t.push_back({"init", "[--db F] [--no-encryption]", "create (or open) a practice database", with_db({}),
                 with_db_flags({}), cmd_init});
    t.push_back({"case add", "--label L --partners A,B [--clinician NAME] [--start YYYY-MM-DD] [--goals TEXT] [--styles S,S]",
                 "add a case (a couple) with its two partners",
                 with_db({"label", "partners", "clinician", "start", "goals", "styles"}), with_db_flags({}), cmd_case_add});
    t.push_back({"case list", "", "list the cases", with_db({}), with_db_flags({}), cmd_case_list});
    t.push_back({"session start", "--case L [--date YYYY-MM-DD]", "start a case's next session (prints its number)",
                 with_db({"case", "date"}), with_db_flags({}), cmd_session_start});
    t.push_back({"session end", "--case L [--session N] [--duration S] [--stage 1-3 --step 1-9] [--attunement-a 0-10 "
                 "--attunement-b 0-10 --safety 0-10]",
                 "end a session (closing running state events), with stage and ratings",
                 with_db({"case", "session", "duration", "stage", "step", "attunement-a", "attunement-b", "safety"}),
                 with_db_flags({}), cmd_session_end});
    t.push_back({"session list", "--case L", "list a case's sessions", with_db({"case"}), with_db_flags({}),
                 cmd_session_list});
    t.push_back({"log", "--case L [--session N] --who A|B|both|therapist --code ID [--at S] [--stop S] [--intensity 1-3] "
                 "[--note TEXT]",
                 "log one observation; prints its id once it is committed",
                 with_db({"case", "session", "who", "code", "at", "stop", "intensity", "note"}), with_db_flags({}), cmd_log});
    t.push_back({"check", "", "check integrity and the audit chain; exit 0 only if all is well", with_db({}),
                 with_db_flags({}), cmd_check});
    t.push_back({"stress-log", "--case L [--count N]",
                 "(testing) log N observations into the case's open session, printing each id after commit",
                 with_db({"case", "count"}), with_db_flags({}), cmd_stress_log});
    register_more_commands();
}

}  // namespace attune::app
