// bench_server.cpp: the `server` group of attune-bench (bench_server.h).
//
// [SECTION] Child processes: the throwaway cluster and psql
// [SECTION] The practice: an administrator, one clinician, one supervisor, two files
// [SECTION] Measurements at one size
// [SECTION] measure_server and its table
//
// Every figure is wall time (CLOCK_MONOTONIC): a sync waits on the server,
// on the disk and on psql, not only on this thread. The process's CPU time
// of a sync is reported beside it (what Attune itself spends, not the server).
#include "bench/bench_server.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "bench/bench_measure.h"
#include "core/error.h"
#include "core/session_digest.h"
#include "core/uuid.h"
#include "services/cases.h"
#include "services/open_practice.h"
#include "services/people.h"
#include "services/practice_server.h"
#include "services/practice_sync.h"
// The practices are written with the demo's own generator and bulk writer
// (what `attune demo` uses), with one clinician who treats every couple.
#include "services/demo_internal.h"
#include "services/practice_access.h"
#include "store/demo_writer.h"
#include "store/repositories.h"

namespace attune::app::bench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// [SECTION] Child processes

struct Ran {
    int exit_code = -1;
    std::string out;  // standard output and error together
};

Ran run_shell(const std::string& command) {
    Ran ran;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return ran;
    char buffer[4096];
    size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) ran.out.append(buffer, n);
    const int status = pclose(pipe);
    ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return ran;
}

std::string quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string pg_bin() {
    const char* pgbin = std::getenv("PGBIN");
    return pgbin && *pgbin ? pgbin : "/usr/lib/postgresql/15/bin";
}

// Why no throwaway cluster can be made here (empty: one can): what the
// script needs, looked for before it runs.
std::string why_no_cluster() {
    for (const char* tool : {"initdb", "pg_ctl", "psql"})
        if (access((pg_bin() + "/" + tool).c_str(), X_OK) != 0)
            return "no " + pg_bin() + "/" + tool + " (Debian package postgresql-15 is not installed)";
    if (run_shell("command -v openssl").exit_code != 0) return "no openssl (the cluster's test certificates)";
    return "";
}

// A throwaway cluster (tests/server/throwaway_cluster.sh start), stopped and
// removed when this goes away. Its password file, with every login the bench
// adds, is PGPASSFILE for this process and the psql it starts.
class Cluster {
public:
    // Empty `why`: started. Otherwise the reason it was not (a missing
    // postgresql-15 or openssl). Any other failure throws.
    Cluster(const fs::path& script, std::string& why) : script_(script) {
        why = why_no_cluster();
        if (!why.empty()) return;
        if (!fs::exists(script_)) throw Error(Error::Kind::NotFound, "no cluster script at " + script_.string());
        const Ran started = run_shell("bash " + quote(script_.string()) + " start");
        std::istringstream lines(started.out);
        for (std::string line; std::getline(lines, line);) {
            const auto equals = line.find('=');
            if (equals == std::string::npos) continue;
            const std::string key = line.substr(0, equals), value = line.substr(equals + 1);
            if (key == "dir") dir_ = value;
            if (key == "socket") socket_ = value;
            if (key == "port") port_ = std::atoi(value.c_str());
            if (key == "superuser") superuser_ = value;
        }
        if (started.exit_code != 0 || dir_.empty() || socket_.empty() || port_ <= 0) {
            if (started.out.find("missing") != std::string::npos) {
                why = started.out.substr(0, started.out.find('\n'));
                return;
            }
            throw Error(Error::Kind::Io, "the throwaway PostgreSQL cluster did not start: " + started.out);
        }
        setenv("PGPASSFILE", (dir_ / "pgpass").c_str(), 1);
        for (const char* name : {"PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE", "PGSERVICE", "PGPASSWORD",
                                 "PGOPTIONS", "PGSSLMODE"})
            unsetenv(name);
    }
    ~Cluster() {
        if (!dir_.empty()) run_shell("bash " + quote(script_.string()) + " stop " + quote(dir_.string()));
    }
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    const std::string& superuser() const { return superuser_; }
    void remember_password(const std::string& role, const std::string& password) const {
        std::ofstream(dir_ / "pgpass", std::ios::app) << "*:*:*:" << role << ":" << password << "\n";
    }
    // A libpq URL for `role` on `database` over the Unix socket (password from PGPASSFILE).
    std::string url(const std::string& role, const std::string& database) const {
        return "postgresql://" + role + "@/" + database + "?host=" + socket_.string() + "&port=" + std::to_string(port_);
    }
    // The psql command line running each of `commands` (-c) as `role`.
    std::string psql(const std::string& role, const std::string& database,
                     const std::vector<std::string>& commands) const {
        std::string command = quote(pg_bin() + "/psql") + " -X -q -A -t -v ON_ERROR_STOP=1 -h " +
                              quote(socket_.string()) + " -p " + std::to_string(port_) + " -U " + quote(role) +
                              " -d " + quote(database);
        for (const std::string& c : commands) command += " -c " + quote(c);
        return command + " </dev/null";
    }
    // Runs psql; throws with its output when it fails.
    std::string sql(const std::string& role, const std::string& database,
                    const std::vector<std::string>& commands) const {
        const Ran ran = run_shell(psql(role, database, commands));
        if (ran.exit_code != 0) throw Error(Error::Kind::Io, "psql as " + role + " failed: " + ran.out);
        return ran.out;
    }

private:
    fs::path script_;
    fs::path dir_;
    fs::path socket_;
    int port_ = 0;
    std::string superuser_;
};

// Wall seconds of one psql run (start, connect with SCRAM, the commands, exit).
double timed_psql(const Cluster& cluster, const std::string& role, const std::string& database,
                  const std::vector<std::string>& commands) {
    const std::string command = cluster.psql(role, database, commands);
    const double start = wall_seconds();
    const Ran ran = run_shell(command);
    const double elapsed = wall_seconds() - start;
    if (ran.exit_code != 0) throw Error(Error::Kind::Io, "psql as " + role + " failed: " + ran.out);
    return elapsed;
}

// [SECTION] The practice

struct Size {
    const char* name;
    int cases;
    int sessions_per_case;
};
constexpr int kEventsPerSession = 100;  // as scripts/bench.sh's demo databases
constexpr Size kSizes[] = {{"small", 2, 10}, {"between", 6, 30}, {"medium", 20, 60}, {"large", 200, 60}};

const std::string kAdministrator = "Bench Admin";
const std::string kClinician = "Bench Clinician";
const std::string kSupervisor = "Bench Supervisor";
const std::string kDatabase = "practice";
const std::string kOwner = "practice_owner";

std::string passphrase_of(const std::string& name) { return name + "'s bench passphrase"; }

// Key slots with libsodium's lowest Argon2id limits (set in C++ only, as the
// tests do): opening is not what this group measures.
std::unique_ptr<services::OpenPractice> open_as(const fs::path& path, const std::string& name, bool create) {
    services::OpenRequest request;
    request.path = path;
    request.person = name;
    request.passphrase = services::KeyMaterial(passphrase_of(name));
    request.kdf = crypto::kKdfLibraryMinimum;
    request.kdf_minimum = crypto::kKdfLibraryMinimum;
    request.create_if_missing = create;
    if (create) request.new_administrator = name;
    return services::OpenPractice::open(std::move(request));
}

std::string new_password() {
    std::string password;
    for (char c : new_uuid())
        if (c != '-') password += c;
    return password;
}

void copy_practice(const fs::path& from, const fs::path& to) {
    for (const char* suffix : {"", "-wal", ".keyring"}) {
        const fs::path source = from.string() + suffix;
        std::error_code ec;
        if (fs::exists(source, ec))
            fs::copy_file(source, to.string() + suffix, fs::copy_options::overwrite_existing);
    }
}

// The clinician's caseload, written as `attune demo` writes its own (the
// demo's events, notes and bulk writer), every couple theirs, every case
// supervised by the supervisor, every session ended, noted and signed.
int write_caseload(services::OpenPractice& practice, const Size& size, const Person& supervisor) {
    namespace demo = services::demo;
    store::Database& db = services::database_of(practice);
    const Person me = practice.person();
    const CodingScheme scheme = practice.default_scheme();
    store::DemoWriter writer(db);
    writer.set_signer([&](const Case&, const store::DemoSession& session) {
        store::SignatureDraft draft;
        draft.layers = {me.id};
        draft.signed_at = session.session.date + "T20:00:00Z";
        const SessionContent content = SessionContent::of(session.session, session.progress_note,
                                                          session.observations, {{me.id, me.uuid}}, {});  // no pauses
        const crypto::Bytes digest =
            crypto::sha256(crypto::as_bytes(canonical_session_bytes(content, {me.uuid, me.name, draft.signed_at})));
        draft.digest = crypto::to_hex(digest);
        draft.signature = crypto::to_hex(practice.sign(digest));
        return draft;
    });
    demo::Random labels_random(demo::stream_seed(1, 0, 1));
    const std::vector<std::string> labels = demo::case_labels(size.cases, labels_random);
    const std::int64_t today = demo::days_from_iso("2026-11-01");
    std::vector<store::DemoCase> batch;
    int batch_observations = 0, observations = 0;
    for (int k = 0; k < size.cases; ++k) {
        demo::Random random(demo::stream_seed(1, static_cast<std::uint64_t>(k), 2));
        store::DemoCase dc;
        Case& c = dc.info;
        c.label = labels[static_cast<size_t>(k)];
        c.clinician_id = me.id;
        c.supervisor_id = supervisor.id;
        c.scheme_id = practice.default_scheme_id();
        c.partner_a = {Who::A, demo::partner_name(random), demo::attachment_style(random, true), "pursuer"};
        c.partner_b = {Who::B, demo::partner_name(random), demo::attachment_style(random, false), "withdrawer"};
        const std::string topic = demo::topic(random);
        c.goals = demo::goals_text(random, c.partner_a.display_name, c.partner_b.display_name, topic);
        c.start_date = demo::iso_from_days(today - 7 * size.sessions_per_case);
        for (int j = 1; j <= size.sessions_per_case; ++j) {
            const double health = std::min(0.9, 0.1 + 0.8 * j / size.sessions_per_case);
            store::DemoSession ds;
            Session& s = ds.session;
            s.number = j;
            s.date = demo::iso_from_days(today - 7 * (size.sessions_per_case - j));
            s.start_time = "10:00";
            s.state = SessionState::Ended;
            s.eft_stage = health < 0.4 ? 1 : health < 0.7 ? 2 : 3;
            s.eft_step = std::min(9, 1 + static_cast<int>(health * 9));
            s.ratings = {random.between(2, 9), random.between(2, 9), random.between(3, 9)};
            demo::SessionShape shape;
            shape.pursuer = Who::A;
            shape.health = health;
            shape.stage = *s.eft_stage;
            shape.rater_id = me.id;
            shape.length_tenths = random.between(27000, 33000);
            shape.events = kEventsPerSession;
            s.active_seconds = shape.length_tenths / 10.0;
            ds.observations = demo::generate_events(random, scheme, shape);
            demo::NoteContext note;
            note.session_number = j;
            note.stage = *s.eft_stage;
            note.step = *s.eft_step;
            note.health = health;
            note.pursuer = c.partner_a.display_name;
            note.withdrawer = c.partner_b.display_name;
            note.topic = topic;
            note.minutes = s.active_seconds / 60.0;
            note.facts = demo::summarize(scheme, ds.observations, Who::A);
            ds.progress_note = demo::progress_note(random, note);
            ds.note_signed = true;
            batch_observations += static_cast<int>(ds.observations.size());
            dc.sessions.push_back(std::move(ds));
        }
        batch.push_back(std::move(dc));
        if (batch_observations < 60000 && k + 1 < size.cases) continue;
        writer.write_cases(batch);
        observations += batch_observations;
        batch.clear();
        batch_observations = 0;
    }
    return observations;
}

// [SECTION] Measurements at one size

json counts_json(const BundleCounts& counts) {
    return {{"cases", counts.cases},         {"sessions", counts.sessions},   {"observations", counts.observations},
            {"progress_notes", counts.progress_notes}, {"signatures", counts.signatures}};
}

struct TimedSync {
    services::SyncReport report;
    double wall = 0;
    double cpu = 0;  // this process, all threads
};

TimedSync timed_sync(services::OpenPractice& practice, const std::string& url) {
    TimedSync out;
    const double wall_start = wall_seconds();
    const double cpu_start = process_cpu_seconds();
    out.report = services::sync_with_server(practice, url);
    out.cpu = process_cpu_seconds() - cpu_start;
    out.wall = wall_seconds() - wall_start;
    return out;
}

json ratio(const Stats& value, const Stats& floor) {
    return {{"p50", value.median / std::max(1e-9, floor.median)}, {"p95", value.p95 / std::max(1e-9, floor.p95)}};
}

json measure_size(const Size& size, const ServerBenchOptions& options, const fs::path& work,
                  const std::function<void(const std::string&)>& phase) {
    std::string why;
    const Cluster cluster(options.cluster_script, why);
    if (!why.empty()) throw Error(Error::Kind::NotFound, why);  // measure_server checked before
    const std::string owner_password = new_password();
    cluster.sql(cluster.superuser(), "postgres",
                {"CREATE ROLE " + kOwner + " LOGIN CREATEROLE PASSWORD '" + owner_password + "'",
                 "CREATE DATABASE " + kDatabase + " OWNER " + kOwner});
    cluster.remember_password(kOwner, owner_password);
    const std::string owner_url = cluster.url(kOwner, kDatabase);
    services::init_practice_server(owner_url);

    // The founding administrator adds the clinician and the supervisor, with
    // their own key slots, and gives both a login on the server. The
    // supervisor's machine gets a copy of the file before any case exists.
    phase(std::string("server ") + size.name + ": the practice, people and logins");
    const fs::path clinician_file = work / "clinician.attune-db";
    const fs::path supervisor_file = work / "supervisor.attune-db";
    Person supervisor;
    {
        auto founder = open_as(clinician_file, kAdministrator, true);
        services::add_person(*founder, kClinician, GrantRole::Clinician, false,
                             services::KeyMaterial(passphrase_of(kClinician)));
        supervisor = services::add_person(*founder, kSupervisor, GrantRole::Supervisor, false,
                                          services::KeyMaterial(passphrase_of(kSupervisor)));
        for (const std::string& name : {kClinician, kSupervisor}) {
            const std::string password = new_password();
            services::add_server_person(*founder, owner_url, name, services::KeyMaterial(password));
            cluster.remember_password(services::server_login_name(name), password);
        }
    }
    copy_practice(clinician_file, supervisor_file);
    const std::string clinician_url = cluster.url(services::server_login_name(kClinician), kDatabase);
    const std::string supervisor_url = cluster.url(services::server_login_name(kSupervisor), kDatabase);

    phase(std::string("server ") + size.name + ": writing " + std::to_string(size.cases) + " cases");
    auto clinician = open_as(clinician_file, kClinician, false);
    const int observations = write_caseload(*clinician, size, supervisor);
    auto at_supervisor = open_as(supervisor_file, kSupervisor, false);

    json out;
    out["practice"] = {{"cases", size.cases},
                       {"sessions", size.cases * size.sessions_per_case},
                       {"observations", observations}};

    // (a) The first syncs: everything up, then everything down.
    phase(std::string("server ") + size.name + ": first syncs");
    const TimedSync push = timed_sync(*clinician, clinician_url);
    const TimedSync pull = timed_sync(*at_supervisor, supervisor_url);
    if (pull.report.received.observations != observations || pull.report.merged.created.observations != observations)
        throw Error(Error::Kind::Invalid, "the supervisor received " +
                                              std::to_string(pull.report.received.observations) + " of " +
                                              std::to_string(observations) + " observations");
    if (!pull.report.signature_problems.empty())
        throw Error(Error::Kind::Invalid, "a signature did not verify at the supervisor: " +
                                              pull.report.signature_problems.front());
    out["clinician_first_sync_s"] = push.wall;
    out["clinician_first_sync_cpu_s"] = push.cpu;
    out["clinician_first_sync_pushed"] = counts_json(push.report.pushed);
    out["supervisor_first_sync_s"] = pull.wall;
    out["supervisor_first_sync_cpu_s"] = pull.cpu;
    out["supervisor_first_sync_received"] = counts_json(pull.report.received);
    // How long each first sync held the file's write lock (the merge), against the busy timeout (2 s) the
    // window's logging waits before it queues an observation.
    out["clinician_first_sync_merge_s"] = push.report.merge_seconds;
    out["supervisor_first_sync_merge_s"] = pull.report.merge_seconds;
    out["clinician_first_sync_merge_hold_s"] = push.report.merge_hold_seconds;
    out["supervisor_first_sync_merge_hold_s"] = pull.report.merge_hold_seconds;
    out["supervisor_first_sync_merge_parts"] = pull.report.merge_parts;

    // A sync with nothing to move: what every sync costs at this size.
    std::vector<double> in_step_clinician, in_step_supervisor;
    for (int run = 0; run < options.runs; ++run) {
        in_step_clinician.push_back(timed_sync(*clinician, clinician_url).wall);
        in_step_supervisor.push_back(timed_sync(*at_supervisor, supervisor_url).wall);
    }
    out["clinician_sync_in_step_s"] = to_json(summarize(in_step_clinician));
    out["supervisor_sync_in_step_s"] = to_json(summarize(in_step_supervisor));

    // (b) The floor of (a): the same session and observation rows, read out
    // of the server as CSV, copied by psql's \copy into plain tables made
    // LIKE the server's (columns, checks, primary key and indexes; no
    // row-level security, triggers or foreign keys), as the superuser; and
    // copied out again (the pull's floor).
    phase(std::string("server ") + size.name + ": COPY floor");
    const fs::path sessions_csv = work / "sessions.csv", observations_csv = work / "observations.csv";
    const std::string super = cluster.superuser();
    cluster.sql(super, kDatabase,
                {"\\copy (SELECT * FROM attune.sessions) TO '" + sessions_csv.string() + "' CSV",
                 "\\copy (SELECT * FROM attune.observations) TO '" + observations_csv.string() + "' CSV",
                 "CREATE TABLE floor_sessions (LIKE attune.sessions INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                 "INCLUDING INDEXES)",
                 "CREATE TABLE floor_observations (LIKE attune.observations INCLUDING DEFAULTS INCLUDING "
                 "CONSTRAINTS INCLUDING INDEXES)"});
    std::vector<double> copy_in, copy_out, psql_start;
    for (int run = 0; run < options.runs; ++run) {
        cluster.sql(super, kDatabase, {"TRUNCATE floor_sessions, floor_observations", "CHECKPOINT"});
        copy_in.push_back(timed_psql(cluster, super, kDatabase,
                                     {"\\copy floor_sessions FROM '" + sessions_csv.string() + "' CSV",
                                      "\\copy floor_observations FROM '" + observations_csv.string() + "' CSV"}));
        copy_out.push_back(timed_psql(cluster, super, kDatabase,
                                      {"\\copy floor_sessions TO '/dev/null' CSV",
                                       "\\copy floor_observations TO '/dev/null' CSV"}));
        psql_start.push_back(timed_psql(cluster, super, kDatabase, {"SELECT 1"}));
    }
    const std::string copied = cluster.sql(super, kDatabase, {"SELECT count(*) FROM floor_observations"});
    if (std::atoi(copied.c_str()) != observations)
        throw Error(Error::Kind::Invalid, "the COPY floor copied " + copied + " observations");
    const Stats copy_in_stats = summarize(copy_in), copy_out_stats = summarize(copy_out);
    out["copy_in_floor_s"] = to_json(copy_in_stats);
    out["copy_out_floor_s"] = to_json(copy_out_stats);
    out["clinician_first_sync_over_copy_in"] = push.wall / std::max(1e-9, copy_in_stats.median);
    out["supervisor_first_sync_over_copy_out"] = pull.wall / std::max(1e-9, copy_out_stats.median);
    out["supervisor_first_sync_over_copy_in"] = pull.wall / std::max(1e-9, copy_in_stats.median);

    // (c) One observation's round trip: logged on the clinician's machine in a
    // running session, their sync, the supervisor's sync, there. The session
    // itself is started and synced to both first (not timed).
    phase(std::string("server ") + size.name + ": round trips");
    const Case first_case = services::list_cases(*clinician).front().info;
    const Session running = services::start_session(*clinician, first_case.id, "2026-11-01");
    timed_sync(*clinician, clinician_url);
    timed_sync(*at_supervisor, supervisor_url);
    store::Database& supervisor_db = services::database_of(*at_supervisor);
    RowId supervisor_case = 0;
    for (const CaseSummary& c : store::CaseRepository(supervisor_db).list())
        if (c.info.uuid == first_case.uuid) supervisor_case = c.info.id;
    const auto supervisor_session = store::SessionRepository(supervisor_db).find(supervisor_case, running.number);
    if (!supervisor_session) throw Error(Error::Kind::NotFound, "the running session did not reach the supervisor");
    std::vector<double> round_trip, log_part, push_part, pull_part;
    for (int run = 0; run < options.runs; ++run) {
        services::LogRequest request;
        request.who = run % 2 == 0 ? Who::A : Who::B;
        request.code = "validate";
        request.at = 10.0 + run;
        const double start = wall_seconds();
        const Observation logged = services::log_observation(*clinician, running, request);
        const double after_log = wall_seconds();
        const TimedSync up = timed_sync(*clinician, clinician_url);
        const TimedSync down = timed_sync(*at_supervisor, supervisor_url);
        bool visible = false;
        for (const Observation& o : store::ObservationRepository(supervisor_db).list_for_session(supervisor_session->id))
            visible = visible || o.uuid == logged.uuid;
        const double end = wall_seconds();
        if (!visible) throw Error(Error::Kind::Invalid, "a logged observation did not reach the supervisor");
        round_trip.push_back(end - start);
        log_part.push_back(after_log - start);
        push_part.push_back(up.wall);
        pull_part.push_back(down.wall);
    }
    // Its floor: one row INSERTed by one psql, SELECTed by another (two
    // connections), into a plain table like attune.observations; and psql's
    // own start, connection and exit (SELECT 1), which both pay.
    cluster.sql(super, kDatabase,
                {"CREATE TABLE floor_round_trip (LIKE attune.observations INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                 "INCLUDING INDEXES)"});
    std::vector<double> floor;
    for (int run = 0; run < options.runs; ++run) {
        const std::string uuid = new_uuid();
        const double start = wall_seconds();
        timed_psql(cluster, super, kDatabase,
                   {"INSERT INTO floor_round_trip (uuid, session_uuid, rater_uuid, t, kind, who, code_id, created_at, "
                    "updated_at) VALUES ('" + uuid + "', '" + running.uuid + "', '" + new_uuid() +
                    "', 10, 'point', 'A', 'validate', now()::text, now()::text)"});
        const std::string seen = cluster.sql(super, kDatabase,
                                             {"SELECT count(*) FROM floor_round_trip WHERE uuid = '" + uuid + "'"});
        floor.push_back(wall_seconds() - start);
        if (std::atoi(seen.c_str()) != 1) throw Error(Error::Kind::Invalid, "the round-trip floor did not see its row");
    }
    const Stats round_trip_stats = summarize(round_trip), floor_stats = summarize(floor);
    const Stats psql_start_stats = summarize(psql_start);
    out["round_trip_ms"] = to_json(round_trip_stats, 1000.0);
    out["round_trip_log_ms"] = to_json(summarize(log_part), 1000.0);
    out["round_trip_clinician_sync_ms"] = to_json(summarize(push_part), 1000.0);
    out["round_trip_supervisor_sync_ms"] = to_json(summarize(pull_part), 1000.0);
    out["round_trip_floor_ms"] = to_json(floor_stats, 1000.0);
    out["psql_start_ms"] = to_json(psql_start_stats, 1000.0);
    out["round_trip_floor_without_psql_start_ms"] =
        std::max(0.0, floor_stats.median - 2 * psql_start_stats.median) * 1000.0;
    out["round_trip_over_floor"] = ratio(round_trip_stats, floor_stats);
    return out;
}

}  // namespace

// [SECTION] measure_server and its table

json measure_server(const ServerBenchOptions& options, const std::function<void(const std::string&)>& phase) {
    json out{{"measured", false}, {"reason", nullptr}, {"sizes", json::object()}};
    if (const std::string why = why_no_cluster(); !why.empty()) {
        out["reason"] = why;
        return out;
    }
    // The practices' config (audit checkpoints) and data folders stay in the work folder.
    const fs::path config = options.work / "server-config";
    fs::create_directories(config / "data");
    setenv("XDG_CONFIG_HOME", config.c_str(), 1);
    setenv("XDG_DATA_HOME", (config / "data").c_str(), 1);
    for (const std::string& name : options.sizes) {
        const Size* size = nullptr;
        for (const Size& s : kSizes)
            if (name == s.name) size = &s;
        if (!size) throw Error(Error::Kind::Invalid, "no server bench size '" + name + "' (small, between, medium, large)");
        const fs::path work = options.work / ("server-" + name);
        fs::create_directories(work);
        out["sizes"][name] = measure_size(*size, options, work, phase);
        std::error_code ec;
        fs::remove_all(work, ec);
    }
    out["measured"] = true;
    return out;
}

namespace {

std::string fixed(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

}  // namespace

void print_server_table(const json& server, std::ostream& os) {
    if (!server["measured"].get<bool>()) {
        os << "practice server: not measured (" << server["reason"].get<std::string>() << ")\n";
        return;
    }
    const auto line = [&](const std::string& name, const std::string& value) {
        std::string head = "  " + name;
        head.resize(std::max<size_t>(head.size() + 1, 44), ' ');
        os << head << value << "\n";
    };
    const auto stats = [&](const json& s, const std::string& unit) {
        return "median " + fixed(s["median"].get<double>(), 3) + "  p95 " + fixed(s["p95"].get<double>(), 3) + " " +
               unit + "  (" + std::to_string(s["runs"].get<int>()) + " runs)";
    };
    for (const Size& s : kSizes) {  // smallest first (JSON keeps its keys sorted)
        const std::string size = s.name;
        if (!server["sizes"].contains(size)) continue;
        const json& f = server["sizes"][size];
        os << "practice server, " << size << ": " << f["practice"]["cases"] << " cases, " << f["practice"]["sessions"]
           << " sessions, " << f["practice"]["observations"] << " observations\n";
        line("clinician's first sync (push)", fixed(f["clinician_first_sync_s"].get<double>(), 3) + " s (CPU " +
                                                  fixed(f["clinician_first_sync_cpu_s"].get<double>(), 3) + " s)");
        line("supervisor's first sync (pull)", fixed(f["supervisor_first_sync_s"].get<double>(), 3) + " s (CPU " +
                                                   fixed(f["supervisor_first_sync_cpu_s"].get<double>(), 3) + " s)");
        line("  of it the merge",
             fixed(f["clinician_first_sync_merge_s"].get<double>(), 3) + " s (clinician), " +
                 fixed(f["supervisor_first_sync_merge_s"].get<double>(), 3) + " s (supervisor, " +
                 std::to_string(f["supervisor_first_sync_merge_parts"].get<int>()) + " parts)");
        line("  longest write lock held",
             fixed(f["clinician_first_sync_merge_hold_s"].get<double>(), 3) + " s (clinician), " +
                 fixed(f["supervisor_first_sync_merge_hold_s"].get<double>(), 3) + " s (supervisor)");
        line("raw COPY in floor (psql \\copy)", stats(f["copy_in_floor_s"], "s"));
        line("raw COPY out floor", stats(f["copy_out_floor_s"], "s"));
        line("push over COPY in", fixed(f["clinician_first_sync_over_copy_in"].get<double>(), 1) + "x");
        line("pull over COPY out", fixed(f["supervisor_first_sync_over_copy_out"].get<double>(), 1) + "x");
        line("clinician's sync, nothing to move", stats(f["clinician_sync_in_step_s"], "s"));
        line("supervisor's sync, nothing to move", stats(f["supervisor_sync_in_step_s"], "s"));
        line("one observation's round trip", stats(f["round_trip_ms"], "ms"));
        line("  of it the clinician's sync", stats(f["round_trip_clinician_sync_ms"], "ms"));
        line("  of it the supervisor's sync", stats(f["round_trip_supervisor_sync_ms"], "ms"));
        line("INSERT + SELECT floor (two psql)", stats(f["round_trip_floor_ms"], "ms"));
        line("psql start, connect, SELECT 1", stats(f["psql_start_ms"], "ms"));
        line("round trip over floor", "p50 " + fixed(f["round_trip_over_floor"]["p50"].get<double>(), 1) + "x, p95 " +
                                          fixed(f["round_trip_over_floor"]["p95"].get<double>(), 1) + "x");
    }
}

}  // namespace attune::app::bench
