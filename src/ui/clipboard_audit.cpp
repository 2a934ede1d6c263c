#include "ui/clipboard_audit.h"

#include <imgui.h>

#include <utility>

namespace attune::ui {

namespace {

using SetClipboard = void (*)(void* user_data, const char* text);

// What the wrapper stands in front of, for the context it was installed in.
struct Wrapped {
    ImGuiContext* context = nullptr;
    SetClipboard original = nullptr;
    void* original_user_data = nullptr;
    ClipboardRecorder record;
};

Wrapped& wrapped() {
    static Wrapped state;
    return state;
}

void set_original(const char* text) {
    const Wrapped& w = wrapped();
    if (w.original) w.original(w.original_user_data, text);
}

void audited_set_clipboard(void* /*user_data*/, const char* text) {
    const Wrapped& w = wrapped();
    const std::size_t characters = utf8_characters(text);
    // An empty copy carries nothing out; anything else is recorded first.
    if (characters != 0 && w.record && !w.record(characters)) return;
    set_original(text);
}

}  // namespace

std::size_t utf8_characters(const char* text) {
    std::size_t count = 0;
    for (const char* c = text; c && *c; ++c)
        if ((static_cast<unsigned char>(*c) & 0xC0) != 0x80) ++count;
    return count;
}

void audit_clipboard(ClipboardRecorder record) {
    Wrapped& w = wrapped();
    ImGuiIO& io = ImGui::GetIO();
    if (w.context != ImGui::GetCurrentContext() || io.SetClipboardTextFn != &audited_set_clipboard) {
        w.context = ImGui::GetCurrentContext();
        w.original = io.SetClipboardTextFn;
        w.original_user_data = io.ClipboardUserData;
        io.SetClipboardTextFn = &audited_set_clipboard;
    }
    w.record = std::move(record);
}

void set_clipboard_recorded_elsewhere(const std::string& text) {
    if (ImGui::GetIO().SetClipboardTextFn == &audited_set_clipboard)
        set_original(text.c_str());
    else
        ImGui::SetClipboardText(text.c_str());
}

}  // namespace attune::ui
