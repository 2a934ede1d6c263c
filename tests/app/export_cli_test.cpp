// The real `attune export` binary: one format to standard output (also as
// --out -), a PDF to --out, the refusal to write a PDF to the terminal, and
// the audit trail: one row per export written, after it was written, naming
// where it went; none for an export refused or a file that could not be written.
#include <catch2/catch_test_macros.hpp>
#include <string>
#include <vector>

#include "app/cli_runner.h"
#include "services/audit.h"
#include "support/cli_practice.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
using test::CliResult;

namespace {

// Dr Test's case C-9, session 1 on 2026-03-02: A's rupture at 10 s repaired by B at 40 s.
// Made once per process and copied.
test::PreparedPractice prepared([](const std::filesystem::path& dir) {
    test::make_cli_practice(dir / "p.db");
    for (const char* args : {"case add --db p.db --label C-9 --partners 'Zoë,Дмитрий'",
                             "session start --db p.db --case C-9 --date 2026-03-02",
                             "log --db p.db --case C-9 --who A --code defensive_anger --at 10",
                             "log --db p.db --case C-9 --who B --code validate --at 40",
                             "session end --db p.db --case C-9 --duration 600 --stage 1 --step 1"}) {
        const CliResult r = test::run_attune(args, dir);
        INFO(args << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
    }
});

struct ExportFixture {
    test::TempDir dir;
    std::string db = "--db " + test::shell_quote((dir / "p.db").string()) + " ";

    ExportFixture() { prepared.copy_to(dir / "p.db"); }
    CliResult run(const std::string& args) { return test::run_attune(args, dir.path()); }
    CliResult must(const std::string& args) { return test::must_run_attune(args, dir.path()); }
    // The export rows of the audit trail, newest first.
    std::vector<AuditEntry> exports() {
        auto practice = test::open_practice(dir / "p.db", test::kCliPassphrase, test::kCliUser);
        return services::audit_entries(*practice, AuditFilter::of_action("export"));
    }
};

}  // namespace

TEST_CASE("attune export writes a session note to stdout and a PDF only to --out, each audited once", "[app][export]") {
    ExportFixture f;
    const CliResult note = f.must("export " + f.db + "--case C-9 --session 1 --format md");
    CHECK(note.out.find("# Session note: C-9, session 1, 2026-03-02") != std::string::npos);
    CHECK(note.out.find("Partner A (Zoë): 1 rupture (defensive anger 1), repaired after 30 s") != std::string::npos);
    CHECK(f.must("export " + f.db + "--case C-9 --session 1 --format md --out -").out == note.out);

    const auto pdf = f.dir / "summary.pdf";
    f.must("export " + f.db + "--case C-9 --format pdf --paper letter --out " + test::shell_quote(pdf.string()));
    CHECK(test::read_file(pdf).rfind("%PDF-", 0) == 0);
    CHECK_FALSE(std::filesystem::exists(f.dir / "summary.pdf.tmp"));

    const CliResult to_terminal = f.run("export " + f.db + "--case C-9 --format pdf");
    CHECK(to_terminal.exit_code == 64);
    CHECK(to_terminal.err.find("--out") != std::string::npos);
    CHECK(f.run("export " + f.db + "--case C-9 --format pdf --out -").exit_code == 64);
    CHECK(f.run("export " + f.db + "--case C-9 --format csv --include-private").exit_code == 64);

    const auto csv = f.dir / "o.csv";
    f.must("export " + f.db + "--case C-9 --format csv --out " + test::shell_quote(csv.string()));
    CHECK(test::read_file(csv).find("C-9,1,2026-03-02,10,") != std::string::npos);

    // Newest first; the refused exports left no row.
    const auto audited = f.exports();
    REQUIRE(audited.size() == 4);
    CHECK(audited[0].detail == "format=csv include_private=no out=file path=" + csv.string());
    CHECK(audited[1].detail == "format=pdf paper=letter include_private=no out=file path=" + pdf.string());
    CHECK(audited[2].detail == "format=md session=1 style=dap include_private=no out=stdout");
    CHECK(audited[3].detail == "format=md session=1 style=dap include_private=no out=stdout");
    CHECK(audited[0].entity == "case");
    CHECK(audited[2].entity == "session");
}

TEST_CASE("attune export to a file audits it; to a folder that does not exist it fails and audits nothing",
          "[app][export]") {
    ExportFixture f;
    const auto note = f.dir / "note.txt";
    f.must("export " + f.db + "--case C-9 --session 1 --format txt --out " + test::shell_quote(note.string()));
    REQUIRE(std::filesystem::exists(note));
    auto audited = f.exports();
    REQUIRE(audited.size() == 1);
    CHECK(audited[0].detail == "format=txt session=1 style=dap include_private=no out=file path=" + note.string());

    const auto nowhere = f.dir / "no such folder" / "note.txt";
    const CliResult failed =
        f.run("export " + f.db + "--case C-9 --session 1 --format txt --out " + test::shell_quote(nowhere.string()));
    CHECK(failed.exit_code != 0);
    CHECK(failed.err.find(nowhere.string()) != std::string::npos);  // says where
    CHECK(failed.err.find('\n') == failed.err.size() - 1);          // in one line
    CHECK_FALSE(std::filesystem::exists(nowhere.parent_path()));
    audited = f.exports();
    REQUIRE(audited.size() == 1);  // the failed write left no row
    CHECK(audited[0].detail.ends_with("out=file path=" + note.string()));
}
