// BORIS files as Attune reads them (formats/boris.h): parsing the real BORIS
// samples (../shared/interop/boris) and our own files, planning them against a
// small scheme of the samples' codes, and the messages for malformed files.
// No database: importing into a practice is tests/services/boris_import_test.cpp.
#include "formats/boris.h"

#include <algorithm>
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <functional>

#include "core/uuid.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Approx;
using Catch::Matchers::ContainsSubstring;

namespace {

std::filesystem::path sample(const std::string& name) {
    return test::shared_dir() / "interop" / "boris" / name;
}
std::filesystem::path own(const std::string& name) {
    return test::test_data_dir() / "boris" / name;
}

// The samples' ethogram: p and q points, s, r and m states.
CodingScheme sample_scheme(EventKind s_kind = EventKind::State) {
    CodingScheme scheme;
    scheme.name = "BORIS samples";
    scheme.categories.push_back({"test", "Test", Polarity::Repair, CycleRole::None});
    auto code = [&](const std::string& id, const std::string& label, EventKind kind) {
        Code c;
        c.id = id;
        c.label = label;
        c.category = "test";
        c.kind = kind;
        c.polarity = Polarity::Repair;
        scheme.codes.push_back(c);
    };
    code("p", "Test point event", EventKind::Point);
    code("s", "Test state event", s_kind);
    code("q", "point event with modifiers", EventKind::Point);
    code("r", "state event with modifiers", EventKind::State);
    code("m", "state event with 2 sets of modifiers", EventKind::State);
    return scheme;
}

const formats::BorisMapping kSampleMapping{"subject1", "subject2", "Therapist"};

formats::BorisPlanOptions sample_options(bool close_unpaired = false) {
    formats::BorisPlanOptions options;
    options.names = kSampleMapping;
    options.close_unpaired = close_unpaired;
    return options;
}

formats::ImportPlan plan_of(const formats::BorisData& data, const CodingScheme& scheme, bool close_unpaired = false) {
    return formats::plan_boris_import(data, scheme, sample_options(close_unpaired));
}

// The one layer of a session planned from one BORIS observation.
const std::vector<formats::PlannedObservation>& observations_of(const formats::PlannedSession& session) {
    REQUIRE(session.layers.size() == 1);
    return session.layers[0].observations;
}

const formats::SkippedObservation* skipped(const formats::ImportPlan& plan, const std::string& id) {
    for (const auto& s : plan.skipped)
        if (s.observation_id == id) return &s;
    return nullptr;
}

const formats::BorisObservation& observation_named(const formats::BorisData& data, const std::string& id) {
    auto found = std::find_if(data.observations.begin(), data.observations.end(),
                              [&](const formats::BorisObservation& o) { return o.id == id; });
    REQUIRE(found != data.observations.end());
    return *found;
}

// Only one observation of a parsed file, to plan it alone.
formats::BorisData only(const formats::BorisData& data, const std::string& id) {
    formats::BorisData out = data;
    out.observations = {observation_named(data, id)};
    return out;
}

size_t count_events(const formats::BorisData& data) {
    size_t total = 0;
    for (const auto& o : data.observations)
        total += o.events.size();
    return total;
}

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const formats::BorisImportError& e) {
        return e.what();
    }
    FAIL("no BorisImportError was thrown");
    return {};
}

}  // namespace

using formats::BorisMapping;
using formats::BorisStatus;

// [SECTION] Parsing the real BORIS samples

TEST_CASE("the sample project test.boris parses into its 12 observations with START/STOP from the ethogram") {
    const formats::BorisData data = formats::parse_boris_file(sample("test.boris"));
    REQUIRE(data.format == formats::BorisFormat::Project);
    REQUIRE(data.observations.size() == 12);
    REQUIRE(count_events(data) == 133);

    const auto& first = observation_named(data, "observation #1");
    REQUIRE(first.date == "2016-11-27");
    REQUIRE(first.start_time == "01:57");
    REQUIRE(first.media_duration == Approx(359.96));
    REQUIRE(first.events.size() == 8);
    REQUIRE(first.events[0].time == Approx(3.3));
    REQUIRE(first.events[0].subject == "subject1");
    REQUIRE(first.events[0].behavior == "s");
    REQUIRE(first.events[0].status == BorisStatus::Start);
    REQUIRE(first.events[1].status == BorisStatus::Stop);
    REQUIRE(first.events[1].time == Approx(7.75));
    REQUIRE(first.events[6].subject == "subject2");
    REQUIRE(first.events[6].status == BorisStatus::Start);
    REQUIRE(first.events[6].index == 7);

    // Player 1 plays two files one after the other: 179.96 + 359.96 s.
    const auto& second = observation_named(data, "observation #2");
    REQUIRE(second.media_duration == Approx(539.92));
    REQUIRE(second.description == "Description of observation #2");
    REQUIRE(second.events[6].behavior == "p");
    REQUIRE(second.events[6].status == BorisStatus::Point);

    REQUIRE_FALSE(observation_named(data, "live").media_duration);
    const auto& modifiers = observation_named(data, "modifiers");
    REQUIRE(modifiers.events[0].modifiers.size() == 1);
    REQUIRE(modifiers.events[0].modifiers[0].value == "m1");
    REQUIRE(modifiers.events[0].modifiers[0].set_name == "modif #1");  // named by the ethogram
    REQUIRE(modifiers.events[0].modifier_text == "m1");
    REQUIRE(modifiers.events[3].status == BorisStatus::Start);  // r with m1
    REQUIRE(modifiers.events[4].status == BorisStatus::Stop);
    REQUIRE(modifiers.events[5].modifiers.empty());  // "None"
    REQUIRE(modifiers.events[5].status == BorisStatus::Start);
    REQUIRE(observation_named(data, "observation without events").events.empty());
}

TEST_CASE("the other sample projects parse with their observation and event counts") {
    for (const char* name : {"test2.boris", "test_without_media_files_paths.boris"}) {
        const formats::BorisData data = formats::parse_boris_file(sample(name));
        REQUIRE(data.observations.size() == 9);
        REQUIRE(count_events(data) == 73);
        REQUIRE(observation_named(data, "2 video").events.empty());
    }
}

TEST_CASE("the sample tabular export parses the same from TSV and CSV, header block included") {
    for (const char* name : {"test_export_events_tabular.tsv", "test_export_events_tabular.csv"}) {
        const formats::BorisData data = formats::parse_boris_file(sample(name));
        REQUIRE(data.format == formats::BorisFormat::TabularEvents);
        REQUIRE(data.observations.size() == 1);
        const auto& o = data.observations[0];
        REQUIRE(o.id == "observation #1");
        REQUIRE(o.date == "2016-11-27");
        REQUIRE(o.start_time == "01:57");
        REQUIRE(o.media_duration == Approx(359.96));
        REQUIRE(o.events.size() == 8);
        REQUIRE(o.events[0].line == 20);
        REQUIRE(o.events[0].time == Approx(3.3));
        REQUIRE(o.events[6].subject == "subject2");
        REQUIRE(o.events[6].time == Approx(38.425));
        REQUIRE(o.events[6].status == BorisStatus::Start);
        REQUIRE(o.events[7].status == BorisStatus::Stop);
    }
}

TEST_CASE("the sample aggregated export splits its 10 states into START and STOP") {
    const formats::BorisData data = formats::parse_boris_file(sample("test_export_aggregated_events_test_full_1.tsv"));
    REQUIRE(data.format == formats::BorisFormat::AggregatedEvents);
    REQUIRE(data.observations.size() == 1);
    const auto& o = data.observations[0];
    REQUIRE(o.id == "observation #2");
    REQUIRE(o.date == "2016-12-01");
    REQUIRE(o.media_duration == Approx(539.92));
    REQUIRE(o.events.size() == 28);  // 10 states x 2 + 8 points
    REQUIRE(o.events[0].subject == "No focal subject");
    REQUIRE(o.events[0].status == BorisStatus::Start);
    REQUIRE(o.events[0].line == 2);
    REQUIRE(o.events[1].time == Approx(8.125));
    REQUIRE(o.events[1].status == BorisStatus::Stop);
}

// [SECTION] Planning the samples

TEST_CASE("observation #1 plans to the same four state pairs from the project, the TSV and the CSV") {
    const auto scheme = sample_scheme();
    std::vector<formats::ImportPlan> plans;
    plans.push_back(plan_of(only(formats::parse_boris_file(sample("test.boris")), "observation #1"), scheme));
    for (const char* name : {"test_export_events_tabular.tsv", "test_export_events_tabular.csv"})
        plans.push_back(plan_of(formats::parse_boris_file(sample(name)), scheme));
    for (const auto& plan : plans) {
        REQUIRE(plan.sessions.size() == 1);
        const auto& session = plan.sessions[0];
        REQUIRE(session.active_seconds == Approx(359.96));  // media longer than the last event
        const auto& observations = observations_of(session);
        REQUIRE(observations.size() == 4);
        const Observation& last = observations[3].observation;
        REQUIRE(last.who == Who::B);
        REQUIRE(last.code_id == "s");
        REQUIRE(last.kind == EventKind::State);
        REQUIRE(last.t == Approx(38.425));
        REQUIRE(last.stop == Approx(46.1));
        REQUIRE(observations[0].observation.who == Who::A);
        REQUIRE(observations[0].observation.stop == Approx(7.75));
        for (size_t i = 0; i < 4; ++i)
            REQUIRE(observations[i].source_key == observations_of(plans[0].sessions[0])[i].source_key);
    }
}

TEST_CASE("the aggregated export and the project's observation #2 plan to the same 18 observations") {
    const auto scheme = sample_scheme();
    const auto from_project = plan_of(only(formats::parse_boris_file(sample("test.boris")), "observation #2"), scheme);
    const auto from_export =
        plan_of(formats::parse_boris_file(sample("test_export_aggregated_events_test_full_1.tsv")), scheme);
    const auto& a = observations_of(from_project.sessions.at(0));
    const auto& b = observations_of(from_export.sessions.at(0));
    REQUIRE(a.size() == 18);
    REQUIRE(b.size() == 18);
    for (size_t i = 0; i < a.size(); ++i) {
        REQUIRE(a[i].observation.who == b[i].observation.who);
        REQUIRE(a[i].observation.code_id == b[i].observation.code_id);
        REQUIRE(a[i].observation.t == Approx(b[i].observation.t));
        REQUIRE(a[i].source_key == b[i].source_key);
    }
    REQUIRE(a[0].observation.who == Who::Both);  // no focal subject
    REQUIRE(a[0].observation.stop == Approx(8.125));
}

TEST_CASE("an unpaired START of a state code leaves its observation out, saying where and what to do") {
    const auto plan = plan_of(formats::parse_boris_file(sample("test.boris")), sample_scheme());
    const auto* left_out = skipped(plan, "live not paired");
    REQUIRE(left_out != nullptr);
    REQUIRE_THAT(left_out->reason, ContainsSubstring("START of 's' (no focal subject) at 26.862 s (event 12)"));
    REQUIRE_THAT(left_out->reason, ContainsSubstring("--close-unpaired"));
    // The other observations with events are imported; the two without events are left out too.
    REQUIRE(plan.sessions.size() == 9);
    REQUIRE(skipped(plan, "observation without events")->reason == "it has no events");
    REQUIRE(skipped(plan, "2 video avi")->reason == "it has no events");
    REQUIRE(plan.skipped.size() == 3);
}

TEST_CASE("with close_unpaired an open state stops 1 ms after the observation's last event, as BORIS's fix does") {
    const auto data = only(formats::parse_boris_file(sample("test.boris")), "live not paired");
    const auto plan = plan_of(data, sample_scheme(), true);
    REQUIRE(plan.skipped.empty());
    const auto& observations = observations_of(plan.sessions.at(0));
    const auto closed = std::find_if(observations.begin(), observations.end(), [](const auto& p) {
        return p.observation.code_id == "s" && p.observation.t == Approx(26.862);
    });
    REQUIRE(closed != observations.end());
    REQUIRE(*closed->observation.stop == Approx(26.863));  // the START is the last event, at 26.862 s
    REQUIRE_THAT(plan.sessions[0].layers[0].notes.at(0), ContainsSubstring("closed at 26.863 s"));
    REQUIRE(plan.sessions[0].active_seconds == Approx(26.863));
}

TEST_CASE("with s a point code in Attune, BORIS states become points at their start, sessions in date order") {
    const auto data = formats::parse_boris_file(sample("test.boris"));
    const auto plan = plan_of(data, sample_scheme(EventKind::Point));
    REQUIRE(plan.sessions.size() == 10);  // the two without events are left out
    REQUIRE(plan.observation_count() == 92);
    REQUIRE(plan.sessions[0].key == "observation #1");
    REQUIRE(plan.sessions[1].key == "observation #2");
    REQUIRE(std::is_sorted(plan.sessions.begin(), plan.sessions.end(),
                           [](const auto& x, const auto& y) { return x.date < y.date; }));
    const auto& first = observations_of(plan.sessions[0]);
    REQUIRE(first[1].observation.t == Approx(9.9));
    REQUIRE(first[1].observation.kind == EventKind::Point);
    REQUIRE_FALSE(first[1].observation.stop);

    const auto& modifiers =
        *std::find_if(plan.sessions.begin(), plan.sessions.end(), [](const auto& s) { return s.key == "modifiers"; });
    const auto& coded = observations_of(modifiers);
    REQUIRE(coded.size() == 5);
    REQUIRE(coded[0].observation.comment == "modifier: m1");
    REQUIRE(coded[3].observation.stop == Approx(27.95));  // r is still a state code
    REQUIRE(coded[4].observation.comment.empty());
    // Each s state became a point: the plan says how many durations were dropped.
    const auto& notes = plan.sessions[0].layers[0].notes;
    REQUIRE(notes.size() == 1);
    REQUIRE(notes[0] ==
            "'s' is a point code in Attune: 4 BORIS states of it became points at their start "
            "(4 durations dropped)");
}

// [SECTION] Planning rules on hand-built data

TEST_CASE("a BORIS state of a point code is a point, a BORIS point of a state code a zero-length state") {
    CodingScheme scheme = sample_scheme();
    formats::BorisData data;
    data.file = "hand.tsv";
    formats::BorisObservation o;
    o.id = "S";
    o.date = "2026-01-02";
    auto event = [](double t, const char* behavior, BorisStatus status, int line) {
        formats::BorisEvent e;
        e.time = t;
        e.subject = "subject1";
        e.behavior = behavior;
        e.status = status;
        e.line = line;
        return e;
    };
    o.events = {event(1, "p", BorisStatus::Start, 2), event(2, "s", BorisStatus::Point, 3),
                event(3, "p", BorisStatus::Stop, 4), event(4, "q", BorisStatus::Start, 5)};
    data.observations = {o};
    const auto plan = plan_of(data, scheme);
    const auto& planned = observations_of(plan.sessions.at(0));
    REQUIRE(planned.size() == 3);
    REQUIRE(planned[0].observation.code_id == "p");
    REQUIRE(planned[0].observation.kind == EventKind::Point);
    REQUIRE_FALSE(planned[0].observation.stop);
    REQUIRE(planned[1].observation.kind == EventKind::State);
    REQUIRE(planned[1].observation.stop == Approx(2.0));
    REQUIRE(planned[2].observation.code_id == "q");  // unpaired START of a point code: a point
    REQUIRE(planned[2].where == "hand.tsv line 5");
    REQUIRE(plan.sessions[0].active_seconds == Approx(4.0));
}

TEST_CASE("a STOP without a START in an export leaves that observation out, saying where") {
    test::TempDir dir;
    const auto path = dir / "stop_without_start.tsv";
    test::write_file(path,
                     "Observation id\tObservation date\tTime\tSubject\tBehavior\tStatus\n"
                     "A\t2026-01-02\t1\tsubject1\tp\tPOINT\n"
                     "B\t2026-01-03\t2\tsubject2\ts\tSTOP\n");
    const auto plan = plan_of(formats::parse_boris_file(path), sample_scheme());
    REQUIRE(plan.sessions.size() == 1);
    REQUIRE(plan.sessions[0].layers[0].observation_id == "A");
    REQUIRE(plan.skipped.size() == 1);
    REQUIRE(plan.skipped[0].observation_id == "B");
    REQUIRE(plan.skipped[0].reason == "STOP of 's' ('subject2') at line 3 without a START before it");
}

TEST_CASE("derived uuids are valid, stable, and differ when the parts differ") {
    const std::string one = formats::derived_uuid({"case", "obs", "key"});
    REQUIRE(is_valid_uuid(one));
    REQUIRE(one[14] == '8');
    REQUIRE(std::string("89ab").find(one[19]) != std::string::npos);
    REQUIRE(one == formats::derived_uuid({"case", "obs", "key"}));
    REQUIRE(one != formats::derived_uuid({"case", "obs", "key2"}));
    REQUIRE(formats::derived_uuid({"ab", "c"}) != formats::derived_uuid({"a", "bc"}));
}

// [SECTION] Malformed files

TEST_CASE("malformed files are refused with the file and the line or field") {
    struct Bad {
        const char* name;
        std::string content;
        std::vector<std::string> expected;
    };
    const std::string project = test::read_file(own("couples.boris"));
    const std::vector<Bad> cases = {
        {"truncated.boris", project.substr(0, project.size() / 2), {"truncated.boris: line ", "not valid JSON"}},
        {"not_json.boris", "Time\tSubject\tBehavior\n1\tAna\tvalidate\n", {"not_json.boris: line 1", "not valid JSON"}},
        {"missing_time.tsv",
         "Observation date\tSubject\tBehavior\tStatus\n2026-01-02\tAna\tvalidate\tPOINT\n",
         {"missing_time.tsv: line 1: the row header has no 'Time' column"}},
        {"non_numeric_time.csv",
         "Observation date,Time,Subject,Behavior,Status\n2026-01-02,abc,Ana,validate,POINT\n",
         {"non_numeric_time.csv: line 2: 'Time' is 'abc', not a number"}},
        {"quoted_lines.csv",
         "Observation date,Time,Subject,Behavior,Status,Comment\n2026-01-02,1,Ana,validate,POINT,\"two\nlines\"\n"
         "2026-01-02,2..5,Ana,validate,POINT,\n",
         {"quoted_lines.csv: line 4: 'Time' is '2..5'"}},
        {"bad_utf8.tsv",
         "Observation date\tTime\tSubject\tBehavior\tStatus\n2026-01-02\t1\tAn\xff\tvalidate\tPOINT\n",
         {"bad_utf8.tsv: line 2: the text is not valid UTF-8"}},
        {"no_date.boris",
         R"({"behaviors_conf": {}, "observations": {"S1": {"events": []}}})",
         {"no_date.boris: field 'observations[\"S1\"].date'"}},
        {"bad_time.boris",
         R"({"behaviors_conf": {}, "observations": {"S1": {"date": "2026-01-02T10:00:00",)"
         R"( "events": [["x", "Ana", "validate", "", ""]]}}})",
         {"bad_time.boris: field 'observations[\"S1\"].events[0][0]' (the time) is not a number"}},
        {"list_modifier.boris",
         R"({"behaviors_conf": {}, "observations": {"S1": {"date": "2026-01-02T10:00:00",)"
         R"( "events": [[1.0, "Ana", "validate", ["1", "2"], ""]]}}})",
         {"list_modifier.boris: field 'observations[\"S1\"].events[0][3]' (the modifiers) is a list, not text"}},
        {"object_comment.boris",
         R"({"behaviors_conf": {}, "observations": {"S1": {"date": "2026-01-02T10:00:00",)"
         R"( "events": [[1.0, "Ana", "validate", "", {"a": 1}]]}}})",
         {"object_comment.boris: field 'observations[\"S1\"].events[0][4]' (the comment) is a set of fields"}},
        {"no_header.csv", "just,some,text\n1,2,3\n", {"no_header.csv: no row header found"}},
    };
    test::TempDir dir;
    for (const Bad& bad : cases) {
        INFO(bad.name);
        const auto path = dir / bad.name;
        test::write_file(path, bad.content);
        const std::string message = error_of([&] { formats::parse_boris_file(path); });
        for (const std::string& fragment : bad.expected)
            REQUIRE_THAT(message, ContainsSubstring(fragment));
    }
}
