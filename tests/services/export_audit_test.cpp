// The export audit row's detail, shared by the command line, the export dialog
// and the review's copy button.
#include "services/export.h"

#include <catch2/catch_test_macros.hpp>

using namespace attune;

TEST_CASE("the export audit detail names the format, the options and where it went", "[export]") {
    Case c;
    c.label = "Couple K";
    Session s;
    s.number = 3;
    io::ExportRecord note;
    note.case_info = &c;
    note.session = &s;
    note.format = "txt";
    note.style = "dap";
    note.out = "clipboard";
    CHECK(io::export_audit_detail(note) == "format=txt session=3 style=dap include_private=no out=clipboard");

    io::ExportRecord pdf;
    pdf.case_info = &c;
    pdf.format = "pdf";
    pdf.from = "2026-01-01";
    pdf.to = "2026-06-30";
    pdf.paper = "letter";
    pdf.out = "file";
    CHECK(io::export_audit_detail(pdf) == "format=pdf from=2026-01-01 to=2026-06-30 paper=letter include_private=no out=file");

    note.include_private = true;
    note.style = "soap";
    note.format = "md";
    note.out = "stdout";
    CHECK(io::export_audit_detail(note) == "format=md session=3 style=soap include_private=yes out=stdout");
}
