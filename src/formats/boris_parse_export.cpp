// boris_parse_export.cpp: reading BORIS's event exports (step 1 of the
// import, see boris.h): the "tabular events" layout (a header block of
// key/value lines, then one row per START, STOP or POINT) and the
// "aggregated events" layout (one row per point or per state with its start
// and stop), tab-, comma- or semicolon-separated. Columns are found by their
// header names, which change between BORIS versions; any column BORIS does
// not define is an independent variable.
//
// [SECTION] Records and the row header
// [SECTION] Columns
// [SECTION] Rows
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "core/scheme.h"
#include "core/text.h"
#include "formats/boris_parse_internal.h"

namespace attune::formats::detail {
namespace fs = std::filesystem;

namespace {

// [SECTION] Records and the row header

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
    fail(file,
         "no row header found: a BORIS event export has a line with the columns 'Subject', 'Behavior' and "
         "either 'Time' and 'Status' (tabular events) or 'Behavior type', 'Start (s)' and 'Stop (s)' "
         "(aggregated events)");
}

// [SECTION] Columns

// Every column BORIS 7-10 writes in its event exports (normalised); any other
// column holds an independent variable.
const std::set<std::string>& boris_columns() {
    static const std::set<std::string> names{"observation id",
                                             "observation date",
                                             "description",
                                             "observation type",
                                             "source",
                                             "time offset (s)",
                                             "coding duration",
                                             "media duration (s)",
                                             "fps (frame/s)",
                                             "fps",
                                             "observation duration",
                                             "observation duration by subject by observation",
                                             "subject",
                                             "behavior",
                                             "behaviour",
                                             "behavioral category",
                                             "behavior type",
                                             "start (s)",
                                             "stop (s)",
                                             "duration (s)",
                                             "media file name",
                                             "media file",
                                             "media file path",
                                             "total length",
                                             "image index",
                                             "image index start",
                                             "image index stop",
                                             "image file path",
                                             "image file path start",
                                             "image file path stop",
                                             "comment",
                                             "comment start",
                                             "comment stop",
                                             "time",
                                             "status",
                                             "modifiers"};
    return names;
}

bool is_modifier_column(const std::string& key) {
    return key.rfind("modifier", 0) == 0;
}
// A column named like "intensity" holds the intensity modifier set.
bool is_intensity_name(const std::string& key) {
    return key.find("intens") != std::string::npos;
}

struct Columns {
    std::map<std::string, size_t> index;                    // normalised header -> column
    std::vector<size_t> modifiers;                          // 'Modifiers', 'Modifier #1', ... and intensity columns
    std::vector<std::string> modifier_names;                // the set name each of those stands for ("" = unnamed)
    std::vector<std::pair<std::string, size_t>> variables;  // header as written -> column

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
        if (is_modifier_column(key) || is_intensity_name(key)) {
            columns.modifiers.push_back(i);
            columns.modifier_names.push_back(is_intensity_name(key) ? trim(header[i]) : std::string());
        } else if (!boris_columns().count(key)) {
            columns.variables.emplace_back(trim(header[i]), i);
        }
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

// A time cell: a number, or missing ("NA", "NaN", empty); anything else is damage.
std::optional<double> time_cell(const fs::path& file, const Record& record, std::optional<size_t> column,
                                const char* name) {
    const std::string text = cell_of(record, column);
    if (is_missing_number(text)) return std::nullopt;
    const auto value = parse_number(text);
    if (!value)
        fail(file,
             line_label(record.line) + ": '" + name + "' is " + single_quoted(text) + ", not a number of seconds");
    return value;
}

std::string observation_type(const std::string& text) {
    const std::string key = normalize_key(text);
    if (key.find("live") != std::string::npos) return "LIVE";
    if (key.find("media") != std::string::npos) return "MEDIA";
    if (key.find("picture") != std::string::npos || key.find("image") != std::string::npos) return "IMAGES";
    return "";
}

// [SECTION] Rows

// The tabular layout opens with "key<TAB>value" lines before the row header,
// with the independent variables after a line "independent variables".
struct HeaderBlock {
    std::map<std::string, std::string> values;  // normalised key -> value
    std::map<std::string, std::string> variables;

    std::string value(const char* key) const {
        auto found = values.find(key);
        return found == values.end() ? std::string() : trim(found->second);
    }
};

HeaderBlock read_header_block(const std::vector<Record>& records, size_t first_row) {
    HeaderBlock block;
    bool in_variables = false;
    for (size_t i = 0; i < first_row; ++i) {
        const Record& r = records[i];
        if (r.cells.empty() || trim(r.cells[0]).empty()) continue;
        const std::string key = normalize_key(r.cells[0]);
        if (key == "independent variables") {
            in_variables = true;
            continue;
        }
        const std::string value = r.cells.size() >= 2 ? r.cells[1] : std::string();
        if (in_variables) {
            if (key != "variable") block.variables[trim(r.cells[0])] = trim(value);
        } else {
            block.values.emplace(key, value);
        }
    }
    return block;
}

}  // namespace

BorisData parse_export(const fs::path& file, const std::string& text) {
    const auto [delimiter, header_line] = find_row_header(file, text);
    const std::vector<Record> records = read_records(file, text, delimiter);
    size_t first_row = records.size();
    for (size_t i = 0; i < records.size(); ++i)
        if (records[i].line >= header_line) {
            first_row = i;
            break;
        }
    if (first_row == records.size()) fail(file, line_label(header_line) + ": the row header could not be read");
    const HeaderBlock block = read_header_block(records, first_row);
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
    const auto type_name_column = columns.find({"observation type"});
    const auto media_column = columns.find({"media duration (s)", "total length"});
    const auto comment_column = columns.find({"comment", "comment start"});
    const auto comment_stop_column = columns.find({"comment stop"});

    std::map<std::string, size_t> by_id;
    std::map<size_t, std::optional<double>> start_seconds;  // observation -> second of day of its date
    for (size_t r = first_row + 1; r < records.size(); ++r) {
        const Record& record = records[r];
        if (std::all_of(record.cells.begin(), record.cells.end(), [](const std::string& c) { return trim(c).empty(); }))
            continue;
        std::string id = trim(cell_of(record, id_column));
        if (id.empty()) id = block.value("observation id");
        if (id.empty()) id = file.stem().string();  // a bare single-observation export
        auto [slot, is_new] = by_id.emplace(id, data.observations.size());
        if (is_new) {
            BorisObservation observation;
            observation.id = id;
            observation.first_line = record.line;
            std::string date = trim(cell_of(record, date_column));
            if (date.empty()) date = block.value("observation date");
            if (date.empty())
                fail(file, line_label(record.line) + ": observation " + single_quoted(id) +
                               " has no date (an 'Observation date' column or header line)");
            std::optional<double> start_second;
            if (!split_date(date, observation.date, observation.start_time, &start_second))
                fail(file, line_label(record.line) + ": 'Observation date' is " + single_quoted(date) +
                               ", not a date (yyyy-mm-dd hh:mm:ss)");
            start_seconds[data.observations.size()] = start_second;
            observation.description = trim(cell_of(record, description_column));
            if (observation.description.empty()) observation.description = block.value("description");
            observation.type = observation_type(cell_of(record, type_name_column));
            observation.media_duration = parse_media_duration(cell_of(record, media_column));
            observation.variables = block.variables;
            for (const auto& [name, column] : columns.variables)
                observation.variables[name] = trim(cell_of(record, column));
            data.observations.push_back(std::move(observation));
        }
        BorisObservation& observation = data.observations[slot->second];

        BorisEvent event;
        event.line = record.line;
        event.subject = trim(cell_of(record, subject_column));
        event.behavior = trim(cell_of(record, behavior_column));
        if (event.behavior.empty()) fail(file, line_label(record.line) + ": the 'Behavior' cell is empty");
        for (size_t m = 0; m < columns.modifiers.size(); ++m) {
            const std::string cell = trim(cell_of(record, columns.modifiers[m]));
            event.modifier_text += (m ? "|" : "") + cell;
            const std::vector<std::string> names(split(cell, '|').size(), columns.modifier_names[m]);
            for (BorisModifier& modifier : split_modifiers(cell, names))
                event.modifiers.push_back(std::move(modifier));
        }
        event.comment = trim(cell_of(record, comment_column));

        if (data.format == BorisFormat::TabularEvents) {
            event.time = time_cell(file, record, time_column, "Time");
            const std::string status = normalize_key(cell_of(record, status_column));
            if (status == "start")
                event.status = BorisStatus::Start;
            else if (status == "stop")
                event.status = BorisStatus::Stop;
            else if (status == "point")
                event.status = BorisStatus::Point;
            else
                fail(file, line_label(record.line) + ": the status is " +
                               single_quoted(cell_of(record, status_column)) + "; expected START, STOP or POINT");
            observation.events.push_back(std::move(event));
            continue;
        }
        // Aggregated: one row per point, or per state with its start and stop.
        event.time = time_cell(file, record, start_column, "Start (s)");
        const std::string type = normalize_key(cell_of(record, type_column));
        if (type == "point") {
            event.status = BorisStatus::Point;
            observation.events.push_back(std::move(event));
        } else if (type == "state") {
            BorisEvent stop_event = event;
            stop_event.time = time_cell(file, record, stop_column, "Stop (s)");
            if (event.time && stop_event.time && *stop_event.time < *event.time)
                fail(file, line_label(record.line) + ": 'Stop (s)' is before 'Start (s)'");
            event.status = BorisStatus::Start;
            stop_event.status = BorisStatus::Stop;
            stop_event.comment = trim(cell_of(record, comment_stop_column));
            observation.events.push_back(std::move(event));
            observation.events.push_back(std::move(stop_event));
        } else {
            fail(file, line_label(record.line) + ": 'Behavior type' is " + single_quoted(cell_of(record, type_column)) +
                           "; expected STATE or POINT");
        }
    }
    for (size_t i = 0; i < data.observations.size(); ++i) {
        order_events(data.observations[i].events, false);
        rebase_clock(data.observations[i], std::nullopt, start_seconds[i]);
    }
    return data;
}

}  // namespace attune::formats::detail
