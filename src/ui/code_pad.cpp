// code_pad: the partner selector, the code buttons and the running states.
#include <imgui.h>

#include <algorithm>
#include <cctype>

#include "core/text.h"
#include "ui/dialog.h"
#include "ui/session_parts.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

// Dark text on light fills, white on dark ones.
ImVec4 text_on(Rgba fill) {
    const float luminance = 0.299f * fill.r + 0.587f * fill.g + 0.114f * fill.b;
    return luminance > 0.55f ? ImVec4(0, 0, 0, 1) : ImVec4(1, 1, 1, 1);
}

// Places the next item on the same line when it fits, else on a new one.
void flow(float item_width) {
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    ImGui::SameLine();
    if (ImGui::GetCursorScreenPos().x + item_width > right) ImGui::NewLine();
}

void code_button(const Code& code, bool enabled, const Code*& clicked) {
    std::string key = code.hotkey;
    for (char& c : key)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::string label = (key.empty() ? "   " : key + "  ") + code.label + "##" + code.id;
    const ImVec2 size(
        std::max(ImGui::CalcTextSize(label.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2,
                 ImGui::GetFontSize() * 7.0f),
        ImGui::GetFrameHeight());
    flow(size.x);
    const Rgba color = code_color(code);
    {
        ScopedColor button(ImGuiCol_Button, to_imvec4(with_alpha(color, 0.30f)));
        ScopedColor hovered(ImGuiCol_ButtonHovered, to_imvec4(with_alpha(color, 0.55f)));
        ScopedColor active(ImGuiCol_ButtonActive, to_imvec4(with_alpha(color, 0.85f)));
        ScopedColor border(ImGuiCol_Border, to_imvec4(color));
        ScopedStyle border_size(ImGuiStyleVar_FrameBorderSize, 1.0f);
        ScopedDisabled disabled(!enabled);
        if (ImGui::Button(label.c_str(), size)) clicked = &code;
    }
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled) &&
        (!code.description.empty() || !code.example.empty())) {
        ImGui::BeginTooltip();
        {
            ScopedWrap wrap(ImGui::GetFontSize() * 28.0f);
            heading(code.label.c_str());
            if (!code.description.empty()) ImGui::TextUnformatted(code.description.c_str());
            if (!code.example.empty()) ImGui::TextDisabled("Example: %s", code.example.c_str());
            if (code.kind == EventKind::State) ImGui::TextDisabled("A state: press once to start, again to stop.");
        }
        ImGui::EndTooltip();
    }
}

}  // namespace

std::string who_name(const Case& case_info, Who who) {
    switch (who) {
        case Who::A:
            return case_info.partner_a.display_name.empty() ? "Partner A" : case_info.partner_a.display_name;
        case Who::B:
            return case_info.partner_b.display_name.empty() ? "Partner B" : case_info.partner_b.display_name;
        case Who::Both:
            return "Both";
        case Who::Therapist:
            return "Therapist";
    }
    return "";
}

void draw_partner_selector(Who& active, const Case& case_info) {
    const Who all[] = {Who::A, Who::B, Who::Both, Who::Therapist};
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float width = (ImGui::GetContentRegionAvail().x - 3 * spacing) / 4.0f;
    const ImVec2 size(std::max(width, ImGui::GetFontSize() * 5.0f), ImGui::GetFrameHeight() * 1.6f);
    for (int i = 0; i < 4; ++i) {
        const Who who = all[i];
        const bool on = who == active;
        const Rgba color = who_color(who);
        std::string label = std::to_string(i + 1) + "  " + who_name(case_info, who);
        if (on) label = "> " + label + " <";
        label += "##who" + std::to_string(i);
        if (i > 0) ImGui::SameLine();
        ScopedColor button(ImGuiCol_Button, to_imvec4(with_alpha(color, on ? 1.0f : 0.12f)));
        ScopedColor hovered(ImGuiCol_ButtonHovered, to_imvec4(with_alpha(color, on ? 1.0f : 0.35f)));
        ScopedColor pressed(ImGuiCol_ButtonActive, to_imvec4(color));
        ScopedColor text(ImGuiCol_Text, on ? text_on(color) : ImGui::GetStyleColorVec4(ImGuiCol_Text));
        ScopedColor border(ImGuiCol_Border, to_imvec4(on ? palette::highlight : with_alpha(color, 0.6f)));
        ScopedStyle border_size(ImGuiStyleVar_FrameBorderSize, on ? 3.0f : 1.0f);
        ScopedFont font(on ? fonts().bold : ImGui::GetFont());
        if (ImGui::Button(label.c_str(), size)) active = who;
    }
}

const Code* draw_code_pad(const LiveSession& live, Who active) {
    const Code* clicked = nullptr;
    const CodingScheme& scheme = live.scheme();
    const bool therapist = active == Who::Therapist;
    for (const Category& category : scheme.categories) {
        const auto codes = scheme.codes_in(category.id);
        if (codes.empty()) continue;
        {
            ScopedId id2(category.id.c_str());
            chip(category.label.c_str(), with_alpha(category_color(category), 0.9f));
            // The first button follows the heading chip on its line.
            for (const Code* code : codes)
                code_button(*code, is_therapist_code(*code) || !therapist, clicked);
        }
    }
    return clicked;
}

void draw_running_states(LiveSession& live, double wall_now) {
    const auto running = live.running_states();
    if (running.empty()) return;
    const double now = live.clock_now(wall_now);
    heading("Running now");
    ImGui::SameLine();
    if (ImGui::SmallButton("Stop all (F8)")) live.stop_all_states(wall_now);
    for (const Observation* o : running) {
        {
            ScopedId id(static_cast<int>(o->id));
            const Code* code = live.code(o->code_id);
            chip(who_name(live.case_info(), o->who).c_str(), who_color(o->who));
            ImGui::SameLine();
            ImGui::Text("%s  for %s (since %s)", code ? code->label.c_str() : o->code_id.c_str(),
                        format_clock(now - o->t).c_str(), format_clock(o->t).c_str());
            ImGui::SameLine();
            if (ImGui::SmallButton("Stop")) live.stop_state(o->id, wall_now);
        }
    }
}

}  // namespace attune::ui
