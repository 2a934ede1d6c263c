// The audit trail window: filters re-read the rows, the chain check reports.
#include "headless.h"

#include "services/open_practice.h"
#include "store/audit_log.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

#include <catch2/catch_test_macros.hpp>

using namespace attune;

namespace {

struct AuditViewFixture {
    test::TempDir dir;
    test::Headless ui;
    AuditViewFixture() {
        io::Practice practice = test::new_practice(dir / "practice.db", "audit passphrase", "Dr Audit");
        store::AuditLog log(*practice.db);
        log.record("export", "case", "uuid-1", "case summary as PDF");
        log.record("unlock_failed", "practice", "", "wrong passphrase");
        ui.shell().model().set_practice(std::move(practice));
        ui.run_frames(2);
    }
    ui::AuditView& audit() { return ui.shell().audit(); }
};

}  // namespace

TEST_CASE("the audit trail window lists rows newest first and a filter narrows them") {
    AuditViewFixture f;
    f.audit().open();
    f.ui.run_frames(2);
    REQUIRE(f.audit().is_open());
    const auto& all = f.audit().rows();
    REQUIRE(all.size() >= 2);
    REQUIRE(all[0].action == "unlock_failed");  // the newest first
    REQUIRE(all[1].action == "export");
    REQUIRE(f.ui.find_item("Audit trail", {"Verify the chain"}).has_value());

    f.audit().filter().action = "export";
    f.audit().reload();
    REQUIRE(f.audit().rows().size() == 1);
    REQUIRE(f.audit().rows()[0].detail == "case summary as PDF");
}

TEST_CASE("the audit trail window's chain check says the chain is intact") {
    AuditViewFixture f;
    f.audit().open();
    f.ui.run_frames(2);
    const auto verify = f.ui.find_item("Audit trail", {"Verify the chain"});
    REQUIRE(verify.has_value());
    f.ui.click(*verify);
    REQUIRE(f.audit().verification().has_value());
    REQUIRE(f.audit().verification()->ok);
    REQUIRE(f.audit().verification()->rows >= 2);
}

TEST_CASE("locking the practice closes the audit trail window and drops its rows") {
    AuditViewFixture f;
    f.audit().open();
    f.ui.run_frames(2);
    f.ui.shell().model().close_practice();
    f.ui.run_frames(2);
    REQUIRE_FALSE(f.audit().is_open());
    REQUIRE(f.audit().rows().empty());
}
