// theme.h: fonts, colours and sizes for the whole UI.
#pragma once

#include <imgui.h>

#include "core/model.h"
#include "core/palette.h"
#include "core/scheme.h"
#include "services/settings.h"

namespace attune::ui {

// The themes are the ones the settings name (services::Theme): Light, Dark, HighContrast.
using ThemeKind = services::Theme;

struct Fonts {
    ImFont* regular = nullptr;
    ImFont* bold = nullptr;
    ImFont* large = nullptr;  // the session clock
};

// Loads DejaVu Sans at `base_size` pixels times `scale` into the atlas (before it is built).
void load_fonts(float base_size, float scale);
const Fonts& fonts();
void apply_theme(ThemeKind kind, float scale);
// The display scale apply_theme was given (1 on a normal screen, 2 on HiDPI).
// Sizes that hold text follow ImGui::GetFontSize(); strokes and markers that
// hold none are multiplied by this, so that a 1.5 px line stays as heavy.
float ui_scale();
ThemeKind current_theme();
// The colour behind every window (for glClearColor).
ImVec4 background_color();
// A colour for text on the current theme's background: the palette colour,
// lightened on dark themes so that it stays readable (e.g. error text).
ImVec4 readable_on_background(Rgba color);

ImU32 to_imgui(Rgba color);
ImVec4 to_imvec4(Rgba color);
Rgba polarity_color(Polarity polarity);
// A category's colour (core/palette.h): the one palette of the pad, the
// timelines, the charts and their legends.
Rgba category_color(const Category& category);
Rgba code_color(const Code& code);
Rgba who_color(Who who);

}  // namespace attune::ui
