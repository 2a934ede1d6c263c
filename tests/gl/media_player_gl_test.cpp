// formats::MediaPlayer drawing into an OpenGL framebuffer object, as the
// review window will (Mesa's software renderer under Xvfb).
#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <GL/glext.h>
#include <GLFW/glfw3.h>

#include <catch2/catch_test_macros.hpp>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "formats/file_source.h"
#include "formats/media_player.h"
#include "formats/test_media.h"

using namespace attune;

namespace {

// A hidden window's OpenGL 3.3 context and a framebuffer object the size of the test video.
class GlTarget {
public:
    GlTarget() {
        if (!glfwInit()) return;
        glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
        glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
        window_ = glfwCreateWindow(64, 64, "media player test", nullptr, nullptr);
        if (!window_) return;
        glfwMakeContextCurrent(window_);
        glGenTextures(1, &texture_);
        glBindTexture(GL_TEXTURE_2D, texture_);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, test::kVideoWidth, test::kVideoHeight, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     nullptr);
        glGenFramebuffers(1, &framebuffer_);
        glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture_, 0);
        complete_ = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }
    ~GlTarget() {
        if (window_) {
            glDeleteFramebuffers(1, &framebuffer_);
            glDeleteTextures(1, &texture_);
            glfwDestroyWindow(window_);
        }
        glfwTerminate();
    }
    bool ok() const { return window_ && complete_; }
    int framebuffer() const { return static_cast<int>(framebuffer_); }

    std::vector<std::uint8_t> pixels() const {
        std::vector<std::uint8_t> rgba(static_cast<std::size_t>(test::kVideoWidth) * test::kVideoHeight * 4);
        glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, test::kVideoWidth, test::kVideoHeight, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        return rgba;
    }

private:
    GLFWwindow* window_ = nullptr;
    GLuint texture_ = 0;
    GLuint framebuffer_ = 0;
    bool complete_ = false;
};

void* gl_function(void*, const char* name) {
    return reinterpret_cast<void*>(glfwGetProcAddress(name));
}

}  // namespace

TEST_CASE("the player draws the frame on screen at a media second into a framebuffer object", "[gl][media-player]") {
    if (!std::getenv("DISPLAY")) SKIP("no display: run the suite through scripts/test.sh (Xvfb)");
    std::string why;
    const auto& media = test::test_media(&why);
    if (!media) SKIP(why);
    GlTarget gl;
    REQUIRE(gl.ok());
    {
        formats::MediaPlayerOptions options;
        options.audio_output = false;
        formats::MediaPlayer player(options);
        player.use_opengl_rendering(gl_function, nullptr);
        player.open(std::make_shared<formats::FileSource>(media->colour_video), "colours.mp4");
        for (double s : {5.5, 2.2, 8.1}) {
            CAPTURE(s);
            player.seek(s);
            REQUIRE(player.wait_until_settled());
            player.render_opengl(gl.framebuffer(), test::kVideoWidth, test::kVideoHeight, false);
            double distance = 0;
            const int second = test::nearest_second(
                test::centre_colour(gl.pixels(), test::kVideoWidth, test::kVideoHeight), &distance);
            CHECK(second == static_cast<int>(std::floor(s)));
            CHECK(distance < 40);
        }
    }  // the player (and its render context) goes while the OpenGL context is current
}
