// The real `attune` with recordings: `session pause`, `recording add|list|frame`,
// `excerpt add|list`, `export --format excerpts`, `session start
// --from-recording`, what `backup` says about media, and `screenshot --view
// review --at` showing the recording's picture. Media are made with ffmpeg at
// test time (tests/formats/test_media.h); PNGs are read back with stb_image.
#include <stb_image.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/cli_runner.h"
#include "core/sha256.h"
#include "formats/test_media.h"
#include "support/cli_practice.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;
using test::CliResult;

namespace {

struct Png {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;
};

Png read_png(const std::filesystem::path& path) {
    Png png;
    int channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &png.width, &png.height, &channels, 4);
    REQUIRE(data);
    png.rgba.assign(data, data + static_cast<std::size_t>(png.width) * png.height * 4);
    stbi_image_free(data);
    return png;
}

// Case R-1, session 1: 8 s of clock time, A's rupture at 2 s; the colour video
// linked at offset 0.5 with a pause at second 1 of 2 s: session s shows at
// media 0.5 + s (+ 2 from s = 1 on).
struct Fixture {
    test::TempDir dir;
    std::string db = "--db " + test::shell_quote((dir / "p.db").string()) + " ";
    std::filesystem::path video;

    Fixture() {
        std::string why;
        const auto& media = test::test_media(&why);
        if (!media) SKIP(why);
        video = media->colour_video;
        test::make_cli_practice(dir / "p.db");
        must("case add " + db + "--label R-1 --partners Ana,Ben");
        must("session start " + db + "--case R-1 --date 2026-03-02");
        must("log " + db + "--case R-1 --who A --code blame_shift --at 2");
        must("session end " + db + "--case R-1 --duration 8");
    }
    CliResult run(const std::string& args) { return test::run_attune(args, dir.path()); }
    CliResult must(const std::string& args) { return test::must_run_attune(args, dir.path()); }
    void link() {
        must("session pause " + db + "--case R-1 --session 1 --at 1 --for 2");
        must("recording add " + db + "--case R-1 --session 1 --offset 0.5 --file " + test::shell_quote(video.string()));
    }
    int frame_second(double session_seconds) {
        const auto out = dir / "frame.png";
        must("recording frame " + db + "--case R-1 --session 1 --at " + std::to_string(session_seconds) + " --out " +
             test::shell_quote(out.string()));
        const Png png = read_png(out);
        CHECK(png.width == test::kVideoWidth);
        double distance = 0;
        const int second = test::nearest_second(test::centre_colour(png.rgba, png.width, png.height), &distance);
        CHECK(distance < 40);
        return second;
    }
};

}  // namespace

TEST_CASE("attune recording frame writes the frame of the media second a session second maps to", "[app][recording]") {
    Fixture f;
    f.link();
    CHECK(f.frame_second(0.2) == 0);  // media 0.7
    CHECK(f.frame_second(0.7) == 1);  // media 1.2
    CHECK(f.frame_second(1.0) == 3);  // the pause begun at 1 counts: media 3.5
    CHECK(f.frame_second(3.2) == 5);  // media 5.7
    const CliResult outside = f.run("recording frame " + f.db + "--case R-1 --session 1 --at 9 --out x.png");
    CHECK(outside.exit_code == 1);
    CHECK_THAT(outside.err, ContainsSubstring("outside the recording"));
}

TEST_CASE("attune recording add imports encrypted, lists the hash, and refuses another file naming both hashes",
          "[app][recording]") {
    Fixture f;
    f.link();
    const std::string sha = sha256_hex(test::read_file(f.video));
    const CliResult list = f.must("recording list " + f.db + "--case R-1");
    CHECK_THAT(list.out, ContainsSubstring("colours.mp4\tencrypted\tvideo\t00:00:10"));
    CHECK_THAT(list.out, ContainsSubstring("offset 00:00:00.500\t" + sha));
    const auto& media = *test::test_media();
    const CliResult other =
        f.run("recording add " + f.db + "--case R-1 --session 1 --file " + test::shell_quote(media.tone.string()));
    CHECK(other.exit_code == 1);
    CHECK_THAT(other.err, ContainsSubstring(sha256_hex(test::read_file(media.tone))) && ContainsSubstring(sha));
}

TEST_CASE("attune recording add --in-place warns that the file stays unencrypted", "[app][recording]") {
    Fixture f;
    const CliResult r = f.must("recording add " + f.db + "--case R-1 --session 1 --in-place --file " +
                               test::shell_quote(f.video.string()));
    CHECK_THAT(r.err, ContainsSubstring("warning") && ContainsSubstring("unencrypted"));
    CHECK_THAT(r.out, ContainsSubstring("linked in place (unencrypted)"));
}

TEST_CASE("attune excerpt add and list, and export --format excerpts with the codes inside", "[app][recording]") {
    Fixture f;
    f.link();
    f.must("excerpt add " + f.db + "--case R-1 --session 1 --from 1 --to 6 --stage 2 --name 'Softening'");
    const CliResult bad = f.run("excerpt add " + f.db + "--case R-1 --session 1 --from 1 --to 6 --stage 4 --name x");
    CHECK(bad.exit_code == 64);
    CHECK(f.must("excerpt list " + f.db + "--case R-1").out == "1\tstage 2\t00:00:01.000\t00:00:06.000\tSoftening\n");
    const CliResult exported = f.must("export " + f.db + "--case R-1 --format excerpts");
    CHECK_THAT(exported.out, ContainsSubstring("Stage 2: \"Softening\""));
    CHECK_THAT(exported.out, ContainsSubstring("00:00:04.500  (session 00:00:02.000)  Ana  Shifts blame"));
    CHECK_THAT(f.must("export " + f.db + "--case R-1 --format md").out, ContainsSubstring("## Excerpts of recordings"));
}

TEST_CASE("attune session pause refuses a pause after the session's end", "[app][recording]") {
    Fixture f;
    const CliResult r = f.run("session pause " + f.db + "--case R-1 --session 1 --at 9 --for 2");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, ContainsSubstring("cannot begin at"));
    CHECK(f.run("session pause " + f.db + "--case R-1 --session 1 --at 3").exit_code == 64);
}

TEST_CASE("attune session start --from-recording makes an ended session of the recording's length",
          "[app][recording]") {
    Fixture f;
    const CliResult r = f.must("session start " + f.db + "--case R-1 --date 2026-03-09 --offset 2 --from-recording " +
                               test::shell_quote(f.video.string()));
    CHECK(r.out == "2\n");
    CHECK_THAT(f.must("session list " + f.db + "--case R-1").out, ContainsSubstring("2\t2026-03-09\tended\t00:08"));
}

TEST_CASE("attune backup says the recordings are not in the backup", "[app][recording]") {
    Fixture f;
    f.link();
    const CliResult r = f.must("backup " + f.db + "--out backups");
    CHECK_THAT(r.out, ContainsSubstring("media not included"));
    CHECK_THAT(r.out, ContainsSubstring(".media"));
}

TEST_CASE("attune screenshot of the review shows the recording's frame at the session second asked for",
          "[app][recording][gl]") {
    if (!std::getenv("DISPLAY")) SKIP("no display: run the suite through scripts/test.sh (Xvfb)");
    Fixture f;
    f.link();
    const auto out = f.dir / "review.png";
    f.must("screenshot " + f.db + "--view review --case R-1 --session 1 --at 3.2 --out " +
           test::shell_quote(out.string()));
    const Png png = read_png(out);
    // Session 3.2 is media 5.7, the cyan second: a block of cyan pixels is on screen.
    int cyan = 0;
    for (std::size_t i = 0; i + 3 < png.rgba.size(); i += 4)
        if (png.rgba[i] < 30 && png.rgba[i + 1] > 225 && png.rgba[i + 2] > 225) ++cyan;
    CHECK(cyan > 100 * 50);
}
