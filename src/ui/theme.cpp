#include "ui/theme.h"

#include "io/paths.h"

namespace attune::ui {
namespace {
Fonts g_fonts;
ThemeKind g_theme = ThemeKind::Light;
}  // namespace

void load_fonts(float base_size, float scale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    // Latin, Latin Extended, Greek, Cyrillic and punctuation: names from many cultures.
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0100, 0x024F, 0x0370, 0x03FF, 0x0400, 0x04FF,
                                     0x2000, 0x206F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
    const std::string regular = io::ui_font_path(false).string();
    const std::string bold = io::ui_font_path(true).string();
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

const Fonts& fonts() { return g_fonts; }
ThemeKind current_theme() { return g_theme; }

void apply_theme(ThemeKind kind, float scale) {
    g_theme = kind;
    ImGuiStyle style;
    switch (kind) {
        case ThemeKind::Light: ImGui::StyleColorsLight(&style); break;
        case ThemeKind::Dark: ImGui::StyleColorsDark(&style); break;
        case ThemeKind::HighContrast:
            ImGui::StyleColorsDark(&style);
            style.Colors[ImGuiCol_Text] = ImVec4(1, 1, 1, 1);
            style.Colors[ImGuiCol_WindowBg] = ImVec4(0, 0, 0, 1);
            style.Colors[ImGuiCol_Border] = ImVec4(1, 1, 1, 1);
            style.FrameBorderSize = 1.0f;
            break;
    }
    style.WindowRounding = 4.0f;
    style.FrameRounding = 4.0f;
    style.GrabRounding = 4.0f;
    style.FramePadding = ImVec2(8, 5);
    style.ItemSpacing = ImVec2(8, 6);
    style.WindowPadding = ImVec2(12, 10);
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

ImU32 to_imgui(Rgba c) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a)); }
ImVec4 to_imvec4(Rgba c) { return ImVec4(c.r, c.g, c.b, c.a); }

Rgba polarity_color(Polarity polarity) {
    switch (polarity) {
        case Polarity::Rupture: return palette::rupture;
        case Polarity::Signal: return palette::signal;
        case Polarity::Repair: return palette::repair;
        case Polarity::Intervention: return palette::therapist;
    }
    return palette::reference;
}

Rgba who_color(Who who) {
    switch (who) {
        case Who::A: return palette::partner_a;
        case Who::B: return palette::partner_b;
        case Who::Both: return palette::both_partners;
        case Who::Therapist: return palette::therapist;
    }
    return palette::reference;
}

}  // namespace attune::ui
