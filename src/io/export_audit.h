// export_audit.h: the audit row every export writes, from the command line,
// the export dialog and the review's "Copy session note" alike: what (format,
// options), which case or session, where it went; recorded before the data
// leaves, so an export that happened is never missing from the log.
#pragma once

#include "core/model.h"
#include "store/database.h"

#include <string>

namespace attune::io {

struct ExportRecord {
    const Case* case_info = nullptr;       // required
    const Session* session = nullptr;      // the session exported (a note, or data of one session)
    std::string format;                    // txt, md, pdf, csv, json, boris, metrics-csv
    std::string style;                     // dap or soap, for a session note; empty otherwise
    std::string from, to;                  // the date range, YYYY-MM-DD; empty = open
    std::string paper;                     // a4 or letter, for a PDF
    bool include_private = false;
    std::string out;                       // file, stdout or clipboard
};

// "format=txt session=3 style=dap include_private=no out=clipboard"
std::string export_audit_detail(const ExportRecord& record);
// Writes the "export" row for the session when there is one, else the case. Throws StoreError.
void record_export(store::Database& db, const ExportRecord& record);

}  // namespace attune::io
