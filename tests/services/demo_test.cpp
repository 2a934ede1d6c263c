// The demo caseload (services::generate_demo): what it holds, read back
// through the services as the window and the command line read it.
#include "services/demo.h"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include "core/error.h"
#include "core/sha256.h"
#include "core/text.h"
#include "practice_reads.h"
#include "services/audit.h"
#include "services/cases.h"
#include "services/export.h"
#include "services/live_session.h"
#include "services/open_practice.h"
#include "services/paths.h"
#include "services/people.h"
#include "services/supervision.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

constexpr const char* kToday = "2026-03-11";

services::DemoOptions small_demo(std::uint64_t seed = 1) {
    services::DemoOptions options;
    options.cases = 6;
    options.sessions_per_case = 5;
    options.events_per_session = 40;
    options.seed = seed;
    options.today = kToday;
    return options;
}

// One demo in its own practice, kept open for the test.
struct DemoPractice {
    test::TempDir dir;
    std::unique_ptr<services::OpenPractice> practice =
        test::new_practice(dir / "demo.db", "demo passphrase", "Dr Demo");
    services::DemoReport report;
    explicit DemoPractice(const services::DemoOptions& options) : report(services::generate_demo(*practice, options)) {}
    services::OpenPractice& p() { return *practice; }
};

int count_of(const CodingScheme& scheme, const std::vector<Observation>& observations, RowId rater, Polarity polarity) {
    int count = 0;
    for (const Observation& o : observations) {
        const Code* code = scheme.find(o.code_id);
        if (o.rater_id == rater && o.who != Who::Therapist && code && code->polarity == polarity) ++count;
    }
    return count;
}

std::vector<Session> ended_sessions(services::OpenPractice& practice, RowId case_id) {
    std::vector<Session> out;
    for (const Session& s : services::list_sessions(practice, case_id))
        if (s.state == SessionState::Ended) out.push_back(s);
    return out;
}

// What the session view loads of an ended session: notes and homework.
struct Loaded {
    ProgressNote note;
    std::string process_note;
    std::vector<Homework> homework_agreed;
};
Loaded load_ended(services::OpenPractice& practice, const Session& s) {
    REQUIRE(s.state == SessionState::Ended);  // loading a running one would pause it
    std::vector<std::string> errors;
    services::LiveSession live(practice, [&](bool is_error, const std::string& text) {
        if (is_error) errors.push_back(text);
    });
    REQUIRE(live.sync(s.id, 0));
    REQUIRE(errors.empty());
    return {live.progress_note, live.process_note, live.homework_agreed()};
}

// Everything that must be the same for the same seed (not uuids, not
// timestamps, not keys): the cases, the sessions, every observation, and each session's
// note as the export writes it (with its private part in the user's own cases).
std::string content_digest(services::OpenPractice& practice) {
    std::string text;
    for (const CaseSummary& summary : services::list_cases(practice)) {
        const Case& c = summary.info;
        text += c.label + "|" + c.clinician_name + "|" + c.start_date + "|" + std::string(to_string(c.status)) + "|" +
                c.goals + "|" + c.partner_a.display_name + "|" + c.partner_a.attachment_style + "|" +
                c.partner_b.display_name + "|" + c.partner_b.attachment_style + "\n";
        for (const Session& s : services::list_sessions(practice, c.id)) {
            text += std::to_string(s.number) + " " + s.date + " " + s.start_time + " " +
                    format_number(s.active_seconds, 1) + " " + std::string(to_string(s.state)) + " " +
                    std::to_string(s.eft_stage.value_or(0)) + "/" + std::to_string(s.eft_step.value_or(0)) + " " +
                    std::to_string(s.ratings.safety.value_or(-1)) + "\n";
            services::ExportOptions note;
            note.format = "txt";
            note.session_number = s.number;
            // Private process notes leave only with the case's own clinician ("Dr Demo"'s cases).
            note.include_private = c.clinician_id == practice.person().id;
            // The demo's invented people get new keys each time: their fingerprints are not content.
            text += std::regex_replace(services::ExportJob(practice, c, note).text(),
                                       std::regex("\\(key [0-9a-f ]+\\)"), "(key)");
            for (const Observation& o : test::observations_of(practice, s))
                text += format_number(o.t, 1) + " " + (o.stop ? format_number(*o.stop, 1) : "-") + " " +
                        std::string(to_string(o.who)) + " " + o.code_id + " " +
                        std::to_string(o.intensity.value_or(0)) + " " + o.comment + "\n";
        }
    }
    return sha256_hex(text);
}

}  // namespace

TEST_CASE("a demo caseload holds what its report says, coded with the practice's scheme", "[demo]") {
    DemoPractice demo(small_demo());
    const CodingScheme scheme = demo.p().default_scheme();
    REQUIRE(demo.report.cases == 6);
    REQUIRE(demo.report.clinicians == 3);

    // The user "Dr Demo" (administrator and clinician) treats the last third
    // of the couples; two invented clinicians and a supervisor the rest.
    std::map<GrantRole, int> roles;
    for (const services::PersonEntry& entry : services::list_people(demo.p()))
        for (GrantRole role : entry.roles)
            ++roles[role];
    REQUIRE(roles[GrantRole::Clinician] == 2 + 1);
    REQUIRE(roles[GrantRole::Supervisor] == 1);
    REQUIRE(roles[GrantRole::Coder] == 0);
    REQUIRE(roles[GrantRole::Administrator] == 2);  // "Dr Demo" and the recovery key

    const std::vector<CaseSummary> cases = services::list_cases(demo.p());
    REQUIRE(static_cast<int>(cases.size()) == demo.report.cases);
    std::set<RowId> case_clinicians;
    int sessions = 0;
    for (const CaseSummary& summary : cases) {
        const Case& c = summary.info;
        case_clinicians.insert(c.clinician_id);
        REQUIRE(c.partner_a.display_name != c.partner_b.display_name);
        REQUIRE_FALSE(c.goals.empty());
        const std::vector<Session> list = services::list_sessions(demo.p(), c.id);
        REQUIRE(list.size() == 5);
        sessions += static_cast<int>(list.size());
        REQUIRE(list.front().date == c.start_date);
        for (size_t i = 0; i < list.size(); ++i) {
            const Session& s = list[i];
            REQUIRE(s.number == static_cast<int>(i) + 1);
            REQUIRE(s.date <= kToday);
            if (i > 0) REQUIRE(s.date > list[i - 1].date);
            const auto observations = test::observations_of(demo.p(), s);
            int own = 0;
            for (const Observation& o : observations) {
                const Code* code = scheme.find(o.code_id);
                REQUIRE(code);
                REQUIRE(code->id == o.code_id);
                REQUIRE(code->kind == o.kind);
                // Therapist codes are the therapist's and nothing else is.
                REQUIRE((o.who == Who::Therapist) == (code->polarity == Polarity::Intervention));
                REQUIRE(o.t >= 0);
                if (s.state == SessionState::Ended) {
                    REQUIRE(o.t <= s.active_seconds);
                    if (o.kind == EventKind::State) {
                        REQUIRE(o.stop);
                        REQUIRE(*o.stop >= o.t);
                        REQUIRE(*o.stop <= s.active_seconds);
                    }
                }
                if (o.kind == EventKind::Point) REQUIRE_FALSE(o.stop);
                if (o.intensity) REQUIRE((*o.intensity >= 1 && *o.intensity <= 3));
                if (o.rater_id == c.clinician_id) ++own;
            }
            if (s.state == SessionState::Ended) {
                REQUIRE(own == 40);  // exactly events_per_session by the case's clinician
                REQUIRE(s.active_seconds >= 45 * 60);
                REQUIRE(s.active_seconds <= 55 * 60);
                REQUIRE(s.ratings.safety);
            }
        }
    }
    REQUIRE(case_clinicians.size() == 3);
    REQUIRE(sessions == demo.report.sessions);
    int observations = 0;
    for (const CaseSummary& summary : cases)
        for (const Session& s : services::list_sessions(demo.p(), summary.info.id))
            observations += static_cast<int>(test::observations_of(demo.p(), s).size());
    REQUIRE(observations == demo.report.observations);
}

TEST_CASE("the demo leaves exactly one session running, with a shut-down still open", "[demo]") {
    DemoPractice demo(small_demo());
    // Every session of the practice: "Dr Demo" is an administrator, who sees every case.
    std::vector<Session> unfinished;
    for (const CaseSummary& summary : services::list_cases(demo.p()))
        for (const Session& s : services::list_sessions(demo.p(), summary.info.id))
            if (s.state != SessionState::Ended) unfinished.push_back(s);
    REQUIRE(unfinished.size() == 1);
    const Session& running = unfinished.front();
    REQUIRE(running.state == SessionState::Running);
    REQUIRE(running.date == kToday);
    CHECK(services::session_clock_now(demo.p(), running) > running.active_seconds);  // its clock runs
    REQUIRE(running.number == static_cast<int>(services::list_sessions(demo.p(), running.case_id).size()));
    REQUIRE(services::get_case(demo.p(), running.case_id)->status == CaseStatus::Active);

    const auto observations = test::observations_of(demo.p(), running);
    std::vector<Observation> open;
    for (const Observation& o : observations)
        if (o.kind == EventKind::State && !o.stop) open.push_back(o);
    REQUIRE(open.size() == 1);
    REQUIRE(open.front().code_id == "shut_down");
    REQUIRE(observations.size() > 1);
    REQUIRE(observations.size() < 40);
    for (const Observation& o : observations)
        REQUIRE(o.t <= running.active_seconds);
}

TEST_CASE("some demo couples improve across sessions while others stay stuck", "[demo]") {
    DemoPractice demo(small_demo());
    const CodingScheme scheme = demo.p().default_scheme();
    int improving = 0;
    int stuck = 0;
    for (const CaseSummary& summary : services::list_cases(demo.p())) {
        const std::vector<Session> list = ended_sessions(demo.p(), summary.info.id);
        REQUIRE(list.size() >= 4);
        const Session& first = list.front();
        const Session& last = list.back();
        const RowId rater = summary.info.clinician_id;
        const auto first_obs = test::observations_of(demo.p(), first);
        const auto last_obs = test::observations_of(demo.p(), last);
        const int ruptures_first = count_of(scheme, first_obs, rater, Polarity::Rupture);
        const int ruptures_last = count_of(scheme, last_obs, rater, Polarity::Rupture);
        const int repairs_first = count_of(scheme, first_obs, rater, Polarity::Repair);
        const int repairs_last = count_of(scheme, last_obs, rater, Polarity::Repair);
        REQUIRE(ruptures_first > 0);
        if (ruptures_last * 10 <= ruptures_first * 6 && repairs_last > repairs_first) {
            ++improving;
            REQUIRE(*last.eft_stage >= 2);
            REQUIRE(*last.eft_step > *first.eft_step);
            REQUIRE(*last.ratings.safety > *first.ratings.safety);
        } else if (ruptures_last * 10 >= ruptures_first * 9) {
            ++stuck;
            REQUIRE(*last.eft_stage == 1);
            REQUIRE(*last.eft_step <= 3);
        }
    }
    REQUIRE(improving >= 1);
    REQUIRE(stuck >= 1);
    REQUIRE(improving + stuck == 6);  // every case clearly one or the other
    REQUIRE(stuck <= 3);
}

TEST_CASE("the same seed gives the same caseload and another seed a different one", "[demo]") {
    DemoPractice one(small_demo(7));
    DemoPractice again(small_demo(7));
    DemoPractice other(small_demo(8));
    const std::string digest = content_digest(one.p());
    REQUIRE(digest == content_digest(again.p()));
    REQUIRE(digest != content_digest(other.p()));
    REQUIRE(one.report.observations == again.report.observations);
}

TEST_CASE("accented and non-Latin names survive the round trip through the database", "[demo]") {
    services::DemoOptions options = small_demo();
    options.cases = 30;
    options.sessions_per_case = 1;
    options.events_per_session = 5;
    DemoPractice demo(options);
    const std::set<std::string> expected{"Zoë",    "José",  "Ayşe",     "Дмитрий", "Мария", "Ιωάννα",
                                         "Chloé",  "Björn", "Anaïs",    "Siobhán", "Tomás", "Søren",
                                         "Łukasz", "Thảo",  "François", "Renée",   "Jürgen"};
    int non_ascii = 0;
    int known = 0;
    for (const CaseSummary& summary : services::list_cases(demo.p())) {
        for (const Participant* p : {&summary.info.partner_a, &summary.info.partner_b}) {
            REQUIRE(is_valid_utf8(p->display_name));
            const bool ascii = std::all_of(p->display_name.begin(), p->display_name.end(),
                                           [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
            if (!ascii) ++non_ascii;
            if (expected.count(p->display_name)) ++known;
        }
    }
    REQUIRE(non_ascii >= 3);
    REQUIRE(known == non_ascii);  // byte for byte one of the names that went in
    REQUIRE(test::person_named(demo.p(), "Dr. Helen Sørensen"));
    REQUIRE(test::person_named(demo.p(), "Mei Tanaka, PsyD"));
    // The fourth share of the couples is the user's own ("Dr Demo"): no invented fourth clinician.
    REQUIRE_FALSE(test::person_named(demo.p(), "Sofía Herrera, LCSW"));
}

TEST_CASE("demo homework is checked off at the next session and notes follow the sessions", "[demo]") {
    DemoPractice demo(small_demo());
    int homework = 0;
    int notes = 0;
    int process_notes = 0;
    int ended = 0;
    for (const CaseSummary& summary : services::list_cases(demo.p())) {
        const std::vector<Session> list = services::list_sessions(demo.p(), summary.info.id);
        for (const Session& s : list) {
            if (s.state != SessionState::Ended) {
                REQUIRE(services::load_session_review(demo.p(), s.case_id, s.id).note.data.empty());
                continue;
            }
            ++ended;
            const Loaded loaded = load_ended(demo.p(), s);
            for (const Homework& h : loaded.homework_agreed) {
                ++homework;
                REQUIRE(h.done.has_value() == (s.number < static_cast<int>(list.size())));
            }
            const ProgressNote& note = loaded.note;
            if (!note.data.empty()) {
                ++notes;
                REQUIRE_FALSE(note.assessment.empty());
                REQUIRE_FALSE(note.plan.empty());
                REQUIRE(note.data.find("ession " + std::to_string(s.number)) != std::string::npos);
                REQUIRE(note.assessment.find("EFT stage " + std::to_string(*s.eft_stage)) != std::string::npos);
            }
            if (!loaded.process_note.empty()) ++process_notes;
        }
    }
    REQUIRE(homework >= 6);
    REQUIRE(notes * 10 >= ended * 8);
    REQUIRE(process_notes >= 1);
    REQUIRE(process_notes < ended);
}

TEST_CASE("the supervisor has coded a demo session of their own for agreement", "[demo]") {
    DemoPractice demo(small_demo());
    const auto supervisor = test::person_named(demo.p(), "Dr. Helen Sørensen");
    REQUIRE(supervisor);
    int coded = 0;
    for (const CaseSummary& summary : services::list_cases(demo.p()))
        for (const Session& s : services::list_sessions(demo.p(), summary.info.id)) {
            const auto theirs = test::observations_of(demo.p(), s, supervisor->id);
            if (theirs.empty()) continue;
            ++coded;
            const auto clinicians = test::observations_of(demo.p(), s, summary.info.clinician_id);
            REQUIRE(theirs.size() * 10 >= clinicians.size() * 8);
            REQUIRE(theirs.size() * 10 <= clinicians.size() * 12);
        }
    REQUIRE(coded == 2);  // cases 2 and 6
}

TEST_CASE("a demo audits per case and session, and its chain verifies", "[demo]") {
    DemoPractice demo(small_demo());
    const AuditVerification verification = services::verify_audit_chain(demo.p());
    REQUIRE(verification.ok);
    REQUIRE(verification.rows < demo.report.observations / 10);
    AuditFilter filter;
    filter.limit = 1000000;
    filter.entity = "session";
    REQUIRE(static_cast<int>(services::audit_entries(demo.p(), filter).size()) == demo.report.sessions);
    filter.entity = "demo";
    REQUIRE(services::audit_entries(demo.p(), filter).size() == 1);
}

TEST_CASE("a demo into a practice that already holds cases is refused before anything is written", "[demo]") {
    DemoPractice demo(small_demo());
    const test::PracticeCounts before = test::counts_of(demo.p());
    try {
        services::generate_demo(demo.p(), small_demo(2));
        FAIL("a second demo was written over the first");
    } catch (const Error& e) {
        REQUIRE(e.kind() == Error::Kind::Invalid);
        REQUIRE(std::string(e.what()).find("already holds 6 cases") != std::string::npos);
    }
    const test::PracticeCounts after = test::counts_of(demo.p());
    REQUIRE(after.cases == before.cases);
    REQUIRE(after.sessions == before.sessions);
    REQUIRE(after.observations == before.observations);
    REQUIRE(after.people == before.people);
}

TEST_CASE("demo options out of range are refused and progress runs from 0 to 1", "[demo]") {
    test::TempDir dir;
    auto practice = test::new_practice(dir / "p.db", "demo passphrase", "Dr Demo");
    services::DemoOptions options = small_demo();
    options.cases = 0;
    REQUIRE_THROWS_AS(services::generate_demo(*practice, options), Error);
    options = small_demo();
    options.today = "11.03.2026";
    REQUIRE_THROWS_AS(services::generate_demo(*practice, options), Error);
    REQUIRE(services::list_cases(*practice).empty());

    options = small_demo();
    options.cases = 3;
    options.sessions_per_case = 2;
    std::vector<double> fractions;
    options.progress = [&](double fraction) { fractions.push_back(fraction); };
    services::generate_demo(*practice, options);
    REQUIRE(fractions.size() == 4);
    REQUIRE(fractions.front() == 0.0);
    REQUIRE(fractions.back() == 1.0);
    REQUIRE(std::is_sorted(fractions.begin(), fractions.end()));
    REQUIRE(services::list_cases(*practice).size() == 3);
}

TEST_CASE("demo notes are signed, except the latest session's note in one couple of five", "[demo]") {
    DemoPractice demo(small_demo());
    int unsigned_notes = 0, signed_notes = 0;
    const auto cases = services::list_cases(demo.p());
    for (std::size_t k = 0; k < cases.size(); ++k) {
        const auto list = services::list_sessions(demo.p(), cases[k].info.id);
        for (const Session& s : list) {
            const ProgressNote note = services::load_session_review(demo.p(), s.case_id, s.id).note;
            const bool is_signed = services::is_signed(demo.p(), s.id);
            if (note.data.empty() && note.assessment.empty() && note.plan.empty()) {
                REQUIRE_FALSE(is_signed);  // nothing to sign
                continue;
            }
            // "Couple 004 (...)": the 4th, 9th, 14th ... couple keeps its latest note unsigned.
            REQUIRE(cases[k].info.label.rfind("Couple ", 0) == 0);
            const int couple = std::stoi(cases[k].info.label.substr(7, 3));
            const bool left_unsigned = couple % 5 == 4 && s.number == static_cast<int>(list.size());
            INFO(cases[k].info.label << " session " << s.number);
            REQUIRE(is_signed == !left_unsigned);
            if (is_signed) {  // for real: with the clinician's certified key, over the whole session
                const std::vector<services::SignatureCheck> checks = services::verify_signatures(demo.p(), s.id);
                REQUIRE(checks.size() == 1);
                REQUIRE(checks[0].verified());
                REQUIRE(checks[0].signature.signer_id == cases[k].info.clinician_id);
            }
            (left_unsigned ? unsigned_notes : signed_notes) += 1;
        }
    }
    REQUIRE(signed_notes > 10);
    REQUIRE(unsigned_notes == 1);  // of six couples, only Couple 004
}

// [SECTION] The demo is never taken for the practice (issue 17, item 10)

TEST_CASE("a demo marks its practice as a demo; a practice without one is not", "[demo]") {
    DemoPractice demo(small_demo());
    CHECK(services::is_demo_practice(demo.p()));
    test::TempDir dir;
    auto plain = test::new_practice(dir / "practice.db", "plain passphrase", "Dr Plain");
    CHECK_FALSE(services::is_demo_practice(*plain));
    // The mark is in the file: opened again, it is still a demo.
    const auto path = demo.p().path();
    demo.practice.reset();
    auto again = test::open_practice(path, "demo passphrase", "Dr Demo");
    CHECK(services::is_demo_practice(*again));
}

TEST_CASE("the demo is never written into the practice's default file", "[demo]") {
    test::TempDir dir;
    test::ScopedEnv data("XDG_DATA_HOME", (dir / "data").string());
    const auto path = services::default_database_path();
    REQUIRE(path == dir / "data" / "attune" / "practice.attune-db");
    auto practice = test::new_practice(path, "the real practice", "Dr Real");
    try {
        services::generate_demo(*practice, small_demo());
        FAIL("a demo was written into the default practice");
    } catch (const Error& e) {
        CHECK(e.kind() == Error::Kind::Invalid);
        CHECK(std::string(e.what()).find("never written into the practice's own file") != std::string::npos);
    }
    CHECK(services::list_cases(*practice).empty());
    CHECK_FALSE(services::is_demo_practice(*practice));
    // The demo's own file has another name in the same folder.
    CHECK(services::demo_practice_path().parent_path() == path.parent_path());
    CHECK(services::demo_practice_path().filename() != path.filename());
}
