// A change-event candidate from the review's timeline to the record
// (DOMAIN.md version 2, "Change events"): its diamond on the timeline names
// it, the therapist confirms it under Change events, the audit trail keeps who
// confirmed what, and the trends' change-event chart and the case summary
// then count it (only confirmed ones are charted and named).
#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <cmath>

#include "headless.h"
#include "services/audit.h"
#include "services/case_trends.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

using Shown = test::Headless::ShownText;

// Ana pursues (blame_shift), Ben withdraws (withdraw_emotion): Ben's
// vulnerable_share at 100 s answered by Ana's validate at 110 s (within R =
// 120 s) is one withdrawer re-engagement candidate, by Ben. 15 minutes: the
// session counts toward the trends.
struct OneCandidate {
    test::TempDir dir;
    test::Headless ui{ImVec2(1400.0f, 1000.0f)};
    Case info;
    Session session;

    OneCandidate() {
        auto practice = test::new_practice(dir / "practice.db");
        info = test::add_couple(*practice, "Couple E", "Ana", "Ben");
        session = services::start_session(*practice, info.id, "2026-03-02");
        test::add_observation(*practice, session, Who::A, 10, "blame_shift");
        test::add_observation(*practice, session, Who::B, 20, "withdraw_emotion");
        test::add_observation(*practice, session, Who::B, 100, "vulnerable_share");
        test::add_observation(*practice, session, Who::A, 110, "validate");
        session = test::end_session(*practice, session, 900);
        ui.shell().model().set_practice(std::move(practice));
    }
    ui::AppModel& model() { return ui.shell().model(); }
    services::OpenPractice& practice() { return model().practice(); }

    void click(const std::string& window, const std::vector<test::Headless::IdPart>& id) {
        test::click_item(ui, window, id);
    }

    // The topmost run reading exactly `text` in the review view itself (the
    // timeline's lane names and axis labels; the lists below are child windows).
    std::optional<Shown> on_timeline(const std::string& text) const {
        std::optional<Shown> found;
        for (const Shown& run : ui.shown_text()) {
            const std::size_t view = run.window.find("##view_");
            if (run.text != text || view == std::string::npos || run.window.find('/', view) != std::string::npos)
                continue;
            if (!found || run.min.y < found->min.y) found = run;
        }
        return found;
    }

    // Hovers where the review draws the candidate's diamond: above Ben's mark
    // at 100 s by 0.34 of a lane (ui/review_view.cpp). The lanes' centres are
    // read from their names, the time axis from its "0 min" and "5 min"
    // labels; a few heights are tried around the centre (a glyph box is not
    // its line). Returns the tooltip's text, or "" when none showed.
    std::string hover_diamond() {
        const auto lane_a = on_timeline("Ana (A)");
        const auto lane_b = on_timeline("Ben (B)");
        const auto zero = on_timeline("0 min");
        const auto five = on_timeline("5 min");
        INFO(test::screen_text(ui));
        REQUIRE(lane_a);
        REQUIRE(lane_b);
        REQUIRE(zero);
        REQUIRE(five);
        const auto centre = [](const Shown& s) { return ImVec2((s.min.x + s.max.x) / 2, (s.min.y + s.max.y) / 2); };
        const float x0 = centre(*zero).x, x300 = centre(*five).x;
        const float x = x0 + (x300 - x0) * 100.0f / 300.0f;
        const float lane_h = centre(*lane_b).y - centre(*lane_a).y;
        const float y = centre(*lane_b).y - 0.34f * lane_h;
        std::string tooltip;
        for (float dy : {0.0f, -3.0f, 3.0f}) {
            ui.move_mouse(ImVec2(x, y + dy));
            ui.run_frames(2);
            for (const Shown& run : ui.shown_text())
                if (run.window.find("##Tooltip") != std::string::npos) tooltip += run.text + "\n";
            if (!tooltip.empty()) break;
        }
        ui.move_mouse(ImVec2(-1, -1));
        ui.run_frames(1);
        return tooltip;
    }

    std::string case_summary_markdown() {
        services::ExportOptions options;
        options.format = "md";
        return services::ExportJob(practice(), info, options).text();  // what Export... saves or copies
    }

    // The confirmed change events per charted session, as the trends view charts them.
    std::vector<std::optional<double>> charted(const std::string& series) {
        model().open_case(info.id);
        ui.run_frames(3);
        REQUIRE(model().shown_trend_charts() != nullptr);
        for (const ChartSpec& chart : *model().shown_trend_charts())
            if (chart.title == "Change events (confirmed by the therapist)")
                for (const auto& s : chart.series)
                    if (s.name == series) return s.y;
        FAIL("no chart of confirmed change events with the series " << series);
        return {};
    }
};

}  // namespace

TEST_CASE("a change-event candidate confirmed in the review is audited, charted and named in the case summary",
          "[ui][change-events]") {
    OneCandidate f;
    // Before: the candidate is on the timeline, undecided, and counted nowhere.
    CHECK(f.charted("Withdrawer re-engagement") == std::vector<std::optional<double>>{0.0});
    const std::string before = f.case_summary_markdown();
    CHECK(before.find("No change event has been confirmed in this period.") != std::string::npos);
    CHECK(before.find("1 candidate is not yet confirmed or rejected") != std::string::npos);

    f.model().open_review(f.info.id, f.session.id);
    f.ui.run_frames(3);
    const std::string undecided = f.hover_diamond();
    CHECK(undecided.find("Withdrawer re-engagement candidate") != std::string::npos);
    CHECK(undecided.find("01:40 Ben (B): Shares something vulnerable") != std::string::npos);
    CHECK(undecided.find("not yet decided") != std::string::npos);

    f.click("/observations_", {"##below", "###events"});
    CHECK(test::text_on_screen(f.ui, "undecided"));
    f.click("/observations_", {"##below", "###events", "##candidates", 0, "Confirm"});
    CHECK(test::text_on_screen(f.ui, "confirmed (Dr Test)"));

    // The audit trail: who confirmed which candidate of which session.
    const std::vector<AuditEntry> rows =
        services::audit_entries(f.practice(), AuditFilter::of_action("confirm", 10, "change_event"));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].actor == "Dr Test");
    CHECK(rows[0].entity_id == f.session.uuid);
    CHECK(rows[0].detail.find("(B vulnerable_share at 01:40 -> A validate at 01:50)") != std::string::npos);
    CHECK(services::audit_entries(f.practice(), AuditFilter::of_action("reject", 10, "change_event")).empty());

    // The diamond says so now.
    const std::string decided = f.hover_diamond();
    CHECK(decided.find("confirmed by Dr Test") != std::string::npos);
    CHECK(decided.find("not yet decided") == std::string::npos);

    // Counted: one withdrawer re-engagement in the session's bar, none of the other kind.
    CHECK(f.charted("Withdrawer re-engagement") == std::vector<std::optional<double>>{1.0});
    CHECK(f.charted("Blamer softening") == std::vector<std::optional<double>>{0.0});
    const std::string after = f.case_summary_markdown();
    CHECK(after.find("Session 1 (2026-03-02): withdrawer re-engagement, Ben (B) vulnerable share at 01:40, answered by "
                     "Ana (A) validate at 01:50.") != std::string::npos);
    CHECK(after.find("No change event has been confirmed") == std::string::npos);
    CHECK(after.find("not yet confirmed or rejected") == std::string::npos);
}

TEST_CASE("the review timeline's time labels are drawn whole, the last one too", "[ui][review]") {
    OneCandidate f;
    f.model().open_review(f.info.id, f.session.id);
    f.ui.run_frames(3);
    // 15 minutes: a tick every 5; the last sits at the timeline's right end.
    for (const char* label : {"0 min", "5 min", "10 min", "15 min"}) {
        INFO(label);
        const auto run = f.on_timeline(label);
        REQUIRE(run);
        CHECK_FALSE(run->clipped);
    }
}
