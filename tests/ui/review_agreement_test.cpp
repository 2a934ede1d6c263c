// Agreement in the review screen: the user picks rater A and rater B among the
// session's raters; kappa, percent agreement, the per-code table and the
// disagreements come from core's compute_agreement, recomputed only when the
// choice (or the data) changes.
#include <imgui_internal.h>

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/open_practice.h"
#include "store/repositories.h"
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
    test::Headless ui;
    ui::ReviewSupervisionState state;
    RowId case_id = 0, session_id = 0;
    RowId lee = 0, kim = 0, sam = 0;

    ThreeRaters() {
        io::Practice practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Lee");
        store::Database& db = *practice.db;
        const Case c = test::add_couple(db, "Couple R");
        const Session s = store::SessionRepository(db).start(c.id, "2026-11-22", "10:00", 1000.0);
        store::SessionRepository(db).end(s.id, 600);
        lee = db.actor().id;
        kim = store::PeopleRepository(db).find_or_create("Coder Kim", PersonRole::Coder).id;
        sam = store::PeopleRepository(db).find_or_create("Dr Sam", PersonRole::Supervisor).id;
        const auto add = [&](RowId rater, double t, const char* code) {
            Observation o;
            o.session_id = s.id;
            o.rater_id = rater;
            o.t = t;
            o.who = Who::A;
            o.code_id = code;
            store::ObservationRepository(db).add(o);
        };
        add(lee, 10, "blame_shift");
        add(lee, 40, "blame_shift");
        add(kim, 12, "blame_shift");
        add(kim, 41, "reflect");
        add(sam, 11, "blame_shift");
        add(sam, 43, "reflect");
        case_id = c.id;
        session_id = s.id;
        ui.shell().model().set_practice(std::move(practice));
    }
    void frame() {
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(900, 780));
        ImGui::Begin("Supervision");
        ui::draw_review_supervision(ui.shell().model(), case_id, session_id, state);
        ImGui::End();
        ImGui::Render();
    }
    // Where the pointer hovers item `id` of `window` (our own frames: the panel is not the shell's).
    std::optional<ImVec2> find(ImGuiWindow* window, ImGuiID id) {
        const ImRect area = window->InnerClipRect;
        std::optional<ImVec2> found;
        for (float y = area.Min.y + 4; y < area.Max.y && !found; y += 8)
            for (float x = area.Min.x + 4; x < area.Max.x && !found; x += 12) {
                ImGui::GetIO().MousePos = ImVec2(x, y);
                frame();
                if (ImGui::GetCurrentContext()->HoveredId == id) found = ImVec2(x, y);
            }
        return found;
    }
    void click(ImVec2 pos) {
        ImGui::GetIO().MousePos = pos;
        frame();
        ImGui::GetIO().MouseDown[0] = true;
        frame();
        ImGui::GetIO().MouseDown[0] = false;
        frame();
        frame();
    }
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

TEST_CASE("rater B is picked in the panel's combo", "[ui][agreement]") {
    ThreeRaters f;
    f.frame();
    f.frame();
    ImGuiWindow* panel = ImGui::FindWindowByName("Supervision");
    REQUIRE(panel != nullptr);
    const auto combo = f.find(panel, ImHashStr("##rater_b", 0, ImHashStr("review_supervision", 0, panel->ID)));
    REQUIRE(combo.has_value());
    f.click(*combo);
    // The combo lists the raters other than rater A (Kim and Sam).
    ImGuiWindow* popup = ImGui::FindWindowByName("##Combo_00");
    REQUIRE(popup != nullptr);
    REQUIRE(popup->Active);
    const auto sam = f.find(popup, ImHashStr("Dr Sam", 0, popup->ID));
    REQUIRE(sam.has_value());
    CHECK_FALSE(f.find(popup, ImHashStr("Dr Lee", 0, popup->ID)).has_value());
    f.click(*sam);
    CHECK(f.state.rater_b == f.sam);
    REQUIRE(f.state.agreement);
    CHECK(f.state.agreement_rater == f.sam);
    CHECK(f.state.agreement_computations == 2);
    // Lee-Sam: 10~11 agree, 40~43 blame_shift/reflect disagree.
    CHECK(f.state.agreement->percent_agreement == Approx(0.5));
}
