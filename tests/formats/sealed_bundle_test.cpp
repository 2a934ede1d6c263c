// formats/sealed_bundle.h: the file of a bundle sealed to people's keys, a
// magic line, one JSON header line and the bundle database's bytes.
#include "formats/sealed_bundle.h"

#include <catch2/catch_test_macros.hpp>
#include <string>

#include "core/error.h"
#include "support/test_support.h"

using namespace attune;

namespace {

formats::SealedBundleHeader two_recipients() {
    formats::SealedBundleHeader header;
    header.recipients.push_back({"uuid-a", "Dr A", "fp a", crypto::Bytes{1, 2, 3}});
    header.recipients.push_back({"uuid-b", "Dr \"B\"\nline", "fp b", crypto::Bytes{250, 251}});
    return header;
}

Error::Kind kind_of_reading(const std::filesystem::path& file) {
    try {
        formats::read_sealed_bundle(file);
    } catch (const Error& e) {
        return e.kind();
    }
    FAIL("read without an error");
    return Error::Kind::Io;
}

}  // namespace

TEST_CASE("a sealed bundle's header reads back as written, and the database bytes start right after it", "[sealed]") {
    test::TempDir dir;
    const std::string header = formats::sealed_bundle_header_text(two_recipients());
    // Two lines exactly, whatever a name holds.
    CHECK(header.rfind("attune-sealed-bundle\n{", 0) == 0);
    CHECK(header.find('\n', 21) == header.size() - 1);
    test::write_file(dir / "db", "DATABASE");
    test::write_file(dir / "x.attune", formats::sealed_bundle_bytes(header, dir / "db"));

    CHECK(formats::is_sealed_bundle(dir / "x.attune"));
    const formats::SealedBundleFile read = formats::read_sealed_bundle(dir / "x.attune");
    CHECK(read.header_text == header);
    CHECK(read.payload_offset == header.size());
    REQUIRE(read.header.recipients.size() == 2);
    CHECK(read.header.recipients[1].name == "Dr \"B\"\nline");
    CHECK(read.header.recipients[1].uuid == "uuid-b");
    CHECK(read.header.recipients[1].fingerprint == "fp b");
    CHECK(read.header.recipients[1].sealed_key == crypto::Bytes{250, 251});
    formats::extract_sealed_payload(dir / "x.attune", read.payload_offset, dir / "out.db");
    CHECK(test::read_file(dir / "out.db") == "DATABASE");
}

TEST_CASE("a file that is not a sealed bundle, a newer one or a damaged header is refused by kind", "[sealed]") {
    test::TempDir dir;
    test::write_file(dir / "plain", "SQLite format 3\0 and more");
    CHECK_FALSE(formats::is_sealed_bundle(dir / "plain"));
    CHECK_FALSE(formats::is_sealed_bundle(dir / "missing"));
    CHECK(kind_of_reading(dir / "plain") == Error::Kind::NotAttune);
    CHECK(kind_of_reading(dir / "missing") == Error::Kind::NotFound);

    test::write_file(dir / "newer", "attune-sealed-bundle\n{\"version\":2,\"recipients\":[]}\nDB");
    CHECK(kind_of_reading(dir / "newer") == Error::Kind::NewerSchema);
    test::write_file(dir / "unended", "attune-sealed-bundle\n{\"version\":1,\"recipients\":[");
    CHECK(kind_of_reading(dir / "unended") == Error::Kind::Invalid);
    test::write_file(dir / "nobody", "attune-sealed-bundle\n{\"version\":1,\"recipients\":[]}\nDB");
    CHECK(kind_of_reading(dir / "nobody") == Error::Kind::Invalid);
    test::write_file(dir / "no-key",
                     "attune-sealed-bundle\n{\"version\":1,\"recipients\":[{\"uuid\":\"u\",\"name\":\"n\","
                     "\"fingerprint\":\"f\",\"sealed_key\":\"not base64!\"}]}\nDB");
    CHECK(kind_of_reading(dir / "no-key") == Error::Kind::Invalid);
    // A header with no database after it.
    test::write_file(dir / "empty", formats::sealed_bundle_header_text(two_recipients()));
    const formats::SealedBundleFile read = formats::read_sealed_bundle(dir / "empty");
    CHECK_THROWS_AS(formats::extract_sealed_payload(dir / "empty", read.payload_offset, dir / "out.db"), Error);
    CHECK_FALSE(std::filesystem::exists(dir / "out.db"));
}
