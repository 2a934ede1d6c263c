// Importing BORIS files into a practice (services::import_boris): our own
// couples-therapy files end to end, re-imports, second raters, and refusals
// that leave the practice as it was. Parsing and planning alone are
// tests/formats/boris_test.cpp.
#include "services/boris_import.h"

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <functional>
#include <memory>
#include <string>

#include "practice_reads.h"
#include "services/cases.h"
#include "services/open_practice.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Approx;
using Catch::Matchers::ContainsSubstring;

namespace {

std::filesystem::path own(const std::string& name) {
    return test::test_data_dir() / "boris" / name;
}

struct Practice {
    test::TempDir dir;
    std::unique_ptr<services::OpenPractice> open =
        test::new_practice(dir / "practice.db", "correct horse", "Dr Importer");
    services::OpenPractice& practice() { return *open; }
};

services::BorisImportOptions couple_m(const std::string& a = "Ana", const std::string& b = "Ben") {
    services::BorisImportOptions options;
    options.case_label = "Couple M";
    options.partner_a_name = a;
    options.partner_b_name = b;
    return options;
}

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const services::BorisImportError& e) {
        return e.what();
    }
    FAIL("no BorisImportError was thrown");
    return {};
}

}  // namespace

TEST_CASE("a couples project imports as sessions in date order with the right who, code, times and rater") {
    Practice p;
    const auto report = services::import_boris(p.practice(), own("couples.boris"), couple_m());
    REQUIRE(report.case_created);
    REQUIRE(report.sessions_created() == 2);
    REQUIRE(report.observations_created() == 10);
    REQUIRE(report.sessions[0].layers.at(0).rater == "Dr Importer");

    const auto the_case = test::case_labelled(p.practice(), "Couple M");
    REQUIRE(the_case);
    REQUIRE(the_case->partner_a.display_name == "Ana");
    REQUIRE(the_case->partner_b.display_name == "Ben");
    REQUIRE(the_case->start_date == "2026-03-03");
    const auto sessions = services::list_sessions(p.practice(), the_case->id);
    REQUIRE(sessions.size() == 2);
    REQUIRE(sessions[0].number == 1);
    REQUIRE(sessions[0].date == "2026-03-03");
    REQUIRE(sessions[0].start_time == "17:30");
    REQUIRE(sessions[0].active_seconds == Approx(3000.5));
    REQUIRE(sessions[0].state == SessionState::Ended);
    REQUIRE(sessions[1].number == 2);
    REQUIRE(sessions[1].date == "2026-03-10");
    REQUIRE(sessions[1].active_seconds == Approx(70.0));

    const auto first = test::observations_of(p.practice(), sessions[0]);
    REQUIRE(first.size() == 3);
    REQUIRE(first[1].who == Who::B);
    REQUIRE(first[1].code_id == "blame_shift");  // matched by label "Shifts blame"
    REQUIRE(first[2].code_id == "shut_down");
    REQUIRE(first[2].stop == Approx(25.0));

    const auto second = test::observations_of(p.practice(), sessions[1]);
    REQUIRE(second.size() == 7);
    const Person actor = p.practice().person();
    for (const Observation& o : second)
        REQUIRE(o.rater_id == actor.id);
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
    services::import_boris(p.practice(), own("couples.boris"), couple_m());
    const test::PracticeCounts before = test::counts_of(p.practice());
    const auto again = services::import_boris(p.practice(), own("couples.boris"), couple_m());
    REQUIRE_FALSE(again.case_created);
    REQUIRE(again.sessions_created() == 0);
    REQUIRE(again.observations_created() == 0);
    REQUIRE(again.observations_already_imported() == 10);
    REQUIRE(again.sessions[0].session_already_imported);
    REQUIRE_THAT(again.summary(), ContainsSubstring("already imported"));
    REQUIRE(test::counts_of(p.practice()) == before);
}

TEST_CASE("tabular, aggregated and newer tabular exports import as further sessions of the case") {
    Practice p;
    services::import_boris(p.practice(), own("couples.boris"), couple_m());
    services::import_boris(p.practice(), own("couples_tabular.tsv"), couple_m(" ana ", "BEN"));
    services::BorisImportOptions known_case;  // partners taken from the existing case
    known_case.case_label = "Couple M";
    const auto aggregated = services::import_boris(p.practice(), own("couples_aggregated.csv"), known_case);
    REQUIRE(aggregated.sessions.size() == 2);
    services::import_boris(p.practice(), own("couples_tabular_v8.txt"), couple_m());

    const auto the_case = test::case_labelled(p.practice(), "Couple M");
    const auto sessions = services::list_sessions(p.practice(), the_case->id);
    REQUIRE(sessions.size() == 6);
    for (int i = 0; i < 6; ++i)
        REQUIRE(sessions[static_cast<size_t>(i)].number == i + 1);
    REQUIRE(sessions[2].date == "2026-03-17");
    REQUIRE(sessions[2].active_seconds == Approx(11.0));
    REQUIRE(sessions[3].active_seconds == Approx(1800.0));
    REQUIRE(sessions[4].active_seconds == Approx(6.5));

    const auto third = test::observations_of(p.practice(), sessions[2]);
    REQUIRE(third.size() == 4);
    REQUIRE(third[0].comment == "you never look at me");
    REQUIRE(third[1].code_id == "shut_down");
    REQUIRE(third[1].t == Approx(4.5));
    REQUIRE(third[1].stop == Approx(9.75));
    REQUIRE(third[3].who == Who::Both);  // "No focal subject"

    const auto fourth = test::observations_of(p.practice(), sessions[3]);
    REQUIRE(fourth.size() == 4);
    REQUIRE(fourth[0].code_id == "reflect");
    REQUIRE(fourth[1].stop == Approx(35.5));
    REQUIRE(fourth[1].comment == "looked away, then at \"the floor\"; at stop: came back");
    REQUIRE(fourth[3].comment == "modifier: strong");

    const auto sixth = test::observations_of(p.practice(), sessions[5]);
    REQUIRE(sixth.size() == 3);
    REQUIRE(sixth[1].code_id == "withdraw_emotion");
    REQUIRE(sixth[1].kind == EventKind::Point);
    REQUIRE(sixth[1].t == Approx(5.0));
}

TEST_CASE("a second rater's import of the same file lands in the same sessions under that rater") {
    Practice p;
    services::import_boris(p.practice(), own("couples.boris"), couple_m());
    const Person second = test::add_person(p.practice(), "Dr Second", GrantRole::Coder);
    auto options = couple_m();
    options.rater_name = "Dr Second";
    const auto report = services::import_boris(p.practice(), own("couples.boris"), options);
    REQUIRE(report.sessions_created() == 0);
    REQUIRE(report.observations_created() == 10);
    const auto the_case = test::case_labelled(p.practice(), "Couple M");
    const auto sessions = services::list_sessions(p.practice(), the_case->id);
    REQUIRE(sessions.size() == 2);
    REQUIRE(test::observations_of(p.practice(), sessions[1], second.id).size() == 7);
}

TEST_CASE("a rater who is not a person of the practice is refused, not created") {
    Practice p;
    auto options = couple_m();
    options.rater_name = "Dr Nobody";
    const std::string message = error_of([&] { services::import_boris(p.practice(), own("couples.boris"), options); });
    REQUIRE_THAT(message, ContainsSubstring("no person named 'Dr Nobody' in this practice"));
    REQUIRE_FALSE(test::person_named(p.practice(), "Dr Nobody"));
    REQUIRE_FALSE(test::case_labelled(p.practice(), "Couple M"));
    // The preview (Practice > Import from BORIS...) refuses the same way.
    REQUIRE_THROWS_AS(services::prepare_boris_import(p.practice(), own("couples.boris"), options),
                      services::BorisImportError);
    REQUIRE_FALSE(services::prepare_boris_import(p.practice(), own("couples.boris"), couple_m()).nothing_to_import());
}

TEST_CASE("another clinician's case is not imported into, and only its clinician adds sessions to it") {
    Practice p;
    services::import_boris(p.practice(), own("couples.boris"), couple_m());
    test::add_person(p.practice(), "Dr Second", GrantRole::Clinician, "dr second's passphrase");
    const test::PracticeCounts before = test::counts_of(p.practice());
    p.open.reset();
    p.open = test::open_practice(p.dir / "practice.db", "dr second's passphrase", "Dr Second");
    auto into_new_sessions = couple_m();
    into_new_sessions.case_label = "Couple M";
    REQUIRE_THAT(error_of([&] { services::import_boris(p.practice(), own("couples.boris"), into_new_sessions); }),
                 ContainsSubstring("a case labelled 'Couple M' exists that Dr Second may not see"));
    p.open.reset();
    p.open = test::open_practice(p.dir / "practice.db", "correct horse", "Dr Importer");
    REQUIRE(test::counts_of(p.practice()) == before);
}

TEST_CASE("unknown subjects and behaviours are listed together and nothing is written") {
    Practice p;
    services::import_boris(p.practice(), own("couples.boris"), couple_m());
    const test::PracticeCounts before = test::counts_of(p.practice());
    const std::string message =
        error_of([&] { services::import_boris(p.practice(), own("unknowns.tsv"), couple_m()); });
    REQUIRE_THAT(message, ContainsSubstring("subjects that are neither partner nor the therapist: 'Carla' (first at "
                                            "unknowns.tsv line 3)"));
    REQUIRE_THAT(message,
                 ContainsSubstring("behaviours not in the coding scheme: 'hug' (first at unknowns.tsv line 4)"));
    REQUIRE(message.find('\n') == std::string::npos);
    REQUIRE(test::counts_of(p.practice()) == before);

    auto other = couple_m();
    other.case_label = "Couple N";
    error_of([&] { services::import_boris(p.practice(), own("unknowns.tsv"), other); });
    REQUIRE_FALSE(test::case_labelled(p.practice(), "Couple N"));
    REQUIRE(test::counts_of(p.practice()) == before);
}

TEST_CASE("partners named in the other order than the existing case's are refused") {
    Practice p;
    services::import_boris(p.practice(), own("couples.boris"), couple_m());
    const test::PracticeCounts before = test::counts_of(p.practice());
    const std::string message =
        error_of([&] { services::import_boris(p.practice(), own("couples_tabular.tsv"), couple_m("Ben", "Ana")); });
    REQUIRE_THAT(message, ContainsSubstring("'Ana' (A) and 'Ben' (B)"));
    REQUIRE(test::counts_of(p.practice()) == before);
}

TEST_CASE("a malformed file is refused by the import naming the file, and nothing is imported") {
    Practice p;
    services::import_boris(p.practice(), own("couples.boris"), couple_m());
    const test::PracticeCounts before = test::counts_of(p.practice());
    const std::string project = test::read_file(own("couples.boris"));
    const std::vector<std::pair<std::string, std::string>> bad_files = {
        {"truncated.boris", project.substr(0, project.size() / 2)},
        {"missing_time.tsv", "Observation date\tSubject\tBehavior\tStatus\n2026-01-02\tAna\tvalidate\tPOINT\n"},
        {"stop_without_start.tsv",
         "Observation date\tTime\tSubject\tBehavior\tStatus\n2026-01-02\t1\tAna\tvalidate\tPOINT\n"
         "2026-01-02\t2\tBen\tShuts down\tSTOP\n"},
    };
    for (const auto& [name, content] : bad_files) {
        INFO(name);
        const auto path = p.dir / name;
        test::write_file(path, content);
        auto other_case = couple_m();
        other_case.case_label = "Couple N";
        for (const auto& options : {couple_m(), other_case}) {
            const std::string message = error_of([&] { services::import_boris(p.practice(), path, options); });
            CHECK_THAT(message, ContainsSubstring(name));
            CHECK_THAT(message, ContainsSubstring("nothing was imported"));
            CHECK(test::counts_of(p.practice()) == before);
        }
    }
}
