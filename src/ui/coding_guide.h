// coding_guide.h: the coding guide window (Help > Coding guide): every code of
// the practice's scheme grouped by category, with its key, description and
// example, and the keyboard shortcuts. The scheme is read when the window
// opens, never per frame.
#pragma once

#include "core/scheme.h"
#include "ui/dialog.h"

namespace attune::ui {

class AppModel;

class CodingGuide final : public ToolWindow {
public:
    explicit CodingGuide(AppModel& model) : ToolWindow("Coding guide", 60, 0.9f), model_(model) {}

private:
    void on_open() override;
    void draw_content() override;
    void draw_category(const Category& category);
    void draw_hotkeys();

    AppModel& model_;
    CodingScheme scheme_;
};

}  // namespace attune::ui
