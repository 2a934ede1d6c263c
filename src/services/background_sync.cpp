// background_sync.cpp: the window's sync worker (rules in background_sync.h).
#include "services/background_sync.h"

#include <cmath>

#include "services/open_practice.h"
#include "services/practice_access.h"
#include "services/practice_sync.h"
#include "services/practice_sync_internal.h"

namespace attune::services {

// [SECTION] The state in words

namespace {

std::string first_line(const std::string& text) {
    const auto end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

// Whole seconds since the last success.
std::int64_t age_seconds(const SyncStatus& status, SyncStatus::Clock::time_point now) {
    const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - *status.last_success).count();
    return age < 0 ? 0 : age;
}

// The unit the age is shown in at `age` seconds: 1, 10 (short form below a
// minute), 60 or 3600.
std::int64_t age_step(std::int64_t age, bool short_form) {
    if (age < 60) return short_form ? 10 : 1;
    return age < 3600 ? 60 : 3600;
}

std::string changes_in_words(std::int64_t n) {
    if (n == 0) return "no changes waiting";
    return std::to_string(n) + (n == 1 ? " change" : " changes") + " waiting";
}

}  // namespace

std::string sync_status_text(const SyncStatus& status, SyncStatus::Clock::time_point now, bool short_form) {
    if (!status.server_set) {
        if (status.last_error.empty()) return "not set";
        return short_form ? "not syncing" : "not syncing: " + status.last_error;
    }
    if (status.running) return "syncing\u2026";
    if (!status.last_error.empty()) {
        std::string state = status.refused ? "sync refused" : "offline";
        if (status.waiting) state += ": " + changes_in_words(*status.waiting);
        return short_form ? state : state + (status.waiting ? "; " : ": ") + status.last_error;
    }
    if (!status.last_success) return "waiting to sync";
    const std::int64_t age = age_seconds(status, now);
    const std::int64_t step = age_step(age, short_form);
    if (age < step && step < 60) return "synced just now";
    const std::int64_t shown = age / step;
    if (step < 60) return "synced " + std::to_string(shown * step) + " s ago";
    return "synced " + std::to_string(shown) + (step == 60 ? " min ago" : " h ago");
}

double sync_status_changes_in(const SyncStatus& status, SyncStatus::Clock::time_point now, bool short_form) {
    if (!status.server_set || status.running || !status.last_error.empty() || !status.last_success) return -1;
    const double age = std::chrono::duration<double>(now - *status.last_success).count();
    const auto step = static_cast<double>(age_step(static_cast<std::int64_t>(age < 0 ? 0 : age), short_form));
    return std::max(0.0, (std::floor(age / step) + 1) * step - age);
}

// [SECTION] The worker

namespace {

// The changes waiting, counted on `db`; nothing when counting failed (the
// state reads without a count, the sync's own state stands).
std::optional<std::int64_t> count_waiting(store::Database& db) {
    try {
        return detail::changes_waiting(db);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// The same on a read-only connection of its own, closed at once.
std::optional<std::int64_t> count_waiting(OpenPractice& practice) {
    try {
        const auto db = worker_connection(practice, true);
        return count_waiting(*db);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

void BackgroundSync::start() {
    std::string url;
    std::string cannot;
    Person me;
    TrustRoot root;
    try {
        url = practice_server_url(practice_);
        me = practice_.person();
        if (practice_.has_keys()) root = PracticeAccess::trust_root(practice_);
        if (!practice_.has_keys())
            cannot = detail::kNoKeys;
        else if (practice_.read_only())
            cannot = "this practice is open read-only";
    } catch (const std::exception& e) {
        cannot = first_line(e.what());
    }
    stop();
    {
        std::lock_guard guard(mutex_);
        status_ = SyncStatus();
        if (url.empty()) return;  // no thread: nothing to do, nothing to pay
        status_.server_set = !url.empty();
        if (!cannot.empty()) {
            status_.server_set = false;
            status_.last_error = cannot;
            return;
        }
        url_ = std::move(url);
        me_ = std::move(me);
        root_ = std::move(root);
        stopping_ = false;
        requested_ = true;  // the first sync at once
        next_due_ = SyncStatus::Clock::now();
    }
    thread_ = std::thread([this] { work(); });
}

void BackgroundSync::sync_now() {
    {
        std::lock_guard guard(mutex_);
        if (!thread_.joinable()) return;
        requested_ = true;
    }
    wake_.notify_one();
}

void BackgroundSync::local_change() {
    {
        std::lock_guard guard(mutex_);
        if (!thread_.joinable() || status_.last_error.empty()) return;  // synced: the next sync sends it
        recount_ = true;
    }
    wake_.notify_one();
}

void BackgroundSync::stop() {
    {
        std::lock_guard guard(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    std::lock_guard guard(mutex_);
    status_ = SyncStatus();
    requested_ = false;
    recount_ = false;
    idle_.notify_all();
}

SyncStatus BackgroundSync::status() const {
    std::lock_guard guard(mutex_);
    SyncStatus status = status_;
    status.running = status.running || (requested_ && thread_.joinable());  // asked for counts as under way
    return status;
}

void BackgroundSync::set_on_change(std::function<void()> on_change) {
    std::lock_guard guard(mutex_);
    on_change_ = std::move(on_change);
}

void BackgroundSync::set_period(std::chrono::milliseconds period) {
    std::lock_guard guard(mutex_);
    period_ = period;
}

void BackgroundSync::wait_idle() const {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] {
        return !thread_.joinable() || stopping_ || (!requested_ && !status_.running && !recount_ && !counting_);
    });
}

void BackgroundSync::changed() {
    std::function<void()> on_change;
    {
        std::lock_guard guard(mutex_);
        on_change = on_change_;
    }
    if (on_change) on_change();
}

void BackgroundSync::work() {
    std::unique_lock lock(mutex_);
    while (true) {
        // Sleeps until asked, stopped, or the period has passed: no polling.
        wake_.wait_until(lock, next_due_, [&] { return stopping_ || requested_ || recount_; });
        if (stopping_) return;
        if (recount_ && !requested_ && SyncStatus::Clock::now() < next_due_) {
            recount_ = false;
            counting_ = true;
            lock.unlock();
            const std::optional<std::int64_t> waiting = count_waiting(practice_);
            lock.lock();
            counting_ = false;
            if (waiting) status_.waiting = waiting;
            idle_.notify_all();
            lock.unlock();
            changed();
            lock.lock();
            continue;
        }
        requested_ = false;
        recount_ = false;
        status_.running = true;
        const std::string url = url_;
        const Person me = me_;
        const TrustRoot root = root_;
        lock.unlock();
        changed();

        std::string error;
        bool refused = false;
        bool changed_here = false;
        // Its own connection for each run, closed before the next wait: an
        // idle worker holds nothing open.
        std::unique_ptr<store::Database> db;
        try {
            db = worker_connection(practice_, false);
            changed_here = detail::sync_on(*db, me, root, url, false).report.changed_here();
        } catch (const Error& e) {
            error = first_line(e.what());
            if (error.empty()) error = "the sync failed";
            // Reached and refused (or refused before trying); Io is "not reached, or the connection lost".
            refused = e.kind() == Error::Kind::Denied || e.kind() == Error::Kind::Invalid;
        } catch (const std::exception& e) {
            error = first_line(e.what());
            if (error.empty()) error = "the sync failed";
        }
        if (changed_here) ++changes_here_;
        // Whether the sync failed or not, what waits for the next one.
        const std::optional<std::int64_t> waiting = db ? count_waiting(*db) : std::nullopt;
        db.reset();

        lock.lock();
        status_.running = false;
        status_.last_error = error;
        status_.refused = refused;
        if (waiting) status_.waiting = waiting;
        if (error.empty()) status_.last_success = SyncStatus::Clock::now();
        next_due_ = SyncStatus::Clock::now() + period_;
        idle_.notify_all();
        lock.unlock();
        changed();
        lock.lock();
    }
}

}  // namespace attune::services
