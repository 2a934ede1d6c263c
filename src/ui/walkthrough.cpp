#include "ui/walkthrough.h"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <utility>

#include "ui/dialog.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

const std::array<Walkthrough::Step, 6> kSteps{{
    {"Welcome to Attune",
     "Attune helps you code what happens between partners while it happens, and see across sessions whether "
     "the couple moves from disconnection toward attunement and repair. Everything stays on this computer, "
     "encrypted with your passphrase. This tour takes a minute; you can skip it at any step and find it again "
     "under Help > Getting started.",
     ""},
    {"The caseload",
     "Every couple in one table: their clinician, status, last session, EFT stage, and small charts of repair "
     "and rupture rates. Flags say which couples are stuck and why (not on track, the pursue-withdraw cycle not "
     "easing, no repair lately, a session not ended or a note not signed). Click a row to open the couple.",
     "caseload"},
    {"One couple across sessions",
     "The trends of one couple: ruptures and repairs, time to repair, attachment signals answered, the "
     "pursue-withdraw cycle, your ratings and the EFT stage, session by session. Start the next session from "
     "here.",
     "case"},
    {"Coding live, eyes on the couple",
     "Choose who with 1 (partner A), 2 (partner B), 3 (both) or 4 (you, the therapist): the choice stays until "
     "you change it. Then one letter logs a code; each button shows its key. A state such as \"Shuts down\" "
     "starts on one press and stops on the next. Ctrl+Z undoes, F5 pauses the clock. Every observation is "
     "saved before it appears; nothing is lost if the computer stops.",
     "session"},
    {"After the session",
     "The review shows the session's timeline, the observations and your note. You sign the note (then it is "
     "locked and only dated addenda follow); a supervisor pins comments to moments and co-signs. Export the "
     "note or a case summary from here.",
     "review"},
    {"Help is one key away",
     "F1 explains the view you are in. Help > Coding guide lists every code with its meaning and an example; "
     "hovering a code button shows the same. Practice > Settings changes hotkeys, theme, font size, backups "
     "and the metric windows.",
     ""},
}};

}  // namespace

const Walkthrough::Step* Walkthrough::steps() {
    return kSteps.data();
}
std::size_t Walkthrough::step_count() {
    return kSteps.size();
}

void Walkthrough::open() {
    open_ = true;
    focus_ = true;
    pending_ = false;
    step_ = 0;
    show_me_error_.clear();
}

void Walkthrough::next() {
    if (step_ + 1 < kSteps.size())
        ++step_;
    else
        finish();
    show_me_error_.clear();
}

void Walkthrough::back() {
    if (step_ > 0) --step_;
    show_me_error_.clear();
}

void Walkthrough::finish() {
    if (!open_) return;
    open_ = false;
    finished_ = true;
}

bool Walkthrough::take_finished() {
    return std::exchange(finished_, false);
}

void Walkthrough::draw(bool practice_open) {
    if (pending_ && practice_open) open();
    if (!open_ || !practice_open) return;  // kept for after unlocking
    const Step& step = kSteps[step_];
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float em = ImGui::GetFontSize();
    // Bottom right, out of the way of the view it explains.
    ImGui::SetNextWindowPos(
        ImVec2(viewport->WorkPos.x + viewport->WorkSize.x - em, viewport->WorkPos.y + viewport->WorkSize.y - 3 * em),
        ImGuiCond_Always, ImVec2(1.0f, 1.0f));
    // One size for every step, tall enough for the longest text: the window
    // does not change shape from step to step, so the buttons stay put.
    const ImGuiStyle& window_style = ImGui::GetStyle();
    const float width = std::min(em * 30, viewport->WorkSize.x - 2 * em);
    const float wrap_width = width - window_style.WindowPadding.x * 2;
    float longest_text = 0;
    for (const Step& s : kSteps)
        longest_text = std::max(longest_text, ImGui::CalcTextSize(s.text, nullptr, false, wrap_width).y);
    const float height = window_style.WindowPadding.y * 2 + ImGui::GetFrameHeight() /* title bar */ +
                         ImGui::GetTextLineHeightWithSpacing() * 3 /* step, title, a "Show me" error */ +
                         longest_text + window_style.ItemSpacing.y * 3 + ImGui::GetFrameHeight();
    ImGui::SetNextWindowSize(ImVec2(width, std::min(height, viewport->WorkSize.y - 4 * em)), ImGuiCond_Always);
    if (focus_) {
        ImGui::SetNextWindowFocus();
        focus_ = false;
    }
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize;
    if (!ImGui::Begin("Getting started", nullptr, flags)) {
        ImGui::End();
        return;
    }
    ImGui::TextDisabled("Step %zu of %zu", step_ + 1, kSteps.size());
    {
        ScopedFont font(fonts().bold);
        ImGui::TextUnformatted(step.title);
    }
    {
        ScopedWrap wrap;
        ImGui::TextUnformatted(step.text);
    }
    if (!show_me_error_.empty())
        ImGui::TextColored(readable_on_background(palette::vermillion), "%s", show_me_error_.c_str());
    ImGui::Spacing();
    // The buttons keep their places from step to step (a second click on the
    // same spot is always Next): on the window's last line, Next or Finish
    // first, at one width; Back and Show me after it, their space kept when a
    // step has none.
    const ImGuiStyle& style = ImGui::GetStyle();
    ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY(),
                                  ImGui::GetWindowHeight() - style.WindowPadding.y - ImGui::GetFrameHeight()));
    const auto button_size = [&](const char* label) {
        return ImVec2(ImGui::CalcTextSize(label).x + style.FramePadding.x * 2, ImGui::GetFrameHeight());
    };
    const bool last = step_ + 1 == kSteps.size();
    const ImVec2 next_size(std::max(button_size("Next").x, button_size("Finish").x), ImGui::GetFrameHeight());
    const bool go_on = dialog_button(last ? "Finish" : "Next", next_size);
    ImGui::SameLine();
    bool back_pressed = false;
    if (step_ > 0)
        back_pressed = dialog_button("Back");
    else
        ImGui::Dummy(button_size("Back"));
    ImGui::SameLine();
    if (step.view[0] != '\0') {
        if (dialog_button("Show me") && !show_view_(step.view))
            show_me_error_ = "There is no couple with a session to show yet.";
    } else {
        ImGui::Dummy(button_size("Show me"));
    }
    ImGui::SameLine(std::max(ImGui::GetCursorPosX(),
                             ImGui::GetWindowContentRegionMax().x - button_size("Skip the tour").x));
    const bool skip = !last && dialog_button("Skip the tour");
    // Enter goes on and Escape skips while the tour has the keyboard (not a text field of the view).
    const bool has_keyboard = ImGui::IsWindowFocused() && !ImGui::GetIO().WantTextInput;
    if (back_pressed)
        back();
    else if (skip || (has_keyboard && escape_cancels()))
        finish();
    else if (go_on || (has_keyboard && enter_confirms()))
        next();
    ImGui::End();
}

}  // namespace attune::ui
