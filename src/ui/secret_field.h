// secret_field.h: passphrases and keys typed into the window (issue 17,
// item 4). A secret field edits a fixed buffer in locked, wiped memory
// (core/secret.h), so that typing never reallocates and leaves a copy
// behind; ImGui's own copy of the text being edited (its one
// ImGuiInputTextState: the wide-character edit buffer, the UTF-8 buffer, the
// text as it was when the field was entered, the undo record) is zeroed as
// soon as the field lets go of the keyboard, and on every lock. Whatever ImGui
// frees is zeroed first (install_wiping_allocator), so a buffer it grows does
// not leave the old one behind either.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "core/passphrase_strength.h"
#include "core/secret.h"

namespace attune::ui {

class SecretField {
public:
    SecretField();  // kMaximumPassphraseBytes characters at most
    ~SecretField();
    SecretField(const SecretField&) = delete;
    SecretField& operator=(const SecretField&) = delete;

    std::string_view view() const;
    bool empty() const { return view().empty(); }
    // Every byte zeroed (what was typed, and whatever was typed before).
    void wipe();
    // Drops white space (a pasted recovery key's line end) in place.
    void remove_spaces();
    // Every secret field of the window wiped, and ImGui's edit copy (locking).
    static void wipe_all();

    // The strength estimate of what is typed, computed again only after an edit.
    const PassphraseStrength& strength();

    // For secret_input (ImGui::InputText's buffer).
    char* buffer() { return reinterpret_cast<char*>(bytes_.data()); }
    std::size_t capacity() const { return bytes_.size(); }
    void edited() { ++edits_; }

private:
    SecretBytes bytes_;
    std::uint64_t edits_ = 1;
    std::uint64_t strength_of_ = 0;  // the edit count `strength_` was computed at
    PassphraseStrength strength_;
};

// ImGui::InputText over a secret field, shown as dots. Returns what
// ImGui::InputText returns. Once the field is no longer being edited, ImGui's
// internal copy of its text is zeroed.
bool secret_input(const char* label, SecretField& field, ImGuiInputTextFlags flags = 0);
// The strength estimate under a new passphrase's field: a bar and one line of
// text ("Strength: weak (about 2^31 guesses): ..."); nothing while it is empty.
void strength_meter(SecretField& field, float width);

// Zeroes ImGui's edit state (and the typed characters' queue); when a field is
// being edited it lets go of the keyboard first.
void wipe_imgui_edit_state();
// A secret field that stopped being drawn while it (or ImGui's state) still
// held its text (a dialog closed with Escape while typing): its copy is zeroed.
// The shell calls it at the start of every frame.
void wipe_secret_left_behind();
// ImGui allocates through functions that zero every block before freeing it.
// Call before ImGui::CreateContext (the window and the headless harness do).
void install_wiping_allocator();
// Tests: called with each block ImGui frees, after it was zeroed and before
// it goes back to the heap. Empty: none.
void observe_freed_blocks_for_tests(std::function<void(const unsigned char*, std::size_t)> observer);

}  // namespace attune::ui
