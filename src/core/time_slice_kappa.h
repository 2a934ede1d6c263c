// time_slice_kappa.h: BORIS's time-unit Cohen's kappa of two raters' coding
// of one session, for comparison with Attune's event-based kappa
// (core/agreement.h, "Inter-rater agreement (version 1)" in DOMAIN.md).
//
// BORIS cuts the coded span into slices of S seconds and compares, at each
// slice's instant and for each subject, the set of behaviours each rater has
// going on: a state that runs through the instant (start <= t <= stop) or a
// point within S / 2 of it. Each (slice, subject) is one item of the
// confusion matrix, whose categories are these sets; an empty set is a
// category like any other, so moments where neither rater coded anything
// count as agreement. Attune's kappa compares coded events only.
//
// As BORIS computes it (its irr.cohen_kappa, read for this file):
// - the span runs from the earliest start to the latest stop of either rater,
//   slice instants at first, first + S, ... while <= last;
// - the subjects are every `who` either rater coded;
// - kappa = (agreements - E) / (n - E), E = sum of row * column / n; when
//   n - E is 0 BORIS reports 1, and so do we.
// Decisions where BORIS's setting does not carry over:
// - a state still running (no stop) runs to the latest time either rater coded;
// - deleted observations and non-finite times are left out, as in agreement.h;
// - a set is compared as a sorted list of (subject, code) (BORIS lists them in
//   one fixed order for both raters, so the comparison is the same); as in
//   BORIS, the same code of two subjects is two categories, and "nothing"
//   is one category for every subject.
#pragma once

#include <optional>
#include <vector>

#include "core/model.h"

namespace attune {

struct TimeSliceAgreement {
    std::optional<double> kappa;   // none when nothing was coded (n = 0)
    double slice_s = 1;            // S, seconds
    int slices = 0;                // instants compared
    int items = 0;                 // n = slices x subjects
    int agreements = 0;            // items where both raters had the same set
    int empty_agreements = 0;      // of those, items where both sets were empty
    double percent_agreement = 0;  // agreements / items, a fraction 0-1
};

// slice_s: S, the slice length in seconds (> 0; BORIS's default is 1).
TimeSliceAgreement compute_time_slice_agreement(const std::vector<Observation>& rater_a,
                                                const std::vector<Observation>& rater_b, double slice_s = 1);

}  // namespace attune
