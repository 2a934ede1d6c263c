// dialog.h: the habits every dialog and every Push/Pop shares (ImHex's
// window base and scope guards):
//   - Modal: a modal popup whose draw() is the same for every dialog (open
//     when asked, BeginPopupModal, the subclass's content, Escape cancels,
//     EndPopup); subclasses write only draw_content().
//   - Scoped*: every ImGui Push has its Pop in a guard's destructor, so an
//     early return never leaves the style stack unbalanced.
#pragma once

#include <imgui.h>

#include <functional>
#include <string>

#include "core/palette.h"

namespace attune::ui {

// [SECTION] Modal dialogs

class Modal {
public:
    // `title` is the popup's name (tests and ImGui's ID stack know it by it).
    explicit Modal(std::string title, ImGuiWindowFlags flags = ImGuiWindowFlags_AlwaysAutoResize,
                   bool close_button = false);
    virtual ~Modal() = default;
    Modal(const Modal&) = delete;
    Modal& operator=(const Modal&) = delete;

    // Opens the dialog on the next draw().
    void open() { open_requested_ = true; }
    bool is_open() const { return open_requested_ || visible_; }
    const std::string& title() const { return title_; }
    // What the title bar says, when it is not the title (set before open()):
    // the popup keeps its name, by which tests and the ID stack know it.
    void show_title(std::string shown) { shown_title_ = std::move(shown); }

    // Every frame, from the same place of the ID stack (ImGui popups are
    // identified by where they open). The same for every dialog: subclasses
    // draw their content only.
    void draw();

protected:
    // Once, before the popup opens: load what the dialog edits, size the window.
    virtual void on_open() {}
    virtual void draw_content() = 0;
    // Escape was pressed, or a Close/Cancel button called close(): drop the edit.
    virtual void on_close() {}
    // Closes the dialog from inside draw_content().
    void close();
    // Kept in the middle of the window while its content grows (an auto-resized
    // dialog otherwise grows down from where it first appeared, off the screen).
    bool keep_centred_ = false;

private:
    std::string title_;
    std::string shown_title_;
    ImGuiWindowFlags flags_;
    bool close_button_;
    bool open_requested_ = false;
    bool visible_ = false;
    bool closing_ = false;
};

// A tool window over the view (coding guide, audit trail): not modal, centred
// and sized when it appears, focused when opened; Escape closes it while it has
// the keyboard (and no combo's list is open in it).
class ToolWindow {
public:
    ToolWindow(std::string title, float width_em, float max_width_fraction);
    virtual ~ToolWindow() = default;
    ToolWindow(const ToolWindow&) = delete;
    ToolWindow& operator=(const ToolWindow&) = delete;

    // Loads what the window shows (on_open) and shows it on the next draw().
    void open();
    bool is_open() const { return open_; }
    void close() { open_ = false; }
    // Every frame; the same for every tool window.
    void draw();

protected:
    virtual void on_open() {}
    // False closes the window before it is drawn (e.g. the practice locked).
    virtual bool can_show() { return true; }
    virtual void draw_content() = 0;

private:
    std::string title_;
    float width_em_;
    float max_width_fraction_;
    bool open_ = false;
    bool focus_ = false;
};

// A dialog drawn from a view's own state: its content is a function of the
// view (the New case form, the End session ratings, editing an observation).
class ViewModal final : public Modal {
public:
    ViewModal(std::string title, std::function<void(ViewModal&)> content, std::function<void()> on_open = {})
        : Modal(std::move(title)), content_(std::move(content)), on_open_(std::move(on_open)) {}
    // From inside the content: the dialog closes after this frame.
    void finish() { close(); }

private:
    void on_open() override {
        if (on_open_) on_open_();
    }
    void draw_content() override { content_(*this); }
    std::function<void(ViewModal&)> content_;
    std::function<void()> on_open_;
};

// [SECTION] Scope guards for ImGui's style stacks

class ScopedColor {
public:
    ScopedColor(ImGuiCol slot, ImVec4 color) { ImGui::PushStyleColor(slot, color); }
    ~ScopedColor() { ImGui::PopStyleColor(); }
    ScopedColor(const ScopedColor&) = delete;
    ScopedColor& operator=(const ScopedColor&) = delete;
};

class ScopedFont {
public:
    explicit ScopedFont(ImFont* font) { ImGui::PushFont(font); }
    ~ScopedFont() { ImGui::PopFont(); }
    ScopedFont(const ScopedFont&) = delete;
    ScopedFont& operator=(const ScopedFont&) = delete;
};

class ScopedStyle {
public:
    ScopedStyle(ImGuiStyleVar var, float value) { ImGui::PushStyleVar(var, value); }
    ScopedStyle(ImGuiStyleVar var, ImVec2 value) { ImGui::PushStyleVar(var, value); }
    ~ScopedStyle() { ImGui::PopStyleVar(); }
    ScopedStyle(const ScopedStyle&) = delete;
    ScopedStyle& operator=(const ScopedStyle&) = delete;
};

class ScopedId {
public:
    explicit ScopedId(const char* id) { ImGui::PushID(id); }
    explicit ScopedId(int id) { ImGui::PushID(id); }
    ~ScopedId() { ImGui::PopID(); }
    ScopedId(const ScopedId&) = delete;
    ScopedId& operator=(const ScopedId&) = delete;
};

// Text wraps at `local_x` (0: the window's right edge).
class ScopedWrap {
public:
    explicit ScopedWrap(float local_x = 0.0f) { ImGui::PushTextWrapPos(local_x); }
    ~ScopedWrap() { ImGui::PopTextWrapPos(); }
    ScopedWrap(const ScopedWrap&) = delete;
    ScopedWrap& operator=(const ScopedWrap&) = delete;
};

class ScopedItemWidth {
public:
    explicit ScopedItemWidth(float width) { ImGui::PushItemWidth(width); }
    ~ScopedItemWidth() { ImGui::PopItemWidth(); }
    ScopedItemWidth(const ScopedItemWidth&) = delete;
    ScopedItemWidth& operator=(const ScopedItemWidth&) = delete;
};

// A draw list's clip rectangle (charts keep labels and lines inside their plot).
class ScopedClipRect {
public:
    ScopedClipRect(ImDrawList& draw, ImVec2 min, ImVec2 max) : draw_(draw) { draw_.PushClipRect(min, max, true); }
    ~ScopedClipRect() { draw_.PopClipRect(); }
    ScopedClipRect(const ScopedClipRect&) = delete;
    ScopedClipRect& operator=(const ScopedClipRect&) = delete;

private:
    ImDrawList& draw_;
};

// Items are disabled while `disabled` (nothing happens when false).
class ScopedDisabled {
public:
    explicit ScopedDisabled(bool disabled) : disabled_(disabled) {
        if (disabled_) ImGui::BeginDisabled();
    }
    ~ScopedDisabled() {
        if (disabled_) ImGui::EndDisabled();
    }
    ScopedDisabled(const ScopedDisabled&) = delete;
    ScopedDisabled& operator=(const ScopedDisabled&) = delete;

private:
    bool disabled_;
};

}  // namespace attune::ui
