#include "ui/widgets.h"

#include "ui/theme.h"

#include <algorithm>

namespace attune::ui {
namespace {

int resize_callback(ImGuiInputTextCallbackData* data) {
    if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        auto* text = static_cast<std::string*>(data->UserData);
        text->resize(static_cast<size_t>(data->BufTextLen));
        data->Buf = text->data();
    }
    return 0;
}

}  // namespace

bool input_text(const char* label, std::string& text, ImGuiInputTextFlags flags) {
    return ImGui::InputText(label, text.data(), text.capacity() + 1, flags | ImGuiInputTextFlags_CallbackResize,
                            resize_callback, &text);
}

bool input_text_multiline(const char* label, std::string& text, ImVec2 size, ImGuiInputTextFlags flags) {
    return ImGui::InputTextMultiline(label, text.data(), text.capacity() + 1, size,
                                     flags | ImGuiInputTextFlags_CallbackResize, resize_callback, &text);
}

void chip(const char* text, Rgba color) {
    const ImVec2 size = ImGui::CalcTextSize(text);
    const ImVec2 pad(ImGui::GetFontSize() * 0.4f, ImGui::GetFontSize() * 0.1f);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(pos, ImVec2(pos.x + size.x + 2 * pad.x, pos.y + size.y + 2 * pad.y), to_imgui(color),
                        ImGui::GetFontSize() * 0.3f);
    const float luminance = 0.299f * color.r + 0.587f * color.g + 0.114f * color.b;
    draw->AddText(ImVec2(pos.x + pad.x, pos.y + pad.y), luminance > 0.55f ? IM_COL32(0, 0, 0, 255) : IM_COL32_WHITE, text);
    ImGui::Dummy(ImVec2(size.x + 2 * pad.x, size.y + 2 * pad.y));
}

void help_marker(const char* text) {
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
        ImGui::TextUnformatted(text);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

void heading(const char* text) {
    ImGui::PushFont(fonts().bold);
    ImGui::TextUnformatted(text);
    ImGui::PopFont();
}

bool begin_tool_window(const char* title, bool* open, float width_em, float max_width_fraction, bool& focus) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float em = ImGui::GetFontSize();
    ImGui::SetNextWindowSize(
        ImVec2(std::min(viewport->WorkSize.x * max_width_fraction, em * width_em), viewport->WorkSize.y * 0.85f),
        ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x * 0.5f,
                                   viewport->WorkPos.y + viewport->WorkSize.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (focus) {
        ImGui::SetNextWindowFocus();
        focus = false;
    }
    return ImGui::Begin(title, open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings);
}

}  // namespace attune::ui
