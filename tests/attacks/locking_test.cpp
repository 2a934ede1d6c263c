// Locking wipes every key an open practice holds: the data key (as SQLCipher's
// raw key and as bytes) and the signed-in person's signing key. The buffers
// are read through services/practice_access.h, which only this binary and the
// services themselves include.
#include <algorithm>

#include "attacks/attack_fixture.h"
#include "services/practice_access.h"

using namespace attune;
using namespace attune::test;

namespace {

bool all_zero(const std::uint8_t* data, std::size_t size) {
    return std::all_of(data, data + size, [](std::uint8_t b) { return b == 0; });
}

}  // namespace

TEST_CASE("locking wipes the data key and the signing key", "[attack][lock]") {
    TempDir dir;
    auto practice = new_practice(dir / "p.attune-db");
    const services::KeyMaterial& key = practice->key_material();
    const unsigned char* raw = key.data_for_tests();
    const std::size_t raw_size = key.capacity_for_tests();
    const SecretBytes& data_key = services::PracticeAccess::data_key(*practice);
    const SecretBytes* signing_key = services::PracticeAccess::signer(*practice).secret_key;
    REQUIRE(raw != nullptr);
    REQUIRE(key.view().rfind("x'", 0) == 0);
    REQUIRE(raw_size == 67);  // x' + 64 hex digits + '
    REQUIRE(data_key.size() == store::kDataKeySize);
    REQUIRE(signing_key->size() == crypto::kSecretKeySize);
    REQUIRE_FALSE(all_zero(raw, raw_size));
    REQUIRE_FALSE(all_zero(data_key.data(), data_key.size()));
    REQUIRE_FALSE(all_zero(signing_key->data(), signing_key->size()));

    practice->lock();
    REQUIRE(practice->locked());
    REQUIRE(key.empty());
    REQUIRE(all_zero(raw, raw_size));
    REQUIRE(all_zero(data_key.data(), data_key.size()));
    REQUIRE(all_zero(signing_key->data(), signing_key->size()));
    // Nothing can be signed or derived from what is left.
    const std::uint8_t message[1] = {1};
    REQUIRE_THROWS_AS(practice->sign(message), Error);
    REQUIRE_THROWS_AS(practice->derive_key("attune-media-v1"), Error);
    REQUIRE_THROWS_AS(services::PracticeAccess::data_key(*practice), Error);
}
