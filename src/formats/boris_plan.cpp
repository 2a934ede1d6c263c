// boris_plan.cpp: step 2 of the BORIS import (see boris.h): which sessions,
// layers and observations a parsed BORIS file becomes, and which of its
// observations are left out and why.
//
// [SECTION] Names: subjects, behaviours, the map
// [SECTION] Pairing START and STOP
// [SECTION] One BORIS observation -> one layer
// [SECTION] The plan
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "core/text.h"
#include "formats/boris.h"

namespace attune::formats {
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxComment = 2000;  // as the store allows
// BORIS's "Fix unpaired events" stops each open state this long after the
// last event, and each further one this much later again.
constexpr double kFixStep = 0.001;

std::string seconds_text(double t) {
    return format_number(t, 3) + " s";
}
std::string in_quotes(const std::string& text) {
    return "'" + text + "'";
}

bool is_no_focal_subject(const std::string& subject) {
    const std::string key = normalize_key(subject);
    return key.empty() || key == "no focal subject";
}

std::string subject_label(const std::string& subject) {
    return is_no_focal_subject(subject) ? std::string("no focal subject") : in_quotes(subject);
}

std::string event_place(const BorisEvent& e) {
    return e.line > 0 ? "line " + std::to_string(e.line) : "event " + std::to_string(e.index);
}

std::string events_text(int n) {
    return std::to_string(n) + (n == 1 ? " event" : " events");
}

std::string milliseconds(double seconds) {
    return std::to_string(std::llround(seconds * 1000.0));
}

// [SECTION] Names: subjects, behaviours, the map

// Unknown subjects and behaviours, each once, where first seen: one message.
class UnknownNames {
public:
    void subject(const std::string& name, const std::string& where, int line) { note(subjects_, name, where, line); }
    void behavior(const std::string& name, const std::string& where, int line) { note(behaviors_, name, where, line); }

    void throw_if_any(const fs::path& file, const CodingScheme& scheme, const BorisMapping& names) const {
        if (subjects_.empty() && behaviors_.empty()) return;
        std::string message = file.string() + ": nothing was imported:";
        if (!behaviors_.empty()) {
            message += " behaviours not in the coding scheme: " + listed(behaviors_) +
                       "; map each to an Attune code with --map BORIS=ATTUNE or --map-file FILE (codes: ";
            for (size_t i = 0; i < scheme.codes.size(); ++i)
                message += (i ? ", " : "") + scheme.codes[i].id;
            message += ")";
        }
        if (!subjects_.empty()) {
            message += std::string(behaviors_.empty() ? "" : ";") + " subjects that are neither partner nor the " +
                       "therapist: " + listed(subjects_) + "; name the partners as BORIS spells them (now A " +
                       in_quotes(names.partner_a_name) + ", B " + in_quotes(names.partner_b_name) + ", therapist " +
                       in_quotes(names.therapist_name) + ") or leave a subject out with --ignore-subject NAME";
        }
        throw BorisImportError(message);
    }

private:
    struct Unknown {
        std::string key;
        std::string name;
        std::string where;
        int line = 0;
    };
    // `line` orders sightings in a delimited export, whose events were sorted
    // by time; 0 (project files) keeps the first sighting.
    static void note(std::vector<Unknown>& list, const std::string& name, const std::string& where, int line) {
        const std::string key = normalize_key(name);
        for (Unknown& u : list) {
            if (u.key != key) continue;
            if (line > 0 && line < u.line) {
                u.where = where;
                u.line = line;
            }
            return;
        }
        list.push_back({key, name, where, line});
    }
    static std::string listed(const std::vector<Unknown>& list) {
        std::string out;
        for (const Unknown& u : list)
            out += (out.empty() ? "" : ", ") + in_quotes(u.name) + " (first at " + u.where + ")";
        return out;
    }

    std::vector<Unknown> subjects_;
    std::vector<Unknown> behaviors_;
};

struct Names {
    std::string a, b, therapist;
    std::set<std::string> ignored;

    std::optional<Who> who_of(const std::string& subject) const {
        const std::string key = normalize_key(subject);
        if (key == a) return Who::A;
        if (key == b) return Who::B;
        if (key == therapist) return Who::Therapist;
        if (key == "both" || is_no_focal_subject(subject)) return Who::Both;  // "Both": Attune's own export
        return std::nullopt;
    }
};

// What a BORIS behaviour becomes: a code, left out (mapped to nothing), or unknown.
struct CodeLookup {
    const CodingScheme& scheme;
    const BehaviorMap& map;

    // nullptr with `left_out` false: unknown.
    const Code* find(const std::string& behavior, bool& left_out) const {
        left_out = false;
        if (auto mapped = map.find(normalize_key(behavior)); mapped != map.end()) {
            if (mapped->second.empty() || mapped->second == "-") {
                left_out = true;
                return nullptr;
            }
            return scheme.find(mapped->second);
        }
        return scheme.find(behavior);
    }
};

void check_map_targets(const fs::path& file, const CodingScheme& scheme, const BehaviorMap& map) {
    std::string wrong;
    for (const auto& [from, to] : map)
        if (!to.empty() && to != "-" && !scheme.find(to))
            wrong += (wrong.empty() ? "" : ", ") + in_quotes(to) + " (for " + in_quotes(from) + ")";
    if (wrong.empty()) return;
    std::string codes;
    for (const Code& c : scheme.codes)
        codes += (codes.empty() ? "" : ", ") + c.id;
    throw BorisImportError(file.string() +
                           ": nothing was imported: the behaviour map names codes the coding scheme "
                           "does not have: " +
                           wrong + " (codes: " + codes + ")");
}

// [SECTION] Pairing START and STOP

// A BORIS point, or a state's START with its STOP (none when unpaired).
struct Occurrence {
    const BorisEvent* start = nullptr;
    const BorisEvent* stop = nullptr;
    bool state = false;
    std::optional<double> closed_at;  // close_unpaired: where the fix stops it
};

// Pairs per (subject, behaviour, modifiers) as BORIS does. A STOP with nothing
// running or a START of a state already running (possible only in an edited
// export) makes the observation unusable: `problem` says where.
std::vector<Occurrence> pair_events(const std::vector<const BorisEvent*>& events, std::string& problem) {
    std::vector<Occurrence> out;
    std::map<std::string, size_t> running;
    for (const BorisEvent* event : events) {
        const std::string key =
            normalize_key(event->subject) + '\x1f' + normalize_key(event->behavior) + '\x1f' + event->modifier_text;
        switch (event->status) {
            case BorisStatus::Point:
                out.push_back({event, nullptr, false, std::nullopt});
                break;
            case BorisStatus::Start:
                if (running.count(key)) {
                    problem = "START of " + in_quotes(event->behavior) + " (" + subject_label(event->subject) +
                              ") at " + event_place(*event) + " while it is still running";
                    return {};
                }
                running[key] = out.size();
                out.push_back({event, nullptr, true, std::nullopt});
                break;
            case BorisStatus::Stop: {
                auto found = running.find(key);
                if (found == running.end()) {
                    problem = "STOP of " + in_quotes(event->behavior) + " (" + subject_label(event->subject) + ") at " +
                              event_place(*event) + " without a START before it";
                    return {};
                }
                out[found->second].stop = event;
                running.erase(found);
                break;
            }
        }
    }
    return out;
}

// [SECTION] One BORIS observation -> one layer

struct LayerResult {
    PlannedLayer layer;
    std::optional<std::string> skipped;  // the reason the observation is left out
    double last_time = 0;                // of what was kept, stops included
};

std::string compose_comment(const Occurrence& o, const std::vector<BorisModifier>& others) {
    std::vector<std::string> parts;
    for (const BorisModifier& m : others)
        parts.push_back("modifier: " + m.value);
    if (!o.start->comment.empty()) parts.push_back(o.start->comment);
    if (o.stop && !o.stop->comment.empty() && o.stop->comment != o.start->comment)
        parts.push_back("at stop: " + o.stop->comment);
    std::string out;
    for (const std::string& part : parts)
        out += (out.empty() ? "" : "; ") + part;
    return out;
}

// Cuts at a UTF-8 character boundary.
std::string cut_utf8(const std::string& text, size_t max) {
    if (text.size() <= max) return text;
    size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;
    return text.substr(0, end);
}

// Observations Attune exported carry the variables "case", "session" and
// "rater": every rater's observation of a session (same case, number and
// date) meets in one session.
std::string session_key(const BorisObservation& o) {
    auto the_case = o.variables.find("case");
    auto session = o.variables.find("session");
    if (the_case == o.variables.end() || session == o.variables.end() || !o.variables.count("rater") ||
        trim(session->second).empty())
        return o.id;
    return "attune\x1f" + normalize_key(the_case->second) + "\x1f" + trim(session->second) + "\x1f" + o.date;
}

LayerResult plan_layer(const BorisData& data, const BorisObservation& observation, const Names& names,
                       const CodeLookup& codes, bool close_unpaired, UnknownNames& unknown) {
    const bool attune_layout = session_key(observation) != observation.id;
    LayerResult result;
    PlannedLayer& layer = result.layer;
    layer.observation_id = observation.id;
    if (auto rater = observation.variables.find("rater"); rater != observation.variables.end())
        layer.rater = trim(rater->second);
    if (observation.events.empty()) {
        result.skipped = "it has no events";
        return result;
    }
    if (observation.clock != BorisClock::Relative)
        layer.notes.push_back(std::string("times were ") +
                              (observation.clock == BorisClock::Epoch ? "seconds since 1970 (BORIS's epoch clock)"
                                                                      : "the time of day (BORIS's day clock)") +
                              ": " + seconds_text(observation.rebased_by) +
                              " taken off, so that the session starts at 0");

    // Names first: every unknown one is reported, whether or not this observation is usable.
    std::map<std::string, int> ignored_counts;
    std::map<std::string, int> left_out_counts;
    std::vector<const BorisEvent*> kept;
    for (const BorisEvent& e : observation.events) {
        if (names.ignored.count(normalize_key(e.subject))) {
            ++ignored_counts[e.subject];
            continue;
        }
        bool left_out = false;
        const Code* code = codes.find(e.behavior, left_out);
        if (left_out) {
            ++left_out_counts[e.behavior];
            continue;
        }
        const std::string where = describe_location(data, observation, e);
        if (!names.who_of(e.subject)) unknown.subject(e.subject, where, e.line);
        if (!code) unknown.behavior(e.behavior, where, e.line);
        kept.push_back(&e);
    }
    for (const auto& [subject, count] : ignored_counts)
        layer.notes.push_back(events_text(count) + " of subject " + in_quotes(subject) + " left out (ignored)");
    for (const auto& [behavior, count] : left_out_counts)
        layer.notes.push_back(events_text(count) + " of " + in_quotes(behavior) + " left out (mapped to nothing)");
    for (const BorisEvent* e : kept)
        if (e->time && *e->time < 0) {
            result.skipped =
                "its " + event_place(*e) + " is at " + seconds_text(*e->time) + ", before the observation's start";
            return result;
        }
    if (kept.empty()) {
        result.skipped = "every event in it was left out (ignored subjects or behaviours mapped to nothing)";
        return result;
    }

    std::string problem;
    std::vector<Occurrence> occurrences = pair_events(kept, problem);
    if (!problem.empty()) {
        result.skipped = problem;
        return result;
    }

    // Open states of state codes: left out, or closed as BORIS's fix closes them.
    double last_event = 0;
    for (const BorisEvent* e : kept)
        if (e->time) last_event = std::max(last_event, *e->time);
    std::vector<Occurrence*> open;
    for (Occurrence& o : occurrences) {
        bool left_out = false;
        const Code* code = codes.find(o.start->behavior, left_out);
        if (o.state && !o.stop && code && code->kind == EventKind::State) open.push_back(&o);
    }
    std::stable_sort(open.begin(), open.end(), [](const Occurrence* x, const Occurrence* y) {
        return std::tie(x->start->subject, x->start->behavior) < std::tie(y->start->subject, y->start->behavior);
    });
    for (size_t i = 0; i < open.size(); ++i) {
        const Occurrence& o = *open[i];
        bool left_out = false;
        const Code* code = codes.find(o.start->behavior, left_out);
        const std::string what = "START of " + in_quotes(o.start->behavior) + " (" + subject_label(o.start->subject) +
                                 ")" + (o.start->time ? " at " + seconds_text(*o.start->time) : std::string()) + " (" +
                                 event_place(*o.start) + ")";
        if (!close_unpaired) {
            result.skipped = what + " has no STOP and " + in_quotes(code->id) +
                             " is a state code: close open states at the last event (--close-unpaired, as BORIS's "
                             "Fix unpaired events does) or add the STOP in BORIS";
            return result;
        }
        open[i]->closed_at = last_event + kFixStep * static_cast<double>(i + 1);
        layer.notes.push_back(what + " had no STOP: closed at " + seconds_text(*open[i]->closed_at) +
                              ", just after the last event");
    }

    std::map<std::string, int> occurrence_counts;  // identical source keys within the observation
    std::map<std::string, int> durations_dropped;  // point code -> BORIS states of it
    int without_time = 0;
    for (const Occurrence& o : occurrences) {
        const BorisEvent& start = *o.start;
        const auto who = names.who_of(start.subject);
        bool left_out = false;
        const Code* code = codes.find(start.behavior, left_out);
        if (!who || !code) continue;  // reported as unknown
        const std::optional<double> stop_time = o.stop ? o.stop->time : o.closed_at;
        if (!start.time || (o.stop && !o.stop->time)) {
            without_time += o.stop ? 2 : 1;
            continue;
        }
        PlannedObservation planned;
        planned.where = describe_location(data, observation, start);
        Observation& out = planned.observation;
        out.who = *who;
        out.code_id = code->id;
        out.t = *start.time;
        out.kind = code->kind;
        if (code->kind == EventKind::State) {
            if (o.state && !stop_time) continue;      // unreachable: open states were closed or skipped above
            out.stop = o.state ? *stop_time : out.t;  // a BORIS point of a state code: zero length
        } else if (o.state && stop_time) {
            ++durations_dropped[code->id];  // a point code in Attune: the moment it began
        }
        std::vector<BorisModifier> others;
        for (const BorisModifier& m : start.modifiers) {
            // Attune's own table names its one modifier column "Modifier #1", as BORIS does.
            const bool intensity =
                normalize_key(m.set_name).find("intens") != std::string::npos || (attune_layout && m.set_name.empty());
            if (!intensity) {
                others.push_back(m);
                continue;
            }
            const std::string value = trim(m.value.substr(0, m.value.find(" (")));  // BORIS's "value (key)"
            if (value == "1" || value == "2" || value == "3") {
                out.intensity = value[0] - '0';
            } else {
                others.push_back(m);
                layer.notes.push_back("intensity " + in_quotes(m.value) + " at " + event_place(start) +
                                      " is not 1, 2 or 3: kept in the comment");
            }
        }
        out.comment = compose_comment(o, others);
        if (out.comment.size() > kMaxComment) {
            out.comment = cut_utf8(out.comment, kMaxComment);
            layer.notes.push_back("the comment at " + event_place(start) + " was cut to " +
                                  std::to_string(kMaxComment) + " characters");
        }
        result.last_time = std::max(result.last_time, out.stop.value_or(out.t));
        planned.source_key = (is_no_focal_subject(start.subject) ? std::string() : normalize_key(start.subject)) +
                             '\x1f' + normalize_key(start.behavior) + '\x1f' + milliseconds(out.t) + '\x1f' +
                             (stop_time && o.state ? milliseconds(*stop_time) : std::string("-"));
        planned.source_key += "#" + std::to_string(++occurrence_counts[planned.source_key]);
        layer.observations.push_back(std::move(planned));
    }
    if (without_time > 0)
        layer.notes.push_back(events_text(without_time) + " without a time (BORIS stored NaN or nothing) left out");
    for (const auto& [code, count] : durations_dropped)
        layer.notes.push_back(in_quotes(code) + " is a point code in Attune: " + std::to_string(count) +
                              (count == 1 ? " BORIS state of it became a point at its start ("
                                          : " BORIS states of it became points at their start (") +
                              std::to_string(count) + (count == 1 ? " duration" : " durations") + " dropped)");
    if (layer.observations.empty() && !result.skipped) {
        result.skipped = without_time > 0 ? "none of its events has a time (BORIS stored NaN, as for an observation "
                                            "from pictures without times)"
                                          : "none of its events could be used";
    }
    std::stable_sort(
        layer.observations.begin(), layer.observations.end(),
        [](const PlannedObservation& x, const PlannedObservation& y) { return x.observation.t < y.observation.t; });
    return result;
}

std::optional<double> variable_number(const BorisObservation& o, const char* name) {
    auto found = o.variables.find(name);
    if (found == o.variables.end()) return std::nullopt;
    const std::string text = trim(found->second);
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(value) || value < 0) return std::nullopt;
    return value;
}

// The observations asked for: each id as written in the file, or else a comma
// list of such ids (an id may itself hold a comma).
std::set<std::string> chosen_ids(const BorisData& data, const std::vector<std::string>& asked) {
    std::set<std::string> known;
    for (const BorisObservation& o : data.observations)
        known.insert(o.id);
    std::set<std::string> chosen;
    for (const std::string& text : asked) {
        if (known.count(text) || known.count(trim(text))) {
            chosen.insert(known.count(text) ? text : trim(text));
            continue;
        }
        for (const std::string& part : split(text, ',')) {
            const std::string id = trim(part);
            if (id.empty()) continue;
            if (!known.count(id)) {
                std::string ids;
                for (const BorisObservation& o : data.observations)
                    ids += (ids.empty() ? "" : ", ") + in_quotes(o.id);
                throw BorisImportError(data.file.string() + ": there is no observation " + in_quotes(id) +
                                       "; the file has " + (ids.empty() ? std::string("none") : ids) +
                                       "; nothing was imported");
            }
            chosen.insert(id);
        }
    }
    return chosen;
}

}  // namespace

// [SECTION] The plan

std::size_t PlannedSession::observation_count() const {
    std::size_t total = 0;
    for (const PlannedLayer& layer : layers)
        total += layer.observations.size();
    return total;
}

std::size_t ImportPlan::observation_count() const {
    std::size_t total = 0;
    for (const PlannedSession& session : sessions)
        total += session.observation_count();
    return total;
}

ImportPlan plan_boris_import(const BorisData& data, const CodingScheme& scheme, const BorisPlanOptions& options) {
    BorisMapping mapping{trim(options.names.partner_a_name), trim(options.names.partner_b_name),
                         trim(options.names.therapist_name)};
    if (mapping.therapist_name.empty()) mapping.therapist_name = "Therapist";
    Names names{normalize_key(mapping.partner_a_name),
                normalize_key(mapping.partner_b_name),
                normalize_key(mapping.therapist_name),
                {}};
    if (names.a.empty() || names.b.empty())
        throw BorisImportError("both partners' names are needed to read the BORIS subjects");
    if (names.a == names.b || names.a == names.therapist || names.b == names.therapist ||
        is_no_focal_subject(names.a) || is_no_focal_subject(names.b))
        throw BorisImportError("the partners' and the therapist's names must differ ('" + mapping.partner_a_name +
                               "', '" + mapping.partner_b_name + "', '" + mapping.therapist_name + "')");
    for (const std::string& subject : options.ignored_subjects) {
        const std::string key = normalize_key(subject);
        if (key == names.a || key == names.b)
            throw BorisImportError("'" + trim(subject) + "' is a partner: a partner's coding cannot be left out");
        if (!key.empty()) names.ignored.insert(key);
    }
    check_map_targets(data.file, scheme, options.behavior_map);
    const CodeLookup codes{scheme, options.behavior_map};

    const std::set<std::string> chosen = chosen_ids(data, options.observation_ids);
    UnknownNames unknown;
    ImportPlan plan;
    plan.file = data.file;
    std::map<std::string, size_t> session_of_key;
    for (const BorisObservation& observation : data.observations) {
        if (!chosen.empty() && !chosen.count(observation.id)) {
            plan.skipped.push_back({observation.id, "not chosen"});
            continue;
        }
        LayerResult result = plan_layer(data, observation, names, codes, options.close_unpaired, unknown);
        if (result.skipped) {
            plan.skipped.push_back({observation.id, *result.skipped});
            continue;
        }
        double length = std::max(result.last_time, observation.media_duration.value_or(0.0));
        length = std::max(length, observation.interval_end.value_or(0.0));
        length = std::max(length, variable_number(observation, "session length (s)").value_or(0.0));
        const std::string key = session_key(observation);
        auto [slot, is_new] = session_of_key.emplace(key, plan.sessions.size());
        if (is_new) {
            PlannedSession session;
            session.key = key;
            session.date = observation.date;
            session.start_time = observation.start_time;
            session.description = observation.description;
            plan.sessions.push_back(std::move(session));
        }
        PlannedSession& session = plan.sessions[slot->second];
        session.active_seconds = std::max(session.active_seconds, length);
        session.layers.push_back(std::move(result.layer));
    }
    unknown.throw_if_any(data.file, scheme, mapping);
    std::stable_sort(plan.sessions.begin(), plan.sessions.end(), [](const PlannedSession& x, const PlannedSession& y) {
        return std::tie(x.date, x.start_time) < std::tie(y.date, y.start_time);
    });
    return plan;
}

}  // namespace attune::formats
