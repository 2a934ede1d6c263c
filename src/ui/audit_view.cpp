#include "ui/audit_view.h"

#include <imgui.h>

#include <algorithm>
#include <cstring>

#include "core/clock_text.h"
#include "core/dates.h"
#include "core/text.h"
#include "services/access_audit.h"
#include "services/audit.h"
#include "ui/app_model.h"
#include "ui/dialog.h"
#include "ui/keys.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

// A date (core/dates.h's one rule), or empty.
bool is_date_or_empty(const char* text) {
    return *text == '\0' || is_iso_date(text);
}

}  // namespace

void AuditView::on_open() {
    verification_.reset();
    // Reading the trail is itself a read of the practice: unrecorded, nothing is shown.
    rows_.clear();
    if (!model_.attempt([&] { services::record_view_opened(model_.practice(), "audit trail"); })) return;
    model_.attempt([&] {
        services::AuditVocabulary vocabulary = services::audit_vocabulary(model_.practice());
        actions_ = std::move(vocabulary.actions);
        actors_ = std::move(vocabulary.actors);
        entities_ = std::move(vocabulary.entities);
    });
    reload();
}

void AuditView::reload() {
    if (!model_.is_open()) {
        rows_.clear();
        return;
    }
    date_error_.clear();
    if (!is_date_or_empty(from_.data()) || !is_date_or_empty(to_.data())) {
        date_error_ = "Dates are written YYYY-MM-DD, e.g. 2026-11-22.";
        return;  // the rows shown stay those of the last valid filter
    }
    filter_.from = from_.data();
    filter_.to = to_.data();
    filter_.text = text_.data();
    filter_.limit = kRowLimit;
    model_.attempt([&] { rows_ = services::audit_entries(model_.practice(), filter_); });
}

void AuditView::verify() {
    if (!model_.is_open()) return;
    model_.attempt([&] { verification_ = services::verify_audit_chain(model_.practice()); });
}

bool AuditView::filter_combo(const char* label, std::string& value, const std::vector<std::string>& choices) {
    bool changed = false;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    if (ImGui::BeginCombo(label, value.empty() ? "any" : value.c_str())) {
        if (ImGui::Selectable("any", value.empty())) {
            value.clear();
            changed = true;
        }
        for (const std::string& choice : choices)
            if (ImGui::Selectable(choice.c_str(), choice == value)) {
                value = choice;
                changed = true;
            }
        ImGui::EndCombo();
    }
    return changed;
}

bool AuditView::can_show() {
    if (model_.is_open()) return true;
    rows_.clear();  // locked meanwhile: nothing identifying stays on screen
    return false;
}

void AuditView::draw_content() {
    const float em = ImGui::GetFontSize();
    bool changed = false;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Action");
    ImGui::SameLine();
    changed |= filter_combo("##action", filter_.action, actions_);
    ImGui::SameLine();
    ImGui::TextUnformatted("Person");
    ImGui::SameLine();
    changed |= filter_combo("##actor", filter_.actor, actors_);
    ImGui::SameLine();
    ImGui::TextUnformatted("Record");
    ImGui::SameLine();
    changed |= filter_combo("##entity", filter_.entity, entities_);

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("From");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em * 7);
    changed |= ImGui::InputTextWithHint("##from", "YYYY-MM-DD", from_.data(), from_.size());
    ImGui::SameLine();
    ImGui::TextUnformatted("to");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em * 7);
    changed |= ImGui::InputTextWithHint("##to", "YYYY-MM-DD", to_.data(), to_.size());
    ImGui::SameLine();
    ImGui::TextUnformatted("Containing");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em * 14);
    changed |= ImGui::InputTextWithHint("##text", "words in the detail or an id", text_.data(), text_.size());
    ImGui::SameLine();
    if (ImGui::Button("Clear filters")) {
        filter_ = {};
        from_.fill('\0');
        to_.fill('\0');
        text_.fill('\0');
        changed = true;
    }
    if (changed) reload();

    if (ImGui::Button("Verify the chain")) verify();
    ImGui::SameLine();
    if (verification_) {
        const bool ok = verification_->ok;
        ImGui::TextColored(readable_on_background(ok ? palette::bluish_green : palette::vermillion), "%s",
                           ok ? ("Intact: all " + std::to_string(verification_->rows) +
                                 " rows follow each other and none was changed.")
                                    .c_str()
                              : ("Broken: " + verification_->message).c_str());
    } else {
        ImGui::TextDisabled("Each row carries a SHA-256 over its content and the row before it.");
    }
    if (!date_error_.empty())
        ImGui::TextColored(readable_on_background(palette::vermillion), "%s", date_error_.c_str());
    if (rows_.size() >= static_cast<size_t>(kRowLimit))
        ImGui::TextDisabled("The newest %zu rows shown; narrow the filters to see older ones.", rows_.size());
    else
        ImGui::TextDisabled("%zu rows, newest first.", rows_.size());
    draw_table();
}

void AuditView::draw_table() {
    const ImGuiTableFlags flags =
        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable;
    if (!ImGui::BeginTable("##audit", 5, flags)) return;
    const float em = ImGui::GetFontSize();
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("When", ImGuiTableColumnFlags_WidthFixed, em * 10);
    ImGui::TableSetupColumn("Person", ImGuiTableColumnFlags_WidthFixed, em * 8);
    ImGui::TableSetupColumn("Action", ImGuiTableColumnFlags_WidthFixed, em * 7);
    ImGui::TableSetupColumn("Record", ImGuiTableColumnFlags_WidthFixed, em * 7);
    ImGui::TableSetupColumn("Detail", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows_.size()));
    while (clipper.Step())
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const AuditEntry& e = rows_[static_cast<size_t>(i)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            // "2026-11-22T10:15:03Z" reads "2026-11-22 11:15:03" in a zone an hour ahead.
            ImGui::TextUnformatted(local_time_text(e.at, true).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(e.actor.c_str());
            ImGui::TableNextColumn();
            const bool alarming =
                e.action == "unlock_failed" || e.action == "delete" || e.action == "checkpoint_problem";
            if (alarming)
                ImGui::TextColored(readable_on_background(palette::vermillion), "%s", e.action.c_str());
            else
                ImGui::TextUnformatted(e.action.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(e.entity.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(e.detail.c_str());
            if (ImGui::IsItemHovered()) {  // the whole detail, which the column may cut off
                ImGui::BeginTooltip();
                {
                    ScopedWrap wrap(ImGui::GetFontSize() * 40);
                    ImGui::TextUnformatted(e.detail.c_str());
                }
                if (!e.entity_id.empty()) ImGui::TextDisabled("%s %s", e.entity.c_str(), e.entity_id.c_str());
                ImGui::EndTooltip();
            }
        }
    ImGui::EndTable();
}

}  // namespace attune::ui
