// change_events.cpp: see change_events.h for the decisions DOMAIN.md leaves open.
#include "core/change_events.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>

namespace attune {
namespace {

// As in metrics.cpp: times closer than this are one instant.
constexpr double kSameInstantS = 1e-6;

struct Coded {
    const Observation* obs;
    const Code* code;
};

std::vector<Coded> usable_in_time_order(const std::vector<Observation>& observations, const CodingScheme& scheme) {
    std::vector<Coded> out;
    for (const Observation& obs : observations) {
        if (obs.deleted || !std::isfinite(obs.t)) continue;
        const Code* code = scheme.find(obs.code_id);
        if (code && !is_therapist_code(*code)) out.push_back({&obs, code});
    }
    std::sort(out.begin(), out.end(), [](const Coded& x, const Coded& y) {
        if (x.obs->t != y.obs->t) return x.obs->t < y.obs->t;
        return x.obs->id < y.obs->id;
    });
    return out;
}

bool is_one_of(const std::string& id, std::initializer_list<const char*> ids) {
    return std::any_of(ids.begin(), ids.end(), [&](const char* candidate) { return id == candidate; });
}

bool reengagement_antecedent(const Code& code) {
    return is_one_of(code.id, {"vulnerable_share", "need_closeness"});
}
bool reengagement_answer(const Code& code) {
    return code.polarity == Polarity::Repair;
}
bool softening_antecedent(const Code& code) {
    return is_one_of(code.id, {"need_closeness", "vulnerable_share"}) || code.id.rfind("msg_", 0) == 0;
}
bool softening_answer(const Code& code) {
    return is_one_of(code.id, {"reassure", "validate", "reflect", "accept_repair"});
}

std::string who_name(Who who) {
    return std::string("partner ") + std::string(to_string(who));
}

}  // namespace

CycleRoles find_cycle_roles(const std::vector<Observation>& observations_so_far, const CodingScheme& scheme) {
    int pursue_a = 0, pursue_b = 0, withdraw_a = 0, withdraw_b = 0;
    for (const Coded& c : usable_in_time_order(observations_so_far, scheme)) {
        if (c.code->polarity != Polarity::Rupture) continue;
        const Who who = c.obs->who;
        if (who != Who::A && who != Who::B) continue;  // `both` counts for neither partner
        if (c.code->cycle_role == CycleRole::Pursue) ++(who == Who::A ? pursue_a : pursue_b);
        if (c.code->cycle_role == CycleRole::Withdraw) ++(who == Who::A ? withdraw_a : withdraw_b);
    }
    return cycle_roles_from_counts(pursue_a, pursue_b, withdraw_a, withdraw_b);
}

CycleRoles combine_cycle_roles(const CycleRoles& earlier, const CycleRoles& session) {
    return cycle_roles_from_counts(earlier.pursue_a + session.pursue_a, earlier.pursue_b + session.pursue_b,
                                   earlier.withdraw_a + session.withdraw_a, earlier.withdraw_b + session.withdraw_b);
}

CycleRoles cycle_roles_from_counts(int pursue_a, int pursue_b, int withdraw_a, int withdraw_b) {
    CycleRoles roles;
    roles.pursue_a = pursue_a;
    roles.pursue_b = pursue_b;
    roles.withdraw_a = withdraw_a;
    roles.withdraw_b = withdraw_b;
    auto more = [](int a, int b) -> std::optional<Who> {
        if (a > b) return Who::A;
        if (b > a) return Who::B;
        return std::nullopt;
    };
    roles.pursuer = more(roles.pursue_a, roles.pursue_b);
    roles.withdrawer = more(roles.withdraw_a, roles.withdraw_b);
    if (roles.pursuer && roles.pursuer == roles.withdrawer) {
        roles.unknown_reason = "Pursuer and withdrawer are unknown: " + who_name(*roles.pursuer) +
                               " has more pursue ruptures and more withdraw ruptures.";
        roles.pursuer.reset();
        roles.withdrawer.reset();
    } else if (!roles.pursuer && !roles.withdrawer) {
        roles.unknown_reason = "Pursuer and withdrawer are unknown: the partners are tied on pursue ruptures (" +
                               std::to_string(roles.pursue_a) + " each) and on withdraw ruptures (" +
                               std::to_string(roles.withdraw_a) + " each).";
    } else if (!roles.pursuer) {
        roles.unknown_reason = "The pursuer is unknown: the partners are tied on pursue ruptures (" +
                               std::to_string(roles.pursue_a) + " each).";
    } else if (!roles.withdrawer) {
        roles.unknown_reason = "The withdrawer is unknown: the partners are tied on withdraw ruptures (" +
                               std::to_string(roles.withdraw_a) + " each).";
    }
    return roles;
}

std::string_view to_string(ChangeEventKind kind) {
    return kind == ChangeEventKind::WithdrawerReengagement ? "withdrawer_reengagement" : "blamer_softening";
}

std::string ChangeEventCandidate::key() const {
    const std::string prefix = std::string(to_string(kind)) + ":";
    return antecedent_uuid.empty() ? prefix + "id:" + std::to_string(antecedent_id) : prefix + antecedent_uuid;
}

ChangeEvents detect_change_events(const std::vector<Observation>& session_observations, const CodingScheme& scheme,
                                  const CycleRoles& roles, const MetricSettings& settings) {
    ChangeEvents out;
    out.roles = roles;
    if (!roles.known()) return out;  // a tie or one partner in both roles: nothing is detected
    const Who pursuer = *roles.pursuer;
    const Who withdrawer = *roles.withdrawer;
    const std::vector<Coded> coded = usable_in_time_order(session_observations, scheme);

    // The earliest observation after coded[i] by `partner` that `answers`, within (t, t + R].
    auto answer_to = [&](size_t i, Who partner, bool (*answers)(const Code&)) -> const Coded* {
        const double t = coded[i].obs->t;
        for (size_t j = i + 1; j < coded.size(); ++j) {
            const double tj = coded[j].obs->t;
            if (tj > t + settings.answer_window_s + kSameInstantS) break;
            if (tj > t + kSameInstantS && coded[j].obs->who == partner && answers(*coded[j].code)) return &coded[j];
        }
        return nullptr;
    };
    auto add = [&](ChangeEventKind kind, const Coded& antecedent, const Coded& answer) {
        ChangeEventCandidate c;
        c.kind = kind;
        c.by = antecedent.obs->who;
        c.antecedent_id = antecedent.obs->id;
        c.antecedent_uuid = antecedent.obs->uuid;
        c.antecedent_code = antecedent.code->id;
        c.antecedent_t = antecedent.obs->t;
        c.consequent_id = answer.obs->id;
        c.consequent_uuid = answer.obs->uuid;
        c.consequent_code = answer.code->id;
        c.consequent_t = answer.obs->t;
        out.candidates.push_back(c);
        ++(kind == ChangeEventKind::WithdrawerReengagement ? out.withdrawer_reengagement : out.blamer_softening);
    };

    for (size_t i = 0; i < coded.size(); ++i) {
        const Who who = coded[i].obs->who;  // `both` is neither role's partner
        const Code& code = *coded[i].code;
        if (who == withdrawer && reengagement_antecedent(code))
            if (const Coded* answer = answer_to(i, pursuer, reengagement_answer))
                add(ChangeEventKind::WithdrawerReengagement, coded[i], *answer);
        if (who == pursuer && softening_antecedent(code))
            if (const Coded* answer = answer_to(i, withdrawer, softening_answer))
                add(ChangeEventKind::BlamerSoftening, coded[i], *answer);
    }
    return out;
}

nlohmann::json to_json(const ChangeEvents& events) {
    return {{"withdrawer_reengagement", events.withdrawer_reengagement}, {"blamer_softening", events.blamer_softening}};
}

}  // namespace attune
