#include "core/scheme_json.h"

#include "core/json_limits.h"

#include <nlohmann/json.hpp>

#include <set>

namespace attune {
namespace {

using nlohmann::json;

std::string required_string(const json& object, const char* key, const std::string& where,
                            size_t max_length = 500) {
    auto found = object.find(key);
    if (found == object.end() || !found->is_string())
        throw SchemeFormatError(where + "." + key + ": missing or not a string");
    std::string value = found->get<std::string>();
    if (value.size() > max_length)
        throw SchemeFormatError(where + "." + key + ": longer than " + std::to_string(max_length) + " characters");
    return value;
}

std::string optional_string(const json& object, const char* key, const std::string& where) {
    if (!object.contains(key)) return {};
    return required_string(object, key, where, 2000);
}

bool is_identifier(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

}  // namespace

CodingScheme parse_scheme_json(const std::string& text) {
    if (const std::string problem = json_limit_problem(text, kMaxSchemeFileBytes, kMaxSchemeJsonDepth);
        !problem.empty())
        throw SchemeFormatError(problem + "; a coding scheme file is not");
    json root;
    try {
        root = json::parse(text);
    } catch (const json::exception& e) {  // a parse error, or a number too large (out_of_range 406)
        throw SchemeFormatError(std::string("not valid JSON (") + e.what() + ")");
    }
    if (!root.is_object()) throw SchemeFormatError("the top level must be an object");

    CodingScheme scheme;
    scheme.name = required_string(root, "name", "scheme");
    if (!root.contains("version") || !root["version"].is_number_integer() || root["version"].get<int>() < 1)
        throw SchemeFormatError("scheme.version: missing or not a positive whole number");
    scheme.version = root["version"].get<int>();
    if (root.contains("former_names")) {
        const json& former = root["former_names"];
        if (!former.is_array()) throw SchemeFormatError("scheme.former_names: not a list of names");
        for (size_t i = 0; i < former.size(); ++i) {
            if (!former[i].is_string() || former[i].get<std::string>().size() > 500)
                throw SchemeFormatError("scheme.former_names[" + std::to_string(i) + "]: not a name");
            scheme.former_names.push_back(former[i].get<std::string>());
        }
    }

    if (!root.contains("categories") || !root["categories"].is_array() || root["categories"].empty())
        throw SchemeFormatError("scheme.categories: missing or empty");
    std::set<std::string> category_ids;
    for (size_t i = 0; i < root["categories"].size(); ++i) {
        const json& item = root["categories"][i];
        const std::string where = "categories[" + std::to_string(i) + "]";
        if (!item.is_object()) throw SchemeFormatError(where + ": not an object");
        Category category;
        category.id = required_string(item, "id", where);
        if (!is_identifier(category.id))
            throw SchemeFormatError(where + ".id: use lower-case letters, digits and _ only");
        if (!category_ids.insert(category.id).second)
            throw SchemeFormatError(where + ".id: '" + category.id + "' appears twice");
        category.label = required_string(item, "label", where);
        auto polarity = parse_polarity(required_string(item, "polarity", where));
        if (!polarity)
            throw SchemeFormatError(where + ".polarity: must be rupture, signal, repair or intervention");
        category.polarity = *polarity;
        const std::string role_text = item.contains("cycle_role") ? required_string(item, "cycle_role", where) : "none";
        auto role = parse_cycle_role(role_text);
        if (!role) throw SchemeFormatError(where + ".cycle_role: must be none, pursue or withdraw");
        category.cycle_role = *role;
        scheme.categories.push_back(category);
    }

    if (!root.contains("codes") || !root["codes"].is_array() || root["codes"].empty())
        throw SchemeFormatError("scheme.codes: missing or empty");
    std::set<std::string> code_ids;
    std::set<std::string> labels;
    for (size_t i = 0; i < root["codes"].size(); ++i) {
        const json& item = root["codes"][i];
        const std::string where = "codes[" + std::to_string(i) + "]";
        if (!item.is_object()) throw SchemeFormatError(where + ": not an object");
        Code code;
        code.id = required_string(item, "id", where);
        if (!is_identifier(code.id))
            throw SchemeFormatError(where + ".id: use lower-case letters, digits and _ only");
        if (!code_ids.insert(code.id).second)
            throw SchemeFormatError(where + ".id: '" + code.id + "' appears twice");
        code.label = required_string(item, "label", where, 100);
        if (!labels.insert(normalize_key(code.label)).second)
            throw SchemeFormatError(where + ".label: '" + code.label + "' is used by another code");
        code.category = required_string(item, "category", where);
        const Category* category = scheme.find_category(code.category);
        if (!category) throw SchemeFormatError(where + ".category: no category '" + code.category + "'");
        code.polarity = category->polarity;
        code.cycle_role = category->cycle_role;
        const std::string kind_text = item.contains("kind") ? required_string(item, "kind", where) : "point";
        auto kind = parse_event_kind(kind_text);
        if (!kind) throw SchemeFormatError(where + ".kind: must be point or state");
        code.kind = *kind;
        code.hotkey = optional_string(item, "hotkey", where);
        if (code.hotkey.size() > 1 ||
            (!code.hotkey.empty() && !(code.hotkey[0] >= 'a' && code.hotkey[0] <= 'z')))
            throw SchemeFormatError(where + ".hotkey: one lower-case letter a-z, or empty");
        code.description = optional_string(item, "description", where);
        code.example = optional_string(item, "example", where);
        scheme.codes.push_back(code);
    }
    if (const auto clash = hotkey_clash(scheme)) throw SchemeFormatError("codes: " + *clash);
    // A label must not equal another code's id either, or matching by "id or label" is ambiguous.
    for (const Code& code : scheme.codes)
        for (const Code& other : scheme.codes)
            if (&code != &other && normalize_key(code.label) == other.id)
                throw SchemeFormatError("label '" + code.label + "' equals the id of another code");
    return scheme;
}

std::string scheme_to_json(const CodingScheme& scheme) {
    json root;
    root["format"] = "attune-coding-scheme";
    root["format_version"] = 1;
    root["name"] = scheme.name;
    root["version"] = scheme.version;
    if (!scheme.former_names.empty()) root["former_names"] = scheme.former_names;
    root["categories"] = json::array();
    for (const Category& c : scheme.categories)
        root["categories"].push_back({{"id", c.id}, {"label", c.label},
                                      {"polarity", std::string(to_string(c.polarity))},
                                      {"cycle_role", std::string(to_string(c.cycle_role))}});
    root["codes"] = json::array();
    for (const Code& c : scheme.codes)
        root["codes"].push_back({{"id", c.id}, {"label", c.label}, {"category", c.category},
                                 {"kind", std::string(to_string(c.kind))}, {"hotkey", c.hotkey},
                                 {"description", c.description}, {"example", c.example}});
    return root.dump(2);
}

}  // namespace attune
