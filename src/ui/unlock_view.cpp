// unlock_view: choose the practice database and enter its passphrase, then
// say who is using Attune (a person of the database with their role, or a new
// one): that person becomes the database's actor, so every write of this GUI
// session is attributed to them in the audit log, as `--user` does on the
// command line. Shows nothing identifying until the passphrase is right.
#include <imgui.h>

#include <filesystem>
#include <memory>

#include "core/text.h"
#include "services/demo.h"
#include "services/open_practice.h"
#include "services/paths.h"
#include "ui/app_model.h"
#include "ui/dialog.h"
#include "ui/keys.h"
#include "ui/theme.h"
#include "ui/views.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

class UnlockView final : public View {
public:
    using View::View;
    const char* name() const override { return "unlock"; }
    const char* help_text() const override {
        return "Attune keeps each practice in one encrypted database file.\n\n"
               "Enter the passphrase of the database to open it. For a new database, choose a passphrase "
               "and type it twice: there is no way to recover notes if it is lost. Write it down and keep it "
               "somewhere safe.\n\nThe passphrase is never stored on disk.";
    }

    void draw() override {
        if (pending_) {
            draw_who();
            return;
        }
        if (model_.database_path.empty()) model_.database_path = services::default_database_path().string();
        if (path_.empty()) path_ = model_.database_path;
        std::error_code ec;
        const bool exists = std::filesystem::exists(path_, ec);

        const float width = ImGui::GetFontSize() * 30;
        ImGui::SetCursorPosX(std::max(0.0f, (ImGui::GetContentRegionAvail().x - width) * 0.5f));
        ImGui::SetCursorPosY(ImGui::GetContentRegionAvail().y * 0.18f);
        ImGui::BeginGroup();
        {
            ScopedFont font2(fonts().large);
            ImGui::TextUnformatted("Attune");
        }
        ImGui::TextDisabled("Couples sessions, coded live; progress toward attunement and repair.");
        ImGui::Dummy(ImVec2(0, ImGui::GetFontSize()));

        ImGui::TextUnformatted("Practice database");
        ImGui::SetNextItemWidth(width);
        input_text("##path", path_);
        ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 0.5f));

        bool submit = false;
        if (exists) {
            ImGui::TextUnformatted("Passphrase");
            ImGui::SetNextItemWidth(width);
            if (focus_first_) ImGui::SetKeyboardFocusHere();
            submit |= input_text("##passphrase", passphrase_,
                                 ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
            submit |= ImGui::Button("Unlock", ImVec2(width * 0.3f, 0));
        } else {
            ImGui::TextWrapped("There is no database here yet. Choose a passphrase to create an encrypted one.");
            ImGui::Checkbox("Create without encryption", &no_encryption_);
            if (no_encryption_) {
                {
                    ScopedColor color3(ImGuiCol_Text, readable_on_background(palette::vermillion));
                    ImGui::TextWrapped(
                        "Anyone who gets this file can read every note in it. "
                        "Use only for demonstrations with no real clients.");
                }
            } else {
                ImGui::TextUnformatted("New passphrase");
                ImGui::SetNextItemWidth(width);
                if (focus_first_) ImGui::SetKeyboardFocusHere();
                input_text("##new1", passphrase_, ImGuiInputTextFlags_Password);
                ImGui::TextUnformatted("Type it again");
                ImGui::SetNextItemWidth(width);
                submit |=
                    input_text("##new2", confirm_, ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
            }
            submit |= ImGui::Button("Create database", ImVec2(width * 0.4f, 0));
            draw_demo_offer(width);
        }
        focus_first_ = false;
        if (!error_.empty()) {
            {
                ScopedColor color2(ImGuiCol_Text, readable_on_background(palette::vermillion));
                ImGui::TextWrapped("%s", error_.c_str());
            }
        }
        ImGui::EndGroup();
        if (submit) open(exists);
    }

private:
    void open(bool exists) {
        error_.clear();
        services::OpenRequest request;
        request.path = path_;
        request.create_if_missing = !exists;
        request.allow_unencrypted = !exists && no_encryption_;
        if (!request.allow_unencrypted) {
            if (passphrase_.empty()) {
                error_ = "Enter the passphrase.";
                return;
            }
            if (!exists && passphrase_ != confirm_) {
                error_ = "The two passphrases differ. Type them again.";
                return;
            }
            if (!exists && passphrase_.size() < 8) {
                error_ = "Use at least 8 characters for a new passphrase.";
                return;
            }
            request.passphrase = services::KeyMaterial(passphrase_);
        }
        try {
            // Nobody is signed in until the user has said who they are.
            pending_ = services::OpenPractice::open(std::move(request));
            people_ = pending_->people();
            model_.database_path = path_;
            passphrase_.assign(passphrase_.size(), '\0');
            passphrase_.clear();
            confirm_.clear();
            focus_first_ = true;
            choose_default_person();
        } catch (const std::exception& e) {
            pending_.reset();
            error_ = e.what();
            passphrase_.clear();
            focus_first_ = true;
        }
    }

    // [SECTION] A demo practice to look around in (first run)
    // Made beside the real one, with invented couples and a passphrase shown on
    // screen: it never holds real clients, and the real database is not touched.
    static std::filesystem::path demo_practice_path() { return services::data_dir() / "demo-practice.attune-db"; }
    static constexpr const char* kDemoPassphrase = "attune-demo";

    void draw_demo_offer(float width) {
        ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 1.5f));
        {
            ScopedWrap wrap(ImGui::GetCursorPosX() + width);
            ImGui::TextWrapped(
                "New to Attune? Look around in a demo practice of invented couples first "
                "(its passphrase is \"%s\"); your own database stays untouched.",
                kDemoPassphrase);
        }
        if (ImGui::Button("Open the demo practice", ImVec2(width * 0.5f, 0))) open_demo();
    }

    void open_demo() {
        error_.clear();
        const std::filesystem::path path = demo_practice_path();
        std::error_code ec;
        const bool exists = std::filesystem::exists(path, ec);
        services::OpenRequest request;
        request.path = path;
        request.passphrase = services::KeyMaterial(kDemoPassphrase);
        request.create_if_missing = !exists;
        try {
            if (!exists) std::filesystem::create_directories(path.parent_path(), ec);
            pending_ = services::OpenPractice::open(std::move(request));
            if (!exists) {
                pending_->sign_in_by_name("Demo user");
                services::DemoOptions demo;
                demo.cases = 8;
                services::generate_demo(*pending_, demo);
            }
            path_ = path.string();
            people_ = pending_->people();
            model_.database_path = path_;
            focus_first_ = true;
            choose_default_person();
        } catch (const std::exception& e) {
            pending_.reset();
            error_ = std::string("The demo practice could not be made: ") + e.what();
        }
    }

    // [SECTION] Who is using Attune
    void choose_default_person() {
        const std::string me = services::default_user_name();
        chosen_ = people_.empty() ? -1 : 0;  // -1 = a new person
        for (size_t i = 0; i < people_.size(); ++i)
            if (people_[i].name == me) chosen_ = static_cast<int>(i);
        new_name_ = people_.empty() ? me : "";
        new_role_ = 0;
        who_error_.clear();
    }

    void draw_who() {
        const float width = ImGui::GetFontSize() * 30;
        ImGui::SetCursorPosX(std::max(0.0f, (ImGui::GetContentRegionAvail().x - width) * 0.5f));
        ImGui::SetCursorPosY(ImGui::GetContentRegionAvail().y * 0.18f);
        ImGui::BeginGroup();
        {
            ScopedFont font(fonts().large);
            ImGui::TextUnformatted("Who is using Attune?");
        }
        ImGui::TextDisabled("Everything you change is recorded under this name in the audit log.");
        ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 0.5f));
        for (size_t i = 0; i < people_.size(); ++i) {
            const Person& p = people_[i];
            const std::string label = p.name + " (" + std::string(to_string(p.role)) + ")";
            if (ImGui::Selectable(label.c_str(), chosen_ == static_cast<int>(i), ImGuiSelectableFlags_AllowDoubleClick,
                                  ImVec2(width, 0))) {
                chosen_ = static_cast<int>(i);
                if (ImGui::IsMouseDoubleClicked(0)) continue_as_chosen();
                if (!pending_) {
                    ImGui::EndGroup();
                    return;
                }
            }
        }
        if (ImGui::Selectable("New person...", chosen_ < 0, 0, ImVec2(width, 0))) chosen_ = -1;
        bool submit = false;
        if (chosen_ < 0) {
            ImGui::Indent();
            ImGui::TextUnformatted("Name");
            ImGui::SetNextItemWidth(width * 0.7f);
            submit |= input_text("##new_person", new_name_, ImGuiInputTextFlags_EnterReturnsTrue);
            ImGui::TextUnformatted("Role");
            ImGui::RadioButton("Clinician", &new_role_, 0);
            ImGui::SameLine();
            ImGui::RadioButton("Supervisor", &new_role_, 1);
            ImGui::Unindent();
        }
        ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 0.5f));
        // The arrows move through the people and Space chooses one; Enter
        // continues as the one chosen, Escape locks again.
        submit |= dialog_button("Continue", ImVec2(width * 0.3f, 0));
        ImGui::SameLine();
        if (dialog_button("Lock again") || escape_cancels()) {
            pending_.reset();  // locks: key wiped
            people_.clear();
            focus_first_ = true;
        } else {
            submit |= enter_confirms();
        }
        if (!who_error_.empty()) {
            {
                ScopedColor color(ImGuiCol_Text, readable_on_background(palette::vermillion));
                ImGui::TextWrapped("%s", who_error_.c_str());
            }
        }
        ImGui::EndGroup();
        if (submit && pending_) continue_as_chosen();
    }

    // Makes the chosen (or new) person the actor and hands the practice to the model.
    void continue_as_chosen() {
        who_error_.clear();
        try {
            if (chosen_ >= 0 && static_cast<size_t>(chosen_) < people_.size()) {
                pending_->sign_in(people_[static_cast<size_t>(chosen_)]);
            } else {
                const std::string name = trim(new_name_);
                if (name.empty()) {
                    who_error_ = "Enter your name.";
                    return;
                }
                pending_->sign_in_new_person(name, new_role_ == 1 ? PersonRole::Supervisor : PersonRole::Clinician);
            }
            people_.clear();
            model_.set_practice(std::move(pending_));
        } catch (const std::exception& e) {
            who_error_ = e.what();
        }
    }

    std::unique_ptr<services::OpenPractice> pending_;  // unlocked, waiting for "who are you"
    std::vector<Person> people_;
    int chosen_ = -1;  // index into people_, -1 = a new person
    std::string new_name_;
    int new_role_ = 0;  // 0 clinician, 1 supervisor
    std::string who_error_;

    std::string path_;
    std::string passphrase_;
    std::string confirm_;
    std::string error_;
    bool no_encryption_ = false;
    bool focus_first_ = true;
};

}  // namespace

std::unique_ptr<View> make_unlock_view(AppModel& model) {
    return std::make_unique<UnlockView>(model);
}

}  // namespace attune::ui
