#include "ui/theme.h"

#include <algorithm>
#include <cmath>

#include "services/paths.h"

namespace attune::ui {
namespace {
Fonts g_fonts;
ThemeKind g_theme = ThemeKind::Light;
float g_scale = 1.0f;
}  // namespace

void load_fonts(float base_size, float scale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    // Latin, Latin Extended (+ Additional, e.g. Vietnamese), Greek, Cyrillic and punctuation: names from many cultures.
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0100, 0x024F, 0x1E00, 0x1EFF, 0x0370, 0x03FF, 0x0400, 0x04FF,
                                     0x2000, 0x206F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
    const std::string regular = services::ui_font_path(false).string();
    const std::string bold = services::ui_font_path(true).string();
    ImFontConfig config;
    config.OversampleH = 2;
    if (!regular.empty()) {
        g_fonts.regular = io.Fonts->AddFontFromFileTTF(regular.c_str(), base_size * scale, &config, ranges);
        g_fonts.bold = io.Fonts->AddFontFromFileTTF(bold.empty() ? regular.c_str() : bold.c_str(), base_size * scale,
                                                    &config, ranges);
        g_fonts.large = io.Fonts->AddFontFromFileTTF(bold.empty() ? regular.c_str() : bold.c_str(),
                                                     base_size * 2.6f * scale, &config, ranges);
    }
    if (!g_fonts.regular) {  // no system font: ImGui's built-in one keeps the app usable
        ImFontConfig fallback;
        fallback.SizePixels = 13.0f * scale;
        g_fonts.regular = g_fonts.bold = g_fonts.large = io.Fonts->AddFontDefault(&fallback);
    }
    io.FontDefault = g_fonts.regular;
}

const Fonts& fonts() {
    return g_fonts;
}
ThemeKind current_theme() {
    return g_theme;
}

namespace {

// Light: ImGui's light style, warmed slightly and with visible frame borders.
void light_colors(ImGuiStyle& style) {
    ImGui::StyleColorsLight(&style);
    ImVec4* c = style.Colors;
    c[ImGuiCol_WindowBg] = ImVec4(0.96f, 0.96f, 0.95f, 1.0f);
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_Text] = ImVec4(0.10f, 0.10f, 0.12f, 1.0f);
    c[ImGuiCol_TextDisabled] = ImVec4(0.40f, 0.40f, 0.42f, 1.0f);
    c[ImGuiCol_Border] = ImVec4(0.0f, 0.0f, 0.0f, 0.22f);
    c[ImGuiCol_FrameBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_MenuBarBg] = ImVec4(0.90f, 0.90f, 0.89f, 1.0f);
    c[ImGuiCol_TableHeaderBg] = ImVec4(0.86f, 0.87f, 0.89f, 1.0f);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(0.0f, 0.0f, 0.0f, 0.035f);
    style.FrameBorderSize = 1.0f;
}

// Dark: ImGui's dark style with a softer, less saturated blue.
void dark_colors(ImGuiStyle& style) {
    ImGui::StyleColorsDark(&style);
    ImVec4* c = style.Colors;
    c[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.12f, 0.13f, 1.0f);
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_PopupBg] = ImVec4(0.14f, 0.15f, 0.17f, 1.0f);
    c[ImGuiCol_Text] = ImVec4(0.92f, 0.92f, 0.92f, 1.0f);
    c[ImGuiCol_TextDisabled] = ImVec4(0.60f, 0.60f, 0.62f, 1.0f);
    c[ImGuiCol_MenuBarBg] = ImVec4(0.16f, 0.17f, 0.19f, 1.0f);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(1.0f, 1.0f, 1.0f, 0.04f);
}

// High contrast: pure black and white, yellow for focus and selection, and a
// 2 px white border around everything that can be clicked (WCAG 2.1 AAA:
// white on black is 21:1; hovered and active states change the border and
// fill, never colour alone).
void high_contrast_colors(ImGuiStyle& style) {
    ImGui::StyleColorsDark(&style);
    const ImVec4 black(0, 0, 0, 1), white(1, 1, 1, 1), yellow(1.0f, 0.92f, 0.0f, 1.0f);
    const ImVec4 dark_blue(0.0f, 0.20f, 0.45f, 1.0f), blue(0.0f, 0.33f, 0.70f, 1.0f), grey(0.78f, 0.78f, 0.78f, 1.0f);
    ImVec4* c = style.Colors;
    c[ImGuiCol_Text] = white;
    c[ImGuiCol_TextDisabled] = grey;
    c[ImGuiCol_WindowBg] = c[ImGuiCol_ChildBg] = c[ImGuiCol_PopupBg] = black;
    c[ImGuiCol_MenuBarBg] = black;
    c[ImGuiCol_Border] = white;
    c[ImGuiCol_BorderShadow] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_FrameBg] = black;
    c[ImGuiCol_FrameBgHovered] = dark_blue;
    c[ImGuiCol_FrameBgActive] = blue;
    c[ImGuiCol_TitleBg] = c[ImGuiCol_TitleBgCollapsed] = black;
    c[ImGuiCol_TitleBgActive] = dark_blue;
    c[ImGuiCol_ScrollbarBg] = black;
    c[ImGuiCol_ScrollbarGrab] = grey;
    c[ImGuiCol_ScrollbarGrabHovered] = c[ImGuiCol_ScrollbarGrabActive] = white;
    c[ImGuiCol_CheckMark] = yellow;
    c[ImGuiCol_SliderGrab] = white;
    c[ImGuiCol_SliderGrabActive] = yellow;
    c[ImGuiCol_Button] = black;
    c[ImGuiCol_ButtonHovered] = dark_blue;
    c[ImGuiCol_ButtonActive] = blue;
    c[ImGuiCol_Header] = dark_blue;
    c[ImGuiCol_HeaderHovered] = blue;
    c[ImGuiCol_HeaderActive] = blue;
    c[ImGuiCol_Separator] = c[ImGuiCol_SeparatorHovered] = white;
    c[ImGuiCol_SeparatorActive] = yellow;
    c[ImGuiCol_ResizeGrip] = grey;
    c[ImGuiCol_ResizeGripHovered] = c[ImGuiCol_ResizeGripActive] = yellow;
    c[ImGuiCol_Tab] = black;
    c[ImGuiCol_TabHovered] = blue;
    c[ImGuiCol_TabActive] = dark_blue;
    c[ImGuiCol_TabUnfocused] = black;
    c[ImGuiCol_TabUnfocusedActive] = dark_blue;
    c[ImGuiCol_PlotLines] = c[ImGuiCol_PlotHistogram] = white;
    c[ImGuiCol_PlotLinesHovered] = c[ImGuiCol_PlotHistogramHovered] = yellow;
    c[ImGuiCol_TableHeaderBg] = ImVec4(0.16f, 0.16f, 0.16f, 1.0f);
    c[ImGuiCol_TableBorderStrong] = white;
    c[ImGuiCol_TableBorderLight] = grey;
    c[ImGuiCol_TableRowBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(1, 1, 1, 0.08f);
    c[ImGuiCol_TextSelectedBg] = ImVec4(1.0f, 0.92f, 0.0f, 0.45f);
    c[ImGuiCol_DragDropTarget] = yellow;
    c[ImGuiCol_NavHighlight] = yellow;
    c[ImGuiCol_NavWindowingHighlight] = yellow;
    c[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, 0.75f);
    style.WindowBorderSize = 2.0f;
    style.ChildBorderSize = 1.0f;
    style.PopupBorderSize = 2.0f;
    style.FrameBorderSize = 2.0f;
    style.TabBorderSize = 2.0f;
}

}  // namespace

void apply_theme(ThemeKind kind, float scale) {
    g_theme = kind;
    g_scale = scale;
    ImGuiStyle style;
    switch (kind) {
        case ThemeKind::Light:
            light_colors(style);
            break;
        case ThemeKind::Dark:
            dark_colors(style);
            break;
        case ThemeKind::HighContrast:
            high_contrast_colors(style);
            break;
    }
    style.WindowRounding = 4.0f;
    style.FrameRounding = kind == ThemeKind::HighContrast ? 2.0f : 4.0f;
    style.GrabRounding = 4.0f;
    style.FramePadding = ImVec2(8, 5);
    style.ItemSpacing = ImVec2(8, 6);
    style.WindowPadding = ImVec2(12, 10);
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

float ui_scale() {
    return g_scale;
}

ImVec4 background_color() {
    return ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
}

namespace {

// WCAG 2 relative luminance of an sRGB colour, and the contrast ratio of two.
float luminance(const ImVec4& c) {
    const auto linear = [](float v) { return v <= 0.04045f ? v / 12.92f : std::pow((v + 0.055f) / 1.055f, 2.4f); };
    return 0.2126f * linear(c.x) + 0.7152f * linear(c.y) + 0.0722f * linear(c.z);
}

float contrast(float a, float b) {
    return (std::max(a, b) + 0.05f) / (std::min(a, b) + 0.05f);
}

}  // namespace

ImVec4 readable_on_background(Rgba color) {
    if (g_theme == ThemeKind::Light) {
        // Darkened only as far as 4.5:1 (WCAG AA) on the window colour needs: amber
        // (flags, "in session", partner B) is about 2:1 as it is, blue stays itself.
        const float background = luminance(background_color());
        ImVec4 out = to_imvec4(color);
        out.w = 1.0f;
        for (int step = 0; step < 20 && contrast(luminance(out), background) < 4.5f; ++step) {
            out.x *= 0.92f;
            out.y *= 0.92f;
            out.z *= 0.92f;
        }
        return out;
    }
    // Halfway to white keeps the hue and gets well above 4.5:1 on near-black.
    const float mix = g_theme == ThemeKind::HighContrast ? 0.55f : 0.35f;
    return ImVec4(color.r + (1 - color.r) * mix, color.g + (1 - color.g) * mix, color.b + (1 - color.b) * mix, 1.0f);
}

ImU32 to_imgui(Rgba c) {
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a));
}
ImVec4 to_imvec4(Rgba c) {
    return ImVec4(c.r, c.g, c.b, c.a);
}

Rgba polarity_color(Polarity polarity) {
    switch (polarity) {
        case Polarity::Rupture:
            return palette::rupture;
        case Polarity::Signal:
            return palette::signal;
        case Polarity::Repair:
            return palette::repair;
        case Polarity::Intervention:
            return palette::therapist;
    }
    return palette::reference;
}

Rgba category_color(const Category& category) {
    return palette::category_color(category.id, to_string(category.polarity));
}

Rgba code_color(const Code& code) {
    return palette::category_color(code.category, to_string(code.polarity));
}

Rgba who_color(Who who) {
    switch (who) {
        case Who::A:
            return palette::partner_a;
        case Who::B:
            return palette::partner_b;
        case Who::Both:
            return palette::both_partners;
        case Who::Therapist:
            return palette::therapist;
    }
    return palette::reference;
}

}  // namespace attune::ui
