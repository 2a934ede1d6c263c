// review_view: a finished session's timeline. (Being built: see issues 4 and 7.)
#include "ui/app_model.h"
#include "ui/views.h"

#include <imgui.h>

namespace attune::ui {
namespace {

class ReviewView final : public View {
public:
    using View::View;
    const char* name() const override { return "review"; }
    void draw() override {
        if (ImGui::Button("< Case")) model_.open_case(model_.current_case());
        ImGui::TextUnformatted("Session review is not built yet.");
    }
};

}  // namespace

std::unique_ptr<View> make_review_view(AppModel& model) { return std::make_unique<ReviewView>(model); }

}  // namespace attune::ui
