// Index:
// [SECTION] Formats and file names
// [SECTION] Opening and options
// [SECTION] The job (services/export.h: no store access per frame)
// [SECTION] Copy and save
// [SECTION] Drawing
#include "ui/export_dialog.h"

#include <imgui.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include "core/dates.h"
#include "core/text.h"
#include "services/access.h"
#include "ui/app_model.h"
#include "ui/clipboard_audit.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

// [SECTION] Formats and file names

struct CaseFormat {
    const char* id;         // the command line's --format
    const char* label;      // what the clinician reads
    const char* file_name;  // after the case label
};
constexpr CaseFormat kCaseFormats[] = {
    {"md", "Case summary, Markdown", "case summary.md"},
    {"txt", "Case summary, plain text", "case summary.txt"},
    {"pdf", "Case summary, PDF (with trend charts)", "case summary.pdf"},
    {"csv", "Observations, CSV (spreadsheet)", "observations.csv"},
    {"json", "Observations, JSON", "observations.json"},
    {"boris", "BORIS project, every rater's coding (.boris)", "BORIS project.boris"},
    {"boris-tsv", "BORIS aggregated events, TSV", "BORIS events.tsv"},
    {"metrics-csv", "Metrics per session, CSV", "session metrics.csv"},
    {"measures-csv", "Couple-reported measures, CSV", "measures.csv"},
    {"sequences-csv", "Sequences between the partners, CSV", "sequences.csv"},
    {"excerpts", "Excerpts of recordings with their codes, text", "excerpts.txt"},
};
constexpr int kCaseFormatCount = static_cast<int>(sizeof(kCaseFormats) / sizeof(kCaseFormats[0]));
constexpr int kPdfFormat = 2;

// Data exports can hold thousands of rows; the preview shows their start.
constexpr std::size_t kPreviewLines = 200;

// A case label as part of a file name: no folder separators or control characters.
std::string file_name_part(const std::string& label) {
    std::string out;
    for (const char c : label) {
        const auto u = static_cast<unsigned char>(c);
        out += (c == '/' || c == '\\' || c == ':' || u < 0x20) ? '-' : c;
    }
    out = trim(out);
    while (!out.empty() && out.front() == '.')
        out.erase(out.begin());
    return out.empty() ? std::string("case") : out;
}

// ~/Documents when it exists, else the home folder.
std::filesystem::path default_folder() {
    const char* home = std::getenv("HOME");
    const std::filesystem::path base = home && *home ? std::filesystem::path(home) : std::filesystem::current_path();
    std::error_code ec;
    if (std::filesystem::is_directory(base / "Documents", ec)) return base / "Documents";
    return base;
}

// "~/notes/x.txt" -> "$HOME/notes/x.txt"; surrounding spaces dropped.
std::filesystem::path expand_path(const std::string& typed) {
    const std::string text = trim(typed);
    const char* home = std::getenv("HOME");
    if (home && *home && (text == "~" || text.rfind("~/", 0) == 0))
        return std::filesystem::path(std::string(home) + text.substr(1));
    return std::filesystem::path(text);
}

std::size_t count_lines(const std::string& text) {
    std::size_t lines = 0;
    for (const char c : text)
        lines += c == '\n' ? 1 : 0;
    if (!text.empty() && text.back() != '\n') ++lines;
    return lines;
}

}  // namespace

ExportDialog::ExportDialog(AppModel& model)
    : Modal("Export##export_dialog", ImGuiWindowFlags_NoSavedSettings, true), model_(model) {}

ExportDialog::~ExportDialog() {
    if (model_.shown_export_dialog() == this) model_.set_shown_export_dialog(nullptr);
}

// [SECTION] Opening and options

void ExportDialog::reset_options() {
    style_ = services::NoteStyle::Dap;
    markdown_ = false;
    case_format_ = 0;
    paper_ = services::PaperSize::A4;
    include_private_ = false;  // never carried over from an earlier export
    from_edit_.fill('\0');
    to_edit_.fill('\0');
    from_.clear();
    to_.clear();
    range_problem_.clear();
    job_.reset();
    error_.clear();
    status_.clear();
    default_path_.clear();
    path_.clear();
    open();
}

void ExportDialog::open_session_note(const Case& c, const Session& s) {
    reset_options();
    subject_ = Subject::SessionNote;
    case_ = c;
    session_ = s;
    may_include_private_ = false;
    model_.attempt([&] { may_include_private_ = services::may_read_process_notes(model_.practice(), c); });
    update_job();
    update_default_path();
}

void ExportDialog::open_case(const Case& c, const std::string& format) {
    reset_options();
    for (int i = 0; i < kCaseFormatCount; ++i)
        if (format == kCaseFormats[i].id) case_format_ = i;
    subject_ = Subject::Case;
    case_ = c;
    update_job();
    update_default_path();
}

std::string ExportDialog::format_id() const {
    if (subject_ == Subject::SessionNote) return markdown_ ? "md" : "txt";
    return kCaseFormats[case_format_].id;
}

bool ExportDialog::is_pdf() const {
    return subject_ == Subject::Case && case_format_ == kPdfFormat;
}

std::string ExportDialog::default_file_name() const {
    const std::string label = file_name_part(case_.label);
    if (subject_ == Subject::SessionNote)
        return label + " session " + std::to_string(session_.number) + " note" +
               (include_private_ ? " with private notes" : "") + (markdown_ ? ".md" : ".txt");
    return label + " " + kCaseFormats[case_format_].file_name;
}

void ExportDialog::update_default_path() {
    const std::string wanted = (default_folder() / default_file_name()).string();
    if (path_.empty() || path_ == default_path_) path_ = wanted;
    default_path_ = wanted;
    std::error_code ec;
    path_exists_ = std::filesystem::exists(expand_path(path_), ec);
}

// [SECTION] The job (services/export.h: no store access per frame)

services::ExportOptions ExportDialog::options() const {
    services::ExportOptions o;
    o.format = format_id();
    o.five_to_one_reference = model_.five_to_one_reference();
    if (subject_ == Subject::SessionNote) {
        o.session_number = session_.number;
        o.style = style_;
        o.include_private = include_private_;
    } else {
        o.from = from_;
        o.to = to_;
        if (is_pdf()) o.paper = paper_;
    }
    return o;
}

bool ExportDialog::update_job() {
    error_.clear();
    try {
        if (job_)
            job_->set_options(options());
        else
            job_ = std::make_unique<services::ExportJob>(model_.practice(), case_, options());
    } catch (const std::exception& e) {
        error_ = std::string("Could not read the case: ") + e.what();
        preview_.clear();
        return false;
    }
    update_preview();
    return true;
}

void ExportDialog::update_preview() {
    preview_note_.clear();
    const std::string& content = job_->text();
    const std::string id = format_id();
    preview_ = content;
    const std::size_t lines = count_lines(content);
    if (lines > kPreviewLines) {
        std::size_t end = 0;
        for (std::size_t i = 0; i < kPreviewLines; ++i)
            end = content.find('\n', end) + 1;
        preview_ = content.substr(0, end);
        preview_note_ = "The preview shows the first " + std::to_string(kPreviewLines) + " of " +
                        std::to_string(lines) + " lines; the file and the clipboard get all of them.";
    }
    if (is_pdf())
        preview_note_ = "The PDF has this text, laid out for paper, with the trend charts; it is made when you save.";
    else if (id == "csv" || id == "metrics-csv" || id == "measures-csv" || id == "sequences-csv")
        preview_note_ += preview_note_.empty() ? "Lines end in CR LF, as spreadsheets expect." : "";
    else if (id == "boris")
        preview_note_ =
            "A BORIS project: one observation per session and rater; open it in BORIS with File > Open "
            "project.";
}

// [SECTION] Copy and save

void ExportDialog::copy_to_clipboard() {
    error_.clear();
    status_.clear();
    if (is_pdf() || !job_) return;
    try {
        status_ = job_->deliver(services::ExportDestination::to_clipboard(
            [](const std::string& text) { set_clipboard_recorded_elsewhere(text); }));
    } catch (const std::exception& e) {
        error_ = std::string("Nothing was copied: ") + e.what() + ".";
    }
}

void ExportDialog::save_to_file() {
    error_.clear();
    status_.clear();
    if (!job_) return;
    const std::filesystem::path path = expand_path(path_);
    std::error_code ec;
    if (path.empty() || path.filename().empty()) {
        error_ = "Type a file name to save to. Nothing was saved.";
        return;
    }
    if (std::filesystem::is_directory(path, ec)) {
        error_ = path.string() + " is a folder: add a file name. Nothing was saved.";
        return;
    }
    try {
        status_ = job_->deliver(services::ExportDestination::to_file(path));
    } catch (const std::exception& e) {
        error_ = std::string(e.what()) + ". Nothing was saved.";
        return;
    }
    path_exists_ = true;
    model_.info("Exported to " + path.string());
}

// [SECTION] Drawing

void ExportDialog::on_open() {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x * 0.8f, viewport->WorkSize.y * 0.86f), ImGuiCond_Always);
    ImGui::SetNextWindowPos(
        ImVec2(viewport->WorkPos.x + viewport->WorkSize.x * 0.5f, viewport->WorkPos.y + viewport->WorkSize.y * 0.5f),
        ImGuiCond_Always, ImVec2(0.5f, 0.5f));
}

void ExportDialog::on_close() {
    if (model_.shown_export_dialog() == this) model_.set_shown_export_dialog(nullptr);
}

void ExportDialog::draw_content() {
    model_.set_shown_export_dialog(this);
    const std::string title = subject_ == Subject::SessionNote
                                  ? "Session note: " + case_.label + ", session " + std::to_string(session_.number) +
                                        " (" + session_.date + ")"
                                  : "Case " + case_.label + ": summary or data for research";
    heading(title.c_str());
    draw_options();
    ImGui::Separator();

    // Below the preview: the save row, a line of notes and the buttons.
    const float below = ImGui::GetFrameHeightWithSpacing() * 2.0f + ImGui::GetTextLineHeightWithSpacing() * 2.0f;
    draw_preview(ImGui::GetContentRegionAvail().y - below);
    draw_save_row();
}

void ExportDialog::draw_options() {
    bool reformat = false;
    bool regather = false;
    const float label_width = ImGui::GetFontSize() * 7.5f;
    const auto label = [&](const char* text) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(text);
        ImGui::SameLine(label_width);
    };
    if (subject_ == Subject::SessionNote) {
        label("Form");
        if (ImGui::RadioButton("DAP (Data, Assessment, Plan)", style_ == services::NoteStyle::Dap)) {
            style_ = services::NoteStyle::Dap;
            reformat = true;
        }
        ImGui::SameLine();
        if (ImGui::RadioButton("SOAP", style_ == services::NoteStyle::Soap)) {
            style_ = services::NoteStyle::Soap;
            reformat = true;
        }
        label("Format");
        if (ImGui::RadioButton("Plain text (to paste into a record)", !markdown_)) {
            markdown_ = false;
            reformat = true;
        }
        ImGui::SameLine();
        if (ImGui::RadioButton("Markdown", markdown_)) {
            markdown_ = true;
            reformat = true;
        }
        label("Privacy");
        if (!may_include_private_)
            ImGui::TextDisabled("Private process notes stay with the case's clinician: never in your exports.");
        else if (ImGui::Checkbox("Include private process notes", &include_private_))
            regather = true;
        if (include_private_ && may_include_private_) {
            ImGui::SameLine();
            const bool has_note = !job_ || job_->has_private_note();
            {
                ScopedColor red(ImGuiCol_Text, readable_on_background(palette::vermillion));
                ImGui::TextUnformatted(has_note
                                           ? "Warning: the private process notes will be in this export."
                                           : "This session has no private process note: there is none to include.");
            }
            if (has_note) {
                ImGui::SetCursorPosX(label_width);
                ImGui::TextWrapped(
                    "They are kept apart from the record on purpose; paste or file them only where "
                    "psychotherapy notes may go.");
            }
        }
    } else {
        label("Export");
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 20);
        if (ImGui::BeginCombo("##format", kCaseFormats[case_format_].label)) {
            for (int i = 0; i < kCaseFormatCount; ++i)
                if (ImGui::Selectable(kCaseFormats[i].label, i == case_format_) && i != case_format_) {
                    case_format_ = i;
                    regather = true;
                }
            ImGui::EndCombo();
        }
        if (is_pdf()) {
            ImGui::SameLine();
            ImGui::TextUnformatted("Paper");
            ImGui::SameLine();
            if (ImGui::RadioButton("A4", paper_ == services::PaperSize::A4)) {
                paper_ = services::PaperSize::A4;
                reformat = true;
            }
            ImGui::SameLine();
            if (ImGui::RadioButton("US Letter", paper_ == services::PaperSize::Letter)) {
                paper_ = services::PaperSize::Letter;
                reformat = true;
            }
        }
        draw_date_range();
        label("Privacy");
        ImGui::TextDisabled("Case summaries and data exports never contain private process notes.");
    }
    if (regather || reformat) {
        update_job();
        update_default_path();
        status_.clear();
    }
}

void ExportDialog::draw_date_range() {
    const float label_width = ImGui::GetFontSize() * 7.5f;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Sessions");
    ImGui::SameLine(label_width);
    ImGui::TextUnformatted("from");
    ImGui::SameLine();
    const float date_width = ImGui::CalcTextSize("YYYY-MM-DD").x + ImGui::GetStyle().FramePadding.x * 2 + 4;
    ImGui::SetNextItemWidth(date_width);
    bool edited = ImGui::InputTextWithHint("##from", "YYYY-MM-DD", from_edit_.data(), from_edit_.size(),
                                           ImGuiInputTextFlags_CharsDecimal);
    ImGui::SameLine();
    ImGui::TextUnformatted("to");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(date_width);
    edited |= ImGui::InputTextWithHint("##to", "YYYY-MM-DD", to_edit_.data(), to_edit_.size(),
                                       ImGuiInputTextFlags_CharsDecimal);
    ImGui::SameLine();
    if (edited) {
        const std::string from = trim(from_edit_.data());
        const std::string to = trim(to_edit_.data());
        range_problem_.clear();
        if ((!from.empty() && !is_iso_date(from)) || (!to.empty() && !is_iso_date(to)))
            range_problem_ = "Dates as YYYY-MM-DD, e.g. 2026-03-02.";
        else if (!from.empty() && !to.empty() && from > to)
            range_problem_ = "The first date is after the second.";
        else if (from != from_ || to != to_) {
            // A new range: the only option that reads the store again for a case.
            from_ = from;
            to_ = to;
            update_job();
            status_.clear();
        }
    }
    if (!range_problem_.empty()) {
        ScopedColor red(ImGuiCol_Text, readable_on_background(palette::vermillion));
        ImGui::TextUnformatted(range_problem_.c_str());
    } else if (job_ && !options().is_data()) {
        const std::size_t n = job_->sessions_in_range();
        const std::string count = std::to_string(n) + (n == 1 ? " session" : " sessions");
        ImGui::TextDisabled("%s", (from_.empty() && to_.empty() ? "all " + count + " of the case; type dates to narrow"
                                                                : count + " in this range")
                                      .c_str());
    } else {
        ImGui::TextDisabled("%s", from_.empty() && to_.empty() ? "all sessions; type dates to narrow" : "");
    }
}

void ExportDialog::draw_preview(float height) {
    ImGui::TextDisabled("Preview");
    if (!preview_note_.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled("- %s", preview_note_.c_str());
    }
    const float h = std::max(height - ImGui::GetTextLineHeightWithSpacing(), ImGui::GetFontSize() * 4);
    // Read-only: the text is what will be exported; it is edited in the session, not here.
    // Notes and summaries wrap so that every sentence can be read; data rows keep
    // their lines and scroll sideways, as in a spreadsheet.
    const std::string id = format_id();
    const bool data = options().is_data();
    ScopedColor background(ImGuiCol_ChildBg, ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
    ImGui::BeginChild("##preview", ImVec2(-1.0f, h), true, data ? ImGuiWindowFlags_HorizontalScrollbar : 0);
    if (data) {
        ImGui::TextUnformatted(preview_.data(), preview_.data() + preview_.size());
    } else {
        ScopedWrap wrap;
        ImGui::TextUnformatted(preview_.data(), preview_.data() + preview_.size());
    }
    ImGui::EndChild();
}

void ExportDialog::draw_save_row() {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Save to");
    ImGui::SameLine();
    const float button_width = ImGui::CalcTextSize("Save to file").x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - button_width - ImGui::GetStyle().ItemSpacing.x);
    focus_here_on_appearing();
    const bool enter = input_text("##path", path_, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::IsItemEdited()) {
        std::error_code ec;
        path_exists_ = std::filesystem::exists(expand_path(path_), ec);
    }
    ImGui::SameLine();
    const bool ready = job_ != nullptr;
    bool save = false;
    {
        ScopedDisabled disabled(!ready);
        save = dialog_button("Save to file");
    }
    if ((enter || save) && ready) save_to_file();

    // One line: the problem, else what happened, else a hint about the file.
    if (!error_.empty()) {
        ScopedColor red(ImGuiCol_Text, readable_on_background(palette::vermillion));
        ImGui::TextWrapped("%s", error_.c_str());
    } else if (!status_.empty()) {
        ImGui::TextColored(readable_on_background(palette::bluish_green), "%s", status_.c_str());
    } else if (path_exists_) {
        ImGui::TextDisabled("A file with this name exists; saving replaces it.");
    } else {
        ImGui::TextDisabled("Press Enter in the file name to save. Each copy and save is recorded in the audit log.");
    }

    if (!is_pdf()) {
        if (dialog_button("Copy to clipboard")) copy_to_clipboard();
        ImGui::SameLine();
    }
    if (dialog_button("Close")) close();
    ImGui::SameLine();
    ImGui::TextDisabled("Esc closes");
}

}  // namespace attune::ui
