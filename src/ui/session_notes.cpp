// session_notes: the DAP progress note and the private process notes, kept
// visibly apart (process notes are psychotherapy notes: never exported unless
// the clinician asks). Both save themselves ~1 s after the last keystroke.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <utility>

#include "core/clock_text.h"
#include "core/text.h"
#include "ui/dialog.h"
#include "ui/session_parts.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

void save_status(const DebouncedNote& note) {
    switch (note.status) {
        case DebouncedNote::Status::Saved:
            ImGui::TextDisabled("saved");
            break;
        case DebouncedNote::Status::Dirty:
            ImGui::TextDisabled("saving...");
            break;
        case DebouncedNote::Status::Failed:
            ImGui::TextColored(readable_on_background(palette::vermillion), "not saved, retrying: %s",
                               note.error.c_str());
            break;
    }
}

// Beside an empty Assessment: Attune's draft from the coding, shown on request
// (it reads the case's earlier sessions) and accepted or left as it is.
void draw_assessment_draft(LiveSession& live, bool sealed) {
    if (live.progress_note.assessment_source == AssessmentSource::AcceptedDraft &&
        !trim(live.progress_note.assessment).empty()) {
        ScopedColor disabled(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ScopedWrap wrap(0.0f);
        ImGui::TextUnformatted("(Attune's draft, accepted: edit it to make it yours)");
        return;
    }
    if (sealed || live.note_signed() || !trim(live.progress_note.assessment).empty()) return;
    if (live.assessment_draft().empty()) {
        same_line_if_fits(button_width("Draft from the coding"));
        if (ImGui::SmallButton("Draft from the coding")) live.show_assessment_draft();
        return;
    }
    same_line_if_fits(button_width("Accept draft"));
    if (ImGui::SmallButton("Accept draft")) {
        live.accept_assessment_draft();
        return;
    }
    same_line_if_fits(button_width("Hide draft"));
    if (ImGui::SmallButton("Hide draft")) {
        live.hide_assessment_draft();
        return;
    }
    ImGui::TextDisabled("Draft (not yet reviewed by you):");
    ScopedWrap wrap(0.0f);
    ImGui::TextUnformatted(live.assessment_draft().c_str());
}

}  // namespace

void NoteHistory::draw(LiveSession& live) {
    draw([&live] { return live.progress_note_history(); });
}

void NoteHistory::draw(const std::function<std::vector<NoteVersion>()>& load) {
    if (ImGui::SmallButton("History")) {
        versions_ = load();
        selected_ = static_cast<int>(versions_.size()) - 1;
        dialog_.open();
    }
    dialog_.draw();
}

void NoteHistory::draw_content(ViewModal& dialog) {
    const float em = ImGui::GetFontSize();
    if (versions_.empty()) {
        ImGui::TextUnformatted("No saved version of this progress note yet.");
    } else {
        ImGui::TextDisabled("Every saved version, oldest first. Select one to read it.");
        ImGui::BeginChild("##versions", ImVec2(em * 22, em * 18), true);
        for (int i = 0; i < static_cast<int>(versions_.size()); ++i) {
            const NoteVersion& v = versions_[static_cast<std::size_t>(i)];
            const std::string author = v.author.empty() ? std::string("author not recorded") : v.author;
            const std::string label = std::to_string(v.number) + ". " + local_time_text(v.saved_at, true) + ", " +
                                      author +
                                      (i + 1 == static_cast<int>(versions_.size()) ? " (current)" : "") +
                                      "###version";
            ImGui::PushID(i);
            if (ImGui::Selectable(label.c_str(), i == selected_)) selected_ = i;
            ImGui::PopID();
        }
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("##version_text", ImVec2(em * 30, em * 18), true);
        if (selected_ >= 0 && selected_ < static_cast<int>(versions_.size())) {
            NoteVersion shown = versions_[static_cast<std::size_t>(selected_)];
            shown.saved_at = local_time_text(shown.saved_at, true);  // local time, as everywhere in the window
            const NoteVersion& v = shown;
            ScopedWrap wrap(0.0f);
            ImGui::TextUnformatted(note_version_title(v).c_str());
            ImGui::Separator();
            for (const auto& [field, text] : {std::pair<const char*, const std::string*>{"Data", &v.note.data},
                                              {"Assessment", &v.note.assessment},
                                              {"Plan", &v.note.plan}}) {
                ImGui::TextDisabled("%s", field);
                ImGui::TextUnformatted(text->c_str());
            }
        }
        ImGui::EndChild();
    }
    if (dialog_button("Close")) dialog.finish();
}

void draw_session_notes(LiveSession& live, NoteHistory& history, double wall_now, bool sealed) {
    const float em = ImGui::GetFontSize();
    const float avail = ImGui::GetContentRegionAvail().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float height = ImGui::GetContentRegionAvail().y;
    // Side by side when each gets 20 em, else the process notes below the
    // progress note (the record scrolls): never a cut heading or a sliver of
    // a field (issue 18 item 14).
    const bool side_by_side = avail >= em * 40.0f;
    const ImVec2 progress_size = side_by_side ? ImVec2((avail - spacing) * 0.5f, height)
                                              : ImVec2(0, std::max(height * 0.62f, em * 14.0f));
    const ImVec2 process_size =
        side_by_side ? ImVec2(0, height)
                     : ImVec2(0, std::max(height - progress_size.y - ImGui::GetStyle().ItemSpacing.y, em * 8.0f));
    const float field_height = std::max((progress_size.y - ImGui::GetTextLineHeightWithSpacing() * 5.0f) / 3.0f,
                                        ImGui::GetTextLineHeight() * 2.0f);

    ImGui::BeginChild("##progress", progress_size, false, ImGuiWindowFlags_NavFlattened);
    heading("Progress note (DAP)");
    same_line_if_fits(button_width("History"));
    history.draw(live);
    const ImGuiInputTextFlags note_flags = sealed ? ImGuiInputTextFlags_ReadOnly : 0;
    if (sealed) {
        // On a line of its own: the column is half the record's width.
        ScopedColor disabled(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("sealed: add an addendum in Review");
    } else {
        same_line_if_fits(ImGui::CalcTextSize("saving...").x);
        save_status(live.progress_status());
    }
    bool changed = false;
    ImGui::TextDisabled("Data");
    changed |= input_text_multiline("##data", live.progress_note.data, ImVec2(-1, field_height), note_flags);
    ImGui::TextDisabled("Assessment");
    draw_assessment_draft(live, sealed);
    if (input_text_multiline("##assessment", live.progress_note.assessment, ImVec2(-1, field_height), note_flags)) {
        live.progress_note.assessment_source = AssessmentSource::Clinician;  // edited: the clinician's text now
        changed = true;
    }
    ImGui::TextDisabled("Plan");
    changed |= input_text_multiline("##plan", live.progress_note.plan, ImVec2(-1, field_height), note_flags);
    if (changed) live.progress_note_edited(wall_now);
    ImGui::EndChild();

    if (side_by_side) ImGui::SameLine();
    // A tinted, framed box so nobody mistakes it for part of the progress note.
    {
        ScopedColor background(ImGuiCol_ChildBg, to_imvec4(with_alpha(palette::reddish_purple, 0.10f)));
        ScopedColor border(ImGuiCol_Border, to_imvec4(palette::reddish_purple));
        ScopedStyle border_size(ImGuiStyleVar_ChildBorderSize, 2.0f);
        ImGui::BeginChild("##process", process_size, true, ImGuiWindowFlags_NavFlattened);
        heading("Private process notes");
        same_line_if_fits(ImGui::CalcTextSize("saving...").x);
        save_status(live.process_status());
        {
            ScopedColor disabled(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
            ScopedWrap wrap(0.0f);
            ImGui::TextUnformatted("never exported unless you ask");
        }
        if (input_text_multiline("##process_note", live.process_note, ImVec2(-1, -1)))
            live.process_note_edited(wall_now);
        ImGui::EndChild();
    }
}

}  // namespace attune::ui
