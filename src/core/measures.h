// measures.h: couple-reported measures, "Couple-reported measures (version 2)"
// in shared DOMAIN.md: validation of one administration, totals, clinical
// range, reliable change, recovery, the per-case summary, the SRS alliance
// flag and the version-2 "Not on track" flag. Pure functions.
//
// Decisions the definitions leave open (each is also commented where it acts):
// - Exactly at the cut-off is NOT clinical: the clinical range is strictly
//   below the cut-off (strictly above when lower is better). The shipped CSI
//   cut-offs are .5 values, so whole totals never sit on them; ORS's 25 does.
// - First and latest are the partner's first and latest measures on the
//   instrument that HAVE a total (a measure with a missing item has none and is
//   skipped), in date order, ties by entry order (id, then the order given).
// - With one measure, first = latest, change = 0 and reliable change "none".
// - Reliable change compares with a tolerance of 1e-9 points, so a change of
//   exactly the threshold counts even when decimals make 30.3 - 25.3 come out
//   as 4.9999999; the RCI must exceed 1.96 by more than 1e-9.
// - RCI's standard error is computed as SD * sqrt(2 * (1 - r)), which equals
//   DOMAIN.md's SD * sqrt(2) * sqrt(1 - r) but is exact for r = 0.5.
// - Clinical and recovered need a cut-off: without one "clinical" is none and
//   "recovered" false. Recovered also needs a defined reliable change.
// - Measures of an unknown instrument, or that fail validation, are left out
//   of the summary (they are refused on entry; the store may hold old ones).
// - An administration with no item score and no total is refused.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/instrument.h"
#include "core/metrics.h"
#include "core/model.h"

namespace attune {

// One administration of an instrument to one partner.
struct Measure {
    RowId id = 0;  // 0 until stored; entry order among measures of one date
    std::string uuid;
    RowId case_id = 0;
    std::string instrument_id;
    Who partner = Who::A;  // A or B only
    std::string date;      // yyyy-mm-dd
    std::optional<RowId> session_id;
    std::optional<int> session_number;  // for display; the session it was given at
    // One entry per item in item order, in the instrument's scoring-key numbers;
    // none for a missing item. Empty when the total was entered directly.
    std::vector<std::optional<double>> items;
    std::optional<double> entered_total;  // only where the instrument allows it
};

// One plain sentence saying what is wrong, or none when the measure is valid,
// e.g. "item 3 is 7; it takes 0-5".
std::optional<std::string> measure_error(const Measure& measure, const Instrument& instrument);

// "3,4,,5" or "3,4,-,5" -> {3, 4, none, 5}; spaces around a score are
// ignored. Throws std::invalid_argument with a sentence naming the item
// ("item 2 is 'x', not a number"). Ranges are checked by measure_error.
std::vector<std::optional<double>> parse_item_scores(std::string_view text);

// The sum of the items, the entered total, or none (a missing item: no pro-rating).
// Assumes a measure that passed measure_error.
std::optional<double> measure_total(const Measure& measure);

// True when `total` lies in the clinical range; none without a cut-off.
std::optional<bool> is_clinical(double total, const Instrument& instrument);

// SRS: true when the total is below the alliance threshold; none when the
// instrument has no such flag or the measure no total.
std::optional<bool> alliance_flag(const Measure& measure, const Instrument& instrument);

// [SECTION] Reliable change

enum class ReliableChange { Improved, Deteriorated, None, NotDefined };
std::string_view to_string(ReliableChange change);  // "improved","deteriorated","none","not defined"

struct ReliableChangeResult {
    ReliableChange change = ReliableChange::NotDefined;
    std::optional<double> rci;  // the index, for the RCI rule only
};

ReliableChangeResult reliable_change(double first, double latest, const Instrument& instrument);

// [SECTION] Per-case summary

struct PartnerMeasureSummary {
    int measures_with_total = 0;  // how many administrations the two numbers are taken from
    double first = 0;
    double latest = 0;
    double change = 0;  // latest - first
    std::string first_date;
    std::string latest_date;
    ReliableChangeResult reliable_change;
    std::optional<bool> first_clinical;  // none without a cut-off
    std::optional<bool> clinical;        // of the latest; none without a cut-off
    bool recovered = false;              // reliably improved and clinical -> not clinical
};

struct InstrumentSummary {
    std::string instrument_id;
    std::string instrument_name;
    bool higher_is_better = true;
    std::optional<PartnerMeasureSummary> a;  // none when partner A has no measure with a total
    std::optional<PartnerMeasureSummary> b;
};

// Stable sort by date, then id (entry order); the order given breaks what remains.
std::vector<Measure> in_date_order(std::vector<Measure> measures);

// One entry per instrument that has at least one measure with a total, in
// catalog order.
std::vector<InstrumentSummary> summarize_measures(const std::vector<Measure>& measures,
                                                  const InstrumentCatalog& catalog);

// [SECTION] Not on track, version 2

struct MeasureDeterioration {
    std::string instrument_id;
    std::string instrument_name;
    Who partner = Who::A;
    double first = 0;
    double latest = 0;
    std::string first_date;
    std::string latest_date;
};

struct NotOnTrack {
    bool flagged = false;
    bool process_rule = false;                         // the version-1 rule (compute_trends) fired
    std::vector<MeasureDeterioration> deteriorations;  // the measures rule, one per partner and instrument
    std::string reason;                                // names every rule that fired; empty when on track
};

// DOMAIN.md "Not on track (version 2)": the version-1 result of compute_trends,
// or reliable deterioration from first to latest of either partner on any instrument.
NotOnTrack not_on_track_v2(const CaseTrends& trends, const std::vector<InstrumentSummary>& measures);

}  // namespace attune
