// headless.h: the UI tests' headless fixture. The harness itself lives in
// src/ui/headless_harness.h, shared with attune-bench, so that the frames the
// bench times are driven exactly as the tests drive them.
#pragma once

#include <catch2/catch_message.hpp>
#include <string>

#include "ui/headless_harness.h"

namespace attune::test {

using Headless = ::attune::ui::Headless;

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

}  // namespace attune::test
