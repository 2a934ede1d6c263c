// clipboard_audit.h: every copy out of the window is in the audit trail
// (issue 17 item 6). ImGui puts text on the clipboard through one function
// pointer of its IO (the GLFW backend's, or ImGui's own in tests); the shell
// wraps it, so that text copied out of any field (Ctrl+C, Ctrl+X, a selection
// in a read-only note) is recorded before it reaches the clipboard, and does
// not reach it when it cannot be recorded. The Copy buttons of exports go
// around the wrapper: the export records itself, with its format
// (services/export.h).
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace attune::ui {

// Called with the number of characters about to be copied; returns whether
// the copy was recorded (false: the clipboard keeps what it had).
using ClipboardRecorder = std::function<bool(std::size_t characters)>;

// Wraps the current ImGui context's clipboard setter, once per context (a
// no-op when it is wrapped already), and makes `record` the recorder. The
// shell calls it every frame, before anything is drawn.
void audit_clipboard(ClipboardRecorder record);
// Puts `text` on the clipboard without the recorder: for an export, which is
// audited by services::ExportJob::deliver.
void set_clipboard_recorded_elsewhere(const std::string& text);
// UTF-8 characters in `text` (what the audit row counts).
std::size_t utf8_characters(const char* text);

}  // namespace attune::ui
