// headless_harness.h: drives the real UI (a ui::Shell) through ImGui frames with no
// window and no renderer, for the UI tests and `attune bench` alike. The one
// place that knows how input reaches ImGui 1.86 (io.KeysDown by GLFW key
// code, io.MousePos/MouseDown, the character queue): an ImGui upgrade to the
// event API touches this file only.
#pragma once

#include <imgui.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ui/shell.h"

namespace attune::ui {

class Headless {
public:
    explicit Headless(ImVec2 display_size = ImVec2(1280.0f, 800.0f));
    ~Headless();
    Headless(const Headless&) = delete;
    Headless& operator=(const Headless&) = delete;

    Shell& shell() { return shell_; }

    // Runs `count` frames of the shell (NewFrame, shell.frame(), Render).
    void run_frames(int count = 1);
    // Runs frames until the shell neither waits for a worker thread (the
    // caseload's rows) nor asks for a frame at once, for at most
    // `max_seconds`; returns the number of frames run.
    int settle(double max_seconds = 120);
    // Runs one frame drawing `draw` instead of the shell (the bench's ImGui demo floor).
    void run_frame_with(const std::function<void()>& draw);
    // The key down for one frame, up the next (GLFW key codes, see ui/keys.h).
    void press_key(int glfw_key, bool ctrl = false, bool shift = false, bool alt = false);
    // The two halves of press_key, without running frames: the key (and, for a
    // printable key, its character) goes down, then up with the modifiers.
    void key_down(int glfw_key, bool ctrl = false, bool shift = false, bool alt = false);
    void key_up(int glfw_key);
    // Types UTF-8 text into whatever has keyboard focus (one frame).
    void type_text(const char* text);
    // Mouse button 0 down at `pos` for a frame, then up.
    void click(ImVec2 pos);
    void move_mouse(ImVec2 pos);
    // One step of an item's ID: a label or PushID string, or a PushID number
    // (a table's rows). A table's own name is a step too: its cells' IDs start from it.
    struct IdPart {
        // Not explicit: a path is written {"##observations", 0, "Edit"}.
        IdPart(const char* label) : text(label) {}
        IdPart(std::string label) : text(std::move(label)) {}
        IdPart(int value) : number(value) {}
        std::string text;
        std::optional<int> number;
    };
    // Centre of the item whose ID is `id_path` (in order) inside the window whose
    // name contains `window_name`, found by hovering the window: empty when it is
    // not on screen.
    std::optional<ImVec2> find_item(const std::string& window_name, const std::vector<IdPart>& id_path);
    // A popup or modal whose name contains `name` is open (as of the last frame).
    bool popup_open(const std::string& name) const;
    // A window whose name contains `name` was drawn in the last frame.
    bool window_shown(const std::string& name) const;
    // The window that has the keyboard (ImGui's nav window) is named `name`, or
    // is a child of one whose name contains it.
    bool keyboard_in(const std::string& name) const;

    // Text drawn in the last frame, read back from its draw data (every
    // glyph's quad looked up in the font atlas): what a person reads on
    // screen, whatever call drew it. One run per stretch of glyphs on one line;
    // a gap between glyphs reads as one space (spaces draw nothing).
    struct ShownText {
        std::string window;  // the window whose draw list holds it
        std::string text;
        ImU32 color = 0;       // of its first glyph
        bool clipped = false;  // a glyph lies (partly) outside its clip rectangle: cut off on screen
        ImVec2 min, max;       // screen rectangle of its glyphs
    };
    std::vector<ShownText> shown_text() const;
    // The first run containing `needle`, drawn in the last frame.
    std::optional<ShownText> find_text(const std::string& needle) const;

private:
    ImGuiContext* context_;
    Shell shell_;
};

}  // namespace attune::ui
