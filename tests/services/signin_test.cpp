// Personal sign-in (issue 16): who you are is part of opening a practice.
// Each person unlocks their own key slot with their own passphrase; a wrong
// passphrase or an unknown person is refused and changes nothing; the name may
// be left out only while the practice has one person; the recovery key signs
// in as the practice's recovery identity, which resets a forgotten passphrase
// and reveals the data key, and nothing else.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <string>
#include <vector>

#include "practice_reads.h"
#include "services/cases.h"
#include "services/open_practice.h"
#include "services/people.h"
#include "services/supervision.h"
#include "team.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<services::OpenPractice> open_as(const fs::path& path, const std::string& person,
                                                const std::string& passphrase) {
    return services::OpenPractice::open(test::test_request(path, passphrase, person));
}

// As the window signs in: the sign-in is an audit row.
std::unique_ptr<services::OpenPractice> sign_in_as(const fs::path& path, const std::string& person,
                                                   const std::string& passphrase) {
    services::OpenRequest request = test::test_request(path, passphrase, person);
    request.audit_sign_in = true;
    return services::OpenPractice::open(std::move(request));
}

std::unique_ptr<services::OpenPractice> open_with_recovery_key(const fs::path& path, const std::string& key) {
    services::OpenRequest request = test::test_request(path, "", "");
    request.recovery_key = services::KeyMaterial(key);
    return services::OpenPractice::open(std::move(request));
}

std::string fingerprint_of(services::OpenPractice& practice, const std::string& name) {
    for (const services::PersonEntry& entry : services::list_people(practice))
        if (entry.person.name == name) return entry.fingerprint;
    return "";
}

// Every byte of the practice's files, to show that a refused sign-in wrote nothing.
std::string files_of(const fs::path& path) {
    std::string all;
    for (const std::string suffix : {"", ".keyring", "-wal"})
        if (fs::exists(path.string() + suffix)) all += suffix + ":" + test::read_file(path.string() + suffix) + "\n";
    return all;
}

Session ended_session(services::OpenPractice& practice, const Case& c, const std::string& date) {
    Session s = services::start_session(practice, c.id, date);
    services::LogRequest request;
    request.code = "validate";
    request.at = 5;
    services::log_observation(practice, s, request);
    services::SessionEnding ending;
    ending.active_seconds = 60;
    return services::end_session(practice, s, ending);
}

}  // namespace

TEST_CASE("each person signs in with their own passphrase and is the one every write is attributed to", "[signin]") {
    test::Team team;
    team.add("Coder Kim", GrantRole::Coder);
    services::OpenPractice& kim = team.sign_in_as("Coder Kim");
    CHECK(kim.person().name == "Coder Kim");
    CHECK(kim.has_keys());
    CHECK(kim.holds(GrantRole::Coder));
    CHECK_FALSE(kim.holds(GrantRole::Clinician));
    CHECK_FALSE(kim.holds(GrantRole::Administrator));
    CHECK_FALSE(kim.is_recovery());
    // Dr Test's passphrase is not Kim's, nor the other way round.
    team.practice.reset();
    CHECK(test::refusal([&] { open_as(team.path, "Coder Kim", "correct horse"); }).kind ==
          Error::Kind::WrongPassphrase);
    CHECK(test::refusal([&] { open_as(team.path, "Dr Test", test::Team::passphrase_of("Coder Kim")); }).kind ==
          Error::Kind::WrongPassphrase);
}

TEST_CASE("a wrong passphrase or an unknown person is refused and changes nothing", "[signin]") {
    test::Team team;
    team.add("Coder Kim", GrantRole::Coder);
    team.practice.reset();
    const std::string before = files_of(team.path);

    const test::Refusal wrong = test::refusal([&] { open_as(team.path, "Coder Kim", "not kim's passphrase"); });
    CHECK(wrong.kind == Error::Kind::WrongPassphrase);
    const test::Refusal unknown = test::refusal([&] { open_as(team.path, "Dr Nobody", "correct horse"); });
    CHECK(unknown.kind == Error::Kind::WrongPassphrase);
    CHECK_THAT(unknown.what(), ContainsSubstring("nobody named 'Dr Nobody'"));
    // The recovery identity is not a person to sign in as with a passphrase.
    CHECK(test::refusal([&] { open_as(team.path, "Recovery key", "correct horse"); }).kind ==
          Error::Kind::WrongPassphrase);
    CHECK(test::refusal([&] { open_as(team.path, "Dr Test", ""); }).kind == Error::Kind::WrongPassphrase);
    CHECK(files_of(team.path) == before);
}

TEST_CASE("a failed sign-in never writes through a link put where its count is kept", "[signin][audit]") {
    test::Team team;
    team.practice.reset();
    const fs::path failures = team.path.string() + ".failed-sign-ins";
    const fs::path victim = team.path.parent_path() / "someone-elses-file";
    test::write_file(victim, "unchanged\n");
    fs::create_symlink(victim, failures);
    CHECK(test::refusal([&] { open_as(team.path, "Dr Test", "not the passphrase"); }).kind ==
          Error::Kind::WrongPassphrase);
    CHECK(test::read_file(victim) == "unchanged\n");
    CHECK(fs::is_symlink(failures));
}

TEST_CASE("sign-ins, failed sign-ins and locking are in the audit trail, and the person is told of failures",
          "[signin][audit]") {
    test::Team team;
    team.add("Coder Kim", GrantRole::Coder);
    team.practice.reset();
    const fs::path failures = team.path.string() + ".failed-sign-ins";
    CHECK(test::refusal([&] { open_as(team.path, "Coder Kim", "not kim's passphrase"); }).kind ==
          Error::Kind::WrongPassphrase);
    CHECK(test::refusal([&] { open_as(team.path, "Dr Nobody", "correct horse"); }).kind ==
          Error::Kind::WrongPassphrase);
    // Counted outside the database nobody could open, for its owner only.
    REQUIRE(fs::exists(failures));
    CHECK((fs::status(failures).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
    // A read-only opening cannot record them, so they wait for the next sign-in that can.
    test::open_practice(team.path, "correct horse", "Dr Test", false, true).reset();
    CHECK(fs::exists(failures));
    sign_in_as(team.path, "Dr Test", "correct horse")->lock();
    CHECK_FALSE(fs::exists(failures));

    auto practice = sign_in_as(team.path, "Coder Kim", test::Team::passphrase_of("Coder Kim"));
    CHECK(practice->notices().empty());
    const auto failed = test::audit_rows(*practice, "unlock_failed");
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].actor == "Dr Test");
    CHECK_THAT(failed[0].detail, ContainsSubstring("2 failed since the last sign-in"));
    CHECK_THAT(failed[0].detail, ContainsSubstring("Coder Kim"));
    CHECK_THAT(failed[0].detail, ContainsSubstring("Dr Nobody"));
    const auto unlocks = test::audit_rows(*practice, "unlock");
    // Dr Test's sign-in above, then Kim's now (newest first); the Team's own
    // openings were a command line's, which are not rows.
    REQUIRE(unlocks.size() == 2);
    CHECK(unlocks[0].actor == "Coder Kim");
    CHECK(unlocks[1].actor == "Dr Test");
    CHECK(test::audit_rows(*practice, "lock").size() == 1);  // Dr Test's explicit lock; closings are not rows
    practice.reset();

    CHECK(test::refusal([&] { open_as(team.path, "Dr Test", "wrong"); }).kind == Error::Kind::WrongPassphrase);
    auto told = open_as(team.path, "Dr Test", "correct horse");  // a command line: no unlock row, but told
    REQUIRE(told->notices().size() == 1);
    CHECK(told->notices()[0] == "1 failed attempt to sign in since your last sign-in (listed in the audit trail)");
    CHECK(test::audit_rows(*told, "unlock_failed").size() == 2);
}

TEST_CASE("the name may be left out while the practice has one person, and not once it has several", "[signin]") {
    test::Team team;
    team.practice.reset();
    {
        auto only = open_as(team.path, "", "correct horse");
        CHECK(only->person().name == "Dr Test");
        test::add_person(*only, "Coder Kim", GrantRole::Coder, test::Team::passphrase_of("Coder Kim"));
    }
    const test::Refusal unnamed = test::refusal([&] { open_as(team.path, "", "correct horse"); });
    CHECK(unnamed.kind == Error::Kind::WrongPassphrase);
    CHECK_THAT(unnamed.what(), ContainsSubstring("has 2 people: say who you are"));
    CHECK(services::people_with_keys(team.path) == std::vector<std::string>{"Dr Test", "Coder Kim"});
}

TEST_CASE("the recovery key resets a forgotten passphrase, after which the person's old signatures still verify",
          "[signin][recovery]") {
    test::Team team;
    const std::string recovery_key(team.p().take_recovery_key().view());
    CHECK(recovery_key.size() == 8 * 4 + 7);      // eight groups of four, with hyphens
    CHECK(team.p().take_recovery_key().empty());  // shown once
    const std::string raw_key(team.p().key_material().view());
    const Case c = test::add_couple(team.p(), "Couple R");
    const Session first = ended_session(team.p(), c, "2026-05-01");
    services::sign_session(team.p(), first.id);
    const std::string old_fingerprint = fingerprint_of(team.p(), "Dr Test");
    CHECK(test::refusal([&] { team.p().reveal_raw_key(); }).kind == Error::Kind::Denied);
    team.practice.reset();

    CHECK(test::refusal([&] { open_with_recovery_key(team.path, "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA"); }).kind ==
          Error::Kind::WrongPassphrase);
    {
        auto recovery = open_with_recovery_key(team.path, recovery_key);
        CHECK(recovery->is_recovery());
        CHECK(recovery->person().name == "Recovery key");
        CHECK(std::string(recovery->reveal_raw_key().view()) == raw_key);  // for the sqlcipher shell
        // It resets passphrases and nothing else: no cases, no people, no roles.
        CHECK(services::list_cases(*recovery).empty());
        CHECK(test::refusal([&] {
                  test::add_person(*recovery, "Dr Intruder", GrantRole::Supervisor, "intruder's passphrase");
              }).kind == Error::Kind::Denied);
        CHECK(test::refusal([&] { services::grant_role(*recovery, "Dr Test", GrantRole::Supervisor); }).kind ==
              Error::Kind::Denied);
        services::reset_passphrase(*recovery, "Dr Test", services::KeyMaterial("a brand new passphrase"));
    }
    CHECK(test::refusal([&] { open_as(team.path, "Dr Test", "correct horse"); }).kind == Error::Kind::WrongPassphrase);
    auto again = open_as(team.path, "Dr Test", "a brand new passphrase");
    // A new key pair, certified: the old signature verifies with the old key, a new one with the new.
    const std::string new_fingerprint = fingerprint_of(*again, "Dr Test");
    CHECK(new_fingerprint != old_fingerprint);
    std::vector<services::SignatureCheck> checks = services::verify_signatures(*again, first.id);
    REQUIRE(checks.size() == 1);
    CHECK(checks[0].verified());
    CHECK(checks[0].fingerprint == old_fingerprint);
    const Session second = ended_session(*again, c, "2026-05-08");
    services::sign_session(*again, second.id);
    checks = services::verify_signatures(*again, second.id);
    REQUIRE(checks.size() == 1);
    CHECK(checks[0].verified());
    CHECK(checks[0].fingerprint == new_fingerprint);
}

TEST_CASE("a person changes their own passphrase and keeps their key", "[signin]") {
    test::Team team;
    team.add("Coder Kim", GrantRole::Coder);
    services::OpenPractice& kim = team.sign_in_as("Coder Kim");
    const std::string fingerprint = fingerprint_of(kim, "Coder Kim");
    CHECK(kim.verify_passphrase(services::KeyMaterial(test::Team::passphrase_of("Coder Kim"))));
    CHECK_FALSE(kim.verify_passphrase(services::KeyMaterial("correct horse")));
    services::change_own_passphrase(kim, services::KeyMaterial("kim's second passphrase"));
    team.practice.reset();
    CHECK(test::refusal([&] { open_as(team.path, "Coder Kim", test::Team::passphrase_of("Coder Kim")); }).kind ==
          Error::Kind::WrongPassphrase);
    auto changed = open_as(team.path, "Coder Kim", "kim's second passphrase");
    CHECK(fingerprint_of(*changed, "Coder Kim") == fingerprint);
}
