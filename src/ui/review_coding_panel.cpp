// review_coding_panel: a rater coding a session in the review (see review_coding_panel.h).
#include "ui/review_coding_panel.h"

#include <imgui.h>

#include "core/recordings.h"
#include "core/session_clock.h"
#include "core/text.h"
#include "services/recording_player.h"
#include "ui/dialog.h"
#include "ui/keys.h"
#include "ui/session_parts.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {

namespace {
// How often the replay clock's reading is drawn while it runs.
constexpr double kReplayTickSeconds = 0.2;
}  // namespace

ReviewCodingPanel::ReviewCodingPanel(AppModel& model) : model_(model) {
    lock_hook_ = model_.on_lock([this] { coding_.reset(); });
}

void ReviewCodingPanel::follow(services::RecordingPlayer* player) {
    if (active()) coding_->follow(player && player->is_open() ? player : nullptr);
}

std::optional<double> ReviewCodingPanel::now(double wall_now) const {
    if (!active()) return std::nullopt;
    return coding_->now(wall_now);
}

void ReviewCodingPanel::seek(double session_seconds, double wall_now) {
    if (active()) coding_->replay_clock().seek(session_seconds, wall_now);
}

bool ReviewCodingPanel::replay_running() const {
    return active() && !coding_->follows_recording() && coding_->replay_clock().running();
}

double ReviewCodingPanel::next_redraw_in() const {
    if (active() && coding_->pending_count() > 0) return 2.0;  // retries
    return replay_running() ? kReplayTickSeconds : -1;
}

void ReviewCodingPanel::stop(double wall_now) {
    if (active()) model_.attempt([&] { coding_->finish(wall_now); });
    coding_.reset();
}

std::string ReviewCodingPanel::toggle_label() const {
    return active() ? std::string("Stop coding") : "Code this session as " + model_.practice().person().name;
}

void ReviewCodingPanel::draw_toggle(const Session& session, services::RecordingPlayer* player, double wall_now) {
    if (active() && coding_->session_id() != session.id) stop(wall_now);
    if (active()) {
        if (ImGui::SmallButton("Stop coding")) stop(wall_now);
        return;
    }
    const std::string label = toggle_label();
    if (!ImGui::SmallButton(label.c_str())) return;
    coding_ = std::make_unique<services::ReviewCoding>(model_.practice());
    const bool started = model_.attempt([&] {
        coding_->set_hotkeys(model_.hotkeys());
        hotkeys_version_ = model_.hotkeys_version();
        coding_->begin(session.id);
        coding_->follow(player && player->is_open() ? player : nullptr);
    });
    if (!started) coding_.reset();
}

void ReviewCodingPanel::log(Who who, const Code& code, double wall_now) {
    model_.attempt([&] {
        const LogOutcome outcome = coding_->press(who, code, wall_now);
        if (outcome.status == LogOutcome::Status::Pending)
            model_.error("Not saved yet, Attune retries: " + outcome.error);
    });
}

void ReviewCodingPanel::handle_keys(double wall_now) {
    if (!active()) return;
    if (!coding_->follows_recording()) {
        ReplayClock& clock = coding_->replay_clock();
        if (keys::pressed(keys::kF5) || (keys::ctrl() && keys::pressed(keys::kSpace))) {
            if (clock.running())
                clock.pause(wall_now);
            else
                clock.play(wall_now);
        }
    }
    if (keys::pressed(keys::kF8)) model_.attempt([&] { coding_->stop_all_states(wall_now); });
    if (keys::ctrl()) {
        if (keys::pressed(keys::letter('z')))
            model_.attempt([&] {
                if (const auto undone = coding_->undo_last())
                    model_.info("Undone: " + format_clock(undone->t) + " " + undone->code_id);
                else
                    model_.info("Nothing to undo.");
            });
        return;
    }
    if (keys::alt()) return;
    const Who by_digit[] = {Who::A, Who::B, Who::Both, Who::Therapist};
    for (int d = 1; d <= 4; ++d)
        if (keys::pressed(keys::digit(d))) active_ = by_digit[d - 1];
    for (char letter = 'a'; letter <= 'z'; ++letter)
        if (keys::pressed(keys::letter(letter)))
            if (const Code* code = coding_->code_for_key(letter, active_)) log(active_, *code, wall_now);
}

void ReviewCodingPanel::draw(const Case& c, double wall_now) {
    if (!active()) return;
    if (hotkeys_version_ != model_.hotkeys_version()) {
        coding_->set_hotkeys(model_.hotkeys());
        hotkeys_version_ = model_.hotkeys_version();
    }
    model_.attempt([&] { coding_->tick(wall_now); });
    const std::optional<double> t = coding_->now(wall_now);
    heading(("Coding as " + model_.practice().person().name).c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("%zu observations in this layer%s", coding_->layer().size(),
                        coding_->pending_count() ? ", some not saved yet" : "");
    if (!coding_->follows_recording()) {
        // No recording: the rater plays a replay clock of session time.
        ReplayClock& clock = coding_->replay_clock();
        if (ImGui::SmallButton(clock.running() ? "Pause clock" : "Play clock")) {
            if (clock.running())
                clock.pause(wall_now);
            else
                clock.play(wall_now);
        }
        for (const auto& [label, seconds] : {std::pair<const char*, double>{"-5 s", -5}, {"+5 s", 5}}) {
            ImGui::SameLine();
            if (ImGui::SmallButton(label)) clock.seek(std::max(0.0, clock.now(wall_now) + seconds), wall_now);
        }
        ImGui::SameLine();
        ImGui::Text("replay clock %s", format_media_time(t.value_or(0)).c_str());
    } else {
        ImGui::Text("at the recording's session clock %s", t ? format_media_time(*t).c_str() : "(before 0)");
    }
    draw_partner_selector(active_, c, pad_.tight());
    if (const Code* clicked = pad_.draw(coding_->scheme(), active_)) log(active_, *clicked, wall_now);
    const auto running = coding_->running_states();
    if (!running.empty()) {
        ImGui::TextDisabled("Running:");
        for (const Observation* o : running) {
            ImGui::SameLine();
            const Code* code = coding_->code(o->code_id);
            ImGui::TextUnformatted((who_name(c, o->who) + " " + (code ? code->label : o->code_id)).c_str());
        }
        ImGui::SameLine();
        if (ImGui::SmallButton("Stop all (F8)")) model_.attempt([&] { coding_->stop_all_states(wall_now); });
    }
}

}  // namespace attune::ui
