#include "core/session_clock.h"

#include <algorithm>
#include <chrono>

namespace attune {

SessionClock::SessionClock(double active_seconds, bool running, double wall_now)
    : banked_(active_seconds), resumed_at_(wall_now), running_(running) {}

double SessionClock::now(double wall_now) const {
    // A wall clock stepping backwards (NTP) must never run the session clock backwards.
    return running_ ? banked_ + std::max(0.0, wall_now - resumed_at_) : banked_;
}

void SessionClock::pause(double wall_now) {
    if (!running_) return;
    banked_ = now(wall_now);
    running_ = false;
}

void SessionClock::resume(double wall_now) {
    if (running_) return;
    resumed_at_ = wall_now;
    running_ = true;
}

double wall_clock_seconds() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

}  // namespace attune
