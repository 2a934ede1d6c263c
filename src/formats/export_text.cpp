// Index:
// [SECTION] Small wording helpers
// [SECTION] The observed pattern of a session
// [SECTION] Documents as sections, rendered to plain text or Markdown
// [SECTION] Session note (DAP / SOAP)
// [SECTION] Case summary
#include "formats/export_text.h"

#include "formats/case_summary_process.h"
#include "formats/export_excerpts.h"

#include "core/text.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>

namespace attune::formats {

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

// [SECTION] Small wording helpers

namespace {

const char* const kNoValue = "\xE2\x80\x93";  // en dash: a cell without a value

std::string lower_first(std::string text) {
    if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z' && !(text.size() > 1 && text[1] >= 'A' && text[1] <= 'Z'))
        text[0] = static_cast<char>(text[0] - 'A' + 'a');
    return text;
}

std::string plural(int count, const std::string& singular, const std::string& plural_form = "") {
    return std::to_string(count) + " " + (count == 1 ? singular : (plural_form.empty() ? singular + "s" : plural_form));
}

std::string count_word(int count) {
    static const char* const words[] = {"no", "one", "two", "three", "four", "five",
                                        "six", "seven", "eight", "nine", "ten"};
    return count >= 0 && count <= 10 ? words[count] : std::to_string(count);
}

std::string capitalize(std::string text) {
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
}

// "45 s" under a minute, else "1:30 min": how clinicians say short durations.
std::string format_seconds(double seconds) {
    const double rounded = std::round(seconds);
    if (rounded < 60) return format_number(rounded, 0) + " s";
    const int total = static_cast<int>(rounded);
    const std::string secs = std::to_string(total % 60);
    return std::to_string(total / 60) + ":" + (secs.size() < 2 ? "0" : "") + secs + " min";
}

std::string format_minutes(double seconds) { return format_number(std::round(seconds / 60.0), 0) + " min"; }

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
    return out;
}

std::string partner_name(const Case& c, Who who) {
    const Participant& p = who == Who::A ? c.partner_a : c.partner_b;
    return p.display_name.empty() ? std::string(who == Who::A ? "Partner A" : "Partner B") : p.display_name;
}

// "defensive anger 3, shifts blame 1": most frequent first, then by label.
std::string breakdown(const std::map<std::string, int>& by_label) {
    std::vector<std::pair<std::string, int>> items(by_label.begin(), by_label.end());
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::string> parts;
    for (const auto& [label, n] : items) parts.push_back(label + " " + std::to_string(n));
    return join(parts, ", ");
}

std::optional<double> median(std::vector<double> values) {
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
}

}  // namespace

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
        overall += ", positive-to-negative ratio " + format_number(*m.pos_neg_ratio, 1) + " : 1 (reference 5 : 1)";
    lines.push_back(overall + ".");
    if (!therapist.empty()) lines.push_back("Therapist interventions: " + breakdown(therapist) + ".");
    return lines;
}

// [SECTION] Documents as sections, rendered to plain text or Markdown

namespace {

struct Block {
    std::string lead;                 // a line before the items (bold in Markdown); may be empty
    std::vector<std::string> items;   // paragraphs, or bullets when `bullets`
    bool bullets = false;
};

struct Section {
    std::string title;
    std::vector<Block> blocks;
};

struct Document {
    std::string title;
    std::vector<std::string> subtitle;  // lines under the title
    std::vector<Section> sections;
    std::optional<TextTable> table;     // rendered inside the section named table_section
    std::string table_section;
};

// Display width of UTF-8 text in a monospace plain-text table: one column per code point.
size_t display_width(const std::string& text) {
    size_t n = 0;
    for (unsigned char ch : text) n += (ch & 0xC0) != 0x80;
    return n;
}

std::string render_table(const TextTable& table, TextFormat format) {
    std::string out;
    if (format == TextFormat::Markdown) {
        auto row = [&](const std::vector<std::string>& cells) {
            out += "|";
            for (const std::string& cell : cells) out += " " + cell + " |";
            out += "\n";
        };
        row(table.header);
        out += "|";
        for (size_t i = 0; i < table.header.size(); ++i) out += i < 2 ? " --- |" : " ---: |";
        out += "\n";
        for (const auto& cells : table.rows) row(cells);
        return out;
    }
    std::vector<size_t> widths(table.header.size(), 0);
    for (size_t i = 0; i < widths.size(); ++i) widths[i] = display_width(table.header[i]);
    for (const auto& cells : table.rows)
        for (size_t i = 0; i < cells.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], display_width(cells[i]));
    auto row = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
            const std::string pad(widths[i] - display_width(cells[i]), ' ');
            line += (i ? "  " : "") + (i < 2 ? cells[i] + pad : pad + cells[i]);
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    };
    row(table.header);
    for (const auto& cells : table.rows) row(cells);
    return out;
}

std::string render(const Document& doc, TextFormat format) {
    const bool md = format == TextFormat::Markdown;
    std::string out = md ? "# " + doc.title + "\n\n" : doc.title + "\n";
    for (const std::string& line : doc.subtitle) out += line + (md ? "  \n" : "\n");
    for (const Section& section : doc.sections) {
        const bool has_table = doc.table && doc.table_section == section.title && !doc.table->rows.empty();
        bool empty = !has_table;
        for (const Block& block : section.blocks) empty = empty && block.items.empty();
        if (empty) continue;  // no empty sections
        out += md ? "\n## " + section.title + "\n" : "\n" + section.title + "\n";
        for (const Block& block : section.blocks) {
            if (block.items.empty()) continue;
            out += "\n";
            if (!block.lead.empty()) out += (md ? "**" + block.lead + "**" : block.lead) + "\n" + (md ? "\n" : "");
            for (size_t i = 0; i < block.items.size(); ++i) {
                if (block.bullets) out += "- " + block.items[i] + "\n";
                else out += (i ? "\n" : "") + block.items[i] + "\n";
            }
        }
        if (has_table) out += "\n" + render_table(*doc.table, format);
    }
    return out;
}

// A note field as paragraphs: blank lines separate them, trailing space dropped.
std::vector<std::string> paragraphs(const std::string& text) {
    std::vector<std::string> out;
    std::string current;
    for (const std::string& raw : split(text, '\n')) {
        const std::string line = trim(raw);
        if (line.empty()) {
            if (!current.empty()) out.push_back(current);
            current.clear();
        } else {
            current += (current.empty() ? "" : "\n") + line;
        }
    }
    if (!current.empty()) out.push_back(current);
    return out;
}

}  // namespace

// [SECTION] Session note (DAP / SOAP)

namespace {

std::vector<std::string> homework_lines(const std::vector<HomeworkItem>& items, bool with_status) {
    std::vector<std::string> out;
    for (const HomeworkItem& h : items) {
        if (!with_status) out.push_back(h.description);
        else if (!h.done) out.push_back(h.description + ": not yet checked");
        else out.push_back(h.description + (*h.done ? ": done" : ": not done"));
    }
    return out;
}

std::vector<std::string> ratings_and_stage(const SessionNoteData& data, bool stage, bool ratings) {
    std::vector<std::string> out;
    const Session& s = data.session;
    if (stage && s.eft_stage) {
        std::string text = "EFT stage " + std::to_string(*s.eft_stage);
        const std::string name = stage_name(*s.eft_stage);
        if (!name.empty()) text += " (" + name + ")";
        if (s.eft_step) text += ", step " + std::to_string(*s.eft_step);
        out.push_back(text + ".");
    } else if (stage && s.eft_step) {
        out.push_back("EFT step " + std::to_string(*s.eft_step) + ".");
    }
    if (ratings) {
        std::vector<std::string> attunement;
        if (s.ratings.attunement_a)
            attunement.push_back(partner_name(data.info, Who::A) + " " + std::to_string(*s.ratings.attunement_a) + "/10");
        if (s.ratings.attunement_b)
            attunement.push_back(partner_name(data.info, Who::B) + " " + std::to_string(*s.ratings.attunement_b) + "/10");
        std::vector<std::string> parts;
        if (!attunement.empty()) parts.push_back("attunement " + join(attunement, ", "));
        if (s.ratings.safety) parts.push_back("safety " + std::to_string(*s.ratings.safety) + "/10");
        if (!parts.empty()) out.push_back("End-of-session ratings: " + join(parts, "; ") + ".");
    }
    return out;
}

}  // namespace

std::string format_session_note(const SessionNoteData& data, NoteStyle style, TextFormat format) {
    const Case& c = data.info;
    const Session& s = data.session;
    Document doc;
    doc.title = "Session note: " + c.label + ", session " + std::to_string(s.number) + (s.date.empty() ? "" : ", " + s.date);
    std::string people = "Couple: " + partner_name(c, Who::A) + " and " + partner_name(c, Who::B);
    if (!c.clinician_name.empty()) people += "; clinician: " + c.clinician_name;
    doc.subtitle.push_back(people + ".");
    if (s.active_seconds > 0) doc.subtitle.push_back("Session length: " + format_minutes(s.active_seconds) + " (pauses excluded).");

    const Block pattern{"Observed in session (coded)", observed_pattern_lines(data), true};
    const std::string follow_up_lead =
        "Homework from session " + (data.previous_session_number ? std::to_string(*data.previous_session_number) : "") + " (follow-up)";
    const Block follow_up{follow_up_lead, homework_lines(data.homework_follow_up, true), true};
    const Block agreed{"Homework agreed", homework_lines(data.homework_agreed, false), true};

    if (style == NoteStyle::Dap) {
        doc.sections.push_back({"Data", {{"", paragraphs(data.note.data), false}, pattern, follow_up}});
        doc.sections.push_back({"Assessment",
                                {{"", paragraphs(data.note.assessment), false}, {"", ratings_and_stage(data, true, true), false}}});
        doc.sections.push_back({"Plan", {{"", paragraphs(data.note.plan), false}, agreed}});
    } else {
        // SOAP from DAP's Data: the clinician's own Data narrative is what the
        // couple brought and reported, so it is Subjective, together with their
        // report on last session's homework; what Attune coded and the
        // clinician's end-of-session ratings are observations, so Objective.
        doc.sections.push_back({"Subjective", {{"", paragraphs(data.note.data), false}, follow_up}});
        doc.sections.push_back({"Objective", {pattern, {"", ratings_and_stage(data, false, true), false}}});
        doc.sections.push_back({"Assessment",
                                {{"", paragraphs(data.note.assessment), false}, {"", ratings_and_stage(data, true, false), false}}});
        doc.sections.push_back({"Plan", {{"", paragraphs(data.note.plan), false}, agreed}});
    }
    std::vector<std::string> signed_by;
    for (const SignatureLine& line : data.signatures)
        signed_by.push_back(signature_text(line) + ".");
    if (signed_by.empty()) signed_by.push_back("Not signed.");
    doc.sections.push_back({"Signatures", {{"", signed_by, false}}});
    if (data.process_note) {
        doc.sections.push_back({"PRIVATE PROCESS NOTE (psychotherapy note, not part of the progress record)",
                                {{"", paragraphs(*data.process_note), false}}});
    }
    return render(doc, format);
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
    for (const SessionWithMetrics& s : data.case_metrics.sessions)
        if (auto v = spec.value(s.metrics)) values.push_back(*v);
    const std::string name = spec.name;
    if (values.empty()) return capitalize(name) + ": no session in this period had " + spec.missing + ".";
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
                                   (p->attachment_style.empty() ? std::string("not recorded") : p->attachment_style));
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

    // Version 2: the coded process, or a partner's reliable deterioration on a measure.
    const NotOnTrack flag = data.case_metrics.not_on_track();
    if (flag.flagged)
        out.track = "Not on track: " + (flag.reason.empty() ? std::string("see the trends") : flag.reason);
    else if (sessions.size() < 5)
        out.track = "Too early to judge progress from the coded process: the not-on-track check needs at least 5 "
                    "sessions (" + std::to_string(sessions.size()) + " in this period).";
    else
        out.track = "On track: the repair rate is not stalled, or ruptures have become less frequent.";

    if (data.homework_agreed == 0) {
        out.homework = "No homework was agreed in this period.";
    } else {
        out.homework = std::to_string(data.homework_done) + " of " + plural(data.homework_agreed, "agreed task") +
                       " done (" + format_percent(static_cast<double>(data.homework_done) / data.homework_agreed) + ")";
        const int open = data.homework_agreed - data.homework_done - data.homework_not_done;
        if (data.homework_not_done > 0) out.homework += "; " + std::to_string(data.homework_not_done) + " not done";
        if (open > 0) out.homework += "; " + std::to_string(open) + " not yet checked";
        out.homework += ".";
    }
    out.measures = measure_lines(data);
    out.sequences = sequence_lines(data);
    out.change_events = change_event_lines(data);
    out.excerpts = excerpt_summary_lines(data.excerpts);

    for (const SessionSignatures& session : data.signatures) {
        const std::string which = "Session " + std::to_string(session.session_number) +
                                  (session.date.empty() ? "" : ", " + session.date) + ": ";
        if (session.lines.empty()) out.signatures.push_back(which + "not signed.");
        for (const SignatureLine& line : session.lines)
            out.signatures.push_back(which + signature_text(line) + ".");
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
    doc.sections.push_back({"Progress", {{"", {text.track}, false}}});
    doc.sections.push_back({"Homework", {{"", {text.homework}, false}}});
    if (!text.measures.empty()) doc.sections.push_back({"Couple-reported measures", {{"", text.measures, true}}});
    if (!text.sequences.empty()) doc.sections.push_back({"Sequences between the partners", {{"", text.sequences, true}}});
    if (!text.change_events.empty()) doc.sections.push_back({"Change events", {{"", text.change_events, true}}});
    if (!text.excerpts.empty()) doc.sections.push_back({"Excerpts of recordings", {{"", text.excerpts, true}}});
    doc.sections.push_back({"Signatures", {{"", text.signatures, true}}});
    return render(doc, format);
}

}  // namespace attune::formats
