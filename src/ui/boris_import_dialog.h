// boris_import_dialog.h: Practice > "Import from BORIS...": the options of
// `attune import boris`, a preview of what will be imported and what left
// out (services::prepare_boris_import), and the import of exactly that plan
// on confirmation (services::import_boris). The store is read when the user
// asks for the preview and written when they confirm, never per frame; any
// change of an option drops the preview, so what is imported is always what
// was shown.
#pragma once

#include <optional>
#include <string>

#include "services/boris_import.h"
#include "ui/dialog.h"

namespace attune::ui {

class AppModel;

struct BorisImportForm {
    std::string path;
    std::string case_label;
    std::string partner_a;  // as BORIS spells them; empty for an existing case = its partners
    std::string partner_b;
    std::string therapist = "Therapist";
    std::string rater;  // empty: the observation's own rater, else you
    bool into_existing = false;
    int session_number = 0;  // with into_existing: 0 = the session of the BORIS date
    bool close_unpaired = false;
    std::string observations;  // comma list of BORIS observation ids; empty = all
    std::string behavior_map;  // "BORIS=ATTUNE, ..."
    std::string map_file;
    std::string ignored_subjects;  // comma list
};

class BorisImportDialog final : public Modal {
public:
    explicit BorisImportDialog(AppModel& model);

    BorisImportForm& form() { return form_; }
    // What the buttons run. preview(): false (and problem() set) when refused.
    bool preview();
    // Imports the previewed plan; false when there is none or it failed.
    bool import();

    // The preview's text (empty before "Preview"), the last report, the problem.
    const std::string& preview_text() const { return preview_text_; }
    const std::optional<services::ImportReport>& report() const { return report_; }
    const std::string& problem() const { return error_; }

private:
    void on_open() override;
    void draw_content() override;
    void draw_options(float width);
    // Drops the preview: an option changed.
    void invalidate();
    services::BorisImportOptions options() const;

    AppModel& model_;
    BorisImportForm form_;
    std::optional<services::PreparedBorisImport> prepared_;
    std::string preview_text_;
    std::optional<services::ImportReport> report_;
    std::string report_text_;
    std::string error_;
};

}  // namespace attune::ui
