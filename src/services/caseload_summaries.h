// caseload_summaries.h: the caseload dashboard's rows (flags and sparklines of
// every case) computed on a worker thread with its own connection, so that the
// window never waits and no frame runs a query: on a cold metrics cache a large
// practice takes seconds (BENCHMARKS.md, "cold caseload metrics").
//
// Two workers (one on a single-core machine) share the cases, each with its
// own connection, which it asks the practice for on the first start() (the
// key derivation runs on the worker too; the worker never holds the key) and
// keeps until stop(); they write only the metrics cache. The practice owns
// this object and stops it before it locks.
#pragma once

#include "core/dashboard.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace attune::services {

class OpenPractice;

class CaseloadSummaries {
public:
    struct Finished {
        size_t index = 0;  // into the case ids of the last start()
        DashboardRow row;
    };

    explicit CaseloadSummaries(OpenPractice& practice);
    CaseloadSummaries(const CaseloadSummaries&) = delete;
    CaseloadSummaries& operator=(const CaseloadSummaries&) = delete;
    ~CaseloadSummaries() { stop(); }

    // Computes the rows of `case_ids`, taken in this order, with `today` (ISO date) for
    // the date rules. A computation still running for an earlier start() stops
    // between two cases and its rows are never reported.
    void start(std::vector<RowId> case_ids, std::string today);
    // Drops the computation, ends the threads and closes their connections.
    void stop();
    // Worker connections open now (0 once stopped).
    int connections_open() const;

    // Rows finished since the last call.
    std::vector<Finished> take_finished();
    // Why the computation stopped early (once); the rows finished before stay valid.
    std::optional<std::string> take_error();
    size_t done() const;
    size_t total() const;
    bool running() const;
    // Blocks until the current computation is done (tests, screenshots).
    void wait() const;

private:
    void work();
    void finish_share(std::uint64_t generation, std::optional<std::string> error);

    OpenPractice& practice_;
    const int workers_;
    int connections_ = 0;
    mutable std::mutex mutex_;
    std::condition_variable wake_;          // a new computation, or stop
    mutable std::condition_variable idle_;  // a computation done
    std::vector<std::thread> threads_;
    bool stopping_ = false;
    std::uint64_t generation_ = 0;  // bumped by start() and stop()
    std::vector<RowId> case_ids_;
    std::string today_;
    size_t next_ = 0;       // the next case a worker takes
    int in_flight_ = 0;     // workers on this generation's cases
    std::vector<Finished> finished_;
    size_t done_ = 0;
    bool running_ = false;
    std::optional<std::string> error_;
};

}  // namespace attune::services
