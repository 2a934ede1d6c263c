// schema.h: the numbered schema migrations. Migration N takes a database
// from user_version N-1 to N; each runs in one transaction with its bump.
#pragma once

#include <string_view>
#include <vector>

namespace attune::store {

// 'ATNE': marks a file as an Attune database (PRAGMA application_id).
constexpr int kApplicationId = 0x41544E45;

// migrations()[i] is the SQL of migration i + 1.
const std::vector<std::string_view>& migrations();

}  // namespace attune::store
