// Issue 18 in the window: the review's "Not for trends" checkbox with its
// reason, the "Accept draft" buttons of the review and of the live view's
// notes, the 5 : 1 setting reaching the trends view's charts, and the
// agreement table's code labels.
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/case_trends.h"
#include "services/notes.h"
#include "services/people.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

// One ended 50-minute session of Ana and Ben: A protests, B withdraws, B validates.
struct ReviewFixture {
    test::TempDir dir;
    test::Headless ui{ImVec2(1600.0f, 1400.0f)};  // tall: the notes column on screen
    Case c;
    Session session;

    ReviewFixture() {
        auto practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Lee");
        c = test::add_couple(*practice, "Couple R");
        session = services::start_session(*practice, c.id, "2026-11-22");
        test::add_observation(*practice, session, Who::A, 10, "protest");
        test::add_observation(*practice, session, Who::B, 30, "withdraw_emotion");
        test::add_observation(*practice, session, Who::B, 50, "validate");
        session = test::end_session(*practice, session, 3000);
        ui.shell().model().set_practice(std::move(practice));
        ui.shell().model().open_review(c.id, session.id);
        ui.run_frames(3);
    }
    services::OpenPractice& practice() { return ui.shell().model().practice(); }
    Session stored() { return *services::get_session(practice(), session.id); }
    std::optional<ImVec2> find(const std::string& id) { return ui.find_item("/notes_", {id}); }
    void click(const std::string& id) {
        const auto at = find(id);
        INFO(id);
        REQUIRE(at.has_value());
        ui.click(*at);
        ui.run_frames(2);
    }
};

}  // namespace

TEST_CASE("the review's 'Not for trends' checkbox asks why, marks the session and unmarks it") {
    ReviewFixture f;
    CHECK(services::session_counting(f.practice(), f.stored()).counts);
    f.click("Not for trends##not_for_trends");
    CHECK(f.stored().not_for_trends.empty());  // nothing is stored before the reason
    const auto field = f.find("##mark_reason");
    REQUIRE(field.has_value());
    f.ui.click(*field);
    f.ui.type_text("individual session with Ana");
    f.ui.run_frames(1);
    f.click("Leave out of trends");
    CHECK(f.stored().not_for_trends == "individual session with Ana");
    CHECK(services::session_counting(f.practice(), f.stored()).reason ==
          "marked not for trends (individual session with Ana)");
    CHECK_FALSE(f.find("Leave out of trends").has_value());

    f.click("Not for trends##not_for_trends");  // unticked: counted again
    CHECK(f.stored().not_for_trends.empty());
}

TEST_CASE("the review shows the draft of an empty Assessment and 'Accept draft' writes it") {
    ReviewFixture f;
    const std::string draft = services::assessment_draft(f.practice(), f.session);
    REQUIRE_FALSE(draft.empty());
    f.click("Accept draft");
    const services::SessionReview review = services::load_session_review(f.practice(), f.c.id, f.session.id);
    CHECK(review.note.assessment == draft);
    CHECK(review.note.assessment_source == AssessmentSource::AcceptedDraft);
    CHECK_FALSE(f.find("Accept draft").has_value());  // it has text now
}

TEST_CASE("the live view's notes show the draft on request and accept it into the Assessment") {
    test::TempDir dir;
    test::Headless ui(ImVec2(1600.0f, 1200.0f));
    auto practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Test");
    const Case c = test::add_couple(*practice, "Couple L");
    const Session session = services::start_session(*practice, c.id, "2026-11-22");
    test::add_observation(*practice, session, Who::A, 10, "protest");
    ui.shell().model().set_practice(std::move(practice));
    ui.shell().model().open_session(c.id, session.id);
    ui.run_frames(3);
    services::OpenPractice& open = ui.shell().model().practice();

    CHECK_FALSE(ui.find_item("/##progress_", {"Accept draft"}).has_value());  // computed only on request
    const auto show = ui.find_item("/##progress_", {"Draft from the coding"});
    REQUIRE(show.has_value());
    ui.click(*show);
    ui.run_frames(2);
    const auto accept = ui.find_item("/##progress_", {"Accept draft"});
    REQUIRE(accept.has_value());
    ui.click(*accept);
    ui.run_frames(2);
    const services::SessionReview review = services::load_session_review(open, c.id, session.id);
    INFO(review.note.assessment);
    CHECK(review.note.assessment_source == AssessmentSource::AcceptedDraft);
    CHECK(review.note.assessment.find("Ana's pursuing moves: protests / criticizes") != std::string::npos);
    // A session not ended does not count: its draft says so instead of comparing. (The view found it
    // running without having started it, took it for a crash and paused it.)
    CHECK(review.note.assessment.find("does not count toward trends (paused, not ended yet), so it is not compared") !=
          std::string::npos);
}

TEST_CASE("the trends view draws the 5 : 1 line only when the setting is on") {
    ReviewFixture f;
    f.ui.shell().model().open_case(f.c.id);
    f.ui.run_frames(3);
    const std::vector<ChartSpec>* charts = f.ui.shell().model().shown_trend_charts();
    REQUIRE(charts);
    REQUIRE(charts->size() == 10);  // 8 of the coded process, then the measures' two
    CHECK((*charts)[2].reference_lines.empty());
    f.ui.shell().model().set_five_to_one_reference(true);
    f.ui.run_frames(2);
    charts = f.ui.shell().model().shown_trend_charts();
    REQUIRE(charts);
    REQUIRE((*charts)[2].reference_lines.size() == 1);
    CHECK((*charts)[2].reference_lines[0].label == "5 : 1 (Gottman, conflict discussions)");
}
