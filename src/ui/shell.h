// shell.h: the top-level frame: the unlock screen until a database is open,
// then the menu bar, the current view and the message line.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ui/app_model.h"
#include "ui/audit_view.h"
#include "ui/boris_import_dialog.h"
#include "ui/coding_guide.h"
#include "ui/dialog.h"
#include "ui/hand_over.h"
#include "ui/people_dialog.h"
#include "ui/screen_lock.h"
#include "ui/settings_view.h"
#include "ui/view.h"
#include "ui/walkthrough.h"
#include "ui/widgets.h"

namespace attune::ui {

class Shell {
public:
    Shell();
    ~Shell();
    AppModel& model() { return model_; }

    // Draws one frame's UI (between ImGui::NewFrame and ImGui::Render).
    void frame();
    // Seconds until a frame is needed without input; negative = wait for
    // input (the main loop wakes for auto_lock_in() too).
    double next_redraw_in() const;

    // [SECTION] Auto-lock (Settings: minutes without input). Armed whenever a
    // practice is open, shown or held (a new practice's recovery key on
    // screen), on every screen. On the live session's screen while its
    // session runs, only the screen locks (ui/screen_lock.h: the clock and
    // saving go on) unless Settings say to lock the practice there too; the
    // practice is locked everywhere else. frame() checks first, so the frame
    // that locks already shows the unlock (or lock) screen; the main loop
    // calls lock_if_due() while the window is minimised.
    // Seconds until auto-lock is due; negative = not armed.
    double auto_lock_in() const;
    // Locks if due; true when it locked now.
    bool lock_if_due();
    // The last frame had a key, button, wheel or pointer movement.
    bool had_input() const { return input_this_frame_; }
    // Tests: the clock auto-lock measures input against (seconds, steady).
    void set_clock_for_tests(std::function<double()> clock) {
        clock_ = std::move(clock);
        last_input_ = clock_();
    }

    // The current view waits for work on another thread (the caseload's
    // rows), or the practice server's sync is under way.
    bool busy() const;
    // Selects a view by name for `attune screenshot --view` and tests:
    // "unlock", "caseload", "case", "session", "review", "lock" (the screen
    // lock over the session) (and the dialogs over
    // the caseload: "settings", "walkthrough", "audit", "boris-import",
    // "coding-guide", "people"). False if unknown.
    bool show_view(const std::string& name);
    // The title the window should carry (database file name).
    std::string window_title() const;
    // Attune should close now (asked, and confirmed when a session was running).
    bool quit_requested() const { return quit_requested_ || model_.quit_after_ending(); }
    // Ctrl+Q, Practice > Quit and the window's close button: closes at once
    // unless a session is running; then asks "Pause and close", "End
    // session...", "Cancel" first.
    void request_quit();
    // The views' work due while they are not drawn (ui/view.h keep_up): the
    // main loop calls it while the window is minimised (`hidden_only` false),
    // frame() for the views not shown. keep_up_in(): seconds until it is due.
    void keep_up(bool hidden_only = false);
    double keep_up_in() const;
    // "Signed in: Maya Lee (clinician, administrator)", shown in the menu bar.
    std::string signed_in_text() const;
    // Practice > Settings; the main loop applies what it hands over.
    SettingsDialog& settings() { return settings_; }
    CodingGuide& coding_guide() { return guide_; }
    AuditView& audit() { return *audit_; }
    // Practice > People... (administrators; the recovery key, to reset a passphrase).
    PeopleDialog& people() { return *people_; }
    // Practice > Import from BORIS...
    BorisImportDialog& boris_import() { return *boris_import_; }
    // The first-run tour (Help > Getting started).
    Walkthrough& walkthrough() { return walkthrough_; }

private:
    View* current_view() const;
    // The views and dialogs that draw from the practice's data, made anew
    // after every lock: whatever they cached (rows, charts, names) goes.
    void make_views();
    // "Demo practice: invented couples", across the window while one is open.
    void draw_demo_bar();
    // The open practice is a demo (asked once per data version).
    bool is_demo() const;
    void draw_menu_bar();
    void draw_message_line();
    void draw_checkpoint_bar();
    // The audit row of a copy out of a field (ui/clipboard_audit.h); true when recorded or nothing is open.
    bool record_copy(std::size_t characters);
    void draw_signed_in();
    // The practice server's sync state in words, left of who is signed in:
    // "Server: synced 20 s ago" (nothing without a server).
    std::string sync_text(bool with_count = true) const;
    // An administrator, or the recovery key (which only resets passphrases).
    bool may_manage_people() const;

    AppModel model_;
    std::unique_ptr<View> unlock_;
    std::unique_ptr<View> caseload_;
    std::unique_ptr<View> case_view_;
    std::unique_ptr<View> session_;
    std::unique_ptr<View> review_;
    SettingsDialog settings_{model_};
    CodingGuide guide_{model_};
    std::unique_ptr<AuditView> audit_;
    std::unique_ptr<PeopleDialog> people_;
    std::unique_ptr<BorisImportDialog> boris_import_;
    std::uint64_t views_made_at_lock_ = 0;  // AppModel::locks() when make_views() last ran
    Walkthrough walkthrough_{[this](const std::string& view) { return show_view(view); }};
    HandOverScreen hand_over_{model_};  // while set, the only thing drawn
    ScreenLock screen_lock_{model_};     // while the screen is locked, the only thing drawn
    std::function<double()> clock_;      // steady seconds
    double last_input_ = 0;              // clock_() at the last key, button, wheel or pointer move
    bool was_open_ = false;              // a practice was open at the last frame
    bool input_this_frame_ = false;
    AppModel::LockHook wipe_on_lock_;    // every secret field and ImGui's edit copy
    bool quit_requested_ = false;
    // The running sessions the close question is about, read when it is asked
    // (no query per frame): each with its case's label and its clock then.
    struct Running {
        Session session;
        std::string case_label;
        double clock = 0;  // session-clock seconds at `asked_at`
    };
    std::vector<Running> running_;
    double asked_at_ = 0;  // wall seconds
    void draw_quit_question(ViewModal& dialog);
    ViewModal quit_question_{"Close Attune?", [this](ViewModal& dialog) { draw_quit_question(dialog); }};
    // F1: the current view's help in words.
    ViewModal help_{"Help", [this](ViewModal& dialog) {
                        {
                            ScopedWrap wrap(ImGui::GetFontSize() * 36);
                            ImGui::TextUnformatted(current_view()->help_text());
                        }
                        if (dialog_button("Close") || enter_confirms()) dialog.finish();
                    }};
};

}  // namespace attune::ui
