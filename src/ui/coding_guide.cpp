#include "ui/coding_guide.h"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <exception>

#include "services/open_practice.h"
#include "ui/app_model.h"
#include "ui/dialog.h"
#include "ui/keys.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

// The shortcuts of the live session view and of the whole window.
struct Shortcut {
    const char* keys;
    const char* action;
};
constexpr Shortcut kShortcuts[] = {
    {"1 / 2 / 3 / 4", "who: partner A, partner B, both, therapist (stays until changed)"},
    {"letter", "log the code with that key for the current who (with 4, the therapist's codes)"},
    {"letter on a state", "starts the state; the next press stops it"},
    {"F8", "stop every running state"},
    {"Alt+1 / Alt+2 / Alt+3", "intensity of the last observation"},
    {"' (apostrophe)", "add a quote to the last observation: keys type text until Enter saves it or Esc cancels"},
    {"Ctrl+Z", "undo the last press (the line under the pad says what was undone)"},
    {"Ctrl+Shift+Z or Ctrl+Y", "redo what was undone, at its own time"},
    {"F5 or Ctrl+Space", "pause or resume the session clock"},
    {"F1", "help for the current view"},
    {"Ctrl+L", "back to the caseload"},
    {"Ctrl+Q", "quit (during a running session: pause and close, end, or cancel)"},
};

}  // namespace

void CodingGuide::on_open() {
    // The practice's own scheme when one is open, else the default one.
    try {
        scheme_ = with_hotkeys(model_.is_open() ? model_.practice().default_scheme() : services::load_default_scheme(),
                               model_.hotkeys());
    } catch (const std::exception& e) {
        model_.error(std::string("cannot read the coding scheme: ") + e.what());
        scheme_ = {};
    }
}

void CodingGuide::draw_content() {
    ImGui::TextDisabled("%s, edition %d: %zu codes in %zu categories", scheme_.name.c_str(), scheme_.version,
                        scheme_.codes.size(), scheme_.categories.size());
    if (ImGui::BeginTabBar("##guide_tabs")) {
        if (ImGui::BeginTabItem("Codes")) {
            ImGui::BeginChild("##codes");
            for (const Category& category : scheme_.categories)
                draw_category(category);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Keyboard")) {
            draw_hotkeys();
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
}

void CodingGuide::draw_category(const Category& category) {
    const auto codes = scheme_.codes_in(category.id);
    {
        ScopedId id(category.id.c_str());
        // A swatch of the category's colour before the header: the same colour as on the pad and the charts.
        const float swatch = ImGui::GetFontSize() * 0.7f;
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float middle = at.y + ImGui::GetFrameHeight() * 0.5f;
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(at.x, middle - swatch * 0.5f),
                                                  ImVec2(at.x + swatch, middle + swatch * 0.5f),
                                                  to_imgui(category_color(category)), 2.0f);
        ImGui::SetCursorScreenPos(ImVec2(at.x + swatch * 1.6f, at.y));
        const std::string header = category.label + "  (" + std::string(polarity_words(category.polarity)) + ", " +
                                   std::to_string(codes.size()) + (codes.size() == 1 ? " code)" : " codes)");
        if (ImGui::CollapsingHeader(header.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
            const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuter |
                                          ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
            if (ImGui::BeginTable("##codes", 3, flags)) {
                ImGui::TableSetupColumn("Key", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 2.5f);
                ImGui::TableSetupColumn("Code", ImGuiTableColumnFlags_WidthStretch, 1.0f);
                ImGui::TableSetupColumn("What it looks like", ImGuiTableColumnFlags_WidthStretch, 2.6f);
                ImGui::TableHeadersRow();
                for (const Code* code : codes) {
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    std::string key = code->hotkey;
                    for (char& ch : key)
                        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
                    {
                        ScopedFont font3(fonts().bold);
                        ImGui::TextUnformatted(key.empty() ? "-" : key.c_str());
                    }
                    ImGui::TableNextColumn();
                    {
                        ScopedFont font2(fonts().bold);
                        ImGui::TextWrapped("%s", code->label.c_str());
                    }
                    if (code->kind == EventKind::State) ImGui::TextDisabled("state: press to start, again to stop");
                    ImGui::TableNextColumn();
                    ImGui::TextWrapped("%s", code->description.c_str());
                    if (!code->example.empty()) text_disabled_wrapped("Example: " + code->example);
                }
                ImGui::EndTable();
            }
        }
    }
}

void CodingGuide::draw_hotkeys() {
    const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_RowBg;
    if (!ImGui::BeginTable("##keys", 2, flags)) return;
    ImGui::TableSetupColumn("Keys", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 11);
    ImGui::TableSetupColumn("What they do", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (const Shortcut& shortcut : kShortcuts) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        {
            ScopedFont font(fonts().bold);
            ImGui::TextUnformatted(shortcut.keys);
        }
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", shortcut.action);
    }
    ImGui::EndTable();
}

}  // namespace attune::ui
