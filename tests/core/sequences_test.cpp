#include "core/sequences.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>

using namespace attune;
using Catch::Matchers::WithinAbs;

namespace {

// The default scheme's categories, with `pursuit` (code `protest`) added: the
// analysis must take its categories from the scheme it is given.
CodingScheme scheme() {
    CodingScheme s;
    s.categories = {{"withdrawal", "Withdrawal", Polarity::Rupture, CycleRole::Withdraw},
                    {"reactivity", "Reactivity", Polarity::Rupture, CycleRole::Pursue},
                    {"pursuit", "Pursuit", Polarity::Rupture, CycleRole::Pursue},
                    {"low_warmth", "Low warmth", Polarity::Rupture, CycleRole::None},
                    {"attachment", "Attachment signals", Polarity::Signal, CycleRole::None},
                    {"repair", "Repair", Polarity::Repair, CycleRole::None},
                    {"therapist", "Therapist moves", Polarity::Intervention, CycleRole::None}};
    auto add = [&s](const char* id, const char* category) {
        const Category* c = s.find_category(category);
        Code code;
        code.id = id;
        code.label = id;
        code.category = category;
        code.polarity = c->polarity;
        code.cycle_role = c->cycle_role;
        s.codes.push_back(code);
    };
    add("withdraw_emotion", "withdrawal");
    add("shut_down", "withdrawal");
    add("defensive_anger", "reactivity");
    add("protest", "pursuit");
    add("low_warmth", "low_warmth");
    add("need_closeness", "attachment");
    add("reflect", "repair");
    add("t_reflect", "therapist");
    add("t_validate", "therapist");
    return s;
}

Observation obs(RowId id, double t, Who who, const char* code) {
    Observation o;
    o.id = id;
    o.t = t;
    o.who = who;
    o.code_id = code;
    return o;
}

// C = 60. Antecedents and their consequents (the other partner's earliest
// observation in (t, t + 60]):
//   A->B: 1 reactivity@0   -> 2 withdrawal@10
//         3 attachment@20  -> 4 repair@30
//         5 reactivity@100 -> none (12 started at 95, before it; the next B is at 260)
//         6 pursuit@200    -> 7 withdrawal@260 (exactly t + C)
//         8 reactivity@400 -> none (9 at 460.5 is just after t + C)
//   B->A: 2 withdrawal@10  -> 3 attachment@20
//         4 repair@30      -> none (the next A is 5 at 100)
//        12 withdrawal@95  -> 5 reactivity@100
//         7 withdrawal@260 -> none
//         9 repair@460.5   -> none
// Left out: 20 (deleted), 21 and 22 (therapist codes, one attributed to B),
// 23 (`both`): each would otherwise change a consequent above.
std::vector<Observation> session() {
    std::vector<Observation> list = {obs(1, 0, Who::A, "defensive_anger"),   obs(2, 10, Who::B, "withdraw_emotion"),
                                     obs(3, 20, Who::A, "need_closeness"),   obs(4, 30, Who::B, "reflect"),
                                     obs(5, 100, Who::A, "defensive_anger"), obs(6, 200, Who::A, "protest"),
                                     obs(7, 260, Who::B, "shut_down"),       obs(8, 400, Who::A, "defensive_anger"),
                                     obs(9, 460.5, Who::B, "reflect"),       obs(12, 95, Who::B, "shut_down"),
                                     obs(20, 5, Who::B, "reflect"),          obs(21, 4, Who::Therapist, "t_reflect"),
                                     obs(22, 6, Who::B, "t_validate"),       obs(23, 3, Who::Both, "low_warmth")};
    list[9].stop = 130;  // a state counts at its start (95), not while it runs through 100
    list[10].deleted = true;
    return list;
}

SequenceAnalysis analyse(const std::vector<Observation>& observations) {
    return compute_sequences(observations, scheme(), MetricSettings{});
}

}  // namespace

TEST_CASE("Yule's Q and the adjusted residual follow DOMAIN.md's formulas", "[sequences]") {
    // a=1 b=2 c=1 d=1: Q = (1 - 2) / (1 + 2) = -1/3; E = 3*2/5 = 1.2,
    // z = (1 - 1.2) / sqrt(1.2 * (1 - 3/5) * (1 - 2/5)) = -0.2 / sqrt(0.288) = -0.372678
    CHECK_THAT(*yules_q(1, 2, 1, 1), WithinAbs(-1.0 / 3, 1e-12));
    CHECK_THAT(*adjusted_residual(1, 2, 1, 1), WithinAbs(-0.372678, 1e-6));
}

TEST_CASE("Yule's Q with a zero cell is +-1, and none when ad + bc = 0", "[sequences]") {
    CHECK(yules_q(1, 0, 1, 3) == 1.0);             // b = 0: (3 - 0) / (3 + 0)
    CHECK(yules_q(0, 2, 3, 4) == -1.0);            // a = 0: (0 - 6) / (0 + 6)
    CHECK_FALSE(yules_q(0, 0, 2, 3).has_value());  // X never occurred: ad = bc = 0
    CHECK_FALSE(yules_q(1, 0, 0, 0).has_value());
}

TEST_CASE("the adjusted residual is none when its denominator is 0", "[sequences]") {
    CHECK_FALSE(adjusted_residual(0, 0, 2, 3).has_value());  // a + b = 0: E = 0
    CHECK_FALSE(adjusted_residual(2, 3, 0, 0).has_value());  // a + b = N: 1 - (a+b)/N = 0
    CHECK_FALSE(adjusted_residual(2, 0, 3, 0).has_value());  // a + c = N
    CHECK_FALSE(adjusted_residual(0, 0, 0, 0).has_value());  // N = 0
    CHECK(adjusted_residual(1, 0, 0, 4).has_value());
}

TEST_CASE("the categories come from the scheme, without the therapist's", "[sequences]") {
    const SequenceAnalysis result = analyse({});
    CHECK(result.categories ==
          std::vector<std::string>{"withdrawal", "reactivity", "pursuit", "low_warmth", "attachment", "repair"});
    CHECK(result.a_to_b.pairs.size() == 36);
    CHECK(result.a_to_b.antecedents == 0);
}

TEST_CASE("each antecedent's consequent is the other partner's earliest observation within C", "[sequences]") {
    const SequenceAnalysis result = analyse(session());
    CHECK(result.a_to_b.antecedents == 5);
    CHECK(result.b_to_a.antecedents == 5);
    REQUIRE(result.steps.size() == 10);
    // In time order: 1, 2, 3, 4, 12, 5, 6, 7, 8, 9.
    CHECK(result.steps[0].antecedent_id == 1);
    CHECK(result.steps[0].consequent_id == RowId{2});
    CHECK(result.steps[4].antecedent_id == 12);
    CHECK(result.steps[4].consequent_id == RowId{5});
    CHECK(result.steps[5].antecedent_id == 5);
    CHECK_FALSE(result.steps[5].consequent_id.has_value());
    CHECK(result.steps[6].consequent_id == RowId{7});  // exactly at t + C
    CHECK(result.steps[8].antecedent_id == 8);
    CHECK_FALSE(result.steps[8].consequent_id.has_value());  // 0.5 s after t + C
}

TEST_CASE("the lag-1 table of one session, hand-computed", "[sequences]") {
    const SequenceAnalysis result = analyse(session());

    // A reactivity -> B withdrawal: a = 1 (1), b = 2 (5, 8), c = 1 (6), d = 1 (3); see the formula test.
    const LagPair* p = result.a_to_b.find("reactivity", "withdrawal");
    REQUIRE(p);
    CHECK((p->a == 1 && p->b == 2 && p->c == 1 && p->d == 1));
    CHECK_THAT(*p->yules_q, WithinAbs(-1.0 / 3, 1e-12));
    CHECK_THAT(*p->adjusted_residual, WithinAbs(-0.372678, 1e-6));
    CHECK_FALSE(p->significant);

    // A pursuit -> B withdrawal: a = 1, b = 0, c = 1, d = 3; Q = 1;
    // E = 1*2/5 = 0.4, z = 0.6 / sqrt(0.4 * 0.8 * 0.6) = 1.369306.
    p = result.a_to_b.find("pursuit", "withdrawal");
    CHECK((p->a == 1 && p->b == 0 && p->c == 1 && p->d == 3));
    CHECK(p->yules_q == 1.0);
    CHECK_THAT(*p->adjusted_residual, WithinAbs(1.369306, 1e-6));
    CHECK_FALSE(p->significant);

    // A attachment -> B repair: a = 1, b = c = 0, d = 4; E = 0.2,
    // z = 0.8 / sqrt(0.2 * 0.8 * 0.8) = 2.236068 >= 1.96: marked.
    p = result.a_to_b.find("attachment", "repair");
    CHECK((p->a == 1 && p->b == 0 && p->c == 0 && p->d == 4));
    CHECK_THAT(*p->adjusted_residual, WithinAbs(2.236068, 1e-6));
    CHECK(p->significant);

    // A never showed low warmth (23 was `both`): a = b = 0, so Q and z are none.
    p = result.a_to_b.find("low_warmth", "withdrawal");
    CHECK((p->a == 0 && p->b == 0 && p->c == 2 && p->d == 3));
    CHECK_FALSE(p->yules_q.has_value());
    CHECK_FALSE(p->adjusted_residual.has_value());

    // B withdrawal -> A attachment: a = 1 (2), b = 2 (12, 7), c = 0, d = 2; Q = 1;
    // E = 3*1/5 = 0.6, z = 0.4 / sqrt(0.6 * 0.4 * 0.8) = 0.912871.
    p = result.b_to_a.find("withdrawal", "attachment");
    CHECK((p->a == 1 && p->b == 2 && p->c == 0 && p->d == 2));
    CHECK_THAT(*p->adjusted_residual, WithinAbs(0.912871, 1e-6));
}

TEST_CASE("pooled sequences sum the counts before Q and z are computed", "[sequences]") {
    // Session 2 adds A reactivity -> B withdrawal and A low_warmth -> B withdrawal.
    const SequenceAnalysis second =
        analyse({obs(1, 0, Who::A, "defensive_anger"), obs(2, 30, Who::B, "withdraw_emotion"),
                 obs(3, 200, Who::A, "low_warmth"), obs(4, 210, Who::B, "withdraw_emotion")});
    const SequenceAnalysis pooled = pool_sequences({analyse(session()), second});
    CHECK(pooled.a_to_b.antecedents == 7);
    CHECK(pooled.steps.empty());
    // a = 1 + 1, b = 2 + 0, c = 1 + 1, d = 1 + 0: Q = (2*1 - 2*2) / (2 + 4) = -1/3;
    // E = 4*4/7, z = (2 - 16/7) / sqrt(16/7 * 3/7 * 3/7) = -0.440959.
    const LagPair* p = pooled.a_to_b.find("reactivity", "withdrawal");
    CHECK((p->a == 2 && p->b == 2 && p->c == 2 && p->d == 1));
    CHECK_THAT(*p->yules_q, WithinAbs(-1.0 / 3, 1e-12));
    CHECK_THAT(*p->adjusted_residual, WithinAbs(-0.440959, 1e-6));
}

TEST_CASE("the consequent mix tells repair from rupture after a category", "[sequences]") {
    const SequenceAnalysis result = analyse(session());
    // B's three withdrawals were followed by A's attachment signal (2), A's reactivity (12) and nothing (7).
    const ConsequentMix withdrawal = consequent_mix(result, "withdrawal");
    CHECK(withdrawal.antecedents == 3);
    CHECK(withdrawal.signal == 1);
    CHECK(withdrawal.rupture == 1);
    CHECK(withdrawal.repair == 0);
    CHECK(withdrawal.none == 1);
    CHECK_THAT(*withdrawal.rupture_share(), WithinAbs(1.0 / 3, 1e-12));
    // A's attachment signal was answered by B's repair.
    const ConsequentMix signal = consequent_mix(result, "attachment", Who::A);
    CHECK(signal.antecedents == 1);
    CHECK(signal.repair == 1);
    CHECK(signal.repair_share() == 1.0);
    CHECK(consequent_mix(result, "attachment", Who::B).antecedents == 0);
    CHECK_FALSE(consequent_mix(result, "attachment", Who::B).repair_share().has_value());
}

TEST_CASE("sequences come out as the exact JSON of metrics --json", "[sequences]") {
    const nlohmann::json j = to_json(analyse(session()));
    CHECK(j.size() == 2);
    CHECK(j["A->B"].size() == 36);
    CHECK(j["A->B"]["reactivity->withdrawal"]["a"] == 1);
    CHECK(j["A->B"]["reactivity->withdrawal"]["b"] == 2);
    CHECK(j["A->B"]["reactivity->withdrawal"]["c"] == 1);
    CHECK(j["A->B"]["reactivity->withdrawal"]["d"] == 1);
    CHECK_THAT(j["A->B"]["reactivity->withdrawal"]["q"].get<double>(), WithinAbs(-1.0 / 3, 1e-12));
    CHECK(j["A->B"]["low_warmth->withdrawal"]["q"].is_null());
    CHECK(j["A->B"]["low_warmth->withdrawal"]["z"].is_null());
    CHECK(j["B->A"]["withdrawal->attachment"]["a"] == 1);
    CHECK(j["A->B"]["reactivity->withdrawal"].size() == 6);
}
