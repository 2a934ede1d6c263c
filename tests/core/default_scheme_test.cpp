// The default coding scheme as shipped (assets/coding_scheme.json, edition 2):
// the `protest` code in its own `pursuit` category (DOMAIN.md), clinician
// wording, and how a practice recognises it as the next edition of the one it has.
#include <catch2/catch_test_macros.hpp>
#include <set>

#include "core/agreement_text.h"
#include "core/metrics.h"
#include "core/observation_text.h"
#include "core/palette.h"
#include "core/scheme_json.h"
#include "support/test_support.h"

using namespace attune;

namespace {

CodingScheme shipped() {
    return parse_scheme_json(test::read_file(test::assets_dir() / "coding_scheme.json"));
}

Observation at(RowId id, Who who, const std::string& code, double t) {
    Observation o;
    o.id = id;
    o.who = who;
    o.code_id = code;
    o.t = t;
    return o;
}

}  // namespace

TEST_CASE("protest is a pursue rupture of its own pursuit category, with a key no partner code shares", "[scheme]") {
    const CodingScheme scheme = shipped();
    const Category* pursuit = scheme.find_category("pursuit");
    REQUIRE(pursuit);
    CHECK(pursuit->polarity == Polarity::Rupture);
    CHECK(pursuit->cycle_role == CycleRole::Pursue);
    const Code* protest = scheme.find("protest");
    REQUIRE(protest);
    CHECK(protest->category == "pursuit");
    CHECK(protest->label == "Protests / criticizes");
    CHECK(protest->cycle_role == CycleRole::Pursue);
    CHECK(scheme.find("Protests / criticizes") == protest);  // the importer matches by label too
    REQUIRE(protest->hotkey.size() == 1);
    for (const Code& other : scheme.codes)
        if (&other != protest && !is_therapist_code(other)) CHECK(other.hotkey != protest->hotkey);
    CHECK_FALSE(hotkey_clash(scheme));
}

TEST_CASE("the shipped scheme speaks to clinicians and is the next edition of the first one", "[scheme]") {
    const CodingScheme scheme = shipped();
    CHECK(scheme.version == 2);
    CHECK(scheme.name.find("assets") == std::string::npos);
    CHECK(scheme.name.find("taxonomy") == std::string::npos);
    CodingScheme first;
    first.name = "Attune default (assets taxonomy)";
    first.version = 1;
    CHECK(is_later_edition(scheme, first));
    first.version = 2;
    CHECK_FALSE(is_later_edition(scheme, first));  // the same edition is not a later one
    CodingScheme own = first;
    own.name = "Our clinic's codes";
    own.version = 1;
    CHECK_FALSE(is_later_edition(scheme, own));  // a practice's own scheme is never replaced
    CHECK(is_later_edition(scheme, CodingScheme{scheme.name, 1, {}, {}, {}}));
    // The former names survive writing and reading the scheme back (as the store keeps it).
    CHECK(parse_scheme_json(scheme_to_json(scheme)).former_names == scheme.former_names);
}

TEST_CASE("every category of the shipped scheme has a colour of its own", "[scheme][palette]") {
    std::set<std::uint32_t> seen;
    for (const Category& category : shipped().categories) {
        const Rgba c = palette::category_color(category.id, to_string(category.polarity));
        const auto key = static_cast<std::uint32_t>(c.r * 255.0f + 0.5f) << 16 |
                         static_cast<std::uint32_t>(c.g * 255.0f + 0.5f) << 8 |
                         static_cast<std::uint32_t>(c.b * 255.0f + 0.5f);
        INFO(category.id);
        CHECK(seen.insert(key).second);
    }
    CHECK(seen.size() == 7);
}

TEST_CASE("a protest followed by the partner's withdrawal is a pursue-withdraw sequence", "[scheme][metrics]") {
    const CodingScheme scheme = shipped();
    const std::vector<Observation> observations{at(1, Who::A, "protest", 10), at(2, Who::B, "withdraw_emotion", 30)};
    const SessionMetrics m = compute_session_metrics(observations, scheme, 600, MetricSettings{});
    CHECK(m.pursue_withdraw_a_to_b == 1);
    CHECK(m.ruptures_a.by_category.at("pursuit") == 1);
    CHECK(m.ruptures_a.total == 1);
    CHECK(m.ruptures_b.by_category.at("pursuit") == 0);  // listed, with 0, for every rupture category
}

TEST_CASE("an observation is described with names and labels, never ids", "[scheme]") {
    const CodingScheme scheme = shipped();
    Case c;
    c.partner_a.display_name = "Ana";
    c.partner_b.display_name = "Ben";
    Observation o = at(1, Who::A, "i_statement", 97.042);
    CHECK(describe_observation(o, scheme, c) == "Ana: Soft start-up / I-statement at 01:37");
    o.who = Who::B;
    o.code_id = "shut_down";
    o.stop = 130.0;
    o.intensity = 2;
    CHECK(describe_observation(o, scheme, c) == "Ben: Shuts down at 01:37 to 02:10, intensity 2");
    o.code_id = "gone_code";
    o.who = Who::Both;
    o.stop.reset();
    o.intensity.reset();
    CHECK(describe_observation(o, scheme, c) == "Both partners: gone_code at 01:37");
}

TEST_CASE("the agreement tables name codes by label; 'none' reads as not coded", "[scheme][agreement]") {
    const CodingScheme scheme = shipped();
    CHECK(agreement_code_label(scheme, "i_statement") == "Soft start-up / I-statement");
    CHECK(agreement_code_label(scheme, "none") == "(not coded)");
    CHECK(agreement_code_label(scheme, "retired_code") == "retired_code");
}
