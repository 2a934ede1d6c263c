// case_form.h: the fields of a case as a clinician writes them (label,
// partners and their attachment styles, start date, goals). One form serves
// "New case" in the caseload and "Case details" on the case's page, where
// goals, styles and each partner's place in the cycle (pursuer, withdrawer)
// are read and changed after the case was made (issue 18 item 15).
#pragma once

#include "core/model.h"

namespace attune::ui {

class CaseForm {
public:
    // Starts from `c` (a new case's defaults, or a stored case to edit).
    void load(const Case& c);
    // The fields, `width` wide; the label takes the keyboard when `focus_label`.
    // `read_only`: shown, not editable (a supervisor reading the case).
    void draw(float width, bool focus_label, bool read_only = false);
    // What was typed: names and label trimmed, the chosen styles in.
    Case result() const;

private:
    Case draft_;
    int style_a_ = 0;
    int style_b_ = 0;
    int cycle_a_ = 0;
    int cycle_b_ = 0;
};

}  // namespace attune::ui
