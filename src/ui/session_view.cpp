// session_view: live coding of a session. (Being built: see issue 3.)
#include "ui/app_model.h"
#include "ui/views.h"

#include <imgui.h>

namespace attune::ui {
namespace {

class SessionView final : public View {
public:
    using View::View;
    const char* name() const override { return "session"; }
    void draw() override {
        if (ImGui::Button("< Case")) model_.open_case(model_.current_case());
        ImGui::TextUnformatted("Live session coding is not built yet.");
    }
};

}  // namespace

std::unique_ptr<View> make_session_view(AppModel& model) { return std::make_unique<SessionView>(model); }

}  // namespace attune::ui
