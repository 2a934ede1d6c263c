// app::KeptFrame in a real OpenGL context (Mesa's software renderer under
// Xvfb, as the window runs here): a frame redrawn in part must show exactly
// the pixels of the same frame drawn whole.
#include "app/kept_frame.h"

#include <GLFW/glfw3.h>
#include <catch2/catch_test_macros.hpp>
#include <imgui.h>
#include <imgui/backends/imgui_impl_opengl3.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace {

constexpr int kWidth = 320;
constexpr int kHeight = 200;

// A hidden window with an OpenGL 3.3 context and an ImGui context drawing into it.
class GlContext {
public:
    GlContext() {
        if (!glfwInit()) return;
        glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
        glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
        window_ = glfwCreateWindow(kWidth, kHeight, "kept frame test", nullptr, nullptr);
        if (!window_) return;
        glfwMakeContextCurrent(window_);
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(kWidth, kHeight);
        io.DeltaTime = 1.0f / 60.0f;
        ImGui_ImplOpenGL3_Init("#version 330 core");
    }
    ~GlContext() {
        if (window_) {
            ImGui_ImplOpenGL3_Shutdown();
            ImGui::DestroyContext();
            glfwDestroyWindow(window_);
        }
        glfwTerminate();
    }
    bool ok() const { return window_ != nullptr; }

    // Builds a frame showing `clock` and draws it through `kept`; returns the
    // back buffer's pixels.
    std::vector<unsigned char> frame(attune::app::KeptFrame& kept, const std::string& clock) {
        ImGui_ImplOpenGL3_NewFrame();
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(kWidth, kHeight));
        ImGui::Begin("frame", nullptr, ImGuiWindowFlags_NoDecoration);
        ImGui::TextUnformatted(("Session clock " + clock).c_str());
        ImGui::Button("A button that stays");
        ImGui::TextUnformatted("Text that stays the same");
        ImGui::End();
        ImGui::Render();
        kept.draw(*ImGui::GetDrawData(), kWidth, kHeight, ImVec4(0.9f, 0.9f, 0.9f, 1.0f));
        std::vector<unsigned char> pixels(static_cast<size_t>(kWidth) * kHeight * 4);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadBuffer(GL_BACK);
        glReadPixels(0, 0, kWidth, kHeight, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
        glfwSwapBuffers(window_);  // the back buffer is undefined after this: the kept copy is not
        return pixels;
    }

private:
    GLFWwindow* window_ = nullptr;
};

size_t differing_pixels(const std::vector<unsigned char>& a, const std::vector<unsigned char>& b) {
    size_t count = 0;
    for (size_t i = 0; i + 3 < a.size() && i + 3 < b.size(); i += 4)
        if (a[i] != b[i] || a[i + 1] != b[i + 1] || a[i + 2] != b[i + 2] || a[i + 3] != b[i + 3]) ++count;
    return count;
}

}  // namespace

TEST_CASE("a frame redrawn in part shows the same pixels as the frame drawn whole", "[gl]") {
    if (!std::getenv("DISPLAY")) SKIP("no display: run the suite through scripts/test.sh (Xvfb)");
    GlContext gl;
    REQUIRE(gl.ok());

    attune::app::KeptFrame partial;
    const auto first = gl.frame(partial, "12:01");
    CHECK(partial.redrawn() == 1.0);
    const auto same = gl.frame(partial, "12:01");
    CHECK(partial.redrawn() == 0.0);  // nothing changed: nothing redrawn, the kept picture shown
    CHECK(differing_pixels(same, first) == 0);
    const auto ticked = gl.frame(partial, "12:02");
    CHECK(partial.redrawn() > 0.0);
    CHECK(partial.redrawn() < 0.05);  // one digit's worth of a 320x200 window
    CHECK(differing_pixels(ticked, first) > 0);

    attune::app::KeptFrame whole;
    const auto reference = gl.frame(whole, "12:02");
    CHECK(whole.redrawn() == 1.0);
    CHECK(differing_pixels(ticked, reference) == 0);
}
