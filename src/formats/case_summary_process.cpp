// case_summary_process.cpp: see case_summary_process.h.
//
// [SECTION] Measures
// [SECTION] Sequences
// [SECTION] Change events
#include "formats/case_summary_process.h"

#include <algorithm>
#include <cmath>

#include "core/text.h"

namespace attune::formats {
namespace {

std::string name_of(const Case& c, Who who) {
    const Participant& p = who == Who::A ? c.partner_a : c.partner_b;
    const std::string letter = who == Who::A ? "A" : "B";
    return (p.display_name.empty() ? "Partner " + letter : p.display_name) + " (" + letter + ")";
}

std::string signed_number(double x) {
    // U+2212 minus: a change reads as a change, not a hyphen.
    return (x > 0 ? "+" : x < 0 ? "\xE2\x88\x92" : "") + format_number(std::abs(x), 2);
}

std::string words(std::string id) {
    std::replace(id.begin(), id.end(), '_', ' ');
    return id;
}

std::string times(int n) {
    return n == 1 ? "once" : std::to_string(n) + " times";
}

}  // namespace

// [SECTION] Measures

std::vector<std::string> measure_lines(const CaseSummaryData& data) {
    const CaseMetrics& m = data.case_metrics;
    std::vector<std::string> lines;
    for (const InstrumentSummary& summary : m.measures.summaries) {
        const Instrument* in = m.measures.find(summary.instrument_id);
        for (const auto& [who, side] : {std::pair{Who::A, &summary.a}, std::pair{Who::B, &summary.b}}) {
            if (!*side) continue;
            const PartnerMeasureSummary& p = **side;
            std::string line = summary.instrument_name + ", " + name_of(m.info, who) + ": " +
                               format_number(p.first, 2) + " on " + p.first_date;
            if (p.measures_with_total > 1)
                line += ", " + format_number(p.latest, 2) + " on " + p.latest_date + " (change " +
                        signed_number(p.change) + ")";
            else
                line += " (one measure)";
            switch (p.reliable_change.change) {
                case ReliableChange::Improved:
                    line += "; reliably improved";
                    break;
                case ReliableChange::Deteriorated:
                    line += "; reliably deteriorated";
                    break;
                case ReliableChange::None:
                    if (p.measures_with_total > 1) line += "; no reliable change";
                    break;
                case ReliableChange::NotDefined:
                    line += "; reliable change not defined for this instrument";
                    break;
            }
            if (p.clinical && in && in->clinical_cutoff)
                line += std::string("; latest ") + (*p.clinical ? "in" : "not in") +
                        " the clinical range (clinical: " + (in->higher_is_better ? "below " : "above ") +
                        format_number(*in->clinical_cutoff, 2) + ")";
            else
                line += "; no clinical cut-off";
            if (p.recovered) line += "; recovered";
            if (in && in->alliance_flag_below && p.latest < *in->alliance_flag_below)
                line += "; latest below " + format_number(*in->alliance_flag_below, 2) + ": talk about the alliance";
            lines.push_back(line + ".");
        }
    }
    return lines;
}

// [SECTION] Sequences

std::vector<std::string> sequence_lines(const CaseSummaryData& data) {
    const CaseMetrics& m = data.case_metrics;
    std::vector<std::string> lines;
    if (!m.has_process_detail || m.sessions.empty()) return lines;
    const SequenceAnalysis& pool = m.pooled_sequences;
    const std::string window = format_number(pool.cycle_window_s, 0) + " s";
    for (const LagTable* table : {&pool.a_to_b, &pool.b_to_a})
        for (const LagPair& pair : table->pairs) {
            if (!pair.significant) continue;
            const Who first = table->antecedent_partner;
            // "Zoë (A) reactivity → Дмитрий (B) withdrawal: 3 of 3 times, more often than chance (Q 1, z 2.65)."
            lines.push_back(name_of(m.info, first) + " " + words(pair.antecedent) + " \xE2\x86\x92 " +
                            name_of(m.info, other_partner(first)) + " " + words(pair.consequent) + ": " +
                            std::to_string(pair.a) + " of " + std::to_string(pair.a + pair.b) + " times, " +
                            (*pair.adjusted_residual > 0 ? "more" : "less") + " often than chance (Q " +
                            format_number(pair.yules_q.value_or(0), 2) + ", z " +
                            format_number(*pair.adjusted_residual, 2) + ").");
        }
    if (!lines.empty())
        lines.insert(lines.begin(), "The other partner's next move within " + window + ", over the " +
                                        std::to_string(m.sessions.size()) +
                                        (m.sessions.size() == 1 ? " session" : " sessions pooled") +
                                        " (pairs with |z| \xE2\x89\xA5 1.96):");
    if (lines.empty())
        lines.push_back("No sequence between the partners stood out (no pair with |z| \xE2\x89\xA5 1.96) over the " +
                        std::to_string(m.sessions.size()) +
                        (m.sessions.size() == 1 ? " session." : " sessions pooled."));
    // The pursue->withdraw curve's context: what met an attachment signal.
    int signals = 0, repair = 0, rupture = 0;
    for (const auto& [category, polarity] : pool.polarity_of) {
        if (polarity != Polarity::Signal) continue;
        const ConsequentMix mix = consequent_mix(pool, category);
        signals += mix.antecedents;
        repair += mix.repair;
        rupture += mix.rupture;
    }
    if (signals > 0)
        lines.push_back("After an attachment signal (" + std::to_string(signals) +
                        " in all), the other partner's next move within " + window + " was a repair " + times(repair) +
                        " and a rupture " + times(rupture) + ".");
    return lines;
}

// [SECTION] Change events

std::vector<std::string> change_event_lines(const CaseSummaryData& data) {
    const CaseMetrics& m = data.case_metrics;
    std::vector<std::string> lines;
    if (!m.has_process_detail || m.sessions.empty()) return lines;
    int undecided = 0;
    for (const SessionWithMetrics& s : m.sessions)
        for (const ChangeEventCandidate& c : s.change_events.candidates) {
            const CandidateDecisionRecord* decision = decision_for(c, s.decisions);
            if (!decision) ++undecided;
            if (!decision || decision->decision != CandidateDecision::Confirmed) continue;
            const bool reengagement = c.kind == ChangeEventKind::WithdrawerReengagement;
            lines.push_back("Session " + std::to_string(s.session.number) +
                            (s.session.date.empty() ? "" : " (" + s.session.date + ")") + ": " +
                            (reengagement ? "withdrawer re-engagement" : "blamer softening") + ", " +
                            name_of(m.info, c.by) + " " + words(c.antecedent_code) + " at " +
                            format_clock(c.antecedent_t) + ", answered by " + name_of(m.info, other_partner(c.by)) +
                            " " + words(c.consequent_code) + " at " + format_clock(c.consequent_t) + ".");
        }
    if (lines.empty()) lines.push_back("No change event has been confirmed in this period.");
    if (undecided > 0)
        lines.push_back(std::to_string(undecided) + (undecided == 1 ? " candidate is" : " candidates are") +
                        " not yet confirmed or rejected (see the session reviews).");
    const CycleRoles& roles = m.sessions.back().change_events.roles;
    if (!roles.known())
        lines.push_back(roles.unknown_reason + " Change events are not looked for until both are known.");
    return lines;
}

}  // namespace attune::formats
