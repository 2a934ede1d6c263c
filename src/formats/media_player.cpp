// media_player.cpp: MediaPlayer over libmpv (threading rules in media_player.h).
//
// Index:
// [SECTION] Life cycle and renderers
// [SECTION] Opening
// [SECTION] Control
// [SECTION] Events
// [SECTION] Rendering
#include "formats/media_player.h"

#include <mpv/client.h>
#include <mpv/render.h>
#include <mpv/render_gl.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "formats/mpv_session.h"

namespace attune::formats {

namespace {

// reply_userdata of the observed properties.
// Frame start times closer than this are the same frame (libmpv rounds to microseconds).
constexpr double kSameFrame = 0.001;

enum Observed : std::uint64_t { kTimePos = 1, kDuration, kPause, kSpeed, kEofReached, kWidth, kHeight };

std::string seconds_text(double seconds) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, seconds, std::chars_format::fixed, 6);
    return std::string(buffer, result.ptr);
}

}  // namespace

// [SECTION] Life cycle and renderers

MediaPlayer::MediaPlayer(MediaPlayerOptions options)
    : options_(std::move(options)), streams_(std::make_unique<MediaStreams>()) {
    mpv_ = create_mpv({options_.audio_output, true}, *streams_);
    mpv_observe_property(mpv_, kTimePos, "time-pos", MPV_FORMAT_DOUBLE);
    mpv_observe_property(mpv_, kDuration, "duration", MPV_FORMAT_DOUBLE);
    mpv_observe_property(mpv_, kPause, "pause", MPV_FORMAT_FLAG);
    mpv_observe_property(mpv_, kSpeed, "speed", MPV_FORMAT_DOUBLE);
    mpv_observe_property(mpv_, kEofReached, "eof-reached", MPV_FORMAT_FLAG);
    mpv_observe_property(mpv_, kWidth, "dwidth", MPV_FORMAT_INT64);
    mpv_observe_property(mpv_, kHeight, "dheight", MPV_FORMAT_INT64);
    mpv_set_wakeup_callback(mpv_, on_wakeup, this);
}

MediaPlayer::~MediaPlayer() {
    // libmpv: the render context goes before the core (on the OpenGL thread, context current).
    if (render_) mpv_render_context_free(render_);
    mpv_set_wakeup_callback(mpv_, nullptr, nullptr);
    mpv_terminate_destroy(mpv_);
}

void MediaPlayer::use_software_rendering() {
    if (renderer_ != Renderer::None) throw std::logic_error("MediaPlayer: a renderer is already set");
    char api[] = MPV_RENDER_API_TYPE_SW;
    mpv_render_param params[] = {{MPV_RENDER_PARAM_API_TYPE, api}, {MPV_RENDER_PARAM_INVALID, nullptr}};
    const int err = mpv_render_context_create(&render_, mpv_, params);
    if (err < 0) throw MediaError(std::string("The video renderer could not start: ") + mpv_error_string(err) + ".");
    renderer_ = Renderer::Software;
    mpv_render_context_set_update_callback(render_, on_update, this);
}

void MediaPlayer::use_opengl_rendering(GlGetProcAddress get_proc_address, void* context) {
    if (renderer_ != Renderer::None) throw std::logic_error("MediaPlayer: a renderer is already set");
    char api[] = MPV_RENDER_API_TYPE_OPENGL;
    mpv_opengl_init_params init{get_proc_address, context};
    mpv_render_param params[] = {{MPV_RENDER_PARAM_API_TYPE, api},
                                 {MPV_RENDER_PARAM_OPENGL_INIT_PARAMS, &init},
                                 {MPV_RENDER_PARAM_INVALID, nullptr}};
    const int err = mpv_render_context_create(&render_, mpv_, params);
    if (err < 0)
        throw MediaError(std::string("The video renderer could not start on OpenGL: ") + mpv_error_string(err) + ".");
    renderer_ = Renderer::OpenGl;
    mpv_render_context_set_update_callback(render_, on_update, this);
}

void MediaPlayer::on_wakeup(void* self) {
    auto* player = static_cast<MediaPlayer*>(self);
    ++player->wakeups_;
    player->signal();
}

void MediaPlayer::on_update(void* self) {
    auto* player = static_cast<MediaPlayer*>(self);
    ++player->redraw_requests_;
    player->redraw_ = true;
    player->signal();
}

void MediaPlayer::signal() {
    {
        std::lock_guard lock(wake_mutex_);
        ++wake_count_;
    }
    wake_cv_.notify_all();
    if (options_.notify) options_.notify();
}

void MediaPlayer::wait_for_wake(std::uint64_t seen, double deadline) {
    std::unique_lock lock(wake_mutex_);
    const auto until = std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(deadline)));
    wake_cv_.wait_until(lock, until, [&] { return wake_count_ != seen; });
}

// [SECTION] Opening

void MediaPlayer::open(std::shared_ptr<ByteSource> source, const std::string& name, double timeout_seconds) {
    name_ = name;
    loaded_ = false;
    ended_ = false;
    end_error_ = 0;
    entry_ = -1;
    at_end_ = false;
    stepping_ = false;
    position_ = 0;
    duration_ = 0;
    width_ = height_ = 0;
    // The first frame's arrival is awaited like a seek's.
    seek_state_ = SeekState::Started;
    seek_target_ = 0;
    redraw_ = false;

    const std::string uri = serve(*streams_, std::move(source), name);
    mpv_set_property_string(mpv_, "vid", renderer_ == Renderer::None ? "no" : "auto");
    mpv_set_property_string(mpv_, "pause", "yes");
    command({"loadfile", uri, "replace"});

    const double deadline = monotonic_seconds() + timeout_seconds;
    for (;;) {
        std::uint64_t seen;
        {
            std::lock_guard lock(wake_mutex_);
            seen = wake_count_;
        }
        process_events();
        if (ended_) {
            seek_state_ = SeekState::None;
            throw MediaError(failure());
        }
        if (loaded_) break;
        if (monotonic_seconds() >= deadline) {
            command({"stop"});
            seek_state_ = SeekState::None;
            throw MediaError("Opening the recording " + name + " took too long.");
        }
        wait_for_wake(seen, deadline);
    }
    if (!wait_until_settled(std::max(0.1, deadline - monotonic_seconds())))
        throw MediaError("The recording " + name + " opened but showed nothing in time.");
    if (ended_) throw MediaError(failure());
}

bool MediaPlayer::wait_until_settled(double timeout_seconds) {
    const double deadline = monotonic_seconds() + timeout_seconds;
    for (;;) {
        std::uint64_t seen;
        {
            std::lock_guard lock(wake_mutex_);
            seen = wake_count_;
        }
        process_events();
        // Hand new frames over so libmpv's video output does not stall waiting for a render.
        if (redraw_) handover_frame();
        if (!seeking() || ended_) return true;
        if (monotonic_seconds() >= deadline) return false;
        wait_for_wake(seen, deadline);
    }
}

std::string MediaPlayer::failure() const {
    if (!ended_) return {};
    return describe_failure(*streams_, end_error_ ? end_error_ : MPV_ERROR_LOADING_FAILED, name_);
}

// [SECTION] Control

void MediaPlayer::command(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    for (const std::string& a : args)
        argv.push_back(a.c_str());
    argv.push_back(nullptr);
    const int err = mpv_command(mpv_, argv.data());
    if (err < 0)
        throw MediaError("The media player could not " + args.front() + " the recording " + name_ + ": " +
                         mpv_error_string(err) + ".");
}

void MediaPlayer::play() {
    set_paused(false);
}
void MediaPlayer::pause() {
    set_paused(true);
}

void MediaPlayer::set_paused(bool paused) {
    int flag = paused ? 1 : 0;
    mpv_set_property(mpv_, "pause", MPV_FORMAT_FLAG, &flag);
}

double MediaPlayer::set_speed(double factor) {
    double speed = std::isfinite(factor) ? std::clamp(factor, kMinSpeed, kMaxSpeed) : 1.0;
    mpv_set_property(mpv_, "speed", MPV_FORMAT_DOUBLE, &speed);
    speed_ = speed;
    return speed;
}

void MediaPlayer::begin_seek(double target, bool back_to_shown) {
    // Events still queued belong to earlier requests.
    process_events();
    seek_state_ = SeekState::Issued;
    seek_target_ = target;
    back_to_shown_ = back_to_shown;
    at_end_ = false;
}

void MediaPlayer::seek(double media_seconds) {
    if (!loaded_ || !std::isfinite(media_seconds)) return;
    double target = std::max(0.0, media_seconds);
    if (duration_ > 0) target = std::min(target, duration_);
    begin_seek(target, true);
    // At a constant frame rate, asking for the start of the frame on screen at
    // the target makes libmpv land on it in one decode; otherwise (a variable
    // rate, an offset start) the step back after landing corrects it.
    double ask = target;
    if (frame_rate_ > 0) ask = std::floor(target * frame_rate_ + 1e-6) / frame_rate_;
    command({"seek", seconds_text(ask), "absolute+exact"});
}

void MediaPlayer::step_forward() {
    if (!loaded_ || at_end_) return;
    process_events();
    stepping_ = true;
    step_from_ = position_;
    command({"frame-step"});
}

void MediaPlayer::step_back() {
    if (!loaded_) return;
    // libmpv steps back by an exact seek to the frame before.
    begin_seek(std::max(0.0, position_ - kSameFrame), false);
    command({"frame-back-step"});
}

// [SECTION] Events

bool MediaPlayer::process_events() {
    bool changed = false;
    for (;;) {
        const mpv_event* event = mpv_wait_event(mpv_, 0);
        if (event->event_id == MPV_EVENT_NONE) break;
        changed |= handle_event(*event);
    }
    if (stepping_ && ((position_ != step_from_ && paused_) || at_end_ || ended_)) {
        stepping_ = false;
        changed = true;
    }
    return changed;
}

bool MediaPlayer::handle_event(const mpv_event& event) {
    switch (event.event_id) {
        case MPV_EVENT_PROPERTY_CHANGE: {
            const auto* p = static_cast<const mpv_event_property*>(event.data);
            if (p->format == MPV_FORMAT_NONE || !p->data) return false;
            switch (event.reply_userdata) {
                case kTimePos:
                    position_ = *static_cast<const double*>(p->data);
                    break;
                case kDuration:
                    duration_ = *static_cast<const double*>(p->data);
                    break;
                case kPause:
                    paused_ = *static_cast<const int*>(p->data) != 0;
                    break;
                case kSpeed:
                    speed_ = *static_cast<const double*>(p->data);
                    break;
                case kEofReached:
                    at_end_ = *static_cast<const int*>(p->data) != 0;
                    break;
                case kWidth:
                    width_ = static_cast<int>(*static_cast<const std::int64_t*>(p->data));
                    break;
                case kHeight:
                    height_ = static_cast<int>(*static_cast<const std::int64_t*>(p->data));
                    break;
                default:
                    return false;
            }
            return true;
        }
        case MPV_EVENT_START_FILE:
            entry_ = static_cast<const mpv_event_start_file*>(event.data)->playlist_entry_id;
            return false;
        case MPV_EVENT_FILE_LOADED: {
            loaded_ = true;
            frame_rate_ = 0;
            mpv_get_property(mpv_, "container-fps", MPV_FORMAT_DOUBLE, &frame_rate_);
            if (!std::isfinite(frame_rate_) || frame_rate_ < 1 || frame_rate_ > 1000) frame_rate_ = 0;
            const TrackSummary tracks = read_tracks(mpv_);
            if (tracks.has_video && renderer_ != Renderer::None) {
                width_ = tracks.width;
                height_ = tracks.height;
            }
            return true;
        }
        case MPV_EVENT_SEEK:
            if (seek_state_ == SeekState::Issued) seek_state_ = SeekState::Started;
            return false;
        case MPV_EVENT_PLAYBACK_RESTART:
            if (seek_state_ != SeekState::Started) return false;
            seek_state_ = SeekState::None;
            // The position's change notice may come later than this event; the
            // position must be right as soon as seeking() is false.
            mpv_get_property(mpv_, "time-pos", MPV_FORMAT_DOUBLE, &position_);
            if (back_to_shown_ && position_ > seek_target_ + kSameFrame) {
                // libmpv's exact seek shows the first frame starting at or after
                // the target; the frame on screen at the target is the one before.
                back_to_shown_ = false;
                seek_state_ = SeekState::Issued;
                command({"frame-back-step"});
                return false;
            }
            back_to_shown_ = false;
            return true;
        case MPV_EVENT_END_FILE: {
            const auto* end = static_cast<const mpv_event_end_file*>(event.data);
            // An earlier file's end, or a playlist replaced by its entries.
            if (end->playlist_entry_id != entry_ || end->reason == MPV_END_FILE_REASON_REDIRECT) return false;
            ended_ = true;
            loaded_ = false;
            end_error_ = end->reason == MPV_END_FILE_REASON_ERROR ? end->error : 0;
            seek_state_ = SeekState::None;
            return true;
        }
        case MPV_EVENT_HOOK:
            answer_hook(mpv_, *streams_, event);
            return false;
        default:
            return false;
    }
}

// [SECTION] Rendering

void MediaPlayer::handover_frame() {
    if (!render_) return;
    redraw_ = false;
    if (!(mpv_render_context_update(render_) & MPV_RENDER_UPDATE_FRAME)) return;
    // Take the frame without drawing it: the next render draws the newest one.
    int skip = 1;
    int block = 0;
    mpv_render_param params[] = {{MPV_RENDER_PARAM_SKIP_RENDERING, &skip},
                                 {MPV_RENDER_PARAM_BLOCK_FOR_TARGET_TIME, &block},
                                 {MPV_RENDER_PARAM_INVALID, nullptr}};
    mpv_render_context_render(render_, params);
}

bool MediaPlayer::render_software(int width, int height, std::vector<std::uint8_t>& rgba) {
    if (renderer_ != Renderer::Software) throw std::logic_error("MediaPlayer: software rendering was not chosen");
    if (!has_video() || width <= 0 || height <= 0) return false;
    // libmpv wants 64-byte aligned rows for its fast paths.
    const std::size_t row = static_cast<std::size_t>(width) * 4;
    std::size_t stride = (row + 63) / 64 * 64;
    sw_scratch_.resize(stride * static_cast<std::size_t>(height) + 64);
    void* aligned = sw_scratch_.data();
    std::size_t space = sw_scratch_.size();
    std::align(64, stride * static_cast<std::size_t>(height), aligned, space);

    int size[2] = {width, height};
    char format[] = "rgb0";
    int block = 0;
    mpv_render_param params[] = {{MPV_RENDER_PARAM_SW_SIZE, size},
                                 {MPV_RENDER_PARAM_SW_FORMAT, format},
                                 {MPV_RENDER_PARAM_SW_STRIDE, &stride},
                                 {MPV_RENDER_PARAM_SW_POINTER, aligned},
                                 {MPV_RENDER_PARAM_BLOCK_FOR_TARGET_TIME, &block},
                                 {MPV_RENDER_PARAM_INVALID, nullptr}};
    redraw_ = false;
    mpv_render_context_update(render_);
    const int err = mpv_render_context_render(render_, params);
    if (err < 0) throw MediaError(std::string("A video frame could not be drawn: ") + mpv_error_string(err) + ".");

    rgba.resize(row * static_cast<std::size_t>(height));
    const auto* from = static_cast<const std::uint8_t*>(aligned);
    for (int y = 0; y < height; ++y) {
        std::uint8_t* to = rgba.data() + row * static_cast<std::size_t>(y);
        std::memcpy(to, from + stride * static_cast<std::size_t>(y), row);
        for (std::size_t x = 3; x < row; x += 4)
            to[x] = 255;  // "rgb0": the fourth byte is undefined
    }
    return true;
}

void MediaPlayer::render_opengl(int framebuffer, int width, int height, bool flip_y) {
    if (renderer_ != Renderer::OpenGl) throw std::logic_error("MediaPlayer: OpenGL rendering was not chosen");
    mpv_opengl_fbo fbo{framebuffer, width, height, 0};
    int flip = flip_y ? 1 : 0;
    int block = 0;
    mpv_render_param params[] = {{MPV_RENDER_PARAM_OPENGL_FBO, &fbo},
                                 {MPV_RENDER_PARAM_FLIP_Y, &flip},
                                 {MPV_RENDER_PARAM_BLOCK_FOR_TARGET_TIME, &block},
                                 {MPV_RENDER_PARAM_INVALID, nullptr}};
    redraw_ = false;
    mpv_render_context_update(render_);
    const int err = mpv_render_context_render(render_, params);
    if (err < 0) throw MediaError(std::string("A video frame could not be drawn: ") + mpv_error_string(err) + ".");
}

}  // namespace attune::formats
