// caseload_view: every case of the practice in one sortable, filterable
// table, the unfinished sessions offered for resumption, and "New case".
#include "core/scheme.h"
#include "core/text.h"
#include "ui/app_model.h"
#include "ui/keys.h"
#include "ui/theme.h"
#include "ui/views.h"
#include "ui/widgets.h"

#include <imgui.h>

#include <algorithm>

namespace attune::ui {
namespace {

const char* kStyles[] = {"", "secure", "anxious", "avoidant", "disorganized", "unclear"};

class CaseloadView final : public View {
public:
    using View::View;
    const char* name() const override { return "caseload"; }
    const char* help_text() const override {
        return "The caseload lists every couple in this practice database.\n\n"
               "- Click a case (or select it and press Enter) to open its progress charts.\n"
               "- Type in the filter box to find a case by label, partner or clinician.\n"
               "- Click a column header to sort.\n"
               "- \"New case\" (Ctrl+N) adds a couple.\n\n"
               "A session that was never ended (for example because the computer shut down) is shown at the "
               "top: resume it to keep coding, with every observation still there.";
    }

    void draw() override {
        draw_unfinished();
        heading("Caseload");
        const float filter_width = ImGui::GetFontSize() * 12;
        const float button_width = ImGui::CalcTextSize("New case").x + ImGui::GetStyle().FramePadding.x * 2;
        ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetContentRegionMax().x - filter_width - button_width -
                                                             ImGui::GetStyle().ItemSpacing.x));
        ImGui::SetNextItemWidth(filter_width);
        ImGui::InputTextWithHint("##filter", "Filter cases", filter_buffer_, sizeof filter_buffer_);
        filter_ = filter_buffer_;
        ImGui::SameLine();
        if (ImGui::Button("New case") || (keys::ctrl() && keys::pressed(keys::letter('n')))) open_new_case();
        draw_table();
        draw_new_case_popup();
    }

private:
    void draw_unfinished() {
        const auto& unfinished = model_.unfinished_sessions();
        if (unfinished.empty()) return;
        ImGui::PushStyleColor(ImGuiCol_ChildBg, to_imvec4(with_alpha(palette::orange, 0.18f)));
        ImGui::BeginChild("##unfinished", ImVec2(0, ImGui::GetFrameHeightWithSpacing() * (1.4f + static_cast<float>(std::min<size_t>(unfinished.size(), 3)))), true);
        heading("Sessions not ended");
        for (size_t i = 0; i < unfinished.size() && i < 3; ++i) {
            const Session& s = unfinished[i];
            std::string label;
            for (const auto& c : model_.cases())
                if (c.info.id == s.case_id) label = c.info.label;
            ImGui::Text("%s, session %d (%s): %s", label.c_str(), s.number, s.date.c_str(),
                        s.state == SessionState::Paused ? "paused" : "was running when Attune closed");
            ImGui::SameLine();
            ImGui::PushID(static_cast<int>(s.id));
            if (ImGui::SmallButton("Resume")) model_.open_session(s.case_id, s.id);
            ImGui::PopID();
        }
        ImGui::EndChild();
        ImGui::PopStyleColor();
    }

    bool matches(const store::CaseSummary& s) const {
        if (filter_.empty()) return true;
        const std::string needle = normalize_key(filter_);
        for (const std::string* field : {&s.info.label, &s.info.partner_a.display_name, &s.info.partner_b.display_name,
                                         &s.info.clinician_name})
            if (normalize_key(*field).find(needle) != std::string::npos) return true;
        return false;
    }

    void rebuild_rows() {
        const auto& cases = model_.cases();
        if (rows_version_ == model_.data_version() && rows_filter_ == filter_ && !sort_dirty_) return;
        rows_.clear();
        for (size_t i = 0; i < cases.size(); ++i)
            if (matches(cases[i])) rows_.push_back(i);
        std::stable_sort(rows_.begin(), rows_.end(), [&](size_t a, size_t b) {
            const auto& x = cases[a];
            const auto& y = cases[b];
            int order = 0;
            switch (sort_column_) {
                case 0: order = normalize_key(x.info.label).compare(normalize_key(y.info.label)); break;
                case 2: order = x.info.clinician_name.compare(y.info.clinician_name); break;
                case 3: order = static_cast<int>(x.info.status) - static_cast<int>(y.info.status); break;
                case 4: order = x.sessions - y.sessions; break;
                case 5: order = x.last_session_date.compare(y.last_session_date); break;
                case 6: order = x.eft_stage.value_or(0) - y.eft_stage.value_or(0); break;
                default: order = 0;
            }
            return sort_ascending_ ? order < 0 : order > 0;
        });
        rows_version_ = model_.data_version();
        rows_filter_ = filter_;
        sort_dirty_ = false;
    }

    void draw_table() {
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                                      ImGuiTableFlags_Sortable | ImGuiTableFlags_Resizable;
        if (!ImGui::BeginTable("##cases", 7, flags)) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Case", ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_WidthStretch, 2.0f);
        ImGui::TableSetupColumn("Partners", ImGuiTableColumnFlags_NoSort | ImGuiTableColumnFlags_WidthStretch, 2.0f);
        ImGui::TableSetupColumn("Clinician", ImGuiTableColumnFlags_WidthStretch, 1.4f);
        ImGui::TableSetupColumn("Status", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("Sessions", ImGuiTableColumnFlags_WidthStretch, 0.8f);
        ImGui::TableSetupColumn("Last session", ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableSetupColumn("EFT stage", ImGuiTableColumnFlags_WidthStretch, 0.8f);
        ImGui::TableHeadersRow();
        if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty && specs->SpecsCount > 0) {
            sort_column_ = specs->Specs[0].ColumnIndex;
            sort_ascending_ = specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
            specs->SpecsDirty = false;
            sort_dirty_ = true;
        }
        rebuild_rows();
        const auto& cases = model_.cases();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(rows_.size()));
        while (clipper.Step()) {
            for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
                const store::CaseSummary& s = cases[rows_[static_cast<size_t>(row)]];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(static_cast<int>(s.info.id));
                if (ImGui::Selectable(s.info.label.c_str(), false,
                                      ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap))
                    model_.open_case(s.info.id);
                if (ImGui::IsItemFocused() && keys::pressed(keys::kEnter)) model_.open_case(s.info.id);
                ImGui::PopID();
                ImGui::TableNextColumn();
                ImGui::Text("%s & %s", s.info.partner_a.display_name.c_str(), s.info.partner_b.display_name.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(s.info.clinician_name.c_str());
                ImGui::TableNextColumn();
                if (s.has_running_session) ImGui::TextColored(to_imvec4(palette::orange), "in session");
                else ImGui::TextUnformatted(std::string(to_string(s.info.status)).c_str());
                ImGui::TableNextColumn();
                ImGui::Text("%d", s.sessions);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(s.last_session_date.empty() ? "none yet" : s.last_session_date.c_str());
                ImGui::TableNextColumn();
                if (s.eft_stage) ImGui::Text("%d", *s.eft_stage);
                else ImGui::TextDisabled("-");
            }
        }
        ImGui::EndTable();
        if (rows_.empty()) {
            ImGui::TextDisabled(model_.cases().empty() ? "No cases yet. Click \"New case\" to add a couple."
                                                       : "No case matches the filter.");
        }
    }

    void open_new_case() {
        draft_ = Case{};
        draft_.start_date = store::today_local_iso();
        style_a_ = style_b_ = 0;
        new_case_error_.clear();
        open_popup_ = true;
    }

    void draw_new_case_popup() {
        if (open_popup_) {
            ImGui::OpenPopup("New case");
            open_popup_ = false;
            focus_label_ = true;
        }
        if (!ImGui::BeginPopupModal("New case", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
        const float width = ImGui::GetFontSize() * 18;
        ImGui::TextDisabled("Use a pseudonymous label: no full names or other identifying details.");
        ImGui::SetNextItemWidth(width);
        if (focus_label_) ImGui::SetKeyboardFocusHere();
        focus_label_ = false;
        input_text("Case label", draft_.label);
        ImGui::SetNextItemWidth(width);
        input_text("Partner A (name or initials)", draft_.partner_a.display_name);
        ImGui::SetNextItemWidth(width);
        ImGui::Combo("Partner A attachment style", &style_a_, kStyles, IM_ARRAYSIZE(kStyles));
        ImGui::SetNextItemWidth(width);
        input_text("Partner B (name or initials)", draft_.partner_b.display_name);
        ImGui::SetNextItemWidth(width);
        ImGui::Combo("Partner B attachment style", &style_b_, kStyles, IM_ARRAYSIZE(kStyles));
        ImGui::SetNextItemWidth(width);
        input_text("Start date (yyyy-mm-dd)", draft_.start_date);
        input_text_multiline("Goals", draft_.goals, ImVec2(width, ImGui::GetTextLineHeight() * 4));
        if (!new_case_error_.empty()) ImGui::TextColored(to_imvec4(palette::vermillion), "%s", new_case_error_.c_str());
        const bool create = ImGui::Button("Create case") || (keys::pressed(keys::kEnter) && !ImGui::IsAnyItemActive());
        ImGui::SameLine();
        if (ImGui::Button("Cancel") || keys::pressed(keys::kEscape)) ImGui::CloseCurrentPopup();
        if (create) {
            draft_.label = trim(draft_.label);
            draft_.partner_a.display_name = trim(draft_.partner_a.display_name);
            draft_.partner_b.display_name = trim(draft_.partner_b.display_name);
            draft_.partner_a.attachment_style = kStyles[style_a_];
            draft_.partner_b.attachment_style = kStyles[style_b_];
            try {
                const Case created = store::CaseRepository(model_.db()).create(draft_);
                model_.info("Case " + created.label + " created.");
                ImGui::CloseCurrentPopup();
            } catch (const std::exception& e) {
                new_case_error_ = e.what();
            }
        }
        ImGui::EndPopup();
    }

    std::string filter_;
    char filter_buffer_[128] = {};
    std::vector<size_t> rows_;
    std::uint64_t rows_version_ = 0;
    std::string rows_filter_;
    int sort_column_ = 0;
    bool sort_ascending_ = true;
    bool sort_dirty_ = true;
    Case draft_;
    int style_a_ = 0, style_b_ = 0;
    std::string new_case_error_;
    bool open_popup_ = false;
    bool focus_label_ = false;
};

}  // namespace

std::unique_ptr<View> make_caseload_view(AppModel& model) { return std::make_unique<CaseloadView>(model); }

}  // namespace attune::ui
