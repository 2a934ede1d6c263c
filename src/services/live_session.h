// live_session.h: live logging, the use case behind the session view: the
// session, its case, scheme, observations and notes in memory, the session
// clock, and every press committed through the store's SessionLogger before
// it is shown as saved (a press the disk refused stays pending and is retried,
// never dropped). Crash recovery: a session found running that this run did
// not start is paused at its last saved moment.
//
// The view reads these every frame; the database is read only when the data
// version changes or after a write this object made (a press updates the list
// from what the logger returned). Problems are reported through the reporter
// the view sets (its status line), never thrown at a frame.
#pragma once

#include "core/model.h"
#include "core/scheme.h"
#include "core/session_clock.h"
#include "core/records.h"
#include "services/access.h"

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace attune::services {

class OpenPractice;

// A note field saved ~1 s after the last keystroke.
struct DebouncedNote {
    enum class Status { Saved, Dirty, Failed } status = Status::Saved;
    double last_edit = 0;  // wall seconds of the last keystroke
    std::string error;
};

class LiveSession {
public:
    static constexpr double kNoteDebounceSeconds = 1.0;
    static constexpr double kRetrySeconds = 2.0;
    // A running clock is saved at least this often (session-clock seconds): a
    // crash loses at most this much of the session's time.
    static constexpr double kClockSaveSeconds = 5.0;

    // What the view shows in its status line: an error, or information.
    using Reporter = std::function<void(bool is_error, const std::string& text)>;

    explicit LiveSession(OpenPractice& practice, Reporter report = {});
    ~LiveSession();
    LiveSession(const LiveSession&) = delete;
    LiveSession& operator=(const LiveSession&) = delete;

    // The person's hotkeys (Settings), laid over the scheme's own.
    void set_hotkeys(const HotkeyOverrides& hotkeys);

    // Called every frame: loads the session when it changed or the data did.
    // Cheap when nothing changed. Returns false when there is no session.
    bool sync(RowId session_id, double wall_now);
    // Retries pending presses, saves debounced notes and the running clock
    // (every kClockSaveSeconds) when due. Called every frame the session is
    // shown, and by the window while another view is (or it is minimised).
    void tick(double wall_now);
    // Seconds until tick() or the clock display needs a frame; negative = none.
    double next_deadline(double wall_now) const;
    // Seconds until tick() has something to save (the clock, a pending press, a
    // note); negative = nothing. For when the session is not on screen.
    double next_save_in(double wall_now) const;

    // [SECTION] What the view draws
    const Session& session() const { return session_; }
    const Case& case_info() const { return case_; }
    const CodingScheme& scheme() const { return scheme_; }
    // Not deleted, in time order.
    const std::vector<Observation>& observations() const { return observations_; }
    const std::vector<Homework>& homework_before() const { return homework_before_; }
    const std::vector<Homework>& homework_agreed() const { return homework_agreed_; }
    bool ended() const { return session_.state == SessionState::Ended; }
    bool running() const { return clock_ && clock_->running(); }
    double clock_now(double wall_now) const;
    // Set when the session was found running or paused without this run of Attune
    // having started it (a crash): the plain-language notice for the header.
    const std::string& recovery_notice() const { return recovery_notice_; }
    void dismiss_recovery_notice() { recovery_notice_.clear(); }

    // [SECTION] Commands (each reports a store failure through the reporter)
    void toggle_pause(double wall_now);
    // Logs a code; returns the observation as saved (id 0 when pending). A press
    // while the clock is paused resumes it first: the therapist is observing.
    std::optional<Observation> press(Who who, const Code& code, double wall_now);
    // Undo and redo of this run's presses (the store's SessionLogger). A redone
    // press is the same observation again: uuid, time, partner, code, intensity, quote.
    struct UndoStep {
        Observation observation;  // as it was before the undo / as it is after the redo
        bool stop_only = false;   // the press stopped a state: only the stop is undone / redone
    };
    std::optional<UndoStep> undo_last();
    std::optional<UndoStep> redo_last();
    void stop_state(RowId observation_id, double wall_now);
    void stop_all_states(double wall_now);
    void set_extras(RowId observation_id, std::optional<int> intensity, const std::string& comment);
    void update_observation(const Observation& changed);
    void delete_observation(RowId observation_id);
    void set_stage(std::optional<int> stage, std::optional<int> step);
    void add_homework(const std::string& description);
    void set_homework_done(RowId homework_id, std::optional<bool> done);
    // Saves ratings and stage, then ends the session (closing running states).
    bool end_session(const Ratings& ratings, double wall_now);

    // [SECTION] Durability
    std::size_t pending_count() const;
    std::string last_error() const;
    const std::deque<PendingPress>* pending() const;

    // [SECTION] Notes: edit the strings, then call note_edited()
    ProgressNote progress_note;
    std::string process_note;
    void progress_note_edited(double wall_now) { mark_edited(progress_status_, wall_now); }
    void process_note_edited(double wall_now) { mark_edited(process_status_, wall_now); }
    const DebouncedNote& progress_status() const { return progress_status_; }
    const DebouncedNote& process_status() const { return process_status_; }
    // Saves dirty notes now (leaving the view, ending the session).
    void flush_notes();
    // A signed progress note is locked: only addenda (in the review view) may follow.
    bool note_signed() const { return note_signed_; }

    // [SECTION] The Assessment draft (services/notes.h), computed on request only
    // (it reads the case's earlier sessions): never per frame.
    void show_assessment_draft();
    void hide_assessment_draft() { assessment_draft_.clear(); }
    // The draft shown ("" when none is shown, or the Assessment has text).
    const std::string& assessment_draft() const { return assessment_draft_; }
    // Saves the note, writes the draft into the empty Assessment (marked as an
    // accepted draft) and shows it there. Returns success.
    bool accept_assessment_draft();

    // [SECTION] The progress note's saved versions (services/notes.h), on request only.
    // Saves the note first, so the history ends with what is on screen. Empty
    // (and reported) when it cannot be read.
    std::vector<NoteVersion> progress_note_history();

    // [SECTION] Look-ups
    const Code* code(const std::string& code_id) const;
    // The code a letter key logs for `who`: therapist codes only for the therapist.
    const Code* code_for_key(char letter, Who who) const;
    // "Leila: Defensive anger at 12:03" (core/observation_text.h), for messages.
    std::string describe(const Observation& o) const;
    // Running state events (saved), started earlier than now.
    std::vector<const Observation*> running_states() const;

private:
    void load(RowId session_id, double wall_now);
    void reload_observations();
    void reload_homework();
    void remember_version();
    static void mark_edited(DebouncedNote& note, double wall_now);
    void save_progress_note();
    void save_process_note();

    // Runs a store call; an attune::Error becomes a reported error. Returns success.
    bool attempt(const std::function<void()>& action);
    void info(const std::string& text);

    OpenPractice& practice_;
    Reporter report_;
    HotkeyOverrides hotkeys_;
    Session session_;
    Case case_;
    CodingScheme stored_scheme_;  // as the database has it
    CodingScheme scheme_;         // with the user's hotkeys laid over it
    std::vector<Observation> observations_;
    std::vector<Homework> homework_before_;
    std::vector<Homework> homework_agreed_;
    struct Logger;  // the store's SessionLogger (live_session.cpp)
    std::unique_ptr<Logger> logger_;
    std::optional<SessionClock> clock_;
    std::uint64_t seen_version_ = 0;
    double last_retry_ = 0;
    double clock_saved_at_ = 0;  // session-clock seconds last written while running
    std::string recovery_notice_;
    DebouncedNote progress_status_;
    DebouncedNote process_status_;
    bool note_signed_ = false;
    CaseAccess access_ = CaseAccess::None;  // the signed-in person's, to this session's case
    std::string assessment_draft_;
    // Sessions this run of Attune has had running: returning to one is not a crash.
    std::vector<RowId> seen_running_;
};

}  // namespace attune::services
