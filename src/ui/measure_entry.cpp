// measure_entry: see measure_entry.h.
//
// [SECTION] Opening
// [SECTION] The grid
// [SECTION] Saving
// [SECTION] Hand-over
#include "ui/measure_entry.h"

#include <imgui.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "core/dates.h"
#include "core/measures.h"
#include "core/text.h"
#include "services/cases.h"
#include "services/measures.h"
#include "ui/process_tables.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

const Who kPartners[2] = {Who::A, Who::B};

std::string partner_label(const Case& c, int partner) {
    return ui::partner_label(c, kPartners[partner]);
}

// A typed score: none when empty (a missing item), else the number; `bad` when it is no number.
std::optional<double> typed_score(const std::string& text, bool& bad) {
    bad = false;
    const std::string t = trim(text);
    if (t.empty() || t == "-") return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(t.c_str(), &end);
    if (end == t.c_str() || *end != '\0' || errno != 0 || !std::isfinite(value)) {
        bad = true;
        return std::nullopt;
    }
    return value;
}

}  // namespace

MeasureEntryDialog::MeasureEntryDialog(AppModel& model) : Modal("Enter measures"), model_(model) {}

// [SECTION] Opening

void MeasureEntryDialog::open_for(const Case& c, std::optional<Session> session) {
    case_ = c;
    session_ = std::move(session);
    correcting_.reset();
    show_title("");
    open();
}

void MeasureEntryDialog::open_to_correct(const Case& c, const Measure& stored) {
    case_ = c;
    session_.reset();
    correcting_ = stored;
    show_title("Correct a measure");
    open();
}

void MeasureEntryDialog::on_open() {
    error_.clear();
    saved_.clear();
    handed_over_ = false;
    total_only_ = false;
    tied_session_ = -1;
    date_ = session_ ? session_->date : today_local_iso();
    model_.attempt([&] {
        catalog_ = services::instrument_catalog(model_.practice());
        sessions_ = services::list_sessions(model_.practice(), case_.id);
    });
    if (session_)
        for (std::size_t i = 0; i < sessions_.size(); ++i)
            if (sessions_[i].id == session_->id) tied_session_ = static_cast<int>(i);
    instrument_ = std::clamp(instrument_, 0, std::max(0, static_cast<int>(catalog_.all().size()) - 1));
    clear_scores();
    if (correcting_) fill_from(*correcting_);
}

void MeasureEntryDialog::fill_from(const Measure& stored) {
    const auto& all = catalog_.all();
    const auto found =
        std::find_if(all.begin(), all.end(), [&](const Instrument& i) { return i.id == stored.instrument_id; });
    if (found == all.end()) {
        error_ = "its instrument '" + stored.instrument_id + "' is not in this practice's list; choose one.";
        return;
    }
    instrument_ = static_cast<int>(found - all.begin());
    date_ = stored.date;
    for (std::size_t i = 0; i < sessions_.size(); ++i)
        if (stored.session_id && sessions_[i].id == *stored.session_id) tied_session_ = static_cast<int>(i);
    total_only_ = stored.items.empty() && stored.entered_total.has_value();
    clear_scores();
    const auto p = static_cast<std::size_t>(stored.partner == Who::A ? 0 : 1);
    // Six decimals round-trip every score an instrument allows (score_decimals is at most a few).
    for (std::size_t i = 0; i < stored.items.size() && i < scores_[p].size(); ++i)
        if (stored.items[i]) scores_[p][i] = format_number(*stored.items[i], 6);
    if (stored.entered_total) totals_[p] = format_number(*stored.entered_total, 6);
}

void MeasureEntryDialog::clear_scores() {
    const std::size_t items =
        catalog_.all().empty() ? 0 : catalog_.all()[static_cast<std::size_t>(instrument_)].items.size();
    for (int p = 0; p < 2; ++p) {
        scores_[static_cast<std::size_t>(p)].assign(items, "");
        totals_[static_cast<std::size_t>(p)].clear();
    }
}

void MeasureEntryDialog::draw_content() {
    if (catalog_.all().empty()) {
        ImGui::TextUnformatted("No instrument could be read: see the message at the bottom of the window.");
        if (dialog_button("Close")) close();
        return;
    }
    if (correcting_)
        ImGui::Text("%s: correcting %s's %s of %s", case_.label.c_str(),
                    partner_label(case_, correcting_->partner == Who::A ? 0 : 1).c_str(),
                    correcting_->instrument_id.c_str(), correcting_->date.c_str());
    else
        ImGui::Text("%s: %s and %s", case_.label.c_str(), partner_label(case_, 0).c_str(),
                    partner_label(case_, 1).c_str());
    // Instrument
    const auto& all = catalog_.all();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 24.0f);
    if (ImGui::BeginCombo("Instrument", all[static_cast<std::size_t>(instrument_)].name.c_str())) {
        for (std::size_t i = 0; i < all.size(); ++i)
            if (ImGui::Selectable(all[i].name.c_str(), static_cast<int>(i) == instrument_)) {
                instrument_ = static_cast<int>(i);
                total_only_ = false;
                clear_scores();
                error_.clear();
            }
        ImGui::EndCombo();
    }
    const Instrument& instrument = all[static_cast<std::size_t>(instrument_)];
    // Date and session
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
    input_text("Date (yyyy-mm-dd)", date_);
    ImGui::SameLine();
    // Wide enough for either kind of choice, whatever the font: a cut "not tied to a se" reads as nothing.
    const float choice_w =
        std::max(ImGui::CalcTextSize("not tied to a session").x, ImGui::CalcTextSize("session 000 (0000-00-00)").x);
    ImGui::SetNextItemWidth(choice_w + ImGui::GetStyle().FramePadding.x * 2.0f + ImGui::GetFrameHeight());
    const std::string tied =
        tied_session_ < 0 ? std::string("not tied to a session")
                          : "session " + std::to_string(sessions_[static_cast<std::size_t>(tied_session_)].number) +
                                " (" + sessions_[static_cast<std::size_t>(tied_session_)].date + ")";
    if (ImGui::BeginCombo("Session", tied.c_str())) {
        if (ImGui::Selectable("not tied to a session", tied_session_ < 0)) tied_session_ = -1;
        for (std::size_t i = 0; i < sessions_.size(); ++i) {
            const std::string label = "session " + std::to_string(sessions_[i].number) + " (" + sessions_[i].date + ")";
            if (ImGui::Selectable(label.c_str(), static_cast<int>(i) == tied_session_)) {
                tied_session_ = static_cast<int>(i);
                date_ = sessions_[i].date;
            }
        }
        ImGui::EndCombo();
    }
    if (!instrument.validated) ImGui::TextDisabled("Not a validated instrument: a conversation aid.");
    if (instrument.direct_total) ImGui::Checkbox("Only the totals were recorded", &total_only_);
    draw_grid(instrument);

    if (!error_.empty()) {
        ScopedWrap wrap(ImGui::GetFontSize() * 34.0f);
        ImGui::TextColored(readable_on_background(palette::vermillion), "Not saved: %s", error_.c_str());
    } else if (!saved_.empty()) {
        ImGui::TextColored(readable_on_background(palette::bluish_green), "%s", saved_.c_str());
    }
    ImGui::Separator();
    const bool save_clicked = dialog_button("Save");
    ImGui::SameLine();
    if (dialog_button("Close")) {
        close();
        return;
    }
    if (save_clicked || enter_confirms()) {
        if (correcting_)
            save_correction(instrument);
        else
            save(instrument);
    }
    if (!correcting_) draw_hand_over();
}

// [SECTION] The grid

void MeasureEntryDialog::draw_grid(const Instrument& instrument) {
    ImGui::TextDisabled("Scores as the instrument's own scoring key numbers them; leave a missing item empty.");
    const bool with_text = std::any_of(instrument.items.begin(), instrument.items.end(),
                                       [](const InstrumentItem& item) { return !item.text.empty(); });
    const int columns = with_text ? 5 : 4;
    const float cell = ImGui::GetFontSize() * 5.0f;
    const float rows_height =
        ImGui::GetFrameHeightWithSpacing() * static_cast<float>(std::min<std::size_t>(instrument.items.size(), 12) + 2);
    if (!ImGui::BeginTable("##grid", columns,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                               ImGuiTableFlags_SizingFixedFit,
                           ImVec2(0, rows_height)))
        return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Item");
    if (with_text) ImGui::TableSetupColumn("Statement", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 18.0f);
    ImGui::TableSetupColumn("Range");
    ImGui::TableSetupColumn(partner_label(case_, 0).c_str(), ImGuiTableColumnFlags_WidthFixed, cell);
    ImGui::TableSetupColumn(partner_label(case_, 1).c_str(), ImGuiTableColumnFlags_WidthFixed, cell);
    ImGui::TableHeadersRow();
    const ImVec4 bad_color = readable_on_background(palette::vermillion);
    if (total_only_) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted("Total");
        if (with_text) ImGui::TableNextColumn();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(format_range(instrument.total_min, instrument.total_max).c_str());
        for (int p = 0; p < 2; ++p) {
            ImGui::TableNextColumn();
            ScopedDisabled closed(!editable_column(p));
            ImGui::SetNextItemWidth(-1);
            const std::string id = std::string("##total") + (p == 0 ? "A" : "B");
            input_text(id.c_str(), totals_[static_cast<std::size_t>(p)], ImGuiInputTextFlags_CharsScientific);
        }
    } else {
        for (std::size_t i = 0; i < instrument.items.size(); ++i) {
            const InstrumentItem& item = instrument.items[i];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::Text("%zu", i + 1);
            if (with_text) {
                ImGui::TableNextColumn();
                ScopedWrap wrap(ImGui::GetCursorPosX() + ImGui::GetFontSize() * 18.0f);
                ImGui::TextUnformatted(item.text.c_str());
            }
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(format_range(item.min, item.max).c_str());
            for (int p = 0; p < 2; ++p) {
                ImGui::TableNextColumn();
                std::string& text = scores_[static_cast<std::size_t>(p)][i];
                bool bad = false;
                const std::optional<double> score = typed_score(text, bad);
                const bool out = bad || (score && (*score < item.min || *score > item.max ||
                                                   !has_decimals_at_most(*score, instrument.score_decimals)));
                // A score out of range is shown in red at once; Save refuses it with its item number.
                std::optional<ScopedColor> red;
                if (out) red.emplace(ImGuiCol_Text, bad_color);
                ScopedDisabled closed(!editable_column(p));
                ImGui::SetNextItemWidth(-1);
                const std::string id = std::string("##") + (p == 0 ? "A" : "B") + std::to_string(i + 1);
                input_text(id.c_str(), text, ImGuiInputTextFlags_CharsScientific);
            }
        }
    }
    ImGui::EndTable();
    if (!instrument.anchors.empty()) {
        std::string scale;
        for (const ScaleAnchor& anchor : instrument.anchors)
            scale += (scale.empty() ? "" : ", ") + std::to_string(anchor.score) + " " + anchor.label;
        ImGui::TextDisabled("Scale: %s", scale.c_str());
    }
    // The totals so far, as the partner column reads.
    for (int p = 0; p < 2; ++p) {
        std::string problem;
        const std::optional<Measure> m = measure_of(p, instrument, problem);
        if (!m) continue;
        const std::optional<double> total = problem.empty() ? measure_total(*m) : std::nullopt;
        ImGui::TextDisabled("%s: %s", partner_label(case_, p).c_str(),
                            !problem.empty() ? problem.c_str()
                            : total          ? ("total " + format_number(*total, 2)).c_str()
                                             : "no total (an item is missing)");
    }
}

std::optional<Measure> MeasureEntryDialog::measure_of(int partner, const Instrument& instrument,
                                                      std::string& problem) const {
    problem.clear();
    Measure m;
    m.case_id = case_.id;
    m.partner = kPartners[partner];
    m.instrument_id = instrument.id;
    m.date = trim(date_);
    if (tied_session_ >= 0) m.session_id = sessions_[static_cast<std::size_t>(tied_session_)].id;
    const auto p = static_cast<std::size_t>(partner);
    if (total_only_) {
        bool bad = false;
        m.entered_total = typed_score(totals_[p], bad);
        if (bad) problem = "the total '" + trim(totals_[p]) + "' is not a number";
        if (!m.entered_total && !bad) return std::nullopt;
    } else {
        bool any = false;
        for (std::size_t i = 0; i < scores_[p].size(); ++i) {
            bool bad = false;
            const std::optional<double> score = typed_score(scores_[p][i], bad);
            if (bad && problem.empty())
                problem = "item " + std::to_string(i + 1) + " is '" + trim(scores_[p][i]) + "', not a number";
            any = any || score || bad;
            m.items.push_back(score);
        }
        if (!any) return std::nullopt;
    }
    if (problem.empty())
        if (auto error = measure_error(m, instrument)) problem = *error;
    return m;
}

// [SECTION] Saving

void MeasureEntryDialog::save(const Instrument& instrument) {
    error_.clear();
    saved_.clear();
    // Both columns are checked before either is stored: a refused column stores nothing.
    std::vector<Measure> measures;
    for (int p = 0; p < 2; ++p) {
        std::string problem;
        const std::optional<Measure> m = measure_of(p, instrument, problem);
        if (!problem.empty()) {
            error_ = partner_label(case_, p) + ": " + problem + ".";
            return;
        }
        if (m) measures.push_back(*m);
    }
    if (measures.empty()) {
        error_ = "no score was typed for either partner.";
        return;
    }
    std::string stored;
    const bool ok = model_.attempt([&] {
        for (const Measure& m : measures) {
            const Measure saved = services::add_measure(model_.practice(), m);
            const std::optional<double> total = measure_total(saved);
            stored += (stored.empty() ? "" : "; ") + partner_label(case_, m.partner == Who::A ? 0 : 1) + " " +
                      (total ? "total " + format_number(*total, 2) : std::string("no total"));
        }
    });
    if (!ok) {
        error_ = "see the message at the bottom of the window.";
        return;
    }
    saved_ = "Saved " + instrument.name + " of " + trim(date_) + ": " + stored + ".";
    clear_scores();
}

void MeasureEntryDialog::save_correction(const Instrument& instrument) {
    error_.clear();
    saved_.clear();
    const int partner = correcting_->partner == Who::A ? 0 : 1;
    std::string problem;
    const std::optional<Measure> m = measure_of(partner, instrument, problem);
    if (!problem.empty()) {
        error_ = partner_label(case_, partner) + ": " + problem + ".";
        return;
    }
    if (!m) {
        error_ = "no score was typed; Remove... in the case's list of measures removes one.";
        return;
    }
    Measure corrected;
    const bool ok =
        model_.attempt([&] { corrected = services::correct_measure(model_.practice(), correcting_->id, *m); });
    if (!ok) {
        error_ = "see the message at the bottom of the window.";
        return;
    }
    const std::optional<double> total = measure_total(corrected);
    model_.info("Corrected " + partner_label(case_, partner) + "'s " + instrument.name + " of " + corrected.date +
                ": " + (total ? "total " + format_number(*total, 2) : std::string("no total")) + ".");
    close();
}

// [SECTION] Hand-over

void MeasureEntryDialog::draw_hand_over() {
    const Instrument* checkin = catalog_.find("checkin");
    if (!checkin) return;
    ImGui::Separator();
    heading("Attune's check-in, filled by a partner");
    const bool protected_practice = model_.practice().encrypted();
    if (!protected_practice)
        ImGui::TextDisabled("Needs a practice with a passphrase: only the passphrase returns from the check-in.");
    ScopedDisabled disabled(!protected_practice);
    for (int p = 0; p < 2; ++p) {
        if (p == 1) ImGui::SameLine();
        const std::string label =
            "Hand the laptop to " + partner_label(case_, p) + "###handover_" + (p == 0 ? "A" : "B");
        if (!ImGui::Button(label.c_str())) continue;
        AppModel::HandOver hand_over;
        hand_over.case_id = case_.id;
        hand_over.partner = kPartners[p];
        const Participant& who = p == 0 ? case_.partner_a : case_.partner_b;
        hand_over.partner_name = who.display_name;
        if (tied_session_ >= 0) hand_over.session_id = sessions_[static_cast<std::size_t>(tied_session_)].id;
        hand_over.date = is_iso_date(trim(date_)) ? trim(date_) : today_local_iso();
        model_.start_hand_over(std::move(hand_over));
        handed_over_ = true;
        close();
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "The screen then shows only the check-in, nothing else of the record;\n"
            "your passphrase brings the record back.");
}

}  // namespace attune::ui
