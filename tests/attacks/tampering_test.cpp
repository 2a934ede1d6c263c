// Attacks on "a sealed session cannot change without every verification
// failing loudly" (issue 16): a signed and co-signed session edited behind
// Attune's back, with the raw key `attune key reveal` gives and the seal's
// triggers dropped, as anyone with the recovery key and the sqlcipher shell could.
#include "attacks/attack_fixture.h"
#include "core/crypto.h"
#include "core/session_digest.h"
#include "services/maintenance.h"
#include "services/practice_access.h"
#include "services/recordings.h"
#include "store/signing.h"

using namespace attune;
using namespace attune::test;

namespace {

using Status = services::SignatureCheck::Status;

std::vector<Status> statuses(const std::vector<services::SignatureCheck>& checks) {
    std::vector<Status> out;
    for (const auto& c : checks)
        out.push_back(c.status);
    return out;
}

// Both signatures of session 1 verify, and all `signatures` of the practice:
// the attacks below start from a sound record.
void require_sound(const AttackedPractice& p, std::int64_t signatures = 2) {
    auto practice = p.open_as_admin();
    REQUIRE(statuses(services::verify_signatures(*practice, p.session.id)) ==
            std::vector<Status>{Status::Verified, Status::Verified});
    const HealthReport health = services::check_health(*practice);
    REQUIRE(health.signature_problems.empty());
    REQUIRE(health.signatures_verified == signatures);
    REQUIRE(health.ok());
}

// Every signature of session 1 reads "changed after signing", and the health check fails naming it.
void require_both_changed(const AttackedPractice& p) {
    auto practice = p.open_as_admin();
    const auto checks = services::verify_signatures(*practice, p.session.id);
    REQUIRE(statuses(checks) == std::vector<Status>{Status::ChangedAfterSigning, Status::ChangedAfterSigning});
    for (const auto& c : checks) {
        REQUIRE_FALSE(c.verified());
        REQUIRE(services::signature_line(c).find("changed after signing") != std::string::npos);
    }
    REQUIRE(services::signature_line(checks[0]).find("Signed by Dr Test") == 0);
    REQUIRE(services::signature_line(checks[1]).find("Co-signed by Dr Super") == 0);
    const HealthReport health = services::check_health(*practice);
    REQUIRE(health.signature_problems.size() == 2);
    for (const std::string& problem : health.signature_problems)
        REQUIRE(problem.find("Couple A, session 1: ") == 0);
    REQUIRE(health.signatures_verified == 0);
    REQUIRE_FALSE(health.ok());
    // The edits left no trace in the audit trail: only the signatures show them.
    REQUIRE(health.audit.ok);
}

}  // namespace

TEST_CASE("a signed and co-signed session edited behind Attune's back fails both verifications and the health check",
          "[attack][seal]") {
    const AttackedPractice p;
    require_sound(p);
    const std::string raw = p.raw_key();
    REQUIRE(raw.rfind("x'", 0) == 0);
    const std::string session = std::to_string(p.session.id);
    const std::string first = std::to_string(p.observations.at(0));
    std::string edit;

    SECTION("an observation's code") {
        edit =
            "DROP TRIGGER observations_sealed_update; "
            "UPDATE observations SET code_id = 'defensive_anger' WHERE id = " +
            first;
    }
    SECTION("an observation's time") {
        edit = "DROP TRIGGER observations_sealed_update; UPDATE observations SET t = 13 WHERE id = " + first;
    }
    SECTION("an observation soft-deleted") {
        edit = "DROP TRIGGER observations_sealed_update; UPDATE observations SET deleted = 1 WHERE id = " + first;
    }
    SECTION("an observation deleted outright") {
        edit = "DROP TRIGGER observations_sealed_delete; DELETE FROM observations WHERE id = " + first;
    }
    SECTION("an observation added to the signed layer") {
        edit =
            "DROP TRIGGER observations_sealed_insert; INSERT INTO observations (uuid, session_id, rater_id, t, who, "
            "code_id, created_at, updated_at) SELECT 'forged', session_id, rater_id, 50, 'A', 'withdraw_emotion', "
            "created_at, updated_at FROM observations WHERE id = " +
            first;
    }
    SECTION("a rating") {
        edit = "DROP TRIGGER sessions_sealed_update; UPDATE sessions SET safety = 9 WHERE id = " + session;
    }
    SECTION("the stage and step") {
        edit = "DROP TRIGGER sessions_sealed_update; UPDATE sessions SET eft_stage = 2, eft_step = 5 WHERE id = " +
               session;
    }
    SECTION("the progress note") {
        edit =
            "DROP TRIGGER progress_notes_signed_update; "
            "UPDATE progress_notes SET plan = 'Stop therapy.' WHERE session_id = " +
            session;
    }
    SECTION("the layers the signatures cover, removed so that nothing seems sealed") {
        edit = "DROP TRIGGER signature_layers_no_delete; DELETE FROM signature_layers";
    }
    edit_behind_attunes_back(p.path, raw, edit);
    require_both_changed(p);
}

TEST_CASE("a layer coded after signing is not part of the signed record: editing it leaves the signatures verified",
          "[attack][seal]") {
    // Documented limit: a signature covers the raters who had coded the session
    // when it was signed (signature_layers). Another rater's coding added later
    // (for agreement) is open to its rater and is not what was signed.
    const AttackedPractice p;
    {
        auto practice = p.open_as_admin();
        services::assign_coder(*practice, "Couple A", 1, "Coder C");
    }
    RowId coded = 0;
    {
        auto as_coder = open_practice(p.path, kCoderPassphrase, "Coder C");
        services::LogRequest request;
        request.code = "withdraw_emotion";
        request.at = 14;
        coded = services::log_observation(*as_coder, *services::get_session(*as_coder, p.session.id), request).id;
    }
    require_sound(p);
    edit_behind_attunes_back(
        p.path, p.raw_key(),
        "UPDATE observations SET code_id = 'defensive_anger', t = 99 WHERE id = " + std::to_string(coded));
    auto practice = p.open_as_admin();
    REQUIRE(statuses(services::verify_signatures(*practice, p.session.id)) ==
            std::vector<Status>{Status::Verified, Status::Verified});
    REQUIRE(services::check_health(*practice).ok());
}

TEST_CASE("the session clock and date are signed: changed behind Attune's back, the signatures no longer verify",
          "[attack][seal]") {
    // Every per-minute rate is computed from the active time, and the date
    // orders the sessions: both are in the signed digest (core/session_digest.h).
    const AttackedPractice p;
    edit_behind_attunes_back(p.path, p.raw_key(),
                             "DROP TRIGGER sessions_sealed_update; UPDATE sessions SET active_seconds = 1200, "
                             "date = '2026-10-01' WHERE id = " +
                                 std::to_string(p.session.id));
    auto practice = p.open_as_admin();
    REQUIRE(services::get_session(*practice, p.session.id)->active_seconds == 1200);
    REQUIRE(statuses(services::verify_signatures(*practice, p.session.id)) ==
            std::vector<Status>{Status::ChangedAfterSigning, Status::ChangedAfterSigning});
}

TEST_CASE("a signature whose bytes were swapped for another session's never verifies", "[attack][seal]") {
    AttackedPractice p;
    Session second;
    {
        auto practice = p.open_as_admin();
        second = p.record_session(*practice, "2026-11-08");
        services::sign_session(*practice, second.id);
    }
    services::cosign_session(*open_practice(p.path, kSupervisorPassphrase, "Dr Super"), second.id);
    require_sound(p, 4);
    const std::string one = std::to_string(p.session.id);
    const std::string two = std::to_string(second.id);
    const auto from_two = [&](const std::string& columns, const std::string& role) {
        std::string set;
        for (const std::string& column : {std::string("digest"), std::string("signature"), std::string("signed_at")})
            if (columns.find(column) != std::string::npos)
                set += (set.empty() ? "" : ", ") + column + " = (SELECT " + column +
                       " FROM signatures WHERE session_id = " + two + " AND role = '" + role + "')";
        return "DROP TRIGGER signatures_no_update; UPDATE signatures SET " + set + " WHERE session_id = " + one +
               " AND role = '" + role + "'";
    };
    std::vector<Status> expected;

    SECTION("the signature's bytes") {
        edit_behind_attunes_back(p.path, p.raw_key(), from_two("signature", "sign"));
        // The record still gives the signed digest, but these bytes are not a signature of it; the
        // co-signature covers the first signature's bytes, so it no longer matches either.
        expected = {Status::NotTheirKey, Status::ChangedAfterSigning};
    }
    SECTION("the signature with its digest and time") {
        edit_behind_attunes_back(p.path, p.raw_key(), from_two("digest signature signed_at", "sign"));
        expected = {Status::ChangedAfterSigning, Status::ChangedAfterSigning};
    }
    SECTION("the co-signature's bytes") {
        edit_behind_attunes_back(p.path, p.raw_key(), from_two("signature", "cosign"));
        expected = {Status::Verified, Status::NotTheirKey};
    }
    SECTION("the signature moved to another signer") {
        edit_behind_attunes_back(
            p.path, p.raw_key(),
            "DROP TRIGGER signatures_no_update; UPDATE signatures SET signer_id = " + std::to_string(p.clinician.id) +
                " WHERE session_id = " + one + " AND role = 'sign'");
        // The co-signature covers the session and the first signature's bytes, which are unchanged.
        expected = {Status::ChangedAfterSigning, Status::Verified};
    }
    auto practice = p.open_as_admin();
    const auto checks = services::verify_signatures(*practice, p.session.id);
    REQUIRE(statuses(checks) == expected);
    // Session 2, whose signatures were copied, is untouched and still verifies.
    REQUIRE(statuses(services::verify_signatures(*practice, second.id)) ==
            std::vector<Status>{Status::Verified, Status::Verified});
    REQUIRE_FALSE(services::check_health(*practice).ok());
}

namespace {

// Another session of Couple A whose clock paused twice (at 02:00 for 30 s, at
// 05:00 for 45.5 s), signed and co-signed.
Session paused_and_signed(AttackedPractice& p) {
    Session paused;
    {
        auto practice = p.open_as_admin();
        paused = p.record_session(*practice, "2026-11-08");
        services::add_session_pause(*practice, paused, 120, 30);
        services::add_session_pause(*practice, paused, 300, 45.5);
        services::sign_session(*practice, paused.id);
    }
    services::cosign_session(*open_practice(p.path, kSupervisorPassphrase, "Dr Super"), paused.id);
    return paused;
}

}  // namespace

TEST_CASE("the clock's pauses are signed: changed behind Attune's back, the recording no longer lines up and the "
          "signatures no longer verify",
          "[attack][seal]") {
    // The pauses map session seconds to media seconds (DOMAIN.md, "Recordings"):
    // one changed moves every observation after it on the recording.
    AttackedPractice p;
    const Session paused = paused_and_signed(p);
    require_sound(p, 4);
    {
        auto practice = p.open_as_admin();
        REQUIRE(statuses(services::verify_signatures(*practice, paused.id)) ==
                std::vector<Status>{Status::Verified, Status::Verified});
    }
    const std::string session = std::to_string(paused.id);
    std::string edit;
    SECTION("a pause's wall length") {
        edit = "DROP TRIGGER session_pauses_sealed_update; UPDATE session_pauses SET wall_seconds = 5 WHERE "
               "session_seconds = 300 AND session_id = " + session;
    }
    SECTION("a pause's start") {
        edit = "DROP TRIGGER session_pauses_sealed_update; UPDATE session_pauses SET session_seconds = 60 WHERE "
               "session_seconds = 120 AND session_id = " + session;
    }
    SECTION("a pause deleted") {
        edit = "DROP TRIGGER session_pauses_sealed_delete; DELETE FROM session_pauses WHERE session_seconds = 120 "
               "AND session_id = " + session;
    }
    SECTION("a pause added") {
        edit = "DROP TRIGGER session_pauses_sealed_insert; INSERT INTO session_pauses (uuid, session_id, "
               "session_seconds, wall_seconds, origin, created_at) VALUES ('forged', " + session +
               ", 400, 90, 'entered', '2026-11-08T10:00:00Z')";
    }
    edit_behind_attunes_back(p.path, p.raw_key(), edit);
    auto practice = p.open_as_admin();
    REQUIRE(statuses(services::verify_signatures(*practice, paused.id)) ==
            std::vector<Status>{Status::ChangedAfterSigning, Status::ChangedAfterSigning});
    // Session 1, which never paused, still verifies.
    REQUIRE(statuses(services::verify_signatures(*practice, p.session.id)) ==
            std::vector<Status>{Status::Verified, Status::Verified});
    const HealthReport health = services::check_health(*practice);
    REQUIRE(health.signature_problems.size() == 2);
    REQUIRE(health.signatures_verified == 2);
}

TEST_CASE("a signature Attune made before pauses were signed still verifies, and never covered them",
          "[attack][seal]") {
    // Documented limit (core/session_digest.h): a version-1 signature covers
    // the session without its pauses; a version-2 one is never read as version 1.
    AttackedPractice p(false);
    Session paused;
    {
        auto practice = p.open_as_admin();
        paused = p.record_session(*practice, "2026-11-08");
        services::add_session_pause(*practice, paused, 120, 30);
        // Signed as Attune signed before version 2: the same content, in version 1.
        store::Database& db = services::database_of(*practice);
        const Person me = practice->person();
        store::SignatureDraft draft;
        draft.signed_at = "2026-11-08T20:00:00Z";
        draft.layers = {me.id};
        const services::SessionReview review = services::load_session_review(*practice, p.couple.id, paused.id);
        const SessionContent content = SessionContent::of(review.session, review.note, review.therapist_layer,
                                                          {{me.id, me.uuid}}, {});
        const SessionDigest digest = session_digest(content, {me.uuid, me.name, draft.signed_at}, 1);
        const crypto::Bytes bytes(digest.begin(), digest.end());
        draft.digest = crypto::to_hex(bytes);
        draft.signature = crypto::to_hex(practice->sign(bytes));
        store::SigningRepository(db).sign(paused.id, draft);
        REQUIRE(statuses(services::verify_signatures(*practice, paused.id)) == std::vector<Status>{Status::Verified});
    }
    const std::string session = std::to_string(paused.id);
    const auto after_edit = [&](const std::string& edit) {
        edit_behind_attunes_back(p.path, p.raw_key(), edit + " WHERE session_id = " + session);
        return statuses(services::verify_signatures(*p.open_as_admin(), paused.id));
    };
    SECTION("its pauses changed: not covered, it still verifies") {
        REQUIRE(after_edit("DROP TRIGGER session_pauses_sealed_update; UPDATE session_pauses SET wall_seconds = 5") ==
                std::vector<Status>{Status::Verified});
    }
    SECTION("its note changed: covered in version 1 too") {
        REQUIRE(after_edit("DROP TRIGGER progress_notes_signed_update; UPDATE progress_notes SET plan = 'Stop "
                           "therapy.'") == std::vector<Status>{Status::ChangedAfterSigning});
    }
}
