// boris_write.cpp: the BORIS project and aggregated table (see boris_write.h).
//
// [SECTION] Names and numbers
// [SECTION] Ethogram, subjects, variables
// [SECTION] Observations and events
// [SECTION] The project
// [SECTION] The aggregated table
#include "formats/boris_write.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "core/scheme.h"
#include "core/text.h"
#include "formats/export_tables.h"

namespace attune::formats {

namespace {

using ordered_json = nlohmann::ordered_json;

// [SECTION] Names and numbers

constexpr const char* kBothSubject = "Both";
constexpr const char* kTherapistSubject = "Therapist";
constexpr const char* kIntensitySet = "intensity";
constexpr const char* kNoModifier = "None";  // what BORIS writes for a set left unchosen

// BORIS stores times as millisecond decimals.
double ms(double seconds) {
    return std::round(seconds * 1000.0) / 1000.0;
}

std::string number_text(double value) {
    return format_number(value, 3);
}

std::string iso_date_time(const Session& s) {
    return s.date + "T" + (s.start_time.empty() ? std::string("00:00") : s.start_time) + ":00";
}

// A state still running has no stop: for BORIS it stops where the session clock stopped.
double stop_of(const Observation& o, const Session& s) {
    return o.stop ? *o.stop : std::max(o.t, s.active_seconds);
}

bool carries_intensity_set(const Code& code, const std::set<std::string>& with_intensity) {
    return code.polarity != Polarity::Intervention || with_intensity.count(code.id) > 0;
}

std::set<std::string> codes_with_intensity(const BorisExportData& data) {
    std::set<std::string> out;
    for (const BorisSession& s : data.sessions)
        for (const BorisLayer& layer : s.layers)
            for (const Observation& o : layer.observations)
                if (o.intensity) out.insert(o.code_id);
    return out;
}

const Code* code_of(const BorisExportData& data, const std::string& id) {
    for (const Code& c : data.scheme.codes)
        if (c.id == id) return &c;
    return nullptr;
}

std::string category_label(const CodingScheme& scheme, const Code& code) {
    const Category* category = scheme.find_category(code.category);
    return category ? category->label : code.category;
}

std::string modifier_of(const Observation& o, bool has_set) {
    if (!has_set) return "";
    return o.intensity ? std::to_string(*o.intensity) : kNoModifier;
}

}  // namespace

std::string boris_subject(const Case& info, Who who) {
    const std::string a = trim(info.partner_a.display_name);
    const std::string b = trim(info.partner_b.display_name);
    const std::set<std::string> taken{"both", "therapist", "no focal subject", ""};
    // A partner named like another subject keeps the name with the role after it.
    const bool a_clash = taken.count(normalize_key(a)) || normalize_key(a) == normalize_key(b);
    const bool b_clash = taken.count(normalize_key(b)) || normalize_key(a) == normalize_key(b);
    switch (who) {
        case Who::A:
            return a_clash ? a + (a.empty() ? "" : " ") + "(A)" : a;
        case Who::B:
            return b_clash ? b + (b.empty() ? "" : " ") + "(B)" : b;
        case Who::Both:
            return kBothSubject;
        case Who::Therapist:
            break;
    }
    return kTherapistSubject;
}

std::string boris_observation_id(const Case& info, const Session& session, const std::string& rater) {
    std::string id = trim(info.label) + " S" + std::to_string(session.number);
    if (!trim(rater).empty()) id += " " + trim(rater);
    return trim(id);
}

namespace {

// [SECTION] Ethogram, subjects, variables

ordered_json ethogram(const BorisExportData& data) {
    const std::set<std::string> with_intensity = codes_with_intensity(data);
    std::map<std::string, int> key_uses;  // a key two codes share would be ambiguous in BORIS: none then
    for (const Code& c : data.scheme.codes)
        if (!c.hotkey.empty()) ++key_uses[c.hotkey];
    ordered_json out = ordered_json::object();
    int index = 0;
    for (const Code& c : data.scheme.codes) {
        ordered_json modifiers = ordered_json::object();
        if (carries_intensity_set(c, with_intensity))
            modifiers["0"] = {{"name", kIntensitySet}, {"type", 0}, {"values", {"1", "2", "3"}}};
        out[std::to_string(index++)] = {
            {"type", c.kind == EventKind::State ? "State event" : "Point event"},
            {"key", key_uses[c.hotkey] == 1 ? c.hotkey : std::string()},
            {"code", c.id},
            {"description", c.label},
            {"color", ""},
            {"category", category_label(data.scheme, c)},
            {"modifiers", modifiers},
            {"excluded", ""},
            {"coding map", ""},
        };
    }
    return out;
}

ordered_json subjects(const Case& info) {
    ordered_json out = ordered_json::object();
    const std::pair<Who, const char*> rows[] = {{Who::A, "partner A"},
                                                {Who::B, "partner B"},
                                                {Who::Both, "both partners together"},
                                                {Who::Therapist, "the therapist"}};
    int index = 0;
    for (const auto& [who, description] : rows) {
        out[std::to_string(index)] = {
            {"key", std::to_string(index + 1)}, {"name", boris_subject(info, who)}, {"description", description}};
        ++index;
    }
    return out;
}

struct Variable {
    const char* label;
    const char* type;
    const char* description;
};
constexpr Variable kVariables[] = {
    {"case", "text", "Attune case label"},
    {"session", "numeric", "session number in the case"},
    {"date", "text", "session date (yyyy-mm-dd)"},
    {"rater", "text", "who coded this observation"},
    {"session length (s)", "numeric", "active session length in seconds, pauses excluded"},
};

ordered_json variable_definitions() {
    ordered_json out = ordered_json::object();
    int index = 0;
    for (const Variable& v : kVariables)
        out[std::to_string(index++)] = {{"label", v.label},
                                        {"description", v.description},
                                        {"type", v.type},
                                        {"default value", ""},
                                        {"possible values", ""}};
    return out;
}

std::vector<std::string> variable_values(const Case& info, const Session& s, const std::string& rater) {
    return {trim(info.label), std::to_string(s.number), s.date, trim(rater), number_text(ms(s.active_seconds))};
}

// [SECTION] Observations and events

struct Event {
    double time = 0;
    std::string subject;
    std::string code;
    std::string modifier;
    std::string comment;
};

std::vector<Event> events_of(const BorisExportData& data, const BorisSession& s, const BorisLayer& layer,
                             const std::set<std::string>& with_intensity, std::vector<std::string>& still_running) {
    std::vector<Event> events;
    for (const Observation& o : layer.observations) {
        const Code* code = code_of(data, o.code_id);
        const bool has_set = code ? carries_intensity_set(*code, with_intensity) : o.intensity.has_value();
        const std::string subject = boris_subject(data.info, o.who);
        const std::string modifier = modifier_of(o, has_set);
        const bool state = code ? code->kind == EventKind::State : o.kind == EventKind::State;
        events.push_back({ms(o.t), subject, o.code_id, modifier, o.comment});
        if (!state) continue;
        const double stop = o.kind == EventKind::State ? stop_of(o, s.session) : o.t;
        if (o.kind == EventKind::State && !o.stop)
            still_running.push_back(o.code_id + " of " + subject + " from " + format_clock(o.t));
        events.push_back({ms(stop), subject, o.code_id, modifier, ""});
    }
    // BORIS's own order (it sorts by time, subject and behaviour when it opens a project).
    std::stable_sort(events.begin(), events.end(), [](const Event& x, const Event& y) {
        return std::tie(x.time, x.subject, x.code) < std::tie(y.time, y.subject, y.code);
    });
    return events;
}

std::string description_of(const BorisExportData& data, const BorisSession& s, const BorisLayer& layer,
                           const std::vector<std::string>& still_running) {
    std::string text = "Attune case " + trim(data.info.label) + ", session " + std::to_string(s.session.number) + " (" +
                       s.session.date + "), coded by " + (layer.rater.empty() ? "an unknown rater" : layer.rater) +
                       ". Session length " + format_clock(s.session.active_seconds) + ".";
    if (s.session.state != SessionState::Ended) text += " The session had not ended when this was exported.";
    if (!still_running.empty()) {
        text += " Still running when exported, stopped here at the session's end (" +
                format_clock(s.session.active_seconds) + "): ";
        for (size_t i = 0; i < still_running.size(); ++i)
            text += (i ? "; " : "") + still_running[i];
        text += ".";
    }
    return text;
}

ordered_json observation_json(const BorisExportData& data, const BorisSession& s, const BorisLayer& layer,
                              const std::set<std::string>& with_intensity) {
    std::vector<std::string> still_running;
    const std::vector<Event> events = events_of(data, s, layer, with_intensity, still_running);
    ordered_json list = ordered_json::array();
    for (const Event& e : events)
        list.push_back({e.time, e.subject, e.code, e.modifier, e.comment});
    ordered_json variables = ordered_json::object();
    const std::vector<std::string> values = variable_values(data.info, s.session, layer.rater);
    for (size_t i = 0; i < values.size(); ++i)
        variables[kVariables[i].label] = values[i];
    return {
        {"file", ordered_json::object()},
        {"type", "LIVE"},
        {"date", iso_date_time(s.session)},
        {"description", description_of(data, s, layer, still_running)},
        {"time offset", 0.0},
        {"events", list},
        {"observation time interval", {0, ms(s.session.active_seconds)}},
        {"independent_variables", variables},
        {"visualize_spectrogram", false},
        {"visualize_waveform", false},
        {"media_creation_date_as_offset", false},
        {"media_scan_sampling_duration", 0},
        {"image_display_duration", 1},
        {"close_behaviors_between_videos", false},
        {"scan_sampling_time", 0},
        {"start_from_current_time", false},
        {"start_from_current_epoch_time", false},
    };
}

}  // namespace

// [SECTION] The project

std::string boris_project_json(const BorisExportData& data) {
    const std::set<std::string> with_intensity = codes_with_intensity(data);
    ordered_json categories = ordered_json::array();
    ordered_json categories_config = ordered_json::object();
    for (const Category& c : data.scheme.categories) {
        categories_config[std::to_string(categories.size())] = {{"name", c.label}, {"color", ""}};
        categories.push_back(c.label);
    }
    ordered_json observations = ordered_json::object();
    for (const BorisSession& s : data.sessions)
        for (const BorisLayer& layer : s.layers)
            observations[boris_observation_id(data.info, s.session, layer.rater)] =
                observation_json(data, s, layer, with_intensity);
    const ordered_json project = {
        {"time_format", "hh:mm:ss"},
        {"project_date", data.exported_at},
        {"project_name", "Attune: " + trim(data.info.label)},
        {"project_description",
         "Exported from Attune: case " + trim(data.info.label) + " (" + trim(data.info.partner_a.display_name) +
             " and " + trim(data.info.partner_b.display_name) + "), one observation per session and rater."},
        {"project_format_version", "7.0"},
        {"subjects_conf", subjects(data.info)},
        {"behaviors_conf", ethogram(data)},
        {"observations", observations},
        {"behavioral_categories", categories},
        {"behavioral_categories_config", categories_config},
        {"independent_variables", variable_definitions()},
        {"coding_map", ordered_json::object()},
        {"behaviors_coding_map", ordered_json::array()},
        {"converters", ordered_json::object()},
    };
    return project.dump() + "\n";
}

// [SECTION] The aggregated table

namespace {

// Tabs and line breaks in free text become spaces; a cell with a quote is
// quoted with doubled quotes, as BORIS and spreadsheet readers expect; a
// cell a spreadsheet would run as a formula is written as text.
std::string tsv_cell(std::string text) {
    text = neutralise_formula(std::move(text));
    for (char& ch : text)
        if (ch == '\t' || ch == '\n' || ch == '\r') ch = ' ';
    if (text.find('"') == std::string::npos) return text;
    std::string out = "\"";
    for (char ch : text) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + "\"";
}

std::string tsv_line(const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < cells.size(); ++i)
        out += (i ? "\t" : "") + tsv_cell(cells[i]);
    return out + "\n";
}

}  // namespace

std::string boris_aggregated_tsv(const BorisExportData& data) {
    const std::set<std::string> with_intensity = codes_with_intensity(data);
    std::vector<std::string> header{"Observation id", "Observation date", "Description",     "Observation type",
                                    "Source",         "Time offset (s)",  "Coding duration", "Media duration (s)",
                                    "FPS (frame/s)"};
    for (const Variable& v : kVariables)
        header.push_back(v.label);
    for (const char* name :
         {"Subject", "Observation duration by subject by observation", "Behavior", "Behavioral category", "Modifier #1",
          "Behavior type", "Start (s)", "Stop (s)", "Duration (s)", "Media file name", "Image index start",
          "Image index stop", "Image file path start", "Image file path stop", "Comment start", "Comment stop"})
        header.push_back(name);
    std::string out = tsv_line(header);
    for (const BorisSession& s : data.sessions) {
        for (const BorisLayer& layer : s.layers) {
            std::vector<std::string> still_running;
            events_of(data, s, layer, with_intensity, still_running);  // for the description's list
            const std::string id = boris_observation_id(data.info, s.session, layer.rater);
            const std::string date = s.session.date + " " +
                                     (s.session.start_time.empty() ? std::string("00:00") : s.session.start_time) +
                                     ":00";
            // BORIS's coding duration: from the first to the last coded time.
            double first = 0, last = 0;
            std::map<Who, double> by_subject;  // summed state durations
            for (size_t i = 0; i < layer.observations.size(); ++i) {
                const Observation& o = layer.observations[i];
                const double stop = o.kind == EventKind::State ? stop_of(o, s.session) : o.t;
                first = i == 0 ? o.t : std::min(first, o.t);
                last = i == 0 ? stop : std::max(last, stop);
                by_subject[o.who] += ms(stop) - ms(o.t);
            }
            std::vector<std::string> leading{id,
                                             date,
                                             description_of(data, s, layer, still_running),
                                             "LIVE",
                                             "",
                                             "0",
                                             number_text(ms(last) - ms(first)),
                                             "NA",
                                             "NA"};
            for (const std::string& v : variable_values(data.info, s.session, layer.rater))
                leading.push_back(v);
            for (const Observation& o : layer.observations) {
                const Code* code = code_of(data, o.code_id);
                const bool has_set = code ? carries_intensity_set(*code, with_intensity) : o.intensity.has_value();
                const bool state = code ? code->kind == EventKind::State : o.kind == EventKind::State;
                const double stop = state && o.kind == EventKind::State ? stop_of(o, s.session) : o.t;
                std::vector<std::string> row = leading;
                const std::vector<std::string> cells{boris_subject(data.info, o.who),
                                                     number_text(by_subject[o.who]),
                                                     o.code_id,
                                                     code ? category_label(data.scheme, *code) : std::string(),
                                                     modifier_of(o, has_set),
                                                     state ? "STATE" : "POINT",
                                                     number_text(ms(o.t)),
                                                     number_text(ms(stop)),
                                                     state ? number_text(ms(stop) - ms(o.t)) : std::string("NA"),
                                                     "",
                                                     "NA",
                                                     "NA",
                                                     "",
                                                     "",
                                                     o.comment,
                                                     ""};
                row.insert(row.end(), cells.begin(), cells.end());
                out += tsv_line(row);
            }
        }
    }
    return out;
}

}  // namespace attune::formats
