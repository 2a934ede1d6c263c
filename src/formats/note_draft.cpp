// note_draft.cpp: see note_draft.h.
//
// [SECTION] Wording helpers
// [SECTION] What the session shows, per partner
// [SECTION] The four paragraphs
#include "formats/note_draft.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

#include "core/observation_text.h"
#include "core/text.h"

namespace attune::formats {
namespace {

// [SECTION] Wording helpers

std::string lower_first(std::string text) {
    if (text.size() > 1 && text[0] >= 'A' && text[0] <= 'Z' && !(text[1] >= 'A' && text[1] <= 'Z'))
        text[0] = static_cast<char>(text[0] - 'A' + 'a');
    return text;
}

std::string capitalize_first(std::string text) {
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
}

std::string join(const std::vector<std::string>& parts, const std::string& last_separator = " and ") {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += i + 1 == parts.size() ? last_separator : ", ";
        out += parts[i];
    }
    return out;
}

// Every part separated by `separator` (no "and" before the last).
std::string join_with(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i)
        out += (i ? separator : "") + parts[i];
    return out;
}

std::string count_of(int n, const std::string& singular, const std::string& plural = "") {
    return std::to_string(n) + " " + (n == 1 ? singular : (plural.empty() ? singular + "s" : plural));
}

std::string percent(double fraction) {
    return format_number(std::round(fraction * 100.0), 0) + " %";
}

// "2 minutes" for whole minutes, else seconds.
std::string window_words(double seconds) {
    const double minutes = seconds / 60.0;
    if (seconds >= 60 && std::abs(minutes - std::round(minutes)) < 1e-9)
        return count_of(static_cast<int>(std::round(minutes)), "minute");
    return format_number(seconds, 0) + " seconds";
}

std::string duration_words(double seconds) {
    const double rounded = std::round(seconds);
    if (rounded < 60) return format_number(rounded, 0) + " s";
    return format_clock(rounded) + " min";
}

// "protest 2, defensive anger 1": the most frequent first, then by label.
std::string breakdown(const std::map<std::string, int>& by_label) {
    std::vector<std::pair<std::string, int>> items(by_label.begin(), by_label.end());
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::string> parts;
    for (const auto& [label, n] : items)
        parts.push_back(n == 1 ? label : label + " \xC3\x97" + std::to_string(n));
    return join(parts, ", ");
}

std::optional<double> mean_of(const std::vector<SessionWithMetrics>& sessions,
                              std::optional<double> (*value)(const SessionMetrics&)) {
    double sum = 0;
    int n = 0;
    for (const SessionWithMetrics& s : sessions)
        if (const auto v = value(s.metrics)) {
            sum += *v;
            ++n;
        }
    if (n == 0) return std::nullopt;
    return sum / n;
}

// [SECTION] What the session shows, per partner

struct PartnerShows {
    std::map<std::string, int> pursue;    // code label -> count (pursue-role ruptures)
    std::map<std::string, int> withdraw;  // withdraw-role ruptures
    int ruptures = 0;
    int repaired = 0;
    std::map<std::string, int> repairs;  // repair moves made
    int repair_moves = 0;
    int signals = 0;
    int answered = 0;
    std::vector<std::string> missed;  // "fear of disconnection or losing love at 14:20"
    std::vector<std::string> unrepaired;
};

struct SessionShows {
    PartnerShows a, b;
    int ruptures_both = 0;
    std::map<std::string, int> repairs;  // every repair move, either partner
};

SessionShows read_session(const SessionNoteData& data) {
    std::map<RowId, const RuptureLink*> rupture_links;
    for (const RuptureLink& link : data.metrics.rupture_links)
        rupture_links[link.rupture_id] = &link;
    std::map<RowId, const SignalLink*> signal_links;
    for (const SignalLink& link : data.metrics.signal_links)
        signal_links[link.signal_id] = &link;

    SessionShows shows;
    for (const Observation& o : data.observations) {
        if (o.deleted) continue;
        const Code* code = data.scheme.find(o.code_id);
        if (!code || code->polarity == Polarity::Intervention || o.who == Who::Therapist) continue;
        const std::string label = lower_first(code->label);
        if (o.who == Who::Both) {
            if (code->polarity == Polarity::Rupture) ++shows.ruptures_both;
            if (code->polarity == Polarity::Repair) ++shows.repairs[label];
            continue;
        }
        PartnerShows& p = o.who == Who::A ? shows.a : shows.b;
        switch (code->polarity) {
            case Polarity::Rupture: {
                ++p.ruptures;
                if (code->cycle_role == CycleRole::Pursue) ++p.pursue[label];
                if (code->cycle_role == CycleRole::Withdraw) ++p.withdraw[label];
                const auto link = rupture_links.find(o.id);
                if (link != rupture_links.end() && link->second->repaired_by)
                    ++p.repaired;
                else
                    p.unrepaired.push_back(label + " at " + format_clock(o.t));
                break;
            }
            case Polarity::Repair:
                ++p.repairs[label];
                ++p.repair_moves;
                ++shows.repairs[label];
                break;
            case Polarity::Signal: {
                ++p.signals;
                const auto link = signal_links.find(o.id);
                if (link != signal_links.end() && link->second->answered_by)
                    ++p.answered;
                else
                    p.missed.push_back(label + " at " + format_clock(o.t));
                break;
            }
            case Polarity::Intervention:
                break;
        }
    }
    return shows;
}

// [SECTION] The four paragraphs

std::string cycle_paragraph(const SessionNoteData& data, const SessionShows& shows) {
    const SessionMetrics& m = data.metrics;
    const std::string a = who_display_name(data.info, Who::A);
    const std::string b = who_display_name(data.info, Who::B);
    const auto sequences = [](int n) { return count_of(n, "pursue\xE2\x86\x92withdraw sequence"); };
    std::string text;
    if (m.pursue_withdraw_a_to_b > 0 && m.pursue_withdraw_b_to_a > 0) {
        text = "The negative cycle ran in both directions: " + a + " pursued and " + b + " withdrew (" +
               sequences(m.pursue_withdraw_a_to_b) + "), and " + b + " pursued and " + a + " withdrew (" +
               sequences(m.pursue_withdraw_b_to_a) + ").";
    } else if (m.pursue_withdraw_a_to_b > 0 || m.pursue_withdraw_b_to_a > 0) {
        const bool a_pursued = m.pursue_withdraw_a_to_b > 0;
        text = "The negative cycle was active: " + (a_pursued ? a : b) + " pursued and " + (a_pursued ? b : a) +
               " withdrew (" + sequences(a_pursued ? m.pursue_withdraw_a_to_b : m.pursue_withdraw_b_to_a) + ").";
    } else if (shows.a.ruptures + shows.b.ruptures + shows.ruptures_both == 0) {
        return "No ruptures were coded: the negative cycle did not show in this session.";
    } else {
        text = "No full pursue\xE2\x86\x92withdraw sequence was coded.";
    }
    // The positions each partner took, in the codes the clinician used.
    std::vector<std::string> positions;
    for (const auto& [name, p] : {std::pair{a, &shows.a}, std::pair{b, &shows.b}}) {
        if (!p->pursue.empty()) positions.push_back(name + "'s pursuing moves: " + breakdown(p->pursue));
        if (!p->withdraw.empty()) positions.push_back(name + "'s withdrawing moves: " + breakdown(p->withdraw));
    }
    if (!positions.empty()) text += " " + join_with(positions, "; ") + ".";
    return text;
}

std::string repair_paragraph(const SessionNoteData& data, const SessionShows& shows) {
    const SessionMetrics& m = data.metrics;
    if (m.rupture_total == 0 && m.repairs == 0) return "";
    const std::string a = who_display_name(data.info, Who::A);
    const std::string b = who_display_name(data.info, Who::B);
    std::string text;
    if (m.rupture_total > 0) {
        std::vector<std::string> by_partner;
        if (shows.a.ruptures > 0) by_partner.push_back(a + " " + std::to_string(shows.a.ruptures));
        if (shows.b.ruptures > 0) by_partner.push_back(b + " " + std::to_string(shows.b.ruptures));
        if (shows.ruptures_both > 0) by_partner.push_back("both together " + std::to_string(shows.ruptures_both));
        text = count_of(m.rupture_total, "rupture") + " " + (m.rupture_total == 1 ? "was" : "were") + " coded (" +
               join_with(by_partner, ", ") + "); ";
        const std::string window = window_words(m.settings.repair_window_s);
        if (m.repaired_ruptures == 0) {
            text += "none was repaired within " + window + ".";
        } else {
            text += (m.repaired_ruptures == m.rupture_total
                         ? (m.rupture_total == 1 ? std::string("it was") : std::string("all were"))
                         : std::to_string(m.repaired_ruptures) + " were") +
                    " repaired within " + window;
            if (m.median_time_to_repair_s)
                text += m.repaired_ruptures == 1
                            ? " (after " + duration_words(*m.median_time_to_repair_s) + ")"
                            : " (median " + duration_words(*m.median_time_to_repair_s) + " to repair)";
            text += ".";
        }
    }
    if (m.repairs > 0) {
        // Who repaired, and how, in the codes used.
        std::vector<std::string> movers;
        for (const auto& [name, p] : {std::pair{a, &shows.a}, std::pair{b, &shows.b}})
            if (p->repair_moves > 0)
                movers.push_back(name + " " + std::to_string(p->repair_moves) + " (" + breakdown(p->repairs) + ")");
        const int together = m.repairs - shows.a.repair_moves - shows.b.repair_moves;
        if (together > 0) movers.push_back("both together " + std::to_string(together));
        text += std::string(text.empty() ? "" : " ") + "Repair moves: " + join_with(movers, "; ") + ".";
    }
    std::vector<std::string> left;
    for (const auto& [name, p] : {std::pair{a, &shows.a}, std::pair{b, &shows.b}})
        for (const std::string& what : p->unrepaired)
            if (left.size() < 3) left.push_back(name + "'s " + what);
    if (!left.empty() && m.repaired_ruptures > 0) text += " Left unrepaired: " + join(left) + ".";
    return capitalize_first(text);
}

std::string signals_paragraph(const SessionNoteData& data, const SessionShows& shows) {
    const std::string a = who_display_name(data.info, Who::A);
    const std::string b = who_display_name(data.info, Who::B);
    if (shows.a.signals + shows.b.signals == 0) return "No attachment signals were coded.";
    std::vector<std::string> parts;
    std::vector<std::string> missed;
    for (const auto& [name, other, p] : {std::tuple{a, b, &shows.a}, std::tuple{b, a, &shows.b}}) {
        if (p->signals == 0) continue;
        std::string part = name + " sent " + count_of(p->signals, "attachment signal") + ", ";
        if (p->answered == p->signals)
            part += p->signals == 1 ? "answered by " + other : "all answered by " + other;
        else if (p->answered == 0)
            part += (p->signals == 1 ? "not answered by " : "none answered by ") + other;
        else
            part += std::to_string(p->answered) + " answered by " + other;
        parts.push_back(part);
        for (const std::string& what : p->missed)
            if (missed.size() < 3) missed.push_back(name + "'s " + what);
    }
    std::string text = join_with(parts, "; ") + ".";
    if (!missed.empty()) text += " Missed: " + join(missed) + ".";
    return text;
}

std::string change_paragraph(const SessionNoteData& data) {
    if (!data.counting.counts)
        return "This session does not count toward trends (" + data.counting.reason +
               "), so it is not compared with earlier sessions.";
    if (data.earlier.empty())
        return "This is the first counted session of the case: there is nothing to compare it with yet.";
    const SessionMetrics& now = data.metrics;
    const std::string over = data.earlier.size() == 1
                                 ? "the previous counted session"
                                 : "the previous " + std::to_string(data.earlier.size()) + " counted sessions";
    std::vector<std::string> changes;
    const auto repair = mean_of(data.earlier, [](const SessionMetrics& m) { return m.repair_rate; });
    if (now.repair_rate && repair) {
        const double d = *now.repair_rate - *repair;
        const std::string how = std::abs(d) < 0.05 ? "held steady" : (d > 0 ? "rose" : "fell");
        changes.push_back("the repair rate " + how + " (" + percent(*now.repair_rate) + " against " + percent(*repair) +
                          (data.earlier.size() > 1 ? " on average)" : ")"));
    }
    const auto ruptures = mean_of(data.earlier, [](const SessionMetrics& m) { return m.rupture_rate_per_10min; });
    if (now.rupture_rate_per_10min && ruptures) {
        const double d = *now.rupture_rate_per_10min - *ruptures;
        const std::string how = std::abs(d) < 0.05 ? "as frequent" : (d > 0 ? "more frequent" : "less frequent");
        changes.push_back("ruptures were " + how + " (" + format_number(*now.rupture_rate_per_10min, 1) + " against " +
                          format_number(*ruptures, 1) + " per 10 minutes)");
    }
    double earlier_cycles = 0;
    for (const SessionWithMetrics& s : data.earlier)
        earlier_cycles += s.metrics.pursue_withdraw_a_to_b + s.metrics.pursue_withdraw_b_to_a;
    earlier_cycles /= static_cast<double>(data.earlier.size());
    const int cycles = now.pursue_withdraw_a_to_b + now.pursue_withdraw_b_to_a;
    changes.push_back("pursue\xE2\x86\x92withdraw sequences numbered " + std::to_string(cycles) + " against " +
                      format_number(earlier_cycles, 1));
    return "Compared with " + over + ", " + join_with(changes, "; ") + ".";
}

}  // namespace

std::string draft_assessment(const SessionNoteData& data) {
    const SessionShows shows = read_session(data);
    std::vector<std::string> paragraphs{cycle_paragraph(data, shows), repair_paragraph(data, shows),
                                        signals_paragraph(data, shows), change_paragraph(data)};
    std::string out;
    for (const std::string& p : paragraphs) {
        if (p.empty()) continue;
        if (!out.empty()) out += "\n\n";
        out += p;
    }
    return out;
}

}  // namespace attune::formats
