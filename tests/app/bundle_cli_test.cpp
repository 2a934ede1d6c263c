// `attune bundle export|import` through the real binary.
#include <catch2/catch_test_macros.hpp>

#include "app/cli_runner.h"
#include "support/cli_practice.h"
#include "support/test_support.h"

using namespace attune::test;

TEST_CASE("a bundle exported on one machine imports once on another; a wrong passphrase exits 2", "[bundle][cli]") {
    TempDir dir;
    make_cli_practice(dir / "src.db");
    write_file(dir / "bundle.pass", "travel secret\n");
    REQUIRE(run_attune("case add --db src.db --label 'Couple X' --partners Ana,Ben", dir.path()).exit_code == 0);
    REQUIRE(run_attune("session start --db src.db --case 'Couple X' --date 2026-01-05", dir.path()).exit_code == 0);
    REQUIRE(run_attune("log --db src.db --case 'Couple X' --who A --code blame_shift --at 10", dir.path()).exit_code ==
            0);
    REQUIRE(run_attune("session end --db src.db --case 'Couple X' --duration 600", dir.path()).exit_code == 0);

    const CliResult exported = run_attune(
        "bundle export --db src.db --clinician 'Dr Test' --out x.attune --bundle-passphrase-file bundle.pass",
        dir.path());
    REQUIRE(exported.exit_code == 0);
    CHECK(exported.out.find("1 cases, 1 sessions, 1 observations") != std::string::npos);
    CHECK(exported.out.find("not included") != std::string::npos);

    // Another practice, its own administrator and passphrase.
    REQUIRE(run_attune("init --db dst.db --admin 'Dr Other'", dir.path(), "other passphrase", "").exit_code == 0);
    const auto as_other = [&](const std::string& args) {
        return run_attune(args, dir.path(), "other passphrase", "Dr Other");
    };
    const std::string import = "bundle import --db dst.db --from x.attune --bundle-passphrase-file bundle.pass";
    const CliResult first = as_other(import);
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(first.out.find("new: 1 cases, 1 sessions, 1 observations") != std::string::npos);
    CHECK(first.out.find("unchanged: 0 rows") != std::string::npos);
    CHECK(first.out.find("sent by Dr Test (key ") == 0);
    CHECK(first.out.find("NOT a key this practice knows for them") != std::string::npos);
    const CliResult second = as_other(import);
    CHECK(second.out.find("new: 0 cases, 0 sessions, 0 observations") != std::string::npos);
    CHECK(second.out.find("0 conflicts") != std::string::npos);
    CHECK(second.out.find("unchanged: 3 rows") != std::string::npos);  // the case, its session, its observation

    write_file(dir / "wrong.pass", "not it at all\n");
    const CliResult wrong = as_other("bundle import --db dst.db --from x.attune --bundle-passphrase-file wrong.pass");
    CHECK(wrong.exit_code == 2);
    CHECK(wrong.err.find("wrong bundle passphrase") != std::string::npos);
}

TEST_CASE("a bundle's co-signature by another practice's Dr Supervisor of the same name shows as not verified",
          "[bundle][cli][signing]") {
    TempDir dir;
    const auto must = [&](const CliResult& r, const std::string& what) {
        INFO(what << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
        return r;
    };
    write_file(dir / "bundle.pass", "travel secret\n");
    write_file(dir / "sup.pass", "their supervisor passphrase\n");
    write_file(dir / "ours.pass", "our supervisor passphrase\n");
    // The sending practice: Dr Test treats Couple X, its Dr Supervisor co-signs session 1.
    make_cli_practice(dir / "src.db");
    must(run_attune("person add --db src.db --name 'Dr Supervisor' --role supervisor --new-passphrase-file sup.pass",
                    dir.path()),
         "person add");
    must(run_attune("case add --db src.db --label 'Couple X' --partners Ana,Ben", dir.path()), "case add");
    must(run_attune("session start --db src.db --case 'Couple X' --date 2026-01-05", dir.path()), "start");
    must(run_attune("log --db src.db --case 'Couple X' --who A --code blame_shift --at 10", dir.path()), "log");
    must(run_attune("session end --db src.db --case 'Couple X' --duration 600", dir.path()), "end");
    must(run_attune("case supervisor --db src.db --case 'Couple X' --supervisor 'Dr Supervisor'", dir.path()),
         "supervisor");
    must(run_attune("sign --db src.db --case 'Couple X' --session 1", dir.path()), "sign");
    must(run_attune("cosign --db src.db --case 'Couple X' --session 1", dir.path(), "their supervisor passphrase",
                    "Dr Supervisor"),
         "cosign");
    must(run_attune("bundle export --db src.db --case 'Couple X' --out x.attune --bundle-passphrase-file bundle.pass",
                    dir.path()),
         "export");

    // The receiving practice has the same Dr Test, and a Dr Supervisor of its own.
    make_cli_practice(dir / "dst.db");
    must(run_attune("person add --db dst.db --name 'Dr Supervisor' --role supervisor --new-passphrase-file ours.pass",
                    dir.path()),
         "person add");
    const CliResult imported =
        must(run_attune("bundle import --db dst.db --from x.attune --bundle-passphrase-file bundle.pass", dir.path()),
             "import");
    CHECK(imported.out.find(" 2 signatures") != std::string::npos);
    // Sealed by Dr Test, whose key is certified in both (copies of one practice).
    CHECK(imported.out.find("sent by Dr Test (key ") == 0);
    CHECK(imported.out.find("): a key this practice knows for them\n") != std::string::npos);
    const CliResult verify = run_attune("verify --db dst.db", dir.path());
    CHECK(verify.exit_code == 1);
    INFO(verify.out);
    CHECK(verify.out.find("Couple X\tsession 1\tDr Test\tsign\tverified (key ") == 0);
    CHECK(verify.out.find("Couple X\tsession 1\tDr Supervisor (other practice)\tcosign\tnot verified: signed by a key "
                          "this practice does not know for Dr Supervisor (fingerprint ") != std::string::npos);
    CHECK(verify.err == "attune verify: 1 signatures do not verify\n");
}

TEST_CASE("bundle export --to NAME,NAME seals to people's keys; only they import it, with no bundle passphrase",
          "[bundle][cli][sealed]") {
    TempDir dir;
    const auto must = [&](const CliResult& r, const std::string& what) {
        INFO(what << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
        return r;
    };
    make_cli_practice(dir / "src.db");
    must(run_attune("case add --db src.db --label 'Couple X' --partners Ana,Ben", dir.path()), "case add");
    must(run_attune("session start --db src.db --case 'Couple X' --date 2026-01-05", dir.path()), "start");
    must(run_attune("log --db src.db --case 'Couple X' --who A --code blame_shift --at 10", dir.path()), "log");
    must(run_attune("session end --db src.db --case 'Couple X' --duration 600", dir.path()), "end");
    // Another practice, founded by Dr Other; the two administrators exchange keys.
    must(run_attune("init --db dst.db --admin 'Dr Other'", dir.path(), "other passphrase", ""), "init");
    const auto as_other = [&](const std::string& args) {
        return run_attune(args, dir.path(), "other passphrase", "Dr Other");
    };
    must(as_other("person export-key --db dst.db --name 'Dr Other' --out other.key"), "export-key");
    const std::string other_fingerprint =
        read_file(dir / "other.key").substr(read_file(dir / "other.key").find("\"fingerprint\": \"") + 16, 44);
    must(run_attune("person import-key --db src.db --from other.key", dir.path()), "import-key");
    must(run_attune("person export-key --db src.db --name 'Dr Test' --out test.key", dir.path()), "export-key");
    must(as_other("person import-key --db dst.db --from test.key"), "import-key");

    const CliResult exported = must(
        run_attune("bundle export --db src.db --case 'Couple X' --out x.attune --to 'Dr Other,Dr Test'", dir.path()),
        "export --to");
    CHECK(exported.out.find("wrote x.attune: 1 cases, 1 sessions, 1 observations") == 0);
    CHECK(exported.out.find("\nsealed to Dr Other (key " + other_fingerprint + "), Dr Test (key ") !=
          std::string::npos);
    CHECK(read_file(dir / "x.attune").rfind("attune-sealed-bundle\n", 0) == 0);

    const CliResult imported = as_other("bundle import --db dst.db --from x.attune");
    INFO(imported.err);
    REQUIRE(imported.exit_code == 0);
    CHECK(imported.out.find("sealed to Dr Other, Dr Test; opened with your key\n") == 0);
    CHECK(imported.out.find("\nsent by Dr Test (key ") != std::string::npos);
    CHECK(imported.out.find("): a key this practice knows for them\n") != std::string::npos);
    CHECK(imported.out.find("new: 1 cases, 1 sessions, 1 observations") != std::string::npos);
    const CliResult audit = must(run_attune("audit --db src.db --action export", dir.path()), "audit");
    CHECK(audit.out.find("to=Dr Other, Dr Test") != std::string::npos);
    // The import's audit row names the file as sent (not the database taken out of it).
    const CliResult import_audit = must(as_other("audit --db dst.db --action import"), "audit");
    CHECK(import_audit.out.find("x.attune") != std::string::npos);
    CHECK(import_audit.out.find("attune-db") == std::string::npos);
}

TEST_CASE("bundle export --to refuses a passphrase as well and an unknown name; import refuses a non-recipient",
          "[bundle][cli][sealed]") {
    TempDir dir;
    make_cli_practice(dir / "src.db");
    REQUIRE(run_attune("case add --db src.db --label 'Couple X' --partners Ana,Ben", dir.path()).exit_code == 0);
    write_file(dir / "bundle.pass", "travel secret\n");
    const CliResult both = run_attune(
        "bundle export --db src.db --case 'Couple X' --out x.attune --to 'Dr Test' --bundle-passphrase-file "
        "bundle.pass",
        dir.path());
    CHECK(both.exit_code == 64);
    CHECK(both.err.find("give either --to NAME[,NAME] or --bundle-passphrase-file, not both") != std::string::npos);
    const CliResult nobody =
        run_attune("bundle export --db src.db --case 'Couple X' --out x.attune --to 'Dr Test,Dr Nobody'", dir.path());
    CHECK(nobody.exit_code == 1);
    CHECK(nobody.err ==
          "attune bundle export: no person named 'Dr Nobody' in this practice, and no key of theirs was "
          "imported (person import-key): the bundle cannot be sealed to them\n");
    CHECK_FALSE(std::filesystem::exists(dir / "x.attune"));

    // Sealed to Dr Test alone, then opened in another practice by its Dr Other.
    REQUIRE(
        run_attune("bundle export --db src.db --case 'Couple X' --out x.attune --to 'Dr Test'", dir.path()).exit_code ==
        0);
    REQUIRE(run_attune("init --db dst.db --admin 'Dr Other'", dir.path(), "other passphrase", "").exit_code == 0);
    const CliResult refused =
        run_attune("bundle import --db dst.db --from x.attune", dir.path(), "other passphrase", "Dr Other");
    CHECK(refused.exit_code == 1);
    CHECK(refused.err ==
          "attune bundle import: x.attune is sealed to Dr Test; you are signed in as Dr Other: nothing was imported\n");
    // Nothing was imported: the import's audit row (written even when nothing changes) is not there.
    const CliResult audit = run_attune("audit --db dst.db", dir.path(), "other passphrase", "Dr Other");
    REQUIRE(audit.exit_code == 0);
    CHECK(audit.out.find("x.attune") == std::string::npos);
}

TEST_CASE("bundle import --dry-run prints what would change and imports nothing", "[bundle][cli]") {
    TempDir dir;
    make_cli_practice(dir / "src.db");
    write_file(dir / "bundle.pass", "travel secret\n");
    REQUIRE(run_attune("case add --db src.db --label 'Couple X' --partners Ana,Ben", dir.path()).exit_code == 0);
    REQUIRE(run_attune("session start --db src.db --case 'Couple X' --date 2026-01-05", dir.path()).exit_code == 0);
    REQUIRE(run_attune("log --db src.db --case 'Couple X' --who A --code blame_shift --at 10", dir.path()).exit_code ==
            0);
    REQUIRE(run_attune("session end --db src.db --case 'Couple X' --duration 600", dir.path()).exit_code == 0);
    REQUIRE(run_attune("bundle export --db src.db --case 'Couple X' --out x.attune --bundle-passphrase-file "
                       "bundle.pass",
                       dir.path())
                .exit_code == 0);
    REQUIRE(run_attune("init --db dst.db --admin 'Dr Other'", dir.path(), "other passphrase", "").exit_code == 0);
    const auto as_other = [&](const std::string& args) {
        return run_attune(args, dir.path(), "other passphrase", "Dr Other");
    };
    const std::string import = "bundle import --db dst.db --from x.attune --bundle-passphrase-file bundle.pass";
    const CliResult preview = as_other(import + " --dry-run");
    INFO(preview.out << preview.err);
    REQUIRE(preview.exit_code == 0);
    CHECK(preview.out.find("would import cases: 1 new, 0 changed, 0 unchanged\n") != std::string::npos);
    CHECK(preview.out.find("would import sessions: 1 new, 0 changed, 0 unchanged\n") != std::string::npos);
    CHECK(preview.out.find("would import observations: 1 new, 0 changed, 0 unchanged\n") != std::string::npos);
    CHECK(preview.out.find("would import people: 1 new, 0 changed, 0 unchanged\n") != std::string::npos);
    CHECK(preview.out.find("nothing was imported (--dry-run)\n") != std::string::npos);
    CHECK(as_other("case list --db dst.db").out.find("Couple X") == std::string::npos);

    REQUIRE(as_other(import).exit_code == 0);
    const CliResult again = as_other(import + " --dry-run");
    CHECK(again.out.find("would import cases: 0 new, 0 changed, 1 unchanged\n") != std::string::npos);
    CHECK(again.out.find("would import people: 0 new, 0 changed, 1 unchanged\n") != std::string::npos);
}
