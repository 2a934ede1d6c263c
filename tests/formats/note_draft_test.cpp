// Attune's draft of an empty Assessment (formats/note_draft.h) and the session
// note's sections, on a hand-built session whose pattern is worked out here:
//
// Ana (A) and Ben (B), session 3, 50 active minutes, default windows:
//   01:00 A protest        -> B's withdrawal at 01:20: one A->B pursue->withdraw sequence
//   01:20 B withdraw_emotion
//   01:40 B validate       -> repairs both ruptures (after 40 s and 20 s: median 30 s)
//   05:00 A msg_disconnect -> no repair by B within 2 minutes: missed
//   06:40 B need_closeness -> answered by A's reassurance at 07:00
//   07:00 A reassure
//   11:40 A defensive_anger -> nothing follows: unrepaired
// 3 ruptures (Ana 2, Ben 1), 2 repaired: repair rate 67 %, 0.6 ruptures per 10 min.
// Two earlier counted sessions: repair rates 20 % and 40 %, ruptures 3 and 5
// per 10 min, 2 and 4 pursue->withdraw sequences.
#include "formats/note_draft.h"

#include <catch2/catch_test_macros.hpp>

#include "core/scheme_json.h"
#include "formats/export_text.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::formats;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

SessionWithMetrics earlier(int number, double repair_rate, double rupture_rate, int sequences) {
    SessionWithMetrics s;
    s.session.number = number;
    s.session.state = SessionState::Ended;
    s.metrics.repair_rate = repair_rate;
    s.metrics.rupture_rate_per_10min = rupture_rate;
    s.metrics.pursue_withdraw_a_to_b = sequences;
    return s;
}

SessionNoteData hand_session() {
    SessionNoteData data;
    data.scheme = parse_scheme_json(test::read_file(test::assets_dir() / "coding_scheme.json"));
    data.info.label = "Couple D";
    data.info.partner_a.display_name = "Ana";
    data.info.partner_b.display_name = "Ben";
    data.session.number = 3;
    data.session.date = "2026-03-16";
    data.session.state = SessionState::Ended;
    data.session.active_seconds = 3000;
    const struct {
        Who who;
        const char* code;
        double t;
    } coded[] = {{Who::A, "protest", 60},         {Who::B, "withdraw_emotion", 80}, {Who::B, "validate", 100},
                 {Who::A, "msg_disconnect", 300}, {Who::B, "need_closeness", 400},  {Who::A, "reassure", 420},
                 {Who::A, "defensive_anger", 700}};
    RowId id = 1;
    for (const auto& c : coded) {
        Observation o;
        o.id = id++;
        o.who = c.who;
        o.code_id = c.code;
        o.t = c.t;
        data.observations.push_back(o);
    }
    data.metrics = compute_session_metrics(data.observations, data.scheme, 3000, MetricSettings{});
    data.earlier = {earlier(1, 0.2, 3.0, 2), earlier(2, 0.4, 5.0, 4)};
    return data;
}

}  // namespace

TEST_CASE("the draft names the cycle and who pursued or withdrew, in the codes used", "[draft]") {
    const std::string draft = draft_assessment(hand_session());
    CHECK(contains(draft,
                   "The negative cycle was active: Ana pursued and Ben withdrew (1 pursue\xE2\x86\x92withdraw "
                   "sequence). Ana's pursuing moves: defensive anger, protests / criticizes; Ben's "
                   "withdrawing moves: withdraws from emotion."));
}

TEST_CASE("the draft says how ruptures were repaired, by whom, and which were left", "[draft]") {
    const std::string draft = draft_assessment(hand_session());
    CHECK(contains(draft,
                   "3 ruptures were coded (Ana 2, Ben 1); 2 were repaired within 2 minutes (median 30 s to "
                   "repair). Repair moves: Ana 1 (responds to the attachment need); Ben 1 (validates feeling "
                   "or effort). Left unrepaired: Ana's defensive anger at 11:40."));
}

TEST_CASE("the draft says which attachment signals were answered and which were missed", "[draft]") {
    const std::string draft = draft_assessment(hand_session());
    CHECK(contains(draft,
                   "Ana sent 1 attachment signal, not answered by Ben; Ben sent 1 attachment signal, "
                   "answered by Ana. Missed: Ana's fear of disconnection or losing love at 05:00."));
}

TEST_CASE("the draft compares the session with the last counted sessions", "[draft]") {
    const std::string draft = draft_assessment(hand_session());
    CHECK(contains(draft,
                   "Compared with the previous 2 counted sessions, the repair rate rose (67 % against 30 % on "
                   "average); ruptures were less frequent (0.6 against 4 per 10 minutes); "
                   "pursue\xE2\x86\x92withdraw sequences numbered 1 against 3."));
    SessionNoteData first = hand_session();
    first.earlier.clear();
    CHECK(contains(draft_assessment(first), "This is the first counted session of the case"));
    SessionNoteData running = hand_session();
    running.counting = {false, "still running"};
    CHECK(contains(draft_assessment(running),
                   "This session does not count toward trends (still running), so it is not compared"));
}

TEST_CASE("a session without ruptures or signals still gets a draft, in plain words", "[draft]") {
    SessionNoteData quiet = hand_session();
    quiet.observations.clear();
    quiet.metrics = compute_session_metrics({}, quiet.scheme, 3000, MetricSettings{});
    const std::string draft = draft_assessment(quiet);
    CHECK(contains(draft, "No ruptures were coded: the negative cycle did not show in this session."));
    CHECK(contains(draft, "No attachment signals were coded."));
    for (const char* bad : {"null", "nan", "msg_", "_"})
        CHECK_FALSE(contains(draft, bad));
}

TEST_CASE("every DAP and SOAP section is present; an empty Assessment carries the draft, marked", "[draft][export]") {
    const SessionNoteData data = hand_session();  // no note written at all
    const std::string dap = format_session_note(data, NoteStyle::Dap, TextFormat::Plain);
    for (const char* section : {"\nData\n", "\nAssessment\n", "\nPlan\n", "\nSignatures\n"}) {
        INFO(section);
        CHECK(contains(dap, section));
    }
    CHECK(contains(dap, std::string(kDraftLead) + "\n"));
    CHECK(contains(dap, "The negative cycle was active"));
    CHECK(contains(dap, "Nothing recorded."));  // the empty Plan says so
    const std::string soap = format_session_note(data, NoteStyle::Soap, TextFormat::Markdown);
    for (const char* section : {"## Subjective", "## Objective", "## Assessment", "## Plan"}) {
        INFO(section);
        CHECK(contains(soap, section));
    }
    CHECK(contains(soap, std::string("**") + kDraftLead + "**"));
}

TEST_CASE("an accepted draft is marked as accepted; the clinician's own text is not marked", "[draft][export]") {
    SessionNoteData data = hand_session();
    data.note.assessment = "Withdrawer re-engagement is beginning.";
    const std::string own = format_session_note(data, NoteStyle::Dap, TextFormat::Plain);
    CHECK(contains(own, "Withdrawer re-engagement is beginning."));
    CHECK_FALSE(contains(own, "Drafted by Attune"));
    CHECK_FALSE(contains(own, kDraftLead));
    data.note.assessment_source = AssessmentSource::AcceptedDraft;
    const std::string accepted = format_session_note(data, NoteStyle::Dap, TextFormat::Plain);
    CHECK(contains(accepted, std::string(kAcceptedDraftLead) + "\nWithdrawer re-engagement is beginning."));
}

TEST_CASE("the note ends with its signatures and addenda, naming who and when", "[export][signing]") {
    SessionNoteData data = hand_session();
    CHECK(contains(format_session_note(data, NoteStyle::Dap, TextFormat::Plain), "Signatures\n\nNot signed.\n"));
    const SignatureLine sign{false, "Dr Vega", "2026-03-16T19:05:41Z", true, "3f2a 9c1b", ""};
    const SignatureLine cosign{true, "Dr Supervisor", "2026-03-18T08:30:00Z", false, "", "changed after signing"};
    Addendum addendum;
    addendum.author_name = "Dr Vega";
    addendum.created_at = "2026-03-19T10:00:00Z";
    addendum.text = "Ben phoned: the pause word helped.";
    data.sign_off.signatures = {sign, cosign};
    data.sign_off.addenda = {addendum};
    const std::string text = format_session_note(data, NoteStyle::Soap, TextFormat::Plain);
    CHECK(contains(text, "Signed by Dr Vega, 2026-03-16T19:05:41Z \xE2\x80\x94 verified (key 3f2a 9c1b)."));
    CHECK(contains(text, "Co-signed by Dr Supervisor, 2026-03-18T08:30:00Z \xE2\x80\x94 changed after signing."));
    CHECK(contains(text, "Addendum by Dr Vega, 2026-03-19 10:00 UTC: Ben phoned: the pause word helped."));
    CHECK_FALSE(contains(text, "Not signed."));
}

TEST_CASE("ratings say attunement to what; the 5 : 1 reference appears only when turned on, with its source",
          "[export]") {
    SessionNoteData data = hand_session();
    data.session.ratings = Ratings{6, 7, 8};
    const std::string off = format_session_note(data, NoteStyle::Dap, TextFormat::Plain);
    CHECK(contains(off, "End-of-session ratings: attunement to partner, Ana 6/10, Ben 7/10; safety 8/10."));
    CHECK(contains(off, "positive-to-negative ratio 0.7 : 1."));
    CHECK_FALSE(contains(off, "5 : 1"));
    data.show_five_to_one = true;
    const std::string on = format_session_note(data, NoteStyle::Dap, TextFormat::Plain);
    CHECK(contains(on, "positive-to-negative ratio 0.7 : 1; reference 5 : 1 (Gottman, conflict discussions)."));
}

TEST_CASE("a session that does not count says so and shows no rate", "[export][counting]") {
    SessionNoteData data = hand_session();
    data.counting = {false, "00:03 of active time, less than the 10 minutes a counted session needs"};
    data.metrics = counts_only(data.metrics);
    const std::string text = format_session_note(data, NoteStyle::Dap, TextFormat::Plain);
    CHECK(contains(text,
                   "Not counted toward trends: 00:03 of active time, less than the 10 minutes a counted "
                   "session needs."));
    CHECK_FALSE(contains(text, "per 10 min"));
    CHECK_FALSE(contains(text, "repair rate"));
}
