// boris_parse.cpp: step 1 of the BORIS import (see boris_import.h): reading a
// BORIS project file or event export into BorisData.
//
// [SECTION] Shared helpers
// [SECTION] Project files (.boris, JSON)
// [SECTION] Event exports (tabular and aggregated, delimited text)
// [SECTION] Entry point
#include "formats/boris.h"

#include "core/scheme.h"
#include "core/text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

namespace attune::formats {
namespace fs = std::filesystem;

// [SECTION] Shared helpers

namespace {

[[noreturn]] void fail(const fs::path& file, const std::string& message) {
    throw BorisImportError(file.string() + ": " + message + "; nothing was imported");
}

std::string line_label(int line) { return "line " + std::to_string(line); }

std::string single_quoted(const std::string& text) { return "'" + text + "'"; }

int line_of_offset(const std::string& text, size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
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
            fail(file, line_label(line) + ": the text is not valid UTF-8 (BORIS writes UTF-8: export the file again)");
        start = end + 1;
        ++line;
    }
    fail(file, "the text is not valid UTF-8");
}

// A finite number of seconds; accepts surrounding spaces, nothing else.
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

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "2016-11-27 01:57:26", "2016-11-27T01:57:26" or "2016-11-27" -> date and HH:MM.
bool split_date(const std::string& text, std::string& date, std::string& start_time) {
    const std::string value = trim(text);
    if (value.size() < 10) return false;
    const std::string_view d(value.data(), 10);
    if (!all_digits(d.substr(0, 4)) || d[4] != '-' || !all_digits(d.substr(5, 2)) || d[7] != '-' ||
        !all_digits(d.substr(8, 2)))
        return false;
    date = std::string(d);
    start_time.clear();
    if (value.size() >= 16 && (value[10] == ' ' || value[10] == 'T') && all_digits(value.substr(11, 2)) &&
        value[13] == ':' && all_digits(value.substr(14, 2)))
        start_time = value.substr(11, 5);
    return true;
}

// BORIS joins several modifier sets with '|' and writes "None" for no choice.
void add_modifiers(std::vector<std::string>& out, const std::string& text) {
    for (const std::string& part : split(text, '|')) {
        std::string value = trim(part);
        const std::string key = normalize_key(value);
        if (!value.empty() && key != "none" && key != "na") out.push_back(std::move(value));
    }
}

// Case and surrounding spaces ignored, as the plan does when it pairs.
std::string pairing_key(const BorisEvent& event) {
    std::string key = normalize_key(event.subject) + '\x1f' + normalize_key(event.behavior);
    for (const std::string& modifier : event.modifiers) key += '\x1f' + modifier;
    return key;
}

void sort_events(std::vector<BorisEvent>& events) {
    std::stable_sort(events.begin(), events.end(),
                     [](const BorisEvent& a, const BorisEvent& b) { return a.time < b.time; });
}

// A STOP with nothing running, or a START of a state that is already running,
// cannot come from BORIS: the file was edited or damaged. (An unpaired START at
// the end is the plan's business: it depends on the Attune code's kind.)
void check_pairs(const fs::path& file, const BorisObservation& observation) {
    std::map<std::string, const BorisEvent*> running;
    auto where = [&](const BorisEvent& e) {
        return e.line > 0 ? line_label(e.line)
                          : "observation " + single_quoted(observation.id) + ", event " + std::to_string(e.index);
    };
    for (const BorisEvent& event : observation.events) {
        const std::string key = pairing_key(event);
        if (event.status == BorisStatus::Start) {
            if (auto found = running.find(key); found != running.end())
                fail(file, where(event) + ": START of " + single_quoted(event.behavior) +
                               " while it is still running (started at " + where(*found->second) + ")");
            running[key] = &event;
        } else if (event.status == BorisStatus::Stop) {
            if (running.erase(key) == 0)
                fail(file, where(event) + ": STOP of " + single_quoted(event.behavior) + " for " +
                               (event.subject.empty() ? std::string("no focal subject")
                                                      : "subject " + single_quoted(event.subject)) +
                               " without a START before it");
        }
    }
}

}  // namespace

// [SECTION] Project files (.boris, JSON)

namespace {

using ordered_json = nlohmann::ordered_json;

std::string field_of(const std::string& id) { return "observations[\"" + id + "\"]"; }

std::optional<double> json_number(const ordered_json& value) {
    if (value.is_number()) {
        const double number = value.get<double>();
        if (std::isfinite(number)) return number;
        return std::nullopt;
    }
    if (value.is_string()) return parse_number(value.get<std::string>());
    return std::nullopt;
}

std::string json_text(const ordered_json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return {};
    return value.dump();
}

// Behaviour codes of the ethogram that are state events.
std::map<std::string, bool> ethogram_states(const fs::path& file, const ordered_json& root) {
    auto conf = root.find("behaviors_conf");
    if (conf == root.end() || !conf->is_object())
        fail(file, "field 'behaviors_conf' (the ethogram) is missing: not a BORIS project");
    std::map<std::string, bool> states;
    for (const auto& [key, behavior] : conf->items()) {
        if (!behavior.is_object() || !behavior.contains("code") || !behavior["code"].is_string())
            fail(file, "field 'behaviors_conf[\"" + key + "\"].code' is missing or not text");
        const std::string type = behavior.contains("type") ? json_text(behavior["type"]) : "";
        // "State event", "State event with coding map", ...
        states[behavior["code"].get<std::string>()] = normalize_key(type).find("state") != std::string::npos;
    }
    return states;
}

// Player 1's media files played one after the other; unknown when a length is missing.
std::optional<double> media_duration(const ordered_json& observation) {
    auto files = observation.find("file");
    auto info = observation.find("media_info");
    if (files == observation.end() || !files->is_object() || !files->contains("1")) return std::nullopt;
    if (info == observation.end() || !info->is_object() || !info->contains("length")) return std::nullopt;
    const ordered_json& player = (*files)["1"];
    const ordered_json& lengths = (*info)["length"];
    if (!player.is_array() || player.empty() || !lengths.is_object()) return std::nullopt;
    double total = 0;
    for (const ordered_json& name : player) {
        if (!name.is_string() || !lengths.contains(name.get<std::string>())) return std::nullopt;
        const auto length = json_number(lengths[name.get<std::string>()]);
        if (!length || *length < 0) return std::nullopt;
        total += *length;
    }
    return total;
}

BorisObservation parse_project_observation(const fs::path& file, const std::string& id, const ordered_json& value,
                                           const std::map<std::string, bool>& states) {
    const std::string field = field_of(id);
    if (!value.is_object()) fail(file, "field '" + field + "' is not an object");
    BorisObservation observation;
    observation.id = id;
    auto date = value.find("date");
    if (date == value.end() || !date->is_string() ||
        !split_date(date->get<std::string>(), observation.date, observation.start_time))
        fail(file, "field '" + field + ".date' is missing or not a date (yyyy-mm-ddThh:mm:ss)");
    if (value.contains("description")) observation.description = json_text(value["description"]);
    observation.media_duration = media_duration(value);

    auto events = value.find("events");
    if (events == value.end() || !events->is_array())
        fail(file, "field '" + field + ".events' is missing or not a list");
    std::map<std::string, int> seen;  // state occurrences per (subject, behaviour, modifiers)
    int index = 0;
    for (const ordered_json& item : *events) {
        ++index;
        const std::string where = field + ".events[" + std::to_string(index - 1) + "]";
        if (!item.is_array() || item.size() < 3)
            fail(file, "field '" + where + "' is not an event [time, subject, behaviour, modifiers, comment]");
        BorisEvent event;
        event.index = index;
        const auto time = json_number(item[0]);
        if (!time) fail(file, "field '" + where + "[0]' (the time) is not a number");
        if (*time < 0) fail(file, "field '" + where + "[0]' (the time) is negative");
        event.time = *time;
        if (!item[1].is_string() && !item[1].is_null())
            fail(file, "field '" + where + "[1]' (the subject) is not text");
        if (!item[2].is_string()) fail(file, "field '" + where + "[2]' (the behaviour) is not text");
        event.subject = trim(json_text(item[1]));
        event.behavior = trim(item[2].get<std::string>());
        if (event.behavior.empty()) fail(file, "field '" + where + "[2]' (the behaviour) is empty");
        const std::string modifiers = item.size() > 3 ? json_text(item[3]) : "";
        add_modifiers(event.modifiers, modifiers);
        if (item.size() > 4) event.comment = trim(json_text(item[4]));
        // A state event is stored twice, at its start and at its stop: BORIS
        // tells them apart by counting, per subject, behaviour and modifiers.
        // A behaviour missing from the ethogram cannot be paired: a point.
        auto state = states.find(event.behavior);
        if (state != states.end() && state->second) {
            const int count = ++seen[event.subject + '\x1f' + event.behavior + '\x1f' + modifiers];
            event.status = count % 2 == 1 ? BorisStatus::Start : BorisStatus::Stop;
        }
        observation.events.push_back(std::move(event));
    }
    sort_events(observation.events);
    return observation;
}

BorisData parse_project(const fs::path& file, const std::string& text) {
    ordered_json root;
    try {
        root = ordered_json::parse(text);
    } catch (const ordered_json::parse_error& e) {
        // nlohmann says "[json.exception.parse_error.101] parse error at line 3, column 7: <reason>".
        std::string what = e.what();
        if (auto bracket = what.find("] "); bracket != std::string::npos) what = what.substr(bracket + 2);
        std::string where = line_label(line_of_offset(text, e.byte == 0 ? 0 : e.byte - 1));
        constexpr std::string_view kPrefix = "parse error at ";
        if (auto colon = what.find(": "); what.rfind(kPrefix, 0) == 0 && colon != std::string::npos) {
            where = what.substr(kPrefix.size(), colon - kPrefix.size());
            what = what.substr(colon + 2);
        }
        fail(file, where + ": not valid JSON, so not a BORIS project (" + what + ")");
    } catch (const ordered_json::exception& e) {
        // A number out of range: "[json.exception.out_of_range.406] number overflow parsing '1e400'".
        std::string what = e.what();
        if (auto bracket = what.find("] "); bracket != std::string::npos) what = what.substr(bracket + 2);
        std::string where = "the text";
        const size_t open = what.find('\''), close = what.rfind('\'');
        if (open != std::string::npos && close > open)
            if (size_t at = text.find(what.substr(open + 1, close - open - 1)); at != std::string::npos)
                where = line_label(line_of_offset(text, at));
        fail(file, where + ": not valid JSON, so not a BORIS project (" + what + ")");
    }
    if (!root.is_object()) fail(file, "the top level is not an object: not a BORIS project");
    auto observations = root.find("observations");
    if (observations == root.end() || !observations->is_object())
        fail(file, "field 'observations' is missing: not a BORIS project");
    const auto states = ethogram_states(file, root);

    BorisData data;
    data.file = file;
    data.format = BorisFormat::Project;
    for (const auto& [id, value] : observations->items())
        data.observations.push_back(parse_project_observation(file, id, value, states));
    return data;
}

}  // namespace

// [SECTION] Event exports (tabular and aggregated, delimited text)

namespace {

struct Record {
    std::vector<std::string> cells;
    int line = 0;  // where the record starts
};

// RFC 4180 records (quotes, doubled quotes, delimiters and line breaks inside
// quotes), which is what BORIS's export library writes for both CSV and TSV.
std::vector<Record> read_records(const fs::path& file, const std::string& text, char delimiter) {
    std::vector<Record> records;
    Record record;
    std::string cell;
    bool in_quotes = false;
    bool was_quoted = false;
    int line = 1;
    record.line = 1;
    auto end_cell = [&] {
        record.cells.push_back(was_quoted ? cell : trim(cell));
        cell.clear();
        was_quoted = false;
    };
    auto end_record = [&] {
        end_cell();
        records.push_back(std::move(record));
        record = Record{};
        record.line = line;
    };
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_quotes) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell.push_back('"');
                ++i;
            } else if (c == '"') {
                in_quotes = false;
            } else {
                if (c == '\n') ++line;
                cell.push_back(c);
            }
        } else if (c == '"' && trim(cell).empty()) {
            cell.clear();
            in_quotes = true;
            was_quoted = true;
        } else if (c == delimiter) {
            end_cell();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;  // CRLF: the '\n' ends the record
        } else if (c == '\n') {
            ++line;
            end_record();
        } else {
            cell.push_back(c);
        }
    }
    if (in_quotes) fail(file, line_label(record.line) + ": a quoted cell is never closed");
    if (!cell.empty() || !record.cells.empty()) end_record();
    return records;
}

bool is_row_header(const std::vector<std::string>& cells) {
    bool subject = false;
    bool behavior = false;
    for (const std::string& cell : cells) {
        const std::string key = normalize_key(cell);
        subject = subject || key == "subject";
        behavior = behavior || key == "behavior" || key == "behaviour";
    }
    return subject && behavior;
}

// The delimiter and line of the row header: the first line that, split by
// tab, comma or semicolon, has both a 'Subject' and a 'Behavior' column.
std::pair<char, int> find_row_header(const fs::path& file, const std::string& text) {
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
        ++number;
        for (char delimiter : {'\t', ',', ';'}) {
            if (line.find(delimiter) == std::string::npos) continue;
            std::vector<std::string> cells = split(line, delimiter);
            for (std::string& cell : cells) {
                cell = trim(cell);
                if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"')
                    cell = cell.substr(1, cell.size() - 2);
            }
            if (is_row_header(cells)) return {delimiter, number};
        }
    }
    fail(file, "no row header found: a BORIS event export has a line with the columns 'Subject', 'Behavior' and "
               "either 'Time' and 'Status' (tabular events) or 'Behavior type', 'Start (s)' and 'Stop (s)' "
               "(aggregated events)");
}

struct Columns {
    std::map<std::string, size_t> index;  // normalised header -> column
    std::vector<size_t> modifiers;        // 'Modifiers', 'Modifier #1', ...

    std::optional<size_t> find(std::initializer_list<const char*> names) const {
        for (const char* name : names)
            if (auto found = index.find(name); found != index.end()) return found->second;
        return std::nullopt;
    }
};

Columns read_columns(const std::vector<std::string>& header) {
    Columns columns;
    for (size_t i = 0; i < header.size(); ++i) {
        const std::string key = normalize_key(header[i]);
        if (key.empty()) continue;
        columns.index.emplace(key, i);
        if (key.rfind("modifier", 0) == 0) columns.modifiers.push_back(i);
    }
    return columns;
}

std::string cell_of(const Record& record, std::optional<size_t> column) {
    if (!column || *column >= record.cells.size()) return {};
    return record.cells[*column];
}

// "359.960" (older exports) or "179.960;359.960|180.000" (player 1's files
// before the first '|', newer exports); unknown when any part is not a number.
std::optional<double> parse_media_duration(const std::string& text) {
    const std::string player1 = split(text, '|').front();
    if (trim(player1).empty()) return std::nullopt;
    double total = 0;
    for (const std::string& part : split(player1, ';')) {
        const auto value = parse_number(part);
        if (!value || *value < 0) return std::nullopt;
        total += *value;
    }
    return total;
}

double required_time(const fs::path& file, const Record& record, std::optional<size_t> column, const char* name) {
    const std::string text = cell_of(record, column);
    const auto value = parse_number(text);
    if (!value)
        fail(file,
             line_label(record.line) + ": '" + name + "' is " + single_quoted(text) + ", not a number of seconds");
    if (*value < 0) fail(file, line_label(record.line) + ": '" + name + "' is negative (" + text + ")");
    return *value;
}

BorisData parse_export(const fs::path& file, const std::string& text) {
    const auto [delimiter, header_line] = find_row_header(file, text);
    const std::vector<Record> records = read_records(file, text, delimiter);

    // The tabular layout opens with "key<TAB>value" lines before the row header.
    std::map<std::string, std::string> header_block;
    size_t first_row = records.size();
    for (size_t i = 0; i < records.size(); ++i) {
        if (records[i].line >= header_line) {
            first_row = i;
            break;
        }
        if (records[i].cells.size() >= 2 && !records[i].cells[0].empty())
            header_block.emplace(normalize_key(records[i].cells[0]), records[i].cells[1]);
    }
    if (first_row == records.size()) fail(file, line_label(header_line) + ": the row header could not be read");
    const Record& header = records[first_row];
    const Columns columns = read_columns(header.cells);
    auto require = [&](std::initializer_list<const char*> names, const char* shown, const char* layout) {
        const auto found = columns.find(names);
        if (!found)
            fail(file, line_label(header.line) + ": the row header has no '" + shown + "' column (" + layout + ")");
        return *found;
    };

    BorisData data;
    data.file = file;
    const auto start_column = columns.find({"start (s)", "start"});
    data.format = start_column ? BorisFormat::AggregatedEvents : BorisFormat::TabularEvents;
    const char* layout =
        data.format == BorisFormat::AggregatedEvents ? "BORIS aggregated events export" : "BORIS tabular events export";
    const size_t subject_column = require({"subject"}, "Subject", layout);
    const size_t behavior_column = require({"behavior", "behaviour"}, "Behavior", layout);
    std::optional<size_t> time_column, status_column, stop_column, type_column;
    if (data.format == BorisFormat::TabularEvents) {
        time_column = require({"time"}, "Time", layout);
        // Older versions call it 'Status'; newer ones 'Behavior type' with START/STOP/POINT.
        status_column = require({"status", "behavior type"}, "Status", layout);
    } else {
        stop_column = require({"stop (s)", "stop"}, "Stop (s)", layout);
        type_column = require({"behavior type"}, "Behavior type", layout);
    }
    const auto id_column = columns.find({"observation id"});
    const auto date_column = columns.find({"observation date"});
    const auto description_column = columns.find({"description"});
    const auto media_column = columns.find({"media duration (s)", "total length"});
    const auto comment_column = columns.find({"comment", "comment start"});
    const auto comment_stop_column = columns.find({"comment stop"});

    auto header_value = [&](const char* key) -> std::string {
        auto found = header_block.find(key);
        return found == header_block.end() ? std::string() : trim(found->second);
    };
    std::map<std::string, size_t> by_id;
    for (size_t r = first_row + 1; r < records.size(); ++r) {
        const Record& record = records[r];
        if (std::all_of(record.cells.begin(), record.cells.end(), [](const std::string& c) { return trim(c).empty(); }))
            continue;
        std::string id = trim(cell_of(record, id_column));
        if (id.empty()) id = header_value("observation id");
        if (id.empty()) id = file.stem().string();  // a bare single-observation export
        auto [slot, is_new] = by_id.emplace(id, data.observations.size());
        if (is_new) {
            BorisObservation observation;
            observation.id = id;
            observation.first_line = record.line;
            std::string date = trim(cell_of(record, date_column));
            if (date.empty()) date = header_value("observation date");
            if (date.empty())
                fail(file, line_label(record.line) + ": observation " + single_quoted(id) +
                               " has no date (an 'Observation date' column or header line)");
            if (!split_date(date, observation.date, observation.start_time))
                fail(file, line_label(record.line) + ": 'Observation date' is " + single_quoted(date) +
                               ", not a date (yyyy-mm-dd hh:mm:ss)");
            observation.description = trim(cell_of(record, description_column));
            if (observation.description.empty()) observation.description = header_value("description");
            observation.media_duration = parse_media_duration(cell_of(record, media_column));
            data.observations.push_back(std::move(observation));
        }
        BorisObservation& observation = data.observations[slot->second];

        BorisEvent event;
        event.line = record.line;
        event.subject = trim(cell_of(record, subject_column));
        event.behavior = trim(cell_of(record, behavior_column));
        if (event.behavior.empty()) fail(file, line_label(record.line) + ": the 'Behavior' cell is empty");
        for (size_t column : columns.modifiers) add_modifiers(event.modifiers, cell_of(record, column));
        event.comment = trim(cell_of(record, comment_column));

        if (data.format == BorisFormat::TabularEvents) {
            event.time = required_time(file, record, time_column, "Time");
            const std::string status = normalize_key(cell_of(record, status_column));
            if (status == "start") event.status = BorisStatus::Start;
            else if (status == "stop") event.status = BorisStatus::Stop;
            else if (status == "point") event.status = BorisStatus::Point;
            else
                fail(file, line_label(record.line) + ": the status is " +
                               single_quoted(cell_of(record, status_column)) + "; expected START, STOP or POINT");
            observation.events.push_back(std::move(event));
            continue;
        }
        // Aggregated: one row per point, or per state with its start and stop.
        event.time = required_time(file, record, start_column, "Start (s)");
        const std::string type = normalize_key(cell_of(record, type_column));
        if (type == "point") {
            event.status = BorisStatus::Point;
            observation.events.push_back(std::move(event));
        } else if (type == "state") {
            const double stop = required_time(file, record, stop_column, "Stop (s)");
            if (stop < event.time)
                fail(file, line_label(record.line) + ": 'Stop (s)' is before 'Start (s)'");
            BorisEvent stop_event = event;
            event.status = BorisStatus::Start;
            stop_event.status = BorisStatus::Stop;
            stop_event.time = stop;
            stop_event.comment = trim(cell_of(record, comment_stop_column));
            observation.events.push_back(std::move(event));
            observation.events.push_back(std::move(stop_event));
        } else {
            fail(file, line_label(record.line) + ": 'Behavior type' is " + single_quoted(cell_of(record, type_column)) +
                           "; expected STATE or POINT");
        }
    }
    for (BorisObservation& observation : data.observations) {
        sort_events(observation.events);
        check_pairs(file, observation);
    }
    return data;
}

}  // namespace

// [SECTION] Entry point

BorisData parse_boris_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, "cannot read the file");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // a byte-order mark some editors add
    if (text.rfind("\x1F\x8B", 0) == 0) fail(path, "the file is compressed (gzip): decompress it first");
    if (trim(text).empty()) fail(path, "the file is empty");
    check_utf8(path, text);

    std::string extension = normalize_key(path.extension().string());
    const size_t first = text.find_first_not_of(" \t\r\n");
    const bool looks_like_json = first != std::string::npos && text[first] == '{';
    if (extension == ".boris" || looks_like_json) return parse_project(path, text);
    return parse_export(path, text);
}

std::string_view to_string(BorisStatus status) {
    switch (status) {
        case BorisStatus::Start: return "START";
        case BorisStatus::Stop: return "STOP";
        case BorisStatus::Point: break;
    }
    return "POINT";
}

}  // namespace attune::formats
