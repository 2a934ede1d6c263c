#include "ui/app_model.h"

#include "core/session_clock.h"
#include "services/access_audit.h"
#include "services/cases.h"
#include "services/demo.h"

namespace attune::ui {
namespace {

// "others could read x: now only you can" -> "Others could read x: now only you can."
std::string sentence(std::string text) {
    if (text.empty()) return text;
    if (text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
    if (text.back() != '.') text += '.';
    return text;
}

}  // namespace

void AppModel::set_practice(std::unique_ptr<services::OpenPractice> practice) {
    if (practice_) close_practice();
    practice_ = std::move(practice);
    ++practices_opened_;
    next_backup_check_ = 0;
    cases_version_ = 0;
    unfinished_version_ = 0;
    show_caseload();
    practice_->background_sync().set_on_change(sync_wake_);
    practice_->background_sync().start();  // nothing without a server set
    // What opening found changed behind Attune's back (files others could read,
    // a rewritten trust root): said once, and kept on screen until dismissed.
    std::string notices;
    for (const std::string& notice : practice_->notices())
        notices += (notices.empty() ? "" : " ") + sentence(notice);
    if (!notices.empty()) error(notices);
}

void AppModel::start_backup(const char* why) {
    if (!is_open() || !backup_policy_.enabled || practice_->read_only()) return;
    if (practice_->background_backup().start(backup_policy_)) backup_reason_ = why;
}

void AppModel::backup_after_session() {
    start_backup("Session ended and saved.");
}

void AppModel::backup_if_due(double wall_now) {
    if (!is_open()) return;
    // Taking the outcome records the backup in the audit trail (services/backups.h).
    if (auto outcome = practice_->background_backup().take_result()) {
        if (outcome->ok)
            info(backup_reason_ + " " + outcome->message);
        else
            error(outcome->message);
    }
    if (wall_now < next_backup_check_) return;
    next_backup_check_ = wall_now + 3600;
    if (services::daily_backup_due(practice_->path(), backup_policy_, std::filesystem::file_time_type::clock::now()))
        start_backup("Daily backup:");
}

void AppModel::close_practice() {
    for (const auto& [id, callback] : on_lock_)
        callback();
    if (practice_) practice_->lock();
    practice_.reset();
    held_.reset();  // a new practice whose recovery key was on screen: closed, its key wiped
    hand_over_.reset();
    screen_locked_ = false;
    // What names cases or shows their data goes with the key (issue 17, item 5).
    cases_.clear();
    cases_.shrink_to_fit();
    unfinished_.clear();
    unfinished_.shrink_to_fit();
    message_.reset();
    current_case_ = 0;
    current_session_ = 0;
    review_seek_.reset();
    export_dialog_requested_ = false;
    export_format_requested_.clear();
    shown_export_dialog_ = nullptr;
    shown_trend_charts_ = nullptr;
    end_dialog_requested_ = end_then_quit_ = false;
    screen_ = Screen::Unlock;
    ++locks_;
}

bool AppModel::is_demo() {
    if (!is_open()) return false;
    if (demo_checked_at_ != data_version()) {
        demo_ = false;
        attempt([&] { demo_ = services::is_demo_practice(*practice_); });
        demo_checked_at_ = data_version();
    }
    return demo_;
}

void AppModel::show_caseload() {
    screen_ = Screen::Caseload;
    current_session_ = 0;
    caseload_recorded_ =
        is_open() && attempt([&] { services::record_view_opened(*practice_, "caseload"); });
}

// Each opening is one audit row (services/access_audit.h); a case or session
// whose opening cannot be recorded is not shown (the message line says why).
void AppModel::open_case(RowId case_id) {
    if (!is_open() || !attempt([&] { services::record_case_opened(*practice_, case_id); })) return;
    current_case_ = case_id;
    current_session_ = 0;
    screen_ = Screen::CaseTrends;
}

void AppModel::open_session(RowId case_id, RowId session_id) {
    if (!is_open() ||
        !attempt([&] { services::record_session_opened(*practice_, session_id, services::SessionOpening::Live); }))
        return;
    current_case_ = case_id;
    current_session_ = session_id;
    screen_ = Screen::Session;
}

void AppModel::open_review(RowId case_id, RowId session_id) {
    if (!is_open() ||
        !attempt([&] { services::record_session_opened(*practice_, session_id, services::SessionOpening::Review); }))
        return;
    current_case_ = case_id;
    current_session_ = session_id;
    screen_ = Screen::Review;
}

void AppModel::info(const std::string& text) {
    message_ = Message{Message::Kind::Info, text, wall_clock_seconds()};
}
void AppModel::error(const std::string& text) {
    message_ = Message{Message::Kind::Error, text, wall_clock_seconds()};
}

const std::vector<CaseSummary>& AppModel::cases() {
    if (is_open() && cases_version_ != data_version()) {
        attempt([&] { cases_ = services::list_cases(*practice_); });
        cases_version_ = data_version();
    }
    return cases_;
}

const std::vector<Session>& AppModel::unfinished_sessions() {
    if (is_open() && unfinished_version_ != data_version()) {
        attempt([&] { unfinished_ = services::unfinished_sessions(*practice_); });
        unfinished_version_ = data_version();
    }
    return unfinished_;
}

bool AppModel::attempt(const std::function<void()>& action) {
    try {
        action();
        return true;
    } catch (const std::exception& e) {
        error(e.what());
    }
    return false;
}

}  // namespace attune::ui
