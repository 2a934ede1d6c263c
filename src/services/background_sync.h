// background_sync.h: the window's sync with the practice server (issue 21)
// on a worker thread with its own connection, never inside a frame: one push
// and pull (services/practice_sync.h, the same body as `attune sync`) at once
// when started, every `period` after the last one ended, and when asked
// ("Sync now"). The practice owns it and stops it before it locks.
//
// Without a server set it has no thread and costs nothing. Idle, its thread
// sleeps on a condition variable until the next sync is due. The window reads
// a small snapshot (status()); the worker calls on_change() when it moves, so
// that an idle window wakes only to show a new state.
//
// Signatures: the background run does not verify the signatures of what
// arrived (that needs the practice's trust, kept on the main connection);
// the review verifies a session's signatures whenever it shows one, and
// `attune sync` and `attune verify` check them all.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/model.h"
#include "core/practice_trust.h"

namespace attune::services {

class OpenPractice;

struct SyncStatus {
    using Clock = std::chrono::steady_clock;
    bool server_set = false;  // a server URL is set for this practice
    bool running = false;     // a sync is under way, or asked for
    std::optional<Clock::time_point> last_success;
    // Why the last sync failed (one line, never a password); empty once one
    // succeeds. Set without a sync, too, when this practice cannot sync at all
    // (no personal keys, opened read-only).
    std::string last_error;
    // The last sync reached the server, or never tried to, and was refused
    // (last_error says why: a person it lacks, a login not the signed-in
    // person's, a URL without verified TLS): waiting does not mend it.
    bool refused = false;
    // How many changes made here the server has not had (detail::changes_waiting),
    // as counted after the last sync and, while it failed, after each change
    // here since; unknown until first counted.
    std::optional<std::int64_t> waiting;
};

// How the state reads in words: "not set", "syncing…", "offline: <why>",
// "sync refused: <why>", "synced just now", "synced 12 s ago" (then minutes,
// hours), "waiting to sync" (set, not yet run), "not syncing: <why>" (set,
// but this practice cannot sync). Offline or refused, with the changes
// waiting once counted: "offline: 14 changes waiting; <why>" ("1 change",
// "no changes").
// `short_form` (the window's menu bar): "offline" or "sync refused" without the reason,
// and ages below a minute in steps of 10 s ("synced just now", "synced 20 s
// ago") so that an idle window redraws at most every 10 s for it.
std::string sync_status_text(const SyncStatus& status, SyncStatus::Clock::time_point now, bool short_form = false);
// Seconds until that text changes by itself (the age moving on); negative
// when it does not.
double sync_status_changes_in(const SyncStatus& status, SyncStatus::Clock::time_point now, bool short_form = false);

class BackgroundSync {
public:
    static constexpr std::chrono::seconds kDefaultPeriod{60};

    explicit BackgroundSync(OpenPractice& practice) : practice_(practice) {}
    BackgroundSync(const BackgroundSync&) = delete;
    BackgroundSync& operator=(const BackgroundSync&) = delete;
    ~BackgroundSync() { stop(); }

    // On the practice's own thread: reads the server stored for the practice
    // (services::practice_server_url) and who is signed in, then syncs at
    // once and every period on its thread; with none stored, stops. Call
    // again after the server changed (Settings does).
    void start();
    // Syncs as soon as the running sync (if any) is done; nothing without a server.
    void sync_now();
    // Something was written here (the window calls it when the practice's
    // data_version moved; no disk, no wait): while the last sync failed, the
    // worker counts the changes waiting again on its own connection.
    void local_change();
    // Ends the thread, waiting for a running sync to finish (a sync cannot
    // be cut short: up to the server's connect timeout, 10 s, when it does
    // not answer). Nothing is set afterwards.
    void stop();

    SyncStatus status() const;
    // Called on the worker's thread whenever status() moves (the window posts
    // an empty event to wake its loop). Set before start().
    void set_on_change(std::function<void()> on_change);
    // How long after one sync ended the next begins (tests shorten it); from
    // the next sync on.
    void set_period(std::chrono::milliseconds period);
    // Moves each time a sync changed rows of this practice (on the worker's
    // connection): the practice's data_version() adds it, so views reload.
    std::uint64_t changes_here() const { return changes_here_.load(); }
    // Blocks until no sync or count runs or is asked for (tests, screenshots).
    void wait_idle() const;

private:
    void work();
    void changed();

    OpenPractice& practice_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;          // sync now, stop
    mutable std::condition_variable idle_;  // a sync ended
    std::thread thread_;
    bool stopping_ = false;
    bool requested_ = false;
    bool recount_ = false;   // count the changes waiting, without syncing
    bool counting_ = false;  // counting them now
    std::string url_;
    Person me_;
    TrustRoot root_;  // as the person's own slot authenticates it
    std::chrono::milliseconds period_ = kDefaultPeriod;
    SyncStatus::Clock::time_point next_due_{};
    SyncStatus status_;
    std::function<void()> on_change_;
    std::atomic<std::uint64_t> changes_here_{0};
};

}  // namespace attune::services
