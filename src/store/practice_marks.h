// practice_marks.h: what a practice says about itself in its `settings`
// table (key and value; no migration needed): today, that it is a demo of
// invented couples (services/demo.h marks it, the window shows a bar).
#pragma once

#include "store/database.h"

namespace attune::store {

// The practice was made by `attune demo` or the unlock screen's demo button.
bool is_demo_practice(Database& db);
// Marks it so, with an audit row. Idempotent.
void mark_demo_practice(Database& db);

}  // namespace attune::store
