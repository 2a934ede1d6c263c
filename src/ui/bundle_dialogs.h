// bundle_dialogs.h: "Export bundle..." and "Import bundle..." of the caseload
// view: the same use cases as `attune bundle export/import`
// (services/bundles.h), run once when the user confirms, never per frame.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/records.h"
#include "ui/app_model.h"
#include "ui/dialog.h"
#include "ui/secret_field.h"

namespace attune::ui {

struct BundleExportState {
    bool by_clinician = false;  // false: one case
    std::string case_label;
    std::string clinician;
    std::string path;
    // true: sealed to `recipients` (names, comma-separated) with their public
    // keys; false: the bundle passphrase typed twice.
    bool to_people = false;
    std::string recipients;
    SecretField passphrase;
    SecretField confirm;
    bool include_private = false;
    std::string error;
    std::optional<BundleCounts> written;  // set after a successful export
};

struct BundleImportState {
    std::string path;
    SecretField passphrase;  // not used for a bundle sealed to people's keys
    std::string error;
    // What the import would do, shown before its "Confirm import" (dropped
    // when the file or passphrase is edited).
    std::optional<BundleImportReport> preview;
    bool focus_confirm = false;  // the preview just came: the keyboard goes to "Confirm import"
    std::optional<BundleImportReport> report;  // set after a successful import
};

class BundleDialogs {
public:
    BundleDialogs();
    ~BundleDialogs();
    // Opens the export dialog with one case (or, when `clinician` is set, that
    // clinician's cases) preselected; `cases` and `clinicians` fill its combos.
    void open_export(const std::string& case_label, const std::string& clinician);
    void open_import();
    // Draws whichever dialog is open (modal popups "Export bundle" / "Import bundle").
    void draw(AppModel& model, const std::vector<std::string>& cases, const std::vector<std::string>& clinicians);

    // What the dialogs' buttons run; false (and `error` set) when refused or failed.
    bool run_export(AppModel& model);
    // "Import" previews (nothing is written); "Confirm import" imports.
    bool run_preview(AppModel& model);
    bool run_import(AppModel& model);

    BundleExportState& export_state() { return export_; }
    BundleImportState& import_state() { return import_; }

private:
    class ExportModal;
    class ImportModal;
    friend class ExportModal;
    friend class ImportModal;

    BundleExportState export_;
    BundleImportState import_;
    // Set by draw() for the modals' frame.
    AppModel* model_ = nullptr;
    const std::vector<std::string>* cases_ = nullptr;
    const std::vector<std::string>* clinicians_ = nullptr;
    std::unique_ptr<Modal> export_modal_;
    std::unique_ptr<Modal> import_modal_;
};

}  // namespace attune::ui
