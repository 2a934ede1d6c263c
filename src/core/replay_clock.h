// replay_clock.h: the clock a rater codes against when a session has no
// recording (DOMAIN.md: observations keep session-clock seconds): it reads
// session seconds, runs at a chosen speed, can be paused and moved to any
// second. Pure: the caller passes wall-clock time in, so tests need no sleeping.
#pragma once

namespace attune {

class ReplayClock {
public:
    static constexpr double kMinSpeed = 0.25;
    static constexpr double kMaxSpeed = 4.0;

    // Paused at `session_seconds` (clamped to 0 or more).
    explicit ReplayClock(double session_seconds = 0);

    double now(double wall_now) const;  // session seconds at wall_now
    bool running() const { return running_; }
    double speed() const { return speed_; }

    void play(double wall_now);
    void pause(double wall_now);
    // Moves to `session_seconds` (clamped to 0 or more), running or not.
    void seek(double session_seconds, double wall_now);
    // Clamped to [kMinSpeed, kMaxSpeed]; a non-finite factor means 1. Returns the speed set.
    double set_speed(double factor, double wall_now);

private:
    double anchor_seconds_ = 0;  // session seconds at anchor_wall_
    double anchor_wall_ = 0;
    double speed_ = 1;
    bool running_ = false;
};

}  // namespace attune
