// people_dialog: the practice's people for its administrators.
//   [SECTION] Opening and changing
//   [SECTION] The list
//   [SECTION] The person chosen: roles and a new passphrase
//   [SECTION] Adding a person
#include "ui/people_dialog.h"

#include <imgui.h>

#include <algorithm>

#include "core/passphrase_policy.h"
#include "core/text.h"
#include "services/access_audit.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

constexpr GrantRole kRoles[] = {GrantRole::Clinician, GrantRole::Supervisor, GrantRole::Coder,
                                GrantRole::Administrator};
// A new person's first role: administrator comes on top, by its own box.
constexpr GrantRole kFirstRoles[] = {GrantRole::Clinician, GrantRole::Supervisor, GrantRole::Coder};

std::string roles_text(const std::set<GrantRole>& roles) {
    std::string text;
    for (const GrantRole role : kRoles)
        if (roles.count(role)) text += (text.empty() ? "" : ", ") + std::string(to_string(role));
    return text.empty() ? "none" : text;
}

}  // namespace

// [SECTION] Opening and changing

PeopleDialog::PeopleDialog(AppModel& model) : Modal("People of this practice"), model_(model) {}

PeopleDialog::~PeopleDialog() {
    wipe_typed();
}

void PeopleDialog::on_open() {
    problem_.clear();
    done_.clear();
    selected_.clear();
    new_name_.clear();
    new_role_ = 0;
    new_administrator_ = false;
    wipe_typed();
    people_.clear();
    // The practice's people and their keys: a read, recorded once per opening.
    if (model_.is_open() &&
        !model_.attempt([&] { services::record_view_opened(model_.practice(), "people"); }))
        return;
    reload();
}

void PeopleDialog::on_close() {
    wipe_typed();
}

void PeopleDialog::wipe_typed() {
    reset_.wipe();
    reset_again_.wipe();
    new_passphrase_.wipe();
    new_passphrase_again_.wipe();
}

void PeopleDialog::reload() {
    people_.clear();
    if (!model_.is_open()) return;
    try {
        for (services::PersonEntry& entry : services::list_people(model_.practice()))
            if (!entry.recovery) people_.push_back(std::move(entry));
    } catch (const std::exception& e) {
        problem_ = e.what();
    }
}

void PeopleDialog::change(const std::function<void()>& action, const std::string& done) {
    problem_.clear();
    done_.clear();
    try {
        action();
        done_ = done;
    } catch (const std::exception& e) {
        problem_ = e.what();
    }
    reload();
}

bool PeopleDialog::new_passphrase_ok(const SecretField& first, const SecretField& again) {
    done_.clear();
    if (first.view() != again.view()) {
        problem_ = "The two passphrases differ. Type them again.";
        return false;
    }
    if (const auto why = new_passphrase_problem(first.view())) {
        problem_ = *why;
        return false;
    }
    return true;
}

void PeopleDialog::draw_content() {
    if (!model_.is_open()) {
        close();
        return;
    }
    // Signed in with the recovery key: a new passphrase for who forgot theirs, nothing else.
    const bool recovery = model_.practice().is_recovery();
    if (recovery) {
        ScopedWrap wrap(ImGui::GetFontSize() * 44);
        ImGui::TextWrapped(
            "Signed in with the recovery key, you give a person who forgot their passphrase a new "
            "one; roles and new people are for an administrator.");
    }
    draw_list();
    ImGui::Separator();
    draw_selected(recovery);
    ImGui::Separator();
    if (!recovery) {
        draw_add();
        ImGui::Separator();
    }
    if (!problem_.empty()) {
        ScopedColor red(ImGuiCol_Text, readable_on_background(palette::vermillion));
        ScopedWrap wrap(ImGui::GetFontSize() * 44);
        ImGui::TextWrapped("%s", problem_.c_str());
    } else if (!done_.empty()) {
        ImGui::TextColored(readable_on_background(palette::bluish_green), "%s", done_.c_str());
    }
    if (dialog_button("Close")) close();
}

// [SECTION] The list

void PeopleDialog::draw_list() {
    ImGui::TextDisabled("%s", model_.practice().is_recovery()
                                  ? "Click the person who forgot their passphrase."
                                  : "Click a person to change their roles or reset their passphrase.");
    const float em = ImGui::GetFontSize();
    const float height =
        std::min(static_cast<float>(people_.size()) + 1.5f, 10.0f) * ImGui::GetFrameHeightWithSpacing();
    if (!ImGui::BeginTable("##people", 4,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY,
                           ImVec2(em * 50, height)))
        return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthFixed, em * 11);
    ImGui::TableSetupColumn("Roles", ImGuiTableColumnFlags_WidthStretch);
    // Five groups of eight hex digits, compared aloud or on paper.
    ImGui::TableSetupColumn("Key fingerprint", ImGuiTableColumnFlags_WidthFixed,
                            ImGui::CalcTextSize("00000000 00000000 00000000 00000000 00000000").x);
    ImGui::TableSetupColumn("Signs in", ImGuiTableColumnFlags_WidthFixed, em * 4);
    ImGui::TableHeadersRow();
    for (const services::PersonEntry& entry : people_) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        const bool me = entry.person.id == model_.practice().person().id;
        const std::string label = entry.person.name + (me ? " (you)" : "");
        if (ImGui::Selectable(label.c_str(), entry.person.name == selected_, ImGuiSelectableFlags_SpanAllColumns)) {
            selected_ = entry.person.name;
            problem_.clear();
            done_.clear();
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(roles_text(entry.roles).c_str());
        ImGui::TableNextColumn();
        if (entry.fingerprint.empty())
            ImGui::TextDisabled("no key");
        else
            ImGui::TextUnformatted(entry.fingerprint.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(entry.can_sign_in ? "yes" : "no");
    }
    ImGui::EndTable();
}

// [SECTION] The person chosen: roles and a new passphrase

void PeopleDialog::draw_selected(bool passphrase_only) {
    const auto found = std::find_if(people_.begin(), people_.end(),
                                    [&](const services::PersonEntry& e) { return e.person.name == selected_; });
    if (found == people_.end()) {
        ImGui::TextDisabled("Nobody chosen.");
        return;
    }
    const services::PersonEntry entry = *found;  // the list is re-read by a change below
    const std::string& name = entry.person.name;
    heading(name.c_str());
    ScopedId id("selected");
    if (!passphrase_only) draw_roles(entry);

    const float field = ImGui::GetFontSize() * 14;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("New passphrase");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(field);
    secret_input("##reset", reset_);
    ImGui::SameLine();
    ImGui::TextUnformatted("again");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(field);
    secret_input("##reset_again", reset_again_);
    ImGui::SameLine();
    const bool reset = ImGui::Button("Reset passphrase");
    strength_meter(reset_, field * 2);
    if (!reset) return;
    if (new_passphrase_ok(reset_, reset_again_)) {
        const services::KeyMaterial passphrase(reset_.view());
        change([&] { services::reset_passphrase(model_.practice(), name, passphrase); },
               name + " signs in with the new passphrase now (and signs with a new key).");
    }
    reset_.wipe();  // typed again after a problem: nothing typed stays in memory longer than needed
    reset_again_.wipe();
}

void PeopleDialog::draw_roles(const services::PersonEntry& entry) {
    const std::string& name = entry.person.name;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Roles");
    for (const GrantRole role : kRoles) {
        ImGui::SameLine();
        bool holds = entry.roles.count(role) > 0;
        const std::string label(to_string(role));
        if (ImGui::Checkbox(label.c_str(), &holds)) {
            if (holds)
                change([&] { services::grant_role(model_.practice(), name, role); },
                       name + " holds the role " + label + " now.");
            else
                change([&] { services::revoke_role(model_.practice(), name, role); },
                       name + " no longer holds the role " + label + ".");
        }
    }
    ImGui::TextDisabled("Each change is a statement signed with your key.");
}

// [SECTION] Adding a person

void PeopleDialog::draw_add() {
    heading("Add a person");
    ScopedId id("add");
    const float field = ImGui::GetFontSize() * 14;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Name");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(field);
    input_text("##name", new_name_);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    const std::string role(to_string(kFirstRoles[new_role_]));
    if (ImGui::BeginCombo("##role", role.c_str())) {
        for (int i = 0; i < 3; ++i)
            if (ImGui::Selectable(std::string(to_string(kFirstRoles[i])).c_str(), i == new_role_)) new_role_ = i;
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::Checkbox("administrator too", &new_administrator_);

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Their first passphrase");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(field);
    secret_input("##passphrase", new_passphrase_);
    ImGui::SameLine();
    ImGui::TextUnformatted("again");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(field);
    secret_input("##passphrase_again", new_passphrase_again_);
    strength_meter(new_passphrase_, field * 2);
    ImGui::TextDisabled("Tell them this passphrase in person; nobody else should know it.");
    if (!ImGui::Button("Add person")) return;
    const std::string name = trim(new_name_);
    if (name.empty()) {
        done_.clear();
        problem_ = "Give the new person's name.";
        return;
    }
    if (!new_passphrase_ok(new_passphrase_, new_passphrase_again_)) return;
    const services::KeyMaterial passphrase(new_passphrase_.view());
    const GrantRole first_role = kFirstRoles[new_role_];
    const bool administrator = new_administrator_;
    change([&] { services::add_person(model_.practice(), name, first_role, administrator, passphrase); },
           name + " is a person of this practice now, and can sign in.");
    if (problem_.empty()) {
        selected_ = name;
        new_name_.clear();
        new_administrator_ = false;
        new_passphrase_.wipe();
        new_passphrase_again_.wipe();
    }
}

}  // namespace attune::ui
