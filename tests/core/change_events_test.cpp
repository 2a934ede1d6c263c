#include "core/change_events.h"

#include <catch2/catch_test_macros.hpp>

using namespace attune;

namespace {

CodingScheme scheme() {
    CodingScheme s;
    s.categories = {{"withdrawal", "Withdrawal", Polarity::Rupture, CycleRole::Withdraw},
                    {"reactivity", "Reactivity", Polarity::Rupture, CycleRole::Pursue},
                    {"pursuit", "Pursuit", Polarity::Rupture, CycleRole::Pursue},
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
    add("defensive_anger", "reactivity");
    add("protest", "pursuit");
    add("need_closeness", "attachment");
    add("msg_unworthy", "attachment");
    for (const char* repair : {"reflect", "validate", "reassure", "i_statement", "vulnerable_share", "accept_repair"})
        add(repair, "repair");
    add("t_reflect", "therapist");
    return s;
}

Observation obs(RowId id, double t, Who who, const char* code) {
    Observation o;
    o.id = id;
    o.uuid = "uuid-" + std::to_string(id);
    o.t = t;
    o.who = who;
    o.code_id = code;
    return o;
}

// A pursues (2 pursue ruptures to 1), B withdraws (2 withdraw ruptures to 0).
std::vector<Observation> earlier_sessions() {
    return {obs(101, 10, Who::A, "defensive_anger"),  obs(102, 20, Who::A, "protest"),
            obs(103, 30, Who::B, "defensive_anger"),  obs(104, 40, Who::B, "withdraw_emotion"),
            obs(105, 50, Who::B, "withdraw_emotion"), obs(106, 60, Who::Both, "withdraw_emotion")};
}

MetricSettings settings() {
    return MetricSettings{}; /* R = 120 */
}

}  // namespace

TEST_CASE("the pursuer and withdrawer are the partners with more pursue and withdraw ruptures", "[change-events]") {
    const CycleRoles roles = find_cycle_roles(earlier_sessions(), scheme());
    CHECK(roles.pursue_a == 2);
    CHECK(roles.pursue_b == 1);
    CHECK(roles.withdraw_a == 0);  // the `both` withdrawal counts for neither partner
    CHECK(roles.withdraw_b == 2);
    CHECK(roles.pursuer == Who::A);
    CHECK(roles.withdrawer == Who::B);
    CHECK(roles.unknown_reason.empty());
}

TEST_CASE("a withdrawer re-engagement answered at exactly t + R counts, just after does not", "[change-events]") {
    const CycleRoles roles = find_cycle_roles(earlier_sessions(), scheme());
    const ChangeEvents events = detect_change_events(
        {obs(1, 100, Who::B, "need_closeness"), obs(2, 220, Who::A, "i_statement"),     // 220 = 100 + 120
         obs(3, 300, Who::B, "vulnerable_share"), obs(4, 420.001, Who::A, "reflect")},  // 1 ms too late
        scheme(), roles, settings());
    REQUIRE(events.candidates.size() == 1);
    CHECK(events.withdrawer_reengagement == 1);
    CHECK(events.blamer_softening == 0);
    const ChangeEventCandidate& c = events.candidates[0];
    CHECK(c.kind == ChangeEventKind::WithdrawerReengagement);
    CHECK(c.by == Who::B);
    CHECK(c.antecedent_id == 1);
    CHECK(c.antecedent_uuid == "uuid-1");
    CHECK(c.antecedent_t == 100);
    CHECK(c.consequent_id == 2);
    CHECK(c.consequent_code == "i_statement");
    CHECK(c.consequent_t == 220);
    CHECK(c.key() == "withdrawer_reengagement:uuid-1");
}

TEST_CASE("a blamer softening answered at exactly t + R counts, just after does not", "[change-events]") {
    const CycleRoles roles = find_cycle_roles(earlier_sessions(), scheme());
    const ChangeEvents events =
        detect_change_events({obs(1, 600, Who::A, "msg_unworthy"), obs(2, 720, Who::B, "reassure"),
                              obs(3, 900, Who::A, "need_closeness"), obs(4, 1020.001, Who::B, "validate"),
                              // Not an answer DOMAIN.md lists (an I-statement), and not by the withdrawer (`both`):
                              obs(5, 1200, Who::A, "vulnerable_share"), obs(6, 1210, Who::B, "i_statement"),
                              obs(7, 1220, Who::Both, "reflect")},
                             scheme(), roles, settings());
    REQUIRE(events.candidates.size() == 1);
    CHECK(events.blamer_softening == 1);
    CHECK(events.withdrawer_reengagement == 0);
    CHECK(events.candidates[0].antecedent_id == 1);
    CHECK(events.candidates[0].consequent_id == 2);
    CHECK(events.candidates[0].by == Who::A);
}

TEST_CASE("a candidate with several answers is counted once, with its earliest answer", "[change-events]") {
    const CycleRoles roles = find_cycle_roles(earlier_sessions(), scheme());
    const ChangeEvents events = detect_change_events(
        {obs(3, 30, Who::A, "validate"), obs(1, 10, Who::B, "vulnerable_share"), obs(2, 20, Who::A, "reflect"),
         obs(4, 15, Who::A, "t_reflect")},  // a therapist code is never an answer
        scheme(), roles, settings());
    REQUIRE(events.candidates.size() == 1);
    CHECK(events.withdrawer_reengagement == 1);
    CHECK(events.candidates[0].consequent_id == 2);
}

TEST_CASE("a tie between the partners leaves the roles unknown and both events undetected", "[change-events]") {
    // The same session that yields one candidate of each kind with known roles.
    const std::vector<Observation> session = {obs(1, 100, Who::B, "need_closeness"), obs(2, 150, Who::A, "reflect"),
                                              obs(3, 600, Who::A, "msg_unworthy"), obs(4, 650, Who::B, "reassure")};
    const ChangeEvents known =
        detect_change_events(session, scheme(), find_cycle_roles(earlier_sessions(), scheme()), settings());
    REQUIRE(known.withdrawer_reengagement == 1);
    REQUIRE(known.blamer_softening == 1);

    // Pursue ruptures tied 1 : 1 (B still withdraws more).
    const CycleRoles tied = find_cycle_roles({obs(101, 10, Who::A, "protest"), obs(102, 20, Who::B, "defensive_anger"),
                                              obs(103, 30, Who::B, "withdraw_emotion")},
                                             scheme());
    CHECK_FALSE(tied.pursuer.has_value());
    CHECK(tied.withdrawer == Who::B);
    CHECK(tied.unknown_reason == "The pursuer is unknown: the partners are tied on pursue ruptures (1 each).");
    const ChangeEvents none = detect_change_events(session, scheme(), tied, settings());
    CHECK(none.candidates.empty());
    CHECK(none.withdrawer_reengagement == 0);
    CHECK(none.blamer_softening == 0);

    // Nothing coded yet: 0 : 0 is a tie too.
    CHECK_FALSE(find_cycle_roles({}, scheme()).known());
}

TEST_CASE("a partner with more pursue and more withdraw ruptures leaves both roles unknown", "[change-events]") {
    const CycleRoles roles =
        find_cycle_roles({obs(101, 10, Who::A, "protest"), obs(102, 20, Who::A, "withdraw_emotion")}, scheme());
    CHECK_FALSE(roles.pursuer.has_value());
    CHECK_FALSE(roles.withdrawer.has_value());
    CHECK(roles.unknown_reason ==
          "Pursuer and withdrawer are unknown: partner A has more pursue ruptures and more withdraw ruptures.");
    const ChangeEvents events = detect_change_events(
        {obs(1, 100, Who::A, "need_closeness"), obs(2, 110, Who::B, "reflect")}, scheme(), roles, settings());
    CHECK(events.candidates.empty());
}

TEST_CASE("change events come out as the exact JSON of metrics --json", "[change-events]") {
    ChangeEvents events;
    events.withdrawer_reengagement = 2;
    events.blamer_softening = 1;
    CHECK(to_json(events) == nlohmann::json::parse(R"({"withdrawer_reengagement": 2, "blamer_softening": 1})"));
}

TEST_CASE("roles over several sessions sum each session's counts before deciding", "[change-events]") {
    // Session 1 alone: A pursues 1 : 0, withdraw ruptures tied 0 : 0, so the withdrawer is unknown.
    const CycleRoles first = find_cycle_roles({obs(1, 10, Who::A, "protest")}, scheme());
    REQUIRE_FALSE(first.withdrawer.has_value());
    // Session 2: B withdraws once and pursues once; summed A pursues 1 : 1 (a tie), B withdraws 1 : 0.
    const CycleRoles second =
        find_cycle_roles({obs(2, 10, Who::B, "withdraw_emotion"), obs(3, 20, Who::B, "defensive_anger")}, scheme());
    const CycleRoles both = combine_cycle_roles(first, second);
    CHECK(both.pursue_a == 1);
    CHECK(both.pursue_b == 1);
    CHECK(both.withdraw_b == 1);
    CHECK_FALSE(both.pursuer.has_value());
    CHECK(both.withdrawer == Who::B);
    CHECK(both.unknown_reason == "The pursuer is unknown: the partners are tied on pursue ruptures (1 each).");
    // A third session where A pursues again settles both roles.
    const CycleRoles third = combine_cycle_roles(both, find_cycle_roles({obs(4, 10, Who::A, "protest")}, scheme()));
    CHECK(third.pursuer == Who::A);
    CHECK(third.withdrawer == Who::B);
    CHECK(third.unknown_reason.empty());
}
