// demo_internal.h: private to the demo generator (demo.cpp, demo_events.cpp,
// demo_text.cpp). Nothing here is part of Attune's API.
#pragma once

#include "core/model.h"
#include "core/scheme.h"

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace attune::services::demo {

// [SECTION] Random numbers that are the same on every platform
// std::mt19937_64's output is fixed by the standard; the distributions are
// not, so every draw below is plain integer arithmetic on that output.
class Random {
public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}
    std::uint64_t next() { return engine_(); }
    // Uniform in [0, 1), from the top 53 bits.
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform in lo..hi inclusive; the modulo bias is below 2^-40 for our ranges.
    int between(int lo, int hi) {
        return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    std::size_t index(std::size_t size) { return static_cast<std::size_t>(next() % size); }
    bool chance(double probability) { return unit() < probability; }
    template <typename T>
    const T& pick(const std::vector<T>& items) { return items[index(items.size())]; }

private:
    std::mt19937_64 engine_;
};

// A well-mixed seed for one stream (case k, purpose p) of a demo seed, so that
// a case's content does not depend on how many cases come before it.
std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0);

// [SECTION] Dates (proleptic Gregorian, integer only)
std::int64_t days_from_iso(const std::string& iso);  // "2026-03-01" -> days since 1970-01-01; throws on bad text
std::string iso_from_days(std::int64_t days);

// [SECTION] One session's observations
struct SessionShape {
    Who pursuer = Who::A;   // the withdrawer is the other partner
    double health = 0;      // 0 = the cycle runs the session, 1 = de-escalated and connected
    int stage = 1;          // EFT stage 1-3: shifts the therapist's moves and who signals
    int events = 60;        // observations to generate (exactly)
    int length_tenths = 0;  // session-clock length in tenths of a second
    bool leave_open = false;  // running session: end with the withdrawer's shut-down still open
    RowId rater_id = 0;
};

// Observations in time order. Times are whole tenths of a second; every state
// event has a stop within the session unless it is the one left open.
std::vector<Observation> generate_events(Random& random, const CodingScheme& scheme, const SessionShape& shape);

// A second rater's independent coding of the same session: mostly the same
// codes at slightly different times, with some misses, swaps and additions.
std::vector<Observation> second_coding(Random& random, const CodingScheme& scheme,
                                       const std::vector<Observation>& first, RowId rater_id, double length_seconds);

// Code ids the generator uses; the scheme must have every one of them.
const std::vector<std::string>& codes_used();

// What happened in a session, counted from its observations for the notes.
struct SessionFacts {
    int ruptures = 0;
    int repairs = 0;
    int cycles = 0;             // pursue -> withdraw sequences (pursuer -> withdrawer)
    int signals = 0;
    int answered_signals = 0;   // answered by the other partner within 120 s
    double withdrawn_seconds = 0;  // the withdrawer's shut-downs
    int therapist_moves = 0;
    std::string quote;          // the first quoted attachment signal, if any
    bool quote_by_pursuer = false;
};
SessionFacts summarize(const CodingScheme& scheme, const std::vector<Observation>& observations, Who pursuer);

// [SECTION] Text
std::vector<std::string> case_labels(int count, Random& random);  // "Couple 007 (Heron)", ...
std::string partner_name(Random& random);
std::string attachment_style(Random& random, bool pursuer);
std::string topic(Random& random);                    // what the couple fights about
std::string goals_text(Random& random, const std::string& pursuer, const std::string& withdrawer,
                       const std::string& topic);
std::string homework_item(Random& random);
std::string signal_quote(Random& random, std::string_view code_id);
const std::vector<std::string>& clinician_names();  // at least 4
const std::string& supervisor_name();

struct NoteContext {
    int session_number = 1;
    int stage = 1;
    int step = 1;
    double health = 0;
    bool stuck = false;
    std::string pursuer;     // display names
    std::string withdrawer;
    std::string topic;
    double minutes = 50;
    SessionFacts facts;
    std::vector<std::string> homework_agreed;
    std::vector<std::pair<std::string, bool>> homework_reviewed;  // description, done
};
ProgressNote progress_note(Random& random, const NoteContext& context);
std::string process_note(Random& random, const NoteContext& context);

}  // namespace attune::services::demo
