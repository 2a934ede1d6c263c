// recordings.cpp: linking, reading and mapping a session's recording (see recordings.h).
//
// [SECTION] The media folder and key
// [SECTION] Pauses
// [SECTION] Linking
// [SECTION] Offset and pause map
// [SECTION] Reading
// [SECTION] Backups and media
#include "services/recordings.h"

#include <sys/stat.h>

#include <cmath>
#include <span>

#include "core/dates.h"
#include "core/session_clock.h"
#include "core/text.h"
#include "core/uuid.h"
#include "formats/file_source.h"
#include "formats/media_player.h"
#include "services/cases.h"
#include "services/media_internal.h"
#include "services/open_practice.h"
#include "services/practice_access.h"
#include "store/media_vault.h"
#include "store/repositories.h"

namespace attune::services {

namespace fs = std::filesystem;

// [SECTION] The media folder and key

namespace {

constexpr const char* kContainerExtension = ".attmedia";

// The media key lives in locked memory only while it is used.
struct MediaKeyHolder {
    SecretBytes key;
    explicit MediaKeyHolder(const OpenPractice& practice) : key(practice.derive_key(kMediaKeyPurpose)) {}
    store::MediaKey span() const { return store::MediaKey(key.data(), store::kMediaKeyBytes); }
};

// The media folder, created (mode 0700) when missing.
fs::path ensure_media_folder(const OpenPractice& practice) {
    const fs::path folder = media_folder(practice);
    std::error_code ec;
    if (!fs::exists(folder, ec)) {
        if (::mkdir(folder.c_str(), 0700) != 0 && !fs::exists(folder, ec))
            throw Error(Error::Kind::Io, "cannot create the media folder " + folder.string());
    }
    // Whatever made it, only its owner may look inside.
    fs::permissions(folder, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) throw Error(Error::Kind::Io, "cannot restrict the media folder " + folder.string() + ": " + ec.message());
    return folder;
}

std::string display_name(const fs::path& file) {
    return file.filename().string();
}

}  // namespace

fs::path media_folder(const OpenPractice& practice) {
    return fs::path(practice.path().string() + ".media");
}

fs::path recording_file(const OpenPractice& practice, const Recording& recording) {
    if (recording.storage == RecordingStorage::InPlace) return recording.path;
    return media_folder(practice) / recording.path;
}

bool recording_file_here(const OpenPractice& practice, const Recording& recording) {
    std::error_code ec;
    return fs::is_regular_file(recording_file(practice, recording), ec);
}

RecordingRights recording_rights(OpenPractice& practice, const Case& c) {
    const int access = static_cast<int>(case_access(practice, c));
    RecordingRights out;
    out.link_and_offset = access >= static_cast<int>(detail::kLinksAndOffset);
    out.mark_excerpts = access >= static_cast<int>(detail::kMarksExcerpts);
    return out;
}

Case detail::case_for_session(OpenPractice& practice, const Session& s, CaseAccess at_least, const char* action) {
    const auto c = store::CaseRepository(database_of(practice)).get(s.case_id);
    if (!c || !may_see_session(practice, *c, s.id)) throw Error(Error::Kind::NotFound, "no such session");
    if (static_cast<int>(case_access(practice, *c)) >= static_cast<int>(at_least)) return *c;
    const char* who = at_least == CaseAccess::Clinician ? "the case's clinician" : "the case's clinician or supervisor";
    throw Error(Error::Kind::Denied, std::string("only ") + who + " may " + action + " session " +
                                         std::to_string(s.number) + " of " + c->label + ", not " +
                                         practice.person().name);
}

// [SECTION] Pauses

std::vector<PauseRecord> session_pauses(OpenPractice& practice, RowId session_id) {
    return store::SessionRepository(database_of(practice)).pauses(session_id);
}

PauseRecord add_session_pause(OpenPractice& practice, const Session& s, double session_seconds, double wall_seconds) {
    detail::case_for_session(practice, s, detail::kLinksAndOffset, "add a pause to");
    const double length = s.state == SessionState::Ended ? s.active_seconds : session_clock_now(practice, s);
    // A millisecond of slack: lengths are stored rounded.
    if (std::isfinite(session_seconds) && session_seconds > length + 0.001)
        throw Error(Error::Kind::Invalid, "session " + std::to_string(s.number) + " is " + format_clock(length) +
                                              " long: a pause cannot begin at " + format_clock(session_seconds));
    return store::SessionRepository(database_of(practice)).add_pause(s.id, session_seconds, wall_seconds);
}

// [SECTION] Linking

namespace {

// A file ready to link: probed, hashed, and (unless in place) imported.
struct Prepared {
    Recording recording;
    fs::path container;  // the new container, removed again if the database refuses the link
    std::vector<std::string> warnings;
};

void remove_container(const fs::path& container) {
    std::error_code ec;
    if (!container.empty()) fs::remove(container, ec);
}

std::string hash_mismatch(const std::string& what, const std::string& found, const std::string& linked) {
    return what + " is not the linked recording: its SHA-256 is " + found + ", the linked recording's is " + linked +
           ".";
}

formats::MediaProbe probe_file(const fs::path& file) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) throw Error(Error::Kind::NotFound, "no recording file at " + file.string());
    try {
        return formats::probe(std::make_shared<formats::FileSource>(file), display_name(file));
    } catch (const formats::MediaError& e) {
        throw Error(Error::Kind::Invalid, e.what());
    } catch (const std::runtime_error& e) {  // the file could not be opened
        throw Error(Error::Kind::Io, e.what());
    }
}

// Probes the file and, unless in place, imports it encrypted; `sha256` when
// the caller already hashed it.
Prepared prepare(OpenPractice& practice, const RecordingLink& link, const std::string& sha256 = "") {
    if (practice.read_only()) throw Error(Error::Kind::Invalid, "the practice is open read-only: nothing was linked");
    const formats::MediaProbe probe = probe_file(link.file);
    Prepared out;
    Recording& r = out.recording;
    r.uuid = new_uuid();
    r.duration_seconds = probe.duration_seconds;
    r.has_video = probe.has_video;
    r.offset_seconds = link.offset_seconds.value_or(0.0);
    r.original_name = display_name(link.file);
    if (link.in_place) {
        r.storage = RecordingStorage::InPlace;
        std::error_code ec;
        r.path = fs::weakly_canonical(fs::absolute(link.file), ec).string();
        if (ec) r.path = fs::absolute(link.file).string();
        r.sha256 = sha256.empty() ? store::sha256_file_hex(link.file) : sha256;
        r.bytes = fs::file_size(link.file);
        out.warnings.push_back(r.original_name +
                               " is linked in place and stays unencrypted where it is: Attune does not protect it. "
                               "Without --in-place it would be imported encrypted.");
    } else {
        const fs::path folder = ensure_media_folder(practice);
        out.container = folder / (new_uuid() + kContainerExtension);
        const MediaKeyHolder key(practice);
        const store::MediaVaultInfo info = store::import_media(link.file, out.container, key.span());
        r.storage = RecordingStorage::Encrypted;
        r.path = out.container.filename().string();
        r.sha256 = info.sha256;
        r.bytes = info.plaintext_size;
        if (!sha256.empty() && sha256 != info.sha256) {
            remove_container(out.container);
            throw Error(Error::Kind::Invalid, hash_mismatch(r.original_name, info.sha256, sha256) +
                                                  " It changed while it was being imported.");
        }
        if (!practice.encrypted())
            out.warnings.push_back(
                "this practice is not encrypted, so neither is the key its recordings are "
                "encrypted with: encrypt the practice (attune encrypt) to protect them");
    }
    return out;
}

// The encrypted container opens with the practice's key and seals this hash.
bool container_holds(const OpenPractice& practice, const Recording& r) {
    try {
        const MediaKeyHolder key(practice);
        store::MediaVaultReader reader(media_folder(practice) / r.path, key.span());
        return reader.info().sha256 == r.sha256;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

LinkOutcome link_recording(OpenPractice& practice, const Session& s, const RecordingLink& link) {
    // Whoever may see the session links their own copy of the file its
    // recording was linked with (one that travelled here without its file);
    // a new recording, and the offset, are the case's clinician's.
    detail::case_for_session(practice, s, CaseAccess::Coder, "link a recording to");
    store::Database& db = database_of(practice);
    store::RecordingRepository recordings(db);
    const auto existing = recordings.for_session(s.id);
    if (!existing) detail::case_for_session(practice, s, detail::kLinksAndOffset, "link a recording to");
    else if (link.offset_seconds)
        detail::case_for_session(practice, s, detail::kLinksAndOffset, "set the recording's offset of");
    LinkOutcome outcome;
    if (existing) {
        probe_file(link.file);  // a file that is no recording is refused as such, before it is hashed
        const std::string sha256 = store::sha256_file_hex(link.file);
        if (sha256 != existing->sha256)
            throw Error(Error::Kind::Invalid, "session " + std::to_string(s.number) + " already has a recording, and " +
                                                  hash_mismatch(display_name(link.file), sha256, existing->sha256));
        outcome.recording = *existing;
        if (!link.in_place && existing->storage == RecordingStorage::Encrypted &&
            container_holds(practice, *existing)) {
            outcome.what = LinkOutcome::What::AlreadyLinked;
        } else {
            Prepared prepared = prepare(practice, link, sha256);
            try {
                recordings.relink(existing->id, prepared.recording.storage, prepared.recording.path);
            } catch (...) {
                remove_container(prepared.container);
                throw;
            }
            // The old container (missing or damaged) makes way for the new one.
            if (existing->storage == RecordingStorage::Encrypted && existing->path != prepared.recording.path)
                remove_container(media_folder(practice) / existing->path);
            outcome.what = LinkOutcome::What::Relinked;
            outcome.warnings = std::move(prepared.warnings);
        }
        if (link.offset_seconds) recordings.set_offset(existing->id, *link.offset_seconds);
        outcome.recording = *recordings.get(existing->id);
        return outcome;
    }
    Prepared prepared = prepare(practice, link);
    prepared.recording.session_id = s.id;
    try {
        outcome.recording = recordings.add(prepared.recording);
    } catch (...) {
        remove_container(prepared.container);
        throw;
    }
    outcome.what = prepared.recording.storage == RecordingStorage::InPlace ? LinkOutcome::What::LinkedInPlace
                                                                           : LinkOutcome::What::Imported;
    outcome.warnings = std::move(prepared.warnings);
    return outcome;
}

SessionFromRecording start_session_from_recording(OpenPractice& practice, RowId case_id, const RecordingLink& link,
                                                  const std::string& date) {
    store::Database& db = database_of(practice);
    const Case c = get_case(practice, case_id).value_or(Case{});
    if (c.id == 0) throw Error(Error::Kind::NotFound, "the case no longer exists");
    require_access(practice, c, detail::kLinksAndOffset);
    for (const Session& s : list_sessions(practice, case_id))
        if (s.state != SessionState::Ended)
            throw Error(Error::Kind::Invalid, "session " + std::to_string(s.number) + " of " + c.label +
                                                  " is still in progress; end it first");
    Prepared prepared = prepare(practice, link);
    const double offset = prepared.recording.offset_seconds;
    if (offset >= prepared.recording.duration_seconds) {
        remove_container(prepared.container);
        throw Error(Error::Kind::Invalid, "the offset " + format_media_time(offset) +
                                              " is at or after the recording's end (" +
                                              format_media_time(prepared.recording.duration_seconds) + ")");
    }
    SessionFromRecording out;
    try {
        // The session's clock is the recording's, from the offset on.
        auto [session, recording] = store::RecordingRepository(db).add_with_new_session(
            case_id, date.empty() ? today_local_iso() : date, now_local_hhmm(),
            std::max(0.0, prepared.recording.duration_seconds - std::max(0.0, offset)), prepared.recording);
        out.session = session;
        out.link.recording = recording;
    } catch (...) {
        remove_container(prepared.container);
        throw;
    }
    out.link.what = prepared.recording.storage == RecordingStorage::InPlace ? LinkOutcome::What::LinkedInPlace
                                                                            : LinkOutcome::What::Imported;
    out.link.warnings = std::move(prepared.warnings);
    return out;
}

std::optional<Recording> session_recording(OpenPractice& practice, RowId session_id) {
    if (!get_session(practice, session_id)) return std::nullopt;  // not the person's to see
    return store::RecordingRepository(database_of(practice)).for_session(session_id);
}

std::vector<Recording> list_recordings(OpenPractice& practice, RowId case_id) {
    const auto c = get_case(practice, case_id);
    if (!c) return {};
    std::vector<Recording> out;
    for (Recording& r : store::RecordingRepository(database_of(practice)).list_for_case(case_id))
        if (may_see_session(practice, *c, r.session_id)) out.push_back(std::move(r));
    return out;
}

// [SECTION] Offset and pause map

namespace {
Session session_of(OpenPractice& practice, const Recording& recording) {
    const auto s = get_session(practice, recording.session_id);
    if (!s) throw Error(Error::Kind::NotFound, "no such session");
    return *s;
}
}  // namespace

void set_recording_offset(OpenPractice& practice, const Recording& recording, double offset_seconds) {
    detail::case_for_session(practice, session_of(practice, recording), detail::kLinksAndOffset,
                             "set the recording's offset of");
    store::RecordingRepository(database_of(practice)).set_offset(recording.id, offset_seconds);
}

double sync_mark_offset(OpenPractice& practice, const Recording& recording, double session_seconds,
                        double media_seconds) {
    const auto pauses = pauses_for_mapping(session_pauses(practice, recording.session_id), wall_clock_seconds());
    try {
        return PauseMap::offset_for_sync_mark(pauses, session_seconds, media_seconds);
    } catch (const std::invalid_argument& e) {
        throw Error(Error::Kind::Invalid, e.what());
    }
}

PauseMap pause_map_of(OpenPractice& practice, const Recording& recording) {
    const auto pauses = pauses_for_mapping(session_pauses(practice, recording.session_id), wall_clock_seconds());
    return PauseMap(pauses, recording.offset_seconds);
}

// [SECTION] Reading

namespace {

// The reader keeps its own copy of the key (wiped when it goes).
std::shared_ptr<ByteSource> open_container(const OpenPractice& practice, const Recording& r) {
    const fs::path container = recording_file(practice, r);
    std::error_code ec;
    if (!fs::exists(container, ec))
        throw Error(Error::Kind::NotFound, "this copy does not have the file of " + r.original_name +
                                               " (SHA-256 " + r.sha256 + "): link your copy of it (attune "
                                               "recording add), or restore the media folder " +
                                               container.parent_path().string() + " from your own backup");
    std::shared_ptr<store::MediaVaultReader> reader;
    try {
        const MediaKeyHolder key(practice);
        reader = std::make_shared<store::MediaVaultReader>(container, key.span());
    } catch (const Error& e) {
        throw Error(e.kind(), "the encrypted file of " + r.original_name + " (" + container.string() +
                                  ") cannot be read: " + e.what());
    }
    if (reader->info().sha256 != r.sha256)
        throw Error(Error::Kind::Invalid,
                    hash_mismatch("the encrypted file " + container.string(), reader->info().sha256, r.sha256));
    return reader;
}

std::shared_ptr<ByteSource> open_in_place(const Recording& r) {
    std::error_code ec;
    if (!fs::is_regular_file(r.path, ec))
        throw Error(Error::Kind::NotFound, "the recording " + r.original_name + " linked in place is missing from " +
                                               r.path +
                                               "; link it again where it is now (attune recording add "
                                               "--in-place)");
    const std::string sha256 = store::sha256_file_hex(r.path);
    if (sha256 != r.sha256)
        throw Error(Error::Kind::Invalid,
                    hash_mismatch("the file " + r.path, sha256, r.sha256) + " It changed after it was linked.");
    try {
        return std::make_shared<formats::FileSource>(r.path);
    } catch (const std::runtime_error& e) {
        throw Error(Error::Kind::Io, e.what());
    }
}

}  // namespace

std::shared_ptr<ByteSource> open_recording_bytes(OpenPractice& practice, const Recording& recording) {
    session_of(practice, recording);  // a locked practice, or a session not the person's to see, reads nothing
    return recording.storage == RecordingStorage::InPlace ? open_in_place(recording)
                                                          : open_container(practice, recording);
}

// [SECTION] Backups and media

MediaSummary media_summary(OpenPractice& practice) {
    return detail::media_summary_on(database_of(practice), media_folder(practice));
}

MediaSummary detail::media_summary_on(store::Database& db, const fs::path& folder) {
    MediaSummary out;
    out.folder = folder;
    for (const Recording& r : store::RecordingRepository(db).list_all()) {
        if (r.storage == RecordingStorage::InPlace) {
            ++out.in_place;
            continue;
        }
        std::error_code ec;
        const auto size = fs::file_size(out.folder / r.path, ec);
        if (ec) {  // arrived by bundle or from the practice server without its file
            ++out.not_here;
            continue;
        }
        ++out.encrypted;
        out.folder_bytes += size;
    }
    return out;
}

std::string backup_media_note(const MediaSummary& media) {
    if (media.encrypted == 0 && media.in_place == 0 && media.not_here == 0) return "";
    std::string note = "media not included: backups copy the database only.";
    if (media.encrypted > 0)
        note += " " + std::to_string(media.encrypted) + " encrypted recording" + (media.encrypted == 1 ? "" : "s") +
                " (" + format_number(static_cast<double>(media.folder_bytes) / 1e6, 1) + " MB) stay in " +
                media.folder.string() + ": back that folder up with your own backups (its files stay encrypted).";
    if (media.in_place > 0)
        note += " " + std::to_string(media.in_place) + " recording" + (media.in_place == 1 ? " is" : "s are") +
                " linked in place and not copied either.";
    if (media.not_here > 0)
        note += " " + std::to_string(media.not_here) + " linked recording" + (media.not_here == 1 ? " has" : "s have") +
                " no file in this copy: link your copy of " + (media.not_here == 1 ? "it" : "each") +
                " (attune recording add), then back it up with the media folder.";
    return note;
}

}  // namespace attune::services
