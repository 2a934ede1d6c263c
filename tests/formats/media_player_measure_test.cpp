// Measures (not run by default: `test_formats "[.measure]"`): opening to the
// first frame, seek latency and CPU while paused, for the tiny colour video
// and 720p ones with x264's default keyframe spacing (250 frames) and with a
// keyframe every 2 s, from a plain file and from the encrypted container.
#include <sys/resource.h>

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include "formats/file_source.h"
#include "formats/media_player.h"
#include "formats/test_media.h"
#include "store/media_vault.h"
#include "support/test_support.h"

using namespace attune;

namespace {

double now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);  // the whole process: libmpv's threads too
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

void measure(const char* label, std::shared_ptr<ByteSource> source, const std::string& name, int width, int height,
             double duration) {
    std::vector<std::uint8_t> rgba;
    const double t0 = now();
    formats::MediaPlayerOptions options;
    options.audio_output = false;
    formats::MediaPlayer player(options);
    player.use_software_rendering();
    player.open(std::move(source), name);
    REQUIRE(player.render_software(width, height, rgba));
    const double first_frame = now() - t0;

    std::mt19937 rng(1);
    std::vector<double> latencies;
    for (int i = 0; i < 20; ++i) {
        const double target = std::uniform_real_distribution<double>(0, duration - 0.5)(rng);
        const double s0 = now();
        player.seek(target);
        REQUIRE(player.wait_until_settled());
        REQUIRE(player.render_software(width, height, rgba));
        latencies.push_back(now() - s0);
    }
    const double r0 = now();
    for (int i = 0; i < 10; ++i)
        REQUIRE(player.render_software(width, height, rgba));
    const double redraw = (now() - r0) / 10;
    std::sort(latencies.begin(), latencies.end());
    double sum = 0;
    for (double l : latencies)
        sum += l;

    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto wakeups = player.wakeups();
    const auto redraws = player.redraw_requests();
    const double c0 = cpu_seconds();
    const double w0 = now();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const double cpu = (cpu_seconds() - c0) / (now() - w0);
    std::printf(
        "%-34s open+first frame %6.1f ms | seek (20, incl. %dx%d render) mean %6.1f ms, median %6.1f, max %6.1f | "
        "software redraw %.1f ms | paused 2 s: CPU %.2f %%, %llu wakeups, %llu redraw requests\n",
        label, first_frame * 1000, width, height, sum / latencies.size() * 1000, latencies[10] * 1000,
        latencies.back() * 1000, redraw * 1000, cpu * 100, static_cast<unsigned long long>(player.wakeups() - wakeups),
        static_cast<unsigned long long>(player.redraw_requests() - redraws));
}

}  // namespace

TEST_CASE("measure: opening, seeking and idling", "[.measure]") {
    std::string why;
    const auto& media = test::test_media(&why);
    if (!media) SKIP(why);
    test::TempDir dir;
    std::array<unsigned char, store::kMediaKeyBytes> key{};
    key.fill(7);

    const auto hd = dir / "hd.mp4";
    REQUIRE(std::system(("ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i testsrc2=s=1280x720:r=25:d=60 "
                         "-f lavfi -i sine=frequency=440:duration=60 -c:v libx264 -preset veryfast -pix_fmt yuv420p "
                         "-c:a aac '" +
                         hd.string() + "'")
                            .c_str()) == 0);
    store::import_media(media->colour_video, dir / "colours.attmedia", key);
    const auto hd_gop50 = dir / "hd-gop50.mp4";  // a keyframe every 2 s, as phones and cameras write
    REQUIRE(std::system(("ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i testsrc2=s=1280x720:r=25:d=60 "
                         "-c:v libx264 -preset veryfast -g 50 -pix_fmt yuv420p '" +
                         hd_gop50.string() + "'")
                            .c_str()) == 0);
    const double i0 = now();
    store::import_media(hd, dir / "hd.attmedia", key);
    const double import_seconds = now() - i0;
    const double v0 = now();
    store::MediaVaultReader(dir / "hd.attmedia", key).verify();
    const double verify_seconds = now() - v0;

    measure("160x120 10 s, plain file", std::make_shared<formats::FileSource>(media->colour_video), "colours.mp4", 160,
            120, 10);
    measure("160x120 10 s, encrypted", std::make_shared<store::MediaVaultReader>(dir / "colours.attmedia", key),
            "colours.mp4", 160, 120, 10);
    measure("1280x720 60 s, plain file", std::make_shared<formats::FileSource>(hd), "hd.mp4", 1280, 720, 60);
    measure("1280x720 60 s keyframe/2 s, plain", std::make_shared<formats::FileSource>(hd_gop50), "hd.mp4", 1280, 720,
            60);
    measure("1280x720 60 s, encrypted", std::make_shared<store::MediaVaultReader>(dir / "hd.attmedia", key), "hd.mp4",
            1280, 720, 60);
    const double megabytes = static_cast<double>(std::filesystem::file_size(hd)) / 1e6;
    std::printf(
        "1280x720 60 s file: %.1f MB; import (encrypt, hash, fsync) %.0f ms = %.0f MB/s; decrypt all and "
        "check the hash %.0f ms = %.0f MB/s\n",
        megabytes, import_seconds * 1000, megabytes / import_seconds, verify_seconds * 1000,
        megabytes / verify_seconds);
}
