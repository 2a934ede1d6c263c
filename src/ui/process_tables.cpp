// process_tables: see process_tables.h.
//
// [SECTION] Lag-1 sequences
// [SECTION] Measures
#include "ui/process_tables.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/measures.h"
#include "core/text.h"
#include "ui/dialog.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

std::string words(std::string id) {
    std::replace(id.begin(), id.end(), '_', ' ');
    return id;
}

std::string optional_text(const std::optional<double>& value) {
    return value ? format_number(*value, 2) : "none";
}

}  // namespace

std::string partner_label(const Case& c, Who who) {
    const Participant& p = who == Who::A ? c.partner_a : c.partner_b;
    const char* letter = who == Who::A ? "A" : "B";
    return (p.display_name.empty() ? std::string("Partner ") + letter : p.display_name) + " (" + letter + ")";
}

// [SECTION] Lag-1 sequences

void draw_lag_tables(const char* id, const SequenceAnalysis& analysis, const Case& c) {
    ScopedId scope(id);
    if (analysis.categories.empty()) {
        ImGui::TextDisabled("No coded observation by a partner yet.");
        return;
    }
    const ImVec4 more = to_imvec4(with_alpha(palette::blue, 0.30f));
    const ImVec4 less = to_imvec4(with_alpha(palette::vermillion, 0.30f));
    for (const LagTable* table : {&analysis.a_to_b, &analysis.b_to_a}) {
        const Who first = table->antecedent_partner;
        const std::string title = partner_label(c, first) + "  ->  " + partner_label(c, other_partner(first)) + "  (" +
                                  std::to_string(table->antecedents) + " moves by " + partner_label(c, first) + ")";
        ImGui::TextUnformatted(title.c_str());
        const int columns = static_cast<int>(analysis.categories.size()) + 1;
        const std::string table_id = first == Who::A ? "##a_to_b" : "##b_to_a";
        if (!ImGui::BeginTable(
                table_id.c_str(), columns,
                ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_NoHostExtendX))
            continue;
        ImGui::TableSetupColumn("then ->");
        for (const std::string& y : analysis.categories)
            ImGui::TableSetupColumn(words(y).c_str());
        ImGui::TableHeadersRow();
        for (const std::string& x : analysis.categories) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(words(x).c_str());
            for (const std::string& y : analysis.categories) {
                ImGui::TableNextColumn();
                const LagPair* pair = table->find(x, y);
                if (!pair || pair->a + pair->b == 0) {
                    ImGui::TextDisabled("-");
                    continue;
                }
                if (pair->significant)
                    ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg,
                                           ImGui::GetColorU32(*pair->adjusted_residual > 0 ? more : less));
                const std::string z = pair->adjusted_residual ? format_number(*pair->adjusted_residual, 1) : "-";
                ImGui::Text("%d/%d z %s%s", pair->a, pair->a + pair->b, z.c_str(), pair->significant ? " *" : "");
                if (ImGui::IsItemHovered())
                    ImGui::SetTooltip(
                        "%s %s, then %s %s: a %d, b %d, c %d, d %d\nYule's Q %s, z %s%s",
                        partner_label(c, first).c_str(), words(x).c_str(),
                        partner_label(c, other_partner(first)).c_str(), words(y).c_str(), pair->a, pair->b, pair->c,
                        pair->d, optional_text(pair->yules_q).c_str(), optional_text(pair->adjusted_residual).c_str(),
                        pair->significant
                            ? (*pair->adjusted_residual > 0 ? "\nmore often than chance" : "\nless often than chance")
                            : "");
            }
        }
        ImGui::EndTable();
    }
    ImGui::TextDisabled(
        "A cell: how often the row's move was followed by the column's within %s s (of the row's "
        "count), and z. * |z| >= 1.96: blue more often, red less often than chance.",
        format_number(analysis.cycle_window_s, 0).c_str());
}

void draw_signal_context(const SequenceAnalysis& analysis) {
    ConsequentMix total;
    for (const auto& [category, polarity] : analysis.polarity_of) {
        if (polarity != Polarity::Signal) continue;
        const ConsequentMix mix = consequent_mix(analysis, category);
        total.antecedents += mix.antecedents;
        total.repair += mix.repair;
        total.rupture += mix.rupture;
        total.signal += mix.signal;
        total.none += mix.none;
    }
    if (total.antecedents == 0) {
        ImGui::TextDisabled("No attachment signal coded yet.");
        return;
    }
    ImGui::Text("After an attachment signal (%d): the other partner's next move within %s s was", total.antecedents,
                format_number(analysis.cycle_window_s, 0).c_str());
    ImGui::SameLine();
    chip(("repair " + std::to_string(total.repair)).c_str(), palette::repair);
    ImGui::SameLine();
    chip(("rupture " + std::to_string(total.rupture)).c_str(), palette::rupture);
    ImGui::SameLine();
    ImGui::TextDisabled("signal %d, nothing %d", total.signal, total.none);
}

// [SECTION] Measures

void draw_measure_summary(const char* id, const CaseMeasures& measures, const Case& c) {
    if (measures.summaries.empty()) {
        ImGui::TextDisabled("No couple-reported measure with a total yet.");
        return;
    }
    // Each column as wide as its text; where the pane is narrower (a small
    // window, or scale 2) the table scrolls sideways instead of cutting every
    // column down to a few letters. ScrollX needs the table's height: a row a
    // line, the header, and the scrollbar.
    int rows = 0;
    for (const InstrumentSummary& summary : measures.summaries) rows += (summary.a ? 1 : 0) + (summary.b ? 1 : 0);
    const ImGuiStyle& style = ImGui::GetStyle();
    const float height = (rows + 1) * (ImGui::GetTextLineHeight() + style.CellPadding.y * 2) + style.ScrollbarSize +
                         style.CellPadding.y * 2;
    if (!ImGui::BeginTable(id, 8,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit |
                               ImGuiTableFlags_ScrollX,
                           ImVec2(0.0f, height)))
        return;
    for (const char* column :
         {"Instrument", "Partner", "First", "Latest", "Change", "Reliable change", "Clinical range", "Recovered"})
        ImGui::TableSetupColumn(column);
    ImGui::TableHeadersRow();
    for (const InstrumentSummary& summary : measures.summaries) {
        const Instrument* in = measures.find(summary.instrument_id);
        for (const auto& [who, side] : {std::pair{Who::A, &summary.a}, std::pair{Who::B, &summary.b}}) {
            if (!*side) continue;
            const PartnerMeasureSummary& p = **side;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(summary.instrument_id.c_str());
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", summary.instrument_name.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(partner_label(c, who).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%s (%s)", format_number(p.first, 2).c_str(), p.first_date.c_str());
            ImGui::TableNextColumn();
            if (p.measures_with_total > 1)
                ImGui::Text("%s (%s)", format_number(p.latest, 2).c_str(), p.latest_date.c_str());
            else
                ImGui::TextDisabled("one measure");
            ImGui::TableNextColumn();
            ImGui::Text("%s%s", p.change > 0 ? "+" : "", format_number(p.change, 2).c_str());
            ImGui::TableNextColumn();
            switch (p.reliable_change.change) {
                case ReliableChange::Improved:
                    ImGui::TextColored(readable_on_background(palette::bluish_green), "improved");
                    break;
                case ReliableChange::Deteriorated:
                    ImGui::TextColored(readable_on_background(palette::vermillion), "deteriorated");
                    break;
                case ReliableChange::None:
                    ImGui::TextUnformatted("none");
                    break;
                case ReliableChange::NotDefined:
                    // Short, so that the table fits a 1280 px window; the whole sentence on hover.
                    ImGui::TextDisabled("not defined");
                    if (ImGui::IsItemHovered()) ImGui::SetTooltip("reliable change is not defined for this instrument");
                    break;
            }
            ImGui::TableNextColumn();
            if (!p.clinical && in && in->alliance_flag_below && p.latest < *in->alliance_flag_below)
                // SRS rates the session, not the couple: no cut-off, but a low total asks for a conversation.
                ImGui::TextColored(readable_on_background(palette::orange), "below %s: talk about the alliance",
                                   format_number(*in->alliance_flag_below, 2).c_str());
            else if (!p.clinical)
                ImGui::TextDisabled("no cut-off");
            else if (*p.clinical)
                ImGui::TextColored(readable_on_background(palette::vermillion), "clinical (cut-off %s)",
                                   format_number(in && in->clinical_cutoff ? *in->clinical_cutoff : 0, 2).c_str());
            else
                ImGui::Text("not clinical (cut-off %s)",
                            format_number(in && in->clinical_cutoff ? *in->clinical_cutoff : 0, 2).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(p.recovered ? "recovered" : "-");
        }
    }
    ImGui::EndTable();
}

std::optional<MeasureRowAction> draw_measure_administrations(const char* id, const CaseMeasures& measures,
                                                             const Case& c, bool editable) {
    std::optional<MeasureRowAction> action;
    const ImGuiStyle& style = ImGui::GetStyle();
    const float row = std::max(ImGui::GetTextLineHeight(), ImGui::GetFrameHeight()) + style.CellPadding.y * 2;
    // Up to 8 rows in view; a longer history scrolls inside the table.
    const std::size_t shown = std::min<std::size_t>(measures.administrations.size(), 8);
    const float height = (static_cast<float>(shown) + 1) * row + style.ScrollbarSize + style.CellPadding.y * 2;
    if (!ImGui::BeginTable(id, editable ? 6 : 5,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit |
                               ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY,
                           ImVec2(0.0f, height)))
        return action;
    ImGui::TableSetupScrollFreeze(0, 1);
    for (const char* column : {"Date", "Partner", "Instrument", "Session", "Total"})
        ImGui::TableSetupColumn(column);
    if (editable) ImGui::TableSetupColumn("##actions");
    ImGui::TableHeadersRow();
    for (const Measure& m : measures.administrations) {
        ScopedId row_id(static_cast<int>(m.id));
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(m.date.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(partner_label(c, m.partner).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(m.instrument_id.c_str());
        if (const Instrument* in = measures.find(m.instrument_id); in && ImGui::IsItemHovered())
            ImGui::SetTooltip("%s", in->name.c_str());
        ImGui::TableNextColumn();
        if (m.session_number)
            ImGui::Text("S%d", *m.session_number);
        else
            ImGui::TextDisabled("-");
        ImGui::TableNextColumn();
        if (const std::optional<double> total = measure_total(m))
            ImGui::TextUnformatted(format_number(*total, 2).c_str());
        else
            ImGui::TextDisabled("no total");
        if (!editable) continue;
        ImGui::TableNextColumn();
        if (ImGui::SmallButton("Correct...")) action = MeasureRowAction{MeasureRowAction::Kind::Correct, m};
        ImGui::SameLine();
        if (ImGui::SmallButton("Remove...")) action = MeasureRowAction{MeasureRowAction::Kind::Remove, m};
    }
    ImGui::EndTable();
    return action;
}

}  // namespace attune::ui
