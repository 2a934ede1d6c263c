// instrument.h: a couple-reported instrument (a questionnaire) as data,
// "Couple-reported measures (version 2)" in shared DOMAIN.md.
//
// The shipped instruments live in assets/instruments/<id>.json; a practice
// may add its own files, parsed and validated the same way
// (core/instrument_json.h). Only scores are data: item wording is carried
// only where the file's author may use it (Attune's own check-in, or a
// practice's own file), never for a published instrument we ship.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace attune {

// A bad instrument file (or a clash between files). The message names the
// file's field, e.g. "items[2].max: must be a number"; io adds the file name.
class InstrumentFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One item's scoring-key range, inclusive.
struct InstrumentItem {
    double min = 0;
    double max = 0;
    std::string text;  // wording shown to a partner; empty for published instruments
};

// A labelled point of the answer scale, e.g. 0 "Not at all" (for entry screens).
struct ScaleAnchor {
    int score = 0;
    std::string label;
};

// How reliable change is decided between a partner's first and latest total.
struct ReliableChangeRule {
    enum class Kind { NotDefined, Threshold, Rci };
    Kind kind = Kind::NotDefined;
    double threshold_points = 0;  // Threshold: |x2 - x1| >= threshold_points
    double sd = 0;                // Rci: the instrument's standard deviation, in total points
    double reliability = 0;       // Rci: r, 0 <= r < 1
};

struct Instrument {
    std::string id;    // stable machine id, e.g. "csi4"
    std::string name;  // shown to the clinician
    // False for Attune's own check-in (and any practice file saying so): the UI
    // labels it "not a validated instrument".
    bool validated = true;
    std::string notes;         // the file's own explanation of its scoring; may be empty
    std::string instructions;  // shown above the items in the partner's view; may be empty
    std::vector<InstrumentItem> items;
    std::vector<ScaleAnchor> anchors;  // may be empty
    int score_decimals = 0;            // decimals an item score (and a direct total) may have: 0 or 1
    bool higher_is_better = true;
    double total_min = 0;
    double total_max = 0;
    std::optional<double> clinical_cutoff;  // none: "not defined" in the file
    ReliableChangeRule reliable_change;
    bool direct_total = false;                  // totals may be entered without items
    std::optional<double> alliance_flag_below;  // srs: a total below this is flagged

    int item_count() const { return static_cast<int>(items.size()); }
};

// The instruments a practice can use: the shipped files and its own.
class InstrumentCatalog {
public:
    // Throws InstrumentFormatError ("id: 'csi4' is used by another instrument
    // file") when the id is taken: a practice file cannot replace a shipped one.
    void add(Instrument instrument);
    const Instrument* find(std::string_view id) const;
    const std::vector<Instrument>& all() const { return instruments_; }

private:
    std::vector<Instrument> instruments_;  // in the order added
};

// True when `x` has at most `decimals` decimals (0.1 is not exact in binary,
// so "7.3" passes for 1 decimal).
bool has_decimals_at_most(double x, int decimals);

// "0-5", "0-10" or "0-6.5": an inclusive range as the messages show it.
std::string format_range(double min, double max);

}  // namespace attune
