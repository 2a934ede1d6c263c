// boris_parse_project.cpp: reading a BORIS project (.boris, JSON) into
// BorisData (step 1 of the import, see boris.h), the way BORIS 8-10 reads
// one: the ethogram (`behaviors_conf`) says which behaviours are states and
// names their modifier sets; each observation's `events` are
// [time, subject, behaviour, modifiers, comment, ...], a state appearing at
// its start and its stop, told apart by counting as BORIS counts.
//
// [SECTION] Before JSON: NaN, Infinity and depth
// [SECTION] Fields
// [SECTION] Observations
#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "core/scheme.h"
#include "core/text.h"
#include "formats/boris_parse_internal.h"

namespace attune::formats::detail {
namespace fs = std::filesystem;

namespace {

using ordered_json = nlohmann::ordered_json;

// [SECTION] Before JSON: NaN, Infinity and depth

// BORIS writes its project with Python's json module, which stores a time it
// does not have (an observation from pictures) as a bare NaN, and Infinity
// likewise; JSON has neither. Outside strings they become null (a missing
// time). The same pass refuses nesting deeper than any project has, before
// the JSON reader builds anything.
std::string_view nan_token_at(const std::string& text, size_t i) {
    for (std::string_view token : {"-Infinity", "Infinity", "NaN"})
        if (text.compare(i, token.size(), token) == 0) return token;
    return {};
}

std::string without_nan_tokens(const fs::path& file, const std::string& text) {
    std::string out;
    out.reserve(text.size());
    bool in_string = false;
    int depth = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            out.push_back(c);
            if (c == '\\' && i + 1 < text.size()) {
                out.push_back(text[++i]);
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxBorisJsonDepth)
                fail(file, line_label(line_of_offset(text, i)) + ": the JSON is nested more than " +
                               std::to_string(kMaxBorisJsonDepth) + " levels deep, which no BORIS project is");
        } else if (c == ']' || c == '}') {
            --depth;
        } else if (const std::string_view token = nan_token_at(text, i); !token.empty()) {
            out += "null";
            i += token.size() - 1;
            continue;
        }
        out.push_back(c);
    }
    return out;
}

ordered_json parse_json(const fs::path& file, const std::string& raw) {
    const std::string text = without_nan_tokens(file, raw);
    try {
        return ordered_json::parse(text);
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
}

// [SECTION] Fields

std::string field_of(const std::string& id) {
    return "observations[\"" + id + "\"]";
}

std::optional<double> json_number(const ordered_json& value) {
    if (value.is_number()) {
        const double number = value.get<double>();
        if (std::isfinite(number)) return number;
        return std::nullopt;
    }
    if (value.is_string()) return parse_number(value.get<std::string>());
    return std::nullopt;
}

// Text of a scalar; a list or object is refused (`what` names the field,
// `meaning` says what it holds, e.g. "the modifiers").
std::string scalar_text(const fs::path& file, const ordered_json& value, const std::string& what,
                        const std::string& meaning = "") {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return {};
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_number_integer()) return std::to_string(value.get<long long>());
    if (value.is_number()) return format_number(value.get<double>(), 6);
    fail(file, "field '" + what + "'" + (meaning.empty() ? "" : " (" + meaning + ")") + " is a " +
                   (value.is_array() ? "list" : "set of fields") + ", not text as BORIS writes it");
}

struct EthogramEntry {
    bool state = false;
    std::vector<std::string> modifier_sets;  // names, in set order
};

// Behaviour codes of the ethogram: state or point, and the modifier sets.
std::map<std::string, EthogramEntry> read_ethogram(const fs::path& file, const ordered_json& root) {
    auto conf = root.find("behaviors_conf");
    if (conf == root.end() || !conf->is_object())
        fail(file, "field 'behaviors_conf' (the ethogram) is missing: not a BORIS project");
    std::map<std::string, EthogramEntry> ethogram;
    for (const auto& [key, behavior] : conf->items()) {
        if (!behavior.is_object() || !behavior.contains("code") || !behavior["code"].is_string())
            fail(file, "field 'behaviors_conf[\"" + key + "\"].code' is missing or not text");
        EthogramEntry entry;
        const std::string type = behavior.contains("type")
                                     ? scalar_text(file, behavior["type"], "behaviors_conf[\"" + key + "\"].type")
                                     : "";
        // "State event", "State event with coding map", ...
        entry.state = normalize_key(type).find("state") != std::string::npos;
        // Modifier sets are keyed "0", "1", ... and read in that order, as BORIS sorts them.
        if (auto sets = behavior.find("modifiers"); sets != behavior.end() && sets->is_object()) {
            std::vector<std::pair<long, std::string>> named;
            for (const auto& [index, set] : sets->items()) {
                const auto number = parse_number(index);
                const std::string name = set.is_object() && set.contains("name") && set["name"].is_string()
                                             ? set["name"].get<std::string>()
                                             : "";
                named.emplace_back(number ? static_cast<long>(*number) : 0, name);
            }
            std::stable_sort(named.begin(), named.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
            for (auto& [index, name] : named)
                entry.modifier_sets.push_back(std::move(name));
        }
        ethogram[behavior["code"].get<std::string>()] = std::move(entry);
    }
    return ethogram;
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

bool flag(const ordered_json& value, const char* key) {
    auto found = value.find(key);
    return found != value.end() && found->is_boolean() && found->get<bool>();
}

// [SECTION] Observations

BorisObservation read_observation(const fs::path& file, const std::string& id, const ordered_json& value,
                                  const std::map<std::string, EthogramEntry>& ethogram) {
    const std::string field = field_of(id);
    if (!value.is_object()) fail(file, "field '" + field + "' is not an object");
    BorisObservation observation;
    observation.id = id;
    if (auto type = value.find("type"); type != value.end() && type->is_string())
        observation.type = type->get<std::string>();
    std::optional<double> start_second;
    auto date = value.find("date");
    if (date == value.end() || !date->is_string() ||
        !split_date(date->get<std::string>(), observation.date, observation.start_time, &start_second))
        fail(file, "field '" + field + ".date' is missing or not a date (yyyy-mm-ddThh:mm:ss)");
    if (value.contains("description"))
        observation.description = scalar_text(file, value["description"], field + ".description");
    observation.media_duration = media_duration(value);
    if (auto interval = value.find("observation time interval");
        interval != value.end() && interval->is_array() && interval->size() == 2)
        if (const auto end = json_number((*interval)[1]); end && *end > 0) observation.interval_end = end;
    if (auto variables = value.find("independent_variables"); variables != value.end() && variables->is_object())
        for (const auto& [label, v] : variables->items())
            observation.variables[label] = trim(scalar_text(file, v, field + ".independent_variables." + label));
    std::optional<BorisClock> declared;
    if (flag(value, "start_from_current_epoch_time"))
        declared = BorisClock::Epoch;
    else if (flag(value, "start_from_current_time"))
        declared = BorisClock::DayTime;

    auto events = value.find("events");
    if (events == value.end() || !events->is_array())
        fail(file, "field '" + field + ".events' is missing or not a list");
    int index = 0;
    for (const ordered_json& item : *events) {
        ++index;
        const std::string where = field + ".events[" + std::to_string(index - 1) + "]";
        if (!item.is_array() || item.size() < 3)
            fail(file, "field '" + where + "' is not an event [time, subject, behaviour, modifiers, comment]");
        BorisEvent event;
        event.index = index;
        if (item[0].is_null() || (item[0].is_string() && is_missing_number(item[0].get<std::string>()))) {
            event.time = std::nullopt;  // NaN or Infinity in the file: BORIS has no time for it
        } else {
            event.time = json_number(item[0]);
            if (!event.time) fail(file, "field '" + where + "[0]' (the time) is not a number");
        }
        if (!item[1].is_string() && !item[1].is_null())
            fail(file, "field '" + where + "[1]' (the subject) is not text");
        if (!item[2].is_string()) fail(file, "field '" + where + "[2]' (the behaviour) is not text");
        // Kept as written (BORIS sorts, counts and pairs on the exact text); trimmed for matching later.
        event.subject = item[1].is_null() ? std::string() : item[1].get<std::string>();
        event.behavior = item[2].get<std::string>();
        if (trim(event.behavior).empty()) fail(file, "field '" + where + "[2]' (the behaviour) is empty");
        if (item.size() > 3) event.modifier_text = scalar_text(file, item[3], where + "[3]", "the modifiers");
        if (item.size() > 4) event.comment = trim(scalar_text(file, item[4], where + "[4]", "the comment"));
        const auto entry = ethogram.find(event.behavior);
        event.modifiers = split_modifiers(
            event.modifier_text, entry == ethogram.end() ? std::vector<std::string>() : entry->second.modifier_sets);
        observation.events.push_back(std::move(event));
    }
    // BORIS sorts by time, subject and behaviour when it opens a project, then
    // counts: the odd occurrences of a state (per subject, behaviour and
    // modifiers) start it, the even ones stop it. A behaviour missing from
    // the ethogram cannot be paired: a point.
    order_events(observation.events, true);
    std::map<std::string, int> seen;
    for (BorisEvent& event : observation.events) {
        const auto entry = ethogram.find(event.behavior);
        if (entry == ethogram.end() || !entry->second.state) continue;
        const int count = ++seen[event.subject + '\x1f' + event.behavior + '\x1f' + event.modifier_text];
        event.status = count % 2 == 1 ? BorisStatus::Start : BorisStatus::Stop;
    }
    for (BorisEvent& event : observation.events) {
        event.subject = trim(event.subject);
        event.behavior = trim(event.behavior);
    }
    rebase_clock(observation, declared, start_second);
    return observation;
}

}  // namespace

BorisData parse_project(const fs::path& file, const std::string& text) {
    const ordered_json root = parse_json(file, text);
    if (!root.is_object()) fail(file, "the top level is not an object: not a BORIS project");
    auto observations = root.find("observations");
    if (observations == root.end() || !observations->is_object())
        fail(file, "field 'observations' is missing: not a BORIS project");
    const auto ethogram = read_ethogram(file, root);

    BorisData data;
    data.file = file;
    data.format = BorisFormat::Project;
    for (const auto& [id, value] : observations->items())
        data.observations.push_back(read_observation(file, id, value, ethogram));
    return data;
}

}  // namespace attune::formats::detail
