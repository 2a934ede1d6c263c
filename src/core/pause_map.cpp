#include "core/pause_map.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace attune {

namespace {

void require(bool ok, const char* message) {
    if (!ok) throw std::invalid_argument(message);
}

}  // namespace

PauseMap::PauseMap(std::vector<SessionPause> pauses, double offset) : offset_(offset) {
    require(std::isfinite(offset), "A recording's offset must be a finite number of seconds.");
    for (const SessionPause& p : pauses) {
        require(std::isfinite(p.session_seconds) && p.session_seconds >= 0,
                "A pause must begin at a session second of 0 or more.");
        require(std::isfinite(p.wall_seconds) && p.wall_seconds >= 0, "A pause must last 0 seconds or more.");
    }
    std::stable_sort(pauses.begin(), pauses.end(), [](const SessionPause& a, const SessionPause& b) {
        return a.session_seconds < b.session_seconds;
    });
    for (const SessionPause& p : pauses) {
        if (!pauses_.empty() && pauses_.back().session_seconds == p.session_seconds) {
            pauses_.back().wall_seconds += p.wall_seconds;
        } else {
            pauses_.push_back(p);
        }
    }
    paused_before_.reserve(pauses_.size() + 1);
    paused_before_.push_back(0);
    for (const SessionPause& p : pauses_)
        paused_before_.push_back(paused_before_.back() + p.wall_seconds);
}

double PauseMap::media_from_session(double session_seconds) const {
    require(std::isfinite(session_seconds) && session_seconds >= 0, "A session second must be 0 or more.");
    // Pauses that began at or before this second have all been sat through.
    auto begun = std::upper_bound(pauses_.begin(), pauses_.end(), session_seconds,
                                  [](double s, const SessionPause& p) { return s < p.session_seconds; });
    return offset_ + session_seconds + paused_before_[static_cast<std::size_t>(begun - pauses_.begin())];
}

std::optional<double> PauseMap::session_from_media(double media_seconds) const {
    if (!std::isfinite(media_seconds) || media_seconds < offset_) return std::nullopt;
    const double since_zero = media_seconds - offset_;
    // The last pause that had begun on the media by now (media starts increase with the index).
    std::size_t lo = 0;
    std::size_t hi = pauses_.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (pauses_[mid].session_seconds + paused_before_[mid] <= since_zero)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) return since_zero;
    const std::size_t i = lo - 1;
    const double pause_stop = pauses_[i].session_seconds + paused_before_[i + 1];
    if (since_zero <= pause_stop) return pauses_[i].session_seconds;
    return since_zero - paused_before_[i + 1];
}

std::vector<MediaPause> PauseMap::media_pauses() const {
    std::vector<MediaPause> out;
    out.reserve(pauses_.size());
    for (std::size_t i = 0; i < pauses_.size(); ++i) {
        const double start = offset_ + pauses_[i].session_seconds + paused_before_[i];
        out.push_back({pauses_[i].session_seconds, start, start + pauses_[i].wall_seconds});
    }
    return out;
}

double PauseMap::offset_for_sync_mark(const std::vector<SessionPause>& pauses, double session_seconds,
                                      double media_seconds) {
    require(std::isfinite(media_seconds), "A sync mark's media second must be a finite number.");
    return media_seconds - PauseMap(pauses, 0).media_from_session(session_seconds);
}

}  // namespace attune
