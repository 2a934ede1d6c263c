// boris_import_dialog.cpp: "Import from BORIS..." (see boris_import_dialog.h).
//   [SECTION] Options and running the use case
//   [SECTION] Drawing
#include "ui/boris_import_dialog.h"

#include <imgui.h>

#include <algorithm>

#include "core/text.h"
#include "ui/app_model.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

std::vector<std::string> comma_list(const std::string& text) {
    std::vector<std::string> out;
    for (const std::string& part : split(text, ','))
        if (!trim(part).empty()) out.push_back(trim(part));
    return out;
}

}  // namespace

BorisImportDialog::BorisImportDialog(AppModel& model)
    : Modal("Import from BORIS", ImGuiWindowFlags_NoSavedSettings, true), model_(model) {}

// [SECTION] Options and running the use case

services::BorisImportOptions BorisImportDialog::options() const {
    services::BorisImportOptions o;
    o.case_label = trim(form_.case_label);
    o.partner_a_name = trim(form_.partner_a);
    o.partner_b_name = trim(form_.partner_b);
    o.therapist_name = trim(form_.therapist);
    o.rater_name = trim(form_.rater);
    o.into_existing = form_.into_existing;
    if (form_.into_existing && form_.session_number > 0) o.session_number = form_.session_number;
    o.close_unpaired = form_.close_unpaired;
    // The whole field first: a BORIS id may itself hold a comma (the plan tries both).
    if (!trim(form_.observations).empty()) o.observation_ids = {trim(form_.observations)};
    o.map_file = trim(form_.map_file);
    o.ignored_subjects = comma_list(form_.ignored_subjects);
    return o;
}

void BorisImportDialog::invalidate() {
    prepared_.reset();
    preview_text_.clear();
    report_.reset();
    report_text_.clear();
    error_.clear();
}

bool BorisImportDialog::preview() {
    invalidate();
    if (trim(form_.path).empty()) {
        error_ = "Enter the BORIS file to import.";
        return false;
    }
    if (trim(form_.case_label).empty()) {
        error_ = "Enter the case the sessions go to (a new case is created with the partners' names).";
        return false;
    }
    try {
        services::BorisImportOptions o = options();
        o.behavior_map = formats::parse_behavior_map(form_.behavior_map);
        prepared_ = services::prepare_boris_import(model_.practice(), trim(form_.path), o);
        preview_text_ = prepared_->preview_text();
        return true;
    } catch (const std::exception& e) {
        error_ = e.what();
        return false;
    }
}

bool BorisImportDialog::import() {
    error_.clear();
    if (!prepared_) {
        error_ = "Preview the import first: nothing was imported.";
        return false;
    }
    try {
        report_ = services::import_boris(model_.practice(), *prepared_);
        report_text_ = report_->summary();
        prepared_.reset();  // imported: a second click must not import it again
        model_.info("Imported from BORIS into case '" + report_->case_label +
                    "': " + std::to_string(report_->observations_created()) + " observations.");
        return true;
    } catch (const std::exception& e) {
        error_ = e.what();
        return false;
    }
}

// [SECTION] Drawing

void BorisImportDialog::on_open() {
    invalidate();
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x * 0.7f, viewport->WorkSize.y * 0.86f), ImGuiCond_Always);
    ImGui::SetNextWindowPos(
        ImVec2(viewport->WorkPos.x + viewport->WorkSize.x * 0.5f, viewport->WorkPos.y + viewport->WorkSize.y * 0.5f),
        ImGuiCond_Always, ImVec2(0.5f, 0.5f));
}

void BorisImportDialog::draw_options(float width) {
    bool changed = false;
    const auto text_field = [&](const char* label, std::string& text) {
        ImGui::SetNextItemWidth(width);
        changed |= input_text(label, text);
    };
    focus_here_on_appearing();
    text_field("BORIS file (.boris, .boris.gz, .tsv, .csv)##boris_path", form_.path);
    text_field("Case##boris_case", form_.case_label);
    ImGui::SameLine();
    if (ImGui::BeginCombo("##boris_cases", "", ImGuiComboFlags_NoPreview)) {
        for (const CaseSummary& c : model_.cases())
            if (ImGui::Selectable(c.info.label.c_str(), c.info.label == form_.case_label)) {
                form_.case_label = c.info.label;
                changed = true;
            }
        ImGui::EndCombo();
    }
    {
        ScopedWrap wrap(0.0f);
        ImGui::TextDisabled("Subjects as BORIS spells them (an existing case: empty means its partners' names).");
    }
    text_field("Partner A##boris_a", form_.partner_a);
    text_field("Partner B##boris_b", form_.partner_b);
    text_field("Therapist##boris_therapist", form_.therapist);
    text_field("Leave out subjects (comma list)##boris_ignore", form_.ignored_subjects);
    text_field("Rater (empty: the file's own, else you)##boris_rater", form_.rater);
    changed |= ImGui::Checkbox("Add to the case's existing sessions (another rater's coding)##boris_into",
                               &form_.into_existing);
    if (form_.into_existing) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
        changed |= ImGui::InputInt("session (0: by the BORIS date)##boris_session", &form_.session_number);
        form_.session_number = std::clamp(form_.session_number, 0, 100000);
    }
    changed |=
        ImGui::Checkbox("Close unpaired states at the last event, as BORIS's Fix unpaired events does##boris_close",
                        &form_.close_unpaired);
    text_field("Only these observations (ids, comma list; empty: all)##boris_obs", form_.observations);
    text_field("Map behaviours (BORIS=ATTUNE, ...)##boris_map", form_.behavior_map);
    text_field("Map file (one BORIS=ATTUNE per line)##boris_map_file", form_.map_file);
    if (changed) invalidate();
}

void BorisImportDialog::draw_content() {
    heading("Import sessions coded in BORIS");
    // The fields leave room for their labels beside them in a narrow window (1024 px wide).
    const float width = std::min(ImGui::GetFontSize() * 22, ImGui::GetContentRegionAvail().x * 0.45f);
    draw_options(width);

    const bool can_import = prepared_ && !prepared_->nothing_to_import();
    if (dialog_button("Preview")) preview();
    ImGui::SameLine();
    {
        ScopedDisabled disabled(!can_import);
        if (dialog_button("Import")) import();
    }
    ImGui::SameLine();
    if (dialog_button(report_ ? "Close" : "Cancel")) close();

    if (!error_.empty()) {
        ScopedColor red(ImGuiCol_Text, readable_on_background(palette::vermillion));
        ImGui::TextWrapped("%s", error_.c_str());
    }
    const std::string& shown = report_ ? report_text_ : preview_text_;
    if (shown.empty()) {
        ScopedWrap wrap(0.0f);
        ImGui::TextDisabled(
            "Preview shows the sessions and layers that would be imported, and what would be left "
            "out and why; nothing is written until Import.");
        return;
    }
    ImGui::TextDisabled("%s", report_ ? "Imported:" : "Preview (nothing imported yet):");
    ScopedColor background(ImGuiCol_ChildBg, ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
    ImGui::BeginChild("##boris_preview", ImVec2(-1.0f, -1.0f), true, ImGuiWindowFlags_HorizontalScrollbar);
    ImGui::TextUnformatted(shown.data(), shown.data() + shown.size());
    ImGui::EndChild();
}

}  // namespace attune::ui
