#include "services/caseload_summaries.h"

#include "services/metrics_internal.h"
#include "services/practice_access.h"
#include "store/metrics_cache.h"

#include <algorithm>
#include <exception>
#include <memory>

namespace attune::services {

CaseloadSummaries::CaseloadSummaries(OpenPractice& practice)
    : practice_(practice), workers_(static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 2u))) {}

void CaseloadSummaries::start(std::vector<RowId> case_ids, std::string today) {
    {
        std::lock_guard lock(mutex_);
        ++generation_;
        case_ids_ = std::move(case_ids);
        today_ = std::move(today);
        next_ = 0;
        in_flight_ = 0;
        finished_.clear();
        done_ = 0;
        error_.reset();
        running_ = !case_ids_.empty();
        if (threads_.empty())
            for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { work(); });
    }
    wake_.notify_all();
    idle_.notify_all();  // a wait() for an empty caseload returns at once
}

void CaseloadSummaries::stop() {
    {
        std::lock_guard lock(mutex_);
        if (threads_.empty()) return;
        stopping_ = true;
        ++generation_;
    }
    wake_.notify_all();
    for (std::thread& t : threads_) t.join();
    std::lock_guard lock(mutex_);
    threads_.clear();
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

int CaseloadSummaries::connections_open() const {
    std::lock_guard lock(mutex_);
    return connections_;
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

// A worker is done with its share of `generation` (the cases ran out, or it
// failed: then the cases left are abandoned, so that the computation ends).
// Called with mutex_ held.
void CaseloadSummaries::finish_share(std::uint64_t generation, std::optional<std::string> error) {
    if (generation != generation_) return;  // a newer start() owns the state now
    if (error) {
        if (!error_) error_ = std::move(error);
        next_ = case_ids_.size();
    }
    if (--in_flight_ == 0 && next_ >= case_ids_.size()) {
        running_ = false;
        idle_.notify_all();
    }
}

void CaseloadSummaries::work() {
    std::unique_ptr<store::Database> db;
    std::uint64_t seen = 0;
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) break;
        seen = generation_;
        ++in_flight_;
        const std::string today = today_;
        lock.unlock();

        std::optional<std::string> error;
        try {
            if (!db) {
                db = worker_connection(practice_, false);
                std::lock_guard count(mutex_);
                ++connections_;
            }
            const MetricSettings settings = store::load_metric_settings(*db);
            for (;;) {
                size_t index = 0;
                RowId case_id = 0;
                {
                    std::lock_guard take(mutex_);
                    if (generation_ != seen || next_ >= case_ids_.size()) break;
                    index = next_++;
                    case_id = case_ids_[index];
                }
                DashboardRow row = detail::case_dashboard_row(*db, case_id, settings, today);
                std::lock_guard give(mutex_);
                if (generation_ != seen) break;
                finished_.push_back({index, std::move(row)});
                ++done_;
            }
        } catch (const std::exception& e) {
            error = e.what();
        }
        lock.lock();
        finish_share(seen, std::move(error));
    }
    const bool had_connection = db != nullptr;
    lock.unlock();
    db.reset();  // closed on the thread that used it, before stop() returns
    if (had_connection) {
        std::lock_guard count(mutex_);
        --connections_;
    }
}

}  // namespace attune::services
