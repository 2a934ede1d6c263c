#include "app/kept_frame.h"

#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <GL/glext.h>
#include <imgui/backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>

namespace attune::app {

KeptFrame::~KeptFrame() { release(); }

void KeptFrame::release() {
    if (framebuffer_) glDeleteFramebuffers(1, &framebuffer_);
    if (texture_) glDeleteTextures(1, &texture_);
    framebuffer_ = texture_ = 0;
    width_ = height_ = 0;
}

bool KeptFrame::ensure_size(int width, int height) {
    if (unsupported_) return false;
    if (framebuffer_ && width == width_ && height == height_) return true;
    release();
    glGenTextures(1, &texture_);
    glBindTexture(GL_TEXTURE_2D, texture_);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindTexture(GL_TEXTURE_2D, 0);
    glGenFramebuffers(1, &framebuffer_);
    glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture_, 0);
    const bool complete = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (!complete) {
        release();
        unsupported_ = true;
        return false;
    }
    width_ = width;
    height_ = height;
    damage_.forget();  // a new texture holds nothing yet
    return true;
}

void KeptFrame::draw(ImDrawData& data, int fb_width, int fb_height, const ImVec4& background) {
    if (fb_width <= 0 || fb_height <= 0) return;
    const bool kept = ensure_size(fb_width, fb_height);
    if (background.x != background_.x || background.y != background_.y || background.z != background_.z) {
        background_ = background;
        damage_.forget();
    }
    const ui::ScreenRect area = kept ? damage_.compare(data)
                                     : ui::ScreenRect{data.DisplayPos, ImVec2(data.DisplayPos.x + data.DisplaySize.x,
                                                                              data.DisplayPos.y + data.DisplaySize.y)};
    glBindFramebuffer(GL_FRAMEBUFFER, kept ? framebuffer_ : 0);
    redrawn_ = 0;
    if (!area.empty()) {
        // Display coordinates to framebuffer pixels; OpenGL counts rows from the bottom.
        const ImVec2 scale = data.FramebufferScale;
        const int x0 = std::clamp(static_cast<int>(std::floor((area.min.x - data.DisplayPos.x) * scale.x)), 0, fb_width);
        const int x1 = std::clamp(static_cast<int>(std::ceil((area.max.x - data.DisplayPos.x) * scale.x)), 0, fb_width);
        const int y0 = std::clamp(static_cast<int>(std::floor((area.min.y - data.DisplayPos.y) * scale.y)), 0, fb_height);
        const int y1 = std::clamp(static_cast<int>(std::ceil((area.max.y - data.DisplayPos.y) * scale.y)), 0, fb_height);
        glViewport(0, 0, fb_width, fb_height);
        glEnable(GL_SCISSOR_TEST);
        glScissor(x0, fb_height - y1, x1 - x0, y1 - y0);
        glClearColor(background.x, background.y, background.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        glDisable(GL_SCISSOR_TEST);
        ui::FrameDamage::clip_to(data, area);
        ImGui_ImplOpenGL3_RenderDrawData(&data);
        redrawn_ = static_cast<double>(x1 - x0) * (y1 - y0) / (static_cast<double>(fb_width) * fb_height);
    }
    if (kept) {
        glBindFramebuffer(GL_READ_FRAMEBUFFER, framebuffer_);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
        glBlitFramebuffer(0, 0, fb_width, fb_height, 0, 0, fb_width, fb_height, GL_COLOR_BUFFER_BIT, GL_NEAREST);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }
}

}  // namespace attune::app
