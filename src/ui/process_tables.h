// process_tables.h: the version-2 tables the case view and the review share:
// the lag-1 sequences between the partners (Yule's Q and z, |z| >= 1.96
// marked), the couple-reported measures' summary and the list of each
// measure (with its clinician's Correct... and Remove...), and how a partner
// is named in them. They draw from what is in memory (core structs); no query.
#pragma once

#include <optional>
#include <string>

#include "core/case_metrics.h"
#include "core/model.h"
#include "core/sequences.h"

namespace attune::ui {

// "Ana (A)", or "Partner A (A)" when the partner has no name.
std::string partner_label(const Case& c, Who who);

// Both directions, one table each: a row per antecedent category X of the
// first partner, a column per consequent category Y of the other; a cell reads
// "a/n z" (X followed by Y a times of X's n) and is tinted and starred when
// |z| >= 1.96. Q and the whole 2 x 2 table are in the cell's tooltip.
void draw_lag_tables(const char* id, const SequenceAnalysis& analysis, const Case& c);

// What met an attachment signal within C, both directions: "After an
// attachment signal (n): repair r, rupture u, ..." (the pursue->withdraw
// chart's context).
void draw_signal_context(const SequenceAnalysis& analysis);

// First and latest total per partner and instrument, change, reliable change
// (or "not defined" for an instrument without one), clinical range and recovered.
void draw_measure_summary(const char* id, const CaseMeasures& measures, const Case& c);

// What a row of the administrations' table asks for.
struct MeasureRowAction {
    enum class Kind { Correct, Remove };
    Kind kind = Kind::Correct;
    Measure measure;
};
// Every administration, one row each in date order: date, partner, instrument,
// session and total ("no total" with a missing item). With `editable` (the
// case's clinician) each row has Correct... and Remove... buttons; the one
// clicked this frame is returned.
std::optional<MeasureRowAction> draw_measure_administrations(const char* id, const CaseMeasures& measures,
                                                             const Case& c, bool editable);

}  // namespace attune::ui
