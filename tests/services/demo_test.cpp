#include "core/text.h"
#include "services/demo.h"
#include "services/open_practice.h"
#include "store/audit_log.h"
#include "store/repositories.h"
#include "store/signing.h"
#include "support/test_support.h"

#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <map>
#include <set>

using namespace attune;
using namespace attune::store;

namespace {

constexpr const char* kToday = "2026-03-11";

OpenOptions options_for(const std::filesystem::path& path) {
    OpenOptions options;
    options.path = path;
    options.passphrase = "demo passphrase";
    options.create_if_missing = true;
    return options;
}

io::DemoOptions small_demo(std::uint64_t seed = 1) {
    io::DemoOptions options;
    options.cases = 6;
    options.sessions_per_case = 5;
    options.events_per_session = 40;
    options.seed = seed;
    options.today = kToday;
    return options;
}

// One demo in its own practice database, kept open for the test.
struct DemoPractice {
    test::TempDir dir;
    io::Practice practice;
    io::DemoReport report;
    explicit DemoPractice(const io::DemoOptions& options)
        : practice(io::open_practice(options_for(dir / "demo.db"), "Dr Demo")),
          report(io::generate_demo(*practice.db, options)) {}
    Database& db() { return *practice.db; }
};

int ruptures_of(const CodingScheme& scheme, const std::vector<Observation>& observations, RowId rater) {
    int count = 0;
    for (const Observation& o : observations) {
        const Code* code = scheme.find(o.code_id);
        if (o.rater_id == rater && o.who != Who::Therapist && code && code->polarity == Polarity::Rupture) ++count;
    }
    return count;
}

int repairs_of(const CodingScheme& scheme, const std::vector<Observation>& observations, RowId rater) {
    int count = 0;
    for (const Observation& o : observations) {
        const Code* code = scheme.find(o.code_id);
        if (o.rater_id == rater && o.who != Who::Therapist && code && code->polarity == Polarity::Repair) ++count;
    }
    return count;
}

std::vector<Session> ended_sessions(Database& db, RowId case_id) {
    std::vector<Session> out;
    for (const Session& s : SessionRepository(db).list_for_case(case_id))
        if (s.state == SessionState::Ended) out.push_back(s);
    return out;
}

// Everything that must be the same for the same seed (not uuids, not timestamps).
std::string content_digest(Database& db) {
    std::string text;
    CaseRepository cases(db);
    SessionRepository sessions(db);
    ObservationRepository observations(db);
    for (const CaseSummary& summary : cases.list()) {
        const Case& c = summary.info;
        text += c.label + "|" + c.clinician_name + "|" + c.start_date + "|" + std::string(to_string(c.status)) + "|" +
                c.goals + "|" + c.partner_a.display_name + "|" + c.partner_a.attachment_style + "|" +
                c.partner_b.display_name + "|" + c.partner_b.attachment_style + "\n";
        for (const Session& s : sessions.list_for_case(c.id)) {
            const ProgressNote note = sessions.progress_note(s.id);
            text += std::to_string(s.number) + " " + s.date + " " + s.start_time + " " +
                    format_number(s.active_seconds, 1) + " " + std::string(to_string(s.state)) + " " +
                    std::to_string(s.eft_stage.value_or(0)) + "/" + std::to_string(s.eft_step.value_or(0)) + " " +
                    std::to_string(s.ratings.safety.value_or(-1)) + "|" + note.data + "|" + note.assessment + "|" +
                    note.plan + "|" + sessions.process_note(s.id) + "\n";
            for (const Homework& h : sessions.homework_agreed_in(s.id))
                text += "hw " + h.description + " " + (h.done ? (*h.done ? "done" : "not done") : "open") + "\n";
            for (const Observation& o : observations.list_for_session(s.id))
                text += format_number(o.t, 1) + " " + (o.stop ? format_number(*o.stop, 1) : "-") + " " +
                        std::string(to_string(o.who)) + " " + o.code_id + " " + std::to_string(o.intensity.value_or(0)) +
                        " " + o.comment + "\n";
        }
    }
    return sha256_hex(text);
}

}  // namespace

TEST_CASE("a demo caseload holds what its report says, coded with the practice's scheme", "[demo]") {
    DemoPractice demo(small_demo());
    Database& db = demo.db();
    const CodingScheme scheme = SchemeRepository(db).get(demo.practice.default_scheme_id);
    REQUIRE(demo.report.cases == 6);
    REQUIRE(demo.report.clinicians == 3);

    std::map<PersonRole, int> roles;
    for (const Person& p : PeopleRepository(db).list()) ++roles[p.role];
    REQUIRE(roles[PersonRole::Clinician] == 3 + 1);  // the demo's clinicians and the user "Dr Demo"
    REQUIRE(roles[PersonRole::Supervisor] == 1);

    const std::vector<CaseSummary> cases = CaseRepository(db).list();
    REQUIRE(static_cast<int>(cases.size()) == demo.report.cases);
    std::set<RowId> case_clinicians;
    int sessions = 0;
    for (const CaseSummary& summary : cases) {
        const Case& c = summary.info;
        case_clinicians.insert(c.clinician_id);
        REQUIRE(c.partner_a.display_name != c.partner_b.display_name);
        REQUIRE_FALSE(c.goals.empty());
        const std::vector<Session> list = SessionRepository(db).list_for_case(c.id);
        REQUIRE(list.size() == 5);
        sessions += static_cast<int>(list.size());
        REQUIRE(list.front().date == c.start_date);
        for (size_t i = 0; i < list.size(); ++i) {
            const Session& s = list[i];
            REQUIRE(s.number == static_cast<int>(i) + 1);
            REQUIRE(s.date <= kToday);
            if (i > 0) REQUIRE(s.date > list[i - 1].date);
            const auto observations = ObservationRepository(db).list_for_session(s.id);
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
    REQUIRE(ObservationRepository(db).count_all() == demo.report.observations);
}

TEST_CASE("the demo leaves exactly one session running, with a shut-down still open", "[demo]") {
    DemoPractice demo(small_demo());
    Database& db = demo.db();
    SessionRepository sessions(db);
    const std::vector<Session> unfinished = sessions.unfinished();
    REQUIRE(unfinished.size() == 1);
    const Session& running = unfinished.front();
    REQUIRE(running.state == SessionState::Running);
    REQUIRE(running.date == kToday);
    REQUIRE(sessions.resumed_at(running.id));
    REQUIRE(running.number == static_cast<int>(sessions.list_for_case(running.case_id).size()));
    REQUIRE(CaseRepository(db).get(running.case_id)->status == CaseStatus::Active);

    const std::vector<Observation> open = ObservationRepository(db).open_states(running.id);
    REQUIRE(open.size() == 1);
    REQUIRE(open.front().code_id == "shut_down");
    REQUIRE_FALSE(open.front().stop);
    const auto observations = ObservationRepository(db).list_for_session(running.id);
    REQUIRE(observations.size() > 1);
    REQUIRE(observations.size() < 40);
    for (const Observation& o : observations) REQUIRE(o.t <= running.active_seconds);
}

TEST_CASE("some demo couples improve across sessions while others stay stuck", "[demo]") {
    DemoPractice demo(small_demo());
    Database& db = demo.db();
    const CodingScheme scheme = SchemeRepository(db).get(demo.practice.default_scheme_id);
    int improving = 0;
    int stuck = 0;
    for (const CaseSummary& summary : CaseRepository(db).list()) {
        const std::vector<Session> list = ended_sessions(db, summary.info.id);
        REQUIRE(list.size() >= 4);
        const Session& first = list.front();
        const Session& last = list.back();
        const RowId rater = summary.info.clinician_id;
        const auto first_obs = ObservationRepository(db).list_for_session(first.id);
        const auto last_obs = ObservationRepository(db).list_for_session(last.id);
        const int ruptures_first = ruptures_of(scheme, first_obs, rater);
        const int ruptures_last = ruptures_of(scheme, last_obs, rater);
        const int repairs_first = repairs_of(scheme, first_obs, rater);
        const int repairs_last = repairs_of(scheme, last_obs, rater);
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
    const std::string digest = content_digest(one.db());
    REQUIRE(digest == content_digest(again.db()));
    REQUIRE(digest != content_digest(other.db()));
    REQUIRE(one.report.observations == again.report.observations);
}

TEST_CASE("accented and non-Latin names survive the round trip through the database", "[demo]") {
    io::DemoOptions options = small_demo();
    options.cases = 30;
    options.sessions_per_case = 1;
    options.events_per_session = 5;
    DemoPractice demo(options);
    const std::set<std::string> expected{"Zoë", "José", "Ayşe", "Дмитрий", "Мария", "Ιωάννα", "Chloé", "Björn",
                                         "Anaïs", "Siobhán", "Tomás", "Søren", "Łukasz", "Thảo", "François",
                                         "Renée", "Jürgen"};
    int non_ascii = 0;
    int known = 0;
    for (const CaseSummary& summary : CaseRepository(demo.db()).list()) {
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
    REQUIRE(PeopleRepository(demo.db()).find("Dr. Helen Sørensen"));
    REQUIRE(PeopleRepository(demo.db()).find("Sofía Herrera, LCSW"));
}

TEST_CASE("demo homework is checked off at the next session and notes follow the sessions", "[demo]") {
    DemoPractice demo(small_demo());
    Database& db = demo.db();
    SessionRepository sessions(db);
    int homework = 0;
    int notes = 0;
    int process_notes = 0;
    int ended = 0;
    for (const CaseSummary& summary : CaseRepository(db).list()) {
        const std::vector<Session> list = sessions.list_for_case(summary.info.id);
        for (const Session& s : list) {
            for (const Homework& h : sessions.homework_agreed_in(s.id)) {
                ++homework;
                REQUIRE(h.done.has_value() == (s.number < static_cast<int>(list.size())));
            }
            if (s.state != SessionState::Ended) {
                REQUIRE(sessions.progress_note(s.id).data.empty());
                continue;
            }
            ++ended;
            const ProgressNote note = sessions.progress_note(s.id);
            if (!note.data.empty()) {
                ++notes;
                REQUIRE_FALSE(note.assessment.empty());
                REQUIRE_FALSE(note.plan.empty());
                REQUIRE(note.data.find("ession " + std::to_string(s.number)) != std::string::npos);
                REQUIRE(note.assessment.find("EFT stage " + std::to_string(*s.eft_stage)) != std::string::npos);
            }
            if (!sessions.process_note(s.id).empty()) ++process_notes;
        }
    }
    REQUIRE(homework >= 6);
    REQUIRE(notes * 10 >= ended * 8);
    REQUIRE(process_notes >= 1);
    REQUIRE(process_notes < ended);
}

TEST_CASE("the supervisor has coded a demo session of their own for agreement", "[demo]") {
    DemoPractice demo(small_demo());
    Database& db = demo.db();
    const Person supervisor = *PeopleRepository(db).find("Dr. Helen Sørensen");
    int coded = 0;
    for (const CaseSummary& summary : CaseRepository(db).list())
        for (const Session& s : SessionRepository(db).list_for_case(summary.info.id)) {
            const auto theirs = ObservationRepository(db).list_for_session(s.id, supervisor.id);
            if (theirs.empty()) continue;
            ++coded;
            const auto clinicians = ObservationRepository(db).list_for_session(s.id, summary.info.clinician_id);
            REQUIRE(theirs.size() * 10 >= clinicians.size() * 8);
            REQUIRE(theirs.size() * 10 <= clinicians.size() * 12);
        }
    REQUIRE(coded == 2);  // cases 2 and 6
}

TEST_CASE("a demo audits per case and session, and its chain verifies", "[demo]") {
    DemoPractice demo(small_demo());
    AuditLog audit(demo.db());
    const AuditVerification verification = audit.verify();
    REQUIRE(verification.ok);
    REQUIRE(verification.rows < demo.report.observations / 10);
    AuditFilter filter;
    filter.entity = "session";
    REQUIRE(static_cast<int>(audit.list(filter).size()) == demo.report.sessions);
    filter.entity = "demo";
    REQUIRE(audit.list(filter).size() == 1);
}

TEST_CASE("a demo into a database that already holds cases is refused before anything is written", "[demo]") {
    DemoPractice demo(small_demo());
    const std::int64_t before = ObservationRepository(demo.db()).count_all();
    try {
        io::generate_demo(demo.db(), small_demo(2));
        FAIL("a second demo was written over the first");
    } catch (const StoreError& e) {
        REQUIRE(e.kind() == StoreError::Kind::Invalid);
        REQUIRE(std::string(e.what()).find("already holds 6 cases") != std::string::npos);
    }
    REQUIRE(ObservationRepository(demo.db()).count_all() == before);
    REQUIRE(CaseRepository(demo.db()).list().size() == 6);
}

TEST_CASE("demo options out of range are refused and progress runs from 0 to 1", "[demo]") {
    test::TempDir dir;
    io::Practice practice = io::open_practice(options_for(dir / "p.db"), "Dr Demo");
    io::DemoOptions options = small_demo();
    options.cases = 0;
    REQUIRE_THROWS_AS(io::generate_demo(*practice.db, options), StoreError);
    options = small_demo();
    options.today = "11.03.2026";
    REQUIRE_THROWS_AS(io::generate_demo(*practice.db, options), StoreError);
    REQUIRE(CaseRepository(*practice.db).list().empty());

    options = small_demo();
    options.cases = 3;
    options.sessions_per_case = 2;
    std::vector<double> fractions;
    options.progress = [&](double fraction) { fractions.push_back(fraction); };
    io::generate_demo(*practice.db, options);
    REQUIRE(fractions.size() == 4);
    REQUIRE(fractions.front() == 0.0);
    REQUIRE(fractions.back() == 1.0);
    REQUIRE(std::is_sorted(fractions.begin(), fractions.end()));
}

TEST_CASE("demo notes are signed, except the latest session's note in every fifth couple", "[demo]") {
    DemoPractice demo(small_demo());
    Database& db = demo.db();
    SessionRepository sessions(db);
    SigningRepository signing(db);
    int unsigned_notes = 0, signed_notes = 0;
    const auto cases = CaseRepository(db).list();
    for (size_t k = 0; k < cases.size(); ++k) {
        const auto list = sessions.list_for_case(cases[k].info.id);
        for (const Session& s : list) {
            const ProgressNote note = sessions.progress_note(s.id);
            if (note.data.empty() && note.assessment.empty() && note.plan.empty()) {
                REQUIRE_FALSE(signing.is_signed(s.id));  // nothing to sign
                continue;
            }
            const bool latest_of_fourth = cases[k].info.label.rfind("Couple 004", 0) == 0 && s.number == static_cast<int>(list.size());
            INFO(cases[k].info.label << " session " << s.number);
            REQUIRE(signing.is_signed(s.id) == !latest_of_fourth);
            (latest_of_fourth ? unsigned_notes : signed_notes) += 1;
        }
    }
    REQUIRE(signed_notes > 10);
    REQUIRE(unsigned_notes <= 1);
}
