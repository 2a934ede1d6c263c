// people_dialog.h: Practice > People..., for administrators (issue 16): the
// practice's people with their roles and key fingerprints; adding a person,
// resetting a forgotten passphrase, granting and revoking roles. Every change
// is a services/people.h call (a statement the administrator signs); the list
// is read when the dialog opens and after each change, never per frame.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "services/people.h"
#include "ui/app_model.h"
#include "ui/dialog.h"
#include "ui/secret_field.h"

namespace attune::ui {

class PeopleDialog final : public Modal {
public:
    explicit PeopleDialog(AppModel& model);
    ~PeopleDialog() override;

    // As last read (tests).
    const std::vector<services::PersonEntry>& people() const { return people_; }
    // The last change's outcome, one sentence: a problem (shown in red) or what was done.
    const std::string& problem() const { return problem_; }
    const std::string& done() const { return done_; }

private:
    void on_open() override;
    void on_close() override;
    void draw_content() override;

    void reload();
    void draw_list();
    // `passphrase_only`: signed in with the recovery key (no roles to change).
    void draw_selected(bool passphrase_only);
    void draw_roles(const services::PersonEntry& entry);
    void draw_add();
    // Runs a change; its error becomes problem_, success reloads and says `done`.
    void change(const std::function<void()>& action, const std::string& done);
    // Both fields hold the same acceptable new passphrase; else problem_ says why.
    bool new_passphrase_ok(const SecretField& first, const SecretField& again);
    void wipe_typed();

    AppModel& model_;
    std::vector<services::PersonEntry> people_;  // without the recovery identity
    std::string selected_;                       // name of the person the lower part acts on
    SecretField reset_;
    SecretField reset_again_;
    std::string new_name_;
    int new_role_ = 0;  // index into kRoles (people_dialog.cpp)
    bool new_administrator_ = false;
    SecretField new_passphrase_;
    SecretField new_passphrase_again_;
    std::string problem_;
    std::string done_;
};

}  // namespace attune::ui
