#include "core/replay_clock.h"

#include <algorithm>
#include <cmath>

namespace attune {

namespace {

double not_negative(double seconds) {
    return std::isfinite(seconds) ? std::max(0.0, seconds) : 0.0;
}

}  // namespace

ReplayClock::ReplayClock(double session_seconds) : anchor_seconds_(not_negative(session_seconds)) {}

double ReplayClock::now(double wall_now) const {
    if (!running_) return anchor_seconds_;
    return anchor_seconds_ + std::max(0.0, wall_now - anchor_wall_) * speed_;
}

void ReplayClock::play(double wall_now) {
    if (running_) return;
    anchor_wall_ = wall_now;
    running_ = true;
}

void ReplayClock::pause(double wall_now) {
    if (!running_) return;
    anchor_seconds_ = now(wall_now);
    running_ = false;
}

void ReplayClock::seek(double session_seconds, double wall_now) {
    anchor_seconds_ = not_negative(session_seconds);
    anchor_wall_ = wall_now;
}

double ReplayClock::set_speed(double factor, double wall_now) {
    // Re-anchored first: the time already run keeps its old speed.
    anchor_seconds_ = now(wall_now);
    anchor_wall_ = wall_now;
    speed_ = std::isfinite(factor) ? std::clamp(factor, kMinSpeed, kMaxSpeed) : 1.0;
    return speed_;
}

}  // namespace attune
