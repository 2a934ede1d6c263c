// Couple-reported measures through the services: entering, refusing, the
// case's summary, a practice's own instrument file, and the version-2 Not on
// track flag on the caseload's row.
#include "services/measures.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <fstream>

#include "core/error.h"
#include "practice_reads.h"
#include "services/bundles.h"
#include "services/case_trends.h"
#include "services/caseload_summaries.h"
#include "services/cases.h"
#include "services/supervision.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;

namespace {

struct Fixture {
    test::TempDir dir;
    std::unique_ptr<services::OpenPractice> practice = test::new_practice(dir / "p.db", "correct horse", "Dr M");
    Case c = test::add_couple(*practice, "Couple M");

    Measure entry(Who partner, const char* instrument, const char* date) const {
        Measure m;
        m.case_id = c.id;
        m.partner = partner;
        m.instrument_id = instrument;
        m.date = date;
        return m;
    }
    Measure ors_total(Who partner, const char* date, double total) {
        Measure m = entry(partner, "ors", date);
        m.entered_total = total;
        return services::add_measure(*practice, m);
    }
};

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("an item out of its range is refused with the item number, and nothing is stored", "[measures]") {
    Fixture f;
    Measure m = f.entry(Who::A, "csi4", "2026-03-01");
    m.items = {6, 5, 6, 0};  // item 1 takes 0-6, item 3 only 0-5
    CHECK(error_of([&] { services::add_measure(*f.practice, m); }) == "item 3 is 6; it takes 0-5");
    m.items = {6, 5};
    CHECK(error_of([&] { services::add_measure(*f.practice, m); }) ==
          "CSI-4 (Couples Satisfaction Index, 4 items) has 4 items; 2 scores were given");
    Measure unknown = f.entry(Who::A, "phq9", "2026-03-01");
    unknown.entered_total = 4;
    CHECK(error_of([&] { services::add_measure(*f.practice, unknown); }) ==
          "there is no instrument 'phq9' (known: csi4, csi16, ors, srs, checkin)");
    CHECK(services::list_measures(*f.practice, f.c.id).empty());
    const auto rows = test::audit_rows(*f.practice);
    CHECK(std::none_of(rows.begin(), rows.end(), [](const AuditEntry& e) { return e.entity == "measure"; }));
}

TEST_CASE("a measure without a date is today's, and one tied to a session names it", "[measures]") {
    Fixture f;
    const Session s = services::start_session(*f.practice, f.c.id, "2026-03-01");
    Measure m = f.entry(Who::B, "checkin", "");
    m.items = {4, 3, std::nullopt, 2, 1};
    m.session_id = s.id;
    const Measure stored = services::add_measure(*f.practice, m);
    CHECK(stored.date == today_local_iso());
    CHECK(stored.session_number == 1);
    const std::vector<Measure> listed = services::list_measures(*f.practice, f.c.id);
    REQUIRE(listed.size() == 1);
    CHECK_FALSE(measure_total(listed[0]).has_value());  // a missing item: no total
    services::delete_measure(*f.practice, stored.id);
    CHECK(services::list_measures(*f.practice, f.c.id).empty());
}

TEST_CASE("a case's summary takes each partner's first and latest total by date", "[measures]") {
    Fixture f;
    f.ors_total(Who::B, "2026-03-15", 24);  // entered out of date order
    f.ors_total(Who::B, "2026-03-01", 30);
    f.ors_total(Who::A, "2026-03-01", 20);
    f.ors_total(Who::A, "2026-03-15", 26);
    Measure csi = f.entry(Who::A, "csi4", "2026-03-01");
    csi.items = {3, 3, 3, 3};
    services::add_measure(*f.practice, csi);

    const CaseMeasures measures = services::case_measures(*f.practice, f.c.id);
    REQUIRE(measures.summaries.size() == 2);
    CHECK(measures.summaries[0].instrument_id == "csi4");  // DOMAIN.md's order of the shipped instruments
    const InstrumentSummary& ors = measures.summaries[1];
    REQUIRE(ors.a.has_value());
    CHECK(ors.a->first == 20);
    CHECK(ors.a->latest == 26);
    CHECK(ors.a->reliable_change.change == ReliableChange::Improved);  // +6 >= 5
    CHECK(ors.a->recovered);                                           // 20 < 25 -> 26
    REQUIRE(ors.b.has_value());
    CHECK(ors.b->first == 30);
    CHECK(ors.b->latest == 24);
    CHECK(ors.b->reliable_change.change == ReliableChange::Deteriorated);
    REQUIRE(measures.instruments.size() == 2);
    CHECK(measures.find("ors")->clinical_cutoff == 25.0);

    // A date range keeps the measures inside it: from 2026-03-10 only the latest remain.
    const CaseMeasures later = services::case_measures(*f.practice, f.c.id, "2026-03-10");
    REQUIRE(later.summaries.size() == 1);
    CHECK(later.summaries[0].b->first == 24);
    CHECK(later.summaries[0].b->change == 0);
}

TEST_CASE("reliable deterioration on a measure raises Not on track on the caseload row, naming it", "[measures]") {
    Fixture f;
    const Session s = services::start_session(*f.practice, f.c.id, "2026-03-01");
    services::SessionEnding ending;
    ending.active_seconds = 600;
    services::end_session(*f.practice, s, ending);
    f.ors_total(Who::B, "2026-03-01", 30);
    f.ors_total(Who::B, "2026-03-15", 25);  // exactly the 5-point threshold: reliable

    const CaseMetrics metrics = services::case_metrics(*f.practice, f.c.id);
    CHECK_FALSE(metrics.trends.not_on_track);  // one session: the coded-process rule cannot fire
    const NotOnTrack flag = metrics.not_on_track();
    REQUIRE(flag.flagged);
    const std::string reason =
        "Couple-reported measures: partner B's ORS (Outcome Rating Scale) total fell reliably from 30 to 25 "
        "(2026-03-01 to 2026-03-15).";
    CHECK(flag.reason == reason);

    services::CaseloadSummaries& worker = f.practice->caseload_summaries();
    worker.start({f.c.id}, "2026-03-16");
    worker.wait();
    REQUIRE_FALSE(worker.take_error().has_value());
    const auto rows = worker.take_finished();
    REQUIRE(rows.size() == 1);
    REQUIRE_FALSE(rows[0].row.flags.empty());
    CHECK(rows[0].row.flags.front().flag == DashboardFlag::NotOnTrack);
    CHECK(rows[0].row.flags.front().reason == reason);
}

TEST_CASE("a practice's own instrument file is validated like every input and then usable", "[measures]") {
    Fixture f;
    const auto file = f.dir / "scale.json";
    std::ofstream(file) << R"({"format": "attune-instrument", "format_version": 1, "id": "practice_scale",
      "name": "Practice scale", "validated": false, "item_count": 2, "score_decimals": 0,
      "items": [{"min": 0, "max": 4, "text": "We laughed together."}, {"min": 1, "max": 5}],
      "higher_is_better": true, "total": {"min": 1, "max": 9}, "clinical_cutoff": 4.5,
      "reliable_change": {"threshold_points": 3}, "direct_total": false})";
    const Instrument added = services::add_instrument_file(*f.practice, file);
    CHECK(added.items[0].text == "We laughed together.");
    CHECK(services::instrument_catalog(*f.practice).find("practice_scale") != nullptr);
    Measure m = f.entry(Who::A, "practice_scale", "2026-03-01");
    m.items = {4, 6};
    CHECK(error_of([&] { services::add_measure(*f.practice, m); }) == "item 2 is 6; it takes 1-5");

    const auto broken = f.dir / "broken.json";
    std::ofstream(broken) << R"({"format": "attune-instrument", "format_version": 1, "id": "csi4"})";
    CHECK(error_of([&] { services::add_instrument_file(*f.practice, broken); }) == broken.string() + ": name: missing");
    const auto shipped_id = f.dir / "csi4.json";
    std::ofstream(shipped_id) << test::read_file(test::assets_dir() / "instruments" / "csi4.json");
    CHECK(error_of([&] { services::add_instrument_file(*f.practice, shipped_id); }) ==
          shipped_id.string() + ": id: 'csi4' is a shipped instrument's; give the practice's file another id");
}

TEST_CASE("only the case's clinician enters measures; a supervisor reads them, a coder does not see them",
          "[measures][access]") {
    Fixture f;
    f.ors_total(Who::A, "2026-03-01", 30);
    test::add_person(*f.practice, "Dr Sup", GrantRole::Supervisor);
    test::add_person(*f.practice, "Coder K", GrantRole::Coder);
    services::set_case_supervisor(*f.practice, "Couple M", "Dr Sup");
    f.practice.reset();

    f.practice = test::open_practice(f.dir / "p.db", "their passphrase", "Dr Sup");
    CHECK(services::list_measures(*f.practice, f.c.id).size() == 1);
    Measure m = f.entry(Who::B, "ors", "2026-03-02");
    m.entered_total = 20;
    CHECK(error_of([&] { services::add_measure(*f.practice, m); }) ==
          "Dr Sup is not the clinician of Couple M: only the case's clinician enters its measures");
    Measure stored = services::find_measure(*f.practice, f.c.id, Who::A, "ors", "2026-03-01");
    stored.entered_total = 10;
    CHECK(error_of([&] { services::correct_measure(*f.practice, stored.id, stored); }) ==
          "Dr Sup is not the clinician of Couple M: only the case's clinician enters its measures");
    CHECK(error_of([&] { services::delete_measure(*f.practice, stored.id); }) ==
          "Dr Sup is not the clinician of Couple M: only the case's clinician enters its measures");
    f.practice.reset();

    f.practice = test::open_practice(f.dir / "p.db", "their passphrase", "Coder K");
    CHECK_THROWS_AS(services::list_measures(*f.practice, f.c.id), Error);
    CHECK_THROWS_AS(services::add_measure(*f.practice, m), Error);
    f.practice.reset();

    f.practice = test::open_practice(f.dir / "p.db", "correct horse", "Dr M");
    const std::vector<Measure> after = services::list_measures(*f.practice, f.c.id);
    REQUIRE(after.size() == 1);  // nothing was added, corrected or removed by the others
    CHECK(after[0].entered_total == std::optional<double>(30));
}

TEST_CASE("measures travel in a bundle with the practice's own instrument file; a removal follows",
          "[measures][bundle]") {
    Fixture f;
    const auto file = f.dir / "scale.json";
    std::ofstream(file) << R"({"format": "attune-instrument", "format_version": 1, "id": "practice_scale",
      "name": "Practice scale", "validated": false, "item_count": 2, "score_decimals": 0,
      "items": [{"min": 0, "max": 4}, {"min": 1, "max": 5}],
      "higher_is_better": true, "total": {"min": 1, "max": 9}, "clinical_cutoff": 4.5,
      "reliable_change": {"threshold_points": 3}, "direct_total": false})";
    services::add_instrument_file(*f.practice, file);
    const Measure ors_a = f.ors_total(Who::A, "2026-03-01", 22);
    const Measure ors_b = f.ors_total(Who::B, "2026-03-01", 18);
    Measure own = f.entry(Who::B, "practice_scale", "2026-03-02");
    own.items = {3, std::nullopt};
    own = services::add_measure(*f.practice, own);

    const auto bundle = f.dir / "couple.attune";
    const services::KeyMaterial passphrase("bundle passphrase here");
    BundleSelection selection;
    selection.case_label = "Couple M";
    CHECK(services::export_bundle(*f.practice, selection, bundle, passphrase).measures == 3);
    test::TempDir elsewhere;
    auto other = test::new_practice(elsewhere / "other.db", "correct horse", "Dr M");
    const BundleImportReport first = services::import_bundle(*other, bundle, passphrase);
    CHECK(first.created.measures == 3);
    const Case there = services::find_case(*other, "Couple M");
    const auto described = [&] {
        std::string out;
        for (const Measure& m : services::list_measures(*other, there.id))
            out += m.instrument_id + " " + std::string(to_string(m.partner)) + " " + m.date + " " +
                   (m.entered_total ? std::to_string(static_cast<int>(*m.entered_total))
                                    : std::to_string(m.items.size()) + " items") + "\n";
        return out;
    };
    CHECK(described() == "ors A 2026-03-01 22\nors B 2026-03-01 18\npractice_scale B 2026-03-02 2 items\n");
    CHECK(services::instrument_catalog(*other).find("practice_scale") != nullptr);
    CHECK(services::import_bundle(*other, bundle, passphrase).created.total() == 0);  // twice changes nothing

    // Removed at the source: the removal reaches the copy, and the copy remembers it,
    // so the first bundle, imported again, does not bring the measure back.
    const auto older = f.dir / "older.attune";
    std::filesystem::copy_file(bundle, older);
    services::delete_measure(*f.practice, ors_b.id);
    CHECK(services::export_bundle(*f.practice, selection, bundle, passphrase).measures == 3);  // 2 and 1 removal
    const BundleImportReport second = services::import_bundle(*other, bundle, passphrase);
    CHECK(second.updated.measures == 1);
    CHECK(second.conflicts.empty());
    CHECK(described() == "ors A 2026-03-01 22\npractice_scale B 2026-03-02 2 items\n");
    CHECK(services::import_bundle(*other, older, passphrase).created.measures == 0);
    CHECK(described() == "ors A 2026-03-01 22\npractice_scale B 2026-03-02 2 items\n");
    (void)ors_a;
    (void)own;
}

TEST_CASE("a measure corrected by the case's clinician is checked like a new one and reaches a copy by bundle",
          "[measures][bundle]") {
    Fixture f;
    const Measure ors = f.ors_total(Who::A, "2026-03-01", 22);
    const auto bundle = f.dir / "couple.attune";
    const services::KeyMaterial passphrase("bundle passphrase here");
    BundleSelection selection;
    selection.case_label = "Couple M";
    services::export_bundle(*f.practice, selection, bundle, passphrase);
    test::TempDir elsewhere;
    auto other = test::new_practice(elsewhere / "other.db", "correct horse", "Dr M");
    services::import_bundle(*other, bundle, passphrase);

    Measure wrong = ors;
    wrong.entered_total = 41;  // the ORS total takes 0-40
    const std::string refused = error_of([&] { services::correct_measure(*f.practice, ors.id, wrong); });
    CHECK(refused.find("41") != std::string::npos);
    CHECK(services::list_measures(*f.practice, f.c.id).at(0).entered_total == std::optional<double>(22));

    test::wait_for_next_second();
    Measure right = ors;
    right.entered_total = 27;
    right.case_id = 0;  // the measure stays its case's, whatever the correction says
    const Measure corrected = services::correct_measure(*f.practice, ors.id, right);
    CHECK(corrected.uuid == ors.uuid);
    CHECK(corrected.case_id == f.c.id);
    CHECK(corrected.entered_total == std::optional<double>(27));
    CHECK(services::find_measure(*f.practice, f.c.id, Who::A, "ors", "2026-03-01").id == ors.id);
    CHECK(error_of([&] { services::find_measure(*f.practice, f.c.id, Who::B, "ors", "2026-03-01"); }) ==
          "the case has no measure partner B's ors of 2026-03-01");

    services::export_bundle(*f.practice, selection, bundle, passphrase);
    const BundleImportReport report = services::import_bundle(*other, bundle, passphrase);
    CHECK(report.updated.measures == 1);
    CHECK(report.conflicts.empty());
    const Case there = services::find_case(*other, "Couple M");
    const std::vector<Measure> copy = services::list_measures(*other, there.id);
    REQUIRE(copy.size() == 1);
    CHECK(copy[0].uuid == ors.uuid);
    CHECK(copy[0].entered_total == std::optional<double>(27));
}
