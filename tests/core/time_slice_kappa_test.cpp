// BORIS's time-slice kappa (core/time_slice_kappa.h) next to Attune's
// event-based kappa (core/agreement.h), on hand-computed sessions.
#include "core/time_slice_kappa.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>

#include "core/agreement.h"

using namespace attune;
using Catch::Matchers::WithinAbs;

namespace {

Observation point(double t, Who who, const char* code) {
    Observation o;
    o.t = t;
    o.who = who;
    o.code_id = code;
    return o;
}

Observation state(double t, double stop, Who who, const char* code) {
    Observation o = point(t, who, code);
    o.kind = EventKind::State;
    o.stop = stop;
    return o;
}

}  // namespace

TEST_CASE("identical codings give kappa 1 in both Attune's and BORIS's way") {
    const std::vector<Observation> coding = {point(10, Who::A, "validate"), state(12, 18, Who::B, "shut_down"),
                                             point(20, Who::B, "reflect")};
    REQUIRE_THAT(*compute_agreement(coding, coding).kappa, WithinAbs(1.0, 1e-12));
    const TimeSliceAgreement slices = compute_time_slice_agreement(coding, coding, 1);
    REQUIRE_THAT(*slices.kappa, WithinAbs(1.0, 1e-12));
    REQUIRE(slices.slices == 11);  // 10, 11, ..., 20
    REQUIRE(slices.items == 22);   // two people coded
    REQUIRE(slices.agreements == 22);
}

TEST_CASE("the same moments with every code different: negative for Attune, positive for BORIS") {
    // Rater A: validate at 10, reflect at 20; rater B the other way round; both about partner A.
    const std::vector<Observation> a = {point(10, Who::A, "validate"), point(20, Who::A, "reflect")};
    const std::vector<Observation> b = {point(10, Who::A, "reflect"), point(20, Who::A, "validate")};

    // Attune: two matched pairs, both disagreeing. Rows validate 1, reflect 1; columns reflect 1,
    // validate 1: p_o = 0, p_e = (1*1 + 1*1) / 4 = 0.5, kappa = (0 - 0.5) / (1 - 0.5) = -1.
    const AgreementResult events = compute_agreement(a, b);
    REQUIRE(events.matched == 2);
    REQUIRE_THAT(*events.kappa, WithinAbs(-1.0, 1e-12));

    // BORIS, 1 s slices at 10..20: 11 items for partner A. At 10 {validate}/{reflect}, at 20
    // {reflect}/{validate}, the 9 between {}/{}. Rows {} 9, {validate} 1, {reflect} 1, the same
    // columns: E = (81 + 1 + 1) / 11 = 83/11; kappa = (9 - 83/11) / (11 - 83/11) = 16/38.
    const TimeSliceAgreement slices = compute_time_slice_agreement(a, b, 1);
    REQUIRE(slices.slices == 11);
    REQUIRE(slices.items == 11);
    REQUIRE(slices.agreements == 9);
    REQUIRE(slices.empty_agreements == 9);
    REQUIRE_THAT(*slices.kappa, WithinAbs(16.0 / 38.0, 1e-12));
    REQUIRE(*slices.kappa > *events.kappa);
}

TEST_CASE("a point counts within half a slice of an instant and a state through its whole span") {
    // 2 s slices from 0: instants 0, 2, 4, 6. A's point at 2.9 is within 1 s of the instant 2,
    // and its state 0-4 covers 0, 2 and 4. B has the state only.
    const std::vector<Observation> a = {state(0, 4, Who::B, "shut_down"), point(2.9, Who::B, "protest")};
    const std::vector<Observation> b = {state(0, 6, Who::B, "shut_down")};
    const TimeSliceAgreement r = compute_time_slice_agreement(a, b, 2);
    REQUIRE(r.slices == 4);  // 0, 2, 4, 6 (B's stop)
    // 0: {s}/{s}; 2: {protest, s}/{s}; 4: {s}/{s}; 6: {}/{s}.
    REQUIRE(r.agreements == 2);
    REQUIRE(r.empty_agreements == 0);
    // Rows {s} 2, {protest,s} 1, {} 1; columns {s} 4: E = 2*4/4 = 2; kappa = (2 - 2) / (4 - 2) = 0.
    REQUIRE_THAT(*r.kappa, WithinAbs(0.0, 1e-12));
}

TEST_CASE("nothing coded by either rater gives no time-slice kappa") {
    const TimeSliceAgreement r = compute_time_slice_agreement({}, {}, 1);
    REQUIRE_FALSE(r.kappa);
    REQUIRE(r.items == 0);
}

TEST_CASE("as in BORIS, the same code of two subjects is two categories of the time-slice kappa") {
    // One instant (0), two subjects: rater A coded partner A's reflect, rater B partner B's.
    // Items (0, A): {A reflect} / {}; (0, B): {} / {B reflect}. Rows {A reflect} 1, {} 1; columns
    // {} 1, {B reflect} 1: E = 1*1 / 2 = 0.5; kappa = (0 - 0.5) / (2 - 0.5) = -1/3. (Were reflect
    // one category for both, E would be 1 and kappa -1.)
    const TimeSliceAgreement r =
        compute_time_slice_agreement({point(0, Who::A, "reflect")}, {point(0, Who::B, "reflect")}, 1);
    REQUIRE(r.items == 2);
    REQUIRE(r.agreements == 0);
    REQUIRE_THAT(*r.kappa, WithinAbs(-1.0 / 3.0, 1e-12));
}
