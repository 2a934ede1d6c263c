// case_trends_view: one couple over time. The not-on-track flag on top, a
// 2-column grid of charts (one point per session, EFT stages as bands behind
// the data) and the list of sessions beside it. Everything is computed in
// refresh(), only when the database changed; a frame only draws.
#include "core/session_clock.h"
#include "io/case_metrics.h"
#include "ui/app_model.h"
#include "ui/chart.h"
#include "ui/export_dialog.h"
#include "ui/theme.h"
#include "ui/views.h"
#include "ui/widgets.h"

#include <imgui.h>

#include <algorithm>
#include <string>

namespace attune::ui {
namespace {

using Values = std::vector<std::optional<double>>;

class CaseTrendsView final : public View {
public:
    using View::View;
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
        if (version_ == model_.data_version() && case_.id == model_.current_case()) return;
        model_.attempt([&] {
            if (auto c = store::CaseRepository(model_.db()).get(model_.current_case())) case_ = *c;
            metrics_ = io::compute_case_metrics(model_.db(), case_.id, io::load_metric_settings(model_.db()));
            sessions_.clear();
            for (const auto& s : metrics_.sessions) sessions_.push_back(s.session);
            build_charts();
        });
        // Read after the computation: writing the metrics cache bumps the version once.
        version_ = model_.data_version();
    }

    // x of session i is i + 1 (date order), so sessions are evenly spaced.
    std::vector<double> xs() const {
        std::vector<double> out;
        for (std::size_t i = 0; i < sessions_.size(); ++i) out.push_back(static_cast<double>(i + 1));
        return out;
    }
    Series series(const std::string& name, Values y, Rgba color, SeriesStyle style = SeriesStyle::LineWithMarkers) const {
        Series s;
        s.name = name;
        s.x = xs();
        s.y = std::move(y);
        s.color = color;
        s.style = style;
        return s;
    }
    template <typename F>
    Values collect(F value_of) const {
        Values out;
        for (const auto& s : metrics_.sessions) out.push_back(value_of(s));
        return out;
    }
    ChartSpec base_spec(const std::string& title, const std::string& y_label) const {
        ChartSpec spec;
        spec.title = title;
        spec.y_label = y_label;
        for (std::size_t i = 0; i < sessions_.size(); ++i)
            spec.x_ticks.push_back({static_cast<double>(i + 1), "S" + std::to_string(sessions_[i].number)});
        // Consecutive sessions of one EFT stage share a band.
        for (std::size_t i = 0; i < sessions_.size();) {
            std::size_t j = i;
            while (j + 1 < sessions_.size() && sessions_[j + 1].eft_stage == sessions_[i].eft_stage) ++j;
            if (const auto stage = sessions_[i].eft_stage)
                spec.bands.push_back({static_cast<double>(i) + 0.5, static_cast<double>(j) + 1.5,
                                      "Stage " + std::to_string(*stage), palette::stage_band(*stage)});
            i = j + 1;
        }
        return spec;
    }

    void build_charts() {
        charts_.clear();
        using SWM = io::SessionWithMetrics;
        {
            ChartSpec spec = base_spec("Repair rate (ruptures repaired)", "% repaired");
            spec.y_percent = true;
            spec.y_min = 0;
            spec.y_max = 1;
            spec.series.push_back(series("Repair rate", collect([](const SWM& s) { return s.metrics.repair_rate; }),
                                         palette::repair));
            charts_.push_back(std::move(spec));
        }
        {
            ChartSpec spec = base_spec("Median time to repair", "seconds");
            spec.y_min = 0;
            spec.series.push_back(series("Median time to repair",
                                         collect([](const SWM& s) { return s.metrics.median_time_to_repair_s; }),
                                         palette::blue));
            charts_.push_back(std::move(spec));
        }
        {
            ChartSpec spec = base_spec("Repairs per rupture (positive : negative)", "ratio");
            spec.y_min = 0;
            spec.reference_lines.push_back({5.0, "5 : 1", palette::reference});
            spec.series.push_back(series("Repairs / ruptures",
                                         collect([](const SWM& s) { return s.metrics.pos_neg_ratio; }),
                                         palette::bluish_green));
            charts_.push_back(std::move(spec));
        }
        {
            ChartSpec spec = base_spec("Answered attachment signals", "% answered");
            spec.y_percent = true;
            spec.y_min = 0;
            spec.y_max = 1;
            spec.series.push_back(series("Answer rate", collect([](const SWM& s) { return s.metrics.answer_rate; }),
                                         palette::signal));
            charts_.push_back(std::move(spec));
        }
        charts_.push_back(rupture_chart(true));
        charts_.push_back(rupture_chart(false));
        {
            ChartSpec spec = base_spec("Pursue -> withdraw sequences", "count");
            spec.y_min = 0;
            spec.series.push_back(series(case_.partner_a.display_name + " pursues, " + case_.partner_b.display_name +
                                             " withdraws",
                                         collect([](const SWM& s) { return std::optional<double>(s.metrics.pursue_withdraw_a_to_b); }),
                                         palette::partner_a, SeriesStyle::Bars));
            spec.series.push_back(series(case_.partner_b.display_name + " pursues, " + case_.partner_a.display_name +
                                             " withdraws",
                                         collect([](const SWM& s) { return std::optional<double>(s.metrics.pursue_withdraw_b_to_a); }),
                                         palette::partner_b, SeriesStyle::Bars));
            charts_.push_back(std::move(spec));
        }
        {
            ChartSpec spec = base_spec("Clinician ratings (end of session)", "0-10");
            spec.y_min = 0;
            spec.y_max = 10;
            const auto rating = [](std::optional<int> v) { return v ? std::optional<double>(*v) : std::nullopt; };
            spec.series.push_back(series("Attunement " + case_.partner_a.display_name,
                                         collect([&](const SWM& s) { return rating(s.session.ratings.attunement_a); }),
                                         palette::partner_a));
            spec.series.push_back(series("Attunement " + case_.partner_b.display_name,
                                         collect([&](const SWM& s) { return rating(s.session.ratings.attunement_b); }),
                                         palette::partner_b));
            spec.series.push_back(series("Safety", collect([&](const SWM& s) { return rating(s.session.ratings.safety); }),
                                         palette::bluish_green));
            charts_.push_back(std::move(spec));
        }
    }

    // Ruptures per 10 minutes of one partner, stacked by category.
    ChartSpec rupture_chart(bool partner_a) const {
        const std::string& who = partner_a ? case_.partner_a.display_name : case_.partner_b.display_name;
        ChartSpec spec = base_spec("Ruptures of " + who + " (" + (partner_a ? "A" : "B") + ") per 10 min", "per 10 min");
        spec.y_min = 0;
        std::vector<std::string> categories;
        for (const auto& s : metrics_.sessions)
            for (const auto& [category, count] : (partner_a ? s.metrics.ruptures_a : s.metrics.ruptures_b).by_category)
                if (std::find(categories.begin(), categories.end(), category) == categories.end())
                    categories.push_back(category);
        const std::array<Rgba, 3> colors{palette::vermillion, palette::reddish_purple, palette::sky_blue};
        for (std::size_t k = 0; k < categories.size(); ++k) {
            const std::string& category = categories[k];
            Values y;
            for (const auto& s : metrics_.sessions) {
                const auto& counts = (partner_a ? s.metrics.ruptures_a : s.metrics.ruptures_b).by_category;
                const auto it = counts.find(category);
                const double n = it == counts.end() ? 0 : it->second;
                y.push_back(s.metrics.active_minutes > 0 ? std::optional<double>(10.0 * n / s.metrics.active_minutes)
                                                         : std::nullopt);
            }
            std::string label = category;
            if (!label.empty()) label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
            std::replace(label.begin(), label.end(), '_', ' ');
            spec.series.push_back(series(label, y, colors[k % colors.size()], SeriesStyle::StackedBars));
        }
        return spec;
    }

    // [SECTION] Drawing
    void draw_flag() {
        const auto& t = metrics_.trends;
        if (t.not_on_track) {
            ImGui::PushStyleColor(ImGuiCol_ChildBg, to_imvec4(with_alpha(palette::vermillion, 0.18f)));
            ImGui::BeginChild("flag", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 2.2f), true);
            ImGui::PushFont(fonts().bold);
            ImGui::TextUnformatted("Not on track");
            ImGui::PopFont();
            ImGui::SameLine();
            ImGui::TextWrapped("%s", t.not_on_track_reason.c_str());
            ImGui::EndChild();
            ImGui::PopStyleColor();
        } else if (sessions_.size() < 5) {
            ImGui::TextDisabled("The on-track check needs at least 5 sessions (%zu so far).", sessions_.size());
        } else {
            ImGui::TextColored(readable_on_background(palette::bluish_green), "On track:");
            ImGui::SameLine();
            ImGui::TextUnformatted("repairs are not declining, or ruptures have become less frequent.");
        }
    }

    void draw_session_list() {
        heading("Sessions");
        if (sessions_.empty()) ImGui::TextDisabled("No sessions yet.");
        for (auto it = sessions_.rbegin(); it != sessions_.rend(); ++it) {
            const Session& s = *it;
            ImGui::PushID(static_cast<int>(s.id));
            ImGui::Text("S%d  %s", s.number, s.date.c_str());
            ImGui::SameLine();
            if (s.state == SessionState::Ended) {
                if (ImGui::SmallButton("Review")) model_.open_review(case_.id, s.id);
                ImGui::SameLine();
            } else {
                ImGui::TextColored(readable_on_background(palette::orange), "%s", std::string(to_string(s.state)).c_str());
                ImGui::SameLine();
            }
            if (ImGui::SmallButton("Open")) model_.open_session(case_.id, s.id);
            ImGui::PopID();
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
        const float height =
            std::max(min_height, (avail.y - style.ItemSpacing.y * static_cast<float>(rows - 1)) / static_cast<float>(rows));
        for (std::size_t i = 0; i < charts_.size(); ++i) {
            if (i % 2 == 1) ImGui::SameLine();
            ChartEvents events;
            const std::string id = "chart" + std::to_string(i);
            if (draw_chart(id.c_str(), charts_[i], ImVec2(width, height), &events) && events.clicked) {
                const ChartSpec& spec = charts_[i];
                const double x = spec.series[events.clicked->series].x[events.clicked->index];
                open_session_at(static_cast<std::size_t>(x) - 1);
            }
        }
    }

    void open_session_at(std::size_t index) {
        if (index >= sessions_.size()) return;
        const Session& s = sessions_[index];
        if (s.state == SessionState::Ended)
            model_.open_review(case_.id, s.id);
        else
            model_.open_session(case_.id, s.id);
    }

    void start_next_session() {
        model_.attempt([&] {
            for (const Session& s : sessions_)
                if (s.state != SessionState::Ended) {
                    model_.open_session(case_.id, s.id);  // one session at a time: go back to it
                    return;
                }
            const Session s = store::SessionRepository(model_.db()).start(case_.id, store::today_local_iso(),
                                                                           store::now_local_hhmm(), wall_clock_seconds());
            model_.open_session(case_.id, s.id);
        });
    }

    Case case_;
    std::vector<Session> sessions_;  // date order, as in metrics_
    io::CaseMetrics metrics_;
    std::vector<ChartSpec> charts_;  // kept between frames: legend toggles live in them
    ExportDialog export_dialog_{model_};
    std::uint64_t version_ = 0;
};

}  // namespace

std::unique_ptr<View> make_case_view(AppModel& model) { return std::make_unique<CaseTrendsView>(model); }

}  // namespace attune::ui
