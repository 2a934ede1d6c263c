// Locking from the window: Practice > Lock closes the practice; locking stops
// the caseload's workers (their connections closed) and wipes the one copy of
// the key material; notes typed within the last second are saved first.
#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <string_view>

#include "core/error.h"
#include "headless.h"
#include "services/caseload_summaries.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"

using namespace attune;

namespace {

constexpr const char* kPassphrase = "lock test passphrase";

// A demo practice open in the shell, its caseload shown and every row in: the
// caseload's workers have opened their connections.
struct OpenCaseload {
    test::TempDir dir;
    test::Headless ui;

    OpenCaseload() {
        auto practice = test::new_practice(dir / "practice.db", kPassphrase, "Dr Lock");
        test::add_demo(*practice, 3, 2, 10);
        model().set_practice(std::move(practice));
        model().show_caseload();
        ui.settle();
    }
    ui::AppModel& model() { return ui.shell().model(); }
};

}  // namespace

TEST_CASE("Practice > Lock closes the practice and frees the file for another writer", "[ui][lock]") {
    OpenCaseload f;
    REQUIRE(f.model().is_open());
    REQUIRE(f.model().caseload_summaries().done() == 3);
    REQUIRE(f.model().caseload_summaries().connections_open() > 0);

    // The menu bar is outside the area find_item searches: it is reached as a
    // keyboard user does. Alt takes the keyboard to the menu bar, Space opens
    // Practice, Down moves from Caseload to Lock, Space chooses it.
    f.ui.press_key(ui::keys::kLeftAlt, false, false, true);
    f.ui.press_key(ui::keys::kSpace);
    REQUIRE(f.ui.popup_open("##Menu_00"));
    f.ui.press_key(ui::keys::kDown);
    f.ui.press_key(ui::keys::kSpace);
    f.ui.run_frames(2);

    CHECK_FALSE(f.model().is_open());
    CHECK(f.model().screen() == ui::Screen::Unlock);
    CHECK(f.ui.shell().window_title() == "Attune");
    // Every connection is closed: the file opens again for writing from here.
    auto again = test::open_practice(f.dir / "practice.db", kPassphrase, "Dr Lock");
    CHECK(services::list_cases(*again).size() == 3);
}

TEST_CASE("locking wipes the key material and closes the caseload workers' connections", "[ui][lock]") {
    OpenCaseload f;
    services::OpenPractice& practice = f.model().practice();
    const services::KeyMaterial& key = practice.key_material();
    // The practice's data key as SQLCipher's raw key (x'<64 hex digits>'), never the passphrase.
    REQUIRE(key.view().size() == 67);
    REQUIRE(key.view().substr(0, 2) == "x'");
    REQUIRE(key.view().find(kPassphrase) == std::string_view::npos);
    services::CaseloadSummaries& workers = practice.caseload_summaries();
    REQUIRE(workers.connections_open() > 0);
    const unsigned char* buffer = key.data_for_tests();
    const std::size_t capacity = key.capacity_for_tests();
    REQUIRE(capacity >= key.view().size());

    practice.lock();  // what AppModel::close_practice does before it drops the practice
    CHECK(practice.locked());
    CHECK(key.empty());
    CHECK(key.data_for_tests() == buffer);  // the same buffer, zeroed where it stands
    CHECK(std::all_of(buffer, buffer + capacity, [](unsigned char b) { return b == 0; }));
    CHECK(workers.connections_open() == 0);
    CHECK_FALSE(workers.running());
    CHECK_THROWS_AS(services::list_cases(practice), Error);  // every use case refuses now

    f.model().close_practice();
    CHECK_FALSE(f.model().is_open());
}

TEST_CASE("a note typed less than a second before locking is saved", "[ui][lock]") {
    test::TempDir dir;
    test::Headless ui;
    auto practice = test::new_practice(dir / "practice.db", kPassphrase, "Dr Lock");
    const Case c = test::add_couple(*practice, "Couple Notes");
    const Session s = services::start_session(*practice, c.id, "2026-11-22");
    ui::AppModel& model = ui.shell().model();
    model.set_practice(std::move(practice));
    model.open_session(c.id, s.id);
    ui.run_frames(3);

    ui.press_key(ui::keys::kTab);  // into the progress note's Data field
    ui.type_text("Typed just before locking");
    // Saving waits for a pause in typing (LiveSession::kNoteDebounceSeconds): not yet.
    REQUIRE(test::stored_note(model.practice(), s).data.empty());
    model.close_practice();
    REQUIRE_FALSE(model.is_open());

    auto again = test::open_practice(dir / "practice.db", kPassphrase, "Dr Lock");
    CHECK(test::stored_note(*again, s).data == "Typed just before locking");
}
