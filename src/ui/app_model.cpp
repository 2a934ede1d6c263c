#include "ui/app_model.h"

#include "core/session_clock.h"
#include "store/audit_log.h"

namespace attune::ui {

void AppModel::set_practice(io::Practice practice) {
    caseload_summaries_.stop();
    practice_ = std::move(practice);
    next_backup_check_ = 0;
    cases_version_ = 0;
    unfinished_version_ = 0;
    show_caseload();
}

void AppModel::start_backup(const char* why) {
    if (!is_open() || !backup_policy_.enabled || practice_.db->read_only()) return;
    if (backup_.start(practice_.opened_with, backup_policy_)) backup_reason_ = why;
}

void AppModel::backup_after_session() { start_backup("Session ended and saved."); }

void AppModel::backup_if_due(double wall_now) {
    if (auto outcome = backup_.take_result()) {
        if (outcome->ok) {
            info(backup_reason_ + " " + outcome->message);
            // The worker's connection was read-only: the audit row goes in here, into
            // the same database only (the user may have opened another one meanwhile).
            if (is_open() && !practice_.db->read_only() && practice_.db->path() == outcome->database)
                attempt([&] { store::record_backup(*practice_.db, outcome->result, "in the background"); });
        } else {
            error(outcome->message);
        }
    }
    if (!is_open() || wall_now < next_backup_check_) return;
    next_backup_check_ = wall_now + 3600;
    if (io::daily_backup_due(practice_.db->path(), backup_policy_, std::filesystem::file_time_type::clock::now()))
        start_backup("Daily backup:");
}

void AppModel::close_practice() {
    caseload_summaries_.stop();
    practice_ = {};
    cases_.clear();
    unfinished_.clear();
    screen_ = Screen::Unlock;
}

void AppModel::show_caseload() {
    screen_ = Screen::Caseload;
    current_session_ = 0;
}

void AppModel::open_case(RowId case_id) {
    current_case_ = case_id;
    current_session_ = 0;
    screen_ = Screen::CaseTrends;
}

void AppModel::open_session(RowId case_id, RowId session_id) {
    current_case_ = case_id;
    current_session_ = session_id;
    screen_ = Screen::Session;
}

void AppModel::open_review(RowId case_id, RowId session_id) {
    current_case_ = case_id;
    current_session_ = session_id;
    screen_ = Screen::Review;
}

void AppModel::info(const std::string& text) { message_ = Message{Message::Kind::Info, text, wall_clock_seconds()}; }
void AppModel::error(const std::string& text) { message_ = Message{Message::Kind::Error, text, wall_clock_seconds()}; }

const std::vector<store::CaseSummary>& AppModel::cases() {
    if (is_open() && cases_version_ != data_version()) {
        attempt([&] { cases_ = store::CaseRepository(db()).list(); });
        cases_version_ = data_version();
    }
    return cases_;
}

const std::vector<Session>& AppModel::unfinished_sessions() {
    if (is_open() && unfinished_version_ != data_version()) {
        attempt([&] { unfinished_ = store::SessionRepository(db()).unfinished(); });
        unfinished_version_ = data_version();
    }
    return unfinished_;
}

bool AppModel::attempt(const std::function<void()>& action) {
    try {
        action();
        return true;
    } catch (const store::StoreError& e) {
        error(e.what());
    } catch (const std::exception& e) {
        error(e.what());
    }
    return false;
}

}  // namespace attune::ui
