// repositories.h: one repository per aggregate, plain structs in and out.
// Every method that changes data is one transaction together with its audit
// row: it has either fully happened when it returns, or it threw StoreError
// and nothing changed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/recordings.h"
#include "core/records.h"
#include "core/scheme.h"
#include "store/database.h"

namespace attune::store {

// [SECTION] People (clinicians, supervisors, coders)
class PeopleRepository {
public:
    explicit PeopleRepository(Database& db) : db_(db) {}
    Person find_or_create(const std::string& name, PersonRole role = PersonRole::Clinician);
    // A new person with the uuid (new when empty), role and public key given;
    // Invalid when the name is taken. Audited.
    Person create(Person person);
    std::optional<Person> find_by_uuid(const std::string& uuid) const;
    std::optional<Person> find(const std::string& name) const;
    std::optional<Person> get(RowId id) const;
    std::vector<Person> list() const;

private:
    Database& db_;
};

// [SECTION] Coding schemes (stored by version so old sessions keep their meaning)
class SchemeRepository {
public:
    explicit SchemeRepository(Database& db) : db_(db) {}
    // Stores the scheme unless the same name and version is already there; returns its id.
    RowId ensure(const CodingScheme& scheme);
    CodingScheme get(RowId id) const;  // cached after the first read
    std::optional<RowId> latest_id() const;

private:
    Database& db_;
};

// [SECTION] Cases and their participants
using attune::CaseSummary;


class CaseRepository {
public:
    explicit CaseRepository(Database& db) : db_(db) {}
    // Creates the case with both participants; fills id and uuid. Throws Invalid
    // for an empty or duplicate label or partner name.
    Case create(Case c);
    void update(const Case& c);
    std::optional<Case> find_by_label(const std::string& label) const;
    std::optional<Case> get(RowId id) const;
    std::vector<CaseSummary> list() const;

private:
    Database& db_;
};

// [SECTION] Sessions, notes and homework
class SessionRepository {
public:
    explicit SessionRepository(Database& db) : db_(db) {}
    // Starts the next session of a case: number = last + 1, EFT stage/step
    // carried over from the last session, clock running from `wall_now`.
    Session start(RowId case_id, const std::string& date, const std::string& start_time, double wall_now);
    // The next session of a case as start() would make it (number, stage and
    // step carried over, scheme), not stored.
    Session draft_next(RowId case_id, const std::string& date, const std::string& start_time) const;
    std::optional<Session> get(RowId id) const;
    std::optional<Session> find(RowId case_id, int number) const;
    std::vector<Session> list_for_case(RowId case_id) const;  // in date, then number, order
    // Sessions not ended (the app may have been killed during them), oldest first.
    std::vector<Session> unfinished() const;
    // Unix time the running clock was last resumed at; empty unless running.
    std::optional<double> resumed_at(RowId session_id) const;

    // Clock: banks the session-clock seconds; also closes running state events
    // on pause. Pausing a running clock stores the pause (DOMAIN.md,
    // "Recordings"): it began at `active_seconds` of session time and at
    // `clock_stopped_at` (Unix seconds; default now), and stays open until
    // resume() or end() gives it its wall length.
    void pause(RowId session_id, double active_seconds, std::optional<double> clock_stopped_at = std::nullopt,
               PauseOrigin origin = PauseOrigin::Live);
    void resume(RowId session_id, double wall_now);
    // While the session runs: banks the clock (`active_seconds` as of
    // `wall_now`, running on from `wall_now`), so that a crash loses only the
    // time since. The clock reads the same before and after; not audited (a
    // checkpoint, not a user action). Does nothing unless the session is running.
    void save_running_clock(RowId session_id, double active_seconds, double wall_now);
    // Ends the session: closes every open state event at `active_seconds`,
    // and an open pause at `wall_now` (Unix seconds; default now).
    void end(RowId session_id, double active_seconds, std::optional<double> wall_now = std::nullopt);

    // [SECTION] Pauses of the live clock (session_pauses.cpp)
    // In session-clock order (then as stored).
    std::vector<PauseRecord> pauses(RowId session_id) const;
    // A pause typed in afterwards (origin "entered"), audited. Invalid for a
    // negative or non-finite second or length.
    PauseRecord add_pause(RowId session_id, double session_seconds, double wall_seconds);

    void set_stage(RowId session_id, std::optional<int> stage, std::optional<int> step);
    void set_ratings(RowId session_id, const Ratings& ratings);
    // Marks the session "not for trends" with the clinician's reason (trimmed,
    // 1-500 characters), or counts it again (nullopt). Audited with the reason.
    void set_not_for_trends(RowId session_id, const std::optional<std::string>& reason);

    ProgressNote progress_note(RowId session_id) const;
    // Saves the three fields; note.assessment_source is not read: an unchanged
    // Assessment keeps its source, a changed one becomes the clinician's.
    void save_progress_note(RowId session_id, const ProgressNote& note);
    // Writes Attune's draft into an empty Assessment, marked as an accepted
    // draft. Throws Invalid when the Assessment has text. Audited.
    void accept_assessment_draft(RowId session_id, const std::string& draft);
    // Every saved version of the progress note, oldest first (note_history.cpp):
    // each save above that changed it, each import that did, and the version a
    // note had when history began to be kept. The last is the note as it is.
    std::vector<NoteVersion> progress_note_versions(RowId session_id) const;
    std::string process_note(RowId session_id) const;  // private
    void save_process_note(RowId session_id, const std::string& body);

    std::vector<Homework> homework_agreed_in(RowId session_id) const;
    // Homework agreed in earlier sessions of the case that is not yet checked off.
    std::vector<Homework> homework_open_before(RowId case_id, int session_number) const;
    std::vector<Homework> homework_for_case(RowId case_id) const;
    Homework add_homework(RowId session_id, const std::string& description);
    void set_homework_done(RowId homework_id, std::optional<bool> done);

private:
    Database& db_;
};

// [SECTION] Recordings and their excerpts (recording_repository.cpp)
class RecordingRepository {
public:
    explicit RecordingRepository(Database& db) : db_(db) {}
    // Links a recording to its session (one per session); fills id, uuid and
    // created_at. Audited. Invalid when the session has one already.
    Recording add(Recording recording);
    // A session coded later from a recording alone (no live clock, no pauses):
    // the case's next session, ended, `active_seconds` long, and the recording
    // linked to it, in one transaction.
    std::pair<Session, Recording> add_with_new_session(RowId case_id, const std::string& date,
                                                       const std::string& start_time, double active_seconds,
                                                       Recording recording);
    // The same recording found elsewhere (its hash checked by the caller): a
    // new path, storage and size. Audited.
    void relink(RowId recording_id, RecordingStorage storage, const std::string& path);
    void set_offset(RowId recording_id, double offset_seconds);
    std::optional<Recording> get(RowId id) const;
    std::optional<Recording> for_session(RowId session_id) const;
    // By session date, then number.
    std::vector<Recording> list_for_case(RowId case_id) const;
    std::vector<Recording> list_all() const;

    // Fills id, uuid, created_at and session_id. Audited. The caller checks
    // the interval against the recording (core/recordings.h, excerpt_problem).
    Excerpt add_excerpt(Excerpt excerpt);
    // By session date, session number, then media start.
    std::vector<Excerpt> excerpts_for_case(RowId case_id) const;

private:
    Database& db_;
};

// [SECTION] Observations
class ObservationRepository {
public:
    explicit ObservationRepository(Database& db) : db_(db) {}
    // Commits the observation (synchronous=FULL) before returning it with id and
    // uuid (a given uuid is kept: imports use it to avoid duplicates).
    Observation add(Observation observation);
    // Stops a running state event.
    void stop(RowId observation_id, double stop_time);
    // Edits time, stop, who, code, intensity and comment; keeps a state event's
    // start and stop together (stop moves with a start edit if it would precede it).
    void update(const Observation& observation);
    void set_extras(RowId observation_id, std::optional<int> intensity, const std::string& comment);
    void soft_delete(RowId observation_id);
    void restore(RowId observation_id);
    std::optional<Observation> get(RowId id) const;
    // In time order. rater_id 0 = every rater.
    std::vector<Observation> list_for_session(RowId session_id, RowId rater_id = 0,
                                              bool include_deleted = false) const;
    // State events of a session still running (stop empty, not deleted).
    std::vector<Observation> open_states(RowId session_id) const;
    std::int64_t count_all() const;

private:
    Database& db_;
};

}  // namespace attune::store
