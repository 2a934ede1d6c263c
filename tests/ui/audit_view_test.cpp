// The audit trail window: filters re-read the rows, the chain check reports.
#include <algorithm>
#include <catch2/catch_test_macros.hpp>

#include "headless.h"
#include "services/audit.h"
#include "services/export.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

// A practice where a case was created, then its summary exported to a file:
// the export is the newest row.
struct AuditViewFixture {
    test::TempDir dir;
    test::Headless ui;
    std::filesystem::path exported = dir / "summary.md";

    AuditViewFixture() {
        auto practice = test::new_practice(dir / "practice.db", "audit passphrase", "Dr Audit");
        const Case c = test::add_couple(*practice, "Couple A");
        services::ExportOptions options;
        options.format = "md";
        services::ExportJob(*practice, c, options).deliver(services::ExportDestination::to_file(exported));
        ui.shell().model().set_practice(std::move(practice));
        ui.run_frames(2);
    }
    ui::AuditView& audit() { return ui.shell().audit(); }
    std::size_t rows_in_trail() { return services::audit_entries(ui.shell().model().practice(), AuditFilter{}).size(); }
};

}  // namespace

TEST_CASE("the audit trail window lists rows newest first and the action filter narrows them") {
    AuditViewFixture f;
    f.audit().open();
    f.ui.run_frames(2);
    REQUIRE(f.audit().is_open());
    const std::vector<AuditEntry> all = f.audit().rows();
    REQUIRE(all.size() == f.rows_in_trail());
    // The newest first: the window's own opening (reading the trail is a
    // read, services/access_audit.h), the caseload shown on signing in, then
    // the export.
    REQUIRE(all.size() >= 3);
    CHECK(all[0].action == "open");
    CHECK(all[0].entity == "view");
    CHECK(all[0].entity_id == "audit trail");
    CHECK(all[1].action == "open");
    CHECK(all[1].entity_id == "caseload");
    REQUIRE(all[2].action == "export");
    const auto created = std::find_if(all.begin(), all.end(),
                                      [](const AuditEntry& e) { return e.action == "create" && e.entity == "case"; });
    REQUIRE(created != all.end());
    CHECK(created - all.begin() > 0);

    const auto combo = f.ui.find_item("Audit trail", {"##action"});
    REQUIRE(combo.has_value());
    f.ui.click(*combo);
    f.ui.run_frames(1);
    const auto export_entry = f.ui.find_item("##Combo_00", {"export"});
    REQUIRE(export_entry.has_value());
    f.ui.click(*export_entry);
    f.ui.run_frames(1);
    REQUIRE(f.audit().filter().action == "export");
    REQUIRE(f.audit().rows().size() == 1);
    CHECK(f.audit().rows()[0].detail == "format=md include_private=no out=file path=" + f.exported.string());
}

TEST_CASE("the audit trail window's chain check says the chain is intact over every row") {
    AuditViewFixture f;
    f.audit().open();
    f.ui.run_frames(2);
    const auto verify = f.ui.find_item("Audit trail", {"Verify the chain"});
    REQUIRE(verify.has_value());
    REQUIRE_FALSE(f.audit().verification().has_value());
    f.ui.click(*verify);
    REQUIRE(f.audit().verification().has_value());
    CHECK(f.audit().verification()->ok);
    CHECK(f.audit().verification()->rows == static_cast<std::int64_t>(f.rows_in_trail()));
}

TEST_CASE("locking the practice closes the audit trail window and drops its rows") {
    AuditViewFixture f;
    f.audit().open();
    f.ui.run_frames(2);
    REQUIRE_FALSE(f.audit().rows().empty());
    f.ui.shell().model().close_practice();
    f.ui.run_frames(2);
    REQUIRE_FALSE(f.audit().is_open());
    REQUIRE(f.audit().rows().empty());
    CHECK_FALSE(f.ui.window_shown("Audit trail"));
}
