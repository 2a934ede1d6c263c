// A practice of an earlier Attune (one shared passphrase, no keyring) is
// converted to personal sign-in once, on its first open (issue 16): a
// verified backup first, then a random data key, the administrator's key slot
// (their passphrase: the one they opened it with) and a recovery key; the
// file itself no longer opens with the old passphrase.
//
// Such a practice is made here as an earlier Attune made one in its last
// step: a plaintext practice encrypted in place with a passphrase
// (services::encrypt_practice), without a keyring. It is at the current
// schema version: converting a file of schema 3 (its migration to 4 on the
// way) is the store's part, tested there.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <set>
#include <string>

#include "services/cases.h"
#include "services/demo.h"
#include "services/maintenance.h"
#include "services/people.h"
#include "services/supervision.h"
#include "team.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;
namespace fs = std::filesystem;

namespace {

const std::string kOldPassphrase = "the practice's shared passphrase";

// "Dr Old" and a demo's invented clinician and supervisor, two couples, in a
// file encrypted with one shared passphrase and no keyring.
void make_earlier_practice(const fs::path& path) {
    {
        services::OpenRequest request = test::test_request(path, "", "Dr Old");
        request.new_administrator = "Dr Old";
        request.create_if_missing = true;
        request.allow_unencrypted = true;
        auto plaintext = services::OpenPractice::open(std::move(request));
        REQUIRE_FALSE(plaintext->has_keys());
        services::DemoOptions demo;
        demo.cases = 2;
        demo.sessions_per_case = 1;
        demo.events_per_session = 3;
        demo.today = "2026-05-01";
        services::generate_demo(*plaintext, demo);
    }
    services::encrypt_practice(path, services::KeyMaterial(kOldPassphrase), "Dr Old");
    REQUIRE_FALSE(services::is_plaintext_practice(path));
    REQUIRE_FALSE(fs::exists(path.string() + ".keyring"));
}

std::unique_ptr<services::OpenPractice> open_as(const fs::path& path, const std::string& person,
                                                const std::string& passphrase) {
    return services::OpenPractice::open(test::test_request(path, passphrase, person));
}

std::set<std::string> labels(services::OpenPractice& practice) {
    std::set<std::string> out;
    for (const CaseSummary& summary : services::list_cases(practice))
        out.insert(summary.info.label);
    return out;
}

const services::PersonEntry* entry_named(const std::vector<services::PersonEntry>& people, const std::string& name) {
    for (const services::PersonEntry& entry : people)
        if (entry.person.name == name) return &entry;
    return nullptr;
}

}  // namespace

TEST_CASE("a practice of an earlier Attune is converted once, after a verified backup", "[conversion]") {
    test::TempDir dir;
    const fs::path path = dir / "practice.db";
    make_earlier_practice(path);

    // With several people, the one who becomes its administrator must be named; nothing is written before.
    const test::Refusal unnamed = test::refusal([&] { open_as(path, "", kOldPassphrase); });
    CHECK(unnamed.kind == Error::Kind::Invalid);
    CHECK_THAT(unnamed.what(), ContainsSubstring("name its administrator"));
    CHECK(test::refusal([&] { open_as(path, "Dr Old", "not the shared passphrase"); }).kind ==
          Error::Kind::WrongPassphrase);
    CHECK_FALSE(fs::exists(path.string() + ".keyring"));
    CHECK_FALSE(fs::exists(path.string() + ".before-keyring"));

    std::set<std::string> cases;
    fs::path backup;
    {
        auto converted = open_as(path, "Dr Old", kOldPassphrase);
        CHECK(converted->has_keys());
        CHECK(converted->person().name == "Dr Old");
        CHECK(converted->holds(GrantRole::Administrator));
        CHECK(converted->holds(GrantRole::Clinician));
        CHECK_FALSE(converted->take_recovery_key().empty());  // printed once, as for a new practice
        backup = converted->conversion_backup();
        CHECK(backup.parent_path() == dir / "practice.db.before-keyring");
        CHECK(fs::exists(backup));
        cases = labels(*converted);
        CHECK(cases.size() == 2);
        // Everyone keeps their role, but only the administrator has a key slot yet.
        const std::vector<services::PersonEntry> people = services::list_people(*converted);
        const services::PersonEntry* clinician = entry_named(people, "Dr. Amara Okafor");
        const services::PersonEntry* supervisor = entry_named(people, "Dr. Helen Sørensen");
        REQUIRE(clinician);
        REQUIRE(supervisor);
        CHECK(clinician->roles == std::set<GrantRole>{GrantRole::Clinician});
        CHECK(supervisor->roles == std::set<GrantRole>{GrantRole::Supervisor});
        CHECK_FALSE(clinician->can_sign_in);
        CHECK(entry_named(people, "Dr Old")->can_sign_in);
        // The administrator gives them a passphrase of their own.
        services::reset_passphrase(*converted, "Dr. Amara Okafor", services::KeyMaterial("amara's own passphrase"));
    }
    CHECK(fs::exists(path.string() + ".keyring"));
    CHECK(services::people_with_keys(path) == std::vector<std::string>{"Dr Old", "Dr. Amara Okafor"});

    // Once: the next open signs Dr Old in, converting nothing.
    {
        auto again = open_as(path, "Dr Old", kOldPassphrase);
        CHECK(again->conversion_backup().empty());
        CHECK(again->take_recovery_key().empty());
        CHECK(labels(*again) == cases);
    }
    CHECK(open_as(path, "Dr. Amara Okafor", "amara's own passphrase")->person().name == "Dr. Amara Okafor");

    // The file itself no longer opens with the old passphrase: without its
    // keyring, a copy is a file of an earlier Attune that this passphrase does not open.
    test::TempDir elsewhere;
    fs::copy_file(path, elsewhere / "practice.db");
    CHECK(test::refusal([&] { open_as(elsewhere / "practice.db", "Dr Old", kOldPassphrase); }).kind ==
          Error::Kind::WrongPassphrase);

    // The backup is the practice as it was: the old passphrase opens (and converts) a copy of it.
    test::TempDir restored;
    fs::copy_file(backup, restored / "practice.db");
    auto from_backup = open_as(restored / "practice.db", "Dr Old", kOldPassphrase);
    CHECK(labels(*from_backup) == cases);
}
