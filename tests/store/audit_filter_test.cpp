// The audit trail's filters (the audit view and `attune audit` read through them).
#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <ctime>

#include "store/audit_log.h"
#include "support/store_fixture.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::store;

namespace {

std::string today_utc() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[11];
    std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
    return text;
}

struct AuditFixture {
    test::TempDir dir;
    test::StorePractice practice;
    AuditFixture() {
        practice = test::open_store_practice(test::store_options(dir / "practice.db", "audit passphrase"), "Dr Audit");
        AuditLog log(*practice.db);
        log.record("export", "case", "uuid-aaa", "case summary as PDF");
        log.record("export", "session", "uuid-bbb", "session note as Markdown");
        log.record("sign", "session", "uuid-bbb", "progress note signed");
    }
    std::vector<std::string> details(const AuditFilter& filter) {
        std::vector<std::string> out;
        for (const AuditEntry& e : AuditLog(*practice.db).list(filter))
            if (e.actor == "Dr Audit" && (e.action == "export" || e.action == "sign")) out.push_back(e.detail);
        return out;
    }
};

}  // namespace

TEST_CASE("the audit filter narrows by action, record kind and text, newest first", "[audit]") {
    AuditFixture f;
    AuditFilter exports;
    exports.action = "export";
    REQUIRE(f.details(exports) == std::vector<std::string>{"session note as Markdown", "case summary as PDF"});
    AuditFilter sessions;
    sessions.entity = "session";
    REQUIRE(f.details(sessions) == std::vector<std::string>{"progress note signed", "session note as Markdown"});
    AuditFilter text;
    text.text = "PDF";  // case ignored, found inside the detail
    REQUIRE(f.details(text) == std::vector<std::string>{"case summary as PDF"});
    text.text = "pdf";
    REQUIRE(f.details(text) == std::vector<std::string>{"case summary as PDF"});
    text.text = "UUID-BBB";  // or in the record's id
    REQUIRE(f.details(text).size() == 2);
    AuditFilter nobody;
    nobody.actor = "Someone Else";
    REQUIRE(AuditLog(*f.practice.db).list(nobody).empty());
}

TEST_CASE("the audit filter's dates are inclusive days", "[audit]") {
    AuditFixture f;
    const std::string today = today_utc();
    AuditFilter on_today;
    on_today.from = today;
    on_today.to = today;
    REQUIRE(f.details(on_today).size() == 3);
    AuditFilter before;
    before.to = "2000-01-01";
    REQUIRE(AuditLog(*f.practice.db).list(before).empty());
    AuditFilter after;
    after.from = "2999-01-01";
    REQUIRE(AuditLog(*f.practice.db).list(after).empty());
}

TEST_CASE("the audit log lists the actions, people and record kinds present, sorted", "[audit]") {
    AuditFixture f;
    const auto actions = AuditLog(*f.practice.db).actions();
    REQUIRE(std::is_sorted(actions.begin(), actions.end()));
    REQUIRE(std::count(actions.begin(), actions.end(), "export") == 1);
    REQUIRE(std::count(actions.begin(), actions.end(), "sign") == 1);
    const auto actors = AuditLog(*f.practice.db).actors();
    REQUIRE(std::count(actors.begin(), actors.end(), "Dr Audit") == 1);
    const auto entities = AuditLog(*f.practice.db).entities();
    REQUIRE(std::count(entities.begin(), entities.end(), "case") == 1);
    REQUIRE(std::count(entities.begin(), entities.end(), "session") == 1);
}
