#include "formats/export_tables.h"

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace attune::formats {

namespace {

std::string number(double value) {
    return format_number(value, 3);
}
std::string number(const std::optional<double>& value) {
    return value ? number(*value) : std::string();
}

std::string csv_line(const std::vector<std::string>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i)
        out += (i ? "," : "") + csv_field(fields[i]);
    return out + "\r\n";
}

std::string intensity_text(const std::optional<int>& intensity) {
    return intensity ? std::to_string(*intensity) : std::string();
}

}  // namespace

bool is_plain_number(std::string_view text) {
    size_t i = text.starts_with('-') ? 1 : 0;
    size_t digits = 0, points = 0;
    for (; i < text.size(); ++i) {
        if (text[i] >= '0' && text[i] <= '9')
            ++digits;
        else if (text[i] == '.' && points++ == 0)
            continue;
        else
            return false;
    }
    return digits > 0;
}

std::string neutralise_formula(std::string text) {
    if (text.empty() || is_plain_number(text)) return text;
    const char first = text.front();
    if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r')
        text.insert(text.begin(), '\'');
    return text;
}

std::string csv_field(const std::string& given) {
    const std::string text = neutralise_formula(given);
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char ch : text) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + "\"";
}

std::string observations_csv(const ObservationExportData& data) {
    std::string out = csv_line({"case", "session", "date", "time_s", "time", "stop_s", "kind", "who", "who_name",
                                "code", "code_label", "category", "polarity", "intensity", "comment", "rater"});
    for (const ObservationRow& r : data.rows) {
        out += csv_line({r.case_label, std::to_string(r.session_number), r.session_date, number(r.t), format_clock(r.t),
                         number(r.stop), std::string(to_string(r.kind)), std::string(to_string(r.who)), r.who_name,
                         r.code_id, r.code_label, r.category_id,
                         r.category_id.empty() ? std::string() : std::string(to_string(r.polarity)),
                         intensity_text(r.intensity), r.comment, r.rater});
    }
    return out;
}

std::string observations_json(const ObservationExportData& data) {
    // ordered_json keeps the columns in the order of the CSV export.
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const ObservationRow& r : data.rows) {
        nlohmann::ordered_json row;
        row["case"] = r.case_label;
        row["session"] = r.session_number;
        row["date"] = r.session_date;
        row["time_s"] = r.t;
        row["time"] = format_clock(r.t);
        row["stop_s"] = r.stop ? nlohmann::ordered_json(*r.stop) : nlohmann::ordered_json(nullptr);
        row["kind"] = to_string(r.kind);
        row["who"] = to_string(r.who);
        row["who_name"] = r.who_name;
        row["code"] = r.code_id;
        row["code_label"] = r.code_label;
        row["category"] = r.category_id;
        row["polarity"] = r.category_id.empty() ? nlohmann::ordered_json(nullptr)
                                                : nlohmann::ordered_json(std::string(to_string(r.polarity)));
        row["intensity"] = r.intensity ? nlohmann::ordered_json(*r.intensity) : nlohmann::ordered_json(nullptr);
        row["comment"] = r.comment;
        row["rater"] = r.rater;
        rows.push_back(std::move(row));
    }
    nlohmann::ordered_json doc;
    doc["format"] = "attune-observations";
    doc["version"] = 1;
    doc["case"] = data.info.label;
    doc["observations"] = std::move(rows);
    return doc.dump(2) + "\n";
}

std::string session_metrics_csv(const CaseSummaryData& data) {
    std::string out = csv_line({"case",
                                "session",
                                "date",
                                "active_minutes",
                                "ruptures",
                                "ruptures_a",
                                "ruptures_b",
                                "ruptures_both",
                                "rupture_rate_per_10min",
                                "repairs",
                                "pos_neg_ratio",
                                "repaired_ruptures",
                                "repair_rate",
                                "median_time_to_repair_s",
                                "signals",
                                "answered_signals",
                                "answer_rate",
                                "pursue_withdraw_a_to_b",
                                "pursue_withdraw_b_to_a",
                                "time_withdrawn_a_s",
                                "time_withdrawn_b_s",
                                "therapist_moves",
                                "eft_stage",
                                "eft_step",
                                "repair_window_s",
                                "cycle_window_s",
                                "answer_window_s",
                                "min_active_minutes",
                                "counts_toward_trends",
                                "not_counted_reason",
                                "withdrawer_reengagement_candidates",
                                "blamer_softening_candidates",
                                "withdrawer_reengagement_confirmed",
                                "blamer_softening_confirmed"});
    for (const SessionWithMetrics& row : data.case_metrics.sessions) {
        const SessionMetrics& m = row.metrics;
        int moves = 0;
        for (const auto& [code, n] : m.therapist_moves)
            moves += n;
        auto opt_int = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string(); };
        out += csv_line({data.case_metrics.info.label,
                         std::to_string(row.session.number),
                         row.session.date,
                         number(m.active_minutes),
                         std::to_string(m.rupture_total),
                         std::to_string(m.ruptures_a.total),
                         std::to_string(m.ruptures_b.total),
                         std::to_string(m.ruptures_both.total),
                         number(m.rupture_rate_per_10min),
                         std::to_string(m.repairs),
                         number(m.pos_neg_ratio),
                         std::to_string(m.repaired_ruptures),
                         number(m.repair_rate),
                         number(m.median_time_to_repair_s),
                         std::to_string(m.signals),
                         std::to_string(m.answered_signals),
                         number(m.answer_rate),
                         std::to_string(m.pursue_withdraw_a_to_b),
                         std::to_string(m.pursue_withdraw_b_to_a),
                         number(m.time_withdrawn_a_s),
                         number(m.time_withdrawn_b_s),
                         std::to_string(moves),
                         opt_int(row.session.eft_stage),
                         opt_int(row.session.eft_step),
                         number(m.settings.repair_window_s),
                         number(m.settings.cycle_window_s),
                         number(m.settings.answer_window_s),
                         number(m.settings.min_active_minutes),
                         row.counting.counts ? "yes" : "no",
                         row.counting.reason,
                         std::to_string(row.change_events.withdrawer_reengagement),
                         std::to_string(row.change_events.blamer_softening),
                         std::to_string(row.confirmed.withdrawer_reengagement),
                         std::to_string(row.confirmed.blamer_softening)});
    }
    return out;
}

std::string measures_csv(const CaseSummaryData& data) {
    const CaseMeasures& measures = data.case_metrics.measures;
    std::string out = csv_line({"case", "partner", "partner_name", "instrument", "date", "session", "items", "total",
                                "total_entered", "clinical", "alliance_flag"});
    const Case& c = data.case_metrics.info;
    auto yes_no = [](const std::optional<bool>& v) { return v ? std::string(*v ? "yes" : "no") : std::string(); };
    for (const Measure& m : measures.administrations) {
        std::string items;
        for (std::size_t i = 0; i < m.items.size(); ++i) items += (i ? ";" : "") + number(m.items[i]);
        const std::optional<double> total = measure_total(m);
        const Instrument* in = measures.find(m.instrument_id);
        std::optional<bool> clinical;
        std::optional<bool> flag;
        if (in && total) {
            clinical = is_clinical(*total, *in);
            flag = alliance_flag(m, *in);
        }
        out += csv_line({c.label, std::string(to_string(m.partner)),
                         m.partner == Who::A ? c.partner_a.display_name : c.partner_b.display_name, m.instrument_id,
                         m.date, m.session_number ? std::to_string(*m.session_number) : std::string(), items,
                         number(total), m.entered_total ? "yes" : "no", yes_no(clinical), yes_no(flag)});
    }
    return out;
}

std::string sequences_csv(const CaseSummaryData& data) {
    std::string out = csv_line({"case", "session", "date", "direction", "antecedent", "consequent", "a", "b", "c", "d",
                                "yules_q", "z", "significant", "cycle_window_s"});
    const std::string& label = data.case_metrics.info.label;
    auto rows = [&](const SequenceAnalysis& analysis, const std::string& session, const std::string& date) {
        for (const LagTable* table : {&analysis.a_to_b, &analysis.b_to_a})
            for (const LagPair& pair : table->pairs)
                out += csv_line({label, session, date, table->antecedent_partner == Who::A ? "A->B" : "B->A",
                                 pair.antecedent, pair.consequent, std::to_string(pair.a), std::to_string(pair.b),
                                 std::to_string(pair.c), std::to_string(pair.d), number(pair.yules_q),
                                 number(pair.adjusted_residual), pair.significant ? "yes" : "no",
                                 number(analysis.cycle_window_s)});
    };
    for (const SessionWithMetrics& row : data.case_metrics.sessions)
        rows(row.sequences, std::to_string(row.session.number), row.session.date);
    if (!data.case_metrics.sessions.empty()) rows(data.case_metrics.pooled_sequences, "pooled", "");
    return out;
}

}  // namespace attune::formats
