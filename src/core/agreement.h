// agreement.h: inter-rater agreement of two raters' coding of one session,
// "Inter-rater agreement (version 1)" in shared DOMAIN.md.
//
// Decisions the definition leaves open:
// - Rater A's observations are taken in time order (ties in their given order);
//   among equally near B observations the earlier wins, and among B
//   observations at the very same time the one given first.
// - Codes are compared as stored (the code id); no scheme is needed, and a
//   real code with the id "none" would merge with the pseudo-code.
// - Observations with a non-finite time are left out like deleted ones.
// - With nothing coded by either rater (n = 0) kappa is none and percent
//   agreement is 0.
#pragma once

#include "core/model.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace attune {

// Stands in for the missing side of an unmatched observation.
inline constexpr const char* kNoCode = "none";

struct CodeAgreement {
    int agree = 0;  // matched pairs where both raters used this code
    int total = 0;  // pairs (matched or not) where either rater used this code, each pair once
};

// A matched pair with different codes, or an unmatched observation. For an
// unmatched A observation t_b is none and code_b is "none"; for an unmatched B
// observation t_a is none and code_a is "none".
struct Disagreement {
    std::optional<double> t_a;
    std::optional<double> t_b;
    Who who = Who::A;
    std::string code_a;
    std::string code_b;
};

struct AgreementResult {
    std::optional<double> kappa;    // none when p_e = 1 (or nothing was coded)
    double percent_agreement = 0;   // p_o, a fraction 0-1
    int matched = 0;
    int unmatched_a = 0;
    int unmatched_b = 0;
    std::map<std::string, CodeAgreement> per_code;  // every code either rater used; not "none"
    // code_a -> code_b -> count, over codes and "none"; cells that are 0 are absent.
    std::map<std::string, std::map<std::string, int>> confusion;
    std::vector<Disagreement> disagreements;  // by the earlier of their times
};

// tolerance_s: T, the largest time difference of a match, inclusive.
AgreementResult compute_agreement(const std::vector<Observation>& rater_a, const std::vector<Observation>& rater_b,
                                  double tolerance_s = 5);

// {"kappa":x|null, "percent_agreement":x, "matched":n, "unmatched_a":n, "unmatched_b":n,
//  "per_code":{"code":{"agree":n,"total":n}}, "confusion":{"code_a":{"code_b":n}},
//  "disagreements":[{"t_a":x|null,"t_b":x|null,"who":"A","code_a":"...","code_b":"..."}]}
nlohmann::json to_json(const AgreementResult& result);

}  // namespace attune
