// view.h: the base of the five screens (unlock, caseload, case trends, live
// session, review). The shell makes one of each (ui/views.h) and calls the
// current one's draw() every frame inside its main window, below the menu
// bar: a view draws into the region it is given, from in-memory state it
// refreshes when the practice's data version moves (never a query per
// frame). Dialogs and tool windows over a view are ui/dialog.h's Modal and
// ToolWindow. One view, one file, named after what the user sees.
#pragma once

namespace attune::ui {

class AppModel;

class View {
public:
    explicit View(AppModel& model) : model_(model) {}
    virtual ~View() = default;
    View(const View&) = delete;
    View& operator=(const View&) = delete;

    virtual const char* name() const = 0;  // e.g. "caseload"; used by `attune screenshot --view`
    // Draws the view into the current ImGui window region.
    virtual void draw() = 0;
    // Seconds until this view needs a frame though nothing happened (a ticking
    // clock), or a negative number for "only on input".
    virtual double next_redraw_in() const { return -1; }
    // Work on another thread whose results this view will show is still
    // running (screenshots and tests wait for it).
    virtual bool busy() const { return false; }
    // Work due whether the view is shown or not (a running session's clock is
    // saved every few seconds): the shell calls it every frame for the views
    // not shown, and the main loop while the window is minimised.
    virtual void keep_up(double /*wall_now*/) {}
    // Seconds until keep_up() has work; negative = none.
    virtual double keep_up_in(double /*wall_now*/) const { return -1; }
    // A live session is running in this view (auto-lock then locks only the screen).
    virtual bool live_session_running() const { return false; }
    // F1 help for this view: a few lines of plain text.
    virtual const char* help_text() const { return ""; }

protected:
    AppModel& model_;
};

}  // namespace attune::ui
