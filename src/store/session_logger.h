// session_logger.h: logging observations during a live session, durably.
//
// A press is committed (synchronous=FULL) before the caller is told it is
// saved. When a write fails (disk full, file gone, read-only), the press is
// kept in memory as pending, the failure is reported, and retry() writes the
// pending presses in order later: nothing is silently dropped. A pending press
// keeps what it meant: a state press that stopped a running state stays a stop
// (never turns into a second start), and pressing a state again while its start
// is still pending completes the pair in memory.
// Shared by the session view, the command line and the crash test.
#pragma once

#include "core/model.h"
#include "core/scheme.h"
#include "core/records.h"
#include "store/database.h"

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace attune::store {

using attune::LogOutcome;
using attune::PendingPress;

class SessionLogger {
public:
    SessionLogger(Database& db, RowId session_id, CodingScheme scheme);

    // A code press at session-clock time t. A point code logs one observation;
    // a state code starts a state event, or stops the running one of the same
    // partner and code.
    LogOutcome press(Who who, const Code& code, double t);
    // Adds intensity and comment to a saved observation.
    void set_extras(RowId observation_id, std::optional<int> intensity, const std::string& comment);
    // One press undone or redone.
    struct Step {
        Observation observation;  // before the undo (a stop undone still carries its stop) / after the redo
        bool was_stop = false;    // the press stopped a state: undo re-opens it, redo stops it again
    };
    // Undoes the last saved press of this logger (soft delete, or reopening a
    // stopped state).
    std::optional<Step> undo_last();
    // Puts back the last undone press: the same row (uuid, time, partner, code,
    // intensity, quote) restored, or the state stopped again at its old stop.
    // A new press forgets what could be redone.
    std::optional<Step> redo_last();
    // Closes this rater's running state events at t (pause and end close
    // every rater's, in the store).
    void stop_all_states(double t);

    // Writes pending presses in order; returns true when none is left.
    bool retry();
    const std::deque<PendingPress>& pending() const { return pending_; }
    const std::string& last_error() const { return last_error_; }

    // This rater's state events of this session that are running now (saved ones).
    std::vector<Observation> running_states() const;
    const CodingScheme& scheme() const { return scheme_; }
    RowId session_id() const { return session_id_; }

private:
    struct UndoStep {
        RowId observation_id = 0;
        bool was_stop = false;       // undo re-opens the state instead of deleting it
        std::optional<double> stop;  // a stop undone: where redo stops the state again
    };
    std::optional<RowId> open_state_id(Who who, const std::string& code_id) const;
    // Writes one pending press; throws StoreError when the database refuses.
    void write(PendingPress& press);
    LogOutcome queue(PendingPress press, LogOutcome outcome, const std::string& error);

    Database& db_;
    RowId session_id_;
    CodingScheme scheme_;
    std::deque<PendingPress> pending_;
    std::vector<UndoStep> undo_;
    std::vector<UndoStep> redo_;  // undone steps, the latest last
    std::string last_error_;
};

}  // namespace attune::store
