#include "core/measures.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <stdexcept>

#include "core/measures_json.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::WithinAbs;

namespace {

// DOMAIN.md's facts, written out here so that these tests do not depend on the asset files.
Instrument csi4() {
    Instrument in;
    in.id = "csi4";
    in.name = "CSI-4";
    in.items = {{0, 6, ""}, {0, 5, ""}, {0, 5, ""}, {0, 5, ""}};
    in.total_min = 0;
    in.total_max = 21;
    in.clinical_cutoff = 13.5;
    return in;  // reliable change not defined
}

Instrument ors() {
    Instrument in;
    in.id = "ors";
    in.name = "ORS";
    in.items = {{0, 10, ""}, {0, 10, ""}, {0, 10, ""}, {0, 10, ""}};
    in.score_decimals = 1;
    in.total_max = 40;
    in.clinical_cutoff = 25;
    in.reliable_change.kind = ReliableChangeRule::Kind::Threshold;
    in.reliable_change.threshold_points = 5;
    in.direct_total = true;
    return in;
}

Instrument srs() {
    Instrument in = ors();
    in.id = "srs";
    in.name = "SRS";
    in.clinical_cutoff.reset();
    in.reliable_change = {};
    in.direct_total = false;
    in.alliance_flag_below = 36;
    return in;
}

// SD 25 and r = 0.5 make the standard error of a difference 25 * sqrt(2 * 0.5) = 25,
// so a change of 49 points is an RCI of exactly 49 / 25 = 1.96.
Instrument rci_scale(bool higher_is_better = true) {
    Instrument in;
    in.id = "practice_scale";
    in.name = "Practice scale";
    in.items = {{0, 100, ""}};
    in.total_max = 100;
    in.higher_is_better = higher_is_better;
    in.clinical_cutoff = 50;
    in.reliable_change.kind = ReliableChangeRule::Kind::Rci;
    in.reliable_change.sd = 25;
    in.reliable_change.reliability = 0.5;
    return in;
}

Measure items(const char* instrument, Who partner, const char* date, std::vector<std::optional<double>> scores,
              RowId id = 0) {
    Measure m;
    m.id = id;
    m.instrument_id = instrument;
    m.partner = partner;
    m.date = date;
    m.items = std::move(scores);
    return m;
}

Measure total(const char* instrument, Who partner, const char* date, double value, RowId id = 0) {
    Measure m = items(instrument, partner, date, {}, id);
    m.entered_total = value;
    return m;
}

InstrumentCatalog catalog() {
    InstrumentCatalog c;
    c.add(csi4());
    c.add(ors());
    c.add(srs());
    return c;
}

}  // namespace

// [SECTION] Entering one administration

TEST_CASE("an item score out of its range is refused with the item number and its range", "[measures]") {
    const Instrument in = csi4();
    // Item 1 takes 0-6, so 6 is fine there and refused for item 3 (0-5).
    CHECK_FALSE(measure_error(items("csi4", Who::A, "2024-03-05", {6, 5, 0, 0}), in));
    CHECK(measure_error(items("csi4", Who::A, "2024-03-05", {6, 5, 6, 0}), in) == "item 3 is 6; it takes 0-5");
    CHECK(measure_error(items("csi4", Who::A, "2024-03-05", {-1, 5, 0, 0}), in) == "item 1 is -1; it takes 0-6");
    CHECK(measure_error(items("csi4", Who::A, "2024-03-05", {1, 2.5, 0, 0}), in) ==
          "item 2 is 2.5; it takes whole numbers");
    // ORS scales are read to one decimal.
    CHECK_FALSE(measure_error(items("ors", Who::A, "2024-03-05", {7.3, 0, 10, 2.1}), ors()));
    CHECK(measure_error(items("ors", Who::A, "2024-03-05", {7.35, 0, 10, 2}), ors()) ==
          "item 1 is 7.35; it takes at most 1 decimal");
}

TEST_CASE("a wrong number of item scores, or none at all, is refused", "[measures]") {
    CHECK(measure_error(items("csi4", Who::A, "2024-03-05", {1, 2, 3, 4, 5}), csi4()) ==
          "CSI-4 has 4 items; 5 scores were given");
    CHECK(measure_error(items("csi4", Who::A, "2024-03-05", {1, 2, 3}), csi4()) ==
          "CSI-4 has 4 items; 3 scores were given");
    CHECK(measure_error(items("csi4", Who::A, "2024-03-05", {std::nullopt, std::nullopt, std::nullopt, std::nullopt}),
                        csi4()) == "no item score was given");
}

TEST_CASE("a direct total is refused where the instrument takes items, or outside the total's range", "[measures]") {
    CHECK(measure_error(total("csi4", Who::B, "2024-03-05", 12), csi4()) ==
          "CSI-4 takes its 4 item scores; a total cannot be entered directly");
    CHECK_FALSE(measure_error(total("ors", Who::B, "2024-03-05", 40), ors()));
    CHECK(measure_error(total("ors", Who::B, "2024-03-05", 40.5), ors()) == "the total is 40.5; it takes 0-40");
    Measure both = total("ors", Who::B, "2024-03-05", 20);
    both.items = {5, 5, 5, 5};
    CHECK(measure_error(both, ors()) == "give the item scores or the total, not both");
}

TEST_CASE("a measure needs partner A or B and a real date", "[measures]") {
    CHECK(measure_error(items("csi4", Who::Both, "2024-03-05", {1, 2, 3, 4}), csi4()) == "the partner must be A or B");
    CHECK(measure_error(items("csi4", Who::A, "2024-02-30", {1, 2, 3, 4}), csi4()) ==
          "the date '2024-02-30' is not a date written yyyy-mm-dd");
    CHECK_FALSE(measure_error(items("csi4", Who::A, "2024-02-29", {1, 2, 3, 4}), csi4()));  // a leap day
    CHECK(measure_error(items("csi4", Who::A, "2023-02-29", {1, 2, 3, 4}), csi4()) ==
          "the date '2023-02-29' is not a date written yyyy-mm-dd");
    CHECK(measure_error(items("csi4", Who::A, "5 March 2024", {1, 2, 3, 4}), csi4()) ==
          "the date '5 March 2024' is not a date written yyyy-mm-dd");
    CHECK(measure_error(items("ors", Who::A, "2024-03-05", {1, 2, 3, 4}), csi4()) ==
          "the measure is for 'ors', not 'csi4'");
}

TEST_CASE("a missing item gives no total; a complete one sums its items", "[measures]") {
    CHECK(measure_total(items("csi4", Who::A, "2024-03-05", {6, 5, 4, 3})) == 18.0);
    const Measure gap = items("csi4", Who::A, "2024-03-05", {6, std::nullopt, 4, 3});
    CHECK_FALSE(measure_error(gap, csi4()));  // a missing item may be entered
    CHECK_FALSE(measure_total(gap));          // but there is no pro-rating
    CHECK(measure_total(total("ors", Who::A, "2024-03-05", 31.5)) == 31.5);
}

TEST_CASE("item scores typed as a list keep the gaps and name a bad item", "[measures]") {
    const auto scores = parse_item_scores(" 3, 4,,-, 5.5 ");
    REQUIRE(scores.size() == 5);
    CHECK(scores[0] == 3.0);
    CHECK(scores[1] == 4.0);
    CHECK_FALSE(scores[2]);
    CHECK_FALSE(scores[3]);
    CHECK(scores[4] == 5.5);
    REQUIRE_THROWS_WITH(parse_item_scores("3,x,4"), "item 2 is 'x', not a number");
    REQUIRE_THROWS_WITH(parse_item_scores("3,4,inf"), "item 3 is 'inf', not a number");
    REQUIRE_THROWS_AS(parse_item_scores("  "), std::invalid_argument);
}

// [SECTION] Clinical range and the alliance flag

TEST_CASE("the clinical range lies strictly below the cut-off; exactly at it is not clinical", "[measures]") {
    CHECK(is_clinical(13, csi4()) == true);
    CHECK(is_clinical(14, csi4()) == false);
    CHECK(is_clinical(24.9, ors()) == true);
    CHECK(is_clinical(25, ors()) == false);
    const Instrument lower_better = rci_scale(false);  // cut-off 50: the clinical range lies above it
    CHECK(is_clinical(51, lower_better) == true);
    CHECK(is_clinical(50, lower_better) == false);
    CHECK_FALSE(is_clinical(10, srs()).has_value());  // no cut-off
}

TEST_CASE("an SRS total below 36 is flagged for an alliance conversation, 36 is not", "[measures]") {
    CHECK(alliance_flag(items("srs", Who::A, "2024-03-05", {9, 9, 9, 8.9}), srs()) == true);  // 35.9
    CHECK(alliance_flag(items("srs", Who::A, "2024-03-05", {9, 9, 9, 9}), srs()) == false);   // 36
    CHECK_FALSE(alliance_flag(items("srs", Who::A, "2024-03-05", {9, 9, 9, std::nullopt}), srs()).has_value());
    CHECK_FALSE(alliance_flag(items("csi4", Who::A, "2024-03-05", {1, 1, 1, 1}), csi4()).has_value());
}

// [SECTION] Reliable change

TEST_CASE("a change of exactly the published threshold is reliable, just under it is not", "[measures]") {
    CHECK(reliable_change(20, 25, ors()).change == ReliableChange::Improved);
    CHECK(reliable_change(20, 24.9, ors()).change == ReliableChange::None);
    // 30.3 - 25.3 is 4.9999999999999982 in binary; it is still a change of 5.
    CHECK(reliable_change(25.3, 30.3, ors()).change == ReliableChange::Improved);
    CHECK(reliable_change(30, 25, ors()).change == ReliableChange::Deteriorated);
    CHECK(reliable_change(30, 25.1, ors()).change == ReliableChange::None);
}

TEST_CASE("the RCI rule needs more than 1.96: exactly 1.96 is no reliable change", "[measures]") {
    const ReliableChangeResult at = reliable_change(10, 59, rci_scale());  // 49 / 25 = 1.96
    REQUIRE(at.rci.has_value());
    CHECK_THAT(*at.rci, WithinAbs(1.96, 1e-12));
    CHECK(at.change == ReliableChange::None);
    const ReliableChangeResult above = reliable_change(10, 60, rci_scale());  // 50 / 25 = 2.0
    CHECK_THAT(*above.rci, WithinAbs(2.0, 1e-12));
    CHECK(above.change == ReliableChange::Improved);
    CHECK(reliable_change(60, 10, rci_scale()).change == ReliableChange::Deteriorated);  // RCI -2
    CHECK(reliable_change(59, 10, rci_scale()).change == ReliableChange::None);          // RCI -1.96
    // Where lower is better a reliable rise is a deterioration.
    CHECK(reliable_change(10, 60, rci_scale(false)).change == ReliableChange::Deteriorated);
}

TEST_CASE("an instrument without threshold or SD reports reliable change as not defined", "[measures]") {
    const ReliableChangeResult result = reliable_change(5, 20, csi4());
    CHECK(result.change == ReliableChange::NotDefined);
    CHECK_FALSE(result.rci.has_value());
    CHECK(to_string(result.change) == "not defined");
}

// [SECTION] Per-case summary

TEST_CASE("recovered needs a reliable improvement and a move out of the clinical range", "[measures]") {
    const InstrumentCatalog instruments = catalog();
    auto summary_of = [&](double first, double latest) {
        const auto summaries = summarize_measures(
            {total("ors", Who::A, "2024-01-10", first), total("ors", Who::A, "2024-03-10", latest)}, instruments);
        REQUIRE(summaries.size() == 1);
        REQUIRE(summaries[0].a.has_value());
        return *summaries[0].a;
    };
    const PartnerMeasureSummary both = summary_of(20, 26);  // +6 reliable, 20 clinical -> 26 not
    CHECK(both.reliable_change.change == ReliableChange::Improved);
    CHECK(both.recovered);
    const PartnerMeasureSummary still_clinical = summary_of(15, 24);  // +9 reliable, 24 still < 25
    CHECK(still_clinical.reliable_change.change == ReliableChange::Improved);
    CHECK(still_clinical.clinical == true);
    CHECK_FALSE(still_clinical.recovered);
    const PartnerMeasureSummary not_reliable = summary_of(23, 26);  // crosses 25, but +3 < 5
    CHECK(not_reliable.clinical == false);
    CHECK(not_reliable.reliable_change.change == ReliableChange::None);
    CHECK_FALSE(not_reliable.recovered);
    const PartnerMeasureSummary never_clinical = summary_of(26, 35);  // reliable, but 26 was not clinical
    CHECK(never_clinical.reliable_change.change == ReliableChange::Improved);
    CHECK_FALSE(never_clinical.recovered);
}

TEST_CASE("first and latest follow the date, then the entry order, and skip measures without a total", "[measures]") {
    // Given out of order: on 2024-03-01 the entry with id 2 came before id 3.
    const std::vector<Measure> given = {
        total("ors", Who::A, "2024-03-01", 30, 3),
        items("ors", Who::A, "2024-04-01", {10, std::nullopt, 10, 10}, 4),  // no total: skipped
        total("ors", Who::A, "2024-01-01", 20, 1),
        total("ors", Who::A, "2024-03-01", 28, 2),
        items("csi4", Who::B, "2024-02-01", {1, 2, 3, 4}, 5),
        items("csi4", Who::B, "2024-02-01", {1, 2, 9, 4}, 6),  // item 3 out of range: left out
    };
    const auto summaries = summarize_measures(given, catalog());
    REQUIRE(summaries.size() == 2);  // catalog order: csi4, ors; srs has no measure
    CHECK(summaries[0].instrument_id == "csi4");
    CHECK_FALSE(summaries[0].a.has_value());
    REQUIRE(summaries[0].b.has_value());
    CHECK(summaries[0].b->measures_with_total == 1);
    CHECK(summaries[0].b->first == 10);
    CHECK(summaries[0].b->change == 0);  // one measure: first = latest
    CHECK(summaries[0].b->reliable_change.change == ReliableChange::NotDefined);
    CHECK(summaries[0].b->clinical == true);  // 10 < 13.5

    REQUIRE(summaries[1].a.has_value());
    const PartnerMeasureSummary& a = *summaries[1].a;
    CHECK(a.measures_with_total == 3);
    CHECK(a.first == 20);
    CHECK(a.first_date == "2024-01-01");
    CHECK(a.latest == 30);  // id 3 after id 2 on the same date
    CHECK(a.latest_date == "2024-03-01");
    CHECK(a.change == 10);
    CHECK(a.recovered);
    CHECK_FALSE(summaries[1].b.has_value());
}

TEST_CASE("measures come out as the exact JSON of metrics --json", "[measures]") {
    const auto summaries = summarize_measures(
        {total("ors", Who::A, "2024-01-10", 20), total("ors", Who::A, "2024-03-10", 26),
         items("csi4", Who::B, "2024-01-10", {3, 3, 3, 3}), items("csi4", Who::B, "2024-02-10", {5, 4, 4, 4})},
        catalog());
    const nlohmann::json expected = nlohmann::json::parse(R"({
      "csi4": {"A": null,
               "B": {"first": 12.0, "latest": 17.0, "change": 5.0, "reliable_change": null,
                     "clinical": false, "recovered": false}},
      "ors": {"A": {"first": 20.0, "latest": 26.0, "change": 6.0, "reliable_change": "improved",
                    "clinical": false, "recovered": true},
              "B": null}})");
    CHECK(measures_json(summaries) == expected);
}

TEST_CASE("one administration lists with its total, clinical range and alliance flag", "[measures]") {
    Measure m = items("srs", Who::B, "2024-03-05", {9, 9, 9, 8}, 7);
    m.session_number = 4;
    const Instrument in = srs();
    const nlohmann::json j = measure_json(m, &in);
    CHECK(j["partner"] == "B");
    CHECK(j["session"] == 4);
    CHECK(j["items"] == nlohmann::json::array({9.0, 9.0, 9.0, 8.0}));
    CHECK(j["total"] == 35.0);
    CHECK(j["total_entered"] == false);
    CHECK(j["clinical"].is_null());
    CHECK(j["alliance_flag"] == true);
}

// [SECTION] Not on track, version 2

TEST_CASE("not on track fires on reliable deterioration and names the partner and instrument", "[measures]") {
    const auto summaries =
        summarize_measures({total("ors", Who::B, "2024-01-10", 30), total("ors", Who::B, "2024-02-10", 33),
                            total("ors", Who::B, "2024-03-10", 24.5), total("ors", Who::A, "2024-01-10", 30),
                            total("ors", Who::A, "2024-03-10", 26)},
                           catalog());
    const NotOnTrack flag = not_on_track_v2(CaseTrends{}, summaries);
    REQUIRE(flag.flagged);
    CHECK_FALSE(flag.process_rule);
    REQUIRE(flag.deteriorations.size() == 1);  // A fell by 4 only
    CHECK(flag.deteriorations[0].partner == Who::B);
    CHECK(flag.reason ==
          "Couple-reported measures: partner B's ORS total fell reliably from 30 to 24.5 (2024-01-10 to 2024-03-10).");
}

TEST_CASE("not on track keeps the version-1 rule and names both rules when both fire", "[measures]") {
    CaseTrends trends;
    trends.not_on_track = true;
    trends.not_on_track_reason = "Repair rate is falling.";
    const NotOnTrack process_only = not_on_track_v2(trends, {});
    CHECK(process_only.flagged);
    CHECK(process_only.reason == "Coded process: Repair rate is falling.");

    const auto summaries = summarize_measures(
        {items("practice_scale", Who::A, "2024-01-10", {10}), items("practice_scale", Who::A, "2024-02-10", {60})}, [] {
            InstrumentCatalog c;
            c.add(rci_scale(false));
            return c;
        }());
    const NotOnTrack both = not_on_track_v2(trends, summaries);
    CHECK(both.process_rule);
    CHECK(both.reason ==
          "Coded process: Repair rate is falling. Couple-reported measures: partner A's Practice scale total rose "
          "reliably from 10 to 60 (2024-01-10 to 2024-02-10; lower is better).");

    const NotOnTrack neither = not_on_track_v2(CaseTrends{}, {});
    CHECK_FALSE(neither.flagged);
    CHECK(neither.reason.empty());
}
