#include "core/eft_steps.h"

namespace attune {

const std::vector<EftStep>& eft_steps() {
    static const std::vector<EftStep> steps = {
        {1, 1, "Alliance and assessment"},
        {2, 1, "Tracking the negative cycle"},
        {3, 1, "Reaching the emotions under each position"},
        {4, 1, "Seeing the problem as the cycle"},
        {5, 2, "Owning attachment needs and fears"},
        {6, 2, "Accepting the partner's new side"},
        {7, 2, "Asking for needs: re-engaging, softening"},
        {8, 3, "New solutions to old problems"},
        {9, 3, "Consolidating the new positions"},
    };
    return steps;
}

std::vector<EftStep> eft_steps_of_stage(std::optional<int> stage) {
    std::vector<EftStep> out;
    for (const EftStep& s : eft_steps())
        if (!stage || s.stage == *stage) out.push_back(s);
    return out;
}

std::optional<int> eft_stage_of_step(int step) {
    if (step < 1 || step > 9) return std::nullopt;
    return eft_steps()[static_cast<std::size_t>(step - 1)].stage;
}

const char* eft_step_name(int step) {
    if (step < 1 || step > 9) return "";
    return eft_steps()[static_cast<std::size_t>(step - 1)].name;
}

std::string eft_step_label(int step) {
    if (step < 1 || step > 9) return "";
    return std::to_string(step) + " " + eft_step_name(step);
}

}  // namespace attune
