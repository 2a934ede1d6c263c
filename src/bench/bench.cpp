// attune bench: the performance figures of BENCHMARKS.md, measured on a copy
// of a practice database (normally one made by `attune demo`).
//
// [SECTION] Setup: the copy, the sizes
// [SECTION] Measurements: each phase times one thing the therapist waits for
// [SECTION] Budgets and output (a table, or JSON with --json)
//
// Frames are timed in CPU time of this thread (the machine is shared: wall
// time would count other processes); things that wait on the disk (logging,
// opening, exports) in wall time. Floors measured in the same run give ratios
// that hold on any machine: raw SQLiteCpp inserts under Attune's logging, and
// ImGui's own demo window under each view, through the same headless harness.
#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <sstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/cli.h"
#include "bench/bench_gui.h"
#include "bench/bench_measure.h"
#include "bench/bench_server.h"
#include "core/session_clock.h"
#include "core/uuid.h"
#include "formats/export_pdf.h"
#include "formats/export_text.h"
#include "services/caseload_summaries.h"
#include "services/cases.h"
#include "services/export_gather.h"
#include "services/metrics_internal.h"
#include "services/recordings.h"
// The bench measures below the use cases (the raw-insert floor, SQL statements
// per frame): it alone reaches the store, through the services' own access.
#include "services/practice_access.h"
#include "store/bench_probe.h"
#include "store/metrics_cache.h"
#include "store/repositories.h"
#include "ui/headless_harness.h"
#include "ui/keys.h"

namespace attune::app {
namespace {

namespace fs = std::filesystem;
using bench::Stats;
using bench::summarize;
using nlohmann::json;

struct BenchOptions {
    fs::path copy;           // the database copy everything runs on
    std::string passphrase;  // empty for a plaintext database
    std::string user;        // who signs in (--user; empty: the practice's only person)
    int runs = 30;           // repetitions of each timed operation
    int frames = 300;        // frames timed per view
    int presses = 300;       // observations logged in the live session
    double idle_seconds = 10;
};

// [SECTION] Setup

std::unique_ptr<services::OpenPractice> open_copy(const BenchOptions& options) {
    services::OpenRequest request;
    request.path = options.copy;
    request.person = options.user;
    if (!options.passphrase.empty()) request.passphrase = services::KeyMaterial(options.passphrase);
    return services::OpenPractice::open(std::move(request));
}

// The database, its WAL and its keyring, copied: the bench writes (sessions, observations,
// the metrics cache) and must not change the user's file.
void copy_database(const fs::path& from, const fs::path& to) {
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    const fs::path wal = from.string() + "-wal";
    std::error_code ec;
    if (fs::exists(wal, ec)) fs::copy_file(wal, to.string() + "-wal", fs::copy_options::overwrite_existing);
    const fs::path keyring = from.string() + ".keyring";
    if (fs::exists(keyring, ec)) fs::copy_file(keyring, to.string() + ".keyring", fs::copy_options::overwrite_existing);
}

// A case of the person signed in with sessions and none running (a new
// session can start there: only a case's own clinician starts one).
CaseSummary pick_case(const std::vector<CaseSummary>& cases, RowId clinician_id) {
    for (const CaseSummary& c : cases)
        if (c.sessions > 0 && !c.has_running_session && c.info.clinician_id == clinician_id) return c;
    throw Error(Error::Kind::NotFound,
                "the practice has no case of the person signed in with ended sessions and none running (make it "
                "with attune demo --user NAME, NAME a clinician)");
}

// [SECTION] Measurements

struct FrameTiming {
    Stats cpu;                      // seconds of thread CPU per frame
    std::uint64_t max_queries = 0;  // SQL statements in the worst frame
};

// Times `frames` frames of the shell (or of `draw`), after it settled.
FrameTiming time_frames(ui::Headless& ui, store::Database* db, int frames,
                        const std::function<void()>& draw = nullptr) {
    const auto one_frame = [&] {
        if (draw)
            ui.run_frame_with(draw);
        else
            ui.run_frames(1);
    };
    for (int i = 0; i < 5; ++i)
        one_frame();
    if (!draw) ui.settle();
    std::optional<store::StatementCounter> counter;
    if (db) counter.emplace(*db);
    std::vector<double> samples;
    FrameTiming timing;
    for (int i = 0; i < frames; ++i) {
        const std::uint64_t queries_before = counter ? counter->count() : 0;
        const double start = bench::thread_cpu_seconds();
        one_frame();
        samples.push_back(bench::thread_cpu_seconds() - start);
        if (counter) timing.max_queries = std::max(timing.max_queries, counter->count() - queries_before);
    }
    timing.cpu = summarize(samples);
    return timing;
}

json frame_json(const FrameTiming& timing) {
    json out = bench::to_json(timing.cpu, 1000.0);
    out["queries_per_frame_max"] = timing.max_queries;
    return out;
}

// Codes a partner can log with one letter, that log one observation per press.
std::vector<char> point_code_letters(const CodingScheme& scheme) {
    std::vector<char> letters;
    for (const Code& c : scheme.codes)
        if (c.kind == EventKind::Point && c.hotkey.size() == 1 && c.category != "therapist" &&
            c.polarity != Polarity::Intervention)
            letters.push_back(static_cast<char>(c.hotkey[0] | 0x20));
    if (letters.empty())
        throw Error(Error::Kind::Invalid, "the scheme has no point-code hotkey");
    return letters;
}

// Wall and thread-CPU seconds of repeated runs of one thing.
struct Timed {
    std::vector<double> wall, cpu;
    void add(const std::function<void()>& work) {
        const double wall_start = bench::wall_seconds();
        const double cpu_start = bench::thread_cpu_seconds();
        work();
        cpu.push_back(bench::thread_cpu_seconds() - cpu_start);
        wall.push_back(bench::wall_seconds() - wall_start);
    }
    void put(json& out, const std::string& name, double scale = 1000.0) const {
        const std::string unit = scale == 1000.0 ? "_ms" : "_s";
        out[name + unit] = bench::to_json(summarize(wall), scale);
        out[name + "_cpu" + unit] = bench::to_json(summarize(cpu), scale);
    }
};

// Cold: the metrics cache emptied, every case's row computed (and its metrics
// cached) by the worker the caseload dashboard uses, on its own connection
// (whose key derivation counts: the user waits for it too). Process CPU.
void measure_cold_caseload(const BenchOptions& options, json& out) {
    auto practice = open_copy(options);
    store::Database& db = services::database_of(*practice);
    const store::DatabaseSize size = store::database_size(db);
    out["database"] = {{"cases", size.cases}, {"sessions", size.sessions}, {"observations", size.observations}};
    std::vector<RowId> case_ids;
    for (const CaseSummary& c : store::CaseRepository(db).list()) case_ids.push_back(c.info.id);
    std::vector<double> wall, cpu;
    for (int run = 0; run < std::max(1, std::min(options.runs, 3)); ++run) {
        store::clear_metrics_cache(db);
        const double wall_start = bench::wall_seconds();
        const double cpu_start = bench::process_cpu_seconds();
        services::CaseloadSummaries& worker = practice->caseload_summaries();
        worker.start(case_ids, store::today_local_iso());
        worker.wait();
        if (auto error = worker.take_error()) throw Error(Error::Kind::Io, *error);
        worker.stop();
        wall.push_back(bench::wall_seconds() - wall_start);
        cpu.push_back(bench::process_cpu_seconds() - cpu_start);
    }
    out["caseload_metrics_cold_s"] = bench::to_json(summarize(wall));
    out["caseload_metrics_cold_cpu_s"] = bench::to_json(summarize(cpu));

    // How the cost grows: the same rows one case after another on the connection
    // already open (no key derivation, one thread), per session of the practice.
    const MetricSettings settings = store::load_metric_settings(db);
    const std::string today = store::today_local_iso();
    std::vector<double> serial;
    for (int run = 0; run < std::max(1, std::min(options.runs, 3)); ++run) {
        store::clear_metrics_cache(db);
        const double cpu_start = bench::thread_cpu_seconds();
        for (RowId id : case_ids) services::detail::case_dashboard_row(db, id, settings, today);
        serial.push_back(bench::thread_cpu_seconds() - cpu_start);
    }
    const bench::Stats one_thread = summarize(serial);
    out["caseload_metrics_cold_one_thread_cpu_s"] = bench::to_json(one_thread);
    out["caseload_metrics_cold_cpu_per_session_ms"] =
        size.sessions > 0 ? json(one_thread.median * 1000.0 / static_cast<double>(size.sessions)) : json(nullptr);
}

// From "open this file" to the caseload's first frame; the key derivation,
// timed on its own, is subtracted run by run. With personal sign-in it is the
// Argon2id unlock of the person's key slot (SQLCipher then takes the data key
// raw), timed as verify_passphrase (the same unlock) on the practice held open
// read-only, which takes no writer's lock; a practice without a keyring still
// derives its key with SQLCipher's PBKDF2.
void measure_opening(const BenchOptions& options, json& out) {
    std::unique_ptr<services::OpenPractice> unlocker;
    if (!options.passphrase.empty() && !services::people_with_keys(options.copy).empty()) {
        services::OpenRequest request;
        request.path = options.copy;
        request.person = options.user;
        request.passphrase = services::KeyMaterial(options.passphrase);
        request.read_only = true;
        unlocker = services::OpenPractice::open(std::move(request));
    }
    std::vector<double> kdf, total, after, kdf_cpu, total_cpu, after_cpu, complete, complete_cpu;
    for (int run = 0; run < options.runs; ++run) {
        double key = 0, key_cpu = 0;
        if (!options.passphrase.empty()) {
            const services::KeyMaterial passphrase(options.passphrase);
            const double cpu_start = bench::thread_cpu_seconds();
            if (unlocker) {
                const double wall_start = bench::wall_seconds();
                if (!unlocker->verify_passphrase(passphrase))
                    throw Error(Error::Kind::WrongPassphrase, "timing the key derivation: the passphrase did not unlock");
                key = bench::wall_seconds() - wall_start;
            } else {
                key = store::time_key_derivation(options.copy, options.passphrase);
            }
            key_cpu = bench::thread_cpu_seconds() - cpu_start;
        }
        ui::Headless ui;  // a fresh shell each time, as at program start (fonts are not the database's cost)
        const double start = bench::wall_seconds();
        const double cpu_start = bench::thread_cpu_seconds();
        const double process_cpu_start = bench::process_cpu_seconds();
        ui.shell().model().set_practice(open_copy(options));
        ui.run_frames(1);
        const double elapsed = bench::wall_seconds() - start;
        const double elapsed_cpu = bench::thread_cpu_seconds() - cpu_start;
        ui.settle();  // every case's flags and sparklines in (computed on the worker thread)
        complete.push_back(bench::wall_seconds() - start);
        complete_cpu.push_back(bench::process_cpu_seconds() - process_cpu_start);
        kdf.push_back(key);
        kdf_cpu.push_back(key_cpu);
        total.push_back(elapsed);
        total_cpu.push_back(elapsed_cpu);
        after.push_back(std::max(0.0, elapsed - key));
        after_cpu.push_back(std::max(0.0, elapsed_cpu - key_cpu));
    }
    out["key_derivation_ms"] = bench::to_json(summarize(kdf), 1000.0);
    out["key_derivation_cpu_ms"] = bench::to_json(summarize(kdf_cpu), 1000.0);
    out["open_to_first_frame_ms"] = bench::to_json(summarize(total), 1000.0);
    out["open_to_first_frame_cpu_ms"] = bench::to_json(summarize(total_cpu), 1000.0);
    out["first_frame_after_key_derivation_ms"] = bench::to_json(summarize(after), 1000.0);
    out["first_frame_after_key_derivation_cpu_ms"] = bench::to_json(summarize(after_cpu), 1000.0);
    out["open_to_caseload_complete_ms"] = bench::to_json(summarize(complete), 1000.0);
    out["open_to_caseload_complete_cpu_ms"] = bench::to_json(summarize(complete_cpu), 1000.0);
}

// The dashboard on a cold metrics cache: frames keep coming (with a progress
// bar) while the worker computes every case; how many, how long until every
// row is in, the slowest frame, and the SQL statements run inside frames
// after the first.
// Frames come every 10 ms here (the window draws one every 100 ms), to sample more.
void measure_cold_caseload_view(const BenchOptions& options, json& out) {
    ui::Headless ui;
    auto practice = open_copy(options);
    store::clear_metrics_cache(services::database_of(*practice));
    store::StatementCounter counter(services::database_of(*practice));
    const double start = bench::wall_seconds();
    ui.shell().model().set_practice(std::move(practice));
    std::vector<double> frame_cpu;
    std::uint64_t max_queries = 0;
    do {
        const std::uint64_t queries_before = counter.count();
        const double frame_start = bench::thread_cpu_seconds();
        ui.run_frames(1);
        frame_cpu.push_back(bench::thread_cpu_seconds() - frame_start);
        // The first frame reads the case list once (it changed): not a per-frame query.
        if (frame_cpu.size() > 1) max_queries = std::max(max_queries, counter.count() - queries_before);
        if (ui.shell().busy()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } while (ui.shell().busy() && frame_cpu.size() < 1000000);
    out["caseload_view_cold"] = {{"frames", frame_cpu.size()},
                                 {"wall_s", bench::wall_seconds() - start},
                                 {"queries_per_frame_max", max_queries},
                                 {"frame_cpu_ms", bench::to_json(summarize(frame_cpu), 1000.0)}};
}

// Views, logging, recompute and exports on one open practice. Returns the
// label of the case used, for the live-session window.
std::string measure_in_views(const BenchOptions& options, json& out) {
    ui::Headless ui;
    ui::AppModel& model = ui.shell().model();
    model.set_practice(open_copy(options));
    store::Database& db = services::database_of(model.practice());
    const CaseSummary chosen = pick_case(model.cases(), model.practice().person().id);
    const std::vector<Session> sessions = store::SessionRepository(db).list_for_case(chosen.info.id);
    const Session reviewed = sessions.back();

    json frames;
    model.show_caseload();
    const FrameTiming caseload = time_frames(ui, &db, options.frames);
    model.open_case(chosen.info.id);
    const FrameTiming trends = time_frames(ui, &db, options.frames);
    model.open_review(chosen.info.id, reviewed.id);
    const FrameTiming review = time_frames(ui, &db, options.frames);

    // The live session: presses through the real key path, each raw floor
    // insert interleaved with one press so both see the same disk and load.
    // The floor writes into an ended session of its own: the demo's sessions
    // are signed, and a signed session is sealed against inserts.
    const Session floor_session = store::SessionRepository(db).start(
        chosen.info.id, store::today_local_iso(), store::now_local_hhmm(), wall_clock_seconds());
    store::SessionRepository(db).end(floor_session.id, 3600);
    const Session live = store::SessionRepository(db).start(chosen.info.id, store::today_local_iso(),
                                                            store::now_local_hhmm(), wall_clock_seconds());
    model.open_session(chosen.info.id, live.id);
    ui.run_frames(3);
    ui.press_key(ui::keys::digit(1));  // partner A
    const std::vector<char> letters = point_code_letters(store::SchemeRepository(db).get(live.scheme_id));
    std::vector<double> logging, raw;
    for (int i = 0; i < options.presses; ++i) {
        Observation floor_row;
        floor_row.uuid = new_uuid();
        floor_row.session_id = floor_session.id;
        floor_row.rater_id = db.actor().id;
        floor_row.t = 10.0 + i;
        floor_row.code_id = "validate";
        raw.push_back(store::raw_observation_insert(db, floor_row));

        ui.key_down(ui::keys::letter(letters[static_cast<size_t>(i) % letters.size()]));
        const double start = bench::wall_seconds();
        ui.run_frames(1);  // the frame that sees the key commits the observation
        logging.push_back(bench::wall_seconds() - start);
        ui.key_up(ui::keys::letter(letters[static_cast<size_t>(i) % letters.size()]));
        ui.run_frames(1);
    }
    const auto logged = store::ObservationRepository(db).list_for_session(live.id);
    if (static_cast<int>(logged.size()) != options.presses)
        throw Error(Error::Kind::Invalid, "the live view logged " +
                                                                      std::to_string(logged.size()) + " of " +
                                                                      std::to_string(options.presses) + " presses");
    const FrameTiming live_frames = time_frames(ui, &db, options.frames);
    const FrameTiming demo = time_frames(ui, nullptr, options.frames, [] { ImGui::ShowDemoWindow(); });

    frames["caseload"] = frame_json(caseload);
    frames["case_trends"] = frame_json(trends);
    frames["session_review"] = frame_json(review);
    frames["live_session"] = frame_json(live_frames);
    frames["imgui_demo_window"] = frame_json(demo);
    out["frame_cpu_ms"] = frames;
    out["live_session_observations"] = logged.size();
    json ratios;
    for (const char* view : {"caseload", "case_trends", "session_review", "live_session"})
        ratios[view] = frames[view]["p95"].get<double>() / std::max(1e-9, demo.cpu.p95 * 1000.0);
    out["view_over_demo_window_p95"] = ratios;
    const Stats logging_stats = summarize(logging), raw_stats = summarize(raw);
    out["log_observation_ms"] = bench::to_json(logging_stats, 1000.0);
    out["raw_insert_floor_ms"] = bench::to_json(raw_stats, 1000.0);
    out["logging_over_raw_floor"] = {{"p50", logging_stats.median / std::max(1e-9, raw_stats.median)},
                                     {"p99", logging_stats.p99 / std::max(1e-9, raw_stats.p99)}};

    // One session's metrics recomputed, as after an edit invalidates its cache row.
    const MetricSettings settings = store::load_metric_settings(db);
    const Session live_now = *store::SessionRepository(db).get(live.id);
    Timed recompute;
    for (int run = 0; run < options.runs; ++run)
        recompute.add([&] { services::detail::compute_session_detail(db, live_now, db.actor().id, settings); });
    recompute.put(out, "session_metrics_recompute");

    Timed markdown, pdf;
    const Case c = chosen.info;
    for (int run = 0; run < options.runs; ++run) {
        std::string text, bytes;
        markdown.add(
            [&] { text = formats::format_case_summary(services::detail::gather_case_summary(db, c, "", ""), formats::TextFormat::Markdown); });
        pdf.add([&] { bytes = formats::case_summary_pdf(services::detail::gather_case_summary(db, c, "", ""), formats::PaperSize::A4); });
        if (text.empty() || bytes.empty())
            throw Error(Error::Kind::Invalid, "an export came out empty");
    }
    markdown.put(out, "export_case_markdown");
    pdf.put(out, "export_case_pdf");

    store::SessionRepository(db).end(live.id, live_now.active_seconds);
    return c.label;
}

// The review's idle measure needs a recording: a 60 s 640x360 video at 25
// fps with a tone, made with ffmpeg in the work folder and imported
// (encrypted) into the copy, linked to the case's latest ended session. Returns
// that session's number, or none (with `why`) when ffmpeg is missing.
std::optional<int> link_bench_recording(const BenchOptions& options, const fs::path& work,
                                        const std::string& case_label, std::string& why) {
    const fs::path video = work / "bench-recording.mp4";
    const std::string command =
        "ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i testsrc2=s=640x360:r=25:d=60 -f lavfi -i "
        "sine=frequency=440:duration=60 -c:v libx264 -preset veryfast -g 50 -pix_fmt yuv420p -c:a aac '" +
        video.string() + "'";
    if (std::system(command.c_str()) != 0) {
        why = "ffmpeg could not make the bench's recording (is it installed?)";
        return std::nullopt;
    }
    auto practice = open_copy(options);
    const Case c = services::find_case(*practice, case_label);
    // The latest ended session (the live window's own session may be left running).
    std::optional<Session> ended;
    for (const Session& s : services::list_sessions(*practice, c.id))
        if (s.state == SessionState::Ended) ended = s;
    if (!ended) {
        why = "the case has no ended session to link the bench's recording to";
        return std::nullopt;
    }
    const Session& s = *ended;
    services::RecordingLink link;
    link.file = video;
    services::link_recording(*practice, s, link);
    return s.number;
}

void measure_idle(const BenchOptions& options, const fs::path& work, const std::string& case_label, json& out) {
    const fs::path config = work / "config";
    fs::create_directories(config);
    std::vector<std::string> base{"--db", options.copy.string()};
    if (!options.user.empty()) base.insert(base.end(), {"--user", options.user});
    if (options.passphrase.empty()) base.emplace_back("--no-encryption");
    const double settle_limit = 300;  // the window may start with a due backup of the whole database
    std::vector<std::string> caseload_args = base;
    caseload_args.insert(caseload_args.end(), {"--view", "caseload"});
    const bench::IdleCpu caseload =
        bench::measure_window_idle(caseload_args, config, options.idle_seconds, settle_limit);
    bench::IdleCpu live;
    if (caseload.measured) {
        std::vector<std::string> live_args = base;
        live_args.insert(live_args.end(), {"--view", "session", "--case", case_label, "--start-session"});
        live = bench::measure_window_idle(live_args, config, options.idle_seconds, settle_limit);
    }
    // The review with its recording open and paused: libmpv loaded, its
    // threads started, nothing playing. It should cost what the caseload does.
    bench::IdleCpu review;
    std::string review_why;
    if (caseload.measured && live.measured) {
        if (const auto number = link_bench_recording(options, work, case_label, review_why)) {
            std::vector<std::string> review_args = base;
            review_args.insert(review_args.end(),
                               {"--view", "review", "--case", case_label, "--session", std::to_string(*number)});
            review = bench::measure_window_idle(review_args, config, options.idle_seconds, settle_limit);
            review_why = review.reason;
        }
    }
    json idle;
    idle["measured"] = caseload.measured && live.measured;
    idle["reason"] = !caseload.measured ? caseload.reason : live.reason;
    idle["seconds"] = options.idle_seconds;
    idle["caseload"] = caseload.measured ? json(caseload.cpu_per_wall) : json(nullptr);
    idle["live_session"] = live.measured ? json(live.cpu_per_wall) : json(nullptr);
    idle["review_paused_recording"] = review.measured ? json(review.cpu_per_wall) : json(nullptr);
    idle["review_paused_recording_reason"] = review.measured ? json(nullptr) : json(review_why);
    idle["caseload_settle_s"] = caseload.settle_seconds;
    out["idle_cpu_per_wall_s"] = idle;
    out["peak_rss_mib"]["window"] =
        caseload.measured ? json(std::max({caseload.peak_rss_mib, live.peak_rss_mib, review.peak_rss_mib}))
                          : json(nullptr);
}

// [SECTION] Budgets and output

void add_budget(json& budgets, const std::string& name, const json& value, double limit, const std::string& unit) {
    json line{{"name", name}, {"limit", limit}, {"unit", unit}};
    if (value.is_number()) {
        line["value"] = value;
        line["met"] = value.get<double>() <= limit;
    } else {
        line["value"] = nullptr;
        line["met"] = nullptr;  // not measured
    }
    budgets.push_back(line);
}

json budgets_of(const json& out) {
    json budgets = json::array();
    add_budget(budgets, "first frame after key derivation, CPU (p95)",
               out["first_frame_after_key_derivation_cpu_ms"]["p95"], 500, "ms");
    for (const char* view : {"caseload", "case_trends", "session_review", "live_session"}) {
        add_budget(budgets, std::string(view) + " frame CPU (p95)", out["frame_cpu_ms"][view]["p95"], 2, "ms");
        add_budget(budgets, std::string(view) + " SQL statements in a frame (max)",
                   out["frame_cpu_ms"][view]["queries_per_frame_max"], 0, "");
    }
    add_budget(budgets, "logging p99 over raw insert p99", out["logging_over_raw_floor"]["p99"], 2, "x");
    add_budget(budgets, "one session's metrics recompute, CPU (p95)", out["session_metrics_recompute_cpu_ms"]["p95"], 5,
               "ms");
    add_budget(budgets, "cold caseload metrics, wall (median)", out["caseload_metrics_cold_s"]["median"], 10, "s");
    // "With progress shown": the cold dashboard's frames stay view frames (the
    // worker computes), and none of them runs a query.
    add_budget(budgets, "cold caseload in the view, frame CPU (p95)", out["caseload_view_cold"]["frame_cpu_ms"]["p95"],
               2, "ms");
    add_budget(budgets, "cold caseload in the view, SQL statements in a frame (max)",
               out["caseload_view_cold"]["queries_per_frame_max"], 0, "");
    add_budget(budgets, "case summary PDF, CPU (p95)", out["export_case_pdf_cpu_ms"]["p95"], 1000, "ms");
    add_budget(budgets, "peak memory, bench process", out["peak_rss_mib"]["bench"], 250, "MiB");
    add_budget(budgets, "peak memory, window", out["peak_rss_mib"]["window"], 250, "MiB");
    add_budget(budgets, "idle CPU on the caseload", out["idle_cpu_per_wall_s"]["caseload"], 0.01, "CPU s/s");
    add_budget(budgets, "idle CPU in a live session", out["idle_cpu_per_wall_s"]["live_session"], 0.03, "CPU s/s");
    add_budget(budgets, "idle CPU in the review, recording paused",
               out["idle_cpu_per_wall_s"]["review_paused_recording"], 0.01, "CPU s/s");
    return budgets;
}

std::string number(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

void print_table(const json& out, std::ostream& os) {
    const auto row = [&](const std::string& name, const json& stats, const std::string& unit) {
        std::string head = "  " + name;
        head.resize(std::max<size_t>(head.size() + 1, 44), ' ');
        os << head << "median " << number(stats["median"].get<double>(), 3) << "  p95 "
           << number(stats["p95"].get<double>(), 3) << "  p99 " << number(stats["p99"].get<double>(), 3) << " " << unit
           << "  (" << stats["runs"].get<int>() << " runs)\n";
    };
    os << "attune bench: " << out["database"]["cases"] << " cases, " << out["database"]["sessions"] << " sessions, "
       << out["database"]["observations"] << " observations\n";
    row("key derivation", out["key_derivation_ms"], "ms");
    row("open to first frame", out["open_to_first_frame_ms"], "ms");
    row("first frame after key derivation", out["first_frame_after_key_derivation_ms"], "ms");
    row("  the same in CPU time", out["first_frame_after_key_derivation_cpu_ms"], "ms");
    row("open to caseload complete", out["open_to_caseload_complete_ms"], "ms");
    for (const auto& [view, stats] : out["frame_cpu_ms"].items())
        row("frame CPU: " + view + " (max " + std::to_string(stats["queries_per_frame_max"].get<int>()) + " SQL)",
            stats, "ms");
    row("log one observation (press to commit)", out["log_observation_ms"], "ms");
    row("raw SQLiteCpp insert floor", out["raw_insert_floor_ms"], "ms");
    row("one session's metrics recompute", out["session_metrics_recompute_ms"], "ms");
    row("  the same in CPU time", out["session_metrics_recompute_cpu_ms"], "ms");
    row("cold caseload metrics (wall)", out["caseload_metrics_cold_s"], "s");
    row("cold caseload metrics (CPU)", out["caseload_metrics_cold_cpu_s"], "s");
    row("  one thread, no key derivation (CPU)", out["caseload_metrics_cold_one_thread_cpu_s"], "s");
    if (out["caseload_metrics_cold_cpu_per_session_ms"].is_number())
        os << "  cold caseload CPU per session: "
           << number(out["caseload_metrics_cold_cpu_per_session_ms"].get<double>(), 3) << " ms\n";
    row("case summary as Markdown", out["export_case_markdown_ms"], "ms");
    row("case summary as PDF", out["export_case_pdf_ms"], "ms");
    row("  the same in CPU time", out["export_case_pdf_cpu_ms"], "ms");
    os << "  cold caseload in the view: " << out["caseload_view_cold"]["frames"] << " frames, "
       << number(out["caseload_view_cold"]["wall_s"].get<double>(), 2) << " s wall, slowest frame "
       << number(out["caseload_view_cold"]["frame_cpu_ms"]["max"].get<double>(), 1) << " ms CPU\n";
    os << "  logging over raw floor: p50 " << number(out["logging_over_raw_floor"]["p50"].get<double>(), 2) << "x, p99 "
       << number(out["logging_over_raw_floor"]["p99"].get<double>(), 2) << "x\n";
    for (const auto& [view, ratio] : out["view_over_demo_window_p95"].items())
        os << "  " << view << " over ImGui demo window (p95): " << number(ratio.get<double>(), 2) << "x\n";
    const json& idle = out["idle_cpu_per_wall_s"];
    if (idle["measured"].get<bool>()) {
        os << "  idle CPU: caseload " << number(idle["caseload"].get<double>(), 4) << ", live session "
           << number(idle["live_session"].get<double>(), 4) << " CPU s per wall s over " << idle["seconds"] << " s\n";
        if (idle["review_paused_recording"].is_number())
            os << "  idle CPU in the review with a paused recording: "
               << number(idle["review_paused_recording"].get<double>(), 4) << " CPU s per wall s\n";
        else
            os << "  idle CPU in the review with a paused recording: not measured ("
               << idle["review_paused_recording_reason"].get<std::string>() << ")\n";
    } else
        os << "  idle CPU: not measured (" << idle["reason"].get<std::string>() << ")\n";
    os << "  peak RSS: bench " << number(out["peak_rss_mib"]["bench"].get<double>(), 1) << " MiB";
    if (out["peak_rss_mib"]["window"].is_number())
        os << ", window " << number(out["peak_rss_mib"]["window"].get<double>(), 1) << " MiB";
    os << "\nBudgets:\n";
    for (const json& b : out["budgets"]) {
        std::string head = "  " + b["name"].get<std::string>();
        head.resize(std::max<size_t>(head.size() + 1, 52), ' ');
        os << head
           << (b["value"].is_number() ? number(b["value"].get<double>(), 4) + " " + b["unit"].get<std::string>()
                                      : std::string("not measured"))
           << " (limit " << number(b["limit"].get<double>(), 2) << ") "
           << (b["met"].is_boolean() ? (b["met"].get<bool>() ? "met" : "MISSED") : "-") << "\n";
    }
}

// The database figures above, on a copy of --db.
void measure_database(const Args& args, const fs::path& work, json& out) {
    const fs::path source = args.require("db");
    std::error_code ec;
    if (!fs::exists(source, ec))
        throw Error(Error::Kind::NotFound, "no database at " + source.string());
    BenchOptions options;
    options.runs = args.get_int("runs", 1, 10000).value_or(options.runs);
    options.frames = args.get_int("frames", 1, 100000).value_or(options.frames);
    options.presses = args.get_int("presses", 1, 100000).value_or(options.presses);
    options.idle_seconds = args.get_double("idle-seconds", 0.5, 600).value_or(options.idle_seconds);
    if (!args.has("no-encryption")) {
        const services::KeyMaterial passphrase = passphrase_from(args);
        if (passphrase.empty() && !store::is_plaintext_sqlite(source))
            throw Error(Error::Kind::WrongPassphrase,
                                    "a passphrase is needed: set ATTUNE_PASSPHRASE or use --passphrase-file F");
        options.passphrase = std::string(passphrase.view());
    }
    options.user = user_from(args);
    options.copy = work / "practice.attune-db";
    copy_database(source, options.copy);

    const bool quiet = args.has("json");
    const auto phase = [&](const char* what) {
        if (!quiet) std::cerr << "bench: " << what << "\n";
    };
    phase("cold caseload metrics");
    measure_cold_caseload(options, out);
    out["database"]["path"] = source.string();
    out["runs"] = options.runs;
    phase("cold caseload in the view");
    measure_cold_caseload_view(options, out);
    phase("opening to the first frame");
    measure_opening(options, out);
    phase("views, logging, recompute, exports");
    const std::string case_label = measure_in_views(options, out);
    out["peak_rss_mib"]["bench"] = bench::peak_rss_mib();
    phase("idle CPU of the window");
    measure_idle(options, work, case_label, out);
    out["budgets"] = budgets_of(out);
}

// The figures of the practice server (--server; bench_server.h), in practices
// of the group's own: not part of the default run, which CI runs.
json measure_server_group(const Args& args, const fs::path& work) {
    bench::ServerBenchOptions options;
    options.work = work;
    options.runs = args.get_int("server-runs", 1, 1000).value_or(options.runs);
    if (const auto sizes = args.get("server-sizes")) {
        options.sizes.clear();
        std::stringstream list(*sizes);
        for (std::string size; std::getline(list, size, ',');)
            if (!size.empty()) options.sizes.push_back(size);
    }
    options.cluster_script = args.get("cluster-script").value_or(
        (fs::path(ATTUNE_SOURCE_ASSETS_DIR).parent_path() / "tests" / "server" / "throwaway_cluster.sh").string());
    const bool quiet = args.has("json");
    return bench::measure_server(options, [&](const std::string& what) {
        if (!quiet) std::cerr << "bench: " << what << "\n";
    });
}

int cmd_bench(const Args& args) {
    const bool server = args.has("server");
    if (!server && !args.get("db")) static_cast<void>(args.require("db"));
    std::error_code ec;
    if (const auto db = args.get("db"); db && !fs::exists(*db, ec))
        throw Error(Error::Kind::NotFound, "no database at " + *db);
    const fs::path base = args.get("work-dir").value_or((fs::temp_directory_path() / "attune-bench-XXXXXX").string());
    std::string pattern = base.string();
    if (!args.get("work-dir") && !mkdtemp(pattern.data()))
        throw Error(Error::Kind::Io, "cannot make a temporary folder");
    const fs::path work = pattern;
    fs::create_directories(work);

    json out;
    if (args.get("db")) measure_database(args, work, out);
    if (server) out["server"] = measure_server_group(args, work);
    if (!args.get("work-dir")) fs::remove_all(work, ec);

    if (args.has("json"))
        std::cout << out.dump(2) << "\n";
    else {
        if (args.get("db")) print_table(out, std::cout);
        if (server) bench::print_server_table(out["server"], std::cout);
    }
    return kExitOk;
}

}  // namespace

}  // namespace attune::app

// attune-bench [--db F ...]: the bench; attune-bench window ...: the window it
// measures (started by the bench itself, see bench_gui.h).
int main(int argc, char** argv) {
    using namespace attune::app;
    std::set<std::string> valued = kDatabaseOptions;
    valued.insert({"runs", "frames", "presses", "idle-seconds", "work-dir", "server-sizes", "server-runs",
                   "cluster-script"});
    std::set<std::string> flags = kDatabaseFlags;
    flags.insert({"json", "server"});
    const Command bench{"",
                        "--db F [--json] [--runs N] [--frames N] [--presses N] [--idle-seconds S] [--work-dir D] "
                        "[--server [--server-sizes small,between,medium,large] [--server-runs N] [--cluster-script F]]",
                        "measure the performance figures of BENCHMARKS.md on a copy of a database (idle CPU needs a "
                        "DISPLAY); --server (with or without --db) also measures sync with a throwaway PostgreSQL 15 "
                        "practice server",
                        valued, flags, cmd_bench};
    bench::register_window_command();
    std::vector<std::string> words(argv + 1, argv + argc);
    if (!words.empty() && words[0] == "window")
        return run_command(command_table().back(), std::vector<std::string>(words.begin() + 1, words.end()),
                           "attune-bench");
    return run_command(bench, words, "attune-bench");
}
