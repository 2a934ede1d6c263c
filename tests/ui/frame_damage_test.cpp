// ui::FrameDamage: which part of the screen differs between two frames' draw
// data. Frames are drawn through the headless harness (no renderer); the
// expected rectangles come from the items' own rectangles.
#include "headless.h"

#include "ui/frame_damage.h"

#include <catch2/catch_test_macros.hpp>

#include <string>

using namespace attune;
using ui::ScreenRect;

namespace {

const ImVec2 kDisplay(640.0f, 400.0f);

struct Drawn {
    ImVec2 clock_min, clock_max;  // the clock's text
};

// One window filling the display: a clock line, a line that never changes and,
// when asked, one more button.
Drawn draw_frame(test::Headless& ui, const std::string& clock, bool extra_button = false) {
    Drawn drawn;
    ui.run_frame_with([&] {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(kDisplay);
        ImGui::Begin("frame", nullptr, ImGuiWindowFlags_NoDecoration);
        ImGui::TextUnformatted(("Clock " + clock).c_str());
        drawn.clock_min = ImGui::GetItemRectMin();
        drawn.clock_max = ImGui::GetItemRectMax();
        ImGui::TextUnformatted("A line that stays the same");
        if (extra_button) ImGui::Button("Added");
        ImGui::End();
    });
    return drawn;
}

bool inside(const ScreenRect& inner, const ScreenRect& outer) {
    return inner.min.x >= outer.min.x && inner.min.y >= outer.min.y && inner.max.x <= outer.max.x &&
           inner.max.y <= outer.max.y;
}

}  // namespace

TEST_CASE("the first frame is damaged whole; the same frame again not at all", "[ui][damage]") {
    test::Headless ui(kDisplay);
    ui::FrameDamage damage;
    draw_frame(ui, "00:01");
    CHECK(damage.compare(*ImGui::GetDrawData()) == ScreenRect{ImVec2(0, 0), kDisplay});
    draw_frame(ui, "00:01");
    CHECK(damage.compare(*ImGui::GetDrawData()).empty());
    damage.forget();
    draw_frame(ui, "00:01");
    CHECK(damage.compare(*ImGui::GetDrawData()) == ScreenRect{ImVec2(0, 0), kDisplay});
}

TEST_CASE("a clock going from 00:01 to 00:02 damages its last digit only", "[ui][damage]") {
    test::Headless ui(kDisplay);
    ui::FrameDamage damage;
    draw_frame(ui, "00:01");
    damage.compare(*ImGui::GetDrawData());
    const Drawn drawn = draw_frame(ui, "00:02");
    const ScreenRect area = damage.compare(*ImGui::GetDrawData());
    REQUIRE_FALSE(area.empty());
    // The last glyph starts after "Clock 00:0"; a pixel of margin is added on each side.
    const float last_digit_x = drawn.clock_min.x + ImGui::CalcTextSize("Clock 00:0").x;
    CHECK(area.min.x >= last_digit_x - 2.0f);
    CHECK(area.max.x <= drawn.clock_max.x + 2.0f);
    CHECK(area.min.y >= drawn.clock_min.y - 2.0f);
    CHECK(area.max.y <= drawn.clock_max.y + 2.0f);
    // Both digits' glyphs are inside.
    CHECK(area.max.x > last_digit_x + 1.0f);
}

TEST_CASE("an item that appears damages the window it is drawn in", "[ui][damage]") {
    test::Headless ui(kDisplay);
    ui::FrameDamage damage;
    draw_frame(ui, "00:01");
    damage.compare(*ImGui::GetDrawData());
    const Drawn drawn = draw_frame(ui, "00:01", true);
    const ScreenRect area = damage.compare(*ImGui::GetDrawData());
    // The window's clip rectangle: it covers the unchanged lines too.
    CHECK(inside(ScreenRect{drawn.clock_min, drawn.clock_max}, area));
    CHECK(area.max.y >= drawn.clock_max.y + 2 * ImGui::GetTextLineHeightWithSpacing());
    CHECK(inside(area, ScreenRect{ImVec2(0, 0), kDisplay}));
}

TEST_CASE("a new display size damages the whole display", "[ui][damage]") {
    test::Headless ui(kDisplay);
    ui::FrameDamage damage;
    draw_frame(ui, "00:01");
    damage.compare(*ImGui::GetDrawData());
    ImGui::GetIO().DisplaySize = ImVec2(500, 300);
    draw_frame(ui, "00:01");
    CHECK(damage.compare(*ImGui::GetDrawData()) == ScreenRect{ImVec2(0, 0), ImVec2(500, 300)});
}

TEST_CASE("clip_to narrows every command to the area; a command outside it is left empty", "[ui][damage]") {
    test::Headless ui(kDisplay);
    draw_frame(ui, "00:01");
    ImDrawData& data = *ImGui::GetDrawData();
    const ScreenRect area{ImVec2(10, 20), ImVec2(100, 60)};
    ui::FrameDamage::clip_to(data, area);
    int commands = 0;
    for (int i = 0; i < data.CmdListsCount; ++i)
        for (const ImDrawCmd& cmd : data.CmdLists[i]->CmdBuffer) {
            ++commands;
            CHECK(cmd.ClipRect.x >= 10.0f);
            CHECK(cmd.ClipRect.y >= 20.0f);
            CHECK(cmd.ClipRect.z <= 100.0f);
            CHECK(cmd.ClipRect.w <= 60.0f);
            CHECK(cmd.ClipRect.z >= cmd.ClipRect.x);
            CHECK(cmd.ClipRect.w >= cmd.ClipRect.y);
        }
    CHECK(commands > 0);

    ui::FrameDamage::clip_to(data, ScreenRect{ImVec2(1000, 1000), ImVec2(1100, 1100)});
    for (int i = 0; i < data.CmdListsCount; ++i)
        for (const ImDrawCmd& cmd : data.CmdLists[i]->CmdBuffer)
            CHECK((cmd.ClipRect.z <= cmd.ClipRect.x || cmd.ClipRect.w <= cmd.ClipRect.y));
}

TEST_CASE("an area marked for redrawing is damaged once though the draw data did not change", "[ui][damage]") {
    test::Headless ui(kDisplay);
    ui::FrameDamage damage;
    draw_frame(ui, "00:01");
    damage.compare(*ImGui::GetDrawData());
    // A video picture drawn anew at (100,50)-(260,170), then at (120,60)-(300,200).
    damage.also_redraw(ScreenRect{ImVec2(100, 50), ImVec2(260, 170)});
    damage.also_redraw(ScreenRect{ImVec2(120, 60), ImVec2(300, 200)});
    draw_frame(ui, "00:01");
    const ScreenRect area = damage.compare(*ImGui::GetDrawData());
    CHECK(inside(ScreenRect{ImVec2(100, 50), ImVec2(300, 200)}, area));
    CHECK(inside(area, ScreenRect{ImVec2(98, 48), ImVec2(302, 202)}));  // a pixel's margin at most
    draw_frame(ui, "00:01");
    CHECK(damage.compare(*ImGui::GetDrawData()).empty());  // once only
}
