// eft_steps.h: EFT's nine steps by name, each in its stage (DOMAIN.md,
// "EFT stages": 1 de-escalation, steps 1-4; 2 restructuring, steps 5-7;
// 3 consolidation, steps 8-9). The names are Attune's own short labels for
// the window's step choice, not quotations.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace attune {

struct EftStep {
    int number = 0;  // 1-9
    int stage = 0;   // 1-3
    const char* name = "";
};

// All nine, in order.
const std::vector<EftStep>& eft_steps();
// The steps of `stage` (1-3); every step when there is no stage.
std::vector<EftStep> eft_steps_of_stage(std::optional<int> stage);
// The stage a step belongs to; nullopt outside 1-9.
std::optional<int> eft_stage_of_step(int step);
// "Owning attachment needs and fears"; "" outside 1-9.
const char* eft_step_name(int step);
// "5 Owning attachment needs and fears"; "" outside 1-9.
std::string eft_step_label(int step);

}  // namespace attune
