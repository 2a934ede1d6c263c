// MediaPlayer through libmpv with the software renderer: no display, no GL,
// no sound device (the null audio output).
#include "formats/media_player.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <chrono>
#include <cmath>
#include <thread>

#include "formats/file_source.h"
#include "formats/test_media.h"
#include "store/media_vault.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::formats;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::WithinAbs;

namespace {

constexpr double kFrame = 1.0 / test::kVideoFps;

const test::TestMedia& media_or_skip() {
    std::string why;
    const auto& media = test::test_media(&why);
    if (!media) SKIP(why);
    return *media;
}

// A player with the software renderer and no sound device, the recording open.
std::unique_ptr<MediaPlayer> open_player(std::shared_ptr<ByteSource> source, const std::string& name) {
    MediaPlayerOptions options;
    options.audio_output = false;
    auto player = std::make_unique<MediaPlayer>(options);
    player->use_software_rendering();
    player->open(std::move(source), name);
    return player;
}

std::vector<std::uint8_t> frame_of(MediaPlayer& player) {
    std::vector<std::uint8_t> rgba;
    REQUIRE(player.render_software(test::kVideoWidth, test::kVideoHeight, rgba));
    return rgba;
}

// Which second's colour the current frame shows; fails when it is no test colour at all.
int second_shown(MediaPlayer& player) {
    double distance = 0;
    const int second =
        test::nearest_second(test::centre_colour(frame_of(player), test::kVideoWidth, test::kVideoHeight), &distance);
    CHECK(distance < 40);
    return second;
}

// After a frame step the position is right at once, but on a loaded machine
// libmpv may hand the stepped frame over a little later (the window redraws
// when it comes): the frame shown is asked again for up to a second.
int second_shown_once_drawn(MediaPlayer& player, int expected) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    int shown = second_shown(player);
    while (shown != expected && std::chrono::steady_clock::now() < until) {
        player.process_events();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        shown = second_shown(player);
    }
    return shown;
}

void seek_and_settle(MediaPlayer& player, double target) {
    player.seek(target);
    REQUIRE(player.wait_until_settled());
}

// Runs the player's side of a frame loop for `seconds`: events, and a render when asked.
void pump(MediaPlayer& player, double seconds) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    std::vector<std::uint8_t> rgba;
    while (std::chrono::steady_clock::now() < until) {
        player.process_events();
        if (player.needs_redraw()) player.render_software(test::kVideoWidth, test::kVideoHeight, rgba);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

// A TCP port on 127.0.0.1 that counts who connects to it.
class Listener {
public:
    Listener() {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        REQUIRE(fd_ >= 0);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(::listen(fd_, 8) == 0);
        REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        port_ = ntohs(address.sin_port);
    }
    ~Listener() { ::close(fd_); }
    int port() const { return port_; }
    int connections() {
        int count = 0;
        for (int client; (client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC)) >= 0; ++count)
            ::close(client);
        return count;
    }

private:
    int fd_ = -1;
    int port_ = 0;
};

}  // namespace

TEST_CASE("a recording opens paused at its start with its duration and picture size", "[media-player]") {
    const auto& media = media_or_skip();
    auto player = open_player(std::make_shared<FileSource>(media.colour_video), "colours.mp4");
    CHECK(player->is_open());
    CHECK(player->paused());
    CHECK_THAT(player->duration(), WithinAbs(test::kVideoSeconds, 0.1));
    CHECK(player->has_video());
    CHECK(player->video_width() == test::kVideoWidth);
    CHECK(player->video_height() == test::kVideoHeight);
    CHECK_THAT(player->position(), WithinAbs(0, kFrame));
    CHECK(second_shown(*player) == 0);
}

TEST_CASE("the frame rendered after a seek to media second s shows second s's colour", "[media-player]") {
    const auto& media = media_or_skip();
    auto player = open_player(std::make_shared<FileSource>(media.colour_video), "colours.mp4");
    // Out of order, backwards too; 7.5 is the black second.
    for (double s : {2.5, 5.2, 0.5, 9.5, 7.5, 3.9, 1.0}) {
        CAPTURE(s);
        seek_and_settle(*player, s);
        CHECK(second_shown(*player) == static_cast<int>(std::floor(s)));
    }
}

TEST_CASE("a seek lands on the frame shown at its target, within one frame", "[media-player]") {
    const auto& media = media_or_skip();
    auto player = open_player(std::make_shared<FileSource>(media.colour_video), "colours.mp4");
    for (double target : {1.234, 8.888, 4.321, 0.05, 6.5, 2.0}) {
        CAPTURE(target);
        seek_and_settle(*player, target);
        CHECK_THAT(player->position(), WithinAbs(target, kFrame));
        CHECK(player->position() <= target + 1e-6);  // the frame on screen at the target began at or before it
    }
    // Either side of a colour change: the last frame of second 2 and the first of second 3.
    seek_and_settle(*player, 3.0 - kFrame);
    CHECK(second_shown(*player) == 2);
    seek_and_settle(*player, 3.0);
    CHECK(second_shown(*player) == 3);
}

TEST_CASE("at a variable frame rate a seek still shows the frame on screen at its target", "[media-player]") {
    const auto& media = media_or_skip();
    auto player = open_player(std::make_shared<FileSource>(media.uneven_video), "uneven.mkv");
    // Frames start at 2.0, 2.053, 2.08, 2.133: between two starts, the earlier frame is on screen.
    const std::pair<double, double> expected[] = {{2.05, 2.0}, {2.06, 2.053}, {2.1, 2.08}, {2.053, 2.053}, {0.03, 0}};
    for (const auto& [target, start] : expected) {
        CAPTURE(target);
        seek_and_settle(*player, target);
        CHECK_THAT(player->position(), WithinAbs(start, 0.0005));
    }
}

TEST_CASE("one frame forward and one back cross a colour change exactly", "[media-player]") {
    const auto& media = media_or_skip();
    auto player = open_player(std::make_shared<FileSource>(media.colour_video), "colours.mp4");
    seek_and_settle(*player, 3.0 - kFrame);
    CHECK(second_shown(*player) == 2);

    player->step_forward();
    REQUIRE(player->wait_until_settled());
    CHECK_THAT(player->position(), WithinAbs(3.0, 0.002));
    CHECK(player->paused());
    CHECK(second_shown_once_drawn(*player, 3) == 3);

    player->step_back();
    REQUIRE(player->wait_until_settled());
    CHECK_THAT(player->position(), WithinAbs(3.0 - kFrame, 0.002));
    CHECK(second_shown_once_drawn(*player, 2) == 2);
}

TEST_CASE("an encrypted recording plays the same frames as the plain file", "[media-player]") {
    const auto& media = media_or_skip();
    test::TempDir dir;
    std::array<unsigned char, store::kMediaKeyBytes> key{};
    key.fill(0x5a);
    // The smallest chunks, so that playback crosses many of them.
    store::import_media(media.colour_video, dir / "colours.attmedia", key, store::kMinMediaChunkBytes);
    auto vault = std::make_shared<store::MediaVaultReader>(dir / "colours.attmedia", key);
    REQUIRE(vault->info().sha256 == store::sha256_file_hex(media.colour_video));

    auto plain = open_player(std::make_shared<FileSource>(media.colour_video), "colours.mp4");
    auto sealed = open_player(vault, vault->info().original_name);
    CHECK_THAT(sealed->duration(), WithinAbs(plain->duration(), 1e-6));
    for (double s : {0.0, 4.5, 9.2, 1.7}) {
        CAPTURE(s);
        seek_and_settle(*plain, s);
        seek_and_settle(*sealed, s);
        CHECK(plain->position() == sealed->position());
        const auto a = frame_of(*plain);
        const auto b = frame_of(*sealed);
        CHECK(a == b);
        CHECK(test::nearest_second(test::centre_colour(b, test::kVideoWidth, test::kVideoHeight)) ==
              static_cast<int>(s));
    }
    CHECK(vault->chunks_decrypted() > 2);
}

TEST_CASE("probe tells an audio-only recording from a video and gives their durations", "[media-player]") {
    const auto& media = media_or_skip();
    const MediaProbe tone = probe(std::make_shared<FileSource>(media.tone), "tone.m4a");
    CHECK_FALSE(tone.has_video);
    CHECK(tone.width == 0);
    CHECK_THAT(tone.duration_seconds, WithinAbs(test::kToneSeconds, 0.1));

    const MediaProbe video = probe(std::make_shared<FileSource>(media.colour_video), "colours.mp4");
    CHECK(video.has_video);
    CHECK(video.width == test::kVideoWidth);
    CHECK(video.height == test::kVideoHeight);
    CHECK_THAT(video.duration_seconds, WithinAbs(test::kVideoSeconds, 0.1));
}

TEST_CASE("an audio-only recording opens and plays with no picture", "[media-player]") {
    const auto& media = media_or_skip();
    auto player = open_player(std::make_shared<FileSource>(media.tone), "tone.m4a");
    CHECK_FALSE(player->has_video());
    CHECK_THAT(player->duration(), WithinAbs(test::kToneSeconds, 0.1));
    std::vector<std::uint8_t> rgba;
    CHECK_FALSE(player->render_software(16, 16, rgba));
    seek_and_settle(*player, 2.0);
    CHECK_THAT(player->position(), WithinAbs(2.0, 0.05));
}

TEST_CASE("a paused player asks for no frames; a playing one does", "[media-player]") {
    const auto& media = media_or_skip();
    auto player = open_player(std::make_shared<FileSource>(media.colour_video), "colours.mp4");
    seek_and_settle(*player, 1.5);
    pump(*player, 0.3);  // let the seek's redraws pass

    const auto redraws = player->redraw_requests();
    const auto wakeups = player->wakeups();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(player->redraw_requests() == redraws);
    CHECK(player->wakeups() == wakeups);
    CHECK_FALSE(player->needs_redraw());

    player->play();
    pump(*player, 0.5);
    CHECK(player->redraw_requests() >= redraws + 5);  // 25 frames a second
    CHECK_FALSE(player->paused());
    CHECK(player->position() > 1.6);
    player->pause();
    pump(*player, 0.2);
    const double stopped_at = player->position();
    pump(*player, 0.3);
    CHECK(player->position() == stopped_at);
}

TEST_CASE("the speed is kept between a quarter and four times", "[media-player]") {
    const auto& media = media_or_skip();
    auto player = open_player(std::make_shared<FileSource>(media.colour_video), "colours.mp4");
    CHECK(player->set_speed(8) == 4);
    CHECK(player->set_speed(0.1) == 0.25);
    CHECK(player->set_speed(1.5) == 1.5);
    player->process_events();
    CHECK(player->speed() == 1.5);
}

TEST_CASE("a damaged encrypted recording is refused with the container's reason", "[media-player]") {
    const auto& media = media_or_skip();
    test::TempDir dir;
    std::array<unsigned char, store::kMediaKeyBytes> key{};
    key.fill(0x33);
    store::import_media(media.colour_video, dir / "c.attmedia", key, store::kMinMediaChunkBytes);
    std::string sealed = test::read_file(dir / "c.attmedia");
    sealed[200] ^= 0x01;  // inside chunk 1, where the file's first bytes are
    test::write_file(dir / "c.attmedia", sealed);
    auto vault = std::make_shared<store::MediaVaultReader>(dir / "c.attmedia", key);
    REQUIRE_THROWS_WITH(open_player(vault, "colours.mp4"), ContainsSubstring("damaged or was altered"));
}

TEST_CASE("a playlist that leads to other files or addresses is refused and not followed", "[media-player]") {
    const auto& media = media_or_skip();
    test::TempDir dir;
    Listener listener;
    const std::string address = "http://127.0.0.1:" + std::to_string(listener.port());
    // A playable file as an entry: had it been followed, the open would succeed.
    const std::string lists[] = {
        "#EXTM3U\n" + media.colour_video.string() + "\n",
        "#EXTM3U\n" + address + "/elsewhere.mp4\n",
        "[playlist]\nFile1=" + address + "/pls.mp4\nNumberOfEntries=1\n",
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n" + address +
            "/segment.ts\n#EXT-X-ENDLIST\n",
        "# mpv EDL v0\n" + media.colour_video.string() + ",0,5\n",
    };
    for (const std::string& list : lists) {
        CAPTURE(list);
        test::write_file(dir / "list.m3u8", list);
        CHECK_THROWS_AS(open_player(std::make_shared<FileSource>(dir / "list.m3u8"), "list.m3u8"), MediaError);
        CHECK_THROWS_AS(probe(std::make_shared<FileSource>(dir / "list.m3u8"), "list.m3u8"), MediaError);
    }
    CHECK(listener.connections() == 0);
}

TEST_CASE("a file that is no recording is refused in one sentence", "[media-player]") {
    test::TempDir dir;
    std::string noise(20000, '\0');
    for (std::size_t i = 0; i < noise.size(); ++i)
        noise[i] = static_cast<char>((i * 7919 + 13) % 251);
    test::write_file(dir / "noise.mp4", noise);
    REQUIRE_THROWS_WITH(open_player(std::make_shared<FileSource>(dir / "noise.mp4"), "noise.mp4"),
                        ContainsSubstring("Attune cannot play the recording noise.mp4"));
    CHECK_THROWS_AS(probe(std::make_shared<FileSource>(dir / "noise.mp4"), "noise.mp4"), MediaError);
}
