// views.h: factories for the views, so the shell needs no view's internals.
#pragma once

#include <memory>

#include "ui/view.h"

namespace attune::ui {

std::unique_ptr<View> make_unlock_view(AppModel& model);
std::unique_ptr<View> make_caseload_view(AppModel& model);
std::unique_ptr<View> make_case_view(AppModel& model);
std::unique_ptr<View> make_session_view(AppModel& model);
std::unique_ptr<View> make_review_view(AppModel& model);

}  // namespace attune::ui
