// media_player.h: playing a recording through libmpv, the only thing in
// Attune that decodes media.
//
// The recording is read through a ByteSource (a plain file or the encrypted
// container) by libmpv's stream-callback interface under an `attune://` URI,
// so an encrypted recording is decrypted in memory only. libmpv is set up to
// be quiet and closed: no config files, scripts, terminal, OSD, key bindings,
// youtube-dl or watch-later files, no side files (subtitles, cover art), no
// hardware decoding; a recording that tries to lead elsewhere (a playlist, a
// reference to another file or an address) is refused.
//
// Threading (libmpv's rules, see <mpv/render.h>, and ours):
//   - One owner thread makes every call on a MediaPlayer. In Attune that is
//     the main thread, which is also the OpenGL thread: rendering happens
//     there too, with the context the renderer was created with current.
//   - libmpv runs its own threads (core, demuxer, decoder, video output). From
//     them it calls the stream callbacks (which call ByteSource::read; hence
//     sources are thread-safe) and two notifications, which only set atomic
//     flags and call the `notify` function. `notify` must be cheap, must not
//     block and must not call into the player or libmpv: glfwPostEmptyEvent()
//     is the intended use (it wakes a window that waits for events).
//   - The owner reacts by calling process_events() (player state) and, when
//     needs_redraw() says so, render_opengl() / render_software(). Nothing
//     else needs to run: a paused player asks for no frames and sends no
//     notifications, so a window that waits for events idles.
//   - Rendering never blocks for a frame's display time (libmpv's
//     video-timing-offset is 0 and renders do not wait for a target time).
//   - open() and wait_until_settled() block the owner thread; while they
//     wait they take each new frame from libmpv's video output without
//     drawing it (the next render draws the newest one), since the output
//     otherwise stalls up to 0.2 s per frame waiting for a render. With the
//     OpenGL renderer this too needs the context current. Use them in the
//     command line and tests; in a frame loop only open() (tens of ms).
//   - The destructor frees the render context first (OpenGL: context current).
//
// Locale: libmpv refuses to start unless LC_NUMERIC is "C" (it parses and
// prints numbers with the C library). create_mpv() sets LC_NUMERIC to "C"
// for the whole process if it is not. Attune never calls setlocale (a C++
// program starts in "C"), so today this changes nothing; should it ever
// adopt the user's locale, LC_NUMERIC must stay "C".
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/byte_source.h"

struct mpv_handle;
struct mpv_render_context;
struct mpv_event;

namespace attune::formats {

// A recording that cannot be opened or played; the message is one sentence for the user.
class MediaError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct MediaProbe {
    double duration_seconds = 0;
    bool has_video = false;  // a picture track that is not just cover art
    int width = 0;           // pixels, 0 without video
    int height = 0;
};

// Reads the recording's duration and tracks without decoding it (a separate
// short-lived libmpv instance). `name` is the original file name; its
// extension helps recognise formats that carry no signature. Throws MediaError.
MediaProbe probe(std::shared_ptr<ByteSource> source, const std::string& name, double timeout_seconds = 10);

struct MediaPlayerOptions {
    bool audio_output = true;  // false: libmpv's null audio output (tests, the command line)
    // Called from libmpv's threads when there is something for the owner to
    // do (see the threading notes above); may be empty.
    std::function<void()> notify;
};

struct MediaStreams;  // the attune:// protocol's source (mpv_session.h)

class MediaPlayer {
public:
    // An OpenGL function loader (e.g. a wrapper around glfwGetProcAddress).
    using GlGetProcAddress = void* (*)(void* context, const char* name);

    static constexpr double kMinSpeed = 0.25;
    static constexpr double kMaxSpeed = 4.0;

    explicit MediaPlayer(MediaPlayerOptions options = {});
    ~MediaPlayer();
    MediaPlayer(const MediaPlayer&) = delete;
    MediaPlayer& operator=(const MediaPlayer&) = delete;

    // [SECTION] Setup, before open()
    // Pick one renderer before open(): libmpv attaches video to it when a file
    // loads. Without one, only the sound plays. use_opengl_rendering() needs
    // the OpenGL context current on the owner thread, now and for every
    // render_opengl() call, until the player is destroyed.
    void use_software_rendering();
    void use_opengl_rendering(GlGetProcAddress get_proc_address, void* context);

    // Opens the recording paused at its start and waits until it is loaded.
    // `name` as for probe(). Throws MediaError (unknown format, damaged or
    // tampered container, a recording that leads elsewhere, time-out).
    void open(std::shared_ptr<ByteSource> source, const std::string& name, double timeout_seconds = 10);
    bool is_open() const { return loaded_; }

    // [SECTION] Control (asynchronous: the state below follows via process_events())
    void play();
    void pause();
    void set_paused(bool paused);
    // Clamped to [kMinSpeed, kMaxSpeed]; returns the speed set.
    double set_speed(double factor);
    // Shows the frame that is on screen at `media_seconds` (the last frame
    // starting at or before it), clamped to [0, duration]. libmpv's exact seek
    // lands on the first frame starting at or after the target; when that is
    // later, the player steps one frame back (a second decode from the
    // keyframe; at a constant frame rate the seek asks for the frame's start
    // and lands on it at once).
    void seek(double media_seconds);
    void step_forward();  // one frame; pauses
    void step_back();     // one frame; pauses

    // [SECTION] State (owner thread; as of the last process_events())
    bool paused() const { return paused_; }
    double speed() const { return speed_; }
    // Media seconds of the frame shown; the target while a seek is under way.
    double position() const { return seeking() ? seek_target_ : position_; }
    double duration() const { return duration_; }
    bool has_video() const { return width_ > 0; }  // with a renderer; probe() tells without one
    int video_width() const { return width_; }
    int video_height() const { return height_; }
    bool seeking() const { return seek_state_ != SeekState::None || stepping_; }
    bool at_end() const { return at_end_; }
    // Why the open recording stopped playing (a damaged container, a read
    // error), one sentence for the user; empty while it plays or is paused.
    std::string failure() const;

    // Handles every event libmpv has queued, without waiting; returns true
    // when the state above changed. Call it when notified (or once a frame).
    bool process_events();
    // Processes events until the last seek or step has landed and its frame
    // is ready to render; false on time-out. See the threading notes above.
    bool wait_until_settled(double timeout_seconds = 5);

    // [SECTION] Rendering (owner thread)
    // True when libmpv has a new frame, or wants the last one drawn again. Any thread.
    bool needs_redraw() const { return redraw_.load(); }
    // The current frame scaled to fit width x height (black bars where the
    // shapes differ), as RGBA bytes, rows top to bottom, alpha 255. Needs
    // use_software_rendering(). Returns false when there is no video.
    bool render_software(int width, int height, std::vector<std::uint8_t>& rgba);
    // Draws the current frame into framebuffer object `framebuffer` (0: the
    // default one) of width x height pixels. Needs use_opengl_rendering(); the
    // same OpenGL context current. flip_y false puts the picture's top row in
    // the framebuffer's first row (texture v = 0: right for a texture drawn by
    // ImGui::Image with its default uv); true for the default framebuffer,
    // whose first row is the bottom of the window (checked under Xvfb).
    void render_opengl(int framebuffer, int width, int height, bool flip_y);

    // [SECTION] Counters (tests and the idle measure)
    std::uint64_t redraw_requests() const { return redraw_requests_.load(); }
    std::uint64_t wakeups() const { return wakeups_.load(); }

private:
    enum class SeekState { None, Issued, Started };
    enum class Renderer { None, Software, OpenGl };

    void command(const std::vector<std::string>& args);
    void begin_seek(double target, bool back_to_shown);
    bool handle_event(const mpv_event& event);
    void handover_frame();
    void wait_for_wake(std::uint64_t seen, double deadline);
    void signal();
    static void on_wakeup(void* self);
    static void on_update(void* self);

    MediaPlayerOptions options_;
    std::unique_ptr<MediaStreams> streams_;  // outlives mpv_ (destroyed after it)
    mpv_handle* mpv_ = nullptr;
    mpv_render_context* render_ = nullptr;
    Renderer renderer_ = Renderer::None;
    std::string name_;  // the open recording's name, for messages

    // Woken by either libmpv notification, for the blocking waits.
    std::mutex wake_mutex_;
    std::condition_variable wake_cv_;
    std::uint64_t wake_count_ = 0;

    std::atomic<bool> redraw_{false};
    std::atomic<std::uint64_t> redraw_requests_{0};
    std::atomic<std::uint64_t> wakeups_{0};

    bool loaded_ = false;
    bool paused_ = true;
    bool at_end_ = false;
    double speed_ = 1;
    double position_ = 0;
    double duration_ = 0;
    double frame_rate_ = 0;  // frames per second the container states; 0 when unknown
    int width_ = 0;
    int height_ = 0;
    SeekState seek_state_ = SeekState::None;
    double seek_target_ = 0;
    bool back_to_shown_ = false;             // after landing past the target, step back to the frame shown at it
    bool stepping_ = false;                  // a forward frame step: lands when the position moves on
    double step_from_ = 0;                   // position when the step was asked for
    std::int64_t entry_ = -1;                // libmpv's playlist entry of the file being opened or played
    bool ended_ = false;                     // that file ended (failed, or was stopped)
    int end_error_ = 0;                      // libmpv's error code when it failed
    std::vector<unsigned char> sw_scratch_;  // 64-byte aligned rows for libmpv's software renderer
};

}  // namespace attune::formats
