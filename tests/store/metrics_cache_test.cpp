#include "store/metrics_cache.h"

#include <catch2/catch_test_macros.hpp>

#include "store/database.h"
#include "store/repositories.h"
#include "store/sqlite_access.h"
#include "support/store_fixture.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::store;

namespace {

// A case with two sessions (the first ended), each with one observation and a cache row.
struct Fixture {
    test::TempDir dir;
    test::StorePractice practice = test::open_store_practice(test::store_options(dir / "p.db"), "Dr Cache");
    Database& db = *practice.db;
    Session one, two;
    Observation first;
    const std::string settings = R"({"answer_window_s":120,"cycle_window_s":60,"repair_window_s":120})";

    Fixture() {
        const Case c = test::add_couple(db, "Couple C");
        SessionRepository sessions(db);
        one = sessions.start(c.id, "2026-01-01", "10:00", 1000.0);
        first = add(one.id, 10, "blame_shift");
        sessions.end(one.id, 600);
        two = sessions.start(c.id, "2026-01-08", "10:00", 2000.0);
        add(two.id, 20, "validate");  // left running: pausing it changes its active seconds
        MetricsCache(db).write(one.id, settings, "one");
        MetricsCache(db).write(two.id, settings, "two");
    }
    Observation add(RowId session_id, double t, const std::string& code) {
        Observation o;
        o.session_id = session_id;
        o.t = t;
        o.who = Who::A;
        o.code_id = code;
        return ObservationRepository(db).add(o);
    }
    bool cached(const Session& s) { return MetricsCache(db).read(s.id, settings).has_value(); }
};

}  // namespace

TEST_CASE("a cached result reads back only with the settings it was computed with") {
    Fixture f;
    REQUIRE(MetricsCache(f.db).read(f.one.id, f.settings) == std::optional<std::string>("one"));
    REQUIRE(MetricsCache(f.db).read(f.two.id, f.settings) == std::optional<std::string>("two"));
    REQUIRE_FALSE(MetricsCache(f.db).read(f.one.id, R"({"repair_window_s":90})").has_value());
    MetricsCache(f.db).write(f.one.id, f.settings, "one again");
    REQUIRE(MetricsCache(f.db).read(f.one.id, f.settings) == std::optional<std::string>("one again"));
}

TEST_CASE("writing the cache adds no audit row") {
    Fixture f;
    const auto audit_rows = [&] { return sql_of(f.db).execAndGet("SELECT count(*) FROM audit_log").getInt(); };
    const int before = audit_rows();
    MetricsCache(f.db).write(f.one.id, f.settings, "x");
    REQUIRE(audit_rows() == before);
}

TEST_CASE("writing the cache does not move the connection's data version; a user's write does") {
    // Views refresh when data_version changes: a cache write that moved it would
    // make every view that computes metrics refresh itself forever.
    Fixture f;
    const std::uint64_t before = f.db.data_version();
    MetricsCache(f.db).write_many({{f.one.id, "one again"}, {f.two.id, "two again"}}, f.settings);
    REQUIRE(MetricsCache(f.db).read(f.one.id, f.settings) == std::optional<std::string>("one again"));
    REQUIRE(MetricsCache(f.db).read(f.two.id, f.settings) == std::optional<std::string>("two again"));
    REQUIRE(f.db.data_version() == before);
    CaseRepository(f.db).create([] {
        Case c;
        c.label = "Couple D";
        c.partner_a.display_name = "Dee";
        c.partner_b.display_name = "Eli";
        return c;
    }());
    REQUIRE(f.db.data_version() != before);
}

TEST_CASE("logging an observation drops that session's cache row only") {
    Fixture f;
    f.add(f.one.id, 30, "validate");
    REQUIRE_FALSE(f.cached(f.one));
    REQUIRE(f.cached(f.two));
}

TEST_CASE("editing an observation drops that session's cache row only") {
    Fixture f;
    Observation edited = f.first;
    edited.t = 15;
    ObservationRepository(f.db).update(edited);
    REQUIRE_FALSE(f.cached(f.one));
    REQUIRE(f.cached(f.two));
}

TEST_CASE("deleting an observation drops that session's cache row only") {
    Fixture f;
    ObservationRepository(f.db).soft_delete(f.first.id);
    REQUIRE_FALSE(f.cached(f.one));
    REQUIRE(f.cached(f.two));
}

TEST_CASE("changing a session's active seconds drops that session's cache row only") {
    Fixture f;
    SessionRepository(f.db).pause(f.two.id, 700);
    REQUIRE(f.cached(f.one));
    REQUIRE_FALSE(f.cached(f.two));
}

TEST_CASE("a fresh database is at the latest schema (2 or later) and has the metrics cache table") {
    Fixture f;
    STATIC_REQUIRE(Database::kSchemaVersion >= 2);
    REQUIRE(f.db.schema_version() == Database::kSchemaVersion);
    REQUIRE(sql_of(f.db).execAndGet("PRAGMA user_version").getInt() == Database::kSchemaVersion);
    REQUIRE(sql_of(f.db).tableExists("metrics_cache"));
}

TEST_CASE("a database written by a newer schema is refused") {
    test::TempDir dir;
    const auto path = dir / "newer.db";
    {
        auto practice = test::open_store_practice(test::store_options(path), "Dr Cache");
        sql_of(*practice.db).exec("PRAGMA user_version = 99");
    }
    try {
        Database::open(test::store_options(path));
        FAIL("a schema-99 database was opened");
    } catch (const StoreError& e) {
        REQUIRE(e.kind() == StoreError::Kind::NewerSchema);
    }
}

TEST_CASE("metric settings default to DOMAIN.md, round-trip and reject bad windows") {
    Fixture f;
    const MetricSettings defaults = load_metric_settings(f.db);
    REQUIRE(defaults.repair_window_s == 120);
    REQUIRE(defaults.cycle_window_s == 60);
    REQUIRE(defaults.answer_window_s == 120);
    save_metric_settings(f.db, MetricSettings{90, 45, 30});
    const MetricSettings loaded = load_metric_settings(f.db);
    REQUIRE(loaded.repair_window_s == 90);
    REQUIRE(loaded.cycle_window_s == 45);
    REQUIRE(loaded.answer_window_s == 30);
    REQUIRE_THROWS_AS(save_metric_settings(f.db, MetricSettings{0, 60, 120}), StoreError);
    REQUIRE_THROWS_AS(save_metric_settings(f.db, MetricSettings{120, 3601, 120}), StoreError);
    REQUIRE(load_metric_settings(f.db).repair_window_s == 90);
}
