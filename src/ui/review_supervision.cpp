// review_supervision: signatures, addenda, pinned comments and agreement for
// one session under review. Sections:
//   [SECTION] Refreshing the cached state
//   [SECTION] Asking before signing
//   [SECTION] Signatures and addenda
//   [SECTION] Comments pinned to moments
//   [SECTION] Agreement
#include "ui/review_supervision.h"

#include <imgui.h>

#include <algorithm>
#include <set>

#include "core/agreement_text.h"
#include "core/clock_text.h"
#include "core/text.h"
#include "services/access.h"
#include "services/cases.h"
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
        state.comment_at_s = 0.0;
        state.editing_comment = 0;
        state.coder_to_assign = 0;
    }
    state.loaded_version = model.data_version();
    state.loaded_session = session_id;
    state.agreement.reset();
    model.attempt([&] {
        services::OpenPractice& practice = model.practice();
        services::SupervisionRecord record = services::load_supervision(practice, case_id, session_id);
        state.case_info = std::move(record.case_info);
        state.signatures = std::move(record.signatures);
        state.addenda = std::move(record.addenda);
        state.comments = std::move(record.comments);
        state.observations = std::move(record.observations);
        state.raters = std::move(record.raters);
        state.other_raters = std::move(record.other_raters);
        state.coders = std::move(record.coders);
        state.coders_to_assign = std::move(record.coders_to_assign);
        state.session = services::get_session(practice, session_id).value_or(Session{});
        state.checks = services::verify_signatures(practice, session_id);
        state.rights = record.rights;
        state.me = practice.person().id;
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
        state.time_slice.reset();
        return;
    }
    if (state.agreement && state.agreement_rater_a == state.rater_a && state.agreement_rater == state.rater_b &&
        state.agreement_tolerance == state.tolerance_s && state.agreement_version == state.loaded_version)
        return;
    // The same use case as `attune agreement`, over the observations in memory.
    state.agreement = services::rater_agreement(state.observations, state.rater_a, state.rater_b, state.tolerance_s);
    state.time_slice = services::rater_time_slice_agreement(state.observations, state.rater_a, state.rater_b, 1.0);
    ++state.agreement_computations;
    state.agreement_rater_a = state.rater_a;
    state.agreement_rater = state.rater_b;
    state.agreement_tolerance = state.tolerance_s;
    state.agreement_version = state.loaded_version;
}

// [SECTION] Asking before signing

SignConfirmation::SignConfirmation(SignatureRole role)
    : Modal(role == SignatureRole::Sign ? "Sign and seal this session?" : "Co-sign this session?"), role_(role) {}

void SignConfirmation::target(AppModel& model, const Case& c, const Session& s, const std::string& first_signer) {
    model_ = &model;
    case_ = c;
    session_ = s;
    first_signer_ = first_signer;
}

void SignConfirmation::draw_content() {
    const std::string session = "session " + std::to_string(session_.number) + " of " + case_.label;
    {
        ScopedWrap wrap(ImGui::GetFontSize() * 30);
        if (role_ == SignatureRole::Sign) {
            ImGui::TextWrapped("You sign %s as its clinician, with your own key.", session.c_str());
            ImGui::Spacing();
            ImGui::TextWrapped(
                "Signing seals the session: its observations, ratings, EFT stage and step and the progress note "
                "can no longer change, for anyone. Corrections go into addenda, dated and under your name. "
                "Whoever reads it later sees the signature verified, or that something changed after signing.");
        } else {
            ImGui::TextWrapped(
                "You co-sign %s as the case's supervisor, with your own key: the session as %s "
                "signed it, with their signature.",
                session.c_str(), first_signer_.c_str());
            ImGui::Spacing();
            ImGui::TextWrapped("The session stays sealed; corrections go into addenda.");
        }
    }
    ImGui::Spacing();
    const bool confirm = dialog_button(role_ == SignatureRole::Sign ? "Sign and seal" : "Co-sign");
    ImGui::SameLine();
    if (dialog_button("Cancel")) {
        close();
        return;
    }
    if (!confirm && !enter_confirms()) return;
    AppModel& model = *model_;
    const RowId session_id = session_.id;
    if (role_ == SignatureRole::Sign) {
        if (model.attempt([&] { services::sign_session(model.practice(), session_id); }))
            model.info("Session " + std::to_string(session_.number) +
                       " signed and sealed: corrections go into addenda.");
    } else if (model.attempt([&] { services::cosign_session(model.practice(), session_id); })) {
        model.info("Session " + std::to_string(session_.number) + " co-signed.");
    }
    close();
}

namespace {

const Signature* find_signature(const ReviewSupervisionState& state, SignatureRole role) {
    for (const Signature& s : state.signatures)
        if (s.role == role) return &s;
    return nullptr;
}

// "2026-11-22T10:14:03Z" -> "2026-11-22 11:14" in the computer's time zone.
std::string signed_when(const std::string& iso) { return local_time_text(iso); }

// [SECTION] Signatures and addenda

// "Signed by Maya Lee — verified"; otherwise why not, in red. Below it when and
// with which key; the whole check on hover.
void draw_signature_check(const services::SignatureCheck& check) {
    const Signature& s = check.signature;
    const std::string line = std::string(s.role == SignatureRole::Sign ? "Signed by " : "Co-signed by ") +
                             s.signer_name + " \xE2\x80\x94 " + (check.verified() ? "verified" : check.reason);
    {
        ScopedColor color(ImGuiCol_Text, check.verified() ? ImGui::GetStyleColorVec4(ImGuiCol_Text)
                                                          : readable_on_background(palette::vermillion));
        ImGui::TextWrapped("%s", line.c_str());
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s\nsession digest %s", services::signature_line(check).c_str(),
                          s.digest.empty() ? "(none)" : s.digest.c_str());
    ImGui::TextDisabled("%s", signed_when(s.signed_at).c_str());
    // The key's whole fingerprint, as `attune person list` and `attune verify` print it (for comparing).
    if (check.verified() && !check.fingerprint.empty()) text_disabled_wrapped("key " + check.fingerprint);
}

void draw_signatures(ReviewSupervisionState& state) {
    heading("Signatures");
    if (state.checks.empty()) ImGui::TextDisabled("Not signed yet: the session can still change.");
    for (const services::SignatureCheck& check : state.checks) {
        ScopedId id(static_cast<int>(check.signature.id));
        draw_signature_check(check);
    }
    const Signature* first = find_signature(state, SignatureRole::Sign);
    const Signature* cosigned = find_signature(state, SignatureRole::Cosign);
    if (state.rights.sign && ImGui::Button("Sign session...")) state.sign_dialog.open();
    if (state.rights.cosign && ImGui::Button("Co-sign as supervisor...")) state.cosign_dialog.open();
    if (first && !cosigned && !state.rights.cosign && state.case_info.supervisor_id != 0)
        text_disabled_wrapped("Co-signed only by the case's supervisor, " + state.case_info.supervisor_name + ".");
}

void draw_addenda(AppModel& model, RowId session_id, ReviewSupervisionState& state) {
    heading("Addenda");
    if (state.signatures.empty()) {
        ImGui::TextDisabled("Addenda can be added once the session is signed.");
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
    if (!state.rights.add_addendum) return;
    text_disabled_wrapped("The session is sealed: corrections go here.");
    input_text_multiline("##new_addendum", state.new_addendum, ImVec2(-1, ImGui::GetTextLineHeight() * 3.0f));
    const bool empty = trim(state.new_addendum).empty();
    if (empty) ImGui::BeginDisabled();
    if (ImGui::Button("Add addendum") &&
        model.attempt([&] { services::add_addendum(model.practice(), session_id, state.new_addendum); }))
        state.new_addendum.clear();
    if (empty) ImGui::EndDisabled();
}

// [SECTION] Comments pinned to moments

namespace {

// The author's own comment, being edited: its moment and text, Save or Cancel.
void draw_comment_editor(AppModel& model, RowId session_id, ReviewSupervisionState& state) {
    input_clock("##edited_at", state.edited_at_s, state.edited_at_field);
    ImGui::SameLine();
    const ImGuiStyle& style = ImGui::GetStyle();
    const float buttons = ImGui::CalcTextSize("Save").x + ImGui::CalcTextSize("Cancel").x +
                          style.FramePadding.x * 4 + style.ItemSpacing.x * 2;
    ImGui::SetNextItemWidth(-buttons);
    input_text("##edited_text", state.edited_text);
    ImGui::SameLine();
    const bool empty = trim(state.edited_text).empty();
    if (empty) ImGui::BeginDisabled();
    if (ImGui::SmallButton("Save") && model.attempt([&] {
            services::edit_comment(model.practice(), session_id, state.editing_comment, state.edited_at_s,
                                   state.edited_text);
        }))
        state.editing_comment = 0;
    if (empty) ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::SmallButton("Cancel")) state.editing_comment = 0;
}

}  // namespace

void draw_comments(AppModel& model, RowId session_id, ReviewSupervisionState& state) {
    heading("Comments");
    if (state.comments.empty()) ImGui::TextDisabled("No comments pinned to this session.");
    for (const ReviewComment& c : state.comments) {
        ScopedId id2(static_cast<int>(c.id));
        if (state.editing_comment == c.id) {
            draw_comment_editor(model, session_id, state);
            continue;
        }
        ImGui::TextColored(readable_on_background(palette::blue), "%s", format_clock(c.t).c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("%s", c.author_name.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("written %s", local_time_text(c.created_at).c_str());
        // Its author edits it or takes it down (each audited).
        if (c.author_id != 0 && c.author_id == state.me && state.rights.comment) {
            ImGui::SameLine();
            if (ImGui::SmallButton("Edit")) {
                state.editing_comment = c.id;
                state.edited_text = c.text;
                state.edited_at_s = c.t;
                state.edited_at_field = {};
            }
            ImGui::SameLine();
            if (ImGui::SmallButton("Delete") &&
                model.attempt([&] { services::delete_comment(model.practice(), session_id, c.id); }))
                if (state.editing_comment == c.id) state.editing_comment = 0;
        }
        ImGui::TextWrapped("%s", c.text.c_str());
    }
    if (!state.rights.comment) return;
    ImGui::TextDisabled("At");
    ImGui::SameLine();
    input_clock("##comment_at", state.comment_at_s, state.comment_at_field);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("minutes:seconds; a click on the timeline sets it");
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
    if (state.time_slice) {
        ScopedColor color(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextUnformatted(("BORIS's time-slice kappa (1 s): " + format_kappa(state.time_slice->kappa)).c_str());
    }
    ImGui::SameLine();
    help_marker(kappa_methods_text().data());  // a string literal: NUL-terminated
    // Beside the kappa: the raters' end-of-session ratings (DOMAIN.md "Agreement on ratings").
    if (state.ratings) {
        ScopedColor color(ImGuiCol_Text,
                          ImGui::GetStyleColorVec4(state.ratings->icc ? ImGuiCol_Text : ImGuiCol_TextDisabled));
        ImGui::TextWrapped("%s", ratings_icc_text(*state.ratings).c_str());
    }
    text_disabled_wrapped("matched " + std::to_string(r.matched) + ", only " + rater_name(state, state.rater_a) + " " +
                          std::to_string(r.unmatched_a) + ", only " + rater_name(state, state.rater_b) + " " +
                          std::to_string(r.unmatched_b));

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

void update_ratings_agreement(AppModel& model, RowId case_id, ReviewSupervisionState& state) {
    if (state.rater_a == 0 || state.rater_b == 0) {
        state.ratings.reset();
        return;
    }
    if (state.ratings && state.ratings_rater_a == state.rater_a && state.ratings_rater_b == state.rater_b &&
        state.ratings_version == model.data_version())
        return;
    state.ratings_rater_a = state.rater_a;
    state.ratings_rater_b = state.rater_b;
    state.ratings_version = model.data_version();
    state.ratings.reset();
    model.attempt(
        [&] { state.ratings = services::ratings_agreement(model.practice(), case_id, state.rater_a, state.rater_b); });
}

std::string ratings_icc_text(const RatingAgreement& ratings) {
    const std::string gave =
        std::to_string(ratings.targets) + (ratings.targets == 1 ? " rating" : " ratings") + " both gave";
    if (ratings.icc)
        return "ratings ICC(2,1) " + format_number(*ratings.icc, 2) + " over " + gave + " (" +
               std::to_string(ratings.sessions) + (ratings.sessions == 1 ? " session)" : " sessions)");
    // With 3 targets or more ICC is none only when no rating varies (core/rating_agreement.h).
    if (ratings.targets >= 3) return "ratings ICC(2,1): none (the " + gave + " are all equal: nothing to tell apart)";
    return "ratings ICC(2,1): none yet (" + gave + "; needs 3)";
}

// [SECTION] Coders the session is assigned to

namespace {

// Each coder with Take back, and Assign with a combo of those holding the
// coder role: for the case's clinician, supervisor or an administrator only
// (a coder's own coding stays independent of who else codes). The services
// the command line runs (`attune session assign|unassign`) do it.
void draw_coders(AppModel& model, ReviewSupervisionState& state) {
    heading("Coders");
    const std::string label = state.case_info.label;
    const int number = state.session.number;
    const std::string session = "session " + std::to_string(number) + " of " + label;
    if (state.coders.empty()) ImGui::TextDisabled("No coder is assigned this session.");
    for (const Person& p : state.coders) {
        ScopedId id(static_cast<int>(p.id));
        ImGui::TextUnformatted(p.name.c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton("Take back") &&
            model.attempt([&] { services::unassign_coder(model.practice(), label, number, p.name); }))
            model.info("Took " + session + " back from " + p.name +
                       ": their copy stops showing it at their next sync.");
    }
    if (state.coders_to_assign.empty()) {
        ImGui::TextDisabled("Nobody else holds the coder role (an administrator grants it in People).");
        return;
    }
    const auto chosen = std::find_if(state.coders_to_assign.begin(), state.coders_to_assign.end(),
                                     [&](const Person& p) { return p.id == state.coder_to_assign; });
    const Person& coder = chosen != state.coders_to_assign.end() ? *chosen : state.coders_to_assign.front();
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.6f);
    if (ImGui::BeginCombo("##coder_to_assign", coder.name.c_str())) {
        for (const Person& p : state.coders_to_assign)
            if (ImGui::Selectable(p.name.c_str(), p.id == coder.id)) state.coder_to_assign = p.id;
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (ImGui::Button("Assign") &&
        model.attempt([&] { services::assign_coder(model.practice(), label, number, coder.name); }))
        model.info("Assigned " + session + " to " + coder.name + ": they code it in their own copy, after their "
                   "next sync when the practice has a server.");
}

}  // namespace

void draw_review_signatures(AppModel& model, RowId case_id, RowId session_id, ReviewSupervisionState& state) {
    if (!model.is_open() || session_id == 0) return;
    refresh_review_supervision(model, case_id, session_id, state);
    ScopedId id("review_supervision");
    draw_signatures(state);
    const Signature* first = find_signature(state, SignatureRole::Sign);
    state.sign_dialog.target(model, state.case_info, state.session, "");
    state.sign_dialog.draw();
    state.cosign_dialog.target(model, state.case_info, state.session, first ? first->signer_name : "");
    state.cosign_dialog.draw();
}

void draw_review_discussion(AppModel& model, RowId case_id, RowId session_id, ReviewSupervisionState& state) {
    if (!model.is_open() || session_id == 0) return;
    refresh_review_supervision(model, case_id, session_id, state);
    ScopedId id("review_supervision");
    draw_addenda(model, session_id, state);
    ImGui::Separator();
    draw_comments(model, session_id, state);
    ImGui::Separator();
    if (state.rights.assign_coders) {
        draw_coders(model, state);
        ImGui::Separator();
    }
    update_ratings_agreement(model, case_id, state);
    draw_agreement(state);
}

void draw_review_supervision(AppModel& model, RowId case_id, RowId session_id, ReviewSupervisionState& state) {
    draw_review_signatures(model, case_id, session_id, state);
    ImGui::Separator();
    draw_review_discussion(model, case_id, session_id, state);
}

}  // namespace attune::ui
