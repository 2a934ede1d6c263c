// Issue 17 item 8: every reader of outside input caps the size and nesting of
// what it reads. The public key file (`person import-key`) here; the scheme,
// settings, instrument, keyring and BORIS readers in their own layers' tests.
#include <catch2/catch_test_macros.hpp>

#include "core/error.h"
#include "services/people.h"

using namespace attune;

TEST_CASE("a public key file nested deeply or over 16 KB is refused before it is parsed", "[people][limits]") {
    // 5,000 levels: under the size limit, so the depth is what is refused.
    const std::string deep = R"({"format": "attune-public-key", "name": )" + std::string(5000, '[') +
                             std::string(5000, ']') + "}";
    try {
        services::parse_public_key_file(deep, "deep.key");
        FAIL("the deep text was accepted");
    } catch (const Error& e) {
        CHECK(e.kind() == Error::Kind::Invalid);
        CHECK(std::string(e.what()) == "deep.key: the JSON is nested deeper than 4 levels; a public key file is not");
    }
    const std::string large = R"({"format": "attune-public-key", "name": ")" + std::string(20000, 'x') + "\"}";
    try {
        services::parse_public_key_file(large, "large.key");
        FAIL("the large text was accepted");
    } catch (const Error& e) {
        CHECK(std::string(e.what()) == "large.key: the file is larger than 16 KB; a public key file is not");
    }
}
