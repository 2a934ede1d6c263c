// unlock_view: signing in (issue 16). The practice file, who you are and your
// own passphrase, checked against your key slot (services::OpenPractice);
// nothing identifying is shown until that succeeds. A new practice is made
// here with its founding administrator, and its recovery key is shown once,
// on a screen of its own, before anything else.
//
// [SECTION] Signing in
// [SECTION] A new practice and its recovery key
// [SECTION] Joining the practice's server (issue 21)
// [SECTION] A demo practice to look around in
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <filesystem>
#include <memory>

#include "core/text.h"
#include "services/demo.h"
#include "services/open_practice.h"
#include "services/paths.h"
#include "services/practice_join.h"
#include "ui/app_model.h"
#include "ui/dialog.h"
#include "ui/keys.h"
#include "ui/secret_field.h"
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
        return "Each person signs in to the practice with their own name and passphrase; what you change is "
               "recorded under your name, and what you sign is signed with your own key.\n\n"
               "A new practice starts with you as its administrator: you add the others (Practice > People, or "
               "attune person add). It shows a recovery key once: write it down and keep it apart from this "
               "computer; with it a forgotten passphrase can be reset.\n\nPassphrases are never stored on disk.";
    }

    void draw() override {
        if (recovery_ && !model_.holds_new_practice()) {  // locked while the key was shown: it is gone
            recovery_ = false;
            recovery_text_.reset();
        }
        if (recovery_) {
            draw_recovery_key();
            return;
        }
        if (model_.database_path.empty()) model_.database_path = services::default_database_path().string();
        if (path_.empty()) path_ = model_.database_path;
        std::error_code ec;
        const bool exists = std::filesystem::exists(path_, ec);
        if (path_ != names_for_) {
            names_ = exists ? services::people_with_keys(path_) : std::vector<std::string>{};
            names_for_ = path_;
            if (!names_.empty() && std::find(names_.begin(), names_.end(), who_) == names_.end())
                who_ = names_.size() == 1 ? names_.front() : "";
        }

        const float width = ImGui::GetFontSize() * 30;
        ImGui::SetCursorPosX(std::max(0.0f, (ImGui::GetContentRegionAvail().x - width) * 0.5f));
        ImGui::SetCursorPosY(ImGui::GetContentRegionAvail().y * 0.14f);
        ImGui::BeginGroup();
        {
            ScopedFont large(fonts().large);
            ImGui::TextUnformatted("Attune");
        }
        ImGui::TextDisabled("Couples sessions, coded live; progress toward attunement and repair.");
        ImGui::Dummy(ImVec2(0, ImGui::GetFontSize()));

        ImGui::TextUnformatted("Practice file");
        ImGui::SetNextItemWidth(width);
        {
            ScopedDisabled joining(join_ != nullptr);  // the join's file is chosen
            input_text("##path", path_);
        }
        ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 0.5f));
        const bool recovering = exists && by_recovery_key_ && !names_.empty();
        // A join under way writes its file before it is done: its stages stay on screen until then.
        if (exists && !join_) joining_ = false;  // a file there now is signed in to
        const bool submit = join_        ? draw_join(width)
                            : recovering ? draw_recovery_sign_in(width)
                            : exists     ? draw_sign_in(width)
                            : joining_   ? draw_join(width)
                                         : draw_create(width);
        focus_first_ = focus_next_;  // a form switched to in this frame focuses its first field in the next
        focus_next_ = false;
        if (!error_.empty()) {
            ScopedColor red(ImGuiCol_Text, readable_on_background(palette::vermillion));
            ScopedWrap wrap(ImGui::GetCursorPosX() + width);
            ImGui::TextWrapped("%s", error_.c_str());
        }
        if (!join_ && (!exists || std::filesystem::path(path_) == services::demo_practice_path()))
            draw_demo_offer(width);
        ImGui::EndGroup();
        if (submit) recovering ? sign_in_with_recovery_key() : exists ? sign_in() : joining_ ? join() : create();
    }

private:
    // [SECTION] Signing in

    bool draw_sign_in(float width) {
        ImGui::TextUnformatted("Who are you?");
        ImGui::SetNextItemWidth(width);
        if (names_.empty()) {
            // A plaintext practice, or one of an earlier Attune (converted on this sign-in).
            if (focus_first_) ImGui::SetKeyboardFocusHere();
            input_text("##who", who_);
            ImGui::TextDisabled("%s", "Your name as the practice knows it.");
        } else if (ImGui::BeginCombo("##who", who_.empty() ? "choose your name" : who_.c_str())) {
            for (const std::string& name : names_)
                if (ImGui::Selectable(name.c_str(), name == who_)) who_ = name;
            ImGui::EndCombo();
        }
        ImGui::TextUnformatted("Your passphrase");
        ImGui::SetNextItemWidth(width);
        if (focus_first_ && !names_.empty()) ImGui::SetKeyboardFocusHere();
        bool submit = secret_input("##passphrase", passphrase_, ImGuiInputTextFlags_EnterReturnsTrue);
        submit |= ImGui::Button("Sign in", ImVec2(width * 0.3f, 0));
        if (!names_.empty()) {
            ImGui::SameLine();
            if (ImGui::SmallButton("Forgot your passphrase?")) {
                error_.clear();
                passphrase_.wipe();
                by_recovery_key_ = true;
                focus_next_ = true;
            }
        }
        return submit;
    }

    // The recovery key instead of a person: signs in as the practice's
    // recovery identity, an administrator whose one job is to give a person
    // who forgot theirs a new passphrase (Practice > People).
    bool draw_recovery_sign_in(float width) {
        ScopedWrap wrap(ImGui::GetCursorPosX() + width);
        ImGui::TextWrapped(
            "The recovery key was shown once when the practice was made. With it you sign in as "
            "the practice's recovery key, and give the person who forgot theirs a new passphrase "
            "in Practice > People.");
        ImGui::TextUnformatted("Recovery key");
        ImGui::SetNextItemWidth(width);
        if (focus_first_) ImGui::SetKeyboardFocusHere();
        bool submit = secret_input("##recovery_key", passphrase_, ImGuiInputTextFlags_EnterReturnsTrue);
        submit |= ImGui::Button("Sign in with the recovery key", ImVec2(width * 0.6f, 0));
        ImGui::SameLine();
        if (ImGui::SmallButton("Back to your name and passphrase")) {
            error_.clear();
            passphrase_.wipe();
            by_recovery_key_ = false;
            focus_next_ = true;
        }
        return submit;
    }

    void sign_in_with_recovery_key() {
        error_.clear();
        // Pasted with a space or a line end around it: in place, no copy of the key left behind.
        passphrase_.remove_spaces();
        if (passphrase_.empty()) {
            error_ = "Enter the practice's recovery key.";
            return;
        }
        services::OpenRequest request;
        request.path = path_;
        request.recovery_key = services::KeyMaterial(passphrase_.view());
        passphrase_.wipe();
        finish(std::move(request));
        if (model_.is_open()) {
            by_recovery_key_ = false;
            const std::string what =
                "Signed in with the recovery key: give a new passphrase in Practice > People, then lock.";
            // What opening found (failed sign-ins, files others could read) stays said, first.
            if (model_.message())
                model_.error(model_.message()->text + " " + what);
            else
                model_.info(what);
        }
    }

    void sign_in() {
        error_.clear();
        if (trim(who_).empty()) {
            error_ = "Choose who you are.";
            return;
        }
        if (passphrase_.empty()) {
            error_ = "Enter your passphrase.";
            return;
        }
        services::OpenRequest request;
        request.path = path_;
        request.person = trim(who_);
        request.passphrase = services::KeyMaterial(passphrase_.view());
        passphrase_.wipe();
        finish(std::move(request));
    }

    // [SECTION] A new practice and its recovery key

    bool draw_create(float width) {
        ImGui::TextWrapped("There is no practice here yet. Make one: you become its administrator.");
        ImGui::TextUnformatted("Your name");
        ImGui::SetNextItemWidth(width);
        if (focus_first_) ImGui::SetKeyboardFocusHere();
        input_text("##admin_name", who_);
        ImGui::TextUnformatted("Your passphrase (12 characters or more)");
        ImGui::SetNextItemWidth(width);
        secret_input("##new1", passphrase_);
        strength_meter(passphrase_, width);
        ImGui::TextUnformatted("Type it again");
        ImGui::SetNextItemWidth(width);
        bool submit = secret_input("##new2", confirm_, ImGuiInputTextFlags_EnterReturnsTrue);
        submit |= ImGui::Button("Create practice", ImVec2(width * 0.4f, 0));
        ImGui::SameLine();
        if (ImGui::SmallButton("Join your practice's server instead")) {
            joining_ = true;
            error_.clear();
            passphrase_.wipe();
            confirm_.wipe();
            focus_next_ = true;
        }
        return submit;
    }

    void create() {
        error_.clear();
        if (trim(who_).empty()) {
            error_ = "Enter your name: you are the practice's first administrator.";
            return;
        }
        if (passphrase_.view() != confirm_.view()) {
            error_ = "The two passphrases differ. Type them again.";
            passphrase_.wipe();
            confirm_.wipe();
            return;
        }
        services::OpenRequest request;
        request.path = path_;
        request.person = trim(who_);
        request.new_administrator = trim(who_);
        request.create_if_missing = true;
        request.passphrase = services::KeyMaterial(passphrase_.view());
        passphrase_.wipe();
        confirm_.wipe();
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
        finish(std::move(request));
    }

    // Opens (or makes) the practice; a new one's recovery key comes first.
    void finish(services::OpenRequest request) {
        model_.apply_key_limits(request);
        request.audit_sign_in = true;
        try {
            auto practice = services::OpenPractice::open(std::move(request));
            model_.database_path = path_;
            names_for_.clear();
            focus_first_ = true;
            services::KeyMaterial recovery = practice->take_recovery_key();
            if (!recovery.empty()) {
                recovery_text_ = SecretString(recovery.view());
                recovery_saved_ = false;
                model_.hold_until_recovery_key_noted(std::move(practice));
                recovery_ = true;
                return;
            }
            model_.set_practice(std::move(practice));
        } catch (const std::exception& e) {
            error_ = e.what();
            focus_first_ = true;
        }
    }

    // [SECTION] Joining the practice's server (issue 21)
    // The person's own copy of a group practice: their administrator added
    // them on the server (attune server add-person) and told them its
    // address and the founding administrator's key fingerprint; their login's
    // password is in ~/.pgpass. The join runs on a thread of its own
    // (services::BackgroundJoin) and waits there for the fingerprint to be
    // confirmed here.

    bool draw_join(float width) {
        ScopedWrap wrap(ImGui::GetCursorPosX() + width);
        if (join_) {
            draw_join_progress(width);
            return false;
        }
        ImGui::TextWrapped(
            "Join your group practice: this file becomes your own copy of what you may see on its server. "
            "Your administrator gives you the server's address and their key's fingerprint.");
        ImGui::TextUnformatted("Practice server (postgresql://...)");
        ImGui::SetNextItemWidth(width);
        if (focus_first_) ImGui::SetKeyboardFocusHere();
        input_text("##server_url", url_);
        ImGui::TextUnformatted("Your name");
        ImGui::SetNextItemWidth(width);
        input_text("##join_name", who_);
        ImGui::TextUnformatted("Your passphrase (the one your administrator's file has for you)");
        ImGui::SetNextItemWidth(width);
        bool submit = secret_input("##join_passphrase", passphrase_, ImGuiInputTextFlags_EnterReturnsTrue);
        submit |= ImGui::Button("Join", ImVec2(width * 0.3f, 0));
        ImGui::SameLine();
        if (ImGui::SmallButton("Make a new practice instead")) {
            joining_ = false;
            error_.clear();
            passphrase_.wipe();
            focus_next_ = true;
        }
        return submit;
    }

    void join() {
        error_.clear();
        if (trim(url_).empty() || trim(who_).empty() || passphrase_.empty()) {
            error_ = "Enter the practice server's address, your name and your passphrase.";
            return;
        }
        services::JoinRequest request;
        request.path = path_;
        request.url = trim(url_);
        request.name = trim(who_);
        request.passphrase = services::KeyMaterial(passphrase_.view());
        passphrase_.wipe();
        model_.apply_key_limits(request);
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
        join_ = std::make_unique<services::BackgroundJoin>(std::move(request), model_.sync_wake());
    }

    void draw_join_progress(float width) {
        switch (join_->stage()) {
        case services::BackgroundJoin::Stage::Working:
            ImGui::TextDisabled("Talking to the practice server...");
            return;
        case services::BackgroundJoin::Stage::Confirm: {
            const services::JoinOffer offer = join_->offer();
            ImGui::TextWrapped("Practice server: %s", offer.where.c_str());
            ImGui::TextWrapped("You: %s (login %s)", offer.person_name.c_str(), offer.login.c_str());
            ImGui::TextWrapped("Founding administrator: %s", offer.administrator_name.c_str());
            ImGui::TextUnformatted("Their key's fingerprint:");
            {
                ScopedFont bold(fonts().bold);
                ImGui::TextWrapped("%s", offer.fingerprint.c_str());
            }
            ImGui::TextWrapped(
                "Compare it with the fingerprint your administrator told you. Join only if every character "
                "matches: otherwise this is not your practice's server.");
            if (dialog_button("It matches: join", ImVec2(width * 0.45f, 0))) join_->answer(true);
            ImGui::SameLine();
            if (ImGui::Button("It does not match")) join_->answer(false);
            return;
        }
        case services::BackgroundJoin::Stage::Joined: {
            const services::JoinReport report = join_->report();
            auto practice = join_->take_practice();
            join_.reset();
            joining_ = false;
            names_for_.clear();
            model_.database_path = path_;
            model_.set_practice(std::move(practice));
            model_.info("Joined: this file is " + report.offer.person_name + "'s own copy of the practice (" +
                        std::to_string(report.people) + " people); it syncs with the practice server.");
            return;
        }
        case services::BackgroundJoin::Stage::Failed:
            error_ = join_->error();
            join_.reset();
            focus_first_ = true;
            return;
        }
    }

    void draw_recovery_key() {
        // The key in the large font when the window is wide enough for it whole, else in bold.
        const float avail = ImGui::GetContentRegionAvail().x;
        ImFont* key_font = fonts().large;
        float key_width = key_font->CalcTextSizeA(key_font->FontSize, FLT_MAX, 0, recovery_text_.c_str()).x;
        if (key_width > avail) {
            key_font = fonts().bold;
            key_width = key_font->CalcTextSizeA(key_font->FontSize, FLT_MAX, 0, recovery_text_.c_str()).x;
        }
        const float width = std::max(ImGui::GetFontSize() * 32, key_width);
        ImGui::SetCursorPosX(std::max(0.0f, (ImGui::GetContentRegionAvail().x - width) * 0.5f));
        ImGui::SetCursorPosY(ImGui::GetContentRegionAvail().y * 0.18f);
        ImGui::BeginGroup();
        heading("The practice's recovery key");
        {
            ScopedWrap wrap(ImGui::GetCursorPosX() + width);
            ImGui::TextWrapped(
                "Write this down and keep it apart from this computer. When every passphrase is "
                "forgotten, it resets one (attune person reset --recovery-key-file) and gets the "
                "practice's data out. It is shown only now.");
        }
        ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 0.5f));
        {
            ScopedFont font(key_font);
            ImGui::TextUnformatted(recovery_text_.c_str());
        }
        ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 0.5f));
        ImGui::Checkbox("I have written it down", &recovery_saved_);
        bool go = false;
        {
            ScopedDisabled disabled(!recovery_saved_);
            go = dialog_button("Continue", ImVec2(width * 0.3f, 0)) || (recovery_saved_ && enter_confirms());
        }
        ImGui::EndGroup();
        if (go) {
            recovery_text_.reset();
            recovery_ = false;
            model_.open_held_practice();
        }
    }

    // [SECTION] A demo practice to look around in
    // Made beside the real one, with invented couples, its administrator and
    // passphrase shown on screen: it never holds real clients.
    static constexpr const char* kDemoUser = "Demo user";
    static constexpr const char* kDemoPassphrase = "attune-demo-practice";

    void draw_demo_offer(float width) {
        ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 1.5f));
        {
            ScopedWrap wrap(ImGui::GetCursorPosX() + width);
            ImGui::TextWrapped(
                "New to Attune? Look around in a demo practice of invented couples first (sign in as "
                "\"%s\", passphrase \"%s\"); your own practice stays untouched.",
                kDemoUser, kDemoPassphrase);
        }
        if (ImGui::Button("Open the demo practice", ImVec2(width * 0.5f, 0))) open_demo();
    }

    void open_demo() {
        error_.clear();
        const std::filesystem::path path = services::demo_practice_path();
        std::error_code ec;
        const bool exists = std::filesystem::exists(path, ec);
        services::OpenRequest request;
        request.path = path;
        request.person = kDemoUser;
        request.new_administrator = kDemoUser;
        request.passphrase = services::KeyMaterial(kDemoPassphrase);
        request.create_if_missing = !exists;
        model_.apply_key_limits(request);
        try {
            if (!exists) std::filesystem::create_directories(path.parent_path(), ec);
            auto practice = services::OpenPractice::open(std::move(request));
            (void)practice->take_recovery_key();  // a demo's is of no use: its passphrase is public
            if (!exists) {
                services::DemoOptions demo;
                demo.cases = 8;
                services::generate_demo(*practice, demo);
            }
            path_ = path.string();
            model_.database_path = path_;
            model_.set_practice(std::move(practice));
        } catch (const std::exception& e) {
            error_ = std::string("The demo practice could not be made: ") + e.what();
        }
    }

    bool recovery_ = false;
    bool by_recovery_key_ = false;  // "Forgot your passphrase?": the recovery key instead of a name
    bool recovery_saved_ = false;
    SecretString recovery_text_;
    std::vector<std::string> names_;  // who can sign in (from the keyring)
    std::string names_for_;           // the path names_ were read for
    std::string path_;
    std::string who_;
    SecretField passphrase_;  // the passphrase, or the recovery key
    SecretField confirm_;
    std::string error_;
    bool focus_first_ = true;
    bool focus_next_ = false;
    bool joining_ = false;  // the join form instead of a new practice's
    std::string url_;       // the practice server's, to join
    std::unique_ptr<services::BackgroundJoin> join_;
};

}  // namespace

std::unique_ptr<View> make_unlock_view(AppModel& model) {
    return std::make_unique<UnlockView>(model);
}

}  // namespace attune::ui
