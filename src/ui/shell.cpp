#include "ui/shell.h"

#include <imgui.h>

#include <chrono>

#include "core/session_clock.h"
#include "core/text.h"
#include "services/access_audit.h"
#include "services/background_sync.h"
#include "services/cases.h"
#include "services/demo.h"
#include "ui/clipboard_audit.h"
#include "ui/keys.h"
#include "ui/secret_field.h"
#include "ui/theme.h"
#include "ui/views.h"
#include "ui/widgets.h"

namespace attune::ui {

namespace {

double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Any key, button, wheel or pointer movement this frame: auto-lock starts counting again.
bool input_in(const ImGuiIO& io) {
    if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0 || io.MouseWheel != 0 || io.MouseWheelH != 0) return true;
    if (!io.InputQueueCharacters.empty()) return true;
    for (bool down : io.MouseDown)
        if (down) return true;
    for (bool down : io.KeysDown)
        if (down) return true;
    return false;
}

}  // namespace

Shell::Shell() : unlock_(make_unlock_view(model_)), clock_(steady_seconds), last_input_(clock_()) {
    make_views();
    // Locking leaves no typed secret behind: not in a field, not in ImGui's copy of one.
    wipe_on_lock_ = model_.on_lock([] { SecretField::wipe_all(); });
}

Shell::~Shell() = default;

void Shell::make_views() {
    // The old ones go first: a view unregisters its lock hook as it goes.
    caseload_ = make_caseload_view(model_);
    case_view_ = make_case_view(model_);
    session_ = make_session_view(model_);
    review_ = make_review_view(model_);
    audit_ = std::make_unique<AuditView>(model_);
    people_ = std::make_unique<PeopleDialog>(model_);
    boris_import_ = std::make_unique<BorisImportDialog>(model_);
    running_.clear();
    views_made_at_lock_ = model_.locks();
}

// [SECTION] Auto-lock

double Shell::auto_lock_in() const {
    const int minutes = settings_.current().auto_lock_minutes;
    if (minutes <= 0 || !model_.practice_open() || model_.screen_locked()) return -1;
    return std::max(0.0, last_input_ + minutes * 60.0 - clock_());
}

bool Shell::lock_if_due() {
    if (auto_lock_in() != 0) return false;
    const int minutes = settings_.current().auto_lock_minutes;
    const bool live = model_.is_open() && model_.screen() == Screen::Session && session_->live_session_running();
    if (live && !settings_.current().lock_during_session) {
        SecretField::wipe_all();
        model_.lock_screen();
        return true;
    }
    model_.close_practice();
    make_views();
    model_.info("Locked after " + std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes") +
                " without input.");
    return true;
}

View* Shell::current_view() const {
    switch (model_.screen()) {
        case Screen::Unlock:
            return unlock_.get();
        case Screen::Caseload:
            return caseload_.get();
        case Screen::CaseTrends:
            return case_view_.get();
        case Screen::Session:
            return session_.get();
        case Screen::Review:
            return review_.get();
    }
    return caseload_.get();
}

bool Shell::show_view(const std::string& name) {
    if (name == "unlock") {
        model_.close_practice();
        return true;
    }
    if (!model_.is_open()) return false;
    if (name == "caseload") {
        model_.show_caseload();
        return true;
    }
    if (name == "settings") {  // the settings dialog over the caseload (screenshots)
        model_.show_caseload();
        settings_.open();
        return true;
    }
    if (name == "walkthrough") {  // the tour's first step over the caseload (screenshots)
        model_.show_caseload();
        walkthrough_.open();
        walkthrough_.next();
        return true;
    }
    if (name == "audit") {  // the audit trail over the caseload (screenshots)
        model_.show_caseload();
        audit_->open();
        return true;
    }
    if (name == "people") {  // Practice > People over the caseload (screenshots; administrators)
        if (!may_manage_people()) return false;
        model_.show_caseload();
        people_->open();
        return true;
    }
    if (name == "boris-import") {  // Practice > Import from BORIS... over the caseload (screenshots)
        model_.show_caseload();
        boris_import_->open();
        return true;
    }
    if (name == "coding-guide") {  // the guide over the caseload (screenshots)
        model_.show_caseload();
        guide_.open();
        return true;
    }
    // Views of one case: the current case, else the first one with sessions.
    RowId case_id = model_.current_case();
    RowId session_id = model_.current_session();
    if (case_id == 0)
        for (const auto& summary : model_.cases())
            if (summary.sessions > 0) {
                case_id = summary.info.id;
                break;
            }
    if (case_id == 0) return false;
    if (session_id == 0) {
        std::vector<Session> sessions;
        if (!model_.attempt([&] { sessions = services::list_sessions(model_.practice(), case_id); })) return false;
        if (name == "session" || name == "lock")
            for (const Session& s : model_.unfinished_sessions()) {
                case_id = s.case_id;
                session_id = s.id;
            }
        if (session_id == 0 && !sessions.empty()) session_id = sessions.back().id;
    }
    if (name == "case") {
        model_.open_case(case_id);
        return true;
    }
    if (name == "session" && session_id != 0) {
        model_.open_session(case_id, session_id);
        return true;
    }
    if (name == "review" && session_id != 0) {
        model_.open_review(case_id, session_id);
        return true;
    }
    if (name == "lock" && session_id != 0) {  // the screen lock over a session (screenshots)
        model_.open_session(case_id, session_id);
        model_.lock_screen();
        return true;
    }
    return false;
}

std::string Shell::window_title() const {
    if (!model_.is_open()) return "Attune";
    if (is_demo()) return "Attune - Demo practice: invented couples";
    return "Attune - " + model_.practice().path().filename().string();
}

bool Shell::is_demo() const {
    return const_cast<AppModel&>(model_).is_demo();  // attempt() may say why it could not ask
}

// Never dismissed: the demo's passphrase is public, so nothing real belongs in it.
void Shell::draw_demo_bar() {
    const float height = ImGui::GetFrameHeight();
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const ImVec2 max(min.x + ImGui::GetContentRegionAvail().x, min.y + height);
    ImGui::GetWindowDrawList()->AddRectFilled(min, max, to_imgui(palette::orange));
    ImGui::SetCursorScreenPos(ImVec2(min.x + ImGui::GetStyle().FramePadding.x, min.y + ImGui::GetStyle().FramePadding.y));
    {
        ScopedColor text(ImGuiCol_Text, ImVec4(0, 0, 0, 1));
        {
            ScopedFont bold(fonts().bold);
            ImGui::TextUnformatted("Demo practice: invented couples");
        }
        ImGui::SameLine();
        ImGui::TextUnformatted("Its passphrase is public: never enter real clients here.");
    }
    ImGui::SetCursorScreenPos(ImVec2(min.x, max.y + ImGui::GetStyle().ItemSpacing.y));
}

bool Shell::busy() const {
    // A sync under way counts too: a screenshot or a test's settle() shows where it ended.
    return current_view()->busy() || model_.sync_status().running;
}

double Shell::next_redraw_in() const {
    double next = current_view()->next_redraw_in();
    if (const double due = keep_up_in(); due >= 0 && (next < 0 || due < next)) next = due;
    if (model_.is_open()) {
        // The sync's age in words moves on by itself (every 10 s in the menu
        // bar; every second while Settings shows it exactly).
        const bool exact = settings_.is_open();
        const double due =
            services::sync_status_changes_in(model_.sync_status(), services::SyncStatus::Clock::now(), !exact);
        if (due >= 0 && (next < 0 || due < next)) next = due;
    }
    if (model_.message() && model_.message()->kind == Message::Kind::Info) {
        // An information fades out after a few seconds: one frame then (a problem stays until dismissed).
        const double left = model_.message()->shown_at + 8.0 - wall_clock_seconds();
        if (left > 0 && (next < 0 || left < next)) next = left;
    }
    return next;
}

void Shell::keep_up(bool hidden_only) {
    const double wall = wall_clock_seconds();
    for (View* view : {unlock_.get(), caseload_.get(), case_view_.get(), session_.get(), review_.get()})
        if (!hidden_only || view != current_view()) view->keep_up(wall);
}

double Shell::keep_up_in() const {
    const double wall = wall_clock_seconds();
    double next = -1;
    for (const View* view : {unlock_.get(), caseload_.get(), case_view_.get(), session_.get(), review_.get()})
        if (const double due = view->keep_up_in(wall); due >= 0 && (next < 0 || due < next)) next = due;
    return next;
}

void Shell::request_quit() {
    running_.clear();
    asked_at_ = wall_clock_seconds();
    if (model_.is_open())
        model_.attempt([&] {
            services::OpenPractice& practice = model_.practice();
            for (const Session& s : services::unfinished_sessions(practice))
                if (s.state == SessionState::Running) {
                    const auto c = services::get_case(practice, s.case_id);
                    running_.push_back({s, c ? c->label : std::string(), services::session_clock_now(practice, s)});
                }
        });
    if (running_.empty())
        quit_requested_ = true;
    else
        quit_question_.open();
}

void Shell::draw_quit_question(ViewModal& dialog) {
    const double since = wall_clock_seconds() - asked_at_;
    for (const Running& r : running_)
        ImGui::Text("Session %d of %s is running (%s on the clock).", r.session.number, r.case_label.c_str(),
                    format_clock(r.clock + since).c_str());
    ImGui::TextDisabled("Pausing keeps it to go on with later; ending asks for its ratings first.");
    ImGui::Spacing();
    const bool pause = dialog_button("Pause and close");
    ImGui::SameLine();
    const bool end = dialog_button("End session...");
    ImGui::SameLine();
    if (dialog_button("Cancel")) {
        dialog.finish();
    } else if (pause || enter_confirms()) {
        const bool paused = model_.attempt([&] {
            for (const Running& r : running_)
                services::pause_session(model_.practice(), r.session);
        });
        if (paused) quit_requested_ = true;
        dialog.finish();
    } else if (end) {
        const Session& s = running_.front().session;
        model_.open_session(s.case_id, s.id);
        model_.request_end_then_quit();
        dialog.finish();
    }
}

bool Shell::record_copy(std::size_t characters) {
    if (!model_.is_open()) return true;  // the unlock screen: nothing of a practice to copy
    services::ClipboardCopy copy;
    copy.characters = characters;
    switch (model_.screen()) {
        case Screen::Unlock:
            copy.screen = "unlock";
            break;
        case Screen::Caseload:
            copy.screen = "caseload";
            break;
        case Screen::CaseTrends:
            copy.screen = "case";
            copy.case_id = model_.current_case();
            break;
        case Screen::Session:
        case Screen::Review:
            copy.screen = model_.screen() == Screen::Review ? "review" : "session";
            copy.case_id = model_.current_case();
            copy.session_id = model_.current_session();
            break;
    }
    return model_.attempt([&] { services::record_clipboard_copy(model_.practice(), copy); });
}

void Shell::frame() {
    // However the frame ends: what it wrote is counted as waiting for the server while offline.
    struct NoteChanges {
        AppModel& model;
        ~NoteChanges() { model.note_local_changes(); }
    } note_changes{model_};
    wipe_secret_left_behind();
    audit_clipboard([this](std::size_t characters) { return record_copy(characters); });
    // Auto-lock before anything is drawn: the frame that locks shows no record.
    const double now = clock_();
    input_this_frame_ = input_in(ImGui::GetIO());
    if (input_this_frame_ || (model_.practice_open() && !was_open_)) last_input_ = now;
    lock_if_due();
    was_open_ = model_.practice_open();
    if (model_.locks() != views_made_at_lock_) make_views();  // locked since: the old caches go

    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                   // The main loop clears to this window's colour: drawing it again
                                   // costs a full-screen pass in a software renderer (BENCHMARKS.md).
                                   ImGuiWindowFlags_NoBackground | (model_.is_open() ? ImGuiWindowFlags_MenuBar : 0);
    if (model_.hand_over()) {
        // A partner holds the laptop: the check-in and nothing else of the
        // record (no menu, no view, no dialog, no message line, no keys).
        ImGui::Begin("##attune", nullptr, flags & ~ImGuiWindowFlags_MenuBar);
        hand_over_.draw();
        ImGui::End();
        return;
    }
    hand_over_.forget();  // the next hand-over starts afresh, however the last one ended
    if (!model_.screen_locked()) screen_lock_.forget();
    if (model_.screen_locked()) {
        // Only the lock screen (and the demo's bar); the views keep up unseen (the session's clock is saved).
        ImGui::Begin("##attune", nullptr, flags & ~ImGuiWindowFlags_MenuBar);
        if (is_demo()) draw_demo_bar();
        keep_up();
        screen_lock_.draw();
        ImGui::End();
        return;
    }
    ImGui::Begin("##attune", nullptr, flags);
    model_.backup_if_due(wall_clock_seconds());  // a clock comparison, unless a day has passed
    if (model_.is_open()) keep_up(true);         // the current view keeps up in its draw()
    if (model_.is_open()) draw_menu_bar();
    if (is_demo()) draw_demo_bar();
    if (model_.is_open()) draw_checkpoint_bar();
    const float message_height = ImGui::GetFrameHeightWithSpacing();
    ImGui::BeginChild("##view", ImVec2(0, -message_height), false);
    take_keyboard_from_parent();
    current_view()->draw();
    ImGui::EndChild();
    draw_message_line();
    if (keys::pressed(keys::kF1)) help_.open();
    help_.draw();
    settings_.draw();
    guide_.draw();
    audit_->draw();
    people_->draw();
    boris_import_->draw();
    if (model_.is_open()) quit_question_.draw();
    walkthrough_.draw(model_.is_open());
    ImGui::End();
}

void Shell::draw_menu_bar() {
    if (!ImGui::BeginMenuBar()) return;
    if (ImGui::BeginMenu("Practice")) {
        if (ImGui::MenuItem("Caseload", "Ctrl+L")) model_.show_caseload();
        if (ImGui::MenuItem("Lock", nullptr)) model_.close_practice();
        ImGui::Separator();
        if (ImGui::MenuItem("Settings...")) settings_.open();
        if (ImGui::MenuItem("Audit trail...")) audit_->open();
        // Only administrators manage people (services/people.h refuses anyone else);
        // Lock just above may have closed the practice this frame.
        if (model_.is_open() && may_manage_people() && ImGui::MenuItem("People...")) people_->open();
        ImGui::Separator();
        if (ImGui::MenuItem("Import from BORIS...")) boris_import_->open();
        // The case's Export dialog with the BORIS project chosen (it has BORIS's table too).
        const bool can_export = model_.current_case() != 0 && model_.screen() != Screen::Session;
        if (ImGui::MenuItem("Export to BORIS...", nullptr, false, can_export)) {
            model_.open_case(model_.current_case());
            model_.request_export_dialog("boris");
        }
        if (!can_export && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
            ImGui::SetTooltip("Open a case first: a BORIS project holds one case's sessions.");
        ImGui::Separator();
        if (ImGui::MenuItem("Quit", "Ctrl+Q")) request_quit();
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
        if (ImGui::MenuItem("Help for this view", "F1")) help_.open();
        if (ImGui::MenuItem("Coding guide")) guide_.open();
        if (ImGui::MenuItem("Getting started")) walkthrough_.open();
        ImGui::EndMenu();
    }
    draw_signed_in();
    ImGui::EndMenuBar();
    if (keys::ctrl() && keys::pressed(keys::letter('q'))) request_quit();
    if (keys::ctrl() && keys::pressed(keys::letter('l'))) model_.show_caseload();
}

std::string Shell::sync_text(bool with_count) const {
    services::SyncStatus status = model_.sync_status();
    if (!status.server_set && status.last_error.empty()) return "";
    if (!with_count) status.waiting.reset();
    return "Server: " + services::sync_status_text(status, services::SyncStatus::Clock::now(), true);
}

// Who is signed in, always in view at the right of the menu bar; the
// server's sync state before it when one is set (its reason on hover). A
// bar too narrow for both loses the roles first, then the count of changes
// waiting (the hovers and Settings keep the whole lines).
void Shell::draw_signed_in() {
    const std::string whole = signed_in_text();
    std::string text = whole;
    const ImGuiStyle& style = ImGui::GetStyle();
    const float right = ImGui::GetWindowContentRegionMax().x;
    std::string sync = sync_text(true);
    const auto width_of = [&] {
        return ImGui::CalcTextSize(text.c_str()).x + style.ItemSpacing.x * 2 +
               (sync.empty() ? 0.0f : ImGui::CalcTextSize(sync.c_str()).x + style.ItemSpacing.x * 3);
    };
    // Too narrow: the name without the roles (whole on hover), then the state without the count.
    if (right - width_of() < ImGui::GetCursorPosX() && whole.find(" (") != std::string::npos)
        text = whole.substr(0, whole.find(" ("));
    if (right - width_of() < ImGui::GetCursorPosX()) sync = sync_text(false);
    const float width = width_of();
    if (right - width > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(right - width);
    if (!sync.empty()) {
        ImGui::TextDisabled("%s", sync.c_str());
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(
                "Practice server: %s",
                services::sync_status_text(model_.sync_status(), services::SyncStatus::Clock::now()).c_str());
        ImGui::SameLine(0, style.ItemSpacing.x * 2);
    }
    ImGui::TextUnformatted(text.c_str());
    if (text != whole && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", whole.c_str());
}

bool Shell::may_manage_people() const {
    // The recovery identity holds no role, but resets passphrases there.
    const services::OpenPractice& practice = model_.practice();
    return practice.holds(GrantRole::Administrator) || practice.is_recovery();
}

std::string Shell::signed_in_text() const {
    if (!model_.is_open()) return "";
    const services::OpenPractice& practice = model_.practice();
    if (practice.is_recovery()) return "Signed in with the recovery key (resets passphrases only)";
    std::string roles;
    for (const GrantRole r : {GrantRole::Clinician, GrantRole::Supervisor, GrantRole::Coder, GrantRole::Administrator})
        if (practice.holds(r)) roles += (roles.empty() ? "" : ", ") + std::string(to_string(r));
    return "Signed in: " + practice.person().name + (roles.empty() ? std::string() : " (" + roles + ")");
}

// A rolled-back audit trail (or a checkpoint not to be trusted) stays in view
// for as long as the practice is open: it cannot be dismissed.
void Shell::draw_checkpoint_bar() {
    const std::optional<std::string>& problem = model_.practice().audit_checkpoint_problem();
    if (!problem) return;
    ScopedColor text(ImGuiCol_Text, readable_on_background(palette::vermillion));
    ImGui::TextWrapped("Audit trail warning: %s. Tell your administrator; restoring the right backup with "
                       "attune restore records what was lost.",
                       problem->c_str());
    ImGui::Separator();
}

void Shell::draw_message_line() {
    const auto& message = model_.message();
    if (!message) return;
    if (message->kind == Message::Kind::Info && wall_clock_seconds() - message->shown_at > 8.0) {
        model_.clear_message();
        return;
    }
    const bool is_error = message->kind == Message::Kind::Error;
    {
        ScopedColor text(ImGuiCol_Text, is_error ? readable_on_background(palette::vermillion)
                                                 : ImGui::GetStyleColorVec4(ImGuiCol_Text));
        ImGui::TextUnformatted(is_error ? "Problem:" : "");
        ImGui::SameLine();
        // Wrapped: a notice naming files can be longer than the window is wide.
        ImGui::TextWrapped("%s", message->text.c_str());
    }
    if (is_error) {
        ImGui::SameLine();
        if (ImGui::SmallButton("Dismiss")) model_.clear_message();
    }
}

}  // namespace attune::ui
