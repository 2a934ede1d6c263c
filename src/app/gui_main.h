// gui_main.h: the window (GLFW + OpenGL 3 + Dear ImGui) and its main loop.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "services/open_practice.h"
#include "services/settings.h"

namespace attune::app {

struct GuiOptions {
    std::unique_ptr<services::OpenPractice> practice;  // already open (screenshots); else the unlock screen
    std::string view;                                  // view to show first ("caseload", "session", ...)
    std::string screenshot_path;                       // when set: render, write a PNG, exit
    int width = 1280;
    int height = 800;
    float scale = 0;         // 0: the monitor's content scale
    std::string case_label;  // for views of one case
    std::optional<int> session_number;
    std::optional<services::Theme> theme;  // overrides the settings' theme (screenshots)
    bool export_dialog = false;            // opens the view's export dialog (screenshots)
    bool measure_dialog = false;           // opens the case view's Enter measures dialog (screenshots)
    bool checkin = false;                  // partner A's hand-over check-in of the case (screenshots)
    std::optional<double> review_at;       // the review's recording at this session second (screenshots)
    std::string review_tab;                // the review's tab below the timeline (screenshots); empty = the first
    std::string unlock_path;               // the practice file the unlock screen offers (--db); empty: the default
};

int run_gui(GuiOptions options);

// `attune screenshot --db F --view NAME --out F.png`
void register_gui_commands();

}  // namespace attune::app
