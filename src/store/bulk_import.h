// bulk_import.h: writing many sessions and observations (a BORIS import, a
// bundle) as one transaction. The repositories commit each call on its own;
// an import must either happen whole or not at all, so this writes the case,
// the rater, the sessions, the observations and their audit rows inside one
// write_transaction.
//
// Rows carry caller-chosen uuids; a row whose uuid is already stored is
// skipped and counted as already imported, which makes importing the same
// source twice a no-op.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "store/database.h"

namespace attune::store {

// One rater's observations of an imported session.
struct ImportedLayer {
    std::string rater_name;  // found by name or created as a coder; empty = the actor
    // uuid, t, stop, kind, who, code_id, intensity and comment are used;
    // session and rater are set by the import.
    std::vector<Observation> observations;
};

struct ImportedSession {
    // uuid, date (yyyy-mm-dd), start_time and active_seconds are used; the
    // number is the case's next one, the state is ended, the scheme the case's.
    Session session;
    std::vector<ImportedLayer> layers;
    std::string source;  // for the audit trail, e.g. "BORIS observation 'S2'"
    // BulkImport::into_existing: the number of the case's session the layers go to.
    int existing_number = 0;
};

struct BulkImport {
    // Found by label, or created with these partners (clinician: the actor,
    // scheme: the latest stored one unless scheme_id is set).
    Case case_info;
    std::vector<ImportedSession> sessions;
    std::string source;  // e.g. "BORIS file /path/x.boris"
    // Adds the layers to the case's existing sessions (a second rater's
    // coding) instead of creating sessions: the case must exist and each
    // imported session names the session it goes to (existing_number).
    bool into_existing = false;
};

struct ImportedLayerResult {
    Person rater;
    int observations_created = 0;
    int observations_already_imported = 0;
};

struct ImportedSessionResult {
    Session session;  // as stored (the existing one when already imported)
    bool already_imported = false;
    bool into_existing = false;               // the observations went into a session already there
    std::vector<ImportedLayerResult> layers;  // as given
    int observations_created() const;
    int observations_already_imported() const;
};

struct BulkImportResult {
    Case the_case;
    bool case_created = false;
    std::vector<ImportedSessionResult> sessions;  // in the order given
};

// Throws StoreError (Invalid for a value the schema or scheme refuses, with
// what and where) and rolls everything back.
BulkImportResult import_sessions(Database& db, const BulkImport& import);

}  // namespace attune::store
