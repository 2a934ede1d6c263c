// mpv_session.cpp: libmpv's configuration, the attune:// protocol, probe().
//
// Index:
// [SECTION] Options
// [SECTION] The attune:// protocol
// [SECTION] Hooks, failures, tracks
// [SECTION] probe()
#include "formats/mpv_session.h"

#include <mpv/client.h>
#include <mpv/stream_cb.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <clocale>
#include <cstring>

#include "formats/media_player.h"

namespace attune::formats {

namespace {

constexpr const char* kProtocol = "attune";
constexpr const char* kRefusedUri = "attune://refused";

// [SECTION] Options

struct Option {
    const char* name;
    const char* value;
};

// Quiet and closed: nothing read from the user's mpv configuration, nothing
// printed, nothing drawn over the video, no keys bound, no scripts (so no
// youtube-dl), no network helpers, no side files, no state written.
constexpr Option kOptions[] = {
    {"config", "no"},
    {"terminal", "no"},
    {"msg-level", "all=no"},
    {"osd-level", "0"},
    {"osc", "no"},
    {"input-default-bindings", "no"},
    {"input-vo-keyboard", "no"},
    {"load-scripts", "no"},
    {"ytdl", "no"},
    {"load-stats-overlay", "no"},
    {"load-osd-console", "no"},
    {"load-auto-profiles", "no"},
    {"resume-playback", "no"},
    {"save-position-on-quit", "no"},
    {"sub-auto", "no"},
    {"audio-file-auto", "no"},
    {"cover-art-auto", "no"},
    {"access-references", "no"},  // a file that names another file is not followed
    {"audio-display", "no"},      // cover art is not shown as video
    {"idle", "yes"},
    {"force-window", "no"},
    {"keep-open", "always"},  // at the end, stay on the last frame, paused
    {"hwdec", "no"},
    {"gpu-hwdec-interop", "no"},  // nor load any GPU decoding library (CUDA, VA-API) with the OpenGL renderer
    {"vo", "libmpv"},
    {"hr-seek", "yes"},  // every seek lands on the frame shown at the asked second
    {"hr-seek-framedrop", "no"},
    {"video-timing-offset", "0"},  // renders never wait for a frame's display time
    {"audio-client-name", "Attune"},
    // No sound device (a server, a CI machine, a muted desk): play on with the
    // null output, so the clock still runs and the picture still moves.
    {"audio-fallback-to-null", "yes"},
};

void set_option(mpv_handle* mpv, const char* name, const char* value) {
    const int err = mpv_set_option_string(mpv, name, value);
    if (err < 0)
        throw MediaError(std::string("The media player (libmpv) refused its setting ") + name + "=" + value + ": " +
                         mpv_error_string(err) + ".");
}

// [SECTION] The attune:// protocol

// One open stream: libmpv reads it on its own threads, one call at a time.
struct Cookie {
    MediaStreams* streams;
    std::shared_ptr<ByteSource> source;
    std::uint64_t position = 0;
};

int64_t stream_read(void* cookie, char* buffer, uint64_t n) {
    auto* c = static_cast<Cookie*>(cookie);
    try {
        const std::size_t got = c->source->read(c->position, buffer, static_cast<std::size_t>(n));
        c->position += got;
        return static_cast<int64_t>(got);
    } catch (const std::exception& e) {
        std::lock_guard lock(c->streams->mutex);
        if (c->streams->read_error.empty()) c->streams->read_error = e.what();
        return -1;
    }
}

int64_t stream_seek(void* cookie, int64_t offset) {
    auto* c = static_cast<Cookie*>(cookie);
    if (offset < 0 || static_cast<std::uint64_t>(offset) > c->source->size()) return MPV_ERROR_GENERIC;
    c->position = static_cast<std::uint64_t>(offset);
    return offset;
}

int64_t stream_size(void* cookie) {
    return static_cast<int64_t>(static_cast<Cookie*>(cookie)->source->size());
}

void stream_close(void* cookie) {
    delete static_cast<Cookie*>(cookie);
}

int stream_open(void* user_data, char* uri, mpv_stream_cb_info* info) {
    auto* streams = static_cast<MediaStreams*>(user_data);
    std::lock_guard lock(streams->mutex);
    if (!streams->source || streams->uri != uri) return MPV_ERROR_LOADING_FAILED;
    info->cookie = new Cookie{streams, streams->source};
    info->read_fn = stream_read;
    info->seek_fn = stream_seek;
    info->size_fn = stream_size;
    info->close_fn = stream_close;
    info->cancel_fn = nullptr;  // reads never wait: a ByteSource answers from disk
    return 0;
}

}  // namespace

mpv_handle* create_mpv(const MpvSetup& setup, MediaStreams& streams) {
    // libmpv refuses to start under a locale with another decimal separator.
    if (const char* numeric = std::setlocale(LC_NUMERIC, nullptr); !numeric || std::strcmp(numeric, "C") != 0)
        std::setlocale(LC_NUMERIC, "C");
    mpv_handle* mpv = mpv_create();
    if (!mpv) throw MediaError("The media player (libmpv) could not start.");
    try {
        for (const Option& option : kOptions)
            set_option(mpv, option.name, option.value);
        if (!setup.audio_output) set_option(mpv, "ao", "null");
        if (!setup.decode) {
            set_option(mpv, "vid", "no");
            set_option(mpv, "aid", "no");
            set_option(mpv, "sid", "no");
        }
        set_option(mpv, "pause", "yes");
        const int err = mpv_initialize(mpv);
        if (err < 0)
            throw MediaError(std::string("The media player (libmpv) could not start: ") + mpv_error_string(err) + ".");
        if (mpv_stream_cb_add_ro(mpv, kProtocol, &streams, stream_open) < 0 || mpv_hook_add(mpv, 0, "on_load", 0) < 0)
            throw MediaError("The media player (libmpv) could not be set up to read recordings.");
    } catch (...) {
        mpv_terminate_destroy(mpv);
        throw;
    }
    return mpv;
}

std::string serve(MediaStreams& streams, std::shared_ptr<ByteSource> source, const std::string& name) {
    // The extension is a hint for formats without a signature (raw streams).
    std::string extension;
    if (const auto dot = name.rfind('.'); dot != std::string::npos && name.size() - dot <= 9) {
        for (char c : name.substr(dot + 1)) {
            if (!std::isalnum(static_cast<unsigned char>(c))) {
                extension.clear();
                break;
            }
            extension += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    std::lock_guard lock(streams.mutex);
    static std::atomic<unsigned> counter{0};
    streams.uri = std::string(kProtocol) + "://recording-" + std::to_string(++counter) +
                  (extension.empty() ? "" : "." + extension);
    streams.source = std::move(source);
    streams.read_error.clear();
    streams.refused.clear();
    return streams.uri;
}

// [SECTION] Hooks, failures, tracks

std::string answer_hook(mpv_handle* mpv, MediaStreams& streams, const mpv_event& event) {
    const auto* hook = static_cast<const mpv_event_hook*>(event.data);
    const std::string name = hook->name ? hook->name : "";
    if (name == "on_load") {
        char* target = mpv_get_property_string(mpv, "stream-open-filename");
        const std::string opening = target ? target : "";
        mpv_free(target);
        std::string allowed;
        {
            std::lock_guard lock(streams.mutex);
            allowed = streams.uri;
            if (opening != allowed && streams.refused.empty()) streams.refused = opening;
        }
        if (opening != allowed) {
            mpv_set_property_string(mpv, "stream-open-filename", kRefusedUri);
            const char* stop[] = {"stop", nullptr};
            mpv_command_async(mpv, 0, stop);
        }
    }
    mpv_hook_continue(mpv, hook->id);
    return name;
}

std::string describe_failure(MediaStreams& streams, int mpv_error, const std::string& name) {
    std::lock_guard lock(streams.mutex);
    if (!streams.refused.empty())
        return "The recording " + name + " refers to other files or addresses; Attune plays only the recording itself.";
    if (!streams.read_error.empty()) return streams.read_error;
    return "Attune cannot play the recording " + name + ": " + mpv_error_string(mpv_error) + ".";
}

TrackSummary read_tracks(mpv_handle* mpv) {
    TrackSummary out;
    int64_t count = 0;
    mpv_get_property(mpv, "track-list/count", MPV_FORMAT_INT64, &count);
    for (int64_t i = 0; i < count; ++i) {
        const std::string prefix = "track-list/" + std::to_string(i) + "/";
        char* type = mpv_get_property_string(mpv, (prefix + "type").c_str());
        const bool video = type && std::strcmp(type, "video") == 0;
        mpv_free(type);
        if (!video) continue;
        int albumart = 0;
        mpv_get_property(mpv, (prefix + "albumart").c_str(), MPV_FORMAT_FLAG, &albumart);
        if (albumart) continue;
        int64_t w = 0;
        int64_t h = 0;
        mpv_get_property(mpv, (prefix + "demux-w").c_str(), MPV_FORMAT_INT64, &w);
        mpv_get_property(mpv, (prefix + "demux-h").c_str(), MPV_FORMAT_INT64, &h);
        out.has_video = true;
        out.width = static_cast<int>(w);
        out.height = static_cast<int>(h);
        break;
    }
    return out;
}

double monotonic_seconds() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// [SECTION] probe()

MediaProbe probe(std::shared_ptr<ByteSource> source, const std::string& name, double timeout_seconds) {
    MediaStreams streams;
    mpv_handle* mpv = create_mpv({false, false}, streams);
    struct Destroy {
        mpv_handle* mpv;
        ~Destroy() { mpv_terminate_destroy(mpv); }
    } destroy{mpv};
    // on_preloaded: the file is open and its tracks known, nothing decoded yet;
    // libmpv waits for the answer, so the properties cannot change meanwhile.
    mpv_hook_add(mpv, 0, "on_preloaded", 0);
    const std::string uri = serve(streams, std::move(source), name);
    const char* load[] = {"loadfile", uri.c_str(), nullptr};
    if (mpv_command(mpv, load) < 0) throw MediaError("Attune cannot play the recording " + name + ".");

    const double deadline = monotonic_seconds() + timeout_seconds;
    for (;;) {
        const double left = deadline - monotonic_seconds();
        if (left <= 0) throw MediaError("Reading the recording " + name + " took too long.");
        const mpv_event* event = mpv_wait_event(mpv, left);
        if (event->event_id == MPV_EVENT_HOOK) {
            const auto* hook = static_cast<const mpv_event_hook*>(event->data);
            if (hook->name && std::strcmp(hook->name, "on_preloaded") == 0) {
                MediaProbe out;
                mpv_get_property(mpv, "duration", MPV_FORMAT_DOUBLE, &out.duration_seconds);
                const TrackSummary tracks = read_tracks(mpv);
                out.has_video = tracks.has_video;
                out.width = tracks.width;
                out.height = tracks.height;
                mpv_hook_continue(mpv, hook->id);
                return out;
            }
            answer_hook(mpv, streams, *event);
        } else if (event->event_id == MPV_EVENT_END_FILE) {
            const auto* end = static_cast<const mpv_event_end_file*>(event->data);
            if (end->reason == MPV_END_FILE_REASON_ERROR) throw MediaError(describe_failure(streams, end->error, name));
            if (end->reason != MPV_END_FILE_REASON_REDIRECT)
                throw MediaError(describe_failure(streams, MPV_ERROR_LOADING_FAILED, name));
        }
    }
}

}  // namespace attune::formats
