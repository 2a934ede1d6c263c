// The command line of issue 20: `attune measure add|list`, the version-2 keys
// of `attune metrics --json`, `attune change-event`, `attune session rate` and
// `ratings_icc` in `attune agreement --json`, run through the real binary.
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "app/cli_runner.h"
#include "support/cli_practice.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::test;
using nlohmann::json;

namespace {

CliResult run(const TempDir& dir, const std::string& args) {
    return run_attune(args + " --db p.db", dir.path());
}

CliResult must(const TempDir& dir, const std::string& args) {
    const CliResult r = run(dir, args);
    INFO(args << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
    return r;
}

// Session 1 of "Pair" (2026-03-01), coded by the clinician, C = 60 s, R = 120 s:
//   10 A blame_shift, 30 B withdraw_emotion, 100 A need_closeness, 130 B reassure,
//   300 B vulnerable_share, 420 A validate.
// A->B: blame_shift -> B's withdrawal (reactivity -> withdrawal), need_closeness ->
// B's reassure (attachment -> repair), validate -> nothing: N = 3. For
// attachment -> repair a 1, b 0, c 0, d 2: Q = 1, E = 1/3, z = (2/3) / sqrt(4/27) = sqrt(3).
// For attachment -> withdrawal a 0, b 1, c 1, d 1: Q = -1, z = (-1/3) / sqrt(4/27) = -sqrt(3)/2.
// B->A: three antecedents, none answered by A within 60 s.
// A pursued once, B withdrew once: B's vulnerable_share at 300 answered by A's validate
// at 300 + R exactly (re-engagement) and A's need_closeness met by B's reassure (softening).
// The practice's clinician is Dr Test (tests/support/cli_practice.h), signed in by run_attune.
void make_case(const TempDir& dir) {
    make_cli_practice(dir / "p.db");
    must(dir, "case add --label Pair --partners Ana,Ben");
    must(dir, "session start --case Pair --date 2026-03-01");
    for (const char* line : {"A blame_shift 10", "B withdraw_emotion 30", "A need_closeness 100", "B reassure 130",
                             "B vulnerable_share 300", "A validate 420"}) {
        const std::string words = line;
        const auto first = words.find(' ');
        const auto second = words.find(' ', first + 1);
        must(dir, "log --case Pair --session 1 --who " + words.substr(0, first) + " --code " +
                      words.substr(first + 1, second - first - 1) + " --at " + words.substr(second + 1));
    }
    must(dir, "session end --case Pair --duration 900 --attunement-a 7 --attunement-b 5 --safety 9");
}

}  // namespace

TEST_CASE("attune measure add refuses an item out of range with its number, and bad usage", "[measures]") {
    TempDir dir;
    make_case(dir);
    CliResult r = run(dir, "measure add --case Pair --partner B --instrument csi4 --items 6,5,6,0");
    CHECK(r.exit_code == 1);
    CHECK(r.err == "attune measure add: item 3 is 6; it takes 0-5\n");
    r = run(dir, "measure add --case Pair --partner B --instrument csi4 --items 6,5,x,0");
    CHECK(r.exit_code == 64);
    CHECK(r.err.find("--items: item 3 is 'x', not a number") != std::string::npos);
    r = run(dir, "measure add --case Pair --partner B --instrument ors --items 5,5,5,5 --total 20");
    CHECK(r.exit_code == 64);
    CHECK(r.err.find("give the item scores (--items N,N,...) or the total (--total X), one of the two") !=
          std::string::npos);
    r = run(dir, "measure add --case Pair --partner both --instrument ors --total 20");
    CHECK(r.exit_code == 64);
    r = run(dir, "measure add --case Pair --partner A --instrument csi4 --total 12");
    CHECK(r.exit_code == 1);
    CHECK(r.err ==
          "attune measure add: CSI-4 (Couples Satisfaction Index, 4 items) takes its 4 item scores; a total "
          "cannot be entered directly\n");
    r = run(dir, "measure add --case Pair --partner A --instrument ors --total 20 --session 9");
    CHECK(r.exit_code == 1);
    CHECK(r.err == "attune measure add: Pair has no session 9 (see attune session list)\n");
    CHECK(must(dir, "measure list --case Pair").out == "Pair has no measures yet (attune measure add)\n");
}

TEST_CASE("attune measure list shows each administration with its total, gaps and range", "[measures]") {
    TempDir dir;
    make_case(dir);
    CHECK(must(dir, "measure add --case Pair --partner B --instrument ors --total 30 --date 2026-03-01 --session 1")
              .out == "ors\tB\t2026-03-01\ttotal 30\n");
    CHECK(must(dir, "measure add --case Pair --partner A --instrument csi4 --items 3,3,,3 --date 2026-03-01").out ==
          "csi4\tA\t2026-03-01\tno total (an item is missing)\n");
    must(dir, "measure add --case Pair --partner B --instrument ors --total 24 --date 2026-03-15");
    CHECK(must(dir, "measure list --case Pair").out ==
          "2026-03-01\tB\tors\tS1\t30\t(total entered)\tnot clinical\n"
          "2026-03-01\tA\tcsi4\t-\tno total\t3,3,-,3\n"
          "2026-03-15\tB\tors\t-\t24\t(total entered)\tclinical range\n");
    const json listed = json::parse(must(dir, "measure list --case Pair --json").out);
    REQUIRE(listed.size() == 3);
    CHECK(listed[1]["items"] == json::parse("[3.0, 3.0, null, 3.0]"));
    CHECK(listed[1]["total"].is_null());
    CHECK(listed[0]["session"] == 1);
}

TEST_CASE(
    "attune measure correct replaces a measure entered wrongly and remove takes one away; a refused one "
    "changes nothing",
    "[measures]") {
    TempDir dir;
    make_case(dir);
    must(dir, "measure add --case Pair --partner B --instrument ors --total 30 --date 2026-03-01 --session 1");
    must(dir, "measure add --case Pair --partner A --instrument csi4 --items 3,3,,3 --date 2026-03-01");
    must(dir, "measure add --case Pair --partner B --instrument ors --total 24 --date 2026-03-15");
    const std::string before = must(dir, "measure list --case Pair").out;

    CliResult r =
        run(dir, "measure correct --case Pair --partner A --instrument csi4 --date 2026-03-01 --items 3,3,9,3");
    CHECK(r.exit_code == 1);
    CHECK(r.err == "attune measure correct: item 3 is 9; it takes 0-5\n");
    r = run(dir, "measure correct --case Pair --partner A --instrument ors --date 2026-03-01 --total 20");
    CHECK(r.exit_code == 1);
    CHECK(r.err == "attune measure correct: the case has no measure partner A's ors of 2026-03-01\n");
    r = run(dir, "measure correct --case Pair --partner A --instrument csi4 --items 3,3,2,3");
    CHECK(r.exit_code == 64);
    CHECK(r.err.find("--date: give the measure's date as YYYY-MM-DD") != std::string::npos);
    CHECK(must(dir, "measure list --case Pair").out == before);

    CHECK(must(dir, "measure correct --case Pair --partner B --instrument ors --date 2026-03-01 --total 32").out ==
          "ors\tB\t2026-03-01\ttotal 32\tcorrected\n");
    CHECK(must(dir,
               "measure correct --case Pair --partner A --instrument csi4 --date 2026-03-01 --items 3,3,2,3 "
               "--new-date 2026-03-02")
              .out == "csi4\tA\t2026-03-02\ttotal 11\tcorrected\n");
    CHECK(must(dir, "measure remove --case Pair --partner B --instrument ors --date 2026-03-15").out ==
          "removed ors\tB\t2026-03-15\n");
    // The session stays the measure's; the corrected and removed rows are audited.
    CHECK(must(dir, "measure list --case Pair").out ==
          "2026-03-01\tB\tors\tS1\t32\t(total entered)\tnot clinical\n"
          "2026-03-02\tA\tcsi4\t-\t11\t3,3,2,3\tclinical range\n");
    const std::string audit = must(dir, "audit --entity measure").out;
    CHECK(count_lines(audit) == 6);  // 3 created, 2 updated, 1 deleted

    // Two of one partner, instrument and date: named by their session, else refused naming both.
    must(dir, "measure add --case Pair --partner B --instrument ors --total 28 --date 2026-03-01");
    r = run(dir, "measure remove --case Pair --partner B --instrument ors --date 2026-03-01");
    CHECK(r.exit_code == 1);
    CHECK(r.err ==
          "attune measure remove: the case has 2 measures partner B's ors of 2026-03-01 (session 1, total 32; "
          "no session, total 28): say which by its session\n");
    CHECK(must(dir, "measure remove --case Pair --partner B --instrument ors --date 2026-03-01 --session 1").out ==
          "removed ors\tB\t2026-03-01\n");
    CHECK(must(dir, "measure list --case Pair").out ==
          "2026-03-01\tB\tors\t-\t28\t(total entered)\tnot clinical\n"
          "2026-03-02\tA\tcsi4\t-\t11\t3,3,2,3\tclinical range\n");
}

TEST_CASE("attune measure correct --new-session ties a measure to another session or to none", "[measures]") {
    TempDir dir;
    make_case(dir);
    must(dir, "measure add --case Pair --partner B --instrument ors --total 30 --date 2026-03-01");
    CHECK(must(dir,
               "measure correct --case Pair --partner B --instrument ors --date 2026-03-01 --total 30 "
               "--new-session 1")
              .out == "ors\tB\t2026-03-01\ttotal 30\tcorrected\n");
    CHECK(must(dir, "measure list --case Pair").out == "2026-03-01\tB\tors\tS1\t30\t(total entered)\tnot clinical\n");
    CliResult r = run(dir,
                      "measure correct --case Pair --partner B --instrument ors --date 2026-03-01 --total 30 "
                      "--new-session 9");
    CHECK(r.exit_code == 1);
    CHECK(r.err == "attune measure correct: Pair has no session 9 (see attune session list)\n");
    r = run(dir,
            "measure correct --case Pair --partner B --instrument ors --date 2026-03-01 --total 30 "
            "--new-session soon");
    CHECK(r.exit_code == 64);
    CHECK(must(dir, "measure list --case Pair").out == "2026-03-01\tB\tors\tS1\t30\t(total entered)\tnot clinical\n");
    must(dir,
         "measure correct --case Pair --partner B --instrument ors --date 2026-03-01 --total 30 --new-session none");
    CHECK(must(dir, "measure list --case Pair").out == "2026-03-01\tB\tors\t-\t30\t(total entered)\tnot clinical\n");
}

TEST_CASE("attune metrics --json gains measures, per-session sequences and change events, and the pool",
          "[measures][sequences][change-events]") {
    TempDir dir;
    make_case(dir);
    must(dir, "measure add --case Pair --partner B --instrument ors --total 30 --date 2026-03-01 --session 1");
    must(dir, "measure add --case Pair --partner B --instrument ors --total 24 --date 2026-03-15");
    must(dir, "measure add --case Pair --partner A --instrument csi4 --items 3,3,4,3 --date 2026-03-01");
    const json j = json::parse(must(dir, "metrics --case Pair --json").out);

    CHECK(j["measures"] == json::parse(R"({
        "csi4": {"A": {"first": 13.0, "latest": 13.0, "change": 0.0, "reliable_change": null,
                       "clinical": true, "recovered": false},
                 "B": null},
        "ors": {"A": null,
                "B": {"first": 30.0, "latest": 24.0, "change": -6.0, "reliable_change": "deteriorated",
                      "clinical": true, "recovered": false}}})"));
    CHECK(j["not_on_track"] == true);
    CHECK(j["not_on_track_reason"] ==
          "Couple-reported measures: partner B's ORS (Outcome Rating Scale) total fell reliably from 30 to 24 "
          "(2026-03-01 to 2026-03-15).");

    REQUIRE(j["sessions"].size() == 1);
    const json& s = j["sessions"][0];
    CHECK(s["repairs"] == 3);  // the version-1 keys are still there
    CHECK(s["change_events"] == json::parse(R"({"withdrawer_reengagement": 1, "blamer_softening": 1})"));
    CHECK(s["change_events_confirmed"] == json::parse(R"({"withdrawer_reengagement": 0, "blamer_softening": 0})"));
    const json& a_to_b = s["sequences"]["A->B"];
    // The default scheme's partner categories, every pair: DOMAIN.md's five and
    // version 2's `pursuit` (protest), which adds rows without changing theirs.
    CHECK(a_to_b.size() == 36);
    CHECK(a_to_b.contains("pursuit->withdrawal"));
    const json& signal_repair = a_to_b["attachment->repair"];
    CHECK(signal_repair["a"] == 1);
    CHECK(signal_repair["b"] == 0);
    CHECK(signal_repair["c"] == 0);
    CHECK(signal_repair["d"] == 2);
    CHECK(signal_repair["q"].get<double>() == Catch::Approx(1.0));
    CHECK(signal_repair["z"].get<double>() == Catch::Approx(std::sqrt(3.0)));
    const json& signal_withdrawal = a_to_b["attachment->withdrawal"];
    CHECK(signal_withdrawal ==
          json({{"a", 0}, {"b", 1}, {"c", 1}, {"d", 1}, {"q", -1.0}, {"z", signal_withdrawal["z"]}}));
    CHECK(signal_withdrawal["z"].get<double>() == Catch::Approx(-std::sqrt(3.0) / 2));
    const json& never = a_to_b["low_warmth->low_warmth"];  // a zero table: no Q, no z
    CHECK(never == json::parse(R"({"a": 0, "b": 0, "c": 0, "d": 3, "q": null, "z": null})"));
    CHECK(s["sequences"]["B->A"]["withdrawal->repair"] ==
          json::parse(R"({"a": 0, "b": 1, "c": 0, "d": 2, "q": null, "z": null})"));
    // One session: the pool at the top level is that session's table.
    CHECK(j["sequences"] == s["sequences"]);
}

TEST_CASE("a confirmed change event shows in metrics; an unknown key is refused", "[change-events]") {
    TempDir dir;
    make_case(dir);
    const std::string listed = must(dir, "change-events --case Pair --session 1").out;
    // "05:00\twithdrawer_reengagement\tB vulnerable_share -> A validate at 07:00\tundecided\t<key>"
    const auto line = listed.find("withdrawer_reengagement\tB vulnerable_share -> A validate at 07:00\tundecided\t");
    REQUIRE(line != std::string::npos);
    const auto key_at = listed.find("withdrawer_reengagement:", line);
    const std::string key = listed.substr(key_at, listed.find('\n', key_at) - key_at);
    CHECK(must(dir, "change-event confirm --case Pair --session 1 --key " + key).out ==
          key + " confirmed by Dr Test\n");
    const json j = json::parse(must(dir, "metrics --case Pair --json").out);
    CHECK(j["sessions"][0]["change_events_confirmed"] ==
          json::parse(R"({"withdrawer_reengagement": 1, "blamer_softening": 0})"));
    const CliResult r = run(dir, "change-event reject --case Pair --session 1 --key blamer_softening:nope");
    CHECK(r.exit_code == 1);
    CHECK(r.err ==
          "attune change-event reject: session 1 of Pair has no change-event candidate blamer_softening:nope\n");
}

TEST_CASE("attune agreement --json gives ratings_icc once a second rater rated, null before", "[icc]") {
    TempDir dir;
    make_case(dir);
    write_file(dir / "kim.pass", "kim's own passphrase");
    must(dir, "person add --name 'Coder Kim' --role coder --new-passphrase-file kim.pass");
    must(dir, "session assign --case Pair --session 1 --coder 'Coder Kim'");
    const CliResult logged = run_attune("log --db p.db --case Pair --session 1 --who A --code blame_shift --at 12",
                                        dir.path(), "kim's own passphrase", "Coder Kim");
    INFO(logged.err);
    REQUIRE(logged.exit_code == 0);
    const std::string agreement = "agreement --case Pair --session 1 --rater-a 'Dr Test' --rater-b 'Coder Kim' --json";
    CHECK(json::parse(must(dir, agreement).out)["ratings_icc"].is_null());

    CliResult r = run(dir, "session rate --case Pair --session 1 --rater 'Dr Test' --safety 5");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("Dr Test is the case clinician") != std::string::npos);
    r = run(dir, "session rate --case Pair --session 1 --rater 'Coder Kim'");
    CHECK(r.exit_code == 64);
    CHECK(must(dir,
               "session rate --case Pair --session 1 --rater 'Coder Kim' --attunement-a 8 --attunement-b 5 "
               "--safety 10")
              .out == "session 1 of Pair rated by Coder Kim\n");
    // Targets (7, 8), (5, 5), (9, 10): MS_R = 61/6, MS_C = 2/3, MS_E = 1/6;
    // ICC = (61/6 - 1/6) / (61/6 + 1/6 + 2 (2/3 - 1/6) / 3) = 10 / (32/3) = 15/16.
    const json j = json::parse(must(dir, agreement).out);
    CHECK(j["ratings_icc"].get<double>() == Catch::Approx(15.0 / 16.0));
    CHECK(j.contains("kappa"));  // beside the kappa
    const std::string text =
        must(dir, "agreement --case Pair --session 1 --rater-a 'Dr Test' --rater-b 'Coder Kim'").out;
    CHECK(text.find("ratings ICC(2,1) 0.938 (3 ratings both gave, over 1 session of Pair; needs 3)") !=
          std::string::npos);
}
