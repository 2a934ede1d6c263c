// text_document.cpp: see text_document.h.
#include "formats/text_document.h"

#include <algorithm>
#include <cmath>

#include "core/text.h"

namespace attune::formats::detail {

// [SECTION] Wording

const char* const kNoValue = "\xE2\x80\x93";

std::string lower_first(std::string text) {
    if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z' && !(text.size() > 1 && text[1] >= 'A' && text[1] <= 'Z'))
        text[0] = static_cast<char>(text[0] - 'A' + 'a');
    return text;
}

std::string plural(int count, const std::string& singular, const std::string& plural_form) {
    return std::to_string(count) + " " + (count == 1 ? singular : (plural_form.empty() ? singular + "s" : plural_form));
}

std::string count_word(int count) {
    static const char* const words[] = {"no",  "one",   "two",   "three", "four", "five",
                                        "six", "seven", "eight", "nine",  "ten"};
    return count >= 0 && count <= 10 ? words[count] : std::to_string(count);
}

std::string capitalize(std::string text) {
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
}

std::string format_seconds(double seconds) {
    const double rounded = std::round(seconds);
    if (rounded < 60) return format_number(rounded, 0) + " s";
    const int total = static_cast<int>(rounded);
    const std::string secs = std::to_string(total % 60);
    return std::to_string(total / 60) + ":" + (secs.size() < 2 ? "0" : "") + secs + " min";
}

std::string format_minutes(double seconds) {
    return format_number(std::round(seconds / 60.0), 0) + " min";
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i)
        out += (i ? separator : "") + parts[i];
    return out;
}

std::string partner_name(const Case& c, Who who) {
    const Participant& p = who == Who::A ? c.partner_a : c.partner_b;
    return p.display_name.empty() ? std::string(who == Who::A ? "Partner A" : "Partner B") : p.display_name;
}

std::string breakdown(const std::map<std::string, int>& by_label) {
    std::vector<std::pair<std::string, int>> items(by_label.begin(), by_label.end());
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::string> parts;
    for (const auto& [label, n] : items)
        parts.push_back(label + " " + std::to_string(n));
    return join(parts, ", ");
}

std::optional<double> median(std::vector<double> values) {
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
}

std::string utc_minutes(const std::string& iso) {
    // yyyy-mm-ddThh:mm[:ss...]Z
    if (iso.size() < 16 || iso[10] != 'T' || iso.back() != 'Z') return iso;
    return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

// [SECTION] Sign-off lines

std::string addendum_text(const Addendum& addendum) {
    return "Addendum by " + (addendum.author_name.empty() ? std::string("an unknown person") : addendum.author_name) +
           ", " + utc_minutes(addendum.created_at) + ": " + trim(addendum.text);
}

std::vector<std::string> sign_off_lines(const SessionSignOff& sign_off) {
    std::vector<std::string> lines;
    for (const SignatureLine& line : sign_off.signatures)
        lines.push_back(signature_text(line) + ".");
    if (sign_off.signatures.empty()) lines.push_back("Not signed.");
    for (const Addendum& a : sign_off.addenda)
        lines.push_back(addendum_text(a));
    return lines;
}

// [SECTION] Documents as sections

namespace {

// Display width of UTF-8 text in a monospace plain-text table: one column per code point.
size_t display_width(const std::string& text) {
    size_t n = 0;
    for (unsigned char ch : text)
        n += (ch & 0xC0) != 0x80;
    return n;
}

std::string render_table(const TextTable& table, TextFormat format) {
    std::string out;
    if (format == TextFormat::Markdown) {
        auto row = [&](const std::vector<std::string>& cells) {
            out += "|";
            for (const std::string& cell : cells)
                out += " " + cell + " |";
            out += "\n";
        };
        row(table.header);
        out += "|";
        for (size_t i = 0; i < table.header.size(); ++i)
            out += i < 2 ? " --- |" : " ---: |";
        out += "\n";
        for (const auto& cells : table.rows)
            row(cells);
        return out;
    }
    std::vector<size_t> widths(table.header.size(), 0);
    for (size_t i = 0; i < widths.size(); ++i)
        widths[i] = display_width(table.header[i]);
    for (const auto& cells : table.rows)
        for (size_t i = 0; i < cells.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], display_width(cells[i]));
    auto row = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
            const std::string pad(widths[i] - display_width(cells[i]), ' ');
            line += (i ? "  " : "") + (i < 2 ? cells[i] + pad : pad + cells[i]);
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out += line + "\n";
    };
    row(table.header);
    for (const auto& cells : table.rows)
        row(cells);
    return out;
}

}  // namespace

std::string render(const Document& doc, TextFormat format) {
    const bool md = format == TextFormat::Markdown;
    std::string out = md ? "# " + doc.title + "\n\n" : doc.title + "\n";
    for (const std::string& line : doc.subtitle)
        out += line + (md ? "  \n" : "\n");
    for (const Section& section : doc.sections) {
        const bool has_table = doc.table && doc.table_section == section.title && !doc.table->rows.empty();
        bool empty = !has_table;
        for (const Block& block : section.blocks)
            empty = empty && block.items.empty();
        if (empty) continue;  // no empty sections
        out += md ? "\n## " + section.title + "\n" : "\n" + section.title + "\n";
        for (const Block& block : section.blocks) {
            if (block.items.empty()) continue;
            out += "\n";
            if (!block.lead.empty()) out += (md ? "**" + block.lead + "**" : block.lead) + "\n" + (md ? "\n" : "");
            for (size_t i = 0; i < block.items.size(); ++i) {
                if (block.bullets)
                    out += "- " + block.items[i] + "\n";
                else
                    out += (i ? "\n" : "") + block.items[i] + "\n";
            }
        }
        if (has_table) out += "\n" + render_table(*doc.table, format);
    }
    return out;
}

std::vector<std::string> paragraphs(const std::string& text) {
    std::vector<std::string> out;
    std::string current;
    for (const std::string& raw : split(text, '\n')) {
        const std::string line = trim(raw);
        if (line.empty()) {
            if (!current.empty()) out.push_back(current);
            current.clear();
        } else {
            current += (current.empty() ? "" : "\n") + line;
        }
    }
    if (!current.empty()) out.push_back(current);
    return out;
}

}  // namespace attune::formats::detail
