// instrument_json.cpp: strict reading of an instrument file.
//
// [SECTION] Field readers
// [SECTION] The instrument
#include "core/instrument_json.h"

#include "core/json_limits.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace attune {
namespace {

using nlohmann::json;

// Scores are small numbers; anything beyond this is a typo, not an instrument.
constexpr double kLargestScore = 1e6;
constexpr double kSumTolerance = 1e-9;

[[noreturn]] void fail(const std::string& field, const std::string& problem) {
    throw InstrumentFormatError(field + ": " + problem);
}

// [SECTION] Field readers

void only_keys(const json& object, const std::string& where, std::initializer_list<const char*> allowed) {
    for (const auto& item : object.items()) {
        const std::string& key = item.key();  // not a structured binding: clang 14 cannot capture one
        const bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; });
        if (!known) fail(where.empty() ? key : where + "." + key, "is not a field of an instrument file");
    }
}

std::string field_name(const std::string& where, const char* key) {
    return where.empty() ? key : where + "." + key;
}

const json& required(const json& object, const std::string& where, const char* key) {
    const auto found = object.find(key);
    if (found == object.end()) fail(field_name(where, key), "missing");
    return *found;
}

std::string text_field(const json& value, const std::string& field, size_t max_length, bool may_be_empty) {
    if (!value.is_string()) fail(field, "must be text");
    std::string text = value.get<std::string>();
    if (!is_valid_utf8(text)) fail(field, "is not valid UTF-8");
    if (!may_be_empty && trim(text).empty()) fail(field, "must not be empty");
    if (text.size() > max_length) fail(field, "is longer than " + std::to_string(max_length) + " characters");
    return text;
}

std::string optional_text(const json& object, const std::string& where, const char* key, size_t max_length) {
    if (!object.contains(key)) return {};
    return text_field(object[key], field_name(where, key), max_length, true);
}

bool bool_field(const json& object, const std::string& where, const char* key) {
    const json& value = required(object, where, key);
    if (!value.is_boolean()) fail(field_name(where, key), "must be true or false");
    return value.get<bool>();
}

double number(const json& value, const std::string& field) {
    if (!value.is_number()) fail(field, "must be a number");
    const double x = value.get<double>();
    if (!std::isfinite(x) || std::abs(x) > kLargestScore) fail(field, "must be a number between -1000000 and 1000000");
    return x;
}

int whole_number(const json& value, const std::string& field, int min, int max) {
    if (!value.is_number_integer()) fail(field, "must be a whole number");
    const auto x = value.get<long long>();
    if (x < min || x > max) fail(field, "must be " + std::to_string(min) + "-" + std::to_string(max));
    return static_cast<int>(x);
}

bool is_identifier(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// A number within the total's range, or the words "not defined".
std::optional<double> number_or_not_defined(const json& value, const std::string& field, const Instrument& in) {
    if (value.is_string() && value.get<std::string>() == "not defined") return std::nullopt;
    if (!value.is_number()) fail(field, "must be a number or \"not defined\"");
    const double x = number(value, field);
    if (x < in.total_min || x > in.total_max)
        fail(field, format_number(x) + " is outside the total's range " + format_range(in.total_min, in.total_max));
    return x;
}

ReliableChangeRule reliable_change_rule(const json& value) {
    const std::string where = "reliable_change";
    ReliableChangeRule rule;
    if (value.is_string() && value.get<std::string>() == "not defined") return rule;
    if (!value.is_object())
        fail(where, "must be {\"threshold_points\": x}, {\"sd\": x, \"reliability\": r} or \"not defined\"");
    only_keys(value, where, {"threshold_points", "sd", "reliability"});
    if (value.contains("threshold_points")) {
        if (value.contains("sd") || value.contains("reliability"))
            fail(where, "give either threshold_points or sd and reliability, not both");
        rule.kind = ReliableChangeRule::Kind::Threshold;
        rule.threshold_points = number(value["threshold_points"], where + ".threshold_points");
        if (rule.threshold_points <= 0) fail(where + ".threshold_points", "must be more than 0");
        return rule;
    }
    rule.kind = ReliableChangeRule::Kind::Rci;
    rule.sd = number(required(value, where, "sd"), where + ".sd");
    if (rule.sd <= 0) fail(where + ".sd", "must be more than 0");
    rule.reliability = number(required(value, where, "reliability"), where + ".reliability");
    // r = 1 would make the standard error 0 and every change reliable.
    if (rule.reliability < 0 || rule.reliability >= 1) fail(where + ".reliability", "must be at least 0 and below 1");
    return rule;
}

}  // namespace

// [SECTION] The instrument

Instrument parse_instrument_json(std::string_view text) {
    if (text.size() > kMaxInstrumentFileBytes)
        throw InstrumentFormatError("the file is larger than " + std::to_string(kMaxInstrumentFileBytes / 1024) +
                                    " KB; an instrument file is a few KB");
    if (json_nesting_depth(text, kMaxInstrumentJsonDepth) > kMaxInstrumentJsonDepth)
        throw InstrumentFormatError("the JSON is nested deeper than " + std::to_string(kMaxInstrumentJsonDepth) +
                                    " levels; an instrument file needs 3");
    json root;
    try {
        root = json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {  // a syntax error, bad UTF-8, or a number too large for a double
        throw InstrumentFormatError(std::string("not valid JSON (") + e.what() + ")");
    }
    if (!root.is_object()) throw InstrumentFormatError("the top level must be an object {...}");
    // The format and its version first: a newer file is refused as such, not for a field it renamed.
    const json& format = required(root, "", "format");
    if (!format.is_string() || format.get<std::string>() != kInstrumentFormat)
        fail("format", std::string("must be \"") + kInstrumentFormat + "\"");
    const json& version = required(root, "", "format_version");
    if (!version.is_number_integer() || version.get<long long>() != kInstrumentFormatVersion)
        fail("format_version", (version.is_number() ? version.dump() : std::string("this value")) +
                                   " is not a version this Attune reads (it reads " +
                                   std::to_string(kInstrumentFormatVersion) + ")");
    only_keys(root, "",
              {"format", "format_version", "id", "name", "validated", "notes", "instructions", "item_count",
               "score_decimals", "items", "anchors", "higher_is_better", "total", "clinical_cutoff", "reliable_change",
               "direct_total", "alliance_flag_below"});

    Instrument in;
    in.id = text_field(required(root, "", "id"), "id", 64, false);
    if (!is_identifier(in.id)) fail("id", "use lower-case letters, digits and _ only (at most 64)");
    in.name = text_field(required(root, "", "name"), "name", 200, false);
    in.validated = bool_field(root, "", "validated");
    in.notes = optional_text(root, "", "notes", 4000);
    in.instructions = optional_text(root, "", "instructions", 1000);
    in.score_decimals = whole_number(required(root, "", "score_decimals"), "score_decimals", 0, 2);

    const int item_count = whole_number(required(root, "", "item_count"), "item_count", 1, 200);
    const json& items = required(root, "", "items");
    if (!items.is_array()) fail("items", "must be a list of {\"min\": x, \"max\": y}");
    if (static_cast<int>(items.size()) != item_count)
        fail("items",
             "has " + std::to_string(items.size()) + " entries but item_count is " + std::to_string(item_count));
    double sum_min = 0;
    double sum_max = 0;
    for (size_t i = 0; i < items.size(); ++i) {
        const std::string where = "items[" + std::to_string(i) + "]";
        const json& entry = items[i];
        if (!entry.is_object()) fail(where, "must be {\"min\": x, \"max\": y}");
        only_keys(entry, where, {"min", "max", "text"});
        InstrumentItem item;
        item.min = number(required(entry, where, "min"), where + ".min");
        item.max = number(required(entry, where, "max"), where + ".max");
        for (const auto& [key, value] : {std::pair{"min", item.min}, std::pair{"max", item.max}})
            if (!has_decimals_at_most(value, in.score_decimals))
                fail(where + "." + key, format_number(value, 6) + " has more decimals than score_decimals (" +
                                            std::to_string(in.score_decimals) + ")");
        if (item.max <= item.min) fail(where + ".max", "must be above min");
        item.text = optional_text(entry, where, "text", 500);
        sum_min += item.min;
        sum_max += item.max;
        in.items.push_back(item);
    }

    in.higher_is_better = bool_field(root, "", "higher_is_better");
    const json& total = required(root, "", "total");
    if (!total.is_object()) fail("total", "must be {\"min\": x, \"max\": y}");
    only_keys(total, "total", {"min", "max"});
    in.total_min = number(required(total, "total", "min"), "total.min");
    in.total_max = number(required(total, "total", "max"), "total.max");
    // The total is the sum of the items, so its range follows from theirs.
    if (std::abs(in.total_min - sum_min) > kSumTolerance)
        fail("total.min", format_number(in.total_min) + " is not the sum of the items' lowest scores (" +
                              format_number(sum_min) + ")");
    if (std::abs(in.total_max - sum_max) > kSumTolerance)
        fail("total.max", format_number(in.total_max) + " is not the sum of the items' highest scores (" +
                              format_number(sum_max) + ")");

    in.clinical_cutoff = number_or_not_defined(required(root, "", "clinical_cutoff"), "clinical_cutoff", in);
    in.reliable_change = reliable_change_rule(required(root, "", "reliable_change"));
    in.direct_total = bool_field(root, "", "direct_total");
    if (root.contains("alliance_flag_below")) {
        in.alliance_flag_below = number_or_not_defined(root["alliance_flag_below"], "alliance_flag_below", in);
        if (!in.alliance_flag_below) fail("alliance_flag_below", "must be a number (leave the field out instead)");
    }

    if (root.contains("anchors")) {
        const json& anchors = root["anchors"];
        if (!anchors.is_array() || anchors.empty()) fail("anchors", "must be a non-empty list");
        for (size_t k = 0; k < anchors.size(); ++k) {
            const std::string where = "anchors[" + std::to_string(k) + "]";
            if (!anchors[k].is_object()) fail(where, "must be {\"score\": n, \"label\": \"...\"}");
            only_keys(anchors[k], where, {"score", "label"});
            ScaleAnchor anchor;
            anchor.score = whole_number(required(anchors[k], where, "score"), where + ".score", -1000, 1000);
            anchor.label = text_field(required(anchors[k], where, "label"), where + ".label", 100, false);
            if (!in.anchors.empty() && anchor.score <= in.anchors.back().score)
                fail(where + ".score", "must be above the score before it");
            for (size_t i = 0; i < in.items.size(); ++i)
                if (anchor.score < in.items[i].min || anchor.score > in.items[i].max)
                    fail(where + ".score", std::to_string(anchor.score) + " is outside item " + std::to_string(i + 1) +
                                               "'s range " + format_range(in.items[i].min, in.items[i].max));
            in.anchors.push_back(anchor);
        }
    }
    return in;
}

}  // namespace attune
