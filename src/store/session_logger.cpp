#include "store/session_logger.h"

#include "core/uuid.h"
#include "store/repositories.h"

namespace attune::store {

SessionLogger::SessionLogger(Database& db, RowId session_id, CodingScheme scheme)
    : db_(db), session_id_(session_id), scheme_(std::move(scheme)) {}

std::optional<RowId> SessionLogger::open_state_id(Who who, const std::string& code_id) const {
    for (const Observation& o : ObservationRepository(db_).open_states(session_id_))
        if (o.who == who && o.code_id == code_id) return o.id;
    return std::nullopt;
}

LogOutcome SessionLogger::press(Who who, const Code& code, double t) {
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

    // Pending presses go first, in order, so the database never sees them out of turn.
    if (!pending_.empty() && !retry()) {
        pending_.push_back(o);
        outcome.status = LogOutcome::Status::Pending;
        outcome.error = last_error_;
        return outcome;
    }
    try {
        if (code.kind == EventKind::State) {
            if (auto open = open_state_id(who, code.id)) {
                ObservationRepository(db_).stop(*open, t);
                outcome.action = LogOutcome::Action::StateStopped;
                outcome.observation = *ObservationRepository(db_).get(*open);
                undo_.push_back({*open, true});
                return outcome;
            }
            outcome.action = LogOutcome::Action::StateStarted;
        }
        outcome.observation = ObservationRepository(db_).add(o);
        undo_.push_back({outcome.observation.id, false});
        last_error_.clear();
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::Invalid || e.kind() == StoreError::Kind::NotFound) throw;
        last_error_ = e.what();
        pending_.push_back(o);
        outcome.status = LogOutcome::Status::Pending;
        outcome.error = last_error_;
    }
    return outcome;
}

bool SessionLogger::retry() {
    while (!pending_.empty()) {
        try {
            const Observation saved = ObservationRepository(db_).add(pending_.front());
            undo_.push_back({saved.id, false});
            pending_.pop_front();
        } catch (const StoreError& e) {
            if (e.kind() == StoreError::Kind::Invalid && std::string(e.what()).find("UNIQUE") != std::string::npos) {
                pending_.pop_front();  // it did reach the disk before the error was reported
                continue;
            }
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

std::optional<Observation> SessionLogger::undo_last() {
    while (!undo_.empty()) {
        const UndoStep step = undo_.back();
        undo_.pop_back();
        ObservationRepository observations(db_);
        auto existing = observations.get(step.observation_id);
        if (!existing || existing->deleted) continue;  // deleted meanwhile: skip to the one before
        if (step.was_stop) {
            Observation reopened = *existing;
            reopened.stop.reset();
            observations.update(reopened);
        } else {
            observations.soft_delete(step.observation_id);
        }
        return existing;
    }
    return std::nullopt;
}

void SessionLogger::stop_all_states(double t) {
    for (const Observation& o : ObservationRepository(db_).open_states(session_id_))
        ObservationRepository(db_).stop(o.id, t);
}

std::vector<Observation> SessionLogger::running_states() const {
    return ObservationRepository(db_).open_states(session_id_);
}

}  // namespace attune::store
