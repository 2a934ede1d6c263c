// The rules on recordings that every layer shares (core/recordings.h), the
// replay clock a rater codes against without a recording, and the one
// letter-to-code rule of live and recorded coding.
#include "core/recordings.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <cmath>

#include "core/replay_clock.h"
#include "core/scheme.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::WithinAbs;

namespace {

Observation at(double t, const std::string& code = "blame_shift") {
    Observation o;
    o.t = t;
    o.code_id = code;
    return o;
}

}  // namespace

TEST_CASE("media times show hours, minutes, seconds and milliseconds, rounded to the millisecond") {
    CHECK(format_media_time(0) == "00:00:00.000");
    CHECK(format_media_time(65.25) == "00:01:05.250");
    CHECK(format_media_time(3725.5) == "01:02:05.500");
    CHECK(format_media_time(59.9996) == "00:01:00.000");
    CHECK(format_media_time(-2.5) == "-00:00:02.500");
    CHECK(format_media_time(NAN) == "-");
}

TEST_CASE("an excerpt needs a name, a stage 1 to 3 and an interval inside the recording") {
    CHECK(excerpt_problem("Softening", 2, 10, 20, 30).empty());
    CHECK(excerpt_problem("Ends at the end", 1, 0, 30, 30).empty());
    CHECK_THAT(excerpt_problem("  ", 1, 0, 10, 30), ContainsSubstring("needs a name"));
    CHECK_THAT(excerpt_problem("x", 0, 0, 10, 30), ContainsSubstring("stage is 1, 2 or 3"));
    CHECK_THAT(excerpt_problem("x", 4, 0, 10, 30), ContainsSubstring("stage is 1, 2 or 3"));
    CHECK_THAT(excerpt_problem("x", 1, 10, 10, 30), ContainsSubstring("stop after it starts"));
    CHECK_THAT(excerpt_problem("x", 1, -1, 10, 30), ContainsSubstring("0 or later"));
    CHECK_THAT(excerpt_problem("x", 1, 10, 31, 30), ContainsSubstring("after the recording's end"));
    CHECK_THAT(excerpt_problem(std::string(201, 'n'), 1, 0, 10, 30), ContainsSubstring("at most 200"));
}

TEST_CASE("the observations inside an excerpt are those whose media moment lies from its start up to, not including, its stop") {
    // Offset 2; a 10 s pause that began at session second 5.
    const PauseMap map({{5, 10}}, 2);
    // Session 4 -> media 6; 5 -> 17 (the pause counts as begun); 6 -> 18; 20 -> 32.
    const std::vector<Observation> all{at(4), at(5, "validate"), at(6, "reflect"), at(20)};
    const auto inside = observations_in_media(all, map, 6, 18);
    REQUIRE(inside.size() == 2);
    CHECK(inside[0].t == 4);
    CHECK(inside[1].code_id == "validate");
    CHECK(observations_in_media(all, map, 18, 32).size() == 1);  // 18 in, 32 out: [start, stop)
}

TEST_CASE("an open pause counts with its length so far; a closed one with its stored length") {
    PauseRecord closed;
    closed.session_seconds = 30;
    closed.wall_seconds = 12;
    PauseRecord open;
    open.session_seconds = 90;
    open.began_at = 1000;
    PauseRecord clock_set_back = open;
    clock_set_back.began_at = 2000;  // after "now": no negative length
    const auto pauses = pauses_for_mapping({closed, open, clock_set_back}, 1025);
    REQUIRE(pauses.size() == 3);
    CHECK(pauses[0].wall_seconds == 12);
    CHECK(pauses[1].wall_seconds == 25);
    CHECK(pauses[2].wall_seconds == 0);
}

TEST_CASE("the stored words of pause origins and storage read back") {
    for (PauseOrigin o : {PauseOrigin::Live, PauseOrigin::Recovered, PauseOrigin::Entered})
        CHECK(parse_pause_origin(to_string(o)) == o);
    CHECK_FALSE(parse_pause_origin("paused").has_value());
    CHECK(parse_recording_storage("in_place") == RecordingStorage::InPlace);
    CHECK(parse_recording_storage("encrypted") == RecordingStorage::Encrypted);
    CHECK_FALSE(parse_recording_storage("plain").has_value());
}

TEST_CASE("the replay clock runs at its speed from where it was put, and stands still when paused") {
    ReplayClock clock(10);
    CHECK(clock.now(500) == 10);
    clock.play(500);
    CHECK(clock.now(503) == 13);
    clock.set_speed(2, 503);  // the 3 s already run keep speed 1
    CHECK(clock.now(505) == 17);
    clock.pause(505);
    CHECK(clock.now(600) == 17);
    clock.seek(40, 600);
    CHECK(clock.now(601) == 40);
    clock.play(601);
    CHECK(clock.now(602) == 42);
    clock.seek(-5, 602);  // never before the session's start
    CHECK(clock.now(602) == 0);
    CHECK(clock.set_speed(10, 602) == ReplayClock::kMaxSpeed);
    CHECK(clock.set_speed(0.1, 602) == ReplayClock::kMinSpeed);
    CHECK(clock.set_speed(NAN, 602) == 1);
}

TEST_CASE("a letter logs the partners' code for a partner and the therapist's code for the therapist") {
    CodingScheme scheme;
    Code partner;
    partner.id = "blame_shift";
    partner.category = "reactivity";
    partner.hotkey = "b";
    Code therapist;
    therapist.id = "t_reflect";
    therapist.category = "therapist";
    therapist.polarity = Polarity::Intervention;
    therapist.hotkey = "b";
    scheme.codes = {partner, therapist};
    REQUIRE(code_for_key(scheme, 'b', Who::A) != nullptr);
    CHECK(code_for_key(scheme, 'b', Who::A)->id == "blame_shift");
    CHECK(code_for_key(scheme, 'b', Who::Both)->id == "blame_shift");
    CHECK(code_for_key(scheme, 'b', Who::Therapist)->id == "t_reflect");
    CHECK(code_for_key(scheme, 'x', Who::A) == nullptr);
}
