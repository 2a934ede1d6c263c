// access_audit.h: the audit rows of reads (issue 17 item 6). Who looked at
// what: every case or session opened or reviewed in the window (once per
// opening), every command-line command that reads the practice, every
// screenshot. The window and the command line call the same use case here;
// neither writes an audit row of its own.
//
// Exports and the window's Copy buttons are recorded by the export itself
// (services/export.h), with where the data went; any other copy out of the
// window (Ctrl+C or Ctrl+X in a field) by record_clipboard_copy.
//
// A read is recorded before anything of it is shown: when the row cannot be
// written these throw attune::Error and the caller shows nothing. A practice
// opened read-only records its reads too (the only thing such an open writes).
#pragma once

#include "core/model.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace attune::services {

class OpenPractice;

// [SECTION] The window
// The case's page (its trends and sessions): action "open", entity "case".
void record_case_opened(OpenPractice& practice, RowId case_id);
// A session on the live screen, or its review: action "open" or "review", entity "session".
enum class SessionOpening { Live, Review };
void record_session_opened(OpenPractice& practice, RowId session_id, SessionOpening how);
// A view of the whole practice (the audit trail, the people): action "open", entity "view".
void record_view_opened(OpenPractice& practice, const std::string& view);

// Text copied to the clipboard from a field of the window (Ctrl+C, Ctrl+X):
// action "copy", entity the session on screen, else the case, else the
// practice; the detail says how many characters and from which screen, never
// what they were.
struct ClipboardCopy {
    std::string screen;  // "review", "session", "case", "caseload", ...
    RowId case_id = 0;     // 0: none on screen
    RowId session_id = 0;  // 0: none on screen
    std::size_t characters = 0;
};
void record_clipboard_copy(OpenPractice& practice, const ClipboardCopy& copy);

// [SECTION] The command line
// One command that reads: action "read", its name in the detail with what
// shaped the output (e.g. "metrics --json"). The entity is the session read,
// else the case, else the practice.
struct CommandRead {
    CommandRead(std::string command_name, const Case* read_case = nullptr, const Session* read_session = nullptr,
                std::string options = "")
        : command(std::move(command_name)), the_case(read_case), session(read_session), detail(std::move(options)) {}
    std::string command;  // "case list", "metrics", ...
    const Case* the_case = nullptr;
    const Session* session = nullptr;
    std::string detail;  // options that changed what was shown, or empty
};
void record_command_read(OpenPractice& practice, const CommandRead& read);

// [SECTION] Screenshots
// What a screenshot shows: the view by name, and its case and session when it has them.
struct ScreenshotOf {
    std::string view;
    std::string case_label;
    std::optional<int> session_number;
};
// Writes the picture (`rgba`: width x height pixels, rows top to bottom) as a
// PNG to `out` through formats/output_file.h; the audit row ("screenshot",
// naming the view, case and file) is written once the bytes are complete and
// before they take the file's name, so there is no file without its row.
// `practice` may be null (the unlock screen: nothing of a practice is open,
// nothing to record). Returns the file really written. Throws attune::Error.
std::filesystem::path save_screenshot(OpenPractice* practice, const ScreenshotOf& of, const std::filesystem::path& out,
                                      int width, int height, const std::vector<std::uint8_t>& rgba);

// Where a file went, as audit rows and messages name it: absolute, and the
// file really written when `out` is a link to it.
std::string destination_text(const std::filesystem::path& out, const std::filesystem::path& written = {});

}  // namespace attune::services
