// json_limits.h: what every JSON reader of outside input checks before the
// JSON parser builds anything (issue 17 item 8): the text's size and how deep
// its [ and { nest, so that a hostile file can make no reader recurse or
// allocate without bound. Each format sets its own limits (a few times what
// its real files need).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace attune {

// The deepest [ / { nesting outside strings; stops counting once past `limit`.
int json_nesting_depth(std::string_view text, int limit);

// "" when `text` is within both limits, else why not: "the file is larger
// than 64 KB" or "the JSON is nested deeper than 8 levels".
std::string json_limit_problem(std::string_view text, std::size_t max_bytes, int max_depth);

}  // namespace attune
