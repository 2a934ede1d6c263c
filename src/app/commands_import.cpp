// attune import boris: sessions coded in BORIS come in as Attune sessions.
#include <iostream>

#include "app/cli.h"
#include "core/text.h"
#include "services/access_audit.h"
#include "services/boris_import.h"
#include "services/people.h"

namespace attune::app {
namespace {

services::BorisImportOptions options_from(const Args& args) {
    services::BorisImportOptions options;
    options.case_label = trim(args.require("case"));
    if (auto partners = args.get("partners")) {
        const std::vector<std::string> names = split(*partners, ',');
        if (names.size() != 2) throw UsageError("--partners takes two names separated by a comma, e.g. Ana,Ben");
        options.partner_a_name = trim(names[0]);
        options.partner_b_name = trim(names[1]);
    }
    if (auto therapist = args.get("therapist")) options.therapist_name = trim(*therapist);
    options.rater_name = args.get("rater").value_or("");
    options.into_existing = args.has("into-existing");
    options.session_number = args.get_int("session", 1, 100000);
    if (options.session_number && !options.into_existing)
        throw UsageError("--session names the existing session to add to: use it with --into-existing");
    options.close_unpaired = args.has("close-unpaired");
    options.observation_ids = args.get_all("observation");
    options.ignored_subjects = args.get_all("ignore-subject");
    if (auto map_file = args.get("map-file")) options.map_file = *map_file;
    try {
        for (const std::string& map : args.get_all("map"))
            for (const auto& [from, to] : formats::parse_behavior_map(map))
                options.behavior_map[from] = to;
    } catch (const formats::BorisImportError& e) {
        throw UsageError(e.what());
    }
    return options;
}

int cmd_import_boris(const Args& args) {
    if (args.positional().size() != 1) throw UsageError("give exactly one BORIS file to import");
    const services::BorisImportOptions options = options_from(args);
    auto practice = open_from_args(args, false, args.has("dry-run"));
    // The rater is a person of the practice, added by an administrator: never created here.
    if (!trim(options.rater_name).empty()) services::find_person(*practice, trim(options.rater_name));
    try {
        const services::PreparedBorisImport prepared =
            services::prepare_boris_import(*practice, args.positional()[0], options);
        if (args.has("dry-run")) {
            // The preview names what the practice already holds (an existing case's sessions): a read.
            services::record_command_read(*practice, {"import boris --dry-run", nullptr, nullptr,
                                                      "file=" + services::destination_text(args.positional()[0])});
            std::cout << prepared.preview_text() << "Nothing was imported (--dry-run).\n";
            return kExitOk;
        }
        std::cout << services::import_boris(*practice, prepared).summary();
    } catch (const services::BorisImportError& e) {
        std::cerr << "attune import boris: " << e.what() << "\n";
        return kExitFailed;
    }
    return kExitOk;
}

}  // namespace

void register_import_commands() {
    std::set<std::string> valued = kDatabaseOptions;
    valued.insert(
        {"case", "partners", "therapist", "rater", "session", "observation", "map", "map-file", "ignore-subject"});
    std::set<std::string> flags = kDatabaseFlags;
    flags.insert({"into-existing", "close-unpaired", "dry-run"});
    command_table().push_back(
        {"import boris",
         "FILE --case LABEL --partners NAME_A,NAME_B [--therapist NAME] [--rater NAME] "
         "[--into-existing [--session N]] [--observation ID]... [--close-unpaired] [--map BORIS=ATTUNE,...] "
         "[--map-file FILE] [--ignore-subject NAME]... [--dry-run]",
         "import a BORIS project (.boris, .boris.gz) or events export (.tsv/.csv) as sessions", valued, flags,
         cmd_import_boris});
}

}  // namespace attune::app
