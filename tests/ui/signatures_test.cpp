// Signatures in the window (issue 16): the review says who signed and whether
// the signature still verifies ("Signed by Dr Lee — verified", or in red
// "changed after signing" for a session edited behind Attune's back); Sign
// asks first and says what sealing means; only the case's supervisor is
// offered Co-sign; a sealed session's notes and observations are read-only in
// the live view and the review; a supervisor never sees the private process
// note.
#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <cstdlib>

#include "headless.h"
#include "services/people.h"
#include "session_data.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/export_dialog.h"
#include "ui/theme.h"

using namespace attune;

namespace {

constexpr const char* kLeePassphrase = "correct horse";
constexpr const char* kPrivate = "PRIVATE-PROCESS-MARKER";
constexpr const char* kData = "DATA-MARKER they spoke of the move";
const std::string kDash = "\xE2\x80\x94";

// Dr Lee treats Couple S (administrator too); Dr Sam supervises it; Dr Other
// is a supervisor of nothing here. Session 1 ended at 10 minutes: A's
// blame_shift at 10 s repaired by B's validate at 40 s, a progress note and a
// private process note.
struct SignedFixture {
    test::TempDir dir;
    test::Headless ui{ImVec2(1280.0f, 800.0f)};
    std::filesystem::path path = dir / "practice.attune-db";
    std::string recovery_key;
    Case couple;
    Session session;

    SignedFixture() {
        auto practice = test::new_practice(path, kLeePassphrase, "Dr Lee");
        recovery_key = std::string(practice->take_recovery_key().view());
        test::add_person(*practice, "Dr Sam", GrantRole::Supervisor);
        test::add_person(*practice, "Dr Other", GrantRole::Supervisor);
        couple = test::add_couple(*practice, "Couple S");
        services::set_case_supervisor(*practice, "Couple S", "Dr Sam");
        session = services::start_session(*practice, couple.id, "2026-11-20");
        test::add_observation(*practice, session, Who::A, 10, "blame_shift");
        test::add_observation(*practice, session, Who::B, 40, "validate");
        session = test::end_session(*practice, session, 600);
        test::save_notes(*practice, session.id, {kData, "", ""}, kPrivate);
        model().set_key_limits_for_tests(test::kTestKdf, test::kTestKdf);
    }
    ui::AppModel& model() { return ui.shell().model(); }
    services::OpenPractice& practice() { return model().practice(); }
    // The window with `name` signed in.
    void show_as(const std::string& name, const std::string& passphrase = "their passphrase") {
        model().close_practice();
        model().set_practice(test::open_practice(path, passphrase, name));
        ui.run_frames(2);
    }
    void sign_as_lee() {
        auto practice = test::open_practice(path, kLeePassphrase, "Dr Lee");
        services::sign_session(*practice, session.id);
    }
    void open_review() {
        model().open_review(couple.id, session.id);
        ui.run_frames(3);
    }
    std::optional<ImVec2> panel_item(const std::string& id) {
        return ui.find_item("/notes_", {"review_supervision", id});
    }
    void click(const std::optional<ImVec2>& at) {
        INFO("on screen:\n" << test::screen_text(ui));
        REQUIRE(at.has_value());
        ui.click(*at);
        ui.run_frames(2);
    }
    bool shown(const std::string& text) { return test::text_on_screen(ui, text); }
    ImU32 red() const { return ImGui::ColorConvertFloat4ToU32(ui::readable_on_background(palette::vermillion)); }
    ImU32 text_color() const { return ImGui::GetColorU32(ImGuiCol_Text); }
};

// Runs the sqlcipher shell on the practice with its raw key: a change made
// behind Attune's back (the way the attack does it, with the key
// `attune key reveal` prints). Returns the shell's exit status.
int behind_attunes_back(const std::filesystem::path& db, const std::string& raw_key, const std::string& sql,
                        const std::filesystem::path& script) {
    test::write_file(script, "PRAGMA key = \"" + raw_key + "\";\n" + sql + "\n");
    const std::string command = "sqlcipher '" + db.string() + "' < '" + script.string() + "' > /dev/null 2>&1";
    return std::system(command.c_str());
}

}  // namespace

TEST_CASE("Sign asks first and says what sealing means; confirmed, the review shows the signature verified",
          "[ui][signatures]") {
    SignedFixture f;
    f.show_as("Dr Lee", kLeePassphrase);
    f.open_review();
    CHECK(f.shown("Not signed yet"));
    CHECK_FALSE(f.shown("sealed: add an addendum"));

    f.click(f.panel_item("Sign session..."));
    REQUIRE(f.ui.popup_open("Sign and seal this session?"));
    CHECK(f.shown("Signing seals the session"));
    CHECK(f.shown("can no longer change, for anyone"));
    f.click(f.ui.find_item("Sign and seal this session?", {"Cancel"}));
    CHECK_FALSE(f.ui.popup_open("Sign and seal this session?"));
    CHECK_FALSE(services::is_signed(f.practice(), f.session.id));

    f.click(f.panel_item("Sign session..."));
    f.click(f.ui.find_item("Sign and seal this session?", {"Sign and seal"}));
    CHECK_FALSE(f.ui.popup_open("Sign and seal this session?"));
    REQUIRE(services::is_signed(f.practice(), f.session.id));
    f.ui.run_frames(2);
    const auto line = f.ui.find_text("Signed by Dr Lee " + kDash + " verified");
    REQUIRE(line.has_value());
    CHECK(line->color == f.text_color());
    CHECK_FALSE(line->clipped);
    // With the whole fingerprint of Dr Lee's key (wrapped at its groups where the panel is narrow).
    const auto people = services::list_people(f.practice());
    const auto lee =
        std::find_if(people.begin(), people.end(), [](const auto& e) { return e.person.name == "Dr Lee"; });
    REQUIRE(lee != people.end());
    REQUIRE(lee->fingerprint.size() == 44);
    CHECK(f.shown("key " + lee->fingerprint.substr(0, 8)));
    CHECK(f.shown(lee->fingerprint.substr(36)));
    CHECK_FALSE(f.panel_item("Sign session...").has_value());  // signed once
    CHECK(f.shown("sealed: add an addendum"));                 // by the progress note
}

TEST_CASE("a session changed behind Attune's back after signing shows its signature in red: changed after signing",
          "[ui][signatures]") {
    SignedFixture f;
    f.sign_as_lee();
    // The raw key, as `attune key reveal --recovery-key-file` gives it.
    std::string raw_key;
    {
        services::OpenRequest request;
        request.path = f.path;
        request.recovery_key = services::KeyMaterial(f.recovery_key);
        request.kdf = request.kdf_minimum = test::kTestKdf;
        raw_key = std::string(services::OpenPractice::open(std::move(request))->reveal_raw_key().view());
    }
    REQUIRE(behind_attunes_back(f.path, raw_key,
                                "DROP TRIGGER observations_sealed_update;\n"
                                "UPDATE observations SET code_id = 'reflect' WHERE code_id = 'validate';",
                                f.dir / "tamper.sql") == 0);

    f.show_as("Dr Lee", kLeePassphrase);
    f.open_review();
    const auto line = f.ui.find_text("Signed by Dr Lee " + kDash + " changed after signing");
    REQUIRE(line.has_value());
    CHECK(line->color == f.red());
    CHECK_FALSE(f.shown("verified"));
}

TEST_CASE("Co-sign is offered only to the case's supervisor, who sees both signatures verified", "[ui][signatures]") {
    SignedFixture f;
    f.sign_as_lee();

    // The clinician who signed is not offered it, though they are an administrator too.
    f.show_as("Dr Lee", kLeePassphrase);
    f.open_review();
    REQUIRE(f.shown("Signed by Dr Lee " + kDash + " verified"));
    CHECK_FALSE(f.panel_item("Co-sign as supervisor...").has_value());
    CHECK(f.shown("Co-signed only by the case's supervisor"));

    // Another supervisor does not even see the case.
    f.show_as("Dr Other");
    CHECK(services::list_cases(f.practice()).empty());

    f.show_as("Dr Sam");
    f.open_review();
    f.click(f.panel_item("Co-sign as supervisor..."));
    REQUIRE(f.ui.popup_open("Co-sign this session?"));
    CHECK(f.shown("as Dr Lee signed it"));
    f.click(f.ui.find_item("Co-sign this session?", {"Co-sign"}));
    f.ui.run_frames(2);
    CHECK(f.shown("Signed by Dr Lee " + kDash + " verified"));
    CHECK(f.shown("Co-signed by Dr Sam " + kDash + " verified"));
    CHECK_FALSE(f.panel_item("Co-sign as supervisor...").has_value());
    const auto checks = services::verify_signatures(f.practice(), f.session.id);
    REQUIRE(checks.size() == 2);
    CHECK(checks[1].signature.signer_name == "Dr Sam");
}

TEST_CASE("a sealed session's notes and observations cannot be changed in the live view", "[ui][signatures]") {
    SignedFixture f;
    f.sign_as_lee();
    f.show_as("Dr Lee", kLeePassphrase);
    f.model().open_session(f.couple.id, f.session.id);
    f.ui.run_frames(3);
    CHECK(f.shown("sealed: add an addendum in Review"));
    CHECK(f.shown("Signed and sealed"));
    CHECK_FALSE(f.shown("the notes stay editable"));
    // No Edit or Delete beside the observations.
    CHECK_FALSE(f.ui.find_item("/##record_", {"##observations", 0, "Edit"}).has_value());
    const auto runs = f.ui.shown_text();
    CHECK(std::count_if(runs.begin(), runs.end(), [](const auto& run) { return run.text == "sealed"; }) == 2);

    // Typing into the progress note changes nothing.
    const auto data = f.ui.find_item("/##progress_", {"##data"});
    REQUIRE(data.has_value());
    f.ui.click(*data);
    f.ui.type_text("CHANGED ");
    f.ui.run_frames(3);
    CHECK_FALSE(f.shown("CHANGED"));
    f.model().close_practice();  // saves whatever the view held
    auto again = test::open_practice(f.path, kLeePassphrase, "Dr Lee");
    CHECK(test::stored_note(*again, f.session).data == kData);

    // The private process note is not part of what was signed: it stays the clinician's to edit.
    CHECK(test::stored_process_note(*again, f.session) == kPrivate);
}

TEST_CASE("a supervisor never sees the private process note: not in the live view, the review or an export",
          "[ui][signatures]") {
    SignedFixture f;
    // The clinician does see it (so that its absence below means something).
    f.show_as("Dr Lee", kLeePassphrase);
    f.model().open_session(f.couple.id, f.session.id);
    f.ui.run_frames(3);
    REQUIRE(f.shown(kPrivate));
    REQUIRE(f.ui.find_item("/##record_", {"##observations", 0, "Edit"}).has_value());

    f.show_as("Dr Sam");
    f.model().open_case(f.couple.id);
    f.ui.run_frames(3);
    CHECK(f.ui.find_item("/sessions_", {static_cast<int>(f.session.id), "Review"}).has_value());
    CHECK_FALSE(f.ui.find_item("/sessions_", {static_cast<int>(f.session.id), "Open"}).has_value());
    CHECK_FALSE(f.ui.find_item("/##view_", {"Start next session"}).has_value());

    f.model().open_session(f.couple.id, f.session.id);  // as a link or a resumed session would
    f.ui.run_frames(3);
    CHECK(f.shown("Only the case's clinician, Dr Lee, opens its live session"));
    CHECK_FALSE(f.shown(kPrivate));
    CHECK_FALSE(f.shown("Private process notes"));

    f.open_review();
    CHECK(f.shown(kData));  // the progress note is the supervisor's to read
    CHECK_FALSE(f.shown(kPrivate));
    f.click(f.ui.find_item("/##view_", {"Export..."}));
    REQUIRE(f.model().shown_export_dialog() != nullptr);
    CHECK_FALSE(f.ui.find_item("export_dialog", {"Include private process notes"}).has_value());
    CHECK(f.shown("Private process notes stay with the case's clinician"));
    CHECK(f.model().shown_export_dialog()->preview().find(kPrivate) == std::string::npos);
}
