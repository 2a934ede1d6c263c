#include "services/recording_player.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "formats/media_player.h"
#include "services/recordings.h"

namespace attune::services {

RecordingPlayer::RecordingPlayer(Options options) : options_(std::move(options)) {
    formats::MediaPlayerOptions media;
    media.audio_output = options_.audio_output;
    media.notify = options_.notify;
    try {
        player_ = std::make_unique<formats::MediaPlayer>(std::move(media));
    } catch (const formats::MediaError& e) {
        throw Error(Error::Kind::Io, e.what());
    }
}

RecordingPlayer::~RecordingPlayer() = default;

void RecordingPlayer::use_software_rendering() {
    try {
        player_->use_software_rendering();
    } catch (const formats::MediaError& e) {
        throw Error(Error::Kind::Io, e.what());
    }
    renderer_chosen_ = true;
}

void RecordingPlayer::use_opengl_rendering(GlGetProcAddress get_proc_address, void* context) {
    try {
        player_->use_opengl_rendering(get_proc_address, context);
    } catch (const formats::MediaError& e) {
        throw Error(Error::Kind::Io, e.what());
    }
    renderer_chosen_ = true;
}

void RecordingPlayer::open(OpenPractice& practice, const Recording& recording) {
    std::shared_ptr<ByteSource> bytes = open_recording_bytes(practice, recording);
    PauseMap map = pause_map_of(practice, recording);
    try {
        player_->open(std::move(bytes), recording.original_name.empty() ? "recording" : recording.original_name);
    } catch (const formats::MediaError& e) {
        throw Error(Error::Kind::Io, e.what());
    }
    recording_ = recording;
    map_ = std::move(map);
}

bool RecordingPlayer::is_open() const {
    return player_->is_open();
}

void RecordingPlayer::play() {
    if (!is_open()) return;
    // At the end, play means from the start again.
    if (player_->at_end()) player_->seek(0);
    player_->play();
}
void RecordingPlayer::pause() {
    player_->pause();
}
void RecordingPlayer::toggle_play() {
    if (player_->paused())
        play();
    else
        pause();
}
double RecordingPlayer::set_speed(double factor) {
    return player_->set_speed(factor);
}
void RecordingPlayer::seek_media(double media_seconds) {
    player_->seek(media_seconds);
}
void RecordingPlayer::seek_session(double session_seconds) {
    if (!std::isfinite(session_seconds)) return;
    player_->seek(map_.media_from_session(std::max(0.0, session_seconds)));
}
void RecordingPlayer::skip(double seconds) {
    player_->seek(player_->position() + seconds);
}
void RecordingPlayer::step_forward() {
    player_->step_forward();
}
void RecordingPlayer::step_back() {
    player_->step_back();
}

bool RecordingPlayer::paused() const {
    return player_->paused();
}
double RecordingPlayer::speed() const {
    return player_->speed();
}
double RecordingPlayer::media_position() const {
    return player_->position();
}
std::optional<double> RecordingPlayer::session_position() const {
    return map_.session_from_media(player_->position());
}
double RecordingPlayer::duration() const {
    return player_->duration();
}
bool RecordingPlayer::has_video() const {
    return player_->has_video();
}
int RecordingPlayer::video_width() const {
    return player_->video_width();
}
int RecordingPlayer::video_height() const {
    return player_->video_height();
}
bool RecordingPlayer::seeking() const {
    return player_->seeking();
}
std::string RecordingPlayer::failure() const {
    return player_->failure();
}
bool RecordingPlayer::process_events() {
    return player_->process_events();
}
bool RecordingPlayer::wait_until_settled(double timeout_seconds) {
    return player_->wait_until_settled(timeout_seconds);
}

bool RecordingPlayer::needs_redraw() const {
    return player_->needs_redraw();
}
bool RecordingPlayer::render_software(int width, int height, std::vector<std::uint8_t>& rgba) {
    try {
        return player_->render_software(width, height, rgba);
    } catch (const formats::MediaError& e) {
        throw Error(Error::Kind::Io, e.what());
    }
}
void RecordingPlayer::render_opengl(int framebuffer, int width, int height) {
    try {
        player_->render_opengl(framebuffer, width, height, false);
    } catch (const formats::MediaError& e) {
        throw Error(Error::Kind::Io, e.what());
    }
}

std::uint64_t RecordingPlayer::redraw_requests() const {
    return player_->redraw_requests();
}
std::uint64_t RecordingPlayer::wakeups() const {
    return player_->wakeups();
}

}  // namespace attune::services
