// bundle_dialogs: exporting and importing case bundles from the caseload.
//   [SECTION] Running the store functions
//   [SECTION] Export dialog
//   [SECTION] Import dialog (and its merge report)
#include "ui/bundle_dialogs.h"

#include <imgui.h>

#include <utility>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "core/text.h"
#include "services/bundles.h"
#include "ui/dialog.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

constexpr size_t kMinPassphrase = 8;  // as `attune bundle export`

// A bundle file name from a case label or clinician name: letters, digits, '-' and '_'.
std::string file_stem(const std::string& name) {
    std::string stem;
    for (char c : name) {
        const bool keep =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (keep)
            stem += c;
        else if (!stem.empty() && stem.back() != '_')
            stem += '_';
    }
    while (!stem.empty() && stem.back() == '_')
        stem.pop_back();
    return stem.empty() ? "cases" : stem;
}

std::filesystem::path home_dir() {
    if (const char* home = std::getenv("HOME"); home && *home) return home;
    return std::filesystem::current_path();
}

bool combo(const char* id, const std::vector<std::string>& items, std::string& chosen) {
    bool changed = false;
    if (ImGui::BeginCombo(id, chosen.c_str())) {
        for (const std::string& item : items)
            if (ImGui::Selectable(item.c_str(), item == chosen)) {
                changed = item != chosen;
                chosen = item;
            }
        ImGui::EndCombo();
    }
    return changed;
}

void error_line(const std::string& error) {
    if (error.empty()) return;
    ScopedColor red(ImGuiCol_Text, readable_on_background(palette::vermillion));
    ImGui::TextWrapped("%s", error.c_str());
}

}  // namespace

void BundleDialogs::open_export(const std::string& case_label, const std::string& clinician) {
    export_.by_clinician = !clinician.empty();
    export_.case_label = case_label;
    export_.clinician = clinician;
    export_.path = (home_dir() / (file_stem(export_.by_clinician ? clinician : case_label) + ".attune")).string();
    export_.passphrase.wipe();
    export_.confirm.wipe();
    export_.recipients.clear();
    export_.include_private = false;
    export_.error.clear();
    export_.written.reset();
    export_modal_->open();
}

void BundleDialogs::open_import() {
    import_.passphrase.wipe();
    import_.error.clear();
    import_.preview.reset();
    import_.report.reset();
    import_modal_->open();
}

void BundleDialogs::draw(AppModel& model, const std::vector<std::string>& cases,
                         const std::vector<std::string>& clinicians) {
    model_ = &model;
    cases_ = &cases;
    clinicians_ = &clinicians;
    export_modal_->draw();
    import_modal_->draw();
}

// [SECTION] Running the store functions

bool BundleDialogs::run_export(AppModel& model) {
    BundleExportState& s = export_;
    s.error.clear();
    s.written.reset();
    BundleSelection selection;
    if (s.by_clinician)
        selection.clinician_name = s.clinician;
    else
        selection.case_label = s.case_label;
    selection.include_private = s.include_private;
    if ((s.by_clinician ? s.clinician : s.case_label).empty())
        s.error = "Choose what to export.";
    else if (trim(s.path).empty())
        s.error = "Enter the file to write.";
    else if (s.to_people && trim(s.recipients).empty())
        s.error = "Enter the names of the people to encrypt the bundle to.";
    else if (!s.to_people && s.passphrase.view().size() < kMinPassphrase)
        s.error = "Use at least 8 characters for the bundle passphrase.";
    else if (!s.to_people && s.passphrase.view() != s.confirm.view())
        s.error = "The two passphrases differ. Type them again.";
    if (!s.error.empty()) return false;
    try {
        if (s.to_people)
            s.written = services::export_bundle_to(model.practice(), selection, trim(s.path), split(s.recipients, ','));
        else
            s.written =
                services::export_bundle(model.practice(), selection, trim(s.path), services::KeyMaterial(s.passphrase.view()));
        s.passphrase.wipe();
        s.confirm.wipe();
        model.info("Bundle written to " + trim(s.path) + ": " + std::to_string(s.written->cases) + " cases.");
        return true;
    } catch (const std::exception& e) {
        s.error = e.what();
        return false;
    }
}

namespace {

// Why the import dialog cannot run yet, or empty.
std::string import_refusal(const BundleImportState& s) {
    // A bundle sealed to people's keys opens with the signed-in person's own key.
    if (trim(s.path).empty()) return "Enter the bundle file.";
    if (s.passphrase.empty() && !services::is_sealed_bundle(trim(s.path))) return "Enter the bundle's passphrase.";
    return "";
}

}  // namespace

bool BundleDialogs::run_preview(AppModel& model) {
    BundleImportState& s = import_;
    s.report.reset();
    s.preview.reset();
    s.error = import_refusal(s);
    if (!s.error.empty()) return false;
    try {
        s.preview =
            services::preview_bundle_import(model.practice(), trim(s.path), services::KeyMaterial(s.passphrase.view()));
        s.focus_confirm = true;
        return true;
    } catch (const std::exception& e) {
        s.error = e.what();
        return false;
    }
}

bool BundleDialogs::run_import(AppModel& model) {
    BundleImportState& s = import_;
    s.report.reset();
    s.error = import_refusal(s);
    if (!s.error.empty()) return false;
    try {
        s.report = services::import_bundle(model.practice(), trim(s.path), services::KeyMaterial(s.passphrase.view()));
        s.preview.reset();
        s.passphrase.wipe();
        return true;
    } catch (const std::exception& e) {
        s.error = e.what();
        return false;
    }
}

// [SECTION] Export dialog

class BundleDialogs::ExportModal final : public Modal {
public:
    explicit ExportModal(BundleDialogs& owner) : Modal("Export bundle"), owner_(owner) {}

private:
    void on_close() override {
        owner_.export_.passphrase.wipe();
        owner_.export_.confirm.wipe();
    }

    void draw_content() override {
        BundleExportState& s = owner_.export_;
        const float width = ImGui::GetFontSize() * 24;
        ScopedWrap wrap(width + ImGui::GetFontSize() * 8);
        ImGui::TextWrapped(
            "One encrypted file with the cases, sessions, observations, ratings, progress notes, "
            "signatures and comments, for a supervisor on another machine, signed by you. Encrypt it to "
            "the recipients' own keys (people of this practice, or of another practice whose key was "
            "imported), or give it a passphrase of its own and tell it to them another way than the file.");
        int scope = s.by_clinician ? 1 : 0;
        ImGui::RadioButton("One case", &scope, 0);
        ImGui::SameLine();
        ImGui::RadioButton("All cases of a clinician", &scope, 1);
        s.by_clinician = scope == 1;
        ImGui::SetNextItemWidth(width);
        if (s.by_clinician)
            combo("Clinician##bundle", *owner_.clinicians_, s.clinician);
        else
            combo("Case##bundle", *owner_.cases_, s.case_label);
        ImGui::SetNextItemWidth(width);
        focus_here_on_appearing();
        input_text("File##bundle_out", s.path);
        int protection = s.to_people ? 1 : 0;
        ImGui::RadioButton("Bundle passphrase", &protection, 0);
        ImGui::SameLine();
        ImGui::RadioButton("Encrypt to people (their keys)", &protection, 1);
        s.to_people = protection == 1;
        ImGui::SetNextItemWidth(width);
        if (s.to_people) {
            input_text("People (names, comma-separated)##bundle_to", s.recipients);
            ImGui::TextDisabled("Only they can open it, each with their own passphrase.");
        } else {
            secret_input("Bundle passphrase##bundle_pass1", s.passphrase);
            ImGui::SetNextItemWidth(width);
            secret_input("Type it again##bundle_pass2", s.confirm);
        }
        ImGui::Checkbox("Include private process notes", &s.include_private);
        if (s.include_private) {
            ScopedColor red(ImGuiCol_Text, readable_on_background(palette::vermillion));
            ImGui::TextWrapped(
                "Private process notes (psychotherapy notes) will leave this database. Include them only "
                "when the recipient is entitled to read them.");
        }
        error_line(s.error);
        if (s.written) ImGui::TextWrapped("Written: %s.", counts_text(*s.written).c_str());
        const bool run = dialog_button("Export");
        ImGui::SameLine();
        if (dialog_button(s.written ? "Close" : "Cancel"))
            close();
        else if (run || enter_confirms())
            owner_.run_export(*owner_.model_);
    }

    BundleDialogs& owner_;
};

// [SECTION] Import dialog (and its merge report)

class BundleDialogs::ImportModal final : public Modal {
public:
    explicit ImportModal(BundleDialogs& owner) : Modal("Import bundle"), owner_(owner) {
        keep_centred_ = true;  // the preview and the merge report make it tall
    }

private:
    void on_close() override { owner_.import_.passphrase.wipe(); }

    void draw_content() override {
        BundleImportState& s = owner_.import_;
        const float width = ImGui::GetFontSize() * 24;
        ScopedWrap wrap(width + ImGui::GetFontSize() * 8);
        ImGui::TextWrapped(
            "Merges a bundle into this database by uuid: what is here already stays, newer versions "
            "update, and edits made on both sides are reported as conflicts and not overwritten.");
        ImGui::SetNextItemWidth(width);
        focus_here_on_appearing();
        bool edited = input_text("File##bundle_in", s.path);
        ImGui::SetNextItemWidth(width);
        edited |= secret_input("Bundle passphrase##bundle_in_pass", s.passphrase);
        if (edited) s.preview.reset();  // a preview of another file, or of no file
        ImGui::TextDisabled("A bundle encrypted to you opens with your own key: leave the passphrase empty.");
        error_line(s.error);
        if (s.preview) {
            // What the import will do, before anything is written.
            draw_preview(*s.preview);
            const bool confirm = dialog_button("Confirm import");
            // Enter again confirms: the keyboard leaves the passphrase field for this button.
            if (std::exchange(s.focus_confirm, false)) keyboard_to_last_item();
            ImGui::SameLine();
            if (dialog_button("Cancel"))
                close();
            else if (confirm || enter_confirms())
                owner_.run_import(*owner_.model_);
            return;
        }
        const bool run = dialog_button("Import");
        ImGui::SameLine();
        if (dialog_button(s.report ? "Close" : "Cancel"))
            close();
        else if (run || enter_confirms())
            owner_.run_preview(*owner_.model_);
        if (s.report) draw_report(*s.report, width);
    }

    static void draw_sender(const BundleImportReport& r) {
        if (!r.sealed_to.empty()) {
            std::string names;
            for (const std::string& n : r.sealed_to)
                names += (names.empty() ? "" : ", ") + n;
            ImGui::TextWrapped("Encrypted to %s; opened with your key.", names.c_str());
        }
        ImGui::TextWrapped("Sent by %s (key %s): %s", r.sender_name.c_str(), r.sender_fingerprint.c_str(),
                           r.sender_known ? "a key this practice knows for them"
                                          : "NOT a key this practice knows for them; compare the fingerprint with "
                                            "theirs before trusting its signatures");
    }

    static void draw_preview(const BundleImportReport& r) {
        ImGui::Separator();
        heading("What the import will do");
        draw_sender(r);
        if (ImGui::BeginTable("##bundle_preview", 5, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
            for (const char* title : {"", "New", "Changed", "Unchanged", "Conflicts"})
                ImGui::TableSetupColumn(title);
            ImGui::TableHeadersRow();
            for (const BundleChange& c : bundle_changes(r)) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(c.kind.c_str());
                for (const int n : {c.added, c.changed, c.unchanged, c.conflicts}) {
                    ImGui::TableNextColumn();
                    ImGui::Text("%d", n);
                }
            }
            ImGui::EndTable();
        }
        if (!r.conflicts.empty())
            ImGui::TextColored(readable_on_background(palette::vermillion),
                               "%d conflicts: this database's version will be kept.",
                               static_cast<int>(r.conflicts.size()));
        ImGui::TextDisabled("People arrive with the least role; nobody here is changed.");
        ImGui::TextDisabled("Nothing is written until you confirm.");
    }

    static void draw_report(const BundleImportReport& r, float width) {
        ImGui::Separator();
        heading("Merge report");
        draw_sender(r);
        ImGui::Text("Added: %d", r.created.total());
        if (r.created.total() > 0) ImGui::TextDisabled("  %s", counts_text(r.created).c_str());
        ImGui::Text("Updated: %d", r.updated.total());
        if (r.updated.total() > 0) ImGui::TextDisabled("  %s", counts_text(r.updated).c_str());
        ImGui::Text("Unchanged: %d", r.unchanged());
        if (r.conflicts.empty()) {
            ImGui::Text("Conflicts: 0");
            return;
        }
        ImGui::TextColored(readable_on_background(palette::vermillion),
                           "Conflicts: %d (this database's version was kept)", static_cast<int>(r.conflicts.size()));
        const float height =
            std::min(static_cast<float>(r.conflicts.size()), 8.0f) * ImGui::GetTextLineHeightWithSpacing() * 2.0f;
        ImGui::BeginChild("##conflicts", ImVec2(width + ImGui::GetFontSize() * 8, height), true);
        for (const std::string& c : r.conflicts)
            ImGui::BulletText("%s", c.c_str());
        ImGui::EndChild();
    }

    BundleDialogs& owner_;
};

BundleDialogs::BundleDialogs()
    : export_modal_(std::make_unique<ExportModal>(*this)), import_modal_(std::make_unique<ImportModal>(*this)) {}

BundleDialogs::~BundleDialogs() = default;

}  // namespace attune::ui
