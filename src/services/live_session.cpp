#include "services/live_session.h"

#include <algorithm>
#include <cmath>

#include "core/live_keys.h"
#include "core/observation_text.h"
#include "core/text.h"
#include "services/access.h"
#include "services/notes.h"
#include "services/practice_access.h"
#include "store/repositories.h"
#include "store/session_logger.h"
#include "store/signing.h"

namespace attune::services {

struct LiveSession::Logger : store::SessionLogger {
    using store::SessionLogger::SessionLogger;
};

// [SECTION] Loading

LiveSession::LiveSession(OpenPractice& practice, Reporter report) : practice_(practice), report_(std::move(report)) {}

LiveSession::~LiveSession() = default;

void LiveSession::set_hotkeys(const HotkeyOverrides& hotkeys) {
    hotkeys_ = hotkeys;
    if (!stored_scheme_.codes.empty()) scheme_ = with_hotkeys(stored_scheme_, hotkeys_);
}

bool LiveSession::attempt(const std::function<void()>& action) {
    try {
        action();
        return true;
    } catch (const std::exception& e) {
        if (report_) report_(true, e.what());
    }
    return false;
}

void LiveSession::info(const std::string& text) {
    if (report_) report_(false, text);
}

std::size_t LiveSession::pending_count() const { return logger_ ? logger_->pending().size() : 0; }
std::string LiveSession::last_error() const { return logger_ ? logger_->last_error() : std::string(); }
const std::deque<PendingPress>* LiveSession::pending() const { return logger_ ? &logger_->pending() : nullptr; }

bool LiveSession::sync(RowId session_id, double wall_now) {
    if (practice_.locked() || session_id == 0) return false;
    if (session_id != session_.id) {
        load(session_id, wall_now);
    } else if (seen_version_ != practice_.data_version()) {
        attempt([&] {
            if (auto fresh = store::SessionRepository(database_of(practice_)).get(session_id)) session_ = *fresh;
            reload_observations();
            reload_homework();
        });
        remember_version();
    }
    return session_.id == session_id;
}

void LiveSession::load(RowId session_id, double wall_now) {
    flush_notes();
    session_ = {};
    access_ = CaseAccess::None;
    observations_.clear();
    logger_.reset();
    clock_.reset();
    recovery_notice_.clear();
    attempt([&] {
        store::SessionRepository sessions(database_of(practice_));
        auto found = sessions.get(session_id);
        if (!found) throw Error(Error::Kind::NotFound, "the session no longer exists");
        Session s = *found;
        case_ = store::CaseRepository(database_of(practice_)).get(s.case_id).value_or(Case{});
        // Who sees what (services/access.h): a coder reads no notes, and only
        // the case's own clinician reads (and writes) the private process note.
        if (!may_see_session(practice_, case_, session_id))
            throw Error(Error::Kind::NotFound, "the session no longer exists");
        access_ = case_access(practice_, case_);
        stored_scheme_ = store::SchemeRepository(database_of(practice_)).get(s.scheme_id);
        scheme_ = with_hotkeys(stored_scheme_, hotkeys_);
        progress_note = access_ == CaseAccess::Coder ? ProgressNote{} : sessions.progress_note(session_id);
        assessment_draft_.clear();
        note_signed_ = store::SigningRepository(database_of(practice_)).is_signed(session_id);
        process_note = access_ == CaseAccess::Clinician ? sessions.process_note(session_id) : std::string();
        progress_status_ = {};
        process_status_ = {};
        session_ = s;
        reload_observations();
        reload_homework();
        logger_ = std::make_unique<Logger>(database_of(practice_), session_id, scheme_);

        // Where the clock stands: never before the last thing that was saved.
        double latest = s.active_seconds;
        for (const Observation& o : observations_) latest = std::max({latest, o.t, o.stop.value_or(0.0)});
        const bool ours = std::find(seen_running_.begin(), seen_running_.end(), session_id) != seen_running_.end();
        const auto resumed_at = sessions.resumed_at(session_id);
        const bool just_started = resumed_at && s.active_seconds == 0 && observations_.empty() &&
                                  wall_now - *resumed_at < 60.0;
        if (s.state == SessionState::Running && resumed_at && (ours || just_started)) {
            clock_.emplace(s.active_seconds, true, *resumed_at);
            clock_saved_at_ = s.active_seconds;
            if (!ours) seen_running_.push_back(session_id);
        } else if (s.state == SessionState::Running) {
            // Attune was closed (or crashed) mid-session: the wall time since then
            // is not session time. Stop at the last saved moment and wait for the
            // therapist to resume consciously. The pause is stored from the wall
            // moment the clock read that last saved second until the clock is
            // resumed (or the session ends): a recording ran on all that time
            // while the clock did not, so that is the length the pause map needs.
            const std::optional<double> stopped_at =
                resumed_at ? std::optional<double>(*resumed_at + (latest - s.active_seconds)) : std::nullopt;
            sessions.pause(session_id, latest, stopped_at, PauseOrigin::Recovered);
            session_.state = SessionState::Paused;
            session_.active_seconds = latest;
            clock_.emplace(latest, false, wall_now);
            reload_observations();
            recovery_notice_ = "Attune was closed while this session was running. The clock is paused at " +
                               format_clock(latest) +
                               " (the last saved moment); anything running then was stopped there. Nothing saved "
                               "was lost. Press Resume (F5) when you are ready to go on.";
        } else {
            clock_.emplace(s.state == SessionState::Ended ? s.active_seconds : latest, false, wall_now);
        }
    });
    remember_version();
}

void LiveSession::reload_observations() {
    observations_ = store::ObservationRepository(database_of(practice_)).list_for_session(session_.id);
}

void LiveSession::reload_homework() {
    store::SessionRepository sessions(database_of(practice_));
    homework_before_ = sessions.homework_open_before(session_.case_id, session_.number);
    homework_agreed_ = sessions.homework_agreed_in(session_.id);
}

void LiveSession::remember_version() { seen_version_ = practice_.data_version(); }

// [SECTION] Clock and deadlines

double LiveSession::clock_now(double wall_now) const { return clock_ ? clock_->now(wall_now) : 0.0; }

void LiveSession::tick(double wall_now) {
    if (running() && session_.id != 0 && !practice_.locked()) {
        // Banked every few seconds of session time: after a crash the clock resumes
        // from here, not from the last pause or observation (issue 18).
        const double t = clock_now(wall_now);
        if (t - clock_saved_at_ >= kClockSaveSeconds || t < clock_saved_at_) {
            clock_saved_at_ = t;  // a failure is retried after the next interval, not every frame
            attempt(
                [&] { store::SessionRepository(database_of(practice_)).save_running_clock(session_.id, t, wall_now); });
        }
    }
    if (logger_ && !logger_->pending().empty() && wall_now - last_retry_ >= kRetrySeconds) {
        last_retry_ = wall_now;
        if (logger_->retry()) {
            attempt([&] { reload_observations(); });
            remember_version();
        }
    }
    const auto due = [&](const DebouncedNote& note) {
        return (note.status == DebouncedNote::Status::Dirty && wall_now - note.last_edit >= kNoteDebounceSeconds) ||
               (note.status == DebouncedNote::Status::Failed && wall_now - note.last_edit >= kRetrySeconds);
    };
    if (due(progress_status_)) {
        progress_status_.last_edit = wall_now;  // the next retry counts from this attempt
        save_progress_note();
    }
    if (due(process_status_)) {
        process_status_.last_edit = wall_now;
        save_process_note();
    }
}

namespace {

// The earlier of two deadlines in seconds (negative = none), at least 20 ms away.
double earlier(double next, double seconds) {
    seconds = std::max(seconds, 0.02);
    return next < 0 || seconds < next ? seconds : next;
}

}  // namespace

double LiveSession::next_deadline(double wall_now) const {
    double next = next_save_in(wall_now);
    if (running()) {
        const double t = clock_now(wall_now);
        next = earlier(next, std::ceil(t + 1e-6) - t);
    }
    return next;
}

double LiveSession::next_save_in(double wall_now) const {
    double next = -1;
    if (running()) next = earlier(next, clock_saved_at_ + kClockSaveSeconds - clock_now(wall_now));
    if (pending_count() > 0) next = earlier(next, last_retry_ + kRetrySeconds - wall_now);
    for (const DebouncedNote* note : {&progress_status_, &process_status_}) {
        if (note->status == DebouncedNote::Status::Dirty)
            next = earlier(next, note->last_edit + kNoteDebounceSeconds - wall_now);
        if (note->status == DebouncedNote::Status::Failed)
            next = earlier(next, note->last_edit + kRetrySeconds - wall_now);
    }
    return next;
}

// [SECTION] Commands

void LiveSession::toggle_pause(double wall_now) {
    if (!clock_ || ended()) return;
    store::SessionRepository sessions(database_of(practice_));
    if (clock_->running()) {
        const double t = clock_->now(wall_now);
        if (!attempt([&] { sessions.pause(session_.id, t, wall_now); })) return;
        clock_->pause(wall_now);
        session_.state = SessionState::Paused;
        session_.active_seconds = t;
        attempt([&] { reload_observations(); });  // pausing closed the running states
    } else {
        if (!attempt([&] { sessions.resume(session_.id, wall_now); })) return;
        clock_->resume(wall_now);
        clock_saved_at_ = clock_->now(wall_now);
        session_.state = SessionState::Running;
        if (std::find(seen_running_.begin(), seen_running_.end(), session_.id) == seen_running_.end())
            seen_running_.push_back(session_.id);
        recovery_notice_.clear();
    }
    remember_version();
}

std::optional<Observation> LiveSession::press(Who who, const Code& code, double wall_now) {
    if (!logger_ || ended()) return std::nullopt;
    if (clock_ && !clock_->running()) {
        toggle_pause(wall_now);
        if (!running()) return std::nullopt;  // the store refused; its error is shown
        info("The clock was paused: logging resumed it (F5 pauses again).");
    }
    std::optional<LogOutcome> outcome;
    attempt([&] { outcome = logger_->press(who, code, clock_now(wall_now)); });
    if (!outcome) return std::nullopt;
    if (outcome->status == LogOutcome::Status::Pending) {
        last_retry_ = wall_now;
        return outcome->observation;
    }
    const Observation& saved = outcome->observation;
    if (outcome->action == LogOutcome::Action::StateStopped) {
        for (Observation& o : observations_)
            if (o.id == saved.id) o = saved;
    } else {
        const auto at = std::upper_bound(observations_.begin(), observations_.end(), saved.t,
                                         [](double t, const Observation& o) { return t < o.t; });
        observations_.insert(at, saved);
    }
    remember_version();
    return saved;
}

std::optional<LiveSession::UndoStep> LiveSession::undo_last() {
    if (!logger_ || ended()) return std::nullopt;
    std::optional<UndoStep> undone;
    attempt([&] {
        if (const auto step = logger_->undo_last()) undone = UndoStep{step->observation, step->was_stop};
        reload_observations();
    });
    remember_version();
    return undone;
}

std::optional<LiveSession::UndoStep> LiveSession::redo_last() {
    if (!logger_ || ended()) return std::nullopt;
    std::optional<UndoStep> redone;
    attempt([&] {
        if (const auto step = logger_->redo_last()) redone = UndoStep{step->observation, step->was_stop};
        reload_observations();
    });
    remember_version();
    return redone;
}

void LiveSession::stop_state(RowId observation_id, double wall_now) {
    for (const Observation& o : observations_)
        if (o.id == observation_id && o.kind == EventKind::State && !o.stop) {
            if (const Code* c = code(o.code_id)) press(o.who, *c, wall_now);
            return;
        }
}

void LiveSession::stop_all_states(double wall_now) {
    if (!logger_) return;
    attempt([&] {
        logger_->stop_all_states(clock_now(wall_now));
        reload_observations();
    });
    remember_version();
}

void LiveSession::set_extras(RowId observation_id, std::optional<int> intensity, const std::string& comment) {
    if (!logger_ || observation_id == 0) return;
    if (!attempt([&] { logger_->set_extras(observation_id, intensity, comment); })) return;
    for (Observation& o : observations_)
        if (o.id == observation_id) {
            o.intensity = intensity;
            o.comment = comment;
        }
    remember_version();
}

void LiveSession::update_observation(const Observation& changed) {
    attempt([&] {
        store::ObservationRepository(database_of(practice_)).update(changed);
        reload_observations();
    });
    remember_version();
}

void LiveSession::delete_observation(RowId observation_id) {
    attempt([&] {
        store::ObservationRepository(database_of(practice_)).soft_delete(observation_id);
        reload_observations();
    });
    remember_version();
}

void LiveSession::set_stage(std::optional<int> stage, std::optional<int> step) {
    if (!attempt([&] { store::SessionRepository(database_of(practice_)).set_stage(session_.id, stage, step); })) return;
    session_.eft_stage = stage;
    session_.eft_step = step;
    remember_version();
}

void LiveSession::add_homework(const std::string& description) {
    const std::string text = trim(description);
    if (text.empty()) return;
    attempt([&] {
        store::SessionRepository(database_of(practice_)).add_homework(session_.id, text);
        reload_homework();
    });
    remember_version();
}

void LiveSession::set_homework_done(RowId homework_id, std::optional<bool> done) {
    attempt([&] {
        store::SessionRepository(database_of(practice_)).set_homework_done(homework_id, done);
        reload_homework();
    });
    remember_version();
}

bool LiveSession::end_session(const Ratings& ratings, double wall_now) {
    flush_notes();
    const double t = clock_now(wall_now);
    const bool ok = attempt([&] {
        store::SessionRepository sessions(database_of(practice_));
        sessions.set_ratings(session_.id, ratings);
        sessions.end(session_.id, t, wall_now);
        session_ = sessions.get(session_.id).value_or(session_);
        reload_observations();
    });
    if (ok && clock_) clock_->pause(wall_now);
    remember_version();
    return ok;
}

// [SECTION] Notes

void LiveSession::mark_edited(DebouncedNote& note, double wall_now) {
    note.status = DebouncedNote::Status::Dirty;
    note.last_edit = wall_now;
}

void LiveSession::save_progress_note() {
    try {
        if (access_ != CaseAccess::Clinician)
            throw Error(Error::Kind::Denied, "only the clinician of " + case_.label + " writes its progress notes");
        store::SessionRepository(database_of(practice_)).save_progress_note(session_.id, progress_note);
        progress_status_.status = DebouncedNote::Status::Saved;
        progress_status_.error.clear();
    } catch (const std::exception& e) {
        progress_status_.status = DebouncedNote::Status::Failed;
        progress_status_.error = e.what();
    }
    remember_version();
}

void LiveSession::save_process_note() {
    try {
        if (access_ != CaseAccess::Clinician)
            throw Error(Error::Kind::Denied,
                        "only the clinician of " + case_.label + " reads and writes its private process notes");
        store::SessionRepository(database_of(practice_)).save_process_note(session_.id, process_note);
        process_status_.status = DebouncedNote::Status::Saved;
        process_status_.error.clear();
    } catch (const std::exception& e) {
        process_status_.status = DebouncedNote::Status::Failed;
        process_status_.error = e.what();
    }
    remember_version();
}

void LiveSession::flush_notes() {
    if (session_.id == 0 || practice_.locked()) return;
    if (progress_status_.status != DebouncedNote::Status::Saved) save_progress_note();
    if (process_status_.status != DebouncedNote::Status::Saved) save_process_note();
}

void LiveSession::show_assessment_draft() {
    flush_notes();  // the draft is offered only for an Assessment that is empty in the store too
    attempt([&] {
        assessment_draft_ = services::assessment_draft(practice_, session_);
        if (assessment_draft_.empty()) info("The Assessment has text: a draft is offered only for an empty one.");
    });
}

std::vector<NoteVersion> LiveSession::progress_note_history() {
    flush_notes();
    std::vector<NoteVersion> versions;
    attempt([&] { versions = services::note_history(practice_, session_); });
    return versions;
}

bool LiveSession::accept_assessment_draft() {
    flush_notes();
    const bool ok = attempt([&] {
        services::accept_assessment_draft(practice_, session_);
        progress_note = store::SessionRepository(database_of(practice_)).progress_note(session_.id);
        progress_status_ = {};
    });
    assessment_draft_.clear();
    remember_version();
    return ok;
}

// [SECTION] Look-ups

const Code* LiveSession::code(const std::string& code_id) const {
    for (const Code& c : scheme_.codes)
        if (c.id == code_id) return &c;
    return nullptr;
}

const Code* LiveSession::code_for_key(char letter, Who who) const {
    return attune::code_for_key(scheme_, letter, who);
}

std::string LiveSession::describe(const Observation& o) const {
    return describe_observation(o, scheme_, case_);
}

std::vector<const Observation*> LiveSession::running_states() const {
    std::vector<const Observation*> out;
    for (const Observation& o : observations_)
        if (o.kind == EventKind::State && !o.stop) out.push_back(&o);
    return out;
}

}  // namespace attune::services
