// The supervision panel of the review: it reads the practice only when the
// data changed, compares the clinician with a second rater, and its Sign and
// Pin comment buttons run the services the command line runs. The panel's
// state is checked with the panel drawn alone in a harness frame; the buttons
// are pressed in the real review view.
#include "ui/review_supervision.h"

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/people.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

struct PanelFixture {
    test::TempDir dir;
    test::Headless ui{ImVec2(1400.0f, 1600.0f)};  // tall: the whole panel on screen
    ui::ReviewSupervisionState state;
    RowId case_id = 0;
    RowId session_id = 0;

    PanelFixture() {
        auto practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Lee");
        const Case c = test::add_couple(*practice, "Couple P");
        const Session s = test::end_session(*practice, services::start_session(*practice, c.id, "2026-11-22"), 600);
        test::add_person(*practice, "Coder Kim", GrantRole::Coder);
        services::assign_coder(*practice, "Couple P", s.number, "Coder Kim");
        // Lee: A blame_shift at 10 and 40; Kim: A blame_shift at 12 (agrees) and A reflect at 41 (disagrees).
        test::add_observation(*practice, s, Who::A, 10, "blame_shift");
        test::add_observation(*practice, s, Who::A, 40, "blame_shift");
        practice = test::sign_in_as(std::move(practice), "Coder Kim");
        test::add_observation(*practice, s, Who::A, 12, "blame_shift");
        test::add_observation(*practice, s, Who::A, 41, "reflect");
        practice = test::sign_in_as(std::move(practice), "Dr Lee", "correct horse");
        case_id = c.id;
        session_id = s.id;
        ui.shell().model().set_practice(std::move(practice));
    }
    ui::AppModel& model() { return ui.shell().model(); }
    services::OpenPractice& practice() { return model().practice(); }
    // The panel alone in a harness frame, with the test's own state.
    void frame() {
        ui.run_frame_with([&] {
            ImGui::Begin("Supervision");
            ui::draw_review_supervision(model(), case_id, session_id, state);
            ImGui::End();
        });
    }
    // The real review view of the session.
    void open_review() {
        model().open_review(case_id, session_id);
        ui.run_frames(3);
    }
    std::optional<ImVec2> find(const std::string& id) { return ui.find_item("/notes_", {"review_supervision", id}); }
};

}  // namespace

TEST_CASE("the supervision panel compares the clinician with the session's other rater") {
    PanelFixture f;
    f.frame();
    REQUIRE(f.state.other_raters.size() == 1);
    CHECK(f.state.other_raters[0].name == "Coder Kim");
    CHECK(f.state.rater_b == f.state.other_raters[0].id);
    REQUIRE(f.state.agreement);
    CHECK(f.state.agreement->matched == 2);
    CHECK(f.state.agreement->percent_agreement == Catch::Approx(0.5));
    CHECK(f.state.agreement->disagreements.size() == 1);
}

TEST_CASE("the supervision panel re-reads the practice only when the data version changes") {
    PanelFixture f;
    f.frame();
    const std::uint64_t version = f.state.loaded_version;
    REQUIRE(version == f.model().data_version());
    REQUIRE(f.state.comments.empty());
    REQUIRE(f.state.signatures.empty());
    f.frame();
    f.frame();
    REQUIRE(f.state.loaded_version == version);

    // Changed elsewhere (the command line's use cases), not through the panel's state.
    services::add_comment(f.practice(), f.session_id, 30, "slow down here");
    services::sign_session(f.practice(), f.session_id);
    REQUIRE(f.model().data_version() != version);
    REQUIRE(f.state.comments.empty());  // nothing read between frames
    f.frame();
    CHECK(f.state.loaded_version == f.model().data_version());
    REQUIRE(f.state.comments.size() == 1);
    CHECK(f.state.comments[0].text == "slow down here");
    CHECK(f.state.signatures.size() == 1);
    CHECK(f.state.agreement.has_value());  // recomputed after the reload
}

TEST_CASE("the review's Sign button signs the session once confirmed, and a comment is pinned with Pin comment") {
    PanelFixture f;
    f.open_review();
    REQUIRE_FALSE(services::is_signed(f.practice(), f.session_id));
    const auto sign = f.find("Sign session...");
    REQUIRE(sign.has_value());
    f.ui.click(*sign);
    f.ui.run_frames(2);
    const auto confirm = f.ui.find_item("Sign and seal this session?", {"Sign and seal"});
    REQUIRE(confirm.has_value());
    f.ui.click(*confirm);
    f.ui.run_frames(2);
    CHECK(services::is_signed(f.practice(), f.session_id));
    CHECK_FALSE(f.find("Sign session...").has_value());  // signed once: the button is gone

    const auto field = f.find("##new_comment");
    REQUIRE(field.has_value());
    f.ui.click(*field);
    f.ui.type_text("see the withdrawal");
    const auto pin = f.find("Pin comment");
    REQUIRE(pin.has_value());
    f.ui.click(*pin);
    f.ui.run_frames(2);
    const auto comments = services::list_comments(f.practice(), f.session_id);
    REQUIRE(comments.size() == 1);
    CHECK(comments[0].text == "see the withdrawal");
    CHECK(comments[0].author_name == "Dr Lee");
    CHECK(comments[0].t == 0.0);  // the time field was left at 0 s
}
