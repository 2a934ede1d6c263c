#include "core/rating_agreement.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>

using namespace attune;
using Catch::Matchers::WithinAbs;

namespace {

Ratings ratings(std::optional<int> attunement_a, std::optional<int> attunement_b, std::optional<int> safety) {
    Ratings r;
    r.attunement_a = attunement_a;
    r.attunement_b = attunement_b;
    r.safety = safety;
    return r;
}

}  // namespace

TEST_CASE("ICC(2,1) of two raters on four targets, worked by hand", "[icc]") {
    // target: rater 1, rater 2 -> row mean
    //   1: 7, 8 -> 7.5      grand mean 26 / 4 = 6.5
    //   2: 5, 5 -> 5        rater means 6 and 7
    //   3: 9, 10 -> 9.5
    //   4: 3, 5 -> 4
    // SS_R = 2 * (1^2 + 1.5^2 + 3^2 + 2.5^2) = 37, MS_R = 37 / 3
    // SS_C = 4 * (0.5^2 + 0.5^2) = 2,                MS_C = 2 / 1 = 2
    // SS_T = sum of (x - 6.5)^2 = 0.25 + 2.25 + 2.25 + 2.25 + 6.25 + 12.25 + 12.25 + 2.25 = 40
    // SS_E = 40 - 37 - 2 = 1,                        MS_E = 1 / (3 * 1) = 1/3
    // ICC = (37/3 - 1/3) / (37/3 + 1/3 + 2 * (2 - 1/3) / 4) = 12 / 13.5 = 8/9
    CHECK_THAT(*icc_2_1({{7, 8}, {5, 5}, {9, 10}, {3, 5}}), WithinAbs(8.0 / 9, 1e-12));
}

TEST_CASE("ICC(2,1) reproduces Shrout and Fleiss' 6 targets by 4 judges", "[icc]") {
    // Shrout & Fleiss (1979), the worked example: ICC(2,1) = .29
    // from BMS = 11.24, JMS = 32.49, EMS = 1.02:
    // (11.24 - 1.02) / (11.24 + 3 * 1.02 + 4 * (32.49 - 1.02) / 6) = 10.22 / 35.28 = 0.2897.
    const std::vector<std::vector<double>> table = {{9, 2, 5, 8}, {6, 1, 3, 2},  {8, 4, 6, 8},
                                                    {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7}};
    CHECK_THAT(*icc_2_1(table), WithinAbs(0.2897, 0.0005));
}

TEST_CASE("ratings agreement takes each rating both raters gave as one target", "[icc]") {
    // Session 1 gives three targets; session 2 only attunement A (B rated no
    // safety, A no attunement B): the four targets of the hand-worked example.
    const RatingAgreement result = rating_agreement(
        {{ratings(7, 5, 9), ratings(8, 5, 10)}, {ratings(3, std::nullopt, 4), ratings(5, 6, std::nullopt)}});
    CHECK(result.sessions == 2);
    CHECK(result.targets == 4);
    REQUIRE(result.icc.has_value());
    CHECK_THAT(*result.icc, WithinAbs(8.0 / 9, 1e-12));
    CHECK_THAT(ratings_icc_json(result).get<double>(), WithinAbs(8.0 / 9, 1e-12));
}

TEST_CASE("ratings ICC is none with fewer than 3 targets or nothing to tell apart", "[icc]") {
    const RatingAgreement two = rating_agreement({{ratings(7, 5, std::nullopt), ratings(8, 5, 9)}});
    CHECK(two.targets == 2);
    CHECK_FALSE(two.icc.has_value());
    CHECK(ratings_icc_json(two).is_null());
    CHECK_FALSE(icc_2_1({{5, 5}, {5, 5}, {5, 5}}).has_value());  // 0 / 0
    CHECK(icc_2_1({{5, 5}, {5, 5}, {5, 6}}).has_value());
    CHECK_FALSE(icc_2_1({{5, 5}, {5, 5}, {5}}).has_value());  // a row without its second rater
}
