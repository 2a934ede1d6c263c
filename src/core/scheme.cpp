#include "core/scheme.h"

#include <cctype>

namespace attune {

std::string normalize_key(std::string_view text) {
    size_t begin = 0;
    size_t end = text.size();
    auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (begin < end && is_space(text[begin])) ++begin;
    while (end > begin && is_space(text[end - 1])) --end;
    std::string out(text.substr(begin, end - begin));
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

const Code* CodingScheme::find(std::string_view id_or_label) const {
    // Stored observations carry the exact id: found without building a key
    // per code (metrics look up every observation's code).
    for (const Code& code : codes)
        if (code.id == id_or_label) return &code;
    const std::string key = normalize_key(id_or_label);
    if (key.empty()) return nullptr;
    for (const Code& code : codes)
        if (normalize_key(code.id) == key) return &code;
    for (const Code& code : codes)
        if (normalize_key(code.label) == key) return &code;
    return nullptr;
}

bool is_later_edition(const CodingScheme& candidate, const CodingScheme& stored) {
    if (candidate.version <= stored.version) return false;
    if (candidate.name == stored.name) return true;
    for (const std::string& former : candidate.former_names)
        if (former == stored.name) return true;
    return false;
}

const Category* CodingScheme::find_category(std::string_view id) const {
    for (const Category& category : categories)
        if (category.id == id) return &category;
    return nullptr;
}

std::vector<const Code*> CodingScheme::codes_in(std::string_view category_id) const {
    std::vector<const Code*> out;
    for (const Code& code : codes)
        if (code.category == category_id) out.push_back(&code);
    return out;
}

bool is_therapist_code(const Code& code) {
    return code.polarity == Polarity::Intervention || code.category == "therapist";
}

bool is_hotkey_letter(std::string_view key) { return key.size() == 1 && key[0] >= 'a' && key[0] <= 'z'; }

CodingScheme with_hotkeys(CodingScheme scheme, const HotkeyOverrides& overrides) {
    for (Code& code : scheme.codes)
        if (const auto it = overrides.find(code.id); it != overrides.end()) code.hotkey = it->second;
    return scheme;
}

std::optional<std::string> hotkey_clash(const CodingScheme& scheme) {
    for (size_t i = 0; i < scheme.codes.size(); ++i) {
        const Code& code = scheme.codes[i];
        if (code.hotkey.empty()) continue;
        for (size_t j = i + 1; j < scheme.codes.size(); ++j) {
            const Code& other = scheme.codes[j];
            if (other.hotkey == code.hotkey && is_therapist_code(other) == is_therapist_code(code))
                return "the key '" + code.hotkey + "' is used by both \"" + code.label + "\" and \"" + other.label +
                       "\"";
        }
    }
    return std::nullopt;
}

}  // namespace attune
