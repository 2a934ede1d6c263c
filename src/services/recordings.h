// recordings.h: a session's recording and the pauses of its live clock
// (DOMAIN.md, "Recordings (version 2)"): linking a file (imported into the
// practice's media folder encrypted, or linked in place unencrypted by an
// explicit choice), the offset and sync mark, the pause map that turns
// session seconds into media seconds, the bytes to play, and a still frame
// of any session second. Excerpts are in excerpts.h, playback in
// recording_player.h. Throws attune::Error with one plain sentence.
//
// Media key: OpenPractice::derive_key("attune-media-v1"). The media folder is
// `<database>.media/` beside the practice file (mode 0700; containers 0600).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_source.h"
#include "core/model.h"
#include "core/pause_map.h"
#include "core/recordings.h"

namespace attune::services {

class OpenPractice;

inline constexpr const char* kMediaKeyPurpose = "attune-media-v1";

// `<database>.media`: where the practice keeps its imported recordings.
std::filesystem::path media_folder(const OpenPractice& practice);

// [SECTION] Pauses of the live clock
std::vector<PauseRecord> session_pauses(OpenPractice& practice, RowId session_id);
// A pause typed in afterwards (`attune session pause`): at `session_seconds`
// of the session's clock, `wall_seconds` long. Invalid beyond the session's
// length (an ended session) or its clock now (one in progress).
PauseRecord add_session_pause(OpenPractice& practice, const Session& s, double session_seconds, double wall_seconds);

// [SECTION] Linking a recording
struct RecordingLink {
    std::filesystem::path file;
    std::optional<double> offset_seconds;  // empty: 0 for a new link, unchanged for a re-link
    bool in_place = false;                 // link the file where it lies, unencrypted
};

struct LinkOutcome {
    Recording recording;
    enum class What { Imported, LinkedInPlace, Relinked, AlreadyLinked } what = What::Imported;
    // Warnings for the user (the file stays unencrypted; an unencrypted practice).
    std::vector<std::string> warnings;
};

// Links the file to the session: probes it (a file libmpv cannot play is
// refused), hashes it, then imports it encrypted into the media folder
// (never writing plaintext) or, with in_place, records its path. A session
// has one recording: linking the same file again (same SHA-256) re-links it
// (a moved in-place file, or an encrypted container that went missing is
// imported again); a file with another SHA-256 is refused naming both
// hashes. A recording that arrived by bundle or from the practice server
// comes without its file: linking a copy with the same SHA-256 imports it.
// Whoever may see the session may link that copy in their own practice; a
// new recording, and a changed offset, are for the case's clinician alone.
// Audited.
LinkOutcome link_recording(OpenPractice& practice, const Session& s, const RecordingLink& link);

// What the person signed in may do with the case's recordings, by the rules
// the use cases here and in excerpts.h check (the window offers only these).
struct RecordingRights {
    bool link_and_offset = false;  // link a new recording, set the offset, add pauses: the case's clinician
    bool mark_excerpts = false;    // mark excerpts: the case's clinician or supervisor (or an administrator)
};
RecordingRights recording_rights(OpenPractice& practice, const Case& c);

// A session coded later from a recording alone (no live clock, no pauses):
// the case's next session, dated `date` (empty: today), ended at once with
// the recording's length after the offset as its active time, the recording
// linked to it. One transaction for both rows. Audited.
struct SessionFromRecording {
    Session session;
    LinkOutcome link;
};
SessionFromRecording start_session_from_recording(OpenPractice& practice, RowId case_id, const RecordingLink& link,
                                                  const std::string& date = "");

std::optional<Recording> session_recording(OpenPractice& practice, RowId session_id);
// The case's recordings by session date.
std::vector<Recording> list_recordings(OpenPractice& practice, RowId case_id);

// [SECTION] Offset and pause map
void set_recording_offset(OpenPractice& practice, const Recording& recording, double offset_seconds);
// The offset a sync mark gives: session second `session_seconds` (a coded
// moment) recognised on the recording at `media_seconds`.
double sync_mark_offset(OpenPractice& practice, const Recording& recording, double session_seconds,
                        double media_seconds);
// The session's pauses (an open one up to now) and the recording's offset.
PauseMap pause_map_of(OpenPractice& practice, const Recording& recording);

// [SECTION] Reading a recording
// Its bytes for the player: an encrypted recording through the decrypting
// reader (nothing written to disk), after checking the container seals the
// linked SHA-256; an in-place file after hashing it. Throws Error: the file
// is missing, it is not the linked recording (both hashes named), the
// container does not open with the practice's key or is damaged.
std::shared_ptr<ByteSource> open_recording_bytes(OpenPractice& practice, const Recording& recording);
// Where the recording's file is on disk (the container for an encrypted one).
std::filesystem::path recording_file(const OpenPractice& practice, const Recording& recording);
// Whether that file is there (a recording that arrived by bundle or from the
// practice server has none until its copy is linked here).
bool recording_file_here(const OpenPractice& practice, const Recording& recording);

// [SECTION] Still frames
struct VideoFrame {
    int width = 0;  // pixels
    int height = 0;
    std::vector<std::uint8_t> rgba;  // rows top to bottom
    double session_seconds = 0;
    double media_seconds = 0;
};
// The video frame shown at session second `session_seconds`, through the
// pause map and offset, decoded in memory (software rendering). Invalid for an
// audio-only recording or a second that maps outside the recording.
VideoFrame recording_frame(OpenPractice& practice, const Session& s, double session_seconds);
// The same written as PNG to `out` (atomically; 0600 for a new file) and
// audited as an export. Returns the frame written (without its pixels).
VideoFrame save_recording_frame(OpenPractice& practice, const Session& s, double session_seconds,
                                const std::filesystem::path& out);

// [SECTION] Backups and media
// Counts the practice's recordings (main connection); the same on another
// connection is services' private media_summary_on (backups on a worker).
struct MediaSummary {
    std::filesystem::path folder;     // the media folder
    int encrypted = 0;                // recordings imported there
    int in_place = 0;                 // recordings linked in place (never in the folder)
    int not_here = 0;                 // recordings whose file this copy does not have (it arrived without)
    std::uintmax_t folder_bytes = 0;  // the containers in the folder
};
MediaSummary media_summary(OpenPractice& practice);
// What a backup says about media (backups copy the database only): empty
// when the practice has no recordings.
std::string backup_media_note(const MediaSummary& media);

}  // namespace attune::services
