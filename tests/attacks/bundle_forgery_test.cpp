// A co-signature forged in a case bundle (issue 16 item 5): whoever writes a
// bundle controls every byte of it, so a bundle may claim that the case's
// supervisor co-signed, with a correct digest of the session, signed by the
// forger's own key and carrying that key. It is recorded against the person
// it names, and never shows as verified.
#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch_test_macros.hpp>
#include <string>

#include "attack_fixture.h"
#include "core/crypto.h"
#include "core/session_digest.h"
#include "services/bundles.h"
#include "services/recordings.h"
#include "store/bundle.h"
#include "store/bundle_internal.h"

using namespace attune;

TEST_CASE("a bundle's co-signature that names our supervisor but was made with another key never verifies",
          "[attacks][bundle]") {
    test::AttackedPractice target(false);  // signed by Dr Test, not co-signed yet
    const auto bundle = target.dir / "forged.attune";
    const std::string bundle_passphrase = "forger bundle passphrase";
    const crypto::SigningKeyPair forger = crypto::generate_signing_keypair();
    {
        auto practice = target.open_as_admin();
        BundleSelection selection;
        selection.case_label = "Couple A";
        services::export_bundle(*practice, selection, bundle, services::KeyMaterial(bundle_passphrase));
        // The forger computes the real co-signature digest for Dr Super, and signs it herself.
        const services::SessionReview review =
            services::load_session_review(*practice, target.couple.id, target.session.id);
        const Signature first = services::verify_signatures(*practice, target.session.id).at(0).signature;
        const SessionContent content =
            SessionContent::of(review.session, review.note, review.therapist_layer,
                               {{target.admin.id, target.admin.uuid}},
                               services::session_pauses(*practice, target.session.id));
        const std::string signed_at = "2026-11-02T09:00:00Z";
        const std::string digest = crypto::to_hex(crypto::sha256(crypto::as_bytes(canonical_cosign_bytes(
            content, {target.supervisor.uuid, "Dr Super", signed_at}, *crypto::from_hex(first.signature)))));
        const std::string signature = crypto::to_hex(crypto::sign(*crypto::from_hex(digest), forger.secret_key));
        SQLite::Database file(bundle.string(), SQLite::OPEN_READWRITE);
        file.exec("PRAGMA key = '" + bundle_passphrase + "'");
        SQLite::Statement forge(
            file,
            "INSERT INTO signatures (session_uuid, signer_name, role, signed_at, note_sha256, "
            "signer_uuid, digest, signature, signer_key) SELECT session_uuid, 'Dr Super', 'cosign', "
            "?, note_sha256, ?, ?, ?, ? FROM signatures WHERE role = 'sign'");
        forge.bind(1, signed_at);
        forge.bind(2, target.supervisor.uuid);
        forge.bind(3, digest);
        forge.bind(4, signature);
        forge.bind(5, crypto::to_hex(forger.public_key));
        REQUIRE(forge.exec() == 1);
        file.exec(
            "INSERT INTO signature_layers SELECT session_uuid, 'cosign', rater_uuid FROM signature_layers "
            "WHERE role = 'sign'");
        // She seals the bundle again as its sender, with her own key.
        file.exec("UPDATE info SET value = 'Dr Forger' WHERE key = 'sender_name'");
        SQLite::Statement key(file, "UPDATE info SET value = ? WHERE key = 'sender_key'");
        key.bind(1, crypto::to_hex(forger.public_key));
        REQUIRE(key.exec() == 1);
    }
    {
        SQLite::Database sql(":memory:", SQLite::OPEN_READWRITE);
        sql.exec("ATTACH DATABASE '" + bundle.string() + "' AS bundle KEY '" + bundle_passphrase + "'");
        const std::string hash = store::bundle_detail::bundle_content_sha256(sql);
        SQLite::Statement seal(sql, "UPDATE bundle.info SET value = ? WHERE key = 'sender_signature'");
        seal.bind(1, crypto::to_hex(crypto::sign(*crypto::from_hex(hash), forger.secret_key)));
        REQUIRE(seal.exec() == 1);
    }
    // Dr Clin (the case is shared with her) imports it.
    auto clin = test::open_practice(target.path, test::kClinicianPassphrase, "Dr Clin");
    const BundleImportReport r = services::import_bundle(*clin, bundle, services::KeyMaterial(bundle_passphrase));
    CHECK(r.created.signatures == 1);
    CHECK(r.sender_name == "Dr Forger");
    CHECK_FALSE(r.sender_known);
    const auto checks = services::verify_signatures(*clin, target.session.id);
    REQUIRE(checks.size() == 2);
    CHECK(checks[0].verified());
    // Recorded against Dr Super (the uuid it names); the digest stands; the key is not hers.
    CHECK(checks[1].signature.signer_id == target.supervisor.id);
    CHECK(checks[1].status == services::SignatureCheck::Status::NotTheirKey);
    CHECK_FALSE(checks[1].verified());
    CHECK(services::signature_line(checks[1]).find("not verified: not signed with a key this practice knows for "
                                                   "Dr Super") != std::string::npos);
}

TEST_CASE("a bundle changed after its sender signed it is refused with one sentence and nothing is imported",
          "[attacks][bundle]") {
    test::AttackedPractice source;
    const auto bundle = source.dir / "changed.attune";
    const std::string bundle_passphrase = "shared bundle passphrase";
    {
        auto practice = source.open_as_admin();
        BundleSelection selection;
        selection.case_label = "Couple A";
        services::export_bundle(*practice, selection, bundle, services::KeyMaterial(bundle_passphrase));
    }
    {
        // Someone who has the bundle passphrase changes a goal on the way.
        SQLite::Database file(bundle.string(), SQLite::OPEN_READWRITE);
        file.exec("PRAGMA key = '" + bundle_passphrase + "'");
        REQUIRE(file.exec("UPDATE cases SET goals = 'changed on the way'") == 1);
    }
    test::TempDir elsewhere;
    auto target = test::new_practice(elsewhere / "target.db");
    try {
        services::import_bundle(*target, bundle, services::KeyMaterial(bundle_passphrase));
        FAIL("a changed bundle was imported");
    } catch (const Error& e) {
        CHECK(std::string(e.what()) == "changed.attune was changed after Dr Test signed it: nothing was imported");
    }
    CHECK(services::list_cases(*target).empty());
}
