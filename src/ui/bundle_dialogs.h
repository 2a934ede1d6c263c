// bundle_dialogs.h: "Export bundle..." and "Import bundle..." of the caseload
// view: the same use cases as `attune bundle export/import`
// (services/bundles.h), run once when the user confirms, never per frame.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/records.h"
#include "ui/app_model.h"

namespace attune::ui {

struct BundleExportState {
    bool by_clinician = false;  // false: one case
    std::string case_label;
    std::string clinician;
    std::string path;
    std::string passphrase;
    std::string confirm;
    bool include_private = false;
    std::string error;
    std::optional<BundleCounts> written;  // set after a successful export
};

struct BundleImportState {
    std::string path;
    std::string passphrase;
    std::string error;
    std::optional<BundleImportReport> report;  // set after a successful import
};

class BundleDialogs {
public:
    // Opens the export dialog with one case (or, when `clinician` is set, that
    // clinician's cases) preselected; `cases` and `clinicians` fill its combos.
    void open_export(const std::string& case_label, const std::string& clinician);
    void open_import();
    // Draws whichever dialog is open (modal popups "Export bundle" / "Import bundle").
    void draw(AppModel& model, const std::vector<std::string>& cases, const std::vector<std::string>& clinicians);

    // What the dialogs' buttons run; false (and `error` set) when refused or failed.
    bool run_export(AppModel& model);
    bool run_import(AppModel& model);

    BundleExportState& export_state() { return export_; }
    BundleImportState& import_state() { return import_; }

private:
    void draw_export(AppModel& model, const std::vector<std::string>& cases,
                     const std::vector<std::string>& clinicians);
    void draw_import(AppModel& model);

    BundleExportState export_;
    BundleImportState import_;
    bool open_export_ = false;
    bool open_import_ = false;
};

}  // namespace attune::ui
