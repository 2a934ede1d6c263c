// sequences.cpp: see sequences.h for the decisions DOMAIN.md leaves open.
//
// [SECTION] Statistics of a 2 x 2 table
// [SECTION] One session
// [SECTION] Pooling
// [SECTION] Consequent context
// [SECTION] JSON
#include "core/sequences.h"

#include <algorithm>
#include <cmath>

namespace attune {
namespace {

// As in metrics.cpp: times closer than this are one instant.
constexpr double kSameInstantS = 1e-6;
constexpr double kCriticalZ = 1.96;

}  // namespace

// [SECTION] Statistics of a 2 x 2 table

std::optional<double> yules_q(int a, int b, int c, int d) {
    const double ad = static_cast<double>(a) * d;
    const double bc = static_cast<double>(b) * c;
    if (ad + bc == 0) return std::nullopt;  // products of counts: exact in a double
    return (ad - bc) / (ad + bc);
}

std::optional<double> adjusted_residual(int a, int b, int c, int d) {
    const long long n = static_cast<long long>(a) + b + c + d;
    const long long row = static_cast<long long>(a) + b;     // antecedents of X
    const long long column = static_cast<long long>(a) + c;  // antecedents followed by Y
    // The denominator E (1 - row/N)(1 - column/N) is 0 exactly when one of these
    // holds; testing the counts keeps rounding from turning 0 into 1e-17.
    if (n == 0 || row == 0 || column == 0 || row == n || column == n) return std::nullopt;
    const double total = static_cast<double>(n);
    const double expected = static_cast<double>(row) * static_cast<double>(column) / total;
    const double variance =
        expected * (1 - static_cast<double>(row) / total) * (1 - static_cast<double>(column) / total);
    return (a - expected) / std::sqrt(variance);
}

const LagPair* LagTable::find(std::string_view antecedent, std::string_view consequent) const {
    for (const LagPair& pair : pairs)
        if (pair.antecedent == antecedent && pair.consequent == consequent) return &pair;
    return nullptr;
}

namespace {

int count_of(const std::map<std::string, int>& counts, const std::string& key) {
    const auto found = counts.find(key);
    return found == counts.end() ? 0 : found->second;
}

// Fills `pairs` from the counts, for every (X, Y) of `categories`.
void derive_pairs(LagTable& table, const std::vector<std::string>& categories) {
    table.pairs.clear();
    for (const std::string& x : categories)
        for (const std::string& y : categories) {
            LagPair pair;
            pair.antecedent = x;
            pair.consequent = y;
            const auto cell = table.transitions.find({x, y});
            pair.a = cell == table.transitions.end() ? 0 : cell->second;
            pair.b = count_of(table.by_antecedent, x) - pair.a;
            pair.c = count_of(table.by_consequent, y) - pair.a;
            pair.d = table.antecedents - pair.a - pair.b - pair.c;
            pair.yules_q = yules_q(pair.a, pair.b, pair.c, pair.d);
            pair.adjusted_residual = adjusted_residual(pair.a, pair.b, pair.c, pair.d);
            pair.significant = pair.adjusted_residual && std::abs(*pair.adjusted_residual) >= kCriticalZ;
            table.pairs.push_back(pair);
        }
}

struct Coded {
    const Observation* obs;
    const Code* code;
};

}  // namespace

// [SECTION] One session

SequenceAnalysis compute_sequences(const std::vector<Observation>& observations, const CodingScheme& scheme,
                                   const MetricSettings& settings) {
    SequenceAnalysis out;
    out.cycle_window_s = settings.cycle_window_s;
    out.a_to_b.antecedent_partner = Who::A;
    out.b_to_a.antecedent_partner = Who::B;
    // The therapist's category is the scheme's intervention category (or one named `therapist`).
    for (const Category& category : scheme.categories)
        if (category.polarity != Polarity::Intervention && category.id != "therapist") {
            out.categories.push_back(category.id);
            out.polarity_of[category.id] = category.polarity;
        }

    std::vector<Coded> coded;
    for (const Observation& obs : observations) {
        if (obs.deleted || !std::isfinite(obs.t)) continue;
        // `both` is neither partner, and a therapist-attributed observation neither: see sequences.h.
        if (obs.who != Who::A && obs.who != Who::B) continue;
        const Code* code = scheme.find(obs.code_id);
        if (!code || is_therapist_code(*code) || !out.polarity_of.count(code->category)) continue;
        coded.push_back({&obs, code});  // a state event takes part at its start, obs.t
    }
    std::sort(coded.begin(), coded.end(), [](const Coded& x, const Coded& y) {
        if (x.obs->t != y.obs->t) return x.obs->t < y.obs->t;
        return x.obs->id < y.obs->id;
    });

    for (size_t i = 0; i < coded.size(); ++i) {
        const Coded& antecedent = coded[i];
        const double t = antecedent.obs->t;
        const Who other = other_partner(antecedent.obs->who);
        const Coded* consequent = nullptr;
        for (size_t j = i + 1; j < coded.size(); ++j) {
            const double tj = coded[j].obs->t;
            if (tj > t + settings.cycle_window_s + kSameInstantS) break;
            if (coded[j].obs->who == other && tj > t + kSameInstantS) {
                consequent = &coded[j];
                break;
            }
        }
        LagTable& table = antecedent.obs->who == Who::A ? out.a_to_b : out.b_to_a;
        const std::string& x = antecedent.code->category;
        ++table.antecedents;
        ++table.by_antecedent[x];
        LagStep step{antecedent.obs->id, x, std::nullopt, ""};
        if (consequent) {
            const std::string& y = consequent->code->category;
            ++table.by_consequent[y];
            ++table.transitions[{x, y}];
            step.consequent_id = consequent->obs->id;
            step.consequent_category = y;
        }
        out.steps.push_back(std::move(step));
    }
    derive_pairs(out.a_to_b, out.categories);
    derive_pairs(out.b_to_a, out.categories);
    return out;
}

// [SECTION] Pooling

namespace {

void add_counts(LagTable& into, const LagTable& from) {
    into.antecedents += from.antecedents;
    for (const auto& [x, n] : from.by_antecedent)
        into.by_antecedent[x] += n;
    for (const auto& [y, n] : from.by_consequent)
        into.by_consequent[y] += n;
    for (const auto& [xy, n] : from.transitions)
        into.transitions[xy] += n;
}

}  // namespace

SequenceAnalysis pool_sequences(const std::vector<SequenceAnalysis>& sessions) {
    SequenceAnalysis out;
    out.a_to_b.antecedent_partner = Who::A;
    out.b_to_a.antecedent_partner = Who::B;
    if (!sessions.empty()) out.cycle_window_s = sessions.front().cycle_window_s;
    for (const SequenceAnalysis& session : sessions) {
        for (const std::string& category : session.categories)
            if (std::find(out.categories.begin(), out.categories.end(), category) == out.categories.end())
                out.categories.push_back(category);
        for (const auto& [category, polarity] : session.polarity_of)
            out.polarity_of.emplace(category, polarity);
        add_counts(out.a_to_b, session.a_to_b);
        add_counts(out.b_to_a, session.b_to_a);
    }
    derive_pairs(out.a_to_b, out.categories);
    derive_pairs(out.b_to_a, out.categories);
    return out;
}

// [SECTION] Consequent context

std::optional<double> ConsequentMix::repair_share() const {
    if (antecedents == 0) return std::nullopt;
    return static_cast<double>(repair) / antecedents;
}

std::optional<double> ConsequentMix::rupture_share() const {
    if (antecedents == 0) return std::nullopt;
    return static_cast<double>(rupture) / antecedents;
}

namespace {

void add_mix(ConsequentMix& mix, const SequenceAnalysis& analysis, const LagTable& table) {
    const int antecedents = count_of(table.by_antecedent, mix.antecedent_category);
    int followed = 0;
    for (const auto& [xy, n] : table.transitions) {
        if (xy.first != mix.antecedent_category) continue;
        followed += n;
        const auto polarity = analysis.polarity_of.find(xy.second);
        if (polarity == analysis.polarity_of.end()) continue;
        if (polarity->second == Polarity::Repair) mix.repair += n;
        if (polarity->second == Polarity::Rupture) mix.rupture += n;
        if (polarity->second == Polarity::Signal) mix.signal += n;
    }
    mix.antecedents += antecedents;
    mix.none += antecedents - followed;
}

}  // namespace

ConsequentMix consequent_mix(const SequenceAnalysis& analysis, std::string_view antecedent_category) {
    ConsequentMix mix;
    mix.antecedent_category = std::string(antecedent_category);
    add_mix(mix, analysis, analysis.a_to_b);
    add_mix(mix, analysis, analysis.b_to_a);
    return mix;
}

ConsequentMix consequent_mix(const SequenceAnalysis& analysis, std::string_view antecedent_category,
                             Who antecedent_partner) {
    ConsequentMix mix;
    mix.antecedent_category = std::string(antecedent_category);
    add_mix(mix, analysis, antecedent_partner == Who::B ? analysis.b_to_a : analysis.a_to_b);
    return mix;
}

// [SECTION] JSON

nlohmann::json to_json(const SequenceAnalysis& analysis) {
    using nlohmann::json;
    auto optional_number = [](const std::optional<double>& value) { return value ? json(*value) : json(nullptr); };
    auto table_json = [&](const LagTable& table) {
        json out = json::object();
        for (const LagPair& pair : table.pairs)
            out[pair.antecedent + "->" + pair.consequent] = {{"a", pair.a},
                                                             {"b", pair.b},
                                                             {"c", pair.c},
                                                             {"d", pair.d},
                                                             {"q", optional_number(pair.yules_q)},
                                                             {"z", optional_number(pair.adjusted_residual)}};
        return out;
    };
    return {{"A->B", table_json(analysis.a_to_b)}, {"B->A", table_json(analysis.b_to_a)}};
}

}  // namespace attune
