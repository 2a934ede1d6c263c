#include "app/video_surface_gl.h"

#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <GL/glext.h>
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "services/recording_player.h"

namespace attune::app {

namespace {

void* gl_function(void*, const char* name) {
    return reinterpret_cast<void*>(glfwGetProcAddress(name));
}

}  // namespace

GlVideoSurface::~GlVideoSurface() {
    release_texture();
}

void GlVideoSurface::release_texture() {
    if (framebuffer_) glDeleteFramebuffers(1, &framebuffer_);
    if (texture_) glDeleteTextures(1, &texture_);
    framebuffer_ = texture_ = 0;
    width_ = height_ = 0;
}

void GlVideoSurface::prepare(services::RecordingPlayer& player) {
    player.use_opengl_rendering(gl_function, nullptr);
}

ImTextureID GlVideoSurface::picture(services::RecordingPlayer& player, int width, int height,
                                    const ui::ScreenRect& shown_at) {
    // A new frame, another player, or a frame libmpv handed over without a
    // redraw request (a blocking seek in the command line's way) at a new position.
    bool draw = player.needs_redraw() || drawn_for_ != &player || player.media_position() != drawn_at_;
    if (!texture_ || width != width_ || height != height_) {
        release_texture();
        glGenTextures(1, &texture_);
        glBindTexture(GL_TEXTURE_2D, texture_);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glBindTexture(GL_TEXTURE_2D, 0);
        glGenFramebuffers(1, &framebuffer_);
        glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture_, 0);
        const bool complete = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        if (!complete) {
            release_texture();
            return nullptr;
        }
        width_ = width;
        height_ = height;
        draw = true;
    }
    if (draw) {
        player.render_opengl(static_cast<int>(framebuffer_), width, height);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        drawn_for_ = &player;
        drawn_at_ = player.media_position();
        ++renders_;
    }
    // New pixels, or the same ones somewhere else: that part of the window is drawn again.
    if (draw || !(shown_at == last_shown_)) {
        changed_ = changed_ ? ui::ScreenRect{ImVec2(std::min(changed_->min.x, shown_at.min.x),
                                                    std::min(changed_->min.y, shown_at.min.y)),
                                             ImVec2(std::max(changed_->max.x, shown_at.max.x),
                                                    std::max(changed_->max.y, shown_at.max.y))}
                            : shown_at;
        last_shown_ = shown_at;
    }
    return reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(texture_));
}

void GlVideoSurface::release(const services::RecordingPlayer& player) {
    if (drawn_for_ == &player) drawn_for_ = nullptr;
}

std::optional<ui::ScreenRect> GlVideoSurface::take_changed_area() {
    return std::exchange(changed_, std::nullopt);
}

}  // namespace attune::app
