// BORIS on the command line, through the real binary: `attune import boris`
// with its options and refusals, `attune export --format boris|boris-tsv`
// and the name the file must have, and `attune agreement --time-slice` with
// its help.
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "app/cli_runner.h"
#include "support/cli_practice.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::test;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::StartsWith;

namespace {

std::string sample(const std::string& name) {
    return shell_quote((shared_dir() / "interop" / "boris" / name).string());
}

constexpr const char* kSampleNames = " --partners subject1,subject2";
constexpr const char* kSampleMap = " --map p=validate,q=reflect --map s=shut_down,r=shut_down,m=shut_down";

constexpr const char* kCoderPassphrase = "coder kim's passphrase";

// As Dr Test (the practice's administrator and clinician), else as `user` with their passphrase.
CliResult run(const TempDir& dir, const std::string& args, const std::string& user = kCliUser) {
    return run_attune(args + " --db p.db", dir.path(), user == kCliUser ? kCliPassphrase : kCoderPassphrase, user);
}

CliResult must(const TempDir& dir, const std::string& args, const std::string& user = kCliUser) {
    const CliResult r = run(dir, args, user);
    INFO(args << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
    return r;
}

// One line on stderr, exit 1, and it says `what`.
void refused(const CliResult& r, const std::string& what) {
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, ContainsSubstring(what));
    CHECK(r.err.find('\n') == r.err.size() - 1);
}

// Dr Test adds the coder "Coder Kim", who signs in with kCoderPassphrase.
void add_coder_kim(const TempDir& dir) {
    write_file(dir / "kim.pass", std::string(kCoderPassphrase) + "\n");
    must(dir, "person add --name 'Coder Kim' --role coder --new-passphrase-file kim.pass");
}

}  // namespace

// [SECTION] Import

TEST_CASE("attune import boris imports the whole observations of a real project and lists the rest with why") {
    TempDir dir;
    make_cli_practice(dir / "p.db");
    const CliResult unmapped = run(dir, "import boris " + sample("test.boris") + " --case S" + kSampleNames);
    refused(unmapped, "behaviours not in the coding scheme: 'p'");
    CHECK_THAT(unmapped.err, ContainsSubstring("--map BORIS=ATTUNE"));
    CHECK_THAT(unmapped.err, ContainsSubstring("(codes: withdraw_emotion, avoid_conflict,"));

    const CliResult r = must(dir, "import boris " + sample("test.boris") + " --case S" + kSampleNames + kSampleMap);
    CHECK_THAT(r.out, ContainsSubstring("Left out:\n  BORIS observation 'live not paired': START of 's'"));
    CHECK_THAT(r.out, ContainsSubstring("BORIS observation 'observation without events': it has no events"));
    CHECK_THAT(r.out, ContainsSubstring("9 sessions and 83 observations imported into case 'S'"));

    // --close-unpaired brings the unpaired one in too; --observation picks it alone.
    const CliResult closed = must(dir, "import boris " + sample("test.boris") + " --case T" + kSampleNames +
                                           kSampleMap + " --close-unpaired --observation 'live not paired'");
    CHECK_THAT(closed.out, ContainsSubstring("had no STOP: closed at 26.863 s, just after the last event"));
    CHECK_THAT(closed.out, ContainsSubstring("1 session and 9 observations imported into case 'T'"));
}

TEST_CASE("attune import boris --dry-run shows the plan and imports nothing; --map-file and --ignore-subject apply") {
    TempDir dir;
    make_cli_practice(dir / "p.db");
    write_file(dir / "map.txt", "# the samples' ethogram\np = validate\nq\treflect\ns,shut_down\n");
    // A tabular export with a child coded as well.
    write_file(dir / "family.tsv",
               "Observation id\tObservation date\tTime\tSubject\tBehavior\tStatus\n"
               "F1\t2026-02-01 10:00:00\t1\tsubject1\tp\tPOINT\n"
               "F1\t2026-02-01 10:00:00\t2\tChild\tp\tPOINT\n"
               "F1\t2026-02-01 10:00:00\t3\tsubject2\ts\tSTART\n"
               "F1\t2026-02-01 10:00:00\t8\tsubject2\ts\tSTOP\n");
    const CliResult child = run(dir, std::string("import boris family.tsv --case F --map-file map.txt") + kSampleNames);
    refused(child, "subjects that are neither partner nor the therapist: 'Child'");
    const CliResult preview = must(dir, std::string("import boris family.tsv --case F --map-file map.txt "
                                                    "--ignore-subject Child --dry-run") +
                                            kSampleNames);
    CHECK_THAT(preview.out, StartsWith("Into a new case 'F' (A 'subject1', B 'subject2'):\n"
                                       "Session of 2026-02-01 10:00, 00:08, a new session:\n"
                                       "  BORIS observation 'F1', rater "));
    CHECK_THAT(preview.out,
               ContainsSubstring(": 2 observations\n    note: 1 event of subject 'Child' left out (ignored)\n"));
    CHECK_THAT(preview.out, ContainsSubstring("Nothing was imported (--dry-run)."));
    CHECK(must(dir, "case list").out.find("F\t") == std::string::npos);
    const CliResult done = must(dir, std::string("import boris family.tsv --case F --map-file map.txt "
                                                 "--ignore-subject Child") +
                                         kSampleNames);
    CHECK_THAT(done.out, ContainsSubstring("1 session and 2 observations imported into case 'F'"));
}

TEST_CASE(
    "attune import boris refuses, in one line each: spreadsheets, HTML, deep JSON, empty projects, "
    "a date with no session") {
    TempDir dir;
    make_cli_practice(dir / "p.db");
    write_file(dir / "events.xlsx", std::string("PK\x03\x04\x14\x00\x06\x00", 8) + "xl/workbook.xml");
    refused(run(dir, "import boris events.xlsx --case X --partners A,B"),
            "this is a spreadsheet (XLSX), not a BORIS project or text export: export the observations as TSV or CSV "
            "from BORIS");
    write_file(dir / "events.html", "<html><body><table></table></body></html>");
    refused(run(dir, "import boris events.html --case X --partners A,B"), "this is an HTML page");
    write_file(dir / "deep.boris",
               R"({"behaviors_conf": {}, "observations": {"S": {"date": "2026-01-01", "events": [[1, "A", "p", )" +
                   std::string(300000, '[') + std::string(300000, ']') + "]]}}}");
    refused(run(dir, "import boris deep.boris --case X --partners A,B"), "the JSON is nested more than 32 levels deep");
    write_file(dir / "empty.boris", R"({"behaviors_conf": {}, "observations": {}})");
    refused(run(dir, "import boris empty.boris --case X --partners A,B"),
            "empty.boris: nothing was imported: the file has no observations");
    CHECK(must(dir, "case list").out.find("X\t") == std::string::npos);

    // A rater's layer for a case whose sessions have other dates: which session must be said.
    must(dir, "case add --label Pair --partners subject1,subject2");
    must(dir, "session start --case Pair --date 2026-04-01");
    refused(run(dir, "import boris " + sample("test_export_events_tabular.tsv") +
                         " --case Pair --into-existing --session 1 --rater Kim" + kSampleMap),
            "no person named 'Kim' in this practice");
    CHECK_THAT(must(dir, "person list").out, !ContainsSubstring("Kim"));
    add_coder_kim(dir);
    refused(run(dir, "import boris " + sample("test_export_events_tabular.tsv") +
                         " --case Pair --into-existing --rater 'Coder Kim'" + kSampleMap),
            "case 'Pair' has no session dated 2016-11-27 for BORIS observation 'observation #1': say which session "
            "it is with --session N");
    const CliResult into = must(dir, "import boris " + sample("test_export_events_tabular.tsv") +
                                         " --case Pair --into-existing --session 1 --rater 'Coder Kim'" + kSampleMap);
    CHECK_THAT(into.out, ContainsSubstring("Session 1 (2026-04-01, existing session), BORIS observation "
                                           "'observation #1', rater Coder Kim: 4 observations imported"));
    const CliResult usage = run(dir, "import boris x.boris --case Pair --session 1");
    CHECK(usage.exit_code == 64);
    CHECK_THAT(usage.err,
               ContainsSubstring("--session names the existing session to add to: use it with --into-existing"));
}

// [SECTION] Export

TEST_CASE("attune export --format boris writes a project BORIS opens; the file's name must fit the format") {
    TempDir dir;
    make_cli_practice(dir / "p.db");
    must(dir, "case add --label Pair --partners Ana,Ben");
    must(dir, "session start --case Pair --date 2026-03-10");
    must(dir, "log --case Pair --who A --code blame_shift --at 10 --intensity 2");
    must(dir, "log --case Pair --who B --code shut_down --at 20");  // still running

    const CliResult tsv_as_project = run(dir, "export --case Pair --format boris-tsv --out x.boris");
    CHECK(tsv_as_project.exit_code == 64);
    CHECK_THAT(tsv_as_project.err, ContainsSubstring("x.boris: a .boris file must hold a BORIS project"));
    const CliResult project_as_tsv = run(dir, "export --case Pair --format boris --out x.tsv");
    CHECK(project_as_tsv.exit_code == 64);
    CHECK_THAT(project_as_tsv.err, ContainsSubstring("x.tsv: a BORIS project is saved as a .boris file"));
    CHECK_FALSE(std::filesystem::exists(dir / "x.boris"));
    CHECK_FALSE(std::filesystem::exists(dir / "x.tsv"));

    // While the session runs, its running state is closed at the session's end and said so.
    must(dir, "export --case Pair --format boris --out running.boris");
    const nlohmann::json running = nlohmann::json::parse(read_file(dir / "running.boris"));
    REQUIRE(running["observations"].size() == 1);
    const nlohmann::json& test = running["observations"]["Pair S1 Dr Test"];
    REQUIRE(test["events"][0] == nlohmann::json::array({10.0, "Ana", "blame_shift", "2", ""}));
    REQUIRE(test["events"].size() == 3);  // the running state has its STOP
    REQUIRE_THAT(std::string(test["description"]), ContainsSubstring("Still running when exported"));

    // Once ended, a coder's layer is an observation of its own.
    must(dir, "session end --case Pair --duration 600");
    add_coder_kim(dir);
    must(dir, "session assign --case Pair --session 1 --coder 'Coder Kim'");
    must(dir, "log --case Pair --session 1 --who A --code reflect --at 12", "Coder Kim");
    must(dir, "export --case Pair --format boris --out pair.boris");
    const nlohmann::json project = nlohmann::json::parse(read_file(dir / "pair.boris"));
    REQUIRE(project["observations"].size() == 2);  // one per rater
    const nlohmann::json& kim = project["observations"]["Pair S1 Coder Kim"]["events"];
    REQUIRE(kim.size() == 1);
    REQUIRE(kim[0][0] == 12.0);
    REQUIRE(kim[0][1] == "Ana");
    REQUIRE(kim[0][2] == "reflect");

    must(dir, "export --case Pair --format boris-tsv --out pair.tsv");
    CHECK_THAT(read_file(dir / "pair.tsv"), StartsWith("Observation id\tObservation date\tDescription\t"));
}

// [SECTION] Agreement

TEST_CASE("attune agreement --time-slice reports BORIS's kappa next to Attune's, and --help says how they differ") {
    TempDir dir;
    make_cli_practice(dir / "p.db");
    must(dir, "case add --label Pair --partners Ana,Ben");
    add_coder_kim(dir);
    must(dir, "session start --case Pair --date 2026-03-10");
    must(dir, "session end --case Pair --duration 600");
    must(dir, "session assign --case Pair --session 1 --coder 'Coder Kim'");
    const auto log = [&](const char* user, const char* who, const char* code, const char* at) {
        must(dir, std::string("log --case Pair --session 1 --who ") + who + " --code " + code + " --at " + at, user);
    };
    // As in agreement_cli_test.cpp: Attune's kappa is -4/26.
    log("Dr Test", "A", "blame_shift", "10");
    log("Dr Test", "B", "validate", "20");
    log("Dr Test", "A", "blame_shift", "40");
    log("Dr Test", "B", "reflect", "100");
    log("Coder Kim", "A", "blame_shift", "15");
    log("Coder Kim", "B", "reflect", "20.5");
    log("Coder Kim", "A", "blame_shift", "45.5");
    log("Coder Kim", "A", "reflect", "100");
    const std::string agreement = "agreement --case Pair --session 1 --rater-a 'Dr Test' --rater-b 'Coder Kim'";

    // 1 s slices at 10..100 (91), for A and B: 182 items. A disagrees at 10, 15, 40, 45, 46 (45.5 is
    // half a slice from both) and 100; B at 20, 21 and 100; the other 173 are empty for both.
    // Categories carry the subject, as in BORIS: rows {} 178, A:bs 2, B:validate 1, B:reflect 1;
    // columns {} 176, A:bs 3, A:reflect 1, B:reflect 2. E = (178*176 + 2*3 + 1*2) / 182 = 31336/182;
    // kappa = (173*182 - 31336) / (182*182 - 31336) = 150/1788 (BORIS's own code gives 0.084 on this
    // session's exported project).
    const nlohmann::json j = nlohmann::json::parse(must(dir, agreement + " --time-slice 1 --json").out);
    REQUIRE(j["kappa"].get<double>() == Catch::Approx(-4.0 / 26.0));
    REQUIRE(j["time_slice"]["slices"] == 91);
    REQUIRE(j["time_slice"]["items"] == 182);
    REQUIRE(j["time_slice"]["agreements"] == 173);
    REQUIRE(j["time_slice"]["empty_agreements"] == 173);
    REQUIRE(j["time_slice"]["kappa"].get<double>() == Catch::Approx(150.0 / 1788.0));

    const std::string text = must(dir, agreement + " --time-slice 1").out;
    CHECK_THAT(text, ContainsSubstring("kappa -0.15 (poor agreement)"));
    CHECK_THAT(text,
               ContainsSubstring("BORIS's time-slice kappa (1 s slices, for comparison): 0.08 (slight agreement)"));
    CHECK_THAT(text, ContainsSubstring("173 of them because neither rater coded anything"));

    const CliResult help = run_attune("agreement --help", dir.path());
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, ContainsSubstring("[--time-slice S]"));
    CHECK_THAT(help.out, ContainsSubstring("Attune's kappa is event-based"));
    CHECK_THAT(help.out, ContainsSubstring("Slices where neither rater coded anything count as agreement"));
}
