// video_surface.h: where the review draws a recording's picture. The OpenGL
// context belongs to the window (src/app), so the app implements this and
// installs it in the AppModel; the ui never includes OpenGL, and the media
// player stays in the services (services/recording_player.h). Headless (the
// UI tests, the bench's timed frames) no surface is installed, or a test's
// own software one.
#pragma once

#include <imgui.h>

#include "ui/frame_damage.h"

namespace attune::services {
class RecordingPlayer;
}

namespace attune::ui {

class VideoSurface {
public:
    virtual ~VideoSurface() = default;
    // Chooses the player's renderer; called once, before it opens a recording.
    virtual void prepare(services::RecordingPlayer& player) = 0;
    // The player's current picture as a texture of width x height pixels,
    // drawn again only when the player has a new frame or the size changed.
    // `shown_at` is where the view draws it this frame: the window redraws
    // that part of the screen when the picture changed (its draw data does
    // not change with the picture).
    virtual ImTextureID picture(services::RecordingPlayer& player, int width, int height,
                                const ScreenRect& shown_at) = 0;
    // The player is about to go: nothing of it may be kept.
    virtual void release(const services::RecordingPlayer& player) = 0;
};

}  // namespace attune::ui
