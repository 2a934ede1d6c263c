#include "core/instrument.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "core/instrument_json.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::StartsWith;
using nlohmann::json;

namespace {

std::filesystem::path instruments_dir() {
    return test::assets_dir() / "instruments";
}

Instrument shipped(const std::string& id) {
    return parse_instrument_json(test::read_file(instruments_dir() / (id + ".json")));
}

// A small valid file to break one field at a time.
json valid_file() {
    return json::parse(R"({
      "format": "attune-instrument", "format_version": 1, "id": "practice_scale", "name": "Practice scale",
      "validated": false, "item_count": 2, "score_decimals": 0,
      "items": [{"min": 0, "max": 4}, {"min": 1, "max": 5}],
      "higher_is_better": false, "total": {"min": 1, "max": 9}, "clinical_cutoff": 6,
      "reliable_change": {"sd": 2, "reliability": 0.8}, "direct_total": false})");
}

// The message of the InstrumentFormatError the text raises ("" when it parses).
std::string error_of(const std::string& text) {
    try {
        parse_instrument_json(text);
    } catch (const InstrumentFormatError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

// [SECTION] Shipped files

TEST_CASE("every shipped instrument file parses and is named after its id", "[instruments]") {
    std::set<std::string> ids;
    for (const auto& entry : std::filesystem::directory_iterator(instruments_dir())) {
        INFO(entry.path().string());
        const Instrument in = parse_instrument_json(test::read_file(entry.path()));
        CHECK(entry.path().stem() == in.id);
        ids.insert(in.id);
    }
    REQUIRE(ids == std::set<std::string>{"checkin", "csi16", "csi4", "ors", "srs"});
}

TEST_CASE("the shipped CSI files hold DOMAIN.md's ranges and cut-offs and no reliable change", "[instruments]") {
    const Instrument csi4 = shipped("csi4");
    REQUIRE(csi4.item_count() == 4);
    CHECK(csi4.items[0].min == 0);
    CHECK(csi4.items[0].max == 6);
    for (int i = 1; i < 4; ++i)
        CHECK(csi4.items[static_cast<size_t>(i)].max == 5);
    CHECK(csi4.total_min == 0);
    CHECK(csi4.total_max == 21);
    CHECK(csi4.clinical_cutoff == 13.5);
    CHECK(csi4.higher_is_better);
    CHECK(csi4.reliable_change.kind == ReliableChangeRule::Kind::NotDefined);
    CHECK_FALSE(csi4.direct_total);

    const Instrument csi16 = shipped("csi16");
    REQUIRE(csi16.item_count() == 16);
    CHECK(csi16.items[0].max == 6);
    CHECK(csi16.items[15].max == 5);
    CHECK(csi16.total_max == 81);
    CHECK(csi16.clinical_cutoff == 51.5);
}

TEST_CASE("ORS takes direct totals with a 5-point threshold; SRS flags totals below 36", "[instruments]") {
    const Instrument ors = shipped("ors");
    CHECK(ors.item_count() == 4);
    CHECK(ors.total_max == 40);
    CHECK(ors.clinical_cutoff == 25);
    CHECK(ors.reliable_change.kind == ReliableChangeRule::Kind::Threshold);
    CHECK(ors.reliable_change.threshold_points == 5);
    CHECK(ors.direct_total);
    CHECK_FALSE(ors.alliance_flag_below.has_value());

    const Instrument srs = shipped("srs");
    CHECK(srs.alliance_flag_below == 36);
    CHECK_FALSE(srs.clinical_cutoff.has_value());
    CHECK_FALSE(srs.direct_total);
}

TEST_CASE("only Attune's own check-in carries item wording, and it is marked not validated", "[instruments]") {
    for (const char* id : {"csi4", "csi16", "ors", "srs"}) {
        const Instrument in = shipped(id);
        INFO(id);
        CHECK(in.validated);
        CHECK(in.instructions.empty());
        CHECK(in.anchors.empty());
        for (const InstrumentItem& item : in.items)
            CHECK(item.text.empty());
    }
    const Instrument checkin = shipped("checkin");
    CHECK_FALSE(checkin.validated);
    CHECK_THAT(checkin.name, ContainsSubstring("not a validated instrument"));
    CHECK_FALSE(checkin.clinical_cutoff.has_value());
    CHECK(checkin.reliable_change.kind == ReliableChangeRule::Kind::NotDefined);
    for (const InstrumentItem& item : checkin.items)
        CHECK_FALSE(item.text.empty());
    CHECK(checkin.anchors.size() == 5);  // 0-4
}

// [SECTION] Broken files

TEST_CASE("a broken instrument file is refused with a message naming the field", "[instruments]") {
    const auto broken = [](auto change) {
        json file = valid_file();
        change(file);
        return error_of(file.dump());
    };
    REQUIRE(error_of(valid_file().dump()).empty());
    CHECK_THAT(broken([](json& f) { f["items"][1]["max"] = "5"; }), StartsWith("items[1].max: must be a number"));
    CHECK_THAT(broken([](json& f) { f["items"][1]["max"] = 1; }), StartsWith("items[1].max: must be above min"));
    CHECK_THAT(broken([](json& f) { f["items"][0]["min"] = 0.5; }),
               StartsWith("items[0].min: 0.5 has more decimals than score_decimals (0)"));
    CHECK_THAT(broken([](json& f) { f.erase("higher_is_better"); }), StartsWith("higher_is_better: missing"));
    CHECK_THAT(broken([](json& f) { f["higher_is_beter"] = true; }),
               StartsWith("higher_is_beter: is not a field of an instrument file"));
    CHECK_THAT(broken([](json& f) { f["item_count"] = 3; }), StartsWith("items: has 2 entries but item_count is 3"));
    CHECK_THAT(broken([](json& f) { f["total"]["max"] = 10; }),
               StartsWith("total.max: 10 is not the sum of the items' highest scores (9)"));
    CHECK_THAT(broken([](json& f) { f["clinical_cutoff"] = 9.5; }),
               StartsWith("clinical_cutoff: 9.5 is outside the total's range 1-9"));
    CHECK_THAT(broken([](json& f) { f["clinical_cutoff"] = "none"; }),
               StartsWith("clinical_cutoff: must be a number or \"not defined\""));
    CHECK_THAT(broken([](json& f) { f["reliable_change"]["reliability"] = 1; }),
               StartsWith("reliable_change.reliability: must be at least 0 and below 1"));
    CHECK_THAT(broken([](json& f) { f["reliable_change"]["threshold_points"] = 3; }),
               StartsWith("reliable_change: give either threshold_points or sd and reliability"));
    CHECK_THAT(broken([](json& f) { f["id"] = "Practice Scale"; }), StartsWith("id: use lower-case letters"));
    CHECK_THAT(broken([](json& f) {
                   f["anchors"] = json::array({{{"score", 5}, {"label", "Top"}}});
               }),
               StartsWith("anchors[0].score: 5 is outside item 1's range 0-4"));
    CHECK_THAT(broken([](json& f) { f["format"] = "attune-coding-scheme"; }),
               StartsWith("format: must be \"attune-instrument\""));
}

TEST_CASE("an instrument file of an unknown format version is refused as such", "[instruments]") {
    json file = valid_file();
    file["format_version"] = 2;
    file["a_field_of_version_2"] = true;  // the version is reported, not this field
    REQUIRE(error_of(file.dump()) == "format_version: 2 is not a version this Attune reads (it reads 1)");
}

TEST_CASE("a too-deeply nested instrument file is refused without parsing it", "[instruments]") {
    // 100 000 levels would take the stack of a recursive reader.
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    CHECK_THAT(error_of(deep), StartsWith("the JSON is nested deeper than 8 levels"));
    // Depth inside an otherwise valid file counts too; brackets inside strings do not.
    json file = valid_file();
    file["notes"] = "[[[[[[[[[[[[ brackets in text ]]]]]]]]]]]]";
    CHECK(error_of(file.dump()).empty());
    std::string text = file.dump();
    text.insert(text.size() - 1, R"(, "nested": [[[[[[[[[[1]]]]]]]]]])");
    CHECK_THAT(error_of(text), StartsWith("the JSON is nested deeper than 8 levels"));
}

TEST_CASE("an oversized or malformed instrument file is refused", "[instruments]") {
    json file = valid_file();
    file["notes"] = std::string(kMaxInstrumentFileBytes, 'x');
    CHECK_THAT(error_of(file.dump()), StartsWith("the file is larger than 256 KB"));
    CHECK_THAT(error_of(R"({"format": "attune-instrument",)"), StartsWith("not valid JSON"));
    CHECK_THAT(error_of("[1, 2]"), StartsWith("the top level must be an object"));
}

TEST_CASE("a practice's instrument cannot take the id of one already loaded", "[instruments]") {
    InstrumentCatalog catalog;
    catalog.add(shipped("csi4"));
    Instrument own = parse_instrument_json(valid_file().dump());
    catalog.add(own);
    REQUIRE(catalog.find("practice_scale") != nullptr);
    own.id = "csi4";
    REQUIRE_THROWS_WITH(catalog.add(own), "id: 'csi4' is used by another instrument file");
    REQUIRE(catalog.all().size() == 2);
}
