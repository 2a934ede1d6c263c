// A case's goals and attachment styles after it was made (issue 18 item 15):
// its page shows the goals, "Case details..." opens the same form as "New
// case", its clinician saves changes (goals, styles, each partner's place in
// the cycle), its supervisor reads them only.
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "session_data.h"
#include "services/cases.h"
#include "services/supervision.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"

using namespace attune;
namespace keys = attune::ui::keys;

namespace {

struct DetailsFixture {
    test::TempDir dir;
    test::Headless ui{ImVec2(1400.0f, 900.0f)};
    Case c;

    explicit DetailsFixture(bool as_supervisor = false) {
        auto practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Lee");
        Case draft;
        draft.label = "Couple G";
        draft.partner_a.display_name = "Ana";
        draft.partner_a.attachment_style = "anxious";
        draft.partner_b.display_name = "Ben";
        draft.goals = "Fewer fights about money";
        c = services::add_case(*practice, draft);
        test::add_person(*practice, "Dr Super", GrantRole::Supervisor);
        services::set_case_supervisor(*practice, "Couple G", "Dr Super");
        if (as_supervisor) practice = test::sign_in_as(std::move(practice), "Dr Super");
        ui.shell().model().set_practice(std::move(practice));
    }
    ui::AppModel& model() { return ui.shell().model(); }
    Case stored() { return *services::get_case(model().practice(), c.id); }
    void open_details() {
        model().open_case(c.id);
        ui.run_frames(3);
        const auto button = ui.find_item("/##view_", {"Case details..."});
        REQUIRE(button.has_value());
        ui.click(*button);
        ui.run_frames(2);
        REQUIRE(ui.popup_open("Case details"));
    }
};

}  // namespace

TEST_CASE("the case's clinician reads the goals on its page and changes goals and styles in Case details",
          "[ui][case_details]") {
    DetailsFixture f;
    f.model().open_case(f.c.id);
    f.ui.run_frames(3);
    CHECK(test::text_on_screen(f.ui, "Goals: Fewer fights about money"));

    f.open_details();
    CHECK(test::text_on_screen(f.ui, "anxious"));  // Partner A's style, as stored
    const auto goals = f.ui.find_item("Case details", {"Goals"});
    REQUIRE(goals.has_value());
    f.ui.click(*goals);
    f.ui.press_key(keys::letter('a'), /*ctrl=*/true);
    f.ui.type_text("Talk about money once a week");
    f.ui.run_frames(1);
    // Ben withdraws in their cycle.
    const auto cycle_b = f.ui.find_item("Case details", {"Partner B in the cycle"});
    REQUIRE(cycle_b.has_value());
    f.ui.click(*cycle_b);
    f.ui.run_frames(2);
    const auto withdrawer = f.ui.find_text("withdrawer");
    REQUIRE(withdrawer.has_value());
    f.ui.click(ImVec2((withdrawer->min.x + withdrawer->max.x) / 2, (withdrawer->min.y + withdrawer->max.y) / 2));
    f.ui.run_frames(2);
    const auto save = f.ui.find_item("Case details", {"Save"});
    REQUIRE(save.has_value());
    f.ui.click(*save);
    f.ui.run_frames(3);
    CHECK_FALSE(f.ui.popup_open("Case details"));
    const Case after = f.stored();
    CHECK(after.goals == "Talk about money once a week");
    CHECK(after.partner_a.attachment_style == "anxious");  // untouched fields stay
    CHECK(after.label == "Couple G");
    CHECK(after.partner_b.cycle_position == "withdrawer");
    CHECK(after.partner_a.cycle_position.empty());
    CHECK(test::text_on_screen(f.ui, "Goals: Talk about money once a week"));
    CHECK(test::text_on_screen(f.ui, "Ana & Ben (withdrawer)"));
}

TEST_CASE("the case's supervisor reads its details but cannot save them", "[ui][case_details]") {
    DetailsFixture f(/*as_supervisor=*/true);
    f.open_details();
    CHECK(test::text_on_screen(f.ui, "Only the case's clinician changes these."));
    CHECK_FALSE(f.ui.find_item("Case details", {"Save"}).has_value());
    CHECK(f.ui.find_item("Case details", {"Close"}).has_value());
}
