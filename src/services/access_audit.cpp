#include "services/access_audit.h"

#include "core/error.h"
#include "formats/output_file.h"
#include "formats/png_image.h"
#include "services/cases.h"
#include "services/open_practice.h"
#include "services/practice_access.h"

namespace attune::services {
namespace fs = std::filesystem;

// [SECTION] The window

void record_case_opened(OpenPractice& practice, RowId case_id) {
    const std::optional<Case> c = get_case(practice, case_id);
    if (!c) throw Error(Error::Kind::NotFound, "no case with id " + std::to_string(case_id));
    PracticeAccess::record_audit(practice, "open", "case", c->uuid, "label=" + c->label);
}

void record_session_opened(OpenPractice& practice, RowId session_id, SessionOpening how) {
    const std::optional<Session> s = get_session(practice, session_id);
    if (!s) throw Error(Error::Kind::NotFound, "no session with id " + std::to_string(session_id));
    const std::optional<Case> c = get_case(practice, s->case_id);
    PracticeAccess::record_audit(practice, how == SessionOpening::Review ? "review" : "open", "session", s->uuid,
                                 (c ? "case=" + c->label + " " : std::string()) + "session=" +
                                     std::to_string(s->number));
}

void record_view_opened(OpenPractice& practice, const std::string& view) {
    PracticeAccess::record_audit(practice, "open", "view", view, "");
}

void record_clipboard_copy(OpenPractice& practice, const ClipboardCopy& copy) {
    const std::string detail = "clipboard characters=" + std::to_string(copy.characters) + " screen=" + copy.screen;
    if (copy.session_id != 0) {
        if (const std::optional<Session> s = get_session(practice, copy.session_id)) {
            PracticeAccess::record_audit(practice, "copy", "session", s->uuid,
                                         detail + " session=" + std::to_string(s->number));
            return;
        }
    }
    if (copy.case_id != 0) {
        if (const std::optional<Case> c = get_case(practice, copy.case_id)) {
            PracticeAccess::record_audit(practice, "copy", "case", c->uuid, detail + " case=" + c->label);
            return;
        }
    }
    PracticeAccess::record_audit(practice, "copy", "practice", practice.practice_uuid(), detail);
}

// [SECTION] The command line

void record_command_read(OpenPractice& practice, const CommandRead& read) {
    std::string detail = "command=" + read.command;
    if (read.the_case) detail += " case=" + read.the_case->label;
    if (read.session) detail += " session=" + std::to_string(read.session->number);
    if (!read.detail.empty()) detail += " " + read.detail;
    if (read.session)
        PracticeAccess::record_audit(practice, "read", "session", read.session->uuid, detail);
    else if (read.the_case)
        PracticeAccess::record_audit(practice, "read", "case", read.the_case->uuid, detail);
    else
        PracticeAccess::record_audit(practice, "read", "practice", practice.practice_uuid(), detail);
}

// [SECTION] Screenshots

std::string destination_text(const fs::path& out, const fs::path& written) {
    std::error_code ec;
    const fs::path shown = fs::absolute(out, ec);
    std::string text = (ec ? out : shown).lexically_normal().string();
    if (!written.empty()) {
        const fs::path real = fs::absolute(written, ec).lexically_normal();
        if (!ec && real != fs::path(text)) text += " (a link to " + real.string() + ")";
    }
    return text;
}

fs::path save_screenshot(OpenPractice* practice, const ScreenshotOf& of, const fs::path& out, int width, int height,
                         const std::vector<std::uint8_t>& rgba) {
    std::string png;
    try {
        png = formats::encode_png(width, height, rgba);
    } catch (const std::exception& e) {
        throw Error(Error::Kind::Io, std::string("the screenshot could not be encoded: ") + e.what());
    }
    const formats::OutputWritten written =
        formats::write_output(out, png, [&](const formats::OutputWritten& about_to_be) {
            if (!practice) return;
            std::string detail = "view=" + of.view;
            if (!of.case_label.empty()) detail += " case=" + of.case_label;
            if (of.session_number) detail += " session=" + std::to_string(*of.session_number);
            detail += " path=" + destination_text(out, about_to_be.written);
            try {
                PracticeAccess::record_audit(*practice, "screenshot", "practice", practice->practice_uuid(), detail);
            } catch (const std::exception& e) {
                throw Error(Error::Kind::Io, std::string("no screenshot was saved: the audit log could not record it (") +
                                                 e.what() + ")");
            }
        });
    return written.written;
}

}  // namespace attune::services
