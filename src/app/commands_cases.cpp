// Cases, sessions and observations: `attune case`, `attune session`,
// `attune note accept-draft`, `attune log` (and `stress-log`, for the crash test).
#include <iostream>

#include "app/cli.h"
#include "core/dates.h"
#include "core/text.h"
#include "services/access_audit.h"
#include "services/case_trends.h"
#include "services/cases.h"
#include "services/notes.h"
#include "services/recordings.h"

namespace attune::app {
namespace {

int cmd_case_add(const Args& args) {
    auto practice = open_from_args(args, false);  // practices are made by attune init (or demo), never on the side
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
    if (auto cycle = args.get("cycle")) {
        const std::vector<std::string> parts = split(*cycle, ',');
        if (parts.size() != 2)
            throw UsageError("--cycle takes both partners' cycle positions, e.g. --cycle pursuer,withdrawer");
        c.partner_a.cycle_position = trim(parts[0]);
        c.partner_b.cycle_position = trim(parts[1]);
    }
    c.start_date = args.get("start").value_or("");
    if (!c.start_date.empty() && !is_iso_date(c.start_date))
        throw UsageError("--start takes a date as YYYY-MM-DD, e.g. 2026-03-02");
    c.goals = args.get("goals").value_or("");
    c = services::add_case(*practice, c, args.get("clinician").value_or(""));
    std::cout << c.label << "\n";
    return kExitOk;
}

int cmd_case_list(const Args& args) {
    auto practice = open_from_args(args, false, true);
    const std::vector<CaseSummary> cases = services::list_cases(*practice);
    services::record_command_read(*practice, {"case list"});
    for (const CaseSummary& s : cases) {
        std::cout << s.info.label << "\t" << s.info.partner_a.display_name << " & " << s.info.partner_b.display_name
                  << "\t" << s.info.clinician_name << "\t" << to_string(s.info.status) << "\t" << s.sessions
                  << " sessions" << (s.last_session_date.empty() ? "" : "\tlast " + s.last_session_date)
                  << (s.has_running_session ? "\tsession in progress" : "") << "\n";
    }
    return kExitOk;
}

int cmd_session_start(const Args& args) {
    const std::string date = args.get("date").value_or("");
    if (!date.empty() && !is_iso_date(date)) throw UsageError("--date takes a date as YYYY-MM-DD, e.g. 2026-03-02");
    if (!args.has("from-recording") && (args.has("offset") || args.has("in-place")))
        throw UsageError("--offset and --in-place go with --from-recording FILE");
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    if (args.has("from-recording")) {
        // Coded later from the recording alone: no live clock, no pauses.
        services::RecordingLink link;
        link.file = args.require("from-recording");
        link.offset_seconds = args.get_double("offset", 0, 24 * 3600);
        link.in_place = args.has("in-place");
        const services::SessionFromRecording made = services::start_session_from_recording(*practice, c.id, link, date);
        for (const std::string& w : made.link.warnings)
            std::cerr << "attune session start: warning: " << w << "\n";
        std::cout << made.session.number << "\n";
        return kExitOk;
    }
    const Session s = services::start_session(*practice, c.id, date);
    std::cout << s.number << "\n";
    return kExitOk;
}

int cmd_session_end(const Args& args) {
    services::SessionEnding ending;
    ending.active_seconds = args.get_double("duration", 0, 24 * 3600);
    ending.stage = args.get_int("stage", 1, 3);
    ending.step = args.get_int("step", 1, 9);
    ending.attunement_a = args.get_int("attunement-a", 0, 10);
    ending.attunement_b = args.get_int("attunement-b", 0, 10);
    ending.safety = args.get_int("safety", 0, 10);
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, args.get_int("session", 1, 100000));
    services::end_session(*practice, s, ending);
    std::cout << "session " << s.number << " of " << c.label << " ended\n";
    return kExitOk;
}

int cmd_session_list(const Args& args) {
    auto practice = open_from_args(args, false, true);
    const Case c = services::find_case(*practice, args.require("case"));
    services::record_command_read(*practice, {"session list", &c});
    for (const Session& s : services::list_sessions(*practice, c.id)) {
        const int count = services::observation_count(*practice, s.id);
        const SessionCounting counting = services::session_counting(*practice, s);
        std::cout << s.number << "\t" << s.date << "\t" << to_string(s.state) << "\t" << format_clock(s.active_seconds)
                  << "\t" << count << " observations" << (s.eft_stage ? "\tstage " + std::to_string(*s.eft_stage) : "")
                  << (counting.counts ? "" : "\tnot counted: " + counting.reason) << "\n";
    }
    return kExitOk;
}

// The session a mark or a note is about: always named, never guessed.
int required_session(const Args& args) {
    const auto number = args.get_int("session", 1, 100000);
    if (!number) throw UsageError("--session N names the session (see attune session list)");
    return *number;
}

// `session exclude` / `session include`: the clinician's "not for trends" mark.
int cmd_session_exclude(const Args& args) {
    const std::string reason = trim(args.require("reason"));
    if (reason.empty())
        throw UsageError("--reason says why the session is not for trends, e.g. --reason \"test session\"");
    if (!is_valid_utf8(reason)) throw UsageError("--reason is not valid UTF-8 text");
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, required_session(args));
    services::set_not_for_trends(*practice, s, reason);
    std::cout << "session " << s.number << " of " << c.label << " is not for trends: " << reason << "\n";
    return kExitOk;
}

int cmd_session_include(const Args& args) {
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, required_session(args));
    const Session after = services::set_not_for_trends(*practice, s, std::nullopt);
    const SessionCounting counting = services::session_counting(*practice, after);
    std::cout << "session " << s.number << " of " << c.label << " is no longer marked not for trends"
              << (counting.counts ? "; it counts toward trends" : "; it still does not count: " + counting.reason)
              << "\n";
    return kExitOk;
}

int cmd_note_accept_draft(const Args& args) {
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, required_session(args));
    const std::string draft = services::accept_assessment_draft(*practice, s);
    std::cout << "Assessment of session " << s.number << " of " << c.label << " (Attune's draft, accepted):\n\n"
              << draft << "\n";
    return kExitOk;
}

// Oldest first: each version's number, time and author, then its three fields.
int cmd_note_history(const Args& args) {
    // Not read-only: a practice of an earlier schema is upgraded on open, as for every other command.
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, required_session(args));
    const std::vector<NoteVersion> versions = services::note_history(*practice, s);
    std::cout << "Progress note of session " << s.number << " of " << c.label << ": " << versions.size()
              << (versions.size() == 1 ? " saved version" : " saved versions") << ", oldest first\n";
    for (const NoteVersion& v : versions) {
        std::cout << "\n" << note_version_title(v) << (&v == &versions.back() ? " (current)" : "") << "\n";
        std::cout << "Data: " << v.note.data << "\nAssessment: " << v.note.assessment << "\nPlan: " << v.note.plan
                  << "\n";
    }
    return kExitOk;
}

int cmd_log(const Args& args) {
    services::LogRequest request;
    const auto who = parse_who(args.require("who"));
    if (!who) throw UsageError("--who must be A, B, both or therapist");
    request.who = *who;
    request.code = args.require("code");
    request.at = args.get_double("at", 0, 24 * 3600);
    request.stop = args.get_double("stop", 0, 24 * 3600);
    request.intensity = args.get_int("intensity", 1, 3);
    request.note = args.get("note").value_or("");
    if (!is_valid_utf8(request.note)) throw UsageError("--note is not valid UTF-8 text");
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, args.get_int("session", 1, 100000));
    if (s.state == SessionState::Ended && !request.at)
        throw UsageError("session " + std::to_string(s.number) + " has ended: give the time with --at SECONDS");
    if (request.stop && request.code.empty()) throw UsageError("--stop needs --code");
    const Observation saved = services::log_observation(*practice, s, request);
    // Printed only now: the observation is committed.
    std::cout << saved.id << "\n";
    return kExitOk;
}

// For the crash-consistency test: logs `count` observations through the same
// path as the session view, printing each id only after its commit.
int cmd_stress_log(const Args& args) {
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, std::nullopt);
    const int count = args.get_int("count", 1, 1000000).value_or(1000);
    services::stress_log(*practice, s, count, [](RowId id, bool stopped_a_state) {
        std::cout << id << (stopped_a_state ? "s" : "") << std::endl;  // flushed: the parent may kill us any moment after
    });
    return kExitOk;
}

}  // namespace

void register_case_commands() {
    auto& t = command_table();
    t.push_back({"case add", "--label L --partners A,B [--clinician NAME] [--start YYYY-MM-DD] [--goals TEXT] [--styles S,S] [--cycle P,P]",
                 "add a case (a couple) with its two partners",
                 with_db({"label", "partners", "clinician", "start", "goals", "styles", "cycle"}), with_db_flags({}), cmd_case_add});
    t.push_back({"case list", "", "list the cases", with_db({}), with_db_flags({}), cmd_case_list});
    t.push_back({"session start", "--case L [--date YYYY-MM-DD] [--from-recording FILE [--offset S] [--in-place]]",
                 "start a case's next session (prints its number); with --from-recording, a session coded later "
                 "from its recording alone (no live clock, no pauses)",
                 with_db({"case", "date", "from-recording", "offset"}), with_db_flags({"in-place"}),
                 cmd_session_start});
    t.push_back({"session end", "--case L [--session N] [--duration S] [--stage 1-3 --step 1-9] [--attunement-a 0-10 "
                 "--attunement-b 0-10 --safety 0-10]",
                 "end a session (closing running state events), with stage and ratings",
                 with_db({"case", "session", "duration", "stage", "step", "attunement-a", "attunement-b", "safety"}),
                 with_db_flags({}), cmd_session_end});
    t.push_back({"session list", "--case L", "list a case's sessions (and why one does not count toward trends)",
                 with_db({"case"}), with_db_flags({}), cmd_session_list});
    t.push_back({"session exclude", "--case L --session N --reason TEXT",
                 "mark a session \"not for trends\" (a test, an aborted or individual session); audited",
                 with_db({"case", "session", "reason"}), with_db_flags({}), cmd_session_exclude});
    t.push_back({"session include", "--case L --session N", "remove a session's \"not for trends\" mark; audited",
                 with_db({"case", "session"}), with_db_flags({}), cmd_session_include});
    t.push_back({"note accept-draft", "--case L --session N",
                 "accept Attune's draft of an empty Assessment (written from the coded session); audited",
                 with_db({"case", "session"}), with_db_flags({}), cmd_note_accept_draft});
    t.push_back({"note history", "--case L --session N",
                 "every saved version of a session's progress note, oldest first, with its time and author",
                 with_db({"case", "session"}), with_db_flags({}), cmd_note_history});
    t.push_back({"log", "--case L [--session N] --who A|B|both|therapist --code ID [--at S] [--stop S] [--intensity 1-3] "
                 "[--note TEXT]",
                 "log one observation; prints its id once it is committed",
                 with_db({"case", "session", "who", "code", "at", "stop", "intensity", "note"}), with_db_flags({}), cmd_log});
    t.push_back({"stress-log", "--case L [--count N]",
                 "(testing) log N observations into the case's open session, printing each id after commit",
                 with_db({"case", "count"}), with_db_flags({}), cmd_stress_log});
}

}  // namespace attune::app
