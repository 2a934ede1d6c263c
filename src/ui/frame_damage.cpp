#include "ui/frame_damage.h"

#include <algorithm>
#include <cmath>

namespace attune::ui {
namespace {

// Accumulates a union of rectangles; `any` tells an empty union from a point.
struct Area {
    bool any = false;
    ScreenRect rect;
    void add(ImVec2 p) {
        if (!any) {
            rect = {p, p};
            any = true;
        } else {
            rect.min = ImVec2(std::min(rect.min.x, p.x), std::min(rect.min.y, p.y));
            rect.max = ImVec2(std::max(rect.max.x, p.x), std::max(rect.max.y, p.y));
        }
    }
    void add(const ImVec4& clip) {
        add(ImVec2(clip.x, clip.y));
        add(ImVec2(clip.z, clip.w));
    }
};

ScreenRect intersect(const ScreenRect& a, const ScreenRect& b) {
    return {ImVec2(std::max(a.min.x, b.min.x), std::max(a.min.y, b.min.y)),
            ImVec2(std::min(a.max.x, b.max.x), std::min(a.max.y, b.max.y))};
}

bool same_vertex(const ImDrawVert& a, const ImDrawVert& b) {
    return a.pos.x == b.pos.x && a.pos.y == b.pos.y && a.uv.x == b.uv.x && a.uv.y == b.uv.y && a.col == b.col;
}

bool same_clip(const ImVec4& a, const ImVec4& b) {
    return a.x == b.x && a.y == b.y && a.z == b.z && a.w == b.w;
}

}  // namespace

FrameDamage::List FrameDamage::copy_of(const ImDrawList& list) {
    List out;
    out.vertices.assign(list.VtxBuffer.Data, list.VtxBuffer.Data + list.VtxBuffer.Size);
    out.indices.assign(list.IdxBuffer.Data, list.IdxBuffer.Data + list.IdxBuffer.Size);
    out.commands.reserve(static_cast<size_t>(list.CmdBuffer.Size));
    for (const ImDrawCmd& c : list.CmdBuffer)
        out.commands.push_back(
            {c.ClipRect, c.TextureId, c.ElemCount, c.IdxOffset, c.VtxOffset, c.UserCallback != nullptr});
    return out;
}

ScreenRect FrameDamage::compare(const ImDrawData& data) {
    const ScreenRect display{data.DisplayPos,
                             ImVec2(data.DisplayPos.x + data.DisplaySize.x, data.DisplayPos.y + data.DisplaySize.y)};
    bool whole = !valid_ || static_cast<size_t>(data.CmdListsCount) != last_.size() ||
                 data.DisplayPos.x != display_pos_.x || data.DisplayPos.y != display_pos_.y ||
                 data.DisplaySize.x != display_size_.x || data.DisplaySize.y != display_size_.y;
    Area area;
    if (has_extra_) {
        area.add(extra_.min);
        area.add(extra_.max);
        has_extra_ = false;
    }
    for (int i = 0; i < data.CmdListsCount && !whole; ++i) {
        const ImDrawList& now = *data.CmdLists[i];
        const List& before = last_[static_cast<size_t>(i)];
        bool same_shape = static_cast<size_t>(now.VtxBuffer.Size) == before.vertices.size() &&
                          static_cast<size_t>(now.IdxBuffer.Size) == before.indices.size() &&
                          static_cast<size_t>(now.CmdBuffer.Size) == before.commands.size() &&
                          std::equal(before.indices.begin(), before.indices.end(), now.IdxBuffer.Data);
        for (int c = 0; c < now.CmdBuffer.Size && same_shape; ++c) {
            const ImDrawCmd& cmd = now.CmdBuffer[c];
            const Command& old = before.commands[static_cast<size_t>(c)];
            if (cmd.UserCallback || old.callback) whole = true;
            same_shape = cmd.TextureId == old.texture && cmd.ElemCount == old.elements &&
                         cmd.IdxOffset == old.index_offset && cmd.VtxOffset == old.vertex_offset;
        }
        if (whole) break;
        if (!same_shape) {
            // Items came or went in this window: all it drew, and draws, may have moved.
            for (const Command& old : before.commands)
                area.add(old.clip);
            for (const ImDrawCmd& cmd : now.CmdBuffer)
                area.add(cmd.ClipRect);
            continue;
        }
        for (int c = 0; c < now.CmdBuffer.Size; ++c) {
            const ImDrawCmd& cmd = now.CmdBuffer[c];
            const Command& old = before.commands[static_cast<size_t>(c)];
            if (!same_clip(cmd.ClipRect, old.clip)) {
                area.add(old.clip);
                area.add(cmd.ClipRect);
                continue;
            }
            // A triangle with any vertex changed: where it was and where it is now.
            Area triangles;
            for (unsigned e = 0; e + 2 < cmd.ElemCount; e += 3) {
                const ImDrawIdx* tri = now.IdxBuffer.Data + cmd.IdxOffset + e;
                bool changed = false;
                for (int k = 0; k < 3 && !changed; ++k) {
                    const size_t v = cmd.VtxOffset + tri[k];
                    changed = !same_vertex(now.VtxBuffer[static_cast<int>(v)], before.vertices[v]);
                }
                if (!changed) continue;
                for (int k = 0; k < 3; ++k) {
                    const size_t v = cmd.VtxOffset + tri[k];
                    triangles.add(now.VtxBuffer[static_cast<int>(v)].pos);
                    triangles.add(before.vertices[v].pos);
                }
            }
            if (triangles.any) {
                const ScreenRect clipped = intersect(
                    triangles.rect, {ImVec2(cmd.ClipRect.x, cmd.ClipRect.y), ImVec2(cmd.ClipRect.z, cmd.ClipRect.w)});
                if (!clipped.empty()) {
                    area.add(clipped.min);
                    area.add(clipped.max);
                }
            }
        }
    }

    last_.clear();
    last_.reserve(static_cast<size_t>(data.CmdListsCount));
    for (int i = 0; i < data.CmdListsCount; ++i)
        last_.push_back(copy_of(*data.CmdLists[i]));
    display_pos_ = data.DisplayPos;
    display_size_ = data.DisplaySize;
    valid_ = true;

    if (whole) return display;
    if (!area.any) return {};
    // Whole pixels, one more on each side: anti-aliased edges and rounding.
    ScreenRect out{ImVec2(std::floor(area.rect.min.x) - 1, std::floor(area.rect.min.y) - 1),
                   ImVec2(std::ceil(area.rect.max.x) + 1, std::ceil(area.rect.max.y) + 1)};
    out = intersect(out, display);
    return out.empty() ? ScreenRect{} : out;
}

void FrameDamage::also_redraw(const ScreenRect& area) {
    if (area.empty()) return;
    if (!has_extra_) {
        extra_ = area;
        has_extra_ = true;
        return;
    }
    extra_ = {ImVec2(std::min(extra_.min.x, area.min.x), std::min(extra_.min.y, area.min.y)),
              ImVec2(std::max(extra_.max.x, area.max.x), std::max(extra_.max.y, area.max.y))};
}

void FrameDamage::clip_to(ImDrawData& data, const ScreenRect& area) {
    for (int i = 0; i < data.CmdListsCount; ++i)
        for (ImDrawCmd& cmd : data.CmdLists[i]->CmdBuffer) {
            ImVec4& c = cmd.ClipRect;
            c = ImVec4(std::max(c.x, area.min.x), std::max(c.y, area.min.y), std::min(c.z, area.max.x),
                       std::min(c.w, area.max.y));
            if (c.z < c.x) c.z = c.x;
            if (c.w < c.y) c.w = c.y;
        }
}

}  // namespace attune::ui
