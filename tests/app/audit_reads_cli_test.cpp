// The real `attune` binary and the audit trail of reads (issue 17 item 6):
// every command that reads leaves one row naming itself and what it read,
// also while the window holds the practice's writer lock; a screenshot names
// its view, case and file. And the rollback attack: a practice file replaced
// by an older copy of itself makes `attune check` fail with "rolled back" and
// every opening warn, while a deliberate `attune restore` is not flagged and
// says in its own row what was lost.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <catch2/catch_test_macros.hpp>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli_runner.h"
#include "services/audit.h"
#include "support/cli_practice.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
using test::CliResult;
namespace fs = std::filesystem;

namespace {

struct ReadsFixture {
    test::TempDir dir;
    ReadsFixture() {
        test::make_cli_practice(dir / "p.db");
        must("case add --db p.db --label C --partners Ana,Ben");
        must("session start --db p.db --case C --date 2026-03-02");
    }
    CliResult run(const std::string& args) { return test::run_attune(args, dir.path()); }
    CliResult must(const std::string& args) { return test::must_run_attune(args, dir.path()); }
    // The rows of one action, newest first, read in-process (which records nothing).
    std::vector<AuditEntry> rows(const std::string& action) {
        auto practice = test::open_practice(dir / "p.db", test::kCliPassphrase, test::kCliUser);
        return services::audit_entries(*practice, AuditFilter::of_action(action));
    }
};

// Holds `<db>.lock` as the window does while it has the practice open.
struct WindowHoldsLock {
    int fd = -1;
    explicit WindowHoldsLock(const fs::path& db) {
        fd = ::open((db.string() + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        REQUIRE(fd >= 0);
        REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    }
    ~WindowHoldsLock() { ::close(fd); }
};

}  // namespace

TEST_CASE("each command-line read leaves one row naming the command and what it read", "[app][audit][reads]") {
    ReadsFixture f;
    REQUIRE(f.rows("read").empty());
    const CliResult list = f.must("case list --db p.db");
    CHECK(list.out.find("C\tAna & Ben") == 0);
    f.must("session list --db p.db --case C");
    f.must("metrics --db p.db --case C --session 1 --json");
    f.must("audit --db p.db --limit 5");

    const std::vector<AuditEntry> reads = f.rows("read");
    REQUIRE(reads.size() == 4);  // newest first
    CHECK(reads[3].entity == "practice");
    CHECK(reads[3].detail == "command=case list");
    CHECK(reads[2].entity == "case");
    CHECK(reads[2].detail == "command=session list case=C");
    CHECK(reads[1].entity == "session");
    CHECK(reads[1].detail == "command=metrics case=C session=1 --json");
    CHECK(reads[0].detail == "command=audit");
    for (const AuditEntry& e : reads) {
        CHECK(e.actor == "Dr Test");
        CHECK_FALSE(e.signature.empty());
    }
    // The reads are in the chain, signed: the check (itself a read) is happy.
    const CliResult check = f.run("check --db p.db");
    INFO(check.out << check.err);
    CHECK(check.exit_code == 0);
    CHECK(f.rows("read").size() == 5);
}

TEST_CASE("a read while the window holds the practice is recorded all the same", "[app][audit][reads]") {
    ReadsFixture f;
    {
        const WindowHoldsLock window(f.dir / "p.db");
        // A write is refused while the window has the practice ...
        CHECK(f.run("case add --db p.db --label D --partners X,Y").exit_code == 3);
        // ... a read goes ahead, and is in the trail.
        const CliResult list = f.must("case list --db p.db");
        CHECK(list.out.find("C\tAna & Ben") == 0);
    }
    const std::vector<AuditEntry> reads = f.rows("read");
    REQUIRE(reads.size() == 1);
    CHECK(reads[0].detail == "command=case list");
}

TEST_CASE("a screenshot's row names its view, case and the file it went to", "[app][audit][reads][screenshot]") {
    ReadsFixture f;
    const CliResult shot = f.run("screenshot --db p.db --view case --case C --out shot.png --width 800 --height 500");
    INFO(shot.err);
    REQUIRE(shot.exit_code == 0);
    REQUIRE(fs::exists(f.dir / "shot.png"));
    const std::vector<AuditEntry> shots = f.rows("screenshot");
    REQUIRE(shots.size() == 1);
    CHECK(shots[0].detail == "view=case case=C path=" + (f.dir / "shot.png").string());
}

TEST_CASE("an export to a relative path is recorded with the absolute place it went", "[app][audit][export]") {
    ReadsFixture f;
    f.must("export --db p.db --case C --format csv --out rel.csv");
    const std::vector<AuditEntry> exports = f.rows("export");
    REQUIRE(exports.size() == 1);
    CHECK(exports[0].detail == "format=csv include_private=no out=file path=" + (f.dir / "rel.csv").string());
}

TEST_CASE("a practice file replaced by an older copy of itself: check fails with rolled back, opening warns",
          "[app][audit][checkpoint][attack]") {
    ReadsFixture f;
    // The attacker keeps a copy of the file as it is now ...
    fs::copy_file(f.dir / "p.db", f.dir / "old.db");
    // ... the clinician goes on working: rows the attacker wants gone ...
    f.must("case add --db p.db --label 'Couple Later' --partners X,Y");
    f.must("case list --db p.db");
    CHECK(f.must("check --db p.db").out.find("all well") != std::string::npos);
    // ... and the old copy goes back over the file.
    fs::copy_file(f.dir / "old.db", f.dir / "p.db", fs::copy_options::overwrite_existing);
    std::error_code ec;
    fs::remove(f.dir / "p.db-wal", ec);
    fs::remove(f.dir / "p.db-shm", ec);

    const CliResult check = f.run("check --db p.db");
    INFO(check.out << check.err);
    CHECK(check.exit_code == 1);
    CHECK(check.out.find("rolled back") != std::string::npos);
    CHECK(check.out.find("PROBLEMS FOUND") != std::string::npos);
    // Any opening says so on stderr, and goes on (the data is the user's to see).
    const CliResult list = f.run("case list --db p.db");
    CHECK(list.exit_code == 0);
    CHECK(list.err.find("rolled back") != std::string::npos);
    // Recorded by each opening: the check's, the case list's, and the one reading them here.
    CHECK(f.rows("checkpoint_problem").size() == 3);
}

TEST_CASE("a deliberate restore is not a rollback, and its row says which audit rows it left behind",
          "[app][audit][checkpoint][restore]") {
    ReadsFixture f;
    const CliResult backup = f.must("backup --db p.db --out backups");
    const fs::path backup_file = f.dir / backup.out.substr(0, backup.out.find('\n'));
    REQUIRE(fs::exists(backup_file));
    // The backup carries its own checkpoint.
    CHECK(fs::exists(backup_file.string() + ".audit-checkpoint"));
    f.must("case add --db p.db --label 'Couple Later' --partners X,Y");
    f.must("case list --db p.db");

    const CliResult restored = f.must("restore --db p.db --from " + test::shell_quote(backup_file.string()));
    INFO(restored.out);
    CHECK(restored.out.find("audit rows after the restored head") != std::string::npos);
    const CliResult check = f.run("check --db p.db");
    INFO(check.out << check.err);
    CHECK(check.exit_code == 0);
    CHECK(check.out.find("rolled back") == std::string::npos);
    CHECK(check.err.find("rolled back") == std::string::npos);
    const std::vector<AuditEntry> restores = f.rows("restore");
    REQUIRE(restores.size() == 1);
    // Lost: the backup's own row (written after the copy was made), the case
    // added, the case list's read.
    INFO(restores[0].detail);
    CHECK(restores[0].detail.find("audit rows after the restored head") != std::string::npos);
    CHECK(restores[0].detail.find("(1 backup, ") != std::string::npos);
    CHECK(restores[0].detail.find(" create, 1 read; kept in the replaced copy)") != std::string::npos);
    CHECK(f.rows("checkpoint_problem").empty());
}
