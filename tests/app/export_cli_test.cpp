// The real `attune export` binary: one format to standard output, a PDF to
// --out, and the refusal to write a PDF without --out.
#include "services/open_practice.h"
#include "store/audit_log.h"
#include "support/test_support.h"

#include <catch2/catch_test_macros.hpp>

#include <cstdlib>
#include <set>
#include <string>
#include <sys/wait.h>

using namespace attune;

namespace {

int run(const std::string& arguments, const std::filesystem::path& out) {
    const std::string command = "'" + test::attune_binary().string() + "' " + arguments + " > '" + out.string() + "' 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("attune export writes a session note to stdout and a PDF only to --out", "[app][export]") {
    test::TempDir dir;
    setenv("ATTUNE_PASSPHRASE", "cli export test", 1);
    const std::string db = "--db '" + (dir / "p.db").string() + "' ";
    const auto log = dir / "log.txt";
    REQUIRE(run("init " + db, log) == 0);
    REQUIRE(run("case add " + db + "--label C-9 --partners 'Zoë,Дмитрий'", log) == 0);
    REQUIRE(run("session start " + db + "--case C-9 --date 2026-03-02", log) == 0);
    REQUIRE(run("log " + db + "--case C-9 --who A --code defensive_anger --at 10", log) == 0);
    REQUIRE(run("log " + db + "--case C-9 --who B --code validate --at 40", log) == 0);
    REQUIRE(run("session end " + db + "--case C-9 --duration 600 --stage 1 --step 1", log) == 0);

    const auto note = dir / "note.md";
    REQUIRE(run("export " + db + "--case C-9 --session 1 --format md", note) == 0);
    const std::string text = test::read_file(note);
    CHECK(text.find("# Session note: C-9, session 1, 2026-03-02") != std::string::npos);
    CHECK(text.find("Partner A (Zoë): 1 rupture (defensive anger 1), repaired after 30 s") != std::string::npos);

    const auto pdf = dir / "summary.pdf";
    REQUIRE(run("export " + db + "--case C-9 --format pdf --paper letter --out '" + pdf.string() + "'", log) == 0);
    CHECK(test::read_file(pdf).rfind("%PDF-", 0) == 0);
    CHECK_FALSE(std::filesystem::exists(dir / "summary.pdf.tmp"));

    CHECK(run("export " + db + "--case C-9 --format pdf", log) == 64);
    CHECK(test::read_file(log).find("--out") != std::string::npos);
    CHECK(run("export " + db + "--case C-9 --format csv --include-private", log) == 64);

    CHECK(run("export " + db + "--case C-9 --format csv --out '" + (dir / "o.csv").string() + "'", log) == 0);
    CHECK(test::read_file(dir / "o.csv").find("C-9,1,2026-03-02,10,") != std::string::npos);

    // Each export that ran is in the audit log, with what and in which format.
    store::OpenOptions options;
    options.path = dir / "p.db";
    options.passphrase = "cli export test";
    io::Practice practice = io::open_practice(options, "auditor");
    std::set<std::string> details;
    for (const store::AuditEntry& e : store::AuditLog(*practice.db).list(store::AuditFilter::of_action("export", 100))) details.insert(e.detail);
    CHECK(details.count("format=md session=1 style=dap include_private=no out=stdout") == 1);
    CHECK(details.count("format=pdf paper=letter include_private=no out=file") == 1);
    CHECK(details.count("format=csv include_private=no out=file") == 1);
    CHECK(details.size() == 3);  // the refused exports left no row
}
