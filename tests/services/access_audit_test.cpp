// Reads in the audit trail (issue 17 item 6): a case or session opened in
// the window, a command-line read, a screenshot, each one signed row through
// services/access_audit.h, also when the practice was opened read-only; and
// the checkpoint of the chain kept outside the database.
#include <sys/stat.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/audit_checkpoint.h"
#include "services/access_audit.h"
#include "services/audit.h"
#include "services/audit_checkpoint.h"
#include "services/backups.h"
#include "services/cases.h"
#include "services/maintenance.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;
namespace fs = std::filesystem;

namespace {

std::vector<AuditEntry> rows_of(services::OpenPractice& practice, const std::string& action) {
    return services::audit_entries(practice, AuditFilter::of_action(action));
}

struct ReadPractice {
    test::TempDir dir;
    test::ScopedEnv config{"XDG_CONFIG_HOME", (dir / "config").string()};
    fs::path path = dir / "practice.attune-db";
    Case couple;
    Session session;
    std::string uuid;
    ReadPractice() {
        auto practice = test::new_practice(path);
        uuid = practice->practice_uuid();
        couple = test::add_couple(*practice, "Couple R");
        session = services::start_session(*practice, couple.id, "2026-11-20");
    }
    // Where the last checkpoint of the practice's file is kept.
    fs::path checkpoint() const { return services::checkpoint_path(uuid, path); }
};

// The attacker's move: an older copy over the practice file (with no WAL of
// the newer file left to be replayed onto it).
void put_back(const fs::path& old_copy, const fs::path& path) {
    fs::copy_file(old_copy, path, fs::copy_options::overwrite_existing);
    std::error_code ec;
    fs::remove(path.string() + "-wal", ec);
    fs::remove(path.string() + "-shm", ec);
}

}  // namespace

TEST_CASE("a case opened, a session opened and a review opened are one signed row each", "[audit][reads]") {
    ReadPractice f;
    auto practice = test::open_practice(f.path);
    services::record_case_opened(*practice, f.couple.id);
    services::record_session_opened(*practice, f.session.id, services::SessionOpening::Live);
    services::record_session_opened(*practice, f.session.id, services::SessionOpening::Review);

    const auto opened = rows_of(*practice, "open");
    REQUIRE(opened.size() == 2);  // newest first
    CHECK(opened[0].entity == "session");
    CHECK(opened[0].entity_id == f.session.uuid);
    CHECK(opened[0].detail == "case=Couple R session=1");
    CHECK(opened[1].entity == "case");
    CHECK(opened[1].entity_id == f.couple.uuid);
    CHECK(opened[1].detail == "label=Couple R");
    const auto reviewed = rows_of(*practice, "review");
    REQUIRE(reviewed.size() == 1);
    CHECK(reviewed[0].entity_id == f.session.uuid);
    CHECK(reviewed[0].actor == "Dr Test");
    CHECK_FALSE(reviewed[0].signature.empty());
    CHECK(services::verify_audit_chain(*practice).ok);
}

TEST_CASE("a practice opened read-only still records its reads, signed, in the one chain", "[audit][reads]") {
    ReadPractice f;
    {
        auto reader = test::open_practice(f.path, "correct horse", "Dr Test", false, true);
        REQUIRE(reader->read_only());
        const Case c = services::find_case(*reader, "Couple R");
        const Session s = services::find_session(*reader, c, 1);
        services::record_command_read(*reader, {"case list"});
        services::record_command_read(*reader, {"metrics", &c, &s, "--json"});
        services::record_command_read(*reader, {"session list", &c});
    }
    auto practice = test::open_practice(f.path);
    const auto reads = rows_of(*practice, "read");
    REQUIRE(reads.size() == 3);
    CHECK(reads[2].entity == "practice");
    CHECK(reads[2].entity_id == practice->practice_uuid());
    CHECK(reads[2].detail == "command=case list");
    CHECK(reads[1].entity == "session");
    CHECK(reads[1].entity_id == f.session.uuid);
    CHECK(reads[1].detail == "command=metrics case=Couple R session=1 --json");
    CHECK(reads[0].entity == "case");
    CHECK(reads[0].entity_id == f.couple.uuid);
    CHECK(reads[0].detail == "command=session list case=Couple R");
    for (const AuditEntry& e : reads) CHECK(e.actor == "Dr Test");
    const AuditVerification chain = services::verify_audit_chain(*practice);
    INFO(chain.message);
    CHECK(chain.ok);
}

TEST_CASE("closing a practice leaves a signed checkpoint of its chain in the config folder, the user's alone",
          "[audit][checkpoint]") {
    ReadPractice f;
    const fs::path file = f.checkpoint();
    CHECK(file.parent_path() == f.dir / "config" / "attune");
    REQUIRE(fs::exists(file));
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const std::optional<AuditCheckpoint> c = parse_checkpoint(test::read_file(file));
    REQUIRE(c.has_value());
    CHECK(c->practice_uuid == f.uuid);
    auto again = test::open_practice(f.path);
    const std::vector<AuditEntry> all = services::audit_entries(*again, AuditFilter::of_action(""));
    // The checkpoint was written when the practice closed: the rows up to then
    // are the chain minus nothing (this open wrote no row: it is not the window's).
    CHECK(c->rows == static_cast<std::int64_t>(all.size()));
    CHECK(c->head == all.front().hash);
    CHECK_FALSE(again->audit_checkpoint_problem().has_value());
    CHECK_FALSE(checkpoint_trust_problem(again->trust(), f.uuid, *c).has_value());
}

TEST_CASE("a practice file replaced by an older copy of itself is reported as rolled back, recorded, and fails the check",
          "[audit][checkpoint][attack]") {
    ReadPractice f;
    test::open_practice(f.path).reset();  // closed: its WAL folded in, its checkpoint written
    fs::copy_file(f.path, f.dir / "old.attune-db");
    {
        auto practice = test::open_practice(f.path);
        test::add_couple(*practice, "Couple Later");
        services::record_case_opened(*practice, f.couple.id);
    }
    put_back(f.dir / "old.attune-db", f.path);

    for (int open = 1; open <= 2; ++open) {  // every open says so until a deliberate restore
        auto practice = test::open_practice(f.path);
        INFO("open " << open);
        REQUIRE(practice->audit_checkpoint_problem().has_value());
        CHECK_THAT(*practice->audit_checkpoint_problem(), ContainsSubstring("was rolled back"));
        CHECK_THAT(*practice->audit_checkpoint_problem(), ContainsSubstring("it had"));
        bool told = false;
        for (const std::string& notice : practice->notices())
            told = told || notice == *practice->audit_checkpoint_problem();
        CHECK(told);
        const auto recorded = rows_of(*practice, "checkpoint_problem");
        CHECK(recorded.size() == static_cast<size_t>(open));
        const HealthReport report = services::check_health(*practice);
        CHECK_FALSE(report.ok());
        REQUIRE(report.checkpoint_problems.size() == 1);
        CHECK_THAT(report.checkpoint_problems[0], ContainsSubstring("rolled back"));
    }
}

TEST_CASE("an older copy written to until it is as long as the checkpoint still shows: its rows differ",
          "[audit][checkpoint][attack]") {
    ReadPractice f;
    test::open_practice(f.path).reset();
    fs::copy_file(f.path, f.dir / "old.attune-db");
    {
        auto practice = test::open_practice(f.path);
        services::record_case_opened(*practice, f.couple.id);
    }
    put_back(f.dir / "old.attune-db", f.path);
    // Made as long again behind the checkpoint's back (the checkpoint is not
    // moved while a problem stands, so this open's close leaves it).
    {
        services::OpenRequest request = test::test_request(f.path, "correct horse", "Dr Test");
        auto practice = services::OpenPractice::open(std::move(request));
        REQUIRE(practice->audit_checkpoint_problem().has_value());
    }
    auto practice = test::open_practice(f.path);
    REQUIRE(practice->audit_checkpoint_problem().has_value());
    // Two opens each recorded the problem: the chain is now longer than the checkpoint's.
    CHECK_THAT(*practice->audit_checkpoint_problem(), ContainsSubstring("was rolled back or rewritten: its row"));
}

TEST_CASE("a checkpoint that was changed, or signed by a key the practice does not know, is reported and not trusted",
          "[audit][checkpoint][attack]") {
    ReadPractice f;
    const fs::path file = f.checkpoint();
    AuditCheckpoint c = *parse_checkpoint(test::read_file(file));

    SECTION("a row count lowered by hand") {
        c.rows -= 1;
        test::write_file(file, checkpoint_text(c));
        auto again = test::open_practice(f.path);
        REQUIRE(again->audit_checkpoint_problem().has_value());
        CHECK_THAT(*again->audit_checkpoint_problem(), ContainsSubstring("does not verify"));
        CHECK_FALSE(services::check_health(*again).ok());
    }
    SECTION("signed by someone else's key") {
        const crypto::SigningKeyPair stranger = crypto::generate_signing_keypair();
        c.public_key = crypto::to_hex(stranger.public_key);
        c.rows = 1000;
        c.signature = crypto::to_hex(crypto::sign(crypto::as_bytes(canonical_checkpoint(c)), stranger.secret_key));
        test::write_file(file, checkpoint_text(c));
        auto again = test::open_practice(f.path);
        REQUIRE(again->audit_checkpoint_problem().has_value());
        CHECK_THAT(*again->audit_checkpoint_problem(), ContainsSubstring("a key this practice does not know"));
        CHECK_FALSE(services::check_health(*again).ok());
        CHECK(rows_of(*again, "checkpoint_problem").size() == 1);
    }
    SECTION("not a checkpoint at all") {
        test::write_file(file, "rows 1000\n");
        auto again = test::open_practice(f.path);
        REQUIRE(again->audit_checkpoint_problem().has_value());
        CHECK_THAT(*again->audit_checkpoint_problem(), ContainsSubstring("is damaged or not a checkpoint"));
    }
}

TEST_CASE("a backup carries a signed checkpoint of the chain it holds, and a rotated-out backup takes its own along",
          "[audit][checkpoint][backup]") {
    ReadPractice f;
    auto practice = test::open_practice(f.path);
    services::BackupPolicy policy;
    policy.enabled = true;
    policy.folder = f.dir / "backups";
    policy.keep = 1;
    const BackupResult first = services::backup_or_throw(*practice, policy);
    const fs::path metadata = services::backup_checkpoint_path(first.file);
    REQUIRE(fs::exists(metadata));
    const AuditCheckpoint c = *parse_checkpoint(test::read_file(metadata));
    // What the backup holds: the chain before the backup's own row.
    const std::vector<AuditEntry> all = services::audit_entries(*practice, AuditFilter::of_action(""));
    REQUIRE(all.front().action == "backup");
    CHECK(c.rows == static_cast<std::int64_t>(all.size()) - 1);
    CHECK(c.head == all[1].hash);
    CHECK_FALSE(checkpoint_trust_problem(practice->trust(), f.uuid, c).has_value());

    services::record_case_opened(*practice, f.couple.id);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // backups are named by the second
    const BackupResult second = services::backup_or_throw(*practice, policy);
    REQUIRE(second.removed == std::vector<fs::path>{first.file});
    CHECK_FALSE(fs::exists(metadata));
    CHECK(fs::exists(services::backup_checkpoint_path(second.file)));
}
