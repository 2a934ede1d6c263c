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
    const std::string key = normalize_key(id_or_label);
    if (key.empty()) return nullptr;
    for (const Code& code : codes)
        if (normalize_key(code.id) == key) return &code;
    for (const Code& code : codes)
        if (normalize_key(code.label) == key) return &code;
    return nullptr;
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

}  // namespace attune
