// The review with a recording, driven through the headless fixture with a
// software video surface standing in for the window's OpenGL one: a click on
// an observation moves the recording to its moment through the offset and the
// pause (the picture shows that second's colour), F5 plays and pauses, a
// paused recording asks for no frame, and a second rater codes from the
// recording with the live session's keys.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <chrono>
#include <imgui_internal.h>
#include <thread>

#include "formats/test_media.h"
#include "headless.h"
#include "services/people.h"
#include "services/recording_player.h"
#include "services/recordings.h"
#include "services/supervision.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"
#include "ui/video_surface.h"

using namespace attune;
using Catch::Matchers::WithinAbs;
namespace keys = attune::ui::keys;

namespace {

constexpr double kFrame = 1.0 / test::kVideoFps;

// The window's surface, in software: the picture in memory, for the test to look at.
class SoftwareSurface final : public ui::VideoSurface {
public:
    void prepare(services::RecordingPlayer& player) override { player.use_software_rendering(); }
    ImTextureID picture(services::RecordingPlayer& player, int width, int height, const ui::ScreenRect&) override {
        player_ = &player;
        if (player.needs_redraw() || width != width_ || height != height_) {
            width_ = width;
            height_ = height;
            player.render_software(width, height, rgba_);
            ++renders_;
        }
        return reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(1));
    }
    void release(const services::RecordingPlayer& player) override {
        if (player_ == &player) player_ = nullptr;
    }

    services::RecordingPlayer* player() const { return player_; }
    int renders() const { return renders_; }
    // Which second of the colour video the picture shows.
    int second_shown() const {
        double distance = 0;
        const int second = test::nearest_second(test::centre_colour(rgba_, width_, height_), &distance);
        CHECK(distance < 40);
        return second;
    }

private:
    services::RecordingPlayer* player_ = nullptr;
    std::vector<std::uint8_t> rgba_;
    int width_ = 0, height_ = 0;
    int renders_ = 0;
};

// A session of 8 s of clock time with the clinician's rupture at 3.2 s, paused
// live at second 1 for 2 s, the colour video linked at offset 0.5: session s
// shows at media 0.5 + s (+ 2 from s = 1 on).
struct Fixture {
    test::TempDir dir;
    SoftwareSurface surface;  // outlives the views' players
    test::Headless ui;
    Case info;
    Session session;
    Observation rupture;
    Person coder;

    explicit Fixture(ImVec2 size = ImVec2(1280.0f, 900.0f)) : ui(size) {
        std::string why;
        const auto& media = test::test_media(&why);
        if (!media) SKIP(why);
        auto practice = test::new_practice(dir / "p.db", "correct horse", "Dr Lee");
        info = test::add_couple(*practice, "Couple V");
        session = services::start_session(*practice, info.id, "2026-05-01");
        rupture = test::add_observation(*practice, session, Who::A, 3.2, "blame_shift");
        session = test::end_session(*practice, session, 8);
        services::add_session_pause(*practice, session, 1, 2);
        services::RecordingLink link;
        link.file = media->colour_video;
        link.offset_seconds = 0.5;
        services::link_recording(*practice, session, link);
        coder = test::add_person(*practice, "Coder Kim", GrantRole::Coder);
        services::assign_coder(*practice, "Couple V", session.number, "Coder Kim");
        model().set_media_audio(false);
        model().set_video_surface(&surface);
        model().set_practice(std::move(practice));
    }
    ~Fixture() { model().close_practice(); }  // the player goes before the surface
    ui::AppModel& model() { return ui.shell().model(); }
    // Closes the practice and opens it again as Coder Kim.
    void sign_in_coder() {
        model().close_practice();
        model().set_practice(test::open_practice(dir / "p.db", "their passphrase", "Coder Kim"));
    }
    void open_review() {
        model().open_review(info.id, session.id);
        ui.run_frames(2);
        ui.settle(20);
        REQUIRE(surface.player());
    }
    // Frames until the player has landed and its picture is drawn.
    void settle_player() {
        for (int i = 0; i < 200 && ui.shell().busy(); ++i) {
            ui.run_frames(1);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        ui.run_frames(2);
    }
};

}  // namespace

TEST_CASE("the review opens the session's recording at its start and shows its picture") {
    Fixture f;
    f.open_review();
    CHECK(f.surface.player()->is_open());
    CHECK(f.surface.player()->paused());
    CHECK(f.surface.renders() >= 1);
    CHECK(f.surface.second_shown() == 0);
}

TEST_CASE("a click on an observation moves the recording to its moment through the offset and the pause") {
    Fixture f;
    f.open_review();
    const auto row = f.ui.find_item("/observations_",
                                    {"##below", "Observations", "obs", static_cast<int>(f.rupture.id), "00:03##seek"});
    REQUIRE(row);
    f.ui.click(*row);
    f.settle_player();
    // Session 3.2 -> media 0.5 + 3.2 + 2 = 5.7: the cyan second.
    CHECK_THAT(f.surface.player()->media_position(), WithinAbs(5.7, kFrame));
    CHECK(f.surface.second_shown() == 5);
}

TEST_CASE("a paused recording asks for no frame and draws no picture") {
    Fixture f;
    f.open_review();
    f.settle_player();
    services::RecordingPlayer& player = *f.surface.player();
    const int renders = f.surface.renders();
    const auto redraws = player.redraw_requests();
    CHECK(f.ui.shell().next_redraw_in() < 0);
    CHECK_FALSE(f.ui.shell().busy());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    f.ui.run_frames(10);
    CHECK(player.redraw_requests() == redraws);
    CHECK(f.surface.renders() == renders);
    CHECK(f.ui.shell().next_redraw_in() < 0);
}

TEST_CASE("F5 plays the recording and pauses it again") {
    Fixture f;
    f.open_review();
    services::RecordingPlayer& player = *f.surface.player();
    const int renders = f.surface.renders();
    f.ui.press_key(keys::kF5);
    f.ui.run_frames(1);
    // Until it has played a little (a loaded machine draws frames slowly; the
    // 10-second video must not reach its end, where it stops by itself).
    for (int i = 0; i < 400 && !(player.media_position() > 0.2 && f.surface.renders() > renders + 3); ++i) {
        f.ui.run_frames(1);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK_FALSE(player.paused());
    CHECK(player.media_position() > 0.2);
    CHECK(f.surface.renders() > renders + 3);
    f.ui.press_key(keys::kF5);
    f.ui.run_frames(3);
    f.settle_player();
    // The pause reaches the player's own thread a moment later (seen: not yet paused right after settling).
    for (int i = 0; i < 200 && !player.paused(); ++i) {
        f.ui.run_frames(1);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(player.paused());
}

TEST_CASE("a second rater codes from the recording with the live keys, at the session second it shows") {
    Fixture f;
    f.sign_in_coder();
    f.open_review();
    const auto start = f.ui.find_item("/##view_", {"Code this session as Coder Kim"});
    REQUIRE(start);
    f.ui.click(*start);
    f.ui.run_frames(2);
    // Media 2.5 lies in the pause: the clock stood at 1.
    f.surface.player()->seek_media(2.5);
    f.settle_player();
    f.ui.press_key(keys::digit(2));
    f.ui.run_frames(1);
    f.ui.press_key(keys::letter('v'));  // Validates, for partner B
    f.ui.run_frames(2);
    const auto layer = [&] {
        std::vector<Observation> mine;
        for (const Observation& o : test::stored_observations(f.model().practice(), f.session))
            if (o.rater_id == f.coder.id) mine.push_back(o);
        return mine;
    }();
    REQUIRE(layer.size() == 1);
    CHECK(layer[0].t == 1);
    CHECK(layer[0].who == Who::B);
    CHECK(layer[0].code_id == "validate");
}

TEST_CASE("only the case's clinician is offered the offset and excerpt marking; a coder sees the offset and the "
          "excerpts") {
    Fixture f;
    f.open_review();
    f.settle_player();
    CHECK(f.ui.find_text("Set offset"));
    CHECK(f.ui.find_text("Sync mark"));
    CHECK(f.ui.find_text("Excerpt starts here"));
    CHECK_FALSE(f.ui.find_text("set by the case's clinician"));

    f.sign_in_coder();
    f.open_review();
    f.settle_player();
    CHECK(f.ui.find_text("Offset 00:00:00.500"));
    CHECK(f.ui.find_text("set by the case's clinician"));
    CHECK(f.ui.find_text("Excerpts are marked by the case's clinician or supervisor."));
    CHECK_FALSE(f.ui.find_text("Set offset"));
    CHECK_FALSE(f.ui.find_text("Sync mark"));
    CHECK_FALSE(f.ui.find_text("Excerpt starts here"));
    CHECK_FALSE(f.ui.find_text("Save excerpt"));
}

TEST_CASE("in a small window at display scale 2 the player's controls wrap inside their column, none cut at its "
          "right edge") {
    Fixture f(ImVec2(1024.0f, 700.0f));
    test::set_scale(2.0f);
    struct Reset {
        ~Reset() { test::set_scale(1.0f); }
    } reset;
    // Every run of text in the controls' column ends inside it (the column scrolls down, never across).
    const auto inside_the_column = [&](const std::vector<std::string>& needles) {
        for (const std::string& needle : needles) {
            INFO(needle);
            bool found = false;
            for (const auto& run : f.ui.shown_text()) {
                if (run.window.find("player_controls") == std::string::npos ||
                    run.text.find(needle) == std::string::npos)
                    continue;
                found = true;
                const ImGuiWindow* column = ImGui::FindWindowByName(run.window.c_str());
                REQUIRE(column);
                INFO(run.text << " ends at x " << run.max.x << ", the column at " << column->InnerClipRect.Max.x);
                CHECK(run.max.x <= column->InnerClipRect.Max.x + 1);
            }
            if (!found) UNSCOPED_INFO("on screen:\n" << test::screen_text(f.ui));
            CHECK(found);
        }
    };
    f.open_review();
    f.settle_player();
    inside_the_column({"Play", "-5 s", "+5 s", ">|", "1x", "Media 00:00:00.000", "encrypted in the"});
    f.sign_in_coder();
    f.open_review();
    f.settle_player();
    inside_the_column({"Play", "+5 s", "Media 00:00:00.000", "encrypted in the"});
}
