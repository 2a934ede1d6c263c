#include "core/rating_agreement.h"

#include <algorithm>
#include <cmath>

namespace attune {

std::optional<double> icc_2_1(const std::vector<std::vector<double>>& scores) {
    const size_t n = scores.size();
    if (n < 3) return std::nullopt;
    const size_t k = scores.front().size();
    if (k < 2) return std::nullopt;
    double largest = 0;
    for (const std::vector<double>& row : scores) {
        if (row.size() != k) return std::nullopt;
        for (double x : row) {
            if (!std::isfinite(x)) return std::nullopt;
            largest = std::max(largest, std::abs(x));
        }
    }

    const double targets = static_cast<double>(n);
    const double raters = static_cast<double>(k);
    std::vector<double> row_mean(n, 0);
    std::vector<double> column_mean(k, 0);
    double grand_mean = 0;
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < k; ++j) {
            row_mean[i] += scores[i][j] / raters;
            column_mean[j] += scores[i][j] / targets;
            grand_mean += scores[i][j] / (targets * raters);
        }
    double ss_rows = 0;     // between targets
    double ss_columns = 0;  // between raters
    double ss_error = 0;    // residual, summed directly rather than by subtraction
    for (size_t i = 0; i < n; ++i)
        ss_rows += raters * (row_mean[i] - grand_mean) * (row_mean[i] - grand_mean);
    for (size_t j = 0; j < k; ++j)
        ss_columns += targets * (column_mean[j] - grand_mean) * (column_mean[j] - grand_mean);
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < k; ++j) {
            const double residual = scores[i][j] - row_mean[i] - column_mean[j] + grand_mean;
            ss_error += residual * residual;
        }
    const double ms_rows = ss_rows / (targets - 1);
    const double ms_columns = ss_columns / (raters - 1);
    const double ms_error = ss_error / ((targets - 1) * (raters - 1));

    const double denominator = ms_rows + (raters - 1) * ms_error + raters * (ms_columns - ms_error) / targets;
    // 0 only when no score differs from another; rounding may leave a speck.
    if (denominator <= 1e-12 * (1 + largest * largest)) return std::nullopt;
    return (ms_rows - ms_error) / denominator;
}

RatingAgreement rating_agreement(const std::vector<std::pair<Ratings, Ratings>>& sessions_rated_by_both) {
    RatingAgreement out;
    std::vector<std::vector<double>> scores;
    for (const auto& [first, second] : sessions_rated_by_both) {
        bool any = false;
        for (const auto member : {&Ratings::attunement_a, &Ratings::attunement_b, &Ratings::safety}) {
            const std::optional<int>& x = first.*member;
            const std::optional<int>& y = second.*member;
            if (!x || !y) continue;  // a target needs both raters' rating
            scores.push_back({static_cast<double>(*x), static_cast<double>(*y)});
            any = true;
        }
        if (any) ++out.sessions;
    }
    out.targets = static_cast<int>(scores.size());
    out.icc = icc_2_1(scores);
    return out;
}

nlohmann::json ratings_icc_json(const RatingAgreement& agreement) {
    return agreement.icc ? nlohmann::json(*agreement.icc) : nlohmann::json(nullptr);
}

}  // namespace attune
