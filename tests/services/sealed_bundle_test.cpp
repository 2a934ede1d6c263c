// Bundles sealed to people's public keys (issue 16 item 5): written with
// export_bundle_to, opened on import with the signed-in person's own key, no
// bundle passphrase; refused with nothing imported to anyone else, or when
// the header or a sealed key was changed.
#include <catch2/catch_test_macros.hpp>
#include <string>
#include <vector>

#include "services/bundles.h"
#include "services/people.h"
#include "services/supervision.h"
#include "team.h"

using namespace attune;

namespace {

// Practice A: Dr Test treats Couple S (one coded, signed session) and has a
// colleague Dr Colleague; practice B: founded by Dr Reader, who adds Dr
// Bystander. Each administrator imports the other practice's founder's key
// (exchanged with person export-key / import-key in real life).
struct TwoPractices {
    test::Team a;  // Dr Test
    test::TempDir dir;
    std::filesystem::path b_path = dir / "b.db";
    std::unique_ptr<services::OpenPractice> b = test::new_practice(b_path, "reader passphrase", "Dr Reader");
    std::filesystem::path out = dir / "s.attune";

    TwoPractices() {
        a.add("Dr Colleague", GrantRole::Clinician);
        const Case c = test::add_couple(a.p(), "Couple S");
        services::sign_session(a.p(), test::coded_session(a.p(), c, "2026-04-01", "private").id);
        test::add_person(*b, "Dr Bystander", GrantRole::Clinician, "bystander passphrase");
        services::import_public_key(a.p(), services::export_public_key(*b, "Dr Reader"));
        services::import_public_key(*b, services::export_public_key(a.p(), "Dr Test"));
    }
    BundleCounts seal_to(const std::vector<std::string>& names) {
        BundleSelection selection;
        selection.case_label = "Couple S";
        return services::export_bundle_to(a.p(), selection, out, names);
    }
    BundleImportReport import_as(const std::string& name, const std::string& passphrase) {
        b.reset();
        b = test::open_practice(b_path, passphrase, name);
        return services::import_bundle(*b, out, services::KeyMaterial());
    }
};

std::string read_bytes(const std::filesystem::path& file) {
    return test::read_file(file);
}
void write_bytes(const std::filesystem::path& file, const std::string& bytes) {
    test::write_file(file, bytes);
}
// The file with one bit of the byte `offset` after the first `marker` flipped.
void flip_after(const std::filesystem::path& file, const std::string& marker, std::size_t offset) {
    std::string bytes = read_bytes(file);
    const std::size_t at = bytes.find(marker);
    REQUIRE(at != std::string::npos);
    bytes[at + marker.size() + offset] = static_cast<char>(bytes[at + marker.size() + offset] ^ 0x01);
    write_bytes(file, bytes);
}

// Changes one base64 letter of what follows `marker` to another base64 letter
// (a flipped bit may leave base64, which is another refusal).
void change_base64_after(const std::filesystem::path& file, const std::string& marker, std::size_t offset) {
    std::string bytes = read_bytes(file);
    const std::size_t at = bytes.find(marker);
    REQUIRE(at != std::string::npos);
    char& c = bytes[at + marker.size() + offset];
    c = c == 'A' ? 'B' : 'A';
    write_bytes(file, bytes);
}

}  // namespace

TEST_CASE("a bundle sealed to another practice's Dr Reader imports there with their own key and no passphrase",
          "[bundle][sealed]") {
    TwoPractices f;
    const BundleCounts written = f.seal_to({"Dr Reader"});
    CHECK(written.cases == 1);
    CHECK(written.signatures == 1);
    CHECK(services::is_sealed_bundle(f.out));
    const std::vector<services::BundleRecipient> recipients = services::sealed_bundle_recipients(f.out);
    REQUIRE(recipients.size() == 1);
    CHECK(recipients[0].name == "Dr Reader");
    CHECK(recipients[0].fingerprint == services::export_public_key(*f.b, "Dr Reader").fingerprint);
    // The cases travel encrypted: no label or partner name in the file's bytes.
    CHECK(read_bytes(f.out).find("Couple S") == std::string::npos);

    const BundleImportReport r = services::import_bundle(*f.b, f.out, services::KeyMaterial());
    CHECK(r.sealed_to == std::vector<std::string>{"Dr Reader"});
    CHECK(r.created.cases == 1);
    CHECK(r.created.sessions == 1);
    CHECK(r.created.observations == 3);
    CHECK(r.created.signatures == 1);
    CHECK(r.sender_name == "Dr Test");
    CHECK(r.sender_known);  // Dr Test's key was imported into B
    // The signature arrived verifiable with the key B imported.
    const Case c = services::find_case(*f.b, "Couple S");
    const auto checks = services::verify_signatures(*f.b, services::find_session(*f.b, c, 1).id);
    REQUIRE(checks.size() == 1);
    CHECK(checks[0].verified());
    // Importing it again changes nothing.
    CHECK(services::import_bundle(*f.b, f.out, services::KeyMaterial()).created.total() == 0);
}

TEST_CASE("a bundle sealed to two people opens for each of them, and for no one else, with nothing imported",
          "[bundle][sealed]") {
    TwoPractices f;
    f.seal_to({"Dr Reader", "dr colleague"});  // names as the practice knows them, in any case
    std::vector<std::string> names;
    for (const services::BundleRecipient& r : services::sealed_bundle_recipients(f.out))
        names.push_back(r.name);
    CHECK(names == std::vector<std::string>{"Dr Reader", "Dr Colleague"});

    const test::Refusal bystander = test::refusal([&] { f.import_as("Dr Bystander", "bystander passphrase"); });
    CHECK(bystander.kind == Error::Kind::Denied);
    CHECK(std::string(bystander.what()) ==
          "s.attune is sealed to Dr Reader, Dr Colleague; you are signed in as Dr Bystander: nothing was imported");
    // The sender is not a recipient of their own bundle either.
    const test::Refusal sender =
        test::refusal([&] { services::import_bundle(f.a.p(), f.out, services::KeyMaterial()); });
    CHECK(std::string(sender.what()).find("you are signed in as Dr Test: nothing was imported") != std::string::npos);

    // Nothing came in with the refusal: the reader's import creates everything.
    CHECK(f.import_as("Dr Reader", "reader passphrase").created.cases == 1);
    // Dr Colleague, in the sender's own practice, opens it with their key (the case is already there).
    const BundleImportReport colleague =
        services::import_bundle(f.a.sign_in_as("Dr Colleague"), f.out, services::KeyMaterial());
    CHECK(colleague.sealed_to.size() == 2);
    CHECK(colleague.created.total() == 0);
    CHECK(colleague.conflicts.empty());
}

TEST_CASE("a changed sealed key, header or database is refused with nothing imported", "[bundle][sealed]") {
    TwoPractices f;
    f.seal_to({"Dr Colleague", "Dr Reader"});
    const std::string pristine = read_bytes(f.out);
    const auto refused = [&] { return test::refusal([&] { services::import_bundle(*f.b, f.out, {}); }); };

    SECTION("a bit of the key sealed to the reader") {
        const std::string reader = "\"name\":\"Dr Reader\",\"sealed_key\":\"";
        change_base64_after(f.out, reader, 10);
        const test::Refusal r = refused();
        CHECK(r.kind == Error::Kind::Invalid);
        CHECK(std::string(r.what()) ==
              "the key sealed to Dr Reader in s.attune was changed or damaged and does not open: nothing was imported");
    }
    SECTION("a bit of the key sealed to someone else") {
        change_base64_after(f.out, "\"name\":\"Dr Colleague\",\"sealed_key\":\"", 10);
        CHECK(std::string(refused().what()) ==
              "the list of people s.attune is sealed to was changed after Dr Test signed it: nothing was imported");
    }
    SECTION("a letter of another recipient's name") {
        flip_after(f.out, "\"name\":\"Dr Coll", 0);
        CHECK(std::string(refused().what()) ==
              "the list of people s.attune is sealed to was changed after Dr Test signed it: nothing was imported");
    }
    SECTION("the header's structure") {
        flip_after(f.out, "{\"recipients\"", 0);  // the ':' becomes ';'
        const test::Refusal r = refused();
        CHECK(r.kind == Error::Kind::Invalid);
        CHECK(std::string(r.what()).find("s.attune is a damaged or changed sealed bundle") == 0);
    }
    SECTION("a byte of the encrypted database's first page") {
        const std::size_t header_end = pristine.find('\n', pristine.find('\n') + 1) + 1;
        std::string bytes = pristine;
        bytes[header_end + 100] = static_cast<char>(bytes[header_end + 100] ^ 0x01);
        write_bytes(f.out, bytes);
        const test::Refusal r = refused();
        CHECK(r.kind == Error::Kind::Invalid);
        CHECK(std::string(r.what()).find("s.attune was changed or damaged") == 0);
    }
    // Put back as sent, it imports whole: nothing had come in.
    write_bytes(f.out, pristine);
    CHECK(services::import_bundle(*f.b, f.out, {}).created.cases == 1);
}

TEST_CASE("sealing refuses a name that is no person here, a person with no key, and the recovery key",
          "[bundle][sealed]") {
    TwoPractices f;
    const test::Refusal nobody = test::refusal([&] { f.seal_to({"Dr Reader", "Dr Nobody"}); });
    CHECK(nobody.kind == Error::Kind::NotFound);
    CHECK(std::string(nobody.what()) ==
          "no person named 'Dr Nobody' in this practice, and no key of theirs was imported (person import-key): "
          "the bundle cannot be sealed to them");
    CHECK_FALSE(std::filesystem::exists(f.out));
    CHECK(std::string(test::refusal([&] { f.seal_to({"Recovery key"}); }).what()) ==
          "a bundle cannot be sealed to the practice's recovery key: name a person");
    CHECK(test::refusal([&] { f.seal_to({" ", ""}); }).kind == Error::Kind::Invalid);

    // A third practice knows Dr Test only as the clinician of a case it imported (by passphrase): a person
    // with no key there until an administrator imports theirs.
    test::TempDir other;
    auto c = test::new_practice(other / "c.db", "third passphrase", "Dr Third");
    BundleSelection selection;
    selection.case_label = "Couple S";
    services::export_bundle(f.a.p(), selection, other / "p.attune", services::KeyMaterial("a shared passphrase"));
    services::import_bundle(*c, other / "p.attune", services::KeyMaterial("a shared passphrase"));
    const std::filesystem::path back = other / "back.attune";
    const test::Refusal keyless = test::refusal([&] { services::export_bundle_to(*c, selection, back, {"Dr Test"}); });
    CHECK(keyless.kind == Error::Kind::NotFound);
    CHECK(std::string(keyless.what()) ==
          "Dr Test has no key in this practice to seal a bundle to (an administrator imports theirs with person "
          "import-key)");
    services::import_public_key(*c, services::export_public_key(f.a.p(), "Dr Test"));
    services::export_bundle_to(*c, selection, back, {"Dr Test"});
    const BundleImportReport home = services::import_bundle(f.a.p(), back, services::KeyMaterial());
    CHECK(home.sealed_to == std::vector<std::string>{"Dr Test"});
    CHECK(home.sender_name == "Dr Third");
    CHECK_FALSE(home.sender_known);
}
