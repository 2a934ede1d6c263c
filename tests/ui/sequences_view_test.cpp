// The lag-1 sequences between the partners on screen (DOMAIN.md version 2,
// "Sequences between partners"): the review's Sequences tab shows one
// session's tables, the case's trends view the tables pooled over its
// sessions (counts summed before Q and z). Each cell is read back from what
// is drawn and checked to sit in its row's and column's place, uncut.
#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <cmath>

#include "headless.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

using Shown = test::Headless::ShownText;

// Two sessions of 15 minutes (both count), cycle window C = 60 s.
//   S1: A protest (pursuit) 10, 100, 200 each followed by B withdraw_emotion
//       (withdrawal) 10 s later; B need_closeness (attachment) 300, A validate
//       (repair) 310.
//   S2: A protest 10 -> B withdraw_emotion 20; A protest 100 -> B
//       vulnerable_share (repair) 110.
// A->B, pursuit -> withdrawal:
//   S1: a 3, b 0, c 0, d 1 (A's validate: nothing of B's within 60 s), N 4.
//       E = 3 * 3 / 4 = 2.25; z = 0.75 / sqrt(2.25 * 1/4 * 1/4) = 0.75 / 0.375 = 2: marked.
//   S2: a 1, b 1, c 0, d 0: z's denominator is 0 (every antecedent is X): none.
//   Pooled: a 4, b 1, c 0, d 1, N 6. E = 5 * 4 / 6 = 10/3;
//       z = (2/3) / sqrt(10/3 * 1/6 * 1/3) = (2/3) / 0.4303 = 1.549: not marked.
// B->A, attachment -> repair (B's withdrawals and S2's vulnerable_share:
//   nothing of A's within 60 s):
//   S1: a 1, b 0, c 0, d 3: E = 1/4, z = 0.75 / sqrt(1/4 * 3/4 * 3/4) = 2: marked.
//   Pooled: a 1, b 0, c 0, d 5: E = 1/6, z = (5/6) / sqrt(1/6 * 5/6 * 5/6) = 2.449: marked.
struct TwoSessions {
    test::TempDir dir;
    test::Headless ui{ImVec2(1600.0f, 3600.0f)};  // tall: the pooled tables sit below ten charts
    Case info;
    Session first, second;

    TwoSessions() {
        auto practice = test::new_practice(dir / "practice.db");
        info = test::add_couple(*practice, "Couple Q", "Ana", "Ben");
        first = services::start_session(*practice, info.id, "2026-03-02");
        for (double t : {10.0, 100.0, 200.0}) {
            test::add_observation(*practice, first, Who::A, t, "protest");
            test::add_observation(*practice, first, Who::B, t + 10, "withdraw_emotion");
        }
        test::add_observation(*practice, first, Who::B, 300, "need_closeness");
        test::add_observation(*practice, first, Who::A, 310, "validate");
        first = test::end_session(*practice, first, 900);
        second = services::start_session(*practice, info.id, "2026-03-09");
        test::add_observation(*practice, second, Who::A, 10, "protest");
        test::add_observation(*practice, second, Who::B, 20, "withdraw_emotion");
        test::add_observation(*practice, second, Who::A, 100, "protest");
        test::add_observation(*practice, second, Who::B, 110, "vulnerable_share");
        second = test::end_session(*practice, second, 900);
        ui.shell().model().set_practice(std::move(practice));
    }
    ui::AppModel& model() { return ui.shell().model(); }
    void click(const std::string& window, const std::vector<test::Headless::IdPart>& id) {
        test::click_item(ui, window, id);
    }
};

float centre_y(const Shown& s) {
    return (s.min.y + s.max.y) / 2.0f;
}

// One row of the lag table under the title containing `title`, in the window
// whose name contains `window`: the runs of text on the line of the first row
// label `label` below that title (at the table's left edge, under the title), left to right, joined by single spaces
// (the harness reads a gap between glyphs as one space, so cells close together may already be one run). The cells come
// in the columns' order: withdrawal, reactivity, pursuit, low warmth, attachment, repair. A run cut off on screen reads
// "[cut]".
std::string row_text(const test::Headless& ui, const std::string& window, const std::string& title,
                     const std::string& label) {
    const std::vector<Shown> shown = ui.shown_text();
    const auto in_window = [&](const Shown& s) { return s.window.find(window) != std::string::npos; };
    const Shown* heading = nullptr;
    for (const Shown& s : shown)
        if (in_window(s) && s.text.find(title) != std::string::npos) heading = &s;
    if (!heading) return "no table titled " + title;
    const Shown* row = nullptr;
    for (const Shown& s : shown)
        if (in_window(s) && (s.text == label || s.text.rfind(label + " ", 0) == 0) && s.min.y > heading->max.y &&
            std::abs(s.min.x - heading->min.x) < 12.0f &&  // the first column, not a header further right
            (!row || s.min.y < row->min.y))
            row = &s;
    if (!row) return "no row " + label;
    std::vector<const Shown*> line;
    for (const Shown& s : shown)
        if (in_window(s) && std::abs(centre_y(s) - centre_y(*row)) < 4.0f && s.min.x >= row->min.x) line.push_back(&s);
    std::sort(line.begin(), line.end(), [](const Shown* a, const Shown* b) { return a->min.x < b->min.x; });
    std::string text;
    for (const Shown* s : line)
        text += (text.empty() ? "" : " ") + s->text + (s->clipped ? " [cut]" : "");
    return text;
}

}  // namespace

TEST_CASE("the review's Sequences tab shows the session's lag-1 tables with z marked at 1.96", "[ui][sequences]") {
    TwoSessions f;
    f.model().open_review(f.info.id, f.first.id);
    f.ui.run_frames(3);
    const std::string a_to_b = "Ana (A) -> Ben (B) (4 moves by Ana (A))";
    const std::string b_to_a = "Ben (B) -> Ana (A) (4 moves by Ben (B))";
    CHECK_FALSE(f.ui.find_text(a_to_b).has_value());  // the Observations tab comes first
    f.click("/observations_", {"##below", "Sequences (lag 1)"});

    CHECK(test::text_on_screen(f.ui, a_to_b));
    CHECK(test::text_on_screen(f.ui, b_to_a));
    // This session's counts (the pool's are 4/5 z 1.5): pursuit -> withdrawal
    // 3 of 3, z 2, marked; the other columns never followed (z none).
    CHECK(row_text(f.ui, "observations_", a_to_b, "pursuit") ==
          "pursuit 3/3 z 2 * 0/3 z - 0/3 z - 0/3 z - 0/3 z - 0/3 z -");
    CHECK(row_text(f.ui, "observations_", b_to_a, "attachment") ==
          "attachment 0/1 z - 0/1 z - 0/1 z - 0/1 z - 0/1 z - 1/1 z 2 *");
    // What met the attachment signal: B's need_closeness, answered by A's validate.
    CHECK(test::text_on_screen(f.ui, "After an attachment signal (1)"));
    CHECK(test::text_on_screen(f.ui, "repair 1"));

    // The second session: every antecedent of A's is a protest, so z's denominator is 0: no z, no mark.
    f.model().open_review(f.info.id, f.second.id);
    f.ui.run_frames(3);
    f.click("/observations_", {"##below", "Sequences (lag 1)"});
    CHECK(row_text(f.ui, "observations_", "Ana (A) -> Ben (B) (2 moves by Ana (A))", "pursuit") ==
          "pursuit 1/2 z - 0/2 z - 0/2 z - 0/2 z - 0/2 z - 1/2 z -");
    CHECK(test::text_on_screen(f.ui, "No attachment signal coded yet."));
}

TEST_CASE("the trends view shows the lag-1 tables pooled over the case's sessions", "[ui][sequences]") {
    TwoSessions f;
    f.model().open_case(f.info.id);
    f.ui.run_frames(3);
    CHECK(test::text_on_screen(f.ui, "Sequences between the partners, all sessions pooled"));
    // Counts summed over both sessions before z: pursuit -> withdrawal 4 of 5,
    // z 1.549 (below 1.96: not marked); pursuit -> repair a 1, b 4, c 0, d 1:
    // E = 5/6, z = (1/6) / sqrt(5/6 * 1/6 * 5/6) = 0.49.
    CHECK(row_text(f.ui, "charts_", "Ana (A) -> Ben (B) (6 moves by Ana (A))", "pursuit") ==
          "pursuit 4/5 z 1.5 0/5 z - 0/5 z - 0/5 z - 0/5 z - 1/5 z 0.5");
    CHECK(row_text(f.ui, "charts_", "Ben (B) -> Ana (A) (6 moves by Ben (B))", "attachment") ==
          "attachment 0/1 z - 0/1 z - 0/1 z - 0/1 z - 0/1 z - 1/1 z 2.4 *");
}
