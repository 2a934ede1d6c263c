#include "ui/headless_harness.h"

#include <imgui_internal.h>

#include <chrono>
#include <thread>
#include <utility>

#include "ui/theme.h"

namespace attune::ui {

Headless::Headless(ImVec2 display_size) : context_(ImGui::CreateContext()) {
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = display_size;
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;  // as the app runs
    // The map ImGui 1.86's GLFW backend installs: ImGui's keys to GLFW key codes.
    const std::pair<ImGuiKey, int> key_map[] = {
        {ImGuiKey_Tab, 258},       {ImGuiKey_LeftArrow, 263}, {ImGuiKey_RightArrow, 262}, {ImGuiKey_UpArrow, 265},
        {ImGuiKey_DownArrow, 264}, {ImGuiKey_PageUp, 266},    {ImGuiKey_PageDown, 267},   {ImGuiKey_Home, 268},
        {ImGuiKey_End, 269},       {ImGuiKey_Insert, 260},    {ImGuiKey_Delete, 261},     {ImGuiKey_Backspace, 259},
        {ImGuiKey_Space, 32},      {ImGuiKey_Enter, 257},     {ImGuiKey_Escape, 256},     {ImGuiKey_KeyPadEnter, 335},
        {ImGuiKey_A, 'A'},         {ImGuiKey_C, 'C'},         {ImGuiKey_V, 'V'},          {ImGuiKey_X, 'X'},
        {ImGuiKey_Y, 'Y'},         {ImGuiKey_Z, 'Z'}};
    for (const auto& [imgui_key, glfw_key] : key_map)
        io.KeyMap[imgui_key] = glfw_key;
    load_fonts(16.0f, 1.0f);
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    apply_theme(ThemeKind::Light, 1.0f);
    move_mouse(ImVec2(-1.0f, -1.0f));
}

Headless::~Headless() {
    ImGui::DestroyContext(context_);
}

void Headless::run_frames(int count) {
    for (int i = 0; i < count; ++i) {
        ImGui::NewFrame();
        shell_.frame();
        ImGui::Render();
    }
}

int Headless::settle(double max_seconds) {
    using Clock = std::chrono::steady_clock;
    const auto give_up = Clock::now() + std::chrono::duration<double>(max_seconds);
    int frames = 0;
    do {
        run_frames(1);
        ++frames;
        if (shell_.busy()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    } while ((shell_.busy() || shell_.next_redraw_in() == 0.0) && Clock::now() < give_up);
    return frames;
}

void Headless::run_frame_with(const std::function<void()>& draw) {
    ImGui::NewFrame();
    draw();
    ImGui::Render();
}

void Headless::press_key(int glfw_key, bool ctrl, bool shift, bool alt) {
    key_down(glfw_key, ctrl, shift, alt);
    run_frames(1);
    key_up(glfw_key);
    run_frames(1);
}

void Headless::key_down(int glfw_key, bool ctrl, bool shift, bool alt) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = ctrl;
    io.KeyShift = shift;
    io.KeyAlt = alt;
    io.KeysDown[glfw_key] = true;
    // A printable key also sends its character, as GLFW does (not with Ctrl or Alt).
    if (!ctrl && !alt && glfw_key >= 32 && glfw_key < 127) {
        char c = static_cast<char>(glfw_key);
        if (c >= 'A' && c <= 'Z' && !shift) c = static_cast<char>(c - 'A' + 'a');
        io.AddInputCharacter(static_cast<unsigned>(c));
    }
}

void Headless::key_up(int glfw_key) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[glfw_key] = false;
    io.KeyCtrl = io.KeyShift = io.KeyAlt = false;
}

void Headless::type_text(const char* text) {
    ImGui::GetIO().AddInputCharactersUTF8(text);
    run_frames(1);
}

void Headless::move_mouse(ImVec2 pos) {
    ImGui::GetIO().MousePos = pos;
}

void Headless::click(ImVec2 pos) {
    move_mouse(pos);
    run_frames(1);  // hover first, as a real pointer does
    ImGui::GetIO().MouseDown[0] = true;
    run_frames(1);
    ImGui::GetIO().MouseDown[0] = false;
    run_frames(1);
}

std::optional<ImVec2> Headless::find_item(const std::string& window_name, const std::vector<IdPart>& id_path) {
    ImGuiContext& g = *context_;
    ImGuiWindow* window = nullptr;
    // The shortest matching name: a child's children carry its name as a prefix.
    for (ImGuiWindow* w : g.Windows)
        if (std::string(w->Name).find(window_name) != std::string::npos && w->Active &&
            (!window || std::string(w->Name).size() < std::string(window->Name).size()))
            window = w;
    if (!window) return std::nullopt;
    ImGuiID id = window->ID;
    for (const IdPart& part : id_path)  // as ImGuiWindow::GetID(const char*) and GetID(int) hash them
        id = part.number ? ImHashData(&*part.number, sizeof(int), id) : ImHashStr(part.text.c_str(), 0, id);
    const ImRect area = window->InnerClipRect;
    const float step = ImGui::GetFontSize() * 0.75f;
    std::optional<ImVec2> found;
    for (float y = area.Min.y + step * 0.5f; y < area.Max.y && !found; y += step)
        for (float x = area.Min.x + step * 0.5f; x < area.Max.x && !found; x += step) {
            move_mouse(ImVec2(x, y));
            run_frames(1);
            if (g.HoveredId == id) found = ImVec2(x, y);
        }
    move_mouse(ImVec2(-1.0f, -1.0f));
    run_frames(1);
    return found;
}

bool Headless::popup_open(const std::string& name) const {
    for (const ImGuiPopupData& popup : context_->OpenPopupStack)
        if (popup.Window && std::string(popup.Window->Name).find(name) != std::string::npos) return true;
    return false;
}

bool Headless::window_shown(const std::string& name) const {
    for (const ImGuiWindow* w : context_->Windows)
        // Active: drawn in the last frame (WasActive would be the frame before).
        if (w->Active && std::string(w->Name).find(name) != std::string::npos) return true;
    return false;
}

bool Headless::keyboard_in(const std::string& name) const {
    for (const ImGuiWindow* w = context_->NavWindow; w; w = w->ParentWindow)
        if (std::string(w->Name).find(name) != std::string::npos) return true;
    return false;
}

}  // namespace attune::ui
