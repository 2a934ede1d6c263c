// The practice server in Settings (issue 21): its URL is stored through the
// services and never with a password in it; "Sync now" and the sync's state
// in words ("not set", "syncing…", "offline: ...", "sync refused: ...",
// "synced 12 s ago"); the sync runs on its own thread, so a frame never waits
// for the server.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>

#include "headless.h"
#include "services/background_sync.h"
#include "services/cases.h"
#include "services/live_session.h"
#include "services/practice_sync.h"
#include "services/settings.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"
#include "ui/keys.h"

using namespace attune;

namespace {

constexpr const char* kDialog = "Settings";

struct ServerSettingsFixture {
    test::TempDir dir;
    // Settings are saved under $XDG_CONFIG_HOME: this test's own folder.
    test::ScopedEnv config{"XDG_CONFIG_HOME", (dir / "config").string()};
    test::Headless ui;

    ServerSettingsFixture() {
        model().set_practice(test::new_practice(dir / "practice.attune-db", "server passphrase", "Dr Lee"));
        ui.settle(30);
        ui.shell().settings().open();
        ui.run_frames(3);
        REQUIRE(ui.popup_open(kDialog));
    }
    ui::AppModel& model() { return ui.shell().model(); }
    services::BackgroundSync& sync() { return model().practice().background_sync(); }

    void click(const std::vector<test::Headless::IdPart>& id, int frames = 2) {
        INFO("on screen:\n" << test::screen_text(ui));
        test::click_item(ui, kDialog, id, frames);
    }
    // Replaces what the server field holds with `url` and applies it.
    void apply_url(const std::string& url) {
        click({"##server_url"});
        ui.press_key(ui::keys::letter('a'), true);
        ui.press_key(ui::keys::kBackspace);
        if (!url.empty()) ui.type_text(url.c_str());
        ui.run_frames(1);
        click({"Apply"}, 1);
    }
    bool shown(const std::string& text) { return test::text_on_screen(ui, text); }
};

// A Unix socket that takes connections and never answers: a PostgreSQL
// server that hangs, for as long as the client's connect_timeout.
class SilentSocket {
public:
    explicit SilentSocket(const std::filesystem::path& folder) {
        std::filesystem::create_directories(folder);
        const std::string path = (folder / ".s.PGSQL.5432").string();
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        REQUIRE(path.size() < sizeof(address.sun_path));
        std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
        fd_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
        REQUIRE(fd_ >= 0);
        REQUIRE(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0);
        REQUIRE(::listen(fd_, 8) == 0);
    }
    ~SilentSocket() { ::close(fd_); }
    SilentSocket(const SilentSocket&) = delete;
    SilentSocket& operator=(const SilentSocket&) = delete;

private:
    int fd_ = -1;
};

double seconds_of(const std::function<void()>& work) {
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("a server URL with a password is refused in Settings with one message, and nothing is stored",
          "[ui][practice-server]") {
    ServerSettingsFixture f;
    f.apply_url("postgresql://dr_lee:secret@db.example.org/practice");
    CHECK(f.ui.popup_open(kDialog));  // stays open to be corrected
    CHECK(f.shown("with a password is not stored"));
    CHECK(f.shown("~/.pgpass"));
    CHECK(services::practice_server_url(f.model().practice()).empty());
    CHECK_FALSE(std::filesystem::exists(services::settings_path()));  // nothing of the dialog saved either
    CHECK_FALSE(f.model().sync_status().server_set);
    CHECK(f.shown("not set"));
}

TEST_CASE("without a server the sync reads 'not set', Sync now is off and the menu bar says nothing of it",
          "[ui][practice-server]") {
    ServerSettingsFixture f;
    CHECK(f.shown("not set"));
    CHECK_FALSE(f.ui.find_text("Server:").has_value());
    // Disabled: a click does nothing, and no thread is started for it.
    f.click({"Sync now"});
    CHECK_FALSE(f.model().sync_status().running);
    CHECK(f.shown("not set"));
    CHECK(f.ui.shell().next_redraw_in() < 0);  // an idle window waits for input: the sync costs nothing
}

TEST_CASE(
    "a server that does not answer shows 'syncing…' at once and 'offline: ...' after Sync now, "
    "and no frame waits for it",
    "[ui][practice-server]") {
    ServerSettingsFixture f;
    const SilentSocket silent(f.dir / "pg");
    // libpq gives up after connect_timeout (2 s, its least); the worker waits that long, frames do not.
    const std::string url = "postgresql:///practice?host=" + (f.dir / "pg").string() + "&connect_timeout=2";

    double frame = seconds_of([&] { f.apply_url(url); });
    CHECK(frame < 1.0);
    CHECK(services::practice_server_url(f.model().practice()) == url);
    CHECK(f.shown("syncing\u2026"));  // the first sync starts at once, on the worker
    CHECK(f.model().sync_status().running);

    f.sync().wait_idle();
    f.ui.run_frames(2);
    CHECK(f.shown("offline: "));
    CHECK_FALSE(f.model().sync_status().last_error.empty());
    CHECK(f.model().sync_status().last_error.find('\n') == std::string::npos);  // one line

    frame = seconds_of([&] { f.click({"Sync now"}, 1); });
    CHECK(frame < 1.0);
    CHECK(f.model().sync_status().running);
    CHECK(f.shown("syncing\u2026"));
    f.sync().wait_idle();
    f.ui.run_frames(2);
    CHECK(f.shown("offline: "));

    // Saved and closed: the menu bar keeps the state, short.
    f.click({"Save and close"});
    CHECK_FALSE(f.ui.popup_open(kDialog));
    CHECK(f.shown("Server: offline"));
}

TEST_CASE(
    "a server socket that is not there reads 'offline' with libpq's reason, and forgetting the server "
    "stops the sync",
    "[ui][practice-server]") {
    ServerSettingsFixture f;
    f.apply_url("postgresql:///practice?host=/nonexistent");
    f.sync().wait_idle();
    f.ui.run_frames(2);
    CHECK(f.shown("offline: "));
    CHECK(f.shown("/nonexistent"));

    f.apply_url("");
    CHECK(services::practice_server_url(f.model().practice()).empty());
    CHECK_FALSE(f.model().sync_status().server_set);
    CHECK(f.shown("not set"));
}

TEST_CASE("a server Attune refuses to reach reads 'sync refused' with the reason, not 'offline'",
          "[ui][practice-server]") {
    ServerSettingsFixture f;
    // A TCP URL without verified TLS is refused before anything is sent: no network is touched.
    f.apply_url("postgresql://db.example.org/practice");
    f.sync().wait_idle();
    f.ui.run_frames(2);
    CHECK(f.model().sync_status().refused);
    CHECK(f.shown("sync refused: no changes waiting; the practice server "));
    CHECK(f.shown("sslmode=verify-full"));
    CHECK_FALSE(f.shown("offline"));
    CHECK(f.shown("Server: sync refused"));  // the menu bar, short
}

TEST_CASE(
    "offline, the window counts the changes waiting for the server, and each change made here adds to the count",
    "[ui][practice-server]") {
    ServerSettingsFixture f;
    f.apply_url("postgresql:///practice?host=" + (f.dir / "no server here").string());
    f.sync().wait_idle();
    f.ui.run_frames(2);
    CHECK(f.shown("offline: no changes waiting; "));  // a new practice: no case yet

    services::OpenPractice& practice = f.model().practice();
    const auto counted = [&](const std::string& words) {
        f.ui.run_frames(1);  // the frame that notes the write asks the worker to count
        f.sync().wait_idle();
        f.ui.run_frames(2);
        INFO("on screen:\n" << test::screen_text(f.ui));
        CHECK(f.shown("offline: " + words + "; "));
    };
    const Case c = test::add_couple(practice, "Couple W");
    counted("1 change waiting");  // the case
    const Session s = services::start_session(practice, c.id, "2026-12-05");
    counted("2 changes waiting");  // and its first session
    services::LogRequest request;
    request.who = Who::A;
    request.code = "withdraw_emotion";
    request.at = 12;
    services::log_observation(practice, s, request);
    request.at = 30;
    request.who = Who::B;
    services::log_observation(practice, s, request);
    counted("4 changes waiting");  // and two observations in it
    CHECK(f.model().sync_status().waiting == std::optional<std::int64_t>(4));

    // The menu bar says it too, without the reason.
    f.click({"Save and close"});
    CHECK(f.shown("Server: offline: 4 changes waiting"));
}
