// BORIS import: parsing the real BORIS samples (../shared/interop/boris),
// planning them against a small scheme of their own codes, and importing our
// own couples-therapy files end to end into a temporary database.
#include "core/uuid.h"
#include "formats/boris.h"
#include "services/open_practice.h"
#include "store/audit_log.h"
#include "store/bulk_import.h"
#include "store/repositories.h"
#include "support/test_support.h"

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <algorithm>
#include <functional>

using namespace attune;
using Catch::Approx;
using Catch::Matchers::ContainsSubstring;

namespace {

std::filesystem::path sample(const std::string& name) { return test::shared_dir() / "interop" / "boris" / name; }
std::filesystem::path own(const std::string& name) { return test::test_data_dir() / "boris" / name; }

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

const io::BorisMapping kSampleMapping{"subject1", "subject2", "Therapist"};

const io::BorisObservation& observation_named(const io::BorisData& data, const std::string& id) {
    auto found = std::find_if(data.observations.begin(), data.observations.end(),
                              [&](const io::BorisObservation& o) { return o.id == id; });
    REQUIRE(found != data.observations.end());
    return *found;
}

// Only one observation of a parsed file, to plan it alone.
io::BorisData only(const io::BorisData& data, const std::string& id) {
    io::BorisData out = data;
    out.observations = {observation_named(data, id)};
    return out;
}

size_t count_events(const io::BorisData& data) {
    size_t total = 0;
    for (const auto& o : data.observations) total += o.events.size();
    return total;
}

struct Practice {
    test::TempDir dir;
    io::Practice practice;
    store::Database& db() { return *practice.db; }

    Practice() {
        store::OpenOptions options;
        options.path = dir / "practice.db";
        options.passphrase = "correct horse";
        options.create_if_missing = true;
        practice = io::open_practice(options, "Dr Importer");
    }
};

io::BorisImportOptions couple_m(const std::string& a = "Ana", const std::string& b = "Ben") {
    io::BorisImportOptions options;
    options.case_label = "Couple M";
    options.partner_a_name = a;
    options.partner_b_name = b;
    return options;
}

struct Counts {
    size_t cases = 0;
    size_t sessions = 0;
    std::int64_t observations = 0;
    size_t audit_rows = 0;
    bool operator==(const Counts&) const = default;
};

Counts counts(store::Database& db) {
    Counts c;
    const auto cases = store::CaseRepository(db).list();
    c.cases = cases.size();
    for (const auto& summary : cases) c.sessions += static_cast<size_t>(summary.sessions);
    c.observations = store::ObservationRepository(db).count_all();
    c.audit_rows = store::AuditLog(db).list().size();
    return c;
}

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const io::BorisImportError& e) {
        return e.what();
    }
    FAIL("no BorisImportError was thrown");
    return {};
}

}  // namespace

using io::BorisStatus;
using io::BorisMapping;

// [SECTION] Parsing the real BORIS samples

TEST_CASE("the sample project test.boris parses into its 12 observations with START/STOP from the ethogram") {
    const io::BorisData data = io::parse_boris_file(sample("test.boris"));
    REQUIRE(data.format == io::BorisFormat::Project);
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
    REQUIRE(modifiers.events[0].modifiers == std::vector<std::string>{"m1"});
    REQUIRE(modifiers.events[3].status == BorisStatus::Start);  // r with m1
    REQUIRE(modifiers.events[4].status == BorisStatus::Stop);
    REQUIRE(modifiers.events[5].modifiers.empty());             // "None"
    REQUIRE(modifiers.events[5].status == BorisStatus::Start);
    REQUIRE(observation_named(data, "observation without events").events.empty());
}

TEST_CASE("the other sample projects parse with their observation and event counts") {
    for (const char* name : {"test2.boris", "test_without_media_files_paths.boris"}) {
        const io::BorisData data = io::parse_boris_file(sample(name));
        REQUIRE(data.observations.size() == 9);
        REQUIRE(count_events(data) == 73);
        REQUIRE(observation_named(data, "2 video").events.empty());
    }
}

TEST_CASE("the sample tabular export parses the same from TSV and CSV, header block included") {
    for (const char* name : {"test_export_events_tabular.tsv", "test_export_events_tabular.csv"}) {
        const io::BorisData data = io::parse_boris_file(sample(name));
        REQUIRE(data.format == io::BorisFormat::TabularEvents);
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
    const io::BorisData data = io::parse_boris_file(sample("test_export_aggregated_events_test_full_1.tsv"));
    REQUIRE(data.format == io::BorisFormat::AggregatedEvents);
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
    std::vector<io::ImportPlan> plans;
    plans.push_back(io::plan_boris_import(only(io::parse_boris_file(sample("test.boris")), "observation #1"), scheme,
                                          kSampleMapping));
    for (const char* name : {"test_export_events_tabular.tsv", "test_export_events_tabular.csv"})
        plans.push_back(io::plan_boris_import(io::parse_boris_file(sample(name)), scheme, kSampleMapping));
    for (const auto& plan : plans) {
        REQUIRE(plan.sessions.size() == 1);
        const auto& session = plan.sessions[0];
        REQUIRE(session.active_seconds == Approx(359.96));  // media longer than the last event
        REQUIRE(session.observations.size() == 4);
        const Observation& last = session.observations[3].observation;
        REQUIRE(last.who == Who::B);
        REQUIRE(last.code_id == "s");
        REQUIRE(last.kind == EventKind::State);
        REQUIRE(last.t == Approx(38.425));
        REQUIRE(last.stop == Approx(46.1));
        REQUIRE(session.observations[0].observation.who == Who::A);
        REQUIRE(session.observations[0].observation.stop == Approx(7.75));
        for (size_t i = 0; i < 4; ++i)
            REQUIRE(session.observations[i].source_key == plans[0].sessions[0].observations[i].source_key);
    }
}

TEST_CASE("the aggregated export and the project's observation #2 plan to the same 18 observations") {
    const auto scheme = sample_scheme();
    const auto from_project = io::plan_boris_import(only(io::parse_boris_file(sample("test.boris")), "observation #2"),
                                                    scheme, kSampleMapping);
    const auto from_export = io::plan_boris_import(
        io::parse_boris_file(sample("test_export_aggregated_events_test_full_1.tsv")), scheme, kSampleMapping);
    const auto& a = from_project.sessions.at(0).observations;
    const auto& b = from_export.sessions.at(0).observations;
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

TEST_CASE("an unpaired START of an Attune state code is an error that names the observation and event") {
    const auto data = io::parse_boris_file(sample("test.boris"));
    const std::string message = error_of([&] { io::plan_boris_import(data, sample_scheme(), kSampleMapping); });
    REQUIRE_THAT(message, ContainsSubstring("test.boris, observation 'live not paired', event 12"));
    REQUIRE_THAT(message, ContainsSubstring("has no STOP"));
    REQUIRE_THAT(message, ContainsSubstring("nothing was imported"));
}

TEST_CASE("with s a point code in Attune, BORIS states become points at their start, sessions in date order") {
    const auto data = io::parse_boris_file(sample("test.boris"));
    const auto plan = io::plan_boris_import(data, sample_scheme(EventKind::Point), kSampleMapping);
    REQUIRE(plan.sessions.size() == 12);
    size_t total = 0;
    for (const auto& session : plan.sessions) total += session.observations.size();
    REQUIRE(total == 92);
    REQUIRE(plan.sessions[0].observation_id == "observation #1");
    REQUIRE(plan.sessions[1].observation_id == "observation #2");
    REQUIRE(std::is_sorted(plan.sessions.begin(), plan.sessions.end(),
                           [](const auto& x, const auto& y) { return x.date < y.date; }));
    const auto& first = plan.sessions[0].observations;
    REQUIRE(first[1].observation.t == Approx(9.9));
    REQUIRE(first[1].observation.kind == EventKind::Point);
    REQUIRE_FALSE(first[1].observation.stop);

    const auto& modifiers = *std::find_if(plan.sessions.begin(), plan.sessions.end(),
                                          [](const auto& s) { return s.observation_id == "modifiers"; });
    REQUIRE(modifiers.observations.size() == 5);
    REQUIRE(modifiers.observations[0].observation.comment == "modifier: m1");
    REQUIRE(modifiers.observations[3].observation.stop == Approx(27.95));  // r is still a state code
    REQUIRE(modifiers.observations[4].observation.comment.empty());
}

// [SECTION] Planning rules on hand-built data

TEST_CASE("a BORIS state of a point code is a point, a BORIS point of a state code a zero-length state") {
    CodingScheme scheme = sample_scheme();
    io::BorisData data;
    data.file = "hand.tsv";
    io::BorisObservation o;
    o.id = "S";
    o.date = "2026-01-02";
    auto event = [](double t, const char* behavior, BorisStatus status, int line) {
        io::BorisEvent e;
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
    const auto plan = io::plan_boris_import(data, scheme, kSampleMapping);
    const auto& planned = plan.sessions.at(0).observations;
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

TEST_CASE("derived uuids are valid, stable, and differ when the parts differ") {
    const std::string one = io::derived_uuid({"case", "obs", "key"});
    REQUIRE(is_valid_uuid(one));
    REQUIRE(one[14] == '8');
    REQUIRE(std::string("89ab").find(one[19]) != std::string::npos);
    REQUIRE(one == io::derived_uuid({"case", "obs", "key"}));
    REQUIRE(one != io::derived_uuid({"case", "obs", "key2"}));
    REQUIRE(io::derived_uuid({"ab", "c"}) != io::derived_uuid({"a", "bc"}));
}

// [SECTION] Importing our own files end to end

TEST_CASE("a couples project imports as sessions in date order with the right who, code, times and rater") {
    Practice p;
    const auto report = io::import_boris(p.db(), own("couples.boris"), couple_m());
    REQUIRE(report.case_created);
    REQUIRE(report.sessions_created() == 2);
    REQUIRE(report.observations_created() == 10);
    REQUIRE(report.rater == "Dr Importer");

    const auto the_case = store::CaseRepository(p.db()).find_by_label("Couple M");
    REQUIRE(the_case);
    REQUIRE(the_case->partner_a.display_name == "Ana");
    REQUIRE(the_case->partner_b.display_name == "Ben");
    REQUIRE(the_case->start_date == "2026-03-03");
    const auto sessions = store::SessionRepository(p.db()).list_for_case(the_case->id);
    REQUIRE(sessions.size() == 2);
    REQUIRE(sessions[0].number == 1);
    REQUIRE(sessions[0].date == "2026-03-03");
    REQUIRE(sessions[0].start_time == "17:30");
    REQUIRE(sessions[0].active_seconds == Approx(3000.5));
    REQUIRE(sessions[0].state == SessionState::Ended);
    REQUIRE(sessions[1].number == 2);
    REQUIRE(sessions[1].date == "2026-03-10");
    REQUIRE(sessions[1].active_seconds == Approx(70.0));

    store::ObservationRepository observations(p.db());
    const auto first = observations.list_for_session(sessions[0].id);
    REQUIRE(first.size() == 3);
    REQUIRE(first[1].who == Who::B);
    REQUIRE(first[1].code_id == "blame_shift");  // matched by label "Shifts blame"
    REQUIRE(first[2].code_id == "shut_down");
    REQUIRE(first[2].stop == Approx(25.0));

    const auto second = observations.list_for_session(sessions[1].id);
    REQUIRE(second.size() == 7);
    const Person actor = p.db().actor();
    for (const Observation& o : second) REQUIRE(o.rater_id == actor.id);
    REQUIRE(second[0].who == Who::A);
    REQUIRE(second[0].code_id == "defensive_anger");
    REQUIRE(second[1].who == Who::B);
    REQUIRE(second[1].kind == EventKind::State);
    REQUIRE(second[1].t == Approx(12.5));
    REQUIRE(second[1].stop == Approx(40.25));
    REQUIRE(second[2].who == Who::Therapist);
    REQUIRE(second[2].comment == "named the cycle");
    REQUIRE(second[3].who == Who::Both);
    REQUIRE(second[4].code_id == "slow_down");  // BORIS state, Attune point: a point at its start
    REQUIRE(second[4].t == Approx(50.0));
    REQUIRE_FALSE(second[4].stop);
    REQUIRE(second[5].who == Who::B);  // "BEN"
    REQUIRE(second[5].kind == EventKind::State);
    REQUIRE(second[5].stop == Approx(61.0));  // BORIS point, Attune state: zero length
    REQUIRE(second[6].comment == "modifier: gentle; I felt alone");
}

TEST_CASE("importing the same file twice changes nothing") {
    Practice p;
    io::import_boris(p.db(), own("couples.boris"), couple_m());
    const Counts before = counts(p.db());
    const auto again = io::import_boris(p.db(), own("couples.boris"), couple_m());
    REQUIRE_FALSE(again.case_created);
    REQUIRE(again.sessions_created() == 0);
    REQUIRE(again.observations_created() == 0);
    REQUIRE(again.observations_already_imported() == 10);
    REQUIRE(again.sessions[0].session_already_imported);
    REQUIRE_THAT(again.summary(), ContainsSubstring("already imported"));
    REQUIRE(counts(p.db()) == before);
}

TEST_CASE("tabular, aggregated and newer tabular exports import as further sessions of the case") {
    Practice p;
    io::import_boris(p.db(), own("couples.boris"), couple_m());
    io::import_boris(p.db(), own("couples_tabular.tsv"), couple_m(" ana ", "BEN"));
    io::BorisImportOptions known_case;  // partners taken from the existing case
    known_case.case_label = "Couple M";
    const auto aggregated = io::import_boris(p.db(), own("couples_aggregated.csv"), known_case);
    REQUIRE(aggregated.sessions.size() == 2);
    io::import_boris(p.db(), own("couples_tabular_v8.txt"), couple_m());

    const auto the_case = store::CaseRepository(p.db()).find_by_label("Couple M");
    const auto sessions = store::SessionRepository(p.db()).list_for_case(the_case->id);
    REQUIRE(sessions.size() == 6);
    for (int i = 0; i < 6; ++i) REQUIRE(sessions[static_cast<size_t>(i)].number == i + 1);
    REQUIRE(sessions[2].date == "2026-03-17");
    REQUIRE(sessions[2].active_seconds == Approx(11.0));
    REQUIRE(sessions[3].active_seconds == Approx(1800.0));
    REQUIRE(sessions[4].active_seconds == Approx(6.5));

    store::ObservationRepository observations(p.db());
    const auto third = observations.list_for_session(sessions[2].id);
    REQUIRE(third.size() == 4);
    REQUIRE(third[0].comment == "you never look at me");
    REQUIRE(third[1].code_id == "shut_down");
    REQUIRE(third[1].t == Approx(4.5));
    REQUIRE(third[1].stop == Approx(9.75));
    REQUIRE(third[3].who == Who::Both);  // "No focal subject"

    const auto fourth = observations.list_for_session(sessions[3].id);
    REQUIRE(fourth.size() == 4);
    REQUIRE(fourth[0].code_id == "reflect");
    REQUIRE(fourth[1].stop == Approx(35.5));
    REQUIRE(fourth[1].comment == "looked away, then at \"the floor\"; at stop: came back");
    REQUIRE(fourth[3].comment == "modifier: strong");

    const auto sixth = observations.list_for_session(sessions[5].id);
    REQUIRE(sixth.size() == 3);
    REQUIRE(sixth[1].code_id == "withdraw_emotion");
    REQUIRE(sixth[1].kind == EventKind::Point);
    REQUIRE(sixth[1].t == Approx(5.0));
}

TEST_CASE("a second rater's import of the same file lands in the same sessions under that rater") {
    Practice p;
    io::import_boris(p.db(), own("couples.boris"), couple_m());
    auto options = couple_m();
    options.rater_name = "Dr Second";
    const auto report = io::import_boris(p.db(), own("couples.boris"), options);
    REQUIRE(report.sessions_created() == 0);
    REQUIRE(report.observations_created() == 10);
    const auto second = store::PeopleRepository(p.db()).find("Dr Second");
    REQUIRE(second);
    REQUIRE(second->role == PersonRole::Coder);
    const auto the_case = store::CaseRepository(p.db()).find_by_label("Couple M");
    const auto sessions = store::SessionRepository(p.db()).list_for_case(the_case->id);
    REQUIRE(sessions.size() == 2);
    REQUIRE(store::ObservationRepository(p.db()).list_for_session(sessions[1].id, second->id).size() == 7);
}

TEST_CASE("unknown subjects and behaviours are listed together and nothing is written") {
    Practice p;
    io::import_boris(p.db(), own("couples.boris"), couple_m());
    const Counts before = counts(p.db());
    const std::string message = error_of([&] { io::import_boris(p.db(), own("unknowns.tsv"), couple_m()); });
    REQUIRE_THAT(message, ContainsSubstring("unknown subject 'Carla' (first seen at unknowns.tsv line 3)"));
    REQUIRE_THAT(message, ContainsSubstring("unknown behaviour 'hug' (first seen at unknowns.tsv line 4)"));
    REQUIRE(counts(p.db()) == before);

    auto other = couple_m();
    other.case_label = "Couple N";
    error_of([&] { io::import_boris(p.db(), own("unknowns.tsv"), other); });
    REQUIRE_FALSE(store::CaseRepository(p.db()).find_by_label("Couple N"));
    REQUIRE(counts(p.db()) == before);
}

TEST_CASE("partners named in the other order than the existing case's are refused") {
    Practice p;
    io::import_boris(p.db(), own("couples.boris"), couple_m());
    const Counts before = counts(p.db());
    const std::string message =
        error_of([&] { io::import_boris(p.db(), own("couples_tabular.tsv"), couple_m("Ben", "Ana")); });
    REQUIRE_THAT(message, ContainsSubstring("'Ana' (A) and 'Ben' (B)"));
    REQUIRE(counts(p.db()) == before);
}

TEST_CASE("a refusal by the store in the middle of a bulk import rolls back the case, sessions and observations") {
    Practice p;
    const Counts before = counts(p.db());
    store::BulkImport bulk;
    bulk.case_info.label = "Couple R";
    bulk.case_info.partner_a.display_name = "Ana";
    bulk.case_info.partner_b.display_name = "Ben";
    bulk.rater_name = "Dr New Coder";
    bulk.source = "test";
    for (int i = 0; i < 2; ++i) {
        store::ImportedSession s;
        s.session.uuid = io::derived_uuid({"rollback", std::to_string(i)});
        s.session.date = "2026-05-0" + std::to_string(i + 1);
        s.source = "session " + std::to_string(i);
        Observation o;
        o.uuid = io::derived_uuid({"rollback observation", std::to_string(i)});
        o.code_id = i == 0 ? "validate" : "not_a_code";  // the second session's observation is refused
        o.t = 1;
        s.observations.push_back(o);
        bulk.sessions.push_back(s);
    }
    try {
        store::import_sessions(p.db(), bulk);
        FAIL("an unknown code was stored");
    } catch (const store::StoreError& e) {
        REQUIRE(e.kind() == store::StoreError::Kind::Invalid);
        REQUIRE_THAT(std::string(e.what()), ContainsSubstring("session 1"));
        REQUIRE_THAT(std::string(e.what()), ContainsSubstring("not_a_code"));
    }
    REQUIRE(counts(p.db()) == before);
    REQUIRE_FALSE(store::CaseRepository(p.db()).find_by_label("Couple R"));
    REQUIRE_FALSE(store::PeopleRepository(p.db()).find("Dr New Coder"));

    bulk.sessions[1].observations[0].code_id = "reassure";
    const auto result = store::import_sessions(p.db(), bulk);
    REQUIRE(result.case_created);
    REQUIRE(result.sessions.size() == 2);
    REQUIRE(result.sessions[1].session.number == 2);
    REQUIRE(result.sessions[1].session.state == SessionState::Ended);
    REQUIRE(store::ObservationRepository(p.db()).count_all() == before.observations + 2);
}

// [SECTION] Malformed files

TEST_CASE("malformed files are refused with the file and the line or field, and nothing is imported") {
    struct Bad {
        const char* name;
        std::string content;
        std::vector<std::string> expected;
    };
    const std::string project = test::read_file(own("couples.boris"));
    const std::vector<Bad> cases = {
        {"truncated.boris", project.substr(0, project.size() / 2), {"truncated.boris: line ", "not valid JSON"}},
        {"not_json.boris", "Time\tSubject\tBehavior\n1\tAna\tvalidate\n", {"not_json.boris: line 1", "not valid JSON"}},
        {"missing_time.tsv", "Observation date\tSubject\tBehavior\tStatus\n2026-01-02\tAna\tvalidate\tPOINT\n",
         {"missing_time.tsv: line 1: the row header has no 'Time' column"}},
        {"non_numeric_time.csv", "Observation date,Time,Subject,Behavior,Status\n2026-01-02,abc,Ana,validate,POINT\n",
         {"non_numeric_time.csv: line 2: 'Time' is 'abc', not a number"}},
        {"quoted_lines.csv",
         "Observation date,Time,Subject,Behavior,Status,Comment\n2026-01-02,1,Ana,validate,POINT,\"two\nlines\"\n"
         "2026-01-02,2..5,Ana,validate,POINT,\n",
         {"quoted_lines.csv: line 4: 'Time' is '2..5'"}},
        {"stop_without_start.tsv",
         "Observation date\tTime\tSubject\tBehavior\tStatus\n2026-01-02\t1\tAna\tvalidate\tPOINT\n"
         "2026-01-02\t2\tBen\tShuts down\tSTOP\n",
         {"stop_without_start.tsv: line 3: STOP of 'Shuts down'", "without a START"}},
        {"bad_utf8.tsv", "Observation date\tTime\tSubject\tBehavior\tStatus\n2026-01-02\t1\tAn\xff\tvalidate\tPOINT\n",
         {"bad_utf8.tsv: line 2: the text is not valid UTF-8"}},
        {"no_date.boris", R"({"behaviors_conf": {}, "observations": {"S1": {"events": []}}})",
         {"no_date.boris: field 'observations[\"S1\"].date'"}},
        {"bad_time.boris",
         R"({"behaviors_conf": {}, "observations": {"S1": {"date": "2026-01-02T10:00:00",)"
         R"( "events": [["x", "Ana", "validate", "", ""]]}}})",
         {"bad_time.boris: field 'observations[\"S1\"].events[0][0]' (the time) is not a number"}},
        {"no_header.csv", "just,some,text\n1,2,3\n", {"no_header.csv: no row header found"}},
    };
    Practice p;
    io::import_boris(p.db(), own("couples.boris"), couple_m());
    const Counts before = counts(p.db());
    for (const Bad& bad : cases) {
        INFO(bad.name);
        const auto path = p.dir / bad.name;
        test::write_file(path, bad.content);
        const std::string parse_message = error_of([&] { io::parse_boris_file(path); });
        for (const std::string& fragment : bad.expected) REQUIRE_THAT(parse_message, ContainsSubstring(fragment));
        const std::string import_message = error_of([&] { io::import_boris(p.db(), path, couple_m()); });
        REQUIRE_THAT(import_message, ContainsSubstring(bad.name));
        REQUIRE(counts(p.db()) == before);
    }
}
