// Inputs the fuzzers in fuzz/ found (docs/fuzzing.md), fed to the store's readers.
#include <catch2/catch_test_macros.hpp>

#include "store/bundle.h"
#include "store/repositories.h"
#include "store/sqlite_access.h"
#include "support/store_fixture.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::store;

TEST_CASE("a bundle whose format_version is not a number is refused as not a bundle", "[bundle][fuzz]") {
    // Found by fuzz_bundle (fuzz/corpus/bundle/bad_version_and_rows.db): std::stoi
    // threw std::invalid_argument out of import_bundle.
    test::TempDir dir;
    const auto bundle = dir / "x.attune";
    const std::string passphrase = "bundle passphrase";
    {
        test::StorePractice source =
            test::open_store_practice(test::store_options(dir / "source.db", "practice passphrase"), "Dr Lee");
        test::add_couple(*source.db, "Couple X");
        BundleSelection selection;
        selection.case_label = "Couple X";
        export_bundle(*source.db, selection, bundle, passphrase);
    }
    for (const std::string version : {"x9", "", "99999999999", "-1"}) {
        {
            SQLite::Database file(bundle.string(), SQLite::OPEN_READWRITE);
            file.exec("PRAGMA key = '" + passphrase + "'");
            SQLite::Statement update(file, "UPDATE info SET value = ? WHERE key = 'format_version'");
            update.bind(1, version);
            REQUIRE(update.exec() == 1);
        }
        test::StorePractice target =
            test::open_store_practice(test::store_options(dir / "target.db", "practice passphrase"), "Dr Super");
        try {
            import_bundle(*target.db, bundle, passphrase);
            FAIL("the bundle was imported with format_version '" + version + "'");
        } catch (const StoreError& e) {
            CHECK(e.kind() == StoreError::Kind::NotAttune);
            CHECK(std::string(e.what()).find("format_version") != std::string::npos);
        }
        CHECK(CaseRepository(*target.db).list().empty());
    }
}
