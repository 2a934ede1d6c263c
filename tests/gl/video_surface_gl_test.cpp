// app::GlVideoSurface in a real OpenGL context (Mesa's software renderer
// under Xvfb), as the review uses it: a recording's picture rendered by
// libmpv into a texture that ImGui draws, through the kept frame. A new
// picture changes no draw data, so the surface names the area that changed
// and the kept frame redraws it: the window shows each new frame, and a
// paused recording redraws nothing.
#include "app/video_surface_gl.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui/backends/imgui_impl_opengl3.h>

#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <thread>
#include <vector>

#include "app/kept_frame.h"
#include "formats/test_media.h"
#include "services/recording_player.h"
#include "services/recordings.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

constexpr int kWidth = 320;
constexpr int kHeight = 200;
const ImVec2 kPictureMin(20, 30);
const ImVec2 kPictureMax(20 + test::kVideoWidth, 30 + test::kVideoHeight);

class GlWindow {
public:
    GlWindow() {
        if (!glfwInit()) return;
        glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
        glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
        window_ = glfwCreateWindow(kWidth, kHeight, "video surface test", nullptr, nullptr);
        if (!window_) return;
        glfwMakeContextCurrent(window_);
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(kWidth, kHeight);
        io.DeltaTime = 1.0f / 60.0f;
        ImGui_ImplOpenGL3_Init("#version 330 core");
    }
    ~GlWindow() {
        if (window_) {
            ImGui_ImplOpenGL3_Shutdown();
            ImGui::DestroyContext();
            glfwDestroyWindow(window_);
        }
        glfwTerminate();
    }
    bool ok() const { return window_ != nullptr; }

    // One frame drawing the player's picture through the surface and the kept
    // frame, as the main loop does; returns the colour at the picture's centre.
    test::Rgb frame(app::GlVideoSurface& surface, services::RecordingPlayer& player, app::KeptFrame& kept) {
        ImGui_ImplOpenGL3_NewFrame();
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(kWidth, kHeight));
        ImGui::Begin("frame", nullptr, ImGuiWindowFlags_NoDecoration);
        ImGui::TextUnformatted("The review");
        const ImTextureID texture =
            surface.picture(player, test::kVideoWidth, test::kVideoHeight, ui::ScreenRect{kPictureMin, kPictureMax});
        ImGui::GetWindowDrawList()->AddImage(texture, kPictureMin, kPictureMax);
        ImGui::End();
        ImGui::Render();
        if (const auto area = surface.take_changed_area()) kept.also_redraw(*area);
        kept.draw(*ImGui::GetDrawData(), kWidth, kHeight, ImVec4(0.9f, 0.9f, 0.9f, 1.0f));
        unsigned char pixel[4] = {0, 0, 0, 0};
        const int x = static_cast<int>((kPictureMin.x + kPictureMax.x) / 2);
        const int y = static_cast<int>((kPictureMin.y + kPictureMax.y) / 2);
        glReadBuffer(GL_BACK);
        glReadPixels(x, kHeight - 1 - y, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, pixel);
        glfwSwapBuffers(window_);
        return {pixel[0], pixel[1], pixel[2]};
    }

private:
    GLFWwindow* window_ = nullptr;
};

}  // namespace

TEST_CASE("each new picture of a recording reaches the window; a paused one redraws nothing", "[gl][media-player]") {
    if (!std::getenv("DISPLAY")) SKIP("no display: run the suite through scripts/test.sh (Xvfb)");
    std::string why;
    const auto& media = test::test_media(&why);
    if (!media) SKIP(why);
    test::TempDir dir;
    auto practice = test::new_practice(dir / "p.db");
    const Case c = test::add_couple(*practice, "Couple G");
    const Session s = services::start_session(*practice, c.id, "2026-05-01");
    services::RecordingLink link;
    link.file = media->colour_video;
    services::link_recording(*practice, s, link);

    GlWindow gl;
    REQUIRE(gl.ok());
    {
        app::GlVideoSurface surface;
        app::KeptFrame kept;
        services::RecordingPlayer::Options options;
        options.audio_output = false;
        services::RecordingPlayer player(options);
        surface.prepare(player);
        player.open(*practice, *services::session_recording(*practice, s.id));
        CHECK(test::nearest_second(gl.frame(surface, player, kept)) == 0);
        for (double second : {2.5, 5.5, 8.5}) {
            CAPTURE(second);
            player.seek_media(second);
            // Frames as the main loop draws them while the seek lands: events, then the picture.
            test::Rgb shown{};
            for (int i = 0; i < 500 && (i < 2 || player.seeking() || player.needs_redraw()); ++i) {
                player.process_events();
                shown = gl.frame(surface, player, kept);
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
            CHECK_FALSE(player.seeking());
            double distance = 0;
            CHECK(test::nearest_second(shown, &distance) == static_cast<int>(std::floor(second)));
            CHECK(distance < 40);
        }
        // Paused, nothing new: the same picture, nothing drawn anew.
        const auto renders = surface.renders();
        CHECK(test::nearest_second(gl.frame(surface, player, kept)) == 8);
        CHECK(kept.redrawn() == 0.0);
        CHECK(surface.renders() == renders);
    }  // the player, the surface and the kept frame go while the window's context is current
}
