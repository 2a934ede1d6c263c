// change_events.h: EFT's stage-2 change events as candidates for the
// therapist to confirm or reject, "Change events (version 2)" in shared DOMAIN.md.
//
// Decisions the definition leaves open (each is also commented where it acts):
// - Roles count `pursue` and `withdraw` ruptures by A and by B only; one coded
//   for `both` counts for neither partner (as in the version-1 sequences).
//   0 against 0 is a tie: the role is unknown.
// - An antecedent or consequent must be by the partner the rule names: an
//   observation by `both` is neither the withdrawer's nor the pursuer's.
// - "Counted once, at its first observation": one qualifying antecedent is one
//   candidate however many answers follow it; it is placed at the antecedent's
//   time and paired with the earliest answer (lower id on a tie). Two
//   antecedents answered by the same observation are two candidates.
// - `msg_*` means a code whose id starts with "msg_" (the default scheme's
//   attachment messages); codes are compared by their stable ids.
// - Windows are (t, t + R] with R the answer window; times closer than 1
//   microsecond are one instant, as in metrics.cpp.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/metrics.h"
#include "core/model.h"
#include "core/scheme.h"

namespace attune {

// Who pursues and who withdraws, over all of a case's sessions so far.
struct CycleRoles {
    int pursue_a = 0;  // `pursue` ruptures by A
    int pursue_b = 0;
    int withdraw_a = 0;  // `withdraw` ruptures by A
    int withdraw_b = 0;
    std::optional<Who> pursuer;  // none on a tie, or when one partner is both
    std::optional<Who> withdrawer;
    std::string unknown_reason;  // one sentence when a role is unknown; empty when both are known
    bool known() const { return pursuer.has_value() && withdrawer.has_value(); }
};

// `observations_so_far`: every session of the case up to the one being looked
// at, concatenated (deleted ones are skipped).
CycleRoles find_cycle_roles(const std::vector<Observation>& observations_so_far, const CodingScheme& scheme);
// The roles decided from counts alone (the rule of find_cycle_roles).
CycleRoles cycle_roles_from_counts(int pursue_a, int pursue_b, int withdraw_a, int withdraw_b);
// The roles over `earlier` sessions and one more, counts summed: how a case's
// roles "so far" are kept when its sessions are coded with different scheme
// versions (each session counted with its own scheme).
CycleRoles combine_cycle_roles(const CycleRoles& earlier, const CycleRoles& session);

enum class ChangeEventKind { WithdrawerReengagement, BlamerSoftening };
std::string_view to_string(ChangeEventKind kind);  // "withdrawer_reengagement","blamer_softening"

struct ChangeEventCandidate {
    ChangeEventKind kind = ChangeEventKind::WithdrawerReengagement;
    Who by = Who::A;  // the antecedent's partner (the withdrawer, or the pursuer)
    RowId antecedent_id = 0;
    std::string antecedent_uuid;
    std::string antecedent_code;
    double antecedent_t = 0;  // session-clock seconds; the candidate's place on the timeline
    RowId consequent_id = 0;
    std::string consequent_uuid;
    std::string consequent_code;
    double consequent_t = 0;
    // "<kind>:<antecedent uuid>" ("<kind>:id:<id>" without a uuid): stable
    // across recomputation, for storing the therapist's confirm or reject.
    std::string key() const;
};

struct ChangeEvents {
    CycleRoles roles;
    std::vector<ChangeEventCandidate> candidates;  // in antecedent time order
    int withdrawer_reengagement = 0;
    int blamer_softening = 0;
};

// One session's observations (any order) with the case's roles so far.
// Nothing is detected unless both roles are known.
ChangeEvents detect_change_events(const std::vector<Observation>& session_observations, const CodingScheme& scheme,
                                  const CycleRoles& roles, const MetricSettings& settings);

// {"withdrawer_reengagement": n, "blamer_softening": n}
nlohmann::json to_json(const ChangeEvents& events);

}  // namespace attune
