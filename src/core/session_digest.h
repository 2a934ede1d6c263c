// session_digest.h: what a signature on a session covers, as bytes.
//
// Signing a session signs SHA-256 of its canonical encoding (below), so that
// a change to anything the signature vouches for, however made, makes the
// signature fail. A co-signature covers the same content, its own signer and
// time, and the first signature's bytes.
//
// Canonical encoding, version 2 (every number big-endian):
//   field     := u32 length, then that many bytes
//   text      := field of the UTF-8 bytes, as stored (no normalisation)
//   opt_int   := field of 0 bytes when absent, else of 8 bytes: the value as a
//                two's-complement int64
//   seconds   := field of 8 bytes: the IEEE-754 binary64 bits of the value
//                (exact; -0 is written as +0; NaN and infinities are refused)
//   opt_secs  := field of 0 bytes when absent, else as seconds
//   count     := field of 8 bytes: an unsigned int64
//
//   digest input :=
//     text "attune-session-v2"          domain separation and version
//     text "sign" | "cosign"
//     text session uuid
//     text note data, text note assessment, text note plan
//     opt_int attunement A, opt_int attunement B, opt_int safety
//     opt_int EFT stage, opt_int EFT step
//     text session date (yyyy-mm-dd), seconds session-clock length (active seconds)
//     count m of the clock's pauses, then m times, sorted by their encoding:
//       seconds session-clock second it began at, opt_secs its wall-clock length
//     count n of non-deleted observations, then n times, sorted by uuid
//     (byte-wise; equal uuids by their encoding):
//       text uuid, text kind ("point"|"state"), seconds t, opt_secs stop,
//       text who ("A"|"B"|"both"|"therapist"), text code id, opt_int intensity,
//       text comment, text rater's person uuid
//     text signer's person uuid, text signer's name, text signed-at (ISO 8601 UTC)
//     cosign only: field of the first signature's bytes
//   digest := SHA-256(digest input), 32 bytes; this is what Ed25519 signs.
//
// Deleted observations and everything else about the session (its number,
// start time, state, scheme; the private process note; a pause's origin and
// when it began; the recording linked to it, its offset and excerpts, which
// may change after signing) are not covered.
//
// Version 1 (Attune before pauses were covered) is version 2 with the domain
// tag "attune-session-v1" and no pause count or pauses. Signatures made in
// version 1 still verify; every new one is version 2. A version-2 signature
// never verifies as version 1 (or the reverse): the tag is in the signed bytes.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/recordings.h"

namespace attune {

// Everything a signature on a session covers, as plain values.
struct SessionContent {
    std::string session_uuid;
    ProgressNote note;
    Ratings ratings;
    std::optional<int> eft_stage;
    std::optional<int> eft_step;
    std::string date;             // yyyy-mm-dd
    double active_seconds = 0;    // the session clock's length
    std::vector<Observation> observations;  // any order; deleted ones are left out
    // Observation::rater_id -> that person's uuid (row ids differ between
    // databases; uuids do not). Every non-deleted observation's rater must be here.
    std::map<RowId, std::string> rater_uuids;
    // The clock's pauses (version 2 on): where each began and its wall length;
    // any order.
    std::vector<PauseRecord> pauses;

    // Takes the covered fields of a stored session.
    static SessionContent of(const Session& session, const ProgressNote& note, std::vector<Observation> observations,
                             std::map<RowId, std::string> rater_uuids, std::vector<PauseRecord> pauses);
};

// The encoding every new signature uses; verifying also accepts version 1.
inline constexpr int kSessionDigestVersion = 2;

// Who signs, and when.
struct SignerStamp {
    std::string person_uuid;
    std::string name;
    std::string signed_at;  // ISO 8601 UTC, e.g. "2026-11-22T02:04:31Z"
};

using SessionDigest = std::array<std::uint8_t, 32>;

// The canonical bytes (see above); throws std::invalid_argument for a time
// that is not a finite number, a rater missing from rater_uuids or a version
// other than 1 or 2.
std::string canonical_session_bytes(const SessionContent& content, const SignerStamp& signer,
                                    int version = kSessionDigestVersion);
std::string canonical_cosign_bytes(const SessionContent& content, const SignerStamp& cosigner,
                                   std::span<const std::uint8_t> first_signature, int version = kSessionDigestVersion);

// SHA-256 of the canonical bytes: what the signer's key signs.
SessionDigest session_digest(const SessionContent& content, const SignerStamp& signer,
                             int version = kSessionDigestVersion);
SessionDigest cosign_digest(const SessionContent& content, const SignerStamp& cosigner,
                            std::span<const std::uint8_t> first_signature, int version = kSessionDigestVersion);

}  // namespace attune
