// view.h: the base of every window-sized view (ImHex style): draw() frames
// the view, the subclass draws its content. One view, one file.
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
    // Draws into the current ImGui window region.
    virtual void draw() = 0;
    // Seconds until this view needs a frame though nothing happened (a ticking
    // clock), or a negative number for "only on input".
    virtual double next_redraw_in() const { return -1; }
    // Work on another thread whose results this view will show is still
    // running (screenshots and tests wait for it).
    virtual bool busy() const { return false; }
    // F1 help for this view: a few lines of plain text.
    virtual const char* help_text() const { return ""; }

protected:
    AppModel& model_;
};

}  // namespace attune::ui
