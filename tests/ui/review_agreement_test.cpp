// Agreement in the review screen: the user picks rater A and rater B among the
// session's raters; kappa, percent agreement, the per-code table and the
// disagreements come from services::rater_agreement, recomputed only when the
// choice (or the data) changes. The panel's state is checked with the panel
// drawn alone in a harness frame; picking a rater goes through the real
// review view's combo.
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/people.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/review_supervision.h"

using namespace attune;
using Catch::Approx;

namespace {

// Dr Lee (the case clinician), Coder Kim and Dr Sam code the same session, all partner A:
//   Lee: blame_shift 10, blame_shift 40
//   Kim: blame_shift 12, reflect 41
//   Sam: blame_shift 11, reflect 43
struct ThreeRaters {
    test::TempDir dir;
    test::Headless ui{ImVec2(1400.0f, 1600.0f)};  // tall: the agreement section is at the panel's foot
    ui::ReviewSupervisionState state;
    RowId case_id = 0, session_id = 0;
    RowId lee = 0, kim = 0, sam = 0;

    ThreeRaters() {
        auto practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Lee");
        const Person lee_person = practice->person();
        const Case c = test::add_couple(*practice, "Couple R");
        const Session s = test::end_session(*practice, services::start_session(*practice, c.id, "2026-11-22"), 600);
        const Person kim_person = test::add_person(*practice, "Coder Kim", GrantRole::Coder);
        const Person sam_person = test::add_person(*practice, "Dr Sam", GrantRole::Supervisor);
        services::assign_coder(*practice, "Couple R", s.number, "Coder Kim");
        services::set_case_supervisor(*practice, "Couple R", "Dr Sam");
        const auto code_as = [&](const Person& rater, const std::string& passphrase,
                                 std::vector<std::pair<double, const char*>> events) {
            practice = test::sign_in_as(std::move(practice), rater.name, passphrase);
            for (const auto& [t, code] : events)
                test::add_observation(*practice, s, Who::A, t, code);
        };
        code_as(lee_person, "correct horse", {{10, "blame_shift"}, {40, "blame_shift"}});
        code_as(kim_person, "their passphrase", {{12, "blame_shift"}, {41, "reflect"}});
        code_as(sam_person, "their passphrase", {{11, "blame_shift"}, {43, "reflect"}});
        practice = test::sign_in_as(std::move(practice), "Dr Lee", "correct horse");
        lee = lee_person.id;
        kim = kim_person.id;
        sam = sam_person.id;
        case_id = c.id;
        session_id = s.id;
        ui.shell().model().set_practice(std::move(practice));
    }
    // The supervision panel alone in a harness frame, with the test's own state.
    void frame() {
        ui.run_frame_with([&] {
            ImGui::SetNextWindowPos(ImVec2(0, 0));
            ImGui::SetNextWindowSize(ImVec2(900, 780));
            ImGui::Begin("Supervision");
            ui::draw_review_supervision(ui.shell().model(), case_id, session_id, state);
            ImGui::End();
        });
    }
    void click(const std::string& window, const std::vector<test::Headless::IdPart>& id) {
        const auto at = ui.find_item(window, id);
        INFO("clicking " << id.back().text << " in " << window);
        REQUIRE(at.has_value());
        ui.click(*at);
        ui.run_frames(1);
    }
    bool listed(const std::string& name) { return ui.find_item("##Combo_00", {name}).has_value(); }
};

}  // namespace

TEST_CASE("the clinician is rater A and the first other rater rater B until the user picks", "[ui][agreement]") {
    ThreeRaters f;
    f.frame();
    REQUIRE(f.state.raters.size() == 3);
    CHECK(f.state.raters[0].name == "Dr Lee");
    CHECK(f.state.rater_a == f.lee);
    CHECK(f.state.rater_b == f.kim);
    REQUIRE(f.state.agreement);
    // Lee-Kim: (bs,bs) agree, (bs,reflect) disagree. p_o = 1/2; rows bs 2, columns bs 1 and reflect 1:
    // p_e = (2*1)/4 = 1/2, so kappa = 0.
    CHECK(f.state.agreement->percent_agreement == Approx(0.5));
    REQUIRE(f.state.agreement->kappa);
    CHECK(*f.state.agreement->kappa == Approx(0.0).margin(1e-12));
    CHECK(f.state.agreement->per_code.at("blame_shift").agree == 1);
    CHECK(f.state.agreement->per_code.at("blame_shift").total == 2);
    REQUIRE(f.state.agreement->disagreements.size() == 1);
    const Disagreement& d = f.state.agreement->disagreements[0];
    CHECK(*d.t_a == Approx(40));
    CHECK(*d.t_b == Approx(41));
    CHECK(d.code_a == "blame_shift");
    CHECK(d.code_b == "reflect");
}

TEST_CASE("picking two other raters recomputes once, and not again on later frames", "[ui][agreement]") {
    ThreeRaters f;
    f.frame();
    REQUIRE(f.state.agreement_computations == 1);
    f.frame();
    f.frame();
    CHECK(f.state.agreement_computations == 1);  // not per frame

    // Kim against Sam: 12~11 blame_shift agree, 41~43 reflect agree. p_o = 1,
    // p_e = (1*1 + 1*1)/4 = 1/2, kappa = 1.
    f.state.rater_a = f.kim;
    f.state.rater_b = f.sam;
    f.frame();
    CHECK(f.state.agreement_computations == 2);
    REQUIRE(f.state.agreement);
    CHECK(f.state.agreement->matched == 2);
    CHECK(f.state.agreement->percent_agreement == Approx(1.0));
    CHECK(*f.state.agreement->kappa == Approx(1.0));
    CHECK(f.state.agreement->disagreements.empty());
    f.frame();
    CHECK(f.state.agreement_computations == 2);

    // At a tolerance of 1.5 s Kim's reflect at 41 no longer matches Sam's at 43.
    f.state.tolerance_s = 1.5f;
    f.frame();
    CHECK(f.state.agreement_computations == 3);
    CHECK(f.state.agreement->matched == 1);
    CHECK(f.state.agreement->unmatched_a == 1);
    CHECK(f.state.agreement->unmatched_b == 1);
    CHECK(f.state.agreement->disagreements.size() == 2);
}

TEST_CASE("rater B is picked in the review's combo, which lists only the raters other than rater A",
          "[ui][agreement]") {
    ThreeRaters f;
    f.ui.shell().model().open_review(f.case_id, f.session_id);
    f.ui.run_frames(3);
    // Each combo leaves out the rater picked in the other: rater A (Lee) is not offered as B.
    f.click("/notes_", {"review_supervision", "##rater_b"});
    REQUIRE(f.ui.popup_open("##Combo_00"));
    CHECK(f.listed("Coder Kim"));
    CHECK(f.listed("Dr Sam"));
    CHECK_FALSE(f.listed("Dr Lee"));
    f.click("##Combo_00", {"Dr Sam"});
    CHECK_FALSE(f.ui.popup_open("##Combo_00"));

    // Sam is rater B now: rater A's combo offers Lee and Kim, no longer Sam.
    f.click("/notes_", {"review_supervision", "##rater_a"});
    REQUIRE(f.ui.popup_open("##Combo_00"));
    CHECK(f.listed("Dr Lee"));
    CHECK(f.listed("Coder Kim"));
    CHECK_FALSE(f.listed("Dr Sam"));
}
