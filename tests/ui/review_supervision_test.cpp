// The supervision panel of the review: it reads the practice only when the
// data changed, compares the clinician with a second rater, and its Sign and
// Pin comment buttons run the services the command line runs. The panel's
// state is checked with the panel drawn alone in a harness frame; the buttons
// are pressed in the real review view.
#include "ui/review_supervision.h"

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

#include "core/error.h"
#include "headless.h"
#include "services/people.h"
#include "services/practice_sync.h"
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

    // With a supervisor's comment: "Dr Super" supervises the case and pinned "slow down here" at 02:00.
    // Signed in as `person` at the end (Dr Lee, the case's clinician, unless named).
    explicit PanelFixture(bool supervisor_comment = false, const std::string& person = "Dr Lee") {
        auto practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Lee");
        const Case c = test::add_couple(*practice, "Couple P");
        const Session s = test::end_session(*practice, services::start_session(*practice, c.id, "2026-11-22"), 600);
        if (supervisor_comment) {
            test::add_person(*practice, "Dr Super", GrantRole::Supervisor);
            services::set_case_supervisor(*practice, "Couple P", "Dr Super");
            practice = test::sign_in_as(std::move(practice), "Dr Super");
            services::add_comment(*practice, s.id, 120, "slow down here");
            practice = test::sign_in_as(std::move(practice), "Dr Lee", "correct horse");
        }
        test::add_person(*practice, "Coder Kim", GrantRole::Coder);
        services::assign_coder(*practice, "Couple P", s.number, "Coder Kim");
        // Lee: A blame_shift at 10 and 40; Kim: A blame_shift at 12 (agrees) and A reflect at 41 (disagrees).
        test::add_observation(*practice, s, Who::A, 10, "blame_shift");
        test::add_observation(*practice, s, Who::A, 40, "blame_shift");
        practice = test::sign_in_as(std::move(practice), "Coder Kim");
        test::add_observation(*practice, s, Who::A, 12, "blame_shift");
        test::add_observation(*practice, s, Who::A, 41, "reflect");
        practice = test::sign_in_as(std::move(practice), "Dr Lee", "correct horse");
        if (person != "Dr Lee") practice = test::sign_in_as(std::move(practice), person);
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

TEST_CASE("a comment's moment is typed as minutes:seconds, and a click on the timeline sets it") {
    PanelFixture f;
    f.open_review();
    const auto pin_comment = [&](const char* text) {
        const auto field = f.find("##new_comment");
        REQUIRE(field.has_value());
        f.ui.click(*field);
        f.ui.type_text(text);
        const auto pin = f.find("Pin comment");
        REQUIRE(pin.has_value());
        f.ui.click(*pin);
        f.ui.run_frames(2);
    };
    // Typed: "1:30" is 90 s (the old drag control took a click-and-type as nothing).
    const auto at = f.find("##comment_at");
    REQUIRE(at.has_value());
    f.ui.click(*at);
    f.ui.type_text("1:30");
    pin_comment("here");
    auto comments = services::list_comments(f.practice(), f.session_id);
    REQUIRE(comments.size() == 1);
    CHECK(comments[0].t == 90.0);
    CHECK(test::text_on_screen(f.ui, "01:30"));

    // Not a time: the moment is kept and the field says how to type one. (The
    // field moved down: the pinned comment is listed above it now.)
    const auto at_again = f.find("##comment_at");
    REQUIRE(at_again.has_value());
    f.ui.click(*at_again);
    f.ui.type_text("12:75");
    f.ui.click(*f.find("##new_comment"));
    f.ui.run_frames(2);
    CHECK(test::text_on_screen(f.ui, "Not a time: type"));
    CHECK(services::list_comments(f.practice(), f.session_id).size() == 1);  // nothing pinned by it

    // A click on the timeline's axis at its "5 min" label pins the next comment at 05:00
    // (within a pixel's worth of time: 600 s over the timeline's width).
    const auto five = f.ui.find_text("5 min");
    REQUIRE(five.has_value());
    f.ui.click(ImVec2((five->min.x + five->max.x) / 2, (five->min.y + five->max.y) / 2));
    f.ui.run_frames(2);
    pin_comment("there");
    comments = services::list_comments(f.practice(), f.session_id);
    REQUIRE(comments.size() == 2);
    CHECK(comments[1].text == "there");
    CHECK(comments[1].t == Catch::Approx(300.0).margin(2.0));
}

TEST_CASE("only a comment's author sees Edit and Delete on it; Edit changes its moment, Delete takes it down") {
    PanelFixture f(true);
    const RowId mine = services::add_comment(f.practice(), f.session_id, 30, "watch the withdrawal").id;
    const RowId theirs = services::list_comments(f.practice(), f.session_id)[1].id;  // 02:00, after mine at 00:30
    f.open_review();
    const auto item = [&](RowId comment, const char* label) {
        return f.ui.find_item("/notes_", {"review_supervision", static_cast<int>(comment), label});
    };
    REQUIRE(item(mine, "Edit").has_value());
    REQUIRE(item(mine, "Delete").has_value());
    CHECK_FALSE(item(theirs, "Edit").has_value());
    CHECK_FALSE(item(theirs, "Delete").has_value());

    f.ui.click(*item(mine, "Edit"));
    f.ui.run_frames(2);
    const auto when = item(mine, "##edited_at");
    REQUIRE(when.has_value());
    f.ui.click(*when);
    f.ui.type_text("12:03");
    f.ui.click(*item(mine, "Save"));
    f.ui.run_frames(2);
    auto comments = services::list_comments(f.practice(), f.session_id);
    REQUIRE(comments.size() == 2);
    CHECK(comments[1].id == mine);  // now after Dr Super's 02:00
    CHECK(comments[1].t == 723.0);
    CHECK(comments[1].text == "watch the withdrawal");

    f.ui.click(*item(mine, "Delete"));
    f.ui.run_frames(2);
    comments = services::list_comments(f.practice(), f.session_id);
    REQUIRE(comments.size() == 1);
    CHECK(comments[0].id == theirs);
}

namespace {

std::string names(const std::vector<Person>& people) {
    std::string out;
    for (const Person& p : people) out += (out.empty() ? "" : ", ") + p.name;
    return out;
}

}  // namespace

TEST_CASE("the review lists who codes the session; its clinician takes a coder back and assigns another") {
    PanelFixture f;
    test::add_person(f.practice(), "Coder Jo", GrantRole::Coder);
    test::add_person(f.practice(), "Dr Other", GrantRole::Clinician);  // not a coder: never offered
    f.frame();
    CHECK(f.state.rights.assign_coders);
    CHECK(names(f.state.coders) == "Coder Kim");
    CHECK(names(f.state.coders_to_assign) == "Coder Jo");

    f.open_review();
    CHECK(test::text_on_screen(f.ui, "Coders"));
    const Person kim = services::find_person(f.practice(), "Coder Kim");
    test::click_item(f.ui, "/notes_", {"review_supervision", static_cast<int>(kim.id), "Take back"});
    CHECK(names(services::load_supervision(f.practice(), f.case_id, f.session_id).coders).empty());
    REQUIRE(f.model().message().has_value());
    CHECK(f.model().message()->text ==
          "Took session 1 of Couple P back from Coder Kim: their copy stops showing it at their next sync.");
    CHECK(test::text_on_screen(f.ui, "No coder is assigned this session."));

    // Assign gives the session to the first by name, Coder Jo; Kim is offered again.
    test::click_item(f.ui, "/notes_", {"review_supervision", "Assign"});
    const services::SupervisionRecord after = services::load_supervision(f.practice(), f.case_id, f.session_id);
    CHECK(names(after.coders) == "Coder Jo");
    CHECK(names(after.coders_to_assign) == "Coder Kim");
    CHECK(f.model().message()->text == "Assigned session 1 of Couple P to Coder Jo: they code it in their own copy, "
                                       "after their next sync when the practice has a server.");
    // The command line sees the same.
    CHECK_THROWS_AS(services::unassign_coder(f.practice(), "Couple P", 1, "Coder Kim"), attune::Error);
    services::unassign_coder(f.practice(), "Couple P", 1, "Coder Jo");
}

TEST_CASE("a coder's review shows nobody else who codes the session, and nothing to assign or take back") {
    PanelFixture f(false, "Coder Kim");
    f.frame();
    CHECK_FALSE(f.state.rights.assign_coders);
    f.open_review();
    CHECK_FALSE(f.find("Assign").has_value());
    CHECK_FALSE(test::text_on_screen(f.ui, "Coders"));
    const Person kim = services::find_person(f.practice(), "Coder Kim");
    CHECK_FALSE(f.ui.find_item("/notes_", {"review_supervision", static_cast<int>(kim.id), "Take back"}).has_value());
    // And the service refuses what the panel does not offer.
    CHECK_THROWS_AS(services::unassign_coder(f.practice(), "Couple P", 1, "Coder Kim"), attune::Error);
}

TEST_CASE("an administrator's review offers assigning coders until the copy syncs with a practice server, which "
          "would refuse it") {
    PanelFixture f;
    test::add_person(f.practice(), "Coder Jo", GrantRole::Coder);  // one to assign
    test::add_person(f.practice(), "Admin Ada", GrantRole::Administrator, "their passphrase", true);
    f.model().close_practice();
    f.model().set_practice(test::open_practice(f.dir / "practice.db", "their passphrase", "Admin Ada"));
    f.frame();
    CHECK(f.state.rights.assign_coders);
    f.open_review();
    CHECK(f.find("Assign").has_value());

    services::set_practice_server_url(f.practice(), "postgresql://admin_ada@db.example.org/attune");
    f.model().open_case(f.case_id);  // away from the review, and back: it reads its rights again
    f.ui.run_frames(2);
    f.open_review();
    CHECK_FALSE(f.find("Assign").has_value());
    const Person kim = services::find_person(f.practice(), "Coder Kim");
    CHECK_FALSE(f.ui.find_item("/notes_", {"review_supervision", static_cast<int>(kim.id), "Take back"}).has_value());
    CHECK_THROWS_AS(services::unassign_coder(f.practice(), "Couple P", 1, "Coder Kim"), attune::Error);
}
