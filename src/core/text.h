// text.h: small text utilities shared by every layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace attune {

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);
// Replaces each invalid byte sequence with U+FFFD.
std::string repair_utf8(std::string_view text);

std::string trim(std::string_view text);
std::vector<std::string> split(std::string_view text, char separator);

// True for "yyyy-mm-dd" naming a real calendar day (leap years included).
// Such dates sort as text in date order.


// "754.2" seconds -> "12:34"; hours appear when needed ("1:02:03").
std::string format_clock(double seconds);
// Shortest sensible decimal: 2 -> "2", 2.5 -> "2.5", 0.333333 -> "0.33".
std::string format_number(double value, int max_decimals = 2);

}  // namespace attune
