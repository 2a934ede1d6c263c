#include "core/time_slice_kappa.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace attune {
namespace {

// Slice instants and event times are compared as BORIS's millisecond
// decimals would be: closer than this is the same instant.
constexpr double kSameInstantS = 1e-6;

struct Span {
    double start = 0;
    double stop = 0;
    bool state = false;
    Who who = Who::A;
    const std::string* code = nullptr;
};

std::vector<Span> spans_of(const std::vector<Observation>& observations, double open_until) {
    std::vector<Span> out;
    for (const Observation& o : observations) {
        if (o.deleted || !std::isfinite(o.t)) continue;
        Span span;
        span.start = o.t;
        span.state = o.kind == EventKind::State;
        span.stop = span.state ? (o.stop && std::isfinite(*o.stop) ? *o.stop : std::max(o.t, open_until)) : o.t;
        span.who = o.who;
        span.code = &o.code_id;
        out.push_back(span);
    }
    return out;
}

// The latest time either rater coded: where a running state ends.
double latest_time(const std::vector<Observation>& a, const std::vector<Observation>& b) {
    double latest = 0;
    for (const auto* list : {&a, &b})
        for (const Observation& o : *list) {
            if (o.deleted || !std::isfinite(o.t)) continue;
            latest = std::max(latest, o.t);
            if (o.stop && std::isfinite(*o.stop)) latest = std::max(latest, *o.stop);
        }
    return latest;
}

// What one rater had going on for one subject at instant t: a sorted list of
// (subject, code); nothing going on is the same empty list for every subject.
std::vector<std::string> going_on(const std::vector<Span>& spans, Who who, double t, double half_slice) {
    std::vector<std::string> codes;
    for (const Span& s : spans) {
        if (s.who != who) continue;
        const bool on = s.state ? s.start <= t + kSameInstantS && t <= s.stop + kSameInstantS
                                : std::abs(s.start - t) <= half_slice + kSameInstantS;
        // BORIS's items name the subject with each behaviour: A's reflect is not B's.
        if (on) codes.push_back(std::string(to_string(who)) + '\x1f' + *s.code);
    }
    std::sort(codes.begin(), codes.end());
    return codes;
}

}  // namespace

TimeSliceAgreement compute_time_slice_agreement(const std::vector<Observation>& rater_a,
                                                const std::vector<Observation>& rater_b, double slice_s) {
    TimeSliceAgreement result;
    result.slice_s = slice_s;
    if (!(slice_s > 0) || !std::isfinite(slice_s)) return result;
    const double open_until = latest_time(rater_a, rater_b);
    const std::vector<Span> a = spans_of(rater_a, open_until);
    const std::vector<Span> b = spans_of(rater_b, open_until);
    if (a.empty() && b.empty()) return result;

    double first = 0;
    double last = 0;
    bool any = false;
    std::set<Who> subjects;
    for (const auto* list : {&a, &b})
        for (const Span& s : *list) {
            first = any ? std::min(first, s.start) : s.start;
            last = any ? std::max(last, s.stop) : s.stop;
            any = true;
            subjects.insert(s.who);
        }

    // Categories are the sets themselves; rows are rater A's, columns B's.
    std::map<std::vector<std::string>, int> rows;
    std::map<std::vector<std::string>, int> columns;
    const double half = slice_s / 2;
    for (long k = 0;; ++k) {
        const double t = first + static_cast<double>(k) * slice_s;
        if (t > last + kSameInstantS) break;
        ++result.slices;
        for (Who who : subjects) {
            std::vector<std::string> from_a = going_on(a, who, t, half);
            std::vector<std::string> from_b = going_on(b, who, t, half);
            ++result.items;
            if (from_a == from_b) {
                ++result.agreements;
                if (from_a.empty()) ++result.empty_agreements;
            }
            ++rows[std::move(from_a)];
            ++columns[std::move(from_b)];
        }
    }
    const double n = result.items;
    double expected = 0;
    for (const auto& [category, count] : rows)
        if (auto column = columns.find(category); column != columns.end())
            expected += static_cast<double>(count) * column->second / n;
    result.percent_agreement = result.agreements / n;
    result.kappa = std::abs(n - expected) < 1e-12 ? 1.0 : (result.agreements - expected) / (n - expected);
    return result;
}

}  // namespace attune
