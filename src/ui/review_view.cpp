// review_view: a finished session. A timeline with one lane per partner and
// one for the therapist (points and state spans coloured by polarity,
// repaired ruptures linked to their repair, pursue->withdraw sequences as
// arrows between the lanes, change-event candidates as diamonds), below it
// the observation list, the session's lag-1 sequences and the change-event
// candidates to confirm or reject (audited), and the DAP note and ratings
// beside them. With a recording, the player above the timeline
// (ui/review_recording.h): a playhead on the timeline follows it, and a click
// on the timeline or on an observation moves it there. A rater may code the
// session here (ui/review_coding_panel.h). Data is read in refresh() only.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "core/agreement_text.h"
#include "core/change_event_decisions.h"
#include "core/counting.h"
#include "core/eft_steps.h"
#include "core/session_clock.h"
#include "core/text.h"
#include "core/trend_charts.h"
#include "services/case_trends.h"
#include "services/cases.h"
#include "services/export.h"
#include "services/notes.h"
#include "services/supervision.h"
#include "ui/app_model.h"
#include "ui/clipboard_audit.h"
#include "ui/dialog.h"
#include "ui/export_dialog.h"
#include "ui/keys.h"
#include "ui/process_tables.h"
#include "ui/review_coding_panel.h"
#include "ui/review_recording.h"
#include "ui/review_supervision.h"
#include "ui/session_parts.h"
#include "ui/theme.h"
#include "ui/views.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

// Lane 0 = partner A, 1 = partner B, 2 = therapist; `both` is drawn in A and B.
std::vector<int> lanes_of(Who who) {
    switch (who) {
        case Who::A:
            return {0};
        case Who::B:
            return {1};
        case Who::Both:
            return {0, 1};
        case Who::Therapist:
            return {2};
    }
    return {};
}

class ReviewView final : public View {
public:
    using View::View;
    const char* name() const override { return "review"; }
    const char* help_text() const override {
        return "A finished session. Hover a mark for its details.\n"
               "Curves link a rupture to the repair that repaired it; arrows show pursue -> withdraw.\n"
               "When a second rater coded the session, choose raters A and B under Inter-rater agreement: "
               "their disagreements are ticked on the lanes (solid at A's time, dashed at B's) and listed there.\n"
               "Diamonds mark change-event candidates (withdrawer re-engagement, blamer softening): confirm or "
               "reject each under Change events; only confirmed ones are charted.\n"
               "Sequences (lag 1): which move of one partner was followed by which of the other's; * |z| >= 1.96.\n\n"
               "Recording: F5 or Ctrl+Space plays and pauses; Ctrl+Left / Ctrl+Right go back or on 1 s (with "
               "Shift 5 s); comma and full stop step one frame. A click on the timeline or on an observation "
               "moves the recording there. Under the picture, raters A and B's codes move past the playhead.\n"
               "Sync mark: choose an observation in the list, find its moment on the recording, press Ctrl+M.\n\n"
               "Code this session: the same keys as live (1-4 who, the code's letter, Ctrl+Z undo, F8 stops "
               "states); the time is the recording's, or a replay clock's when there is no recording.";
    }
    double next_redraw_in() const override { return coding_.next_redraw_in(); }
    bool busy() const override { return recording_.busy(); }

    void draw() override {
        const double wall = wall_clock_seconds();
        refresh();
        recording_.refresh(case_, session_);
        coding_.follow(recording_.player());
        // Keys belong to a text field being typed in, or to an open popup.
        if (!ImGui::GetIO().WantTextInput &&
            !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel)) {
            recording_.handle_keys();
            coding_.handle_keys(wall);
        }
        // One row when the window is wide enough; what does not fit goes to the next row (scale 2).
        if (ImGui::Button("< Case")) model_.open_case(model_.current_case());
        const std::string title = case_.label + " - session " + std::to_string(session_.number);
        same_line_if_fits(ImGui::CalcTextSize(title.c_str()).x);
        heading(title.c_str());
        const std::string when = session_.date + "  " + session_.start_time + "  active " +
                                 format_clock(session_.active_seconds);
        same_line_if_fits(ImGui::CalcTextSize(when.c_str()).x);
        ImGui::TextDisabled("%s", when.c_str());
        same_line_if_fits(button_width("Copy session note"));
        if (ImGui::SmallButton("Copy session note")) copy_session_note();
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(
                "Copies the DAP note with the observed pattern as plain text, ready to paste into\n"
                "the record system. Private process notes are never included.");
        same_line_if_fits(button_width("Export..."));
        if (ImGui::SmallButton("Export...") || model_.take_export_dialog_request())
            export_dialog_.open_session_note(case_, session_);
        same_line_if_fits(button_width(coding_.toggle_label().c_str()));
        coding_.draw_toggle(session_, recording_.player(), wall);
        export_dialog_.draw();
        recording_.draw_dialogs();
        draw_summary();
        // The agreement's disagreements are marked on the timeline: bring it up to date first.
        refresh_review_supervision(model_, case_.id, session_.id, supervision_);
        update_review_agreement(supervision_);
        update_ratings_agreement(model_, case_.id, supervision_);  // its ICC goes beside the kappa
        const float panel_h = recording_.playing_field()
                                  ? std::max(ImGui::GetFontSize() * 13.0f, ImGui::GetContentRegionAvail().y * 0.38f)
                                  : 0.0f;
        recording_.draw(rater_lanes(), scheme_, panel_h);
        draw_timeline(wall);
        // The observations and the notes column side by side; the border between
        // them drags, and ImGui keeps its place in imgui.ini (issue 18 item 14).
        const float side = std::min(ImGui::GetFontSize() * 22.5f, ImGui::GetContentRegionAvail().x * 0.4f);
        // The rest of the window, but never less than a usable list: a short or scaled window scrolls instead.
        const float below = std::max(ImGui::GetContentRegionAvail().y, ImGui::GetFontSize() * 14.0f);
        if (!ImGui::BeginTable("##review_split", 2, ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV))
            return;
        ImGui::TableSetupColumn("##list", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("##side", ImGuiTableColumnFlags_WidthFixed, side);
        ImGui::TableNextColumn();
        ImGui::BeginChild("observations", ImVec2(0, below), true);
        if (coding_.active()) {
            coding_.draw(case_, wall);
        } else if (ImGui::BeginTabBar("##below")) {
            const std::string tab = model_.take_review_tab();
            const auto chosen = [&](const char* name) {
                return tab == name ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
            };
            if (ImGui::BeginTabItem("Observations", nullptr, chosen("observations"))) {
                draw_observation_list();
                ImGui::EndTabItem();
            }
            if (ImGui::BeginTabItem("Sequences (lag 1)", nullptr, chosen("sequences"))) {
                draw_signal_context(sequences_);
                draw_lag_tables("##session", sequences_, case_);
                ImGui::EndTabItem();
            }
            const std::string events =
                "Change events (" + std::to_string(change_events_.candidates.size()) + ")###events";
            if (ImGui::BeginTabItem(events.c_str(), nullptr, chosen("events"))) {
                draw_change_events();
                ImGui::EndTabItem();
            }
            ImGui::EndTabBar();
        }
        ImGui::EndChild();
        ImGui::TableNextColumn();
        ImGui::BeginChild("notes", ImVec2(0, below), true);
        // Whether the session is signed comes first: a long note or draft must not push it out of sight.
        draw_review_signatures(model_, case_.id, session_.id, supervision_);
        ImGui::Separator();
        draw_notes();
        ImGui::Separator();
        draw_review_discussion(model_, case_.id, session_.id, supervision_);
        ImGui::EndChild();
        ImGui::EndTable();
    }

private:
    ReviewSupervisionState supervision_;
    ExportDialog export_dialog_{model_};
    ReviewRecording recording_{model_};
    ReviewCodingPanel coding_{model_};
    RowId selected_ = 0;  // the observation chosen in the list (for a sync mark)

    // [SECTION] Time: the recording's, else the rater's replay clock
    std::optional<double> playhead(double wall) const {
        if (const auto s = recording_.session_position()) return s;
        return coding_.now(wall);
    }
    void seek(double session_seconds, double wall) {
        if (recording_.playing_field())
            recording_.seek_session(session_seconds);
        else
            coding_.seek(session_seconds, wall);
    }

    // Raters A and B of the agreement panel (the case clinician and a second
    // rater by default), their observations under the picture.
    std::vector<RaterLane> rater_lanes() const {
        std::vector<RaterLane> lanes;
        for (RowId rater : {supervision_.rater_a, supervision_.rater_b}) {
            if (rater == 0) continue;
            RaterLane lane;
            lane.name = rater_name(supervision_, rater);
            for (const Observation& o : supervision_.observations)
                if (o.rater_id == rater) lane.observations.push_back(&o);
            lanes.push_back(std::move(lane));
        }
        return lanes;
    }

    // The export `attune export --format txt --session N` makes, through the
    // same code path (services/export.h), to the clipboard.
    void copy_session_note() {
        model_.attempt([&] {
            services::ExportOptions options;
            options.format = "txt";
            options.session_number = session_.number;
            options.five_to_one_reference = model_.five_to_one_reference();
            services::ExportJob job(model_.practice(), case_, options);
            job.deliver(services::ExportDestination::to_clipboard(
                [](const std::string& text) { set_clipboard_recorded_elsewhere(text); }));
            model_.info("Session note copied to the clipboard.");
        });
    }

    // [SECTION] Data
    void refresh() {
        if (version_ == model_.data_version() && session_.id == model_.current_session()) return;
        model_.attempt([&] {
            services::SessionReview review =
                services::load_session_review(model_.practice(), model_.current_case(), model_.current_session());
            case_ = std::move(review.case_info);
            session_ = std::move(review.session);
            scheme_ = std::move(review.scheme);
            supervision_.scheme = scheme_;
            observations_ = std::move(review.therapist_layer);
            metrics_ = std::move(review.metrics);
            note_ = std::move(review.note);
            // A session that does not count shows its counts, never its rates, and says why.
            counting_ = services::session_counting(model_.practice(), session_);
            if (!counting_.counts) metrics_ = counts_only(std::move(metrics_));
            draft_ = services::assessment_draft(model_.practice(), session_);
            sequences_ = std::move(review.sequences);
            change_events_ = std::move(review.change_events);
            decisions_ = std::move(review.decisions);
            by_id_.clear();
            for (std::size_t i = 0; i < observations_.size(); ++i)
                by_id_[observations_[i].id] = i;
            repaired_after_.clear();
            for (const RuptureLink& link : metrics_.rupture_links)
                if (link.time_to_repair_s) repaired_after_[link.rupture_id] = *link.time_to_repair_s;
        });
        version_ = model_.data_version();
    }

    void select(const Observation& o) {
        selected_ = o.id;
        recording_.set_sync_observation(&o);
    }

    const Code* code_of(const Observation& o) const { return scheme_.find(o.code_id); }
    std::string label_of(const Observation& o) const {
        const Code* code = code_of(o);
        return code ? code->label : o.code_id;
    }
    std::string who_name(Who who) const {
        switch (who) {
            case Who::A:
                return case_.partner_a.display_name + " (A)";
            case Who::B:
                return case_.partner_b.display_name + " (B)";
            case Who::Both:
                return "both";
            case Who::Therapist:
                return "therapist";
        }
        return "";
    }
    std::string details(const Observation& o) const {
        std::string text = format_clock(o.t);
        if (o.stop) text += " - " + format_clock(*o.stop);
        text += "  " + who_name(o.who) + "\n" + label_of(o);
        if (o.intensity) text += "  (intensity " + std::to_string(*o.intensity) + ")";
        if (const Code* code = code_of(o); code && code->polarity == Polarity::Rupture) {
            const auto it = repaired_after_.find(o.id);
            text += it != repaired_after_.end() ? "\nrepaired after " + format_number(it->second, 0) + " s"
                                                : std::string("\nnot repaired within the window");
        }
        if (!o.comment.empty()) text += "\n\"" + o.comment + "\"";
        return text;
    }

    // [SECTION] Drawing
    void draw_summary() {
        const SessionMetrics& m = metrics_;
        const auto pct = [](const std::optional<double>& v) {
            return v ? format_number(*v * 100, 0) + "%" : std::string("-");
        };
        ScopedWrap wrap_summary(0.0f);  // narrow or scaled windows: the line wraps, never cut
        ImGui::Text(
            "Ruptures %d  |  repairs %d  |  repaired %s  |  median time to repair %s  |  signals answered %s"
            "  |  pursue -> withdraw %d (A->B) / %d (B->A)",
            m.rupture_total, m.repairs, pct(m.repair_rate).c_str(),
            m.median_time_to_repair_s ? (format_number(*m.median_time_to_repair_s, 0) + " s").c_str() : "-",
            pct(m.answer_rate).c_str(), m.pursue_withdraw_a_to_b, m.pursue_withdraw_b_to_a);
        if (!counting_.counts)
            ImGui::TextColored(readable_on_background(palette::orange), "%s", not_counted_sentence(counting_).c_str());
    }

    void draw_timeline(double wall) {
        const float scale = ui_scale();
        const float lane_h = ImGui::GetFontSize() * 3.5f;
        const float label_w = ImGui::GetFontSize() * 8.0f;
        const float axis_h = ImGui::GetTextLineHeightWithSpacing();
        const ImVec2 origin = ImGui::GetCursorScreenPos();
        const float width = ImGui::GetContentRegionAvail().x;
        const float height = lane_h * 3 + axis_h;
        ImGui::InvisibleButton("timeline", ImVec2(width, height));
        const bool hovered_area = ImGui::IsItemHovered();
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const ImU32 text_color = ImGui::GetColorU32(ImGuiCol_Text);
        const ImU32 grid_color = to_imgui(palette::grid);

        const float x0 = origin.x + label_w;
        const float x1 = origin.x + width - 10.0f * scale;
        const double duration = std::max(60.0, session_.active_seconds);
        const auto px = [&](double t) { return x0 + static_cast<float>(t / duration) * (x1 - x0); };
        const auto lane_y = [&](int lane) { return origin.y + lane_h * (static_cast<float>(lane) + 0.5f); };

        const std::string lane_names[3] = {who_name(Who::A), who_name(Who::B), "Therapist"};
        for (int lane = 0; lane < 3; ++lane) {
            const float top = origin.y + lane_h * static_cast<float>(lane);
            if (lane % 2 == 0)
                draw->AddRectFilled(ImVec2(origin.x, top), ImVec2(x1, top + lane_h),
                                    to_imgui(with_alpha(palette::reference, 0.07f)));
            draw->AddText(ImVec2(origin.x + 4, lane_y(lane) - ImGui::GetTextLineHeight() / 2), text_color,
                          lane_names[lane].c_str());
        }
        // Time axis: a tick every nice number of minutes.
        const double minutes = duration / 60.0;
        const double step_min = minutes <= 10 ? 1 : minutes <= 30 ? 5 : 10;
        const float axis_y = origin.y + lane_h * 3;
        for (double m = 0; m <= minutes + 1e-9; m += step_min) {
            const float x = px(m * 60);
            draw->AddLine(ImVec2(x, origin.y), ImVec2(x, axis_y), grid_color);
            const std::string label = format_number(m, 0) + " min";
            // Centred on its tick, but the last one kept inside the view: half of it would be cut off.
            const float text_w = ImGui::CalcTextSize(label.c_str()).x;
            const float left = std::min(x - text_w / 2, origin.x + width - text_w);
            draw->AddText(ImVec2(left, axis_y + 2), text_color, label.c_str());
        }

        // Links first, so the marks sit on top of them.
        for (const RuptureLink& link : metrics_.rupture_links) {
            if (!link.repaired_by) continue;
            const auto from = by_id_.find(link.rupture_id);
            const auto to = by_id_.find(*link.repaired_by);
            if (from == by_id_.end() || to == by_id_.end()) continue;
            const Observation& r = observations_[from->second];
            const Observation& p = observations_[to->second];
            const ImVec2 a(px(r.t), lane_y(lanes_of(r.who).front()));
            const ImVec2 b(px(p.t), lane_y(lanes_of(p.who).front()));
            const float lift = lane_h * 0.45f;
            draw->AddBezierCubic(a, ImVec2(a.x, a.y - lift), ImVec2(b.x, b.y - lift), b,
                                 to_imgui(with_alpha(palette::repair, 0.8f)), 1.5f * scale);
        }
        for (const PursueWithdrawPair& pair : metrics_.pursue_withdraw_pairs) {
            const auto from = by_id_.find(pair.pursue_id);
            const auto to = by_id_.find(pair.withdraw_id);
            if (from == by_id_.end() || to == by_id_.end()) continue;
            const Observation& p = observations_[from->second];
            const Observation& w = observations_[to->second];
            const ImVec2 a(px(p.t), lane_y(lanes_of(p.who).front()));
            const ImVec2 b(px(w.t), lane_y(lanes_of(w.who).front()));
            const ImU32 color = to_imgui(palette::rupture);
            draw->AddLine(a, b, color, 2.5f * scale);
            const float dx = b.x - a.x, dy = b.y - a.y;
            const float len = std::max(1.0f, std::sqrt(dx * dx + dy * dy));
            const float ux = dx / len, uy = dy / len, head = 9.0f * scale;
            draw->AddTriangleFilled(b, ImVec2(b.x - ux * head - uy * head * 0.5f, b.y - uy * head + ux * head * 0.5f),
                                    ImVec2(b.x - ux * head + uy * head * 0.5f, b.y - uy * head - ux * head * 0.5f),
                                    color);
        }

        // Marks; the one nearest the mouse gets a tooltip.
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        const Observation* nearest = nullptr;
        float nearest_d = 8.0f * scale;
        const float radius = 5.0f * scale;
        for (const Observation& o : observations_) {
            if (o.deleted) continue;
            const Code* code = code_of(o);
            const ImU32 color = to_imgui(code ? code_color(*code) : palette::reference);
            for (int lane : lanes_of(o.who)) {
                const float y = lane_y(lane);
                const float x = px(o.t);
                if (o.kind == EventKind::State) {
                    const float xe = px(o.stop.value_or(session_.active_seconds));
                    draw->AddRectFilled(ImVec2(x, y - radius), ImVec2(std::max(xe, x + 2), y + radius),
                                        (color & 0x00FFFFFFu) | 0x99000000u, 3.0f);
                    if (hovered_area && mouse.x >= x - 2 && mouse.x <= xe + 2 && std::abs(mouse.y - y) <= radius + 2) {
                        nearest = &o;
                        nearest_d = 0;
                    }
                } else {
                    draw->AddCircleFilled(ImVec2(x, y), radius, color);
                }
                const float d = std::hypot(mouse.x - x, mouse.y - y);
                if (hovered_area && d < nearest_d) {
                    nearest_d = d;
                    nearest = &o;
                }
            }
        }
        draw_disagreement_ticks(px, lane_y, lane_h, hovered_area && !nearest);
        const ChangeEventCandidate* candidate = draw_candidates(px, lane_y, lane_h, hovered_area && !nearest);
        if (nearest)
            ImGui::SetTooltip("%s", details(*nearest).c_str());
        else if (candidate)
            ImGui::SetTooltip("%s", describe(*candidate).c_str());

        // The playhead follows the recording (or the replay clock); a click
        // moves it: to a mark's own moment, else to the time under the mouse.
        if (const auto now = playhead(wall)) {
            const float x = px(std::clamp(*now, 0.0, duration));
            draw->AddLine(ImVec2(x, origin.y), ImVec2(x, axis_y), to_imgui(palette::highlight), 2.0f * scale);
            draw->AddTriangleFilled(ImVec2(x - 5 * scale, origin.y), ImVec2(x + 5 * scale, origin.y),
                                    ImVec2(x, origin.y + 6 * scale), to_imgui(palette::highlight));
        }
        // A click also sets the moment a new comment is pinned to.
        if (hovered_area && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            std::optional<double> clicked;
            if (nearest) {
                select(*nearest);
                clicked = nearest->t;
            } else if (mouse.x >= x0 && mouse.x <= x1) {
                clicked = static_cast<double>((mouse.x - x0) / (x1 - x0)) * duration;
            }
            if (clicked) {
                supervision_.comment_at_s = *clicked;
                if (recording_.playing_field() || coding_.active()) seek(*clicked, wall);
            }
        }

        // Legend: one chip per category of the session's scheme, in the colours of the pad and the charts;
        // as many rows as the width needs.
        for (std::size_t i = 0; i < scheme_.categories.size(); ++i) {
            const Category& category = scheme_.categories[i];
            if (i > 0) same_line_if_fits(chip_width(category.label.c_str()));
            chip(category.label.c_str(), category_color(category));
        }
        {
            ScopedWrap wrap(0.0f);
            ImGui::TextDisabled(
                "curve: rupture -> its repair   arrow: pursue -> withdraw   bar: state (e.g. shut down)   "
                "diamond: change-event candidate (filled: confirmed)");
        }
        if (supervision_.agreement) {
            // The agreement at a glance; the table is in the supervision panel.
            const AgreementResult& r = *supervision_.agreement;
            ImGui::TextUnformatted("Agreement");
            ImGui::SameLine();
            ImGui::TextDisabled("%s (A) vs %s (B):", rater_name(supervision_, supervision_.rater_a).c_str(),
                                rater_name(supervision_, supervision_.rater_b).c_str());
            ImGui::SameLine();
            // Beside the kappa: the raters' end-of-session ratings (DOMAIN.md "Agreement on ratings"),
            // wrapped rather than cut at a narrow width.
            const std::size_t n = r.disagreements.size();
            std::string line = "kappa " + format_kappa(r.kappa) + " (" + kappa_interpretation(r.kappa) + "), " +
                               format_number(r.percent_agreement * 100.0, 0) + "% agreement, " + std::to_string(n) +
                               (n == 1 ? " disagreement" : " disagreements");
            if (supervision_.ratings) line += "; " + ratings_icc_text(*supervision_.ratings);
            ImGui::TextWrapped("%s", line.c_str());
            if (n > 0)
                ImGui::TextDisabled(
                    "Disagreements are marked on the lanes: solid tick = A's time, dashed tick = B's time.");
        }
    }

    // Ticks across the lane at each disagreement's t_a (solid) and t_b
    // (dashed), capped by a small triangle, from the agreement computed when
    // the raters were chosen. In the text colour: the palette's colours all
    // mean a kind of observation here.
    // A hovered tick gets a tooltip naming both raters' codes.
    template <typename Px, typename LaneY>
    void draw_disagreement_ticks(const Px& px, const LaneY& lane_y, float lane_h, bool may_hover) {
        if (!supervision_.agreement) return;
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const float scale = ui_scale();
        const ImU32 tick = ImGui::GetColorU32(ImGuiCol_Text);
        const float cap = 4.0f * scale;
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        const Disagreement* hovered = nullptr;
        const float half = lane_h * 0.42f;
        for (const Disagreement& d : supervision_.agreement->disagreements) {
            for (int lane : lanes_of(d.who)) {
                const float y = lane_y(lane);
                if (d.t_a) {
                    const float x = px(*d.t_a);
                    draw->AddLine(ImVec2(x, y - half), ImVec2(x, y + half), tick, 2.0f * scale);
                    draw->AddTriangleFilled(ImVec2(x - cap, y - half - cap), ImVec2(x + cap, y - half - cap),
                                            ImVec2(x, y - half + cap), tick);
                    if (may_hover && std::abs(mouse.x - x) <= 3 * scale && std::abs(mouse.y - y) <= half) hovered = &d;
                }
                if (d.t_b) {
                    const float x = px(*d.t_b);
                    draw->AddTriangle(ImVec2(x - cap, y - half - cap), ImVec2(x + cap, y - half - cap),
                                      ImVec2(x, y - half + cap), tick, 1.5f * scale);
                    for (float top = y - half; top < y + half; top += 6.0f * scale)
                        draw->AddLine(ImVec2(x, top), ImVec2(x, std::min(top + 3.0f * scale, y + half)), tick,
                                      2.0f * scale);
                    if (may_hover && std::abs(mouse.x - x) <= 3 * scale && std::abs(mouse.y - y) <= half) hovered = &d;
                }
            }
        }
        if (!hovered) return;
        const std::string a = rater_name(supervision_, supervision_.rater_a);
        const std::string b = rater_name(supervision_, supervision_.rater_b);
        ImGui::SetTooltip("Disagreement (%s)\n%s: %s at %s\n%s: %s at %s", std::string(to_string(hovered->who)).c_str(),
                          a.c_str(), hovered->code_a.c_str(), hovered->t_a ? format_clock(*hovered->t_a).c_str() : "-",
                          b.c_str(), hovered->code_b.c_str(), hovered->t_b ? format_clock(*hovered->t_b).c_str() : "-");
    }

    // [SECTION] Change-event candidates

    const CandidateDecisionRecord* decision_of(const ChangeEventCandidate& c) const {
        return decision_for(c, decisions_);
    }

    std::string describe(const ChangeEventCandidate& c) const {
        const bool reengagement = c.kind == ChangeEventKind::WithdrawerReengagement;
        std::string text = std::string(reengagement ? "Withdrawer re-engagement" : "Blamer softening") +
                           " candidate\n" + format_clock(c.antecedent_t) + "  " + who_name(c.by) + ": " +
                           label_of_code(c.antecedent_code) + "\n" + format_clock(c.consequent_t) + "  " +
                           who_name(other_partner(c.by)) + ": " + label_of_code(c.consequent_code) + "\n";
        const CandidateDecisionRecord* d = decision_of(c);
        text += d ? std::string(to_string(d->decision)) + " by " + d->decided_by
                  : std::string("not yet decided: confirm or reject it under Change events");
        return text;
    }

    std::string label_of_code(const std::string& id) const {
        const Code* code = scheme_.find(id);
        return code ? code->label : id;
    }

    // Diamonds above the antecedent's mark, joined to the answer's lane; the
    // hovered one is returned (for its tooltip).
    template <typename Px, typename LaneY>
    const ChangeEventCandidate* draw_candidates(const Px& px, const LaneY& lane_y, float lane_h, bool may_hover) {
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const float scale = ui_scale();
        const float r = 6.0f * scale;
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        const ChangeEventCandidate* hovered = nullptr;
        for (const ChangeEventCandidate& c : change_events_.candidates) {
            const CandidateDecisionRecord* d = decision_of(c);
            const bool confirmed = d && d->decision == CandidateDecision::Confirmed;
            const bool rejected = d && d->decision == CandidateDecision::Rejected;
            const Rgba color = rejected ? palette::reference : palette::bluish_green;
            const ImVec2 at(px(c.antecedent_t), lane_y(c.by == Who::A ? 0 : 1) - lane_h * 0.34f);
            const ImVec2 to(px(c.consequent_t), lane_y(other_partner(c.by) == Who::A ? 0 : 1));
            draw->AddLine(at, to, to_imgui(with_alpha(color, 0.7f)), 1.5f * scale);
            const ImVec2 top(at.x, at.y - r), right(at.x + r, at.y), bottom(at.x, at.y + r), left(at.x - r, at.y);
            if (confirmed)
                draw->AddQuadFilled(top, right, bottom, left, to_imgui(color));
            else
                draw->AddQuad(top, right, bottom, left, to_imgui(color), 2.0f * scale);
            if (may_hover && std::hypot(mouse.x - at.x, mouse.y - at.y) <= r + 2) hovered = &c;
        }
        return hovered;
    }

    void draw_change_events() {
        const CycleRoles& roles = change_events_.roles;
        if (roles.known())
            ImGui::Text("Over the sessions so far %s pursues and %s withdraws.", who_name(*roles.pursuer).c_str(),
                        who_name(*roles.withdrawer).c_str());
        else
            ImGui::TextWrapped("%s Change events are looked for once both roles are known.",
                               roles.unknown_reason.c_str());
        if (change_events_.candidates.empty()) {
            ImGui::TextDisabled("No candidate in this session.");
            return;
        }
        if (!ImGui::BeginTable("##candidates", 5,
                               ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit))
            return;
        ImGui::TableSetupColumn("Time");
        ImGui::TableSetupColumn("Candidate");
        ImGui::TableSetupColumn("What happened", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("Decision");
        ImGui::TableSetupColumn("");
        ImGui::TableHeadersRow();
        for (std::size_t i = 0; i < change_events_.candidates.size(); ++i) {
            const ChangeEventCandidate& c = change_events_.candidates[i];
            ScopedId id(static_cast<int>(i));
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_clock(c.antecedent_t).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(c.kind == ChangeEventKind::WithdrawerReengagement ? "withdrawer re-engagement"
                                                                                     : "blamer softening");
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s: %s, then %s: %s at %s", who_name(c.by).c_str(),
                               label_of_code(c.antecedent_code).c_str(), who_name(other_partner(c.by)).c_str(),
                               label_of_code(c.consequent_code).c_str(), format_clock(c.consequent_t).c_str());
            ImGui::TableNextColumn();
            const CandidateDecisionRecord* d = decision_of(c);
            if (d)
                ImGui::Text("%s (%s)", std::string(to_string(d->decision)).c_str(), d->decided_by.c_str());
            else
                ImGui::TextDisabled("undecided");
            ImGui::TableNextColumn();
            const auto decide = [&](CandidateDecision decision) {
                model_.attempt([&] {
                    services::decide_change_event(model_.practice(), session_.id, c.key(), decision);
                    model_.info(std::string("Change event ") + std::string(to_string(decision)) + " at " +
                                format_clock(c.antecedent_t) + ".");
                });
            };
            {
                ScopedDisabled disabled(d && d->decision == CandidateDecision::Confirmed);
                if (ImGui::SmallButton("Confirm")) decide(CandidateDecision::Confirmed);
            }
            ImGui::SameLine();
            {
                ScopedDisabled disabled(d && d->decision == CandidateDecision::Rejected);
                if (ImGui::SmallButton("Reject")) decide(CandidateDecision::Rejected);
            }
        }
        ImGui::EndTable();
    }

    void draw_observation_list() {
        heading("Observations");
        if (!ImGui::BeginTable("obs", 5,
                               ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV))
            return;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Time", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("00:00-00:00").x);
        ImGui::TableSetupColumn("Who", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 7.5f);
        // Code and comment wrap in their columns (issue 18 item 14), so rows
        // differ in height and every row is laid out (no clipper).
        ImGui::TableSetupColumn("Code", ImGuiTableColumnFlags_WidthStretch, 1.3f);
        ImGui::TableSetupColumn("Repair", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("not repaired").x);
        ImGui::TableSetupColumn("Comment", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableHeadersRow();
        {
            for (int row = 0; row < static_cast<int>(observations_.size()); ++row) {
                const Observation& o = observations_[static_cast<std::size_t>(row)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                // A click on a row moves the recording to its moment and chooses it for a sync mark.
                ScopedId row_id(static_cast<int>(o.id));
                const std::string time =
                    format_clock(o.t) + (o.stop ? "-" + format_clock(*o.stop) : std::string()) + "##seek";
                if (ImGui::Selectable(time.c_str(), o.id == selected_, ImGuiSelectableFlags_SpanAllColumns)) {
                    select(o);
                    seek(o.t, wall_clock_seconds());
                }
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(who_name(o.who).c_str());
                ImGui::TableNextColumn();
                const Code* code = code_of(o);
                {
                    ScopedWrap wrap(0.0f);
                    ImGui::TextColored(readable_on_background(code ? code_color(*code) : palette::reference), "%s",
                                       label_of(o).c_str());
                }
                ImGui::TableNextColumn();
                if (code && code->polarity == Polarity::Rupture) {
                    const auto it = repaired_after_.find(o.id);
                    if (it != repaired_after_.end())
                        ImGui::Text("after %s s", format_number(it->second, 0).c_str());
                    else
                        ImGui::TextDisabled("not repaired");
                }
                ImGui::TableNextColumn();
                ScopedWrap wrap(0.0f);
                ImGui::TextUnformatted(o.comment.c_str());
            }
        }
        ImGui::EndTable();
    }

    void draw_notes() {
        heading("Ratings");
        const auto rating = [](const char* what, std::optional<int> v) {
            if (v)
                ImGui::Text("%s: %d / 10", what, *v);
            else
                ImGui::TextDisabled("%s: not rated", what);
        };
        rating(attunement_label(case_.partner_a.display_name).c_str(), session_.ratings.attunement_a);
        rating(attunement_label(case_.partner_b.display_name).c_str(), session_.ratings.attunement_b);
        rating("Safety", session_.ratings.safety);
        if (session_.eft_stage)
            ImGui::TextWrapped("EFT stage %d%s", *session_.eft_stage,
                               session_.eft_step ? (", step " + std::to_string(*session_.eft_step) + " (" +
                                                       eft_step_name(*session_.eft_step) + ")")
                                                          .c_str()
                                                    : "");
        ImGui::Separator();
        heading("Progress note (DAP)");
        ImGui::SameLine();
        // Every saved version, read when the button is pressed (the live screen has the same button).
        note_history_.draw([this] {
            std::vector<NoteVersion> versions;
            model_.attempt([&] { versions = services::note_history(model_.practice(), session_); });
            return versions;
        });
        // Signed: what is written here stays; corrections follow as addenda below.
        if (supervision_.sealed()) ImGui::TextDisabled("sealed: add an addendum");
        const auto field = [](const char* what, const std::string& text) {
            ImGui::TextDisabled("%s", what);
            if (text.empty())
                ImGui::TextDisabled("(empty)");
            else
                ImGui::TextWrapped("%s", text.c_str());
        };
        field("Data", note_.data);
        if (note_.assessment.empty() && !draft_.empty()) {
            draw_assessment_draft();
        } else {
            field(note_.assessment_source == AssessmentSource::AcceptedDraft ? "Assessment (Attune's draft, accepted)"
                                                                             : "Assessment",
                  note_.assessment);
        }
        field("Plan", note_.plan);
        ImGui::Separator();
        draw_trend_mark();
    }

    // An empty Assessment: Attune's draft, marked as one, with the button that accepts it as it stands.
    void draw_assessment_draft() {
        {
            ScopedWrap wrap(0.0f);  // the side panel is narrow: the label wraps like the draft
            ImGui::TextDisabled("Assessment: draft written by Attune from the coding (not yet reviewed)");
            ImGui::TextUnformatted(draft_.c_str());
        }
        // A signed note is sealed: its draft stays a draft.
        if (!supervision_.signatures.empty()) return;
        if (ImGui::Button("Accept draft"))
            model_.attempt([&] { services::accept_assessment_draft(model_.practice(), session_); });
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Writes this text into the Assessment, marked as Attune's draft that you accepted.");
    }

    // "Not for trends": the clinician leaves a test, aborted or individual session out of trends and flags.
    void draw_trend_mark() {
        heading("Trends");
        const bool marked = !session_.not_for_trends.empty();
        bool checked = marked || editing_mark_;
        if (ImGui::Checkbox("Not for trends##not_for_trends", &checked)) {
            if (marked && !checked) {
                model_.attempt([&] { services::set_not_for_trends(model_.practice(), session_, std::nullopt); });
            } else {
                editing_mark_ = checked;
                mark_reason_.clear();
            }
        }
        if (editing_mark_ && !marked) {
            ImGui::TextDisabled("Why? (a test, an aborted or individual session)");
            ImGui::SetNextItemWidth(-1);
            input_text("##mark_reason", mark_reason_);
            const bool has_reason = !trim(mark_reason_).empty();
            {
                ScopedDisabled disabled(!has_reason);
                if (ImGui::Button("Leave out of trends") &&
                    model_.attempt([&] { services::set_not_for_trends(model_.practice(), session_, mark_reason_); }))
                    editing_mark_ = false;
            }
            ImGui::SameLine();
            if (ImGui::Button("Cancel##mark")) editing_mark_ = false;
        }
        ScopedWrap wrap(0.0f);
        if (counting_.counts)
            ImGui::TextDisabled("This session counts toward trends and flags.");
        else
            ImGui::TextDisabled("%s", not_counted_sentence(counting_).c_str());
    }

    Case case_;
    Session session_;
    CodingScheme scheme_;
    std::vector<Observation> observations_;  // the clinician's layer, deleted ones left out
    std::map<RowId, std::size_t> by_id_;
    std::map<RowId, double> repaired_after_;  // rupture id -> seconds to its repair
    SessionMetrics metrics_;
    ProgressNote note_;
    SessionCounting counting_;
    std::string draft_;  // Attune's draft while the Assessment is empty
    NoteHistory note_history_;
    bool editing_mark_ = false;
    std::string mark_reason_;
    SequenceAnalysis sequences_;
    ChangeEvents change_events_;
    std::vector<CandidateDecisionRecord> decisions_;
    std::uint64_t version_ = 0;
};

}  // namespace

std::unique_ptr<View> make_review_view(AppModel& model) {
    return std::make_unique<ReviewView>(model);
}

}  // namespace attune::ui
