// `attune server add-person` and `attune sync` against a throwaway PostgreSQL
// 15 cluster (issue 21): two clinicians and a supervisor on three practice
// files of one practice, what each may see, what the database refuses, the
// server's audit of every pull, a conflicting note, and a sync killed
// part-way.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <filesystem>
#include <cstdio>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "app/cli_runner.h"
#include "core/sha256.h"
#include "formats/test_media.h"
#include "server/schema_undo.h"
#include "server/throwaway_cluster.h"
#include "services/cases.h"
#include "services/excerpts.h"
#include "services/live_session.h"
#include "services/measures.h"
#include "services/open_practice.h"
#include "services/recordings.h"
#include "services/practice_join.h"
#include "services/practice_sync.h"
#include "services/supervision.h"
#include "support/cli_practice.h"
#include "support/test_support.h"

namespace attune::test {
namespace {


struct Member {
    const char* name;
    const char* file;        // their own practice file
    const char* login;       // their login role on the server
    const char* passphrase;  // their own, for their key slot
    const char* password;    // their login's (letters and digits: no escaping in a URL)
};
const Member kAna{"Ana Ruiz", "ana.db", "ana_ruiz", "correct horse battery ana staple", "AnaServer42pw"};
const Member kBen{"Ben Cole", "ben.db", "ben_cole", "correct horse battery ben staple", "BenServer42pw"};
const Member kSam{"Sam Reyes", "sam.db", "sam_reyes", "correct horse battery sam staple", "SamServer42pw"};

// The practice of tests/support/cli_practice.h (Dr Test, administrator and
// clinician) with Ana and Ben (clinicians) and Sam (supervisor), each with
// their own passphrase; made once per test process.
PreparedPractice& practice_of_four() {
    static PreparedPractice prepared([](const std::filesystem::path& dir) {
        make_cli_practice(dir / "p.db");
        for (const auto& [m, role] : {std::pair{kAna, "clinician"}, {kBen, "clinician"}, {kSam, "supervisor"}}) {
            write_file(dir / (std::string(m.login) + ".pass"), std::string(m.passphrase) + "\n");
            REQUIRE(run_attune("person add --db p.db --name " + shell_quote(m.name) + " --role " + role +
                                   " --new-passphrase-file " + m.login + ".pass",
                               dir)
                        .exit_code == 0);
        }
    });
    return prepared;
}

// A cluster with Attune's schema, the four people's logins, and each of
// Ana, Ben and Sam with a copy of the practice of their own.
struct SyncedPractice {
    ThrowawayCluster cluster;
    TempDir dir;

    SyncedPractice() {
        cluster.make_owner_and_database(false);
        REQUIRE(run_attune("server init --url " + shell_quote(owner_url()), dir.path()).exit_code == 0);
        practice_of_four().copy_to(dir / "admin.db");
        for (const Member& m : {kAna, kBen, kSam}) {
            write_file(dir / (std::string(m.login) + ".pw"), std::string(m.password) + "\n");
            const CliResult added = run_attune("server add-person --db admin.db --url " + shell_quote(owner_url()) +
                                                   " --name " + shell_quote(m.name) + " --new-password-file " +
                                                   m.login + ".pw",
                                               dir.path());
            INFO(added.err);
            REQUIRE(added.exit_code == 0);
            practice_of_four().copy_to(dir / m.file);
            cluster.remember_password(m.login, m.password);
        }
    }

    std::string owner_url() const { return cluster.url(kOwner, kOwnerPassword, kDatabase); }
    std::string url(const Member& m) const { return cluster.url(m.login, m.password, kDatabase); }

    CliResult as(const Member& m, const std::string& args) const {
        return run_attune(args + " --db " + m.file, dir.path(), m.passphrase, m.name);
    }
    CliResult sync(const Member& m) const { return as(m, "sync --url " + shell_quote(url(m))); }
    // What the superuser (row-level security does not apply) counts on the server.
    std::string server_counts() const {
        return cluster.sql(cluster.superuser(), kDatabase,
                           {"SELECT (SELECT count(*) FROM attune.cases) || ' ' || (SELECT count(*) FROM "
                            "attune.sessions) || ' ' || (SELECT count(*) FROM attune.observations) || ' ' || "
                            "(SELECT count(*) FROM attune.signatures)"});
    }
};

// The line of `out` that starts with `prefix`, without its newline; empty when none.
std::string line_of(const std::string& out, const std::string& prefix) {
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(prefix, 0) == 0) return line;
    return "";
}

std::string counts(int cases, int sessions, int observations, int signatures) {
    return std::to_string(cases) + " cases, " + std::to_string(sessions) + " sessions, " +
           std::to_string(observations) + " observations, 0 progress notes, 0 private notes, 0 homework, " +
           std::to_string(signatures) +
           " signatures, 0 addenda, 0 comments, 0 measures, 0 ratings, 0 change-event decisions, 0 pauses, 0 "
           "recordings, 0 excerpts";
}

// Ana's case "Couple 1", supervised by Sam, with a signed session of two observations.
void ana_codes_a_signed_session(const SyncedPractice& p) {
    for (const std::string& args : {std::string("case add --label 'Couple 1' --partners Mia,Leo"),
                                    std::string("case supervisor --case 'Couple 1' --supervisor 'Sam Reyes'"),
                                    std::string("session start --case 'Couple 1'"),
                                    std::string("log --case 'Couple 1' --who A --code protest --at 12.25"),
                                    std::string("log --case 'Couple 1' --who B --code shut_down --at 20.125"),
                                    std::string("session end --case 'Couple 1' --duration 1500.1234567890123"),
                                    std::string("sign --case 'Couple 1' --session 1")}) {
        const CliResult r = p.as(kAna, args);
        INFO(args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
    }
}

}  // namespace

TEST_CASE("a case made offline reaches its supervisor after both sync, never the other clinician", "[server]") {
    SyncedPractice p;
    ana_codes_a_signed_session(p);
    CHECK(p.server_counts() == "0 0 0 0\n");  // offline until Ana syncs

    const CliResult ana = p.sync(kAna);
    INFO(ana.err);
    REQUIRE(ana.exit_code == 0);
    CHECK(line_of(ana.out, "sent: ") == "sent: " + counts(1, 1, 2, 1));
    CHECK(p.server_counts() == "1 1 2 1\n");

    const CliResult sam = p.sync(kSam);
    INFO(sam.err);
    REQUIRE(sam.exit_code == 0);
    CHECK(line_of(sam.out, "new here: ") == "new here: " + counts(1, 1, 2, 1));
    CHECK(line_of(sam.out, "signature: ").empty());
    // In Sam's copy Ana's signature verifies with her certified key.
    const CliResult verified = p.as(kSam, "verify");
    INFO(verified.out << verified.err);
    CHECK(verified.exit_code == 0);
    CHECK(verified.out.find("Ana Ruiz\tsign\tverified") != std::string::npos);

    // Ben's machine reaches the server over TCP, with TLS that checks its certificate.
    const CliResult ben = p.as(kBen, "sync --url " + shell_quote(p.cluster.tls_url(kBen.login, kBen.password, kDatabase)));
    INFO(ben.err);
    REQUIRE(ben.exit_code == 0);
    CHECK(line_of(ben.out, "received: ") == "received: " + counts(0, 0, 0, 0));
    CHECK(p.as(kBen, "case list").out.find("Couple 1") == std::string::npos);

    // Ben's own login, reading the server directly, sees none of it.
    CHECK(p.cluster.sql(kBen.login, kDatabase,
                        {"SELECT count(*) FROM attune.cases", "SELECT count(*) FROM attune.sessions",
                         "SELECT count(*) FROM attune.observations", "SELECT count(*) FROM attune.signatures"}) ==
          "0\n0\n0\n0\n");
    // Ana's own login cannot change the signed session's coding on the server.
    const ThrowawayCluster::SqlResult sealed = p.cluster.run_sql(
        kAna.login, kDatabase, {"UPDATE attune.observations SET code_id = 'blame_shift' WHERE code_id = 'protest'"});
    CHECK(sealed.exit_code != 0);
    CHECK(sealed.out.find("this session is signed: its coding is sealed") != std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT count(*) FROM attune.observations WHERE code_id = 'protest'"}) == "1\n");

    // Syncing again sends nothing and changes nothing: every row travels by uuid.
    const CliResult again = p.sync(kAna);
    REQUIRE(again.exit_code == 0);
    CHECK(line_of(again.out, "sent: ") == "sent: " + counts(0, 0, 0, 0));
    CHECK(line_of(again.out, "new here: ") == "new here: " + counts(0, 0, 0, 0));
    CHECK(p.server_counts() == "1 1 2 1\n");

    // The server's audit has every pull: who, which table, how many rows handed out.
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT login_name || ' ' || entity || ' ' || cardinality(row_uuids) FROM attune.audit_log "
                         "WHERE action = 'pull' AND entity <> 'people' ORDER BY received_at"}) ==
          "ana_ruiz cases 1\nana_ruiz participants 2\nana_ruiz sessions 1\nana_ruiz observations 2\n"
          "ana_ruiz signatures 1\n"
          "sam_reyes cases 1\nsam_reyes participants 2\nsam_reyes sessions 1\nsam_reyes observations 2\n"
          "sam_reyes signatures 1\n");
    // and one row of the people for each of the four pulls (Ana twice, Sam, Ben).
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT login_name || ' ' || count(*) FROM attune.audit_log WHERE action = 'pull' AND "
                         "entity = 'people' GROUP BY login_name ORDER BY login_name"}) ==
          "ana_ruiz 2\nben_cole 1\nsam_reyes 1\n");

    // Sam's copy knows him as the case's supervisor: he co-signs, and Ana receives it verified.
    const CliResult cosign = p.as(kSam, "cosign --case 'Couple 1' --session 1");
    INFO(cosign.err);
    REQUIRE(cosign.exit_code == 0);
    REQUIRE(p.sync(kSam).exit_code == 0);
    CHECK(p.server_counts() == "1 1 2 2\n");
    const CliResult back = p.sync(kAna);
    CHECK(line_of(back.out, "new here: ") == "new here: " + counts(0, 0, 0, 1));
    CHECK(p.as(kAna, "verify").out.find("Sam Reyes\tcosign\tverified") != std::string::npos);
}

TEST_CASE("a signed row changed on the server shows as changed after signing; a copy that has it keeps its own",
          "[server]") {
    SyncedPractice p;
    ana_codes_a_signed_session(p);
    REQUIRE(p.sync(kAna).exit_code == 0);
    REQUIRE(p.sync(kSam).exit_code == 0);
    // The server's superuser changes a sealed observation behind everyone's back.
    p.cluster.sql(p.cluster.superuser(), kDatabase,
                  {"ALTER TABLE attune.observations DISABLE TRIGGER observations_seal",
                   "UPDATE attune.observations SET comment = 'changed on the server' WHERE code_id = 'protest'",
                   "ALTER TABLE attune.observations ENABLE TRIGGER observations_seal"});

    // Sam's copy had the signed version: it is kept, and the difference reported.
    const CliResult sam = p.sync(kSam);
    REQUIRE(sam.exit_code == 0);
    INFO(sam.out);
    CHECK(line_of(sam.out, "conflict: ").find("observation protest at 12.3 s was changed here") != std::string::npos);
    CHECK(p.as(kSam, "verify").exit_code == 0);

    // A new copy of Sam's receives the changed row, and its check names it.
    practice_of_four().copy_to(p.dir / "sam2.db");
    const CliResult fresh =
        run_attune("sync --db sam2.db --url " + shell_quote(p.url(kSam)), p.dir.path(), kSam.passphrase, kSam.name);
    INFO(fresh.err);
    REQUIRE(fresh.exit_code == 0);
    CHECK(line_of(fresh.out, "signature: ").find("Couple 1, session 1: Signed by Ana Ruiz") != std::string::npos);
    CHECK(line_of(fresh.out, "signature: ").find("changed after signing") != std::string::npos);
}

TEST_CASE("two names swapped on the server stop the merge: coding never lands under another person's name",
          "[server]") {
    SyncedPractice p;
    ana_codes_a_signed_session(p);
    REQUIRE(p.sync(kAna).exit_code == 0);
    // Someone who can write the server's people swaps Ana's and Sam's names.
    p.cluster.sql(p.cluster.superuser(), kDatabase,
                  {"UPDATE attune.people SET name = 'swap' WHERE name = 'Ana Ruiz'",
                   "UPDATE attune.people SET name = 'Ana Ruiz' WHERE name = 'Sam Reyes'",
                   "UPDATE attune.people SET name = 'Sam Reyes' WHERE name = 'swap'"});
    const CliResult sam = p.sync(kSam);
    INFO(sam.err);
    CHECK(sam.exit_code == 1);
    CHECK(count_lines(sam.err) == 1);
    CHECK(sam.err.find("gives the name 'Ana Ruiz' to another person than this practice does: nothing was "
                       "received") != std::string::npos);
    CHECK(p.as(kSam, "case list").out.find("Couple 1") == std::string::npos);
}

TEST_CASE("a role granted later reaches the person's copy by sync; a forged statement on the server does not",
          "[server]") {
    SyncedPractice p;
    const auto admin = [&](const std::string& args) { return run_attune(args + " --db admin.db", p.dir.path()); };
    REQUIRE(admin("person grant --name 'Ben Cole' --role supervisor").exit_code == 0);
    REQUIRE(admin("server add-person --url " + shell_quote(p.owner_url()) +
                  " --name 'Ben Cole' --new-password-file ben_cole.pw")
                .exit_code == 0);
    const CliResult ben = p.sync(kBen);
    INFO(ben.out << ben.err);
    REQUIRE(ben.exit_code == 0);
    CHECK(line_of(ben.out, "practice log: ") == "practice log: 1 signed statements taken (keys and roles)");
    const CliResult listed = p.as(kBen, "person list");
    INFO(listed.out);
    CHECK(line_of(listed.out, "Ben Cole").find("supervisor") != std::string::npos);
    // Ben's login is in the supervisors' group now too.
    CHECK(p.cluster.sql(kBen.login, kDatabase, {"SELECT pg_has_role('attune_supervisor', 'MEMBER')"}) == "t\n");

    // The server's superuser adds a statement making Sam an administrator, signed with nothing valid.
    p.cluster.sql(p.cluster.superuser(), kDatabase,
                  {"INSERT INTO attune.practice_log (uuid, sequence, kind, role, person_uuid, signer_uuid, at, "
                   "signature) SELECT gen_random_uuid(), max(l.sequence) + 1, 'grant', 'administrator', (SELECT uuid "
                   "FROM attune.people WHERE name = 'Sam Reyes'), (SELECT uuid FROM attune.people WHERE name = 'Dr "
                   "Test'), '2026-12-03T12:00:00Z', repeat('00', 64) FROM attune.practice_log l"});
    const CliResult sam = p.sync(kSam);
    INFO(sam.out << sam.err);
    REQUIRE(sam.exit_code == 0);
    CHECK(line_of(sam.out, "signature: ").find("the practice's signed log on the server has statements from") !=
          std::string::npos);
    CHECK(line_of(sam.out, "signature: ").find("do not verify after this copy's: none of them was taken") !=
          std::string::npos);
    CHECK(line_of(sam.out, "practice log: ").empty());
    CHECK(line_of(p.as(kSam, "person list").out, "Sam Reyes").find("administrator") == std::string::npos);
}

TEST_CASE("sync refuses another person's login, a server it cannot reach, and changes nothing here", "[server]") {
    SyncedPractice p;
    ana_codes_a_signed_session(p);
    // Ana signed in, with Ben's login.
    const CliResult other = p.as(kAna, "sync --url " + shell_quote(p.url(kBen)));
    CHECK(other.exit_code == 1);
    CHECK(count_lines(other.err) == 1);
    CHECK(other.err.find("the login ben_cole on the practice server") != std::string::npos);
    CHECK(other.err.find("another person than Ana Ruiz") != std::string::npos);
    CHECK(other.err.find(kBen.password) == std::string::npos);
    CHECK(p.server_counts() == "0 0 0 0\n");

    p.cluster.stop();
    const CliResult gone = p.sync(kAna);
    CHECK(gone.exit_code == 1);
    CHECK(gone.out.empty());
    CHECK(count_lines(gone.err) == 1);
    CHECK(gone.err.rfind("attune sync: cannot connect to the practice server: ", 0) == 0);
    CHECK(gone.err.find(kAna.password) == std::string::npos);
    // No URL given and none kept (the ones used carried a password): one line saying so.
    const CliResult none = p.as(kAna, "sync");
    CHECK(none.exit_code == 1);
    CHECK(none.err == "attune sync: no practice server is set for this practice: give its URL once with --url (or "
                      "in Settings)\n");
}

TEST_CASE("conflicting edits of an unsigned note on two machines are kept and reported as bundles do", "[server]") {
    SyncedPractice p;
    for (const std::string& args : {std::string("case add --label 'Couple 2' --partners Ada,Bo"),
                                    std::string("session start --case 'Couple 2'"),
                                    std::string("session end --case 'Couple 2' --duration 600")}) {
        REQUIRE(p.as(kAna, args).exit_code == 0);
    }
    REQUIRE(p.sync(kAna).exit_code == 0);
    // Ana's laptop: a copy of the practice of its own that pulls the case.
    practice_of_four().copy_to(p.dir / "laptop.db");
    const auto sync_laptop = [&] {
        return run_attune("sync --db laptop.db --url " + shell_quote(p.url(kAna)), p.dir.path(), kAna.passphrase,
                          kAna.name);
    };
    REQUIRE(sync_laptop().exit_code == 0);

    // The note written differently on each machine, the laptop's later.
    const auto write_note = [&](const char* file, const char* text) {
        services::OpenRequest request;
        request.path = p.dir / file;
        request.person = kAna.name;
        request.passphrase = services::KeyMaterial(kAna.passphrase);
        auto practice = services::OpenPractice::open(std::move(request));
        const Case c = services::find_case(*practice, "Couple 2");
        const Session s = services::find_session(*practice, c, 1);
        services::LiveSession live(*practice);
        REQUIRE(live.sync(s.id, 0.0));
        live.progress_note.data = text;
        live.progress_note_edited(0.0);
        live.flush_notes();
    };
    write_note("ana.db", "Data written at the office");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // updated_at has whole seconds
    write_note("laptop.db", "Data written on the laptop");

    REQUIRE(sync_laptop().exit_code == 0);  // the laptop's note reaches the server (newer)
    const CliResult office = p.sync(kAna);  // the office pushes its older note: the server keeps the newer one
    INFO(office.out << office.err);
    REQUIRE(office.exit_code == 0);
    // The later note wins everywhere; the office hears that its own was replaced, and keeps it in the history.
    CHECK(line_of(office.out, "conflict: ").rfind("conflict: case Couple 2 session 1: progress note was changed both here", 0) == 0);
    CHECK(line_of(office.out, "conflict: ").find("since the last sync: the later version was kept, this one replaced") !=
          std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {"SELECT data FROM attune.progress_notes"}) ==
          "Data written on the laptop\n");
    const CliResult history = p.as(kAna, "note history --case 'Couple 2' --session 1");
    INFO(history.out << history.err);
    CHECK(history.out.find("Data written at the office") != std::string::npos);
    CHECK(history.out.find("Data written on the laptop") != std::string::npos);

    // The other way round: the office writes later, and reports that it replaced the laptop's.
    write_note("laptop.db", "Laptop, second");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    write_note("ana.db", "Office, second");
    REQUIRE(sync_laptop().exit_code == 0);
    const CliResult later = p.sync(kAna);
    REQUIRE(later.exit_code == 0);
    CHECK(line_of(later.out, "conflict: ").find("case Couple 2 session 1: progress note was changed both here") !=
          std::string::npos);
    CHECK(line_of(later.out, "conflict: ").find("the later version was kept, the other one replaced") !=
          std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {"SELECT data FROM attune.progress_notes"}) ==
          "Office, second\n");
}

TEST_CASE("a sync killed at random points and started again ends with every row once", "[server]") {
    SyncedPractice p;
    REQUIRE(p.as(kAna, "case add --label 'Couple 3' --partners Cy,Di").exit_code == 0);
    REQUIRE(p.as(kAna, "session start --case 'Couple 3'").exit_code == 0);
    const CliResult logged = p.as(kAna, "stress-log --case 'Couple 3' --count 3000");
    REQUIRE(logged.exit_code == 0);
    // One line per press: its observation's id, with "s" when the press stopped a running state instead.
    int observations = 0;
    std::istringstream lines(logged.out);
    for (std::string line; std::getline(lines, line);) observations += !line.empty() && line.back() != 's';
    REQUIRE(observations > 2000);

    std::mt19937 random(20261203);
    const std::string binary = attune_binary().string();
    const std::string url = p.url(kAna);
    for (int attempt = 0; attempt < 4; ++attempt) {
        std::fflush(stdout);  // else the child's freopen writes our buffered output a second time
        std::fflush(stderr);
        const pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            setenv("ATTUNE_PASSPHRASE", kAna.passphrase, 1);
            setenv("ATTUNE_USER", kAna.name, 1);
            if (chdir(p.dir.path().c_str()) != 0) _exit(127);
            freopen("/dev/null", "w", stdout);
            freopen("/dev/null", "w", stderr);
            execl(binary.c_str(), "attune", "sync", "--db", "ana.db", "--url", url.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        // The unlock takes about a second; the sync itself a little more.
        std::this_thread::sleep_for(std::chrono::milliseconds(800 + random() % 1200));
        ::kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
    }
    const CliResult done = p.sync(kAna);
    INFO(done.err);
    REQUIRE(done.exit_code == 0);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT count(*), count(DISTINCT uuid) FROM attune.observations",
                         "SELECT count(*) FROM attune.sessions", "SELECT count(*) FROM attune.participants"}) ==
          std::to_string(observations) + "|" + std::to_string(observations) + "\n1\n2\n");
    const CliResult again = p.sync(kAna);
    REQUIRE(again.exit_code == 0);
    CHECK(line_of(again.out, "sent: ") == "sent: " + counts(0, 0, 0, 0));
}

}  // namespace attune::test

namespace attune::test {

TEST_CASE("twenty machines syncing at once lose no row and make none twice", "[server]") {
    SyncedPractice p;
    constexpr int kMachines = 20;
    // Ana's twenty machines, each in its own folder with a copy of the
    // practice, each with a case of its own made offline.
    const auto on_all = [&](const std::function<CliResult(int)>& run) {
        std::vector<CliResult> results(kMachines);
        std::vector<std::thread> threads;
        for (int i = 0; i < kMachines; ++i) threads.emplace_back([&, i] { results[i] = run(i); });
        for (std::thread& t : threads) t.join();
        return results;
    };
    const auto folder = [&](int i) { return p.dir / ("m" + std::to_string(i)); };
    for (int i = 0; i < kMachines; ++i) {
        std::filesystem::create_directory(folder(i));
        practice_of_four().copy_to(folder(i) / "ana.db");
    }
    const auto as_ana = [&](int i, const std::string& args) {
        return run_attune(args + " --db ana.db", folder(i), kAna.passphrase, kAna.name);
    };
    for (const CliResult& r : on_all([&](int i) {
             const std::string label = "'Couple M" + std::to_string(i) + "'";
             CliResult made = as_ana(i, "case add --label " + label + " --partners Eve,Fin");
             if (made.exit_code == 0) made = as_ana(i, "session start --case " + label);
             if (made.exit_code == 0) made = as_ana(i, "log --case " + label + " --who A --code protest --at 5");
             return made;
         })) {
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }

    const std::string url = shell_quote(p.url(kAna));
    const std::vector<CliResult> synced = on_all([&](int i) { return as_ana(i, "sync --url " + url); });
    for (const CliResult& r : synced) {
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(r.err.empty());
        CHECK(line_of(r.out, "sent: ") == "sent: " + counts(1, 1, 1, 0));
    }
    CHECK(p.server_counts() == "20 20 20 0\n");
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT count(DISTINCT uuid) FROM attune.cases", "SELECT count(*) FROM attune.participants"}) ==
          "20\n40\n");
    // Every machine then has all twenty cases, each once.
    const CliResult last = as_ana(0, "sync --url " + url);
    REQUIRE(last.exit_code == 0);
    const CliResult listed = as_ana(0, "case list");
    int cases = 0;
    for (int i = 0; i < kMachines; ++i)
        cases += listed.out.find("Couple M" + std::to_string(i) + "\t") != std::string::npos;
    CHECK(cases == kMachines);
    CHECK(count_lines(listed.out) == kMachines);
}

namespace {

// What `attune server add-person` tells the administrator to pass on: the
// founding administrator's key fingerprint (run again for `m`: it changes nothing).
std::string fingerprint_to_tell(const SyncedPractice& p, const Member& m) {
    const CliResult r = run_attune("server add-person --db admin.db --url " + shell_quote(p.owner_url()) +
                                       " --name " + shell_quote(m.name) + " --new-password-file " + m.login + ".pw",
                                   p.dir.path());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::string marker = "founding administrator's key to compare: ";
    const std::string line = line_of(r.out, std::string(m.name) + " can now join");
    REQUIRE(line.find(marker) != std::string::npos);
    return line.substr(line.find(marker) + marker.size());
}

CliResult join(const SyncedPractice& p, const Member& login, const std::string& name, const std::string& file,
               const std::string& answer, const std::string& passphrase) {
    return run_attune_answering("join --url " + shell_quote(p.url(login)) + " --name " + shell_quote(name) +
                                    " --db " + file,
                                p.dir.path(), answer, passphrase);
}

// The value of `"member": "..."` in a keyring file's text.
std::string keyring_member(const std::filesystem::path& keyring, const std::string& member) {
    const std::string text = read_file(keyring);
    const std::string key = "\"" + member + "\": \"";
    const auto at = text.find(key);
    if (at == std::string::npos) return "";
    const auto start = at + key.size();
    return text.substr(start, text.find('"', start) - start);
}

}  // namespace

TEST_CASE("a clinician joins from her own machine with her own passphrase and receives only what she may see",
          "[server]") {
    SyncedPractice p;
    ana_codes_a_signed_session(p);
    REQUIRE(p.sync(kAna).exit_code == 0);
    REQUIRE(p.as(kBen, "case add --label 'Couple 2' --partners Eva,Tom").exit_code == 0);
    REQUIRE(p.sync(kBen).exit_code == 0);
    const std::string fingerprint = fingerprint_to_tell(p, kAna);
    CHECK(fingerprint.size() == 44);  // five groups of eight hex digits

    const CliResult joined = join(p, kAna, "Ana Ruiz", "laptop.db", "yes\n", kAna.passphrase);
    INFO(joined.out << joined.err);
    REQUIRE(joined.exit_code == 0);
    CHECK(line_of(joined.out, "founding administrator: ") == "founding administrator: Dr Test");
    CHECK(joined.out.find("their key's fingerprint: " + fingerprint + "\n") != std::string::npos);
    CHECK(line_of(joined.out, "you: ") == "you: Ana Ruiz (login ana_ruiz)");
    CHECK(joined.out.find("joined: laptop.db is Ana Ruiz's own copy of the practice (4 people)\n") !=
          std::string::npos);
    CHECK(line_of(joined.out, "new here: ") == "new here: " + counts(1, 1, 2, 1));
    CHECK(line_of(joined.out, "signature: ").empty());

    // The new file has a data key of its own and one slot: Ana's, with her key pair.
    const auto laptop_keyring = p.dir / "laptop.db.keyring";
    const auto admin_keyring = p.dir / "admin.db.keyring";
    CHECK(keyring_member(laptop_keyring, "practice_uuid") == keyring_member(admin_keyring, "practice_uuid"));
    CHECK(!keyring_member(laptop_keyring, "data_key_check").empty());
    CHECK(keyring_member(laptop_keyring, "data_key_check") != keyring_member(admin_keyring, "data_key_check"));
    CHECK(read_file(laptop_keyring).find("\"kind\": \"recovery\"") == std::string::npos);
    CHECK((std::filesystem::status(p.dir / "laptop.db").permissions() & std::filesystem::perms::group_read) ==
          std::filesystem::perms::none);
    CHECK((std::filesystem::status(laptop_keyring).permissions() & std::filesystem::perms::others_read) ==
          std::filesystem::perms::none);

    // She opens it with her own passphrase: her case, not Ben's; her signature verifies.
    const auto on_laptop = [&](const std::string& args) {
        return run_attune(args + " --db laptop.db", p.dir.path(), kAna.passphrase, kAna.name);
    };
    const CliResult listed = on_laptop("case list");
    CHECK(listed.out.find("Couple 1") != std::string::npos);
    CHECK(listed.out.find("Couple 2") == std::string::npos);
    const CliResult verified = on_laptop("verify");
    INFO(verified.out << verified.err);
    CHECK(verified.exit_code == 0);
    CHECK(verified.out.find("Ana Ruiz\tsign\tverified") != std::string::npos);
    // Nobody else signs in to it. Syncing again moves nothing.
    CHECK(run_attune("case list --db laptop.db", p.dir.path(), kSam.passphrase, kSam.name).exit_code == 2);
    const std::string sync = "sync --url " + shell_quote(p.url(kAna));
    const CliResult again = on_laptop(sync);
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK(line_of(again.out, "new here: ") == "new here: " + counts(0, 0, 0, 0));

    // She codes and signs a session on the laptop; Sam receives it, verified with her certified key.
    for (const std::string& args : {std::string("session start --case 'Couple 1'"),
                                    std::string("log --case 'Couple 1' --who B --code protest --at 3.5"),
                                    std::string("session end --case 'Couple 1' --duration 600"),
                                    std::string("sign --case 'Couple 1' --session 2"), sync}) {
        const CliResult r = on_laptop(args);
        INFO(args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
    }
    REQUIRE(p.sync(kSam).exit_code == 0);
    const CliResult sam = p.as(kSam, "verify");
    INFO(sam.out << sam.err);
    CHECK(sam.exit_code == 0);
    CHECK(sam.out.find("session 2") != std::string::npos);
    CHECK(sam.out.find("changed after signing") == std::string::npos);

    // The server's audit has her reading her key slot, once; the laptop's own audit has the join.
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT login_name || ' ' || entity FROM attune.audit_log WHERE action = 'key_slot_read'"}) ==
          "ana_ruiz key_slots\n");
}

TEST_CASE("join refuses an unconfirmed fingerprint, a wrong passphrase, another person's name or slot, and writes "
          "nothing",
          "[server]") {
    SyncedPractice p;
    const auto nothing_at = [&](const std::string& file) {
        return !std::filesystem::exists(p.dir / file) && !std::filesystem::exists(p.dir / (file + ".keyring"));
    };
    const auto refused = [&](const CliResult& r, const std::string& message, int exit_code = 1) {
        INFO(r.out << r.err);
        CHECK(r.exit_code == exit_code);
        CHECK(r.err == "attune join: " + message + "\n");
        CHECK(r.err.find(kAna.password) == std::string::npos);
    };

    refused(join(p, kAna, "Ana Ruiz", "a.db", "no\n", kAna.passphrase),
            "not joined: the founding administrator's key fingerprint was not confirmed; nothing was written");
    refused(join(p, kAna, "Ana Ruiz", "a.db", "", kAna.passphrase),
            "not joined: the founding administrator's key fingerprint was not confirmed; nothing was written");
    refused(join(p, kAna, "Ana Ruiz", "a.db", "yes\n", kBen.passphrase), "the passphrase for Ana Ruiz is not right",
            2);
    const std::string where = "database \"practice\" on " + p.cluster.socket_dir().string() + ", port " +
                              std::to_string(p.cluster.port());
    refused(join(p, kAna, "Ben Cole", "a.db", "yes\n", kBen.passphrase),
            "the login ana_ruiz on the practice server (" + where +
                ") is Ana Ruiz's, not Ben Cole's: join with your own name and login");
    CHECK(nothing_at("a.db"));
    // A file already there is never replaced.
    refused(join(p, kAna, "Ana Ruiz", kBen.file, "yes\n", kAna.passphrase),
            "there is already a file at ben.db: joining makes a new one (give another --db); nothing was changed");
    CHECK(run_attune("case list --db ben.db", p.dir.path(), kBen.passphrase, kBen.name).exit_code == 0);

    // Each login reads its own key slot and no one else's.
    CHECK(p.cluster.sql(kBen.login, kDatabase,
                        {"SELECT count(*) FROM attune.key_slots",
                         "SELECT count(*) FROM attune.key_slots WHERE person_uuid <> attune.me()"}) == "1\n0\n");
    const ThrowawayCluster::SqlResult write = p.cluster.run_sql(
        kBen.login, kDatabase, {"UPDATE attune.key_slots SET keyring = keyring || ' ' WHERE true"});
    CHECK(write.exit_code != 0);
    CHECK(write.out.find("permission denied for table key_slots") != std::string::npos);

    // The server's superuser gives Ana Ben's slot: it is not hers, and does not open as hers.
    p.cluster.sql(p.cluster.superuser(), kDatabase,
                  {"UPDATE attune.key_slots SET keyring = (SELECT k.keyring FROM attune.key_slots k JOIN "
                   "attune.person_role r ON r.person_uuid = k.person_uuid WHERE r.login_name = 'ben_cole') WHERE "
                   "person_uuid = (SELECT person_uuid FROM attune.person_role WHERE login_name = 'ana_ruiz')"});
    refused(join(p, kAna, "Ana Ruiz", "a.db", "yes\n", kBen.passphrase),
            "the key slot the practice server (" + where + ") gives Ana Ruiz is not theirs alone: nothing was written");
    // Without a slot: the administrator is asked to publish it.
    p.cluster.sql(p.cluster.superuser(), kDatabase,
                  {"DELETE FROM attune.key_slots WHERE person_uuid = (SELECT person_uuid FROM attune.person_role "
                   "WHERE login_name = 'ana_ruiz')"});
    refused(join(p, kAna, "Ana Ruiz", "a.db", "yes\n", kAna.passphrase),
            "the practice server (" + where +
                ") has no key slot for Ana Ruiz: ask an administrator to run attune server add-person --name 'Ana "
                "Ruiz' again with this Attune");
    CHECK(nothing_at("a.db"));
}


const Member kCora{"Cora Diaz", "cora.db", "cora_diaz", "correct horse battery cora staple", "CoraServer42pw"};

// The administrator adds Cora, a coder, to the practice and the server; Ana's
// copy then learns of her (her key and role) from a sync.
void add_coder_cora(const SyncedPractice& p) {
    write_file(p.dir / "cora.pass", std::string(kCora.passphrase) + "\n");
    write_file(p.dir / "cora.pw", std::string(kCora.password) + "\n");
    REQUIRE(run_attune("person add --db admin.db --name 'Cora Diaz' --role coder --new-passphrase-file cora.pass",
                       p.dir.path())
                .exit_code == 0);
    REQUIRE(run_attune("server add-person --db admin.db --url " + shell_quote(p.owner_url()) +
                           " --name 'Cora Diaz' --new-password-file cora.pw",
                       p.dir.path())
                .exit_code == 0);
    p.cluster.remember_password(kCora.login, kCora.password);
    REQUIRE(p.sync(kAna).exit_code == 0);
}

// Cora, added as above, is assigned session 1 of Ana's case `label` and joins with a copy of her own.
void cora_joins_for_session_one(const SyncedPractice& p, const std::string& label) {
    add_coder_cora(p);
    REQUIRE(p.as(kAna, "session assign --case " + shell_quote(label) + " --session 1 --coder 'Cora Diaz'").exit_code ==
            0);
    REQUIRE(p.sync(kAna).exit_code == 0);
    const CliResult joined = join(p, kCora, "Cora Diaz", kCora.file, "yes\n", kCora.passphrase);
    INFO(joined.out << joined.err);
    REQUIRE(joined.exit_code == 0);
}

// Each of `commands` run as `m` succeeds.
void run_all_as(const SyncedPractice& p, const Member& m, const std::vector<std::string>& commands) {
    for (const std::string& args : commands) {
        const CliResult r = p.as(m, args);
        INFO(m.name << ": " << args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
    }
}

TEST_CASE("a sync that cannot reach the server says how many changes made here wait for the next one: those made "
          "offline, never those a sync sent or received",
          "[server][waiting]") {
    SyncedPractice p;
    ana_codes_a_signed_session(p);
    const std::string nowhere =
        "sync --url " + shell_quote("postgresql:///attune?host=" + (p.dir / "nowhere").string());
    const auto offline = [&](const Member& m, const std::string& waiting) {
        const CliResult r = p.as(m, nowhere);
        INFO(m.name << " expects " << waiting << ": " << r.out << r.err);
        CHECK(r.exit_code == 1);
        CHECK(count_lines(r.err) == 1);
        CHECK(r.err.rfind("attune sync: cannot connect to the practice server", 0) == 0);
        CHECK(r.err.find(" (" + waiting + ")\n") != std::string::npos);
    };
    // Times are whole seconds, and a row stamped in the second a sync begins
    // still counts after it (high, never low): a sync whose count is checked
    // begins in a second after the last row written before it.
    const auto next_second = [] { test::wait_for_next_second(); };
    // Never synced: all of it waits (the case, its session, two observations, the signature).
    offline(kAna, "5 changes made here are waiting to be sent");
    next_second();
    const CliResult ana = p.sync(kAna);
    INFO(ana.out << ana.err);
    REQUIRE(ana.exit_code == 0);
    CHECK(line_of(ana.out, "sent: ") == "sent: " + counts(1, 1, 2, 1));
    offline(kAna, "no changes made here are waiting to be sent");

    // Sam receives the case and comments on the session; Ana receives the
    // comment: it is the server's, not a change of Ana's waiting to be sent.
    REQUIRE(p.sync(kSam).exit_code == 0);
    REQUIRE(p.as(kSam, "comment --case 'Couple 1' --session 1 --at 12 --text 'her protest'").exit_code == 0);
    offline(kSam, "1 change made here is waiting to be sent");
    REQUIRE(p.sync(kSam).exit_code == 0);
    next_second();
    const CliResult received = p.sync(kAna);
    REQUIRE(received.exit_code == 0);
    CHECK(line_of(received.out, "new here: ").find(", 1 comments, ") != std::string::npos);
    offline(kAna, "no changes made here are waiting to be sent");

    // Made offline: a second couple and its first session.
    run_all_as(p, kAna, {"case add --label 'Couple 2' --partners Ida,Tom", "session start --case 'Couple 2'"});
    offline(kAna, "2 changes made here are waiting to be sent");
    offline(kAna, "2 changes made here are waiting to be sent");  // trying again sends nothing, loses nothing
    next_second();
    const CliResult sent = p.sync(kAna);
    REQUIRE(sent.exit_code == 0);
    CHECK(line_of(sent.out, "sent: ") == "sent: " + counts(1, 1, 0, 0));
    offline(kAna, "no changes made here are waiting to be sent");
}

TEST_CASE("a share and a coder assignment made offline reach the server and the people they name", "[server]") {
    SyncedPractice p;
    ana_codes_a_signed_session(p);
    add_coder_cora(p);
    const Member& cora = kCora;

    for (const std::string& args : {std::string("case share --case 'Couple 1' --with 'Ben Cole'"),
                                    std::string("session assign --case 'Couple 1' --session 1 --coder 'Cora Diaz'")}) {
        const CliResult r = p.as(kAna, args);
        INFO(args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
    }
    CHECK(p.as(kBen, "case list").out.find("Couple 1") == std::string::npos);
    const CliResult ana = p.sync(kAna);
    INFO(ana.out << ana.err);
    REQUIRE(ana.exit_code == 0);
    CHECK(line_of(ana.out, "shares and coder assignments: ") == "shares and coder assignments: 2 sent, 0 new here");
    // The database now lets Ben read the case, and Cora the session, and nothing more.
    CHECK(p.cluster.sql(kBen.login, kDatabase,
                        {"SELECT count(*) FROM attune.cases", "SELECT count(*) FROM attune.case_shares"}) == "1\n1\n");
    CHECK(p.cluster.sql(cora.login, kDatabase,
                        {"SELECT count(*) FROM attune.sessions", "SELECT count(*) FROM attune.coder_assignments",
                         "SELECT count(*) FROM attune.observations"}) == "1\n1\n0\n");
    const ThrowawayCluster::SqlResult notes =
        p.cluster.run_sql(cora.login, kDatabase, {"SELECT count(*) FROM attune.progress_notes"});
    CHECK(notes.exit_code != 0);
    CHECK(notes.out.find("permission denied for table progress_notes") != std::string::npos);
    const ThrowawayCluster::SqlResult forged = p.cluster.run_sql(
        kBen.login, kDatabase,
        {"INSERT INTO attune.case_shares (uuid, case_uuid, person_uuid, granted_by, created_at) SELECT "
         "gen_random_uuid(), c.uuid, r.person_uuid, r.person_uuid, 'now' FROM attune.cases c, attune.person_role r "
         "WHERE r.login_name = 'ben_cole'"});
    CHECK(forged.exit_code != 0);
    CHECK(forged.out.find("only the case's clinician may share it") != std::string::npos);

    // Ben receives the whole case, the share that lets his copy show it, and
    // (a clinician of the case now) who codes its session.
    const CliResult ben = p.sync(kBen);
    INFO(ben.out << ben.err);
    REQUIRE(ben.exit_code == 0);
    CHECK(line_of(ben.out, "new here: ") == "new here: " + counts(1, 1, 2, 1));
    CHECK(line_of(ben.out, "shares and coder assignments: ") == "shares and coder assignments: 0 sent, 2 new here");
    CHECK(p.as(kBen, "case list").out.find("Couple 1") != std::string::npos);
    // Sam, the supervisor, receives the assignment; a second sync moves nothing.
    const CliResult sam = p.sync(kSam);
    CHECK(line_of(sam.out, "shares and coder assignments: ") == "shares and coder assignments: 0 sent, 1 new here");
    const CliResult again = p.sync(kAna);
    CHECK(line_of(again.out, "shares and coder assignments: ").empty());
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT count(*) FROM attune.case_shares", "SELECT count(*) FROM attune.coder_assignments",
                         "SELECT string_agg(login_name || ' ' || entity, ',' ORDER BY login_name, entity) FROM "
                         "attune.audit_log WHERE action = 'pull' AND entity IN ('case_shares', 'coder_assignments') "
                         "AND login_name <> 'ana_ruiz'"}) ==
          "1\n1\nben_cole case_shares,ben_cole coder_assignments,sam_reyes coder_assignments\n");

    // Only Ana takes the share back: Ben can neither in his copy nor on the server.
    const CliResult ben_unshares = p.as(kBen, "case unshare --case 'Couple 1' --with 'Ben Cole'");
    CHECK(ben_unshares.exit_code == 1);
    CHECK(ben_unshares.err.find("only the case's clinician stops sharing it") != std::string::npos);
    p.cluster.sql(kBen.login, kDatabase, {"DELETE FROM attune.case_shares"});
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {"SELECT count(*) FROM attune.case_shares"}) == "1\n");
    const CliResult not_shared = p.as(kAna, "case unshare --case 'Couple 1' --with 'Sam Reyes'");
    CHECK(not_shared.exit_code == 1);
    CHECK(not_shared.err.find("Couple 1 is not shared with 'Sam Reyes'") != std::string::npos);

    // Taken back offline, then on the server by Ana's sync, then in Ben's copy by his.
    REQUIRE(p.as(kAna, "case unshare --case 'Couple 1' --with 'Ben Cole'").exit_code == 0);
    const CliResult taken = p.sync(kAna);
    INFO(taken.out << taken.err);
    REQUIRE(taken.exit_code == 0);
    CHECK(line_of(taken.out, "shares and coder assignments taken back: ") ==
          "shares and coder assignments taken back: 1 on the server, 0 here");
    CHECK(p.cluster.sql(kBen.login, kDatabase,
                        {"SELECT count(*) FROM attune.cases", "SELECT count(*) FROM attune.case_shares"}) == "0\n0\n");
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT string_agg(login_name || ' ' || entity || ' ' || detail, ',') FROM attune.audit_log "
                         "WHERE action = 'unshare'"}) ==
          "ana_ruiz case_shares with=" + p.cluster.sql(p.cluster.superuser(), kDatabase,
                                                       {"SELECT uuid FROM attune.people WHERE name = 'Ben Cole'"}));
    const CliResult ben_after = p.sync(kBen);
    INFO(ben_after.out << ben_after.err);
    REQUIRE(ben_after.exit_code == 0);
    // The share, and Cora's assignment on the case he no longer reads.
    CHECK(line_of(ben_after.out, "shares and coder assignments taken back: ") ==
          "shares and coder assignments taken back: 0 on the server, 2 here");
    CHECK(p.as(kBen, "case list").out.find("Couple 1") == std::string::npos);
    // The tombstone is spent, and moves nothing more; sharing again revives the share everywhere.
    CHECK(line_of(p.sync(kAna).out, "shares and coder assignments taken back: ").empty());
    REQUIRE(p.as(kAna, "case share --case 'Couple 1' --with 'Ben Cole'").exit_code == 0);
    CHECK(line_of(p.sync(kAna).out, "shares and coder assignments: ") ==
          "shares and coder assignments: 1 sent, 0 new here");
    CHECK(line_of(p.sync(kBen).out, "shares and coder assignments: ") ==
          "shares and coder assignments: 0 sent, 2 new here");
    CHECK(p.as(kBen, "case list").out.find("Couple 1") != std::string::npos);

    // The assignment taken back: on the server by Ana's sync, in Cora's copy by hers.
    const CliResult cora_joins = join(p, cora, "Cora Diaz", cora.file, "yes\n", cora.passphrase);
    INFO(cora_joins.out << cora_joins.err);
    REQUIRE(cora_joins.exit_code == 0);
    CHECK(p.as(cora, "case list").out.find("Couple 1") != std::string::npos);
    const CliResult wrong = p.as(kAna, "session unassign --case 'Couple 1' --session 1 --coder 'Ben Cole'");
    CHECK(wrong.exit_code == 1);
    CHECK(wrong.err.find("session 1 of Couple 1 is not assigned to 'Ben Cole'") != std::string::npos);
    REQUIRE(p.as(kAna, "session unassign --case 'Couple 1' --session 1 --coder 'Cora Diaz'").exit_code == 0);
    const CliResult unassigned = p.sync(kAna);
    INFO(unassigned.out << unassigned.err);
    CHECK(line_of(unassigned.out, "shares and coder assignments taken back: ") ==
          "shares and coder assignments taken back: 1 on the server, 0 here");
    CHECK(p.cluster.sql(cora.login, kDatabase,
                        {"SELECT count(*) FROM attune.sessions", "SELECT count(*) FROM attune.coder_assignments",
                         "SELECT count(*) FROM attune.cases"}) == "0\n0\n0\n");
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT count(*) FROM attune.audit_log WHERE action = 'unassign' AND login_name = "
                         "'ana_ruiz'"}) == "1\n");
    const CliResult cora_after = p.sync(cora);
    INFO(cora_after.out << cora_after.err);
    REQUIRE(cora_after.exit_code == 0);
    CHECK(line_of(cora_after.out, "shares and coder assignments taken back: ") ==
          "shares and coder assignments taken back: 0 on the server, 1 here");
    CHECK(p.as(cora, "case list").out.find("Couple 1") == std::string::npos);

    // The supervisor's copy and the sharing clinician's lose it too when they sync.
    for (const Member* m : {&kSam, &kBen}) {
        const CliResult after = p.sync(*m);
        INFO(m->name << ": " << after.out << after.err);
        REQUIRE(after.exit_code == 0);
        CHECK(line_of(after.out, "shares and coder assignments taken back: ") ==
              "shares and coder assignments taken back: 0 on the server, 1 here");
    }
    const CliResult sam_unassigns = p.as(kSam, "session unassign --case 'Couple 1' --session 1 --coder 'Cora Diaz'");
    CHECK(sam_unassigns.exit_code == 1);
    CHECK(sam_unassigns.err.find("session 1 of Couple 1 is not assigned to 'Cora Diaz'") != std::string::npos);
}

TEST_CASE(
    "a supervisor's coder assignment reaches the server in their name and the coder; the clinician or the "
    "supervisor takes it back everywhere",
    "[server]") {
    SyncedPractice p;
    for (const std::string& args : {std::string("case add --label 'Couple 7' --partners Ada,Bo"),
                                    std::string("case supervisor --case 'Couple 7' --supervisor 'Sam Reyes'"),
                                    std::string("session start --case 'Couple 7'"),
                                    std::string("session end --case 'Couple 7' --duration 900")}) {
        const CliResult r = p.as(kAna, args);
        INFO(args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
    }
    add_coder_cora(p);  // Ana's sync sends the case
    REQUIRE(p.sync(kSam).exit_code == 0);
    const std::string assign = "session assign --case 'Couple 7' --session 1 --coder 'Cora Diaz'";
    const std::string unassign = "session unassign --case 'Couple 7' --session 1 --coder 'Cora Diaz'";
    const auto moved = [&](const Member& m, const char* line) {
        const CliResult r = p.sync(m);
        INFO(m.name << ": " << r.out << r.err);
        REQUIRE(r.exit_code == 0);
        return line_of(r.out, line);
    };
    const char* kGiven = "shares and coder assignments: ";
    const char* kTaken = "shares and coder assignments taken back: ";
    const std::string on_server =
        "SELECT coalesce(string_agg(p.name, ','), 'none') FROM attune.coder_assignments a "
        "JOIN attune.people p ON p.uuid = a.assigned_by";

    // Sam, the supervisor, assigns the session to Cora offline: his sync sends it in his name.
    REQUIRE(p.as(kSam, assign).exit_code == 0);
    CHECK(moved(kSam, kGiven) == "shares and coder assignments: 1 sent, 0 new here");
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {on_server}) == "Sam Reyes\n");
    // The database refuses one in another's name, and Ben's (no supervisor of the case) outright.
    const std::string forged =
        "INSERT INTO attune.coder_assignments (uuid, session_uuid, case_uuid, person_uuid, assigned_by, created_at) "
        "SELECT gen_random_uuid(), s.uuid, s.case_uuid, p.uuid, c.clinician_uuid, 'now' FROM attune.sessions s JOIN "
        "attune.cases c ON c.uuid = s.case_uuid, attune.people p WHERE p.name = 'Ben Cole'";
    const ThrowawayCluster::SqlResult in_anas_name = p.cluster.run_sql(kSam.login, kDatabase, {forged});
    CHECK(in_anas_name.exit_code != 0);
    CHECK(in_anas_name.out.find("violates row-level security policy") != std::string::npos);
    CHECK(p.cluster.sql(kBen.login, kDatabase,
                        {"DELETE FROM attune.coder_assignments RETURNING uuid",
                         "SELECT count(*) FROM "
                         "attune.sessions"}) == "0\n");
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {on_server}) == "Sam Reyes\n");
    // Cora's copy receives the session; Ana's the assignment.
    const CliResult joined = join(p, kCora, "Cora Diaz", kCora.file, "yes\n", kCora.passphrase);
    INFO(joined.out << joined.err);
    REQUIRE(joined.exit_code == 0);
    CHECK(line_of(joined.out, kGiven) == "shares and coder assignments: 0 sent, 1 new here");
    CHECK(p.as(kCora, "case list").out.find("Couple 7") != std::string::npos);
    CHECK(moved(kAna, kGiven) == "shares and coder assignments: 0 sent, 1 new here");

    // Ana takes it back: on the server at her sync, then in Sam's copy and Cora's at theirs.
    REQUIRE(p.as(kAna, unassign).exit_code == 0);
    CHECK(moved(kAna, kTaken) == "shares and coder assignments taken back: 1 on the server, 0 here");
    CHECK(moved(kSam, kTaken) == "shares and coder assignments taken back: 0 on the server, 1 here");
    CHECK(moved(kCora, kTaken) == "shares and coder assignments taken back: 0 on the server, 1 here");
    CHECK(p.as(kCora, "case list").out.find("Couple 7") == std::string::npos);

    // Sam assigns it again later: Ana's taking back is spent and does not take his new one.
    REQUIRE(p.as(kSam, assign).exit_code == 0);
    CHECK(moved(kSam, kGiven) == "shares and coder assignments: 1 sent, 0 new here");
    CHECK(moved(kAna, kTaken).empty());
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {on_server}) == "Sam Reyes\n");
    // Sam takes it back himself: on the server, and in Ana's copy too, which never sends it again.
    REQUIRE(p.as(kSam, unassign).exit_code == 0);
    CHECK(moved(kSam, kTaken) == "shares and coder assignments taken back: 1 on the server, 0 here");
    CHECK(moved(kAna, kTaken) == "shares and coder assignments taken back: 0 on the server, 1 here");
    CHECK(moved(kAna, kGiven).empty());
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {on_server,
                         "SELECT string_agg(login_name, ',' ORDER BY received_at) FROM attune.audit_log WHERE "
                         "action = 'unassign'"}) == "none\nana_ruiz,sam_reyes\n");
    const CliResult ana_unassigns = p.as(kAna, unassign);
    CHECK(ana_unassigns.exit_code == 1);
    CHECK(ana_unassigns.err.find("is not assigned to 'Cora Diaz'") != std::string::npos);
}

namespace {

// Opens `file` as `m` for services calls.
std::unique_ptr<services::OpenPractice> open_as(const SyncedPractice& p, const Member& m, const char* file) {
    services::OpenRequest request;
    request.path = p.dir / file;
    request.person = m.name;
    request.passphrase = services::KeyMaterial(m.passphrase);
    return services::OpenPractice::open(std::move(request));
}

// The homework agreed in session `number` of case `label` in m's copy: "description=state" lines.
std::string homework_seen(const SyncedPractice& p, const Member& m, const char* label, int number) {
    auto practice = open_as(p, m, m.file);
    const Case c = services::find_case(*practice, label);
    services::LiveSession live(*practice);
    REQUIRE(live.sync(services::find_session(*practice, c, number).id, 0.0));
    std::string out;
    for (const Homework& h : live.homework_agreed())
        out += h.description + "=" + (h.done ? (*h.done ? "done" : "not done") : "open") + "\n";
    return out;
}

}  // namespace

TEST_CASE("homework agreed and checked off offline reaches the case's supervisor; the database refuses it to others",
          "[server]") {
    SyncedPractice p;
    for (const std::string& args : {std::string("case add --label 'Couple 3' --partners Ida,Tom"),
                                    std::string("case supervisor --case 'Couple 3' --supervisor 'Sam Reyes'"),
                                    std::string("session start --case 'Couple 3'"),
                                    std::string("session end --case 'Couple 3' --duration 900"),
                                    std::string("session start --case 'Couple 3'")}) {
        const CliResult r = p.as(kAna, args);
        INFO(args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
    }
    {
        auto practice = open_as(p, kAna, kAna.file);
        const Case c = services::find_case(*practice, "Couple 3");
        services::LiveSession live(*practice);
        REQUIRE(live.sync(services::find_session(*practice, c, 1).id, 0.0));
        live.add_homework("Ten minutes of check-in each evening");
        live.add_homework("One weekly walk without phones");
        REQUIRE(live.homework_agreed().size() == 2);
    }
    const CliResult first = p.sync(kAna);
    INFO(first.out << first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(line_of(first.out, "sent: ").find(", 2 homework,") != std::string::npos);
    // Checked off at the second session, offline; only the check-off moves at the next sync.
    {
        auto practice = open_as(p, kAna, kAna.file);
        const Case c = services::find_case(*practice, "Couple 3");
        services::LiveSession live(*practice);
        REQUIRE(live.sync(services::find_session(*practice, c, 2).id, 0.0));
        REQUIRE(live.homework_before().size() == 2);
        live.set_homework_done(live.homework_before()[0].id, true);
    }
    const CliResult second = p.sync(kAna);
    INFO(second.out << second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(line_of(second.out, "sent: ").find(", 1 homework,") != std::string::npos);
    CHECK(line_of(p.sync(kAna).out, "sent: ").find(", 0 homework,") != std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT string_agg(description || '=' || coalesce(done::text, 'open'), ',' ORDER BY "
                         "description) FROM attune.homework"}) ==
          "One weekly walk without phones=open,Ten minutes of check-in each evening=true\n");

    // Sam, the supervisor, receives both items as Ana left them, and his pull is audited.
    const CliResult sam = p.sync(kSam);
    INFO(sam.out << sam.err);
    REQUIRE(sam.exit_code == 0);
    CHECK(line_of(sam.out, "new here: ").find(", 2 homework,") != std::string::npos);
    CHECK(homework_seen(p, kSam, "Couple 3", 1) ==
          "Ten minutes of check-in each evening=done\nOne weekly walk without phones=open\n");
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT count(*) FROM attune.audit_log WHERE action = 'pull' AND entity = 'homework' AND "
                         "login_name = 'sam_reyes' AND cardinality(row_uuids) = 2"}) == "1\n");

    // Ben reads none of it; neither he nor Sam can add an item or check one off.
    CHECK(p.cluster.sql(kBen.login, kDatabase, {"SELECT count(*) FROM attune.homework"}) == "0\n");
    const ThrowawayCluster::SqlResult ben_adds = p.cluster.run_sql(
        kBen.login, kDatabase,
        {"INSERT INTO attune.homework (uuid, case_uuid, session_uuid, description, created_at) SELECT "
         "gen_random_uuid(), case_uuid, uuid, 'forged', 'now' FROM attune.sessions"});
    CHECK(ben_adds.exit_code == 0);  // he sees no session to hang it on
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {"SELECT count(*) FROM attune.homework"}) == "2\n");
    const ThrowawayCluster::SqlResult ben_forges = p.cluster.run_sql(
        kBen.login, kDatabase,
        {"INSERT INTO attune.homework (uuid, case_uuid, session_uuid, description, created_at) VALUES "
         "(gen_random_uuid(), '" + p.cluster.sql(p.cluster.superuser(), kDatabase,
                                                 {"SELECT uuid FROM attune.cases"}).substr(0, 36) +
         "', '" + p.cluster.sql(p.cluster.superuser(), kDatabase,
                                {"SELECT uuid FROM attune.sessions WHERE number = 1"}).substr(0, 36) +
         "', 'forged', 'now')"});
    CHECK(ben_forges.exit_code != 0);
    CHECK(ben_forges.out.find("row-level security") != std::string::npos);
    const ThrowawayCluster::SqlResult sam_checks =
        p.cluster.run_sql(kSam.login, kDatabase, {"UPDATE attune.homework SET done = false"});
    CHECK(sam_checks.exit_code != 0);
    CHECK(sam_checks.out.find("permission denied for table homework") != std::string::npos);
    // Checked off differently on Ana's laptop and at the office: the first to
    // reach the server stays there, and the other machine hears of it.
    practice_of_four().copy_to(p.dir / "laptop.db");
    const auto sync_laptop = [&] {
        return run_attune("sync --db laptop.db --url " + shell_quote(p.url(kAna)), p.dir.path(), kAna.passphrase,
                          kAna.name);
    };
    REQUIRE(sync_laptop().exit_code == 0);
    const auto check_off_walk = [&](const char* file, bool done) {
        auto practice = open_as(p, kAna, file);
        const Case c = services::find_case(*practice, "Couple 3");
        services::LiveSession live(*practice);
        REQUIRE(live.sync(services::find_session(*practice, c, 2).id, 0.0));
        REQUIRE(live.homework_before().size() == 1);
        live.set_homework_done(live.homework_before()[0].id, done);
    };
    check_off_walk("laptop.db", false);
    check_off_walk(kAna.file, true);
    REQUIRE(sync_laptop().exit_code == 0);
    const CliResult office = p.sync(kAna);
    INFO(office.out << office.err);
    REQUIRE(office.exit_code == 0);
    CHECK(line_of(office.out, "conflict: ") ==
          "conflict: case Couple 3: homework 'One weekly walk without phones' is checked off differently here: this "
          "database's version was kept");
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT done FROM attune.homework WHERE description LIKE 'One weekly%'"}) == "f\n");

    // The tables a pull may record are the server's list, which no person can add to.
    const ThrowawayCluster::SqlResult unknown = p.cluster.run_sql(
        kBen.login, kDatabase, {"SELECT attune.record_pull('audit_log', '{}'::uuid[], 0, 0)"});
    CHECK(unknown.exit_code != 0);
    CHECK(unknown.out.find("record_pull: unknown table audit_log") != std::string::npos);
    const ThrowawayCluster::SqlResult listed =
        p.cluster.run_sql(kBen.login, kDatabase, {"INSERT INTO attune.pulled_tables VALUES ('audit_log')"});
    CHECK(listed.exit_code != 0);
    CHECK(listed.out.find("permission denied for table pulled_tables") != std::string::npos);
    // Ana herself may check items off on the server, not rewrite what was agreed.
    const ThrowawayCluster::SqlResult ana_flips = p.cluster.run_sql(
        kAna.login, kDatabase,
        {"UPDATE attune.homework SET description = 'changed'"});
    CHECK(ana_flips.exit_code != 0);
    CHECK(ana_flips.out.find("permission denied for table homework") != std::string::npos);
}

TEST_CASE("couple-reported measures and the practice's own instrument reach the supervisor; a removal follows; the "
          "database refuses them to others",
          "[server]") {
    SyncedPractice p;
    for (const std::string& args : {std::string("case add --label 'Couple 4' --partners Eva,Max"),
                                    std::string("case supervisor --case 'Couple 4' --supervisor 'Sam Reyes'"),
                                    std::string("session start --case 'Couple 4'"),
                                    std::string("session end --case 'Couple 4' --duration 900")}) {
        const CliResult r = p.as(kAna, args);
        INFO(args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
    }
    RowId ors_id = 0;
    {
        auto practice = open_as(p, kAna, kAna.file);
        write_file(p.dir / "scale.json",
                   R"({"format": "attune-instrument", "format_version": 1, "id": "practice_scale",
                     "name": "Practice scale", "validated": false, "item_count": 2, "score_decimals": 0,
                     "items": [{"min": 0, "max": 4}, {"min": 1, "max": 5}], "higher_is_better": true,
                     "total": {"min": 1, "max": 9}, "clinical_cutoff": 4.5,
                     "reliable_change": {"threshold_points": 3}, "direct_total": false})");
        services::add_instrument_file(*practice, p.dir / "scale.json");
        const Case c = services::find_case(*practice, "Couple 4");
        Measure ors;
        ors.case_id = c.id;
        ors.partner = Who::A;
        ors.instrument_id = "ors";
        ors.date = "2026-11-02";
        ors.session_id = services::find_session(*practice, c, 1).id;
        ors.entered_total = 22.5;
        ors_id = services::add_measure(*practice, ors).id;
        Measure own = ors;
        own.partner = Who::B;
        own.instrument_id = "practice_scale";
        own.entered_total.reset();
        own.items = {3, 5};
        services::add_measure(*practice, own);
    }
    const CliResult ana = p.sync(kAna);
    INFO(ana.out << ana.err);
    REQUIRE(ana.exit_code == 0);
    CHECK(line_of(ana.out, "sent: ").find(", 2 measures") != std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT string_agg(instrument_id || ' ' || partner || ' ' || coalesce(items, '') || ' ' || "
                         "coalesce(entered_total::text, '') || ' ' || (session_uuid IS NOT NULL), ',' ORDER BY "
                         "arrival) FROM attune.measures",
                         "SELECT id FROM attune.instruments"}) ==
          "ors A  22.5 true,practice_scale B [3.0,5.0]  true\npractice_scale\n");

    // Sam reads both, scored with the practice's file his copy now has.
    const CliResult sam = p.sync(kSam);
    INFO(sam.out << sam.err);
    REQUIRE(sam.exit_code == 0);
    CHECK(line_of(sam.out, "new here: ").find(", 2 measures") != std::string::npos);
    const auto measures_of = [&](const Member& m) {
        auto practice = open_as(p, m, m.file);
        const CaseMeasures all =
            services::case_measures(*practice, services::find_case(*practice, "Couple 4").id);
        std::string out;
        for (const Measure& x : all.administrations)
            out += x.instrument_id + " " + std::string(to_string(x.partner)) + " session " +
                   (x.session_number ? std::to_string(*x.session_number) : "-") + " total " +
                   (measure_total(x) ? std::to_string(*measure_total(x)).substr(0, 4) : "-") + "\n";
        return out;
    };
    CHECK(measures_of(kSam) == "ors A session 1 total 22.5\npractice_scale B session 1 total 8.00\n");
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT count(*) FROM attune.audit_log WHERE action = 'pull' AND entity = 'measures' AND "
                         "login_name = 'sam_reyes' AND cardinality(row_uuids) = 2"}) == "1\n");

    // Ben and Cora read none; Ben cannot put one on Ana's case, nor Sam change one, nor Ana a stored file.
    CHECK(p.cluster.sql(kBen.login, kDatabase, {"SELECT count(*) FROM attune.measures"}) == "0\n");
    const ThrowawayCluster::SqlResult ben_forges = p.cluster.run_sql(
        kBen.login, kDatabase,
        {"INSERT INTO attune.measures (uuid, case_uuid, partner, instrument_id, date, entered_total, entered_by, "
         "created_at, updated_at) SELECT gen_random_uuid(), '" +
         p.cluster.sql(p.cluster.superuser(), kDatabase, {"SELECT uuid FROM attune.cases"}).substr(0, 36) +
         "', 'A', 'ors', '2026-11-03', 40, r.person_uuid, 'now', 'now' FROM attune.person_role r WHERE "
         "r.login_name = 'ben_cole'"});
    CHECK(ben_forges.exit_code != 0);
    CHECK(ben_forges.out.find("row-level security") != std::string::npos);
    const ThrowawayCluster::SqlResult sam_changes =
        p.cluster.run_sql(kSam.login, kDatabase, {"UPDATE attune.measures SET entered_total = 40"});
    CHECK(sam_changes.exit_code != 0);
    CHECK(sam_changes.out.find("permission denied for table measures") != std::string::npos);
    const ThrowawayCluster::SqlResult ana_edits_file =
        p.cluster.run_sql(kAna.login, kDatabase, {"DELETE FROM attune.instruments"});
    CHECK(ana_edits_file.exit_code != 0);
    CHECK(ana_edits_file.out.find("permission denied for table instruments") != std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {"SELECT count(*) FROM attune.measures"}) == "2\n");

    // Removed in Ana's copy: removed on the server at her next sync, and in Sam's at his.
    {
        auto practice = open_as(p, kAna, kAna.file);
        services::delete_measure(*practice, ors_id);
    }
    const CliResult removed = p.sync(kAna);
    INFO(removed.out << removed.err);
    REQUIRE(removed.exit_code == 0);
    CHECK(line_of(removed.out, "sent: ").find(", 1 measures") != std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT string_agg(instrument_id || ' ' || removed, ',' ORDER BY arrival) FROM "
                         "attune.measures"}) == "ors true,practice_scale false\n");
    const CliResult sam_after = p.sync(kSam);
    INFO(sam_after.out << sam_after.err);
    REQUIRE(sam_after.exit_code == 0);
    CHECK(line_of(sam_after.out, "updated here: ").find(", 1 measures") != std::string::npos);
    CHECK(measures_of(kSam) == "practice_scale B session 1 total 8.00\n");
    CHECK(line_of(p.sync(kAna).out, "sent: ").find(", 0 measures") != std::string::npos);
}

TEST_CASE("a coder joins and receives only the cases of her sessions, without the clinician's formulation; her "
          "coding reaches the clinician",
          "[server]") {
    SyncedPractice p;
    for (const std::string& args :
         {std::string("case add --label 'Couple 2' --partners Eva,Tom --goals 'Soften the blamer' --styles anxious,avoidant "
                      "--cycle pursuer,withdrawer"),
          std::string("case add --label 'Couple 3' --partners Ida,Max")}) {
        const CliResult r = p.as(kAna, args);
        INFO(args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
    }
    ana_codes_a_signed_session(p);  // Couple 1, session 1
    add_coder_cora(p);
    for (const std::string& args : {std::string("session start --case 'Couple 2'"),
                                    std::string("log --case 'Couple 2' --who A --code protest --at 40"),
                                    std::string("session end --case 'Couple 2' --duration 900"),
                                    std::string("session assign --case 'Couple 2' --session 1 --coder 'Cora Diaz'")}) {
        const CliResult r = p.as(kAna, args);
        INFO(args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
    }
    REQUIRE(p.sync(kAna).exit_code == 0);

    // Her login reads the one case and what coding needs of it; the goals and
    // the partners' styles and cycle positions are refused outright.
    CHECK(p.cluster.sql(kCora.login, kDatabase,
                        {"SELECT string_agg(label, ',') FROM attune.cases",
                         "SELECT string_agg(display_name, ',' ORDER BY role) FROM attune.participants",
                         "SELECT count(*) FROM attune.sessions", "SELECT count(*) FROM attune.observations"}) ==
          "Couple 2\nEva,Tom\n1\n0\n");
    for (const std::string& query : {std::string("SELECT goals FROM attune.cases"),
                                     std::string("SELECT attachment_style FROM attune.participants"),
                                     std::string("SELECT cycle_position FROM attune.participants")}) {
        const ThrowawayCluster::SqlResult refused = p.cluster.run_sql(kCora.login, kDatabase, {query});
        INFO(query << "\n" << refused.out);
        CHECK(refused.exit_code != 0);
        CHECK(refused.out.find("permission denied for table") != std::string::npos);
    }

    // She joins from her own machine: her copy has that case and session.
    const CliResult joined = join(p, kCora, "Cora Diaz", "cora.db", "yes\n", kCora.passphrase);
    INFO(joined.out << joined.err);
    REQUIRE(joined.exit_code == 0);
    CHECK(line_of(joined.out, "new here: ") == "new here: " + counts(1, 1, 0, 0));
    CHECK(line_of(joined.out, "shares and coder assignments: ") == "shares and coder assignments: 0 sent, 1 new here");
    const CliResult cases = p.as(kCora, "case list");
    INFO(cases.err);
    CHECK(cases.out.find("Couple 2") != std::string::npos);
    CHECK(cases.out.find("Couple 1") == std::string::npos);
    CHECK(cases.out.find("Couple 3") == std::string::npos);

    // She codes it from the recording; the clinician receives her coding as hers.
    REQUIRE(p.as(kCora, "log --case 'Couple 2' --session 1 --who A --code protest --at 41.5").exit_code == 0);
    const CliResult sent = p.sync(kCora);
    INFO(sent.out << sent.err);
    REQUIRE(sent.exit_code == 0);
    CHECK(line_of(sent.out, "sent: ") == "sent: " + counts(0, 0, 1, 0));
    const CliResult ana = p.sync(kAna);
    INFO(ana.out << ana.err);
    REQUIRE(ana.exit_code == 0);
    CHECK(line_of(ana.out, "new here: ") == "new here: " + counts(0, 0, 1, 0));
    const CliResult agreement = p.as(kAna, "agreement --case 'Couple 2' --session 1 --rater-a 'Ana Ruiz' --rater-b 'Cora Diaz'");
    INFO(agreement.out << agreement.err);
    CHECK(agreement.exit_code == 0);
    CHECK(agreement.out.find("Cora Diaz") != std::string::npos);
}

TEST_CASE("a clinician who also codes reads the formulation only of the cases they treat, on the server and in "
          "their copy",
          "[server]") {
    SyncedPractice p;
    const auto admin = [&](const std::string& args) { return run_attune(args + " --db admin.db", p.dir.path()); };
    REQUIRE(admin("person grant --name 'Ben Cole' --role coder").exit_code == 0);
    REQUIRE(admin("server add-person --url " + shell_quote(p.owner_url()) +
                  " --name 'Ben Cole' --new-password-file ben_cole.pw")
                .exit_code == 0);
    REQUIRE(p.cluster.sql(kBen.login, kDatabase, {"SELECT pg_has_role('attune_coder', 'MEMBER')"}) == "t\n");
    REQUIRE(p.sync(kAna).exit_code == 0);  // Ana's copy takes Ben's new role
    for (const std::string& args :
         {std::string("case add --label 'Couple 2' --partners Eva,Tom --goals 'Soften the blamer' --styles "
                      "anxious,avoidant --cycle pursuer,withdrawer"),
          std::string("case supervisor --case 'Couple 2' --supervisor 'Sam Reyes'"),
          std::string("session start --case 'Couple 2'"), std::string("session end --case 'Couple 2' --duration 900"),
          std::string("session assign --case 'Couple 2' --session 1 --coder 'Ben Cole'")}) {
        const CliResult r = p.as(kAna, args);
        INFO(args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
    }
    const CliResult own = p.as(kBen, "case add --label 'Couple B' --partners Ivy,Jon --goals 'Name the cycle' "
                                     "--styles secure,anxious");
    INFO(own.err);
    REQUIRE(own.exit_code == 0);
    for (const Member& m : {kAna, kBen, kSam}) {
        const CliResult r = p.sync(m);
        INFO(m.name << "\n" << r.out << r.err);
        REQUIRE(r.exit_code == 0);
    }

    // Ben's login reads both cases' rows, the one he codes and his own, and the formulation of his own only.
    CHECK(p.cluster.sql(kBen.login, kDatabase,
                        {"SELECT string_agg(label, ',' ORDER BY label) FROM attune.cases",
                         "SELECT string_agg(goals || ' ' || a_style || ' ' || b_style, ',') FROM "
                         "attune.formulations()"}) == "Couple 2,Couple B\nName the cycle secure anxious\n");
    for (const std::string& query : {std::string("SELECT goals FROM attune.cases"),
                                     std::string("SELECT attachment_style FROM attune.participants"),
                                     std::string("SELECT cycle_position FROM attune.participants")}) {
        const ThrowawayCluster::SqlResult refused = p.cluster.run_sql(kBen.login, kDatabase, {query});
        INFO(query << "\n" << refused.out);
        CHECK(refused.exit_code != 0);
        CHECK(refused.out.find("permission denied for table") != std::string::npos);
    }
    // Ana and Sam read Couple 2's through the same function; Ben's is not theirs.
    CHECK(p.cluster.sql(kAna.login, kDatabase,
                        {"SELECT string_agg(goals || ' ' || a_cycle || ' ' || b_cycle, ',') FROM "
                         "attune.formulations()"}) == "Soften the blamer pursuer withdrawer\n");
    CHECK(p.cluster.sql(kSam.login, kDatabase, {"SELECT string_agg(goals, ',') FROM attune.formulations()"}) ==
          "Soften the blamer\n");

    const auto formulation = [&](const Member& m, const char* label) {
        auto practice = open_as(p, m, m.file);
        const Case c = services::find_case(*practice, label);
        return c.goals + "|" + c.partner_a.attachment_style + "|" + c.partner_b.cycle_position;
    };
    CHECK(formulation(kBen, "Couple 2") == "||");
    CHECK(formulation(kBen, "Couple B") == "Name the cycle|secure|");
    CHECK(formulation(kSam, "Couple 2") == "Soften the blamer|anxious|withdrawer");
    CHECK(formulation(kAna, "Couple 2") == "Soften the blamer|anxious|withdrawer");

    // Ana revises the formulation (a second later, so that it is newer): Sam's copy has it, Ben's still none.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    {
        auto practice = open_as(p, kAna, kAna.file);
        Case c = services::find_case(*practice, "Couple 2");
        c.goals = "Hold the softening";
        c.partner_a.attachment_style = "secure";
        c.partner_b.cycle_position = "pursuer";
        services::update_case(*practice, c);
    }
    for (const Member& m : {kAna, kBen, kSam}) {
        const CliResult r = p.sync(m);
        INFO(m.name << "\n" << r.out << r.err);
        REQUIRE(r.exit_code == 0);
    }
    CHECK(formulation(kSam, "Couple 2") == "Hold the softening|secure|pursuer");
    CHECK(formulation(kBen, "Couple 2") == "||");
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT goals FROM attune.cases WHERE label = 'Couple 2'"}) == "Hold the softening\n");
}

TEST_CASE("a pull larger than one merge's share merges in parts, each its own transaction, to the same result",
          "[server]") {
    SyncedPractice p;
    ana_codes_a_signed_session(p);  // Couple 1: a signed session of two observations
    REQUIRE(p.as(kAna, "comment --case 'Couple 1' --session 1 --at 12 --text 'her protest'").exit_code == 0);
    REQUIRE(p.sync(kAna).exit_code == 0);
    const int before = services::observations_per_merge.load();
    services::observations_per_merge = 1;
    services::SyncReport report;
    {
        auto practice = open_as(p, kSam, kSam.file);
        report = services::sync_with_server(*practice, p.url(kSam));
    }
    services::observations_per_merge = before;
    // The rest, one observation a part (2), then the signature.
    CHECK(report.merge_parts == 4);
    CHECK(report.merge_hold_seconds > 0);
    CHECK(report.merge_hold_seconds <= report.merge_seconds);
    CHECK(counts_text(report.merged.created) ==
          "1 cases, 1 sessions, 2 observations, 0 progress notes, 0 private notes, 0 homework, 1 signatures, "
          "0 addenda, 1 comments, 0 measures, 0 ratings, 0 change-event decisions, 0 pauses, 0 recordings, "
          "0 excerpts");
    CHECK(report.merged.conflicts.empty());
    CHECK(report.signature_problems.empty());
    const CliResult verified = p.as(kSam, "verify");
    INFO(verified.out << verified.err);
    CHECK(verified.exit_code == 0);
    CHECK(verified.out.find("Ana Ruiz\tsign\tverified") != std::string::npos);
    // Stopped between parts and run again, or simply run again: nothing more.
    const CliResult again = p.sync(kSam);
    INFO(again.out << again.err);
    REQUIRE(again.exit_code == 0);
    CHECK(line_of(again.out, "new here: ") == "new here: " + counts(0, 0, 0, 0));
}

// The window's join (ui/unlock_view.cpp) runs on a thread of its own and
// stops at the offer until the person answers.
TEST_CASE("a join in the background waits for the fingerprint, then opens the new copy; refused, it leaves nothing",
          "[server]") {
    SyncedPractice p;
    ana_codes_a_signed_session(p);
    REQUIRE(p.sync(kAna).exit_code == 0);
    const std::string fingerprint = fingerprint_to_tell(p, kAna);
    const auto request = [&](const std::string& file) {
        services::JoinRequest r;
        r.path = p.dir / file;
        r.url = p.url(kAna);
        r.name = "ana ruiz";  // the name as she types it
        r.passphrase = services::KeyMaterial(kAna.passphrase);
        return r;
    };
    std::atomic<int> wakes{0};
    // The wake is called on the join's thread just after the stage moved.
    const auto wakes_reach = [&](int n) {
        for (int i = 0; i < 200 && wakes.load() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return wakes.load();
    };
    {
        services::BackgroundJoin join(request("laptop.db"), [&] { ++wakes; });
        REQUIRE(join.wait_while_working() == services::BackgroundJoin::Stage::Confirm);
        CHECK(wakes_reach(1) == 1);
        const services::JoinOffer offer = join.offer();
        CHECK(offer.person_name == "Ana Ruiz");
        CHECK(offer.login == "ana_ruiz");
        CHECK(offer.administrator_name == "Dr Test");
        CHECK(offer.fingerprint == fingerprint);
        CHECK_FALSE(std::filesystem::exists(p.dir / "laptop.db"));  // nothing before the answer
        join.answer(true);
        REQUIRE(join.wait_while_working() == services::BackgroundJoin::Stage::Joined);
        CHECK(wakes_reach(2) == 2);
        CHECK(join.report().people == 4);
        CHECK(join.report().sync.merged.created.observations == 2);
        std::unique_ptr<services::OpenPractice> practice = join.take_practice();
        REQUIRE(practice);
        CHECK(practice->person().name == "Ana Ruiz");
        const std::vector<CaseSummary> cases = services::list_cases(*practice);
        REQUIRE(cases.size() == 1);
        CHECK(cases.front().info.label == "Couple 1");
        CHECK_FALSE(join.take_practice());  // once
    }
    // "It does not match", and a window closed at the offer: no file either time.
    {
        services::BackgroundJoin join(request("other.db"), {});
        REQUIRE(join.wait_while_working() == services::BackgroundJoin::Stage::Confirm);
        join.answer(false);
        REQUIRE(join.wait_while_working() == services::BackgroundJoin::Stage::Failed);
        CHECK(join.error() ==
              "not joined: the founding administrator's key fingerprint was not confirmed; nothing was written");
    }
    {
        services::BackgroundJoin join(request("other.db"), {});
        REQUIRE(join.wait_while_working() == services::BackgroundJoin::Stage::Confirm);
    }
    CHECK_FALSE(std::filesystem::exists(p.dir / "other.db"));
    CHECK_FALSE(std::filesystem::exists(p.dir / "other.db.keyring"));
    // A wrong passphrase fails before any offer.
    services::JoinRequest wrong = request("other.db");
    wrong.passphrase = services::KeyMaterial(kBen.passphrase);
    services::BackgroundJoin refused(std::move(wrong), {});
    REQUIRE(refused.wait_while_working() == services::BackgroundJoin::Stage::Failed);
    CHECK(refused.error() == "the passphrase for Ana Ruiz is not right");
    CHECK_FALSE(std::filesystem::exists(p.dir / "other.db"));
}


namespace {

// The comments of session `number` of case `label` in m's copy: "moment text" lines.
std::string comments_seen(const SyncedPractice& p, const Member& m, const char* label, int number) {
    auto practice = open_as(p, m, m.file);
    const Case c = services::find_case(*practice, label);
    std::string out;
    for (const ReviewComment& x : services::list_comments(*practice, services::find_session(*practice, c, number).id))
        out += std::to_string(x.t).substr(0, 4) + " " + x.author_name + ": " + x.text + "\n";
    return out;
}

// A comment's uuid by its definition (local migration 13, server migration 6).
std::string comment_uuid_by_definition(const std::string& session_uuid, const std::string& author,
                                       const std::string& created_at, const std::string& body, int rank) {
    const std::string h =
        sha256_hex("attune-comment:" + session_uuid + ":" + author + ":" + created_at + ":" + body + ":" +
                   std::to_string(rank));
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
           h.substr(20, 12);
}

}  // namespace

TEST_CASE("a supervisor's comment edited and taken down offline follows in every copy; only its author changes it "
          "on the server",
          "[server]") {
    SyncedPractice p;
    for (const std::string& args : {std::string("case add --label 'Couple 5' --partners Ada,Bo"),
                                    std::string("case supervisor --case 'Couple 5' --supervisor 'Sam Reyes'"),
                                    std::string("session start --case 'Couple 5'"),
                                    std::string("session end --case 'Couple 5' --duration 900")}) {
        const CliResult r = p.as(kAna, args);
        INFO(args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
    }
    REQUIRE(p.sync(kAna).exit_code == 0);
    REQUIRE(p.sync(kSam).exit_code == 0);
    for (const std::string& args : {std::string("comment --case 'Couple 5' --session 1 --at 30.5 --text 'slow down here'"),
                                    std::string("comment --case 'Couple 5' --session 1 --at 70 --text 'the repair'")}) {
        const CliResult r = p.as(kSam, args);
        INFO(args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
    }
    const CliResult sent = p.sync(kSam);
    INFO(sent.out << sent.err);
    REQUIRE(sent.exit_code == 0);
    CHECK(line_of(sent.out, "sent: ").find(", 2 comments") != std::string::npos);
    const CliResult first = p.sync(kAna);
    INFO(first.out << first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(line_of(first.out, "new here: ").find(", 2 comments") != std::string::npos);
    CHECK(comments_seen(p, kAna, "Couple 5", 1) == "30.5 Sam Reyes: slow down here\n70.0 Sam Reyes: the repair\n");
    // Sam edits the first one offline (a second later, so that the edit is newer): it replaces the old text everywhere.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    RowId repair_id = 0;
    {
        auto practice = open_as(p, kSam, kSam.file);
        const Case c = services::find_case(*practice, "Couple 5");
        const RowId session = services::find_session(*practice, c, 1).id;
        const std::vector<ReviewComment> mine = services::list_comments(*practice, session);
        REQUIRE(mine.size() == 2);
        services::edit_comment(*practice, session, mine[0].id, 31, "slow down here, and breathe");
        repair_id = mine[1].id;
    }
    const CliResult edited = p.sync(kSam);
    INFO(edited.out << edited.err);
    REQUIRE(edited.exit_code == 0);
    CHECK(line_of(edited.out, "sent: ").find(", 1 comments") != std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {"SELECT count(*) FROM attune.review_comments"}) == "2\n");
    const CliResult ana_edit = p.sync(kAna);
    INFO(ana_edit.out << ana_edit.err);
    REQUIRE(ana_edit.exit_code == 0);
    CHECK(line_of(ana_edit.out, "updated here: ").find(", 1 comments") != std::string::npos);
    CHECK(comments_seen(p, kAna, "Couple 5", 1) ==
          "31.0 Sam Reyes: slow down here, and breathe\n70.0 Sam Reyes: the repair\n");

    // Ana's login can neither rewrite Sam's comment nor take it down on the server; Ben reads none.
    CHECK(p.cluster.sql(kAna.login, kDatabase,
                        {"UPDATE attune.review_comments SET body = 'rewritten by Ana', updated_at = 'z' RETURNING "
                         "uuid"}) == "");
    const ThrowawayCluster::SqlResult erase =
        p.cluster.run_sql(kAna.login, kDatabase, {"DELETE FROM attune.review_comments"});
    CHECK(erase.exit_code != 0);
    CHECK(erase.out.find("permission denied for table review_comments") != std::string::npos);
    CHECK(p.cluster.sql(kBen.login, kDatabase, {"SELECT count(*) FROM attune.review_comments"}) == "0\n");
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT string_agg(body, ',' ORDER BY t) FROM attune.review_comments"}) ==
          "slow down here, and breathe,the repair\n");

    // Sam takes the other one down: removed on the server at his sync, and in Ana's copy at hers.
    {
        auto practice = open_as(p, kSam, kSam.file);
        const Case c = services::find_case(*practice, "Couple 5");
        services::delete_comment(*practice, services::find_session(*practice, c, 1).id, repair_id);
    }
    const CliResult taken_down = p.sync(kSam);
    INFO(taken_down.out << taken_down.err);
    REQUIRE(taken_down.exit_code == 0);
    CHECK(line_of(taken_down.out, "sent: ").find(", 1 comments") != std::string::npos);
    // Its text is gone from the server (migration 9), even for a login that tries to write it back.
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT string_agg(body || '|' || removed, ',' ORDER BY t) FROM attune.review_comments"}) ==
          "slow down here, and breathe|false,|true\n");
    CHECK(p.cluster.sql(kSam.login, kDatabase,
                        {"UPDATE attune.review_comments SET body = 'the repair', updated_at = updated_at || 'z' "
                         "WHERE removed RETURNING length(body)"}) == "0\n");
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT count(*) FROM attune.review_comments WHERE body LIKE '%repair%'"}) == "0\n");
    const CliResult ana_removed = p.sync(kAna);
    INFO(ana_removed.out << ana_removed.err);
    REQUIRE(ana_removed.exit_code == 0);
    CHECK(line_of(ana_removed.out, "updated here: ").find(", 1 comments") != std::string::npos);
    CHECK(comments_seen(p, kAna, "Couple 5", 1) == "31.0 Sam Reyes: slow down here, and breathe\n");
    CHECK(line_of(p.sync(kAna).out, "new here: ").find(", 0 comments") != std::string::npos);

    // A server of version 8 still held a removed comment's text: migration 9 empties it.
    std::vector<std::string> back_to_8 = undo_migration_12();
    for (const std::vector<std::string>& undo : {undo_migration_11(), undo_migration_10(), undo_migration_9()})
        back_to_8.insert(back_to_8.end(), undo.begin(), undo.end());
    p.cluster.sql(p.cluster.superuser(), kDatabase, back_to_8);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT string_agg(body || '|' || removed, ',' ORDER BY t) FROM attune.review_comments"}) ==
          "slow down here, and breathe|false,the text it had|true\n");
    const CliResult from_8 = run_attune("server init --url " + shell_quote(p.owner_url()), p.dir.path());
    INFO(from_8.err);
    REQUIRE(from_8.exit_code == 0);
    CHECK(from_8.out.find("migrated from version 8 to 12") != std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT string_agg(body || '|' || removed, ',' ORDER BY t) FROM attune.review_comments"}) ==
          "slow down here, and breathe|false,|true\n");

    // A server from before this migration (version 5), whose comments were keyed by a hash with the
    // moment: migrating it keys each comment as every copy's own migration keys it.
    const std::string created = p.cluster.sql(p.cluster.superuser(), kDatabase,
                                              {"SELECT created_at FROM attune.review_comments WHERE t = 31"});
    const std::string session = p.cluster.sql(p.cluster.superuser(), kDatabase,
                                              {"SELECT session_uuid FROM attune.review_comments WHERE t = 31"});
    std::vector<std::string> back_to_5 = undo_migration_12();
    for (const std::vector<std::string>& undo :
         {undo_migration_11(), undo_migration_10(), undo_migration_9(), undo_migration_8(), undo_migration_7(),
          undo_migration_6()})
        back_to_5.insert(back_to_5.end(), undo.begin(), undo.end());
    back_to_5.push_back("UPDATE attune.review_comments SET uuid = md5('attune-comment:' || uuid)::uuid");
    p.cluster.sql(p.cluster.superuser(), kDatabase, back_to_5);
    const CliResult migrated = run_attune("server init --url " + shell_quote(p.owner_url()), p.dir.path());
    INFO(migrated.err);
    REQUIRE(migrated.exit_code == 0);
    CHECK(migrated.out.find("migrated from version 5 to 12") != std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT string_agg(uuid || ' ' || (updated_at = created_at), ',' ORDER BY t) FROM "
                         "attune.review_comments"})
              .substr(0, 36) ==
          comment_uuid_by_definition(session.substr(0, 36), "Sam Reyes", created.substr(0, created.size() - 1),
                                     "slow down here, and breathe", 1));
}

}  // namespace attune::test

namespace attune::test {

TEST_CASE("second raters' ratings and change-event decisions made offline reach the case's clinician and "
          "supervisor; the database refuses them to others and to the wrong hands",
          "[server]") {
    SyncedPractice p;
    // Session 1, as the review test works it by hand: A pursues (blame_shift), B withdraws; A's
    // need_closeness at 100 met by B's reassure at 130 is one blamer-softening candidate.
    for (const std::string& args :
         {std::string("case add --label 'Couple 6' --partners Ivy,Tom"),
          std::string("case supervisor --case 'Couple 6' --supervisor 'Sam Reyes'"),
          std::string("session start --case 'Couple 6'"),
          std::string("log --case 'Couple 6' --who A --code blame_shift --at 10"),
          std::string("log --case 'Couple 6' --who B --code withdraw_emotion --at 30"),
          std::string("log --case 'Couple 6' --who A --code need_closeness --at 100"),
          std::string("log --case 'Couple 6' --who B --code reassure --at 130"),
          std::string("session end --case 'Couple 6' --duration 900 --attunement-a 7 --attunement-b 5 --safety 9")}) {
        const CliResult r = p.as(kAna, args);
        INFO(args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
    }
    const CliResult candidates = p.as(kAna, "change-events --case 'Couple 6'");
    REQUIRE(candidates.exit_code == 0);
    REQUIRE(count_lines(candidates.out) == 1);
    const std::string key = candidates.out.substr(candidates.out.rfind('\t') + 1, candidates.out.size() -
                                                                                    candidates.out.rfind('\t') - 2);
    REQUIRE(p.as(kAna, "change-event confirm --case 'Couple 6' --key " + shell_quote(key)).exit_code == 0);
    const CliResult ana = p.sync(kAna);
    INFO(ana.out << ana.err);
    REQUIRE(ana.exit_code == 0);
    CHECK(line_of(ana.out, "sent: ").find(", 0 ratings, 1 change-event decisions") != std::string::npos);

    // Sam reads the decision; he codes the session from his copy and rates it.
    const CliResult sam = p.sync(kSam);
    INFO(sam.out << sam.err);
    REQUIRE(sam.exit_code == 0);
    CHECK(line_of(sam.out, "new here: ").find(", 1 change-event decisions") != std::string::npos);
    CHECK(p.as(kSam, "change-events --case 'Couple 6'").out.find("\tconfirmed by Ana Ruiz\t" + key) !=
          std::string::npos);
    for (const std::string& args :
         {std::string("log --case 'Couple 6' --session 1 --who A --code blame_shift --at 11"),
          std::string("session rate --case 'Couple 6' --rater 'Sam Reyes' --attunement-a 8 --attunement-b 5 "
                      "--safety 10")}) {
        const CliResult r = p.as(kSam, args);
        INFO(args << "\n" << r.out << r.err);
        REQUIRE(r.exit_code == 0);
    }
    const CliResult sam_sends = p.sync(kSam);
    INFO(sam_sends.out << sam_sends.err);
    REQUIRE(sam_sends.exit_code == 0);
    CHECK(line_of(sam_sends.out, "sent: ").find(", 1 ratings, 0 change-event decisions") != std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT r.attunement_a || ' ' || r.attunement_b || ' ' || r.safety || ' ' || p.name || ' ' || "
                         "e.name FROM attune.session_ratings r JOIN attune.people p ON p.uuid = r.rater_uuid JOIN "
                         "attune.people e ON e.uuid = r.entered_by"}) == "8 5 10 Sam Reyes Sam Reyes\n");

    // Ana's copy has Sam's ratings beside her own: (7,8) (5,5) (9,10) give ICC(2,1) = 15/16.
    const CliResult ana_gets = p.sync(kAna);
    INFO(ana_gets.out << ana_gets.err);
    REQUIRE(ana_gets.exit_code == 0);
    CHECK(line_of(ana_gets.out, "new here: ").find(", 1 ratings, 0 change-event decisions") != std::string::npos);
    const CliResult agreement =
        p.as(kAna, "agreement --case 'Couple 6' --session 1 --rater-a 'Ana Ruiz' --rater-b 'Sam Reyes'");
    INFO(agreement.out << agreement.err);
    CHECK(agreement.out.find("ratings ICC(2,1) 0.938 (3 ratings both gave, over 1 session of Couple 6") !=
          std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT count(*) FROM attune.audit_log WHERE action = 'pull' AND entity = 'session_ratings' "
                         "AND login_name = 'ana_ruiz' AND cardinality(row_uuids) = 1"}) == "1\n");

    // Ben reads neither; nobody writes in another's name, nor rates as the case's clinician, and a
    // supervisor decides nothing.
    CHECK(p.cluster.sql(kBen.login, kDatabase,
                        {"SELECT count(*) FROM attune.session_ratings",
                         "SELECT count(*) FROM attune.change_event_decisions"}) == "0\n0\n");
    const std::string session_uuid =
        p.cluster.sql(p.cluster.superuser(), kDatabase, {"SELECT uuid FROM attune.sessions"}).substr(0, 36);
    const auto rate_as = [&](const Member& login, const char* rater) {
        return p.cluster.run_sql(
            login.login, kDatabase,
            {"INSERT INTO attune.session_ratings (uuid, session_uuid, rater_uuid, attunement_a, entered_by, "
             "created_at, updated_at) SELECT gen_random_uuid(), '" + session_uuid + "', r.uuid, 1, e.person_uuid, "
             "'now', 'now' FROM attune.people r, attune.person_role e WHERE r.name = '" + rater +
             "' AND e.login_name = current_user"});
    };
    for (const auto& [login, rater] :
         {std::pair{kBen, "Ben Cole"}, {kSam, "Ben Cole"}, {kSam, "Ana Ruiz"}, {kAna, "Ana Ruiz"}}) {
        const ThrowawayCluster::SqlResult forged = rate_as(login, rater);
        INFO(login.login << " as " << rater << ": " << forged.out);
        CHECK(forged.exit_code != 0);
        CHECK(forged.out.find("new row violates row-level security policy for table \"session_ratings\"") !=
              std::string::npos);
    }
    const ThrowawayCluster::SqlResult sam_decides =
        p.cluster.run_sql(kSam.login, kDatabase, {"UPDATE attune.change_event_decisions SET decision = 'rejected'"});
    CHECK(sam_decides.exit_code != 0);
    CHECK(sam_decides.out.find("permission denied for table change_event_decisions") != std::string::npos);
    const ThrowawayCluster::SqlResult ana_rewrites = p.cluster.run_sql(
        kAna.login, kDatabase, {"UPDATE attune.session_ratings SET safety = 1, entered_by = (SELECT rater_uuid FROM "
                                "attune.session_ratings LIMIT 1) RETURNING safety"});
    CHECK(ana_rewrites.exit_code != 0);
    CHECK(ana_rewrites.out.find("row-level security") != std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT count(*) || ' ' || min(safety) FROM attune.session_ratings",
                         "SELECT decision FROM attune.change_event_decisions"}) == "1 10\nconfirmed\n");

    // A coder assigned the session rates it from her own copy: the clinician reads both raters'
    // ratings, the coder's login only her own, and her copy receives no one else's.
    cora_joins_for_session_one(p, "Couple 6");
    for (const std::string& args :
         {std::string("log --case 'Couple 6' --session 1 --who B --code withdraw_emotion --at 31"),
          std::string("session rate --case 'Couple 6' --rater 'Cora Diaz' --attunement-a 6 --safety 9")}) {
        const CliResult r = p.as(kCora, args);
        INFO(args << "\n" << r.out << r.err);
        REQUIRE(r.exit_code == 0);
    }
    const CliResult cora = p.sync(kCora);
    INFO(cora.out << cora.err);
    REQUIRE(cora.exit_code == 0);
    CHECK(line_of(cora.out, "sent: ").find(", 1 ratings, 0 change-event decisions") != std::string::npos);
    CHECK(line_of(cora.out, "new here: ").find(", 0 ratings, 0 change-event decisions") != std::string::npos);
    CHECK(p.cluster.sql(kCora.login, kDatabase,
                        {"SELECT string_agg(p.name || ' ' || r.attunement_a, ',') FROM attune.session_ratings r JOIN "
                         "attune.people p ON p.uuid = r.rater_uuid"}) == "Cora Diaz 6\n");
    CHECK(p.cluster.sql(kAna.login, kDatabase,
                        {"SELECT string_agg(p.name || ' ' || r.attunement_a, ',' ORDER BY p.name) FROM "
                         "attune.session_ratings r JOIN attune.people p ON p.uuid = r.rater_uuid"}) ==
          "Cora Diaz 6,Sam Reyes 8\n");
    CHECK(line_of(p.sync(kAna).out, "new here: ").find(", 1 ratings, 0 change-event decisions") != std::string::npos);

    // Ana rejects the candidate after all: Sam's copy follows, and nothing more moves after.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    REQUIRE(p.as(kAna, "change-event reject --case 'Couple 6' --key " + shell_quote(key)).exit_code == 0);
    REQUIRE(p.sync(kAna).exit_code == 0);
    const CliResult sam_follows = p.sync(kSam);
    INFO(sam_follows.out << sam_follows.err);
    REQUIRE(sam_follows.exit_code == 0);
    CHECK(line_of(sam_follows.out, "updated here: ").find(", 0 ratings, 1 change-event decisions") !=
          std::string::npos);
    CHECK(p.as(kSam, "change-events --case 'Couple 6'").out.find("\trejected by Ana Ruiz\t" + key) !=
          std::string::npos);
    const CliResult quiet = p.sync(kSam);
    CHECK(line_of(quiet.out, "sent: ").find(", 0 ratings, 0 change-event decisions") != std::string::npos);
    CHECK(line_of(quiet.out, "new here: ").find(", 0 ratings, 0 change-event decisions") != std::string::npos);
}

TEST_CASE("a second rater's paper ratings for a person the practice server does not have stop the sync with one "
          "line naming that person; once an administrator adds them, the next sync sends everything",
          "[server][ratings]") {
    SyncedPractice p;
    run_all_as(p, kAna,
               {"case add --label 'Couple 10' --partners Eva,Max", "session start --case 'Couple 10'",
                "log --case 'Couple 10' --who A --code protest --at 10",
                "session end --case 'Couple 10' --duration 900"});
    test::wait_for_next_second();  // the count below begins after the last row this sync sends
    REQUIRE(p.sync(kAna).exit_code == 0);
    // The administrator adds Lee Park to Ana's copy alone, not to the server; Lee codes there,
    // and Ana records Lee's ratings, given on paper. Ana also opens another case.
    write_file(p.dir / "lee.pass", "lee park's own passphrase 55\n");
    REQUIRE(run_attune("person add --db ana.db --name 'Lee Park' --role coder --new-passphrase-file lee.pass",
                       p.dir.path())
                .exit_code == 0);
    run_all_as(p, kAna, {"session assign --case 'Couple 10' --session 1 --coder 'Lee Park'"});
    const CliResult coded = run_attune("log --db ana.db --case 'Couple 10' --session 1 --who B --code "
                                       "withdraw_emotion --at 31",
                                       p.dir.path(), "lee park's own passphrase 55", "Lee Park");
    INFO(coded.out << coded.err);
    REQUIRE(coded.exit_code == 0);
    run_all_as(p, kAna,
               {"session rate --case 'Couple 10' --rater 'Lee Park' --attunement-a 4 --safety 7",
                "case add --label 'Couple 11' --partners Ida,Tom"});
    const std::string on_server = "SELECT (SELECT count(*) FROM attune.session_ratings) || ' ' || (SELECT "
                                  "string_agg(label, ',' ORDER BY label) FROM attune.cases)";
    const std::string cases_here = p.as(kAna, "case list").out;
    REQUIRE(cases_here.find("Couple 11") != std::string::npos);

    for (int attempt = 0; attempt < 2; ++attempt) {
        const CliResult ana = p.sync(kAna);
        INFO(ana.out << ana.err);
        CHECK(ana.exit_code == 1);
        CHECK(count_lines(ana.err) == 1);
        CHECK(ana.err.find("attune sync: sending session_ratings to the practice server (") == 0);
        CHECK(ana.err.find("): they name Lee Park, who is not on the server (an administrator adds people with "
                           "attune server add-person); nothing was sent (4 changes made here are waiting to be "
                           "sent)\n") != std::string::npos);  // Lee's assignment, coding and rating; Couple 11
        // Nothing reached the server, Couple 11 neither; Ana's copy keeps all of it.
        CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {on_server}) == "0 Couple 10\n");
        CHECK(p.as(kAna, "case list").out == cases_here);
    }

    write_file(p.dir / "lee.pw", "LeeServer42pw\n");
    const CliResult added = run_attune("server add-person --db ana.db --url " + shell_quote(p.owner_url()) +
                                           " --name 'Lee Park' --new-password-file lee.pw",
                                       p.dir.path());
    INFO(added.out << added.err);
    REQUIRE(added.exit_code == 0);
    const CliResult ana = p.sync(kAna);
    INFO(ana.out << ana.err);
    REQUIRE(ana.exit_code == 0);
    CHECK(line_of(ana.out, "sent: ").find("1 cases, ") == 6);
    CHECK(line_of(ana.out, "sent: ").find(", 1 ratings, ") != std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT p.name || ' ' || r.attunement_a || ' ' || r.safety FROM attune.session_ratings r "
                         "JOIN attune.people p ON p.uuid = r.rater_uuid",
                         on_server}) == "Lee Park 4 7\n1 Couple 10,Couple 11\n");
    // Lee's assignment, which stayed here while Lee was not on the server, goes with it.
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT string_agg(p.name, ',') FROM attune.coder_assignments a JOIN attune.people p ON "
                         "p.uuid = a.person_uuid"}) == "Lee Park\n");
}

TEST_CASE("the clock's pauses made offline reach the case's supervisor and coder; the database refuses them to "
          "others, never changes one, and seals them with the session",
          "[server][pauses]") {
    SyncedPractice p;
    run_all_as(p, kAna,
               {"case add --label 'Couple 7' --partners Eva,Max",
                "case supervisor --case 'Couple 7' --supervisor 'Sam Reyes'", "session start --case 'Couple 7'",
                "log --case 'Couple 7' --who A --code protest --at 10", "session end --case 'Couple 7' --duration 900",
                "session pause --case 'Couple 7' --session 1 --at 120 --for 30",
                "session pause --case 'Couple 7' --session 1 --at 300 --for 45.5"});
    const CliResult ana = p.sync(kAna);
    INFO(ana.out << ana.err);
    REQUIRE(ana.exit_code == 0);
    CHECK(line_of(ana.out, "sent: ").find(", 0 change-event decisions, 2 pauses") != std::string::npos);
    const std::string pauses_sql = "SELECT session_seconds || ' ' || wall_seconds || ' ' || origin FROM "
                                   "attune.session_pauses ORDER BY session_seconds";
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {pauses_sql}) == "120 30 entered\n300 45.5 entered\n");
    // Sent again with every sync (they are few), added once.
    const CliResult again = p.sync(kAna);
    REQUIRE(again.exit_code == 0);
    CHECK(line_of(again.out, "sent: ").find(", 0 pauses") != std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {"SELECT count(*) FROM attune.session_pauses"}) == "2\n");

    // Sam's copy maps the recording as Ana's does.
    const auto pauses_in = [&](const Member& m) {
        auto practice = open_as(p, m, m.file);
        const Case c = services::find_case(*practice, "Couple 7");
        std::string out;
        for (const PauseRecord& r : services::session_pauses(*practice, services::find_session(*practice, c, 1).id))
            out += std::to_string(r.session_seconds) + " " + std::to_string(r.wall_seconds.value_or(-1)) + "\n";
        return out;
    };
    const CliResult sam = p.sync(kSam);
    INFO(sam.out << sam.err);
    REQUIRE(sam.exit_code == 0);
    CHECK(line_of(sam.out, "new here: ").find(", 2 pauses") != std::string::npos);
    CHECK(pauses_in(kSam) == "120.000000 30.000000\n300.000000 45.500000\n");
    CHECK(pauses_in(kSam) == pauses_in(kAna));
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT count(*) FROM attune.audit_log WHERE action = 'pull' AND entity = 'session_pauses' "
                         "AND login_name = 'sam_reyes' AND cardinality(row_uuids) = 2"}) == "1\n");

    // Ben reads none and adds none to Ana's session; Sam adds none; nobody changes or deletes one.
    CHECK(p.cluster.sql(kBen.login, kDatabase, {"SELECT count(*) FROM attune.session_pauses"}) == "0\n");
    const std::string session_uuid =
        p.cluster.sql(p.cluster.superuser(), kDatabase, {"SELECT uuid FROM attune.sessions"}).substr(0, 36);
    const std::string add_pause = "INSERT INTO attune.session_pauses (uuid, session_uuid, session_seconds, "
                                  "wall_seconds, origin, created_at) VALUES (gen_random_uuid(), '" + session_uuid +
                                  "', 5, 600, 'entered', 'now')";
    const ThrowawayCluster::SqlResult ben_adds = p.cluster.run_sql(kBen.login, kDatabase, {add_pause});
    CHECK(ben_adds.exit_code != 0);
    CHECK(ben_adds.out.find("new row violates row-level security policy for table \"session_pauses\"") !=
          std::string::npos);
    const ThrowawayCluster::SqlResult sam_adds = p.cluster.run_sql(kSam.login, kDatabase, {add_pause});
    CHECK(sam_adds.exit_code != 0);
    CHECK(sam_adds.out.find("permission denied for table session_pauses") != std::string::npos);
    for (const char* change : {"UPDATE attune.session_pauses SET wall_seconds = 1",
                               "DELETE FROM attune.session_pauses"}) {
        const ThrowawayCluster::SqlResult ana_changes = p.cluster.run_sql(kAna.login, kDatabase, {change});
        INFO(change);
        CHECK(ana_changes.exit_code != 0);
        CHECK(ana_changes.out.find("permission denied for table session_pauses") != std::string::npos);
    }

    // Signed, the session's clock is sealed on the server too, even to its clinician's own SQL.
    REQUIRE(p.as(kAna, "sign --case 'Couple 7' --session 1").exit_code == 0);
    REQUIRE(p.sync(kAna).exit_code == 0);
    const ThrowawayCluster::SqlResult ana_adds = p.cluster.run_sql(kAna.login, kDatabase, {add_pause});
    CHECK(ana_adds.exit_code != 0);
    CHECK(ana_adds.out.find("this session is signed: its clock is sealed") != std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {pauses_sql}) == "120 30 entered\n300 45.5 entered\n");
    // A pause the server lacks for a session signed there (its administrator deleted it, or it was
    // made before pauses travelled) is not added by a later sync, which goes on.
    p.cluster.sql(p.cluster.superuser(), kDatabase,
                  {"ALTER TABLE attune.session_pauses DISABLE TRIGGER session_pauses_seal",
                   "DELETE FROM attune.session_pauses WHERE session_seconds = 300",
                   "ALTER TABLE attune.session_pauses ENABLE TRIGGER session_pauses_seal"});
    const CliResult after_signing = p.sync(kAna);
    INFO(after_signing.out << after_signing.err);
    REQUIRE(after_signing.exit_code == 0);
    CHECK(line_of(after_signing.out, "sent: ").find(", 0 pauses") != std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {pauses_sql}) == "120 30 entered\n");

    // A coder assigned the session receives what the server has with it, and adds none.
    cora_joins_for_session_one(p, "Couple 7");
    CHECK(pauses_in(kCora) == "120.000000 30.000000\n");
    // Ana's signature covers the clock's pauses: a new copy of Sam's, given the server's one
    // pause, shows it changed after signing; Sam's own, which received both before, verifies it.
    practice_of_four().copy_to(p.dir / "sam2.db");
    const CliResult fresh =
        run_attune("sync --db sam2.db --url " + shell_quote(p.url(kSam)), p.dir.path(), kSam.passphrase, kSam.name);
    INFO(fresh.out << fresh.err);
    REQUIRE(fresh.exit_code == 0);
    CHECK(line_of(fresh.out, "signature: ").find("Couple 7, session 1: Signed by Ana Ruiz") != std::string::npos);
    CHECK(line_of(fresh.out, "signature: ").find("changed after signing") != std::string::npos);
    const CliResult fresh_verifies = run_attune("verify --db sam2.db", p.dir.path(), kSam.passphrase, kSam.name);
    CHECK(fresh_verifies.exit_code != 0);
    CHECK(fresh_verifies.out.find("Ana Ruiz\tsign\tchanged after signing") != std::string::npos);
    REQUIRE(p.sync(kSam).exit_code == 0);
    CHECK(pauses_in(kSam) == "120.000000 30.000000\n300.000000 45.500000\n");
    const CliResult sam_verifies = p.as(kSam, "verify");
    INFO(sam_verifies.out << sam_verifies.err);
    CHECK(sam_verifies.exit_code == 0);
    CHECK(sam_verifies.out.find("Ana Ruiz\tsign\tverified") != std::string::npos);
    const ThrowawayCluster::SqlResult cora_adds = p.cluster.run_sql(kCora.login, kDatabase, {add_pause});
    CHECK(cora_adds.exit_code != 0);
    CHECK(cora_adds.out.find("permission denied for table session_pauses") != std::string::npos);
}

TEST_CASE("a recording's link and its excerpts reach the case's supervisor and coder without the file; each links "
          "their own copy of it; the database refuses the rest",
          "[server][recordings]") {
    std::string why;
    const auto& media = test_media(&why);
    if (!media) SKIP(why);
    SyncedPractice p;
    const std::string video = shell_quote(media->colour_video.string());
    const std::string sha256 = sha256_hex(read_file(media->colour_video));
    run_all_as(p, kAna,
               {"case add --label 'Couple 8' --partners Eva,Max",
                "case supervisor --case 'Couple 8' --supervisor 'Sam Reyes'", "session start --case 'Couple 8'",
                "log --case 'Couple 8' --who A --code protest --at 2", "session end --case 'Couple 8' --duration 9",
                "recording add --case 'Couple 8' --session 1 --file " + video + " --offset 0.5",
                "excerpt add --case 'Couple 8' --session 1 --from 1 --to 3 --stage 2 --name 'First reach'"});
    const CliResult ana = p.sync(kAna);
    INFO(ana.out << ana.err);
    REQUIRE(ana.exit_code == 0);
    CHECK(line_of(ana.out, "sent: ").find(", 1 recordings, 1 excerpts") != std::string::npos);
    // The server holds what identifies the file, never the file or where it lies.
    const std::string recording_sql = "SELECT sha256 || ' ' || offset_seconds || ' ' || original_name || ' ' || "
                                      "has_video || ' ' || bytes FROM attune.recordings";
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {recording_sql}) ==
          sha256 + " 0.5 " + media->colour_video.filename().string() + " true " +
              std::to_string(std::filesystem::file_size(media->colour_video)) + "\n");
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT count(*) FROM information_schema.columns WHERE table_schema = 'attune' AND "
                         "table_name = 'recordings' AND column_name IN ('path', 'storage')"}) == "0\n");
    const CliResult again = p.sync(kAna);
    REQUIRE(again.exit_code == 0);
    CHECK(line_of(again.out, "sent: ").find(", 0 recordings, 0 excerpts") != std::string::npos);

    // Sam's copy has the link without the file, links his own copy of it, and lines it up as Ana's does.
    const CliResult sam = p.sync(kSam);
    INFO(sam.out << sam.err);
    REQUIRE(sam.exit_code == 0);
    CHECK(line_of(sam.out, "new here: ").find(", 1 recordings, 1 excerpts") != std::string::npos);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT count(*) FROM attune.audit_log WHERE action = 'pull' AND entity IN ('recordings', "
                         "'excerpts') AND login_name = 'sam_reyes' AND cardinality(row_uuids) = 1"}) == "2\n");
    const CliResult too_early = p.as(kSam, "recording frame --case 'Couple 8' --session 1 --at 3 --out early.png");
    CHECK(too_early.exit_code != 0);
    CHECK(too_early.err.find("this copy does not have the file of colours.mp4 (SHA-256 ") != std::string::npos);
    CHECK(too_early.err.find(sha256) != std::string::npos);
    const CliResult other_file =
        p.as(kSam, "recording add --case 'Couple 8' --session 1 --file " + shell_quote(media->tone.string()));
    CHECK(other_file.exit_code != 0);
    CHECK(other_file.err.find(sha256_hex(read_file(media->tone))) != std::string::npos);
    CHECK(other_file.err.find(sha256) != std::string::npos);
    const CliResult offset = p.as(kSam, "recording add --case 'Couple 8' --session 1 --file " + video + " --offset 4");
    CHECK(offset.exit_code != 0);
    CHECK(offset.err.find("only the case's clinician may set the recording's offset of session 1 of Couple 8, not "
                          "Sam Reyes") != std::string::npos);
    const CliResult linked = p.as(kSam, "recording add --case 'Couple 8' --session 1 --file " + video);
    INFO(linked.out << linked.err);
    REQUIRE(linked.exit_code == 0);
    const CliResult frame = p.as(kSam, "recording frame --case 'Couple 8' --session 1 --at 3 --out sam.png");
    INFO(frame.err);
    REQUIRE(frame.exit_code == 0);
    CHECK(frame.err.find("session second 3 is media second 3.5;") != std::string::npos);

    // Sam marks an excerpt of his own: it reaches Ana.
    REQUIRE(p.as(kSam, "excerpt add --case 'Couple 8' --session 1 --from 4 --to 6 --stage 1 --name 'Sam marks'")
                .exit_code == 0);
    const CliResult sam_sends = p.sync(kSam);
    INFO(sam_sends.out << sam_sends.err);
    REQUIRE(sam_sends.exit_code == 0);
    CHECK(line_of(sam_sends.out, "sent: ").find(", 0 recordings, 1 excerpts") != std::string::npos);
    REQUIRE(p.sync(kAna).exit_code == 0);
    const CliResult listed = p.as(kAna, "excerpt list --case 'Couple 8'");
    CHECK(listed.out == "1\tstage 2\t00:00:01.000\t00:00:03.000\tFirst reach\n"
                        "1\tstage 1\t00:00:04.000\t00:00:06.000\tSam marks\n");

    // What the database refuses: Ben reads none and adds none; nobody but Ana changes the offset, and she
    // changes nothing else; nobody deletes; Sam marks no excerpt in Ana's name.
    CHECK(p.cluster.sql(kBen.login, kDatabase, {"SELECT count(*) FROM attune.recordings"}) == "0\n");
    CHECK(p.cluster.sql(kBen.login, kDatabase, {"SELECT count(*) FROM attune.excerpts"}) == "0\n");
    const std::string session_uuid =
        p.cluster.sql(p.cluster.superuser(), kDatabase, {"SELECT uuid FROM attune.sessions"}).substr(0, 36);
    const std::string recording_uuid =
        p.cluster.sql(p.cluster.superuser(), kDatabase, {"SELECT uuid FROM attune.recordings"}).substr(0, 36);
    const ThrowawayCluster::SqlResult ben_adds = p.cluster.run_sql(
        kBen.login, kDatabase,
        {"INSERT INTO attune.recordings (uuid, session_uuid, sha256, duration_seconds, has_video, offset_seconds, "
         "original_name, bytes, created_at, updated_at) VALUES (gen_random_uuid(), '" + session_uuid + "', '" +
         std::string(64, 'a') + "', 10, true, 0, 'x.mp4', 1, 'now', 'now')"});
    CHECK(ben_adds.exit_code != 0);
    CHECK(ben_adds.out.find("new row violates row-level security policy for table \"recordings\"") !=
          std::string::npos);
    for (const auto& [m, change, refusal] :
         {std::tuple{kSam, "UPDATE attune.recordings SET offset_seconds = 9",
                     "permission denied for table recordings"},
          {kAna, "UPDATE attune.recordings SET sha256 = repeat('b', 64)", "permission denied for table recordings"},
          {kAna, "DELETE FROM attune.recordings", "permission denied for table recordings"},
          {kAna, "DELETE FROM attune.excerpts", "permission denied for table excerpts"},
          {kAna, "UPDATE attune.excerpts SET stage = 3", "permission denied for table excerpts"}}) {
        const ThrowawayCluster::SqlResult r = p.cluster.run_sql(m.login, kDatabase, {change});
        INFO(m.name << ": " << change << "\n" << r.out);
        CHECK(r.exit_code != 0);
        CHECK(r.out.find(refusal) != std::string::npos);
    }
    const std::string in_anas_name =
        "INSERT INTO attune.excerpts (uuid, recording_uuid, name, stage, media_start, media_stop, created_by, "
        "created_at) VALUES (gen_random_uuid(), '" + recording_uuid + "', 'forged', 1, 0, 1, (SELECT uuid FROM "
        "attune.people WHERE name = 'Ana Ruiz'), 'now')";
    const ThrowawayCluster::SqlResult forged = p.cluster.run_sql(kSam.login, kDatabase, {in_anas_name});
    CHECK(forged.exit_code != 0);
    CHECK(forged.out.find("new row violates row-level security policy for table \"excerpts\"") != std::string::npos);

    // Ana moves the offset: it reaches Sam, whose own file stays linked.
    REQUIRE(p.as(kAna, "recording add --case 'Couple 8' --session 1 --file " + video + " --offset 1.5").exit_code ==
            0);
    REQUIRE(p.sync(kAna).exit_code == 0);
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase, {"SELECT offset_seconds FROM attune.recordings"}) ==
          "1.5\n");
    const CliResult sam_again = p.sync(kSam);
    INFO(sam_again.out << sam_again.err);
    REQUIRE(sam_again.exit_code == 0);
    CHECK(line_of(sam_again.out, "updated here: ").find(", 1 recordings, 0 excerpts") != std::string::npos);
    const CliResult moved = p.as(kSam, "recording frame --case 'Couple 8' --session 1 --at 3 --out moved.png");
    INFO(moved.err);
    REQUIRE(moved.exit_code == 0);
    CHECK(moved.err.find("session second 3 is media second 4.5;") != std::string::npos);

    // A coder assigned the session receives the link and both excerpts, and marks none on the server.
    cora_joins_for_session_one(p, "Couple 8");
    const CliResult cora_list = p.as(kCora, "recording list --case 'Couple 8'");
    INFO(cora_list.err);
    CHECK(cora_list.out.find(sha256) != std::string::npos);
    CHECK(cora_list.out.find("offset 00:00:01.500") != std::string::npos);
    CHECK(cora_list.out.find("its file not in this copy (recording add)") != std::string::npos);
    CHECK(p.as(kCora, "excerpt list --case 'Couple 8'").out == listed.out);
    const ThrowawayCluster::SqlResult cora_marks = p.cluster.run_sql(
        kCora.login, kDatabase, {"INSERT INTO attune.excerpts (uuid, recording_uuid, name, stage, media_start, "
                                 "media_stop, created_by, created_at) VALUES (gen_random_uuid(), '" + recording_uuid +
                                 "', 'mine', 1, 0, 1, attune.me(), 'now')"});
    CHECK(cora_marks.exit_code != 0);
    CHECK(cora_marks.out.find("permission denied for table excerpts") != std::string::npos);
}


TEST_CASE("a clinician links different recordings of one session on two machines offline: the server keeps the "
          "first to arrive, the other copy keeps its own and is told, and nothing of it reaches the server",
          "[server][recordings]") {
    std::string why;
    const auto& media = test_media(&why);
    if (!media) SKIP(why);
    SyncedPractice p;
    run_all_as(p, kAna,
               {"case add --label 'Couple 9' --partners Ida,Leo", "session start --case 'Couple 9'",
                "session end --case 'Couple 9' --duration 9"});
    REQUIRE(p.sync(kAna).exit_code == 0);
    // Ana's laptop: a copy of the practice of its own that pulls the case.
    practice_of_four().copy_to(p.dir / "laptop.db");
    const auto on_laptop = [&](const std::string& args) {
        return run_attune(args + " --db laptop.db", p.dir.path(), kAna.passphrase, kAna.name);
    };
    const auto sync_laptop = [&] {
        return run_attune("sync --db laptop.db --url " + shell_quote(p.url(kAna)), p.dir.path(), kAna.passphrase,
                          kAna.name);
    };
    REQUIRE(sync_laptop().exit_code == 0);

    // Offline, each machine links a file of its own to session 1; the laptop marks an excerpt on its file.
    const std::string video_sha = sha256_hex(read_file(media->colour_video));
    const std::string tone_sha = sha256_hex(read_file(media->tone));
    REQUIRE(p.as(kAna, "recording add --case 'Couple 9' --session 1 --file " +
                           shell_quote(media->colour_video.string()) + " --offset 0.5")
                .exit_code == 0);
    const CliResult laptop_links =
        on_laptop("recording add --case 'Couple 9' --session 1 --file " + shell_quote(media->tone.string()));
    INFO(laptop_links.out << laptop_links.err);
    REQUIRE(laptop_links.exit_code == 0);
    REQUIRE(on_laptop("excerpt add --case 'Couple 9' --session 1 --from 0.5 --to 2 --stage 1 --name 'On the laptop'")
                .exit_code == 0);

    const CliResult office = p.sync(kAna);
    INFO(office.out << office.err);
    REQUIRE(office.exit_code == 0);
    CHECK(line_of(office.out, "sent: ").find(", 1 recordings, 0 excerpts") != std::string::npos);
    const CliResult laptop = sync_laptop();
    INFO(laptop.out << laptop.err);
    REQUIRE(laptop.exit_code == 0);
    CHECK(line_of(laptop.out, "sent: ").find(", 0 recordings, 0 excerpts") != std::string::npos);
    CHECK(line_of(laptop.out, "conflict: ") ==
          "conflict: case Couple 9 session 1: the recording " + media->colour_video.filename().string() +
              " (SHA-256 " + video_sha + ") is not the one linked here (SHA-256 " + tone_sha + "): kept as here");
    // The server holds the office's link alone; the laptop keeps its file and its excerpt.
    CHECK(p.cluster.sql(p.cluster.superuser(), kDatabase,
                        {"SELECT string_agg(sha256, ',') FROM attune.recordings",
                         "SELECT count(*) FROM attune.excerpts"}) == video_sha + "\n0\n");
    const CliResult laptop_list = on_laptop("recording list --case 'Couple 9'");
    CHECK(laptop_list.out.find(tone_sha) != std::string::npos);
    CHECK(laptop_list.out.find(video_sha) == std::string::npos);
    CHECK(on_laptop("excerpt list --case 'Couple 9'").out == "1\tstage 1\t00:00:00.500\t00:00:02.000\tOn the laptop\n");
    // A second sync moves nothing and fails at nothing.
    const CliResult again = sync_laptop();
    INFO(again.out << again.err);
    REQUIRE(again.exit_code == 0);
    CHECK(line_of(again.out, "sent: ").find(", 0 recordings, 0 excerpts") != std::string::npos);
}

}  // namespace attune::test
