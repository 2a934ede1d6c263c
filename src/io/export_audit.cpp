#include "io/export_audit.h"

#include "store/audit_log.h"

namespace attune::io {

std::string export_audit_detail(const ExportRecord& r) {
    std::string detail = "format=" + r.format;
    if (r.session) detail += " session=" + std::to_string(r.session->number);
    if (!r.style.empty()) detail += " style=" + r.style;
    if (!r.from.empty()) detail += " from=" + r.from;
    if (!r.to.empty()) detail += " to=" + r.to;
    if (!r.paper.empty()) detail += " paper=" + r.paper;
    detail += std::string(" include_private=") + (r.include_private ? "yes" : "no");
    return detail + " out=" + r.out;
}

void record_export(store::Database& db, const ExportRecord& r) {
    store::AuditLog(db).record("export", r.session ? "session" : "case",
                               r.session ? r.session->uuid : r.case_info->uuid, export_audit_detail(r));
}

}  // namespace attune::io
