// rating_agreement.h: agreement of two raters' end-of-session ratings,
// "Agreement on ratings (version 2)" in shared DOMAIN.md: ICC(2,1).
//
// Decisions the definition leaves open:
// - A target is one (session, rating) where BOTH raters gave that rating; a
//   session contributes 0 to 3 targets (attunement A, attunement B, safety).
// - ICC is none with fewer than 3 targets, and also when its denominator is 0
//   (every rating of every target the same: there is no variance to agree on).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "core/model.h"

namespace attune {

// ICC(2,1) (Shrout & Fleiss: two-way random effects, absolute agreement,
// single rater) of an n x k table: scores[target][rater], every row of the
// same length k >= 2. None with fewer than 3 targets, rows of unequal length,
// or a zero denominator.
std::optional<double> icc_2_1(const std::vector<std::vector<double>>& scores);

struct RatingAgreement {
    int sessions = 0;  // sessions where both raters gave at least one same rating
    int targets = 0;   // n
    std::optional<double> icc;
};

// Each entry is one session's ratings by the first and by the second rater.
RatingAgreement rating_agreement(const std::vector<std::pair<Ratings, Ratings>>& sessions_rated_by_both);

// The value of "ratings_icc": x | null.
nlohmann::json ratings_icc_json(const RatingAgreement& agreement);

}  // namespace attune
