// demo_writer.h: bulk insertion of a generated caseload (`attune demo`).
//
// The repositories commit every change in its own fsync'd transaction, which is
// right for a therapist logging live but would take hours for the million
// observations of a performance caseload. DemoWriter writes whole cases
// (participants, sessions, notes, homework, observations) many to a
// transaction through prepared statements, and audits per case and per session
// instead of per observation: generating a demo is one user action, and an
// audit row per synthetic observation would only bury the real trail.
#pragma once

#include "core/model.h"
#include "store/database.h"
#include "store/signing.h"

#include <functional>
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
    bool note_signed = false;    // signed by the case's clinician on the session's evening (needs a note)
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

    // Cases already in the database. A demo is written only into an empty
    // practice database, so that synthetic couples never mix with real ones.
    std::int64_t existing_cases() const;

    // Writes the cases and everything in them in one transaction and fills in
    // ids and uuids; `on_case` hears how many are written so far (before the
    // commit: for progress only). Throws StoreError; on error none is stored.
    void write_cases(std::vector<DemoCase>& cases, const std::function<void(size_t written)>& on_case = {});

    // How a session marked note_signed is signed, once its observations have
    // their uuids (the signature covers them): the services' signer makes the
    // digest and signs with the clinician's key. Without one, nothing is signed.
    using Signer = std::function<SignatureDraft(const Case& c, const DemoSession& session)>;
    void set_signer(Signer signer) { signer_ = std::move(signer); }

private:
    Database& db_;
    Signer signer_;
    int previous_cache_size_ = 0;  // restored when the writer goes away
};

}  // namespace attune::store
