// attune demo: a realistic synthetic caseload.
#include "app/cli.h"
#include "services/demo.h"
#include "services/paths.h"

#include <iostream>

namespace attune::app {
namespace {

int cmd_demo(const Args& args) {
    // Refused before anything is opened or made: invented couples never go into the practice's own file.
    if (services::is_default_practice_path(practice_path_from(args)))
        throw UsageError("the demo is never written into the practice's own file (" +
                         practice_path_from(args).string() + "): give it a file of its own, e.g. --db " +
                         services::demo_practice_path().string());
    auto practice = open_from_args(args, true);
    services::DemoOptions options;
    options.cases = args.get_int("cases", 1, 5000).value_or(options.cases);
    options.sessions_per_case = args.get_int("sessions", 1, 500).value_or(options.sessions_per_case);
    options.events_per_session = args.get_int("events", 1, 2000).value_or(options.events_per_session);
    options.seed = static_cast<std::uint64_t>(args.get_int("seed", 0, 2147483647).value_or(1));
    options.today = args.get("today").value_or("");
    int last_percent = -1;
    const bool show_progress = options.cases * options.sessions_per_case >= 2000;
    options.progress = [&](double fraction) {
        const int percent = static_cast<int>(fraction * 100);
        if (show_progress && percent / 10 != last_percent / 10) std::cerr << "demo: " << percent << " %\n";
        last_percent = percent;
    };
    const services::DemoReport report = services::generate_demo(*practice, options);
    std::cout << "demo: " << report.cases << " cases of " << report.clinicians << " clinicians, " << report.sessions
              << " sessions, " << report.observations << " observations in " << practice->path().string() << "\n";
    return kExitOk;
}

}  // namespace

void register_demo_commands() {
    std::set<std::string> valued = kDatabaseOptions;
    valued.insert({"cases", "sessions", "events", "seed", "today"});
    command_table().push_back({"demo", "[--cases N] [--sessions M] [--events K] [--seed S] [--today YYYY-MM-DD]",
                               "fill a database with a realistic synthetic caseload (deterministic for a seed)",
                               valued, kDatabaseFlags, cmd_demo});
}

}  // namespace attune::app
