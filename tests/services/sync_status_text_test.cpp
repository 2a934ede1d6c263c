// The practice server's sync state in words (services/background_sync.h), as
// Settings (exact) and the menu bar (short) show it, and when that text moves
// on by itself, which is when an idle window redraws for it.
#include <catch2/catch_test_macros.hpp>

#include "services/background_sync.h"

using namespace attune::services;
using namespace std::chrono_literals;

namespace {

SyncStatus synced_at(SyncStatus::Clock::time_point when) {
    SyncStatus status;
    status.server_set = true;
    status.last_success = when;
    return status;
}

}  // namespace

TEST_CASE("the sync state reads in words, exact in Settings and in steps of 10 s in the menu bar", "[sync]") {
    const auto now = SyncStatus::Clock::now();
    CHECK(sync_status_text(SyncStatus(), now) == "not set");
    SyncStatus status;
    status.server_set = true;
    CHECK(sync_status_text(status, now) == "waiting to sync");
    status.running = true;
    CHECK(sync_status_text(status, now) == "syncing\u2026");
    status.running = false;
    status.last_error = "cannot connect to the practice server";
    CHECK(sync_status_text(status, now) == "offline: cannot connect to the practice server");
    CHECK(sync_status_text(status, now, true) == "offline");
    CHECK(sync_status_changes_in(status, now) < 0);  // an error's text stays until the next sync
    // Once counted, the changes made here that the server has not had.
    status.waiting = 14;
    CHECK(sync_status_text(status, now) == "offline: 14 changes waiting; cannot connect to the practice server");
    CHECK(sync_status_text(status, now, true) == "offline: 14 changes waiting");
    status.waiting = 1;
    CHECK(sync_status_text(status, now, true) == "offline: 1 change waiting");
    status.waiting = 0;
    CHECK(sync_status_text(status, now, true) == "offline: no changes waiting");
    status.waiting.reset();
    // Reached and refused: waiting for the network does not mend it, and the words say so.
    status.last_error = "sending session_ratings to the practice server: they name Lee Park, who is not on the server";
    status.refused = true;
    CHECK(sync_status_text(status, now) ==
          "sync refused: sending session_ratings to the practice server: they name Lee Park, who is not on the server");
    CHECK(sync_status_text(status, now, true) == "sync refused");
    CHECK(sync_status_changes_in(status, now) < 0);
    status.waiting = 3;
    CHECK(sync_status_text(status, now, true) == "sync refused: 3 changes waiting");
    // In step, the count is not shown: the next sync sends what is new within the minute.
    SyncStatus synced = synced_at(now - 12s);
    synced.waiting = 2;
    CHECK(sync_status_text(synced, now) == "synced 12 s ago");

    CHECK(sync_status_text(synced_at(now - 12s), now) == "synced 12 s ago");
    CHECK(sync_status_text(synced_at(now - 12s), now, true) == "synced 10 s ago");
    CHECK(sync_status_text(synced_at(now - 3s), now, true) == "synced just now");
    CHECK(sync_status_text(synced_at(now - 150s), now) == "synced 2 min ago");
    CHECK(sync_status_text(synced_at(now - 7300s), now, true) == "synced 2 h ago");
}

TEST_CASE("the age's text moves on at its next step, so an idle window wakes only then", "[sync]") {
    const auto now = SyncStatus::Clock::now();
    CHECK(sync_status_changes_in(SyncStatus(), now) < 0);
    const double exact = sync_status_changes_in(synced_at(now - 12500ms), now);
    CHECK(exact > 0.49);
    CHECK(exact < 0.51);
    const double short_form = sync_status_changes_in(synced_at(now - 12500ms), now, true);
    CHECK(short_form > 7.49);
    CHECK(short_form < 7.51);
    const double minutes = sync_status_changes_in(synced_at(now - 90s), now, true);
    CHECK(minutes > 29.9);
    CHECK(minutes < 30.1);
}
