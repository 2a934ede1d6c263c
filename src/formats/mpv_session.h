// mpv_session.h: what the player and probe() share about a libmpv instance:
// its quiet, closed configuration and the attune:// protocol that serves a
// ByteSource to it. Private to src/formats.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "core/byte_source.h"

struct mpv_handle;
struct mpv_event;

namespace attune::formats {

// The recording an instance may open, and what went wrong reading it. Must
// outlive the mpv core it is registered with (libmpv closes every stream
// before mpv_terminate_destroy returns).
struct MediaStreams {
    std::mutex mutex;
    std::string uri;  // the one URI libmpv may open
    std::shared_ptr<ByteSource> source;
    std::string read_error;  // the first failed read's message (a damaged container), for the user
    std::string refused;     // where the recording tried to lead libmpv, if anywhere
};

struct MpvSetup {
    bool audio_output = true;  // false: the null audio output
    bool decode = true;        // false (probe): select no track, decode nothing
};

// A new, initialised libmpv instance with Attune's options, the attune://
// protocol serving `streams` and an on_load hook (see answer_hook). Sets
// LC_NUMERIC to "C" first (libmpv requires it). Throws MediaError.
mpv_handle* create_mpv(const MpvSetup& setup, MediaStreams& streams);

// Makes `source` the one recording attune:// serves; returns the URI to load.
std::string serve(MediaStreams& streams, std::shared_ptr<ByteSource> source, const std::string& name);

// Answers an MPV_EVENT_HOOK. on_load: lets libmpv open only the served URI;
// anything else (a playlist entry, a reference) is redirected to a URI that
// fails and playback is stopped. Returns the hook's name.
std::string answer_hook(mpv_handle* mpv, MediaStreams& streams, const mpv_event& event);

// One sentence for the user on why `name` could not be played.
std::string describe_failure(MediaStreams& streams, int mpv_error, const std::string& name);

struct TrackSummary {
    bool has_video = false;
    int width = 0;
    int height = 0;
};
TrackSummary read_tracks(mpv_handle* mpv);

// Seconds, for a deadline.
double monotonic_seconds();

}  // namespace attune::formats
