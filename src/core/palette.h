// palette.h: the colours every chart and export uses, as plain floats so that
// the ImGui views and the cairo PDF export draw the same picture.
//
// Based on the Okabe–Ito palette (Okabe & Ito 2008), chosen because its eight
// colours stay distinguishable under the common forms of colour blindness.
// Colours are grouped by what appears together on one chart; within a group
// no two share a hue family. Yellow is kept for translucent bands only: as a
// line on white paper it is too faint to read.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace attune {

// Straight (not premultiplied) alpha, every channel in 0..1.
struct Rgba {
    float r = 0.0f;
    float g = 0.0f;
    float b = 0.0f;
    float a = 1.0f;

    friend constexpr bool operator==(const Rgba&, const Rgba&) = default;
};

// 0xRRGGBB, as colours are written in design notes.
constexpr Rgba rgb_hex(std::uint32_t rgb, float alpha = 1.0f) {
    return Rgba{static_cast<float>((rgb >> 16) & 0xFFu) / 255.0f,
                static_cast<float>((rgb >> 8) & 0xFFu) / 255.0f,
                static_cast<float>(rgb & 0xFFu) / 255.0f, alpha};
}

constexpr Rgba with_alpha(Rgba color, float alpha) {
    color.a = alpha;
    return color;
}

namespace palette {

// The Okabe–Ito colours themselves.
inline constexpr Rgba black = rgb_hex(0x000000);
inline constexpr Rgba orange = rgb_hex(0xE69F00);
inline constexpr Rgba sky_blue = rgb_hex(0x56B4E9);
inline constexpr Rgba bluish_green = rgb_hex(0x009E73);
inline constexpr Rgba yellow = rgb_hex(0xF0E442);
inline constexpr Rgba blue = rgb_hex(0x0072B2);
inline constexpr Rgba vermillion = rgb_hex(0xD55E00);
inline constexpr Rgba reddish_purple = rgb_hex(0xCC79A7);

// [SECTION] One colour per category of the default scheme
// The coding pad, the live and review timelines, every chart, the PDF and
// their legends colour an observation by its category, so a colour means the
// same thing everywhere. All seven appear together on a session's timeline;
// tests/core/palette_test.cpp checks that they and the partner colours stay
// apart under the common colour-vision deficiencies. Ruptures take the warm
// colours (withdrawal, the one that moves away, the cool blue), signals sky
// blue, repairs green, the therapist's moves purple.
inline constexpr Rgba withdrawal = blue;
inline constexpr Rgba reactivity = vermillion;
inline constexpr Rgba pursuit = orange;
inline constexpr Rgba low_warmth = rgb_hex(0x995522);  // brown: outside Okabe–Ito, checked by the test
inline constexpr Rgba attachment = sky_blue;
inline constexpr Rgba repair = bluish_green;
inline constexpr Rgba therapist = reddish_purple;

// Observation polarity, for a category a user's own scheme adds: the colour of
// the default scheme's first category of that polarity.
inline constexpr Rgba rupture = reactivity;
inline constexpr Rgba signal = attachment;

// Who: the coding pad's partner buttons, and per-partner series (ratings,
// pursue->withdraw by direction). None of them is a category colour, so a
// partner never reads as "withdrawal" or "repair".
inline constexpr Rgba partner_a = rgb_hex(0x6622FF);      // violet
inline constexpr Rgba partner_b = rgb_hex(0x99BB66);      // sage
inline constexpr Rgba both_partners = rgb_hex(0x664455);  // plum grey
// The safety rating's line, beside the two partners' attunement.
inline constexpr Rgba safety = rgb_hex(0x777777);

// A category id of the default scheme -> its colour; any other id gets the
// colour of its polarity (given as the polarity's text id: "rupture", ...).
constexpr Rgba category_color(std::string_view category_id, std::string_view polarity = "rupture") {
    if (category_id == "withdrawal") return withdrawal;
    if (category_id == "reactivity") return reactivity;
    if (category_id == "pursuit") return pursuit;
    if (category_id == "low_warmth") return low_warmth;
    if (category_id == "attachment") return attachment;
    if (category_id == "repair") return repair;
    if (category_id == "therapist") return therapist;
    if (polarity == "signal") return signal;
    if (polarity == "repair") return repair;
    if (polarity == "intervention") return therapist;
    return rupture;
}

// Chart furniture. Grid and reference lines are mid grey with alpha so that
// they work on light and dark themes alike; `text` is for paper (PDF), the
// ImGui views take their text colour from the active theme instead.
inline constexpr Rgba text = rgb_hex(0x222222);
inline constexpr Rgba grid = rgb_hex(0x808080, 0.30f);
inline constexpr Rgba axis = rgb_hex(0x808080, 0.85f);
inline constexpr Rgba reference = rgb_hex(0x808080);
inline constexpr Rgba highlight = black;

// EFT stages 1 de-escalation, 2 restructuring, 3 consolidation, as shaded
// x bands behind the data: translucent so the series on top keep their colour.
inline constexpr float band_alpha = 0.16f;
inline constexpr Rgba stage_1_band = with_alpha(sky_blue, band_alpha);
inline constexpr Rgba stage_2_band = with_alpha(yellow, band_alpha + 0.06f);  // yellow is light
inline constexpr Rgba stage_3_band = with_alpha(bluish_green, band_alpha);

// Stage 1..3; anything else gets a neutral grey band.
constexpr Rgba stage_band(int stage) {
    switch (stage) {
        case 1: return stage_1_band;
        case 2: return stage_2_band;
        case 3: return stage_3_band;
        default: return rgb_hex(0x808080, band_alpha);
    }
}

// An instrument's clinical range on a measure chart: a translucent y band.
inline constexpr Rgba clinical_band = with_alpha(vermillion, 0.10f);

// For series without a domain meaning (e.g. one line per code): the Okabe–Ito
// order minus yellow and black, cycling.
inline constexpr std::array<Rgba, 6> categorical{blue,       orange,         bluish_green,
                                                 vermillion, reddish_purple, sky_blue};
constexpr Rgba categorical_color(std::size_t index) {
    return categorical[index % categorical.size()];
}

}  // namespace palette
}  // namespace attune
