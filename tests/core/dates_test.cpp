// The one date rule (core/dates.h): ISO yyyy-mm-dd naming a real day, and
// day numbers counted from 1970-01-01. Day numbers below are hand-counted:
// 365 days a year plus one per 29 February passed.
#include "core/dates.h"

#include <catch2/catch_test_macros.hpp>
#include <cstdint>
#include <optional>

using namespace attune;

using Days = std::optional<std::int64_t>;

TEST_CASE("a day that does not exist is refused: 29 February only in leap years", "[dates]") {
    CHECK_FALSE(days_from_iso("2026-02-29").has_value());
    CHECK(days_from_iso("2028-02-29").has_value());
    CHECK(days_from_iso("2000-02-29").has_value());        // divisible by 400: leap
    CHECK_FALSE(days_from_iso("2100-02-29").has_value());  // divisible by 100 only: not leap
    CHECK_FALSE(days_from_iso("2026-04-31").has_value());
    CHECK_FALSE(days_from_iso("2026-00-10").has_value());
    CHECK_FALSE(days_from_iso("2026-13-01").has_value());
    CHECK_FALSE(days_from_iso("2026-01-00").has_value());
    CHECK(days_from_iso("2026-12-31").has_value());
}

TEST_CASE("only exactly yyyy-mm-dd is a date", "[dates]") {
    CHECK(is_iso_date("2026-11-22"));
    CHECK_FALSE(is_iso_date("2026-02-29"));
    CHECK_FALSE(is_iso_date(""));
    CHECK_FALSE(is_iso_date("2026-1-22"));
    CHECK_FALSE(is_iso_date("2026/11/22"));
    CHECK_FALSE(is_iso_date("22-11-2026"));
    CHECK_FALSE(is_iso_date("2026-11-22 "));
    CHECK_FALSE(is_iso_date("2026-11-22T10:00"));
    CHECK_FALSE(is_iso_date("+026-11-22"));
    CHECK_FALSE(is_iso_date("2026-1a-22"));
}

TEST_CASE("day numbers count from 1970-01-01", "[dates]") {
    CHECK(days_from_iso("1970-01-01") == Days(0));
    CHECK(days_from_iso("1970-01-02") == Days(1));
    CHECK(days_from_iso("1969-12-31") == Days(-1));
    // 30 years of 365 days and 7 leap days (1972 ... 1996).
    CHECK(days_from_iso("2000-01-01") == Days(10957));
    // + 31 (January) + 29 (February 2000).
    CHECK(days_from_iso("2000-03-01") == Days(11017));
    // 2026-01-01: 56 years and 14 leap days (1972 ... 2024) = 20454; + 304 days to
    // 1 November + 21.
    CHECK(days_from_iso("2026-11-22") == Days(20779));
    // 2028-01-01 = 20454 + 2 * 365 = 21184; + 31 + 28.
    CHECK(days_from_iso("2028-02-29") == Days(21243));
}

TEST_CASE("a day number reads back as its date, and a date as its day number", "[dates]") {
    CHECK(iso_from_days(0) == "1970-01-01");
    CHECK(iso_from_days(-1) == "1969-12-31");
    CHECK(iso_from_days(10957) == "2000-01-01");
    CHECK(iso_from_days(11016) == "2000-02-29");
    CHECK(iso_from_days(11017) == "2000-03-01");
    CHECK(iso_from_days(20779) == "2026-11-22");
    CHECK(iso_from_days(21243) == "2028-02-29");
    CHECK(iso_from_days(21244) == "2028-03-01");
    // Every 37th day over about a century round-trips.
    for (std::int64_t day = -3000; day < 40000; day += 37) {
        INFO(day);
        REQUIRE(days_from_iso(iso_from_days(day)) == Days(day));
    }
}

TEST_CASE("days between two dates count across a leap day and a year end", "[dates]") {
    CHECK(days_between("2028-02-28", "2028-03-01") == std::optional<long>(2));  // 29 February between
    CHECK(days_between("2026-02-28", "2026-03-01") == std::optional<long>(1));
    CHECK(days_between("2024-02-28", "2024-03-01") == std::optional<long>(2));
    CHECK(days_between("2026-12-31", "2027-01-01") == std::optional<long>(1));
    CHECK(days_between("2027-01-01", "2026-12-31") == std::optional<long>(-1));
    CHECK(days_between("2028-01-01", "2029-01-01") == std::optional<long>(366));
    CHECK(days_between("2026-11-22", "2026-11-22") == std::optional<long>(0));
    CHECK_FALSE(days_between("2026-13-01", "2027-01-01").has_value());
    CHECK_FALSE(days_between("2026-01-01", "2026-02-29").has_value());
}
