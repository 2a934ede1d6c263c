// The first-run tour: steps in order, "Show me" opens the view it explains,
// Skip and Finish close it and report it seen once.
#include <catch2/catch_test_macros.hpp>
#include <cstring>

#include "headless.h"
#include "services/settings.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"
#include "ui/settings_view.h"

using namespace attune;

namespace {

struct TourFixture {
    test::TempDir dir;
    test::Headless ui;
    explicit TourFixture(bool with_demo = true) {
        auto practice = test::new_practice(dir / "practice.db", "tour passphrase", "Dr Tour");
        if (with_demo) test::add_demo(*practice, 2, 3, 10);
        ui.shell().model().set_practice(std::move(practice));
        ui.run_frames(2);
    }
    ui::Walkthrough& tour() { return ui.shell().walkthrough(); }
    std::optional<ImVec2> button(const char* label) { return ui.find_item("Getting started", {label}); }
    void click(const char* label) {
        const auto at = button(label);
        REQUIRE(at.has_value());
        ui.click(*at);
    }
};

}  // namespace

TEST_CASE("the tour opens on the first unlock and walks its steps with Next and Back") {
    TourFixture f;
    ui::Walkthrough& tour = f.tour();
    tour.open_when_unlocked();
    f.ui.run_frames(2);
    REQUIRE(tour.is_open());
    REQUIRE(tour.step() == 0);
    REQUIRE(std::strcmp(ui::Walkthrough::steps()[0].title, "Welcome to Attune") == 0);
    REQUIRE_FALSE(f.button("Back").has_value());  // nothing before the first step
    f.click("Next");
    REQUIRE(tour.step() == 1);
    f.ui.run_frames(1);
    f.click("Back");
    REQUIRE(tour.step() == 0);
}

TEST_CASE("Show me opens the view the step explains") {
    TourFixture f;
    f.tour().open();
    f.ui.run_frames(1);
    f.tour().next();  // the caseload
    f.tour().next();  // one couple across sessions
    f.ui.run_frames(2);
    REQUIRE(f.ui.shell().model().screen() == ui::Screen::Caseload);
    f.click("Show me");
    REQUIRE(f.ui.shell().model().screen() == ui::Screen::CaseTrends);
    f.tour().next();  // coding live
    f.ui.run_frames(2);
    f.click("Show me");
    REQUIRE(f.ui.shell().model().screen() == ui::Screen::Session);
}

TEST_CASE("Show me in an empty practice says there is nothing to show and stays put") {
    TourFixture f(false);
    f.tour().open();
    f.tour().next();
    f.tour().next();
    f.ui.run_frames(2);
    f.click("Show me");
    f.ui.run_frames(1);
    REQUIRE(f.ui.shell().model().screen() == ui::Screen::Caseload);
    REQUIRE(f.tour().is_open());
}

TEST_CASE("skipping or finishing the tour closes it and reports it seen exactly once") {
    TourFixture f;
    f.tour().open();
    f.ui.run_frames(2);
    f.click("Skip the tour");
    REQUIRE_FALSE(f.tour().is_open());
    REQUIRE(f.tour().take_finished());
    REQUIRE_FALSE(f.tour().take_finished());

    f.tour().open();
    for (std::size_t i = 1; i < ui::Walkthrough::step_count(); ++i)
        f.tour().next();
    f.ui.run_frames(2);
    REQUIRE_FALSE(f.button("Skip the tour").has_value());  // the last step has Finish only
    f.click("Finish");
    REQUIRE_FALSE(f.tour().is_open());
    REQUIRE(f.tour().take_finished());
}

TEST_CASE("Escape skips the tour") {
    TourFixture f;
    f.tour().open();
    f.ui.run_frames(2);
    f.ui.press_key(ui::keys::kEscape);
    REQUIRE_FALSE(f.tour().is_open());
    REQUIRE(f.tour().take_finished());
}

TEST_CASE("a tour seen is saved in the settings, with the other settings kept") {
    TourFixture f(false);
    test::ScopedEnv config{"XDG_CONFIG_HOME", (f.dir / "config").string()};
    services::Settings mine = f.ui.shell().settings().current();
    mine.font_size = 21.0f;
    f.ui.shell().settings().set_current(mine);
    REQUIRE_FALSE(mine.walkthrough_done);

    f.ui.shell().settings().mark_walkthrough_seen();
    const services::LoadedSettings saved = services::load_user_settings();
    CHECK_FALSE(saved.warning.has_value());
    CHECK(saved.settings.walkthrough_done);
    CHECK(saved.settings.font_size == 21.0f);
    CHECK(f.ui.shell().settings().current().walkthrough_done);
    CHECK_FALSE(f.ui.shell().model().message().has_value());
}

TEST_CASE("a tour seen that cannot be saved says so and changes nothing") {
    TourFixture f(false);
    test::write_file(f.dir / "not-a-folder", "x");
    // The config "folder" is a file: settings.json cannot be written under it.
    test::ScopedEnv config{"XDG_CONFIG_HOME", (f.dir / "not-a-folder").string()};
    f.ui.shell().settings().mark_walkthrough_seen();
    CHECK_FALSE(f.ui.shell().settings().current().walkthrough_done);
    REQUIRE(f.ui.shell().model().message().has_value());
    CHECK(f.ui.shell().model().message()->kind == ui::Message::Kind::Error);
}

TEST_CASE("the tour's Next stays in one place through every step, and nothing of it is cut at 1024 x 700") {
    test::TempDir dir;
    test::Headless ui(ImVec2(1024.0f, 700.0f));
    auto practice = test::new_practice(dir / "practice.db", "tour passphrase", "Dr Tour");
    test::add_demo(*practice, 2, 3, 10);
    ui.shell().model().set_practice(std::move(practice));
    ui::Walkthrough& tour = ui.shell().walkthrough();
    tour.open();
    ui.run_frames(3);
    const auto first = ui.find_item("Getting started", {"Next"});
    REQUIRE(first.has_value());
    for (std::size_t step = 0; step < ui::Walkthrough::step_count(); ++step) {
        INFO("step " << step + 1);
        REQUIRE(tour.step() == step);
        const bool last = step + 1 == ui::Walkthrough::step_count();
        const auto next = ui.find_item("Getting started", {last ? "Finish" : "Next"});
        REQUIRE(next.has_value());
        CHECK(next->x == first->x);
        CHECK(next->y == first->y);
        for (const auto& run : ui.shown_text())
            if (run.window == "Getting started") {
                INFO(run.text);
                CHECK_FALSE(run.clipped);
            }
        if (last) break;
        ui.click(*next);  // the same spot each time
        ui.run_frames(3);
    }
}
