// export_text.h: session notes (DAP or SOAP) and case summaries as plain text
// (ready to paste into a record system, no markup) and as Markdown.
//
// Pure functions over the structs of export_data.h. The sentences that
// describe a session or a case are built once here; the PDF export reuses
// them, so every format says the same thing in the same words.
#pragma once

#include "formats/export_data.h"

#include <string>
#include <vector>

namespace attune::formats {

enum class TextFormat { Plain, Markdown };
enum class NoteStyle { Dap, Soap };

// [SECTION] Whole documents

std::string format_session_note(const SessionNoteData& data, NoteStyle style, TextFormat format);
// Never contains a private process note: CaseSummaryData has none to give.
std::string format_case_summary(const CaseSummaryData& data, TextFormat format);

// [SECTION] Pieces shared with the PDF export

// "Signed by Maya Lee, 2026-11-20T18:02:11Z — verified (key 1a2b3c4d ...)"
// ("Co-signed by ..." for a co-signature); one that does not verify says why
// instead ("... — changed after signing"), never "verified".
std::string signature_text(const SignatureLine& line);

// "de-escalation", "restructuring", "consolidation"; "" for anything else.
std::string stage_name(int stage);
// 0.5 -> "50 %"
std::string format_percent(double fraction);

// The coded pattern of a session in a clinician's words, one line per partner
// (plus both partners, the cycle, the overall figures and therapist moves).
// The 5 : 1 reference is named, with its source, only when data.show_five_to_one.
std::vector<std::string> observed_pattern_lines(const SessionNoteData& data);

struct CaseSummaryText {
    std::string title;                     // "Case summary: C-017"
    std::vector<std::string> overview;     // period, clinician, status
    std::vector<std::string> participants; // "Partner A: Zoë, attachment impression anxious"
    std::string goals;
    std::vector<std::string> stage_progression;
    std::vector<std::string> trends;  // "Repair rate rose from 0 % to 100 % over 5 sessions ..." (counted sessions)
    std::vector<std::string> not_counted;  // "Session 7 (2026-03-02): still running."
    std::string safety;               // "Safety concern: ..." (DOMAIN.md v2), shown before the track; empty when none
    std::string track;                // the not-on-track flag in words (version 2)
    std::string homework;             // adherence over the homework due; homework not yet due said apart
    // Version 2 (formats/case_summary_process.h); empty lines: nothing to say.
    std::vector<std::string> measures;
    std::vector<std::string> sequences;
    std::vector<std::string> change_events;
    std::vector<std::string> sign_offs;  // "Session 1, 2026-03-02: Signed by ..." per signature and addendum; "...: not signed."
};
CaseSummaryText describe_case(const CaseSummaryData& data);

struct TextTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;  // "–" for no value, never empty
};
TextTable session_metrics_table(const CaseSummaryData& data);

}  // namespace attune::formats
