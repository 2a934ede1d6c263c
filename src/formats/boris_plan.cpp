// boris_import.cpp: step 2 of the BORIS import (see boris.h):
// planning sessions and observations from BorisData.
//
// [SECTION] Locations and uuids
// [SECTION] Planning
#include "formats/boris.h"

#include "core/text.h"
#include "core/sha256.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

namespace attune::formats {
namespace fs = std::filesystem;

// [SECTION] Locations and uuids

std::string describe_location(const BorisData& data, const BorisObservation& observation, const BorisEvent& event) {
    const std::string file = data.file.filename().string();
    if (event.line > 0) return file + " line " + std::to_string(event.line);
    return file + ", observation '" + observation.id + "', event " + std::to_string(event.index);
}

std::string derived_uuid(const std::vector<std::string>& parts) {
    std::string name;
    for (const std::string& part : parts) name += std::to_string(part.size()) + ':' + part + '|';
    std::string hex = sha256_hex(name).substr(0, 32);
    hex[12] = '8';  // version 8: custom, here SHA-256 name-based
    static constexpr char kHex[] = "0123456789abcdef";
    const int variant_nibble = hex[16] >= 'a' ? hex[16] - 'a' + 10 : hex[16] - '0';
    hex[16] = kHex[(variant_nibble & 0x3) | 0x8];  // RFC 9562 variant
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
           hex.substr(20, 12);
}

// [SECTION] Planning

namespace {

bool is_no_focal_subject(const std::string& subject) {
    const std::string key = normalize_key(subject);
    return key.empty() || key == "no focal subject";
}

std::string milliseconds(double seconds) { return std::to_string(std::llround(seconds * 1000.0)); }

std::string subject_label(const std::string& subject) {
    return is_no_focal_subject(subject) ? std::string("no focal subject") : "subject '" + subject + "'";
}

// Every problem found while planning, reported together: unknown names first
// (each once, where first seen), then pairing problems.
class Problems {
public:
    // `line` orders sightings in a delimited export, whose events were sorted
    // by time; 0 (project files) keeps the first sighting.
    void unknown_subject(const std::string& subject, const std::string& where, int line) {
        note(subjects_, subject, where, line);
    }
    void unknown_behavior(const std::string& behavior, const std::string& where, int line) {
        note(behaviors_, behavior, where, line);
    }
    void add(const std::string& line) { others_.push_back(line); }

    void throw_if_any(const fs::path& file, const BorisMapping& mapping) const {
        if (subjects_.empty() && behaviors_.empty() && others_.empty()) return;
        std::string message = file.string() + ": nothing was imported:";
        for (const Unknown& u : subjects_)
            message += "\n  - unknown subject '" + u.name + "' (first seen at " + u.where + ")";
        for (const Unknown& u : behaviors_)
            message += "\n  - unknown behaviour '" + u.name + "' (first seen at " + u.where + ")";
        constexpr size_t kShown = 20;  // a file with hundreds of broken pairs needs a few examples, not all
        for (size_t i = 0; i < others_.size() && i < kShown; ++i) message += "\n  - " + others_[i];
        if (others_.size() > kShown) message += "\n  - ... and " + std::to_string(others_.size() - kShown) + " more";
        if (!subjects_.empty())
            message += "\nA subject must be a partner ('" + mapping.partner_a_name + "' or '" + mapping.partner_b_name +
                       "'), the therapist ('" + mapping.therapist_name + "'), or empty / 'No focal subject'.";
        if (!behaviors_.empty())
            message += "\nA behaviour must be the id or the label of a code of the case's coding scheme.";
        throw BorisImportError(message);
    }

private:
    struct Unknown {
        std::string key;
        std::string name;
        std::string where;
        int line = 0;
    };
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

    std::vector<Unknown> subjects_;
    std::vector<Unknown> behaviors_;
    std::vector<std::string> others_;
};

// A BORIS point, or a state's START with its STOP (none when unpaired).
struct Occurrence {
    const BorisEvent* start = nullptr;
    const BorisEvent* stop = nullptr;
    bool state = false;
};

std::vector<Occurrence> pair_events(const BorisData& data, const BorisObservation& observation, Problems& problems) {
    std::vector<Occurrence> out;
    std::map<std::string, size_t> running;  // (subject, behaviour, modifiers) -> index in out
    for (const BorisEvent& event : observation.events) {
        std::string key = normalize_key(event.subject) + '\x1f' + normalize_key(event.behavior);
        for (const std::string& modifier : event.modifiers) key += '\x1f' + modifier;
        const std::string where = describe_location(data, observation, event);
        switch (event.status) {
            case BorisStatus::Point:
                out.push_back({&event, nullptr, false});
                break;
            case BorisStatus::Start:
                if (running.count(key)) {
                    problems.add("START of '" + event.behavior + "' (" + subject_label(event.subject) + ") at " +
                                 where + " while it is still running");
                    break;
                }
                running[key] = out.size();
                out.push_back({&event, nullptr, true});
                break;
            case BorisStatus::Stop: {
                auto found = running.find(key);
                if (found == running.end()) {
                    problems.add("STOP of '" + event.behavior + "' (" + subject_label(event.subject) + ") at " +
                                 where + " without a START before it");
                    break;
                }
                out[found->second].stop = &event;
                running.erase(found);
                break;
            }
        }
    }
    return out;
}

std::string compose_comment(const Occurrence& occurrence) {
    std::vector<std::string> parts;
    for (const std::string& modifier : occurrence.start->modifiers) parts.push_back("modifier: " + modifier);
    if (!occurrence.start->comment.empty()) parts.push_back(occurrence.start->comment);
    if (occurrence.stop && !occurrence.stop->comment.empty() && occurrence.stop->comment != occurrence.start->comment)
        parts.push_back("at stop: " + occurrence.stop->comment);
    std::string out;
    for (const std::string& part : parts) out += (out.empty() ? "" : "; ") + part;
    return out;
}

}  // namespace

ImportPlan plan_boris_import(const BorisData& data, const CodingScheme& scheme, const BorisMapping& given) {
    BorisMapping mapping{trim(given.partner_a_name), trim(given.partner_b_name), trim(given.therapist_name)};
    if (mapping.therapist_name.empty()) mapping.therapist_name = "Therapist";
    const std::string a = normalize_key(mapping.partner_a_name);
    const std::string b = normalize_key(mapping.partner_b_name);
    const std::string therapist = normalize_key(mapping.therapist_name);
    if (a.empty() || b.empty()) throw BorisImportError("both partners' names are needed to read the BORIS subjects");
    if (a == b || a == therapist || b == therapist || is_no_focal_subject(a) || is_no_focal_subject(b))
        throw BorisImportError("the partners' and the therapist's names must differ ('" + mapping.partner_a_name +
                               "', '" + mapping.partner_b_name + "', '" + mapping.therapist_name + "')");
    auto who_of = [&](const std::string& subject) -> std::optional<Who> {
        const std::string key = normalize_key(subject);
        if (key == a) return Who::A;
        if (key == b) return Who::B;
        if (key == therapist) return Who::Therapist;
        if (is_no_focal_subject(subject)) return Who::Both;
        return std::nullopt;
    };

    Problems problems;
    ImportPlan plan;
    plan.file = data.file;
    for (const BorisObservation& observation : data.observations) {
        PlannedSession session;
        session.observation_id = observation.id;
        session.date = observation.date;
        session.start_time = observation.start_time;
        session.description = observation.description;
        double last_time = 0;
        for (const BorisEvent& event : observation.events) last_time = std::max(last_time, event.time);
        session.active_seconds = std::max(last_time, observation.media_duration.value_or(0.0));

        std::map<std::string, int> occurrences;  // identical source keys within the observation
        for (const Occurrence& occurrence : pair_events(data, observation, problems)) {
            const BorisEvent& start = *occurrence.start;
            const std::string where = describe_location(data, observation, start);
            const auto who = who_of(start.subject);
            const Code* code = scheme.find(start.behavior);
            if (!who) problems.unknown_subject(start.subject, where, start.line);
            if (!code) problems.unknown_behavior(start.behavior, where, start.line);
            if (!who || !code) continue;

            PlannedObservation planned;
            planned.where = where;
            Observation& o = planned.observation;
            o.who = *who;
            o.code_id = code->id;
            o.t = start.time;
            o.kind = code->kind;
            if (code->kind == EventKind::State) {
                if (!occurrence.state) {
                    o.stop = start.time;  // a BORIS point of a state code: zero length
                } else if (occurrence.stop) {
                    o.stop = occurrence.stop->time;
                } else {
                    problems.add("START of '" + start.behavior + "' (" + subject_label(start.subject) + ") at " +
                                 where + " has no STOP, and '" + code->id +
                                 "' is a state code in Attune: add the STOP in BORIS and export again");
                    continue;
                }
            }
            // A BORIS state of an Attune point code: a point at its start (stop stays empty).
            o.comment = compose_comment(occurrence);
            if (o.comment.size() > 2000)
                problems.add("the comment at " + where + " is longer than 2000 characters");

            planned.source_key = (is_no_focal_subject(start.subject) ? std::string() : normalize_key(start.subject)) +
                                 '\x1f' + normalize_key(start.behavior) + '\x1f' + milliseconds(start.time) + '\x1f' +
                                 (occurrence.stop ? milliseconds(occurrence.stop->time) : std::string("-"));
            planned.source_key += "#" + std::to_string(++occurrences[planned.source_key]);
            session.observations.push_back(std::move(planned));
        }
        plan.sessions.push_back(std::move(session));
    }
    problems.throw_if_any(data.file, mapping);
    std::stable_sort(plan.sessions.begin(), plan.sessions.end(), [](const PlannedSession& x, const PlannedSession& y) {
        return std::tie(x.date, x.start_time) < std::tie(y.date, y.start_time);
    });
    return plan;
}

}  // namespace attune::formats
