// The supervision panel drawn headless: it reads the store only when the data
// changed, and its agreement section compares the clinician with a second rater.
#include "headless.h"

#include "services/open_practice.h"
#include "store/repositories.h"
#include "store/signing.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/review_supervision.h"

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

using namespace attune;

namespace {

struct PanelFixture {
    test::TempDir dir;
    test::Headless ui;
    ui::ReviewSupervisionState state;
    RowId case_id = 0;
    RowId session_id = 0;

    PanelFixture() {
        io::Practice practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Lee");
        store::Database& db = *practice.db;
        const Case c = test::add_couple(db, "Couple P");
        const Session s = store::SessionRepository(db).start(c.id, "2026-11-22", "10:00", 1000.0);
        store::SessionRepository(db).end(s.id, 600);
        const Person coder = store::PeopleRepository(db).find_or_create("Coder Kim", PersonRole::Coder);
        // Lee: A blame_shift at 10 and 40; Kim: A blame_shift at 12 (agrees) and A reflect at 41 (disagrees).
        auto add = [&](RowId rater, double t, const char* code) {
            Observation o;
            o.session_id = s.id;
            o.rater_id = rater;
            o.t = t;
            o.who = Who::A;
            o.code_id = code;
            store::ObservationRepository(db).add(o);
        };
        add(db.actor().id, 10, "blame_shift");
        add(db.actor().id, 40, "blame_shift");
        add(coder.id, 12, "blame_shift");
        add(coder.id, 41, "reflect");
        case_id = c.id;
        session_id = s.id;
        ui.shell().model().set_practice(std::move(practice));
    }
    ui::AppModel& model() { return ui.shell().model(); }
    void frame() {
        ImGui::NewFrame();
        ImGui::Begin("Supervision");
        ui::draw_review_supervision(model(), case_id, session_id, state);
        ImGui::End();
        ImGui::Render();
    }
};

}  // namespace

TEST_CASE("the supervision panel compares the clinician with the session's other rater") {
    PanelFixture f;
    f.frame();
    REQUIRE(f.state.other_raters.size() == 1);
    REQUIRE(f.state.other_raters[0].name == "Coder Kim");
    REQUIRE(f.state.rater_b == f.state.other_raters[0].id);
    REQUIRE(f.state.agreement);
    REQUIRE(f.state.agreement->matched == 2);
    REQUIRE(f.state.agreement->percent_agreement == Catch::Approx(0.5));
    REQUIRE(f.state.agreement->disagreements.size() == 1);
}

TEST_CASE("the supervision panel re-reads the store only when the data version changes") {
    PanelFixture f;
    f.frame();
    const std::uint64_t version = f.state.loaded_version;
    REQUIRE(version == f.model().data_version());
    REQUIRE(f.state.comments.empty());
    f.frame();
    f.frame();
    REQUIRE(f.state.loaded_version == version);

    store::ReviewCommentRepository(f.model().db()).add(f.session_id, 30, "slow down here");
    store::SigningRepository(f.model().db()).sign(f.session_id);
    REQUIRE(f.model().data_version() != version);
    f.frame();
    REQUIRE(f.state.loaded_version == f.model().data_version());
    REQUIRE(f.state.comments.size() == 1);
    REQUIRE(f.state.signatures.size() == 1);
    REQUIRE(f.state.agreement);  // recomputed after the reload
}
