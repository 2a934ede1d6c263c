// secret_field: see secret_field.h.
#include "ui/secret_field.h"

#include <imgui_internal.h>
#include <malloc.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <vector>

#include "core/passphrase_policy.h"
#include "ui/dialog.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

// The window's secret fields (the UI thread's alone), for wipe_all().
std::vector<SecretField*>& live_fields() {
    static std::vector<SecretField*> fields;
    return fields;
}

std::function<void(const unsigned char*, std::size_t)>& freed_observer() {
    static std::function<void(const unsigned char*, std::size_t)> observer;
    return observer;
}

void* allocate(std::size_t size, void* /*user_data*/) {
    return std::malloc(size);
}

void free_wiped(void* block, void* /*user_data*/) {
    if (!block) return;
    const std::size_t size = malloc_usable_size(block);
    wipe_buffer(block, size);
    if (freed_observer()) freed_observer()(static_cast<const unsigned char*>(block), size);
    std::free(block);
}

template <typename T>
void wipe_vector(ImVector<T>& vector) {
    if (vector.Data) wipe_buffer(vector.Data, static_cast<std::size_t>(vector.Capacity) * sizeof(T));
}

// Another field took ImGui's one edit state from a secret field in this frame:
// it wrote its own (shorter) text over the start of the buffers only. What lies
// beyond is zeroed; the new field's text, cursor and (fresh) undo stay.
void wipe_residue(ImGuiInputTextState& state) {
    auto wipe_from = [](auto& vector, int from) {
        using T = std::remove_reference_t<decltype(*vector.Data)>;
        if (vector.Data && from < vector.Capacity)
            wipe_buffer(vector.Data + from, static_cast<std::size_t>(vector.Capacity - from) * sizeof(T));
    };
    wipe_from(state.TextW, state.CurLenW + 1);
    wipe_from(state.TextA, state.TextAIsValid ? state.CurLenA + 1 : 0);
    wipe_from(state.InitialTextA, state.InitialTextA.Size);
    auto& undo = state.Stb.undostate;  // characters the new field's undo has not used
    if (undo.redo_char_point > undo.undo_char_point)
        wipe_buffer(undo.undo_char + undo.undo_char_point,
                    static_cast<std::size_t>(undo.redo_char_point - undo.undo_char_point) * sizeof(undo.undo_char[0]));
}

// The secret field whose text ImGui's edit state holds (0: none).
ImGuiID secret_owner = 0;

void wipe_state(ImGuiInputTextState& state) {
    wipe_vector(state.TextW);
    wipe_vector(state.TextA);
    wipe_vector(state.InitialTextA);
    wipe_buffer(&state.Stb, sizeof(state.Stb));  // the cursor and the undo record (deleted characters)
    state.CurLenW = state.CurLenA = 0;
    state.TextAIsValid = false;
    state.ID = 0;  // the next field entered starts its state afresh (stb's undo initialised again)
}

}  // namespace

SecretField::SecretField() : bytes_(kMaximumPassphraseBytes + 1) {
    live_fields().push_back(this);
}

SecretField::~SecretField() {
    auto& fields = live_fields();
    fields.erase(std::remove(fields.begin(), fields.end(), this), fields.end());
}

std::string_view SecretField::view() const {
    const char* text = reinterpret_cast<const char*>(bytes_.data());
    return {text, strnlen(text, bytes_.size())};
}

void SecretField::wipe() {
    bytes_.wipe();
    ++edits_;
}

void SecretField::remove_spaces() {
    char* text = buffer();
    const std::size_t length = view().size();
    std::size_t kept = 0;
    for (std::size_t i = 0; i < length; ++i)
        if (std::isspace(static_cast<unsigned char>(text[i])) == 0) text[kept++] = text[i];
    wipe_buffer(text + kept, capacity() - kept);
    ++edits_;
}

void SecretField::wipe_all() {
    for (SecretField* field : live_fields())
        field->wipe();
    wipe_imgui_edit_state();
}

const PassphraseStrength& SecretField::strength() {
    if (strength_of_ != edits_) {
        strength_ = estimate_passphrase_strength(view());
        strength_of_ = edits_;
    }
    return strength_;
}

bool secret_input(const char* label, SecretField& field, ImGuiInputTextFlags flags) {
    const ImGuiID id = ImGui::GetID(label);
    // A fixed buffer: no resize callback, so nothing is reallocated while typing.
    const bool result = ImGui::InputText(label, field.buffer(), field.capacity(), flags | ImGuiInputTextFlags_Password);
    if (ImGui::IsItemEdited()) field.edited();
    ImGuiInputTextState& state = ImGui::GetCurrentContext()->InputTextState;
    if (ImGui::IsItemActive()) {
        secret_owner = id;
    } else if (state.ID == id) {  // let go of (Enter, Tab, a click elsewhere): all of it goes
        wipe_state(state);
        secret_owner = 0;
    } else if (secret_owner == id) {  // another field, drawn before this one, took the state over
        wipe_residue(state);
        secret_owner = 0;
    }
    return result;
}

void strength_meter(SecretField& field, float width) {
    if (field.empty()) return;
    const PassphraseStrength& strength = field.strength();
    const int level = static_cast<int>(strength.level);  // 0 (very weak) .. 4 (very strong)
    const Rgba colors[] = {palette::vermillion, palette::vermillion, palette::orange, palette::bluish_green,
                           palette::bluish_green};
    {
        ScopedColor bar(ImGuiCol_PlotHistogram, to_imvec4(colors[level]));
        ImGui::ProgressBar(static_cast<float>(level + 1) / 5.0f, ImVec2(width, ImGui::GetFontSize() * 0.4f), "");
    }
    ScopedWrap wrap(ImGui::GetCursorPosX() + width);
    ImGui::TextWrapped("%s", strength.text().c_str());
}

void wipe_imgui_edit_state() {
    ImGuiContext* context = ImGui::GetCurrentContext();
    if (!context) return;
    ImGuiInputTextState& state = context->InputTextState;
    if (state.ID != 0 && ImGui::GetActiveID() == state.ID) ImGui::ClearActiveID();
    wipe_state(state);
    secret_owner = 0;
    // Characters typed (also into a secret field) wait here until the next frame reads them.
    wipe_vector(ImGui::GetIO().InputQueueCharacters);
    ImGui::GetIO().InputQueueCharacters.resize(0);
}

void wipe_secret_left_behind() {
    ImGuiContext* context = ImGui::GetCurrentContext();
    if (!context || secret_owner == 0 || ImGui::GetActiveID() == secret_owner) return;
    ImGuiInputTextState& state = context->InputTextState;
    if (state.ID == secret_owner)
        wipe_state(state);
    else
        wipe_residue(state);
    secret_owner = 0;
}

void install_wiping_allocator() {
    ImGui::SetAllocatorFunctions(allocate, free_wiped);
}

void observe_freed_blocks_for_tests(std::function<void(const unsigned char*, std::size_t)> observer) {
    freed_observer() = std::move(observer);
}

}  // namespace attune::ui
