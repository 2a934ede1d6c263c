// People, roles, signatures and keys through the real binary, with the issue's
// exact command lines (issue 16): an administrator adds people, resets
// passphrases and grants roles; a case's clinician signs, only its named
// supervisor co-signs; every refusal exits 1 with one line and changes nothing.
#include <catch2/catch_test_macros.hpp>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>

#include "app/cli_runner.h"
#include "support/cli_practice.h"
#include "support/test_support.h"

using namespace attune::test;
namespace fs = std::filesystem;

namespace {

constexpr const char* kSupervisor = "Dr Sup";
constexpr const char* kSupervisorPassphrase = "supervisor passphrase";
// A key fingerprint as Attune prints it: 20 bytes of SHA-256 in five groups of eight hex digits.
const std::string kFingerprint = "[0-9a-f]{8}( [0-9a-f]{8}){4}";

// Dr Test (administrator, clinician) added Dr Sup (supervisor), opened cases
// Pair and Other with one ended session each (one observation), and named Dr
// Sup the supervisor of Pair. Nothing is signed yet. Made once per process.
PreparedPractice team([](const fs::path& dir) {
    make_cli_practice(dir / "p.db");
    write_file(dir / "sup.pass", std::string(kSupervisorPassphrase) + "\n");
    const CliResult added = run_attune(
        "person add --db p.db --user 'Dr Test' --name 'Dr Sup' --role supervisor --new-passphrase-file sup.pass", dir);
    INFO(added.err);
    REQUIRE(added.exit_code == 0);
    write_file(dir / "add.out", added.out);
    for (const char* label : {"Pair", "Other"}) {
        const std::string c = std::string(" --db p.db --case ") + label;
        REQUIRE(run_attune("case add --db p.db --label " + std::string(label) + " --partners Ana,Ben", dir).exit_code ==
                0);
        REQUIRE(run_attune("session start" + c + " --date 2026-03-10", dir).exit_code == 0);
        REQUIRE(run_attune("log" + c + " --who A --code validate --at 3", dir).exit_code == 0);
        REQUIRE(run_attune("session end" + c + " --duration 600", dir).exit_code == 0);
    }
    REQUIRE(run_attune("case supervisor --db p.db --user 'Dr Test' --case Pair --supervisor 'Dr Sup'", dir).out ==
            "Dr Sup supervises Pair\n");
});

struct TeamFixture {
    TempDir dir;
    TeamFixture() { team.copy_to(dir / "p.db"); }
    CliResult as_admin(const std::string& args) { return run_attune(args, dir.path()); }
    CliResult as_supervisor(const std::string& args) {
        return run_attune(args, dir.path(), kSupervisorPassphrase, kSupervisor);
    }
    // The practice's file and keyring, byte for byte.
    std::string bytes() { return read_file(dir / "p.db") + "|" + read_file(dir / "p.db.keyring"); }
};

CliResult must(const CliResult& r, const std::string& what) {
    INFO(what << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
    return r;
}

// `person list`'s line for `name`, without the name: "roles<TAB>fingerprint...".
std::string listed(const std::string& list, const std::string& name) {
    std::istringstream in(list);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(name + "\t", 0) == 0) return line.substr(name.size() + 1);
    return "(not listed)";
}

std::string fingerprint_in(const std::string& line) {
    std::smatch found;
    return std::regex_search(line, found, std::regex(kFingerprint)) ? found.str() : "(no fingerprint)";
}

}  // namespace

TEST_CASE("an administrator adds a person with their own passphrase; person list shows names, roles and keys") {
    TeamFixture f;
    CHECK(read_file(team.file("add.out")) == "Dr Sup\tsupervisor\n");
    const std::string list = must(f.as_admin("person list --db p.db"), "person list").out;
    INFO(list);
    CHECK(std::regex_match(
        list, std::regex("Dr Sup\tsupervisor\t" + kFingerprint + "\nDr Test\tclinician,administrator\t" + kFingerprint +
                         "\nRecovery key\tadministrator\t" + kFingerprint + "\t\\(recovery key\\)\n")));
    CHECK(fingerprint_in(listed(list, "Dr Sup")) != fingerprint_in(listed(list, "Dr Test")));
    // Dr Sup signs in with their own passphrase and sees the case they supervise, only.
    const CliResult cases = must(f.as_supervisor("case list --db p.db"), "case list as Dr Sup");
    CHECK(cases.out.rfind("Pair\t", 0) == 0);
    CHECK(cases.out.find("Other") == std::string::npos);
    // Their passphrase is theirs: it does not sign Dr Test in.
    CHECK(run_attune("case list --db p.db", f.dir.path(), kSupervisorPassphrase, "Dr Test").exit_code == 2);
}

TEST_CASE("a person who is not an administrator can neither add a person nor grant a role, even to themselves") {
    TeamFixture f;
    write_file(f.dir / "eve.pass", "eve's own passphrase\n");
    const std::string before = f.bytes();
    const CliResult add = f.as_supervisor(
        "person add --db p.db --user 'Dr Sup' --name Eve --role supervisor --new-passphrase-file eve.pass");
    CHECK(add.exit_code == 1);
    CHECK(add.out.empty());
    CHECK(add.err == "attune person add: Dr Sup is not an administrator: only an administrator may add people\n");
    const CliResult grant =
        f.as_supervisor("person grant --db p.db --user 'Dr Sup' --name 'Dr Sup' --role administrator");
    CHECK(grant.exit_code == 1);
    CHECK(grant.out.empty());
    CHECK(grant.err == "attune person grant: Dr Sup is not an administrator: only an administrator may grant a role\n");
    const CliResult reset =
        f.as_supervisor("person reset --db p.db --user 'Dr Sup' --name 'Dr Test' --new-passphrase-file eve.pass");
    CHECK(reset.exit_code == 1);
    CHECK(reset.err ==
          "attune person reset: Dr Sup is not an administrator: only an administrator may reset a "
          "passphrase\n");
    CHECK(f.bytes() == before);
}

TEST_CASE("an administrator grants and revokes a role, and person list shows it") {
    TeamFixture f;
    CHECK(must(f.as_admin("person grant --db p.db --user 'Dr Test' --name 'Dr Sup' --role coder"), "grant").out ==
          "Dr Sup now holds coder\n");
    CHECK(listed(f.as_admin("person list --db p.db").out, "Dr Sup").rfind("supervisor,coder\t", 0) == 0);
    CHECK(must(f.as_admin("person revoke --db p.db --user 'Dr Test' --name 'Dr Sup' --role coder"), "revoke").out ==
          "Dr Sup no longer holds coder\n");
    CHECK(listed(f.as_admin("person list --db p.db").out, "Dr Sup").rfind("supervisor\t", 0) == 0);
    const CliResult audit = must(f.as_admin("audit --db p.db --action grant --limit 100"), "audit");
    CHECK(audit.out.find("\tDr Test\tgrant\tperson ") != std::string::npos);
}

TEST_CASE("the case's clinician signs, a clinician cannot co-sign, and the case's supervisor co-signs") {
    TeamFixture f;
    const CliResult early = f.as_supervisor("cosign --db p.db --user 'Dr Sup' --case Pair --session 1");
    CHECK(early.exit_code == 1);
    CHECK(early.err == "attune cosign: the therapist has not signed this session with a key yet: nothing to co-sign\n");

    const CliResult signed_ = must(f.as_admin("sign --db p.db --user 'Dr Test' --case Pair --session 1"), "sign");
    CHECK(std::regex_match(signed_.out, std::regex("session 1 of Pair signed by Dr Test at [0-9T:Z-]+ \\(digest "
                                                   "[0-9a-f]{64}\\); the session is sealed\n")));
    const std::string before = f.bytes();
    const CliResult clinician = f.as_admin("cosign --db p.db --user 'Dr Test' --case Pair --session 1");
    CHECK(clinician.exit_code == 1);
    CHECK(clinician.out.empty());
    CHECK(clinician.err ==
          "attune cosign: Dr Test is not the supervisor of Pair (its supervisor is Dr Sup): only the "
          "case's supervisor co-signs\n");
    CHECK(f.bytes() == before);

    const CliResult co = must(f.as_supervisor("cosign --db p.db --user 'Dr Sup' --case Pair --session 1"), "cosign");
    CHECK(co.out.find("session 1 of Pair co-signed by Dr Sup at ") == 0);
    must(f.as_admin("addendum --db p.db --case Pair --session 1 --text 'Called the couple after the session.'"),
         "addendum");
    must(f.as_supervisor("comment --db p.db --case Pair --session 1 --at 125 --text 'see the withdrawal'"), "comment");
    must(f.as_supervisor("comment --db p.db --case Pair --session 1 --at 30 --text 'good pacing'"), "comment");
    CHECK(must(f.as_admin("comments --db p.db --case Pair --session 1"), "comments").out ==
          "00:30\tDr Sup\tgood pacing\n02:05\tDr Sup\tsee the withdrawal\n");

    // One line per signature, in order, each verified with its signer's key.
    const CliResult verify = f.as_admin("verify --db p.db");
    CHECK(verify.exit_code == 0);
    CHECK(std::regex_match(
        verify.out, std::regex("Pair\tsession 1\tDr Test\tsign\tverified \\(key " + kFingerprint +
                               "\\)\nPair\tsession 1\tDr Sup\tcosign\tverified \\(key " + kFingerprint + "\\)\n")));
    const CliResult check = f.as_admin("check --db p.db");
    CHECK(check.exit_code == 0);
    CHECK(check.out.find("signatures: 2 verified\n") != std::string::npos);
    CHECK(check.out.find("all well") != std::string::npos);
}

TEST_CASE("a supervisor cannot co-sign a case they do not supervise") {
    TeamFixture f;
    must(f.as_admin("sign --db p.db --user 'Dr Test' --case Other --session 1"), "sign");
    const std::string before = f.bytes();
    // A case one does not supervise is not even visible to a supervisor.
    const CliResult unseen = f.as_supervisor("cosign --db p.db --user 'Dr Sup' --case Other --session 1");
    CHECK(unseen.exit_code == 1);
    CHECK(unseen.out.empty());
    CHECK(unseen.err == "attune cosign: no case labelled 'Other' (see attune case list)\n");
    CHECK(f.bytes() == before);
    // Made a clinician and shared the case, they read it, and still may not co-sign it.
    must(f.as_admin("person grant --db p.db --user 'Dr Test' --name 'Dr Sup' --role clinician"), "grant");
    must(f.as_admin("case share --db p.db --user 'Dr Test' --case Other --with 'Dr Sup'"), "share");
    const CliResult shared = f.as_supervisor("cosign --db p.db --user 'Dr Sup' --case Other --session 1");
    CHECK(shared.exit_code == 1);
    CHECK(shared.err ==
          "attune cosign: Dr Sup is not the supervisor of Other (it has none named): only the case's "
          "supervisor co-signs\n");
    const CliResult verify = f.as_admin("verify --db p.db --case Other");
    CHECK(verify.exit_code == 0);
    CHECK(std::regex_match(verify.out,
                           std::regex("Other\tsession 1\tDr Test\tsign\tverified \\(key " + kFingerprint + "\\)\n")));
}

TEST_CASE("an administrator resets a forgotten passphrase: a new slot and key, the old passphrase no longer opens") {
    TeamFixture f;
    const std::string old_key = fingerprint_in(listed(f.as_admin("person list --db p.db").out, "Dr Sup"));
    write_file(f.dir / "new.pass", "a brand new supervisor passphrase\n");
    CHECK(must(f.as_admin("person reset --db p.db --user 'Dr Test' --name 'Dr Sup' --new-passphrase-file new.pass"),
               "reset")
              .out ==
          "passphrase of Dr Sup reset: a new key slot and a new signing key; signatures made before stay "
          "verifiable\n");
    const CliResult old_passphrase = f.as_supervisor("case list --db p.db");
    CHECK(old_passphrase.exit_code == 2);
    CHECK(old_passphrase.err == "attune case list: the passphrase for Dr Sup is not right\n");
    CHECK(run_attune("case list --db p.db", f.dir.path(), "a brand new supervisor passphrase", kSupervisor).exit_code ==
          0);
    const std::string list = f.as_admin("person list --db p.db").out;
    CHECK(fingerprint_in(listed(list, "Dr Sup")) != old_key);
    CHECK(listed(list, "Dr Sup").rfind("supervisor\t", 0) == 0);
}

TEST_CASE("a public key exported from one practice imports into another with the same fingerprint") {
    TeamFixture f;
    const CliResult exported = f.as_admin("person export-key --db p.db --name 'Dr Sup' --out sup.key");
    INFO(exported.err);
    REQUIRE(exported.exit_code == 0);
    CHECK(std::regex_match(exported.out, std::regex("Dr Sup\t" + kFingerprint + "\n")));
    const std::string fingerprint = fingerprint_in(exported.out);
    CHECK(fingerprint == fingerprint_in(listed(f.as_admin("person list --db p.db").out, "Dr Sup")));
    CHECK(read_file(f.dir / "sup.key").find(fingerprint) != std::string::npos);
    CHECK(must(f.as_admin("audit --db p.db --action export"), "audit").out.find("public key of Dr Sup") !=
          std::string::npos);

    // Another practice, founded by Dr Other, keeps it after comparing the fingerprint.
    REQUIRE(run_attune("init --db other.db --admin 'Dr Other'", f.dir.path(), "other passphrase", "").exit_code == 0);
    const CliResult imported = run_attune("person import-key --db other.db --user 'Dr Other' --from sup.key",
                                          f.dir.path(), "other passphrase");
    INFO(imported.err);
    CHECK(imported.exit_code == 0);
    CHECK(imported.out == "Dr Sup\t" + fingerprint + "\n");
    CHECK(imported.err.find("fingerprint") != std::string::npos);
}
