// hand_over.h: the hand-over check-in. While AppModel::hand_over() is set the
// shell draws only this screen (no menu bar, no view, no dialog, no message
// line): Attune's own check-in for one partner, their own name and nothing
// else of the record. It returns to the clinician only when the signed-in
// person's own passphrase is typed (OpenPractice::verify_passphrase).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/instrument.h"
#include "ui/app_model.h"
#include "ui/secret_field.h"

namespace attune::ui {

class HandOverScreen {
public:
    explicit HandOverScreen(AppModel& model) : model_(model) {}
    // Every frame while the hand-over lasts, into the current window.
    void draw();
    // Drops the last hand-over's answers and typing (the shell calls it
    // whenever no hand-over is on, also after one that locking ended).
    void forget() { started_ = false; }

private:
    void start();
    void draw_items();
    void save();
    void try_return();

    AppModel& model_;
    bool started_ = false;               // the screen of the current hand-over is set up
    std::optional<Instrument> checkin_;  // Attune's own check-in
    std::vector<int> answers_;           // per item: the chosen score, or -1
    bool saved_ = false;
    std::string problem_;
    SecretField passphrase_;  // wiped after every try
    std::string wrong_;
};

}  // namespace attune::ui
