// BORIS files as they come from real use (formats/boris.h): gzip, other
// export kinds refused with what to do, NaN times, day-clock and epoch
// times, damaged or hostile JSON, behaviour maps, extra subjects, intensity
// modifiers and choosing observations. Small files written here in BORIS's
// layouts; the real samples are tests/formats/boris_test.cpp.
#include <algorithm>
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <cstdlib>
#include <fstream>
#include <functional>

#include "formats/boris.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Approx;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::StartsWith;

namespace {

// validate and reflect points, shut_down a state (the default scheme's ids).
CodingScheme small_scheme() {
    CodingScheme scheme;
    scheme.categories.push_back({"repair", "Repair", Polarity::Repair, CycleRole::None});
    scheme.categories.push_back({"withdrawal", "Withdrawal", Polarity::Rupture, CycleRole::Withdraw});
    auto code = [&](const char* id, const char* label, const char* category, EventKind kind) {
        Code c;
        c.id = id;
        c.label = label;
        c.category = category;
        c.kind = kind;
        scheme.codes.push_back(c);
    };
    code("validate", "Validates feeling or effort", "repair", EventKind::Point);
    code("reflect", "Reflective listening", "repair", EventKind::Point);
    code("shut_down", "Shuts down", "withdrawal", EventKind::State);
    return scheme;
}

formats::BorisPlanOptions ana_ben() {
    formats::BorisPlanOptions options;
    options.names = {"Ana", "Ben", "Therapist"};
    return options;
}

// A project with one ethogram of the small scheme's ids and the given observations (JSON text).
std::string project(const std::string& observations, const std::string& extra_behaviors = "") {
    return R"({"project_format_version": "7.0", "subjects_conf": {},
 "behaviors_conf": {
  "0": {"type": "Point event", "code": "validate", "modifiers": {"0": {"name": "Intensity", "type": 0, "values": ["1", "2", "3"]}}},
  "1": {"type": "State event", "code": "shut_down", "modifiers": {}},
  "2": {"type": "Point event", "code": "reflect", "modifiers": {"0": {"name": "tone", "type": 0, "values": ["soft", "flat"]}, "1": {"name": "intensity", "type": 0, "values": ["1", "2", "3"]}}})" +
           extra_behaviors + R"(},
 "observations": {)" +
           observations + "}}";
}

std::filesystem::path write(const test::TempDir& dir, const std::string& name, const std::string& content) {
    const auto path = dir / name;
    test::write_file(path, content);
    return path;
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

const std::vector<formats::PlannedObservation>& only_layer(const formats::ImportPlan& plan) {
    REQUIRE(plan.sessions.size() == 1);
    REQUIRE(plan.sessions[0].layers.size() == 1);
    return plan.sessions[0].layers[0].observations;
}

}  // namespace

// [SECTION] What the file is

TEST_CASE("a gzipped project (.boris.gz, as BORIS saves it) reads like the plain one") {
    test::TempDir dir;
    const auto plain = write(
        dir, "couple.boris",
        project(
            R"("S1": {"type": "LIVE", "date": "2026-01-02T10:00:00", "events": [[1.5, "Ana", "validate", "", ""]]})"));
    REQUIRE(std::system(
                ("gzip -k -c '" + plain.string() + "' > '" + (dir / "couple.boris.gz").string() + "'").c_str()) == 0);
    const auto data = formats::parse_boris_file(dir / "couple.boris.gz");
    REQUIRE(data.compressed);
    REQUIRE(data.observations.size() == 1);
    REQUIRE(*data.observations[0].events[0].time == Approx(1.5));

    // Cut short, the gzip data is refused, not half-read.
    const std::string packed = test::read_file(dir / "couple.boris.gz");
    const auto cut = write(dir, "cut.boris.gz", packed.substr(0, packed.size() / 2));
    REQUIRE_THAT(error_of([&] { formats::parse_boris_file(cut); }),
                 ContainsSubstring("cut.boris.gz: the gzip data is damaged or cut short; nothing was imported"));
}

TEST_CASE("XLSX, ODS, XLS and HTML exports are recognised and answered with one line saying what to do") {
    test::TempDir dir;
    struct Kind {
        const char* name;
        std::string content;
        const char* what;
    };
    const std::vector<Kind> kinds = {
        {"events.xlsx", std::string("PK\x03\x04\x14\x00\x06\x00", 8) + "[Content_Types].xml", "a spreadsheet (XLSX)"},
        {"events.ods",
         std::string("PK\x03\x04\x14\x00\x00\x00", 8) + "mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
         "a spreadsheet (ODS)"},
        {"events.xls", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", 10), "a spreadsheet (XLS)"},
        {"events.html", "\n<!DOCTYPE html>\n<html><body><table><tr><td>Subject</td></tr></table></body></html>\n",
         "an HTML page"},
        {"events.tsv", "<table border=\"1\" class=\"dataframe\"><tr><th>Subject</th><th>Behavior</th></tr></table>",
         "an HTML page"},
    };
    for (const Kind& kind : kinds) {
        INFO(kind.name);
        const std::string message = error_of([&] { formats::parse_boris_file(write(dir, kind.name, kind.content)); });
        REQUIRE_THAT(message, StartsWith((dir / kind.name).string() + ": this is " + kind.what));
        REQUIRE_THAT(message, ContainsSubstring("export the observations as TSV or CSV from BORIS"));
        REQUIRE(message.find('\n') == std::string::npos);
    }
}

TEST_CASE("a project nested 300,000 arrays deep in a modifier is refused with a message, not a crash") {
    test::TempDir dir;
    const std::string deep = std::string(300000, '[') + std::string(300000, ']');
    const auto path = write(
        dir, "deep.boris",
        project(R"("S1": {"date": "2026-01-02T10:00:00", "events": [[1.0, "Ana", "validate", )" + deep + R"(, ""]]})"));
    const std::string message = error_of([&] { formats::parse_boris_file(path); });
    REQUIRE_THAT(message, ContainsSubstring("deep.boris: line 6: the JSON is nested more than 32 levels deep"));
}

TEST_CASE("a file larger than any BORIS project is refused before it is read") {
    test::TempDir dir;
    const auto path = dir / "huge.boris";
    {
        std::ofstream out(path, std::ios::binary);
        out.seekp(static_cast<std::streamoff>(formats::kMaxBorisFileBytes));  // sparse: no disk used
        out.put('}');
    }
    REQUIRE_THAT(error_of([&] { formats::parse_boris_file(path); }),
                 ContainsSubstring("huge.boris: the file is 65 MB; Attune reads BORIS files of at most 64 MB"));
}

// [SECTION] Times

TEST_CASE("NaN and Infinity times are read as missing: those events are reported, the rest imported") {
    test::TempDir dir;
    const auto path = write(dir, "pictures.boris", project(R"(
  "timed": {"type": "LIVE", "date": "2026-01-02T10:00:00", "events": [
      [1.0, "Ana", "validate", "", ""], [NaN, "Ben", "validate", "", ""], [Infinity, "Ana", "reflect", "", ""],
      [4.0, "Ben", "shut_down", "", ""], [9.0, "Ben", "shut_down", "", ""]]},
  "pictures": {"type": "IMAGES", "date": "2026-01-03T10:00:00", "events": [
      [NaN, "Ana", "validate", "", "", 0, "a.jpg"], [NaN, "Ben", "validate", "", "", 1, "b.jpg"]]})"));
    const auto data = formats::parse_boris_file(path);
    REQUIRE_FALSE(data.observations[0].events.empty());
    const auto plan = formats::plan_boris_import(data, small_scheme(), ana_ben());
    const auto& planned = only_layer(plan);
    REQUIRE(planned.size() == 2);  // validate at 1 and the shut_down state 4-9
    REQUIRE(*planned[1].observation.stop == Approx(9.0));
    REQUIRE(plan.sessions[0].layers[0].notes ==
            std::vector<std::string>{"2 events without a time (BORIS stored NaN or nothing) left out"});
    REQUIRE(plan.skipped.size() == 1);
    REQUIRE(plan.skipped[0].observation_id == "pictures");
    REQUIRE_THAT(plan.skipped[0].reason, ContainsSubstring("none of its events has a time"));
}

TEST_CASE("day-clock and epoch times are rebased to the observation's start") {
    test::TempDir dir;
    // Day clock: started 10:34:00 (38040 s of the day), events 38050 and 38100 s.
    // Epoch: BORIS's "current epoch time", events 1.7e9 + 5 and + 65 s.
    const auto path = write(dir, "clocks.boris", project(R"(
  "day": {"type": "LIVE", "date": "2026-01-02T10:34:00", "start_from_current_time": true,
          "events": [[38050.0, "Ana", "validate", "", ""], [38100.0, "Ben", "reflect", "", ""]]},
  "epoch": {"type": "LIVE", "date": "2026-01-03T10:00:00", "start_from_current_epoch_time": true,
          "events": [[1700000005.25, "Ana", "validate", "", ""], [1700000065.0, "Ben", "reflect", "", ""]]},
  "undeclared": {"type": "LIVE", "date": "2026-01-04T09:00:00",
          "events": [[32410.0, "Ana", "validate", "", ""], [32470.0, "Ben", "reflect", "", ""]]})"));
    const auto plan = formats::plan_boris_import(formats::parse_boris_file(path), small_scheme(), ana_ben());
    REQUIRE(plan.sessions.size() == 3);
    const auto& day = plan.sessions[0];
    REQUIRE(day.layers[0].observations[0].observation.t == Approx(10.0));
    REQUIRE(day.layers[0].observations[1].observation.t == Approx(60.0));
    REQUIRE(day.active_seconds == Approx(60.0));
    REQUIRE_THAT(day.layers[0].notes.at(0),
                 ContainsSubstring("the time of day (BORIS's day clock): 38040 s taken off"));
    const auto& epoch = plan.sessions[1];
    REQUIRE(epoch.layers[0].observations[0].observation.t == Approx(0.25));  // rebased to the first whole second
    REQUIRE(epoch.active_seconds == Approx(60.0));
    REQUIRE_THAT(epoch.layers[0].notes.at(0), ContainsSubstring("seconds since 1970"));
    // Not declared, but the events follow the 09:00:00 start: the day clock as well.
    REQUIRE(plan.sessions[2].layers[0].observations[0].observation.t == Approx(10.0));
}

// [SECTION] Names: maps, extra subjects, unknown behaviours

TEST_CASE("unknown behaviours are listed once each, with the valid code ids, in one line") {
    test::TempDir dir;
    const auto path = write(dir, "other.boris", project(R"(
  "S1": {"date": "2026-01-02T10:00:00", "events": [[1.0, "Ana", "Sniff", "", ""], [2.0, "Ben", "Sniff", "", ""],
         [3.0, "Ana", "Turn away", "", ""], [4.0, "Child", "validate", "", ""]]})"));
    const std::string message =
        error_of([&] { formats::plan_boris_import(formats::parse_boris_file(path), small_scheme(), ana_ben()); });
    REQUIRE(message.find('\n') == std::string::npos);
    REQUIRE_THAT(message, StartsWith(path.string() + ": nothing was imported: behaviours not in the coding scheme: "
                                                     "'Sniff' (first at other.boris, observation 'S1', event 1), "
                                                     "'Turn away' (first at other.boris, observation 'S1', event 3)"));
    REQUIRE_THAT(message, ContainsSubstring("(codes: validate, reflect, shut_down)"));
    REQUIRE_THAT(message, ContainsSubstring("subjects that are neither partner nor the therapist: 'Child'"));
    REQUIRE_THAT(message, ContainsSubstring("--ignore-subject NAME"));
    REQUIRE(message.find("'Sniff'", message.find("'Sniff'") + 1) == std::string::npos);  // once
}

TEST_CASE("a behaviour map and an ignored subject import another ethogram's coding") {
    test::TempDir dir;
    const auto path = write(dir, "other.boris",
                            project(R"(
  "S1": {"date": "2026-01-02T10:00:00", "events": [[1.0, "Ana", "Sniff", "", ""], [2.0, "Ben", "Turn away", "", ""],
         [3.0, "Child", "Sniff", "", ""], [5.0, "Ben", "Turn away", "", ""], [6.0, "Ana", "Yawn", "", ""]]})",
                                    R"(, "3": {"type": "State event", "code": "Turn away", "modifiers": {}})"));
    const auto map = write(dir, "map.txt",
                           "# BORIS = Attune\nsniff = Validates feeling or effort\n\nTurn away\tshut_down\nYawn=-\n");
    formats::BorisPlanOptions options = ana_ben();
    options.behavior_map = formats::read_behavior_map_file(map);
    options.ignored_subjects = {" child "};
    const auto plan = formats::plan_boris_import(formats::parse_boris_file(path), small_scheme(), options);
    const auto& planned = only_layer(plan);
    REQUIRE(planned.size() == 2);
    REQUIRE(planned[0].observation.code_id == "validate");  // mapped by label
    REQUIRE(planned[1].observation.code_id == "shut_down");
    REQUIRE(*planned[1].observation.stop == Approx(5.0));
    REQUIRE(plan.sessions[0].layers[0].notes ==
            std::vector<std::string>{"1 event of subject 'Child' left out (ignored)",
                                     "1 event of 'Yawn' left out (mapped to nothing)"});
}

TEST_CASE("behaviour maps that cannot be read, or name a code the scheme lacks, are refused") {
    REQUIRE_THAT(error_of([] { formats::parse_behavior_map("Sniff=validate,Turn away"); }),
                 ContainsSubstring("the behaviour map 'Turn away' is not BORIS=ATTUNE"));
    REQUIRE_THAT(error_of([] { formats::parse_behavior_map("a=validate,A=reflect"); }),
                 ContainsSubstring("'A' is mapped twice, to 'validate' and to 'reflect'"));
    test::TempDir dir;
    const auto map = write(dir, "bad_map.txt", "a=validate\njust words\n");
    REQUIRE_THAT(error_of([&] { formats::read_behavior_map_file(map); }),
                 ContainsSubstring("bad_map.txt line 2: expected BORIS=ATTUNE"));
    const auto path = write(
        dir, "s.boris", project(R"("S1": {"date": "2026-01-02T10:00:00", "events": [[1.0, "Ana", "Sniff", "", ""]]})"));
    formats::BorisPlanOptions options = ana_ben();
    options.behavior_map = formats::parse_behavior_map("Sniff=sniffing");
    REQUIRE_THAT(
        error_of([&] { formats::plan_boris_import(formats::parse_boris_file(path), small_scheme(), options); }),
        ContainsSubstring("the behaviour map names codes the coding scheme does not have: 'sniffing' (for 'sniff') "
                          "(codes: validate, reflect, shut_down)"));
}

// [SECTION] Modifiers and choosing observations

TEST_CASE("a modifier set named like intensity becomes the intensity; other sets stay in the comment") {
    test::TempDir dir;
    const auto path = write(dir, "intensity.boris", project(R"(
  "S1": {"date": "2026-01-02T10:00:00", "events": [[1.0, "Ana", "validate", "2", "quietly"],
         [2.0, "Ben", "validate", "None", ""], [3.0, "Ana", "reflect", "soft|3", ""], [4.0, "Ana", "reflect", "flat|7", ""]]})"));
    const auto plan = formats::plan_boris_import(formats::parse_boris_file(path), small_scheme(), ana_ben());
    const auto& planned = only_layer(plan);
    REQUIRE(planned.size() == 4);
    REQUIRE(planned[0].observation.intensity == 2);
    REQUIRE(planned[0].observation.comment == "quietly");
    REQUIRE_FALSE(planned[1].observation.intensity);
    REQUIRE(planned[2].observation.intensity == 3);
    REQUIRE(planned[2].observation.comment == "modifier: soft");
    REQUIRE_FALSE(planned[3].observation.intensity);
    REQUIRE(planned[3].observation.comment == "modifier: flat; modifier: 7");
    REQUIRE(plan.sessions[0].layers[0].notes ==
            std::vector<std::string>{"intensity '7' at event 4 is not 1, 2 or 3: kept in the comment"});
}

TEST_CASE("chosen observations are planned, the others listed as not chosen; an unknown id is refused") {
    test::TempDir dir;
    const auto path = write(dir, "three.boris", project(R"(
  "S1": {"date": "2026-01-02T10:00:00", "events": [[1.0, "Ana", "validate", "", ""]]},
  "S2, late": {"date": "2026-01-09T10:00:00", "events": [[1.0, "Ana", "validate", "", ""]]},
  "S3": {"date": "2026-01-16T10:00:00", "events": [[1.0, "Ana", "validate", "", ""]]})"));
    const auto data = formats::parse_boris_file(path);
    formats::BorisPlanOptions options = ana_ben();
    options.observation_ids = {"S2, late", "S3"};  // an id with a comma, given whole
    auto plan = formats::plan_boris_import(data, small_scheme(), options);
    REQUIRE(plan.sessions.size() == 2);
    REQUIRE(plan.skipped.size() == 1);
    REQUIRE(plan.skipped[0].observation_id == "S1");
    REQUIRE(plan.skipped[0].reason == "not chosen");
    options.observation_ids = {"S1,S3"};  // a comma list
    plan = formats::plan_boris_import(data, small_scheme(), options);
    REQUIRE(plan.sessions.size() == 2);
    REQUIRE(plan.sessions[1].layers[0].observation_id == "S3");
    options.observation_ids = {"S4"};
    REQUIRE_THAT(error_of([&] { formats::plan_boris_import(data, small_scheme(), options); }),
                 ContainsSubstring("three.boris: there is no observation 'S4'; the file has 'S1', 'S2, late', 'S3'"));
}

TEST_CASE("a project without observations plans nothing") {
    test::TempDir dir;
    const auto path = write(dir, "empty.boris", project(""));
    const auto plan = formats::plan_boris_import(formats::parse_boris_file(path), small_scheme(), ana_ben());
    REQUIRE(plan.sessions.empty());
    REQUIRE(plan.skipped.empty());
}
