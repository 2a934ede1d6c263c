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

#include "core/eft_steps.h"
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
                // A step of another stage goes; the new stage's steps are offered.
                if (step && stage && eft_stage_of_step(*step) != stage) step.reset();
                changed = true;
            }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    // The closed combo shows the number (the header is narrow); the list and the tooltip name it.
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 3.5f);
    const std::string step_text = step ? std::to_string(*step) : "-";
    if (ImGui::BeginCombo("step", step_text.c_str(), ImGuiComboFlags_PopupAlignLeft)) {
        if (ImGui::Selectable("-", !step)) {
            step.reset();
            changed = true;
        }
        for (const EftStep& s : eft_steps_of_stage(stage))
            if (ImGui::Selectable(eft_step_label(s.number).c_str(), step.value_or(0) == s.number)) {
                step = s.number;
                if (!stage) stage = s.stage;  // a step chosen first sets its stage
                changed = true;
            }
        ImGui::EndCombo();
    }
    if (step && ImGui::IsItemHovered()) ImGui::SetTooltip("Step %s", eft_step_label(*step).c_str());
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
        lock_hook_ = model_.on_lock([this] {
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
    bool live_session_running() const override { return live_ && live_->session().id != 0 && live_->running(); }
    double next_redraw_in() const override {
        if (!live_) return -1;
        const double wall = wall_clock_seconds();
        double next = live_->next_deadline(wall);
        if (const double left = last_press_.note_due_in(wall); left >= 0 && (next < 0 || left < next)) next = left;
        return next;
    }
    // While another view is shown (or the window is minimised) a running
    // session's clock is still saved every few seconds, its presses retried.
    void keep_up(double wall_now) override {
        if (live_ && model_.is_open() && live_->session().id != 0) live_->tick(wall_now);
    }
    double keep_up_in(double wall_now) const override { return live_ ? live_->next_save_in(wall_now) : -1; }
    const char* help_text() const override {
        return "Live session coding: one hand on the keyboard.\n\n"
               "Who:  1 = partner A,  2 = partner B,  3 = both,  4 = therapist. It stays until you change it.\n"
               "Code: press the code's letter (printed on its button). With 4 (therapist) active, the letters "
               "mean the therapist's codes.\n"
               "A state (e.g. Shuts down) starts on one press and stops on the next; F8 stops every running state.\n\n"
               "After a press: Alt+1 / Alt+2 / Alt+3 sets its intensity; ' (apostrophe) opens the quote "
               "field: keys then type text and log nothing until Enter saves the quote or Esc cancels it. "
               "Code keys typed at the end of a quote (\"2s4r\") are offered back: Enter logs them.\n\n"
               "Ctrl+Z undoes the last press and says what it undid; Ctrl+Shift+Z or Ctrl+Y redoes it, at its "
               "own time.  F5 (or Ctrl+Space) pauses and resumes the clock; paused time does not count.\n"
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
        if (model_.take_end_dialog_request() && !live().ended()) end_dialog_.open();
        if (!live().ended()) handle_keys(wall);
        draw_header();
        if (!live().recovery_notice().empty()) draw_recovery_notice();

        // The pad and the record side by side; the border between them drags,
        // and ImGui keeps its place in imgui.ini (issue 18 item 14). At first
        // the pad gets 38 em (every code button of a category on a line or
        // two) and the record the rest, between 27 and 48 em; a narrow or
        // scaled window gives the pad less and it wraps.
        const float em = ImGui::GetFontSize();
        const float avail = ImGui::GetContentRegionAvail().x;
        const float record = std::clamp(avail - em * 38.0f, std::min(em * 27.0f, avail * 0.5f), em * 48.0f);
        // The rest of the window (less the cell's padding, or the window would scroll by it).
        const float below = std::max(ImGui::GetContentRegionAvail().y - ImGui::GetStyle().CellPadding.y * 2.0f,
                                     em * 14.0f);
        if (ImGui::BeginTable("##live_split", 2, ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV)) {
            ImGui::TableSetupColumn("##pad", ImGuiTableColumnFlags_WidthStretch);
            ImGui::TableSetupColumn("##record", ImGuiTableColumnFlags_WidthFixed, record);
            ImGui::TableNextColumn();
            ImGui::BeginChild("##live", ImVec2(0, below), false, ImGuiWindowFlags_NavFlattened);
            if (live().ended())
                draw_ended_summary();
            else
                draw_live_pane(wall);
            ImGui::EndChild();
            ImGui::TableNextColumn();
            ImGui::BeginChild("##record", ImVec2(0, below), false, ImGuiWindowFlags_NavFlattened);
            draw_record(wall);
            ImGui::EndChild();
            ImGui::EndTable();
        }
        end_dialog_.draw();
        if (!end_dialog_.is_open()) model_.forget_end_then_quit();  // closed without ending: Attune stays
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
        // Alt+digit is intensity here: ImGui 1.86 would take the Alt for a tap
        // meant for the menu bar (issue 18).
        if (keys::alt())
            for (int d = 0; d <= 9; ++d)
                if (keys::pressed(keys::digit(d))) keys::keep_alt_from_menu_bar();
        // Keys belong to a text field being typed in, or to an open popup.
        if (ImGui::GetIO().WantTextInput) return;
        if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel)) return;
        if (last_press_.offering()) {
            if (keys::pressed(keys::kEnter) || keys::pressed(keys::kKeypadEnter)) {
                accept_offer(wall);
                return;
            }
            if (keys::pressed(keys::kEscape)) {
                last_press_.decline_offer();
                return;
            }
        }
        if (keys::pressed(keys::kF5) || (keys::ctrl() && keys::pressed(keys::kSpace))) live().toggle_pause(wall);
        if (keys::pressed(keys::kF8)) live().stop_all_states(wall);
        if (keys::pressed(keys::kEscape)) last_press_.hide();
        if (keys::ctrl()) {
            // Ctrl+Z undoes; Ctrl+Shift+Z and Ctrl+Y redo (never undo).
            if (keys::pressed(keys::letter('z'))) {
                if (keys::shift())
                    redo(wall);
                else
                    undo(wall);
            }
            if (keys::pressed(keys::letter('y'))) redo(wall);
            return;  // Ctrl+letters are the menus' (Ctrl+L, Ctrl+Q)
        }
        if (keys::alt()) {
            for (int d = 1; d <= 3; ++d)
                if (keys::pressed(keys::digit(d))) last_press_.set_intensity(live(), d);
            return;
        }
        const Who by_digit[] = {Who::A, Who::B, Who::Both, Who::Therapist};
        for (int d = 1; d <= 4; ++d)
            if (keys::pressed(keys::digit(d))) active_ = by_digit[d - 1];
        if (keys::pressed(keys::kApostrophe)) last_press_.focus_quote();
        for (char letter = 'a'; letter <= 'z'; ++letter)
            if (keys::pressed(keys::letter(letter))) {
                if (const Code* code = live().code_for_key(letter, active_))
                    log(active_, *code, wall);
                else
                    no_code_on(letter, wall);
            }
    }

    void log(Who who, const Code& code, double wall) {
        const auto saved = live().press(who, code, wall);
        if (!saved) return;
        last_press_.pressed(saved->id);
    }

    // The code keys found at the end of a quote, logged at the moments they were typed.
    void accept_offer(double wall) {
        std::string logged;
        for (const LastPress::Press& p : last_press_.accept_offer(live())) {
            log(p.who, *p.code, std::min(p.wall, wall));
            active_ = p.who;  // as if the keys had been pressed
            logged += (logged.empty() ? "" : ", ") + who_name(live().case_info(), p.who) + ": " + p.code->label;
        }
        if (!logged.empty()) last_press_.say("Logged: " + logged, palette::bluish_green, wall);
    }

    // A letter with no code for who is chosen: said in the pad, briefly.
    void no_code_on(char letter, double wall) {
        std::string text = who_name(live().case_info(), active_) + " chosen: no code on '" + letter + "'";
        if (active_ != Who::Therapist && live().code_for_key(letter, Who::Therapist))
            text += " (a therapist code: press 4 first)";
        else if (active_ == Who::Therapist && live().code_for_key(letter, Who::A))
            text += " for the therapist (a partner code: press 1, 2 or 3 first)";
        last_press_.say(text, palette::vermillion, wall);
    }

    void undo(double wall) {
        const auto undone = live().undo_last();
        if (!undone) {
            last_press_.say("Nothing to undo.", palette::vermillion, wall);
            return;
        }
        const bool stop = undone->stop_only;
        last_press_.say("Undone: " + std::string(stop ? "the stop of " : "") + live().describe(undone->observation) +
                            (stop ? " (running again)" : "") + " \xE2\x80\x94 Ctrl+Shift+Z to redo",
                        palette::vermillion, wall);
        if (!stop) last_press_.forget(undone->observation.id);
    }

    void redo(double wall) {
        const auto redone = live().redo_last();
        if (!redone) {
            last_press_.say("Nothing to redo.", palette::vermillion, wall);
            return;
        }
        last_press_.say(
            std::string(redone->stop_only ? "Redone: the stop of " : "Redone: ") + live().describe(redone->observation),
            palette::bluish_green, wall);
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
        const std::string when =
            "|  Session " + std::to_string(s.number) + ", " + s.date + " " + s.start_time + "  |";
        same_line_if_fits(ImGui::CalcTextSize(when.c_str()).x);
        ImGui::TextDisabled("%s", when.c_str());
        // The stage and step combos (stage_combos: 10 + 3.5 em and their labels) on this line or the next.
        const ImGuiStyle& style = ImGui::GetStyle();
        same_line_if_fits(ImGui::GetFontSize() * 13.5f + ImGui::CalcTextSize("EFT stagestep").x +
                          style.ItemInnerSpacing.x * 2 + style.ItemSpacing.x);
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
        // On the header's line when it fits after the stage and step, else on the next one; right-aligned.
        same_line_if_fits(width);
        ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - width));
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
            // As tall as the notice wrapped beside its OK (at any width and scale).
            const ImGuiStyle& style = ImGui::GetStyle();
            const float wrap_width = ImGui::GetContentRegionAvail().x - style.WindowPadding.x * 3 -
                                     ImGui::GetFontSize() * 5;
            const float text_height =
                ImGui::CalcTextSize(live().recovery_notice().c_str(), nullptr, false, wrap_width).y;
            ImGui::BeginChild("##recovery", ImVec2(0, text_height + style.WindowPadding.y * 2 + style.ItemSpacing.y),
                              true, ImGuiWindowFlags_NoScrollbar);
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
                // Wrapped beside the clock: in a narrow pad the sentence takes two lines.
                ScopedFont font(fonts().bold);
                ScopedColor color(ImGuiCol_Text, readable_on_background(palette::vermillion));
                ScopedWrap wrap(0.0f);
                ImGui::TextUnformatted("PAUSED - F5 or any code resumes the clock");
            }
            {
                ScopedColor color(ImGuiCol_Button, to_imvec4(with_alpha(palette::bluish_green, 0.8f)));
                if (ImGui::Button("Resume (F5)")) live().toggle_pause(wall);
            }
        }
        ImGui::EndGroup();

        draw_partner_selector(active_, live().case_info(), pad_.tight());
        last_press_.draw(live(), wall);
        if (last_press_.take_accept_click()) accept_offer(wall);
        last_press_.draw_note(wall);
        // In quote mode the pad fades: its keys type the quote now.
        const Code* clicked = nullptr;
        {
            ScopedStyle faded(ImGuiStyleVar_Alpha, last_press_.typing_quote() ? 0.35f : 1.0f);
            clicked = pad_.draw(live().scheme(), active_);
        }
        if (clicked) {
            // A therapist code is always the therapist's, whoever is selected.
            const bool therapist_code = clicked->polarity == Polarity::Intervention;
            log(therapist_code ? Who::Therapist : active_, *clicked, wall);
        }
        ImGui::Spacing();
        draw_running_states(live(), wall);
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
        draw_session_notes(live(), note_history_, wall, sealed_);
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
        if (rating_a_ < 0 && rating_b_ < 0 && rating_safety_ < 0) {
            // Not a refusal (a session may end early), but never silent.
            ScopedWrap wrap(ImGui::GetCursorPosX() + ImGui::GetFontSize() * 28.0f);
            ImGui::TextColored(readable_on_background(palette::vermillion),
                               "No rating given: this session will have no attunement or safety point in the "
                               "trends, and a safety concern cannot be seen from it.");
        }
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
                model_.session_ended();         // closes Attune when that is what ending was for
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
    AppModel::LockHook lock_hook_;
    NoteHistory note_history_;
    std::uint64_t hotkeys_version_ = 0;
    RowId access_session_ = 0;
    std::uint64_t access_version_ = 0;
    bool found_ = false;
    bool own_session_ = false;
    bool sealed_ = false;
    bool ended_ = false;
    std::string clinician_name_;
    ObservationList list_;
    Who active_ = Who::A;   // sticky partner selection (keys 1-4)
    CodePad pad_;
    LastPress last_press_;  // the last press, its intensity and quote
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
