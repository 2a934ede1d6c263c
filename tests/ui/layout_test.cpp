// Nothing cut at the sizes a clinician uses (issue 18 item 14): the caseload
// at 1024 x 700 and, at display scale 2, at 1600 x 1000; the review's header
// and legend at scale 2; the live session's header at 1024 x 700. "Cut" is
// what the harness reads back from the draw data: a glyph outside its clip
// rectangle.
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/cases.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/theme.h"

using namespace attune;

namespace {

// The window drawn at display scale `scale` (fonts and sizes, as `attune --scale`).
void set_scale(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ui::load_fonts(16.0f, scale);
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    ui::apply_theme(ui::ThemeKind::Light, scale);
}

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
        set_scale(scale);
        auto practice = test::new_practice(dir / "practice.db", "layout passphrase", "Dr Layout");
        test::add_demo(*practice, 6, 3, 20);
        cases = services::list_cases(*practice);
        ui.shell().model().set_practice(std::move(practice));
        ui.settle(30);
    }
    ~DemoWindow() { set_scale(1.0f); }
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
