#include "core/agreement.h"

#include <algorithm>
#include <cmath>

namespace attune {
namespace {

// Times closer than this are one instant (clocks record milliseconds at most):
// a gap of exactly T still matches when T's arithmetic rounds, and two B
// observations at "the same" distance are a tie, which the earlier one wins.
constexpr double kSameInstantS = 1e-6;

std::vector<const Observation*> usable_in_time_order(const std::vector<Observation>& observations) {
    std::vector<const Observation*> out;
    for (const Observation& obs : observations)
        if (!obs.deleted && std::isfinite(obs.t)) out.push_back(&obs);
    std::stable_sort(out.begin(), out.end(), [](const Observation* x, const Observation* y) { return x->t < y->t; });
    return out;
}

// One row of the confusion matrix: either side may be missing (pseudo-code "none").
struct Pair {
    const Observation* a = nullptr;
    const Observation* b = nullptr;
    std::string code_a() const { return a ? a->code_id : kNoCode; }
    std::string code_b() const { return b ? b->code_id : kNoCode; }
};

std::vector<Pair> match_greedily(const std::vector<const Observation*>& from_a,
                                 const std::vector<const Observation*>& from_b, double tolerance_s) {
    std::vector<Pair> pairs;
    std::vector<bool> used(from_b.size(), false);
    for (const Observation* a : from_a) {
        std::optional<size_t> best;
        double best_gap = 0;
        // from_b is in time order, so keeping the first of equal gaps keeps the earlier one.
        for (size_t j = 0; j < from_b.size(); ++j) {
            if (used[j] || from_b[j]->who != a->who) continue;
            const double gap = std::abs(from_b[j]->t - a->t);
            if (gap > tolerance_s + kSameInstantS) continue;
            if (!best || gap < best_gap - kSameInstantS) {
                best = j;
                best_gap = gap;
            }
        }
        if (best) {
            used[*best] = true;
            pairs.push_back({a, from_b[*best]});
        } else {
            pairs.push_back({a, nullptr});
        }
    }
    for (size_t j = 0; j < from_b.size(); ++j)
        if (!used[j]) pairs.push_back({nullptr, from_b[j]});
    return pairs;
}

}  // namespace

AgreementResult compute_agreement(const std::vector<Observation>& rater_a, const std::vector<Observation>& rater_b,
                                  double tolerance_s) {
    const std::vector<Pair> pairs =
        match_greedily(usable_in_time_order(rater_a), usable_in_time_order(rater_b), tolerance_s);

    AgreementResult result;
    std::map<std::string, long long> row_totals;
    std::map<std::string, long long> column_totals;
    long long diagonal = 0;
    for (const Pair& pair : pairs) {
        const std::string code_a = pair.code_a();
        const std::string code_b = pair.code_b();
        if (pair.a && pair.b)
            ++result.matched;
        else if (pair.a)
            ++result.unmatched_a;
        else
            ++result.unmatched_b;
        ++result.confusion[code_a][code_b];
        ++row_totals[code_a];
        ++column_totals[code_b];
        if (code_a == code_b) ++diagonal;  // only a match can agree: none/none never occurs

        if (pair.a) ++result.per_code[code_a].total;
        if (pair.b && code_b != code_a) ++result.per_code[code_b].total;
        if (pair.a && pair.b && code_a == code_b) ++result.per_code[code_a].agree;
        if (code_a != code_b) result.disagreements.push_back({pair.a ? std::optional(pair.a->t) : std::nullopt,
                                                              pair.b ? std::optional(pair.b->t) : std::nullopt,
                                                              pair.a ? pair.a->who : pair.b->who, code_a, code_b});
    }

    const auto n = static_cast<long long>(pairs.size());
    if (n == 0) return result;
    long long expected = 0;  // sum of row_k * col_k, kept in integers so "p_e = 1" is exact
    for (const auto& [code, row] : row_totals) {
        const auto column = column_totals.find(code);
        if (column != column_totals.end()) expected += row * column->second;
    }
    const double p_o = static_cast<double>(diagonal) / static_cast<double>(n);
    result.percent_agreement = p_o;
    if (expected != n * n) {
        const double p_e = static_cast<double>(expected) / static_cast<double>(n * n);
        result.kappa = (p_o - p_e) / (1 - p_e);
    }

    std::stable_sort(result.disagreements.begin(), result.disagreements.end(),
                     [](const Disagreement& x, const Disagreement& y) {
                         auto first = [](const Disagreement& d) {
                             return d.t_a && d.t_b ? std::min(*d.t_a, *d.t_b) : d.t_a ? *d.t_a : *d.t_b;
                         };
                         return first(x) < first(y);
                     });
    return result;
}

nlohmann::json to_json(const AgreementResult& result) {
    using nlohmann::json;
    auto optional_number = [](const std::optional<double>& value) { return value ? json(*value) : json(nullptr); };
    json per_code = json::object();
    for (const auto& [code, counts] : result.per_code)
        per_code[code] = {{"agree", counts.agree}, {"total", counts.total}};
    json confusion = json::object();
    for (const auto& [code_a, row] : result.confusion)
        for (const auto& [code_b, count] : row) confusion[code_a][code_b] = count;
    json disagreements = json::array();
    for (const Disagreement& d : result.disagreements)
        disagreements.push_back({{"t_a", optional_number(d.t_a)},
                                 {"t_b", optional_number(d.t_b)},
                                 {"who", std::string(to_string(d.who))},
                                 {"code_a", d.code_a},
                                 {"code_b", d.code_b}});
    return {{"kappa", optional_number(result.kappa)},
            {"percent_agreement", result.percent_agreement},
            {"matched", result.matched},
            {"unmatched_a", result.unmatched_a},
            {"unmatched_b", result.unmatched_b},
            {"per_code", per_code},
            {"confusion", confusion},
            {"disagreements", disagreements}};
}

}  // namespace attune
