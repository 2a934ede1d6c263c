// walkthrough.h: the short first-run tour (also Help > Getting started): six
// steps, each saying in two or three sentences what one part of Attune is for,
// with "Show me" opening that view on a case of the open practice (the demo
// practice, on a first run). Skippable at any step; the main loop remembers
// in the settings that it was finished or skipped.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace attune::ui {

class Walkthrough {
public:
    struct Step {
        const char* title;
        const char* text;
        const char* view;  // Shell::show_view name for "Show me"; empty = none
    };
    static const Step* steps();
    static std::size_t step_count();

    // `show_view` opens a view by name (the shell's show_view).
    explicit Walkthrough(std::function<bool(const std::string&)> show_view) : show_view_(std::move(show_view)) {}

    void open();
    // Opens at the next frame a practice is open (the first run).
    void open_when_unlocked() { pending_ = true; }
    bool is_open() const { return open_; }
    std::size_t step() const { return step_; }
    void next();
    void back();
    // Closes the tour, counting it as seen (Skip, Finish, Escape).
    void finish();
    // True once after the tour was finished or skipped.
    bool take_finished();
    // Draws the tour window when open; `practice_open` gates the first-run opening.
    void draw(bool practice_open);

private:
    std::function<bool(const std::string&)> show_view_;
    std::size_t step_ = 0;
    bool open_ = false;
    bool pending_ = false;
    bool finished_ = false;
    bool focus_ = false;
    std::string show_me_error_;
};

}  // namespace attune::ui
