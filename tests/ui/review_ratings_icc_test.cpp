// The raters' end-of-session ratings ICC(2,1) beside the kappa, wherever the
// review shows agreement (DOMAIN.md version 2, "Agreement on ratings"): the
// line under the timeline and the Inter-rater agreement panel, both read back
// from what is drawn in the real review view.
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/people.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

// Dr Lee (the case clinician) and Coder Kim each coded one observation of the
// session; Lee rated it at its end (attunement A, attunement B, safety), and
// Lee records Kim's ratings given on paper.
struct RatedTwice {
    test::TempDir dir;
    test::Headless ui{ImVec2(1600.0f, 2400.0f)};  // tall: the agreement section is at the side panel's foot
    RowId case_id = 0, session_id = 0;

    RatedTwice(const Ratings& lee, const Ratings& kim) {
        auto practice = test::new_practice(dir / "practice.db", "correct horse", "Dr Lee");
        const Case c = test::add_couple(*practice, "Couple I");
        Session s = services::start_session(*practice, c.id, "2026-11-22");
        test::add_observation(*practice, s, Who::A, 10, "blame_shift");
        services::SessionEnding ending;
        ending.active_seconds = 900;
        ending.attunement_a = lee.attunement_a;
        ending.attunement_b = lee.attunement_b;
        ending.safety = lee.safety;
        s = services::end_session(*practice, s, ending);
        const Person kim_person = test::add_person(*practice, "Coder Kim", GrantRole::Coder);
        services::assign_coder(*practice, "Couple I", s.number, "Coder Kim");
        practice = test::sign_in_as(std::move(practice), "Coder Kim");
        test::add_observation(*practice, s, Who::A, 40, "reflect");
        practice = test::sign_in_as(std::move(practice), "Dr Lee", "correct horse");
        services::rate_session(*practice, s.id, kim_person.id, kim);
        case_id = c.id;
        session_id = s.id;
        ui.shell().model().set_practice(std::move(practice));
        ui.shell().model().open_review(case_id, session_id);
        ui.run_frames(3);
    }

    // `text` is drawn, uncut, in the side panel (`in_panel`) or in the view
    // around the timeline (not in one of its child windows). The window's runs
    // are read in drawing order, joined by spaces: the narrow panel wraps.
    bool shown(const std::string& text, bool in_panel) const {
        std::string all;
        for (const auto& run : ui.shown_text()) {
            const std::size_t view = run.window.find("##view_");
            const bool panel = run.window.find("/notes_") != std::string::npos;
            const bool around_timeline = view != std::string::npos && run.window.find('/', view) == std::string::npos;
            if (in_panel ? panel : around_timeline) all += run.text + (run.clipped ? " [cut] " : " ");
        }
        if (all.find(text + " ") != std::string::npos) return true;
        UNSCOPED_INFO("looking for '" << text << "' " << (in_panel ? "in the side panel" : "under the timeline")
                                      << "; there:\n"
                                      << all);
        return false;
    }
};

}  // namespace

TEST_CASE("the review shows the ratings ICC beside the kappa under the timeline and in the agreement panel",
          "[ui][agreement][icc]") {
    // Targets (Lee, Kim): (6, 7) (4, 5) (8, 8). Grand mean 38/6; target means
    // 6.5, 4.5, 8; rater means 6 and 20/3.
    // MS_R = 2 * (1/36 + 121/36 + 100/36) / 2 = 37/6; MS_C = 3 * (1/9 + 1/9) / 1 = 2/3;
    // SS_T = 40/3, SS_E = 40/3 - 37/3 - 2/3 = 1/3, MS_E = 1/6.
    // ICC = (37/6 - 1/6) / (37/6 + 1/6 + 2 (2/3 - 1/6) / 3) = 6 / (20/3) = 0.9.
    RatedTwice f(Ratings{6, 4, 8}, Ratings{7, 5, 8});
    const std::string icc = "ratings ICC(2,1) 0.9 over 3 ratings both gave (1 session)";
    CHECK(f.shown(icc, false));
    CHECK(f.shown(icc, true));
    // Beside the kappa: Lee's blame_shift at 10 s and Kim's reflect at 40 s do not match (T = 5 s).
    CHECK(f.shown("2 disagreements; " + icc, false));
}

TEST_CASE("without three ratings both gave, the review says the ratings ICC is none and why", "[ui][agreement][icc]") {
    SECTION("two ratings in common") {
        RatedTwice f(Ratings{6, 4, 8}, Ratings{7, std::nullopt, 8});
        const std::string none = "ratings ICC(2,1): none yet (2 ratings both gave; needs 3)";
        CHECK(f.shown(none, false));
        CHECK(f.shown(none, true));
    }
    SECTION("three ratings, every one the same") {
        RatedTwice f(Ratings{5, 5, 5}, Ratings{5, 5, 5});
        const std::string none =
            "ratings ICC(2,1): none (the 3 ratings both gave are all equal: nothing to tell apart)";
        CHECK(f.shown(none, false));
        CHECK(f.shown(none, true));
    }
}
