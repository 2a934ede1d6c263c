#include "formats/test_media.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "support/test_support.h"

namespace attune::test {

namespace {

bool run(const std::string& command) {
    return std::system(command.c_str()) == 0;
}

std::string hex(Rgb c) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "0x%02X%02X%02X", c.r, c.g, c.b);
    return buffer;
}

}  // namespace

const std::optional<TestMedia>& test_media(std::string* why) {
    static std::unique_ptr<TempDir> dir;
    static std::optional<TestMedia> media;
    static std::string reason;
    static bool tried = false;
    if (!tried) {
        tried = true;
        if (!run("ffmpeg -version >/dev/null 2>&1")) {
            reason = "ffmpeg is not installed (scripts/setup-deps.sh installs it); the test recordings cannot be made";
        } else {
            dir = std::make_unique<TempDir>();
            TestMedia made{dir->path() / "colours.mp4", dir->path() / "tone.m4a", dir->path() / "uneven.mkv"};
            // One second of each colour, concatenated; a 440 Hz tone under it.
            std::string graph;
            std::string inputs;
            for (std::size_t k = 0; k < kSecondColours.size(); ++k) {
                graph += "color=c=" + hex(kSecondColours[k]) + ":s=160x120:r=25:d=1[v" + std::to_string(k) + "];";
                inputs += "[v" + std::to_string(k) + "]";
            }
            graph += inputs + "concat=n=" + std::to_string(kSecondColours.size()) + ":v=1:a=0[out];" +
                     "sine=frequency=440:sample_rate=48000:duration=10[tone]";
            const std::string quiet = "ffmpeg -nostdin -hide_banner -loglevel error -y ";
            const bool video = run(quiet + "-filter_complex '" + graph +
                                   "' -map '[out]' -map '[tone]' -c:v libx264 -preset ultrafast -pix_fmt yuv420p "
                                   "-c:a aac '" +
                                   made.colour_video.string() + "'");
            const bool tone = run(quiet + "-f lavfi -i sine=frequency=440:sample_rate=48000:duration=3 -c:a aac '" +
                                  made.tone.string() + "'");
            // Frame N at 0.04 N s, odd ones 13 ms later (a millisecond time base, kept by the encoder).
            const bool uneven = run(quiet +
                                    "-f lavfi -i color=c=0x808080:s=160x120:r=25:d=3 "
                                    "-vf 'settb=1/1000,setpts=(N*0.04+0.013*mod(N\\,2))/TB' -fps_mode passthrough "
                                    "-enc_time_base 1:1000 -c:v libx264 -preset ultrafast -pix_fmt yuv420p '" +
                                    made.uneven_video.string() + "'");
            if (video && tone && uneven)
                media = made;
            else
                reason = "ffmpeg failed to make the test recordings";
        }
    }
    if (why) *why = reason;
    return media;
}

Rgb centre_colour(const std::vector<std::uint8_t>& rgba, int width, int height) {
    long sums[3] = {0, 0, 0};
    long count = 0;
    for (int y = height / 4; y < height * 3 / 4; ++y) {
        for (int x = width / 4; x < width * 3 / 4; ++x) {
            const std::size_t at = (static_cast<std::size_t>(y) * width + x) * 4;
            for (int c = 0; c < 3; ++c)
                sums[c] += rgba[at + c];
            ++count;
        }
    }
    if (count == 0) return {0, 0, 0};
    return {static_cast<int>(sums[0] / count), static_cast<int>(sums[1] / count), static_cast<int>(sums[2] / count)};
}

int nearest_second(Rgb colour, double* distance) {
    int best = -1;
    double best_distance = 1e9;
    for (std::size_t k = 0; k < kSecondColours.size(); ++k) {
        const Rgb& c = kSecondColours[k];
        const double d = std::hypot(colour.r - c.r, colour.g - c.g, colour.b - c.b);
        if (d < best_distance) {
            best_distance = d;
            best = static_cast<int>(k);
        }
    }
    if (distance) *distance = best_distance;
    return best;
}

}  // namespace attune::test
