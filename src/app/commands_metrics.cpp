// The metrics commands: `attune metrics` (a case's per-session metrics and
// trends, as a table or JSON) and `attune settings metrics` (the windows).
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli.h"
#include "core/dates.h"
#include "core/measures_json.h"
#include "core/metrics_json.h"
#include "core/sequences.h"
#include "core/change_events.h"
#include "core/text.h"
#include "services/case_trends.h"
#include "services/access_audit.h"
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

// [SECTION] Version 2: measures, sequences, change events

std::string signed_number(double x) { return (x > 0 ? "+" : "") + format_number(x, 2); }

void print_measures(const CaseMetrics& m) {
    if (m.measures.summaries.empty()) return;
    std::cout << "\nCouple-reported measures (first -> latest):\n";
    for (const InstrumentSummary& summary : m.measures.summaries) {
        const Instrument* in = m.measures.find(summary.instrument_id);
        for (const auto& [who, side] : {std::pair{Who::A, &summary.a}, std::pair{Who::B, &summary.b}}) {
            if (!*side) continue;
            const PartnerMeasureSummary& p = **side;
            const ReliableChange change = p.reliable_change.change;
            std::cout << "  " << padded(summary.instrument_id, 8) << to_string(who) << "  " << format_number(p.first, 2)
                      << " (" << p.first_date << ") -> " << format_number(p.latest, 2) << " (" << p.latest_date
                      << "), change " << signed_number(p.change) << ", reliable change "
                      << (change == ReliableChange::NotDefined ? std::string("not defined for this instrument")
                                                               : std::string(to_string(change)))
                      << ", "
                      << (p.clinical ? (*p.clinical ? "clinical range" : "not clinical")
                                     : "no cut-off")
                      << (p.recovered ? ", recovered" : "")
                      << (in && !in->validated ? " (not a validated instrument)" : "") << "\n";
        }
    }
}

void print_process_detail(const CaseMetrics& m, const std::vector<const SessionWithMetrics*>& rows) {
    if (!m.has_process_detail) return;
    std::cout << "\nChange-event candidates (confirmed) per session:";
    for (const SessionWithMetrics* row : rows)
        std::cout << "  S" << row->session.number << " re-engagement " << row->change_events.withdrawer_reengagement
                  << " (" << row->confirmed.withdrawer_reengagement << "), softening "
                  << row->change_events.blamer_softening << " (" << row->confirmed.blamer_softening << ")";
    std::cout << "\n\nSequences over all sessions, |z| >= 1.96 (X -> Y: the other partner's next move within "
              << format_number(m.settings.cycle_window_s) << " s):\n";
    bool any = false;
    for (const LagTable* table : {&m.pooled_sequences.a_to_b, &m.pooled_sequences.b_to_a})
        for (const LagPair& pair : table->pairs) {
            if (!pair.significant) continue;
            any = true;
            std::cout << "  " << (table->antecedent_partner == Who::A ? "A->B  " : "B->A  ") << pair.antecedent
                      << " -> " << pair.consequent << "  Q " << cell(pair.yules_q) << "  z "
                      << cell(pair.adjusted_residual) << "  (" << pair.a << " of " << pair.a + pair.b << ")\n";
        }
    if (!any) std::cout << "  none\n";
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
    for (const FlagNotice& notice : flags.flags)
        if (notice.flag == DashboardFlag::SafetyConcern) std::cout << "SAFETY CONCERN: " << notice.reason << "\n";
    if (const NotOnTrack flag = m.not_on_track(); flag.flagged)
        std::cout << "NOT ON TRACK: " << flag.reason << "\n";
    else
        std::cout << "On track: no sign that the couple is stuck"
                  << (m.counted().size() < 5 ? " (the coded-process rule needs at least 5 counted sessions)" : "")
                  << ".\n";
    print_measures(m);
    print_process_detail(m, rows);
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

    const NotOnTrack flag = m.not_on_track();  // version 2: the coded process or a measure
    services::record_command_read(*practice, {"metrics", &c, number ? &rows.front()->session : nullptr,
                                              args.has("json") ? "--json" : ""});
    if (args.has("json")) {
        nlohmann::json sessions = nlohmann::json::array();
        for (const SessionWithMetrics* s : rows) {
            nlohmann::json session = to_json(s->metrics, s->session.number, s->session.date);
            // A session that does not count has null rates and ratios (core/counting.h) and says why.
            session["counts_toward_trends"] = s->counting.counts;
            if (!s->counting.counts) session["reason"] = s->counting.reason;
            session["sequences"] = to_json(s->sequences);
            session["change_events"] = to_json(s->change_events);  // candidates
            session["change_events_confirmed"] = {{"withdrawer_reengagement", s->confirmed.withdrawer_reengagement},
                                                  {"blamer_softening", s->confirmed.blamer_softening}};
            sessions.push_back(std::move(session));
        }
        nlohmann::json flag_list = nlohmann::json::array();
        for (const FlagNotice& notice : flags.flags)
            flag_list.push_back(
                {{"id", flag_id(notice.flag)}, {"label", flag_label(notice.flag)}, {"reason", notice.reason}});
        // The pool is over every session of the case, as the trends are, whatever --session shows.
        nlohmann::json out{{"case", c.label},
                           {"settings", to_json(settings)},
                           {"sessions", sessions},
                           {"trends", to_json(m.trends)},
                           {"not_on_track", flag.flagged},
                           {"not_on_track_reason", flag.reason},
                           {"flags", flag_list},
                           {"measures", measures_json(m.measures.summaries)},
                           {"sequences", to_json(m.pooled_sequences)}};
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
    } else {
        services::record_command_read(*practice, {"settings metrics"});
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
                 "a case's per-session metrics, trends, measures, sequences and flags (safety concern first)",
                 with_db({"case", "session"}),
                 with_db_flags({"json"}), cmd_metrics});
    t.push_back({"settings metrics", "[--repair-window S] [--cycle-window S] [--answer-window S] [--min-minutes M]",
                 "show or change the metric windows (seconds, each " + metric_window_rule_text() +
                     ") and the active minutes a session needs to count toward trends (" +
                     min_active_minutes_rule_text() + ")",
                 with_db({"repair-window", "cycle-window", "answer-window", "min-minutes"}), with_db_flags({}),
                 cmd_settings_metrics});
}

}  // namespace attune::app
