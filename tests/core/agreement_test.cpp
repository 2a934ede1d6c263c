#include "core/agreement.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>

#include <algorithm>

using namespace attune;
using Catch::Matchers::WithinAbs;

namespace {

Observation obs(double t, Who who, const char* code) {
    Observation o;
    o.t = t;
    o.who = who;
    o.code_id = code;
    return o;
}

}  // namespace

TEST_CASE("two raters who code the same moments alike agree perfectly") {
    const std::vector<Observation> a = {obs(10, Who::A, "withdraw_emotion"), obs(20, Who::B, "reflect"),
                                        obs(40, Who::A, "reflect")};
    const std::vector<Observation> b = {obs(12, Who::A, "withdraw_emotion"), obs(18, Who::B, "reflect"),
                                        obs(44, Who::A, "reflect")};
    const AgreementResult r = compute_agreement(a, b);
    REQUIRE(r.matched == 3);
    REQUIRE(r.unmatched_a == 0);
    REQUIRE(r.unmatched_b == 0);
    REQUIRE(r.percent_agreement == 1.0);  // 3 / 3
    // rows = cols = {withdraw_emotion 1, reflect 2}: p_e = (1 + 4) / 9; kappa = (1 - 5/9) / (1 - 5/9) = 1
    REQUIRE_THAT(*r.kappa, WithinAbs(1.0, 1e-12));
    REQUIRE(r.disagreements.empty());
    REQUIRE(r.per_code.at("reflect").agree == 2);
    REQUIRE(r.per_code.at("reflect").total == 2);
}

TEST_CASE("kappa matches the textbook 50-item example") {
    // The classic 2x2 example: a = 20 (x/x), b = 5 (x/y), c = 10 (y/x), d = 15 (y/y).
    // p_o = (20 + 15) / 50 = 0.7; rater A: x 25, y 25; rater B: x 30, y 20
    // p_e = (25 * 30 + 25 * 20) / 2500 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    std::vector<Observation> a;
    std::vector<Observation> b;
    auto add = [&](int count, const char* code_a, const char* code_b) {
        for (int i = 0; i < count; ++i) {
            const double t = 100.0 * static_cast<double>(a.size());  // far apart: each pair matches only itself
            a.push_back(obs(t, Who::A, code_a));
            b.push_back(obs(t + 1, Who::A, code_b));
        }
    };
    add(20, "validate", "validate");
    add(5, "validate", "reflect");
    add(10, "reflect", "validate");
    add(15, "reflect", "reflect");
    const AgreementResult r = compute_agreement(a, b);
    REQUIRE(r.matched == 50);
    REQUIRE_THAT(r.percent_agreement, WithinAbs(0.7, 1e-12));
    REQUIRE_THAT(*r.kappa, WithinAbs(0.4, 1e-12));
    REQUIRE(r.confusion.at("validate").at("reflect") == 5);
    REQUIRE(r.confusion.at("reflect").at("validate") == 10);
    REQUIRE(r.per_code.at("validate").agree == 20);
    REQUIRE(r.per_code.at("validate").total == 35);  // 20 + 5 + 10 pairs mention validate
    REQUIRE(r.per_code.at("reflect").agree == 15);
    REQUIRE(r.per_code.at("reflect").total == 30);   // 15 + 5 + 10
    REQUIRE(r.disagreements.size() == 15);            // 5 + 10
}

TEST_CASE("unmatched observations are paired with none and enter kappa") {
    // pairs: (x, x) matched, (y, x) matched, (x, none), (none, z); n = 4, diagonal 1, p_o = 0.25
    // rows x 2, y 1, none 1; cols x 2, none 1, z 1: sum row*col = 2*2 + 1*0 + 1*1 + 0*1 = 5, p_e = 5/16
    // kappa = (0.25 - 0.3125) / (1 - 0.3125) = -0.0625 / 0.6875 = -1/11
    const std::vector<Observation> a = {obs(10, Who::A, "x"), obs(20, Who::A, "y"), obs(30, Who::A, "x")};
    const std::vector<Observation> b = {obs(10, Who::A, "x"), obs(20, Who::A, "x"), obs(50, Who::B, "z")};
    const AgreementResult r = compute_agreement(a, b);
    REQUIRE(r.matched == 2);
    REQUIRE(r.unmatched_a == 1);
    REQUIRE(r.unmatched_b == 1);
    REQUIRE(r.percent_agreement == 0.25);
    REQUIRE_THAT(*r.kappa, WithinAbs(-1.0 / 11, 1e-12));
    REQUIRE(r.confusion.at("x").at(kNoCode) == 1);
    REQUIRE(r.confusion.at(kNoCode).at("z") == 1);
    REQUIRE_FALSE(r.confusion.at(kNoCode).contains(kNoCode));  // none/none is always 0
    REQUIRE(r.per_code.at("x").total == 3);  // (x,x), (y,x), (x,none)
    REQUIRE(r.per_code.at("x").agree == 1);
    REQUIRE(r.per_code.at("z").total == 1);
    REQUIRE_FALSE(r.per_code.contains(kNoCode));

    // disagreements by time: (y,x) at 20, (x,none) at 30, (none,z) at 50
    REQUIRE(r.disagreements.size() == 3);
    REQUIRE(r.disagreements[0].t_a == 20.0);
    REQUIRE(r.disagreements[0].t_b == 20.0);
    REQUIRE(r.disagreements[1].code_b == kNoCode);
    REQUIRE_FALSE(r.disagreements[1].t_b.has_value());
    REQUIRE_FALSE(r.disagreements[2].t_a.has_value());
    REQUIRE(r.disagreements[2].t_b == 50.0);
    REQUIRE(r.disagreements[2].who == Who::B);
    REQUIRE(r.disagreements[2].code_a == kNoCode);
}

TEST_CASE("when one rater coded nothing, nothing agrees") {
    const std::vector<Observation> a = {obs(10, Who::A, "x"), obs(20, Who::B, "y"), obs(30, Who::A, "x")};
    const AgreementResult r = compute_agreement(a, {});
    REQUIRE(r.unmatched_a == 3);
    REQUIRE(r.percent_agreement == 0.0);  // p_o = 0 / 3
    // every column is none, no row is none: p_e = 0, kappa = (0 - 0) / 1 = 0
    REQUIRE(r.kappa == 0.0);
    REQUIRE(r.disagreements.size() == 3);
}

TEST_CASE("when neither rater coded anything there is no kappa") {
    const AgreementResult r = compute_agreement({}, {});
    REQUIRE_FALSE(r.kappa.has_value());
    REQUIRE(r.percent_agreement == 0.0);
    REQUIRE(r.matched + r.unmatched_a + r.unmatched_b == 0);
}

TEST_CASE("kappa is none when every pair agrees on one single code") {
    // rows = cols = {x 2}: p_e = 4 / 4 = 1, kappa would divide by zero
    const AgreementResult r = compute_agreement({obs(10, Who::A, "x"), obs(20, Who::A, "x")},
                                                {obs(10, Who::A, "x"), obs(20, Who::A, "x")});
    REQUIRE(r.percent_agreement == 1.0);
    REQUIRE_FALSE(r.kappa.has_value());
}

TEST_CASE("a match may be exactly the tolerance apart but not more") {
    // T = 5: 105 - 100 = 5 matches, 105.001 - 100 = 5.001 does not
    REQUIRE(compute_agreement({obs(100, Who::A, "x")}, {obs(105, Who::A, "x")}).matched == 1);
    REQUIRE(compute_agreement({obs(100, Who::A, "x")}, {obs(95, Who::A, "x")}).matched == 1);
    const AgreementResult apart = compute_agreement({obs(100, Who::A, "x")}, {obs(105.001, Who::A, "x")});
    REQUIRE(apart.matched == 0);
    REQUIRE(apart.unmatched_a == 1);
    REQUIRE(apart.unmatched_b == 1);
    // times whose difference rounds in binary still match at exactly T
    REQUIRE(compute_agreement({obs(100.1, Who::A, "x")}, {obs(105.1, Who::A, "x")}).matched == 1);
    // the tolerance is a parameter: T = 2
    REQUIRE(compute_agreement({obs(100, Who::A, "x")}, {obs(103, Who::A, "x")}, 2).matched == 0);
}

TEST_CASE("the nearest observation of the other rater is matched, the earlier one on a tie") {
    // A at 100; B at 97 (y) and 103 (z) are both 3 s away: the earlier, 97, wins
    const AgreementResult tie = compute_agreement({obs(100, Who::A, "y")},
                                                  {obs(103, Who::A, "z"), obs(97, Who::A, "y")});
    REQUIRE(tie.matched == 1);
    REQUIRE(tie.confusion.at("y").at("y") == 1);
    REQUIRE(tie.unmatched_b == 1);
    REQUIRE(tie.disagreements[0].t_b == 103.0);

    // B at 96 (4 s) and 101 (1 s): the nearer wins even though it is later
    const AgreementResult nearest = compute_agreement({obs(100, Who::A, "y")},
                                                      {obs(96, Who::A, "z"), obs(101, Who::A, "y")});
    REQUIRE(nearest.confusion.at("y").at("y") == 1);
    REQUIRE(nearest.disagreements[0].t_b == 96.0);
}

TEST_CASE("only observations about the same person are matched") {
    // B's nearest observation is about partner B; the one 4 s away about partner A is taken
    const AgreementResult r = compute_agreement({obs(100, Who::A, "x")},
                                                {obs(100, Who::B, "x"), obs(104, Who::A, "x")});
    REQUIRE(r.matched == 1);
    REQUIRE(r.confusion.at("x").at("x") == 1);
    REQUIRE(r.unmatched_b == 1);
    REQUIRE(r.disagreements[0].who == Who::B);

    const AgreementResult none = compute_agreement({obs(100, Who::A, "x")}, {obs(100, Who::Both, "x")});
    REQUIRE(none.matched == 0);
}

TEST_CASE("rater A's observations claim matches in time order whatever order they are given in") {
    // A at 10 and 12, one B at 11 (1 s from each): the earlier A observation, at 10, takes it
    const std::vector<Observation> a = {obs(12, Who::A, "late"), obs(10, Who::A, "early")};
    const AgreementResult r = compute_agreement(a, {obs(11, Who::A, "early")});
    REQUIRE(r.matched == 1);
    REQUIRE(r.confusion.at("early").at("early") == 1);
    REQUIRE(r.confusion.at("late").at(kNoCode) == 1);
}

TEST_CASE("deleted observations take no part in agreement") {
    Observation gone = obs(100, Who::A, "x");
    gone.deleted = true;
    const AgreementResult r =
        compute_agreement({gone, obs(200, Who::A, "y")}, {obs(100, Who::A, "x"), obs(200, Who::A, "y")});
    REQUIRE(r.matched == 1);
    REQUIRE(r.unmatched_a == 0);
    REQUIRE(r.unmatched_b == 1);  // B's x at 100 lost its partner
}

TEST_CASE("agreement exports in the documented JSON shape") {
    const AgreementResult r = compute_agreement({obs(10, Who::A, "x"), obs(20, Who::A, "y")},
                                                {obs(11, Who::A, "x"), obs(60, Who::Therapist, "t_reflect")});
    const nlohmann::json j = nlohmann::json::parse(to_json(r).dump());
    REQUIRE(j.size() == 8);
    REQUIRE(j["kappa"].is_number());
    REQUIRE(j["percent_agreement"] == 1.0 / 3);  // 1 agreeing pair of 3
    REQUIRE(j["matched"] == 1);
    REQUIRE(j["unmatched_a"] == 1);
    REQUIRE(j["unmatched_b"] == 1);
    REQUIRE(j["per_code"]["x"] == nlohmann::json{{"agree", 1}, {"total", 1}});
    REQUIRE(j["per_code"]["t_reflect"] == nlohmann::json{{"agree", 0}, {"total", 1}});
    REQUIRE(j["confusion"]["y"]["none"] == 1);
    REQUIRE(j["confusion"]["none"]["t_reflect"] == 1);
    REQUIRE(j["disagreements"].size() == 2);
    const nlohmann::json& first = j["disagreements"][0];
    REQUIRE(first["t_a"] == 20.0);
    REQUIRE(first["t_b"].is_null());
    REQUIRE(first["who"] == "A");
    REQUIRE(first["code_a"] == "y");
    REQUIRE(first["code_b"] == "none");
    const nlohmann::json& second = j["disagreements"][1];
    REQUIRE(second["t_a"].is_null());
    REQUIRE(second["t_b"] == 60.0);
    REQUIRE(second["who"] == "therapist");
    REQUIRE(second["code_a"] == "none");

    REQUIRE(to_json(compute_agreement({}, {}))["kappa"].is_null());
}
