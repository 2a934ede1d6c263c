#include "formats/export_tables.h"

#include "core/text.h"

#include <nlohmann/json.hpp>

namespace attune::formats {

namespace {

std::string number(double value) { return format_number(value, 3); }
std::string number(const std::optional<double>& value) { return value ? number(*value) : std::string(); }

std::string csv_line(const std::vector<std::string>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
    return out + "\r\n";
}

// Tabs and line breaks in free text become spaces; a cell with a quote is
// quoted with doubled quotes, as BORIS and spreadsheet readers expect.
std::string tsv_cell(std::string text) {
    text = neutralise_formula(std::move(text));
    for (char& ch : text)
        if (ch == '\t' || ch == '\n' || ch == '\r') ch = ' ';
    if (text.find('"') == std::string::npos) return text;
    std::string out = "\"";
    for (char ch : text) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + "\"";
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
    std::string out = csv_line({"case", "session", "date", "active_minutes", "ruptures", "ruptures_a", "ruptures_b",
                                "ruptures_both", "rupture_rate_per_10min", "repairs", "pos_neg_ratio",
                                "repaired_ruptures", "repair_rate", "median_time_to_repair_s", "signals",
                                "answered_signals", "answer_rate", "pursue_withdraw_a_to_b", "pursue_withdraw_b_to_a",
                                "time_withdrawn_a_s", "time_withdrawn_b_s", "therapist_moves", "eft_stage", "eft_step",
                                "repair_window_s", "cycle_window_s", "answer_window_s"});
    for (const SessionWithMetrics& row : data.case_metrics.sessions) {
        const SessionMetrics& m = row.metrics;
        int moves = 0;
        for (const auto& [code, n] : m.therapist_moves) moves += n;
        auto opt_int = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string(); };
        out += csv_line({data.case_metrics.info.label, std::to_string(row.session.number), row.session.date,
                         number(m.active_minutes), std::to_string(m.rupture_total), std::to_string(m.ruptures_a.total),
                         std::to_string(m.ruptures_b.total), std::to_string(m.ruptures_both.total),
                         number(m.rupture_rate_per_10min), std::to_string(m.repairs), number(m.pos_neg_ratio),
                         std::to_string(m.repaired_ruptures), number(m.repair_rate), number(m.median_time_to_repair_s),
                         std::to_string(m.signals), std::to_string(m.answered_signals), number(m.answer_rate),
                         std::to_string(m.pursue_withdraw_a_to_b), std::to_string(m.pursue_withdraw_b_to_a),
                         number(m.time_withdrawn_a_s), number(m.time_withdrawn_b_s), std::to_string(moves),
                         opt_int(row.session.eft_stage), opt_int(row.session.eft_step),
                         number(m.settings.repair_window_s), number(m.settings.cycle_window_s),
                         number(m.settings.answer_window_s)});
    }
    return out;
}

std::string boris_aggregated_tsv(const ObservationExportData& data) {
    std::string out =
        "Observation id\tObservation date\tDescription\tTotal length\tSubject\tBehavior\tBehavioral category\t"
        "Behavior type\tStart (s)\tStop (s)\tDuration (s)\tComment start\n";
    for (const ObservationRow& r : data.rows) {
        // BORIS dates carry seconds; Attune keeps the start time to the minute.
        const std::string date =
            r.session_date + " " + (r.session_start_time.empty() ? std::string("00:00") : r.session_start_time) + ":00";
        const bool state = r.kind == EventKind::State;
        // A state still running has no stop: it ends, for BORIS, where the session clock stopped.
        const double stop = r.stop.value_or(std::max(r.t, r.session_active_seconds));
        out += "session " + std::to_string(r.session_number) + "\t" + date + "\t" +
               tsv_cell(r.case_label + " session " + std::to_string(r.session_number)) + "\t" +
               number(r.session_active_seconds) + "\t" + tsv_cell(r.who_name) + "\t" + tsv_cell(r.code_id) + "\t" +
               tsv_cell(r.category_label) + "\t" + (state ? "STATE" : "POINT") + "\t" + number(r.t) + "\t" +
               (state ? number(stop) : number(r.t)) + "\t" + (state ? number(stop - r.t) : std::string("NA")) + "\t" +
               tsv_cell(r.comment) + "\n";
    }
    return out;
}

}  // namespace attune::formats
