// Small helpers on the plain records (core/records.h) and the hash the audit
// chain and note signatures rest on (core/sha256.h).
#include "core/records.h"

#include <catch2/catch_test_macros.hpp>
#include <string>

#include "core/sha256.h"

using namespace attune;

TEST_CASE("bundle counts read in words, each number with its own kind of row", "[records][bundle]") {
    // Every count different, so a number shown under the wrong word is caught.
    BundleCounts counts;
    counts.cases = 1;
    counts.sessions = 2;
    counts.observations = 3;
    counts.progress_notes = 4;
    counts.process_notes = 5;
    counts.homework = 6;
    counts.signatures = 7;
    counts.addenda = 8;
    counts.comments = 9;
    counts.measures = 10;
    counts.ratings = 11;
    counts.decisions = 12;
    counts.pauses = 13;
    counts.recordings = 14;
    counts.excerpts = 15;
    CHECK(counts_text(counts) ==
          "1 cases, 2 sessions, 3 observations, 4 progress notes, 5 private notes, 6 homework, 7 signatures, "
          "8 addenda, 9 comments, 10 measures, 11 ratings, 12 change-event decisions, 13 pauses, 14 recordings, "
          "15 excerpts");
    CHECK(counts.total() == 120);
    CHECK(counts_text(BundleCounts{}) ==
          "0 cases, 0 sessions, 0 observations, 0 progress notes, 0 private notes, 0 homework, 0 signatures, "
          "0 addenda, 0 comments, 0 measures, 0 ratings, 0 change-event decisions, 0 pauses, 0 recordings, "
          "0 excerpts");
}

TEST_CASE("an import's unchanged rows are what was neither created, updated nor in conflict", "[records][bundle]") {
    BundleImportReport report;
    report.in_bundle.sessions = 6;
    report.in_bundle.observations = 4;  // 10 rows in the bundle
    report.created.observations = 3;
    report.updated.sessions = 2;
    report.conflicts = {"case X session 1: progress note"};
    CHECK(report.unchanged() == 4);
    report.created.observations = 9;  // more than the bundle holds: never negative
    CHECK(report.unchanged() == 0);
}

TEST_CASE("a signature role reads as its word", "[records][signing]") {
    CHECK(to_string(SignatureRole::Sign) == "sign");
    CHECK(to_string(SignatureRole::Cosign) == "cosign");
}

TEST_CASE("SHA-256 gives the published digests of the standard test messages", "[sha256]") {
    // FIPS 180-2 examples: the empty message and "abc".
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // Bytes after a NUL count too.
    CHECK(sha256_hex(std::string("a\0b", 3)) != sha256_hex("a"));
}
