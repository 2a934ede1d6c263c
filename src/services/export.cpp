// export.cpp: gather, format, deliver, audit (see export.h).
//
// [SECTION] Options
// [SECTION] Gathering and formatting
// [SECTION] Delivering and auditing
#include "services/export.h"

#include <cstdio>
#include <iostream>

#include "core/dates.h"
#include "core/text.h"
#include "formats/boris_write.h"
#include "formats/export_excerpts.h"
#include "formats/export_tables.h"
#include "formats/output_file.h"
#include "services/access.h"
#include "services/access_audit.h"
#include "services/export_gather.h"
#include "services/practice_access.h"
#include "store/audit_log.h"
#include "store/repositories.h"

namespace attune::services {

// [SECTION] Options

const std::vector<std::string>& export_formats() {
    static const std::vector<std::string> formats{"txt",          "md",            "pdf",      "csv",
                                                  "json",         "boris",         "boris-tsv", "metrics-csv",
                                                  "measures-csv", "sequences-csv", "excerpts"};
    return formats;
}

std::string export_options_problem(const ExportOptions& o) {
    const auto& known = export_formats();
    if (std::find(known.begin(), known.end(), o.format) == known.end())
        return "the format must be txt, md, pdf, csv, json, boris, boris-tsv, metrics-csv, measures-csv, "
               "sequences-csv or excerpts";
    for (const std::string& date : {o.from, o.to})
        if (!date.empty() && !is_iso_date(date)) return "dates are written YYYY-MM-DD, e.g. 2026-03-02";
    if (!o.from.empty() && !o.to.empty() && o.from > o.to) return "the first date is after the second";
    if (o.session_number && (!o.from.empty() || !o.to.empty()))
        return "give either a session or a date range, not both";
    if (o.style != NoteStyle::Dap && !o.session_note()) return "the note form (DAP or SOAP) applies to a session note";
    if (o.include_private && !o.session_note())
        return "private process notes can only be included in a session note (txt or md of one session); they are "
               "never part of other exports";
    if (o.paper != PaperSize::A4 && !o.is_pdf()) return "the paper size applies to a PDF";
    if (o.is_pdf() && o.session_number) return "the PDF is a case summary: it is not made for one session";
    return "";
}

std::string export_file_problem(const ExportOptions& o, const std::filesystem::path& file) {
    const std::string name = normalize_key(file.filename().string());
    const auto ends_with = [&](std::string_view suffix) {
        return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    const bool project_name = ends_with(".boris") || ends_with(".boris.gz");
    if (o.format == "boris" && !ends_with(".boris"))
        return file.filename().string() +
               ": a BORIS project is saved as a .boris file (BORIS opens it by that "
               "name); for BORIS's table use the format boris-tsv and a .tsv file";
    if (o.format != "boris" && project_name)
        return file.filename().string() + ": a .boris file must hold a BORIS project, which this is not (" + o.format +
               "): use the format boris, or a name that fits " + o.format;
    if (o.format == "boris-tsv" && !ends_with(".tsv") && !ends_with(".txt"))
        return file.filename().string() + ": BORIS's table is tab-separated: save it as a .tsv file";
    return "";
}

// [SECTION] Gathering and formatting

ExportJob::ExportJob(OpenPractice& practice, const Case& c, ExportOptions options) : practice_(practice), case_(c) {
    set_options(std::move(options));
}

void ExportJob::set_options(ExportOptions options) {
    if (const std::string problem = export_options_problem(options); !problem.empty())
        throw Error(Error::Kind::Invalid, problem);
    // Who sees what (services/access.h): a case not theirs does not exist for
    // them; a coder codes and exports nothing; a private process note leaves
    // only with the case's own clinician.
    const CaseAccess access = case_access(practice_, case_);
    if (access == CaseAccess::None) require_access(practice_, case_, CaseAccess::Reader);
    if (access == CaseAccess::Coder)
        throw Error(Error::Kind::Denied, practice_.person().name + " codes sessions of " + case_.label +
                                             ": exports are for its clinician, supervisor and administrators");
    if (options.include_private && !may_read_process_notes(practice_, case_))
        throw Error(Error::Kind::Denied,
                    "only the clinician of " + case_.label + " may export its private process notes");
    if (options.session_number != options_.session_number || !session_) {
        session_.reset();
        note_.reset();
        excerpts_.reset();
        if (options.session_number) {
            auto found = store::SessionRepository(database_of(practice_)).find(case_.id, *options.session_number);
            if (!found)
                throw Error(Error::Kind::NotFound, case_.label + " has no session " +
                                                       std::to_string(*options.session_number) +
                                                       " (see attune session list)");
            session_ = *found;
        }
    }
    if (options.from != gathered_from_ || options.to != gathered_to_ ||
        options.session_number != options_.session_number) {
        summary_.reset();
        excerpts_.reset();
        observations_.reset();
        boris_.reset();
    }
    options_ = std::move(options);
    gather();
    format();
}

void ExportJob::gather() {
    store::Database& db = database_of(practice_);
    const ExportOptions& o = options_;
    if (o.session_note()) {
        if (!note_ || note_has_private_ != o.include_private) {
            note_ = detail::gather_session_note(db, case_, *session_, o.include_private);
            note_->sign_off.signatures = detail::checked_signatures(practice_, session_->id);
            note_has_private_ = o.include_private;
        }
    } else if (o.format == "csv" || o.format == "json") {
        if (!observations_)
            observations_ = detail::gather_observations(db, case_, o.session_number, o.from, o.to, false);
    } else if (o.format == "excerpts") {
        if (!excerpts_) excerpts_ = detail::gather_excerpts(db, case_, o.session_number, o.from, o.to);
    } else if (o.format == "boris" || o.format == "boris-tsv") {
        // One BORIS observation per session and rater, so that BORIS can compare raters.
        if (!boris_) boris_ = detail::gather_boris(db, case_, o.session_number, o.from, o.to);
    } else if (!summary_) {
        summary_ = detail::gather_case_summary(db, case_, o.from, o.to);
        if (session_) {  // the metrics of the one session asked for
            auto& rows = summary_->case_metrics.sessions;
            std::erase_if(rows, [&](const SessionWithMetrics& s) { return s.session.id != session_->id; });
        }
        // The sign-offs of the sessions shown, their signatures checked now.
        std::vector<formats::SessionSignOff> sign_offs;
        for (const SessionWithMetrics& s : summary_->case_metrics.sessions) {
            for (formats::SessionSignOff& sign_off : summary_->sign_offs) {
                if (sign_off.session_number != s.session.number) continue;
                sign_off.signatures = detail::checked_signatures(practice_, s.session.id);
                sign_offs.push_back(std::move(sign_off));
                break;
            }
        }
        summary_->sign_offs = std::move(sign_offs);
    }
    gathered_from_ = o.from;
    gathered_to_ = o.to;
}

void ExportJob::format() {
    const ExportOptions& o = options_;
    if (note_) note_->show_five_to_one = o.five_to_one_reference;
    if (summary_) summary_->show_five_to_one = o.five_to_one_reference;
    const TextFormat text_format = o.format == "md" ? TextFormat::Markdown : TextFormat::Plain;
    if (o.session_note())
        text_ = formats::format_session_note(*note_, o.style, text_format);
    else if (o.format == "txt" || o.format == "md" || o.is_pdf())
        text_ = formats::format_case_summary(*summary_, text_format);
    else if (o.format == "metrics-csv")
        text_ = formats::session_metrics_csv(*summary_);
    else if (o.format == "measures-csv")
        text_ = formats::measures_csv(*summary_);
    else if (o.format == "sequences-csv")
        text_ = formats::sequences_csv(*summary_);
    else if (o.format == "csv")
        text_ = formats::observations_csv(*observations_);
    else if (o.format == "json")
        text_ = formats::observations_json(*observations_);
    else if (o.format == "excerpts")
        text_ = formats::format_excerpts(*excerpts_);
    else if (o.format == "boris")
        text_ = formats::boris_project_json(*boris_);
    else
        text_ = formats::boris_aggregated_tsv(*boris_);
}

std::string ExportJob::bytes() const {
    return options_.is_pdf() ? formats::case_summary_pdf(*summary_, options_.paper) : text_;
}

bool ExportJob::has_private_note() const {
    return note_ && note_->process_note.has_value();
}

std::size_t ExportJob::sessions_in_range() const {
    return summary_ ? summary_->case_metrics.sessions.size() : 0;
}

// [SECTION] Delivering and auditing

namespace {

const char* out_word(ExportDestination::Kind kind) {
    switch (kind) {
        case ExportDestination::Kind::File:
            return "file";
        case ExportDestination::Kind::StandardOutput:
            return "stdout";
        case ExportDestination::Kind::Clipboard:
            return "clipboard";
    }
    return "file";
}

}  // namespace

std::string export_audit_detail(const ExportJob& job, const ExportDestination& destination) {
    const ExportOptions& o = job.options();
    std::string detail = "format=" + o.format;
    if (o.session_number) detail += " session=" + std::to_string(*o.session_number);
    if (o.session_note()) detail += std::string(" style=") + (o.style == NoteStyle::Soap ? "soap" : "dap");
    if (!o.from.empty()) detail += " from=" + o.from;
    if (!o.to.empty()) detail += " to=" + o.to;
    if (o.is_pdf()) detail += std::string(" paper=") + (o.paper == PaperSize::Letter ? "letter" : "a4");
    detail += std::string(" include_private=") + (o.include_private ? "yes" : "no");
    detail += std::string(" out=") + out_word(destination.kind);
    if (destination.kind == ExportDestination::Kind::File) detail += " path=" + destination_text(destination.file);
    return detail;
}

std::string ExportJob::deliver(const ExportDestination& destination) {
    store::Database& db = database_of(practice_);  // a locked practice exports nothing
    const std::string content = [&] {
        try {
            return bytes();
        } catch (const Error&) {
            throw;
        } catch (const std::exception& e) {
            throw Error(Error::Kind::Io, std::string("the PDF could not be made: ") + e.what());
        }
    }();
    const auto audit = [&] {
        store::AuditLog(db).record("export", session_ ? "session" : "case", session_ ? session_->uuid : case_.uuid,
                                   export_audit_detail(*this, destination));
    };
    const auto unaudited = [](const std::exception& e) {
        return Error(Error::Kind::Io,
                     std::string("nothing was exported: the audit log could not record it (") + e.what() + ")");
    };
    if (destination.kind == ExportDestination::Kind::File)
        if (const std::string problem = export_file_problem(options_, destination.file); !problem.empty())
            throw Error(Error::Kind::Invalid, problem + "; nothing was exported");
    switch (destination.kind) {
        case ExportDestination::Kind::File:
            // The audit row is written when the file is complete but before it
            // takes its name: a refused row leaves the user's old file as it was.
            formats::write_output(destination.file, content, [&](const formats::OutputWritten&) {
                try {
                    audit();
                } catch (const std::exception& e) {
                    throw unaudited(e);
                }
            });
            return "Saved to " + destination.file.string() + ".";
        case ExportDestination::Kind::StandardOutput:
            std::cout << content;
            std::cout.flush();
            if (!std::cout) throw Error(Error::Kind::Io, "writing to the standard output failed: nothing was exported");
            try {
                audit();
            } catch (const std::exception& e) {
                throw Error(
                    Error::Kind::Io,
                    std::string("the export was written, but the audit log could not record it (") + e.what() + ")");
            }
            return "Written to the standard output.";
        case ExportDestination::Kind::Clipboard:
            if (options_.is_pdf()) throw Error(Error::Kind::Invalid, "a PDF cannot be copied: save it to a file");
            destination.set_clipboard(content);
            try {
                audit();
            } catch (const std::exception& e) {
                destination.set_clipboard("");  // unaudited, the copy must not stand
                throw unaudited(e);
            }
            return "Copied to the clipboard.";
    }
    return "";
}

}  // namespace attune::services
