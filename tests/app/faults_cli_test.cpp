// The security commands and fault messages, through the real binary.
#include <catch2/catch_test_macros.hpp>
#include <filesystem>

#include "app/cli_runner.h"
#include "services/open_practice.h"
#include "support/cli_practice.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune::test;
namespace fs = std::filesystem;

namespace {

// Dr Test's case C with session 1 started and one observation in it (made once, copied).
void make_case_with_observation(const fs::path& dir) {
    static PreparedPractice prepared([](const fs::path& at) {
        make_practice_with_open_session(at / "p.db");
        REQUIRE(run_attune("log --db p.db --case C --who A --code validate --at 3", at).exit_code == 0);
    });
    prepared.copy_to(dir / "p.db");
}

}  // namespace

TEST_CASE("a database held by another Attune refuses a second writer with exit 3 and points to read-only") {
    TempDir dir;
    make_case_with_observation(dir.path());
    const auto holder = open_practice(dir / "p.db", kCliPassphrase, kCliUser);  // as an open window holds it

    const CliResult write = run_attune("case add --db p.db --label D --partners X,Y", dir.path());
    REQUIRE(write.exit_code == 3);
    REQUIRE(count_lines(write.err) == 1);
    REQUIRE(write.err.find("read-only") != std::string::npos);

    const CliResult read = run_attune("audit --db p.db --read-only", dir.path());
    REQUIRE(read.exit_code == 0);
    REQUIRE(read.out.find("create") != std::string::npos);
}

TEST_CASE("attune check exits non-zero on a damaged or truncated database, with a message") {
    TempDir dir;
    make_case_with_observation(dir.path());
    // Enough rows that the middle of the file is data: 50 more observations, in one process.
    REQUIRE(run_attune("stress-log --db p.db --case C --count 50", dir.path()).exit_code == 0);
    REQUIRE(run_attune("check --db p.db", dir.path()).exit_code == 0);
    const std::string good = read_file(dir / "p.db");
    SECTION("bytes overwritten in the middle") {
        std::string bytes = good;
        const size_t middle = bytes.size() / 4096 / 2 * 4096;
        for (size_t i = middle + 200; i < middle + 600; ++i)
            bytes[i] = '\x33';
        write_file(dir / "p.db", bytes);
    }
    SECTION("cut in half") {
        write_file(dir / "p.db", good.substr(0, good.size() / 2));
    }
    const CliResult r = run_attune("check --db p.db", dir.path());
    REQUIRE(r.exit_code != 0);
    REQUIRE((r.err + r.out).find("all well") == std::string::npos);
    REQUIRE_FALSE((r.err + r.out).empty());
}

TEST_CASE("a backup from the command line is written and audited") {
    TempDir dir;
    make_case_with_observation(dir.path());
    const CliResult backup = run_attune("backup --db p.db --out backups --keep 3", dir.path());
    REQUIRE(backup.exit_code == 0);
    const fs::path file = dir / "backups" / fs::path(backup.out.substr(0, backup.out.size() - 1)).filename();
    REQUIRE(fs::exists(file));
    REQUIRE(file.extension() == ".attune-backup");
    const CliResult audit = run_attune("audit --db p.db --action backup", dir.path());
    REQUIRE(audit.exit_code == 0);
    REQUIRE(count_lines(audit.out) == 1);
    REQUIRE(audit.out.find("\tbackup\tdatabase") != std::string::npos);
}

TEST_CASE("a backup restores from the command line with the person's own passphrase") {
    TempDir dir;
    make_case_with_observation(dir.path());
    const CliResult backup = run_attune("backup --db p.db --out backups --keep 3", dir.path());
    REQUIRE(backup.exit_code == 0);
    const fs::path file = dir / "backups" / fs::path(backup.out.substr(0, backup.out.size() - 1)).filename();

    REQUIRE(run_attune("log --db p.db --case C --who B --code validate --at 9", dir.path()).exit_code == 0);
    const CliResult restore = run_attune("restore --db p.db --from " + shell_quote(file.string()), dir.path());
    REQUIRE(restore.exit_code == 0);
    REQUIRE(restore.out.find("before-restore") != std::string::npos);
    REQUIRE(run_attune("session list --db p.db --case C", dir.path()).out.find("1 observations") != std::string::npos);
    REQUIRE(run_attune("check --db p.db", dir.path()).exit_code == 0);

    // The restored audit trail is the backup's, plus the restore itself.
    REQUIRE(run_attune("audit --db p.db --action restore --limit 5", dir.path()).out.find("restore") !=
            std::string::npos);

    const CliResult wrong = run_attune("restore --db p.db --from " + shell_quote(file.string()), dir.path(), "nope");
    REQUIRE(wrong.exit_code == 2);
}

TEST_CASE("passphrase change changes the person's own passphrase from a file, never echoed, and keeps the data") {
    // It used to re-encrypt the file under the new passphrase, which with personal
    // sign-in left no key slot able to open it.
    TempDir dir;
    make_case_with_observation(dir.path());
    write_file(dir / "new.txt", "brand new passphrase\n");
    const CliResult change = run_attune("passphrase change --db p.db --new-passphrase-file new.txt", dir.path());
    REQUIRE(change.exit_code == 0);
    CHECK(change.out.find("passphrase of Dr Test changed") == 0);
    REQUIRE((change.out + change.err).find("brand new passphrase") == std::string::npos);
    REQUIRE(run_attune("check --db p.db", dir.path()).exit_code == 2);
    REQUIRE(run_attune("check --db p.db", dir.path(), "brand new passphrase").exit_code == 0);
    CHECK(
        run_attune("session list --db p.db --case C", dir.path(), "brand new passphrase").out.find("1 observations") !=
        std::string::npos);
    const CliResult audit = run_attune("audit --db p.db --action rekey", dir.path(), "brand new passphrase");
    REQUIRE(count_lines(audit.out) == 1);
    REQUIRE(audit.out.find("brand new passphrase") == std::string::npos);
}

TEST_CASE("attune encrypt turns an unencrypted practice into one with personal sign-in and a recovery key") {
    TempDir dir;
    REQUIRE(run_attune("init --db plain.db --admin 'Dr Test' --no-encryption", dir.path(), "").exit_code == 0);
    REQUIRE(attune::services::is_plaintext_practice(dir / "plain.db"));
    REQUIRE(run_attune("encrypt --db plain.db", dir.path(), "").exit_code != 0);  // no passphrase given
    const CliResult r = run_attune("encrypt --db plain.db", dir.path());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("encrypted plain.db; no unencrypted copy was kept\nrecovery key: ") == 0);
    CHECK(count_lines(r.out) == 2);
    REQUIRE_FALSE(attune::services::is_plaintext_practice(dir / "plain.db"));
    CHECK(fs::exists(dir / "plain.db.keyring"));
    // Its passphrase is Dr Test's own now; even a read-only command opens it.
    const CliResult check = run_attune("check --db plain.db", dir.path());
    REQUIRE(check.exit_code == 0);
    REQUIRE(check.out.find("encrypted (SQLCipher") != std::string::npos);
    CHECK(run_attune("person list --db plain.db", dir.path()).out.rfind("Dr Test\tclinician,administrator\t", 0) == 0);
    REQUIRE(run_attune("encrypt --db plain.db", dir.path()).exit_code == 1);  // already encrypted
}
