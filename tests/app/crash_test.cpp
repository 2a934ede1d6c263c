// Crash consistency: a writer child logs observations through the session
// logger and prints each id after its commit; we kill it with SIGKILL at random
// moments. After every kill the database must pass integrity_check and hold
// every id the child acknowledged. ATTUNE_CRASH_KILLS sets the number of kills
// (CI: 60; scripts/crash-soak.sh runs 10,000 in batches) and ATTUNE_CRASH_SEED
// the random kill moments, so that soak batches differ from each other.
//
// With personal sign-in every round costs two MODERATE Argon2id unlocks of
// Dr Test's key slot (the child's, then the checker's): the practice's data
// key is reached only through a slot, so ATTUNE_CRASH_RAW_KEY (the soak's
// shortcut past SQLCipher's PBKDF2) no longer applies and is ignored.
#include <poll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <catch2/catch_test_macros.hpp>
#include <csignal>
#include <cstdlib>
#include <random>
#include <set>

#include "app/cli_runner.h"
#include "services/maintenance.h"
#include "services/supervision.h"
#include "support/cli_practice.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

double monotonic_ms() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Round {
    std::set<RowId> acknowledged;
    double start_up_ms = -1;  // from spawning to the first acknowledgement; -1 when there was none
};

// Starts `attune stress-log`, reads acknowledged ids and SIGKILLs it `kill_after_ms`
// after its first acknowledgement (or after spawning, when `from_spawn`).
Round run_and_kill(const std::filesystem::path& db, double kill_after_ms, bool from_spawn) {
    int pipe_fds[2];
    REQUIRE(pipe(pipe_fds) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        const std::string binary = test::attune_binary().string();
        const std::string db_arg = db.string();
        execl(binary.c_str(), binary.c_str(), "stress-log", "--db", db_arg.c_str(), "--user", test::kCliUser, "--case",
              "Crash", "--count", "100000", static_cast<char*>(nullptr));
        _exit(127);
    }
    close(pipe_fds[1]);
    Round round;
    std::string pending;
    const double spawned = monotonic_ms();
    double start = spawned;
    const double give_up = start + 20000;  // a child that never writes fails the test below
    bool waiting_for_first = !from_spawn;
    bool open = true;
    while (open && monotonic_ms() < give_up) {
        const double left = waiting_for_first ? 1000.0 : kill_after_ms - (monotonic_ms() - start);
        if (left <= 0) break;
        pollfd pfd{pipe_fds[0], POLLIN, 0};
        if (poll(&pfd, 1, static_cast<int>(left) + 1) <= 0) continue;
        char buffer[4096];
        const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
        if (n <= 0) {
            open = false;
            break;
        }
        pending.append(buffer, static_cast<size_t>(n));
        size_t newline;
        while ((newline = pending.find('\n')) != std::string::npos) {
            round.acknowledged.insert(std::stoll(pending.substr(0, newline)));
            pending.erase(0, newline + 1);
            if (round.start_up_ms < 0) round.start_up_ms = monotonic_ms() - spawned;
            if (waiting_for_first) {
                waiting_for_first = false;
                start = monotonic_ms();
            }
        }
    }
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    close(pipe_fds[0]);
    return round;
}

}  // namespace

TEST_CASE("killing the writer at random moments never loses an acknowledged observation", "[crash]") {
    test::TempDir dir;
    const auto db_path = dir / "crash.db";
    test::make_cli_practice(db_path);
    const std::string passphrase = test::kCliPassphrase;
    setenv("ATTUNE_PASSPHRASE", passphrase.c_str(), 1);  // the children's
    REQUIRE(
        test::run_attune("case add --db crash.db --label Crash --partners Ana,Ben", dir.path(), passphrase).exit_code ==
        0);
    REQUIRE(test::run_attune("session start --db crash.db --case Crash", dir.path(), passphrase).exit_code == 0);

    // 60 in CI: since personal sign-in a round costs about 7 s under CI's load
    // (two MODERATE unlocks), and 200 rounds were a quarter of CI's time. The
    // soak (docs/crash-soak.md) is where kills are counted in thousands.
    int kills = 60;
    if (const char* env = std::getenv("ATTUNE_CRASH_KILLS")) kills = std::max(1, std::atoi(env));
    unsigned seed = 20261122;
    if (const char* env = std::getenv("ATTUNE_CRASH_SEED"))
        seed = static_cast<unsigned>(std::strtoul(env, nullptr, 10));
    std::mt19937 rng(seed);
    std::set<RowId> all_acknowledged;
    int kills_with_acks = 0;
    // How long a child takes to start writing (the Argon2id unlock is most of
    // it), as last measured: start-up kills land anywhere in it.
    double start_up_ms = 1500;
    for (int round = 0; round < kills; ++round) {
        // One round in ten kills during start-up (key derivation, opening, recovery);
        // the others kill 0-300 ms into writing, i.e. mid-transaction or mid-fsync.
        const bool from_spawn = rng() % 10 == 0;
        const double kill_after =
            from_spawn ? static_cast<double>(rng() % 1000) / 1000.0 * start_up_ms : static_cast<double>(rng() % 300);
        const Round killed = run_and_kill(db_path, kill_after, from_spawn);
        const std::set<RowId>& acked = killed.acknowledged;
        if (!from_spawn && killed.start_up_ms > 0) start_up_ms = killed.start_up_ms;
        kills_with_acks += acked.empty() ? 0 : 1;
        all_acknowledged.insert(acked.begin(), acked.end());

        auto practice = test::open_practice(db_path, passphrase, test::kCliUser);
        const HealthReport health = services::check_health(*practice);
        INFO("round " << round << ": " << (health.integrity_messages.empty() ? "" : health.integrity_messages[0]));
        REQUIRE(health.integrity_ok);
        REQUIRE(health.audit.ok);
        const Case c = services::find_case(*practice, "Crash");
        const Session s = services::find_session(*practice, c, 1);
        std::set<RowId> stored;
        for (const Observation& o : services::load_supervision(*practice, c.id, s.id).observations)
            stored.insert(o.id);
        for (RowId id : acked) {
            INFO("round " << round << " lost acknowledged observation " << id);
            REQUIRE(stored.count(id) == 1);
        }
    }
    // The kills must really have landed during writing, not only before the first commit.
    REQUIRE(kills_with_acks > kills / 2);
    REQUIRE(all_acknowledged.size() > static_cast<size_t>(kills));
}
