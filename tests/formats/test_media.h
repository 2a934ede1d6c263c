// test_media.h: recordings made at test time with ffmpeg (never downloaded or
// committed). The colour video shows one colour per media second, so a frame's
// colour tells which second it belongs to.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace attune::test {

struct Rgb {
    int r, g, b;
};

// The colour shown during media second k of the colour video, k = 0..9.
inline constexpr std::array<Rgb, 10> kSecondColours{{{255, 0, 0},
                                                     {0, 255, 0},
                                                     {0, 0, 255},
                                                     {255, 255, 0},
                                                     {255, 0, 255},
                                                     {0, 255, 255},
                                                     {255, 255, 255},
                                                     {0, 0, 0},
                                                     {128, 128, 128},
                                                     {255, 128, 0}}};
inline constexpr int kVideoWidth = 160;
inline constexpr int kVideoHeight = 120;
inline constexpr double kVideoFps = 25;
inline constexpr double kVideoSeconds = 10;
inline constexpr double kToneSeconds = 3;

struct TestMedia {
    std::filesystem::path colour_video;  // 10 s, 160x120, 25 fps, H.264 (one keyframe) + AAC 440 Hz
    std::filesystem::path tone;          // 3 s of 440 Hz, AAC in .m4a, no picture
    // 3 s, 160x120, a variable frame rate: frame N starts at 0.04 N s, 13 ms
    // later for odd N (0, 0.053, 0.08, 0.133, ...), in Matroska.
    std::filesystem::path uneven_video;
};

// Made once per test process in a temporary folder; none when ffmpeg is not
// installed (`why` then says so; tests SKIP with it).
const std::optional<TestMedia>& test_media(std::string* why = nullptr);

// The mean colour of an RGBA frame's central quarter.
Rgb centre_colour(const std::vector<std::uint8_t>& rgba, int width, int height);
// The second (0..9) whose colour is nearest to `colour`, and how far it is (Euclidean, 0..441).
int nearest_second(Rgb colour, double* distance = nullptr);

}  // namespace attune::test
