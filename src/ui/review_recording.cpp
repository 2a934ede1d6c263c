// review_recording: the recording panel of the review (see review_recording.h).
//
// [SECTION] Loading and the player
// [SECTION] The picture and the raters' layers
// [SECTION] Controls
// [SECTION] Sync mark and offset
// [SECTION] Excerpts
// [SECTION] Keys
// [SECTION] Linking a recording
#include "ui/review_recording.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "core/text.h"
#include "services/cases.h"
#include "services/excerpts.h"
#include "services/recording_player.h"
#include "services/recordings.h"
#include "ui/keys.h"
#include "ui/theme.h"
#include "ui/video_surface.h"
#include "ui/widgets.h"

namespace attune::ui {

namespace {

// The raters' layers under the picture show this much session time either side of the playhead.
constexpr double kLaneHalfWindowSeconds = 30;
const float kSpeeds[] = {0.25f, 0.5f, 0.75f, 1.0f, 1.25f, 1.5f, 2.0f, 3.0f, 4.0f};

}  // namespace

// [SECTION] Loading and the player

ReviewRecording::ReviewRecording(AppModel& model) : model_(model) {
    // The player (and its picture) goes before the practice locks.
    lock_hook_ = model_.on_lock([this] { close(); });
}

ReviewRecording::~ReviewRecording() {
    close();
}

void ReviewRecording::close() {
    if (player_ && model_.video_surface()) model_.video_surface()->release(*player_);
    player_.reset();
    opened_uuid_.clear();
    recording_.reset();
    loaded_session_ = 0;
    version_ = 0;
}

void ReviewRecording::refresh(const Case& c, const Session& session) {
    if (loaded_session_ == session.id && version_ == model_.data_version()) return;
    if (loaded_session_ != session.id) {
        mark_start_.reset();
        mark_stop_.reset();
        sync_code_.clear();
        sync_session_s_.reset();
        error_.clear();
    }
    case_ = c;
    session_ = session;
    loaded_session_ = session.id;
    version_ = model_.data_version();
    std::optional<Recording> found;
    std::vector<Excerpt> excerpts;
    model_.attempt([&] {
        rights_ = services::recording_rights(model_.practice(), c);
        found = services::session_recording(model_.practice(), session.id);
        for (Excerpt& e : services::list_excerpts(model_.practice(), c.id))
            if (e.session_id == session.id) excerpts.push_back(std::move(e));
    });
    recording_ = found;
    excerpts_ = std::move(excerpts);
    if (!recording_) {
        if (player_ && model_.video_surface()) model_.video_surface()->release(*player_);
        player_.reset();
        opened_uuid_.clear();
        return;
    }
    offset_input_ = static_cast<float>(recording_->offset_seconds);
    if (recording_->uuid != opened_uuid_ || recording_->sha256 != (player_ ? player_->recording().sha256 : "") ||
        recording_->path != (player_ ? player_->recording().path : "")) {
        open_player();
    } else if (player_) {
        // A new offset or pause: the same media, mapped anew.
        model_.attempt([&] { player_->set_pause_map(services::pause_map_of(model_.practice(), *recording_)); });
    }
}

void ReviewRecording::open_player() {
    error_.clear();
    opened_uuid_ = recording_->uuid;
    try {
        if (!player_) {
            services::RecordingPlayer::Options options;
            options.audio_output = model_.media_audio();
            options.notify = model_.media_wake();
            player_ = std::make_unique<services::RecordingPlayer>(std::move(options));
            if (model_.video_surface()) model_.video_surface()->prepare(*player_);
        }
        player_->open(model_.practice(), *recording_);
        if (const auto at = model_.take_review_seek()) player_->seek_session(*at);
    } catch (const std::exception& e) {
        error_ = e.what();
        if (player_ && model_.video_surface()) model_.video_surface()->release(*player_);
        player_.reset();
    }
}

bool ReviewRecording::playing_field() const {
    return player_ && player_->is_open();
}

std::optional<double> ReviewRecording::session_position() const {
    if (!playing_field()) return std::nullopt;
    return player_->session_position();
}

void ReviewRecording::seek_session(double session_seconds) {
    if (playing_field()) player_->seek_session(session_seconds);
}

void ReviewRecording::toggle_play() {
    if (playing_field()) player_->toggle_play();
}

double ReviewRecording::next_redraw_in() const {
    // Playing, the player wakes the window for each frame it has; paused, nothing moves.
    return -1;
}

bool ReviewRecording::busy() const {
    return playing_field() && (player_->seeking() || player_->needs_redraw());
}

// [SECTION] The picture and the raters' layers

void ReviewRecording::draw(const std::vector<RaterLane>& lanes, const CodingScheme& scheme, float height) {
    if (player_) player_->process_events();
    if (!recording_) {
        ImGui::TextDisabled("No recording of this session.");
        if (!rights_.link_and_offset) return;  // linking one is its clinician's
        same_line_if_fits(button_width("Link a recording..."));
        if (ImGui::SmallButton("Link a recording...")) {
            link_new_session_ = false;
            link_dialog_.open();
        }
        same_line_if_fits(button_width("New session from a recording..."));
        if (ImGui::SmallButton("New session from a recording...")) {
            link_new_session_ = true;
            link_dialog_.open();
        }
        return;
    }
    if (!playing_field()) {
        ScopedColor red(ImGuiCol_Text, readable_on_background(palette::vermillion));
        ImGui::TextWrapped("The recording %s cannot be played: %s", recording_->original_name.c_str(),
                           error_.empty() ? "it did not open." : error_.c_str());
        if (ImGui::SmallButton("Try again")) open_player();
        same_line_if_fits(button_width("Link the file..."));
        if (ImGui::SmallButton("Link the file...")) {
            link_new_session_ = false;
            link_dialog_.open();
        }
        return;
    }
    const float avail = ImGui::GetContentRegionAvail().x;
    // The controls keep room for their widest line (the media time) and a scroll bar; the picture gives way.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float controls_min = ImGui::CalcTextSize("Media 00:00:00.000 / 00:00:00.000").x + style.ScrollbarSize +
                               style.ItemSpacing.x * 2 + style.WindowPadding.x * 2;
    const float picture_w =
        std::max(avail * 0.3f, std::min({avail * 0.5f, height * 16.0f / 9.0f * 1.3f, avail - controls_min}));
    ImGui::BeginChild("##picture", ImVec2(picture_w, height), false, ImGuiWindowFlags_NoScrollbar);
    draw_picture(lanes, scheme, picture_w, height);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##player_controls", ImVec2(0, height), false);
    draw_controls();
    ImGui::Separator();
    draw_sync();
    ImGui::Separator();
    draw_excerpts();
    ImGui::EndChild();
}

void ReviewRecording::draw_picture(const std::vector<RaterLane>& lanes, const CodingScheme& scheme, float width,
                                   float height) {
    const float lane_h = ImGui::GetTextLineHeightWithSpacing() * 1.4f;
    const float picture_h = std::max(ImGui::GetFontSize() * 4, height - lane_h * 2 - ImGui::GetStyle().ItemSpacing.y);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + picture_h), IM_COL32(0, 0, 0, 255));
    if (player_->has_video() && player_->video_width() > 0 && player_->video_height() > 0) {
        // The picture keeps its shape inside the black box.
        const float aspect = static_cast<float>(player_->video_width()) / static_cast<float>(player_->video_height());
        float w = width, h = width / aspect;
        if (h > picture_h) {
            h = picture_h;
            w = h * aspect;
        }
        const ImVec2 at(origin.x + (width - w) / 2, origin.y + (picture_h - h) / 2);
        const ImVec2 end(at.x + w, at.y + h);
        const int pixels_w = std::max(1, static_cast<int>(std::lround(w * ImGui::GetIO().DisplayFramebufferScale.x)));
        const int pixels_h = std::max(1, static_cast<int>(std::lround(h * ImGui::GetIO().DisplayFramebufferScale.y)));
        if (VideoSurface* surface = model_.video_surface()) {
            const ImTextureID texture = surface->picture(*player_, pixels_w, pixels_h, ScreenRect{at, end});
            if (texture) draw->AddImage(texture, at, end);
        } else {
            draw->AddText(ImVec2(at.x + 8, at.y + 8), IM_COL32(200, 200, 200, 255), "(the picture is not shown here)");
        }
    } else {
        const char* text = "Sound only";
        const ImVec2 size = ImGui::CalcTextSize(text);
        draw->AddText(ImVec2(origin.x + (width - size.x) / 2, origin.y + (picture_h - size.y) / 2),
                      IM_COL32(220, 220, 220, 255), text);
    }
    ImGui::Dummy(ImVec2(width, picture_h));
    draw_lanes(lanes, scheme, width);
}

void ReviewRecording::draw_lanes(const std::vector<RaterLane>& lanes, const CodingScheme& scheme, float width) {
    const std::optional<double> now = session_position();
    const float lane_h = ImGui::GetTextLineHeightWithSpacing() * 1.4f;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float label_w = ImGui::GetFontSize() * 6.5f;
    const float x0 = origin.x + label_w, x1 = origin.x + width;
    const float mid = (x0 + x1) / 2;
    const float scale = ui_scale();
    const ImU32 text_color = ImGui::GetColorU32(ImGuiCol_Text);
    for (std::size_t i = 0; i < 2; ++i) {
        const float top = origin.y + lane_h * static_cast<float>(i);
        const float y = top + lane_h / 2;
        draw->AddRectFilled(ImVec2(x0, top + 1), ImVec2(x1, top + lane_h - 1),
                            to_imgui(with_alpha(palette::reference, i == 0 ? 0.10f : 0.05f)));
        const std::string name = i < lanes.size() ? lanes[i].name
                                 : lanes.empty()  ? std::string("(not coded)")
                                                  : std::string("(no 2nd rater)");
        draw->PushClipRect(origin, ImVec2(x0 - 4, top + lane_h), true);
        draw->AddText(ImVec2(origin.x, y - ImGui::GetTextLineHeight() / 2), text_color, name.c_str());
        draw->PopClipRect();
        if (i >= lanes.size() || !now) continue;
        // Codes move right to left through the lane as the recording plays; the
        // playhead is the lane's middle.
        const auto px = [&](double t) {
            return mid + static_cast<float>((t - *now) / kLaneHalfWindowSeconds) * (x1 - mid);
        };
        draw->PushClipRect(ImVec2(x0, top), ImVec2(x1, top + lane_h), true);
        // A label is drawn only where the previous one has ended: codes close
        // together show their dots, and their names in the list below.
        float label_free_from = x0;
        for (const Observation* o : lanes[i].observations) {
            const double end = o->stop.value_or(o->t);
            if (end < *now - kLaneHalfWindowSeconds || o->t > *now + kLaneHalfWindowSeconds) continue;
            const Code* code = scheme.find(o->code_id);
            const ImU32 color = to_imgui(code ? polarity_color(code->polarity) : palette::reference);
            const float x = px(o->t);
            if (o->kind == EventKind::State)
                draw->AddRectFilled(ImVec2(x, y - 4 * scale), ImVec2(std::max(px(end), x + 2), y + 4 * scale),
                                    (color & 0x00FFFFFFu) | 0x99000000u, 2.0f);
            draw->AddCircleFilled(ImVec2(x, y), 4.5f * scale, color);
            const std::string label = code ? code->label : o->code_id;
            const float label_x = x + 6 * scale;
            if (label_x < label_free_from) continue;
            draw->AddText(ImVec2(label_x, top), text_color, label.c_str());
            label_free_from = label_x + ImGui::CalcTextSize(label.c_str()).x + 8 * scale;
        }
        draw->PopClipRect();
    }
    draw->AddLine(ImVec2(mid, origin.y), ImVec2(mid, origin.y + lane_h * 2), to_imgui(palette::highlight),
                  2.0f * scale);
    ImGui::Dummy(ImVec2(width, lane_h * 2));
}

// [SECTION] Controls

void ReviewRecording::draw_controls() {
    services::RecordingPlayer& p = *player_;
    if (ImGui::Button(p.paused() ? "Play" : "Pause", ImVec2(ImGui::GetFontSize() * 4.5f, 0))) toggle_play();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("F5 or Ctrl+Space");
    const struct {
        const char* label;
        double seconds;
    } skips[] = {{"-5 s", -5}, {"-1 s", -1}};
    // The row wraps where the column is narrow (a small window, a large scale).
    for (const auto& skip : skips) {
        same_line_if_fits(button_width(skip.label));
        if (ImGui::Button(skip.label)) p.skip(skip.seconds);
    }
    same_line_if_fits(button_width("|<"));
    if (ImGui::Button("|<")) p.step_back();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("One frame back (comma)");
    same_line_if_fits(button_width(">|"));
    if (ImGui::Button(">|")) p.step_forward();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("One frame forward (full stop)");
    for (const auto& skip : {std::pair<const char*, double>{"+1 s", 1}, {"+5 s", 5}}) {
        same_line_if_fits(button_width(skip.first));
        if (ImGui::Button(skip.first)) p.skip(skip.second);
    }
    same_line_if_fits(ImGui::GetFontSize() * 5.0f);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5.0f);
    const std::string speed = format_number(p.speed(), 2) + "x";
    if (ImGui::BeginCombo("##speed", speed.c_str())) {
        for (float s : kSpeeds)
            if (ImGui::Selectable((format_number(s, 2) + "x").c_str(), std::abs(p.speed() - s) < 1e-6)) p.set_speed(s);
        ImGui::EndCombo();
    }
    ImGui::TextWrapped("Media %s / %s", format_media_time(p.media_position()).c_str(),
                       format_media_time(p.duration()).c_str());
    if (const auto s = p.session_position()) {
        const std::string clock = "session clock " + format_media_time(*s);
        same_line_if_fits(ImGui::CalcTextSize(clock.c_str()).x);
        ImGui::TextWrapped("%s", clock.c_str());
        // Inside a pause the clock stands still while the recording runs on.
        for (const MediaPause& pause : p.pause_map().media_pauses())
            if (p.media_position() >= pause.media_start && p.media_position() <= pause.media_stop) {
                same_line_if_fits(ImGui::CalcTextSize("(the clock was paused here)").x);
                text_disabled_wrapped("(the clock was paused here)");
                break;
            }
    } else {
        same_line_if_fits(ImGui::CalcTextSize("before the session clock started").x);
        text_disabled_wrapped("before the session clock started");
    }
    if (const std::string failure = p.failure(); !failure.empty()) {
        ScopedColor red(ImGuiCol_Text, readable_on_background(palette::vermillion));
        ImGui::TextWrapped("%s", failure.c_str());
    }
    if (recording_->storage == RecordingStorage::InPlace) {
        ScopedColor red(ImGuiCol_Text, readable_on_background(palette::vermillion));
        ImGui::TextWrapped("Linked in place: %s is NOT encrypted by Attune.", recording_->path.c_str());
    } else {
        text_disabled_wrapped(recording_->original_name + ", encrypted in the practice's media folder");
    }
}

// [SECTION] Sync mark and offset

void ReviewRecording::set_sync_observation(const Observation* o) {
    if (!o) {
        sync_code_.clear();
        sync_session_s_.reset();
        return;
    }
    sync_code_ = o->code_id + " (" + std::string(to_string(o->who)) + ") at " + format_clock(o->t);
    sync_session_s_ = o->t;
}

void ReviewRecording::sync_mark() {
    if (!playing_field() || !sync_session_s_) {
        model_.info("Choose an observation in the list first, then find its moment on the recording.");
        return;
    }
    model_.attempt([&] {
        const double offset =
            services::sync_mark_offset(model_.practice(), *recording_, *sync_session_s_, player_->media_position());
        services::set_recording_offset(model_.practice(), *recording_, offset);
        model_.info("Offset set to " + format_media_time(offset) + ": " + sync_code_ + " is at media " +
                    format_media_time(player_->media_position()) + ".");
    });
}

void ReviewRecording::draw_sync() {
    ImGui::Text("Offset %s", format_media_time(recording_->offset_seconds).c_str());
    ImGui::SameLine();
    help_marker(
        "The offset is the media second at which the session clock read 0. To set it from a moment: "
        "choose a coded observation in the list below, find that moment on the recording, and press "
        "Sync mark (Ctrl+M). Or type the offset.");
    if (!rights_.link_and_offset) {
        same_line_if_fits(ImGui::CalcTextSize("set by the case's clinician").x);
        text_disabled_wrapped("set by the case's clinician");
        return;
    }
    same_line_if_fits(button_width("Sync mark"));
    {
        ScopedDisabled disabled(!sync_session_s_);
        if (ImGui::SmallButton("Sync mark")) sync_mark();
    }
    if (sync_session_s_) {
        const std::string on = "on " + sync_code_;
        same_line_if_fits(ImGui::CalcTextSize(on.c_str()).x);
        ImGui::TextDisabled("%s", on.c_str());
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
    ImGui::InputFloat("##offset", &offset_input_, 0, 0, "%.3f s");
    same_line_if_fits(button_width("Set offset"));
    if (ImGui::SmallButton("Set offset") && std::isfinite(offset_input_))
        model_.attempt([&] { services::set_recording_offset(model_.practice(), *recording_, offset_input_); });
}

// [SECTION] Excerpts

void ReviewRecording::draw_excerpts() {
    if (rights_.mark_excerpts) draw_excerpt_marking();
    else text_disabled_wrapped("Excerpts are marked by the case's clinician or supervisor.");
    for (const Excerpt& e : excerpts_) {
        ScopedId id(static_cast<int>(e.id));
        const std::string line = "Stage " + std::to_string(e.stage) + "  " + format_media_time(e.media_start) + " - " +
                                 format_media_time(e.media_stop) + "  " + e.name;
        if (ImGui::Selectable(line.c_str())) player_->seek_media(e.media_start);
    }
}

void ReviewRecording::draw_excerpt_marking() {
    const double at = player_->media_position();
    if (ImGui::SmallButton("Excerpt starts here")) mark_start_ = at;
    same_line_if_fits(button_width("...stops here"));
    if (ImGui::SmallButton("...stops here")) mark_stop_ = at;
    const std::string marked = (mark_start_ ? format_media_time(*mark_start_) : std::string("-")) + " to " +
                               (mark_stop_ ? format_media_time(*mark_stop_) : std::string("-"));
    same_line_if_fits(ImGui::CalcTextSize(marked.c_str()).x);
    ImGui::TextDisabled("%s", marked.c_str());
    ImGui::SetNextItemWidth(std::min(ImGui::GetFontSize() * 12, ImGui::GetContentRegionAvail().x));
    input_text("##excerpt_name", excerpt_name_);
    same_line_if_fits(ImGui::GetFontSize() * 5.5f);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5.5f);
    const char* stages[] = {"stage 1", "stage 2", "stage 3"};
    ImGui::Combo("##excerpt_stage", &excerpt_stage_, stages, 3);
    same_line_if_fits(button_width("Save excerpt"));
    {
        ScopedDisabled disabled(!mark_start_ || !mark_stop_ || trim(excerpt_name_).empty());
        if (ImGui::SmallButton("Save excerpt")) {
            services::ExcerptRequest request;
            request.media_start = *mark_start_;
            request.media_stop = *mark_stop_;
            request.stage = excerpt_stage_ + 1;
            request.name = excerpt_name_;
            if (model_.attempt([&] { services::add_excerpt(model_.practice(), session_, request); })) {
                model_.info("Excerpt \"" + trim(excerpt_name_) + "\" saved.");
                mark_start_.reset();
                mark_stop_.reset();
                excerpt_name_.clear();
            }
        }
    }
}

// [SECTION] Keys

void ReviewRecording::handle_keys() {
    if (!playing_field()) return;
    services::RecordingPlayer& p = *player_;
    if (keys::pressed(keys::kF5) || (keys::ctrl() && keys::pressed(keys::kSpace))) toggle_play();
    if (keys::ctrl()) {
        const double step = keys::shift() ? 5 : 1;
        if (keys::pressed(keys::kLeft)) p.skip(-step);
        if (keys::pressed(keys::kRight)) p.skip(step);
        if (keys::pressed(keys::letter('m'))) sync_mark();
        return;
    }
    if (keys::pressed(keys::kComma)) p.step_back();
    if (keys::pressed(keys::kPeriod)) p.step_forward();
}

// [SECTION] Linking a recording

void ReviewRecording::draw_dialogs() {
    link_dialog_.draw();
}

void ReviewRecording::draw_link_content(ViewModal& dialog) {
    ImGui::TextUnformatted(link_new_session_ ? "A new session of this case, coded from a recording alone."
                                             : "The recording of this session.");
    ImGui::TextDisabled("A video or sound file; it is imported encrypted into the practice's media folder.");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 30);
    focus_here_on_appearing();
    input_text("File", link_path_);
    if (rights_.link_and_offset || link_new_session_) {
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
        ImGui::InputFloat("Offset (media second at which the session clock read 0)", &link_offset_, 0, 0, "%.3f s");
    } else {
        ImGui::TextDisabled("Your copy of the file its clinician linked (the same SHA-256); the offset stays theirs.");
    }
    ImGui::Checkbox("Link in place, unencrypted", &link_in_place_);
    if (link_in_place_) {
        ScopedColor red(ImGuiCol_Text, readable_on_background(palette::vermillion));
        ImGui::TextWrapped("The file stays where it is, unencrypted: Attune does not protect it.");
    }
    const bool ok = dialog_button("Link") || enter_confirms();
    ImGui::SameLine();
    if (dialog_button("Cancel")) dialog.finish();
    if (!ok || trim(link_path_).empty()) return;
    services::RecordingLink link;
    link.file = trim(link_path_);
    link.in_place = link_in_place_;
    if ((rights_.link_and_offset || link_new_session_) && std::isfinite(link_offset_) && link_offset_ != 0)
        link.offset_seconds = link_offset_;
    const bool linked = model_.attempt([&] {
        std::vector<std::string> warnings;
        if (link_new_session_) {
            const auto made = services::start_session_from_recording(model_.practice(), case_.id, link);
            warnings = made.link.warnings;
            model_.open_review(case_.id, made.session.id);
        } else {
            warnings = services::link_recording(model_.practice(), session_, link).warnings;
        }
        if (!warnings.empty())
            model_.error(warnings.front());
        else
            model_.info("Recording linked.");
    });
    if (linked) {
        link_path_.clear();
        dialog.finish();
    }
}

}  // namespace attune::ui
