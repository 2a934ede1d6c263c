// Coding a session after it happened (services::ReviewCoding): from its
// recording, a press is logged at the session second the recording shows
// (a pause's start inside a pause; refused before the clock's 0); without a
// recording, at the replay clock's reading. The layer is the rater's own.
#include "services/review_coding.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "formats/test_media.h"
#include "practice_reads.h"
#include "services/people.h"
#include "services/recording_player.h"
#include "services/recordings.h"
#include "services/supervision.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::WithinAbs;

namespace {

constexpr double kFrame = 1.0 / test::kVideoFps;

// Dr Lee's ended session 1 of Couple K, assigned to Coder Kim, who is signed
// in at the end (sign_in switches who has the practice open).
struct Fixture {
    test::TempDir dir;
    std::unique_ptr<services::OpenPractice> practice = test::new_practice(dir / "p.db", "correct horse", "Dr Lee");
    Case c = test::add_couple(*practice, "Couple K");
    Session s;
    Person coder = test::add_person(*practice, "Coder Kim", GrantRole::Coder);

    Fixture() {
        s = services::start_session(*practice, c.id, "2026-05-01");
        services::SessionEnding ending;
        ending.active_seconds = 8;
        s = services::end_session(*practice, s, ending);
        scheme = services::load_session_review(*practice, c.id, s.id).scheme;
        services::assign_coder(*practice, "Couple K", s.number, "Coder Kim");
        sign_in_coder();
    }
    void sign_in_coder() {
        practice.reset();
        practice = test::open_practice(dir / "p.db", "their passphrase", "Coder Kim");
    }
    void sign_in_clinician() {
        practice.reset();
        practice = test::open_practice(dir / "p.db", "correct horse", "Dr Lee");
    }
    CodingScheme scheme;  // the session's
    const Code& scheme_code(const std::string& id) { return *scheme.find(id); }
};

}  // namespace

TEST_CASE("without a recording a rater codes at the replay clock's reading, in their own layer") {
    Fixture f;
    services::ReviewCoding coding(*f.practice);
    coding.begin(f.s.id);
    CHECK_FALSE(coding.follows_recording());
    coding.replay_clock().seek(30, 1000);
    const LogOutcome first = coding.press(Who::A, f.scheme_code("blame_shift"), 1000);
    CHECK(first.status == LogOutcome::Status::Saved);
    CHECK(first.observation.t == 30);
    coding.replay_clock().play(1000);
    coding.press(Who::B, f.scheme_code("validate"), 1002.5);  // 2.5 s later at 1x
    const auto layer = test::observations_of(*f.practice, f.s, f.coder.id);
    REQUIRE(layer.size() == 2);
    CHECK(layer[1].t == 32.5);
    CHECK(layer[1].rater_id == f.coder.id);
    CHECK(coding.layer().size() == 2);
    // Undo takes back the rater's last press only.
    REQUIRE(coding.undo_last());
    CHECK(test::observations_of(*f.practice, f.s, f.coder.id).size() == 1);
}

TEST_CASE("a state started while coding is stopped when coding ends") {
    Fixture f;
    services::ReviewCoding coding(*f.practice);
    coding.begin(f.s.id, 10);
    coding.press(Who::A, f.scheme_code("shut_down"), 1000);
    CHECK(coding.running_states().size() == 1);
    coding.replay_clock().seek(25, 1000);
    coding.finish(1000);
    const auto layer = test::observations_of(*f.practice, f.s, f.coder.id);
    REQUIRE(layer.size() == 1);
    CHECK(layer[0].stop == std::optional<double>(25));
}

TEST_CASE("from a recording a press is logged at the session second it shows, a pause's start inside a pause") {
    Fixture f;
    std::string why;
    const auto& media = test::test_media(&why);
    if (!media) SKIP(why);
    // Offset 0.5; the clock paused at second 1 for 2 s: media [1.5, 3.5] shows second 1.
    f.sign_in_clinician();
    services::add_session_pause(*f.practice, f.s, 1, 2);
    services::RecordingLink link;
    link.file = media->colour_video;
    link.offset_seconds = 0.5;
    services::link_recording(*f.practice, f.s, link);
    f.sign_in_coder();

    services::RecordingPlayer::Options options;
    options.audio_output = false;
    services::RecordingPlayer player(options);
    player.use_software_rendering();
    player.open(*f.practice, *services::session_recording(*f.practice, f.s.id));
    services::ReviewCoding coding(*f.practice);
    coding.begin(f.s.id);
    coding.follow(&player);
    CHECK(coding.follows_recording());

    player.seek_media(2.5);  // inside the pause
    REQUIRE(player.wait_until_settled());
    CHECK(coding.press(Who::A, f.scheme_code("blame_shift"), 0).observation.t == 1);

    player.seek_media(5.7);  // session 3.2
    REQUIRE(player.wait_until_settled());
    const LogOutcome later = coding.press(Who::B, f.scheme_code("validate"), 0);
    CHECK_THAT(later.observation.t, WithinAbs(3.2, kFrame));
    CHECK(later.observation.t == player.session_position().value());

    player.seek_media(0.2);  // before the session clock's 0
    REQUIRE(player.wait_until_settled());
    CHECK_THROWS_WITH(coding.press(Who::A, f.scheme_code("blame_shift"), 0),
                      ContainsSubstring("before the session clock's 0"));
    CHECK(test::observations_of(*f.practice, f.s, f.coder.id).size() == 2);
}

TEST_CASE("a coder codes only the sessions assigned to them") {
    Fixture f;
    f.sign_in_clinician();
    Session other = services::start_session(*f.practice, f.c.id, "2026-05-08");
    services::SessionEnding ending;
    ending.active_seconds = 8;
    other = services::end_session(*f.practice, other, ending);
    f.sign_in_coder();
    services::ReviewCoding coding(*f.practice);
    CHECK_THROWS_WITH(coding.begin(other.id), ContainsSubstring("no such session"));
    CHECK_FALSE(coding.active());
    coding.begin(f.s.id);
    CHECK(coding.rater_id() == f.coder.id);
}
