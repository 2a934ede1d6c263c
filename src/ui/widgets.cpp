#include "ui/widgets.h"

#include <imgui_internal.h>

#include <algorithm>

#include "ui/dialog.h"
#include "ui/keys.h"
#include "ui/theme.h"

namespace attune::ui {
namespace {

// The frame whose Enter a button or field has used, and its ImGui context: a
// frame number alone would match the same number of a later context (the
// headless tests make one per test), so a context's end forgets it too.
int g_enter_handled_frame = -1;
const ImGuiContext* g_enter_handled_context = nullptr;

void forget_enter(ImGuiContext* context, ImGuiContextHook*) {
    if (g_enter_handled_context != context) return;
    g_enter_handled_frame = -1;
    g_enter_handled_context = nullptr;
}

int resize_callback(ImGuiInputTextCallbackData* data) {
    if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        auto* text = static_cast<std::string*>(data->UserData);
        text->resize(static_cast<size_t>(data->BufTextLen));
        data->Buf = text->data();
    }
    return 0;
}

}  // namespace

bool input_text(const char* label, std::string& text, ImGuiInputTextFlags flags) {
    return ImGui::InputText(label, text.data(), text.capacity() + 1, flags | ImGuiInputTextFlags_CallbackResize,
                            resize_callback, &text);
}

bool input_text_multiline(const char* label, std::string& text, ImVec2 size, ImGuiInputTextFlags flags) {
    // ImGui 1.86 puts a field back to its text of when it was entered on Escape.
    // A note saves as it is typed, so that would save minutes of writing away:
    // here Escape only leaves the field (the keys go back to the view), text kept.
    const ImGuiID id = ImGui::GetID(label);
    if (ImGui::GetActiveID() == id && keys::pressed(keys::kEscape)) ImGui::ClearActiveID();
    // ImGui 1.86 cannot wrap a multi-line field: a paragraph is one long line,
    // most of it out of sight (issue 18 item 14). So the field is as tall as
    // its text wrapped to its width (at least `size`), and while it is not
    // being edited its own text is drawn invisibly and the text wrapped over it.
    const ImGuiStyle& style = ImGui::GetStyle();
    const ImVec2 frame = ImGui::CalcItemSize(size, ImGui::CalcItemWidth(),
                                             ImGui::GetTextLineHeight() * 8.0f + style.FramePadding.y * 2.0f);
    const float wrap_width = std::max(frame.x - style.FramePadding.x * 2.0f - style.ScrollbarSize, 1.0f);
    const float wrapped_height =
        text.empty() ? 0.0f
                     : ImGui::CalcTextSize(text.c_str(), text.c_str() + text.size(), false, wrap_width).y +
                           style.FramePadding.y * 2.0f;
    const ImVec2 grown(frame.x, std::max(frame.y, wrapped_height));
    const bool overlay = ImGui::GetActiveID() != id && !text.empty();
    bool changed = false;
    {
        ScopedColor hidden(ImGuiCol_Text, overlay ? ImVec4(0, 0, 0, 0) : style.Colors[ImGuiCol_Text]);
        changed = ImGui::InputTextMultiline(label, text.data(), text.capacity() + 1, grown,
                                            flags | ImGuiInputTextFlags_CallbackResize, resize_callback, &text);
    }
    if (overlay) {
        // Drawn into the field's own window (the last child of this one), over its
        // background; a field scrolled out of view has none this frame.
        ImGuiWindow* parent = ImGui::GetCurrentWindow();
        if (!parent->DC.ChildWindows.empty() && parent->DC.ChildWindows.back()->ChildId == id) {
            ImGuiWindow* field = parent->DC.ChildWindows.back();
            const ImVec4 clip(field->InnerClipRect.Min.x, field->InnerClipRect.Min.y, field->InnerClipRect.Max.x,
                              field->InnerClipRect.Max.y);
            field->DrawList->AddText(ImGui::GetFont(), ImGui::GetFontSize(),
                                     ImVec2(field->Pos.x + style.FramePadding.x, field->Pos.y + style.FramePadding.y),
                                     ImGui::GetColorU32(ImGuiCol_Text),
                                     text.c_str(), text.c_str() + text.size(), wrap_width, &clip);
        }
    }
    // Entered with Tab, ImGui puts the cursor before the first character: one
    // goes on writing a note at its end (a click still puts it where clicked).
    if (ImGui::IsItemActivated() && !ImGui::IsMouseClicked(ImGuiMouseButton_Left))
        if (ImGuiInputTextState* state = ImGui::GetInputTextState(id)) {
            state->SelectAll();
            state->ClearSelection();
            state->CursorFollow = true;
        }
    return changed;
}

float chip_width(const char* text) {
    return ImGui::CalcTextSize(text).x + ImGui::GetFontSize() * 0.8f;  // chip()'s padding on both sides
}

void chip(const char* text, Rgba color) {
    const ImVec2 size = ImGui::CalcTextSize(text);
    const ImVec2 pad(ImGui::GetFontSize() * 0.4f, ImGui::GetFontSize() * 0.1f);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(pos, ImVec2(pos.x + size.x + 2 * pad.x, pos.y + size.y + 2 * pad.y), to_imgui(color),
                        ImGui::GetFontSize() * 0.3f);
    const float luminance = 0.299f * color.r + 0.587f * color.g + 0.114f * color.b;
    draw->AddText(ImVec2(pos.x + pad.x, pos.y + pad.y), luminance > 0.55f ? IM_COL32(0, 0, 0, 255) : IM_COL32_WHITE,
                  text);
    ImGui::Dummy(ImVec2(size.x + 2 * pad.x, size.y + 2 * pad.y));
}

void text_disabled_wrapped(const std::string& text) {
    ScopedColor grey(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", text.c_str());
}

void help_marker(const char* text) {
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        {
            ScopedWrap wrap(ImGui::GetFontSize() * 30.0f);
            ImGui::TextUnformatted(text);
        }
        ImGui::EndTooltip();
    }
}

void heading(const char* text) {
    {
        ScopedFont font(fonts().bold);
        ImGui::TextUnformatted(text);
    }
}

bool begin_tool_window(const char* title, bool* open, float width_em, float max_width_fraction, bool& focus) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float em = ImGui::GetFontSize();
    ImGui::SetNextWindowSize(
        ImVec2(std::min(viewport->WorkSize.x * max_width_fraction, em * width_em), viewport->WorkSize.y * 0.85f),
        ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(
        ImVec2(viewport->WorkPos.x + viewport->WorkSize.x * 0.5f, viewport->WorkPos.y + viewport->WorkSize.y * 0.5f),
        ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (focus) {
        ImGui::SetNextWindowFocus();
        focus = false;
    }
    return ImGui::Begin(title, open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings);
}

// [SECTION] Dialog keys

namespace {

bool enter_pressed() {
    return keys::pressed(keys::kEnter) || keys::pressed(keys::kKeypadEnter);
}

// A popup above the current one (a combo's list) is open: its keys are its own.
bool popup_above() {
    return ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
}

}  // namespace

void take_keyboard_from_parent() {
    const ImGuiContext& g = *GImGui;
    const ImGuiWindow* child = g.CurrentWindow;
    if (child->ParentWindow && g.NavWindow == child->ParentWindow && g.NavLayer == ImGuiNavLayer_Main &&
        !ImGui::IsAnyItemActive())
        ImGui::SetWindowFocus();
}

void focus_here_on_appearing() {
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
}

bool dialog_button(const char* label, ImVec2 size) {
    const bool clicked = ImGui::Button(label, size);
    // Only while the cursor shows: after a mouse click ImGui keeps the button as
    // its nav item without drawing it, and Enter should not press it unseen.
    const bool under_cursor = ImGui::IsItemFocused() && !GImGui->NavDisableHighlight;
    if (!clicked && under_cursor && enter_pressed() && !popup_above()) {
        enter_handled();
        return true;
    }
    return clicked;
}

void enter_handled() {
    ImGuiContext* context = ImGui::GetCurrentContext();
    if (g_enter_handled_context != context) {
        ImGuiContextHook hook;
        hook.Type = ImGuiContextHookType_Shutdown;
        hook.Callback = forget_enter;
        ImGui::AddContextHook(context, &hook);
    }
    g_enter_handled_frame = ImGui::GetFrameCount();
    g_enter_handled_context = context;
}

bool enter_confirms() {
    return enter_pressed() && !ImGui::IsAnyItemActive() && !popup_above() &&
           (g_enter_handled_frame != ImGui::GetFrameCount() || g_enter_handled_context != ImGui::GetCurrentContext());
}

bool escape_cancels() {
    return keys::pressed(keys::kEscape) && !popup_above();
}

void keyboard_to_last_item() {
    ImGuiContext& g = *GImGui;
    ImGui::SetFocusID(g.LastItemData.ID, g.CurrentWindow);
    g.NavDisableHighlight = false;  // as if reached with the keyboard: Enter presses it (dialog_button)
    g.NavDisableMouseHover = true;
}

void same_line_if_fits(float next_width) {
    // The right edge of where items go now: the window's, or a table column's.
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + next_width <= right) ImGui::SameLine();
}

float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2.0f;
}

}  // namespace attune::ui
