// The colours that appear together (the four polarities on a session chart;
// partners A, B and both) must stay apart for colour-blind readers. Each is
// passed through the Machado, Oliveira & Fernandes (2009) simulation of
// protanopia, deuteranopia and tritanopia (severity 1, linear sRGB), then
// compared in CIELAB (D65): every pair must differ by at least ΔE*ab 15, well
// above the ~2.3 just-noticeable difference and the ~10 of "clearly different".
#include "core/palette.h"

#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

using namespace attune;

namespace {

using Matrix = std::array<std::array<double, 3>, 3>;

const Matrix kNormal{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
const Matrix kProtanopia{{{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}}};
const Matrix kDeuteranopia{{{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}}};
const Matrix kTritanopia{{{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}}};

double to_linear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }

std::array<double, 3> lab_as_seen(Rgba color, const Matrix& vision) {
    const std::array<double, 3> rgb{to_linear(color.r), to_linear(color.g), to_linear(color.b)};
    std::array<double, 3> seen{};
    for (size_t i = 0; i < 3; ++i) {
        double v = 0;
        for (size_t j = 0; j < 3; ++j) v += vision[i][j] * rgb[j];
        seen[i] = std::clamp(v, 0.0, 1.0);
    }
    const double x = 0.4124564 * seen[0] + 0.3575761 * seen[1] + 0.1804375 * seen[2];
    const double y = 0.2126729 * seen[0] + 0.7151522 * seen[1] + 0.0721750 * seen[2];
    const double z = 0.0193339 * seen[0] + 0.1191920 * seen[1] + 0.9503041 * seen[2];
    const auto f = [](double t) { return t > 216.0 / 24389.0 ? std::cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0; };
    const double fx = f(x / 0.95047), fy = f(y / 1.0), fz = f(z / 1.08883);
    return {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
}

double delta_e(Rgba a, Rgba b, const Matrix& vision) {
    const auto la = lab_as_seen(a, vision);
    const auto lb = lab_as_seen(b, vision);
    return std::hypot(la[0] - lb[0], la[1] - lb[1], la[2] - lb[2]);
}

constexpr double kMinDeltaE = 15.0;

void require_apart(const std::vector<std::pair<std::string, Rgba>>& colors) {
    const std::vector<std::pair<std::string, const Matrix*>> visions{
        {"normal", &kNormal}, {"protanopia", &kProtanopia}, {"deuteranopia", &kDeuteranopia}, {"tritanopia", &kTritanopia}};
    for (const auto& [vision_name, vision] : visions)
        for (size_t i = 0; i < colors.size(); ++i)
            for (size_t j = i + 1; j < colors.size(); ++j) {
                INFO(vision_name << ": " << colors[i].first << " vs " << colors[j].first);
                CHECK(delta_e(colors[i].second, colors[j].second, *vision) >= kMinDeltaE);
            }
}

}  // namespace

TEST_CASE("the simulation and distance behave as known: identical colours 0 apart, black and white 100", "[palette]") {
    CHECK(delta_e(palette::repair, palette::repair, kDeuteranopia) == 0.0);
    CHECK(std::abs(delta_e(rgb_hex(0x000000), rgb_hex(0xFFFFFF), kNormal) - 100.0) < 0.01);
    // The classic confusion: pure red and pure green collapse for a deuteranope
    // (they are ~86 apart for normal vision); this is what the checks below catch.
    CHECK(delta_e(rgb_hex(0xFF0000), rgb_hex(0x00FF00), kNormal) > 80.0);
    CHECK(delta_e(rgb_hex(0xCC0000), rgb_hex(0x4C8C00), kDeuteranopia) < kMinDeltaE);
}

TEST_CASE("the four polarity colours stay apart under protanopia, deuteranopia and tritanopia", "[palette]") {
    require_apart({{"rupture", palette::rupture},
                   {"signal", palette::signal},
                   {"repair", palette::repair},
                   {"therapist", palette::therapist}});
}

TEST_CASE("partner A, partner B and both stay apart under protanopia, deuteranopia and tritanopia", "[palette]") {
    require_apart({{"partner A", palette::partner_a},
                   {"partner B", palette::partner_b},
                   {"both", palette::both_partners}});
}

TEST_CASE("the seven category colours and the three partner colours all stay apart", "[palette]") {
    // They meet on the coding pad (partner buttons over category buttons) and on
    // the timelines; a partner must never read as a category.
    require_apart({{"withdrawal", palette::withdrawal},
                   {"reactivity", palette::reactivity},
                   {"pursuit", palette::pursuit},
                   {"low warmth", palette::low_warmth},
                   {"attachment", palette::attachment},
                   {"repair", palette::repair},
                   {"therapist", palette::therapist},
                   {"partner A", palette::partner_a},
                   {"partner B", palette::partner_b},
                   {"both", palette::both_partners}});
}

TEST_CASE("the ratings chart's lines stay apart: attunement of A, of B, and safety", "[palette]") {
    require_apart({{"partner A", palette::partner_a}, {"partner B", palette::partner_b}, {"safety", palette::safety}});
}

TEST_CASE("every category of the default scheme has its own colour; another category takes its polarity's",
          "[palette]") {
    CHECK(palette::category_color("withdrawal") == palette::withdrawal);
    CHECK(palette::category_color("pursuit") == palette::pursuit);
    CHECK(palette::category_color("low_warmth") == palette::low_warmth);
    CHECK(palette::category_color("attachment", "signal") == palette::attachment);
    CHECK(palette::category_color("therapist", "intervention") == palette::therapist);
    CHECK(palette::category_color("my_own_signals", "signal") == palette::signal);
    CHECK(palette::category_color("my_own_repairs", "repair") == palette::repair);
    CHECK(palette::category_color("my_own_moves", "intervention") == palette::therapist);
    CHECK(palette::category_color("my_own_ruptures", "rupture") == palette::rupture);
}
