// Secrets typed into the window (issue 17, item 4): a secret field edits a
// fixed buffer in wiped memory; ImGui's own copy of the text (its one
// ImGuiInputTextState) is zeroed once the field lets go of the keyboard and
// on every lock; whatever ImGui frees is zeroed first. The unlock screen and
// Practice > People show zxcvbn's strength estimate under a new passphrase.
#include <imgui_internal.h>

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <cstring>

#include "headless.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"
#include "ui/secret_field.h"

using namespace attune;

namespace {

constexpr const char* kPassphrase = "secret fields passphrase";

template <typename T>
bool all_zero(const ImVector<T>& vector) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(vector.Data);
    const std::size_t size = static_cast<std::size_t>(vector.Capacity) * sizeof(T);
    return std::all_of(bytes, bytes + size, [](unsigned char b) { return b == 0; });
}

// ImGui's edit state holds no trace of a typed secret (its buffers and undo record are zero).
bool edit_state_wiped() {
    const ImGuiInputTextState& state = ImGui::GetCurrentContext()->InputTextState;
    const auto* stb = reinterpret_cast<const unsigned char*>(&state.Stb);
    return all_zero(state.TextW) && all_zero(state.TextA) && all_zero(state.InitialTextA) &&
           std::all_of(stb, stb + sizeof(state.Stb), [](unsigned char b) { return b == 0; });
}

// The wide characters of `text` are somewhere in ImGui's edit buffer.
bool edit_state_holds(const std::string& text) {
    const ImGuiInputTextState& state = ImGui::GetCurrentContext()->InputTextState;
    std::vector<ImWchar> wide(text.begin(), text.end());
    return state.TextW.Data &&
           std::search(state.TextW.Data, state.TextW.Data + state.TextW.Capacity, wide.begin(), wide.end()) !=
               state.TextW.Data + state.TextW.Capacity;
}

struct UnlockScreen {
    test::TempDir dir;
    test::Headless ui;
    explicit UnlockScreen(bool practice_exists) {
        model().set_key_limits_for_tests(test::kTestKdf, test::kTestKdf);
        const auto path = dir / "practice.attune-db";
        if (practice_exists) test::new_practice(path, kPassphrase, "Dr Wipe");
        model().database_path = path.string();
        ui.run_frames(2);
    }
    ui::AppModel& model() { return ui.shell().model(); }
    void type_into(const char* field, const std::string& text) {
        const auto at = ui.find_item("/##view_", {field});
        REQUIRE(at.has_value());
        ui.click(*at);
        ui.type_text(text.c_str());
    }
};

// A practice open with Practice > People shown, the keyboard in "Their first passphrase".
struct PeopleOpen {
    test::TempDir dir;
    test::Headless ui;
    PeopleOpen() {
        model().set_practice(test::new_practice(dir / "practice.attune-db", kPassphrase, "Dr Wipe"));
        ui.run_frames(2);
        ui.shell().people().open();
        ui.run_frames(2);
        const auto field = ui.find_item("People", {"add", "##passphrase"});
        REQUIRE(field.has_value());
        ui.click(*field);
    }
    ui::AppModel& model() { return ui.shell().model(); }
};

}  // namespace

TEST_CASE("after signing in, ImGui's copy of the typed passphrase is all zeros", "[ui][secrets]") {
    UnlockScreen f(true);
    f.type_into("##passphrase", kPassphrase);
    // While typing, ImGui holds the passphrase in its own buffer (the test can see it).
    REQUIRE(edit_state_holds(kPassphrase));
    f.ui.press_key(ui::keys::kEnter);
    f.ui.run_frames(2);
    REQUIRE(f.model().is_open());
    CHECK_FALSE(edit_state_holds(kPassphrase));
    CHECK(edit_state_wiped());
}

TEST_CASE("leaving a passphrase field for another field zeroes ImGui's copy of it", "[ui][secrets]") {
    UnlockScreen f(false);  // a new practice: name, passphrase twice
    f.type_into("##new1", "typed then left for the next field");
    REQUIRE(edit_state_holds("typed then left"));
    f.type_into("##admin_name", "Dr");  // the name field now owns ImGui's one edit state
    CHECK_FALSE(edit_state_holds("typed then left"));
}

TEST_CASE("locking while a passphrase is being typed zeroes ImGui's copy and every secret field", "[ui][secrets]") {
    PeopleOpen f;
    test::Headless& ui = f.ui;
    ui.type_text("half typed when it locked");
    REQUIRE(edit_state_holds("half typed"));
    ui::SecretField standalone;  // any other field of the window
    std::strcpy(standalone.buffer(), "another secret");

    f.model().close_practice();
    CHECK(edit_state_wiped());
    CHECK(ImGui::GetActiveID() == 0);  // the field let go of the keyboard
    CHECK(standalone.empty());
    const char* bytes = standalone.buffer();
    CHECK(std::all_of(bytes, bytes + standalone.capacity(), [](char c) { return c == 0; }));
    ui.run_frames(1);
    CHECK_FALSE(edit_state_holds("half typed"));
}

TEST_CASE("what ImGui frees is zeroed before it goes back to the heap", "[ui][secrets]") {
    test::Headless ui;  // installs the wiping allocator, as the window does
    std::size_t seen = 0;
    bool zero = false;
    ui::observe_freed_blocks_for_tests([&](const unsigned char* block, std::size_t size) {
        seen = size;
        zero = std::all_of(block, block + size, [](unsigned char b) { return b == 0; });
    });
    char* block = static_cast<char*>(ImGui::MemAlloc(64));
    std::memset(block, 'k', 64);
    ImGui::MemFree(block);
    ui::observe_freed_blocks_for_tests(nullptr);
    CHECK(seen >= 64);
    CHECK(zero);
}

TEST_CASE("the new practice's passphrase shows its strength as it is typed", "[ui][secrets][strength]") {
    UnlockScreen f(false);
    CHECK_FALSE(f.ui.find_text("Strength:").has_value());  // nothing typed, nothing said
    f.type_into("##new1", "password123456");
    f.ui.run_frames(1);
    CHECK(test::text_on_screen(f.ui, "Strength: very weak (about 2^2 guesses)"));
    // Typed on: the estimate follows.
    f.ui.type_text("kX9#mQ2vL7pZ4wRt8nB1");
    f.ui.run_frames(1);
    CHECK(test::text_on_screen(f.ui, "Strength: very strong"));
}

TEST_CASE("Practice > People shows the strength of a new person's passphrase", "[ui][secrets][strength]") {
    PeopleOpen f;
    f.ui.type_text("qwertyuiop123456");
    f.ui.run_frames(1);
    CHECK(test::text_on_screen(f.ui, "Strength: very weak"));
}
