// case_trends_view: one couple over time. The not-on-track flag on top, a
// 2-column grid of charts (one point per session, EFT stages as bands behind
// the data) and the list of sessions beside it. Everything is computed in
// refresh(), only when the database changed; a frame only draws. The charts
// are core/trend_charts.h's, the same the PDF summary draws.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "core/dashboard.h"
#include "core/session_clock.h"
#include "core/trend_charts.h"
#include "services/case_trends.h"
#include "services/cases.h"
#include "ui/app_model.h"
#include "ui/chart.h"
#include "ui/dialog.h"
#include "ui/export_dialog.h"
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
               "Click a legend entry to hide or show a series.";
    }

    void draw() override {
        refresh();
        if (ImGui::Button("< Caseload")) model_.show_caseload();
        ImGui::SameLine();
        heading(case_.label.c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("%s & %s  -  %zu sessions", case_.partner_a.display_name.c_str(),
                            case_.partner_b.display_name.c_str(), sessions_.size());
        ImGui::SameLine();
        if (ImGui::Button("Start next session")) start_next_session();
        ImGui::SameLine();
        if (ImGui::Button("Export...") || model_.take_export_dialog_request()) export_dialog_.open_case(case_);
        export_dialog_.draw();
        draw_flag();
        ImGui::Separator();

        // Wide enough for "S12  2026-11-20  Review  Open" in the current font, at any scale.
        const float list_width = ImGui::GetFontSize() * 17.0f;
        ImGui::BeginChild("sessions", ImVec2(list_width, 0), true);
        draw_session_list();
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("charts", ImVec2(0, 0), false);
        draw_chart_grid();
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
        });
        model_.set_shown_trend_charts(&charts_);
        version_ = model_.data_version();
        chart_options_ = model_.chart_options_version();
    }

    // [SECTION] Drawing
    void draw_flag() {
        const auto& t = metrics_.trends;
        // Safety before every other flag, in words (DOMAIN.md v2).
        if (safety_) {
            ScopedColor color(ImGuiCol_ChildBg, to_imvec4(with_alpha(palette::vermillion, 0.25f)));
            ImGui::BeginChild("safety", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 2.2f), true);
            {
                ScopedFont font(fonts().bold);
                ImGui::TextUnformatted(flag_label(DashboardFlag::SafetyConcern).c_str());
            }
            ImGui::SameLine();
            ImGui::TextWrapped("%s", safety_->reason.c_str());
            ImGui::EndChild();
        }
        if (t.not_on_track) {
            {
                ScopedColor color(ImGuiCol_ChildBg, to_imvec4(with_alpha(palette::vermillion, 0.18f)));
                ImGui::BeginChild("flag", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 2.2f), true);
                {
                    ScopedFont font(fonts().bold);
                    ImGui::TextUnformatted("Not on track");
                }
                ImGui::SameLine();
                ImGui::TextWrapped("%s", t.not_on_track_reason.c_str());
                ImGui::EndChild();
            }
        } else if (charted_.size() < 5) {
            ImGui::TextDisabled("The on-track check needs at least 5 counted sessions (%zu so far).", charted_.size());
        } else {
            ImGui::TextColored(readable_on_background(palette::bluish_green), "On track:");
            ImGui::SameLine();
            ImGui::TextUnformatted("repairs are not declining, or ruptures have become less frequent.");
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
                ImGui::SameLine();
                if (s.state == SessionState::Ended) {
                    if (ImGui::SmallButton("Review")) model_.open_review(case_.id, s.id);
                    ImGui::SameLine();
                } else {
                    ImGui::TextColored(readable_on_background(palette::orange), "%s",
                                       std::string(to_string(s.state)).c_str());
                    ImGui::SameLine();
                }
                if (ImGui::SmallButton("Open")) model_.open_session(case_.id, s.id);
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
        const int rows = static_cast<int>((charts_.size() + 1) / 2);
        const float width = (avail.x - style.ItemSpacing.x) / 2.0f;
        const float min_height = ImGui::GetFontSize() * 12.5f;  // below this the axes crowd the data
        const float height = std::max(
            min_height, (avail.y - style.ItemSpacing.y * static_cast<float>(rows - 1)) / static_cast<float>(rows));
        for (std::size_t i = 0; i < charts_.size(); ++i) {
            if (i % 2 == 1) ImGui::SameLine();
            ChartEvents events;
            const std::string id = "chart" + std::to_string(i);
            if (draw_chart(id.c_str(), charts_[i], ImVec2(width, height), &events) && events.clicked) {
                const ChartSpec& spec = charts_[i];
                const double x = spec.series[events.clicked->series].x[events.clicked->index];
                open_session_at(static_cast<std::size_t>(x + 0.5) - 1);  // x = position among charted sessions + 1
            }
        }
    }

    void open_session_at(std::size_t index) {
        if (index >= charted_.size()) return;
        const Session& s = charted_[index];
        if (s.state == SessionState::Ended)
            model_.open_review(case_.id, s.id);
        else
            model_.open_session(case_.id, s.id);
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
    ExportDialog export_dialog_{model_};
    std::uint64_t version_ = 0;
};

}  // namespace

std::unique_ptr<View> make_case_view(AppModel& model) {
    return std::make_unique<CaseTrendsView>(model);
}

}  // namespace attune::ui
