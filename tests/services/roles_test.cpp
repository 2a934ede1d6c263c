// Roles that cannot be self-assigned (issue 16, services/people.h): only an
// administrator adds people, resets passphrases and grants or revokes roles,
// each a statement they sign; the practice never runs out of administrators.
// And a person's public key between practices: exported with its
// fingerprint, checked when read back, imported only by an administrator.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <set>
#include <string>

#include "services/people.h"
#include "team.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;

namespace {

std::set<GrantRole> roles_of(services::OpenPractice& practice, const std::string& name) {
    for (const services::PersonEntry& entry : services::list_people(practice))
        if (entry.person.name == name) return entry.roles;
    return {};
}

}  // namespace

TEST_CASE("a clinician can neither add people nor give anyone a role, themselves included", "[roles]") {
    test::Team team;
    team.add("Dr Second", GrantRole::Clinician);
    team.add("Coder Kim", GrantRole::Coder);
    services::OpenPractice& second = team.sign_in_as("Dr Second");
    const auto denied = [&](auto action) {
        const test::Refusal refused = test::refusal(action);
        CHECK(refused.kind == Error::Kind::Denied);
        CHECK_THAT(refused.what(), ContainsSubstring("only an administrator may"));
    };
    denied([&] { test::add_person(second, "Dr Supervisor", GrantRole::Supervisor, "a passphrase of theirs"); });
    denied([&] { services::grant_role(second, "Dr Second", GrantRole::Supervisor); });
    denied([&] { services::grant_role(second, "Dr Second", GrantRole::Administrator); });
    denied([&] { services::grant_role(second, "Coder Kim", GrantRole::Clinician); });
    denied([&] { services::revoke_role(second, "Dr Test", GrantRole::Administrator); });
    denied([&] { services::reset_passphrase(second, "Coder Kim", services::KeyMaterial("one I chose for kim")); });
    const services::PublicKeyFile key = services::export_public_key(second, "Coder Kim");
    denied([&] { services::import_public_key(second, key); });
    // Nothing of it happened.
    CHECK(roles_of(second, "Dr Second") == std::set<GrantRole>{GrantRole::Clinician});
    CHECK(roles_of(second, "Coder Kim") == std::set<GrantRole>{GrantRole::Coder});
    CHECK(services::list_people(second).size() == 4);  // Dr Test, the recovery key, Dr Second, Coder Kim
    team.practice.reset();
    CHECK(test::open_practice(team.path, test::Team::passphrase_of("Coder Kim"), "Coder Kim")->person().name ==
          "Coder Kim");  // Kim's passphrase was not reset
}

TEST_CASE("an administrator grants and revokes roles, which take effect at the next sign-in", "[roles]") {
    test::Team team;
    team.add("Dr Second", GrantRole::Clinician);
    services::grant_role(team.p(), "Dr Second", GrantRole::Supervisor);
    CHECK(roles_of(team.p(), "Dr Second") == std::set<GrantRole>{GrantRole::Clinician, GrantRole::Supervisor});
    CHECK(test::refusal([&] { services::grant_role(team.p(), "Dr Second", GrantRole::Supervisor); }).kind ==
          Error::Kind::Invalid);  // already held
    services::OpenPractice& second = team.sign_in_as("Dr Second");
    CHECK(second.holds(GrantRole::Supervisor));
    CHECK(second.holds(GrantRole::Clinician));

    services::revoke_role(team.sign_in_as("Dr Test"), "Dr Second", GrantRole::Clinician);
    CHECK(roles_of(team.p(), "Dr Second") == std::set<GrantRole>{GrantRole::Supervisor});
    CHECK_FALSE(team.sign_in_as("Dr Second").holds(GrantRole::Clinician));
    Case draft;
    draft.label = "Couple X";
    draft.partner_a.display_name = "X";
    draft.partner_b.display_name = "Y";
    CHECK(test::refusal([&] { services::add_case(team.p(), draft); }).kind == Error::Kind::Denied);
}

TEST_CASE("the last administrator cannot give up the role, and the recovery key's role cannot be changed", "[roles]") {
    test::Team team;
    const test::Refusal last =
        test::refusal([&] { services::revoke_role(team.p(), "Dr Test", GrantRole::Administrator); });
    CHECK(last.kind == Error::Kind::Invalid);
    CHECK_THAT(last.what(), ContainsSubstring("no administrator left"));
    CHECK(team.p().holds(GrantRole::Administrator));
    for (const bool granted : {true, false}) {
        const test::Refusal recovery = test::refusal([&] {
            if (granted)
                services::grant_role(team.p(), "Recovery key", GrantRole::Clinician);
            else
                services::revoke_role(team.p(), "Recovery key", GrantRole::Administrator);
        });
        CHECK(recovery.kind == Error::Kind::Invalid);
        CHECK_THAT(recovery.what(), ContainsSubstring("recovery key"));
    }

    // With a second administrator, the first may step down, and then may no longer administer.
    team.add("Admin Ada", GrantRole::Administrator);
    services::revoke_role(team.p(), "Dr Test", GrantRole::Administrator);
    services::OpenPractice& stepped_down = team.sign_in_as("Dr Test");
    CHECK_FALSE(stepped_down.holds(GrantRole::Administrator));
    CHECK(stepped_down.holds(GrantRole::Clinician));
    CHECK(test::refusal([&] { test::add_person(stepped_down, "Dr Third", GrantRole::Clinician); }).kind ==
          Error::Kind::Denied);
    const test::Refusal ada_last = test::refusal(
        [&] { services::revoke_role(team.sign_in_as("Admin Ada"), "Admin Ada", GrantRole::Administrator); });
    CHECK(ada_last.kind == Error::Kind::Invalid);
}

TEST_CASE("an administrator resets a forgotten passphrase: the old one no longer opens, the new one does", "[roles]") {
    test::Team team;
    team.add("Coder Kim", GrantRole::Coder);
    services::reset_passphrase(team.p(), "Coder Kim", services::KeyMaterial("kim's new passphrase"));
    team.practice.reset();
    CHECK(test::refusal([&] {
              test::open_practice(team.path, test::Team::passphrase_of("Coder Kim"), "Coder Kim");
          }).kind == Error::Kind::WrongPassphrase);
    CHECK(test::open_practice(team.path, "kim's new passphrase", "Coder Kim")->holds(GrantRole::Coder));
}

TEST_CASE("a public key file reads back as the key it was made of, and a wrong fingerprint is refused", "[keys]") {
    test::Team team;
    team.add("Dr Super", GrantRole::Supervisor);
    const services::PublicKeyFile key = services::export_public_key(team.p(), "Dr Super");
    CHECK(key.name == "Dr Super");
    CHECK(key.practice_uuid == team.p().practice_uuid());
    CHECK(key.public_key.size() == 64);
    std::string listed;
    for (const services::PersonEntry& entry : services::list_people(team.p()))
        if (entry.person.name == "Dr Super") listed = entry.fingerprint;
    CHECK(key.fingerprint == listed);

    const std::string text = services::public_key_file_text(key);
    const services::PublicKeyFile back = services::parse_public_key_file(text, "super.key");
    CHECK(back.name == key.name);
    CHECK(back.uuid == key.uuid);
    CHECK(back.public_key == key.public_key);
    CHECK(back.fingerprint == key.fingerprint);
    CHECK(back.practice_uuid == key.practice_uuid);

    // The fingerprint written in the file is compared by phone or in person: one that is not the key's is refused.
    std::string tampered = text;
    const std::size_t at = tampered.find(key.fingerprint);
    REQUIRE(at != std::string::npos);
    tampered[at] = tampered[at] == '0' ? '1' : '0';
    const test::Refusal mismatch = test::refusal([&] { services::parse_public_key_file(tampered, "super.key"); });
    CHECK(mismatch.kind == Error::Kind::Invalid);
    CHECK_THAT(mismatch.what(), ContainsSubstring("super.key: the fingerprint written in it is not its key's"));
    CHECK(test::refusal([&] { services::parse_public_key_file("{\"format\": \"something else\"}", "x.key"); }).kind ==
          Error::Kind::Invalid);
}

TEST_CASE("another practice's key is imported by an administrator only", "[keys]") {
    test::Team here;
    here.add("Dr Super", GrantRole::Supervisor);
    const services::PublicKeyFile key = services::export_public_key(here.p(), "Dr Super");

    test::Team there;
    there.add("Dr Second", GrantRole::Clinician);
    CHECK(test::refusal([&] { services::import_public_key(there.sign_in_as("Dr Second"), key); }).kind ==
          Error::Kind::Denied);
    CHECK(services::import_public_key(there.sign_in_as("Dr Test"), key) == key.fingerprint);
}
