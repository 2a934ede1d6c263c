// recording_player.h: a session's recording played in step with its codes:
// the media player (formats/media_player.h, libmpv) on the recording's bytes
// (decrypted in memory), with the session's pause map, so the review speaks
// in session seconds and the player in media seconds.
//
// Threading is the media player's: one owner thread (the window's main
// thread, also its OpenGL thread) makes every call. `notify` in the options
// is called from libmpv's threads when the owner has something to do; the
// window wakes its main loop there (glfwPostEmptyEvent). A paused player
// calls nothing, so a window waiting for events idles.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/pause_map.h"
#include "core/recordings.h"

namespace attune::formats {
class MediaPlayer;
}

namespace attune::services {

class OpenPractice;

class RecordingPlayer {
public:
    using GlGetProcAddress = void* (*)(void* context, const char* name);
    static constexpr double kMinSpeed = 0.25;
    static constexpr double kMaxSpeed = 4.0;

    struct Options {
        bool audio_output = true;      // false: no sound device (tests, the command line)
        std::function<void()> notify;  // from libmpv's threads; cheap, never blocking
    };
    explicit RecordingPlayer(Options options);
    ~RecordingPlayer();  // with the OpenGL renderer: the context current
    RecordingPlayer(const RecordingPlayer&) = delete;
    RecordingPlayer& operator=(const RecordingPlayer&) = delete;

    // [SECTION] Setup: a renderer before open() (none: sound only)
    void use_software_rendering();
    void use_opengl_rendering(GlGetProcAddress get_proc_address, void* context);
    bool has_renderer() const { return renderer_chosen_; }

    // Opens the session's recording, paused at its start. Throws attune::Error
    // (missing, changed or damaged file; a format libmpv cannot play).
    void open(OpenPractice& practice, const Recording& recording);
    bool is_open() const;
    const Recording& recording() const { return recording_; }
    // The pause map in use; replace it when the offset or the pauses changed.
    const PauseMap& pause_map() const { return map_; }
    void set_pause_map(PauseMap map) { map_ = std::move(map); }

    // [SECTION] Control (asynchronous: the state follows via process_events())
    void play();
    void pause();
    void toggle_play();
    double set_speed(double factor);  // clamped to [kMinSpeed, kMaxSpeed]
    void seek_media(double media_seconds);
    // To the media second where the session clock read `session_seconds`.
    void seek_session(double session_seconds);
    // By `seconds` of media from the current position (the ±1 s and ±5 s buttons).
    void skip(double seconds);
    void step_forward();  // one frame; pauses
    void step_back();

    // [SECTION] State
    bool paused() const;
    double speed() const;
    double media_position() const;
    // The session second shown (the pause's start inside a pause); empty
    // before the clock read 0.
    std::optional<double> session_position() const;
    double duration() const;
    bool has_video() const;
    int video_width() const;
    int video_height() const;
    // An open, a seek or a frame step is under way (its frame not yet ready).
    bool seeking() const;
    // Why playback stopped (a damaged container), one sentence; empty otherwise.
    std::string failure() const;
    // Handles libmpv's queued events; true when the state changed.
    bool process_events();
    bool wait_until_settled(double timeout_seconds = 5);

    // [SECTION] Rendering (owner thread)
    bool needs_redraw() const;
    bool render_software(int width, int height, std::vector<std::uint8_t>& rgba);
    // Into framebuffer object `framebuffer`, the picture's top row first (for
    // a texture ImGui draws with its default uv).
    void render_opengl(int framebuffer, int width, int height);

    // [SECTION] Counters (tests and the idle measure)
    std::uint64_t redraw_requests() const;
    std::uint64_t wakeups() const;

private:
    Options options_;
    std::unique_ptr<formats::MediaPlayer> player_;
    bool renderer_chosen_ = false;
    Recording recording_;
    PauseMap map_{0.0};
};

}  // namespace attune::services
