// chart_model.cpp: tick maths, pixel mapping, bars, picking, decimation.
//
// Index
// [SECTION] Ticks and ranges
// [SECTION] Pixel mapping
// [SECTION] Bars
// [SECTION] Picking and decimation
// (layout_chart and bar_rect live in chart_layout.cpp)

#include "core/chart_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>
#include <map>
#include <utility>

namespace attune {

namespace {

// Tolerance for "is this a whole number of steps", relative to the step: ticks
// are k × step in floating point and 1 / 0.2 is not exactly 5.
constexpr double step_epsilon = 1e-9;

// A step written as mantissa × 10^exponent, so that tick k can be computed as
// (k × mantissa) / 10^-exponent, which is exact where k × step would give
// 0.6000000000000001.
struct Step {
    double mantissa = 0.0;
    int exponent = 0;
    double value() const { return scaled(1.0); }
    double scaled(double k) const {
        const double power = std::pow(10.0, std::abs(exponent));
        return exponent < 0 ? (k * mantissa) / power : (k * mantissa) * power;
    }
};

std::optional<Step> choose_step(double lo, double hi, int max_intervals) {
    if (!std::isfinite(lo) || !std::isfinite(hi) || lo == hi) {
        return std::nullopt;
    }
    if (lo > hi) {
        std::swap(lo, hi);
    }
    max_intervals = std::max(1, max_intervals);
    const double raw = (hi - lo) / max_intervals;
    const int first_exponent = static_cast<int>(std::floor(std::log10(raw))) - 1;
    constexpr std::array<double, 4> mantissas{1.0, 2.0, 2.5, 5.0};
    Step candidate;
    // Covering [lo, hi] with whole steps can need one interval more than
    // span / step, so a candidate may fail and the next larger one is tried.
    // A range straddling 0 always needs two intervals, hence the bound.
    for (int exponent = first_exponent; exponent <= first_exponent + 4; ++exponent) {
        for (double mantissa : mantissas) {
            candidate = Step{mantissa, exponent};
            const double step = candidate.value();
            if (step < raw * (1.0 - step_epsilon)) {
                continue;
            }
            const double first = std::floor(lo / step + step_epsilon);
            const double last = std::ceil(hi / step - step_epsilon);
            if (last - first <= max_intervals) {
                return candidate;
            }
        }
    }
    return candidate;
}

std::vector<double> ticks_for(double lo, double hi, const Step& step) {
    const double size = step.value();
    const double first = std::floor(lo / size + step_epsilon);
    const double last = std::ceil(hi / size - step_epsilon);
    std::vector<double> ticks;
    for (double k = first; k <= last; k += 1.0) {
        ticks.push_back(k == 0.0 ? 0.0 : step.scaled(k));  // never "-0"
    }
    return ticks;
}

// Decimals needed to show multiples of `step` exactly (2.5 -> 1, 0.25 -> 2).
int decimals_for_step(double step) {
    if (!(step > 0.0) || !std::isfinite(step)) {
        return 0;
    }
    int decimals = 0;
    double scaled = step;
    while (decimals < 10 && std::abs(scaled - std::round(scaled)) > 1e-6 * std::max(1.0, scaled)) {
        scaled *= 10.0;
        ++decimals;
    }
    return decimals;
}

std::string format_fixed(double value, int decimals) {
    std::array<char, 64> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%.*f", decimals, value);
    std::string text = buffer.data();
    // Rounding a tiny negative number gives "-0" or "-0.00"; a zero has no sign.
    if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) {
        text.erase(0, 1);
    }
    return text;
}

}  // namespace

// [SECTION] Ticks and ranges

double nice_step(double lo, double hi, int max_intervals) {
    const auto step = choose_step(lo, hi, max_intervals);
    return step ? step->value() : 0.0;
}

std::vector<double> nice_ticks(double lo, double hi, int max_intervals) {
    const auto step = choose_step(lo, hi, max_intervals);
    if (!step) {
        return {};
    }
    return ticks_for(std::min(lo, hi), std::max(lo, hi), *step);
}

AxisRange nice_range(double lo, double hi, int max_intervals) {
    if (!std::isfinite(lo) || !std::isfinite(hi)) {
        return {};
    }
    if (lo > hi) {
        std::swap(lo, hi);
    }
    if (lo == hi) {
        const double widen = lo == 0.0 ? 1.0 : std::abs(lo) * 0.1;
        lo -= widen;
        hi += widen;
    }
    const std::vector<double> ticks = nice_ticks(lo, hi, max_intervals);
    if (ticks.size() < 2) {
        return {lo, hi};
    }
    return {ticks.front(), ticks.back()};
}

AxisRange nice_range(std::optional<AxisRange> data, int max_intervals) {
    if (!data) {
        return {};
    }
    return nice_range(data->lo, data->hi, max_intervals);
}

std::string format_tick(double value, double step, bool percent) {
    if (percent) {
        value *= 100.0;
        step *= 100.0;
    }
    std::string text = format_fixed(value, decimals_for_step(step));
    if (percent) {
        text += '%';
    }
    return text;
}

std::string format_value(double value, bool percent) {
    if (percent) {
        value *= 100.0;
    }
    std::string text = format_fixed(value, percent ? 1 : 3);
    if (text.find('.') != std::string::npos) {
        text.erase(text.find_last_not_of('0') + 1);
        if (text.back() == '.') {
            text.pop_back();
        }
    }
    if (text == "-0") {
        text = "0";
    }
    if (percent) {
        text += '%';
    }
    return text;
}

// [SECTION] Pixel mapping

double distance_to_rect(PixelPoint p, const PixelRect& rect) {
    const double dx = std::max({rect.x0 - p.x, 0.0, p.x - rect.x1});
    const double dy = std::max({rect.y0 - p.y, 0.0, p.y - rect.y1});
    return std::hypot(dx, dy);
}

Transform::Transform(PixelRect plot, AxisRange x, AxisRange y) : plot_(plot), x_(x), y_(y) {
    // A zero span would divide by zero; centre the single value instead.
    for (AxisRange* range : {&x_, &y_}) {
        if (range->span() == 0.0) {
            range->lo -= 0.5;
            range->hi += 0.5;
        }
    }
}

double Transform::to_pixel_x(double x) const {
    return plot_.x0 + (x - x_.lo) / x_.span() * plot_.width();
}

double Transform::to_pixel_y(double y) const {
    return plot_.y1 - (y - y_.lo) / y_.span() * plot_.height();
}

double Transform::to_data_x(double pixel_x) const {
    const double width = plot_.width();
    return width == 0.0 ? x_.lo : x_.lo + (pixel_x - plot_.x0) / width * x_.span();
}

double Transform::to_data_y(double pixel_y) const {
    const double height = plot_.height();
    return height == 0.0 ? y_.lo : y_.lo + (plot_.y1 - pixel_y) / height * y_.span();
}

// [SECTION] Bars

std::vector<std::vector<StackSpan>> stack_bars(const std::vector<Series>& series) {
    std::vector<std::vector<StackSpan>> spans(series.size());
    struct Pile {
        double up = 0.0;    // top of the positive pile
        double down = 0.0;  // bottom of the negative pile
    };
    std::map<double, Pile> piles;
    for (std::size_t s = 0; s < series.size(); ++s) {
        const Series& one = series[s];
        if (!one.visible || one.style != SeriesStyle::StackedBars) {
            continue;
        }
        spans[s].resize(one.x.size());
        for (std::size_t i = 0; i < one.x.size(); ++i) {
            const double value = i < one.y.size() ? one.y[i].value_or(0.0) : 0.0;
            Pile& pile = piles[one.x[i]];
            double& end = value < 0.0 ? pile.down : pile.up;
            spans[s][i] = StackSpan{end, end + value};
            end += value;
        }
    }
    return spans;
}

BarPlacement grouped_bar(std::size_t k, std::size_t count, double slot, double fill) {
    const double group = slot * fill;
    if (count == 0) {
        return {0.0, group};
    }
    const double width = group / static_cast<double>(count);
    return {-group / 2.0 + (static_cast<double>(k) + 0.5) * width, width};
}

bool is_bar_style(SeriesStyle style) {
    return style == SeriesStyle::Bars || style == SeriesStyle::StackedBars;
}

double slot_width(std::vector<double> xs) {
    std::sort(xs.begin(), xs.end());
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i < xs.size(); ++i) {
        const double gap = xs[i] - xs[i - 1];
        if (gap > 0.0) {
            best = std::min(best, gap);
        }
    }
    return std::isfinite(best) ? best : 1.0;
}

double slot_width(const std::vector<Series>& series) {
    std::vector<double> xs;
    for (const Series& one : series) {
        xs.insert(xs.end(), one.x.begin(), one.x.end());
    }
    return slot_width(std::move(xs));
}

// [SECTION] Picking and decimation

std::optional<PointRef> nearest_point(const ChartSpec& spec, const ChartLayout& layout,
                                      PixelPoint pixel, double radius) {
    const Transform& t = layout.transform;
    // Bars rank one marker radius further away than they are: a mouse inside a
    // bar is at distance 0, yet a marker drawn over that bar must stay
    // pickable. Equal ranks go to the earlier series, then the earlier point.
    std::optional<PointRef> best;
    double best_rank = 0.0;
    for (std::size_t s = 0; s < spec.series.size(); ++s) {
        const Series& one = spec.series[s];
        if (!one.visible) {
            continue;
        }
        const bool bars = is_bar_style(one.style);
        // Only points whose x lies within the radius (plus a bar's reach) can
        // be near: binary-search that window.
        const double reach = bars && s < layout.bars.size()
                                 ? std::abs(layout.bars[s].offset) + layout.bars[s].width / 2.0
                                 : 0.0;
        const double a = t.to_data_x(pixel.x - radius);
        const double b = t.to_data_x(pixel.x + radius);
        const double lo = std::min(a, b) - reach;
        const double hi = std::max(a, b) + reach;
        const auto first = std::lower_bound(one.x.begin(), one.x.end(), lo);
        const std::size_t count = std::min(one.x.size(), one.y.size());
        for (auto i = static_cast<std::size_t>(std::distance(one.x.begin(), first));
             i < count && one.x[i] <= hi; ++i) {
            if (!one.y[i]) {
                continue;
            }
            double distance = 0.0;
            if (bars) {
                const auto rect = bar_rect(spec, layout, {s, i});
                if (!rect) {
                    continue;
                }
                distance = distance_to_rect(pixel, *rect);
            } else {
                const PixelPoint p = t.to_pixel(one.x[i], *one.y[i]);
                distance = std::hypot(p.x - pixel.x, p.y - pixel.y);
            }
            if (distance > radius) {
                continue;
            }
            const double rank = distance + (bars ? layout.marker_radius : 0.0);
            if (!best || rank < best_rank) {
                best = PointRef{s, i};
                best_rank = rank;
            }
        }
    }
    return best;
}

std::vector<std::size_t> decimate(const std::vector<double>& x,
                                  const std::vector<std::optional<double>>& y,
                                  const Transform& transform, double min_pixels) {
    const std::size_t count = std::min(x.size(), y.size());
    const auto end_of_data = x.begin() + static_cast<std::ptrdiff_t>(count);
    const auto lo = std::lower_bound(x.begin(), end_of_data, transform.x_range().lo);
    const auto hi = std::upper_bound(lo, end_of_data, transform.x_range().hi);
    std::size_t begin = static_cast<std::size_t>(std::distance(x.begin(), lo));
    std::size_t end = static_cast<std::size_t>(std::distance(x.begin(), hi));
    begin = begin > 0 ? begin - 1 : 0;  // one neighbour each side, so lines reach the edges
    end = std::min(count, end + 1);

    std::vector<std::size_t> kept;
    std::size_t i = begin;
    while (i < end) {
        if (!y[i]) {
            kept.push_back(i++);
            continue;
        }
        const double bucket_start = transform.to_pixel_x(x[i]);
        std::size_t low = i;
        std::size_t high = i;
        std::size_t last = i;
        std::size_t j = i + 1;
        for (; j < end && y[j] && transform.to_pixel_x(x[j]) - bucket_start < min_pixels; ++j) {
            low = *y[j] < *y[low] ? j : low;
            high = *y[j] > *y[high] ? j : high;
            last = j;
        }
        std::array<std::size_t, 4> bucket{i, low, high, last};
        std::sort(bucket.begin(), bucket.end());
        const auto unique_end = std::unique(bucket.begin(), bucket.end());
        kept.insert(kept.end(), bucket.begin(), unique_end);
        i = j;
    }
    return kept;
}

std::string describe_point(const ChartSpec& spec, PointRef point) {
    if (point.series >= spec.series.size()) {
        return {};
    }
    const Series& one = spec.series[point.series];
    if (point.index >= one.x.size()) {
        return one.name;
    }
    const double x = one.x[point.index];
    std::string x_text = format_value(x);
    for (const XTick& tick : spec.x_ticks) {
        if (std::abs(tick.x - x) <= step_epsilon * std::max(1.0, std::abs(x))) {
            x_text = tick.label;
            break;
        }
    }
    const bool has_value = point.index < one.y.size() && one.y[point.index].has_value();
    const std::string value =
        has_value ? format_value(*one.y[point.index], spec.y_percent) : "no value";
    return one.name + "\n" + x_text + ": " + value;
}

}  // namespace attune
