// A practice made with `attune init --db F --admin NAME` (issue 16): the one
// line it prints, the recovery key's two uses (resetting a forgotten
// passphrase, revealing the raw SQLCipher key, audited), and the issue's
// test: a signed session edited behind Attune's back with that raw key in
// Debian's `sqlcipher` shell fails `attune check` and `attune verify`,
// naming the session.
#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>

#include "app/cli_runner.h"
#include "support/test_support.h"

using namespace attune::test;
namespace fs = std::filesystem;

namespace {

constexpr const char* kFounderPassphrase = "founder passphrase";
const std::string kFingerprint = "[0-9a-f]{8}( [0-9a-f]{8}){4}";

// `attune init --db p.db --admin 'Dr Founder'`, nobody named in the
// environment; what it printed is kept in init.out and init.err, and the
// recovery key alone (as a person would keep it) in recovery.txt.
PreparedPractice founded([](const fs::path& dir) {
    const CliResult init = run_attune("init --db p.db --admin 'Dr Founder'", dir, kFounderPassphrase, "");
    INFO(init.err);
    REQUIRE(init.exit_code == 0);
    write_file(dir / "init.out", init.out);
    write_file(dir / "init.err", init.err);
    const std::string prefix = "recovery key: ";
    REQUIRE(init.out.rfind(prefix, 0) == 0);
    write_file(dir / "recovery.txt", init.out.substr(prefix.size()));
});

struct FoundedFixture {
    TempDir dir;
    FoundedFixture() {
        founded.copy_to(dir / "p.db");
        fs::copy_file(founded.file("recovery.txt"), dir / "recovery.txt");
    }
    CliResult run(const std::string& args) { return run_attune(args, dir.path(), kFounderPassphrase, "Dr Founder"); }
    CliResult must(const std::string& args) {
        const CliResult r = run(args);
        INFO(args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
        return r;
    }
    std::string bytes() { return read_file(dir / "p.db") + "|" + read_file(dir / "p.db.keyring"); }
};

// Runs `script` in the sqlcipher shell on dir/p.db (stopping at the first error).
CliResult sqlcipher(const fs::path& dir, const std::string& script) {
    write_file(dir / "edit.sql", script);
    const std::string command =
        "cd " + shell_quote(dir.string()) + " && sqlcipher -bail p.db < edit.sql > sqlcipher.out 2> sqlcipher.err";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(dir / "sqlcipher.out"),
            read_file(dir / "sqlcipher.err")};
}

}  // namespace

TEST_CASE("attune init --db F --admin NAME prints one line, the recovery key, and NAME is the practice's person") {
    FoundedFixture f;
    const std::string out = read_file(founded.file("init.out"));
    CHECK(std::regex_match(out, std::regex("recovery key: [0-9A-Z]{4}(-[0-9A-Z]{4}){7}\n")));
    CHECK(read_file(founded.file("init.err")).find("created p.db (encrypted)") != std::string::npos);
    CHECK(fs::exists(f.dir / "p.db.keyring"));
    // The founder is administrator and clinician; the recovery key is listed as what it is.
    const CliResult list = run_attune("person list --db p.db", f.dir.path(), kFounderPassphrase, "");
    INFO(list.err);
    CHECK(list.exit_code == 0);
    CHECK(std::regex_match(list.out,
                           std::regex("Dr Founder\tclinician,administrator\t" + kFingerprint +
                                      "\nRecovery key\tadministrator\t" + kFingerprint + "\t\\(recovery key\\)\n")));
    // Run again on the file it made, it opens it and prints no recovery key.
    const CliResult again = f.run("init --db p.db --admin 'Dr Founder'");
    CHECK(again.exit_code == 0);
    CHECK(again.out == "opened p.db (encrypted)\n");
}

TEST_CASE("a forgotten passphrase is reset with --recovery-key-file; a wrong recovery key changes nothing") {
    FoundedFixture f;
    write_file(f.dir / "new.pass", "remembered this time\n");
    write_file(f.dir / "wrong.txt", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH\n");
    const std::string before = f.bytes();
    const CliResult wrong = run_attune(
        "person reset --db p.db --recovery-key-file wrong.txt --name 'Dr Founder' --new-passphrase-file new.pass",
        f.dir.path(), "", "");
    CHECK(wrong.exit_code == 2);
    CHECK(wrong.err.find('\n') == wrong.err.size() - 1);
    CHECK(f.bytes() == before);

    // Nobody's passphrase is given: the recovery key alone signs in.
    const CliResult reset = run_attune(
        "person reset --db p.db --recovery-key-file recovery.txt --name 'Dr Founder' --new-passphrase-file new.pass",
        f.dir.path(), "", "");
    INFO(reset.err);
    CHECK(reset.exit_code == 0);
    CHECK(reset.out.find("passphrase of Dr Founder reset") == 0);
    CHECK(f.run("case list --db p.db").exit_code == 2);
    const CliResult audit =
        run_attune("audit --db p.db --action reset", f.dir.path(), "remembered this time", "Dr Founder");
    CHECK(audit.exit_code == 0);
    CHECK(audit.out.find("\tRecovery key\treset\tperson ") != std::string::npos);
}

TEST_CASE("key reveal prints the raw key only to the recovery key, and is audited") {
    FoundedFixture f;
    const CliResult refused = f.run("key reveal --db p.db");
    CHECK(refused.exit_code == 64);
    CHECK(refused.out.empty());
    const CliResult revealed =
        run_attune("key reveal --db p.db --recovery-key-file recovery.txt", f.dir.path(), "", "");
    INFO(revealed.err);
    CHECK(revealed.exit_code == 0);
    CHECK(std::regex_match(revealed.out, std::regex("x'[0-9a-f]{64}'\n")));
    const CliResult audit = f.must("audit --db p.db --action reveal");
    CHECK(
        std::regex_match(audit.out, std::regex("[0-9T:Z-]+\tRecovery key\treveal\tpractice [0-9a-f-]{36}\t[^\n]*\n")));
}

TEST_CASE("a signed session edited behind Attune's back with the raw key fails check and verify, naming it") {
    FoundedFixture f;
    f.must("case add --db p.db --label C --partners Ana,Ben");
    for (const char* session : {"1", "2"}) {
        f.must("session start --db p.db --case C");
        f.must(std::string("log --db p.db --case C --who A --code validate --at 3 --session ") + session);
        f.must(std::string("session end --db p.db --case C --duration 600 --session ") + session);
        f.must(std::string("sign --db p.db --user 'Dr Founder' --case C --session ") + session);
    }
    REQUIRE(f.must("verify --db p.db").out.find("not") == std::string::npos);
    const std::string raw_key =
        run_attune("key reveal --db p.db --recovery-key-file recovery.txt", f.dir.path(), "", "").out;
    REQUIRE(std::regex_match(raw_key, std::regex("x'[0-9a-f]{64}'\n")));
    const std::string pragma = "PRAGMA key = \"" + raw_key.substr(0, raw_key.size() - 1) + "\";\n";
    const std::string edit =
        "UPDATE observations SET code_id = 'blame_shift' WHERE session_id = "
        "(SELECT s.id FROM sessions s JOIN cases c ON c.id = s.case_id WHERE c.label = 'C' AND s.number = 1);\n";

    // With the triggers in place the store itself refuses the edit.
    const CliResult sealed = sqlcipher(f.dir.path(), pragma + edit);
    INFO(sealed.err);
    REQUIRE(sealed.exit_code != 0);
    CHECK(sealed.err.find("this session is signed") != std::string::npos);
    CHECK(f.must("verify --db p.db").out.find("not") == std::string::npos);

    // Someone with the raw key drops the trigger and edits anyway.
    const CliResult edited = sqlcipher(f.dir.path(), pragma + "DROP TRIGGER observations_sealed_update;\n" + edit);
    INFO(edited.err);
    REQUIRE(edited.exit_code == 0);

    const CliResult check = f.run("check --db p.db");
    CHECK(check.exit_code == 1);
    CHECK(check.out.find("signatures: 1 NOT VERIFIED\n  C, session 1: Signed by Dr Founder, ") != std::string::npos);
    CHECK(check.out.find(" \xE2\x80\x94 changed after signing\n") != std::string::npos);
    CHECK(check.out.find("PROBLEMS FOUND") != std::string::npos);
    const CliResult verify = f.run("verify --db p.db");
    CHECK(verify.exit_code == 1);
    CHECK(std::regex_match(verify.out, std::regex("C\tsession 1\tDr Founder\tsign\tchanged after signing\n"
                                                  "C\tsession 2\tDr Founder\tsign\tverified \\(key " +
                                                  kFingerprint + "\\)\n")));
    CHECK(verify.err == "attune verify: 1 signatures do not verify\n");
}
