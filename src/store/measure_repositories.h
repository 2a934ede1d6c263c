// measure_repositories.h: the version-2 rows of issue 20 (migration 5), one
// repository per aggregate and one row writer in each:
//   - MeasureRepository: couple-reported measures, one administration a row;
//   - InstrumentFileRepository: the instrument files a practice added;
//   - ChangeEventDecisionRepository: the therapist's confirm or reject of a
//     change-event candidate;
//   - SessionRatingRepository: end-of-session ratings by a rater other than
//     the case clinician (the clinician's stay in the session row).
// Every change is one transaction with its audit row.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/change_event_decisions.h"
#include "core/measures.h"
#include "core/model.h"
#include "store/database.h"

namespace attune::store {

// [SECTION] Couple-reported measures
class MeasureRepository {
public:
    explicit MeasureRepository(Database& db) : db_(db) {}
    // Stores a new administration, filling id and uuid (a given uuid is kept).
    // The caller has checked it against its instrument (core measure_error);
    // here only what a row needs is checked: partner A or B, a real date, item
    // scores or a total (not both), a session of the same case. Throws Invalid.
    Measure add(Measure measure);
    // A correction of date, session, item scores or total of a stored one.
    void update(const Measure& measure);
    void remove(RowId measure_id);
    std::optional<Measure> get(RowId id) const;
    // In date order, then entry order; session_number filled.
    std::vector<Measure> list_for_case(RowId case_id) const;

private:
    Database& db_;
};

// [SECTION] Instrument files a practice added
struct StoredInstrumentFile {
    std::string id;
    std::string content;  // the file as added
    std::string added_by;
    std::string added_at;
};

class InstrumentFileRepository {
public:
    explicit InstrumentFileRepository(Database& db) : db_(db) {}
    // Parses `content` with the one instrument parser (core/instrument_json.h)
    // and stores it under its id. Throws Invalid naming the field that is
    // wrong, or when the practice already has an instrument of that id.
    StoredInstrumentFile add(const std::string& content);
    std::vector<StoredInstrumentFile> list() const;  // by id
    // Refused (Invalid) while a measure uses it.
    void remove(const std::string& id);

private:
    Database& db_;
};

// [SECTION] Decisions on change-event candidates
class ChangeEventDecisionRepository {
public:
    explicit ChangeEventDecisionRepository(Database& db) : db_(db) {}
    // Records (or changes) the decision on one candidate of a session, by the
    // person signed in. `described`: the candidate in words, for the audit row.
    CandidateDecisionRecord decide(RowId session_id, const std::string& candidate_key, CandidateDecision decision,
                                   const std::string& described);
    std::vector<CandidateDecisionRecord> for_session(RowId session_id) const;

private:
    Database& db_;
};

// [SECTION] Second raters' end-of-session ratings
class SessionRatingRepository {
public:
    explicit SessionRatingRepository(Database& db) : db_(db) {}
    // Sets `rater_id`'s ratings of a session (each 0-10 or none); Invalid for
    // the case clinician, whose ratings are the session's own.
    void set(RowId session_id, RowId rater_id, const Ratings& ratings);
    std::optional<Ratings> get(RowId session_id, RowId rater_id) const;
    // Every session of the case `rater_id` rated: (session id, ratings).
    std::vector<std::pair<RowId, Ratings>> for_rater_in_case(RowId case_id, RowId rater_id) const;

private:
    Database& db_;
};

}  // namespace attune::store
