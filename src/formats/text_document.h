// text_document.h: private to src/formats. The small wording helpers and the
// section/block document model that the text exports (export_text.cpp,
// session_note_text.cpp) share, rendered to plain text or Markdown.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "formats/export_data.h"
#include "formats/export_text.h"

namespace attune::formats::detail {

// [SECTION] Wording

extern const char* const kNoValue;  // en dash: a cell without a value

std::string lower_first(std::string text);
std::string plural(int count, const std::string& singular, const std::string& plural_form = "");
std::string count_word(int count);  // "no", "one", ... "ten", then digits
std::string capitalize(std::string text);
// "45 s" under a minute, else "1:30 min": how clinicians say short durations.
std::string format_seconds(double seconds);
std::string format_minutes(double seconds);
std::string join(const std::vector<std::string>& parts, const std::string& separator);
std::string partner_name(const Case& c, Who who);
// "defensive anger 3, shifts blame 1": most frequent first, then by label.
std::string breakdown(const std::map<std::string, int>& by_label);
std::optional<double> median(std::vector<double> values);
// "2026-03-02T14:05:33Z" -> "2026-03-02 14:05 UTC"; other text unchanged.
std::string utc_minutes(const std::string& iso);

// [SECTION] Sign-off lines
// Each signature as export_text.h's signature_text words it ("Signed by ...
// — verified (key ...)."), "Not signed." when there is none, then each
// addendum ("Addendum by Dr Vega, 2026-03-02 14:05 UTC: ...").
std::vector<std::string> sign_off_lines(const SessionSignOff& sign_off);
std::string addendum_text(const Addendum& addendum);

// [SECTION] Documents as sections

struct Block {
    std::string lead;                // a line before the items (bold in Markdown); may be empty
    std::vector<std::string> items;  // paragraphs, or bullets when `bullets`
    bool bullets = false;
};

struct Section {
    std::string title;
    std::vector<Block> blocks;
};

struct Document {
    std::string title;
    std::vector<std::string> subtitle;  // lines under the title
    std::vector<Section> sections;      // a section with nothing in it is left out
    std::optional<TextTable> table;     // rendered inside the section named table_section
    std::string table_section;
};

std::string render(const Document& doc, TextFormat format);
// A note field as paragraphs: blank lines separate them, trailing space dropped.
std::vector<std::string> paragraphs(const std::string& text);

}  // namespace attune::formats::detail
