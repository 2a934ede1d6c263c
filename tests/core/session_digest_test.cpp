#include "core/session_digest.h"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/canonical_writer.h"

using namespace attune;

namespace {

const std::string kMaya = "6f1c1c1e-0d3a-4b8e-9a51-2f0c7d1e4a10";
const std::string kSam = "0b7e6a52-33c1-4a2f-8d0e-5c9a1b2c3d4e";

Observation observation(const std::string& uuid, double t, const std::string& code) {
    Observation o;
    o.uuid = uuid;
    o.rater_id = 1;
    o.t = t;
    o.who = Who::A;
    o.code_id = code;
    return o;
}

PauseRecord pause(double at, std::optional<double> wall) {
    PauseRecord p;
    p.session_seconds = at;
    p.wall_seconds = wall;
    return p;
}

// A session as a clinician would sign it: every covered field set.
SessionContent sample() {
    SessionContent c;
    c.session_uuid = "1d5e0a9c-7b2f-4c61-9e3d-8a4b5c6d7e8f";
    c.note = {"Both arrived late.", "Pursue-withdraw cycle visible.", "Continue stage 1."};
    c.ratings = {6, 4, 7};
    c.eft_stage = 1;
    c.eft_step = 2;
    c.date = "2026-11-20";
    c.active_seconds = 3000.5;
    Observation a = observation("aaaaaaaa-0000-4000-8000-000000000001", 12.5, "validate");
    a.intensity = 2;
    a.comment = "\"I hear you\"";
    Observation b = observation("bbbbbbbb-0000-4000-8000-000000000002", 40.0, "withdraw");
    b.who = Who::B;
    b.kind = EventKind::State;
    b.stop = 95.25;
    Observation deleted = observation("cccccccc-0000-4000-8000-000000000003", 60.0, "blame_shift");
    deleted.deleted = true;
    c.observations = {a, b, deleted};
    c.rater_uuids = {{1, kMaya}, {2, kSam}};
    c.pauses = {pause(300, 45.5), pause(120, 30)};
    return c;
}

const SignerStamp kSigner{kMaya, "Maya Lee", "2026-11-22T02:04:31Z"};

// One change to the content, with a name to report when it fails to matter.
struct Change {
    const char* what;
    std::function<void(SessionContent&)> apply;
};

std::string field(std::string_view bytes) {
    std::string out;
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((bytes.size() >> shift) & 0xFF));
    return out + std::string(bytes);
}

// 8 bytes big-endian, as a field.
std::string u64_field(std::uint64_t value) {
    std::string out;
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
    return field(out);
}

std::string seconds_field(double value) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return u64_field(bits);
}

std::string hex(const SessionDigest& digest) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::uint8_t b : digest) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

}  // namespace

TEST_CASE("every covered field of a session changes the digest when it changes", "[digest]") {
    const SessionDigest base = session_digest(sample(), kSigner);
    const std::vector<Change> changes = {
        {"session uuid", [](SessionContent& c) { c.session_uuid[0] = '2'; }},
        {"note data", [](SessionContent& c) { c.note.data += " "; }},
        {"note assessment", [](SessionContent& c) { c.note.assessment = "Cycle visible."; }},
        {"note plan", [](SessionContent& c) { c.note.plan.clear(); }},
        {"text moved between data and assessment",
         [](SessionContent& c) {
             c.note.data = "Both arrived late. Pursue-withdraw";
             c.note.assessment = " cycle visible.";
         }},
        {"attunement A", [](SessionContent& c) { c.ratings.attunement_a = 5; }},
        {"attunement B absent", [](SessionContent& c) { c.ratings.attunement_b.reset(); }},
        {"safety", [](SessionContent& c) { c.ratings.safety = 8; }},
        {"EFT stage", [](SessionContent& c) { c.eft_stage = 2; }},
        {"EFT step absent", [](SessionContent& c) { c.eft_step.reset(); }},
        {"session date", [](SessionContent& c) { c.date = "2026-11-21"; }},
        {"session clock", [](SessionContent& c) { c.active_seconds = 3000.25; }},
        {"observation uuid", [](SessionContent& c) { c.observations[0].uuid[0] = 'd'; }},
        {"observation kind", [](SessionContent& c) { c.observations[0].kind = EventKind::State; }},
        {"observation time", [](SessionContent& c) { c.observations[0].t = 12.500001; }},
        {"observation stop", [](SessionContent& c) { c.observations[1].stop = 95.0; }},
        {"observation stop absent", [](SessionContent& c) { c.observations[1].stop.reset(); }},
        {"observation who", [](SessionContent& c) { c.observations[0].who = Who::Both; }},
        {"observation code", [](SessionContent& c) { c.observations[0].code_id = "validation"; }},
        {"observation intensity", [](SessionContent& c) { c.observations[0].intensity = 3; }},
        {"observation intensity absent", [](SessionContent& c) { c.observations[0].intensity.reset(); }},
        {"observation intensity present", [](SessionContent& c) { c.observations[1].intensity = 1; }},
        {"observation comment", [](SessionContent& c) { c.observations[0].comment = "\"I hear you.\""; }},
        {"observation rater", [](SessionContent& c) { c.observations[1].rater_id = 2; }},
        {"rater's uuid", [](SessionContent& c) { c.rater_uuids[1] = kSam; }},
        {"observation deleted", [](SessionContent& c) { c.observations[0].deleted = true; }},
        {"deleted observation restored", [](SessionContent& c) { c.observations[2].deleted = false; }},
        {"observation added",
         [](SessionContent& c) {
             c.observations.push_back(observation("dddddddd-0000-4000-8000-000000000004", 1, "x"));
         }},
        {"pause's start", [](SessionContent& c) { c.pauses[0].session_seconds = 300.5; }},
        {"pause's wall length", [](SessionContent& c) { c.pauses[1].wall_seconds = 31; }},
        {"pause's wall length absent", [](SessionContent& c) { c.pauses[1].wall_seconds.reset(); }},
        {"pause removed", [](SessionContent& c) { c.pauses.pop_back(); }},
        {"pause added", [](SessionContent& c) { c.pauses.push_back(pause(0, 2)); }},
        {"pause split in two",
         [](SessionContent& c) {
             c.pauses[0].wall_seconds = 40;
             c.pauses.push_back(pause(300, 5.5));
         }},
    };
    for (const Change& change : changes) {
        SessionContent changed = sample();
        change.apply(changed);
        INFO(change.what);
        REQUIRE(session_digest(changed, kSigner) != base);
    }
}

TEST_CASE("the signer, their name and the time are covered", "[digest]") {
    const SessionDigest base = session_digest(sample(), kSigner);
    REQUIRE(session_digest(sample(), {kSam, "Maya Lee", kSigner.signed_at}) != base);
    REQUIRE(session_digest(sample(), {kMaya, "Maya Le", kSigner.signed_at}) != base);
    REQUIRE(session_digest(sample(), {kMaya, "Maya Lee", "2026-11-22T02:04:32Z"}) != base);
}

TEST_CASE("the order observations are given in does not change the digest", "[digest]") {
    SessionContent reordered = sample();
    std::reverse(reordered.observations.begin(), reordered.observations.end());
    REQUIRE(session_digest(reordered, kSigner) == session_digest(sample(), kSigner));
    std::rotate(reordered.observations.begin(), reordered.observations.begin() + 1, reordered.observations.end());
    REQUIRE(session_digest(reordered, kSigner) == session_digest(sample(), kSigner));
    std::reverse(reordered.pauses.begin(), reordered.pauses.end());
    REQUIRE(session_digest(reordered, kSigner) == session_digest(sample(), kSigner));
}

TEST_CASE("what the signature does not cover leaves the digest alone", "[digest]") {
    SessionContent changed = sample();
    changed.observations[2].comment = "edited while deleted";  // deleted observations are not covered
    changed.observations[0].id = 99;                           // row ids differ between databases
    changed.observations[0].session_id = 42;
    changed.rater_uuids[7] = kSam;  // a rater of no observation
    changed.pauses[0].id = 12;      // a pause's row, origin and the moment it began
    changed.pauses[0].origin = PauseOrigin::Recovered;
    changed.pauses[0].began_at = 1795000000.0;
    REQUIRE(session_digest(changed, kSigner) == session_digest(sample(), kSigner));
}

TEST_CASE("a co-signature covers the first signature, and differs from a signature", "[digest]") {
    const std::vector<std::uint8_t> first(64, 0xA5);
    std::vector<std::uint8_t> other = first;
    other[63] = 0xA4;
    const SignerStamp sam{kSam, "Sam Ortiz", "2026-11-23T09:00:00Z"};
    const SessionDigest cosign = cosign_digest(sample(), sam, first);
    REQUIRE(cosign != cosign_digest(sample(), sam, other));
    REQUIRE(cosign != session_digest(sample(), sam));
    REQUIRE(cosign_digest(sample(), sam, first) == cosign);
}

TEST_CASE("a signature's bytes start with the domain tag and the role, length-prefixed", "[digest]") {
    const std::string bytes = canonical_session_bytes(sample(), kSigner);
    const std::string prefix = field("attune-session-v2") + field("sign") + field(sample().session_uuid);
    REQUIRE(bytes.substr(0, prefix.size()) == prefix);
    const std::string cosign = canonical_cosign_bytes(sample(), kSigner, {});
    REQUIRE(cosign.substr(0, 21 + 10) == field("attune-session-v2") + field("cosign"));
    REQUIRE(canonical_session_bytes(sample(), kSigner, 1).substr(0, 21) == field("attune-session-v1"));
    REQUIRE_THROWS_AS(canonical_session_bytes(sample(), kSigner, 3), std::invalid_argument);
    REQUIRE_THROWS_AS(canonical_session_bytes(sample(), kSigner, 0), std::invalid_argument);
}

TEST_CASE("version 2 is version 1 with its own tag and the clock's pauses after the session clock", "[digest]") {
    SessionContent content = sample();
    content.observations.clear();  // the bytes after the pauses: the count 0, then the signer
    const std::string v1 = canonical_session_bytes(content, kSigner, 1);
    const std::string v2 = canonical_session_bytes(content, kSigner, 2);
    const std::string tail = u64_field(0) + field(kMaya) + field("Maya Lee") + field(kSigner.signed_at);
    REQUIRE(v1.size() > 21 + tail.size());
    REQUIRE(v1.substr(v1.size() - tail.size()) == tail);
    const std::string covered = v1.substr(21, v1.size() - 21 - tail.size());  // role .. session clock
    REQUIRE(covered.substr(covered.size() - 12) == seconds_field(3000.5));
    // Sorted by encoding: 120 before 300 (positive binary64 bits order as the numbers do).
    const std::string pauses =
        u64_field(2) + seconds_field(120) + seconds_field(30) + seconds_field(300) + seconds_field(45.5);
    REQUIRE(v2 == field("attune-session-v2") + covered + pauses + tail);
    // A pause still open is written with an empty length field.
    content.pauses = {pause(120, std::nullopt)};
    REQUIRE(canonical_session_bytes(content, kSigner, 2) ==
            field("attune-session-v2") + covered + u64_field(1) + seconds_field(120) + field("") + tail);
}

TEST_CASE("version 1 digests are those Attune signed before pauses were covered, and ignore the pauses",
          "[digest]") {
    // Taken from the version-1 encoder as it was (commit 2124370) for this sample, without pauses.
    SessionContent content = sample();
    content.pauses.clear();
    REQUIRE(hex(session_digest(content, kSigner, 1)) ==
            "24893befb4133eb4ffa68b5a3791ac473bdfe06d345e84e1a26b1978311375f2");
    const std::vector<std::uint8_t> first(64, 0xA5);
    const SignerStamp sam{kSam, "Sam Ortiz", "2026-11-23T09:00:00Z"};
    REQUIRE(hex(cosign_digest(content, sam, first, 1)) ==
            "f527c06bb3e268d857bbd097dad9f6be7a0332d475ff996a743a26e1d507be50");
    REQUIRE(session_digest(sample(), kSigner, 1) == session_digest(content, kSigner, 1));
    REQUIRE(session_digest(content, kSigner, 2) != session_digest(content, kSigner, 1));
    REQUIRE(session_digest(sample(), kSigner, 2) != session_digest(content, kSigner, 2));
}

TEST_CASE("the writer's layout is as documented", "[digest]") {
    CanonicalWriter out;
    out.text("ab");
    out.optional_integer(std::nullopt);
    out.optional_integer(-1);
    out.seconds(1.0);
    out.seconds(-0.0);
    const std::string expected = std::string(
                                     "\0\0\0\x02"
                                     "ab",
                                     6) +
                                 std::string(4, '\0') + std::string("\0\0\0\x08", 4) + std::string(8, '\xff') +
                                 std::string("\0\0\0\x08\x3f\xf0\0\0\0\0\0\0", 12) + std::string("\0\0\0\x08", 4) +
                                 std::string(8, '\0');
    REQUIRE(out.bytes_written() == expected);
}

TEST_CASE("a time that is not a number, or a rater without a uuid, cannot be signed", "[digest]") {
    SessionContent nan_time = sample();
    nan_time.observations[0].t = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_AS(session_digest(nan_time, kSigner), std::invalid_argument);
    SessionContent infinite_pause = sample();
    infinite_pause.pauses[0].wall_seconds = std::numeric_limits<double>::infinity();
    REQUIRE_THROWS_AS(session_digest(infinite_pause, kSigner), std::invalid_argument);
    SessionContent unknown_rater = sample();
    unknown_rater.observations[0].rater_id = 3;
    REQUIRE_THROWS_AS(session_digest(unknown_rater, kSigner), std::invalid_argument);
}

TEST_CASE("a session's covered fields are taken from the stored structs", "[digest]") {
    Session session;
    session.uuid = sample().session_uuid;
    session.ratings = sample().ratings;
    session.eft_stage = 1;
    session.eft_step = 2;
    session.date = "2026-11-20";
    session.active_seconds = 3000.5;
    session.number = 3;  // not covered
    session.start_time = "09:30";  // not covered
    const SessionContent content =
        SessionContent::of(session, sample().note, sample().observations, sample().rater_uuids, sample().pauses);
    REQUIRE(session_digest(content, kSigner) == session_digest(sample(), kSigner));
}
