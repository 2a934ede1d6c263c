// BORIS import --into-existing: a second rater's coding becomes their layer on
// sessions the case already has, never new sessions.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "practice_reads.h"
#include "services/boris_import.h"
#include "services/cases.h"
#include "services/open_practice.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

std::filesystem::path own(const std::string& name) {
    return test::test_data_dir() / "boris" / name;
}

// couples.boris holds BORIS observations "Session 1" (2026-03-03) and "Session 2" (2026-03-10).
struct Practice {
    test::TempDir dir;
    std::unique_ptr<services::OpenPractice> open = test::new_practice(dir / "practice.db", "correct horse", "Dr Lee");
    RowId case_id = 0;

    // Case "Couple M" (Ana, Ben) with ended sessions of these dates, numbered in this order.
    explicit Practice(const std::vector<std::string>& session_dates) {
        test::add_person(*open, "Coder Kim", GrantRole::Coder);
        case_id = test::add_couple(*open, "Couple M").id;
        for (const std::string& date : session_dates) {
            services::SessionEnding ending;
            ending.active_seconds = 3000;
            services::end_session(*open, services::start_session(*open, case_id, date), ending);
        }
    }
    services::OpenPractice& practice() { return *open; }
    std::vector<Session> sessions() { return services::list_sessions(*open, case_id); }
    size_t observations_of(const Session& s, const std::string& rater) {
        const auto person = test::person_named(*open, rater);
        if (!person) return 0;
        return test::observations_of(*open, s, person->id).size();
    }
    size_t all_observations() {
        size_t total = 0;
        for (const Session& s : sessions())
            total += test::observations_of(*open, s).size();
        return total;
    }
};

services::BorisImportOptions second_rater() {
    services::BorisImportOptions options;
    options.case_label = "Couple M";
    options.rater_name = "Coder Kim";
    options.into_existing = true;
    return options;
}

}  // namespace

TEST_CASE("with into_existing a BORIS file becomes a rater's layer on the sessions of the same date") {
    // Numbered against date order, so that matching by number would go wrong.
    Practice p({"2026-03-10", "2026-03-03"});
    const services::ImportReport report = services::import_boris(p.practice(), own("couples.boris"), second_rater());
    REQUIRE(report.sessions_created() == 0);
    REQUIRE(report.sessions[0].layers.at(0).rater == "Coder Kim");
    REQUIRE(report.sessions.size() == 2);
    REQUIRE(report.sessions[0].date == "2026-03-03");
    REQUIRE(report.sessions[0].session_number == 2);
    REQUIRE(report.sessions[1].session_number == 1);
    REQUIRE(report.sessions[0].into_existing);

    const auto sessions = p.sessions();  // date order: 03-03 (number 2), 03-10 (number 1)
    REQUIRE(sessions.size() == 2);
    REQUIRE(report.sessions[0].observations_created() > 0);
    REQUIRE(report.sessions[1].observations_created() > 0);
    REQUIRE(p.observations_of(sessions[0], "Coder Kim") ==
            static_cast<size_t>(report.sessions[0].observations_created()));
    REQUIRE(p.observations_of(sessions[1], "Coder Kim") ==
            static_cast<size_t>(report.sessions[1].observations_created()));
    REQUIRE(p.observations_of(sessions[0], "Dr Lee") == 0);
    REQUIRE(report.summary().find("existing session") != std::string::npos);

    // Importing the same file again changes nothing.
    const services::ImportReport again = services::import_boris(p.practice(), own("couples.boris"), second_rater());
    REQUIRE(again.observations_created() == 0);
    REQUIRE(p.sessions().size() == 2);
}

TEST_CASE("with into_existing and no session of the BORIS date the import is refused, naming what to do") {
    Practice p({"2026-04-01", "2026-04-08"});
    const std::string message = [&] {
        try {
            services::import_boris(p.practice(), own("couples.boris"), second_rater());
        } catch (const services::BorisImportError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    }();
    REQUIRE(message.find("case 'Couple M' has no session dated 2026-03-03 for BORIS observation 'Session 1': say "
                         "which session it is with --session N") != std::string::npos);
    REQUIRE(p.all_observations() == 0);  // not even the other session's observations
}

TEST_CASE("with into_existing and --session, one chosen BORIS observation goes to that session") {
    Practice p({"2026-04-01", "2026-04-08"});
    services::BorisImportOptions options = second_rater();
    options.session_number = 2;
    // Two BORIS observations cannot go to one session.
    REQUIRE_THROWS_AS(services::import_boris(p.practice(), own("couples.boris"), options), services::BorisImportError);
    REQUIRE(p.all_observations() == 0);
    options.observation_ids = {"Session 2"};
    const services::ImportReport report = services::import_boris(p.practice(), own("couples.boris"), options);
    REQUIRE(report.sessions.size() == 1);
    REQUIRE(report.sessions[0].session_number == 2);
    const auto sessions = p.sessions();
    REQUIRE(p.observations_of(sessions[1], "Coder Kim") == 7);
    REQUIRE(p.observations_of(sessions[0], "Coder Kim") == 0);
    REQUIRE(report.left_out.size() == 1);
    REQUIRE(report.left_out[0].reason == "not chosen");
    // A session the case does not have.
    options.session_number = 9;
    REQUIRE_THROWS_WITH(services::import_boris(p.practice(), own("couples.boris"), options),
                        "case 'Couple M' has no session 9 (see attune session list); nothing was imported");
}

TEST_CASE("with into_existing a case that does not exist is refused, not created") {
    Practice p({"2026-03-03"});
    services::BorisImportOptions options = second_rater();
    options.case_label = "Couple Unknown";
    options.partner_a_name = "Ana";
    options.partner_b_name = "Ben";
    REQUIRE_THROWS_AS(services::import_boris(p.practice(), own("couples.boris"), options), services::BorisImportError);
    REQUIRE_FALSE(test::case_labelled(p.practice(), "Couple Unknown"));
}
