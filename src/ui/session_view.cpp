// session_view: live coding of a session, keyboard first.
//
// Index:
// [SECTION] Keys       one place that turns key presses into commands
// [SECTION] Header     case, partners, session, EFT stage, save state
// [SECTION] Live pane  clock, partner selector, last-observation extras, code pad
// [SECTION] End modal  ratings, stage, homework, measures, confirm
//
// The pieces (code pad, timeline, notes) live in their own files; the data in
// LiveSession. Nothing here touches the database directly.
#include <imgui.h>

#include <algorithm>

#include "core/text.h"
#include "core/trend_charts.h"
#include "services/cases.h"
#include "services/supervision.h"
#include "ui/app_model.h"
#include "ui/dialog.h"
#include "ui/keys.h"
#include "ui/measure_entry.h"
#include "ui/session_parts.h"
#include "ui/theme.h"
#include "ui/views.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

const char* kHomeworkSuggestions[] = {"weekly check-in", "date night", "daily appreciation", "agreed pause word"};

// Stage and step combos; returns true when either changed.
bool stage_combos(std::optional<int>& stage, std::optional<int>& step) {
    static const char* kStages[] = {"-", "1 De-escalation", "2 Restructuring", "3 Consolidation"};
    bool changed = false;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10.0f);
    if (ImGui::BeginCombo("EFT stage", kStages[stage.value_or(0)])) {
        for (int i = 0; i < 4; ++i)
            if (ImGui::Selectable(kStages[i], stage.value_or(0) == i)) {
                stage = i == 0 ? std::nullopt : std::optional<int>(i);
                changed = true;
            }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 3.5f);
    const std::string step_text = step ? std::to_string(*step) : "-";
    if (ImGui::BeginCombo("step", step_text.c_str())) {
        if (ImGui::Selectable("-", !step)) {
            step.reset();
            changed = true;
        }
        for (int i = 1; i <= 9; ++i)
            if (ImGui::Selectable(std::to_string(i).c_str(), step.value_or(0) == i)) {
                step = i;
                changed = true;
            }
        ImGui::EndCombo();
    }
    return changed;
}

// 0-10 slider where -1 means "not rated" (a rating is never invented).
void rating_slider(const char* label, int& value) {
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14.0f);
    ImGui::SliderInt(label, &value, -1, 10, value < 0 ? "not rated" : "%d", ImGuiSliderFlags_AlwaysClamp);
}

std::optional<int> rating_value(int value) {
    return value < 0 ? std::nullopt : std::optional<int>(value);
}

class SessionView final : public View {
public:
    explicit SessionView(AppModel& model) : View(model) {
        // Notes typed in the last second are saved before the practice locks.
        model_.on_lock([this] {
            if (live_) live_->flush_notes();
            live_.reset();
            access_session_ = 0;
        });
    }
    ~SessionView() override {
        if (live_ && model_.is_open()) live_->flush_notes();
    }
    SessionView(const SessionView&) = delete;
    SessionView& operator=(const SessionView&) = delete;

    const char* name() const override { return "session"; }
    double next_redraw_in() const override { return live_ ? live_->next_deadline(wall_clock_seconds()) : -1; }
    const char* help_text() const override {
        return "Live session coding: one hand on the keyboard.\n\n"
               "Who:  1 = partner A,  2 = partner B,  3 = both,  4 = therapist. It stays until you change it.\n"
               "Code: press the code's letter (printed on its button). With 4 (therapist) active, the letters "
               "mean the therapist's codes.\n"
               "A state (e.g. Shuts down) starts on one press and stops on the next; F8 stops every running state.\n\n"
               "After a press: Alt+1 / Alt+2 / Alt+3 sets its intensity; ' (apostrophe) jumps to the quote "
               "field, Enter saves the quote, Esc skips it. Logging goes on meanwhile.\n\n"
               "Ctrl+Z undoes the last press.  F5 (or Ctrl+Space) pauses and resumes the clock; paused time "
               "does not count.\n"
               "While you type in a text field, keys type text and log nothing.\n"
               "Notes: Tab goes to the progress note (Data, Assessment, Plan) and on to the private process "
               "note; Esc leaves a note, keeping what you wrote, and the keys log codes again. Notes save as "
               "you type.\n\n"
               "Every press is saved at once. If saving fails, the top right says how many are waiting and "
               "Attune retries every 2 seconds; nothing is dropped.";
    }

    void draw() override {
        const double wall = wall_clock_seconds();
        if (model_.is_open()) refresh_access();
        if (model_.is_open() && !own_session_) {
            draw_not_theirs();
            return;
        }
        if (!model_.is_open() || !live().sync(model_.current_session(), wall)) {
            if (ImGui::Button("< Caseload")) model_.show_caseload();
            ImGui::TextUnformatted("This session could not be opened.");
            return;
        }
        live().tick(wall);
        if (!live().ended()) handle_keys(wall);
        draw_header();
        if (!live().recovery_notice().empty()) draw_recovery_notice();

        const float left_width = std::max(ImGui::GetContentRegionAvail().x * 0.56f, ImGui::GetFontSize() * 30.0f);
        ImGui::BeginChild("##live", ImVec2(left_width, 0), false, ImGuiWindowFlags_NavFlattened);
        if (live().ended())
            draw_ended_summary();
        else
            draw_live_pane(wall);
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("##record", ImVec2(0, 0), false, ImGuiWindowFlags_NavFlattened);
        draw_record(wall);
        ImGui::EndChild();
        end_dialog_.draw();
    }

private:
    // [SECTION] Whose session
    // The live session is its clinician's alone: it holds their private
    // process notes. Whether the session is signed (sealed) is read here too,
    // both only when the session or the data changed.
    void refresh_access() {
        const RowId session_id = model_.current_session();
        if (session_id == access_session_ && model_.data_version() == access_version_) return;
        access_session_ = session_id;
        access_version_ = model_.data_version();
        found_ = false;
        own_session_ = false;
        sealed_ = false;
        clinician_name_.clear();
        ended_ = false;
        services::OpenPractice& practice = model_.practice();
        model_.attempt([&] {
            const auto s = services::get_session(practice, session_id);
            const auto c = s ? services::get_case(practice, s->case_id) : std::nullopt;
            found_ = s && c;
            if (!found_) return;
            own_session_ = c->clinician_id == practice.person().id && practice.holds(GrantRole::Clinician);
            clinician_name_ = c->clinician_name;
            ended_ = s->state == SessionState::Ended;
            sealed_ = services::is_signed(practice, session_id);
        });
    }

    void draw_not_theirs() {
        if (ImGui::Button("< Case")) model_.open_case(model_.current_case());
        ImGui::Spacing();
        if (!found_) {
            ImGui::TextUnformatted("This session could not be opened.");
            return;
        }
        ImGui::TextWrapped("Only the case's clinician%s opens its live session: it holds their private process notes.",
                           clinician_name_.empty() ? "" : (", " + clinician_name_ + ",").c_str());
        if (ended_ && ImGui::Button("Review this session"))
            model_.open_review(model_.current_case(), model_.current_session());
    }

    // [SECTION] Keys

    void handle_keys(double wall) {
        // Keys belong to a text field being typed in, or to an open popup.
        if (ImGui::GetIO().WantTextInput) return;
        if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel)) return;
        if (keys::pressed(keys::kF5) || (keys::ctrl() && keys::pressed(keys::kSpace))) live().toggle_pause(wall);
        if (keys::pressed(keys::kF8)) live().stop_all_states(wall);
        if (keys::pressed(keys::kEscape)) extras_visible_ = false;
        if (keys::ctrl()) {
            if (keys::pressed(keys::letter('z'))) undo();
            return;  // Ctrl+letters are the menus' (Ctrl+L, Ctrl+Q)
        }
        if (keys::alt()) {
            for (int d = 1; d <= 3; ++d)
                if (keys::pressed(keys::digit(d))) set_intensity(d);
            return;
        }
        const Who by_digit[] = {Who::A, Who::B, Who::Both, Who::Therapist};
        for (int d = 1; d <= 4; ++d)
            if (keys::pressed(keys::digit(d))) active_ = by_digit[d - 1];
        if (keys::pressed(keys::kApostrophe) && extras_visible_) focus_quote_ = true;
        for (char letter = 'a'; letter <= 'z'; ++letter)
            if (keys::pressed(keys::letter(letter)))
                if (const Code* code = live().code_for_key(letter, active_)) log(active_, *code, wall);
    }

    void log(Who who, const Code& code, double wall) {
        const auto saved = live().press(who, code, wall);
        if (!saved) return;
        extras_id_ = saved->id;
        extras_comment_.clear();
        extras_visible_ = true;
        focus_quote_ = false;
    }

    void undo() {
        const auto undone = live().undo_last();
        if (!undone) {
            model_.info("Nothing to undo.");
            return;
        }
        const Code* code = live().code(undone->code_id);
        model_.info("Undone: " + format_clock(undone->t) + " " + who_name(live().case_info(), undone->who) + " " +
                    (code ? code->label : undone->code_id));
        if (undone->id == extras_id_) extras_visible_ = false;
    }

    const Observation* last_observation() const {
        if (extras_id_ == 0) return nullptr;
        for (const Observation& o : live_->observations())
            if (o.id == extras_id_) return &o;
        return nullptr;
    }

    void set_intensity(int value) {
        const Observation* last = last_observation();
        if (!last || !extras_visible_) return;
        live().set_extras(last->id, value > 0 ? std::optional<int>(value) : std::nullopt, last->comment);
    }

    // [SECTION] Header

    void draw_header() {
        const Session& s = live().session();
        const Case& c = live().case_info();
        if (ImGui::Button("< Case")) {
            live().flush_notes();
            model_.open_case(s.case_id);
        }
        ImGui::SameLine();
        heading(c.label.c_str());
        ImGui::SameLine();
        ImGui::TextColored(readable_on_background(who_color(Who::A)), "A: %s", who_name(c, Who::A).c_str());
        ImGui::SameLine();
        ImGui::TextColored(readable_on_background(who_color(Who::B)), "B: %s", who_name(c, Who::B).c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("|  Session %d, %s %s  |", s.number, s.date.c_str(), s.start_time.c_str());
        ImGui::SameLine();
        std::optional<int> stage = s.eft_stage;
        std::optional<int> step = s.eft_step;
        {
            ScopedDisabled sealed(sealed_);
            if (stage_combos(stage, step)) live().set_stage(stage, step);
        }

        // Right-aligned: what is saved, and the way out.
        const std::size_t pending = live().pending_count();
        const std::string status = pending == 0 ? "All saved" : std::to_string(pending) + " not saved - retrying";
        const char* end_label = live().ended() ? "Session ended" : "End session...";
        const float width = ImGui::CalcTextSize(status.c_str()).x + ImGui::CalcTextSize(end_label).x +
                            ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetStyle().ItemSpacing.x * 2;
        ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - width));
        ImGui::TextColored(readable_on_background(pending == 0 ? palette::bluish_green : palette::vermillion), "%s",
                           status.c_str());
        if (pending > 0 && ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            ImGui::Text("Saving failed: %s", live().last_error().c_str());
            ImGui::TextUnformatted(
                "The presses are kept in memory and written, in order, as soon as the "
                "database accepts them. Do not close Attune until this says \"All saved\".");
            ImGui::EndTooltip();
        }
        ImGui::SameLine();
        if (live().ended()) {
            ImGui::TextDisabled("%s", end_label);
        } else if (ImGui::Button(end_label)) {
            end_dialog_.open();
        }
        if (pending > 0)
            ImGui::TextColored(readable_on_background(palette::vermillion),
                               "Not saved yet (%zu): %s. Retrying every 2 s.", pending, live().last_error().c_str());
        ImGui::Separator();
    }

    void draw_recovery_notice() {
        {
            ScopedColor color2(ImGuiCol_ChildBg, to_imvec4(with_alpha(palette::orange, 0.20f)));
            ImGui::BeginChild("##recovery", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 3.2f), true);
            {
                ScopedWrap wrap(ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 5);
                ImGui::TextUnformatted(live().recovery_notice().c_str());
            }
            ImGui::SameLine(ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 4);
            if (ImGui::SmallButton("OK")) live().dismiss_recovery_notice();
            ImGui::EndChild();
        }
    }

    // [SECTION] Live pane

    void draw_live_pane(double wall) {
        // The clock, big enough to read from across the room.
        {
            ScopedFont font2(fonts().large);
            ImGui::TextUnformatted(format_clock(live().clock_now(wall)).c_str());
        }
        ImGui::SameLine();
        ImGui::BeginGroup();
        if (live().running()) {
            ImGui::TextColored(readable_on_background(palette::bluish_green), "running");
            if (ImGui::Button("Pause (F5)")) live().toggle_pause(wall);
        } else {
            {
                ScopedFont font(fonts().bold);
                ImGui::TextColored(readable_on_background(palette::vermillion),
                                   "PAUSED - F5 or any code resumes the clock");
            }
            {
                ScopedColor color(ImGuiCol_Button, to_imvec4(with_alpha(palette::bluish_green, 0.8f)));
                if (ImGui::Button("Resume (F5)")) live().toggle_pause(wall);
            }
        }
        ImGui::EndGroup();

        draw_partner_selector(active_, live().case_info());
        draw_extras();
        ImGui::Spacing();
        if (const Code* clicked = draw_code_pad(live(), active_)) {
            // A therapist code is always the therapist's, whoever is selected.
            const bool therapist_code = clicked->polarity == Polarity::Intervention;
            log(therapist_code ? Who::Therapist : active_, *clicked, wall);
        }
        ImGui::Spacing();
        draw_running_states(live(), wall);
    }

    // The last observation's intensity and quote, filled in without stopping.
    void draw_extras() {
        const Observation* last = extras_visible_ ? last_observation() : nullptr;
        const float height = ImGui::GetFrameHeightWithSpacing() * 1.1f;
        ImGui::BeginChild("##extras", ImVec2(0, height), false, ImGuiWindowFlags_NoScrollbar);
        if (!last) {
            if (extras_visible_ && extras_id_ == 0)
                ImGui::TextColored(readable_on_background(palette::vermillion),
                                   "Last press is not saved yet; retrying.");
            else
                ImGui::TextDisabled("After a press: Alt+1..3 intensity, ' to add a quote (Enter saves, Esc skips).");
            ImGui::EndChild();
            return;
        }
        const Code* code = live().code(last->code_id);
        ImGui::AlignTextToFramePadding();
        ImGui::Text("Last: %s", format_clock(last->t).c_str());
        ImGui::SameLine();
        chip(who_name(live().case_info(), last->who).c_str(), who_color(last->who));
        ImGui::SameLine();
        ImGui::TextUnformatted(code ? code->label.c_str() : last->code_id.c_str());
        ImGui::SameLine();
        const int current = last->intensity.value_or(0);
        for (int i = 1; i <= 3; ++i) {
            {
                ScopedId id(i);
                const bool on = current == i;
                ScopedColor button(ImGuiCol_Button,
                                   on ? to_imvec4(palette::blue) : ImGui::GetStyleColorVec4(ImGuiCol_Button));
                ScopedColor text(ImGuiCol_Text, on ? ImVec4(1, 1, 1, 1) : ImGui::GetStyleColorVec4(ImGuiCol_Text));
                if (ImGui::SmallButton(std::to_string(i).c_str())) set_intensity(on ? 0 : i);
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("Intensity %d (Alt+%d)", i, i);
            }
            ImGui::SameLine();
        }
        if (focus_quote_) {
            ImGui::SetKeyboardFocusHere();
            focus_quote_ = false;
        }
        ImGui::TextDisabled("Quote ('):");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(-1);
        const bool enter = input_text("##quote", extras_comment_, ImGuiInputTextFlags_EnterReturnsTrue);
        if (enter) {
            live().set_extras(last->id, last->intensity, extras_comment_);
            extras_visible_ = false;
        } else if (ImGui::IsItemDeactivated() && keys::pressed(keys::kEscape)) {
            extras_visible_ = false;  // skipped: the press stays as it is
        } else if (ImGui::IsItemDeactivatedAfterEdit()) {
            live().set_extras(last->id, last->intensity, extras_comment_);
        }
        ImGui::EndChild();
    }

    void draw_ended_summary() {
        const Session& s = live().session();
        heading("This session has ended.");
        ImGui::Text("Session time: %s (pauses excluded)", format_clock(s.active_seconds).c_str());
        ImGui::Text("Ratings: attunement to partner, A %s, B %s; safety %s",
                    s.ratings.attunement_a ? std::to_string(*s.ratings.attunement_a).c_str() : "-",
                    s.ratings.attunement_b ? std::to_string(*s.ratings.attunement_b).c_str() : "-",
                    s.ratings.safety ? std::to_string(*s.ratings.safety).c_str() : "-");
        if (!live().homework_agreed().empty()) {
            heading("Homework agreed");
            for (const Homework& h : live().homework_agreed())
                ImGui::BulletText("%s", h.description.c_str());
        }
        if (sealed_)
            ImGui::TextWrapped(
                "Signed and sealed: its observations, ratings and progress note can no longer change. "
                "Add an addendum in Review.");
        else
            ImGui::TextWrapped(
                "Observations can still be corrected on the right, and the notes edited, until the "
                "session is signed.");
    }

    void draw_record(double wall) {
        const double now = live().ended() ? live().session().active_seconds : live().clock_now(wall);
        heading("Last 5 minutes");
        draw_live_timeline(live(), now, ImGui::GetFontSize() * 6.5f);
        heading("Observations (newest first)");
        const float avail = ImGui::GetContentRegionAvail().y;
        list_.draw(live(), std::max(avail * 0.42f, ImGui::GetFontSize() * 6.0f), sealed_);
        ImGui::Spacing();
        draw_session_notes(live(), wall, sealed_);
    }

    // [SECTION] End modal

    void begin_end_dialog() {
        const Ratings& r = live().session().ratings;
        rating_a_ = r.attunement_a.value_or(-1);
        rating_b_ = r.attunement_b.value_or(-1);
        rating_safety_ = r.safety.value_or(-1);
        earlier_homework_ = live().homework_before();  // a snapshot: checked items stay in view
    }

    void draw_end_dialog(ViewModal& dialog) {
        const double wall = wall_clock_seconds();
        const Case& c = live().case_info();
        // No field takes the keyboard on opening: a rating slider would turn into a
        // number field showing "-1". Tab reaches the ratings, then the homework line.
        heading("Clinician ratings (0-10)");
        rating_slider(attunement_label(who_name(c, Who::A)).c_str(), rating_a_);
        rating_slider(attunement_label(who_name(c, Who::B)).c_str(), rating_b_);
        rating_slider("Overall safety", rating_safety_);
        ImGui::Spacing();
        std::optional<int> stage = live().session().eft_stage;
        std::optional<int> step = live().session().eft_step;
        {
            ScopedId id("end");
            if (stage_combos(stage, step)) live().set_stage(stage, step);
        }

        ImGui::Spacing();
        heading("Homework from earlier sessions");
        if (earlier_homework_.empty()) ImGui::TextDisabled("None open.");
        for (Homework& h : earlier_homework_) {
            ScopedId id(static_cast<int>(h.id));
            ImGui::BulletText("%s", h.description.c_str());
            ImGui::SameLine();
            if (ImGui::RadioButton("done", h.done == true)) {
                h.done = true;
                live().set_homework_done(h.id, true);
            }
            ImGui::SameLine();
            if (ImGui::RadioButton("not done", h.done == false)) {
                h.done = false;
                live().set_homework_done(h.id, false);
            }
        }

        ImGui::Spacing();
        heading("Homework agreed this time");
        for (const Homework& h : live().homework_agreed())
            ImGui::BulletText("%s", h.description.c_str());
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16.0f);
        const bool enter = input_text("##homework", new_homework_, ImGuiInputTextFlags_EnterReturnsTrue);
        ImGui::SameLine();
        if (ImGui::Button("Add") || enter) {
            live().add_homework(new_homework_);
            new_homework_.clear();
            if (enter) enter_handled();  // this Enter adds a line; it does not end the session
        }
        ImGui::TextDisabled("Suggestions:");
        for (const char* suggestion : kHomeworkSuggestions) {
            ImGui::SameLine();
            if (ImGui::SmallButton(suggestion)) live().add_homework(suggestion);
        }

        ImGui::Spacing();
        heading("Couple-reported measures");
        ImGui::TextDisabled("Questionnaires for this session, for either partner, dated with it.");
        if (ImGui::Button("Enter measures...")) measure_dialog_.open_for(live().case_info(), live().session());
        measure_dialog_.draw();  // nested: it opens above this dialog
        if (measure_dialog_.take_hand_over_started()) {
            // A partner has the laptop: this dialog closes too (nothing of it may show);
            // the session is ended afterwards, with End session again.
            dialog.finish();
            return;
        }

        ImGui::Separator();
        ImGui::TextDisabled("Ending stops the clock and every running state.");
        const bool confirm = dialog_button("Confirm: end session");
        ImGui::SameLine();
        if (dialog_button("Cancel")) {
            dialog.finish();
        } else if (confirm || enter_confirms()) {
            const Ratings ratings{rating_value(rating_a_), rating_value(rating_b_), rating_value(rating_safety_)};
            const int number = live().session().number;
            if (live().end_session(ratings, wall)) {
                model_.info("Session " + std::to_string(number) + " ended and saved.");
                model_.open_case(live().session().case_id);
                model_.backup_after_session();  // its outcome replaces the line above
            }
            dialog.finish();
        }
    }

    // Live logging for the open practice (services/live_session.h): made when
    // a practice is open, dropped when it locks.
    services::LiveSession& live() {
        if (!live_) {
            live_ = std::make_unique<services::LiveSession>(model_.practice(),
                                                            [this](bool is_error, const std::string& text) {
                                                                if (is_error)
                                                                    model_.error(text);
                                                                else
                                                                    model_.info(text);
                                                            });
            hotkeys_version_ = ~std::uint64_t{0};
        }
        if (hotkeys_version_ != model_.hotkeys_version()) {
            live_->set_hotkeys(model_.hotkeys());
            hotkeys_version_ = model_.hotkeys_version();
        }
        return *live_;
    }
    std::unique_ptr<services::LiveSession> live_;
    std::uint64_t hotkeys_version_ = 0;
    RowId access_session_ = 0;
    std::uint64_t access_version_ = 0;
    bool found_ = false;
    bool own_session_ = false;
    bool sealed_ = false;
    bool ended_ = false;
    std::string clinician_name_;
    ObservationList list_;
    Who active_ = Who::A;  // sticky partner selection (keys 1-4)
    // The last press and its extras.
    RowId extras_id_ = 0;
    std::string extras_comment_;
    bool extras_visible_ = false;
    bool focus_quote_ = false;
    // End-of-session modal.
    ViewModal end_dialog_{"End session", [this](ViewModal& dialog) { draw_end_dialog(dialog); },
                          [this] { begin_end_dialog(); }};
    int rating_a_ = -1;
    int rating_b_ = -1;
    int rating_safety_ = -1;
    std::vector<Homework> earlier_homework_;
    std::string new_homework_;
    MeasureEntryDialog measure_dialog_{model_};
};

}  // namespace

std::unique_ptr<View> make_session_view(AppModel& model) {
    return std::make_unique<SessionView>(model);
}

}  // namespace attune::ui
