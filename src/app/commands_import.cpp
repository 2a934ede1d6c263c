// attune import boris: sessions coded in BORIS come in as Attune sessions.
#include "app/cli.h"
#include "core/text.h"
#include "services/boris_import.h"
#include "services/people.h"

#include <iostream>

namespace attune::app {
namespace {

int cmd_import_boris(const Args& args) {
    if (args.positional().size() != 1) throw UsageError("give exactly one BORIS file to import");
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
    auto practice = open_from_args(args, false);
    // The rater is a person of the practice, added by an administrator: never created here.
    if (!trim(options.rater_name).empty()) services::find_person(*practice, trim(options.rater_name));
    try {
        const services::ImportReport report = services::import_boris(*practice, args.positional()[0], options);
        std::cout << report.summary();
    } catch (const services::BorisImportError& e) {
        std::cerr << "attune import boris: " << e.what() << "\n";
        return kExitFailed;
    }
    return kExitOk;
}

}  // namespace

void register_import_commands() {
    std::set<std::string> valued = kDatabaseOptions;
    valued.insert({"case", "partners", "therapist", "rater"});
    std::set<std::string> flags = kDatabaseFlags;
    flags.insert("into-existing");  // a second rater's layer on the case's existing sessions
    command_table().push_back({"import boris", "FILE --case LABEL --partners NAME_A,NAME_B [--therapist NAME] [--rater NAME] [--into-existing]",
                               "import a BORIS project (.boris) or events export (.tsv/.csv) as sessions",
                               valued, flags, cmd_import_boris});
}

}  // namespace attune::app
