// The caseload's rows on worker threads (services::CaseloadSummaries, owned by
// the practice), each worker on a connection the practice opens for it.
#include "services/caseload_summaries.h"

#include <algorithm>
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <filesystem>

#include "core/error.h"
#include "hand_case.h"
#include "services/case_trends.h"
#include "services/open_practice.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Approx;

namespace {

// The flag notice of `flag` in `row`, or "" when it is not raised.
std::string reason_of(const DashboardRow& row, DashboardFlag flag) {
    for (const FlagNotice& f : row.flags)
        if (f.flag == flag) return f.reason;
    return "";
}

}  // namespace

TEST_CASE("the caseload worker computes each case's row on its own connection", "[caseload]") {
    test::HandCase f;
    const Case other = test::add_couple(*f.practice, "Couple Empty", "Cy", "Di");

    services::CaseloadSummaries& worker = f.practice->caseload_summaries();
    worker.start({other.id, f.c.id}, "2026-02-20");
    worker.wait();
    REQUIRE_FALSE(worker.take_error().has_value());
    CHECK(worker.done() == 2);
    CHECK(worker.total() == 2);
    CHECK_FALSE(worker.running());
    CHECK(worker.connections_open() > 0);
    std::vector<services::CaseloadSummaries::Finished> rows = worker.take_finished();
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

    // The practice's own connection reads what the worker computed.
    const CaseMetrics m = services::case_metrics(*f.practice, f.c.id);
    CHECK(*m.sessions[0].metrics.repair_rate == Approx(0.5));

    // The workers took no writer lock: after they stop, a second writer is
    // still refused because of the practice's own connection, which still writes.
    worker.stop();
    CHECK(worker.connections_open() == 0);
    try {
        test::open_practice(f.dir / "p.db", "correct horse", "Dr Hand");
        FAIL("a second writer was let in");
    } catch (const Error& e) {
        CHECK(e.kind() == Error::Kind::Locked);
    }
    CHECK(f.add(2, Who::B, "validate", 30).id > 0);
}

TEST_CASE("a new start of the caseload worker drops the rows of the one before", "[caseload]") {
    test::HandCase f;
    services::CaseloadSummaries& worker = f.practice->caseload_summaries();
    std::vector<RowId> many(40, f.c.id);
    worker.start(many, "2026-02-20");
    worker.start({f.c.id}, "2026-02-10");
    worker.wait();
    const std::vector<services::CaseloadSummaries::Finished> rows = worker.take_finished();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].index == 0);
    CHECK(worker.total() == 1);
    CHECK(worker.done() == 1);
    // Computed for the second start's date: on 10 February only the first note is overdue (9 days).
    CHECK(reason_of(rows[0].row, DashboardFlag::NoteUnsigned) ==
          "The progress note of session 1 of 2026-02-01 is not signed (9 days ago): sign them in the session "
          "review.");
}

TEST_CASE("a caseload worker that cannot open the practice says why and stops", "[caseload]") {
    test::HandCase f;
    // The file moved away under the open practice: its own connection goes on, a new one cannot open.
    std::filesystem::rename(f.dir / "p.db", f.dir / "moved.db");
    services::CaseloadSummaries& worker = f.practice->caseload_summaries();
    worker.start({f.c.id, f.c.id}, "2026-02-20");
    worker.wait();
    CHECK_FALSE(worker.running());
    CHECK(worker.done() == 0);
    CHECK(worker.connections_open() == 0);
    const auto error = worker.take_error();
    REQUIRE(error.has_value());
    CHECK(error->find("p.db") != std::string::npos);
    CHECK(worker.take_finished().empty());
}
