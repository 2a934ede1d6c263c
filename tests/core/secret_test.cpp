#include "core/secret.h"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <string>
#include <utility>

#include "core/passphrase_policy.h"

using namespace attune;

namespace {

const std::uint8_t kSample[] = {1, 2, 3, 250, 251, 252, 7, 8};

bool all_zero(std::span<const std::uint8_t> bytes) {
    return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

}  // namespace

TEST_CASE("a new secret buffer holds zeros of the size asked for", "[secret]") {
    const SecretBytes secret(24);
    REQUIRE(secret.size() == 24);
    REQUIRE(all_zero(secret.view()));
    REQUIRE(SecretBytes().empty());
    REQUIRE(SecretBytes().data() == nullptr);
}

TEST_CASE("wiping a secret zeroes every byte while the buffer is still held", "[secret]") {
    SecretBytes secret = SecretBytes::copy_of(kSample);
    REQUIRE(std::equal(secret.view().begin(), secret.view().end(), std::begin(kSample), std::end(kSample)));
    secret.wipe();
    REQUIRE(secret.size() == sizeof kSample);  // still owned, now zero
    REQUIRE(all_zero(secret.view()));

    SecretString passphrase("correct horse battery staple");
    passphrase.wipe();
    REQUIRE(passphrase.size() == 28);
    REQUIRE(passphrase.view() == std::string(28, '\0'));
}

TEST_CASE("reset frees the secret and leaves it empty", "[secret]") {
    SecretBytes secret = SecretBytes::copy_of(kSample);
    secret.reset();
    REQUIRE(secret.empty());
    REQUIRE(secret.data() == nullptr);
}

TEST_CASE("moving a secret leaves the source empty and the bytes with the new owner", "[secret]") {
    SecretBytes source = SecretBytes::copy_of(kSample);
    const std::uint8_t* buffer = source.data();
    SecretBytes moved(std::move(source));
    REQUIRE(source.empty());  // NOLINT(bugprone-use-after-move): the behaviour under test
    REQUIRE(source.data() == nullptr);
    REQUIRE(moved.data() == buffer);  // the one buffer changed hands: nothing was copied
    REQUIRE(moved.size() == sizeof kSample);

    SecretBytes assigned(3);
    assigned = std::move(moved);
    REQUIRE(moved.empty());  // NOLINT(bugprone-use-after-move)
    REQUIRE(assigned.data() == buffer);

    SecretString text("hunter2 is not a passphrase");
    SecretString taken = std::move(text);
    REQUIRE(text.empty());  // NOLINT(bugprone-use-after-move)
    REQUIRE(text.view().empty());
    REQUIRE(taken.view() == "hunter2 is not a passphrase");
}

TEST_CASE("a clone is equal to its original and independent of it", "[secret]") {
    SecretBytes original = SecretBytes::copy_of(kSample);
    const SecretBytes copy = original.clone();
    REQUIRE(copy == original);
    REQUIRE(copy.data() != original.data());
    original.wipe();
    REQUIRE_FALSE(copy == original);
    REQUIRE(copy.view()[3] == 250);

    const SecretString text("same words twice");
    REQUIRE(text.clone() == text);
    REQUIRE(text.clone().view() == "same words twice");
}

TEST_CASE("secrets of another size or other bytes are not equal", "[secret]") {
    const SecretBytes a = SecretBytes::copy_of(kSample);
    SecretBytes b = a.clone();
    b.mutable_view()[7] ^= 1;
    REQUIRE_FALSE(a == b);
    REQUIRE_FALSE(a == SecretBytes::copy_of(std::span(kSample).first(7)));
    REQUIRE_FALSE(SecretString("abc") == SecretString("abcd"));
    REQUIRE(SecretString("") == SecretString());
}

TEST_CASE("a secret string is NUL-terminated for C interfaces", "[secret]") {
    const SecretString text("twelve chars");
    REQUIRE(std::strlen(text.c_str()) == 12);
    REQUIRE(std::string(text.c_str()) == "twelve chars");
    REQUIRE(std::string(SecretString().c_str()).empty());
}

TEST_CASE("taking a passphrase from a std::string wipes the string's whole buffer", "[secret]") {
    std::string typed = "a passphrase long enough to live on the heap";
    typed.resize(12);  // backspaced: the rest stays in the string's spare capacity
    const char* buffer = typed.data();
    const std::size_t capacity = typed.capacity();
    REQUIRE(capacity >= 44);
    const SecretString secret = SecretString::take(typed);
    REQUIRE(secret.view() == "a passphrase");
    REQUIRE(typed.empty());
    REQUIRE(typed.data() == buffer);  // not reallocated, so no unwiped copy was left behind
    REQUIRE(std::all_of(buffer, buffer + capacity, [](char c) { return c == '\0'; }));
}

TEST_CASE("a short std::string is wiped in its inline buffer too", "[secret]") {
    std::string typed = "short";
    typed.resize(2);  // "rt" stays in the inline buffer, after the new terminator
    const char* buffer = typed.data();
    wipe_string(typed);
    REQUIRE(typed.empty());
    REQUIRE(std::all_of(buffer, buffer + 5, [](char c) { return c == '\0'; }));
}

TEST_CASE("taking a passphrase from an edit buffer wipes all of the buffer", "[secret]") {
    char buffer[32] = "open sesame, please";
    buffer[25] = 'x';  // left over from longer text typed earlier
    const SecretString secret = SecretString::take(buffer, std::strlen(buffer), sizeof buffer);
    REQUIRE(secret.view() == "open sesame, please");
    REQUIRE(std::all_of(std::begin(buffer), std::end(buffer), [](char c) { return c == '\0'; }));
}

TEST_CASE("a new passphrase needs twelve characters, counted as characters not bytes", "[secret]") {
    REQUIRE(new_passphrase_problem("eleven char").has_value());
    REQUIRE_FALSE(new_passphrase_problem("twelve chars").has_value());
    // Eleven two-byte characters are 22 bytes but still eleven characters.
    REQUIRE(new_passphrase_problem("ééééééééééé").has_value());
    REQUIRE_FALSE(new_passphrase_problem("éééééééééééé").has_value());
    REQUIRE(*new_passphrase_problem("short") == "the passphrase needs at least 12 characters");
}

TEST_CASE("a new passphrase must be UTF-8 text of reasonable length", "[secret]") {
    REQUIRE(new_passphrase_problem("twelve chars\xff").has_value());
    REQUIRE(new_passphrase_problem(std::string(1025, 'a')).has_value());
    REQUIRE_FALSE(new_passphrase_problem(std::string(1024, 'a')).has_value());
}
