#include "core/metrics_json.h"
#include "services/case_trends.h"
#include "services/caseload_summaries.h"
#include "services/open_practice.h"
#include "store/metrics_cache.h"
#include "store/repositories.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

#include <algorithm>

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

using namespace attune;
using Catch::Approx;

namespace {

// Three ended sessions, hand-computed with the default windows (W 120, C 60, R 120):
//  S1 2026-02-01, 10 min: A blame_shift @10, B validate @40, B shut_down 50-80.
//     ruptures 2 (A 1, B 1), 1 repaired after 30 s, A->B pursue->withdraw 1,
//     B withdrawn 30 s, rate 2 per 10 min, ratio 0.5.
//  S2 2026-02-08, 20 min: A defensive_anger @100, nothing else: rate 0.5, repair rate 0.
//  S3 2026-02-15, 10 min: no observation: no rupture, so ratio and rates are none.
struct Fixture {
    test::TempDir dir;
    io::Practice practice;
    Case c;
    std::vector<Session> sessions;

    Fixture() {
        practice = test::new_practice(dir / "p.db", "correct horse", "Dr Hand");
        c.label = "Couple H";
        c.partner_a.display_name = "Ana";
        c.partner_b.display_name = "Ben";
        c = store::CaseRepository(db()).create(c);
        store::SessionRepository repo(db());
        sessions.push_back(repo.start(c.id, "2026-02-01", "10:00", 1000.0));
        add(0, Who::A, "blame_shift", 10);
        add(0, Who::B, "validate", 40);
        add(0, Who::B, "shut_down", 50, 80.0);
        repo.end(sessions[0].id, 600);
        sessions.push_back(repo.start(c.id, "2026-02-08", "10:00", 2000.0));
        add(1, Who::A, "defensive_anger", 100);
        repo.end(sessions[1].id, 1200);
        sessions.push_back(repo.start(c.id, "2026-02-15", "10:00", 3000.0));
        repo.end(sessions[2].id, 600);
    }
    store::Database& db() { return *practice.db; }
    Observation add(std::size_t session, Who who, const std::string& code, double t,
                    std::optional<double> stop = std::nullopt) {
        Observation o;
        o.session_id = sessions[session].id;
        o.who = who;
        o.code_id = code;
        o.t = t;
        if (stop) {
            o.kind = EventKind::State;
            o.stop = stop;
        }
        return store::ObservationRepository(db()).add(o);
    }
    io::CaseMetrics compute() { return io::compute_case_metrics(db(), c.id, MetricSettings{}); }
};

}  // namespace

TEST_CASE("case metrics match the hand-computed values") {
    Fixture f;
    const io::CaseMetrics m = f.compute();
    REQUIRE(m.sessions.size() == 3);
    const SessionMetrics& s1 = m.sessions[0].metrics;
    REQUIRE(m.sessions[0].session.number == 1);
    REQUIRE(s1.rupture_total == 2);
    REQUIRE(s1.ruptures_a.total == 1);
    REQUIRE(s1.ruptures_b.by_category.at("withdrawal") == 1);
    REQUIRE(*s1.rupture_rate_per_10min == Approx(2.0));
    REQUIRE(s1.repairs == 1);
    REQUIRE(*s1.pos_neg_ratio == Approx(0.5));
    REQUIRE(*s1.repair_rate == Approx(0.5));
    REQUIRE(*s1.median_time_to_repair_s == Approx(30.0));
    REQUIRE(s1.pursue_withdraw_a_to_b == 1);
    REQUIRE(s1.pursue_withdraw_b_to_a == 0);
    REQUIRE(s1.time_withdrawn_b_s == Approx(30.0));

    const SessionMetrics& s2 = m.sessions[1].metrics;
    REQUIRE(*s2.rupture_rate_per_10min == Approx(0.5));
    REQUIRE(*s2.repair_rate == Approx(0.0));
    REQUIRE_FALSE(s2.median_time_to_repair_s.has_value());

    const SessionMetrics& s3 = m.sessions[2].metrics;
    REQUIRE(s3.rupture_total == 0);
    REQUIRE_FALSE(s3.repair_rate.has_value());
    REQUIRE_FALSE(s3.pos_neg_ratio.has_value());
    REQUIRE(*s3.rupture_rate_per_10min == Approx(0.0));
    // Three sessions, only two with a repair rate: no trend yet, and too few to flag.
    REQUIRE_FALSE(m.trends.repair_rate.has_value());
    REQUIRE_FALSE(m.trends.not_on_track);
}

TEST_CASE("a second computation returns the same results from the cache") {
    Fixture f;
    const io::CaseMetrics first = f.compute();
    const std::string settings_json = to_json(MetricSettings{}).dump();
    for (const auto& s : first.sessions)
        REQUIRE(store::MetricsCache(f.db()).read(s.session.id, settings_json).has_value());
    const io::CaseMetrics second = f.compute();
    REQUIRE(second.sessions.size() == first.sessions.size());
    for (std::size_t i = 0; i < first.sessions.size(); ++i)
        REQUIRE(to_json(second.sessions[i].metrics, 1, "") == to_json(first.sessions[i].metrics, 1, ""));

    // Proof that the cache, not a recomputation, answered: a planted row is returned as is.
    SessionMetrics planted = first.sessions[1].metrics;
    planted.repairs = 99;
    store::MetricsCache(f.db()).write(f.sessions[1].id, settings_json, to_cache_text(planted));
    REQUIRE(f.compute().sessions[1].metrics.repairs == 99);
}

TEST_CASE("after an observation is added only the changed session is recomputed") {
    Fixture f;
    f.compute();
    const std::string settings_json = to_json(MetricSettings{}).dump();
    f.add(1, Who::B, "validate", 130);  // repairs S2's rupture @100 after 30 s
    REQUIRE_FALSE(store::MetricsCache(f.db()).read(f.sessions[1].id, settings_json).has_value());
    REQUIRE(store::MetricsCache(f.db()).read(f.sessions[0].id, settings_json).has_value());
    const io::CaseMetrics m = f.compute();
    REQUIRE(*m.sessions[1].metrics.repair_rate == Approx(1.0));
    REQUIRE(*m.sessions[1].metrics.median_time_to_repair_s == Approx(30.0));
}

TEST_CASE("other settings are computed afresh, and session detail carries the links") {
    Fixture f;
    f.compute();
    const io::CaseMetrics narrow = io::compute_case_metrics(f.db(), f.c.id, MetricSettings{20, 60, 120});
    REQUIRE(*narrow.sessions[0].metrics.repair_rate == Approx(0.0));  // the repair came 30 s later
    const SessionMetrics detail = io::compute_session_detail(f.db(), f.sessions[0], f.c.clinician_id, MetricSettings{});
    REQUIRE(detail.rupture_links.size() == 2);
    REQUIRE(detail.pursue_withdraw_pairs.size() == 1);
}

// [SECTION] The caseload's rows on the worker thread (io::CaseloadSummaries)

namespace {

// The flag notice of `flag` in `row`, or "" when it is not raised.
std::string reason_of(const DashboardRow& row, DashboardFlag flag) {
    for (const FlagNotice& f : row.flags)
        if (f.flag == flag) return f.reason;
    return "";
}

}  // namespace

TEST_CASE("the caseload worker computes each case's row on its own connection and fills the cache", "[caseload]") {
    Fixture f;
    Case other;
    other.label = "Couple Empty";
    other.partner_a.display_name = "Cy";
    other.partner_b.display_name = "Di";
    other = store::CaseRepository(f.db()).create(other);

    io::CaseloadSummaries worker;
    // The practice's own connection holds the writer lock all along.
    worker.start(f.practice.opened_with, {other.id, f.c.id}, "2026-02-20");
    worker.wait();
    REQUIRE_FALSE(worker.take_error().has_value());
    CHECK(worker.done() == 2);
    CHECK(worker.total() == 2);
    CHECK_FALSE(worker.running());
    std::vector<io::CaseloadSummaries::Finished> rows = worker.take_finished();
    REQUIRE(rows.size() == 2);
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
    CHECK(rows[0].index == 0);
    CHECK(rows[0].row.repair_rate.empty());  // no session yet
    CHECK(rows[0].row.flags.empty());
    REQUIRE(rows[1].index == 1);
    const DashboardRow& row = rows[1].row;
    // Hand-computed in the fixture: repair rate 0.5, 0, none; ruptures per 10 min 2, 0.5, 0.
    REQUIRE(row.repair_rate.size() == 3);
    CHECK(*row.repair_rate[0] == Approx(0.5));
    CHECK(*row.repair_rate[1] == Approx(0.0));
    CHECK_FALSE(row.repair_rate[2].has_value());
    REQUIRE(row.rupture_rate.size() == 3);
    CHECK(*row.rupture_rate[0] == Approx(2.0));
    CHECK(*row.rupture_rate[1] == Approx(0.5));
    CHECK(*row.rupture_rate[2] == Approx(0.0));
    // On 2026-02-20 the notes of 1 February (19 days) and 8 February (12 days) are overdue, 15 February's not.
    CHECK(reason_of(row, DashboardFlag::NoteUnsigned) ==
          "The progress note of session 1 of 2026-02-01 is not signed (19 days ago); 2 notes older than 7 days are "
          "unsigned in all: sign them in the session review.");
    CHECK(worker.take_finished().empty());  // each row is handed over once

    // The worker wrote every ended session's metrics into the cache, and the
    // practice's connection sees them once it ends the reads it left open.
    const std::string settings_json = to_json(io::load_metric_settings(f.db())).dump();
    f.db().end_open_reads();
    const store::MetricsCache cache(f.db());
    for (const Session& s : f.sessions) CHECK(cache.read(s.id, settings_json).has_value());

    // It took no writer lock: after it stops, a second writer is still refused
    // because of the practice's own connection, and that one still writes.
    worker.stop();
    store::OpenOptions second = f.practice.opened_with;
    try {
        store::Database::open(second);
        FAIL("a second writer was let in");
    } catch (const store::StoreError& e) {
        CHECK(e.kind() == store::StoreError::Kind::Locked);
    }
    f.add(2, Who::B, "validate", 30);
}

TEST_CASE("a new start of the caseload worker drops the rows of the one before", "[caseload]") {
    Fixture f;
    io::CaseloadSummaries worker;
    std::vector<RowId> many(40, f.c.id);
    worker.start(f.practice.opened_with, many, "2026-02-20");
    worker.start(f.practice.opened_with, {f.c.id}, "2026-02-10");
    worker.wait();
    const std::vector<io::CaseloadSummaries::Finished> rows = worker.take_finished();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].index == 0);
    CHECK(worker.total() == 1);
    CHECK(worker.done() == 1);
    // Computed for the second start's date: on 10 February only the first note is overdue (9 days).
    CHECK(reason_of(rows[0].row, DashboardFlag::NoteUnsigned) ==
          "The progress note of session 1 of 2026-02-01 is not signed (9 days ago): sign them in the session "
          "review.");
}

TEST_CASE("a caseload worker that cannot open the database says why and stops", "[caseload]") {
    test::TempDir dir;
    store::OpenOptions gone;
    gone.path = dir / "missing.db";
    gone.passphrase = "correct horse";
    io::CaseloadSummaries worker;
    worker.start(gone, {1, 2}, "2026-02-20");
    worker.wait();
    CHECK_FALSE(worker.running());
    CHECK(worker.done() == 0);
    const auto error = worker.take_error();
    REQUIRE(error.has_value());
    CHECK(error->find("missing.db") != std::string::npos);
    CHECK(worker.take_finished().empty());
}
