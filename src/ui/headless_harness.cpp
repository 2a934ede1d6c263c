#include "ui/headless_harness.h"

#include "ui/secret_field.h"

#include <imgui_internal.h>

#include <chrono>
#include <cmath>
#include <map>
#include <thread>
#include <utility>

#include "ui/theme.h"

namespace attune::ui {

// ImGui zeroes what it frees, as in the window (ui/secret_field.h), from its first allocation.
Headless::Headless(ImVec2 display_size) : context_((install_wiping_allocator(), ImGui::CreateContext())) {
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

// [SECTION] Reading the text on screen back from the draw data
// ImFont::RenderText writes one quad per visible glyph: four vertices carrying
// the glyph's atlas corners (U0,V0) (U1,V0) (U1,V1) (U0,V1), indexed as two
// triangles (0,1,2) (0,2,3). Every other shape uses the atlas's white pixel
// or other UVs, so a quad whose corners are a glyph's is that glyph.
std::vector<Headless::ShownText> Headless::shown_text() const {
    struct Found {
        const ImFontGlyph* glyph;
        const ImFont* font;
    };
    std::map<std::pair<float, float>, Found> by_corner;
    for (const ImFont* font : ImGui::GetIO().Fonts->Fonts)
        for (const ImFontGlyph& glyph : font->Glyphs)
            if (glyph.Visible) by_corner.emplace(std::make_pair(glyph.U0, glyph.V0), Found{&glyph, font});

    std::vector<ShownText> shown;
    const ImDrawData* data = ImGui::GetDrawData();
    if (!data) return shown;
    for (int l = 0; l < data->CmdListsCount; ++l) {
        const ImDrawList& list = *data->CmdLists[l];
        bool open = false;   // a run is being read
        float line_top = 0;  // of the open run
        float pen_end = 0;   // where the open run's last glyph ends (its advance)
        for (const ImDrawCmd& cmd : list.CmdBuffer) {
            if (cmd.UserCallback) continue;
            const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
            const ImDrawVert* vtx = list.VtxBuffer.Data + cmd.VtxOffset;
            for (unsigned int i = 0; i + 6 <= cmd.ElemCount; i += 3) {
                const ImDrawVert& tl = vtx[idx[i]];
                const ImDrawVert& br = vtx[idx[i + 2]];
                const auto it = by_corner.find({tl.uv.x, tl.uv.y});
                if (it == by_corner.end() || idx[i + 3] != idx[i] || idx[i + 4] != idx[i + 2]) continue;
                const ImFontGlyph& g = *it->second.glyph;
                if (br.uv.x != g.U1 || br.uv.y != g.V1) continue;
                const float scale = g.Y1 > g.Y0 ? (br.pos.y - tl.pos.y) / (g.Y1 - g.Y0) : 1.0f;
                const float pen = tl.pos.x - g.X0 * scale;
                const float top = tl.pos.y - g.Y0 * scale;
                const float size = it->second.font->FontSize * scale;
                const bool same_line =
                    open && std::abs(top - line_top) < 0.5f && pen > pen_end - 1.0f && pen < pen_end + size * 2.0f;
                if (!same_line) {
                    ShownText run;
                    run.window = list._OwnerName ? list._OwnerName : "";
                    run.color = tl.col;
                    run.min = tl.pos;
                    run.max = br.pos;
                    shown.push_back(std::move(run));
                } else if (pen > pen_end + 1.0f) {
                    shown.back().text += ' ';
                }
                ShownText& run = shown.back();
                char utf8[5];
                run.text += ImTextCharToUtf8(utf8, g.Codepoint);
                run.min = ImVec2(std::min(run.min.x, tl.pos.x), std::min(run.min.y, tl.pos.y));
                run.max = ImVec2(std::max(run.max.x, br.pos.x), std::max(run.max.y, br.pos.y));
                const float slack = 1.0f;  // a glyph's bearing may overhang its box by a pixel
                if (tl.pos.x < cmd.ClipRect.x - slack || tl.pos.y < cmd.ClipRect.y - slack ||
                    br.pos.x > cmd.ClipRect.z + slack || br.pos.y > cmd.ClipRect.w + slack)
                    run.clipped = true;
                open = true;
                line_top = top;
                pen_end = pen + g.AdvanceX * scale;
                i += 3;  // the quad's second triangle
            }
        }
    }
    return shown;
}

std::optional<Headless::ShownText> Headless::find_text(const std::string& needle) const {
    for (ShownText& run : shown_text())
        if (run.text.find(needle) != std::string::npos) return std::move(run);
    return std::nullopt;
}

}  // namespace attune::ui
