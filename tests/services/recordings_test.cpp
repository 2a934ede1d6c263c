// Recordings through the services (DOMAIN.md, "Recordings (version 2)"):
// pauses stored by the live clock and kept by crash recovery, the pause map
// over stored pauses, a recording imported encrypted (no plaintext on disk,
// the same frames played) or linked in place, a different file refused with
// both hashes, still frames of session seconds, seeks, excerpts and their
// export, backups that say media are not in them, and a session made from a
// recording alone. Media are made at test time with ffmpeg (tests/formats/test_media.h).
#include "services/recordings.h"

#include <sys/stat.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <cmath>
#include <unordered_set>

#include "core/session_clock.h"
#include "core/sha256.h"
#include "formats/test_media.h"
#include "practice_reads.h"
#include "services/backups.h"
#include "services/bundles.h"
#include "services/cases.h"
#include "services/excerpts.h"
#include "services/export.h"
#include "services/live_session.h"
#include "services/recording_player.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::WithinAbs;
namespace fs = std::filesystem;

namespace {

constexpr double kFrame = 1.0 / test::kVideoFps;

const test::TestMedia& media_or_skip() {
    std::string why;
    const auto& media = test::test_media(&why);
    if (!media) SKIP(why);
    return *media;
}

Observation log_at(services::OpenPractice& practice, const Session& s, Who who, double t, const std::string& code) {
    services::LogRequest request;
    request.who = who;
    request.code = code;
    request.at = t;
    return services::log_observation(practice, s, request);
}

// A practice with one ended session of 8 s of clock time, paused once live at
// second 1 for 2 wall seconds, with the colour video linked at offset 0.5:
// session s -> media 0.5 + s (+ 2 from s = 1 on).
struct Linked {
    test::TempDir dir;
    std::unique_ptr<services::OpenPractice> practice = test::new_practice(dir / "p.db", "correct horse", "Dr Lee");
    Case c = test::add_couple(*practice, "Couple M");
    Session s;

    explicit Linked(bool in_place = false) {
        const auto& media = media_or_skip();
        s = services::start_session(*practice, c.id, "2026-05-01");
        log_at(*practice, s, Who::A, 2, "blame_shift");
        services::SessionEnding ending;
        ending.active_seconds = 8;
        s = services::end_session(*practice, s, ending);
        services::add_session_pause(*practice, s, 1, 2);
        fs::path file = media.colour_video;
        if (in_place) {
            file = dir / "colours.mp4";
            fs::copy_file(media.colour_video, file);
        }
        services::RecordingLink link;
        link.file = file;
        link.offset_seconds = 0.5;
        link.in_place = in_place;
        services::link_recording(*practice, s, link);
    }
    Recording recording() { return *services::session_recording(*practice, s.id); }
};

// The second whose colour a still frame shows.
int second_of(const services::VideoFrame& frame) {
    double distance = 0;
    const int second = test::nearest_second(test::centre_colour(frame.rgba, frame.width, frame.height), &distance);
    CHECK(distance < 40);
    return second;
}

std::unique_ptr<services::RecordingPlayer> software_player(services::OpenPractice& practice, const Recording& r) {
    services::RecordingPlayer::Options options;
    options.audio_output = false;
    auto player = std::make_unique<services::RecordingPlayer>(options);
    player->use_software_rendering();
    player->open(practice, r);
    return player;
}

std::vector<std::uint8_t> picture(services::RecordingPlayer& player) {
    std::vector<std::uint8_t> rgba;
    REQUIRE(player.render_software(test::kVideoWidth, test::kVideoHeight, rgba));
    return rgba;
}

}  // namespace

// [SECTION] Pauses

TEST_CASE("three stored pauses map session seconds to media and back within a millisecond") {
    test::TempDir dir;
    auto practice = test::new_practice(dir / "p.db");
    const Case c = test::add_couple(*practice, "Couple P");
    Session s = services::start_session(*practice, c.id, "2026-05-01");
    services::SessionEnding ending;
    ending.active_seconds = 600;
    s = services::end_session(*practice, s, ending);
    // Entered out of order; offset 3 s.
    services::add_session_pause(*practice, s, 300, 45.5);
    services::add_session_pause(*practice, s, 100, 20);
    services::add_session_pause(*practice, s, 450, 7.25);
    Recording r;
    r.session_id = s.id;
    r.offset_seconds = 3;
    const PauseMap map = services::pause_map_of(*practice, r);
    // media = 3 + s + the pauses begun at or before s.
    const std::pair<double, double> expected[] = {{0, 3},       {99.999, 102.999}, {100, 123},    {299.5, 322.5},
                                                  {300, 368.5}, {449.25, 517.75},  {450, 525.75}, {599, 674.75}};
    for (const auto& [session, media] : expected) {
        CAPTURE(session);
        CHECK_THAT(map.media_from_session(session), WithinAbs(media, 1e-9));
        CHECK_THAT(map.session_from_media(media).value(), WithinAbs(session, 1e-3));
    }
    // Inside the second pause (media 323 to 368.5) the clock stood at 300.
    CHECK(map.session_from_media(323.0) == 300);
    CHECK(map.session_from_media(340.25) == 300);
    CHECK(map.session_from_media(368.5) == 300);
    CHECK_FALSE(map.session_from_media(2.9).has_value());  // before the clock read 0
}

TEST_CASE("a pause typed in cannot begin after the session's end") {
    test::TempDir dir;
    auto practice = test::new_practice(dir / "p.db");
    const Case c = test::add_couple(*practice, "Couple P");
    Session s = services::start_session(*practice, c.id, "2026-05-01");
    services::SessionEnding ending;
    ending.active_seconds = 60;
    s = services::end_session(*practice, s, ending);
    CHECK_THROWS_WITH(services::add_session_pause(*practice, s, 61, 5), ContainsSubstring("cannot begin at 01:01"));
    CHECK(services::session_pauses(*practice, s.id).empty());
}

TEST_CASE("the live clock stores each pause with the wall time it stood still") {
    test::TempDir dir;
    auto practice = test::new_practice(dir / "p.db");
    const Case c = test::add_couple(*practice, "Couple P");
    const Session s = services::start_session(*practice, c.id, "2026-05-01");
    services::LiveSession live(*practice);
    const double w0 = wall_clock_seconds();
    REQUIRE(live.sync(s.id, w0));
    REQUIRE(live.running());
    const double paused_at = live.clock_now(w0 + 100);
    live.toggle_pause(w0 + 100);
    live.toggle_pause(w0 + 130);
    live.toggle_pause(w0 + 200);  // 70 s more of clock time, then paused again
    const auto pauses = services::session_pauses(*practice, s.id);
    REQUIRE(pauses.size() == 2);
    CHECK(pauses[0].session_seconds == paused_at);
    CHECK_THAT(pauses[0].wall_seconds.value(), WithinAbs(30, 1e-6));  // differences of Unix times near 1.7e9
    CHECK(pauses[0].origin == PauseOrigin::Live);
    CHECK_THAT(pauses[1].session_seconds, WithinAbs(paused_at + 70, 1e-6));
    CHECK_FALSE(pauses[1].wall_seconds.has_value());  // still paused
    services::SessionEnding ending;
    services::end_session(*practice, services::get_session(*practice, s.id).value(), ending);
    CHECK(services::session_pauses(*practice, s.id)[1].wall_seconds.has_value());
}

TEST_CASE("a session found running after a crash is paused at its last saved moment, and that pause is kept") {
    test::TempDir dir;
    auto practice = test::new_practice(dir / "p.db");
    const Case c = test::add_couple(*practice, "Couple P");
    const double before_start = wall_clock_seconds();
    const Session s = services::start_session(*practice, c.id, "2026-05-01");
    const double after_start = wall_clock_seconds();
    log_at(*practice, s, Who::A, 42, "blame_shift");  // the last saved moment: clock second 42
    // Another run of Attune finds it running.
    services::LiveSession recovering(*practice);
    const double found_at = after_start + 600;
    REQUIRE(recovering.sync(s.id, found_at));
    CHECK_FALSE(recovering.recovery_notice().empty());
    auto pauses = services::session_pauses(*practice, s.id);
    REQUIRE(pauses.size() == 1);
    CHECK(pauses[0].origin == PauseOrigin::Recovered);
    CHECK(pauses[0].session_seconds == 42);
    // It began when the clock read 42: 42 s after the clock started.
    REQUIRE(pauses[0].began_at);
    CHECK(*pauses[0].began_at >= before_start + 42);
    CHECK(*pauses[0].began_at <= after_start + 42);
    // Resumed: its length runs up to the resume (the recording ran on all that while).
    recovering.toggle_pause(found_at + 5);
    pauses = services::session_pauses(*practice, s.id);
    REQUIRE(pauses[0].wall_seconds);
    CHECK(*pauses[0].wall_seconds >= found_at + 5 - after_start - 42);
    CHECK(*pauses[0].wall_seconds <= found_at + 5 - before_start - 42);
}

// [SECTION] Linking

TEST_CASE("an imported recording is encrypted in the media folder: no run of its bytes and not its name") {
    Linked f;
    const auto& media = media_or_skip();
    const Recording r = f.recording();
    CHECK(r.storage == RecordingStorage::Encrypted);
    CHECK(r.sha256 == sha256_hex(test::read_file(media.colour_video)));
    CHECK_THAT(r.duration_seconds, WithinAbs(test::kVideoSeconds, 0.1));
    CHECK(r.has_video);
    const fs::path folder = services::media_folder(*f.practice);
    CHECK(folder == fs::path((f.dir / "p.db").string() + ".media"));
    struct stat st {};
    REQUIRE(::stat(folder.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    const fs::path container = services::recording_file(*f.practice, r);
    REQUIRE(::stat(container.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(fs::equivalent(container.parent_path(), folder));

    const std::string plain = test::read_file(media.colour_video);
    const std::string sealed = test::read_file(container);
    REQUIRE(plain.size() > 1000);
    // Every 16-byte run of the recording is looked for in the container.
    std::unordered_set<std::string_view> runs;
    for (std::size_t i = 0; i + 16 <= sealed.size(); ++i)
        runs.insert(std::string_view(sealed).substr(i, 16));
    std::size_t found = 0;
    for (std::size_t i = 0; i + 16 <= plain.size(); ++i)
        found += runs.count(std::string_view(plain).substr(i, 16));
    CHECK(found == 0);
    CHECK(sealed.find("colours.mp4") == std::string::npos);
    // Nothing else was written beside the database.
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(folder))
        files += entry.is_regular_file() ? 1 : 0;
    CHECK(files == 1);
}

TEST_CASE("an encrypted recording plays the same frames as the file it was imported from") {
    Linked encrypted;
    Linked in_place(true);
    auto sealed = software_player(*encrypted.practice, encrypted.recording());
    auto plain = software_player(*in_place.practice, in_place.recording());
    for (double s : {0.2, 1.0, 3.2, 6.9}) {
        CAPTURE(s);
        sealed->seek_session(s);
        plain->seek_session(s);
        REQUIRE(sealed->wait_until_settled());
        REQUIRE(plain->wait_until_settled());
        CHECK(sealed->media_position() == plain->media_position());
        CHECK(picture(*sealed) == picture(*plain));
    }
}

TEST_CASE("a different file for a session's recording is refused naming both hashes") {
    Linked f;
    const auto& media = media_or_skip();
    const std::string linked = sha256_hex(test::read_file(media.colour_video));
    const std::string other = sha256_hex(test::read_file(media.uneven_video));
    services::RecordingLink link;
    link.file = media.uneven_video;
    REQUIRE_THROWS_WITH(services::link_recording(*f.practice, f.s, link),
                        ContainsSubstring(other) && ContainsSubstring(linked));
    CHECK(f.recording().sha256 == linked);
    // The same file again is no new recording.
    link.file = media.colour_video;
    CHECK(services::link_recording(*f.practice, f.s, link).what == services::LinkOutcome::What::AlreadyLinked);
}

TEST_CASE("a file linked in place that changed behind Attune's back is refused naming both hashes") {
    Linked f(true);
    const Recording r = f.recording();
    CHECK(r.storage == RecordingStorage::InPlace);
    CHECK_FALSE(fs::exists(services::media_folder(*f.practice)));  // nothing imported
    std::string bytes = test::read_file(r.path);
    const std::string linked = sha256_hex(bytes);
    bytes.back() ^= 0x01;
    test::write_file(r.path, bytes);
    CHECK_THROWS_WITH(services::open_recording_bytes(*f.practice, r),
                      ContainsSubstring(sha256_hex(bytes)) && ContainsSubstring(linked));
    fs::remove(r.path);
    CHECK_THROWS_WITH(services::open_recording_bytes(*f.practice, r), ContainsSubstring("missing"));
}

TEST_CASE("linking in place says the file stays unencrypted") {
    Linked f;
    const auto& media = media_or_skip();
    const Session second = services::start_session(*f.practice, f.c.id, "2026-05-08");
    services::RecordingLink link;
    link.file = media.tone;
    link.in_place = true;
    const auto outcome = services::link_recording(*f.practice, second, link);
    CHECK(outcome.what == services::LinkOutcome::What::LinkedInPlace);
    REQUIRE(outcome.warnings.size() == 1);
    CHECK_THAT(outcome.warnings[0], ContainsSubstring("unencrypted"));
    CHECK_FALSE(outcome.recording.has_video);
}

TEST_CASE("a file libmpv cannot play is not linked") {
    test::TempDir dir;
    auto practice = test::new_practice(dir / "p.db");
    const Case c = test::add_couple(*practice, "Couple P");
    const Session s = services::start_session(*practice, c.id, "2026-05-01");
    test::write_file(dir / "notes.mp4", std::string(5000, 'x'));
    services::RecordingLink link;
    link.file = dir / "notes.mp4";
    CHECK_THROWS_WITH(services::link_recording(*practice, s, link), ContainsSubstring("cannot play"));
    CHECK_FALSE(services::session_recording(*practice, s.id).has_value());
}

// [SECTION] Frames and seeking

TEST_CASE("the frame of a session second is the media second it maps to through the offset and the pause") {
    Linked f;
    // session s -> media 0.5 + s, plus 2 from s = 1 on.
    const std::pair<double, int> expected[] = {{0.2, 0}, {0.7, 1}, {1.0, 3}, {3.2, 5}, {6.9, 9}};
    for (const auto& [session, second] : expected) {
        CAPTURE(session);
        const services::VideoFrame frame = services::recording_frame(*f.practice, f.s, session);
        CHECK(frame.width == test::kVideoWidth);
        CHECK(frame.height == test::kVideoHeight);
        CHECK(second_of(frame) == second);
    }
    CHECK_THROWS_WITH(services::recording_frame(*f.practice, f.s, 8.0), ContainsSubstring("outside the recording"));
}

TEST_CASE("a seek to a session second lands within one frame of its media second") {
    Linked f;
    auto player = software_player(*f.practice, f.recording());
    for (double session : {0.3, 1.0, 2.345, 5.5, 7.1}) {
        CAPTURE(session);
        const double media = 0.5 + session + (session >= 1 ? 2 : 0);
        player->seek_session(session);
        REQUIRE(player->wait_until_settled());
        CHECK_THAT(player->media_position(), WithinAbs(media, kFrame));
        CHECK(player->media_position() <= media + 1e-6);
        CHECK_THAT(player->session_position().value(), WithinAbs(session, kFrame));
    }
}

// [SECTION] Excerpts, exports and backups

TEST_CASE("an excerpt is marked on the session's recording and listed with the codes inside it") {
    Linked f;
    services::ExcerptRequest request;
    request.media_start = 1;
    request.media_stop = 6;
    request.stage = 1;
    request.name = "  Naming the cycle ";
    const Excerpt e = services::add_excerpt(*f.practice, f.s, request);
    CHECK(e.name == "Naming the cycle");
    request.media_stop = 11;
    CHECK_THROWS_WITH(services::add_excerpt(*f.practice, f.s, request), ContainsSubstring("after the recording's end"));
    const auto listed = services::list_excerpts(*f.practice, f.c.id);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].session_id == f.s.id);

    services::ExportOptions options;
    options.format = "excerpts";
    const std::string text = services::ExportJob(*f.practice, f.c, options).text();
    // The rupture at session second 2 shows at media 0.5 + 2 + 2 (the pause at 1).
    CHECK_THAT(text, ContainsSubstring("Stage 1: \"Naming the cycle\""));
    CHECK_THAT(text, ContainsSubstring("Media 00:00:01.000 to 00:00:06.000"));
    CHECK_THAT(text, ContainsSubstring("00:00:04.500  (session 00:00:02.000)  Ana  Shifts blame [rupture]"));
    CHECK_THAT(text, ContainsSubstring(f.recording().sha256));
    options.format = "txt";
    CHECK_THAT(services::ExportJob(*f.practice, f.c, options).text(),
               ContainsSubstring("Stage 1, session 1 (2026-05-01): \"Naming the cycle\", media 00:00:01.000 to "
                                 "00:00:06.000 (00:05), 1 code: 1 rupture."));
}

TEST_CASE("an excerpt needs a recording") {
    test::TempDir dir;
    auto practice = test::new_practice(dir / "p.db");
    const Case c = test::add_couple(*practice, "Couple P");
    const Session s = services::start_session(*practice, c.id, "2026-05-01");
    services::ExcerptRequest request;
    request.media_stop = 5;
    request.name = "x";
    CHECK_THROWS_WITH(services::add_excerpt(*practice, s, request), ContainsSubstring("has no recording"));
}

TEST_CASE("a backup says the recordings are not in it, and where they are") {
    Linked f;
    services::BackupPolicy policy;
    policy.enabled = true;
    policy.folder = f.dir / "backups";
    const BackupResult result = services::backup_or_throw(*f.practice, policy);
    CHECK_THAT(result.media_note, ContainsSubstring("media not included"));
    CHECK_THAT(result.media_note, ContainsSubstring("1 encrypted recording"));
    CHECK_THAT(result.media_note, ContainsSubstring(services::media_folder(*f.practice).string()));
    // A practice without recordings says nothing about media.
    test::TempDir other;
    auto plain = test::new_practice(other / "q.db");
    policy.folder = other / "backups";
    CHECK(services::backup_or_throw(*plain, policy).media_note.empty());
}

TEST_CASE("a session made from a recording alone has the recording's time after the offset and no pauses") {
    test::TempDir dir;
    const auto& media = media_or_skip();
    auto practice = test::new_practice(dir / "p.db");
    const Case c = test::add_couple(*practice, "Couple P");
    services::RecordingLink link;
    link.file = media.colour_video;
    link.offset_seconds = 2;
    const auto made = services::start_session_from_recording(*practice, c.id, link, "2026-05-09");
    CHECK(made.session.number == 1);
    CHECK(made.session.state == SessionState::Ended);
    CHECK_THAT(made.session.active_seconds, WithinAbs(test::kVideoSeconds - 2, 0.1));
    CHECK(services::session_pauses(*practice, made.session.id).empty());
    CHECK(services::session_recording(*practice, made.session.id)->offset_seconds == 2);
    // Session second 1 is media 3: the yellow second.
    CHECK(second_of(services::recording_frame(*practice, made.session, 1.0)) == 3);
    link.offset_seconds = 10.5;  // past the end
    CHECK_THROWS_WITH(services::start_session_from_recording(*practice, c.id, link),
                      ContainsSubstring("after the recording's end"));
    CHECK(services::list_sessions(*practice, c.id).size() == 1);
}

// [SECTION] Recordings' links travel (bundle format 10, issue 21)

TEST_CASE("a recording's link and excerpts travel in a bundle without the file; the copy links its own copy of the "
          "same file, never another, and the offset follows the clinician", "[bundle]") {
    Linked f;
    const auto& media = media_or_skip();
    services::ExcerptRequest request;
    request.media_start = 1;
    request.media_stop = 3;
    request.stage = 2;
    request.name = "The first reach";
    services::add_excerpt(*f.practice, f.s, request);
    services::start_session(*f.practice, f.c.id, "2026-05-08");  // session 2: no recording
    const auto bundle = f.dir / "couple.attune";
    const services::KeyMaterial passphrase("bundle passphrase here");
    BundleSelection selection;
    selection.case_label = "Couple M";
    const BundleCounts sent = services::export_bundle(*f.practice, selection, bundle, passphrase);
    CHECK(sent.recordings == 1);
    CHECK(sent.excerpts == 1);
    CHECK(sent.pauses == 1);

    // Another practice, whose administrator reads the case.
    test::TempDir elsewhere;
    auto other = test::new_practice(elsewhere / "other.db", "correct horse", "Dr M");
    const BundleImportReport first = services::import_bundle(*other, bundle, passphrase);
    CHECK(first.created.recordings == 1);
    CHECK(first.created.excerpts == 1);
    CHECK(first.conflicts.empty());
    const Case there = services::find_case(*other, "Couple M");
    const auto sessions = services::list_sessions(*other, there.id);
    REQUIRE(sessions.size() == 2);
    const Session& one = sessions[0];
    const Recording arrived = services::session_recording(*other, one.id).value();
    services::BackupPolicy policy;
    policy.enabled = true;
    policy.folder = elsewhere / "backups";
    CHECK(services::backup_or_throw(*other, policy).media_note ==
          "media not included: backups copy the database only. 1 linked recording has no file in this copy: link "
          "your copy of it (attune recording add), then back it up with the media folder.");
    CHECK(arrived.uuid == f.recording().uuid);
    CHECK(arrived.sha256 == f.recording().sha256);
    CHECK(arrived.offset_seconds == 0.5);
    CHECK(arrived.original_name == f.recording().original_name);
    CHECK(arrived.bytes == f.recording().bytes);
    CHECK_FALSE(services::recording_file_here(*other, arrived));
    CHECK_FALSE(fs::exists(services::recording_file(*other, arrived)));
    CHECK_THROWS_WITH(services::open_recording_bytes(*other, arrived),
                      ContainsSubstring("this copy does not have the file of ") &&
                          ContainsSubstring(f.recording().sha256));
    const auto excerpts = services::list_excerpts(*other, there.id);
    REQUIRE(excerpts.size() == 1);
    CHECK(excerpts[0].name == "The first reach");
    CHECK(excerpts[0].stage == 2);
    CHECK(excerpts[0].media_start == 1);
    CHECK(excerpts[0].media_stop == 3);
    CHECK(excerpts[0].session_id == one.id);

    // Another file is refused naming both hashes; so is a new recording or another offset from Dr M.
    services::RecordingLink tone;
    tone.file = media.tone;
    CHECK_THROWS_WITH(services::link_recording(*other, one, tone),
                      ContainsSubstring("session 1 already has a recording") &&
                          ContainsSubstring(sha256_hex(test::read_file(media.tone))) &&
                          ContainsSubstring(arrived.sha256));
    services::RecordingLink mine;
    mine.file = media.colour_video;
    CHECK_THROWS_WITH(services::link_recording(*other, sessions[1], mine),
                      Catch::Matchers::Equals("only the case's clinician may link a recording to session 2 of "
                                              "Couple M, not Dr M"));
    mine.offset_seconds = 4;
    CHECK_THROWS_WITH(services::link_recording(*other, one, mine),
                      Catch::Matchers::Equals("only the case's clinician may set the recording's offset of session 1 "
                                              "of Couple M, not Dr M"));
    CHECK(services::session_recording(*other, one.id)->offset_seconds == 0.5);

    // The same file links, encrypted into this copy's media folder, and lines up as at the source:
    // session second 3 is media 0.5 + 3 + 2 (the pause at second 1).
    mine.offset_seconds.reset();
    const services::LinkOutcome linked = services::link_recording(*other, one, mine);
    CHECK(linked.what == services::LinkOutcome::What::Relinked);
    CHECK(services::recording_file_here(*other, linked.recording));
    const services::VideoFrame frame = services::recording_frame(*other, one, 3);
    CHECK_THAT(frame.media_seconds, WithinAbs(5.5, 1e-9));
    CHECK(second_of(frame) == 5);

    // Again: nothing new. The clinician moves the offset: it follows, and the file stays linked.
    CHECK(services::import_bundle(*other, bundle, passphrase).created.total() == 0);
    test::wait_for_next_second();  // updated_at has whole seconds: the change must be later than the link
    services::set_recording_offset(*f.practice, f.recording(), 1.5);
    services::export_bundle(*f.practice, selection, bundle, passphrase);
    const BundleImportReport second = services::import_bundle(*other, bundle, passphrase);
    CHECK(second.updated.recordings == 1);
    CHECK(second.created.total() == 0);
    CHECK(second.conflicts.empty());
    const Recording moved = services::session_recording(*other, one.id).value();
    CHECK(moved.offset_seconds == 1.5);
    CHECK(moved.path == linked.recording.path);
    CHECK_THAT(services::recording_frame(*other, one, 3).media_seconds, WithinAbs(6.5, 1e-9));
}
