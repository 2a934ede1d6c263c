// session_clock.h: the session clock, in seconds with pauses excluded.
// Pure: the caller passes wall-clock time in, so tests need no sleeping.
#pragma once

namespace attune {

class SessionClock {
public:
    // `active_seconds`: time already on the clock; running from `wall_now` if `running`.
    SessionClock(double active_seconds, bool running, double wall_now);

    double now(double wall_now) const;  // session-clock seconds at wall_now
    bool running() const { return running_; }
    void pause(double wall_now);
    void resume(double wall_now);
    // Active seconds as of the last pause (what gets stored while running).
    double banked_seconds() const { return banked_; }
    double resumed_at() const { return resumed_at_; }

private:
    double banked_ = 0;
    double resumed_at_ = 0;
    bool running_ = false;
};

double wall_clock_seconds();  // seconds since the Unix epoch, from the system clock

}  // namespace attune
