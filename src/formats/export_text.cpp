// Index:
// [SECTION] The observed pattern of a session
// [SECTION] Case summary
// (The document model and wording helpers: text_document.h; the session note: session_note_text.cpp.)
#include "formats/export_text.h"
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>

#include "core/dashboard.h"
#include "core/text.h"
#include "core/trend_charts.h"
#include "formats/case_summary_process.h"
#include "formats/export_excerpts.h"
#include "formats/text_document.h"

namespace attune::formats {

using namespace detail;

std::string period_text(const CaseSummaryData& data) {
    const auto& sessions = data.case_metrics.sessions;
    std::string from = data.from;
    std::string to = data.to;
    if (from.empty() && !sessions.empty()) from = sessions.front().session.date;
    if (to.empty() && !sessions.empty()) to = sessions.back().session.date;
    if (from.empty() && to.empty()) return "no sessions";
    if (from.empty()) return "until " + to;
    if (to.empty()) return "from " + from;
    return from == to ? from : from + " to " + to;
}

std::string stage_name(int stage) {
    switch (stage) {
        case 1: return "de-escalation";
        case 2: return "restructuring";
        case 3: return "consolidation";
        default: return "";
    }
}

std::string format_percent(double fraction) { return format_number(std::round(fraction * 100.0), 0) + " %"; }

std::string signature_text(const SignatureLine& line) {
    std::string text = std::string(line.cosign ? "Co-signed by " : "Signed by ") + line.signer + ", " + line.signed_at +
                       " \xE2\x80\x94 ";
    if (line.verified) return text + "verified (key " + line.fingerprint + ")";
    return text + (line.problem.empty() ? std::string("not verified") : line.problem);
}

// [SECTION] The observed pattern of a session

namespace {

struct PartnerPattern {
    std::map<std::string, int> ruptures;  // code label -> count
    int rupture_total = 0;
    int repaired = 0;
    std::vector<double> times_to_repair;
    std::map<std::string, int> repairs;
    int repair_total = 0;
    int signals = 0;
    int answered = 0;
};

std::string answered_words(int signals, int answered) {
    if (answered == signals) return signals == 1 ? "answered" : (signals == 2 ? "both answered" : "all answered");
    if (answered == 0) return signals == 1 ? "not answered" : "none answered";
    return std::to_string(answered) + " answered";
}

std::string describe_partner(const std::string& who_text, const PartnerPattern& p) {
    std::vector<std::string> parts;
    if (p.rupture_total == 0) {
        parts.push_back("no ruptures were observed");
    } else {
        std::string text = plural(p.rupture_total, "rupture") + " (" + breakdown(p.ruptures) + ")";
        if (p.repaired == 0) text += ", none repaired";
        else if (p.repaired == p.rupture_total) text += p.rupture_total == 1 ? ", repaired" : ", all repaired";
        else text += ", " + std::to_string(p.repaired) + " repaired";
        if (auto m = median(p.times_to_repair))
            text += p.repaired == 1 ? " after " + format_seconds(*m) : ", median " + format_seconds(*m) + " to repair";
        parts.push_back(text);
    }
    if (p.repair_total > 0)
        parts.push_back(plural(p.repair_total, "repair move") + " (" + breakdown(p.repairs) + ")");
    if (p.signals > 0)
        parts.push_back(plural(p.signals, "attachment signal") + ", " + answered_words(p.signals, p.answered));
    return who_text + ": " + join(parts, "; ") + ".";
}

}  // namespace

std::vector<std::string> observed_pattern_lines(const SessionNoteData& data) {
    const SessionMetrics& m = data.metrics;
    const Case& c = data.info;
    std::map<RowId, const RuptureLink*> rupture_links;
    for (const RuptureLink& link : m.rupture_links) rupture_links[link.rupture_id] = &link;
    std::map<RowId, const SignalLink*> signal_links;
    for (const SignalLink& link : m.signal_links) signal_links[link.signal_id] = &link;

    PartnerPattern a, b, both;
    std::map<std::string, int> therapist;
    int counted = 0;
    for (const Observation& o : data.observations) {
        if (o.deleted) continue;
        const Code* code = data.scheme.find(o.code_id);
        if (!code) continue;
        const std::string label = lower_first(code->label);
        if (code->polarity == Polarity::Intervention) {
            ++therapist[label];
            ++counted;
            continue;
        }
        if (o.who == Who::Therapist) continue;  // metrics.h: belongs to neither partner
        PartnerPattern& p = o.who == Who::A ? a : (o.who == Who::B ? b : both);
        ++counted;
        if (code->polarity == Polarity::Rupture) {
            ++p.ruptures[label];
            ++p.rupture_total;
            auto link = rupture_links.find(o.id);
            if (link != rupture_links.end() && link->second->repaired_by) {
                ++p.repaired;
                if (link->second->time_to_repair_s) p.times_to_repair.push_back(*link->second->time_to_repair_s);
            }
        } else if (code->polarity == Polarity::Repair) {
            ++p.repairs[label];
            ++p.repair_total;
        } else if (code->polarity == Polarity::Signal) {
            ++p.signals;
            auto link = signal_links.find(o.id);
            if (link != signal_links.end() && link->second->answered_by) ++p.answered;
        }
    }
    if (counted == 0) return {"No observations were coded in this session."};

    const std::string name_a = partner_name(c, Who::A);
    const std::string name_b = partner_name(c, Who::B);
    std::vector<std::string> lines;
    lines.push_back(describe_partner("Partner A (" + name_a + ")", a));
    lines.push_back(describe_partner("Partner B (" + name_b + ")", b));
    if (both.rupture_total + both.repair_total + both.signals > 0)
        lines.push_back(describe_partner("Both partners together", both));

    // The negative cycle, per direction.
    auto cycle = [&](int n, const std::string& pursuer, const std::string& withdrawer) {
        return count_word(n) + " pursue\xE2\x86\x92withdraw sequence" + (n == 1 ? "" : "s") + " (" + pursuer +
               " pursued, " + withdrawer + " withdrew)";
    };
    std::vector<std::string> cycles;
    if (m.pursue_withdraw_a_to_b > 0) cycles.push_back(cycle(m.pursue_withdraw_a_to_b, name_a, name_b));
    if (m.pursue_withdraw_b_to_a > 0) cycles.push_back(cycle(m.pursue_withdraw_b_to_a, name_b, name_a));
    lines.push_back(cycles.empty() ? "No pursue\xE2\x86\x92withdraw sequence was observed."
                                   : capitalize(join(cycles, "; ")) + ".");
    std::vector<std::string> withdrawn;
    if (m.time_withdrawn_a_s >= 1) withdrawn.push_back(name_a + " for " + format_seconds(m.time_withdrawn_a_s));
    if (m.time_withdrawn_b_s >= 1) withdrawn.push_back(name_b + " for " + format_seconds(m.time_withdrawn_b_s));
    if (!withdrawn.empty()) lines.push_back("Time withdrawn (shut down): " + join(withdrawn, ", ") + ".");

    std::string overall = "Overall: ";
    if (m.rupture_total == 0) {
        overall += "no ruptures were observed";
    } else {
        overall += plural(m.rupture_total, "rupture");
        if (m.rupture_rate_per_10min) overall += " (" + format_number(*m.rupture_rate_per_10min, 1) + " per 10 min)";
        if (m.repair_rate) overall += ", repair rate " + format_percent(*m.repair_rate);
    }
    overall += m.repairs == 0 ? "; no repair moves" : "; " + plural(m.repairs, "repair move");
    if (m.pos_neg_ratio)
        overall += ", positive-to-negative ratio " + format_number(*m.pos_neg_ratio, 1) + " : 1" +
                   (data.show_five_to_one ? std::string("; reference ") + kFiveToOneLabel : std::string());
    lines.push_back(overall + ".");
    if (!therapist.empty()) lines.push_back("Therapist interventions: " + breakdown(therapist) + ".");
    return lines;
}

// [SECTION] Case summary

namespace {

struct TrendSpec {
    const char* name;
    std::optional<double> CaseTrends::*slope;
    std::function<std::optional<double>(const SessionMetrics&)> value;
    bool percent;
    const char* unit;     // after a plain value, e.g. " per 10 min"
    const char* missing;  // why sessions may have no value
};

std::string trend_value(double v, const TrendSpec& spec) {
    if (spec.percent) return format_percent(v);
    if (std::string(spec.unit) == " s") return format_seconds(v);
    return format_number(v, 1) + spec.unit;
}

std::string trend_sentence(const CaseSummaryData& data, const TrendSpec& spec) {
    std::vector<double> values;
    for (const SessionWithMetrics* s : data.case_metrics.counted())
        if (auto v = spec.value(s->metrics)) values.push_back(*v);
    const std::string name = spec.name;
    if (values.empty()) return capitalize(name) + ": no counted session in this period had " + spec.missing + ".";
    const std::optional<double> slope = data.case_metrics.trends.*(spec.slope);
    const double first = values.front();
    const double last = values.back();
    const std::string over = " over " + plural(static_cast<int>(values.size()), "session");
    if (!slope)
        return capitalize(name) + ": " + trend_value(first, spec) + (values.size() > 1 ? " then " + trend_value(last, spec) : "") +
               "; too few sessions for a trend (at least 3 needed).";
    const double per_session = spec.percent ? *slope * 100.0 : *slope;
    const std::string slope_text = (per_session > 0 ? "+" : "") + format_number(per_session, 1) +
                                   (spec.percent ? " points" : (std::string(spec.unit) == " s" ? " s" : "")) + " per session";
    if (std::abs(per_session) < 0.05 && trend_value(first, spec) == trend_value(last, spec))
        return capitalize(name) + " held steady at " + trend_value(last, spec) + over + ".";
    const bool up = *slope > 0;
    if ((last > first) == up && last != first)
        return capitalize(name) + (up ? " rose" : " fell") + " from " + trend_value(first, spec) + " to " +
               trend_value(last, spec) + over + " (trend " + slope_text + ").";
    return capitalize(name) + " went from " + trend_value(first, spec) + " to " + trend_value(last, spec) + over +
           ", trending " + (up ? "up" : "down") + " (" + slope_text + ").";
}

}  // namespace

CaseSummaryText describe_case(const CaseSummaryData& data) {
    const Case& c = data.case_metrics.info;
    const auto& sessions = data.case_metrics.sessions;
    CaseSummaryText out;
    out.title = "Case summary: " + c.label;
    out.overview.push_back("Period: " + period_text(data) + " (" + plural(static_cast<int>(sessions.size()), "session") + ").");
    std::string who = "Clinician: " + (c.clinician_name.empty() ? std::string("not recorded") : c.clinician_name) +
                      "; case status: " + std::string(to_string(c.status));
    if (!c.start_date.empty()) who += "; in treatment since " + c.start_date;
    out.overview.push_back(who + ".");
    for (const Participant* p : {&c.partner_a, &c.partner_b}) {
        out.participants.push_back(std::string(p->role == Who::A ? "Partner A: " : "Partner B: ") + partner_name(c, p->role) +
                                   ", attachment-style impression: " +
                                   (p->attachment_style.empty() ? std::string("not recorded") : p->attachment_style) +
                                   (p->cycle_position.empty() ? std::string() : "; in the cycle, the " + p->cycle_position));
    }
    out.goals = trim(c.goals);

    // Consecutive sessions at the same stage form one run.
    for (size_t i = 0; i < sessions.size();) {
        const std::optional<int> stage = sessions[i].session.eft_stage;
        size_t j = i;
        while (j + 1 < sessions.size() && sessions[j + 1].session.eft_stage == stage) ++j;
        if (stage) {
            const int first = sessions[i].session.number;
            const int last = sessions[j].session.number;
            std::string text = "Stage " + std::to_string(*stage);
            if (!stage_name(*stage).empty()) text += " (" + stage_name(*stage) + ")";
            text += first == last ? ": session " + std::to_string(first)
                                  : ": sessions " + std::to_string(first) + "\xE2\x80\x93" + std::to_string(last);
            if (sessions[j].session.eft_step) text += ", step " + std::to_string(*sessions[j].session.eft_step) + " at the last";
            out.stage_progression.push_back(text + ".");
        }
        i = j + 1;
    }

    const std::vector<TrendSpec> specs = {
        {"repair rate", &CaseTrends::repair_rate, [](const SessionMetrics& m) { return m.repair_rate; }, true, "",
         "a rupture"},
        {"rupture rate", &CaseTrends::rupture_rate_per_10min,
         [](const SessionMetrics& m) { return m.rupture_rate_per_10min; }, false, " per 10 min", "a recorded length"},
        {"positive-to-negative ratio", &CaseTrends::pos_neg_ratio, [](const SessionMetrics& m) { return m.pos_neg_ratio; },
         false, " : 1", "a rupture"},
        {"median time to repair", &CaseTrends::median_time_to_repair_s,
         [](const SessionMetrics& m) { return m.median_time_to_repair_s; }, false, " s", "a repaired rupture"},
        {"answer rate of attachment signals", &CaseTrends::answer_rate,
         [](const SessionMetrics& m) { return m.answer_rate; }, true, "", "an attachment signal"},
    };
    if (!sessions.empty())
        for (const TrendSpec& spec : specs) out.trends.push_back(trend_sentence(data, spec));

    const std::vector<const SessionWithMetrics*> counted = data.case_metrics.counted();
    std::vector<Session> counted_sessions;
    for (const SessionWithMetrics* s : counted)
        counted_sessions.push_back(s->session);
    if (const auto concern = safety_concern(counted_sessions)) out.safety = "Safety concern: " + concern->reason;
    for (const SessionWithMetrics& s : sessions)
        if (!s.counting.counts)
            out.not_counted.push_back("Session " + std::to_string(s.session.number) +
                                      (s.session.date.empty() ? "" : " (" + s.session.date + ")") + ": " +
                                      s.counting.reason + ".");

    // Version 2: the coded process (over the counted sessions), or a partner's
    // reliable deterioration on a measure.
    const NotOnTrack flag = data.case_metrics.not_on_track();
    if (flag.flagged)
        out.track = "Not on track: " + (flag.reason.empty() ? std::string("see the trends") : flag.reason);
    else if (counted.size() < 5)
        out.track = "Too early to judge progress from the coded process: the not-on-track check needs at least 5 "
                    "counted sessions (" + std::to_string(counted.size()) + " in this period).";
    else
        out.track = "On track: the repair rate is not stalled, or ruptures have become less frequent.";

    // Homework agreed in the latest session is not due yet: it is never "0 of 1 done".
    const std::string not_due =
        data.homework_not_due == 0
            ? ""
            : plural(data.homework_not_due, "task") + " agreed in session " +
                  (data.latest_session_number ? std::to_string(*data.latest_session_number) : std::string("")) +
                  (data.homework_not_due == 1 ? " is" : " are") + " not due until the next session.";
    if (data.homework_agreed == 0) {
        out.homework =
            not_due.empty() ? "No homework was agreed in this period." : "No homework was due yet: " + not_due;
    } else {
        out.homework = "Of " + plural(data.homework_agreed, "agreed task") + " due, " +
                       std::to_string(data.homework_done) + " done (" +
                       format_percent(static_cast<double>(data.homework_done) / data.homework_agreed) + ")";
        const int open = data.homework_agreed - data.homework_done - data.homework_not_done;
        if (data.homework_not_done > 0) out.homework += "; " + std::to_string(data.homework_not_done) + " not done";
        if (open > 0) out.homework += "; " + std::to_string(open) + " not yet checked";
        out.homework += ".";
        if (!not_due.empty()) out.homework += " " + not_due;
    }
    out.measures = measure_lines(data);
    out.sequences = sequence_lines(data);
    out.change_events = change_event_lines(data);
    out.excerpts = excerpt_summary_lines(data.excerpts);

    // One line per signature and per addendum, each naming its session.
    for (const SessionSignOff& sign_off : data.sign_offs) {
        const std::string which = "Session " + std::to_string(sign_off.session_number) +
                                  (sign_off.date.empty() ? "" : ", " + sign_off.date) + ": ";
        if (sign_off.signatures.empty()) out.sign_offs.push_back(which + "not signed.");
        for (const SignatureLine& line : sign_off.signatures)
            out.sign_offs.push_back(which + signature_text(line) + ".");
        for (const Addendum& a : sign_off.addenda) out.sign_offs.push_back(which + addendum_text(a));
    }
    return out;
}

TextTable session_metrics_table(const CaseSummaryData& data) {
    TextTable table;
    table.header = {"Session", "Date", "Minutes", "Ruptures", "Per 10 min", "Repair rate", "Median repair",
                    "Repairs", "Pos:neg", "Signals answered", "Pursue\xE2\x86\x92withdraw"};
    auto or_dash = [](const std::optional<double>& v, auto format) { return v ? format(*v) : std::string(kNoValue); };
    for (const SessionWithMetrics& row : data.case_metrics.sessions) {
        const SessionMetrics& m = row.metrics;
        table.rows.push_back({
            std::to_string(row.session.number),
            row.session.date.empty() ? std::string(kNoValue) : row.session.date,
            format_number(std::round(m.active_minutes), 0),
            std::to_string(m.rupture_total),
            or_dash(m.rupture_rate_per_10min, [](double v) { return format_number(v, 1); }),
            or_dash(m.repair_rate, [](double v) { return format_percent(v); }),
            or_dash(m.median_time_to_repair_s, [](double v) { return format_seconds(v); }),
            std::to_string(m.repairs),
            or_dash(m.pos_neg_ratio, [](double v) { return format_number(v, 1) + " : 1"; }),
            m.signals == 0 ? std::string(kNoValue) : std::to_string(m.answered_signals) + " of " + std::to_string(m.signals),
            std::to_string(m.pursue_withdraw_a_to_b + m.pursue_withdraw_b_to_a),
        });
    }
    return table;
}

std::string format_case_summary(const CaseSummaryData& data, TextFormat format) {
    const CaseSummaryText text = describe_case(data);
    Document doc;
    doc.title = text.title;
    doc.subtitle = text.overview;
    doc.sections.push_back({"Participants", {{"", text.participants, true}}});
    doc.sections.push_back({"Goals", {{"", paragraphs(text.goals), false}}});
    doc.sections.push_back({"EFT stage progression", {{"", text.stage_progression, true}}});
    doc.sections.push_back({"Session metrics", {}});
    doc.table = session_metrics_table(data);
    doc.table_section = "Session metrics";
    doc.sections.push_back({"Trends", {{"", text.trends, true}}});
    doc.sections.push_back({"Not counted toward trends", {{"", text.not_counted, true}}});
    doc.sections.push_back({"Progress",
                            {{"", text.safety.empty() ? std::vector<std::string>{} : std::vector{text.safety}, false},
                             {"", {text.track}, false}}});
    doc.sections.push_back({"Homework", {{"", {text.homework}, false}}});
    if (!text.measures.empty()) doc.sections.push_back({"Couple-reported measures", {{"", text.measures, true}}});
    if (!text.sequences.empty()) doc.sections.push_back({"Sequences between the partners", {{"", text.sequences, true}}});
    if (!text.change_events.empty()) doc.sections.push_back({"Change events", {{"", text.change_events, true}}});
    if (!text.excerpts.empty()) doc.sections.push_back({"Excerpts of recordings", {{"", text.excerpts, true}}});
    doc.sections.push_back({"Signatures and addenda", {{"", text.sign_offs, true}}});
    return render(doc, format);
}

}  // namespace attune::formats
