// export.h: every export Attune makes, one code path for the Export dialog,
// the review's "Copy session note" and `attune export`:
//   1. gather: what the export needs is read from the store once into the
//      plain structs of formats/export_data.h (again only when an option that
//      needs other data changes: the date range, private notes, the kind);
//   2. format: formats/ turns them into text (or a PDF) in memory;
//   3. deliver: the bytes go to a file (formats::write_output: atomic for a
//      regular file), the standard output or the clipboard, and only then is
//      the export audited, with its destination. A delivery that failed
//      leaves no audit row; an audit row that could not be written undoes the
//      delivery (the file is removed, the clipboard emptied) and says so.
//
// Privacy: the private process note is read only when include_private is set,
// and only a session note can carry it.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/model.h"
#include "formats/export_data.h"
#include "formats/export_pdf.h"
#include "formats/export_text.h"

namespace attune::services {

class OpenPractice;

using formats::NoteStyle;
using formats::PaperSize;
using formats::TextFormat;

// What to export, in the command line's words.
struct ExportOptions {
    // txt, md, pdf, csv, json, boris (a BORIS project), boris-tsv (BORIS's
    // aggregated events table), metrics-csv, measures-csv, sequences-csv. A
    // session note is txt or md of one session; everything else is of the
    // case (or one session's data).
    std::string format = "txt";
    std::optional<int> session_number;
    NoteStyle style = NoteStyle::Dap;  // session notes only
    std::string from, to;              // ISO dates; empty = open (not with a session)
    PaperSize paper = PaperSize::A4;   // PDF only
    bool include_private = false;      // session notes only
    // The person's setting (formats::Settings::five_to_one_reference): name
    // Gottman's 5 : 1 reference, with its source, in text and draw it on charts.
    bool five_to_one_reference = false;

    bool session_note() const { return session_number && (format == "txt" || format == "md"); }
    bool is_pdf() const { return format == "pdf"; }
    // A data export (rows for analysis) rather than text for people.
    bool is_data() const {
        return format == "csv" || format == "json" || format == "boris" || format == "boris-tsv" ||
               format == "metrics-csv" || format == "measures-csv" || format == "sequences-csv";
    }
};

// Every format id, in the order the command line lists them.
const std::vector<std::string>& export_formats();
// Empty when the options make sense together; else one sentence saying what
// does not (the command line prints it as a usage error, the dialog shows it).
std::string export_options_problem(const ExportOptions& options);

// Empty when a file of this name can hold this format; else one sentence.
// The name and the content always agree: a .boris file is a BORIS project
// and a BORIS project is a .boris file; BORIS's table is a .tsv (or .txt).
std::string export_file_problem(const ExportOptions& options, const std::filesystem::path& file);

// Where an export goes.
struct ExportDestination {
    enum class Kind { File, StandardOutput, Clipboard } kind = Kind::File;
    std::filesystem::path file;                                  // Kind::File
    std::function<void(const std::string& text)> set_clipboard;  // Kind::Clipboard
    static ExportDestination to_file(std::filesystem::path path) { return {Kind::File, std::move(path), {}}; }
    static ExportDestination to_standard_output() { return {Kind::StandardOutput, {}, {}}; }
    static ExportDestination to_clipboard(std::function<void(const std::string&)> set) {
        return {Kind::Clipboard, {}, std::move(set)};
    }
};

class ExportJob {
public:
    // The case (and, for a session note or one session's data, the session
    // named by options.session_number) whose export this is. Gathers what the
    // options need. Throws attune::Error (NotFound, Invalid for options that
    // do not make sense together).
    ExportJob(OpenPractice& practice, const Case& c, ExportOptions options);

    // New options: gathers again only what they need that is not in memory,
    // then formats. Throws attune::Error.
    void set_options(ExportOptions options);
    const ExportOptions& options() const { return options_; }
    const Case& case_info() const { return case_; }

    // The text exactly as it is copied or saved (for a PDF: the words of the
    // summary, which the PDF lays out with the charts).
    const std::string& text() const { return text_; }
    // What is written: the text, or the PDF's bytes. Throws std::runtime_error
    // when cairo fails.
    std::string bytes() const;
    // Whether the session note asked for private notes has one to include.
    bool has_private_note() const;
    // Sessions in the summary's range (case summaries and metrics).
    std::size_t sessions_in_range() const;

    // Delivers, then audits (see the top of this file). Returns the sentence
    // to show ("Saved to ...", "Copied to the clipboard."). Throws
    // attune::Error when nothing was exported, saying why (Invalid for a file
    // name that does not fit the format, see export_file_problem).
    std::string deliver(const ExportDestination& destination);

private:
    void gather();
    void format();

    OpenPractice& practice_;
    Case case_;
    std::optional<Session> session_;
    ExportOptions options_;
    // Gathered data, kept while the options that need it stay the same.
    std::optional<formats::SessionNoteData> note_;
    bool note_has_private_ = false;
    std::optional<formats::CaseSummaryData> summary_;
    std::optional<formats::ObservationExportData> observations_;  // every rater (CSV, JSON)
    std::optional<formats::BorisExportData> boris_;               // every rater's layer (BORIS)
    std::string gathered_from_, gathered_to_;
    std::string text_;
};

// The audit row's detail: "format=txt session=3 style=dap include_private=no
// out=file path=/home/x/note.txt" (exposed for tests).
std::string export_audit_detail(const ExportJob& job, const ExportDestination& destination);

}  // namespace attune::services
