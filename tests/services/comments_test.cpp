// Comments pinned to moments of a session (issue 18 item 11): only their author
// edits one (its moment and its text) or takes it down, each audited; anyone
// else, even the case's supervisor or an administrator, is refused.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <string>
#include <vector>

#include "services/audit.h"
#include "services/supervision.h"
#include "team.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;

namespace {

struct Commented {
    test::Team team;
    Case c;
    Session s1, s2;
    RowId lee_comment = 0;    // Dr Test's, at 01:30
    RowId super_comment = 0;  // Dr Super's, at 02:00

    Commented() {
        team.add("Dr Super", GrantRole::Supervisor);
        c = test::add_couple(team.p(), "Couple C");
        s1 = test::coded_session(team.p(), c, "2026-03-02", "");
        s2 = test::coded_session(team.p(), c, "2026-03-09", "");
        services::set_case_supervisor(team.p(), "Couple C", "Dr Super");
        lee_comment = services::add_comment(team.p(), s1.id, 90, "watch the withdrawal").id;
        super_comment = services::add_comment(team.sign_in_as("Dr Super"), s1.id, 120, "slow down here").id;
        team.sign_in_as("Dr Test");
    }
    std::vector<AuditEntry> audit(const std::string& action) {
        return services::audit_entries(team.p(), AuditFilter::of_action(action));
    }
};

}  // namespace

TEST_CASE("a comment's author changes its moment and text, audited", "[comments]") {
    Commented f;
    const ReviewComment edited = services::edit_comment(f.team.p(), f.s1.id, f.lee_comment, 723, "watch her shut down");
    CHECK(edited.t == 723);
    const std::vector<ReviewComment> comments = services::list_comments(f.team.p(), f.s1.id);
    REQUIRE(comments.size() == 2);
    // In time order: Dr Super's at 02:00, then the edited one at 12:03.
    CHECK(comments[0].id == f.super_comment);
    CHECK(comments[1].id == f.lee_comment);
    CHECK(comments[1].t == 723);
    CHECK(comments[1].text == "watch her shut down");
    CHECK(comments[1].author_name == "Dr Test");
    const auto rows = f.audit("comment_edit");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].actor == "Dr Test");
    CHECK(rows[0].detail == "at 01:30, now at 12:03");
}

TEST_CASE("a comment's author takes it down, audited; the others stay", "[comments]") {
    Commented f;
    services::delete_comment(f.team.p(), f.s1.id, f.lee_comment);
    const std::vector<ReviewComment> comments = services::list_comments(f.team.p(), f.s1.id);
    REQUIRE(comments.size() == 1);
    CHECK(comments[0].id == f.super_comment);
    const auto rows = f.audit("comment_delete");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].detail == "at 01:30");
    // Gone: a second attempt finds nothing.
    CHECK(test::refusal([&] { services::delete_comment(f.team.p(), f.s1.id, f.lee_comment); }).kind ==
          Error::Kind::NotFound);
}

TEST_CASE("nobody but its author edits or takes down a comment", "[comments]") {
    Commented f;
    // Dr Test (the case's clinician and the practice's administrator) on Dr Super's comment.
    const auto edit = test::refusal([&] { services::edit_comment(f.team.p(), f.s1.id, f.super_comment, 1, "mine now"); });
    CHECK(edit.kind == Error::Kind::Denied);
    CHECK_THAT(edit.message, ContainsSubstring("only the comment's author"));
    CHECK(test::refusal([&] { services::delete_comment(f.team.p(), f.s1.id, f.super_comment); }).kind ==
          Error::Kind::Denied);
    // A comment named through another session of the case is not found there.
    CHECK(test::refusal([&] { services::edit_comment(f.team.p(), f.s2.id, f.lee_comment, 5, "x"); }).kind ==
          Error::Kind::NotFound);
    // Unchanged, and nothing audited.
    const std::vector<ReviewComment> comments = services::list_comments(f.team.p(), f.s1.id);
    REQUIRE(comments.size() == 2);
    CHECK(comments[1].text == "slow down here");
    CHECK(comments[1].t == 120);
    CHECK(f.audit("comment_edit").empty());
    CHECK(f.audit("comment_delete").empty());
    // An empty text or a negative moment is refused before anything changes.
    CHECK(test::refusal([&] { services::edit_comment(f.team.p(), f.s1.id, f.lee_comment, 5, "  "); }).kind ==
          Error::Kind::Invalid);
    CHECK(test::refusal([&] { services::edit_comment(f.team.p(), f.s1.id, f.lee_comment, -1, "x"); }).kind ==
          Error::Kind::Invalid);
}
