// maintenance.h: checking a database's health.
#pragma once

#include "store/audit_log.h"
#include "core/records.h"
#include "store/database.h"

#include <string>
#include <vector>

namespace attune::store {

using attune::HealthReport;


HealthReport check_health(Database& db);

}  // namespace attune::store
