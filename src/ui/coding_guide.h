// coding_guide.h: the coding guide window (Help > Coding guide): every code of
// the practice's scheme grouped by category, with its key, description and
// example, and the keyboard shortcuts. The scheme is read when the window
// opens, never per frame.
#pragma once

#include "core/scheme.h"

namespace attune::ui {

class AppModel;

class CodingGuide {
public:
    explicit CodingGuide(AppModel& model) : model_(model) {}
    void open();
    bool is_open() const { return open_; }
    // Draws the window when open (a separate ImGui window over the view).
    void draw();

private:
    void draw_category(const Category& category);
    void draw_hotkeys();

    AppModel& model_;
    CodingScheme scheme_;
    bool open_ = false;
    bool focus_ = false;
};

}  // namespace attune::ui
