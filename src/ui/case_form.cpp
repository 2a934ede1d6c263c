#include "ui/case_form.h"

#include <imgui.h>

#include "core/text.h"
#include "ui/dialog.h"
#include "ui/widgets.h"

namespace attune::ui {

namespace {

// is_valid_attachment_style's words; "" is not recorded.
const char* kStyles[] = {"", "secure", "anxious", "avoidant", "disorganized", "unclear"};
constexpr int kStyleCount = static_cast<int>(sizeof kStyles / sizeof kStyles[0]);

// is_valid_cycle_position's words, as the combo shows them.
const char* kCycle[] = {"", "pursuer", "withdrawer"};
constexpr int kCycleCount = static_cast<int>(sizeof kCycle / sizeof kCycle[0]);

int index_of(const std::string& word, const char* const* words, int count) {
    for (int i = 0; i < count; ++i)
        if (word == words[i]) return i;
    return 0;
}

}  // namespace

void CaseForm::load(const Case& c) {
    draft_ = c;
    style_a_ = index_of(c.partner_a.attachment_style, kStyles, kStyleCount);
    style_b_ = index_of(c.partner_b.attachment_style, kStyles, kStyleCount);
    cycle_a_ = index_of(c.partner_a.cycle_position, kCycle, kCycleCount);
    cycle_b_ = index_of(c.partner_b.cycle_position, kCycle, kCycleCount);
}

void CaseForm::draw(float width, bool focus_label, bool read_only) {
    const ImGuiInputTextFlags flags = read_only ? ImGuiInputTextFlags_ReadOnly : 0;
    ScopedDisabled combos_disabled(read_only);  // combos have no read-only mode
    ImGui::SetNextItemWidth(width);
    if (focus_label) ImGui::SetKeyboardFocusHere();
    input_text("Case label", draft_.label, flags);
    ImGui::SetNextItemWidth(width);
    input_text("Partner A (name or initials)", draft_.partner_a.display_name, flags);
    ImGui::SetNextItemWidth(width);
    ImGui::Combo("Partner A attachment style", &style_a_, kStyles, kStyleCount);
    ImGui::SetNextItemWidth(width);
    ImGui::Combo("Partner A in the cycle", &cycle_a_, kCycle, kCycleCount);
    ImGui::SetNextItemWidth(width);
    input_text("Partner B (name or initials)", draft_.partner_b.display_name, flags);
    ImGui::SetNextItemWidth(width);
    ImGui::Combo("Partner B attachment style", &style_b_, kStyles, kStyleCount);
    ImGui::SetNextItemWidth(width);
    ImGui::Combo("Partner B in the cycle", &cycle_b_, kCycle, kCycleCount);
    ImGui::SetNextItemWidth(width);
    input_text("Start date (yyyy-mm-dd)", draft_.start_date, flags);
    input_text_multiline("Goals", draft_.goals, ImVec2(width, ImGui::GetTextLineHeight() * 4), flags);
}

Case CaseForm::result() const {
    Case c = draft_;
    c.label = trim(c.label);
    c.partner_a.display_name = trim(c.partner_a.display_name);
    c.partner_b.display_name = trim(c.partner_b.display_name);
    c.partner_a.attachment_style = kStyles[style_a_];
    c.partner_b.attachment_style = kStyles[style_b_];
    c.partner_a.cycle_position = kCycle[cycle_a_];
    c.partner_b.cycle_position = kCycle[cycle_b_];
    return c;
}

}  // namespace attune::ui
