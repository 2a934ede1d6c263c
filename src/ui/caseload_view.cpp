// caseload_view: the supervisor's dashboard: every case of every clinician
// in one sortable, filterable table with flags (core/dashboard.h) and
// sparklines of repair and rupture rate, the unfinished sessions offered for
// resumption, and "New case".
//
// [SECTION] Dashboard summaries: computed once per data-version change by the
//           practice's worker threads (services::CaseloadSummaries, from the metrics
//           cached per session), never in a frame; rows drawn through ImGuiListClipper.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "core/dashboard.h"
#include "core/dates.h"
#include "core/scheme.h"
#include "core/text.h"
#include "services/cases.h"
#include "ui/app_model.h"
#include "ui/bundle_dialogs.h"
#include "ui/case_form.h"
#include "ui/chart.h"
#include "ui/dialog.h"
#include "ui/keys.h"
#include "ui/theme.h"
#include "ui/views.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

// Table columns, in drawing order; the index is ImGui's column index.
enum Column { kCase, kClinician, kStatus, kFlags, kLastSession, kSessions, kStage, kRepair, kRupture, kColumnCount };

// Record keeping (a session not ended, a note unsigned) is a task, not a
// sign that the couple is stuck: it is drawn apart and weighs least.
bool is_record_keeping(DashboardFlag flag) {
    return flag == DashboardFlag::SessionNotEnded || flag == DashboardFlag::NoteUnsigned;
}

// A safety concern outranks everything, "Not on track" the other clinical flags, which outrank
// record keeping, when sorting by flag.
int flag_weight(const DashboardRow& row) {
    int weight = 0;
    for (const FlagNotice& f : row.flags)
        weight += f.flag == DashboardFlag::SafetyConcern ? 1000
                  : f.flag == DashboardFlag::NotOnTrack  ? 100
                  : is_record_keeping(f.flag)            ? 1
                                                         : 10;
    return weight;
}

Rgba flag_color(DashboardFlag flag) {
    if (is_record_keeping(flag)) return palette::blue;
    return flag == DashboardFlag::NotOnTrack || flag == DashboardFlag::SafetyConcern ? palette::vermillion
                                                                                     : palette::orange;
}

std::string fixed_1(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

std::optional<double> last_value(const std::vector<std::optional<double>>& values) {
    for (auto it = values.rbegin(); it != values.rend(); ++it)
        if (*it) return *it;
    return std::nullopt;
}

class CaseloadView final : public View {
public:
    using View::View;
    const char* name() const override { return "caseload"; }
    // While the worker computes, a few frames a second show its progress.
    double next_redraw_in() const override { return computing_ ? kProgressRedrawSeconds : -1.0; }
    bool busy() const override { return computing_; }
    const char* help_text() const override {
        return "The caseload lists every couple of every clinician in this practice database.\n\n"
               "- Click a case (or select it and press Enter) to open its progress charts.\n"
               "- Type in the filter box to find a case by label, partner or clinician; pick one clinician, or "
               "tick \"Flagged only\" to see the cases that need attention.\n"
               "- Click a column header to sort.\n"
               "- Flags (hover one for the reason): Not on track (DOMAIN definition); Pursue\xE2\x86\x92withdraw "
               "not decreasing (last of the last 4 ended sessions >= the first, and > 0); No repair in last 2 "
               "sessions; Session not ended > 7 days; Note unsigned > 7 days (an ended session's progress note "
               "without the therapist's signature).\n"
               "- The lines show repair rate (0-100%) and rupture rate (per 10 min) over the sessions; gaps are "
               "sessions without a rupture.\n"
               "- \"New case\" (Ctrl+N) adds a couple.\n"
               "- \"Export bundle...\" writes one case, or all cases of a clinician, to one encrypted file with its "
               "own passphrase; \"Import bundle...\" merges such a file into this database and reports what was "
               "added, updated, unchanged or in conflict.\n\n"
               "A session that was never ended (for example because the computer shut down) is shown at the "
               "top: resume it to keep coding, with every observation still there.";
    }

    void draw() override {
        if (!model_.caseload_recorded()) {
            // Its reading could not be audited (the message line says why): nothing of it is shown.
            heading("Caseload");
            ImGui::TextWrapped("The caseload is not shown: Attune could not record in the audit trail that it was "
                               "read. Lock and sign in again once the practice can be written.");
            return;
        }
        draw_unfinished();
        heading("Caseload");
        refresh_summaries();
        // The filters and buttons after the heading, on as many rows as the width needs (scale 2).
        const float filter_width = ImGui::GetFontSize() * 12;
        const float combo_width = ImGui::GetFontSize() * 11;
        const float check_width =
            ImGui::CalcTextSize("Flagged only").x + ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x;
        same_line_if_fits(combo_width);
        draw_clinician_combo(combo_width);
        same_line_if_fits(check_width);
        if (ImGui::Checkbox("Flagged only", &flagged_only_)) sort_dirty_ = true;
        same_line_if_fits(filter_width);
        ImGui::SetNextItemWidth(filter_width);
        ImGui::InputTextWithHint("##filter", "Filter cases", filter_buffer_, sizeof filter_buffer_);
        filter_ = filter_buffer_;
        same_line_if_fits(button_width("New case"));
        if (ImGui::Button("New case") || (keys::ctrl() && keys::pressed(keys::letter('n')))) open_new_case();
        same_line_if_fits(button_width("Export bundle..."));
        if (ImGui::Button("Export bundle...")) open_export_bundle();
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(
                "Write one case, or all cases of the clinician chosen in the filter, to an encrypted "
                "bundle for a supervisor on another machine.");
        same_line_if_fits(button_width("Import bundle..."));
        if (ImGui::Button("Import bundle...")) bundles_.open_import();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Merge a supervisee's bundle into this database.");
        draw_summary_progress();
        draw_table();
        new_case_.draw();
        bundles_.draw(model_, case_labels_, clinicians_);
    }

private:
    void draw_unfinished() {
        const auto& unfinished = model_.unfinished_sessions();
        if (unfinished.empty()) return;
        {
            ScopedColor color(ImGuiCol_ChildBg, to_imvec4(with_alpha(palette::orange, 0.18f)));
            ImGui::BeginChild("##unfinished",
                              ImVec2(0, ImGui::GetFrameHeightWithSpacing() *
                                            (1.4f + static_cast<float>(std::min<size_t>(unfinished.size(), 3)))),
                              true);
            heading("Sessions not ended");
            for (size_t i = 0; i < unfinished.size() && i < 3; ++i) {
                const Session& s = unfinished[i];
                std::string label;
                for (const auto& c : model_.cases())
                    if (c.info.id == s.case_id) label = c.info.label;
                // The demo leaves one session running on purpose, to show resuming: not an alarm there.
                const char* state = s.state == SessionState::Paused ? "paused"
                                    : model_.is_demo()              ? "left running by the demo, to show resuming"
                                                                    : "was running when Attune closed";
                ImGui::Text("%s, session %d (%s): %s", label.c_str(), s.number, s.date.c_str(), state);
                ImGui::SameLine();
                {
                    ScopedId id2(static_cast<int>(s.id));
                    if (ImGui::SmallButton("Resume")) model_.open_session(s.case_id, s.id);
                }
            }
            ImGui::EndChild();
        }
    }

    // [SECTION] Dashboard summaries
    // Computed on the practice's worker threads (services::CaseloadSummaries) and picked
    // up here as they finish: the table is there from the first frame, a cold
    // metrics cache shows its progress, and no frame runs a query (BENCHMARKS.md).
    static constexpr double kProgressRedrawSeconds = 0.1;

    void refresh_summaries() {
        if (summaries_version_ != model_.data_version() || summaries_.size() != model_.cases().size())
            start_summaries();
        services::CaseloadSummaries& worker = model_.caseload_summaries();
        for (services::CaseloadSummaries::Finished& f : worker.take_finished()) {
            if (f.index >= summaries_.size()) continue;
            for (const auto& v : f.row.rupture_rate)
                if (v) rupture_scale_ = std::max(rupture_scale_, *v);
            summaries_[f.index] = std::move(f.row);
            ++summaries_done_;
            sort_dirty_ = true;
        }
        if (auto error = worker.take_error()) model_.error("Could not compute the case flags: " + *error);
        computing_ = worker.running();
    }

    void start_summaries() {
        const auto& cases = model_.cases();
        summaries_.assign(cases.size(), DashboardRow{});
        summaries_done_ = 0;
        rupture_scale_ = 0;
        clinicians_.clear();
        std::vector<RowId> case_ids;
        for (const auto& c : cases) {
            case_ids.push_back(c.info.id);
            if (std::find(clinicians_.begin(), clinicians_.end(), c.info.clinician_name) == clinicians_.end())
                clinicians_.push_back(c.info.clinician_name);
        }
        std::sort(clinicians_.begin(), clinicians_.end());
        model_.start_caseload_summaries(std::move(case_ids), today_local_iso());
        computing_ = !summaries_.empty();
        summaries_version_ = model_.data_version();
        sort_dirty_ = true;
    }

    void draw_summary_progress() {
        if (!computing_) return;
        char overlay[96];
        std::snprintf(overlay, sizeof overlay, "Computing flags and trends: %zu of %zu cases", summaries_done_,
                      summaries_.size());
        ImGui::ProgressBar(static_cast<float>(summaries_done_) / static_cast<float>(summaries_.size()), ImVec2(-1, 0),
                           overlay);
    }

    void draw_clinician_combo(float width) {
        ImGui::SetNextItemWidth(width);
        const char* preview = clinician_.empty() ? "All clinicians" : clinician_.c_str();
        if (!ImGui::BeginCombo("##clinician", preview)) return;
        if (ImGui::Selectable("All clinicians", clinician_.empty())) {
            clinician_.clear();
            sort_dirty_ = true;
        }
        for (const std::string& name : clinicians_)
            if (ImGui::Selectable(name.c_str(), name == clinician_)) {
                clinician_ = name;
                sort_dirty_ = true;
            }
        ImGui::EndCombo();
    }

    const DashboardRow& summary(size_t case_index) const {
        static const DashboardRow empty;
        return case_index < summaries_.size() ? summaries_[case_index] : empty;
    }

    bool matches(size_t case_index) const {
        const CaseSummary& s = model_.cases()[case_index];
        if (!clinician_.empty() && s.info.clinician_name != clinician_) return false;
        if (flagged_only_ && summary(case_index).flags.empty()) return false;
        if (filter_.empty()) return true;
        const std::string needle = normalize_key(filter_);
        for (const std::string* field :
             {&s.info.label, &s.info.partner_a.display_name, &s.info.partner_b.display_name, &s.info.clinician_name})
            if (normalize_key(*field).find(needle) != std::string::npos) return true;
        return false;
    }

    void rebuild_rows() {
        const auto& cases = model_.cases();
        if (rows_version_ == model_.data_version() && rows_filter_ == filter_ && !sort_dirty_) return;
        auto last_of = [&](size_t i, bool repair) {
            const DashboardRow& r = summary(i);
            return last_value(repair ? r.repair_rate : r.rupture_rate).value_or(-1.0);
        };
        rows_.clear();
        for (size_t i = 0; i < cases.size(); ++i)
            if (matches(i)) rows_.push_back(i);
        std::stable_sort(rows_.begin(), rows_.end(), [&](size_t a, size_t b) {
            const auto& x = cases[a];
            const auto& y = cases[b];
            int order = 0;
            switch (sort_column_) {
                case kCase:
                    order = normalize_key(x.info.label).compare(normalize_key(y.info.label));
                    break;
                case kClinician:
                    order = x.info.clinician_name.compare(y.info.clinician_name);
                    break;
                case kStatus:
                    order = static_cast<int>(x.info.status) - static_cast<int>(y.info.status);
                    break;
                case kFlags:
                    order = flag_weight(summary(a)) - flag_weight(summary(b));
                    break;
                case kSessions:
                    order = x.sessions - y.sessions;
                    break;
                case kLastSession:
                    order = x.last_session_date.compare(y.last_session_date);
                    break;
                case kStage:
                    order = x.eft_stage.value_or(0) - y.eft_stage.value_or(0);
                    break;
                case kRepair:
                    order = (last_of(a, true) > last_of(b, true)) - (last_of(a, true) < last_of(b, true));
                    break;
                case kRupture:
                    order = (last_of(a, false) > last_of(b, false)) - (last_of(a, false) < last_of(b, false));
                    break;
                default:
                    order = 0;
            }
            return sort_ascending_ ? order < 0 : order > 0;
        });
        rows_version_ = model_.data_version();
        rows_filter_ = filter_;
        sort_dirty_ = false;
    }

    void draw_table() {
        // Short columns are sized to their header (and content) so that the flags get the room.
        auto fixed_width = [](const char* sample) {
            return ImGui::CalcTextSize(sample).x + ImGui::GetFontSize() * 1.1f;  // + the sort arrow
        };
        const float status_w = fixed_width("in session");
        const float last_w = fixed_width("Last session");
        const float sessions_w = fixed_width("Sessions");
        const float stage_w = fixed_width("EFT stage");
        const float repair_w = fixed_width("Repair rate");
        const float rupture_w = fixed_width("Ruptures / 10 min");
        // The case labels and clinicians' names whole: the widest of each.
        float case_w = fixed_width("Case"), clinician_w = fixed_width("Clinician");
        for (const CaseSummary& c : model_.cases()) {
            case_w = std::max(case_w, fixed_width(c.info.label.c_str()));
            clinician_w = std::max(clinician_w, fixed_width(c.info.clinician_name.c_str()));
        }
        // The longest flag whole, and the count of the others (all of them on hover).
        const float flags_w = fixed_width("Pursue\xE2\x86\x92withdraw not decreasing + 9 more");
        const float cell_pad = ImGui::GetStyle().CellPadding.x * 2 * static_cast<float>(kColumnCount);
        const float needed = case_w + clinician_w + flags_w + status_w + last_w + sessions_w + stage_w + repair_w +
                             rupture_w + cell_pad;
        // Too narrow for every column whole (1024 px, or scale 2): the table
        // scrolls sideways, the case column staying in view, rather than cut.
        const bool scroll = ImGui::GetContentRegionAvail().x < needed;
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                                      ImGuiTableFlags_Sortable | ImGuiTableFlags_Resizable |
                                      (scroll ? ImGuiTableFlags_ScrollX : ImGuiTableFlags_None);
        if (!ImGui::BeginTable("##cases", kColumnCount, flags)) return;
        ImGui::TableSetupScrollFreeze(scroll ? 1 : 0, 1);
        const ImGuiTableColumnFlags wide = scroll ? ImGuiTableColumnFlags_WidthFixed : ImGuiTableColumnFlags_WidthStretch;
        // Stretched, the spare width goes to the flags; the weights keep labels and names whole.
        const float spare = std::max(0.0f, ImGui::GetContentRegionAvail().x - needed);
        ImGui::TableSetupColumn("Case", ImGuiTableColumnFlags_DefaultSort | wide, scroll ? case_w : case_w + spare * 0.15f);
        ImGui::TableSetupColumn("Clinician", wide, scroll ? clinician_w : clinician_w + spare * 0.15f);
        ImGui::TableSetupColumn("Status", ImGuiTableColumnFlags_WidthFixed, status_w);
        ImGui::TableSetupColumn("Flags", ImGuiTableColumnFlags_PreferSortDescending | wide,
                                scroll ? flags_w : flags_w + spare * 0.7f);
        ImGui::TableSetupColumn("Last session", ImGuiTableColumnFlags_WidthFixed, last_w);
        ImGui::TableSetupColumn("Sessions", ImGuiTableColumnFlags_WidthFixed, sessions_w);
        ImGui::TableSetupColumn("EFT stage", ImGuiTableColumnFlags_WidthFixed, stage_w);
        ImGui::TableSetupColumn("Repair rate", ImGuiTableColumnFlags_WidthFixed, repair_w);
        ImGui::TableSetupColumn("Ruptures / 10 min", ImGuiTableColumnFlags_WidthFixed, rupture_w);
        ImGui::TableHeadersRow();
        if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs();
            specs && specs->SpecsDirty && specs->SpecsCount > 0) {
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
                const CaseSummary& s = cases[rows_[static_cast<size_t>(row)]];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                {
                    ScopedId id(static_cast<int>(s.info.id));
                    if (ImGui::Selectable(s.info.label.c_str(), false,
                                          ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap))
                        model_.open_case(s.info.id);
                    if (ImGui::IsItemFocused() && keys::pressed(keys::kEnter)) model_.open_case(s.info.id);
                    if (ImGui::IsItemHovered())
                        ImGui::SetTooltip("%s & %s", s.info.partner_a.display_name.c_str(),
                                          s.info.partner_b.display_name.c_str());
                }
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(s.info.clinician_name.c_str());
                ImGui::TableNextColumn();
                if (s.has_running_session)
                    ImGui::TextColored(readable_on_background(palette::orange), "in session");
                else
                    ImGui::TextUnformatted(std::string(to_string(s.info.status)).c_str());
                const DashboardRow& d = summary(rows_[static_cast<size_t>(row)]);
                ImGui::TableNextColumn();
                draw_flags(d);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(s.last_session_date.empty() ? "none yet" : s.last_session_date.c_str());
                ImGui::TableNextColumn();
                ImGui::Text("%d", s.sessions);
                ImGui::TableNextColumn();
                if (s.eft_stage)
                    ImGui::Text("%d", *s.eft_stage);
                else
                    ImGui::TextDisabled("-");
                ImGui::TableNextColumn();
                draw_trend(d.repair_rate, palette::repair, true);
                ImGui::TableNextColumn();
                draw_trend(d.rupture_rate, palette::rupture, false, rupture_scale_);
            }
        }
        ImGui::EndTable();
        if (rows_.empty()) {
            ImGui::TextDisabled(model_.cases().empty() ? "No cases yet. Click \"New case\" to add a couple."
                                                       : "No case matches the filters.");
        }
    }

    // The flags in words, coloured; the reasons in the tooltip.
    static void draw_flags(const DashboardRow& d) {
        if (d.flags.empty()) {
            ImGui::TextDisabled("-");
            return;
        }
        // As many labels as fit (always the first), then a count: the tooltip has them all.
        const char* separator = " \xC2\xB7 ";
        const float room = ImGui::GetContentRegionAvail().x;
        const float more_width = ImGui::CalcTextSize(" + 9 more").x;
        const float separator_width = ImGui::CalcTextSize(separator).x;
        size_t shown = 0;
        float used = 0;
        for (size_t i = 0; i < d.flags.size(); ++i) {
            const float width =
                ImGui::CalcTextSize(flag_label(d.flags[i].flag).c_str()).x + (i > 0 ? separator_width : 0);
            const bool last = i + 1 == d.flags.size();
            if (i > 0 && used + width + (last ? 0 : more_width) > room) break;
            used += width;
            ++shown;
        }
        ImGui::BeginGroup();
        for (size_t i = 0; i < shown; ++i) {
            if (i > 0) {
                ImGui::SameLine(0, 0);
                ImGui::TextDisabled("%s", separator);
                ImGui::SameLine(0, 0);
            }
            ImGui::TextColored(readable_on_background(flag_color(d.flags[i].flag)), "%s",
                               flag_label(d.flags[i].flag).c_str());
        }
        if (shown < d.flags.size()) {
            ImGui::SameLine(0, 0);
            ImGui::TextDisabled(" + %d more", static_cast<int>(d.flags.size() - shown));
        }
        ImGui::EndGroup();
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenOverlapped)) {
            ImGui::BeginTooltip();
            {
                ScopedWrap wrap(ImGui::GetFontSize() * 30);
                for (const FlagNotice& f : d.flags) {
                    ImGui::TextColored(readable_on_background(flag_color(f.flag)), "%s", flag_label(f.flag).c_str());
                    ImGui::TextUnformatted(f.reason.c_str());
                }
            }
            ImGui::EndTooltip();
        }
    }

    // A sparkline over the sessions and the latest value beside it.
    // Rates share 0-100%; rupture rates share 0..the caseload's maximum, so rows compare by eye.
    static void draw_trend(const std::vector<std::optional<double>>& values, Rgba color, bool is_rate,
                           double scale_max = 1.0) {
        const std::optional<double> last = last_value(values);
        if (!last) {
            ImGui::TextDisabled("-");
            return;
        }
        const std::string text = is_rate ? std::to_string(static_cast<int>(*last * 100 + 0.5)) + "%" : fixed_1(*last);
        const float text_width = ImGui::CalcTextSize("100%").x;  // also wider than "10.5"
        const float width = std::max(ImGui::GetContentRegionAvail().x - text_width - ImGui::GetStyle().ItemSpacing.x,
                                     ImGui::GetFontSize() * 2);
        if (is_rate)
            draw_sparkline(values, ImVec2(width, 0), color, 0.0, 1.0);
        else
            draw_sparkline(values, ImVec2(width, 0), color, 0.0, std::max(scale_max, 0.1));
        ImGui::SameLine();
        ImGui::TextUnformatted(text.c_str());
    }

    // The clinician chosen in the filter preselects "all of their cases"; else the first case shown.
    void open_export_bundle() {
        case_labels_.clear();
        for (const auto& c : model_.cases())
            case_labels_.push_back(c.info.label);
        std::string first_case;
        if (!rows_.empty() && rows_.front() < model_.cases().size())
            first_case = model_.cases()[rows_.front()].info.label;
        bundles_.open_export(first_case, clinician_);
    }

    void open_new_case() {
        Case fresh;
        fresh.start_date = today_local_iso();
        new_case_form_.load(fresh);
        new_case_error_.clear();
        new_case_.open();
    }

    void draw_new_case(ViewModal& dialog) {
        ImGui::TextDisabled("Use a pseudonymous label: no full names or other identifying details.");
        new_case_form_.draw(ImGui::GetFontSize() * 18, focus_label_);
        focus_label_ = false;
        if (!new_case_error_.empty())
            ImGui::TextColored(readable_on_background(palette::vermillion), "%s", new_case_error_.c_str());
        const bool create = dialog_button("Create case");
        ImGui::SameLine();
        if (dialog_button("Cancel")) {
            dialog.finish();
        } else if (create || enter_confirms()) {
            try {
                const Case created = services::add_case(model_.practice(), new_case_form_.result());
                model_.info("Case " + created.label + " created.");
                dialog.finish();
            } catch (const std::exception& e) {
                new_case_error_ = e.what();
            }
        }
    }

    BundleDialogs bundles_;
    std::vector<std::string> case_labels_;  // for the export dialog, filled when it opens
    std::vector<DashboardRow> summaries_;   // parallel to model_.cases()
    std::uint64_t summaries_version_ = 0;
    size_t summaries_done_ = 0;            // rows the worker has delivered; the rest come in later frames
    bool computing_ = false;               // the worker is still computing this version's rows
    double rupture_scale_ = 0;             // the highest rupture rate of any session shown
    std::vector<std::string> clinicians_;  // for the combo, sorted
    std::string clinician_;                // empty = all clinicians
    bool flagged_only_ = false;
    std::string filter_;
    char filter_buffer_[128] = {};
    std::vector<size_t> rows_;
    std::uint64_t rows_version_ = 0;
    std::string rows_filter_;
    int sort_column_ = 0;
    bool sort_ascending_ = true;
    bool sort_dirty_ = true;
    CaseForm new_case_form_;
    std::string new_case_error_;
    bool focus_label_ = false;
    ViewModal new_case_{"New case", [this](ViewModal& dialog) { draw_new_case(dialog); },
                        [this] { focus_label_ = true; }};
};

}  // namespace

std::unique_ptr<View> make_caseload_view(AppModel& model) {
    return std::make_unique<CaseloadView>(model);
}

}  // namespace attune::ui
