// boris_map.cpp: the small parts of the BORIS import around the plan:
// behaviour maps (--map, --map-file), where an event is, and derived uuids.
#include <fstream>
#include <sstream>

#include "core/scheme.h"
#include "core/sha256.h"
#include "core/text.h"
#include "formats/boris.h"

namespace attune::formats {
namespace fs = std::filesystem;

namespace {

// "BORIS=ATTUNE" (or with a tab or comma for '='); false when there is no separator.
bool split_entry(const std::string& text, std::string& from, std::string& to) {
    size_t at = text.find('=');
    if (at == std::string::npos) at = text.find('\t');
    if (at == std::string::npos) at = text.find(',');
    if (at == std::string::npos) return false;
    from = trim(text.substr(0, at));
    to = trim(text.substr(at + 1));
    return !from.empty();
}

void add_entry(BehaviorMap& map, const std::string& from, const std::string& to, const std::string& where) {
    const std::string key = normalize_key(from);
    auto [slot, added] = map.emplace(key, to);
    if (!added && normalize_key(slot->second) != normalize_key(to))
        throw BorisImportError(where + "'" + from + "' is mapped twice, to '" + slot->second + "' and to '" + to +
                               "'; nothing was imported");
}

}  // namespace

BehaviorMap parse_behavior_map(std::string_view text) {
    BehaviorMap map;
    for (const std::string& part : split(text, ',')) {
        if (trim(part).empty()) continue;
        const size_t at = part.find('=');
        if (at == std::string::npos || trim(part.substr(0, at)).empty())
            throw BorisImportError("the behaviour map '" + trim(part) +
                                   "' is not BORIS=ATTUNE (e.g. --map Sniff=validate,Turn_away=shut_down); nothing "
                                   "was imported");
        add_entry(map, trim(part.substr(0, at)), trim(part.substr(at + 1)), "the behaviour map: ");
    }
    return map;
}

BehaviorMap read_behavior_map_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw BorisImportError(path.string() + ": cannot read the behaviour map; nothing was imported");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    if (text.size() > (1u << 20))
        throw BorisImportError(path.string() +
                               ": a behaviour map of more than 1 MB is not a map; nothing was imported");
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    if (!is_valid_utf8(text))
        throw BorisImportError(path.string() + ": the behaviour map is not UTF-8 text; nothing was imported");
    BehaviorMap map;
    int number = 0;
    for (std::string line : split(text, '\n')) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const std::string trimmed = trim(line);
        if (trimmed.empty() || trimmed.front() == '#') continue;
        std::string from, to;
        if (!split_entry(trimmed, from, to))
            throw BorisImportError(path.string() + " line " + std::to_string(number) +
                                   ": expected BORIS=ATTUNE (a BORIS behaviour and the Attune code it becomes); "
                                   "nothing was imported");
        add_entry(map, from, to, path.string() + " line " + std::to_string(number) + ": ");
    }
    return map;
}

std::string describe_location(const BorisData& data, const BorisObservation& observation, const BorisEvent& event) {
    const std::string file = data.file.filename().string();
    if (event.line > 0) return file + " line " + std::to_string(event.line);
    return file + ", observation '" + observation.id + "', event " + std::to_string(event.index);
}

std::string derived_uuid(const std::vector<std::string>& parts) {
    std::string name;
    for (const std::string& part : parts)
        name += std::to_string(part.size()) + ':' + part + '|';
    std::string hex = sha256_hex(name).substr(0, 32);
    hex[12] = '8';  // version 8: custom, here SHA-256 name-based
    static constexpr char kHex[] = "0123456789abcdef";
    const int variant_nibble = hex[16] >= 'a' ? hex[16] - 'a' + 10 : hex[16] - '0';
    hex[16] = kHex[(variant_nibble & 0x3) | 0x8];  // RFC 9562 variant
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
           hex.substr(20, 12);
}

}  // namespace attune::formats
