// Exports through services::ExportJob, the one code path of the Export
// dialog, the review's "Copy session note" and `attune export`:
//   - the small case of tests/formats/export_test.cpp, built here in a practice
//     as a therapist would (sessions, logging, the live session's notes and
//     homework), gathers into exactly the golden files (only compared here;
//     scripts/update-goldens.sh is the one way to rewrite them);
//   - every delivery that worked (file, standard output, clipboard) adds one
//     "export" audit row saying where it went; one that failed adds none and
//     leaves no file behind;
//   - private process notes leave the practice only when asked for.
#include "services/export.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "practice_reads.h"
#include "services/boris_import.h"
#include "services/cases.h"
#include "services/live_session.h"
#include "services/measures.h"
#include "services/supervision.h"
#include "services/open_practice.h"
#include "services/people.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

// cairo stamps each PDF with the second it was made (/CreationDate): two
// renderings of the same export differ there when a second passed between
// them (seen under ASan). Everything else must be the same bytes.
std::string without_creation_date(const std::string& pdf) {
    return std::regex_replace(pdf, std::regex(R"(/CreationDate \(D:[^)]*\))"), "/CreationDate ()");
}

const std::string kPrivateMarker = "PRIVATE-MARKER countertransference";

// [SECTION] The small case, made through the services

// The case of tests/formats/export_test.cpp (metrics worked out there): three
// sessions of Zoë (A) and Дмитрий (B), a second rater's observation and a
// deleted one in session 3, homework agreed in sessions 2 and 3, session 3's
// notes and ratings; session 1 signed by Dr Test and co-signed by Dr Super,
// session 2 signed.
struct SmallCase {
    test::TempDir dir;
    std::unique_ptr<services::OpenPractice> practice =
        test::new_practice(dir / "small.db", "export test passphrase", "Dr Test");
    Case info;
    std::vector<Session> sessions;
    std::vector<std::string> live_errors;  // what the live session reported (nothing, if all went well)
    std::vector<Signature> signatures;     // S1's, S2's, then S1's co-signature

    void sign_in(const std::string& name, const std::string& passphrase) {
        practice.reset();
        practice = test::open_practice(dir / "small.db", passphrase, name);
    }

    SmallCase() {
        Case draft;
        draft.label = "C-017";
        draft.partner_a = {Who::A, "Zoë", "anxious", ""};
        draft.partner_b = {Who::B, "Дмитрий", "avoidant", ""};
        draft.start_date = "2026-03-02";
        draft.goals = "Fewer escalations at home; Дмитрий to stay present when Zoë is upset.";
        info = services::add_case(*practice, draft);
        test::add_person(*practice, "Coder Kim", GrantRole::Coder, "kim's passphrase");
        test::add_person(*practice, "Dr Super", GrantRole::Supervisor, "super's passphrase");
        struct Obs {
            std::size_t session;
            Who who;
            const char* code;
            double t;
            std::optional<double> stop;
            const char* comment;
            bool by_kim = false;
        };
        const std::vector<Obs> all = {
            {0, Who::A, "defensive_anger", 10, {}, ""},
            {0, Who::B, "shut_down", 20, 80.0, "turned to the window"},
            {0, Who::A, "reflect", 40, {}, ""},
            {0, Who::B, "msg_disconnect", 100, {}, "\"I feel alone here\""},
            {0, Who::A, "validate", 130, {}, ""},
            {0, Who::Therapist, "t_conjecture", 150, {}, ""},
            {1, Who::A, "defensive_anger", 60, {}, ""},
            {1, Who::A, "blame_shift", 100, {}, "He said \"fine\", then left"},
            {1, Who::B, "withdraw_emotion", 120, {}, ""},
            {1, Who::B, "i_statement", 300, {}, ""},
            {2, Who::A, "msg_unworthy", 50, {}, ""},
            {2, Who::B, "reassure", 70, {}, ""},
            {2, Who::B, "low_warmth", 200, {}, ""},
            {2, Who::A, "validate", 230, {}, ""},
            {2, Who::Both, "slow_down", 400, {}, "both breathe"},
            {2, Who::A, "blame_shift", 500, {}, "", true},
        };
        const char* dates[] = {"2026-03-02", "2026-03-09", "2026-03-16"};
        const double lengths[] = {3000, 3000, 2400};
        const int stages[] = {1, 1, 2};
        const int steps[] = {2, 3, 5};
        const auto request_of = [](const Obs& o) {
            services::LogRequest request;
            request.who = o.who;
            request.code = o.code;
            request.at = o.t;
            request.stop = o.stop;
            request.note = o.comment;
            return request;
        };
        RowId to_delete = 0;
        for (std::size_t i = 0; i < 3; ++i) {
            const Session s = services::start_session(*practice, info.id, dates[i]);
            for (const Obs& o : all)
                if (o.session == i && !o.by_kim) services::log_observation(*practice, s, request_of(o));
            if (i == 2) {
                services::LogRequest deleted;
                deleted.code = "angry_dominance";
                deleted.at = 600;
                to_delete = services::log_observation(*practice, s, deleted).id;
            }
            services::SessionEnding ending;
            ending.active_seconds = lengths[i];
            ending.stage = stages[i];
            ending.step = steps[i];
            if (i == 2) {
                ending.attunement_a = 6;
                ending.attunement_b = 5;
                ending.safety = 7;
            }
            sessions.push_back(services::end_session(*practice, s, ending));
        }
        // Kim codes session 3 once it has ended and is assigned to them, signed
        // in with their own passphrase (one person at a time opens the file).
        services::assign_coder(*practice, "C-017", 3, "Coder Kim");
        sign_in("Coder Kim", "kim's passphrase");
        for (const Obs& o : all)
            if (o.by_kim) services::log_observation(*practice, sessions[o.session], request_of(o));
        sign_in("Dr Test", "export test passphrase");
        {
            // Homework, notes and the deletion as the session view makes them.
            services::LiveSession live(*practice, [this](bool is_error, const std::string& text) {
                if (is_error) live_errors.push_back(text);
            });
            REQUIRE(live.sync(sessions[1].id, 0));
            live.add_homework("weekly check-in");
            live.add_homework("date night");
            REQUIRE(live.homework_agreed().size() == 2);
            live.set_homework_done(live.homework_agreed()[0].id, true);
            live.set_homework_done(live.homework_agreed()[1].id, false);
            REQUIRE(live.sync(sessions[2].id, 0));
            live.add_homework("daily appreciation");
            live.progress_note = {"Zoë described a calmer week; Дмитрий stayed in the room during a hard talk.",
                                  "First signs of withdrawer re-engagement.",
                                  "Heighten Дмитрий's reaching; keep the pause word."};
            live.progress_note_edited(0);
            live.process_note = kPrivateMarker;
            live.process_note_edited(0);
            live.delete_observation(to_delete);
            live.flush_notes();
            REQUIRE(live_errors.empty());
        }
        services::set_case_supervisor(*practice, "C-017", "Dr Super");
        signatures.push_back(services::sign_session(*practice, sessions[0].id));
        signatures.push_back(services::sign_session(*practice, sessions[1].id));
        sign_in("Dr Super", "super's passphrase");
        signatures.push_back(services::cosign_session(*practice, sessions[0].id));
        sign_in("Dr Test", "export test passphrase");
        info = *services::get_case(*practice, info.id);
        // Version 2: the measures of tests/formats/export_test.cpp in the same
        // order, and session 3's one change-event candidate confirmed.
        auto measure = [&](Who who, const char* instrument, const char* date, std::vector<std::optional<double>> items,
                           std::optional<double> total, std::size_t session) {
            Measure m;
            m.case_id = info.id;
            m.partner = who;
            m.instrument_id = instrument;
            m.date = date;
            m.items = std::move(items);
            m.entered_total = total;
            m.session_id = sessions[session].id;
            services::add_measure(*practice, m);
        };
        measure(Who::A, "ors", "2026-03-02", {}, 19.5, 0);
        measure(Who::B, "csi4", "2026-03-02", {2, 2, 2, 2}, std::nullopt, 0);
        measure(Who::B, "checkin", "2026-03-09", {3, 2, std::nullopt, 3, 4}, std::nullopt, 1);
        measure(Who::A, "ors", "2026-03-16", {6.1, 5, 6, 7}, std::nullopt, 2);
        measure(Who::B, "csi4", "2026-03-16", {4, 3, 3, 4}, std::nullopt, 2);
        measure(Who::A, "srs", "2026-03-16", {9, 9, 8.5, 9}, std::nullopt, 2);
        const services::SessionReview third = services::load_session_review(*practice, info.id, sessions[2].id);
        REQUIRE(third.change_events.candidates.size() == 1);
        services::decide_change_event(*practice, sessions[2].id, third.change_events.candidates[0].key(),
                                      CandidateDecision::Confirmed);
    }

    std::string fingerprint_of(const std::string& name) {
        for (const services::PersonEntry& entry : services::list_people(*practice))
            if (entry.person.name == name) return entry.fingerprint;
        return "";
    }

    services::ExportJob job(services::ExportOptions options) { return services::ExportJob(*practice, info, options); }
};

services::ExportOptions note_of(int session, std::string format = "txt",
                                services::NoteStyle style = services::NoteStyle::Dap) {
    services::ExportOptions options;
    options.format = std::move(format);
    options.session_number = session;
    options.style = style;
    return options;
}

services::ExportOptions of_case(std::string format) {
    services::ExportOptions options;
    options.format = std::move(format);
    return options;
}

std::string golden(const std::string& name) {
    return test::read_file(test::test_data_dir() / "golden" / name);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Replaces every `from` in `text` by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

std::vector<std::string> names_in(const fs::path& folder) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder))
        names.push_back(entry.path().filename().string());
    return names;
}

// std::cout sent into a string for a scope.
class CapturedStdout {
public:
    CapturedStdout() : old_(std::cout.rdbuf(captured_.rdbuf())) {}
    ~CapturedStdout() { std::cout.rdbuf(old_); }
    CapturedStdout(const CapturedStdout&) = delete;
    CapturedStdout& operator=(const CapturedStdout&) = delete;
    std::string text() const { return captured_.str(); }

private:
    std::ostringstream captured_;
    std::streambuf* old_;
};

// The golden file with the times and key fingerprints of the small case's
// own signatures in place of those tests/formats/export_test.cpp writes.
std::string golden_of(SmallCase& c, const std::string& name) {
    std::string text = golden(name);
    text = replaced(text, "2026-03-02T20:00:00Z", c.signatures[0].signed_at);
    text = replaced(text, "2026-03-09T20:00:00Z", c.signatures[1].signed_at);
    text = replaced(text, "2026-03-03T09:30:00Z", c.signatures[2].signed_at);
    text = replaced(text, "0a1b2c3d 4e5f6a7b 8c9d0e1f 2a3b4c5d 6e7f8a9b", c.fingerprint_of("Dr Test"));
    return replaced(text, "f0e1d2c3 b4a59687 78695a4b 3c2d1e0f a1b2c3d4", c.fingerprint_of("Dr Super"));
}

}  // namespace

// [SECTION] What is gathered

TEST_CASE("an export job gathers the small case into exactly the golden files", "[export][golden]") {
    SmallCase c;
    const std::vector<std::pair<services::ExportOptions, std::string>> expected = {
        {note_of(3, "txt"), "session_note_dap.txt"},
        {note_of(3, "md"), "session_note_dap.md"},
        {note_of(3, "txt", services::NoteStyle::Soap), "session_note_soap.txt"},
        {note_of(1, "txt"), "session_note_s1.txt"},
        {of_case("md"), "case_summary.md"},
        {of_case("txt"), "case_summary.txt"},
        {of_case("csv"), "observations.csv"},
        {of_case("json"), "observations.json"},
        {of_case("metrics-csv"), "metrics.csv"},
        {of_case("measures-csv"), "measures.csv"},
        {of_case("sequences-csv"), "sequences.csv"},
    };
    auto job = c.job(of_case("txt"));
    for (const auto& [options, name] : expected) {
        INFO(name);
        job.set_options(options);  // one job, new options: what the dialog does
        CHECK(job.text() == golden_of(c, name));
        CHECK(c.job(options).text() == golden_of(c, name));
    }
    // The BORIS table says when each session started; a session started now
    // cannot choose its time, so the golden's 18:00 is each session's own.
    std::string boris = golden("events_boris.tsv");
    for (const Session& s : c.sessions)
        boris = replaced(boris, s.date + " 18:00:00", s.date + " " + s.start_time + ":00");
    CHECK(c.job(of_case("boris-tsv")).text() == boris);
}

TEST_CASE("the export options that do not make sense together are refused before anything is gathered", "[export]") {
    SmallCase c;
    services::ExportOptions options = of_case("csv");
    options.include_private = true;
    CHECK_THAT(services::export_options_problem(options), ContainsSubstring("private process notes"));
    CHECK_THROWS_AS(c.job(options), Error);
    options = note_of(3, "pdf");
    CHECK_THAT(services::export_options_problem(options), ContainsSubstring("not made for one session"));
    options = note_of(9);
    try {
        c.job(options);
        FAIL("a session that does not exist was exported");
    } catch (const Error& e) {
        CHECK(e.kind() == Error::Kind::NotFound);
        CHECK_THAT(e.what(), ContainsSubstring("C-017 has no session 9"));
    }
}

// [SECTION] Delivering and auditing

TEST_CASE("each delivery that worked adds one export audit row saying where the export went", "[export][audit]") {
    SmallCase c;
    test::TempDir out;
    auto job = c.job(note_of(3));
    const std::size_t before = test::audit_rows(*c.practice, "export").size();

    const fs::path file = out / "note.txt";
    CHECK(job.deliver(services::ExportDestination::to_file(file)) == "Saved to " + file.string() + ".");
    CHECK(test::read_file(file) == job.text());
    auto rows = test::audit_rows(*c.practice, "export");
    REQUIRE(rows.size() == before + 1);
    CHECK(rows[0].detail == "format=txt session=3 style=dap include_private=no out=file path=" + file.string());
    CHECK(rows[0].entity == "session");
    CHECK(rows[0].entity_id == c.sessions[2].uuid);
    CHECK(rows[0].actor == "Dr Test");

    {
        CapturedStdout captured;
        CHECK(job.deliver(services::ExportDestination::to_standard_output()) == "Written to the standard output.");
        CHECK(captured.text() == job.text());
    }
    rows = test::audit_rows(*c.practice, "export");
    REQUIRE(rows.size() == before + 2);
    CHECK(rows[0].detail == "format=txt session=3 style=dap include_private=no out=stdout");

    std::vector<std::string> clipboard;
    CHECK(job.deliver(services::ExportDestination::to_clipboard(
              [&](const std::string& text) { clipboard.push_back(text); })) == "Copied to the clipboard.");
    CHECK(clipboard == std::vector<std::string>{job.text()});
    rows = test::audit_rows(*c.practice, "export");
    REQUIRE(rows.size() == before + 3);
    CHECK(rows[0].detail == "format=txt session=3 style=dap include_private=no out=clipboard");
}

TEST_CASE("a failed delivery adds no audit row and leaves no file or temporary file", "[export][audit]") {
    SmallCase c;
    test::TempDir out;
    auto job = c.job(of_case("md"));
    const std::size_t before = test::audit_rows(*c.practice, "export").size();

    SECTION("into a folder that does not exist") {
        const fs::path file = out / "no-such-folder" / "summary.md";
        try {
            job.deliver(services::ExportDestination::to_file(file));
            FAIL("the export was delivered");
        } catch (const Error& e) {
            CHECK_THAT(e.what(), ContainsSubstring(file.string()));
        }
    }
    SECTION("onto a folder") {
        fs::create_directories(out / "summary.md");
        try {
            job.deliver(services::ExportDestination::to_file(out / "summary.md"));
            FAIL("the export was delivered");
        } catch (const Error& e) {
            CHECK_THAT(e.what(), ContainsSubstring("it is a folder"));
        }
        CHECK(fs::is_directory(out / "summary.md"));
        CHECK(names_in(out / "summary.md").empty());
        fs::remove(out / "summary.md");
    }
    SECTION("to a clipboard that refuses it") {
        CHECK_THROWS(job.deliver(services::ExportDestination::to_clipboard(
            [](const std::string&) { throw std::runtime_error("no clipboard owner"); })));
    }
    SECTION("a PDF to the clipboard") {
        job.set_options(of_case("pdf"));
        std::vector<std::string> clipboard;
        CHECK_THROWS_AS(job.deliver(services::ExportDestination::to_clipboard(
                            [&](const std::string& text) { clipboard.push_back(text); })),
                        Error);
        CHECK(clipboard.empty());
    }
    CHECK(names_in(out.path()).empty());
    CHECK(test::audit_rows(*c.practice, "export").size() == before);
}

TEST_CASE("a practice that locked exports nothing", "[export]") {
    SmallCase c;
    test::TempDir out;
    auto job = c.job(of_case("md"));
    c.practice->lock();
    try {
        job.deliver(services::ExportDestination::to_file(out / "summary.md"));
        FAIL("a locked practice exported");
    } catch (const Error& e) {
        CHECK(e.kind() == Error::Kind::Locked);
    }
    CHECK(names_in(out.path()).empty());
}

TEST_CASE("a PDF export is written to its file and audited as a PDF", "[export][audit][pdf]") {
    SmallCase c;
    test::TempDir out;
    services::ExportOptions options = of_case("pdf");
    options.paper = services::PaperSize::Letter;
    auto job = c.job(options);
    const fs::path file = out / "summary.pdf";
    job.deliver(services::ExportDestination::to_file(file));
    CHECK_THAT(test::read_file(file), StartsWith("%PDF-"));
    CHECK(without_creation_date(test::read_file(file)) == without_creation_date(job.bytes()));
    const auto rows = test::audit_rows(*c.practice, "export");
    REQUIRE_FALSE(rows.empty());
    CHECK(rows[0].detail == "format=pdf paper=letter include_private=no out=file path=" + file.string());
    CHECK(rows[0].entity == "case");
    CHECK(rows[0].entity_id == c.info.uuid);
}

// [SECTION] Privacy

TEST_CASE("a private process note leaves the practice only in a session note that asks for it", "[export][privacy]") {
    SmallCase c;
    auto job = c.job(note_of(3, "md"));
    CHECK_FALSE(job.has_private_note());
    CHECK_FALSE(contains(job.text(), kPrivateMarker));
    for (const char* format : {"txt", "md", "csv", "json", "boris", "boris-tsv", "metrics-csv", "measures-csv",
                               "sequences-csv", "excerpts"}) {
        INFO(format);
        CHECK_FALSE(contains(c.job(of_case(format)).text(), kPrivateMarker));
    }

    services::ExportOptions with_private = note_of(3, "md", services::NoteStyle::Soap);
    with_private.include_private = true;
    job.set_options(with_private);
    CHECK(job.has_private_note());
    CHECK(contains(job.text(), "## PRIVATE PROCESS NOTE"));
    CHECK(contains(job.text(), kPrivateMarker));
    std::string clipboard;
    job.deliver(services::ExportDestination::to_clipboard([&](const std::string& text) { clipboard = text; }));
    CHECK(contains(clipboard, kPrivateMarker));
    const auto rows = test::audit_rows(*c.practice, "export");
    REQUIRE_FALSE(rows.empty());
    CHECK(rows[0].detail == "format=md session=3 style=soap include_private=yes out=clipboard");

    // Session 1 has no process note: asking for it includes nothing.
    with_private.session_number = 1;
    job.set_options(with_private);
    CHECK_FALSE(job.has_private_note());
    CHECK_FALSE(contains(job.text(), "PRIVATE PROCESS NOTE"));
}

// [SECTION] A round trip

TEST_CASE("the BORIS exports of a case import back as the same coding, every rater's layer", "[export][boris]") {
    SmallCase c;
    test::TempDir out;
    for (const char* format : {"boris-tsv", "boris"}) {
        INFO(format);
        const std::string label = std::string("C-017 from ") + format;
        const fs::path file = out / (std::string("events.") + (format == std::string("boris") ? "boris" : "tsv"));
        auto job = c.job(of_case(format));
        job.deliver(services::ExportDestination::to_file(file));
        services::BorisImportOptions options;
        options.case_label = label;
        options.partner_a_name = "Zoë";
        options.partner_b_name = "Дмитрий";
        const services::ImportReport report = services::import_boris(*c.practice, file, options);
        REQUIRE(report.sessions.size() == 3);
        CHECK(report.observations_created() == 16);  // both raters' layers, the deleted observation left out
        CHECK(report.sessions[2].layers.size() == 2);
        CHECK(report.sessions[2].layers[1].rater == "Coder Kim");
        const Case copy = services::find_case(*c.practice, label);
        const std::string again = services::ExportJob(*c.practice, copy, of_case(format)).text();
        if (format == std::string("boris-tsv")) CHECK(replaced(again, label, "C-017") == job.text());
    }
}

TEST_CASE("a file's name and its content agree: a .boris holds a BORIS project, BORIS's table a .tsv",
          "[export][boris]") {
    SmallCase c;
    test::TempDir out;
    struct Case_ {
        const char* format;
        const char* file;
        const char* problem;
    };
    const std::vector<Case_> refused = {
        {"boris-tsv", "x.boris", "x.boris: a .boris file must hold a BORIS project, which this is not (boris-tsv)"},
        {"csv", "x.boris", "x.boris: a .boris file must hold a BORIS project, which this is not (csv)"},
        {"boris", "x.tsv", "x.tsv: a BORIS project is saved as a .boris file"},
        {"boris", "x.boris.gz", "x.boris.gz: a BORIS project is saved as a .boris file"},
        {"boris-tsv", "x.csv", "x.csv: BORIS's table is tab-separated: save it as a .tsv file"},
    };
    for (const Case_& r : refused) {
        INFO(r.format << " to " << r.file);
        services::ExportOptions options = of_case(r.format);
        CHECK_THAT(services::export_file_problem(options, r.file), ContainsSubstring(r.problem));
        auto job = c.job(options);
        CHECK_THROWS_WITH(job.deliver(services::ExportDestination::to_file(out / r.file)),
                          ContainsSubstring(r.problem));
        CHECK_FALSE(fs::exists(out / r.file));
    }
    CHECK(services::export_file_problem(of_case("boris"), "x.BORIS").empty());
    CHECK(services::export_file_problem(of_case("boris-tsv"), "x.tsv").empty());
    CHECK(services::export_file_problem(of_case("csv"), "x.csv").empty());
}
