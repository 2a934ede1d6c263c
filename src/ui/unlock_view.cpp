// unlock_view: choose the practice database and enter its passphrase.
// Shows nothing identifying until the passphrase is right.
#include "io/paths.h"
#include "ui/app_model.h"
#include "ui/keys.h"
#include "ui/theme.h"
#include "ui/views.h"
#include "ui/widgets.h"

#include <imgui.h>

#include <filesystem>

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
        if (model_.database_path.empty()) model_.database_path = io::default_database_path().string();
        if (path_.empty()) path_ = model_.database_path;
        std::error_code ec;
        const bool exists = std::filesystem::exists(path_, ec);

        const float width = ImGui::GetFontSize() * 30;
        ImGui::SetCursorPosX(std::max(0.0f, (ImGui::GetContentRegionAvail().x - width) * 0.5f));
        ImGui::SetCursorPosY(ImGui::GetContentRegionAvail().y * 0.18f);
        ImGui::BeginGroup();
        ImGui::PushFont(fonts().large);
        ImGui::TextUnformatted("Attune");
        ImGui::PopFont();
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
            submit |= input_text("##passphrase", passphrase_, ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
            submit |= ImGui::Button("Unlock", ImVec2(width * 0.3f, 0));
        } else {
            ImGui::TextWrapped("There is no database here yet. Choose a passphrase to create an encrypted one.");
            ImGui::Checkbox("Create without encryption", &no_encryption_);
            if (no_encryption_) {
                ImGui::PushStyleColor(ImGuiCol_Text, to_imvec4(palette::vermillion));
                ImGui::TextWrapped("Anyone who gets this file can read every note in it. "
                                   "Use only for demonstrations with no real clients.");
                ImGui::PopStyleColor();
            } else {
                ImGui::TextUnformatted("New passphrase");
                ImGui::SetNextItemWidth(width);
                if (focus_first_) ImGui::SetKeyboardFocusHere();
                input_text("##new1", passphrase_, ImGuiInputTextFlags_Password);
                ImGui::TextUnformatted("Type it again");
                ImGui::SetNextItemWidth(width);
                submit |= input_text("##new2", confirm_, ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
            }
            submit |= ImGui::Button("Create database", ImVec2(width * 0.4f, 0));
        }
        focus_first_ = false;
        if (!error_.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, to_imvec4(palette::vermillion));
            ImGui::TextWrapped("%s", error_.c_str());
            ImGui::PopStyleColor();
        }
        ImGui::EndGroup();
        if (submit) open(exists);
    }

private:
    void open(bool exists) {
        error_.clear();
        store::OpenOptions options;
        options.path = path_;
        options.create_if_missing = !exists;
        options.allow_unencrypted = !exists && no_encryption_;
        if (!options.allow_unencrypted) {
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
            options.passphrase = passphrase_;
        }
        try {
            model_.set_practice(io::open_practice(options, io::default_user_name()));
            model_.database_path = path_;
            passphrase_.assign(passphrase_.size(), '\0');
            passphrase_.clear();
            confirm_.clear();
            focus_first_ = true;
        } catch (const std::exception& e) {
            error_ = e.what();
            passphrase_.clear();
            focus_first_ = true;
        }
    }

    std::string path_;
    std::string passphrase_;
    std::string confirm_;
    std::string error_;
    bool no_encryption_ = false;
    bool focus_first_ = true;
};

}  // namespace

std::unique_ptr<View> make_unlock_view(AppModel& model) { return std::make_unique<UnlockView>(model); }

}  // namespace attune::ui
