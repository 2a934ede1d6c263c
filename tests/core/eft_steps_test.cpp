// EFT's steps named and offered by stage (issue 18 item 15; DOMAIN.md "EFT
// stages": 1 de-escalation steps 1-4, 2 restructuring 5-7, 3 consolidation 8-9).
#include <catch2/catch_test_macros.hpp>

#include "core/eft_steps.h"

using namespace attune;

namespace {

std::vector<int> numbers(const std::vector<EftStep>& steps) {
    std::vector<int> out;
    for (const EftStep& s : steps) out.push_back(s.number);
    return out;
}

}  // namespace

TEST_CASE("each stage offers its own steps; no stage offers all nine", "[eft_steps]") {
    CHECK(numbers(eft_steps_of_stage(1)) == std::vector<int>{1, 2, 3, 4});
    CHECK(numbers(eft_steps_of_stage(2)) == std::vector<int>{5, 6, 7});
    CHECK(numbers(eft_steps_of_stage(3)) == std::vector<int>{8, 9});
    CHECK(numbers(eft_steps_of_stage(std::nullopt)) == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9});
    CHECK(eft_steps_of_stage(4).empty());
}

TEST_CASE("a step knows its stage and has a name; numbers outside 1-9 have neither", "[eft_steps]") {
    CHECK(eft_stage_of_step(4) == 1);
    CHECK(eft_stage_of_step(5) == 2);
    CHECK(eft_stage_of_step(9) == 3);
    CHECK_FALSE(eft_stage_of_step(0).has_value());
    CHECK_FALSE(eft_stage_of_step(10).has_value());
    CHECK(eft_step_label(5) == "5 Owning attachment needs and fears");
    CHECK(std::string(eft_step_name(2)) == "Tracking the negative cycle");
    CHECK(eft_step_label(10).empty());
}
