// Writing BORIS (formats/boris_write.h): the project checked against the
// structure BORIS 8-10 reads (written from BORIS's own loading code:
// project_functions.open_project_json, check_project_integrity,
// check_state_events_obs, events_start_stop; config.py's keys and event
// field order), BORIS's time budget equal to Attune's counts and durations,
// the round trip through Attune's own reader, and BORIS 9's table.
#include "formats/boris_write.h"

#include <algorithm>
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "core/scheme_json.h"
#include "formats/boris.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::formats;
using Catch::Approx;
using Catch::Matchers::ContainsSubstring;
using json = nlohmann::json;

namespace {

Observation obs(double t, Who who, const char* code, std::optional<int> intensity = std::nullopt,
                const char* comment = "") {
    Observation o;
    o.t = t;
    o.who = who;
    o.code_id = code;
    o.intensity = intensity;
    o.comment = comment;
    return o;
}

Observation state(double t, std::optional<double> stop, Who who, const char* code) {
    Observation o = obs(t, who, code);
    o.kind = EventKind::State;
    o.stop = stop;
    return o;
}

// Couple M (Ana, Ben): session 1 ended, coded by Dr Lee and Coder Kim; session 2
// still running, with Ben's shut_down still going.
BorisExportData couple_m() {
    BorisExportData data;
    data.scheme = parse_scheme_json(test::read_file(test::assets_dir() / "coding_scheme.json"));
    data.info.label = "Couple M";
    data.info.partner_a = {Who::A, "Ana", "", ""};
    data.info.partner_b = {Who::B, "Ben", "", ""};
    data.exported_at = "2026-03-20T09:00:00Z";
    BorisSession first;
    first.session.number = 1;
    first.session.date = "2026-03-03";
    first.session.start_time = "17:30";
    first.session.active_seconds = 3000.5;
    first.session.state = SessionState::Ended;
    first.layers.push_back({"Dr Lee",
                            {obs(10, Who::A, "defensive_anger", 2), state(20, 80.25, Who::B, "shut_down"),
                             obs(40, Who::A, "reflect", std::nullopt, "said \"I hear you\"\tquietly"),
                             obs(60, Who::Both, "slow_down"), obs(90, Who::Therapist, "t_conjecture"),
                             state(100, 100, Who::B, "shut_down"), obs(130.0004, Who::A, "validate", 3)}});
    first.layers.push_back(
        {"Coder Kim",
         {obs(11, Who::A, "blame_shift", 1), state(21, 79, Who::B, "shut_down"), obs(41, Who::A, "reflect")}});
    BorisSession second;
    second.session.number = 2;
    second.session.date = "2026-03-10";
    second.session.start_time = "18:05";
    second.session.active_seconds = 1200;
    second.session.state = SessionState::Running;
    second.layers.push_back(
        {"Dr Lee", {obs(5, Who::A, "angry_dominance"), state(300, std::nullopt, Who::B, "shut_down")}});
    data.sessions = {first, second};
    return data;
}

json parsed(const BorisExportData& data) {
    return json::parse(boris_project_json(data));
}

bool has_text(const json& object, const char* key) {
    return object.contains(key) && object[key].is_string();
}

// BORIS's events_start_stop: per (subject, code, modifiers), odd occurrences start, even ones stop.
struct BorisEvent3 {
    double time;
    std::string subject, code, modifier;
    bool start, state;
};
std::vector<BorisEvent3> with_status(const json& events, const std::set<std::string>& state_codes) {
    std::vector<BorisEvent3> out;
    std::map<std::tuple<std::string, std::string, std::string>, int> seen;
    for (const json& e : events) {
        BorisEvent3 x{e[0].get<double>(),
                      e[1].get<std::string>(),
                      e[2].get<std::string>(),
                      e[3].get<std::string>(),
                      false,
                      state_codes.count(e[2].get<std::string>()) > 0};
        if (x.state) x.start = ++seen[{x.subject, x.code, x.modifier}] % 2 == 1;
        out.push_back(x);
    }
    return out;
}

}  // namespace

TEST_CASE("the project has every key BORIS reads, with the types it expects", "[boris][export]") {
    const json pj = parsed(couple_m());
    for (const char* key :
         {"time_format", "project_date", "project_name", "project_description", "project_format_version"})
        REQUIRE(has_text(pj, key));
    REQUIRE(pj["time_format"] == "hh:mm:ss");
    // BORIS refuses a project format newer than itself; 7.0 is what BORIS 8-10 write.
    REQUIRE(pj["project_format_version"] == "7.0");
    for (const char* key : {"subjects_conf", "behaviors_conf", "observations", "behavioral_categories_config",
                            "independent_variables", "coding_map", "converters"})
        REQUIRE(pj[key].is_object());
    REQUIRE(pj["behavioral_categories"].is_array());
    REQUIRE(pj["behaviors_coding_map"].is_array());

    // Subjects: "0".."3", each {key, name, description}; names unique.
    const json& subjects = pj["subjects_conf"];
    REQUIRE(subjects.size() == 4);
    std::vector<std::string> names;
    for (int i = 0; i < 4; ++i) {
        const json& s = subjects.at(std::to_string(i));
        REQUIRE((has_text(s, "key") && has_text(s, "name") && has_text(s, "description")));
        names.push_back(s["name"]);
    }
    REQUIRE(names == std::vector<std::string>{"Ana", "Ben", "Both", "Therapist"});

    // Ethogram: "0".."n-1", one per code, code unique, type a BORIS event type,
    // category in behavioral_categories, modifier sets "0".. {name, type 0, values}.
    const json& ethogram = pj["behaviors_conf"];
    const CodingScheme scheme = couple_m().scheme;
    REQUIRE(ethogram.size() == scheme.codes.size());
    std::set<std::string> codes, keys;
    const json& categories = pj["behavioral_categories"];
    for (size_t i = 0; i < ethogram.size(); ++i) {
        const json& b = ethogram.at(std::to_string(i));
        for (const char* key : {"type", "key", "code", "description", "color", "category", "excluded", "coding map"})
            REQUIRE(has_text(b, key));
        REQUIRE((b["type"] == "Point event" || b["type"] == "State event"));
        REQUIRE(codes.insert(b["code"]).second);
        if (b["key"] != "") REQUIRE(keys.insert(b["key"]).second);  // no key two behaviours share
        REQUIRE(std::find(categories.begin(), categories.end(), b["category"]) != categories.end());
        REQUIRE(b["modifiers"].is_object());
        for (const auto& [index, set] : b["modifiers"].items()) {
            REQUIRE(index == "0");
            REQUIRE(set["name"] == "intensity");
            REQUIRE(set["type"] == 0);  // single selection
            REQUIRE(set["values"] == json::array({"1", "2", "3"}));
        }
        const Code* code = scheme.find(b["code"].get<std::string>());
        REQUIRE(code != nullptr);
        REQUIRE((b["type"] == "State event") == (code->kind == EventKind::State));
    }
    REQUIRE(ethogram.at("3")["code"] == "shut_down");
    REQUIRE(ethogram.at("3")["type"] == "State event");
    REQUIRE(ethogram.at("3")["key"] == "s");
    REQUIRE(ethogram.at("0")["modifiers"].size() == 1);  // a partner code carries intensity
    REQUIRE(pj["behavioral_categories_config"].at("0")["name"] == categories[0]);

    // Independent variables: {label, description, type, default value, possible values}.
    std::set<std::string> labels;
    for (const auto& [index, v] : pj["independent_variables"].items()) {
        for (const char* key : {"label", "description", "type", "default value", "possible values"})
            REQUIRE(has_text(v, key));
        REQUIRE((v["type"] == "text" || v["type"] == "numeric"));
        labels.insert(v["label"]);
    }
    REQUIRE(labels == std::set<std::string>{"case", "session", "date", "rater", "session length (s)"});
}

TEST_CASE("one LIVE observation per session and rater, its events in BORIS's tuple order and sorted",
          "[boris][export]") {
    const json pj = parsed(couple_m());
    const json& observations = pj["observations"];
    REQUIRE(observations.size() == 3);
    std::set<std::string> subjects{"Ana", "Ben", "Both", "Therapist"};
    std::set<std::string> codes, state_codes;
    std::map<std::string, size_t> sets;
    for (const auto& [index, b] : pj["behaviors_conf"].items()) {
        codes.insert(b["code"]);
        sets[b["code"].get<std::string>()] = b["modifiers"].size();
        if (b["type"] == "State event") state_codes.insert(b["code"]);
    }
    for (const auto& [id, o] : observations.items()) {
        INFO(id);
        REQUIRE(id.front() != ' ');
        REQUIRE(id.back() != ' ');
        REQUIRE(o["type"] == "LIVE");
        REQUIRE(has_text(o, "date"));
        REQUIRE(has_text(o, "description"));
        REQUIRE(o["time offset"].is_number());
        REQUIRE(o["file"].is_object());
        REQUIRE(o["observation time interval"].size() == 2);
        for (const auto& [label, value] : o["independent_variables"].items())
            REQUIRE(value.is_string());
        double previous = -1;
        std::tuple<double, std::string, std::string> previous_key{-1, "", ""};
        for (const json& e : o["events"]) {
            // [time, subject, behaviour code, modifiers, comment]
            REQUIRE(e.size() == 5);
            REQUIRE(e[0].is_number());
            REQUIRE(subjects.count(e[1].get<std::string>()));
            REQUIRE(codes.count(e[2].get<std::string>()));
            REQUIRE(e[3].is_string());
            REQUIRE(e[4].is_string());
            // As many modifier values as the behaviour has sets ("None" for none chosen).
            if (sets[e[2].get<std::string>()] == 0)
                REQUIRE(e[3] == "");
            else
                REQUIRE((e[3] == "None" || e[3] == "1" || e[3] == "2" || e[3] == "3"));
            const std::tuple<double, std::string, std::string> key{e[0], e[1], e[2]};
            REQUIRE(previous_key <= key);
            previous_key = key;
            previous = e[0];
        }
        REQUIRE(previous >= 0);
        // Every state paired: an even count per (subject, code, modifiers), as check_state_events_obs wants.
        std::map<std::tuple<std::string, std::string, std::string>, int> counts;
        for (const json& e : o["events"])
            if (state_codes.count(e[2].get<std::string>())) ++counts[{e[1], e[2], e[3]}];
        for (const auto& [key, count] : counts)
            REQUIRE(count % 2 == 0);
    }
    const json& lee = observations.at("Couple M S1 Dr Lee");
    REQUIRE(lee["date"] == "2026-03-03T17:30:00");
    REQUIRE(lee["observation time interval"] == json::array({0, 3000.5}));
    REQUIRE(lee["independent_variables"] == json{{"case", "Couple M"},
                                                 {"session", "1"},
                                                 {"date", "2026-03-03"},
                                                 {"rater", "Dr Lee"},
                                                 {"session length (s)", "3000.5"}});
    REQUIRE(lee["events"][0] == json::array({10.0, "Ana", "defensive_anger", "2", ""}));
    REQUIRE(lee["events"].back() == json::array({130.0, "Ana", "validate", "3", ""}));  // to the millisecond
    REQUIRE(observations.contains("Couple M S1 Coder Kim"));
    REQUIRE(observations.at("Couple M S2 Dr Lee")["date"] == "2026-03-10T18:05:00");
}

TEST_CASE("a state still running stops at the session's end and the description says so", "[boris][export]") {
    const json pj = parsed(couple_m());
    const json& running = pj["observations"].at("Couple M S2 Dr Lee");
    REQUIRE(running["events"].back() == json::array({1200.0, "Ben", "shut_down", "None", ""}));
    const std::string description = running["description"];
    REQUIRE_THAT(description, ContainsSubstring("The session had not ended when this was exported."));
    REQUIRE_THAT(description, ContainsSubstring("Still running when exported, stopped here at the session's end "
                                                "(20:00): shut_down of Ben from 05:00"));
    REQUIRE_THAT(std::string(pj["observations"].at("Couple M S1 Dr Lee")["description"]),
                 !ContainsSubstring("Still running"));
}

TEST_CASE("BORIS's time budget of the project equals Attune's counts and state durations", "[boris][export]") {
    const BorisExportData data = couple_m();
    const json pj = parsed(data);
    std::set<std::string> state_codes;
    for (const auto& [index, b] : pj["behaviors_conf"].items())
        if (b["type"] == "State event") state_codes.insert(b["code"]);
    for (const BorisSession& s : data.sessions)
        for (const BorisLayer& layer : s.layers) {
            const json& events =
                pj["observations"].at(boris_observation_id(data.info, s.session, layer.rater))["events"];
            // BORIS: a point counts once; a state once at its START, its duration STOP - START.
            std::map<std::string, int> boris_count;
            std::map<std::string, double> boris_duration;
            std::map<std::tuple<std::string, std::string, std::string>, double> started;
            for (const BorisEvent3& e : with_status(events, state_codes)) {
                if (!e.state || e.start) ++boris_count[e.code];
                if (e.state && e.start) started[{e.subject, e.code, e.modifier}] = e.time;
                if (e.state && !e.start) boris_duration[e.code] += e.time - started[{e.subject, e.code, e.modifier}];
            }
            std::map<std::string, int> attune_count;
            std::map<std::string, double> attune_duration;
            for (const Observation& o : layer.observations) {
                ++attune_count[o.code_id];
                if (o.kind == EventKind::State)
                    attune_duration[o.code_id] += o.stop.value_or(s.session.active_seconds) - o.t;
            }
            REQUIRE(boris_count == attune_count);
            for (const auto& [code, seconds] : attune_duration)
                REQUIRE(boris_duration[code] == Approx(seconds).margin(0.002));
        }
}

TEST_CASE("Attune -> .boris -> Attune gives the same observations, layers, intensities and lengths",
          "[boris][export]") {
    const BorisExportData data = couple_m();
    test::TempDir dir;
    const auto path = dir / "couple.boris";
    test::write_file(path, boris_project_json(data));
    BorisPlanOptions options;
    options.names = {"Ana", "Ben", "Therapist"};
    const ImportPlan plan = plan_boris_import(parse_boris_file(path), data.scheme, options);
    REQUIRE(plan.skipped.empty());
    REQUIRE(plan.sessions.size() == 2);
    for (size_t i = 0; i < 2; ++i) {
        const BorisSession& sent = data.sessions[i];
        const PlannedSession& back = plan.sessions[i];
        INFO("session " << sent.session.number);
        REQUIRE(back.date == sent.session.date);
        REQUIRE(back.start_time == sent.session.start_time);
        REQUIRE(back.active_seconds == Approx(sent.session.active_seconds));
        REQUIRE(back.layers.size() == sent.layers.size());
        for (size_t k = 0; k < sent.layers.size(); ++k) {
            const BorisLayer& layer = sent.layers[k];
            const PlannedLayer& planned = back.layers[k];
            REQUIRE(planned.rater == layer.rater);
            REQUIRE(planned.notes.empty());
            REQUIRE(planned.observations.size() == layer.observations.size());
            for (size_t j = 0; j < layer.observations.size(); ++j) {
                const Observation& a = layer.observations[j];
                const Observation& b = planned.observations[j].observation;
                INFO(a.code_id << " at " << a.t);
                REQUIRE(b.who == a.who);
                REQUIRE(b.code_id == a.code_id);
                REQUIRE(b.kind == a.kind);
                REQUIRE(b.t == Approx(a.t).margin(0.0005));
                REQUIRE(b.intensity == a.intensity);
                REQUIRE(b.comment == a.comment);
                // A state still running comes back stopped at the session's end.
                if (a.kind == EventKind::State)
                    REQUIRE(*b.stop == Approx(a.stop.value_or(sent.session.active_seconds)));
            }
        }
    }
}

TEST_CASE("BORIS's table has BORIS 9's column names and every rater's rows, and reads back", "[boris][export]") {
    const BorisExportData data = couple_m();
    const std::string tsv = boris_aggregated_tsv(data);
    const std::string header = tsv.substr(0, tsv.find('\n'));
    REQUIRE(header ==
            "Observation id\tObservation date\tDescription\tObservation type\tSource\tTime offset (s)\t"
            "Coding duration\tMedia duration (s)\tFPS (frame/s)\tcase\tsession\tdate\trater\tsession length (s)\t"
            "Subject\tObservation duration by subject by observation\tBehavior\tBehavioral category\tModifier #1\t"
            "Behavior type\tStart (s)\tStop (s)\tDuration (s)\tMedia file name\tImage index start\tImage index stop\t"
            "Image file path start\tImage file path stop\tComment start\tComment stop");
    REQUIRE_THAT(tsv, !ContainsSubstring("Total length"));
    REQUIRE_THAT(tsv, ContainsSubstring("Couple M S1 Coder Kim\t"));
    REQUIRE_THAT(tsv, ContainsSubstring("\tBen\t60.25\tshut_down\tWithdrawal\tNone\tSTATE\t20\t80.25\t60.25\t"));

    test::TempDir dir;
    const auto path = dir / "events.tsv";
    test::write_file(path, tsv);
    BorisPlanOptions options;
    options.names = {"Ana", "Ben", "Therapist"};
    const ImportPlan plan = plan_boris_import(parse_boris_file(path), data.scheme, options);
    REQUIRE(plan.sessions.size() == 2);
    REQUIRE(plan.sessions[0].layers.size() == 2);
    REQUIRE(plan.sessions[0].active_seconds == Approx(3000.5));
    const auto& lee = plan.sessions[0].layers[0].observations;
    REQUIRE(lee.size() == 7);
    REQUIRE(lee[0].observation.intensity == 2);                            // Modifier #1 of Attune's own table
    REQUIRE(lee[2].observation.comment == "said \"I hear you\" quietly");  // the tab became a space
}

TEST_CASE("partners named like another subject keep their names with the role after them", "[boris][export]") {
    Case info;
    info.partner_a.display_name = "Both";
    info.partner_b.display_name = "Sam";
    REQUIRE(boris_subject(info, Who::A) == "Both (A)");
    REQUIRE(boris_subject(info, Who::B) == "Sam");
    info.partner_a.display_name = "Sam";
    REQUIRE(boris_subject(info, Who::A) == "Sam (A)");
    REQUIRE(boris_subject(info, Who::B) == "Sam (B)");
    REQUIRE(boris_subject(info, Who::Both) == "Both");
    REQUIRE(boris_subject(info, Who::Therapist) == "Therapist");
}

TEST_CASE("Attune's own project is never taken for day-clock times, whenever the session began", "[boris][export]") {
    // A session that began at 01:00 (3600 s into the day) with its first observation an hour in:
    // the times would look like BORIS's day clock, but Attune's export says it is Attune's.
    BorisExportData data = couple_m();
    data.sessions.resize(1);
    data.sessions[0].session.start_time = "01:00";
    data.sessions[0].layers = {{"Dr Lee", {obs(3605, Who::A, "validate")}}};
    test::TempDir dir;
    const auto path = dir / "night.boris";
    test::write_file(path, boris_project_json(data));
    BorisPlanOptions options;
    options.names = {"Ana", "Ben", "Therapist"};
    const ImportPlan plan = plan_boris_import(parse_boris_file(path), data.scheme, options);
    REQUIRE(plan.sessions.at(0).layers.at(0).observations.at(0).observation.t == Approx(3605));
    REQUIRE(plan.sessions[0].layers[0].notes.empty());
}
