// The case summary's words for issue 18: homework not yet due, safety first,
// sessions that do not count, and every session's signatures and addenda.
#include <catch2/catch_test_macros.hpp>

#include "formats/export_pdf.h"
#include "formats/export_text.h"

using namespace attune;
using namespace attune::formats;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

SessionWithMetrics session(int number, const std::string& date) {
    SessionWithMetrics s;
    s.session.number = number;
    s.session.date = date;
    s.session.state = SessionState::Ended;
    s.session.active_seconds = 3000;
    s.metrics.active_minutes = 50;
    return s;
}

CaseSummaryData two_sessions() {
    CaseSummaryData data;
    data.case_metrics.info.label = "Couple 005";
    data.case_metrics.info.partner_a.display_name = "Rosa";
    data.case_metrics.info.partner_b.display_name = "Tom";
    data.case_metrics.sessions = {session(1, "2026-03-02"), session(2, "2026-03-09")};
    return data;
}

}  // namespace

TEST_CASE("homework agreed in the latest session is not due: never '0 of 1 done (0 %)'", "[export][homework]") {
    CaseSummaryData data = two_sessions();
    data.homework_not_due = 1;
    data.latest_session_number = 2;
    const CaseSummaryText text = describe_case(data);
    CHECK(text.homework == "No homework was due yet: 1 task agreed in session 2 is not due until the next session.");
    CHECK_FALSE(contains(text.homework, "0 %"));

    data.homework_agreed = 2;
    data.homework_done = 1;
    data.homework_not_done = 1;
    CHECK(describe_case(data).homework ==
          "Of 2 agreed tasks due, 1 done (50 %); 1 not done. 1 task agreed in session 2 is not due until the next "
          "session.");
}

TEST_CASE("a safety concern leads the progress section, before the track", "[export][safety]") {
    CaseSummaryData data = two_sessions();
    data.case_metrics.sessions[0].session.ratings.safety = 7;
    data.case_metrics.sessions[1].session.ratings.safety = 2;
    const CaseSummaryText text = describe_case(data);
    CHECK(text.safety.rfind("Safety concern: Safety was rated 2/10 in session 2 of 2026-03-09, down from 7/10", 0) ==
          0);
    const std::string plain = format_case_summary(data, TextFormat::Plain);
    REQUIRE(contains(plain, "Safety concern:"));
    CHECK(plain.find("Safety concern:") < plain.find("Too early to judge progress"));
}

TEST_CASE("sessions that do not count are listed with their reason, apart from the trends", "[export][counting]") {
    CaseSummaryData data = two_sessions();
    data.case_metrics.sessions[1].counting = {false, "marked not for trends (individual session)"};
    const CaseSummaryText text = describe_case(data);
    REQUIRE(text.not_counted.size() == 1);
    CHECK(text.not_counted[0] == "Session 2 (2026-03-09): marked not for trends (individual session).");
    CHECK(contains(format_case_summary(data, TextFormat::Markdown), "## Not counted toward trends"));
    CHECK(contains(text.track, "(1 in this period)"));
}

TEST_CASE("the case summary lists each session's signatures and addenda", "[export][signing]") {
    CaseSummaryData data = two_sessions();
    const SignatureLine sign{false, "Dr Vega", "2026-03-02T19:05:41Z", true, "3f2a 9c1b", ""};
    Addendum late;
    late.author_name = "Dr Vega";
    late.created_at = "2026-03-04T08:00:00Z";
    late.text = "Corrected the date of the next session.";
    data.sign_offs = {SessionSignOff{1, "2026-03-02", {sign}, {late}}, SessionSignOff{2, "2026-03-09", {}, {}}};
    const CaseSummaryText text = describe_case(data);
    REQUIRE(text.sign_offs.size() == 3);
    CHECK(text.sign_offs[0] ==
          "Session 1, 2026-03-02: Signed by Dr Vega, 2026-03-02T19:05:41Z \xE2\x80\x94 verified (key 3f2a 9c1b).");
    CHECK(text.sign_offs[1] ==
          "Session 1, 2026-03-02: Addendum by Dr Vega, 2026-03-04 08:00 UTC: Corrected the date of the next session.");
    CHECK(text.sign_offs[2] == "Session 2, 2026-03-09: not signed.");
    CHECK(contains(format_case_summary(data, TextFormat::Plain), "Signatures and addenda"));
}

TEST_CASE("the PDF's charts draw the 5 : 1 line only when the person turned it on", "[export][pdf]") {
    CaseSummaryData data = two_sessions();
    CHECK(case_summary_charts(data)[2].reference_lines.empty());
    data.show_five_to_one = true;
    REQUIRE(case_summary_charts(data)[2].reference_lines.size() == 1);
    CHECK(case_summary_charts(data)[2].reference_lines[0].label == "5 : 1 (Gottman, conflict discussions)");
}
