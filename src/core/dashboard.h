// dashboard.h: one caseload-dashboard row per case, computed once per data
// change from the case's per-session metrics (never per frame). Pure: no I/O.
//
// Which sessions take part: only those that count (core/counting.h: ended,
// at least M active minutes, not marked "not for trends") feed the
// sparklines and the clinical flags; SessionNotEnded and NoteUnsigned are
// about record keeping and look at every session.
//
// Flag rules (each is also commented where it acts):
// - SafetyConcern (DOMAIN.md v2, shown first): the latest counted session
//   with a safety rating has 3 or lower, or it fell by 3 or more from the
//   counted session with a rating before it. A counted session without a
//   safety rating is skipped rather than read as "safe": a missing rating
//   must never hide a low one.
// - NotOnTrack: DOMAIN.md's "Not on track" case flag. summarize_case raises it
//   exactly as compute_trends decides it (at least 5 sessions, repair-rate
//   trend <= 0, mean rupture rate of the last 3 sessions >= the mean of the
//   first 3); apply_not_on_track then makes it version 2 (also reliable
//   deterioration on a couple-reported measure).
// - PursueWithdrawNotDecreasing: take the last 4 counted sessions; for each,
//   count pursue->withdraw sequences in both directions (A->B + B->A). Flagged
//   when the last count is >= the first of those 4 AND the last is > 0 (a
//   couple with no sequence at all has nothing to decrease). Fewer than 4 ended
//   sessions: never flagged.
// - NoRecentRepair: the last 2 ended sessions both have a repair count of 0.
//   Fewer than 2 ended sessions: never flagged.
// - SessionNotEnded: some session is running or paused and its date is more
//   than 7 days before today (8 days: flagged; 7 or fewer: not).
// - NoteUnsigned: some ended session's progress note has no therapist's
//   signature and the session's date is more than 7 days before today (same
//   day arithmetic as SessionNotEnded). Sessions not ended have no note to
//   sign yet: they raise SessionNotEnded instead.
#pragma once

#include "core/dates.h"
#include "core/measures.h"
#include "core/metrics.h"
#include "core/model.h"

#include <optional>
#include <string>
#include <vector>

namespace attune {

// In the order the dashboard shows them (and `attune metrics --json` lists them).
enum class DashboardFlag {
    SafetyConcern,
    NotOnTrack,
    PursueWithdrawNotDecreasing,
    NoRecentRepair,
    SessionNotEnded,
    NoteUnsigned,
};

struct FlagNotice {
    DashboardFlag flag = DashboardFlag::NotOnTrack;
    std::string reason;  // one sentence for the tooltip, with the numbers behind it
};

// The words shown in the table, e.g. "Not on track".
std::string flag_label(DashboardFlag flag);
// The stable machine id, e.g. "not_on_track" (JSON, the command line).
std::string flag_id(DashboardFlag flag);
// The safety rule alone, for the trends view and the exports; nullopt when it does not fire.
std::optional<FlagNotice> safety_concern(const std::vector<Session>& counted_in_date_order);

struct DashboardRow {
    // Per counted session in date order; none where the metric has no value (a gap).
    std::vector<std::optional<double>> repair_rate;        // 0..1
    std::vector<std::optional<double>> rupture_rate;       // ruptures per 10 min
    std::vector<FlagNotice> flags;                         // in DashboardFlag order
    bool has(DashboardFlag flag) const;
};

// `in_date_order[i]` are the metrics of `sessions[i]` (same order, same
// length; extra entries of the longer vector are ignored). `note_signed[i]`
// is true when the therapist has signed the progress note of `sessions[i]`
// (a missing entry counts as unsigned). `today` is ISO yyyy-mm-dd, passed in
// so that the rules never read the clock; an unreadable date never raises the
// not-ended or unsigned flags.
DashboardRow summarize_case(const std::vector<SessionMetrics>& in_date_order, const std::vector<Session>& sessions,
                            const std::vector<bool>& note_signed, const std::string& today);

// Version 2 of the NotOnTrack flag (DOMAIN.md "Not on track (version 2)",
// core/measures.h not_on_track_v2): replaces the version-1 notice
// summarize_case put in the row, where the flags' order wants it (right after
// a safety concern, before every other flag), with the reason naming every
// rule that fired; removes it when the flag is down.
void apply_not_on_track(DashboardRow& row, const NotOnTrack& flag);


}  // namespace attune
