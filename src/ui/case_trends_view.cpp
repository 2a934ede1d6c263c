// case_trends_view: one couple over time. The not-on-track flag on top
// (version 2), the list of sessions on the left; on the right, scrolling: the
// couple-reported measures' summary (and, folded under it, each measure, which
// its clinician corrects or removes there), a 2-column grid of charts (one point per
// session, EFT stages as bands behind the data; one chart per instrument with
// both partners, the cut-off and the clinical range) and the lag-1 sequences
// pooled over the sessions. Everything is computed in refresh(), only when
// the database changed; a frame only draws. The charts are
// core/trend_charts.h's, the same the PDF summary draws. Its clinician
// names the case's supervisor and shares it with other clinicians here.
#include <imgui.h>

#include <algorithm>
#include <functional>
#include <string>

#include "core/dashboard.h"
#include "core/measures.h"
#include "core/session_clock.h"
#include "core/text.h"
#include "core/trend_charts.h"
#include "services/case_trends.h"
#include "services/cases.h"
#include "services/measures.h"
#include "services/people.h"
#include "services/supervision.h"
#include "ui/app_model.h"
#include "ui/case_form.h"
#include "ui/chart.h"
#include "ui/dialog.h"
#include "ui/export_dialog.h"
#include "ui/measure_entry.h"
#include "ui/process_tables.h"
#include "ui/theme.h"
#include "ui/views.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

class CaseTrendsView final : public View {
public:
    using View::View;
    ~CaseTrendsView() override {
        if (model_.shown_trend_charts() == &charts_) model_.set_shown_trend_charts(nullptr);
    }
    const char* name() const override { return "case"; }
    const char* help_text() const override {
        return "One couple over time: one point per session, in date order.\n"
               "Shaded bands show the EFT stage. Click a point to open that session.\n"
               "Click a legend entry to hide or show a series.\n"
               "Enter measures... records a questionnaire's scores for both partners; each instrument\n"
               "gets a chart by date, the cut-off dashed and the clinical range shaded.\n"
               "Each measure, under the table, lists every one entered; Correct... and Remove... fix a mistake.\n"
               "Below the charts: which moves of one partner were followed by which of the other's\n"
               "(lag 1) over all sessions; * marks |z| >= 1.96.";
    }

    void draw() override {
        refresh();
        if (ImGui::Button("< Caseload")) model_.show_caseload();
        ImGui::SameLine();
        heading(case_.label.c_str());
        // "Ana (pursuer) & Ben (withdrawer)": each partner's place in the cycle, when recorded.
        const auto partner = [](const Participant& p) {
            return p.cycle_position.empty() ? p.display_name : p.display_name + " (" + p.cycle_position + ")";
        };
        const std::string couple = partner(case_.partner_a) + " & " + partner(case_.partner_b) + "  -  " +
                                   std::to_string(sessions_.size()) + " sessions";
        // Each piece on this line while it fits, else on the next (issue 18 item 14).
        same_line_if_fits(ImGui::CalcTextSize(couple.c_str()).x);
        ImGui::TextDisabled("%s", couple.c_str());
        if (is_clinician_) {
            same_line_if_fits(button_width("Start next session"));
            if (ImGui::Button("Start next session")) start_next_session();
            same_line_if_fits(button_width("Enter measures..."));
            if (ImGui::Button("Enter measures...") || model_.take_measure_dialog_request())
                measure_dialog_.open_for(case_, std::nullopt);
        }
        same_line_if_fits(button_width("Export..."));
        if (ImGui::Button("Export...")) export_dialog_.open_case(case_);
        if (model_.take_export_dialog_request()) export_dialog_.open_case(case_, model_.take_export_format_request());
        export_dialog_.draw();
        measure_dialog_.draw();
        remove_measure_dialog_.draw();
        draw_people_line();
        draw_flag();
        ImGui::Separator();

        // Wide enough for "S12  2026-11-20  Review  Open" in the current font, at any
        // scale, beside the scrollbar a long list gets (issue 18 item 14).
        const ImGuiStyle& style = ImGui::GetStyle();
        const float list_width =
            ImGui::CalcTextSize("S12  2026-11-20").x + button_width("Review") + button_width("Open") +
            style.ItemSpacing.x * 2 + style.WindowPadding.x * 2 + style.ScrollbarSize + ImGui::GetFontSize();
        ImGui::BeginChild("sessions", ImVec2(list_width, 0), true);
        draw_session_list();
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("charts", ImVec2(0, 0), false);
        heading("Couple-reported measures");
        draw_measure_summary("##measures", metrics_.measures, case_);
        draw_administrations();
        ImGui::Spacing();
        draw_chart_grid();
        draw_sequences();
        ImGui::EndChild();
    }

private:
    // [SECTION] Data
    void refresh() {
        if (version_ == model_.data_version() && case_.id == model_.current_case() &&
            chart_options_ == model_.chart_options_version())
            return;
        model_.attempt([&] {
            metrics_ = services::case_metrics(model_.practice(), model_.current_case());
            case_ = metrics_.info;
            sessions_.clear();
            charted_.clear();
            std::vector<Session> counted;
            for (const auto& s : metrics_.sessions) {
                sessions_.push_back(s.session);
                if (s.counting.counts) {
                    charted_.push_back(s.session);
                    counted.push_back(s.session);
                }
            }
            safety_ = safety_concern(counted);
            // The same specification as the PDF's charts (core/trend_charts.h).
            charts_ = case_trend_charts(metrics_, TrendChartOptions{model_.five_to_one_reference()});
            const services::OpenPractice& practice = model_.practice();
            is_clinician_ = case_.clinician_id == practice.person().id && practice.holds(GrantRole::Clinician);
            may_name_supervisor_ = is_clinician_ || practice.holds(GrantRole::Administrator);
            flag_ = metrics_.not_on_track();
        });
        model_.set_shown_trend_charts(&charts_);
        version_ = model_.data_version();
        chart_options_ = model_.chart_options_version();
    }

    // [SECTION] Drawing
    // A tinted box: the flag's name in bold, its reason wrapped beside it, as
    // high as the reason needs at this width and scale (two fixed lines left a
    // scrollbar at scale 2: issue 18 item 14).
    static void draw_flag_box(const char* id, const std::string& name, const std::string& reason, float tint) {
        const ImGuiStyle& style = ImGui::GetStyle();
        float name_width = 0.0f;
        {
            ScopedFont font(fonts().bold);
            name_width = ImGui::CalcTextSize(name.c_str()).x;
        }
        const float wrap = ImGui::GetContentRegionAvail().x - name_width - style.ItemSpacing.x -
                           style.WindowPadding.x * 2;
        const float height = ImGui::CalcTextSize(reason.c_str(), nullptr, false, std::max(wrap, 1.0f)).y +
                             style.WindowPadding.y * 2 + style.ItemSpacing.y;
        ScopedColor color(ImGuiCol_ChildBg, to_imvec4(with_alpha(palette::vermillion, tint)));
        ImGui::BeginChild(id, ImVec2(0, height), true, ImGuiWindowFlags_NoScrollbar);
        {
            ScopedFont font(fonts().bold);
            ImGui::TextUnformatted(name.c_str());
        }
        ImGui::SameLine();
        ImGui::TextWrapped("%s", reason.c_str());
        ImGui::EndChild();
    }

    void draw_flag() {
        // Safety before every other flag, in words (DOMAIN.md v2).
        if (safety_) draw_flag_box("safety", flag_label(DashboardFlag::SafetyConcern), safety_->reason, 0.25f);
        const NotOnTrack& flag = flag_;  // version 2: the coded process or a measure
        if (flag.flagged) {
            draw_flag_box("flag", "Not on track", flag.reason, 0.18f);
        } else if (charted_.size() < 5) {
            ScopedWrap wrap(0.0f);
            ImGui::TextDisabled(
                "The coded-process part of the on-track check needs at least 5 counted sessions (%zu so far); "
                "no measure shows a reliable deterioration.",
                charted_.size());
        } else {
            ImGui::TextColored(readable_on_background(palette::bluish_green), "On track:");
            ImGui::SameLine();
            ScopedWrap wrap(0.0f);
            ImGui::TextUnformatted(
                "repairs are not declining, or ruptures have become less frequent; no measure "
                "shows a reliable deterioration.");
        }
    }

    void draw_session_list() {
        heading("Sessions");
        if (sessions_.empty()) ImGui::TextDisabled("No sessions yet.");
        for (auto it = metrics_.sessions.rbegin(); it != metrics_.sessions.rend(); ++it) {
            const Session& s = it->session;
            {
                ScopedId id(static_cast<int>(s.id));
                ImGui::Text("S%d  %s", s.number, s.date.c_str());
                if (s.state == SessionState::Ended) {
                    same_line_if_fits(button_width("Review"));
                    if (ImGui::SmallButton("Review")) model_.open_review(case_.id, s.id);
                } else {
                    const std::string state(to_string(s.state));
                    same_line_if_fits(ImGui::CalcTextSize(state.c_str()).x);
                    ImGui::TextColored(readable_on_background(palette::orange), "%s", state.c_str());
                }
                // The live session is its clinician's: it holds their private process notes.
                // (Only then on this line: a SameLine left behind put the next session
                // beside this one, issue 18 item 14.)
                if (is_clinician_) {
                    same_line_if_fits(button_width("Open"));
                    if (ImGui::SmallButton("Open")) model_.open_session(case_.id, s.id);
                }
                // Listed, not charted: the reason says why its rates are not shown.
                if (!it->counting.counts) {
                    ScopedWrap wrap(0.0f);
                    ImGui::TextDisabled("Not counted: %s", it->counting.reason.c_str());
                }
            }
        }
    }

    void draw_chart_grid() {
        if (sessions_.empty()) {
            ImGui::TextWrapped("Charts appear once the first session has been logged.");
            return;
        }
        const ImGuiStyle& style = ImGui::GetStyle();
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const float width = (avail.x - style.ItemSpacing.x) / 2.0f;
        const float min_height = ImGui::GetFontSize() * 12.5f;  // below this the axes crowd the data
        // The area scrolls (measures above, sequences below): two rows of charts fill what is in view.
        const float max_height = ImGui::GetFontSize() * 24.0f;  // on a tall screen more charts fit in view
        const float height = std::clamp((ImGui::GetWindowHeight() - style.ItemSpacing.y) / 2.0f - style.ItemSpacing.y,
                                        min_height, std::max(min_height, max_height));
        for (std::size_t i = 0; i < charts_.size(); ++i) {
            if (i % 2 == 1) ImGui::SameLine();
            ChartEvents events;
            const std::string id = "chart" + std::to_string(i);
            if (draw_chart(id.c_str(), charts_[i], ImVec2(width, height), &events) && events.clicked) {
                const ChartSpec& spec = charts_[i];
                // Only the session charts open a session: a measure chart's x is a date's place.
                if (spec.x_label != "Session") continue;
                const double x = spec.series[events.clicked->series].x[events.clicked->index];
                open_session_at(static_cast<std::size_t>(x + 0.5) - 1);  // x = position among charted sessions + 1
            }
        }
    }

    void draw_sequences() {
        if (sessions_.empty() || !metrics_.has_process_detail) return;
        ImGui::Spacing();
        heading("Sequences between the partners, all sessions pooled");
        draw_signal_context(metrics_.pooled_sequences);
        draw_lag_tables("##pooled", metrics_.pooled_sequences, case_);
    }

    void open_session_at(std::size_t index) {
        if (index >= charted_.size()) return;
        const Session& s = charted_[index];
        if (s.state == SessionState::Ended)
            model_.open_review(case_.id, s.id);
        else if (is_clinician_)
            model_.open_session(case_.id, s.id);
    }

    // [SECTION] Who else works on the case
    // Its clinician and supervisor, and the buttons that change them: the
    // clinician (or an administrator) names the supervisor, who alone
    // co-signs; the clinician shares the case with other clinicians.
    void draw_people_line() {
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("Clinician %s  -  supervisor %s", case_.clinician_name.c_str(),
                            case_.supervisor_id != 0 ? case_.supervisor_name.c_str() : "not named");
        if (may_name_supervisor_) {
            same_line_if_fits(button_width("Name supervisor..."));
            if (ImGui::SmallButton("Name supervisor...")) supervisor_dialog_.open();
        }
        if (is_clinician_) {
            same_line_if_fits(button_width("Share case..."));
            if (ImGui::SmallButton("Share case...")) share_dialog_.open();
            same_line_if_fits(button_width("Stop sharing..."));
            if (ImGui::SmallButton("Stop sharing...")) unshare_dialog_.open();
        }
        same_line_if_fits(button_width("Case details..."));
        // Goals and attachment styles, after the case was made: its clinician edits them, others read them.
        if (ImGui::SmallButton("Case details...")) {
            details_form_.load(case_);
            details_error_.clear();
            details_dialog_.open();
        }
        supervisor_dialog_.draw();
        share_dialog_.draw();
        unshare_dialog_.draw();
        details_dialog_.draw();
        if (!case_.goals.empty()) {
            ScopedWrap wrap(0.0f);
            ImGui::TextDisabled("Goals: %s", case_.goals.c_str());
        }
    }

    void draw_details_dialog(ViewModal& dialog) {
        details_form_.draw(ImGui::GetFontSize() * 18, false, !is_clinician_);
        if (!details_error_.empty())
            ImGui::TextColored(readable_on_background(palette::vermillion), "%s", details_error_.c_str());
        if (!is_clinician_) {
            ImGui::TextDisabled("Only the case's clinician changes these.");
            if (dialog_button("Close") || enter_confirms()) dialog.finish();
            return;
        }
        const bool save = dialog_button("Save");
        ImGui::SameLine();
        if (dialog_button("Cancel")) {
            dialog.finish();
        } else if (save || enter_confirms()) {
            try {
                services::update_case(model_.practice(), details_form_.result());
                model_.info("Case details saved.");
                dialog.finish();
            } catch (const std::exception& e) {
                details_error_ = e.what();
            }
        }
    }

    // The people holding `role`, other than the case's clinician (and never the recovery key).
    void load_candidates(GrantRole role) {
        candidates_.clear();
        chosen_ = 0;
        model_.attempt([&] {
            for (const services::PersonEntry& e : services::list_people(model_.practice()))
                if (!e.recovery && e.roles.count(role) && e.person.id != case_.clinician_id)
                    candidates_.push_back(e.person.name);
        });
    }

    // A choice among the candidates and a button that runs `action` with the name chosen.
    void draw_choice(ViewModal& dialog, const char* what, const char* none, const char* button,
                     const std::function<void(const std::string&)>& action) {
        ScopedWrap wrap(ImGui::GetFontSize() * 26);
        ImGui::TextWrapped("%s", what);
        if (candidates_.empty()) {
            ImGui::TextDisabled("%s", none);
            if (dialog_button("Close") || enter_confirms()) dialog.finish();
            return;
        }
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
        if (ImGui::BeginCombo("##person", candidates_[chosen_].c_str())) {
            for (std::size_t i = 0; i < candidates_.size(); ++i)
                if (ImGui::Selectable(candidates_[i].c_str(), i == chosen_)) chosen_ = i;
            ImGui::EndCombo();
        }
        const bool go = dialog_button(button);
        ImGui::SameLine();
        if (dialog_button("Cancel")) {
            dialog.finish();
        } else if (go || enter_confirms()) {
            action(candidates_[chosen_]);
            dialog.finish();
        }
    }

    void draw_supervisor_dialog(ViewModal& dialog) {
        draw_choice(
            dialog,
            "The case's supervisor reads its sessions and notes (never the private process notes) and "
            "alone co-signs them.",
            "Nobody holds the supervisor role yet: an administrator grants it (Practice > People).", "Name supervisor",
            [&](const std::string& name) {
                if (model_.attempt([&] { services::set_case_supervisor(model_.practice(), case_.label, name); }))
                    model_.info(name + " supervises " + case_.label + " now.");
            });
    }

    void draw_share_dialog(ViewModal& dialog) {
        draw_choice(dialog,
                    "A clinician you share the case with reads its sessions and progress notes; the private "
                    "process notes stay yours.",
                    "There is no other clinician in this practice.", "Share", [&](const std::string& name) {
                        if (model_.attempt([&] { services::share_case(model_.practice(), case_.label, name); }))
                            model_.info(case_.label + " is shared with " + name + ".");
                    });
    }

    void load_shared() {
        candidates_.clear();
        chosen_ = 0;
        model_.attempt([&] { candidates_ = services::case_shared_with(model_.practice(), case_.label); });
    }

    void draw_unshare_dialog(ViewModal& dialog) {
        draw_choice(dialog,
                    "They no longer read the case in this copy; once it syncs with the practice server, not "
                    "there either, and their own copy stops showing it when it syncs.",
                    "The case is not shared with anyone.", "Stop sharing", [&](const std::string& name) {
                        if (model_.attempt([&] { services::unshare_case(model_.practice(), case_.label, name); }))
                            model_.info(case_.label + " is no longer shared with " + name + ".");
                    });
    }

    // Each stored measure, folded away under the summary; its clinician corrects or removes one here.
    void draw_administrations() {
        const std::vector<Measure>& all = metrics_.measures.administrations;
        if (all.empty()) return;
        const std::string label = "Each measure (" + std::to_string(all.size()) + ")###administrations";
        if (!ImGui::TreeNode(label.c_str())) return;
        if (const auto action =
                draw_measure_administrations("##administrations", metrics_.measures, case_, is_clinician_)) {
            if (action->kind == MeasureRowAction::Kind::Correct) {
                measure_dialog_.open_to_correct(case_, action->measure);
            } else {
                removing_ = action->measure;
                remove_measure_dialog_.open();
            }
        }
        ImGui::TreePop();
    }

    // "Ana (A)'s ORS of 2026-03-01 (total 26.5, session 2)"
    std::string measure_words(const Measure& m) const {
        const std::optional<double> total = measure_total(m);
        std::string out = partner_label(case_, m.partner) + "'s " + m.instrument_id + " of " + m.date + " (" +
                          (total ? "total " + format_number(*total, 2) : std::string("no total"));
        if (m.session_number) out += ", session " + std::to_string(*m.session_number);
        return out + ")";
    }

    void draw_remove_measure_dialog(ViewModal& dialog) {
        ScopedWrap wrap(ImGui::GetFontSize() * 26);
        ImGui::TextWrapped("Remove %s?", measure_words(removing_).c_str());
        ImGui::TextDisabled(
            "Every copy it reaches by sync or bundle removes it too; the audit trail keeps the removal.");
        const bool remove = dialog_button("Remove");
        ImGui::SameLine();
        if (dialog_button("Cancel")) {
            dialog.finish();
        } else if (remove) {
            if (model_.attempt([&] { services::delete_measure(model_.practice(), removing_.id); }))
                model_.info("Removed " + measure_words(removing_) + ".");
            dialog.finish();
        }
    }

    void start_next_session() {
        model_.attempt([&] {
            // One session at a time: a session in progress is opened again.
            const services::SessionStart start = services::start_or_resume_session(model_.practice(), case_.id);
            model_.open_session(case_.id, start.session.id);
        });
    }

    Case case_;
    std::vector<Session> sessions_;  // date order, as in metrics_
    std::vector<Session> charted_;   // the sessions that count: the charts' x = position here + 1
    std::optional<FlagNotice> safety_;
    std::uint64_t chart_options_ = 0;
    CaseMetrics metrics_;
    std::vector<ChartSpec> charts_;  // kept between frames: legend toggles live in them
    NotOnTrack flag_;                // version 2, from metrics_
    ExportDialog export_dialog_{model_};
    MeasureEntryDialog measure_dialog_{model_};
    Measure removing_;  // what the Remove a measure dialog asks about
    ViewModal remove_measure_dialog_{"Remove a measure", [this](ViewModal& d) { draw_remove_measure_dialog(d); }};
    std::uint64_t version_ = 0;
    bool is_clinician_ = false;            // the person signed in is the case's clinician
    bool may_name_supervisor_ = false;     // its clinician or an administrator
    std::vector<std::string> candidates_;  // who the open dialog offers
    std::size_t chosen_ = 0;
    CaseForm details_form_;
    std::string details_error_;
    ViewModal details_dialog_{"Case details", [this](ViewModal& d) { draw_details_dialog(d); }};
    ViewModal supervisor_dialog_{"Name the case's supervisor", [this](ViewModal& d) { draw_supervisor_dialog(d); },
                                 [this] { load_candidates(GrantRole::Supervisor); }};
    ViewModal share_dialog_{"Share this case", [this](ViewModal& d) { draw_share_dialog(d); },
                            [this] { load_candidates(GrantRole::Clinician); }};
    ViewModal unshare_dialog_{"Stop sharing this case", [this](ViewModal& d) { draw_unshare_dialog(d); },
                              [this] { load_shared(); }};
};

}  // namespace

std::unique_ptr<View> make_case_view(AppModel& model) {
    return std::make_unique<CaseTrendsView>(model);
}

}  // namespace attune::ui
