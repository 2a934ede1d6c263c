// A signed session is sealed (issue 16): its clinician's signature covers a
// digest of the whole session (core/session_digest.h), and the store refuses
// every change to what it covers. Here every way the services offer to change
// a signed session is tried: each is refused in a plain sentence, nothing
// changes, and the signature still verifies. Another rater's layer (coding
// for agreement) may still be added; it is not part of the signed record.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <string>
#include <vector>

#include "practice_reads.h"
#include "services/cases.h"
#include "services/live_session.h"
#include "services/people.h"
#include "services/supervision.h"
#include "team.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;

namespace {

// Dr Test's case with one ended session (3 observations, notes), supervised by
// Dr Super, and a coder; signed by Dr Test unless asked not to.
struct SignedSession {
    test::Team team;
    Case c;
    Session s;
    std::vector<Observation> signed_layer;

    explicit SignedSession(bool sign = true) {
        team.add("Dr Super", GrantRole::Supervisor);
        team.add("Dr Other", GrantRole::Supervisor);
        team.add("Coder Kim", GrantRole::Coder);
        c = test::add_couple(team.p(), "Couple S");
        s = test::coded_session(team.p(), c, "2026-04-01", "private");
        services::set_case_supervisor(team.p(), "Couple S", "Dr Super");
        services::assign_coder(team.p(), "Couple S", 1, "Coder Kim");
        signed_layer = test::observations_of(team.p(), s);
        if (sign) services::sign_session(team.p(), s.id);
    }
    services::OpenPractice& as(const std::string& name) { return team.sign_in_as(name); }
};

std::vector<services::SignatureCheck::Status> statuses(services::OpenPractice& practice, RowId session_id) {
    std::vector<services::SignatureCheck::Status> out;
    for (const services::SignatureCheck& check : services::verify_signatures(practice, session_id))
        out.push_back(check.status);
    return out;
}

using Status = services::SignatureCheck::Status;

services::LogRequest request_at(double t, const char* code = "validate", Who who = Who::A) {
    services::LogRequest request;
    request.who = who;
    request.code = code;
    request.at = t;
    return request;
}

}  // namespace

TEST_CASE("every change to a signed session is refused in words and its signature still verifies", "[seal]") {
    SignedSession f;
    services::OpenPractice& p = f.team.p();
    REQUIRE(statuses(p, f.s.id) == std::vector<Status>{Status::Verified});

    // Coding into the signed layer, from the command line's `log`.
    const test::Refusal logged = test::refusal([&] { services::log_observation(p, f.s, request_at(90)); });
    CHECK(logged.kind == Error::Kind::Invalid);
    CHECK_THAT(logged.what(), ContainsSubstring("this session is signed: its coding is sealed"));
    // Ratings and stage, as `session end` sets them.
    services::SessionEnding stage;
    stage.stage = 2;
    const test::Refusal staged = test::refusal([&] { services::end_session(p, f.s, stage); });
    CHECK(staged.kind == Error::Kind::Invalid);
    CHECK_THAT(staged.what(), ContainsSubstring("its date, ratings, stage and clock are sealed"));
    services::SessionEnding ratings;
    ratings.safety = 9;
    CHECK_THAT(test::refusal([&] { services::end_session(p, f.s, ratings); }).what(),
               ContainsSubstring("its date, ratings, stage and clock are sealed"));

    // The session view: edit and delete an observation, set the stage, end
    // it again with ratings, edit the progress note.
    std::vector<std::string> errors;
    services::LiveSession live(p, [&](bool is_error, const std::string& text) {
        if (is_error) errors.push_back(text);
    });
    REQUIRE(live.sync(f.s.id, 0));
    CHECK(live.note_signed());
    Observation moved = live.observations().front();
    moved.t += 1;
    moved.comment = "changed afterwards";
    live.update_observation(moved);
    live.delete_observation(live.observations().back().id);
    live.set_stage(3, 8);
    CHECK_FALSE(live.end_session(Ratings{9, 9, 9}, 0));
    REQUIRE(errors.size() == 4);
    CHECK_THAT(errors[0], ContainsSubstring("its coding is sealed"));
    CHECK_THAT(errors[1], ContainsSubstring("its coding is sealed"));
    CHECK_THAT(errors[2], ContainsSubstring("its date, ratings, stage and clock are sealed"));
    CHECK_THAT(errors[3], ContainsSubstring("sealed"));
    live.progress_note.plan = "rewritten after signing";
    live.progress_note_edited(0);
    live.flush_notes();
    CHECK(live.progress_status().status == services::DebouncedNote::Status::Failed);
    CHECK_THAT(live.progress_status().error, ContainsSubstring("this note is signed; add an addendum instead"));

    // Nothing changed, so the signature still verifies; a correction is an addendum.
    const std::vector<Observation> now = test::observations_of(p, f.s);
    REQUIRE(now.size() == f.signed_layer.size());
    for (std::size_t i = 0; i < now.size(); ++i) {
        CHECK(now[i].t == f.signed_layer[i].t);
        CHECK(now[i].comment == f.signed_layer[i].comment);
    }
    const Session stored = *services::get_session(p, f.s.id);
    CHECK(stored.eft_stage == 1);
    CHECK(stored.ratings.safety == 6);
    CHECK(services::load_session_review(p, f.c.id, f.s.id).note.plan == "Plan after 2026-04-01");
    CHECK(statuses(p, f.s.id) == std::vector<Status>{Status::Verified});
    CHECK(services::add_addendum(p, f.s.id, "Correction: the shut-down ended at 85 s.").text ==
          "Correction: the shut-down ended at 85 s.");
    CHECK(statuses(p, f.s.id) == std::vector<Status>{Status::Verified});
}

TEST_CASE("a session signed before anything was coded stays without coding", "[seal]") {
    test::Team team;
    const Case c = test::add_couple(team.p(), "Couple E");
    Session s = services::start_session(team.p(), c.id, "2026-04-02");
    services::SessionEnding ending;
    ending.active_seconds = 300;
    s = services::end_session(team.p(), s, ending);
    services::sign_session(team.p(), s.id);
    const test::Refusal logged = test::refusal([&] { services::log_observation(team.p(), s, request_at(30)); });
    CHECK(logged.kind == Error::Kind::Invalid);
    CHECK_THAT(logged.what(), ContainsSubstring("its coding is sealed"));
    CHECK(test::observations_of(team.p(), s).empty());
    CHECK(statuses(team.p(), s.id) == std::vector<Status>{Status::Verified});
}

TEST_CASE("another rater's layer may be added to a signed session for agreement without touching its signatures",
          "[seal]") {
    SignedSession f;
    const RowId clinician = f.team.p().person().id;
    services::OpenPractice& super = f.as("Dr Super");
    const RowId supervisor = super.person().id;
    services::log_observation(super, f.s, request_at(11, "blame_shift"));
    services::log_observation(super, f.s, request_at(41, "validate", Who::B));
    CHECK(statuses(super, f.s.id) == std::vector<Status>{Status::Verified});
    services::cosign_session(super, f.s.id);
    CHECK(statuses(super, f.s.id) == std::vector<Status>{Status::Verified, Status::Verified});
    // Both raters' codings are there to compare: 2 of the clinician's 3 are matched within 2 s.
    const AgreementResult agreement = services::rater_agreement(super, f.s.id, clinician, supervisor, 2.0);
    CHECK(agreement.matched == 2);
    CHECK(agreement.unmatched_a == 1);
    CHECK(agreement.unmatched_b == 0);

    // A coder's layer after the co-signature changes neither signature.
    services::OpenPractice& kim = f.as("Coder Kim");
    services::log_observation(kim, f.s, request_at(12, "blame_shift"));
    CHECK(test::observations_of(kim, f.s, kim.person().id).size() == 1);
    CHECK(statuses(kim, f.s.id) == std::vector<Status>{Status::Verified, Status::Verified});
    // The clinician's layer, the one signed, is still the same three observations.
    CHECK(test::observations_of(kim, f.s, clinician).size() == 3);
}

TEST_CASE("only the case's clinician signs and only its named supervisor co-signs", "[seal]") {
    SignedSession f(false);
    CHECK(test::refusal([&] { services::sign_session(f.as("Dr Super"), f.s.id); }).kind == Error::Kind::Denied);
    CHECK(test::refusal([&] { services::cosign_session(f.as("Dr Super"), f.s.id); }).kind == Error::Kind::Invalid);
    services::sign_session(f.as("Dr Test"), f.s.id);
    CHECK(test::refusal([&] { services::sign_session(f.team.p(), f.s.id); }).kind == Error::Kind::Invalid);
    CHECK(test::refusal([&] { services::cosign_session(f.team.p(), f.s.id); }).kind == Error::Kind::Denied);
    // Another supervisor of the practice is not this case's.
    const test::Refusal other = test::refusal([&] { services::cosign_session(f.as("Dr Other"), f.s.id); });
    CHECK(other.kind == Error::Kind::NotFound);  // not theirs to see at all
    CHECK(test::refusal([&] { services::cosign_session(f.as("Coder Kim"), f.s.id); }).kind == Error::Kind::Denied);
    const Signature cosigned = services::cosign_session(f.as("Dr Super"), f.s.id);
    CHECK(cosigned.signer_name == "Dr Super");
    CHECK(cosigned.role == SignatureRole::Cosign);
    CHECK(statuses(f.team.p(), f.s.id) == std::vector<Status>{Status::Verified, Status::Verified});
}

TEST_CASE("a running session cannot be signed", "[seal]") {
    test::Team team;
    const Case c = test::add_couple(team.p(), "Couple R");
    const Session s = services::start_session(team.p(), c.id, "2026-04-03");
    const test::Refusal running = test::refusal([&] { services::sign_session(team.p(), s.id); });
    CHECK(running.kind == Error::Kind::Invalid);
    CHECK_THAT(running.what(), ContainsSubstring("still running"));
    CHECK_FALSE(services::is_signed(team.p(), s.id));
}

TEST_CASE("the review offers each person what the actions allow, at each step of a session's signing", "[seal]") {
    SignedSession f(false);
    // sign, co-sign, add an addendum, comment, assign coders: 1 offered, 0 not.
    const auto rights = [&](const std::string& name) {
        const services::SupervisionRecord::Rights r = services::load_supervision(f.as(name), f.c.id, f.s.id).rights;
        std::string out;
        for (const bool right : {r.sign, r.cosign, r.add_addendum, r.comment, r.assign_coders})
            out += right ? "1" : "0";
        return out;
    };
    CHECK(rights("Dr Test") == "10011");
    CHECK(rights("Dr Super") == "00011");
    CHECK(rights("Coder Kim") == "00000");
    // What is not offered is refused.
    CHECK(test::refusal([&] { services::add_comment(f.as("Coder Kim"), f.s.id, 5, "x"); }).kind ==
          Error::Kind::Denied);
    services::add_comment(f.as("Dr Super"), f.s.id, 5, "Look at the withdrawal here.");

    services::sign_session(f.as("Dr Test"), f.s.id);
    CHECK(rights("Dr Test") == "00111");
    CHECK(rights("Dr Super") == "01111");
    CHECK(rights("Coder Kim") == "00000");
    CHECK(test::refusal([&] { services::add_addendum(f.as("Coder Kim"), f.s.id, "x"); }).kind ==
          Error::Kind::Denied);
    services::add_addendum(f.as("Dr Super"), f.s.id, "Reviewed in supervision.");

    services::cosign_session(f.as("Dr Super"), f.s.id);
    CHECK(rights("Dr Super") == "00111");
    CHECK(rights("Dr Test") == "00111");
}
