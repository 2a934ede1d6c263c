// case_trends_view: one case's sessions. (The charts come with the metrics work.)
#include "ui/app_model.h"
#include "ui/theme.h"
#include "ui/views.h"
#include "ui/widgets.h"
#include "core/session_clock.h"

#include <imgui.h>

namespace attune::ui {
namespace {

class CaseTrendsView final : public View {
public:
    using View::View;
    const char* name() const override { return "case"; }
    const char* help_text() const override { return "One couple's sessions."; }

    void draw() override {
        refresh();
        if (ImGui::Button("< Caseload")) model_.show_caseload();
        ImGui::SameLine();
        heading(case_.label.c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("%s & %s", case_.partner_a.display_name.c_str(), case_.partner_b.display_name.c_str());
        if (ImGui::Button("Start next session")) {
            model_.attempt([&] {
                const Session s = store::SessionRepository(model_.db()).start(case_.id, store::today_local_iso(),
                                                                               store::now_local_hhmm(), wall_clock_seconds());
                model_.open_session(case_.id, s.id);
            });
        }
        for (const Session& s : sessions_) {
            ImGui::PushID(static_cast<int>(s.id));
            ImGui::Text("Session %d  %s  %s", s.number, s.date.c_str(), std::string(to_string(s.state)).c_str());
            ImGui::SameLine();
            if (ImGui::SmallButton("Open")) model_.open_session(case_.id, s.id);
            ImGui::PopID();
        }
    }

private:
    void refresh() {
        if (version_ == model_.data_version() && case_.id == model_.current_case()) return;
        model_.attempt([&] {
            if (auto c = store::CaseRepository(model_.db()).get(model_.current_case())) case_ = *c;
            sessions_ = store::SessionRepository(model_.db()).list_for_case(case_.id);
        });
        version_ = model_.data_version();
    }
    Case case_;
    std::vector<Session> sessions_;
    std::uint64_t version_ = 0;
};

}  // namespace

std::unique_ptr<View> make_case_view(AppModel& model) { return std::make_unique<CaseTrendsView>(model); }

}  // namespace attune::ui
