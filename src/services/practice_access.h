// practice_access.h: private to src/services. How a use case reaches the
// store behind an OpenPractice: its main connection, or a new connection for
// a worker thread opened with the practice's key material (which the worker
// never sees).
#pragma once

#include "services/open_practice.h"
#include "store/database.h"

#include <memory>

namespace attune::services {

struct PracticeAccess {
    static store::Database& database(OpenPractice& practice);
    static std::unique_ptr<store::Database> worker_connection(OpenPractice& practice, bool read_only);
};

// The main connection; throws attune::Error once the practice is locked.
inline store::Database& database_of(OpenPractice& practice) { return PracticeAccess::database(practice); }
// A second connection for a worker thread of this process (no writer lock of
// its own); closed by the worker before the practice locks.
inline std::unique_ptr<store::Database> worker_connection(OpenPractice& practice, bool read_only) {
    return PracticeAccess::worker_connection(practice, read_only);
}

}  // namespace attune::services
