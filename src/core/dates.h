// dates.h: the one rule for a calendar date (ISO yyyy-mm-dd, a day that
// exists in the proleptic Gregorian calendar) and day arithmetic on it. The
// command line, the dialogs, the dashboard's rules and the demo all use it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace attune {

// Days since 1970-01-01; none unless `iso` is exactly yyyy-mm-dd and names a
// real day (2026-02-29 does not exist, 2028-02-29 does).
std::optional<std::int64_t> days_from_iso(std::string_view iso);
bool is_iso_date(std::string_view text);
// yyyy-mm-dd of a day number (days since 1970-01-01).
std::string iso_from_days(std::int64_t days);
// Days from `from` to `to`; none when either is not a date.
std::optional<long> days_between(std::string_view from, std::string_view to);

// [SECTION] The clock (the only functions here that read it)
// The current time as ISO 8601 UTC ("2026-11-22T02:04:31Z").
std::string now_utc_iso();
// Today's local date as ISO yyyy-mm-dd, and the local time as HH:MM.
std::string today_local_iso();
std::string now_local_hhmm();

}  // namespace attune
