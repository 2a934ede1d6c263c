// Nothing cut at the sizes a clinician uses (issue 18 item 14): the caseload
// at 1024 x 700 and, at display scale 2, at 1600 x 1000; the review's header
// and legend at scale 2; the live session's header at 1024 x 700. "Cut" is
// what the harness reads back from the draw data: a glyph outside its clip
// rectangle.
#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <cctype>
#include <regex>
#include <sstream>

#include "headless.h"
#include "services/background_sync.h"
#include "services/cases.h"
#include "services/practice_sync.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"
#include "ui/theme.h"

using namespace attune;

namespace {

// Every run of text containing `needle` on screen, none of them cut; at least one.
void whole_on_screen(const test::Headless& ui, const std::string& needle) {
    INFO(needle);
    int found = 0;
    for (const auto& run : ui.shown_text())
        if (run.text.find(needle) != std::string::npos) {
            ++found;
            INFO(run.window << ": " << run.text);
            CHECK_FALSE(run.clipped);
        }
    if (found == 0) UNSCOPED_INFO("on screen:\n" << test::screen_text(ui));
    CHECK(found > 0);
}

struct DemoWindow {
    test::TempDir dir;
    test::Headless ui;
    std::vector<CaseSummary> cases;
    DemoWindow(ImVec2 size, float scale) : ui(size) {
        test::set_scale(scale);
        auto practice = test::new_practice(dir / "practice.db", "layout passphrase", "Dr Layout");
        test::add_demo(*practice, 6, 3, 20);
        cases = services::list_cases(*practice);
        ui.shell().model().set_practice(std::move(practice));
        ui.settle(30);
    }
    ~DemoWindow() { test::set_scale(1.0f); }
    // The last of Dr Layout's own cases (only its clinician opens its live session).
    RowId own_case() const {
        RowId id = 0;
        for (const CaseSummary& c : cases)
            if (c.info.clinician_name == "Dr Layout" && c.sessions > 0) id = c.info.id;
        return id;
    }
};

}  // namespace

TEST_CASE("the caseload shows every case label and clinician whole at 1024 x 700 and at scale 2",
          "[ui][layout]") {
    for (const auto& [size, scale] : {std::pair{ImVec2(1024, 700), 1.0f}, std::pair{ImVec2(1600, 1000), 2.0f}}) {
        INFO("scale " << scale);
        DemoWindow w(size, scale);
        for (const CaseSummary& c : w.cases) {
            whole_on_screen(w.ui, c.info.label);
            whole_on_screen(w.ui, c.info.clinician_name);
        }
        whole_on_screen(w.ui, "Import bundle...");  // the last of the toolbar
    }
}

TEST_CASE("the review's header and legend are whole at scale 2 on 1600 x 1000", "[ui][layout]") {
    DemoWindow w(ImVec2(1600, 1000), 2.0f);
    REQUIRE(w.ui.shell().show_view("review"));
    w.ui.settle(30);
    whole_on_screen(w.ui, "Code this session as Dr Layout");
    whole_on_screen(w.ui, "Copy session note");
    whole_on_screen(w.ui, "Therapist moves");  // the legend's last chip (the view scrolls below it)
}

TEST_CASE("the review's recording row wraps its buttons at scale 2 on 1024 x 700 instead of cutting the last",
          "[ui][layout]") {
    DemoWindow w(ImVec2(1024, 700), 2.0f);
    w.ui.shell().model().open_case(w.own_case());
    REQUIRE(w.ui.shell().show_view("review"));
    w.ui.settle(30);
    whole_on_screen(w.ui, "No recording of this session.");
    whole_on_screen(w.ui, "Link a recording...");
    whole_on_screen(w.ui, "New session from a recording...");
}

TEST_CASE("offline, the menu bar keeps who is signed in whole: it gives up the roles, then the count of changes "
          "waiting, where the bar is too narrow",
          "[ui][layout][practice-server]") {
    for (const auto& [size, scale] : {std::pair{ImVec2(1600, 1000), 1.0f}, std::pair{ImVec2(1024, 700), 2.0f}}) {
        INFO("scale " << scale);
        DemoWindow w(size, scale);
        ui::AppModel& model = w.ui.shell().model();
        services::set_practice_server_url(model.practice(), "postgresql:///practice?host=/nonexistent");
        model.restart_sync();
        model.practice().background_sync().wait_idle();
        w.ui.settle(30);
        REQUIRE(model.sync_status().waiting.has_value());
        const std::string count = "Server: offline: " + std::to_string(*model.sync_status().waiting) +
                                  " changes waiting";
        if (scale == 1.0f) {
            whole_on_screen(w.ui, count);
            whole_on_screen(w.ui, "Signed in: Dr Layout (clinician, administrator)");
        } else {
            whole_on_screen(w.ui, "Server: offline");
            whole_on_screen(w.ui, "Signed in: Dr Layout");
            CHECK_FALSE(w.ui.find_text(count).has_value());
            CHECK_FALSE(w.ui.find_text("(clinician, administrator)").has_value());
        }
    }
}

TEST_CASE("the live session's header at 1024 x 700: the saving state does not run over the step",
          "[ui][layout]") {
    DemoWindow w(ImVec2(1024, 700), 1.0f);
    // A case of Dr Layout's own (only its clinician opens the live session).
    for (const CaseSummary& c : w.cases)
        if (c.info.clinician_name == "Dr Layout" && c.sessions > 0) {
            w.ui.shell().model().open_case(c.info.id);
            break;
        }
    REQUIRE(w.ui.shell().model().current_case() != 0);
    REQUIRE(w.ui.shell().show_view("session"));
    w.ui.settle(30);
    const auto saved = w.ui.find_text("All saved");
    const auto step = w.ui.find_text("step");
    REQUIRE(saved.has_value());
    REQUIRE(step.has_value());
    const bool overlap = saved->min.x < step->max.x && step->min.x < saved->max.x && saved->min.y < step->max.y &&
                         step->min.y < saved->max.y;
    CHECK_FALSE(overlap);
    whole_on_screen(w.ui, "All saved");
}

namespace {

// The demo window showing a new running session of a case of Dr Layout's own
// (only its clinician opens it), with forty minutes of observations whose
// codes have the scheme's longest labels, one with a quote.
void open_own_live_session(DemoWindow& w) {
    services::OpenPractice& practice = w.ui.shell().model().practice();
    const RowId case_id = w.own_case();
    REQUIRE(case_id != 0);
    const Session s = services::start_session(practice, case_id);
    const std::vector<std::pair<Who, std::string>> logged = {
        {Who::A, "Asks for closeness or reassurance"},
        {Who::B, "Fear of betrayal or distrust"},
        {Who::Therapist, "Therapist reflects emotion"},
        {Who::A, "Responds to the attachment need"},
        {Who::B, "Accepts a repair / turns back toward"},
    };
    double at = 60.0;
    for (const auto& [who, code] : logged) {
        services::LogRequest request;
        request.who = who;
        request.code = code;
        request.at = at;
        if (who == Who::B) request.note = "You never hear me when I tell you how alone I feel in this house";
        services::log_observation(practice, s, request);
        at += 540.0;
    }
    w.ui.shell().model().open_session(case_id, s.id);
    REQUIRE(w.ui.shell().show_view("session"));
    w.ui.settle(30);
    // Opened by a window that did not start it, the session reads as recovered
    // from a crash: the notice is whole, wrapped in a box as tall as it needs.
    whole_on_screen(w.ui, "Nothing saved was lost");
    whole_on_screen(w.ui, "when you are ready");
    test::click_item(w.ui, "##recovery", {"OK"});
    w.ui.settle(10);
    REQUIRE_FALSE(w.ui.find_text("Nothing saved was lost").has_value());
}

// The topmost run containing `needle` is whole (lower ones may be scrolled
// half out of a list, as any list's last row can be).
void topmost_whole(const test::Headless& ui, const std::string& needle, const std::string& window = "") {
    INFO(needle);
    std::optional<test::Headless::ShownText> top;
    for (const auto& run : ui.shown_text())
        if (run.window.find(window) != std::string::npos && run.text.find(needle) != std::string::npos &&
            (!top || run.min.y < top->min.y))
            top = run;
    if (!top) UNSCOPED_INFO("on screen:\n" << test::screen_text(ui));
    REQUIRE(top.has_value());
    INFO(top->window << ": " << top->text);
    CHECK_FALSE(top->clipped);
}

bool is_clock_label(const std::string& text) {
    return text.size() == 5 && std::isdigit(static_cast<unsigned char>(text[0])) &&
           std::isdigit(static_cast<unsigned char>(text[1])) && text[2] == ':' &&
           std::isdigit(static_cast<unsigned char>(text[3])) && std::isdigit(static_cast<unsigned char>(text[4]));
}

}  // namespace

TEST_CASE("the live session at 1024 x 700 and at scale 2 on 1600 x 1000: nothing of the pad or record is cut",
          "[ui][layout]") {
    for (const auto& [size, scale] : {std::pair{ImVec2(1024, 700), 1.0f}, std::pair{ImVec2(1600, 1000), 2.0f}}) {
        INFO("scale " << scale);
        DemoWindow w(size, scale);
        open_own_live_session(w);
        const Case c = *services::get_case(w.ui.shell().model().practice(), w.ui.shell().model().current_case());
        // Each partner button with its name (the chosen one in bold, its marks when they fit).
        whole_on_screen(w.ui, "1 " + c.partner_a.display_name);
        whole_on_screen(w.ui, "4 Therapist");
        // The hint under them wraps instead of running out of the pad.
        whole_on_screen(w.ui, "Esc cancels");
        // The newest observation: its code's label whole, and its Delete in view.
        topmost_whole(w.ui, "Delete");
        topmost_whole(w.ui, "Edit");
        // Its label wraps in a narrow list instead of being cut ("Accepts a
        // repair / turns back tow"): both of its lines are whole.
        topmost_whole(w.ui, "Accepts a repair", "##observations");
        topmost_whole(w.ui, "toward", "##observations");
        if (scale == 1.0f) {
            // At 1024 x 700 the notes are in view under the list (at scale 2
            // the record scrolls to them).
            whole_on_screen(w.ui, "Progress note (DAP)");
            whole_on_screen(w.ui, "History");
        }
        // The timeline's minute labels never run into each other: the harness
        // joins glyphs on one line into a run, spaced where there is a gap, so
        // labels that touched would read as one word ("32:0033:00").
        std::optional<test::Headless::ShownText> axis;
        for (const auto& run : w.ui.shown_text())
            if (run.window.find("##record") != std::string::npos && run.text.find(":00 ") != std::string::npos)
                axis = run;
        REQUIRE(axis.has_value());
        INFO(axis->text);
        std::istringstream words(axis->text);
        int labels = 0;
        for (std::string word; words >> word; ++labels) CHECK(is_clock_label(word));
        CHECK(labels >= 3);
    }
}

TEST_CASE("the case view's session list keeps each session on its own line for a reader who is not its clinician",
          "[ui][layout]") {
    DemoWindow w(ImVec2(1600, 1000), 2.0f);
    // A case of another clinician's: no Open button ends its rows.
    RowId other = 0;
    for (const CaseSummary& c : w.cases)
        if (c.info.clinician_name != "Dr Layout" && c.sessions == 3) other = c.info.id;
    REQUIRE(other != 0);
    w.ui.shell().model().open_case(other);
    w.ui.settle(30);
    // The harness joins what is drawn on one line of a window into one run: a
    // session that followed another on its line would share its run.
    const std::regex session_row("S[0-9]+ [0-9]{4}-[0-9]{2}-[0-9]{2}");
    int rows = 0;
    for (const auto& run : w.ui.shown_text()) {
        if (run.window.find("sessions") == std::string::npos) continue;
        const auto n = std::distance(std::sregex_iterator(run.text.begin(), run.text.end(), session_row),
                                     std::sregex_iterator());
        if (n == 0) continue;
        INFO(run.text);
        CHECK(n == 1);
        CHECK_FALSE(run.clipped);
        ++rows;
    }
    if (rows < 3) UNSCOPED_INFO("on screen:\n" << test::screen_text(w.ui));
    CHECK(rows == 3);  // the case's three sessions, each on its line
    // The on-track line above them wraps (three sessions: "needs at least 5").
    whole_on_screen(w.ui, "on-track check needs at least 5");
    whole_on_screen(w.ui, "reliable deterioration");
}

TEST_CASE("a progress note's sections wrap to their field instead of running out of it as one line", "[ui][layout]") {
    for (const auto& [size, scale] : {std::pair{ImVec2(1024, 700), 1.0f}, std::pair{ImVec2(1920, 1080), 1.5f}}) {
        INFO("scale " << scale);
        DemoWindow w(size, scale);
        // Dr Layout's newest session (signed in the demo): its note has a paragraph in each section.
        const RowId case_id = w.own_case();
        REQUIRE(case_id != 0);
        w.ui.shell().model().open_case(case_id);
        REQUIRE(w.ui.shell().show_view("session"));
        w.ui.settle(30);
        for (const std::string field : {"##data", "##assessment", "##plan"}) {
            INFO(field);
            int lines = 0;
            std::string joined;
            for (const auto& run : w.ui.shown_text())
                if (run.window.find(field) != std::string::npos) {
                    INFO(run.text);
                    CHECK_FALSE(run.clipped);
                    ++lines;
                    joined += run.text + " ";
                }
            // Its own words, readable: a field's wrapped text drawn over another's
            // (an earlier bug) read as a jumble of both.
            INFO(joined);
            if (field == "##data") CHECK(joined.find("arrived on time for session") != std::string::npos);
            if (field == "##data" && lines == 0) UNSCOPED_INFO("on screen:\n" << test::screen_text(w.ui));
            // The field in view (Data always; the others may be scrolled below) shows its paragraph on several lines.
            if (field == "##data") CHECK(lines >= 2);
        }
    }
}

TEST_CASE("at 1024 x 700 the whole pad is in view, down to the therapist's last move, before and after a press",
          "[ui][layout]") {
    DemoWindow w(ImVec2(1024, 700), 1.0f);
    open_own_live_session(w);
    const auto last_move = [&] {
        const auto run = w.ui.find_text("Sets up an enactment");
        if (!run) UNSCOPED_INFO("on screen:\n" << test::screen_text(w.ui));
        REQUIRE(run.has_value());
        INFO(run->window << ": " << run->text);
        CHECK_FALSE(run->clipped);
        return run->min.y;
    };
    const float before = last_move();
    // A press (partner 1, Withdraws from emotion) shows its line above the pad:
    // the pad stays where it was, its last line still whole.
    w.ui.press_key('1');
    w.ui.press_key(ui::keys::letter('w'));
    w.ui.settle(10);
    REQUIRE(w.ui.find_text("Last:").has_value());
    CHECK(last_move() == before);
}
