// sequences.h: lag-1 sequences between the partners' categories,
// "Sequences between partners (version 2)" in shared DOMAIN.md.
//
// Decisions the definition leaves open (each is also commented where it acts):
// - The categories are the given scheme's, in scheme order, leaving out the
//   therapist's (intervention polarity, or the category `therapist`).
// - Only observations by A or by B take part. One by `both` belongs to
//   neither partner: it is neither an antecedent nor a consequent (so it never
//   hides the other partner's later answer). One by `therapist` with a partner
//   code is left out too, as in the version-1 metrics.
// - Observations with a non-finite time or a code the scheme does not know are
//   left out; deleted ones and therapist codes are left out as DOMAIN.md says.
// - Of several observations of the other partner at the same earliest time,
//   the one with the lower id is the consequent (the input order never matters).
// - Times closer than 1 microsecond are one instant, as in metrics.cpp: a
//   consequent at exactly t + C counts, one at t itself does not.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/metrics.h"
#include "core/model.h"
#include "core/scheme.h"

namespace attune {

// The 2 x 2 table of one (X, Y) pair within one direction, and its statistics.
struct LagPair {
    std::string antecedent;  // X, a category id
    std::string consequent;  // Y, a category id
    int a = 0;               // X followed by Y
    int b = 0;               // X followed by anything else or nothing
    int c = 0;               // not-X followed by Y
    int d = 0;               // not-X followed by anything else or nothing
    int n() const { return a + b + c + d; }
    std::optional<double> yules_q;            // none when ad + bc = 0
    std::optional<double> adjusted_residual;  // z of cell a; none when its denominator is 0
    bool significant = false;                 // |z| >= 1.96
};

// One antecedent and what followed it, for the timeline.
struct LagStep {
    RowId antecedent_id = 0;
    std::string antecedent_category;
    std::optional<RowId> consequent_id;  // none: nothing by the other partner in (t, t + C]
    std::string consequent_category;     // empty when none
};

// One direction: the antecedents are `antecedent_partner`'s observations
// (A means A->B), the consequents the other partner's.
struct LagTable {
    Who antecedent_partner = Who::A;
    int antecedents = 0;                                             // N
    std::map<std::string, int> by_antecedent;                        // X -> antecedents of category X (a + b)
    std::map<std::string, int> by_consequent;                        // Y -> antecedents followed by Y (a + c)
    std::map<std::pair<std::string, std::string>, int> transitions;  // (X, Y) -> a; zero cells absent
    std::vector<LagPair> pairs;  // every (X, Y) of the categories, X-major in category order

    const LagPair* find(std::string_view antecedent, std::string_view consequent) const;
};

struct SequenceAnalysis {
    double cycle_window_s = 60;                   // C, stored with the result
    std::vector<std::string> categories;          // in scheme order; for a pool, the union in first-seen order
    std::map<std::string, Polarity> polarity_of;  // category id -> its polarity
    LagTable a_to_b;
    LagTable b_to_a;
    std::vector<LagStep> steps;  // every antecedent of both directions in time order; empty in a pool
};

// One session's observations, any order.
SequenceAnalysis compute_sequences(const std::vector<Observation>& observations, const CodingScheme& scheme,
                                   const MetricSettings& settings);

// Counts summed over sessions, then Q and z computed from the sums. The
// window stored is the first session's (a pool of different windows is the
// caller's doing); an empty list gives an empty analysis.
SequenceAnalysis pool_sequences(const std::vector<SequenceAnalysis>& sessions);

// Yule's Q and the adjusted residual of a 2 x 2 table, exactly as DOMAIN.md.
std::optional<double> yules_q(int a, int b, int c, int d);
std::optional<double> adjusted_residual(int a, int b, int c, int d);

// [SECTION] Consequent context for the pursue->withdraw chart
// What the other partner did next after one category, grouped by the
// consequent's polarity: e.g. attachment signal -> repair vs -> rupture.
struct ConsequentMix {
    std::string antecedent_category;
    int antecedents = 0;  // observations of that category (both directions, or one)
    int repair = 0;
    int rupture = 0;
    int signal = 0;
    int none = 0;                                 // nothing by the other partner within C
    std::optional<double> repair_share() const;   // repair / antecedents; none without antecedent
    std::optional<double> rupture_share() const;  // rupture / antecedents
};

// Both directions summed.
ConsequentMix consequent_mix(const SequenceAnalysis& analysis, std::string_view antecedent_category);
// One direction: `antecedent_partner` A means A's category followed by B's answer.
ConsequentMix consequent_mix(const SequenceAnalysis& analysis, std::string_view antecedent_category,
                             Who antecedent_partner);

// {"A->B": {"<X>-><Y>": {"a":n,"b":n,"c":n,"d":n,"q":x|null,"z":x|null}, ...}, "B->A": {...}}
// with every pair of the analysis' categories.
nlohmann::json to_json(const SequenceAnalysis& analysis);

}  // namespace attune
