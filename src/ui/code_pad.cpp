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

void draw_partner_selector(Who& active, const Case& case_info, bool tight) {
    const Who all[] = {Who::A, Who::B, Who::Both, Who::Therapist};
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float avail = ImGui::GetContentRegionAvail().x;
    std::string labels[4];
    float widest = 0.0f;  // in bold, as the chosen one is drawn
    for (int i = 0; i < 4; ++i) {
        labels[i] = std::to_string(i + 1) + "  " + who_name(case_info, all[i]);
        ScopedFont bold(fonts().bold);
        widest = std::max(widest, button_width(labels[i].c_str()));
    }
    // Four in a row when every label fits whole, else two rows of two (issue 18
    // item 14: at scale 2 the chosen partner's name was cut). The rows do not
    // change with the choice: the marks around the chosen one go when they
    // would not fit (its colour and border still say it).
    const int per_row = widest * 4 + spacing * 3 <= avail ? 4 : 2;
    const float width = std::max((avail - spacing * static_cast<float>(per_row - 1)) / static_cast<float>(per_row),
                                 std::min(widest, avail));
    const ImVec2 size(width, ImGui::GetFrameHeight() * (tight ? 1.25f : 1.6f));
    for (int i = 0; i < 4; ++i) {
        const Who who = all[i];
        const bool on = who == active;
        const Rgba color = who_color(who);
        std::string label = labels[i];
        if (on) {
            ScopedFont bold(fonts().bold);
            if (button_width(("> " + label + " <").c_str()) <= width) label = "> " + label + " <";
        }
        label += "##who" + std::to_string(i);
        if (i % per_row != 0) ImGui::SameLine();
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

const Code* CodePad::draw(const CodingScheme& scheme, Who active) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float em = ImGui::GetFontSize();
    // A line of buttons, roomy and tight; tight keeps the width, so the same codes share a line.
    const ImVec2 roomy_padding = style.FramePadding;
    const ImVec2 roomy_spacing = style.ItemSpacing;
    const ImVec2 tight_padding(roomy_padding.x, std::min(roomy_padding.y, em * 0.06f));
    const ImVec2 tight_spacing(roomy_spacing.x, std::min(roomy_spacing.y, em * 0.2f));
    const float roomy_line = em + roomy_padding.y * 2 + roomy_spacing.y;
    const float tight_line = em + tight_padding.y * 2 + tight_spacing.y;

    const float top = ImGui::GetCursorPosY();
    const Code* clicked = nullptr;
    {
        ScopedStyle padding(ImGuiStyleVar_FramePadding, tight_ ? tight_padding : roomy_padding);
        ScopedStyle spacing(ImGuiStyleVar_ItemSpacing, tight_ ? tight_spacing : roomy_spacing);
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
    }
    // The pad's height had it been roomy, against the window's bottom. Back to
    // roomy only with two lines to spare, so that a scrollbar coming and going
    // cannot make it change every frame.
    const float height = ImGui::GetCursorPosY() - top;
    const float roomy_height = tight_ ? height * roomy_line / tight_line : height;
    const float bottom = ImGui::GetWindowHeight() - style.WindowPadding.y;
    if (!tight_ && top + roomy_height > bottom)
        tight_ = true;
    else if (tight_ && top + roomy_height + roomy_line * 2 < bottom)
        tight_ = false;
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
