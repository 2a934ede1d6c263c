// Signatures travel in case bundles (issue 16 item 5): a signature arrives
// with its digest, signature and signer, is recorded against the signer by
// uuid, and verifies only with a key this practice knows for that person.
#include <catch2/catch_test_macros.hpp>
#include <string>
#include <vector>

#include "services/bundles.h"
#include "services/people.h"
#include "services/recordings.h"
#include "services/supervision.h"
#include "team.h"

using namespace attune;

namespace {

const char* kBundlePassphrase = "travel secret 42";

// Another practice: its founder Dr Other treats Couple S; its own "Dr
// Supervisor" supervises and co-signs session 1, whose clock paused twice; the
// bundle is written to `out`.
struct OtherPractice {
    test::TempDir dir;
    std::filesystem::path path = dir / "other.db";
    Session s;
    explicit OtherPractice(const std::filesystem::path& out) {
        auto other = test::new_practice(path, "correct horse", "Dr Other");
        test::add_person(*other, "Dr Supervisor", GrantRole::Supervisor, "their supervisor's passphrase");
        const Case c = test::add_couple(*other, "Couple S");
        s = test::coded_session(*other, c, "2026-04-01", "private");
        services::add_session_pause(*other, s, 120, 30);  // covered by the signatures
        services::add_session_pause(*other, s, 300, 45.5);
        services::set_case_supervisor(*other, "Couple S", "Dr Supervisor");
        services::sign_session(*other, s.id);
        other.reset();
        services::cosign_session(*test::open_practice(path, "their supervisor's passphrase", "Dr Supervisor"), s.id);
        BundleSelection selection;
        selection.case_label = "Couple S";
        services::export_bundle(*open(), selection, out, services::KeyMaterial(kBundlePassphrase));
    }
    std::unique_ptr<services::OpenPractice> open() { return test::open_practice(path, "correct horse", "Dr Other"); }
};

RowId imported_session(services::OpenPractice& practice) {
    const Case c = services::find_case(practice, "Couple S");
    return services::find_session(practice, c, 1).id;
}

}  // namespace

TEST_CASE(
    "a co-signature by another practice's namesake of our supervisor shows as not verified until their key "
    "is imported",
    "[bundle][signing]") {
    test::TempDir dir;
    OtherPractice other(dir / "s.attune");
    // This practice (Dr Test, administrator) has a Dr Supervisor of its own: same name, another person.
    test::Team here;
    here.add("Dr Supervisor", GrantRole::Supervisor);
    const BundleImportReport r =
        services::import_bundle(here.p(), dir / "s.attune", services::KeyMaterial(kBundlePassphrase));
    CHECK(r.conflicts.empty());
    CHECK(r.created.signatures == 2);
    CHECK(r.created.pauses == 2);
    // The bundle is sealed by the other practice's Dr Other, a key not known here.
    CHECK(r.sender_name == "Dr Other");
    CHECK_FALSE(r.sender_known);
    CHECK(r.sender_fingerprint == services::export_public_key(*other.open(), "Dr Other").fingerprint);

    const RowId session = imported_session(here.p());
    std::vector<services::SignatureCheck> checks = services::verify_signatures(here.p(), session);
    REQUIRE(checks.size() == 2);
    CHECK(checks[0].signature.signer_name == "Dr Other");
    CHECK(checks[1].signature.signer_name == "Dr Supervisor (other practice)");
    CHECK(checks[1].signature.name_as_signed() == "Dr Supervisor");
    for (const services::SignatureCheck& check : checks) {
        CHECK_FALSE(check.verified());
        CHECK(check.status == services::SignatureCheck::Status::NotTheirKey);
        CHECK(check.reason.find("signed by a key this practice does not know for") != std::string::npos);
    }
    CHECK(checks[1].reason.find("Dr Supervisor (fingerprint ") != std::string::npos);
    const std::string line = services::signature_line(checks[1]);
    CHECK(line.find("Co-signed by Dr Supervisor (other practice)") == 0);
    CHECK(line.find("not verified") != std::string::npos);
    // Roles are never taken from a bundle: the other practice's supervisor supervises nothing here.
    CHECK_FALSE(here.p().trust().holds(checks[1].signature.signer_uuid, GrantRole::Supervisor));

    SECTION("once an administrator imports the other practice's keys, both verify over the session as imported, "
            "its pauses with it") {
        auto them = other.open();
        const services::PublicKeyFile their_supervisor = services::export_public_key(*them, "Dr Supervisor");
        const services::PublicKeyFile their_clinician = services::export_public_key(*them, "Dr Other");
        services::import_public_key(here.p(), their_supervisor);
        services::import_public_key(here.p(), their_clinician);
        checks = services::verify_signatures(here.p(), session);
        REQUIRE(checks.size() == 2);
        CHECK(checks[0].verified());
        CHECK(checks[1].verified());
        CHECK(checks[1].fingerprint == their_supervisor.fingerprint);
        // Dr Other's key is now known: the sender of the same bundle too.
        CHECK(
            services::import_bundle(here.p(), dir / "s.attune", services::KeyMaterial(kBundlePassphrase)).sender_known);
    }

    SECTION("our own supervisor's key does not verify the namesake's co-signature") {
        // Dr Supervisor of this practice is certified here; the co-signature is not theirs.
        const services::PublicKeyFile ours = services::export_public_key(here.p(), "Dr Supervisor");
        CHECK(ours.uuid != checks[1].signature.signer_uuid);
        CHECK_FALSE(services::verify_signatures(here.p(), session)[1].verified());
    }
}
