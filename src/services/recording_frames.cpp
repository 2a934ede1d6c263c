// recording_frames.cpp: a still frame of a session second (`attune recording frame`).
#include <cmath>

#include "core/recordings.h"
#include "core/text.h"
#include "formats/output_file.h"
#include "formats/png_image.h"
#include "services/access_audit.h"
#include "services/media_internal.h"
#include "services/practice_access.h"
#include "services/recording_player.h"
#include "services/recordings.h"
#include "store/audit_log.h"

namespace attune::services {

VideoFrame recording_frame(OpenPractice& practice, const Session& s, double session_seconds) {
    if (!std::isfinite(session_seconds) || session_seconds < 0)
        throw Error(Error::Kind::Invalid, "a session second is 0 or more");
    const auto recording = session_recording(practice, s.id);
    if (!recording)
        throw Error(Error::Kind::NotFound,
                    "session " + std::to_string(s.number) + " has no recording (attune recording add)");
    if (!recording->has_video)
        throw Error(Error::Kind::Invalid,
                    "the recording of session " + std::to_string(s.number) + " has sound only: it has no frames");
    RecordingPlayer::Options options;
    options.audio_output = false;
    RecordingPlayer player(options);
    player.use_software_rendering();
    player.open(practice, *recording);
    VideoFrame frame;
    frame.session_seconds = session_seconds;
    frame.media_seconds = player.pause_map().media_from_session(session_seconds);
    if (frame.media_seconds < 0 || frame.media_seconds > player.duration())
        throw Error(Error::Kind::Invalid, "session second " + format_number(session_seconds, 3) + " is media second " +
                                              format_number(frame.media_seconds, 3) + ", outside the recording (0 to " +
                                              format_number(player.duration(), 3) + ", offset " +
                                              format_number(recording->offset_seconds, 3) + ")");
    player.seek_media(frame.media_seconds);
    if (!player.wait_until_settled(10))
        throw Error(Error::Kind::Io,
                    "the recording did not show media second " + format_number(frame.media_seconds, 3) + " in time");
    if (const std::string failure = player.failure(); !failure.empty()) throw Error(Error::Kind::Io, failure);
    frame.width = player.video_width();
    frame.height = player.video_height();
    if (!player.render_software(frame.width, frame.height, frame.rgba))
        throw Error(Error::Kind::Io,
                    "the recording showed no picture at media second " + format_number(frame.media_seconds, 3));
    return frame;
}

VideoFrame save_recording_frame(OpenPractice& practice, const Session& s, double session_seconds,
                                const std::filesystem::path& out) {
    detail::case_for_session(practice, s, CaseAccess::Reader, "export a still of");
    store::Database& db = database_of(practice);
    VideoFrame frame = recording_frame(practice, s, session_seconds);
    const std::string png = formats::encode_png(frame.width, frame.height, frame.rgba);
    // A still of the couple is health data leaving Attune: audited like any export.
    formats::write_output(out, png, [&](const formats::OutputWritten& written) {
        store::AuditLog(db).record("export", "session", s.uuid,
                                   "format=png frame session_s=" + format_number(session_seconds, 3) + " media_s=" +
                                       format_number(frame.media_seconds, 3) + " out=file path=" + destination_text(out, written.written));
    });
    frame.rgba.clear();
    return frame;
}

}  // namespace attune::services
