// practice_marks.h: what a practice says about itself in its `settings`
// table (key and value; no migration needed): its metric windows
// (store/metrics_cache.h) and, here, that it is a demo of invented couples
// (services/demo.h marks it, the window shows a bar).
#pragma once

#include <optional>
#include <string>

#include "store/database.h"

namespace attune::store {

// The value stored under `key`, if any.
std::optional<std::string> read_practice_setting(Database& db, const std::string& key);
// Stores `value` under `key` (replacing any) with an audit row, in one transaction.
void write_practice_setting(Database& db, const std::string& key, const std::string& value);

// The practice was made by `attune demo` or the unlock screen's demo button.
bool is_demo_practice(Database& db);
// Marks it so, with an audit row. Idempotent.
void mark_demo_practice(Database& db);

}  // namespace attune::store
