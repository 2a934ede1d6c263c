// frame_damage.h: the part of the screen a frame changes, found by comparing
// its draw data with the last frame's, so that the main loop redraws only that
// part. The live session's clock changes a few glyphs a second; a software
// renderer pays for every pixel of every frame (BENCHMARKS.md, idle CPU).
#pragma once

#include <imgui.h>

#include <vector>

namespace attune::ui {

// A rectangle in ImGui's display coordinates (as ImDrawCmd::ClipRect).
struct ScreenRect {
    ImVec2 min{0, 0};
    ImVec2 max{0, 0};
    bool empty() const { return max.x <= min.x || max.y <= min.y; }
    bool operator==(const ScreenRect& o) const {
        return min.x == o.min.x && min.y == o.min.y && max.x == o.max.x && max.y == o.max.y;
    }
};

class FrameDamage {
public:
    // The area where `data` draws differently from the frame compared last
    // time: empty when nothing changed; the whole display for the first frame,
    // after forget(), or when the frames cannot be compared (the display
    // changed, a window appeared or went, a draw callback).
    ScreenRect compare(const ImDrawData& data);
    // The next compare() returns the whole display (the kept frame is gone).
    void forget() { valid_ = false; }
    // The next compare() includes `area` too: pixels that change without the
    // draw data changing (a video texture drawn anew).
    void also_redraw(const ScreenRect& area);

    // Clips every command of `data` to `area`: a renderer then draws no pixel
    // outside it, and skips the commands left with an empty clip rectangle.
    static void clip_to(ImDrawData& data, const ScreenRect& area);

private:
    struct Command {
        ImVec4 clip;
        ImTextureID texture;
        unsigned elements, index_offset, vertex_offset;
        bool callback;
    };
    struct List {
        std::vector<ImDrawVert> vertices;
        std::vector<ImDrawIdx> indices;
        std::vector<Command> commands;
    };
    static List copy_of(const ImDrawList& list);

    std::vector<List> last_;
    ImVec2 display_pos_{0, 0}, display_size_{0, 0};
    bool valid_ = false;
    ScreenRect extra_;  // also_redraw's union since the last compare()
    bool has_extra_ = false;
};

}  // namespace attune::ui
