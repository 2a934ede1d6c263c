// screen_lock.h: what the window shows when auto-lock comes during a running
// live session (AppModel::screen_locked): nothing of the record, only that
// a session is running and where to give one's passphrase. The practice
// stays open so that the session's clock and saving go on; the signed-in
// person's passphrase returns to it (OpenPractice::verify_passphrase), and
// "Lock the practice" closes it as any lock does.
#pragma once

#include <string>

#include "ui/app_model.h"
#include "ui/secret_field.h"

namespace attune::ui {

class ScreenLock {
public:
    explicit ScreenLock(AppModel& model) : model_(model) {}
    // Every frame while the screen is locked, into the current window.
    void draw();
    // The next lock starts afresh (the shell calls it whenever the screen is not locked).
    void forget() {
        shown_ = false;
        wrong_.clear();
    }

private:
    void try_return();

    AppModel& model_;
    SecretField passphrase_;  // wiped after every try
    std::string wrong_;
    bool shown_ = false;  // drawn since the screen locked: the field has had the keyboard
};

}  // namespace attune::ui
