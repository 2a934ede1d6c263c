// measure_entry.h: the "Enter measures" dialog, opened from the case view and
// from the End session dialog. One instrument and one date, a grid of item
// number -> score with a column per partner, each item's range shown beside
// it and enforced (a score out of range is named in red and nothing is saved),
// optionally tied to a session. Its "Hand the laptop to ..." buttons start the
// hand-over check-in (ui/hand_over.h). Opened to correct one stored
// measure, it shows that measure's scores in its partner's column (the other
// column is closed) and Save replaces it. Everything it stores goes through
// services/measures.h.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/instrument.h"
#include "core/model.h"
#include "ui/app_model.h"
#include "ui/dialog.h"

namespace attune::ui {

class MeasureEntryDialog final : public Modal {
public:
    explicit MeasureEntryDialog(AppModel& model);
    // Opens on the next draw() for case `c`; `session` (the End session
    // dialog's) ties the measures to it and dates them with it.
    void open_for(const Case& c, std::optional<Session> session);
    // Opens on the next draw() with `stored`'s instrument, date, session and
    // scores; Save corrects it (services::correct_measure) and closes.
    void open_to_correct(const Case& c, const Measure& stored);
    // True once after a hand-over started from here: the dialog that opened
    // this one closes too (a modal left open would sit above the check-in).
    bool take_hand_over_started() { return std::exchange(handed_over_, false); }

private:
    void on_open() override;
    void draw_content() override;
    void draw_grid(const Instrument& instrument);
    void draw_hand_over();
    void save(const Instrument& instrument);
    void save_correction(const Instrument& instrument);
    // The partner's measure from what is typed, or none when nothing is.
    // `problem` gets the first problem in words ("item 3 is 7; it takes 0-5").
    std::optional<Measure> measure_of(int partner, const Instrument& instrument, std::string& problem) const;
    void clear_scores();
    void fill_from(const Measure& stored);
    bool editable_column(int partner) const {
        return !correcting_ || (correcting_->partner == Who::A ? 0 : 1) == partner;
    }

    AppModel& model_;
    Case case_;
    std::optional<Session> session_;     // given by the End session dialog
    std::optional<Measure> correcting_;  // the stored measure Save replaces, when opened to correct one
    std::vector<Session> sessions_;      // the case's, to tie the measures to one
    InstrumentCatalog catalog_;
    int instrument_ = 0;                              // into catalog_.all()
    int tied_session_ = -1;                           // into sessions_; -1 = none
    std::string date_;                                // yyyy-mm-dd
    bool total_only_ = false;                         // the instrument allows a total without items
    std::array<std::vector<std::string>, 2> scores_;  // per partner (A, B), per item: what is typed
    std::array<std::string, 2> totals_;
    std::string error_;
    std::string saved_;
    bool handed_over_ = false;
};

}  // namespace attune::ui
