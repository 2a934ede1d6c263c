#include "services/cases.h"

#include "core/session_clock.h"
#include "core/text.h"
#include "services/access.h"
#include "services/practice_access.h"
#include "store/repositories.h"
#include "store/session_logger.h"

namespace attune::services {

// [SECTION] Cases

std::vector<CaseSummary> list_cases(OpenPractice& practice) {
    std::vector<CaseSummary> out;
    for (CaseSummary& s : store::CaseRepository(database_of(practice)).list())
        if (case_access(practice, s.info) != CaseAccess::None) out.push_back(std::move(s));
    return out;
}

Case add_case(OpenPractice& practice, Case draft, const std::string& clinician_name) {
    store::Database& db = database_of(practice);
    const Person& me = practice.person();
    if (!trim(clinician_name).empty()) {
        auto clinician = store::PeopleRepository(db).find(trim(clinician_name));
        if (!clinician)
            throw Error(Error::Kind::NotFound, "no person named '" + trim(clinician_name) +
                                                   "' (an administrator adds people with attune person add)");
        if (clinician->id != me.id && !practice.holds(GrantRole::Administrator))
            throw Error(Error::Kind::Denied, "only an administrator opens a case for another clinician");
        if (practice.has_keys() && !practice.trust().holds(clinician->uuid, GrantRole::Clinician))
            throw Error(Error::Kind::Invalid, clinician->name + " is not a clinician");
        draft.clinician_id = clinician->id;
    } else if (!practice.holds(GrantRole::Clinician)) {
        throw Error(Error::Kind::Denied, me.name + " is not a clinician: only clinicians open cases");
    }
    return store::CaseRepository(db).create(std::move(draft));
}

void update_case(OpenPractice& practice, const Case& c) {
    require_access(practice, c, CaseAccess::Clinician);
    store::CaseRepository(database_of(practice)).update(c);
}

std::optional<Case> get_case(OpenPractice& practice, RowId case_id) {
    auto found = store::CaseRepository(database_of(practice)).get(case_id);
    if (found && case_access(practice, *found) == CaseAccess::None) return std::nullopt;
    return found;
}

Case find_case(OpenPractice& practice, const std::string& label) {
    auto found = store::CaseRepository(database_of(practice)).find_by_label(label);
    // A case the person may not see answers as one that does not exist.
    if (!found || case_access(practice, *found) == CaseAccess::None)
        throw Error(Error::Kind::NotFound, "no case labelled '" + label + "' (see attune case list)");
    return *found;
}

// [SECTION] Sessions

std::vector<Session> list_sessions(OpenPractice& practice, RowId case_id) {
    auto c = get_case(practice, case_id);
    if (!c) return {};
    std::vector<Session> out;
    for (Session& s : store::SessionRepository(database_of(practice)).list_for_case(case_id))
        if (may_see_session(practice, *c, s.id)) out.push_back(std::move(s));
    return out;
}

std::optional<Session> get_session(OpenPractice& practice, RowId session_id) {
    auto s = store::SessionRepository(database_of(practice)).get(session_id);
    if (!s) return s;
    auto c = store::CaseRepository(database_of(practice)).get(s->case_id);
    if (!c || !may_see_session(practice, *c, s->id)) return std::nullopt;
    return s;
}

Session find_session(OpenPractice& practice, const Case& c, std::optional<int> number) {
    store::SessionRepository sessions(database_of(practice));
    if (number) {
        auto found = sessions.find(c.id, *number);
        if (!found || !may_see_session(practice, c, found->id))
            throw Error(Error::Kind::NotFound,
                        c.label + " has no session " + std::to_string(*number) + " (see attune session list)");
        return *found;
    }
    const std::vector<Session> all = list_sessions(practice, c.id);
    if (all.empty()) throw Error(Error::Kind::NotFound, c.label + " has no sessions yet (attune session start)");
    for (const Session& s : all)
        if (s.state != SessionState::Ended) return s;
    return all.back();
}

std::vector<Session> unfinished_sessions(OpenPractice& practice) {
    // Only the treating clinician's own sessions: the ones they would resume.
    std::vector<Session> out;
    store::CaseRepository cases(database_of(practice));
    for (Session& s : store::SessionRepository(database_of(practice)).unfinished())
        if (auto c = cases.get(s.case_id); c && case_access(practice, *c) == CaseAccess::Clinician)
            out.push_back(std::move(s));
    return out;
}

Session start_session(OpenPractice& practice, RowId case_id, const std::string& date) {
    store::Database& db = database_of(practice);
    store::SessionRepository sessions(db);
    const auto c = store::CaseRepository(db).get(case_id);
    if (!c) throw Error(Error::Kind::NotFound, "the case no longer exists");
    if (case_access(practice, *c) != CaseAccess::Clinician)
        throw Error(Error::Kind::Denied, "only the case's own clinician starts its sessions");
    for (const Session& s : sessions.list_for_case(case_id))
        if (s.state != SessionState::Ended)
            throw Error(Error::Kind::Invalid,
                        "session " + std::to_string(s.number) + " of " + c->label + " is still in progress; end it first");
    return sessions.start(case_id, date.empty() ? store::today_local_iso() : date, store::now_local_hhmm(),
                          wall_clock_seconds());
}

SessionStart start_or_resume_session(OpenPractice& practice, RowId case_id, const std::string& date) {
    for (const Session& s : list_sessions(practice, case_id))
        if (s.state != SessionState::Ended) return {s, false};  // one session at a time: go back to it
    return {start_session(practice, case_id, date), true};
}

double session_clock_now(OpenPractice& practice, const Session& s) {
    if (s.state != SessionState::Running) return s.active_seconds;
    const auto resumed = store::SessionRepository(database_of(practice)).resumed_at(s.id);
    if (!resumed) return s.active_seconds;
    return SessionClock(s.active_seconds, true, *resumed).now(wall_clock_seconds());
}

int observation_count(OpenPractice& practice, RowId session_id) {
    return static_cast<int>(store::ObservationRepository(database_of(practice)).list_for_session(session_id).size());
}

namespace {

// The case of a session, checked against what the person signed in may do.
Case case_of_session(OpenPractice& practice, const Session& s, CaseAccess at_least) {
    auto c = store::CaseRepository(database_of(practice)).get(s.case_id);
    if (!c) throw Error(Error::Kind::NotFound, "the case no longer exists");
    if (!may_see_session(practice, *c, s.id)) throw Error(Error::Kind::NotFound, "no such session");
    require_access(practice, *c, at_least);
    return *c;
}

}  // namespace

Session end_session(OpenPractice& practice, const Session& s, const SessionEnding& ending) {
    case_of_session(practice, s, CaseAccess::Clinician);
    store::SessionRepository sessions(database_of(practice));
    if (s.state != SessionState::Ended) sessions.end(s.id, ending.active_seconds.value_or(session_clock_now(practice, s)));
    if (ending.stage || ending.step)
        sessions.set_stage(s.id, ending.stage ? ending.stage : s.eft_stage, ending.step ? ending.step : s.eft_step);
    if (ending.attunement_a || ending.attunement_b || ending.safety) {
        Ratings ratings = s.ratings;
        if (ending.attunement_a) ratings.attunement_a = ending.attunement_a;
        if (ending.attunement_b) ratings.attunement_b = ending.attunement_b;
        if (ending.safety) ratings.safety = ending.safety;
        sessions.set_ratings(s.id, ratings);
    }
    return sessions.get(s.id).value_or(s);
}

Session set_not_for_trends(OpenPractice& practice, const Session& s, const std::optional<std::string>& reason) {
    case_of_session(practice, s, CaseAccess::Clinician);
    store::SessionRepository sessions(database_of(practice));
    sessions.set_not_for_trends(s.id, reason);
    return sessions.get(s.id).value_or(s);
}

// [SECTION] One observation

Observation log_observation(OpenPractice& practice, const Session& s, const LogRequest& request) {
    // A running session is its clinician's; an ended one may get another
    // rater's layer (a supervisor or an assigned coder, for agreement).
    case_of_session(practice, s, s.state == SessionState::Ended ? CaseAccess::Coder : CaseAccess::Clinician);
    store::Database& db = database_of(practice);
    if (s.state == SessionState::Ended && !request.at)
        throw Error(Error::Kind::Invalid,
                    "session " + std::to_string(s.number) + " has ended: give the time with --at SECONDS");
    const CodingScheme scheme = store::SchemeRepository(db).get(s.scheme_id);
    const Code* code = scheme.find(request.code);
    if (!code)
        throw Error(Error::Kind::Invalid,
                    "no code '" + request.code + "' in " + scheme.name + " (codes match by id or label)");
    if (!is_valid_utf8(request.note)) throw Error(Error::Kind::Invalid, "the note is not valid UTF-8 text");
    const double at = request.at.value_or(session_clock_now(practice, s));
    if (request.stop) {
        if (code->kind != EventKind::State)
            throw Error(Error::Kind::Invalid, "'" + code->id + "' is a point event: it takes no stop time");
        Observation o;
        o.session_id = s.id;
        o.who = request.who;
        o.code_id = code->id;
        o.kind = EventKind::State;
        o.t = at;
        o.stop = *request.stop;
        o.intensity = request.intensity;
        o.comment = request.note;
        return store::ObservationRepository(db).add(o);
    }
    store::SessionLogger logger(db, s.id, scheme);
    const LogOutcome outcome = logger.press(request.who, *code, at);
    if (outcome.status != LogOutcome::Status::Saved) throw Error(Error::Kind::Io, "not saved: " + outcome.error);
    Observation saved = outcome.observation;
    if (request.intensity || !request.note.empty()) {
        logger.set_extras(saved.id, request.intensity, request.note);
        saved.intensity = request.intensity;
        saved.comment = request.note;
    }
    return saved;
}

void stress_log(OpenPractice& practice, const Session& s, int count,
                const std::function<void(RowId id, bool stopped_a_state)>& committed) {
    case_of_session(practice, s, CaseAccess::Clinician);
    store::Database& db = database_of(practice);
    const CodingScheme scheme = store::SchemeRepository(db).get(s.scheme_id);
    const Code* codes[] = {scheme.find("defensive_anger"), scheme.find("withdraw_emotion"), scheme.find("validate"),
                           scheme.find("need_closeness"), scheme.find("shut_down")};
    store::SessionLogger logger(db, s.id, scheme);
    double t = session_clock_now(practice, s);
    for (int i = 0; i < count; ++i) {
        const Code* code = codes[i % 5];
        if (!code) throw Error(Error::Kind::Invalid, "the default codes are missing from the scheme");
        t += 0.25;
        const LogOutcome outcome = logger.press(i % 2 == 0 ? Who::A : Who::B, *code, t);
        if (outcome.status != LogOutcome::Status::Saved) throw Error(Error::Kind::Io, "not saved: " + outcome.error);
        committed(outcome.observation.id, outcome.action == LogOutcome::Action::StateStopped);
    }
}

}  // namespace attune::services
