// counting.h: which sessions count toward trends, flags and the dashboard's
// rates (DOMAIN.md version 2, "Which sessions count"). Pure.
//
// A session counts when it has ended, has at least M active minutes
// (MetricSettings::min_active_minutes) and the clinician has not marked it
// "not for trends". One that does not count is still listed with its counts
// and the reason, but never with a rate or ratio: 1 rupture in 3 seconds is
// not "20 per minute".
#pragma once

#include <string>

#include "core/metrics.h"
#include "core/model.h"

namespace attune {

struct SessionCounting {
    bool counts = true;
    // Empty when it counts; else a phrase to follow "Not counted toward trends: ",
    // e.g. "still running" or "00:03 of active time, less than the 10 minutes a counted session needs".
    std::string reason;
};

// The clinician's mark is named first (it is the most deliberate reason), then
// a session not ended, then one too short.
SessionCounting session_counting(const Session& session, const MetricSettings& settings);

// The same counts with every rate and ratio removed (rupture rate, repairs per
// rupture, repair rate, answer rate). The median time to repair is a time
// between two coded moments, not a rate, and stays.
SessionMetrics counts_only(SessionMetrics metrics);

// "Not counted toward trends: still running." (one sentence), or "" when it counts.
std::string not_counted_sentence(const SessionCounting& counting);

}  // namespace attune
