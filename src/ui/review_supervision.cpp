// review_supervision: signatures, addenda, pinned comments and agreement for
// one session under review. Sections:
//   [SECTION] Refreshing the cached state
//   [SECTION] Signatures and addenda
//   [SECTION] Comments pinned to moments
//   [SECTION] Agreement
#include "ui/review_supervision.h"

#include <imgui.h>

#include <algorithm>
#include <set>

#include "core/agreement_text.h"
#include "core/text.h"
#include "services/supervision.h"
#include "ui/dialog.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {

// [SECTION] Refreshing the cached state

void refresh_review_supervision(AppModel& model, RowId case_id, RowId session_id, ReviewSupervisionState& state) {
    if (!model.is_open()) return;
    if (state.loaded_version == model.data_version() && state.loaded_session == session_id) return;
    if (state.loaded_session != session_id) {
        state.rater_a = 0;
        state.rater_b = 0;
        state.new_addendum.clear();
        state.new_comment.clear();
        state.comment_at_s = 0.0f;
    }
    state.loaded_version = model.data_version();
    state.loaded_session = session_id;
    state.agreement.reset();
    model.attempt([&] {
        services::SupervisionRecord record = services::load_supervision(model.practice(), case_id, session_id);
        state.case_info = std::move(record.case_info);
        state.signatures = std::move(record.signatures);
        state.addenda = std::move(record.addenda);
        state.comments = std::move(record.comments);
        state.observations = std::move(record.observations);
        state.raters = std::move(record.raters);
        state.other_raters = std::move(record.other_raters);
    });
    const auto coded = [&](RowId id) {
        return std::any_of(state.raters.begin(), state.raters.end(), [&](const Person& p) { return p.id == id; });
    };
    if (!coded(state.rater_a)) state.rater_a = state.raters.empty() ? 0 : state.raters.front().id;
    if (!coded(state.rater_b) || state.rater_b == state.rater_a) {
        state.rater_b = 0;
        for (const Person& p : state.raters)
            if (p.id != state.rater_a) {
                state.rater_b = p.id;
                break;
            }
    }
}

std::string rater_name(const ReviewSupervisionState& state, RowId rater_id) {
    for (const Person& p : state.raters)
        if (p.id == rater_id) return p.name;
    return "";
}

void update_review_agreement(ReviewSupervisionState& state) {
    if (state.rater_a == 0 || state.rater_b == 0 || state.rater_a == state.rater_b) {
        state.agreement.reset();
        return;
    }
    if (state.agreement && state.agreement_rater_a == state.rater_a && state.agreement_rater == state.rater_b &&
        state.agreement_tolerance == state.tolerance_s && state.agreement_version == state.loaded_version)
        return;
    // The same use case as `attune agreement`, over the observations in memory.
    state.agreement = services::rater_agreement(state.observations, state.rater_a, state.rater_b, state.tolerance_s);
    ++state.agreement_computations;
    state.agreement_rater_a = state.rater_a;
    state.agreement_rater = state.rater_b;
    state.agreement_tolerance = state.tolerance_s;
    state.agreement_version = state.loaded_version;
}

namespace {

const Signature* find_signature(const ReviewSupervisionState& state, SignatureRole role) {
    for (const Signature& s : state.signatures)
        if (s.role == role) return &s;
    return nullptr;
}

// [SECTION] Signatures and addenda

void draw_signatures(AppModel& model, RowId session_id, const ReviewSupervisionState& state) {
    heading("Signatures");
    const Signature* signed_by = find_signature(state, SignatureRole::Sign);
    const Signature* cosigned_by = find_signature(state, SignatureRole::Cosign);
    if (!signed_by) ImGui::TextDisabled("The progress note is not signed yet.");
    for (const Signature& s : state.signatures) {
        ImGui::Text("%s by %s, %s", s.role == SignatureRole::Sign ? "Signed" : "Co-signed", s.signer_name.c_str(),
                    s.signed_at.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("note SHA-256 at signing: %s", s.note_sha256.c_str());
    }
    const Person& me = model.practice().person();
    if (!signed_by && me.role != PersonRole::Coder) {
        if (ImGui::Button("Sign progress note") &&
            model.attempt([&] { services::sign_session(model.practice(), session_id); }))
            model.info("progress note signed: it can no longer be changed, only added to");
        ImGui::SameLine();
        help_marker("Signing locks the progress note. Later corrections go into dated addenda.");
    }
    if (signed_by && !cosigned_by && me.role == PersonRole::Supervisor && me.id != signed_by->signer_id) {
        if (ImGui::Button("Co-sign as supervisor") &&
            model.attempt([&] { services::cosign_session(model.practice(), session_id); }))
            model.info("progress note co-signed");
    }
}

void draw_addenda(AppModel& model, RowId session_id, ReviewSupervisionState& state) {
    heading("Addenda");
    if (state.signatures.empty()) {
        ImGui::TextDisabled("Addenda can be added once the note is signed.");
        return;
    }
    if (state.addenda.empty()) ImGui::TextDisabled("No addenda.");
    for (const Addendum& a : state.addenda) {
        {
            ScopedId id3(static_cast<int>(a.id));
            ImGui::TextDisabled("%s, %s", a.author_name.c_str(), a.created_at.c_str());
            ImGui::TextWrapped("%s", a.text.c_str());
        }
    }
    input_text_multiline("##new_addendum", state.new_addendum, ImVec2(-1, ImGui::GetTextLineHeight() * 3.0f));
    const bool empty = trim(state.new_addendum).empty();
    if (empty) ImGui::BeginDisabled();
    if (ImGui::Button("Add addendum") &&
        model.attempt([&] { services::add_addendum(model.practice(), session_id, state.new_addendum); }))
        state.new_addendum.clear();
    if (empty) ImGui::EndDisabled();
}

// [SECTION] Comments pinned to moments

void draw_comments(AppModel& model, RowId session_id, ReviewSupervisionState& state) {
    heading("Comments");
    if (state.comments.empty()) ImGui::TextDisabled("No comments pinned to this session.");
    for (const ReviewComment& c : state.comments) {
        {
            ScopedId id2(static_cast<int>(c.id));
            ImGui::TextColored(readable_on_background(palette::blue), "%s", format_clock(c.t).c_str());
            ImGui::SameLine();
            ImGui::TextDisabled("%s", c.author_name.c_str());
            ImGui::SameLine();
            ImGui::TextWrapped("%s", c.text.c_str());
        }
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
    ImGui::DragFloat("##comment_at", &state.comment_at_s, 1.0f, 0.0f, 24.0f * 3600.0f, "%.0f s");
    state.comment_at_s = std::max(state.comment_at_s, 0.0f);
    ImGui::SameLine();
    ImGui::TextDisabled("(%s)", format_clock(state.comment_at_s).c_str());
    ImGui::SetNextItemWidth(-(ImGui::CalcTextSize("Pin comment").x + ImGui::GetStyle().FramePadding.x * 2 +
                              ImGui::GetStyle().ItemSpacing.x));
    input_text("##new_comment", state.new_comment);
    ImGui::SameLine();
    const bool empty = trim(state.new_comment).empty();
    if (empty) ImGui::BeginDisabled();
    if (ImGui::Button("Pin comment") && model.attempt([&] {
            services::add_comment(model.practice(), session_id, state.comment_at_s, state.new_comment);
        }))
        state.new_comment.clear();
    if (empty) ImGui::EndDisabled();
}

// [SECTION] Agreement

std::string time_or_dash(const std::optional<double>& t) {
    return t ? format_clock(*t) : std::string("-");
}

// A combo of the session's raters other than `other`.
void rater_combo(const char* id, const ReviewSupervisionState& state, RowId& chosen, RowId other) {
    ImGui::SetNextItemWidth(-1.0f);  // the panel is narrow: the whole width for long names
    if (ImGui::BeginCombo(id, rater_name(state, chosen).c_str())) {
        for (const Person& p : state.raters) {
            if (p.id == other) continue;  // a rater is never compared with themselves
            if (ImGui::Selectable(p.name.c_str(), p.id == chosen)) chosen = p.id;
        }
        ImGui::EndCombo();
    }
}

void draw_agreement(ReviewSupervisionState& state) {
    heading("Inter-rater agreement");
    if (state.raters.size() < 2) {
        ImGui::TextDisabled(
            "Only %s coded this session: there is no second rater to compare with.",
            state.raters.empty() ? state.case_info.clinician_name.c_str() : state.raters.front().name.c_str());
        return;
    }
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("A");
    ImGui::SameLine();
    rater_combo("##rater_a", state, state.rater_a, state.rater_b);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("B");
    ImGui::SameLine();
    rater_combo("##rater_b", state, state.rater_b, state.rater_a);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
    ImGui::DragFloat("tolerance##agreement", &state.tolerance_s, 0.1f, 0.0f, 60.0f, "%.1f s");
    state.tolerance_s = std::clamp(state.tolerance_s, 0.0f, 60.0f);
    update_review_agreement(state);
    if (!state.agreement) return;
    const AgreementResult& r = *state.agreement;

    ImGui::TextWrapped("kappa %s (%s), percent agreement %.0f%%", format_kappa(r.kappa).c_str(),
                       kappa_interpretation(r.kappa).c_str(), r.percent_agreement * 100.0);
    {
        ScopedColor color(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("matched %d, only %s %d, only %s %d", r.matched, rater_name(state, state.rater_a).c_str(),
                           r.unmatched_a, rater_name(state, state.rater_b).c_str(), r.unmatched_b);
    }

    if (!r.per_code.empty() &&
        ImGui::BeginTable("##per_code", 3,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("code");  // labels, as the clinician coded them; ids stay in the JSON
        ImGui::TableSetupColumn("agree / total");
        ImGui::TableSetupColumn("agreement");
        ImGui::TableHeadersRow();
        for (const auto& [code, counts] : r.per_code) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(agreement_code_label(state.scheme, code).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%d / %d", counts.agree, counts.total);
            ImGui::TableNextColumn();
            ImGui::Text("%.0f%%", counts.total > 0 ? 100.0 * counts.agree / counts.total : 0.0);
        }
        ImGui::EndTable();
    }

    if (r.disagreements.empty()) return;
    ImGui::TextDisabled("Disagreements (%zu)", r.disagreements.size());
    const float height =
        std::min(static_cast<float>(r.disagreements.size()) + 1.0f, 10.0f) * ImGui::GetTextLineHeightWithSpacing();
    if (ImGui::BeginTable("##disagreements", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY, ImVec2(0, height))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("time A / B");
        ImGui::TableSetupColumn("who");
        ImGui::TableSetupColumn("code A");
        ImGui::TableSetupColumn("code B");
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(r.disagreements.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const Disagreement& d = r.disagreements[static_cast<size_t>(i)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::Text("%s / %s", time_or_dash(d.t_a).c_str(), time_or_dash(d.t_b).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(std::string(to_string(d.who)).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(agreement_code_label(state.scheme, d.code_a).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(agreement_code_label(state.scheme, d.code_b).c_str());
            }
        }
        ImGui::EndTable();
    }
}

}  // namespace

void draw_review_supervision(AppModel& model, RowId case_id, RowId session_id, ReviewSupervisionState& state) {
    if (!model.is_open() || session_id == 0) return;
    refresh_review_supervision(model, case_id, session_id, state);
    {
        ScopedId id("review_supervision");
        draw_signatures(model, session_id, state);
        ImGui::Separator();
        draw_addenda(model, session_id, state);
        ImGui::Separator();
        draw_comments(model, session_id, state);
        ImGui::Separator();
        draw_agreement(state);
    }
}

}  // namespace attune::ui
