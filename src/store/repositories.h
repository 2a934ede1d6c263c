// repositories.h: one repository per aggregate, plain structs in and out.
// Every method that changes data is one transaction together with its audit
// row: it has either fully happened when it returns, or it threw StoreError
// and nothing changed.
#pragma once

#include "core/model.h"
#include "core/scheme.h"
#include "core/records.h"
#include "store/database.h"

#include <optional>
#include <string>
#include <vector>

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
    std::optional<Session> get(RowId id) const;
    std::optional<Session> find(RowId case_id, int number) const;
    std::vector<Session> list_for_case(RowId case_id) const;  // in date, then number, order
    // Sessions not ended (the app may have been killed during them), oldest first.
    std::vector<Session> unfinished() const;
    // Unix time the running clock was last resumed at; empty unless running.
    std::optional<double> resumed_at(RowId session_id) const;

    // Clock: banks the session-clock seconds; also closes running state events on pause.
    void pause(RowId session_id, double active_seconds);
    void resume(RowId session_id, double wall_now);
    // Ends the session: closes every open state event at `active_seconds`.
    void end(RowId session_id, double active_seconds);
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
