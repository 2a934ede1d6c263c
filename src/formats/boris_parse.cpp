// boris_parse.cpp: step 1 of the BORIS import (see boris.h): what the project
// and export readers share, and the entry point that decides which one reads
// a file (boris_parse_project.cpp, boris_parse_export.cpp).
//
// [SECTION] Messages, numbers and dates
// [SECTION] Modifiers, event order and clocks
// [SECTION] Reading the bytes: size, gzip, signatures
// [SECTION] Entry point
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <tuple>

#include "core/scheme.h"
#include "core/text.h"
#include "formats/boris_parse_internal.h"

namespace attune::formats {
namespace fs = std::filesystem;

// [SECTION] Messages, numbers and dates

namespace detail {

void fail(const fs::path& file, const std::string& message) {
    throw BorisImportError(file.string() + ": " + message + "; nothing was imported");
}

std::string line_label(int line) {
    return "line " + std::to_string(line);
}

std::string single_quoted(const std::string& text) {
    return "'" + text + "'";
}

int line_of_offset(const std::string& text, size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::optional<double> parse_number(std::string_view text) {
    const std::string trimmed = trim(text);
    if (trimmed.empty()) return std::nullopt;
    const char* begin = trimmed.data();
    const char* end = begin + trimmed.size();
    if (*begin == '+') ++begin;
    double value = 0;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
    return value;
}

bool is_missing_number(std::string_view text) {
    std::string key = normalize_key(text);
    if (!key.empty() && (key.front() == '-' || key.front() == '+')) key.erase(0, 1);
    return key.empty() || key == "na" || key == "nan" || key == "inf" || key == "infinity";
}

namespace {
bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}
}  // namespace

bool split_date(const std::string& text, std::string& date, std::string& start_time,
                std::optional<double>* second_of_day) {
    const std::string value = trim(text);
    if (value.size() < 10) return false;
    const std::string_view d(value.data(), 10);
    if (!all_digits(d.substr(0, 4)) || d[4] != '-' || !all_digits(d.substr(5, 2)) || d[7] != '-' ||
        !all_digits(d.substr(8, 2)))
        return false;
    date = std::string(d);
    start_time.clear();
    if (second_of_day) second_of_day->reset();
    if (value.size() >= 16 && (value[10] == ' ' || value[10] == 'T') && all_digits(value.substr(11, 2)) &&
        value[13] == ':' && all_digits(value.substr(14, 2))) {
        start_time = value.substr(11, 5);
        double seconds = std::stoi(value.substr(11, 2)) * 3600.0 + std::stoi(value.substr(14, 2)) * 60.0;
        if (value.size() >= 19 && value[16] == ':' && all_digits(value.substr(17, 2)))
            seconds += std::stoi(value.substr(17, 2));
        if (second_of_day) *second_of_day = seconds;
    }
    return true;
}

// [SECTION] Modifiers, event order and clocks

std::vector<BorisModifier> split_modifiers(const std::string& text, const std::vector<std::string>& set_names) {
    std::vector<BorisModifier> out;
    const std::vector<std::string> parts = split(text, '|');
    for (size_t i = 0; i < parts.size(); ++i) {
        std::string value = trim(parts[i]);
        const std::string key = normalize_key(value);
        if (value.empty() || key == "none" || key == "na") continue;
        out.push_back({i < set_names.size() ? set_names[i] : std::string(), std::move(value)});
    }
    return out;
}

void order_events(std::vector<BorisEvent>& events, bool by_subject_and_behavior) {
    const bool all_timed =
        std::all_of(events.begin(), events.end(), [](const BorisEvent& e) { return e.time.has_value(); });
    if (!all_timed) return;
    std::stable_sort(events.begin(), events.end(), [&](const BorisEvent& a, const BorisEvent& b) {
        if (!by_subject_and_behavior) return *a.time < *b.time;
        return std::tie(*a.time, a.subject, a.behavior) < std::tie(*b.time, b.subject, b.behavior);
    });
}

namespace {
// Seconds since 1970 from here on are an epoch clock, not a session: 1e8 s is
// more than three years.
constexpr double kEpochFrom = 1e8;
// A day-clock observation's first event comes within this long of the clock
// time BORIS recorded as its start.
constexpr double kDayClockSlack = 3600;
}  // namespace

void rebase_clock(BorisObservation& observation, std::optional<BorisClock> declared,
                  std::optional<double> start_second_of_day) {
    std::optional<double> first;
    for (const BorisEvent& e : observation.events)
        if (e.time) first = first ? std::min(*first, *e.time) : *e.time;
    if (!first) return;
    const bool near_start =
        start_second_of_day && *start_second_of_day <= *first + 1 && *first - *start_second_of_day <= kDayClockSlack;
    BorisClock clock = BorisClock::Relative;
    // Attune's own export is timed by the session clock, whatever time the session began.
    const bool from_attune = observation.variables.count("session length (s)") > 0;
    if (declared) {
        clock = *declared;
    } else if (from_attune) {
        clock = BorisClock::Relative;
    } else if (*first >= kEpochFrom) {
        clock = BorisClock::Epoch;
    } else if (observation.type != "MEDIA" && near_start && *start_second_of_day >= kDayClockSlack) {
        clock = BorisClock::DayTime;
    }
    observation.clock = clock;
    if (clock == BorisClock::Relative) return;
    // The recorded start when the events follow it, else the first event's second.
    double base = std::floor(*first);
    if (clock == BorisClock::DayTime && near_start && *start_second_of_day <= *first) base = *start_second_of_day;
    observation.rebased_by = base;
    for (BorisEvent& e : observation.events)
        if (e.time) *e.time -= base;
    if (observation.interval_end) {
        if (*observation.interval_end > base)
            *observation.interval_end -= base;
        else
            observation.interval_end.reset();
    }
}

}  // namespace detail

// [SECTION] Reading the bytes: size, gzip, signatures

namespace {

using detail::fail;

std::string read_bytes(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) fail(path, "cannot read the file");
    if (size > kMaxBorisFileBytes)
        fail(path, "the file is " + std::to_string((size + (1u << 20) - 1) >> 20) +
                       " MB; Attune reads BORIS files of at most " + std::to_string(kMaxBorisFileBytes >> 20) + " MB");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, "cannot read the file");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

// One or more gzip members (BORIS's .boris.gz holds one), at most
// kMaxBorisTextBytes unpacked.
std::string gunzip(const fs::path& path, const std::string& packed) {
    std::string out;
    z_stream stream{};
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) fail(path, "the gzip data cannot be unpacked");
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
    stream.avail_in = static_cast<uInt>(packed.size());
    char chunk[1 << 16];
    int status = Z_OK;
    while (true) {
        stream.next_out = reinterpret_cast<Bytef*>(chunk);
        stream.avail_out = sizeof chunk;
        status = inflate(&stream, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END) break;
        out.append(chunk, sizeof chunk - stream.avail_out);
        if (out.size() > kMaxBorisTextBytes) {
            inflateEnd(&stream);
            fail(path, "the file unpacks to more than " + std::to_string(kMaxBorisTextBytes >> 20) +
                           " MB, more than any BORIS project");
        }
        if (status == Z_STREAM_END) {
            if (stream.avail_in == 0) break;
            if (inflateReset(&stream) != Z_OK) break;  // another member follows
        } else if (stream.avail_in == 0 && stream.avail_out != 0) {
            status = Z_DATA_ERROR;  // the data ends inside a member
            break;
        }
    }
    inflateEnd(&stream);
    if (status != Z_STREAM_END) fail(path, "the gzip data is damaged or cut short");
    return out;
}

// Files BORIS also exports but Attune does not read: one line saying what to do.
void refuse_other_kinds(const fs::path& path, const std::string& text) {
    constexpr const char* kWhatToDo = ": export the observations as TSV or CSV from BORIS (or open the project file)";
    if (starts_with(text, "PK\x03\x04")) {
        const bool ods = text.find("application/vnd.oasis.opendocument.spreadsheet") != std::string::npos;
        fail(path, std::string("this is a spreadsheet (") + (ods ? "ODS" : "XLSX") +
                       "), not a BORIS project or text export" + kWhatToDo);
    }
    if (starts_with(text, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
        fail(path, std::string("this is a spreadsheet (XLS), not a BORIS project or text export") + kWhatToDo);
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '<') {
        const std::string head = normalize_key(text.substr(first, 64));
        const bool html = head.rfind("<!doctype html", 0) == 0 || head.rfind("<html", 0) == 0 ||
                          head.rfind("<table", 0) == 0 || head.rfind("<head", 0) == 0;
        fail(path, std::string("this is ") + (html ? "an HTML page" : "markup (HTML or XML)") +
                       ", not a BORIS project or text export" + kWhatToDo);
    }
    if (text.find('\0') != std::string::npos)
        fail(path, std::string("this is binary data, not a BORIS project or text export") + kWhatToDo);
}

// Strict UTF-8, checked line by line so that the message can name the line.
void check_utf8(const fs::path& file, const std::string& text) {
    if (is_valid_utf8(text)) return;
    int line = 1;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        if (!is_valid_utf8(std::string_view(text).substr(start, end - start)))
            fail(file, detail::line_label(line) +
                           ": the text is not valid UTF-8 (BORIS writes UTF-8: export the file again)");
        start = end + 1;
        ++line;
    }
    fail(file, "the text is not valid UTF-8");
}

}  // namespace

// [SECTION] Entry point

BorisData parse_boris_file(const fs::path& path) {
    std::string text = read_bytes(path);
    const bool compressed = starts_with(text, "\x1F\x8B");
    if (compressed) text = gunzip(path, text);
    if (starts_with(text, "\xEF\xBB\xBF")) text.erase(0, 3);  // a byte-order mark some editors add
    refuse_other_kinds(path, text);
    if (trim(text).empty()) fail(path, compressed ? "the file unpacks to nothing" : "the file is empty");
    check_utf8(path, text);

    const size_t first = text.find_first_not_of(" \t\r\n");
    const bool looks_like_json = first != std::string::npos && (text[first] == '{' || text[first] == '[');
    const std::string extension = normalize_key(path.extension().string());
    BorisData data =
        looks_like_json || extension == ".boris" ? detail::parse_project(path, text) : detail::parse_export(path, text);
    data.compressed = compressed;
    return data;
}

std::string_view to_string(BorisStatus status) {
    switch (status) {
        case BorisStatus::Start:
            return "START";
        case BorisStatus::Stop:
            return "STOP";
        case BorisStatus::Point:
            break;
    }
    return "POINT";
}

}  // namespace attune::formats
