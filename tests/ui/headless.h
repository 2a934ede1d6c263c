// headless.h: the UI tests' headless fixture. The harness itself lives in
// src/ui/headless_harness.h, shared with attune-bench, so that the frames the
// bench times are driven exactly as the tests drive them.
#pragma once

#include <catch2/catch_message.hpp>
#include <catch2/catch_test_macros.hpp>
#include <string>
#include <vector>

#include "ui/headless_harness.h"
#include "ui/theme.h"

namespace attune::test {

using Headless = ::attune::ui::Headless;

// The window drawn at display scale `scale` (fonts and sizes, as `attune --scale`).
// The fonts outlive a test: one that changes the scale sets 1 again at its end.
inline void set_scale(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ui::load_fonts(16.0f, scale);
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    ui::apply_theme(ui::ThemeKind::Light, scale);
}

// Every run of text on screen in the last frame, one a line, cut ones marked:
// for a failed check's message.
inline std::string screen_text(const Headless& ui) {
    std::string all;
    for (const auto& run : ui.shown_text())
        all += run.window + ": " + run.text + (run.clipped ? "  [cut]\n" : "\n");
    return all;
}

// A run containing `text` is on screen; when not, what is goes to the next check's message.
inline bool text_on_screen(const Headless& ui, const std::string& text) {
    const bool found = ui.find_text(text).has_value();
    if (!found) UNSCOPED_INFO("on screen:\n" << screen_text(ui));
    return found;
}

// Clicks the item `id` of the window whose name contains `window`, then runs
// `frames` frames; the test stops there when the item is not on screen.
inline void click_item(Headless& ui, const std::string& window, const std::vector<Headless::IdPart>& id,
                       int frames = 2) {
    const auto at = ui.find_item(window, id);
    INFO("clicking " << (id.back().number ? std::to_string(*id.back().number) : id.back().text) << " in " << window);
    REQUIRE(at.has_value());
    ui.click(*at);
    ui.run_frames(frames);
}

}  // namespace attune::test
