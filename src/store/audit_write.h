// audit_write.h: private to src/store. Appends an audit row inside the
// caller's open write transaction, so the change and its record commit together.
#pragma once

#include "store/database.h"

#include <string>

namespace attune::store {

void append_audit(Database& db, const std::string& action, const std::string& entity,
                  const std::string& entity_id, const std::string& detail);

}  // namespace attune::store
