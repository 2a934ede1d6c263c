#include "store/session_logger.h"

#include <algorithm>

#include "core/uuid.h"
#include "store/repositories.h"

namespace attune::store {

SessionLogger::SessionLogger(Database& db, RowId session_id, CodingScheme scheme)
    : db_(db), session_id_(session_id), scheme_(std::move(scheme)) {}

std::optional<RowId> SessionLogger::open_state_id(Who who, const std::string& code_id) const {
    // Each rater's layer is their own: another rater's running state is not this press's to stop.
    for (const Observation& o : ObservationRepository(db_).open_states(session_id_))
        if (o.who == who && o.code_id == code_id && o.rater_id == db_.actor().id) return o.id;
    return std::nullopt;
}

namespace {

// Errors that mean the database cannot be written now (I/O, full, gone), as
// opposed to a press the store refuses on its merits, which the caller hears about.
bool is_refusal(const StoreError& e) {
    return e.kind() == StoreError::Kind::Invalid || e.kind() == StoreError::Kind::NotFound;
}

bool is_duplicate(const StoreError& e) {
    return e.kind() == StoreError::Kind::Invalid && std::string(e.what()).find("UNIQUE") != std::string::npos;
}

}  // namespace

LogOutcome SessionLogger::queue(PendingPress press, LogOutcome outcome, const std::string& error) {
    last_error_ = error;
    outcome.status = LogOutcome::Status::Pending;
    outcome.observation = press.observation;
    outcome.error = error;
    pending_.push_back(std::move(press));
    return outcome;
}

LogOutcome SessionLogger::press(Who who, const Code& code, double t) {
    redo_.clear();  // a new press: what was undone stays undone
    LogOutcome outcome;
    Observation o;
    o.uuid = new_uuid();  // fixed now, so a retried write can never be stored twice
    o.session_id = session_id_;
    o.rater_id = db_.actor().id;
    o.t = t;
    o.who = who;
    o.code_id = code.id;
    o.kind = code.kind;
    outcome.observation = o;
    if (code.kind == EventKind::State) outcome.action = LogOutcome::Action::StateStarted;

    // Pending presses go first, in order, so the database never sees them out of turn.
    if (!pending_.empty() && !retry()) {
        if (code.kind == EventKind::State) {
            // The same state started while the database was failing: this press stops it.
            for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
                Observation& queued = it->observation;
                if (queued.who != who || queued.code_id != code.id) continue;
                if (it->intent != PendingPress::Intent::Add || queued.stop) break;
                queued.stop = std::max(t, queued.t);
                outcome.action = LogOutcome::Action::StateStopped;
                outcome.status = LogOutcome::Status::Pending;
                outcome.observation = queued;
                outcome.error = last_error_;
                return outcome;
            }
        }
        return queue({code.kind == EventKind::State ? PendingPress::Intent::Unresolved : PendingPress::Intent::Add, o},
                     outcome, last_error_);
    }

    std::optional<RowId> open;
    if (code.kind == EventKind::State) {
        try {
            open = open_state_id(who, code.id);
        } catch (const StoreError& e) {
            if (is_refusal(e)) throw;
            return queue({PendingPress::Intent::Unresolved, o}, outcome, e.what());
        }
    }
    if (open) {
        outcome.action = LogOutcome::Action::StateStopped;
        try {
            ObservationRepository(db_).stop(*open, t);
            outcome.observation = *ObservationRepository(db_).get(*open);
            undo_.push_back({*open, true, std::nullopt});
            last_error_.clear();
            return outcome;
        } catch (const StoreError& e) {
            if (is_refusal(e)) throw;
            Observation stopping = o;
            stopping.id = *open;
            stopping.stop = t;
            return queue({PendingPress::Intent::Stop, stopping}, outcome, e.what());
        }
    }
    try {
        outcome.observation = ObservationRepository(db_).add(o);
        undo_.push_back({outcome.observation.id, false, std::nullopt});
        last_error_.clear();
    } catch (const StoreError& e) {
        if (is_refusal(e)) throw;
        return queue({PendingPress::Intent::Add, o}, outcome, e.what());
    }
    return outcome;
}

void SessionLogger::write(PendingPress& press) {
    ObservationRepository observations(db_);
    Observation& o = press.observation;
    if (press.intent == PendingPress::Intent::Unresolved) {
        if (const auto open = open_state_id(o.who, o.code_id)) {
            press.intent = PendingPress::Intent::Stop;
            o.stop = o.t;
            o.id = *open;
        } else {
            press.intent = PendingPress::Intent::Add;
        }
    }
    if (press.intent == PendingPress::Intent::Stop) {
        const auto running = observations.get(o.id);
        // Already stopped: the stop reached the disk before its error was reported.
        if (!running || running->deleted || running->stop) return;
        observations.stop(o.id, *o.stop);
        undo_.push_back({o.id, true, std::nullopt});
        return;
    }
    try {
        const Observation saved = observations.add(o);
        undo_.push_back({saved.id, false, std::nullopt});
    } catch (const StoreError& e) {
        if (!is_duplicate(e)) throw;  // a duplicate reached the disk before the error was reported
    }
}

bool SessionLogger::retry() {
    while (!pending_.empty()) {
        try {
            write(pending_.front());
            pending_.pop_front();
        } catch (const StoreError& e) {
            last_error_ = e.what();
            return false;
        }
    }
    last_error_.clear();
    return true;
}

void SessionLogger::set_extras(RowId observation_id, std::optional<int> intensity, const std::string& comment) {
    ObservationRepository(db_).set_extras(observation_id, intensity, comment);
}

std::optional<SessionLogger::Step> SessionLogger::undo_last() {
    while (!undo_.empty()) {
        const UndoStep step = undo_.back();
        undo_.pop_back();
        ObservationRepository observations(db_);
        auto existing = observations.get(step.observation_id);
        if (!existing || existing->deleted) continue;  // deleted meanwhile: skip to the one before
        if (step.was_stop) {
            if (!existing->stop) continue;  // running again meanwhile: nothing to undo here
            Observation reopened = *existing;
            reopened.stop.reset();
            observations.update(reopened);
        } else {
            observations.soft_delete(step.observation_id);
        }
        redo_.push_back({step.observation_id, step.was_stop, existing->stop});
        return Step{*existing, step.was_stop};
    }
    return std::nullopt;
}

std::optional<SessionLogger::Step> SessionLogger::redo_last() {
    while (!redo_.empty()) {
        const UndoStep step = redo_.back();
        redo_.pop_back();
        ObservationRepository observations(db_);
        const auto existing = observations.get(step.observation_id);
        if (!existing) continue;
        if (step.was_stop) {
            // Stopped again meanwhile (or deleted): the redo has nothing left to do.
            if (existing->deleted || existing->stop || !step.stop) continue;
            observations.stop(step.observation_id, *step.stop);
        } else {
            if (!existing->deleted) continue;  // restored meanwhile
            observations.restore(step.observation_id);
        }
        undo_.push_back({step.observation_id, step.was_stop, std::nullopt});
        return Step{observations.get(step.observation_id).value_or(*existing), step.was_stop};
    }
    return std::nullopt;
}

void SessionLogger::stop_all_states(double t) {
    for (const Observation& o : running_states())
        ObservationRepository(db_).stop(o.id, std::max(t, o.t));
}

std::vector<Observation> SessionLogger::running_states() const {
    std::vector<Observation> mine = ObservationRepository(db_).open_states(session_id_);
    std::erase_if(mine, [&](const Observation& o) { return o.rater_id != db_.actor().id; });
    return mine;
}

}  // namespace attune::store
