// The key material has one owner, the open practice, and locking clears it:
// the caseload workers' connections close, every byte of the passphrase's
// buffer is zero, and no use case runs until the practice is opened again.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"
#include "services/caseload_summaries.h"
#include "services/cases.h"
#include "services/key_material.h"
#include "services/open_practice.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;

namespace {

std::size_t nonzero_bytes(const unsigned char* buffer, std::size_t capacity) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < capacity; ++i)
        if (buffer[i] != 0) ++count;
    return count;
}

}  // namespace

TEST_CASE("locking closes the caseload workers' connections and zeroes the one copy of the practice's key", "[lock]") {
    const std::string passphrase = "correct horse battery staple";
    test::TempDir dir;
    auto practice = test::new_practice(dir / "p.db", passphrase, "Dr Lock");
    const Case c = test::add_couple(*practice, "Couple L");
    practice->caseload_summaries().start({c.id}, "2026-11-22");
    practice->caseload_summaries().wait();
    REQUIRE(practice->caseload_summaries().connections_open() > 0);

    // What is kept is the practice's data key as SQLCipher's raw key, x'<64
    // hex digits>' (67 characters), never the person's passphrase.
    const services::KeyMaterial& key = practice->key_material();
    REQUIRE(key.view().size() == 67);
    REQUIRE(key.view().substr(0, 2) == "x'");
    REQUIRE(key.view().find(passphrase) == std::string_view::npos);
    const unsigned char* buffer = key.data_for_tests();
    const std::size_t capacity = key.capacity_for_tests();
    REQUIRE(buffer != nullptr);
    REQUIRE(capacity >= key.view().size());
    REQUIRE(nonzero_bytes(buffer, capacity) == key.view().size());

    practice->lock();
    CHECK(practice->locked());
    CHECK(nonzero_bytes(buffer, capacity) == 0);
    CHECK(key.empty());
    CHECK(key.view().empty());
    CHECK(practice->caseload_summaries().connections_open() == 0);
    try {
        services::list_cases(*practice);
        FAIL("a locked practice listed its cases");
    } catch (const Error& e) {
        CHECK(e.kind() == Error::Kind::Locked);
    }

    // A caseload started after locking opens nothing and says why.
    practice->caseload_summaries().start({c.id}, "2026-11-22");
    practice->caseload_summaries().wait();
    CHECK(practice->caseload_summaries().connections_open() == 0);
    const auto error = practice->caseload_summaries().take_error();
    REQUIRE(error.has_value());
    CHECK_THAT(*error, ContainsSubstring("locked"));
}

TEST_CASE("a practice locked and opened again with the passphrase shows its cases", "[lock]") {
    test::TempDir dir;
    auto practice = test::new_practice(dir / "p.db", "open sesame, please");
    test::add_couple(*practice, "Couple L");
    practice->lock();
    practice.reset();
    auto again = test::open_practice(dir / "p.db", "open sesame, please");
    REQUIRE(services::list_cases(*again).size() == 1);
    CHECK(services::list_cases(*again)[0].info.label == "Couple L");
}

TEST_CASE("a passphrase file gives its first line, without the line end", "[lock][key]") {
    test::TempDir dir;
    test::write_file(dir / "unix", "first line words\nsecond line\n");
    CHECK(services::KeyMaterial::from_file(dir / "unix").view() == "first line words");
    test::write_file(dir / "windows", "typed on windows\r\nmore\r\n");
    CHECK(services::KeyMaterial::from_file(dir / "windows").view() == "typed on windows");
    test::write_file(dir / "no-newline", "just this");
    const services::KeyMaterial key = services::KeyMaterial::from_file(dir / "no-newline");
    CHECK(key.view() == "just this");
    CHECK(key.size() == 9);
}

TEST_CASE("an empty or missing passphrase file is refused naming the file", "[lock][key]") {
    test::TempDir dir;
    test::write_file(dir / "empty", "\n");
    for (const auto& file : {dir / "empty", dir / "missing"}) {
        INFO(file.string());
        try {
            services::KeyMaterial::from_file(file);
            FAIL("a passphrase was read");
        } catch (const Error& e) {
            CHECK(e.kind() == Error::Kind::Invalid);
            CHECK_THAT(e.what(), ContainsSubstring(file.string()));
        }
    }
}

TEST_CASE("wiping key material zeroes its bytes and keeps the buffer until it is released", "[lock][key]") {
    services::KeyMaterial key("s3cret");
    const unsigned char* buffer = key.data_for_tests();
    REQUIRE(nonzero_bytes(buffer, key.capacity_for_tests()) == 6);
    key.wipe();
    CHECK(key.empty());
    CHECK(key.data_for_tests() == buffer);
    CHECK(nonzero_bytes(buffer, key.capacity_for_tests()) == 0);

    services::KeyMaterial moved = services::KeyMaterial("other");
    services::KeyMaterial target = std::move(moved);
    CHECK(target.view() == "other");
    CHECK(moved.empty());  // NOLINT(bugprone-use-after-move): a moved-from key holds nothing
    CHECK(moved.data_for_tests() == nullptr);
}
