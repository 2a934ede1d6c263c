// Recordings: `attune session pause`, `attune recording add|list|frame`,
// `attune excerpt add|list` (DOMAIN.md, "Recordings (version 2)").
#include <iostream>
#include <map>

#include "app/cli.h"
#include "core/recordings.h"
#include "core/text.h"
#include "services/access_audit.h"
#include "services/cases.h"
#include "services/excerpts.h"
#include "services/recordings.h"

namespace attune::app {
namespace {

constexpr double kMaxSeconds = 24 * 3600;

std::string number_text(double value) {
    return format_number(value, 3);
}

void print_warnings(const std::string& command, const std::vector<std::string>& warnings) {
    for (const std::string& w : warnings)
        std::cerr << "attune " << command << ": warning: " << w << "\n";
}

std::string link_word(services::LinkOutcome::What what) {
    switch (what) {
        case services::LinkOutcome::What::Imported:
            return "imported encrypted";
        case services::LinkOutcome::What::LinkedInPlace:
            return "linked in place (unencrypted)";
        case services::LinkOutcome::What::Relinked:
            return "re-linked (the same recording, SHA-256 checked)";
        case services::LinkOutcome::What::AlreadyLinked:
            return "already linked";
    }
    return "linked";
}

std::string describe(const Recording& r) {
    return r.original_name + " (" + std::string(r.has_video ? "video" : "sound only") + ", " +
           format_media_time(r.duration_seconds) + ", offset " + format_media_time(r.offset_seconds) + ", SHA-256 " +
           r.sha256 + ")";
}

// [SECTION] session pause

int required_session(const Args& args) {
    const auto number = args.get_int("session", 1, 100000);
    if (!number) throw UsageError("--session is required");
    return *number;
}

int cmd_session_pause(const Args& args) {
    const auto at = args.get_double("at", 0, kMaxSeconds);
    const auto wall = args.get_double("for", 0, kMaxSeconds);
    if (!at || !wall) throw UsageError("--at and --for (seconds) are required");
    const int number = required_session(args);
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, number);
    services::add_session_pause(*practice, s, *at, *wall);
    std::cout << "pause added to session " << s.number << " of " << c.label << ": at " << number_text(*at)
              << " s of session time, " << number_text(*wall) << " s long\n";
    return kExitOk;
}

// [SECTION] recording

services::RecordingLink link_from(const Args& args, const std::string& file_option) {
    services::RecordingLink link;
    link.file = args.require(file_option);
    link.offset_seconds = args.get_double("offset", -kMaxSeconds, kMaxSeconds);
    link.in_place = args.has("in-place");
    return link;
}

int cmd_recording_add(const Args& args) {
    const services::RecordingLink link = link_from(args, "file");
    const int number = required_session(args);
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, number);
    const services::LinkOutcome outcome = services::link_recording(*practice, s, link);
    print_warnings("recording add", outcome.warnings);
    std::cout << "session " << s.number << " of " << c.label << ": " << link_word(outcome.what) << ": "
              << describe(outcome.recording) << "\n";
    return kExitOk;
}

int cmd_recording_list(const Args& args) {
    auto practice = open_from_args(args, false, true);
    const Case c = services::find_case(*practice, args.require("case"));
    services::record_command_read(*practice, {"recording list", &c});
    std::map<RowId, Session> sessions;
    for (const Session& s : services::list_sessions(*practice, c.id))
        sessions[s.id] = s;
    for (const Recording& r : services::list_recordings(*practice, c.id)) {
        const Session& s = sessions[r.session_id];
        std::cout << s.number << "\t" << s.date << "\t" << r.original_name << "\t"
                  << (!services::recording_file_here(*practice, r)    ? "its file not in this copy (recording add)"
                      : r.storage == RecordingStorage::InPlace ? "in place, unencrypted"
                                                               : "encrypted")
                  << "\t"
                  << (r.has_video ? "video" : "sound only") << "\t" << format_media_time(r.duration_seconds)
                  << "\toffset " << format_media_time(r.offset_seconds) << "\t" << r.sha256 << "\n";
    }
    return kExitOk;
}

int cmd_recording_frame(const Args& args) {
    const auto at = args.get_double("at", 0, kMaxSeconds);
    if (!at) throw UsageError("--at is required");
    const std::string out = args.require("out");
    const int number = required_session(args);
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, number);
    const services::VideoFrame frame = services::save_recording_frame(*practice, s, *at, out);
    std::cout << out << "\n";
    std::cerr << "session second " << number_text(frame.session_seconds) << " is media second "
              << number_text(frame.media_seconds) << "; " << frame.width << "x" << frame.height << " pixels\n";
    return kExitOk;
}

// [SECTION] excerpt

int cmd_excerpt_add(const Args& args) {
    services::ExcerptRequest request;
    const auto from = args.get_double("from", 0, kMaxSeconds);
    const auto to = args.get_double("to", 0, kMaxSeconds);
    const auto stage = args.get_int("stage", 1, 3);
    if (!from || !to) throw UsageError("--from and --to (media seconds) are required");
    if (!stage) throw UsageError("--stage 1, 2 or 3 is required");
    request.media_start = *from;
    request.media_stop = *to;
    request.stage = *stage;
    request.name = args.require("name");
    const int number = required_session(args);
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, number);
    const Excerpt e = services::add_excerpt(*practice, s, request);
    std::cout << "excerpt \"" << e.name << "\" (stage " << e.stage << ") of session " << s.number << ": media "
              << format_media_time(e.media_start) << " to " << format_media_time(e.media_stop) << "\n";
    return kExitOk;
}

int cmd_excerpt_list(const Args& args) {
    auto practice = open_from_args(args, false, true);
    const Case c = services::find_case(*practice, args.require("case"));
    services::record_command_read(*practice, {"excerpt list", &c});
    std::map<RowId, int> numbers;
    for (const Session& s : services::list_sessions(*practice, c.id))
        numbers[s.id] = s.number;
    for (const Excerpt& e : services::list_excerpts(*practice, c.id))
        std::cout << numbers[e.session_id] << "\tstage " << e.stage << "\t" << format_media_time(e.media_start) << "\t"
                  << format_media_time(e.media_stop) << "\t" << e.name << "\n";
    return kExitOk;
}

}  // namespace

void register_recording_commands() {
    auto& t = command_table();
    t.push_back({"session pause", "--case L --session N --at SECONDS --for SECONDS",
                 "add a pause of the session clock afterwards: at a session second, lasting W wall seconds",
                 with_db({"case", "session", "at", "for"}), with_db_flags({}), cmd_session_pause});
    t.push_back({"recording add", "--case L --session N --file PATH [--offset SECONDS] [--in-place]",
                 "link a recording (video or sound) to a session: imported encrypted, or with --in-place "
                 "linked where it is, unencrypted",
                 with_db({"case", "session", "file", "offset"}), with_db_flags({"in-place"}), cmd_recording_add});
    t.push_back({"recording list", "--case L", "list a case's recordings with their SHA-256", with_db({"case"}),
                 with_db_flags({}), cmd_recording_list});
    t.push_back({"recording frame", "--case L --session N --at SESSION_SECONDS --out FILE.png",
                 "write the video frame shown at a session second (through the pauses and offset) as PNG",
                 with_db({"case", "session", "at", "out"}), with_db_flags({}), cmd_recording_frame});
    t.push_back({"excerpt add",
                 "--case L --session N --from MEDIA_SECONDS --to MEDIA_SECONDS --stage 1|2|3 --name TEXT",
                 "mark a named excerpt of a session's recording with its EFT stage",
                 with_db({"case", "session", "from", "to", "stage", "name"}), with_db_flags({}), cmd_excerpt_add});
    t.push_back({"excerpt list", "--case L", "list a case's excerpts (media times)", with_db({"case"}),
                 with_db_flags({}), cmd_excerpt_list});
}

}  // namespace attune::app
