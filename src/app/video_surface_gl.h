// video_surface_gl.h: the window's ui::VideoSurface: a recording's picture
// rendered by libmpv's OpenGL render API (services::RecordingPlayer) into a
// texture that ImGui draws. It lives here because the OpenGL context does:
// every call happens on the main thread with the window's context current,
// and the surface is destroyed before the window (after the views' players).
#pragma once

#include <optional>

#include "ui/video_surface.h"

namespace attune::app {

class GlVideoSurface final : public ui::VideoSurface {
public:
    GlVideoSurface() = default;
    ~GlVideoSurface() override;  // the OpenGL context current
    GlVideoSurface(const GlVideoSurface&) = delete;
    GlVideoSurface& operator=(const GlVideoSurface&) = delete;

    void prepare(services::RecordingPlayer& player) override;
    ImTextureID picture(services::RecordingPlayer& player, int width, int height,
                        const ui::ScreenRect& shown_at) override;
    void release(const services::RecordingPlayer& player) override;

    // Where the picture changed since the last call: the main loop has the
    // kept frame redraw it (its draw data did not change).
    std::optional<ui::ScreenRect> take_changed_area();
    // Pictures drawn so far (tests and the idle measure).
    unsigned long long renders() const { return renders_; }

private:
    void release_texture();

    unsigned texture_ = 0, framebuffer_ = 0;
    int width_ = 0, height_ = 0;
    const services::RecordingPlayer* drawn_for_ = nullptr;  // whose picture the texture holds
    double drawn_at_ = -1;                                  // and at which media second
    std::optional<ui::ScreenRect> changed_;
    ui::ScreenRect last_shown_;
    unsigned long long renders_ = 0;
};

}  // namespace attune::app
