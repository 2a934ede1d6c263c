// demo_writer.h: bulk insertion of a generated caseload (`attune demo`).
//
// The repositories commit every change in its own fsync'd transaction, which is
// right for a therapist logging live but would take hours for the million
// observations of a performance caseload. DemoWriter writes one whole case
// (participants, sessions, notes, homework, observations) per transaction
// through prepared statements, and audits per case and per session instead of
// per observation: generating a demo is one user action, and an audit row per
// synthetic observation would only bury the real trail.
#pragma once

#include "core/model.h"
#include "store/database.h"

#include <optional>
#include <string>
#include <vector>

namespace attune::store {

struct DemoHomework {
    std::string description;   // e.g. "weekly check-in"
    std::optional<bool> done;  // as checked off at the next session; empty = not yet
};

struct DemoSession {
    // number, date, start_time, active_seconds, state, EFT stage/step and
    // ratings are written as given; id and uuid are filled in on writing.
    // A session in state `running` gets `resumed_at` as its clock start.
    Session session;
    std::optional<double> resumed_at;  // Unix time; running sessions only
    // session_id is filled in; rater_id must name a stored person; uuid may be empty.
    std::vector<Observation> observations;
    ProgressNote progress_note;  // written unless all three fields are empty
    std::string process_note;    // private; written unless empty
    std::vector<DemoHomework> homework;  // agreed in this session
};

struct DemoCase {
    Case info;  // label, clinician_id, start_date, status, goals, partners, scheme_id
    std::vector<DemoSession> sessions;
};

class DemoWriter {
public:
    explicit DemoWriter(Database& db);
    ~DemoWriter();
    DemoWriter(const DemoWriter&) = delete;
    DemoWriter& operator=(const DemoWriter&) = delete;

    // Labels among `labels` that a case in the database already has (compared
    // like the label column: ASCII case ignored), so that a demo can refuse
    // before it writes anything.
    std::vector<std::string> existing_labels(const std::vector<std::string>& labels) const;

    // Writes the case and everything in it in one transaction and fills in ids
    // and uuids. Throws StoreError; on error nothing of the case is stored.
    void write_case(DemoCase& demo_case);

private:
    Database& db_;
    int previous_cache_size_ = 0;  // restored when the writer goes away
};

}  // namespace attune::store
