#include "core/dashboard.h"

#include "core/dates.h"

#include <algorithm>
#include <cstdio>

namespace attune {
namespace {

constexpr int kCycleLookback = 4;       // sessions compared by the P->W flag
constexpr int kRepairLookback = 2;      // sessions without repair that raise a flag
constexpr long kNotEndedAfterDays = 7;  // a session open longer than this is flagged
constexpr long kUnsignedAfterDays = 7;  // an ended session's note unsigned longer than this is flagged

int cycle_count(const SessionMetrics& m) { return m.pursue_withdraw_a_to_b + m.pursue_withdraw_b_to_a; }

}  // namespace

std::string flag_label(DashboardFlag flag) {
    switch (flag) {
        case DashboardFlag::NotOnTrack: return "Not on track";
        case DashboardFlag::PursueWithdrawNotDecreasing: return "Pursue\xE2\x86\x92withdraw not decreasing";
        case DashboardFlag::NoRecentRepair: return "No repair in last 2 sessions";
        case DashboardFlag::SessionNotEnded: return "Session not ended > 7 days";
        case DashboardFlag::NoteUnsigned: return "Note unsigned > 7 days";
    }
    return "";
}

bool DashboardRow::has(DashboardFlag flag) const {
    return std::any_of(flags.begin(), flags.end(), [&](const FlagNotice& f) { return f.flag == flag; });
}


DashboardRow summarize_case(const std::vector<SessionMetrics>& in_date_order, const std::vector<Session>& sessions,
                            const std::vector<bool>& note_signed, const std::string& today) {
    DashboardRow row;
    const size_t n = std::min(in_date_order.size(), sessions.size());
    std::vector<SessionMetrics> metrics(in_date_order.begin(), in_date_order.begin() + static_cast<long>(n));
    // Indexes of ended sessions: the only ones whose counts are final.
    std::vector<size_t> ended;
    for (size_t i = 0; i < n; ++i) {
        row.repair_rate.push_back(metrics[i].repair_rate);
        row.rupture_rate.push_back(metrics[i].rupture_rate_per_10min);
        if (sessions[i].state == SessionState::Ended) ended.push_back(i);
    }

    const CaseTrends trends = compute_trends(metrics);
    if (trends.not_on_track) row.flags.push_back({DashboardFlag::NotOnTrack, trends.not_on_track_reason});

    if (ended.size() >= static_cast<size_t>(kCycleLookback)) {
        const size_t first = ended[ended.size() - kCycleLookback];
        const size_t last = ended.back();
        const int first_count = cycle_count(metrics[first]);
        const int last_count = cycle_count(metrics[last]);
        // No sequence at all is the goal of stage 1, not a problem to flag.
        if (last_count > 0 && last_count >= first_count)
            row.flags.push_back({DashboardFlag::PursueWithdrawNotDecreasing,
                                 "Pursue\xE2\x86\x92withdraw sequences (both directions): " +
                                     std::to_string(last_count) + " in session " +
                                     std::to_string(sessions[last].number) + " vs " + std::to_string(first_count) +
                                     " in session " + std::to_string(sessions[first].number) +
                                     ", 4 sessions ago: the negative cycle is not de-escalating."});
    }

    if (ended.size() >= static_cast<size_t>(kRepairLookback)) {
        const size_t previous = ended[ended.size() - 2];
        const size_t last = ended.back();
        if (metrics[previous].repairs == 0 && metrics[last].repairs == 0)
            row.flags.push_back({DashboardFlag::NoRecentRepair,
                                 "No repair was coded in sessions " + std::to_string(sessions[previous].number) +
                                     " and " + std::to_string(sessions[last].number) + " (" +
                                     std::to_string(metrics[previous].rupture_total) + " and " +
                                     std::to_string(metrics[last].rupture_total) + " ruptures)."});
    }

    for (size_t i = 0; i < n; ++i) {
        if (sessions[i].state == SessionState::Ended) continue;
        const auto days = days_between(sessions[i].date, today);
        if (days && *days > kNotEndedAfterDays) {
            row.flags.push_back({DashboardFlag::SessionNotEnded,
                                 "Session " + std::to_string(sessions[i].number) + " of " + sessions[i].date +
                                     " was never ended (" + std::to_string(*days) +
                                     " days ago): end it so its metrics count."});
            break;  // one notice is enough; the oldest open session is named
        }
    }

    // Unsigned notes: counted over every ended session, the oldest one named.
    int unsigned_count = 0;
    std::optional<size_t> oldest_unsigned;
    long oldest_days = 0;
    for (size_t i = 0; i < n; ++i) {
        if (sessions[i].state != SessionState::Ended) continue;
        if (i < note_signed.size() && note_signed[i]) continue;
        const auto days = days_between(sessions[i].date, today);
        if (!days || *days <= kUnsignedAfterDays) continue;
        ++unsigned_count;
        if (!oldest_unsigned) {
            oldest_unsigned = i;
            oldest_days = *days;
        }
    }
    if (oldest_unsigned) {
        const Session& s = sessions[*oldest_unsigned];
        std::string reason = "The progress note of session " + std::to_string(s.number) + " of " + s.date +
                             " is not signed (" + std::to_string(oldest_days) + " days ago)";
        if (unsigned_count > 1)
            reason += "; " + std::to_string(unsigned_count) + " notes older than 7 days are unsigned in all";
        row.flags.push_back({DashboardFlag::NoteUnsigned, reason + ": sign them in the session review."});
    }
    return row;
}

void apply_not_on_track(DashboardRow& row, const NotOnTrack& flag) {
    std::erase_if(row.flags, [](const FlagNotice& f) { return f.flag == DashboardFlag::NotOnTrack; });
    if (flag.flagged) row.flags.insert(row.flags.begin(), {DashboardFlag::NotOnTrack, flag.reason});
}

}  // namespace attune
