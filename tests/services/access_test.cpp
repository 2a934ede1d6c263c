// Who sees what in one practice file (issue 16, services/access.h): a
// clinician sees their own cases and those shared with them, a supervisor the
// cases they supervise, a coder the sessions assigned to them, an
// administrator every case; only the case's own clinician ever reads its
// private process notes. Each person signs in with their own passphrase and
// reads through the same use cases the window and the command line call.
#include "services/access.h"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <string>
#include <vector>

#include "services/case_trends.h"
#include "services/cases.h"
#include "services/export.h"
#include "services/practice_sync.h"
#include "services/supervision.h"
#include "team.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;

namespace {

const std::string kPrivate = "PRIVATE countertransference of Dr Test";

// Dr Test's case "Couple A" with two ended sessions (notes and private notes),
// Dr Second's case "Couple B", and one person of each role.
struct Practice {
    test::Team team;
    Case a, b;
    Session a1, a2;

    Practice() {
        team.add("Dr Second", GrantRole::Clinician);
        team.add("Dr Super", GrantRole::Supervisor);
        team.add("Coder Kim", GrantRole::Coder);
        team.add("Admin Ada", GrantRole::Administrator);  // an administrator and nothing else
        a = test::add_couple(team.p(), "Couple A");
        a1 = test::coded_session(team.p(), a, "2026-03-02", kPrivate);
        a2 = test::coded_session(team.p(), a, "2026-03-09", kPrivate + " (2)");
        Case draft;
        draft.label = "Couple B";
        draft.partner_a.display_name = "Cy";
        draft.partner_b.display_name = "Di";
        b = services::add_case(team.p(), draft, "Dr Second");  // an administrator opens it for them
    }
    services::OpenPractice& as(const std::string& name) { return team.sign_in_as(name); }
};

std::vector<std::string> labels(services::OpenPractice& practice) {
    std::vector<std::string> out;
    for (const CaseSummary& summary : services::list_cases(practice))
        out.push_back(summary.info.label);
    std::sort(out.begin(), out.end());
    return out;
}

services::ExportOptions note_of(int session, bool include_private = false) {
    services::ExportOptions options;
    options.format = "txt";
    options.session_number = session;
    options.include_private = include_private;
    return options;
}

services::ExportOptions of_case(const std::string& format) {
    services::ExportOptions options;
    options.format = format;
    return options;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Asks for the private process note of session 1 and checks it is refused
// and appears in nothing that was made.
void check_private_note_refused(services::OpenPractice& practice, const Case& c) {
    const test::Refusal e = test::refusal([&] { services::ExportJob(practice, c, note_of(1, true)); });
    CHECK(e.kind == Error::Kind::Denied);
    CHECK_THAT(e.what(), ContainsSubstring("private process note"));
    const services::ExportJob note(practice, c, note_of(1));
    CHECK(contains(note.text(), "Progress of 2026-03-02"));
    CHECK_FALSE(contains(note.text(), kPrivate));
}

}  // namespace

TEST_CASE("a second clinician sees none of another clinician's cases until one is shared with them", "[access]") {
    Practice f;
    services::OpenPractice& second = f.as("Dr Second");
    CHECK(labels(second) == std::vector<std::string>{"Couple B"});
    CHECK(test::refusal([&] { services::find_case(second, "Couple A"); }).kind == Error::Kind::NotFound);
    CHECK_FALSE(services::get_case(second, f.a.id).has_value());
    CHECK(services::list_sessions(second, f.a.id).empty());
    CHECK_FALSE(services::get_session(second, f.a1.id).has_value());
    CHECK(test::refusal([&] { services::case_metrics(second, f.a.id); }).kind == Error::Kind::NotFound);
    CHECK(test::refusal([&] { services::session_detail_metrics(second, f.a1, f.a.clinician_id); }).kind ==
          Error::Kind::NotFound);
    for (const services::ExportOptions& options : {note_of(1), of_case("txt"), of_case("csv"), of_case("pdf")}) {
        INFO(options.format);
        CHECK(test::refusal([&] { services::ExportJob(second, f.a, options); }).kind == Error::Kind::NotFound);
    }
    CHECK(test::refusal([&] { services::load_session_review(second, f.a.id, f.a1.id); }).kind == Error::Kind::NotFound);
    // Their own case's id with another case's session shows nothing either.
    CHECK(test::refusal([&] { services::load_session_review(second, f.b.id, f.a1.id); }).kind == Error::Kind::NotFound);
    CHECK(test::refusal([&] { services::load_supervision(second, f.b.id, f.a1.id); }).kind == Error::Kind::NotFound);
    CHECK(test::refusal([&] { services::verify_signatures(second, f.a1.id); }).kind == Error::Kind::NotFound);
    const test::SessionViewLoad view = test::load_in_session_view(second, f.a1.id);
    CHECK_FALSE(view.loaded);
    CHECK(view.process_note.empty());
    CHECK(view.progress_note.data.empty());

    services::share_case(f.as("Dr Test"), "Couple A", "Dr Second");
    services::OpenPractice& shared = f.as("Dr Second");
    CHECK(labels(shared) == std::vector<std::string>{"Couple A", "Couple B"});
    CHECK(services::list_sessions(shared, f.a.id).size() == 2);
    CHECK(services::case_metrics(shared, f.a.id).sessions.size() == 2);
    check_private_note_refused(shared, f.a);
    const test::SessionViewLoad read = test::load_in_session_view(shared, f.a1.id);
    CHECK(read.loaded);
    CHECK(read.progress_note.data == "Progress of 2026-03-02");
    CHECK(read.process_note.empty());
    // Reading is not treating: the sessions stay their clinician's.
    CHECK(test::refusal([&] { services::start_session(shared, f.a.id, "2026-03-16"); }).kind == Error::Kind::Denied);
    CHECK(test::refusal([&] { services::sign_session(shared, f.a1.id); }).kind == Error::Kind::Denied);
}

TEST_CASE("a supervisor sees exactly the cases they supervise and never a private process note", "[access]") {
    Practice f;
    CHECK(labels(f.as("Dr Super")).empty());  // supervising nothing yet

    services::set_case_supervisor(f.as("Dr Test"), "Couple A", "Dr Super");
    services::OpenPractice& super = f.as("Dr Super");
    CHECK(labels(super) == std::vector<std::string>{"Couple A"});
    CHECK(test::refusal([&] { services::find_case(super, "Couple B"); }).kind == Error::Kind::NotFound);
    check_private_note_refused(super, f.a);
    const services::SessionReview review = services::load_session_review(super, f.a.id, f.a1.id);
    CHECK(review.note.data == "Progress of 2026-03-02");
    CHECK(review.therapist_layer.size() == 3);

    // The session view shows them no private note, and what they type there
    // never replaces the clinician's.
    {
        std::vector<std::string> errors;
        services::LiveSession live(super, [&](bool is_error, const std::string& text) {
            if (is_error) errors.push_back(text);
        });
        REQUIRE(live.sync(f.a1.id, 0));
        CHECK(live.process_note.empty());
        live.process_note = "the supervisor's guess";
        live.process_note_edited(0);
        live.flush_notes();
        CHECK(live.process_status().status == services::DebouncedNote::Status::Failed);
        CHECK_THAT(live.process_status().error, ContainsSubstring("private process note"));
    }
    CHECK(test::load_in_session_view(f.as("Dr Test"), f.a1.id).process_note == kPrivate);
}

TEST_CASE("a coder sees only the sessions assigned to them, and no notes", "[access]") {
    Practice f;
    CHECK(labels(f.as("Coder Kim")).empty());

    services::assign_coder(f.as("Dr Test"), "Couple A", 1, "Coder Kim");
    services::OpenPractice& kim = f.as("Coder Kim");
    CHECK(labels(kim) == std::vector<std::string>{"Couple A"});
    const std::vector<Session> sessions = services::list_sessions(kim, f.a.id);
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].id == f.a1.id);
    CHECK_FALSE(services::get_session(kim, f.a2.id).has_value());
    const services::SessionReview review = services::load_session_review(kim, f.a.id, f.a1.id);
    CHECK(review.therapist_layer.size() == 3);  // what they code against
    CHECK(review.note.data.empty());
    CHECK(review.note.assessment.empty());
    CHECK(review.note.plan.empty());
    CHECK(test::refusal([&] { services::load_session_review(kim, f.a.id, f.a2.id); }).kind == Error::Kind::NotFound);
    const test::SessionViewLoad view = test::load_in_session_view(kim, f.a1.id);
    CHECK(view.progress_note.data.empty());
    CHECK(view.process_note.empty());
    // No exports (notes, summaries, the case's data) and no trends of sessions they may not see.
    for (const services::ExportOptions& options :
         {note_of(1), of_case("txt"), of_case("csv"), of_case("metrics-csv")}) {
        INFO(options.format);
        CHECK(test::refusal([&] { services::ExportJob(kim, f.a, options); }).kind == Error::Kind::Denied);
    }
    CHECK(test::refusal([&] { services::case_metrics(kim, f.a.id); }).kind == Error::Kind::Denied);

    // They code the assigned session (their own layer), and nothing else.
    services::LogRequest request;
    request.code = "blame_shift";
    request.at = 11;
    const Observation coded = services::log_observation(kim, sessions[0], request);
    CHECK(coded.rater_id == kim.person().id);
    CHECK(test::refusal([&] { services::log_observation(kim, f.a2, request); }).kind == Error::Kind::NotFound);
    CHECK(test::refusal([&] { services::add_comment(kim, f.a1.id, 10, "looks like blame"); }).kind ==
          Error::Kind::Denied);
}

TEST_CASE("an administrator sees every case but no private process note and treats none", "[access]") {
    Practice f;
    services::OpenPractice& ada = f.as("Admin Ada");
    CHECK(labels(ada) == std::vector<std::string>{"Couple A", "Couple B"});
    check_private_note_refused(ada, f.a);
    CHECK(test::load_in_session_view(ada, f.a1.id).process_note.empty());
    CHECK(test::refusal([&] { services::start_session(ada, f.a.id, "2026-03-16"); }).kind == Error::Kind::Denied);
    CHECK(test::refusal([&] { services::sign_session(ada, f.a1.id); }).kind == Error::Kind::Denied);

    // The case's own clinician reads it all.
    services::OpenPractice& own = f.as("Dr Test");
    services::ExportJob with_private(own, f.a, note_of(1, true));
    CHECK(contains(with_private.text(), kPrivate));
}

TEST_CASE("a copy that syncs with a practice server refuses the assignments and the naming of a supervisor that "
          "the server would refuse, instead of keeping them here alone",
          "[access]") {
    Practice f;
    services::set_case_supervisor(f.as("Dr Test"), "Couple A", "Dr Super");
    services::share_case(f.as("Dr Test"), "Couple A", "Dr Second");
    const RowId supervisor = services::find_case(f.as("Dr Test"), "Couple A").supervisor_id;
    REQUIRE(supervisor != 0);
    // Which of sessions 1 and 2 the coder sees.
    const auto coded = [&] {
        services::OpenPractice& kim = f.as("Coder Kim");
        return std::to_string(services::may_see_session(kim, f.a, f.a1.id)) +
               std::to_string(services::may_see_session(kim, f.a, f.a2.id));
    };
    // Without a server, the administrator and the clinician it is shared with assign, as in one file.
    services::assign_coder(f.as("Admin Ada"), "Couple A", 1, "Coder Kim");
    CHECK(coded() == "10");
    services::unassign_coder(f.as("Dr Second"), "Couple A", 1, "Coder Kim");
    CHECK(coded() == "00");

    // With one, only the case's clinician and its supervisor assign or take back, and only a
    // clinician of the case names its supervisor; the others are told, and nothing changes.
    services::set_practice_server_url(f.as("Dr Test"), "postgresql://dr_test@db.example.org/attune");
    services::assign_coder(f.as("Dr Test"), "Couple A", 1, "Coder Kim");
    const std::string assigns = "on the practice server this copy syncs with, only the clinician of Couple A (Dr "
                                "Test) or its supervisor (Dr Super) assigns coding: done here it would stay in this "
                                "copy";
    for (const char* who : {"Admin Ada", "Dr Second"}) {
        INFO(who);
        const test::Refusal assign =
            test::refusal([&] { services::assign_coder(f.as(who), "Couple A", 2, "Coder Kim"); });
        CHECK(assign.kind == Error::Kind::Denied);
        CHECK(std::string(assign.what()) == assigns);
        const test::Refusal take =
            test::refusal([&] { services::unassign_coder(f.as(who), "Couple A", 1, "Coder Kim"); });
        CHECK(std::string(take.what()) ==
              "on the practice server this copy syncs with, only the clinician of Couple A (Dr Test) or its "
              "supervisor (Dr Super) takes coding back: done here it would stay in this copy");
    }
    const test::Refusal names =
        test::refusal([&] { services::set_case_supervisor(f.as("Admin Ada"), "Couple A", "Admin Ada"); });
    CHECK(names.kind == Error::Kind::Denied);
    CHECK(std::string(names.what()) == "on the practice server this copy syncs with, only the clinician of Couple A "
                                       "(Dr Test) names its supervisor: named here it would stay in this copy");
    CHECK(coded() == "10");
    CHECK(services::find_case(f.as("Dr Test"), "Couple A").supervisor_id == supervisor);
    // The supervisor assigns and takes back there as here.
    services::assign_coder(f.as("Dr Super"), "Couple A", 2, "Coder Kim");
    services::unassign_coder(f.as("Dr Super"), "Couple A", 1, "Coder Kim");
    CHECK(coded() == "01");
}
