#include "core/pause_map.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

using namespace attune;
using Catch::Matchers::WithinAbs;

namespace {

// Offset 12.5 s; three pauses given out of order. On the media they lie at
// [72.5, 102.5] (clock at 60), [242.5, 287.75] (clock at 200) and
// [387.75, 407.75] (clock at 300).
PauseMap three_pauses() {
    return PauseMap({{300, 20}, {60, 30}, {200, 45.25}}, 12.5);
}

}  // namespace

TEST_CASE("session seconds map to media seconds past the offset and every pause begun so far", "[pause-map]") {
    const PauseMap map = three_pauses();
    CHECK_THAT(map.media_from_session(0), WithinAbs(12.5, 1e-9));
    CHECK_THAT(map.media_from_session(59.5), WithinAbs(72.0, 1e-9));
    CHECK_THAT(map.media_from_session(100), WithinAbs(142.5, 1e-9));
    CHECK_THAT(map.media_from_session(250), WithinAbs(337.75, 1e-9));
    CHECK_THAT(map.media_from_session(400), WithinAbs(507.75, 1e-9));
}

TEST_CASE("a session second at which a pause began maps to the end of that pause", "[pause-map]") {
    const PauseMap map = three_pauses();
    CHECK_THAT(map.media_from_session(60), WithinAbs(102.5, 1e-9));
    CHECK_THAT(map.media_from_session(200), WithinAbs(287.75, 1e-9));
    CHECK_THAT(map.media_from_session(59.999), WithinAbs(72.499, 1e-9));
}

TEST_CASE("a media second inside a pause maps to the second the pause began", "[pause-map]") {
    const PauseMap map = three_pauses();
    CHECK(map.session_from_media(80) == 60);
    CHECK(map.session_from_media(250) == 200);
    CHECK(map.session_from_media(400) == 300);
}

TEST_CASE("both ends of a pause on the media map to its start; the clock runs again just after", "[pause-map]") {
    const PauseMap map = three_pauses();
    CHECK(map.session_from_media(72.5) == 60);
    CHECK(map.session_from_media(102.5) == 60);
    CHECK_THAT(*map.session_from_media(102.6), WithinAbs(60.1, 1e-9));
    CHECK_THAT(*map.session_from_media(72.4), WithinAbs(59.9, 1e-9));
}

TEST_CASE("media seconds between pauses map back past every earlier pause", "[pause-map]") {
    const PauseMap map = three_pauses();
    CHECK_THAT(*map.session_from_media(300), WithinAbs(212.25, 1e-9));
    CHECK_THAT(*map.session_from_media(500), WithinAbs(392.25, 1e-9));
}

TEST_CASE("media before the offset has no session second", "[pause-map]") {
    const PauseMap map = three_pauses();
    CHECK(map.session_from_media(12.5) == 0);
    CHECK_FALSE(map.session_from_media(12.4).has_value());
    CHECK_FALSE(map.session_from_media(0).has_value());
    CHECK_FALSE(map.session_from_media(std::numeric_limits<double>::quiet_NaN()).has_value());
}

TEST_CASE("session to media and back round-trips within a millisecond across three pauses", "[pause-map]") {
    const PauseMap map = three_pauses();
    int checked = 0;
    for (double s = 0; s <= 500; s += 0.37) {
        const auto back = map.session_from_media(map.media_from_session(s));
        REQUIRE(back.has_value());
        CHECK_THAT(*back, WithinAbs(s, 0.001));
        ++checked;
    }
    CHECK(checked == 1352);
    // Media outside the pauses round-trips too.
    for (double m : {13.0, 72.0, 103.0, 242.0, 300.0, 388.0 - 0.5, 408.0, 1000.0}) {
        CHECK_THAT(map.media_from_session(*map.session_from_media(m)), WithinAbs(m, 0.001));
    }
}

TEST_CASE("the pauses show on the media where the clock stood still", "[pause-map]") {
    const auto pauses = three_pauses().media_pauses();
    REQUIRE(pauses.size() == 3);
    CHECK(pauses[0].session_seconds == 60);
    CHECK_THAT(pauses[0].media_start, WithinAbs(72.5, 1e-9));
    CHECK_THAT(pauses[0].media_stop, WithinAbs(102.5, 1e-9));
    CHECK_THAT(pauses[1].media_start, WithinAbs(242.5, 1e-9));
    CHECK_THAT(pauses[1].media_stop, WithinAbs(287.75, 1e-9));
    CHECK_THAT(pauses[2].media_start, WithinAbs(387.75, 1e-9));
    CHECK_THAT(pauses[2].media_stop, WithinAbs(407.75, 1e-9));
}

TEST_CASE("two pauses that began at the same session second count as one of their summed length", "[pause-map]") {
    const PauseMap map({{60, 10}, {30, 5}, {60, 20}}, 0);
    REQUIRE(map.pauses().size() == 2);
    CHECK(map.pauses()[0].session_seconds == 30);
    CHECK(map.pauses()[1].session_seconds == 60);
    CHECK(map.pauses()[1].wall_seconds == 30);
    CHECK_THAT(map.media_from_session(60), WithinAbs(95.0, 1e-9));
    CHECK(map.session_from_media(80) == 60);
}

TEST_CASE("a pause at session second 0 holds the clock at 0 from the offset on", "[pause-map]") {
    const PauseMap map({{0, 5}}, 10);
    CHECK(map.session_from_media(10) == 0);
    CHECK(map.session_from_media(14.9) == 0);
    CHECK_THAT(*map.session_from_media(16), WithinAbs(1.0, 1e-9));
    CHECK_THAT(map.media_from_session(0), WithinAbs(15.0, 1e-9));
}

TEST_CASE("a negative offset means the recording began after the clock started", "[pause-map]") {
    const PauseMap map(-30);
    CHECK_THAT(*map.session_from_media(0), WithinAbs(30.0, 1e-9));
    CHECK_THAT(map.media_from_session(45), WithinAbs(15.0, 1e-9));
    CHECK_FALSE(map.session_from_media(-31).has_value());
}

TEST_CASE("a sync mark sets the offset that puts the coded moment where it was seen", "[pause-map]") {
    const std::vector<SessionPause> pauses{{60, 30}, {200, 45.25}};
    // Session second 100 lies after the 30 s pause: seen at media 150, the clock read 0 at media 20.
    const double offset = PauseMap::offset_for_sync_mark(pauses, 100, 150);
    CHECK_THAT(offset, WithinAbs(20.0, 1e-9));
    CHECK_THAT(PauseMap(pauses, offset).media_from_session(100), WithinAbs(150.0, 1e-9));
}

TEST_CASE("a pause with a negative or non-finite field or a non-finite offset is refused", "[pause-map]") {
    const double inf = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(PauseMap({{-1, 5}}, 0), std::invalid_argument);
    CHECK_THROWS_AS(PauseMap({{10, -0.5}}, 0), std::invalid_argument);
    CHECK_THROWS_AS(PauseMap({{10, inf}}, 0), std::invalid_argument);
    CHECK_THROWS_AS(PauseMap({{std::nan(""), 1}}, 0), std::invalid_argument);
    CHECK_THROWS_AS(PauseMap({}, inf), std::invalid_argument);
    CHECK_THROWS_AS(PauseMap(0).media_from_session(-1), std::invalid_argument);
    CHECK_NOTHROW(PauseMap({{10, 0}}, -5));
}
