// export_dialog.h: the Export dialog. Opened from the session review (a
// session note, DAP or SOAP, plain text or Markdown) and from the case trends
// view (the case summary as Markdown, text or PDF; the data as CSV, JSON,
// a BORIS project or table, or metrics CSV; an optional date range).
//
// Everything is services::ExportJob, the code path of `attune export` and
// the review's copy: the preview, the clipboard, the saved file and the
// command line's output are the same bytes, and each copy and save is
// audited after it happened, with the command line's detail and its
// destination. The job reads the store when the dialog opens and when an
// option that needs other data changes; a frame only draws.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/model.h"
#include "services/export.h"
#include "ui/dialog.h"

namespace attune::ui {

class AppModel;

class ExportDialog final : public Modal {
public:
    explicit ExportDialog(AppModel& model);
    ~ExportDialog() override;
    ExportDialog(const ExportDialog&) = delete;
    ExportDialog& operator=(const ExportDialog&) = delete;

    // Opens the dialog on the next draw() for one ended session's note.
    void open_session_note(const Case& c, const Session& s);
    // Opens the dialog on the next draw() for a whole case (summary and data),
    // with `format` (a --format id of a case export) chosen; empty = the first.
    void open_case(const Case& c, const std::string& format = "");

    // The text the preview shows (for a data export, its first lines).
    const std::string& preview() const { return preview_; }
    // The plain message shown when the last copy or save failed; empty otherwise.
    const std::string& problem() const { return error_; }

private:
    enum class Subject { SessionNote, Case };
    void on_open() override;
    void draw_content() override;
    void on_close() override;

    void reset_options();
    // Hands the current options to the job (which gathers only what it lacks
    // and formats); false (and error_ set) on failure.
    bool update_job();
    // The preview's text and note from the job's text.
    void update_preview();
    services::ExportOptions options() const;
    // The command line's --format name of the current choice (services::export_formats()).
    std::string format_id() const;
    bool is_pdf() const;
    std::string default_file_name() const;
    void update_default_path();
    void copy_to_clipboard();
    void save_to_file();

    void draw_options();
    void draw_date_range();
    void draw_preview(float height);
    void draw_save_row();

    AppModel& model_;
    Subject subject_ = Subject::SessionNote;
    Case case_;
    Session session_;

    // [SECTION] Options
    services::NoteStyle style_ = services::NoteStyle::Dap;
    bool markdown_ = false;  // session note: Markdown, else plain text
    int case_format_ = 0;    // index into the case formats (export_dialog.cpp)
    services::PaperSize paper_ = services::PaperSize::A4;
    bool include_private_ = false;
    bool may_include_private_ = false;  // the case's own clinician (only they read its process notes)
    std::array<char, 16> from_edit_{};  // date range as typed; applied once valid
    std::array<char, 16> to_edit_{};
    std::string from_;  // the applied range (ISO dates; empty = open)
    std::string to_;
    std::string range_problem_;

    // [SECTION] The export: gathered data, kept while the options that need it stay
    std::unique_ptr<services::ExportJob> job_;

    // [SECTION] Output
    std::string preview_;
    std::string preview_note_;  // e.g. "The preview shows the first 200 of 2,401 lines."
    std::string path_;
    std::string default_path_;  // the path field follows the options until the user edits it
    bool path_exists_ = false;
    std::string error_;   // one plain sentence; nothing was exported
    std::string status_;  // what the last copy or save did
};

}  // namespace attune::ui
