// Sequences, change-event candidates and the therapist's decisions through the
// services; second raters' ratings and their ICC; the passphrase asked again.
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

#include "core/error.h"
#include "core/trend_charts.h"
#include "practice_reads.h"
#include "services/bundles.h"
#include "services/case_trends.h"
#include "services/people.h"
#include "services/supervision.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Approx;

namespace {

// Session 1 (2026-03-01), hand-worked with C = 60 s and R = 120 s:
//   10 A blame_shift, 30 B withdraw_emotion, 100 A need_closeness, 130 B reassure,
//   300 B vulnerable_share, 420 A validate, 500 B need_closeness, 620.5 A reflect.
// Roles over session 1: A pursued once, B withdrew once: A pursues, B withdraws.
// Change events: B's vulnerable_share at 300 answered by A's validate at exactly
// 300 + R = 420 (counts); B's need_closeness at 500 answered only at 620.5 (too
// late); A's need_closeness at 100 met by B's reassure at 130: one withdrawer
// re-engagement and one blamer softening.
// Lag 1, A->B: blame_shift -> B's withdrawal at 30; need_closeness -> B's reassure
// at 130; validate at 420 and reflect at 620.5 -> nothing within 60 s. So for
// attachment -> repair: a 1, b 0, c 0, d 3: Q = 3/3 = 1; E = 1/4,
// z = (1 - 0.25) / sqrt(0.25 * 0.75 * 0.75) = 2 (marked). B->A: 4 antecedents,
// none followed within 60 s.
// Session 2 (2026-03-08): B shifts blame twice, then A need_closeness at 100 and B
// reassure at 130. Over sessions 1-2 B pursued 2 to 1 and also withdrew more:
// both roles unknown, so session 2 has no candidate (and session 1 keeps its two).
struct Fixture {
    test::TempDir dir;
    std::unique_ptr<services::OpenPractice> practice = test::new_practice(dir / "p.db", "correct horse", "Dr P");
    Case c = test::add_couple(*practice, "Couple P");
    std::vector<Session> sessions;

    Fixture() {
        sessions.push_back(services::start_session(*practice, c.id, "2026-03-01"));
        log(0, Who::A, "blame_shift", 10);
        log(0, Who::B, "withdraw_emotion", 30);
        log(0, Who::A, "need_closeness", 100);
        log(0, Who::B, "reassure", 130);
        log(0, Who::B, "vulnerable_share", 300);
        log(0, Who::A, "validate", 420);
        log(0, Who::B, "need_closeness", 500);
        log(0, Who::A, "reflect", 620.5);
        end(0);
        sessions.push_back(services::start_session(*practice, c.id, "2026-03-08"));
        log(1, Who::B, "blame_shift", 10);
        log(1, Who::B, "blame_shift", 20);
        log(1, Who::A, "need_closeness", 100);
        log(1, Who::B, "reassure", 130);
        end(1);
    }
    Observation log(std::size_t session, Who who, const char* code, double t) {
        services::LogRequest request;
        request.who = who;
        request.code = code;
        request.at = t;
        return services::log_observation(*practice, sessions[session], request);
    }
    void end(std::size_t session) {
        services::SessionEnding ending;
        ending.active_seconds = 900;
        sessions[session] = services::end_session(*practice, sessions[session], ending);
    }
};

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("a session's lag-1 table and change events follow the hand-worked case", "[sequences][change-events]") {
    Fixture f;
    const CaseMetrics m = services::case_metrics(*f.practice, f.c.id);
    REQUIRE(m.has_process_detail);
    REQUIRE(m.sessions.size() == 2);
    const SequenceAnalysis& first = m.sessions[0].sequences;
    CHECK(first.a_to_b.antecedents == 4);
    CHECK(first.b_to_a.antecedents == 4);
    const LagPair* signal_repair = first.a_to_b.find("attachment", "repair");
    REQUIRE(signal_repair != nullptr);
    CHECK(signal_repair->a == 1);
    CHECK(signal_repair->b == 0);
    CHECK(signal_repair->c == 0);
    CHECK(signal_repair->d == 3);
    CHECK(*signal_repair->yules_q == Approx(1.0));
    CHECK(*signal_repair->adjusted_residual == Approx(2.0));
    CHECK(signal_repair->significant);
    CHECK(first.b_to_a.transitions.empty());

    const ChangeEvents& events = m.sessions[0].change_events;
    CHECK(events.roles.pursuer == Who::A);
    CHECK(events.roles.withdrawer == Who::B);
    CHECK(events.withdrawer_reengagement == 1);
    CHECK(events.blamer_softening == 1);
    CHECK(m.sessions[1].change_events.candidates.empty());  // roles over sessions 1-2 are unknown
    CHECK_FALSE(m.sessions[1].change_events.roles.known());

    // Pooled: session 2 adds B's two blame_shifts (-> nothing of A within 60 s) and A's signal met by B's repair.
    const LagPair* pooled = m.pooled_sequences.a_to_b.find("attachment", "repair");
    REQUIRE(pooled != nullptr);
    CHECK(pooled->a == 2);
    CHECK(m.pooled_sequences.b_to_a.antecedents == 7);  // 4 + B's two blame_shifts and reassure
}

TEST_CASE("only candidates the therapist confirmed are charted; the decision is audited", "[change-events]") {
    Fixture f;
    services::SessionReview review = services::load_session_review(*f.practice, f.c.id, f.sessions[0].id);
    REQUIRE(review.change_events.candidates.size() == 2);
    CHECK(review.decisions.empty());
    const ChangeEventCandidate softening = review.change_events.candidates[0];  // A at 100 comes first
    const ChangeEventCandidate reengagement = review.change_events.candidates[1];
    REQUIRE(softening.kind == ChangeEventKind::BlamerSoftening);
    REQUIRE(reengagement.kind == ChangeEventKind::WithdrawerReengagement);

    services::decide_change_event(*f.practice, f.sessions[0].id, reengagement.key(), CandidateDecision::Confirmed);
    services::decide_change_event(*f.practice, f.sessions[0].id, softening.key(), CandidateDecision::Rejected);
    const auto confirms = test::audit_rows(*f.practice, "confirm");
    REQUIRE(confirms.size() == 1);
    CHECK(confirms[0].entity == "change_event");
    CHECK(confirms[0].entity_id == f.sessions[0].uuid);
    CHECK(confirms[0].detail == reengagement.key() + " (B vulnerable_share at 05:00 -> A validate at 07:00)");
    CHECK(test::audit_rows(*f.practice, "reject").size() == 1);

    const CaseMetrics m = services::case_metrics(*f.practice, f.c.id);
    CHECK(m.sessions[0].confirmed.withdrawer_reengagement == 1);
    CHECK(m.sessions[0].confirmed.blamer_softening == 0);
    const std::vector<ChartSpec> charts = case_trend_charts(m);
    const auto chart = std::find_if(charts.begin(), charts.end(), [](const ChartSpec& c) {
        return c.title.find("Change events") != std::string::npos;
    });
    REQUIRE(chart != charts.end());
    CHECK(chart->series[0].y == std::vector<std::optional<double>>{1.0, 0.0});

    CHECK(error_of([&] {
              services::decide_change_event(*f.practice, f.sessions[1].id, reengagement.key(),
                                            CandidateDecision::Confirmed);
          }) == "session 2 of Couple P has no change-event candidate " + reengagement.key());
}

TEST_CASE("a second rater's ratings give the ratings ICC beside the clinician's", "[icc]") {
    Fixture f;
    // The clinician's own ratings: session 1 7, 5, 9; session 2 3, -, 4.
    services::SessionEnding first;
    first.attunement_a = 7;
    first.attunement_b = 5;
    first.safety = 9;
    services::end_session(*f.practice, f.sessions[0], first);
    services::SessionEnding second;
    second.attunement_a = 3;
    second.safety = 4;
    services::end_session(*f.practice, f.sessions[1], second);

    const Person coder = test::add_person(*f.practice, "Coder R", GrantRole::Coder);
    CHECK(error_of([&] {
              services::rate_session(*f.practice, f.sessions[0].id, coder.id, Ratings{8, 5, 10});
          }) == "Coder R has coded nothing in session 1 of Couple P: a second rater rates a session they coded");
    services::assign_coder(*f.practice, "Couple P", 1, "Coder R");
    services::assign_coder(*f.practice, "Couple P", 2, "Coder R");
    // The coder signs in, codes both sessions, then rates them: 8, 5, 10 and 5, 6, -.
    f.practice.reset();
    f.practice = test::open_practice(f.dir / "p.db", "their passphrase", "Coder R");
    f.log(0, Who::A, "blame_shift", 11);
    f.log(1, Who::B, "blame_shift", 12);
    services::rate_session(*f.practice, f.sessions[0].id, coder.id, Ratings{8, 5, 10});
    services::rate_session(*f.practice, f.sessions[1].id, coder.id, Ratings{5, 6, std::nullopt});
    // A coder gives only their own ratings.
    CHECK(error_of([&] {
              services::rate_session(*f.practice, f.sessions[0].id, f.c.clinician_id, Ratings{1, 1, 1});
          }) == "Coder R may give only their own ratings of Couple P");
    f.practice.reset();
    f.practice = test::open_practice(f.dir / "p.db", "correct horse", "Dr P");

    // Targets both rated: (7,8) (5,5) (9,10) (3,5): the core test's hand-worked ICC of 8/9.
    const RatingAgreement agreement = services::ratings_agreement(*f.practice, f.c.id, f.c.clinician_id, coder.id);
    CHECK(agreement.sessions == 2);
    CHECK(agreement.targets == 4);
    REQUIRE(agreement.icc.has_value());
    CHECK(*agreement.icc == Approx(8.0 / 9));
    CHECK(services::ratings_by(*f.practice, f.sessions[1].id, coder.id)->attunement_b == 6);
    CHECK(services::ratings_by(*f.practice, f.sessions[0].id, f.c.clinician_id)->safety == 9);
    CHECK(error_of([&] {
              services::rate_session(*f.practice, f.sessions[0].id, f.c.clinician_id, Ratings{1, 1, 1});
          }).find("is the case clinician") != std::string::npos);

    // Without the coder's ratings there is no ICC.
    const Person other = test::add_person(*f.practice, "Coder S", GrantRole::Coder);
    const RatingAgreement none = services::ratings_agreement(*f.practice, f.c.id, f.c.clinician_id, other.id);
    CHECK(none.targets == 0);
    CHECK_FALSE(none.icc.has_value());
}

TEST_CASE("a second rater's ratings and the therapist's change-event decisions travel by bundle; the newer wins",
          "[icc][change-events][bundle]") {
    Fixture f;
    services::SessionEnding first;  // the clinician's own ratings of session 1: 7, 5, 9
    first.attunement_a = 7;
    first.attunement_b = 5;
    first.safety = 9;
    services::end_session(*f.practice, f.sessions[0], first);
    const services::SessionReview review = services::load_session_review(*f.practice, f.c.id, f.sessions[0].id);
    REQUIRE(review.change_events.candidates.size() == 2);
    const std::string softening = review.change_events.candidates[0].key();
    const std::string reengagement = review.change_events.candidates[1].key();
    services::decide_change_event(*f.practice, f.sessions[0].id, reengagement, CandidateDecision::Confirmed);
    services::decide_change_event(*f.practice, f.sessions[0].id, softening, CandidateDecision::Rejected);
    const Person coder = test::add_person(*f.practice, "Coder R", GrantRole::Coder);
    services::assign_coder(*f.practice, "Couple P", 1, "Coder R");
    const auto as = [&](const char* passphrase, const char* name) {
        f.practice.reset();
        f.practice = test::open_practice(f.dir / "p.db", passphrase, name);
    };
    as("their passphrase", "Coder R");
    f.log(0, Who::A, "blame_shift", 11);
    services::rate_session(*f.practice, f.sessions[0].id, coder.id, Ratings{8, 5, 10});
    as("correct horse", "Dr P");

    BundleSelection selection;
    selection.case_label = "Couple P";
    const services::KeyMaterial passphrase("bundle passphrase here");
    const auto bundle = f.dir / "p.attune";
    const BundleCounts written = services::export_bundle(*f.practice, selection, bundle, passphrase);
    CHECK(written.ratings == 1);
    CHECK(written.decisions == 2);
    test::TempDir elsewhere;
    auto other = test::new_practice(elsewhere / "other.db", "correct horse", "Dr P");
    const BundleImportReport imported = services::import_bundle(*other, bundle, passphrase);
    CHECK(imported.created.ratings == 1);
    CHECK(imported.created.decisions == 2);
    CHECK(imported.conflicts.empty());
    const Case there = services::find_case(*other, "Couple P");
    const Session one = services::find_session(*other, there, 1);
    const RowId coder_there = services::find_person(*other, "Coder R").id;
    const auto decisions = [&] {
        std::string out;
        for (const CandidateDecisionRecord& d : services::load_session_review(*other, there.id, one.id).decisions)
            out += (d.candidate_key == softening ? "softening " : "reengagement ") +
                   std::string(to_string(d.decision)) + " by " + d.decided_by + "\n";
        return out;
    };
    const std::string both = softening < reengagement ? "softening rejected by Dr P\nreengagement confirmed by Dr P\n"
                                                      : "reengagement confirmed by Dr P\nsoftening rejected by Dr P\n";
    CHECK(decisions() == both);
    // Targets both rated: (7,8) (5,5) (9,10), n = 3, k = 2: MS_R = 61/6, MS_C = 2/3, MS_E = 1/6;
    // ICC = (61/6 - 1/6) / (61/6 + 1/6 + 2 (2/3 - 1/6) / 3) = 10 / (64/6) = 15/16.
    const RatingAgreement agreement = services::ratings_agreement(*other, there.id, there.clinician_id, coder_there);
    CHECK(agreement.targets == 3);
    REQUIRE(agreement.icc.has_value());
    CHECK(*agreement.icc == Approx(15.0 / 16));
    const BundleImportReport again = services::import_bundle(*other, bundle, passphrase);
    CHECK(again.created.total() == 0);
    CHECK(again.updated.total() == 0);
    CHECK(again.conflicts.empty());

    // Changed at the source later: the coder rates again, the therapist rejects the re-engagement after all.
    const auto older = f.dir / "older.attune";
    std::filesystem::copy_file(bundle, older);
    test::wait_for_next_second();
    services::decide_change_event(*f.practice, f.sessions[0].id, reengagement, CandidateDecision::Rejected);
    as("their passphrase", "Coder R");
    services::rate_session(*f.practice, f.sessions[0].id, coder.id, Ratings{8, 5, 9});
    as("correct horse", "Dr P");
    services::export_bundle(*f.practice, selection, bundle, passphrase);
    const BundleImportReport newer = services::import_bundle(*other, bundle, passphrase);
    CHECK(newer.updated.ratings == 1);
    CHECK(newer.updated.decisions == 1);
    CHECK(newer.conflicts.empty());
    CHECK(decisions().find("reengagement rejected by Dr P\n") != std::string::npos);
    CHECK(services::ratings_by(*other, one.id, coder_there)->safety == 9);

    // The older bundle does not take them back: each is a conflict, this copy's kept.
    const BundleImportReport old = services::import_bundle(*other, older, passphrase);
    CHECK(old.updated.total() == 0);
    CHECK(old.conflicted.ratings == 1);
    CHECK(old.conflicted.decisions == 1);
    REQUIRE(old.conflicts.size() == 2);
    CHECK(old.conflicts[0].find("case Couple P session 1: the end-of-session rating by Coder R was changed here (") ==
          0);
    CHECK(old.conflicts[1].find("case Couple P session 1: change-event candidate " + reengagement +
                                " was changed here (") == 0);
    CHECK(decisions().find("reengagement rejected by Dr P\n") != std::string::npos);
    CHECK(services::ratings_by(*other, one.id, coder_there)->safety == 9);
}

TEST_CASE("the passphrase asked again is checked against the open practice", "[passphrase]") {
    Fixture f;
    CHECK(f.practice->verify_passphrase(services::KeyMaterial("correct horse")));
    CHECK_FALSE(f.practice->verify_passphrase(services::KeyMaterial("correct hors")));
    CHECK_FALSE(f.practice->verify_passphrase(services::KeyMaterial("correct horse ")));
    CHECK_FALSE(f.practice->verify_passphrase(services::KeyMaterial()));
    f.practice->lock();
    CHECK_FALSE(f.practice->verify_passphrase(services::KeyMaterial("correct horse")));  // locked: nobody to check
}
