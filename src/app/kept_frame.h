// kept_frame.h: the window's picture kept in a texture between frames, so that
// a frame redraws only the part that changed (ui::FrameDamage) and copies the
// rest. OpenGL leaves the back buffer undefined after a swap: the kept copy is
// what makes a partial redraw right on any driver. In a live session the clock
// changes a few glyphs a second; drawn whole, each such frame cost about 30 ms
// of CPU in Mesa's software renderer (BENCHMARKS.md, idle CPU).
#pragma once

#include "ui/frame_damage.h"

#include <imgui.h>

namespace attune::app {

class KeptFrame {
public:
    KeptFrame() = default;
    KeptFrame(const KeptFrame&) = delete;
    KeptFrame& operator=(const KeptFrame&) = delete;
    ~KeptFrame();  // needs the OpenGL context still current

    // Draws `data` into the kept picture (only what differs from the last
    // call), on `background`, and copies the picture into the window's back
    // buffer. Without framebuffer objects it draws everything into the back
    // buffer. Clips `data`'s commands: draw it once.
    void draw(ImDrawData& data, int fb_width, int fb_height, const ImVec4& background);
    // The next draw() redraws everything (fonts or theme changed).
    void forget() { damage_.forget(); }
    // The next draw() redraws `area` too (a video picture drawn anew).
    void also_redraw(const ui::ScreenRect& area) { damage_.also_redraw(area); }
    // The share of the window's pixels the last draw() redrew (0 to 1).
    double redrawn() const { return redrawn_; }

private:
    bool ensure_size(int width, int height);
    void release();

    unsigned framebuffer_ = 0, texture_ = 0;
    int width_ = 0, height_ = 0;
    bool unsupported_ = false;
    double redrawn_ = 1;
    ImVec4 background_{-1, -1, -1, -1};  // outside the draw data: a change redraws everything
    ui::FrameDamage damage_;
};

}  // namespace attune::app
