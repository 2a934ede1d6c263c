// Exports of a small, fixed case: golden files for the text and table formats,
// privacy of process notes, the audit trail, the PDF (through poppler's
// pdftotext/pdfinfo) and a BORIS round trip.
//
// Goldens live in tests/data/golden/; run with ATTUNE_UPDATE_GOLDEN=1 to
// rewrite them, then read the diff.
#include "formats/boris.h"
#include "formats/export_data.h"
#include "formats/export_pdf.h"
#include "formats/export_tables.h"
#include "formats/export_text.h"
#include "services/open_practice.h"
#include "store/audit_log.h"
#include "store/repositories.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

#include <catch2/catch_test_macros.hpp>

#include <cstdlib>

using namespace attune;
using namespace attune::store;

namespace {

const std::string kPrivateMarker = "PRIVATE-MARKER countertransference";

// Three sessions of Zoë (A) and Дмитрий (B), metrics known by hand:
// S1: A defensive anger at 10 s and B shut down 20-80 s, both repaired by A's
//     reflection at 40 s (30 s and 20 s); A->B sequence; B's signal at 100 s
//     answered by A's validation at 130 s. 2 ruptures / 50 min = 0.4 per 10 min.
// S2: A defensive anger 60 s, A blame shift 100 s, B withdraws 120 s (A->B);
//     B's I-statement at 300 s is too late to repair any: repair rate 0 %.
// S3: A's signal at 50 s answered by B's reassurance at 70 s; B low warmth at
//     200 s repaired by A at 230 s; a deleted observation and a second rater's
//     observation that the clinician's metrics ignore.
struct SmallCase {
    test::TempDir dir;
    io::Practice practice;
    Case info;
    std::vector<Session> sessions;

    SmallCase() : practice(open()) {
        Database& db = *practice.db;
        Case c;
        c.label = "C-017";
        c.partner_a = {Who::A, "Zoë", "anxious"};
        c.partner_b = {Who::B, "Дмитрий", "avoidant"};
        c.start_date = "2026-03-02";
        c.goals = "Fewer escalations at home; Дмитрий to stay present when Zoë is upset.";
        info = CaseRepository(db).create(c);
        info = *CaseRepository(db).get(info.id);
        SessionRepository repo(db);
        ObservationRepository observations(db);
        const RowId kim = PeopleRepository(db).find_or_create("Coder Kim", PersonRole::Coder).id;
        struct Obs {
            int session;
            Who who;
            const char* code;
            double t;
            std::optional<double> stop;
            const char* comment;
            RowId rater = 0;
        };
        const char* dates[] = {"2026-03-02", "2026-03-09", "2026-03-16"};
        const double lengths[] = {3000, 3000, 2400};
        const int stages[] = {1, 1, 2};
        const int steps[] = {2, 3, 5};
        for (int i = 0; i < 3; ++i) {
            Session s = repo.start(info.id, dates[i], "18:00", 1000.0 * (i + 1));
            sessions.push_back(s);
        }
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
            {2, Who::A, "blame_shift", 500, {}, "", kim},
        };
        for (const Obs& o : all) {
            Observation obs;
            obs.session_id = sessions[static_cast<size_t>(o.session)].id;
            obs.who = o.who;
            obs.code_id = o.code;
            obs.t = o.t;
            obs.stop = o.stop;
            obs.kind = o.stop ? EventKind::State : EventKind::Point;
            obs.comment = o.comment;
            obs.rater_id = o.rater;
            observations.add(obs);
        }
        Observation deleted;
        deleted.session_id = sessions[2].id;
        deleted.code_id = "angry_dominance";
        deleted.t = 600;
        observations.soft_delete(observations.add(deleted).id);
        for (int i = 0; i < 3; ++i) {
            repo.end(sessions[static_cast<size_t>(i)].id, lengths[i]);
            repo.set_stage(sessions[static_cast<size_t>(i)].id, stages[i], steps[i]);
        }
        repo.set_ratings(sessions[2].id, Ratings{6, 5, 7});
        repo.save_progress_note(sessions[2].id, {"Zoë described a calmer week; Дмитрий stayed in the room during a hard talk.",
                                                 "First signs of withdrawer re-engagement.",
                                                 "Heighten Дмитрий's reaching; keep the pause word."});
        repo.save_process_note(sessions[2].id, kPrivateMarker);
        const Homework check_in = repo.add_homework(sessions[1].id, "weekly check-in");
        const Homework date_night = repo.add_homework(sessions[1].id, "date night");
        repo.set_homework_done(check_in.id, true);
        repo.set_homework_done(date_night.id, false);
        repo.add_homework(sessions[2].id, "daily appreciation");
        for (Session& s : sessions) s = *repo.get(s.id);
    }

    io::Practice open() {
        return test::new_practice(dir / "small.db", "export test", "Dr Test");
    }
    Database& db() { return *practice.db; }
};

void check_golden(const std::string& name, const std::string& actual) {
    const auto path = test::test_data_dir() / "golden" / name;
    if (std::getenv("ATTUNE_UPDATE_GOLDEN")) {
        std::filesystem::create_directories(path.parent_path());
        test::write_file(path, actual);
    }
    INFO("golden file " << path.string());
    CHECK(actual == test::read_file(path));
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string run_capture(const std::string& command, const std::filesystem::path& out) {
    const int rc = std::system((command + " > '" + out.string() + "' 2>&1").c_str());
    REQUIRE(rc == 0);
    return test::read_file(out);
}

}  // namespace

TEST_CASE("session notes and case summaries match their golden files", "[export]") {
    SmallCase c;
    const io::SessionNoteData note = io::gather_session_note(c.db(), c.info, c.sessions[2], false);
    check_golden("session_note_dap.txt", io::format_session_note(note, io::NoteStyle::Dap, io::TextFormat::Plain));
    check_golden("session_note_dap.md", io::format_session_note(note, io::NoteStyle::Dap, io::TextFormat::Markdown));
    check_golden("session_note_soap.txt", io::format_session_note(note, io::NoteStyle::Soap, io::TextFormat::Plain));
    const io::SessionNoteData first = io::gather_session_note(c.db(), c.info, c.sessions[0], false);
    check_golden("session_note_s1.txt", io::format_session_note(first, io::NoteStyle::Dap, io::TextFormat::Plain));
    const io::CaseSummaryData summary = io::gather_case_summary(c.db(), c.info, "", "");
    check_golden("case_summary.md", io::format_case_summary(summary, io::TextFormat::Markdown));
    check_golden("case_summary.txt", io::format_case_summary(summary, io::TextFormat::Plain));
}

TEST_CASE("a session note describes the pattern in words, never null or nan", "[export]") {
    SmallCase c;
    const std::string text = io::format_session_note(io::gather_session_note(c.db(), c.info, c.sessions[1], false),
                                                     io::NoteStyle::Dap, io::TextFormat::Plain);
    CHECK(contains(text, "Partner A (Zoë): 2 ruptures (defensive anger 1, shifts blame 1), none repaired"));
    CHECK(contains(text, "pursue\xE2\x86\x92withdraw sequences (Zoë pursued, Дмитрий withdrew)"));
    CHECK(contains(text, "repair rate 0 %"));
    for (const char* bad : {"null", "nan", "defensive_anger"}) CHECK_FALSE(contains(text, bad));
}

TEST_CASE("data exports match their golden files", "[export]") {
    SmallCase c;
    const io::ObservationExportData all = io::gather_observations(c.db(), c.info, std::nullopt, "", "", false);
    REQUIRE(all.rows.size() == 16);  // the deleted observation is left out, the second rater's kept
    check_golden("observations.csv", io::observations_csv(all));
    check_golden("observations.json", io::observations_json(all));
    const io::ObservationExportData clinician = io::gather_observations(c.db(), c.info, std::nullopt, "", "", true);
    CHECK(clinician.rows.size() == 15);
    check_golden("events_boris.tsv", io::boris_aggregated_tsv(clinician));
    check_golden("metrics.csv", io::session_metrics_csv(io::gather_case_summary(c.db(), c.info, "", "")));
    const auto ranged = io::gather_observations(c.db(), c.info, std::nullopt, "2026-03-09", "2026-03-09", false);
    CHECK(ranged.rows.size() == 4);
}

TEST_CASE("csv fields are quoted as RFC 4180 says", "[export]") {
    CHECK(io::csv_field("plain") == "plain");
    CHECK(io::csv_field("a,b") == "\"a,b\"");
    CHECK(io::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(io::csv_field("two\nlines") == "\"two\nlines\"");
}

TEST_CASE("private process notes appear only when asked for, clearly marked", "[export][privacy]") {
    SmallCase c;
    const auto without = io::gather_session_note(c.db(), c.info, c.sessions[2], false);
    CHECK_FALSE(without.process_note);
    for (auto format : {io::TextFormat::Plain, io::TextFormat::Markdown})
        CHECK_FALSE(contains(io::format_session_note(without, io::NoteStyle::Dap, format), kPrivateMarker));
    const auto with = io::gather_session_note(c.db(), c.info, c.sessions[2], true);
    const std::string text = io::format_session_note(with, io::NoteStyle::Soap, io::TextFormat::Markdown);
    CHECK(contains(text, "## PRIVATE PROCESS NOTE"));
    CHECK(contains(text, kPrivateMarker));
    const auto summary = io::gather_case_summary(c.db(), c.info, "", "");
    CHECK_FALSE(contains(io::format_case_summary(summary, io::TextFormat::Markdown), kPrivateMarker));
}

TEST_CASE("the case summary PDF has headers, page numbers, UTF-8 names and the right paper", "[export][pdf]") {
    SmallCase c;
    const auto summary = io::gather_case_summary(c.db(), c.info, "", "");
    for (const auto& [paper, size] : {std::pair{io::PaperSize::A4, std::string("595.276 x 841.89 pts")},
                                      std::pair{io::PaperSize::Letter, std::string("612 x 792 pts")}}) {
        const auto pdf = c.dir / "summary.pdf";
        test::write_file(pdf, io::case_summary_pdf(summary, paper));
        const std::string text = run_capture("pdftotext -enc UTF-8 '" + pdf.string() + "' -", c.dir / "text.txt");
        CHECK(contains(text, "C-017"));
        CHECK(contains(text, "Page 1 of"));
        CHECK(contains(text, "Zoë"));
        CHECK(contains(text, "Дмитрий"));
        CHECK(contains(text, "Repair rate per session"));
        CHECK(contains(text, "Positive-to-negative ratio per session"));
        CHECK_FALSE(contains(text, "PRIVATE"));
        const std::string info = run_capture("pdfinfo '" + pdf.string() + "'", c.dir / "info.txt");
        CHECK(contains(info, size));
        CHECK(contains(info, "Pages:"));
        const std::string pages = info.substr(info.find("Pages:") + 6, 20);
        CHECK(contains(text, "of " + std::to_string(std::stoi(pages))));
    }
}

TEST_CASE("exports are recorded in the audit log", "[export][audit]") {
    SmallCase c;
    AuditLog(c.db()).record("export", "session", c.sessions[2].uuid, "format=md session=3 include_private=no");
    bool found = false;
    for (const AuditEntry& e : AuditLog(c.db()).list(AuditFilter::of_action("export", 1000)))
        found = found || (e.entity == "session" && contains(e.detail, "format=md") && e.actor == "Dr Test");
    CHECK(found);
}

TEST_CASE("the BORIS-style export reads back through the BORIS importer unchanged", "[export][boris]") {
    SmallCase c;
    const auto exported = io::gather_observations(c.db(), c.info, std::nullopt, "", "", true);
    const auto tsv = c.dir / "events.tsv";
    test::write_file(tsv, io::boris_aggregated_tsv(exported));
    io::BorisImportOptions options;
    options.case_label = "C-017 re-import";
    options.partner_a_name = "Zoë";
    options.partner_b_name = "Дмитрий";
    const io::ImportReport report = io::import_boris(c.db(), tsv, options);
    REQUIRE(report.sessions.size() == 3);
    const Case copy = *CaseRepository(c.db()).find_by_label("C-017 re-import");
    const auto back = io::gather_observations(c.db(), copy, std::nullopt, "", "", false);
    REQUIRE(back.rows.size() == exported.rows.size());
    for (size_t i = 0; i < back.rows.size(); ++i) {
        INFO("row " << i);
        CHECK(back.rows[i].session_date == exported.rows[i].session_date);
        CHECK(back.rows[i].who == exported.rows[i].who);
        CHECK(back.rows[i].code_id == exported.rows[i].code_id);
        CHECK(back.rows[i].t == exported.rows[i].t);
        CHECK(back.rows[i].stop == exported.rows[i].stop);
        CHECK(back.rows[i].comment == exported.rows[i].comment);
    }
}
