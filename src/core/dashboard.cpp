#include "core/dashboard.h"

#include <algorithm>
#include <cstdio>

#include "core/counting.h"
#include "core/dates.h"

namespace attune {
namespace {

constexpr int kCycleLookback = 4;       // sessions compared by the P->W flag
constexpr int kRepairLookback = 2;      // sessions without repair that raise a flag
constexpr long kNotEndedAfterDays = 7;  // a session open longer than this is flagged
constexpr long kUnsignedAfterDays = 7;  // an ended session's note unsigned longer than this is flagged
constexpr int kSafetyAtMost = 3;        // a safety rating this low is a concern (0-10 scale)
constexpr int kSafetyFall = 3;          // and so is a fall by this much from the session before

int cycle_count(const SessionMetrics& m) { return m.pursue_withdraw_a_to_b + m.pursue_withdraw_b_to_a; }

}  // namespace

std::string flag_label(DashboardFlag flag) {
    switch (flag) {
        case DashboardFlag::SafetyConcern:
            return "Safety concern";
        case DashboardFlag::NotOnTrack: return "Not on track";
        case DashboardFlag::PursueWithdrawNotDecreasing: return "Pursue\xE2\x86\x92withdraw not decreasing";
        case DashboardFlag::NoRecentRepair: return "No repair in last 2 sessions";
        case DashboardFlag::SessionNotEnded: return "Session not ended > 7 days";
        case DashboardFlag::NoteUnsigned: return "Note unsigned > 7 days";
    }
    return "";
}

std::string flag_id(DashboardFlag flag) {
    switch (flag) {
        case DashboardFlag::SafetyConcern:
            return "safety_concern";
        case DashboardFlag::NotOnTrack:
            return "not_on_track";
        case DashboardFlag::PursueWithdrawNotDecreasing:
            return "pursue_withdraw_not_decreasing";
        case DashboardFlag::NoRecentRepair:
            return "no_recent_repair";
        case DashboardFlag::SessionNotEnded:
            return "session_not_ended";
        case DashboardFlag::NoteUnsigned:
            return "note_unsigned";
    }
    return "";
}

std::optional<FlagNotice> safety_concern(const std::vector<Session>& counted_in_date_order) {
    std::vector<const Session*> rated;
    for (const Session& s : counted_in_date_order)
        if (s.ratings.safety) rated.push_back(&s);
    if (rated.empty()) return std::nullopt;
    const Session& last = *rated.back();
    const int now = *last.ratings.safety;
    const std::string where = "session " + std::to_string(last.number) + (last.date.empty() ? "" : " of " + last.date);
    const Session* before = rated.size() >= 2 ? rated[rated.size() - 2] : nullptr;
    const bool low = now <= kSafetyAtMost;
    const bool fell = before && *before->ratings.safety - now >= kSafetyFall;
    if (!low && !fell) return std::nullopt;
    std::string reason = "Safety was rated " + std::to_string(now) + "/10 in " + where;
    if (before)
        reason += (fell ? ", down from " : ", after ") + std::to_string(*before->ratings.safety) + "/10 in session " +
                  std::to_string(before->number);
    reason += low ? " (3 or lower)" : " (a fall of 3 or more)";
    return FlagNotice{DashboardFlag::SafetyConcern, reason + ": assess safety before continuing couple work."};
}

bool DashboardRow::has(DashboardFlag flag) const {
    return std::any_of(flags.begin(), flags.end(), [&](const FlagNotice& f) { return f.flag == flag; });
}


DashboardRow summarize_case(const std::vector<SessionMetrics>& in_date_order, const std::vector<Session>& sessions,
                            const std::vector<bool>& note_signed, const std::string& today) {
    DashboardRow row;
    const size_t n = std::min(in_date_order.size(), sessions.size());
    // Indexes of counted sessions: the only ones whose numbers say something about the couple.
    std::vector<size_t> counted;
    std::vector<SessionMetrics> counted_metrics;
    std::vector<Session> counted_sessions;
    for (size_t i = 0; i < n; ++i) {
        if (!session_counting(sessions[i], in_date_order[i].settings).counts) continue;
        counted.push_back(i);
        counted_metrics.push_back(in_date_order[i]);
        counted_sessions.push_back(sessions[i]);
        row.repair_rate.push_back(in_date_order[i].repair_rate);
        row.rupture_rate.push_back(in_date_order[i].rupture_rate_per_10min);
    }
    const std::vector<SessionMetrics>& metrics = in_date_order;

    if (auto safety = safety_concern(counted_sessions)) row.flags.push_back(std::move(*safety));

    const CaseTrends trends = compute_trends(counted_metrics);
    if (trends.not_on_track) row.flags.push_back({DashboardFlag::NotOnTrack, trends.not_on_track_reason});

    if (counted.size() >= static_cast<size_t>(kCycleLookback)) {
        const size_t first = counted[counted.size() - kCycleLookback];
        const size_t last = counted.back();
        const int first_count = cycle_count(metrics[first]);
        const int last_count = cycle_count(metrics[last]);
        // No sequence at all is the goal of stage 1, not a problem to flag.
        if (last_count > 0 && last_count >= first_count)
            row.flags.push_back(
                {DashboardFlag::PursueWithdrawNotDecreasing,
                 "Pursue\xE2\x86\x92withdraw sequences (both directions): " + std::to_string(last_count) +
                     " in session " + std::to_string(sessions[last].number) + " vs " + std::to_string(first_count) +
                     " in session " + std::to_string(sessions[first].number) +
                     ", 4 counted sessions ago: the negative cycle is not de-escalating."});
    }

    if (counted.size() >= static_cast<size_t>(kRepairLookback)) {
        const size_t previous = counted[counted.size() - 2];
        const size_t last = counted.back();
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
    if (!flag.flagged) return;
    // After the safety concern, which is shown before every other flag (DOMAIN.md v2).
    const auto after_safety = std::find_if(row.flags.begin(), row.flags.end(), [](const FlagNotice& f) {
        return f.flag != DashboardFlag::SafetyConcern;
    });
    row.flags.insert(after_safety, {DashboardFlag::NotOnTrack, flag.reason});
}

}  // namespace attune
