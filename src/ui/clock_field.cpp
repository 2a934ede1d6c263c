#include "ui/clock_field.h"

#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "core/clock_text.h"
#include "core/text.h"
#include "ui/dialog.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {

std::string clock_field_text(double seconds) {
    if (!(seconds > 0)) seconds = 0;
    // Tenths, rounded, so that 79.96 s reads 01:20.0 and not 01:19.10.
    const long tenths = std::lround(seconds * 10);
    std::string text = format_clock(static_cast<double>(tenths / 10));
    if (tenths % 10 != 0) text += "." + std::to_string(tenths % 10);
    return text;
}

bool input_clock(const char* label, double& seconds, ClockField& field, float width_em) {
    if (!field.editing) field.text = clock_field_text(seconds);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * width_em);
    input_text(label, field.text, ImGuiInputTextFlags_AutoSelectAll);
    field.editing = ImGui::IsItemActive();
    bool committed = false;
    if (ImGui::IsItemDeactivatedAfterEdit()) {
        if (const auto typed = parse_clock(field.text)) {
            seconds = *typed;
            field.invalid = false;
            committed = true;
        } else {
            field.invalid = true;
        }
        field.text = clock_field_text(seconds);
    }
    if (ImGui::IsItemHovered() && !field.editing)
        ImGui::SetTooltip("minutes:seconds, e.g. 12:03 (h:mm:ss past an hour)");
    if (field.invalid) {
        // Under the field, wrapped: a side panel may be narrow.
        ScopedColor red(ImGuiCol_Text, readable_on_background(palette::vermillion));
        ImGui::TextWrapped("Not a time: type minutes:seconds, e.g. 12:03");
    }
    return committed;
}

}  // namespace attune::ui
