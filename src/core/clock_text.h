// clock_text.h: times as people read and type them. format_clock (text.h)
// writes a session-clock time as "12:03"; parse_clock reads what a clinician
// types into a time field; local_time_text shows a stored UTC instant in the
// computer's own time zone.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace attune {

// "12:03" -> 723 s. Accepts "mm:ss", "h:mm:ss" and plain seconds ("79.1"),
// each with an optional fraction of a second ("12:03.5"); after a colon,
// minutes and seconds are below 60. None for anything else (empty, negative,
// "1:2:3:4", "12:60", "ab").
std::optional<double> parse_clock(std::string_view text);

// "2026-11-22T10:14:03Z" -> "2026-11-22 11:14" (or "2026-11-22 11:14:03"
// with seconds) where the local time zone is one hour ahead of UTC. Text that
// is not such an instant comes back as given.
std::string local_time_text(std::string_view iso_utc, bool with_seconds = false);

}  // namespace attune
