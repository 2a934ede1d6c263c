// The export command: session notes, case summaries (text, Markdown, PDF) and
// data exports (CSV, JSON, BORIS-style TSV, metrics CSV). Every export is
// recorded in the audit log; private process notes leave only with
// --include-private, and then only in a session note.
#include "app/cli.h"
#include "app/cli_lookup.h"
#include "io/export_audit.h"
#include "io/export_data.h"
#include "io/export_pdf.h"
#include "io/export_tables.h"
#include "io/export_text.h"
#include "store/repositories.h"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace attune::app {
namespace {

const std::set<std::string> kFormats{"txt", "md", "pdf", "csv", "json", "boris", "metrics-csv"};

bool is_iso_date(const std::string& text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (text[i] < '0' || text[i] > '9') return false;
    return true;
}

// Writes FILE.tmp, then renames it over FILE: a failed or interrupted export
// never leaves a half-written file where the user expects a whole one.
void write_atomically(const std::filesystem::path& path, const std::string& content) {
    std::filesystem::path tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << content;
        out.flush();
        if (!out) {
            out.close();
            std::error_code ignored;
            std::filesystem::remove(tmp, ignored);
            throw store::StoreError(store::StoreError::Kind::Io, "cannot write " + tmp.string());
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw store::StoreError(store::StoreError::Kind::Io, "cannot write " + path.string());
    }
}

int cmd_export(const Args& args) {
    const std::string format = args.require("format");
    if (!kFormats.count(format)) throw UsageError("--format must be txt, md, pdf, csv, json, boris or metrics-csv");
    const auto session_number = args.get_int("session", 1, 100000);
    const std::string from = args.get("from").value_or("");
    const std::string to = args.get("to").value_or("");
    for (const std::string& date : {from, to})
        if (!date.empty() && !is_iso_date(date)) throw UsageError("--from and --to take dates as YYYY-MM-DD");
    if (!from.empty() && !to.empty() && from > to) throw UsageError("--from is after --to");
    if (session_number && (!from.empty() || !to.empty()))
        throw UsageError("give either --session or a date range (--from/--to), not both");
    const bool session_note = session_number && (format == "txt" || format == "md");

    const std::string style_text = args.get("style").value_or("dap");
    if (style_text != "dap" && style_text != "soap") throw UsageError("--style must be dap or soap");
    if (args.has("style") && !session_note) throw UsageError("--style applies to a session note (txt or md with --session)");
    const bool include_private = args.has("include-private");
    if (include_private && !session_note)
        throw UsageError("--include-private applies to a session note only (txt or md with --session); "
                         "private process notes are never part of other exports");
    const std::string paper_text = args.get("paper").value_or("a4");
    if (paper_text != "a4" && paper_text != "letter") throw UsageError("--paper must be a4 or letter");
    if (args.has("paper") && format != "pdf") throw UsageError("--paper applies to --format pdf");
    const auto out_path = args.get("out");
    if (format == "pdf") {
        if (!out_path)
            throw UsageError("a PDF is not written to the terminal: give the file with --out FILE.pdf");
        if (session_number) throw UsageError("the PDF is a case summary: leave out --session (use --from/--to)");
    }

    io::Practice practice = open_from_args(args, false);
    store::Database& db = *practice.db;
    const Case c = require_case(db, args.require("case"));
    std::optional<Session> session;
    if (session_number) session = require_session(db, c, session_number);

    std::string content;
    if (session_note) {
        const io::SessionNoteData data = io::gather_session_note(db, c, *session, include_private);
        content = io::format_session_note(data, style_text == "soap" ? io::NoteStyle::Soap : io::NoteStyle::Dap,
                                          format == "md" ? io::TextFormat::Markdown : io::TextFormat::Plain);
    } else if (format == "txt" || format == "md" || format == "pdf" || format == "metrics-csv") {
        io::CaseSummaryData data = io::gather_case_summary(db, c, from, to);
        if (session) {  // metrics of the one session asked for
            auto& rows = data.case_metrics.sessions;
            std::erase_if(rows, [&](const io::SessionWithMetrics& s) { return s.session.id != session->id; });
        }
        if (format == "pdf")
            content = io::case_summary_pdf(data, paper_text == "letter" ? io::PaperSize::Letter : io::PaperSize::A4);
        else if (format == "metrics-csv")
            content = io::session_metrics_csv(data);
        else
            content = io::format_case_summary(data, format == "md" ? io::TextFormat::Markdown : io::TextFormat::Plain);
    } else {
        // BORIS gets one coding per session (the clinician's); CSV and JSON every rater's, with the rater named.
        const io::ObservationExportData data = io::gather_observations(db, c, session_number, from, to, format == "boris");
        if (format == "csv") content = io::observations_csv(data);
        else if (format == "json") content = io::observations_json(data);
        else content = io::boris_aggregated_tsv(data);
    }

    io::ExportRecord record;
    record.case_info = &c;
    record.session = session ? &*session : nullptr;
    record.format = format;
    if (session_note) record.style = style_text;
    record.from = from;
    record.to = to;
    if (format == "pdf") record.paper = paper_text;
    record.include_private = include_private;
    record.out = out_path ? "file" : "stdout";
    io::record_export(db, record);  // before the data leaves

    if (out_path) {
        write_atomically(*out_path, content);
        std::cerr << "wrote " << *out_path << "\n";
    } else {
        std::cout << content;
        std::cout.flush();
        if (!std::cout) throw store::StoreError(store::StoreError::Kind::Io, "writing to the standard output failed");
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
         "--case L [--session N] --format txt|md|pdf|csv|json|boris|metrics-csv [--style dap|soap] "
         "[--from YYYY-MM-DD --to YYYY-MM-DD] [--paper a4|letter] [--include-private] [--out FILE]",
         "export a session note (txt, md with --session), a case summary (txt, md, pdf) or the data "
         "(csv, json, boris, metrics-csv)",
         valued, flags, cmd_export});
}

}  // namespace attune::app
