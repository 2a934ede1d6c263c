#include "io/caseload_summaries.h"

#include "io/case_metrics.h"

#include <exception>
#include <memory>

namespace attune::io {

void CaseloadSummaries::start(const store::OpenOptions& opened_with, std::vector<RowId> case_ids, std::string today) {
    {
        std::lock_guard lock(mutex_);
        ++generation_;
        opened_with_ = opened_with;
        case_ids_ = std::move(case_ids);
        today_ = std::move(today);
        finished_.clear();
        done_ = 0;
        error_.reset();
        running_ = !case_ids_.empty();
        if (!thread_.joinable()) thread_ = std::thread([this] { work(); });
    }
    wake_.notify_one();
    idle_.notify_all();  // a wait() for an empty caseload returns at once
}

void CaseloadSummaries::stop() {
    {
        std::lock_guard lock(mutex_);
        if (!thread_.joinable()) return;
        stopping_ = true;
        ++generation_;
    }
    wake_.notify_one();
    thread_.join();
    std::lock_guard lock(mutex_);
    thread_ = std::thread();
    stopping_ = false;
    running_ = false;
    finished_.clear();
    done_ = 0;
    case_ids_.clear();
    idle_.notify_all();
}

std::vector<CaseloadSummaries::Finished> CaseloadSummaries::take_finished() {
    std::lock_guard lock(mutex_);
    std::vector<Finished> out;
    out.swap(finished_);
    return out;
}

std::optional<std::string> CaseloadSummaries::take_error() {
    std::lock_guard lock(mutex_);
    std::optional<std::string> out;
    out.swap(error_);
    return out;
}

size_t CaseloadSummaries::done() const {
    std::lock_guard lock(mutex_);
    return done_;
}

size_t CaseloadSummaries::total() const {
    std::lock_guard lock(mutex_);
    return case_ids_.size();
}

bool CaseloadSummaries::running() const {
    std::lock_guard lock(mutex_);
    return running_;
}

void CaseloadSummaries::wait() const {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return !running_; });
}

void CaseloadSummaries::work() {
    std::unique_ptr<store::Database> db;
    std::uint64_t seen = 0;
    for (;;) {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) break;
        seen = generation_;
        const store::OpenOptions opened_with = opened_with_;
        const std::vector<RowId> case_ids = case_ids_;
        const std::string today = today_;
        lock.unlock();

        std::optional<std::string> error;
        try {
            if (!db || db->path() != opened_with.path) {
                db.reset();
                store::OpenOptions options = opened_with;
                options.create_if_missing = false;
                options.worker_of_this_process = true;
                db = store::Database::open(options);
            }
            const MetricSettings settings = load_metric_settings(*db);
            for (size_t i = 0; i < case_ids.size(); ++i) {
                DashboardRow row = case_dashboard_row(*db, case_ids[i], settings, today);
                std::lock_guard relock(mutex_);
                if (generation_ != seen) break;
                finished_.push_back({i, std::move(row)});
                ++done_;
            }
        } catch (const std::exception& e) {
            error = e.what();
        }
        lock.lock();
        if (generation_ == seen) {
            if (error) error_ = std::move(error);
            running_ = false;
            idle_.notify_all();
        }
    }
    db.reset();  // closed on the thread that used it, before stop() returns
}

}  // namespace attune::io
