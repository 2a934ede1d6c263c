#include "formats/export_excerpts.h"

#include <map>

#include "core/recordings.h"
#include "core/text.h"

namespace attune::formats {

namespace {

std::string plural(std::size_t n, const std::string& word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// "3 ruptures, 6 repairs, 2 attachment signals, 3 therapist moves", in that order.
std::string code_counts(const ExcerptData& e) {
    std::map<Polarity, std::size_t> counts;
    for (const ExcerptCode& c : e.codes)
        ++counts[c.polarity];
    std::string out;
    for (Polarity p : {Polarity::Rupture, Polarity::Repair, Polarity::Signal, Polarity::Intervention}) {
        if (!counts[p]) continue;
        if (!out.empty()) out += ", ";
        out += plural(counts[p], std::string(polarity_words(p)));
    }
    return out;
}

std::string clock_or_dash(const std::optional<double>& seconds) {
    return seconds ? format_media_time(*seconds) : std::string("before the clock started");
}

}  // namespace

std::string format_excerpts(const ExcerptExportData& data) {
    std::string out = "Excerpts of " + data.info.label + " (" + std::to_string(data.excerpts.size()) + ")\n";
    if (!data.info.clinician_name.empty()) out += "Clinician: " + data.info.clinician_name + "\n";
    out +=
        "Times are h:mm:ss.mmm on each recording (media time); the session clock's reading is given beside "
        "them. Codes are the case clinician's.\n";
    if (data.excerpts.empty()) out += "\nNo excerpts have been marked.\n";
    int index = 0;
    for (const ExcerptData& e : data.excerpts) {
        out += "\n" + std::to_string(++index) + ". Stage " + std::to_string(e.stage) + ": \"" + e.name + "\"\n";
        out += "   Session " + std::to_string(e.session_number) +
               (e.session_date.empty() ? "" : ", " + e.session_date) + "; recording " + e.recording_name +
               " (SHA-256 " + e.recording_sha256 + ")\n";
        out += "   Media " + format_media_time(e.media_start) + " to " + format_media_time(e.media_stop) + " (" +
               format_clock(e.media_stop - e.media_start) + "); session clock " + clock_or_dash(e.session_start) +
               " to " + clock_or_dash(e.session_stop) + "\n";
        if (e.codes.empty()) {
            out += "   No codes inside.\n";
            continue;
        }
        out += "   Codes inside (" + std::to_string(e.codes.size()) + "; " + code_counts(e) + "):\n";
        for (const ExcerptCode& c : e.codes) {
            out += "     " + format_media_time(c.media_seconds) + "  (session " + format_media_time(c.session_seconds);
            if (c.stop_session_seconds) out += " to " + format_media_time(*c.stop_session_seconds);
            out += ")  " + c.who_name + "  " + c.code_label + " [" + std::string(polarity_words(c.polarity)) + "]";
            if (c.intensity) out += " intensity " + std::to_string(*c.intensity);
            out += "\n";
        }
    }
    return out;
}

std::vector<std::string> excerpt_summary_lines(const std::vector<ExcerptData>& excerpts) {
    std::vector<std::string> lines;
    for (const ExcerptData& e : excerpts) {
        std::string line = "Stage " + std::to_string(e.stage) + ", session " + std::to_string(e.session_number) +
                           (e.session_date.empty() ? "" : " (" + e.session_date + ")") + ": \"" + e.name +
                           "\", media " + format_media_time(e.media_start) + " to " + format_media_time(e.media_stop) +
                           " (" + format_clock(e.media_stop - e.media_start) + "), " + plural(e.codes.size(), "code");
        if (!e.codes.empty()) line += ": " + code_counts(e);
        lines.push_back(line + ".");
    }
    return lines;
}

}  // namespace attune::formats
