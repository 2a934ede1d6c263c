#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>

#include <cstdlib>
#include <ctime>
#include <string>

#include "core/clock_text.h"

using namespace attune;
using Catch::Matchers::WithinAbs;

TEST_CASE("parse_clock reads what a clinician types in a time field", "[clock]") {
    CHECK_THAT(*parse_clock("12:03"), WithinAbs(723.0, 1e-9));
    CHECK_THAT(*parse_clock("0:07"), WithinAbs(7.0, 1e-9));
    CHECK_THAT(*parse_clock("1:02:03"), WithinAbs(3723.0, 1e-9));
    CHECK_THAT(*parse_clock("79.1"), WithinAbs(79.1, 1e-9));     // plain seconds, as before
    CHECK_THAT(*parse_clock(" 12:03.5 "), WithinAbs(723.5, 1e-9));
    CHECK_THAT(*parse_clock("75:00"), WithinAbs(4500.0, 1e-9));  // minutes before the first colon may pass 59
    CHECK_THAT(*parse_clock("0"), WithinAbs(0.0, 1e-9));
}

TEST_CASE("parse_clock refuses what is not a time", "[clock]") {
    for (const char* text : {"", "  ", "-5", "12:60", "1:60:00", "1:2:3:4", "ab", "12:", ":30", "1.5:00", "12:03.5.1",
                             ".", "1e3", "12;03"}) {
        INFO(text);
        CHECK_FALSE(parse_clock(text).has_value());
    }
}

namespace {
// Runs `check` with the process's time zone set to a POSIX TZ string, then puts it back.
template <typename F>
void in_time_zone(const char* tz, F check) {
    const char* before = std::getenv("TZ");
    const std::string saved = before ? before : "";
    setenv("TZ", tz, 1);
    tzset();
    check();
    if (before)
        setenv("TZ", saved.c_str(), 1);
    else
        unsetenv("TZ");
    tzset();
}
}  // namespace

TEST_CASE("local_time_text shows a stored UTC instant in the local time zone", "[clock]") {
    // POSIX TZ "XYZ-1" is one hour ahead of UTC, "XYZ+5" five hours behind.
    in_time_zone("XYZ-1", [] { CHECK(local_time_text("2026-11-22T10:14:03Z") == "2026-11-22 11:14"); });
    in_time_zone("XYZ+5", [] { CHECK(local_time_text("2026-11-22T03:30:00Z") == "2026-11-21 22:30"); });
    in_time_zone("XYZ-1", [] { CHECK(local_time_text("2026-11-22T10:14:03Z", true) == "2026-11-22 11:14:03"); });
    in_time_zone("UTC0", [] { CHECK(local_time_text("2026-12-31T23:59Z") == "2026-12-31 23:59"); });
    // Not an instant: given back unchanged.
    CHECK(local_time_text("yesterday") == "yesterday");
    CHECK(local_time_text("2026-11-22") == "2026-11-22");
    CHECK(local_time_text("2026-13-22T10:14:03Z") == "2026-13-22T10:14:03Z");
}
