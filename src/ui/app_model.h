// app_model.h: what the views share: the open practice, navigation, messages
// and in-memory caches refreshed when the data version changes (never a
// database query per frame). No ImGui here.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/chart_model.h"
#include "core/records.h"
#include "core/scheme.h"
#include "services/background_sync.h"
#include "services/backups.h"
#include "services/caseload_summaries.h"
#include "services/open_practice.h"

namespace attune::ui {

class ExportDialog;
class VideoSurface;

enum class Screen { Unlock, Caseload, CaseTrends, Session, Review };

struct Message {
    enum class Kind { Info, Error } kind = Kind::Info;
    std::string text;
    double shown_at = 0;  // wall seconds
};

class AppModel {
public:
    AppModel() = default;

    // [SECTION] The practice (services::OpenPractice owns it; views call services with it)
    bool is_open() const { return practice_ != nullptr; }
    services::OpenPractice& practice() { return *practice_; }
    const services::OpenPractice& practice() const { return *practice_; }
    void set_practice(std::unique_ptr<services::OpenPractice> practice);
    // Locks the practice (workers stopped, key wiped) and returns to the unlock
    // screen. Everything naming its cases goes: the message line, the current
    // case and session, the screen lock; the shell makes its views anew
    // (their caches with them) before the next frame draws (locks()).
    void close_practice();
    // Moves with every close_practice(), also of a practice never shown.
    std::uint64_t locks() const { return locks_; }
    // Called before the practice locks (views save what is still unsaved),
    // until the returned hook is destroyed.
    class LockHook {
    public:
        LockHook() = default;
        LockHook(AppModel* model, std::uint64_t id) : model_(model), id_(id) {}
        ~LockHook() { release(); }
        LockHook(LockHook&& other) noexcept : model_(std::exchange(other.model_, nullptr)), id_(other.id_) {}
        LockHook& operator=(LockHook&& other) noexcept {
            if (this != &other) {
                release();
                model_ = std::exchange(other.model_, nullptr);
                id_ = other.id_;
            }
            return *this;
        }
        LockHook(const LockHook&) = delete;
        LockHook& operator=(const LockHook&) = delete;

    private:
        void release() {
            if (model_) model_->on_lock_.erase(id_);
            model_ = nullptr;
        }
        AppModel* model_ = nullptr;
        std::uint64_t id_ = 0;
    };
    [[nodiscard]] LockHook on_lock(std::function<void()> callback) {
        on_lock_.emplace(++next_lock_hook_, std::move(callback));
        return LockHook(this, next_lock_hook_);
    }
    // A practice just made is open before the model holds it: the unlock
    // screen shows its recovery key first. Held here, so that auto-lock (and
    // any lock) closes it too.
    void hold_until_recovery_key_noted(std::unique_ptr<services::OpenPractice> practice) {
        held_ = std::move(practice);
    }
    bool holds_new_practice() const { return held_ != nullptr; }
    void open_held_practice() { set_practice(std::move(held_)); }
    // A practice is open, shown or held.
    bool practice_open() const { return is_open() || holds_new_practice(); }

    // [SECTION] The screen lock: auto-lock during a running live session
    // hides everything (the shell draws only ui/screen_lock.h) while the
    // practice stays open, so that the session's clock and saving go on.
    // The signed-in person's passphrase, or locking the practice, ends it.
    void lock_screen() { screen_locked_ = is_open(); }
    bool screen_locked() const { return screen_locked_; }
    void unlock_screen() { screen_locked_ = false; }
    RowId default_scheme_id() const { return practice_ ? practice_->default_scheme_id() : 0; }

    // A practice made by `attune demo` (invented couples): re-read only when the data changed.
    bool is_demo();

    // [SECTION] Navigation
    Screen screen() const { return screen_; }
    // The caseload is a read of every case's label and flags: each showing is
    // an audit row ("open", view "caseload"); unrecorded, its table is not drawn.
    void show_caseload();
    bool caseload_recorded() const { return caseload_recorded_; }
    void open_case(RowId case_id);
    void open_session(RowId case_id, RowId session_id);
    void open_review(RowId case_id, RowId session_id);
    RowId current_case() const { return current_case_; }
    RowId current_session() const { return current_session_; }

    // [SECTION] Messages: one line at the bottom of the window
    void info(const std::string& text);
    void error(const std::string& text);
    const std::optional<Message>& message() const { return message_; }
    void clear_message() { message_.reset(); }

    // [SECTION] Cached data
    // The caseload, re-read only when the database changed.
    const std::vector<CaseSummary>& cases();
    // Sessions left unfinished (the app was killed): offered for resumption.
    const std::vector<Session>& unfinished_sessions();
    // Moves with every data change, for views keeping their own caches; a
    // practice opened again (perhaps by someone else, who sees other things)
    // starts from a value no earlier practice of this window gave.
    std::uint64_t data_version() const { return is_open() ? (practices_opened_ << 40) + practice_->data_version() : 0; }

    // Runs a use case; an attune::Error becomes an error message. Returns success.
    bool attempt(const std::function<void()>& action);

    // [SECTION] The user's hotkeys (Settings), laid over every scheme's own
    void set_hotkeys(HotkeyOverrides hotkeys) {
        hotkeys_ = std::move(hotkeys);
        ++hotkeys_version_;
    }
    const HotkeyOverrides& hotkeys() const { return hotkeys_; }
    std::uint64_t hotkeys_version() const { return hotkeys_version_; }

    // [SECTION] Gottman's 5 : 1 reference line (Settings; off by default, DOMAIN.md v2)
    void set_five_to_one_reference(bool shown) {
        if (shown != five_to_one_reference_) ++chart_options_version_;
        five_to_one_reference_ = shown;
    }
    bool five_to_one_reference() const { return five_to_one_reference_; }
    // Moves when a chart option changes, so that views rebuild their charts.
    std::uint64_t chart_options_version() const { return chart_options_version_; }

    // [SECTION] Automatic backups (Settings): after every session, and daily
    void set_backup_policy(services::BackupPolicy policy) { backup_policy_ = std::move(policy); }
    const services::BackupPolicy& backup_policy() const { return backup_policy_; }
    // After a session ended; runs in the background, its outcome goes to the status line.
    void backup_after_session();
    // Looks at most hourly (and at once after unlocking) whether a daily backup is
    // due and starts it in the background; reports (and audits) a finished one.
    void backup_if_due(double wall_now);
    bool backup_running() const {
        return is_open() && const_cast<services::OpenPractice&>(*practice_).background_backup().running();
    }
    // Blocks until a running backup is done (tests).
    void wait_for_backup() const {
        if (is_open()) const_cast<services::OpenPractice&>(*practice_).background_backup().wait();
    }

    // [SECTION] The practice server (Settings): once one is set, the practice
    // syncs with it in the background (services/background_sync.h); views
    // read its state here, never waiting for it.
    services::SyncStatus sync_status() const {
        return is_open() ? const_cast<services::OpenPractice&>(*practice_).background_sync().status()
                         : services::SyncStatus();
    }
    // Starts again with the server stored now (after Settings changed it).
    void restart_sync() {
        if (is_open()) practice_->background_sync().start();
    }
    void sync_now() {
        if (is_open()) practice_->background_sync().sync_now();
    }
    // After each frame: when something was written, the sync counts the
    // changes waiting again while it is offline (on its thread; no disk here).
    void note_local_changes() {
        if (!is_open() || data_version() == changes_noted_at_) return;
        changes_noted_at_ = data_version();
        practice_->background_sync().local_change();
    }
    // Called from the sync's thread when its state moves (the window posts an
    // empty event to wake itself); set before a practice opens.
    void set_sync_wake(std::function<void()> wake) { sync_wake_ = std::move(wake); }
    const std::function<void()>& sync_wake() const { return sync_wake_; }

    // [SECTION] The caseload dashboard's rows, computed on the practice's
    // worker threads with their own connections; stopped when it locks.
    void start_caseload_summaries(std::vector<RowId> case_ids, std::string today) {
        practice_->caseload_summaries().start(std::move(case_ids), std::move(today));
    }
    services::CaseloadSummaries& caseload_summaries() { return practice_->caseload_summaries(); }

    // [SECTION] The export dialog: `attune screenshot --dialog export` (and
    // tests) open it on the next view drawn that can export; the one shown is
    // kept for tests to read its preview.
    // `format`: the case export's format to preselect (e.g. "boris"); empty = the first.
    void request_export_dialog(std::string format = "") {
        export_dialog_requested_ = true;
        export_format_requested_ = std::move(format);
    }
    bool take_export_dialog_request() { return std::exchange(export_dialog_requested_, false); }
    // The case view opens its Enter measures dialog on its next frame
    // (`attune screenshot --dialog measures`).
    void request_measure_dialog() { measure_dialog_requested_ = true; }
    bool take_measure_dialog_request() { return std::exchange(measure_dialog_requested_, false); }
    std::string take_export_format_request() { return std::exchange(export_format_requested_, std::string()); }
    void set_shown_export_dialog(const ExportDialog* dialog) { shown_export_dialog_ = dialog; }
    const ExportDialog* shown_export_dialog() const { return shown_export_dialog_; }

    // [SECTION] Closing during a running session (the shell asks first). "End
    // session..." there opens the live session's End session dialog; Attune
    // closes once that dialog has ended the session, and stays if it is closed.
    void request_end_then_quit() { end_dialog_requested_ = end_then_quit_ = true; }
    bool take_end_dialog_request() { return std::exchange(end_dialog_requested_, false); }
    void forget_end_then_quit() {
        if (!end_dialog_requested_) end_then_quit_ = false;
    }
    // The live view ended a session: Attune closes if that was what ending was for.
    void session_ended() { quit_ = quit_ || std::exchange(end_then_quit_, false); }
    bool quit_after_ending() const { return quit_; }

    // The trend charts the case view shows (tests compare them with the PDF's).
    void set_shown_trend_charts(const std::vector<ChartSpec>* charts) { shown_trend_charts_ = charts; }
    const std::vector<ChartSpec>* shown_trend_charts() const { return shown_trend_charts_; }

    // [SECTION] Recordings in the review (ui/review_recording.h)
    // Where the review draws a recording's picture: the window installs its
    // OpenGL surface; none headless (then the review plays the sound only).
    void set_video_surface(VideoSurface* surface) { video_surface_ = surface; }
    VideoSurface* video_surface() const { return video_surface_; }
    // Called from the media player's threads when it has something for the
    // main loop (the window posts an empty event to wake itself).
    void set_media_wake(std::function<void()> wake) { media_wake_ = std::move(wake); }
    const std::function<void()>& media_wake() const { return media_wake_; }
    // false: players use no sound device (tests, the bench's frames).
    void set_media_audio(bool on) { media_audio_ = on; }
    bool media_audio() const { return media_audio_; }
    // The review moves its recording to this session second once it is open
    // (`attune screenshot --at`).
    void request_review_seek(double session_seconds) { review_seek_ = session_seconds; }
    std::optional<double> take_review_seek() { return std::exchange(review_seek_, std::nullopt); }
    // The review opens on this tab below its timeline: "observations",
    // "sequences" or "events" (`attune screenshot --tab`); empty = as it is.
    void request_review_tab(std::string tab) { review_tab_ = std::move(tab); }
    std::string take_review_tab() { return std::exchange(review_tab_, std::string()); }

    // [SECTION] The hand-over check-in (ui/hand_over.h): while set, the shell
    // shows only the partner's check-in, nothing else of the record, until the
    // clinician's passphrase is given again. Locking ends it too.
    struct HandOver {
        RowId case_id = 0;
        Who partner = Who::A;
        std::string partner_name;         // their own display name, shown to them
        std::optional<RowId> session_id;  // the measure is tied to it when set
        std::string date;                 // yyyy-mm-dd of the measure
    };
    void start_hand_over(HandOver hand_over) { hand_over_ = std::move(hand_over); }
    const std::optional<HandOver>& hand_over() const { return hand_over_; }
    void end_hand_over() { hand_over_.reset(); }

    // Unlock screen state the shell keeps between frames.
    std::string database_path;

    // [SECTION] Tests only: the Argon2id limits the unlock screen writes and
    // accepts key slots with, instead of MODERATE, so that a UI test signs in
    // to a practice tests/support/practice_fixture.h made (weak limits, fast).
    // Only C++ reaches this: no command-line option, environment variable or
    // file sets it, and the real window never calls it.
    void set_key_limits_for_tests(crypto::KdfLimits kdf, crypto::KdfLimits minimum) {
        key_limits_for_tests_ = {kdf, minimum};
    }
    // The unlock screen passes every request it builds through here.
    template <class Request>  // services::OpenRequest, services::JoinRequest
    void apply_key_limits(Request& request) const {
        if (!key_limits_for_tests_) return;
        request.kdf = key_limits_for_tests_->first;
        request.kdf_minimum = key_limits_for_tests_->second;
    }

private:
    std::optional<std::pair<crypto::KdfLimits, crypto::KdfLimits>> key_limits_for_tests_;
    std::unique_ptr<services::OpenPractice> practice_;
    std::uint64_t practices_opened_ = 0;
    std::map<std::uint64_t, std::function<void()>> on_lock_;  // in the order registered
    std::uint64_t next_lock_hook_ = 0;
    std::uint64_t locks_ = 0;
    std::unique_ptr<services::OpenPractice> held_;
    bool screen_locked_ = false;
    Screen screen_ = Screen::Unlock;
    bool caseload_recorded_ = false;
    bool demo_ = false;
    std::uint64_t demo_checked_at_ = 0;
    RowId current_case_ = 0;
    RowId current_session_ = 0;
    std::optional<Message> message_;
    std::vector<CaseSummary> cases_;
    std::uint64_t cases_version_ = 0;
    std::vector<Session> unfinished_;
    std::uint64_t unfinished_version_ = 0;
    std::uint64_t changes_noted_at_ = 0;  // data_version() note_local_changes() last saw
    void start_backup(const char* why);
    services::BackupPolicy backup_policy_;
    std::string backup_reason_;
    double next_backup_check_ = 0;  // wall seconds; 0 = at the next frame
    HotkeyOverrides hotkeys_;
    bool five_to_one_reference_ = false;
    std::uint64_t chart_options_version_ = 0;
    std::uint64_t hotkeys_version_ = 0;
    bool export_dialog_requested_ = false;
    bool end_dialog_requested_ = false;
    bool end_then_quit_ = false;
    bool quit_ = false;
    std::string export_format_requested_;
    const ExportDialog* shown_export_dialog_ = nullptr;
    const std::vector<ChartSpec>* shown_trend_charts_ = nullptr;
    VideoSurface* video_surface_ = nullptr;
    std::function<void()> media_wake_;
    std::function<void()> sync_wake_;
    bool media_audio_ = true;
    std::optional<double> review_seek_;
    std::string review_tab_;
    bool measure_dialog_requested_ = false;
    std::optional<HandOver> hand_over_;
};

}  // namespace attune::ui
