// The export command: session notes, case summaries (text, Markdown, PDF) and
// data exports (CSV, JSON, a BORIS project or BORIS's table, metrics CSV). Every export is
// recorded in the audit log; private process notes leave only with
// --include-private, and then only in a session note.
#include <iostream>

#include "app/cli.h"
#include "services/cases.h"
#include "services/export.h"
#include "services/settings.h"

namespace attune::app {
namespace {

// The command line's words for the options; services::export_options_problem
// decides (for this and the Export dialog) which combinations make sense.
services::ExportOptions options_from(const Args& args) {
    services::ExportOptions o;
    o.format = args.require("format");
    o.session_number = args.get_int("session", 1, 100000);
    o.from = args.get("from").value_or("");
    o.to = args.get("to").value_or("");
    const std::string style = args.get("style").value_or("dap");
    if (style != "dap" && style != "soap") throw UsageError("--style must be dap or soap");
    o.style = style == "soap" ? services::NoteStyle::Soap : services::NoteStyle::Dap;
    if (args.has("style") && !o.session_note())
        throw UsageError("--style applies to a session note (txt or md with --session)");
    const std::string paper = args.get("paper").value_or("a4");
    if (paper != "a4" && paper != "letter") throw UsageError("--paper must be a4 or letter");
    if (args.has("paper") && !o.is_pdf()) throw UsageError("--paper applies to --format pdf");
    o.paper = paper == "letter" ? services::PaperSize::Letter : services::PaperSize::A4;
    o.include_private = args.has("include-private");
    // The person's own setting (Settings, or settings.json): Gottman's 5 : 1 line is off unless turned on.
    o.five_to_one_reference = services::load_user_settings().settings.five_to_one_reference;
    if (const std::string problem = services::export_options_problem(o); !problem.empty()) throw UsageError(problem);
    return o;
}

int cmd_export(const Args& args) {
    const services::ExportOptions options = options_from(args);
    const auto out = args.get("out");
    if (options.is_pdf() && (!out || *out == "-"))
        throw UsageError("a PDF is not written to the terminal: give the file with --out FILE.pdf");
    if (out && *out != "-")
        if (const std::string problem = services::export_file_problem(options, *out); !problem.empty())
            throw UsageError(problem);
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    services::ExportJob job(*practice, c, options);
    // "-" is the standard output; anything else is a path (services/export.h, formats/output_file.h).
    if (!out || *out == "-") {
        job.deliver(services::ExportDestination::to_standard_output());
    } else {
        job.deliver(services::ExportDestination::to_file(*out));
        std::cerr << "wrote " << *out << "\n";
    }
    return kExitOk;
}

}  // namespace

void register_export_commands() {
    std::set<std::string> valued{"case", "session", "format", "style", "from", "to", "paper", "out"};
    valued.insert(kDatabaseOptions.begin(), kDatabaseOptions.end());
    std::set<std::string> flags{"include-private"};
    flags.insert(kDatabaseFlags.begin(), kDatabaseFlags.end());
    command_table().push_back(
        {"export",
         "--case L [--session N] --format txt|md|pdf|csv|json|boris|boris-tsv|metrics-csv|measures-csv|sequences-csv "
         "[--style dap|soap] [--from YYYY-MM-DD --to YYYY-MM-DD] [--paper a4|letter] [--include-private] "
         "[--out FILE|-]",
         "export a session note (txt, md with --session), a case summary (txt, md, pdf) or the data "
         "(csv, json, boris: a BORIS project, boris-tsv: BORIS's table, metrics-csv, measures-csv, sequences-csv)",
         valued, flags, cmd_export});
}

}  // namespace attune::app
