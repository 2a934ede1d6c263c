// The metrics commands: `attune metrics` (a case's per-session metrics and
// trends, as a table or JSON) and `attune settings metrics` (the windows).
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli.h"
#include "core/dates.h"
#include "core/metrics_json.h"
#include "core/text.h"
#include "services/case_trends.h"
#include "services/cases.h"
#include "services/settings.h"

namespace attune::app {
namespace {

// Writable so that computed metrics are cached; when the GUI holds the write
// lock, reading still works (the numbers are computed, just not kept).
std::unique_ptr<services::OpenPractice> open_for_reading(const Args& args) {
    try {
        return open_from_args(args, false);
    } catch (const Error& e) {
        if (e.kind() != Error::Kind::Locked) throw;
        return open_from_args(args, false, true);
    }
}

// A window's length in seconds, by core/metrics.h's one rule.
std::optional<double> window_option(const Args& args, const std::string& name) {
    const auto text = args.get(name);
    if (!text) return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(text->c_str(), &end);
    if (text->empty() || *end != '\0' || !is_valid_metric_window(value))
        throw UsageError("--" + name + " takes seconds, " + metric_window_rule_text() + " (got '" + *text + "')");
    return value;
}

// M, the active minutes a session needs to count, by core/metrics.h's one rule.
std::optional<double> min_minutes_option(const Args& args) {
    const auto text = args.get("min-minutes");
    if (!text) return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(text->c_str(), &end);
    if (text->empty() || *end != '\0' || !is_valid_min_active_minutes(value))
        throw UsageError("--min-minutes takes minutes, " + min_active_minutes_rule_text() + " (got '" + *text + "')");
    return value;
}

// [SECTION] Table cells: "-" stands for "none" (no rupture, no signal, ...).
std::string cell(const std::optional<double>& value, int decimals = 2) {
    return value ? format_number(*value, decimals) : "-";
}
std::string percent(const std::optional<double>& fraction) {
    return fraction ? format_number(*fraction * 100.0, 0) + "%" : "-";
}
std::string padded(const std::string& text, std::size_t width) {
    return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

std::string describe_trend(const char* what, const std::optional<double>& slope, const char* unit, bool up_is_good) {
    if (!slope) return std::string(what) + ": not enough sessions for a trend (needs 3 with a value)";
    std::string direction = "flat";
    if (*slope > 1e-9) direction = up_is_good ? "improving" : "worsening";
    if (*slope < -1e-9) direction = up_is_good ? "worsening" : "improving";
    return std::string(what) + ": " + (*slope >= 0 ? "+" : "") + format_number(*slope, 3) + " " + unit +
           " per session (" + direction + ")";
}

void print_table(const CaseMetrics& m, const std::vector<const SessionWithMetrics*>& rows, const DashboardRow& flags) {
    const std::vector<std::pair<std::string, std::size_t>> columns{
        {"session", 8},  {"date", 11},       {"min", 6},     {"rupt A/B/all", 13}, {"/10min", 7},
        {"repairs", 8},  {"ratio", 6},       {"repaired", 9}, {"med ttr s", 10},   {"signals", 8},
        {"answered", 9}, {"P>W A>B/B>A", 12}, {"withdrawn A/B s", 16}};
    for (const auto& [name, width] : columns) std::cout << padded(name, width);
    std::cout << "\n";
    for (const SessionWithMetrics* row : rows) {
        const SessionMetrics& s = row->metrics;
        const std::vector<std::string> values{
            std::to_string(row->session.number),
            row->session.date,
            format_number(s.active_minutes, 1),
            std::to_string(s.ruptures_a.total) + "/" + std::to_string(s.ruptures_b.total) + "/" +
                std::to_string(s.rupture_total),
            cell(s.rupture_rate_per_10min),
            std::to_string(s.repairs),
            cell(s.pos_neg_ratio),
            percent(s.repair_rate),
            cell(s.median_time_to_repair_s, 1),
            std::to_string(s.signals),
            percent(s.answer_rate),
            std::to_string(s.pursue_withdraw_a_to_b) + "/" + std::to_string(s.pursue_withdraw_b_to_a),
            format_number(s.time_withdrawn_a_s, 0) + "/" + format_number(s.time_withdrawn_b_s, 0)};
        for (std::size_t i = 0; i < values.size(); ++i) std::cout << padded(values[i], columns[i].second);
        std::cout << "\n";
    }
    std::cout << "(- = none: no rupture, no repaired rupture or no signal in that session, or a session that does "
                 "not count)\n";
    for (const SessionWithMetrics* row : rows)
        if (!row->counting.counts)
            std::cout << "Session " << row->session.number << " is not counted toward trends: " << row->counting.reason
                      << ".\n";
    std::cout << "\n";
    const CaseTrends& t = m.trends;
    std::cout << "Trends over the last 6 sessions with a value:\n"
              << "  " << describe_trend("repair rate", t.repair_rate ? std::optional(*t.repair_rate * 100) : std::nullopt,
                                        "points", true) << "\n"
              << "  " << describe_trend("rupture rate", t.rupture_rate_per_10min, "ruptures/10 min", false) << "\n"
              << "  " << describe_trend("repair-to-rupture ratio", t.pos_neg_ratio, "", true) << "\n"
              << "  " << describe_trend("median time to repair", t.median_time_to_repair_s, "s", false) << "\n"
              << "  " << describe_trend("answer rate", t.answer_rate ? std::optional(*t.answer_rate * 100) : std::nullopt,
                                        "points", true) << "\n\n";
    // Safety first, in words, as on the dashboard.
    for (const FlagNotice& flag : flags.flags)
        if (flag.flag == DashboardFlag::SafetyConcern) std::cout << "SAFETY CONCERN: " << flag.reason << "\n";
    if (t.not_on_track)
        std::cout << "NOT ON TRACK: " << t.not_on_track_reason << "\n";
    else
        std::cout << "On track: no sign that the couple is stuck"
                  << (m.counted().size() < 5 ? " (the flag needs at least 5 counted sessions)" : "") << ".\n";
}

int cmd_metrics(const Args& args) {
    auto practice = open_for_reading(args);
    const Case c = services::find_case(*practice, args.require("case"));
    const auto number = args.get_int("session", 1, 100000);
    const CaseMetrics m = services::case_metrics(*practice, c.id);
    const MetricSettings& settings = m.settings;
    const DashboardRow flags = services::case_dashboard_row(*practice, c.id, today_local_iso());

    std::vector<const SessionWithMetrics*> rows;
    for (const SessionWithMetrics& s : m.sessions)
        if (!number || s.session.number == *number) rows.push_back(&s);
    if (number && rows.empty())
        throw Error(Error::Kind::NotFound,
                         "case " + c.label + " has no session " + std::to_string(*number) + " (see attune session list)");

    if (args.has("json")) {
        nlohmann::json sessions = nlohmann::json::array();
        for (const SessionWithMetrics* s : rows) {
            nlohmann::json one = to_json(s->metrics, s->session.number, s->session.date);
            // A session that does not count has null rates and ratios (core/counting.h) and says why.
            one["counts_toward_trends"] = s->counting.counts;
            if (!s->counting.counts) one["reason"] = s->counting.reason;
            sessions.push_back(std::move(one));
        }
        nlohmann::json flag_list = nlohmann::json::array();
        for (const FlagNotice& flag : flags.flags)
            flag_list.push_back(
                {{"id", flag_id(flag.flag)}, {"label", flag_label(flag.flag)}, {"reason", flag.reason}});
        nlohmann::json out{{"case", c.label},
                           {"settings", to_json(settings)},
                           {"sessions", sessions},
                           {"trends", to_json(m.trends)},
                           {"not_on_track", m.trends.not_on_track},
                           {"not_on_track_reason", m.trends.not_on_track_reason},
                           {"flags", flag_list}};
        std::cout << out.dump(2) << "\n";
        return kExitOk;
    }
    std::cout << c.label << " (" << c.partner_a.display_name << " & " << c.partner_b.display_name << "), "
              << m.sessions.size() << " sessions; windows: repair " << format_number(settings.repair_window_s)
              << " s, cycle " << format_number(settings.cycle_window_s) << " s, answer "
              << format_number(settings.answer_window_s) << " s; a session counts with at least "
              << format_number(settings.min_active_minutes) << " active minutes\n\n";
    print_table(m, rows, flags);
    return kExitOk;
}

int cmd_settings_metrics(const Args& args) {
    const bool changing =
        args.has("repair-window") || args.has("cycle-window") || args.has("answer-window") || args.has("min-minutes");
    const auto min_minutes = min_minutes_option(args);
    const auto repair = window_option(args, "repair-window");
    const auto cycle = window_option(args, "cycle-window");
    const auto answer = window_option(args, "answer-window");
    auto practice = open_from_args(args, false, !changing);
    MetricSettings settings = services::metric_windows(*practice);
    if (changing) {
        if (repair) settings.repair_window_s = *repair;
        if (cycle) settings.cycle_window_s = *cycle;
        if (answer) settings.answer_window_s = *answer;
        if (min_minutes) settings.min_active_minutes = *min_minutes;
        services::save_metric_windows(*practice, settings);
    }
    std::cout << "repair window " << format_number(settings.repair_window_s) << " s\n"
              << "cycle window  " << format_number(settings.cycle_window_s) << " s\n"
              << "answer window " << format_number(settings.answer_window_s) << " s\n"
              << "min minutes   " << format_number(settings.min_active_minutes)
              << " (a session counts toward trends when ended with at least this many active minutes)\n";
    return kExitOk;
}

}  // namespace

void register_metrics_commands() {
    auto& t = command_table();
    t.push_back({"metrics", "--case L [--session N] [--json]",
                 "a case's per-session metrics, trends and flags (safety concern first)", with_db({"case", "session"}),
                 with_db_flags({"json"}), cmd_metrics});
    t.push_back({"settings metrics", "[--repair-window S] [--cycle-window S] [--answer-window S] [--min-minutes M]",
                 "show or change the metric windows (seconds, each " + metric_window_rule_text() +
                     ") and the active minutes a session needs to count toward trends (" +
                     min_active_minutes_rule_text() + ")",
                 with_db({"repair-window", "cycle-window", "answer-window", "min-minutes"}), with_db_flags({}),
                 cmd_settings_metrics});
}

}  // namespace attune::app
