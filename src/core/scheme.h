// scheme.h: a coding scheme (categories and codes) and code look-up.
// The default scheme lives in assets/coding_scheme.json; io/scheme_file
// parses it. Code ids are stable machine ids: never rename one.
#pragma once

#include "core/model.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attune {

struct Category {
    std::string id;     // e.g. "withdrawal"
    std::string label;  // e.g. "Withdrawal"
    Polarity polarity = Polarity::Rupture;
    CycleRole cycle_role = CycleRole::None;
};

struct Code {
    std::string id;           // e.g. "defensive_anger"
    std::string label;        // e.g. "Defensive anger"
    std::string category;     // Category::id
    std::string description;  // what the coder sees
    std::string example;      // a short example, for the coding guide
    EventKind kind = EventKind::Point;
    std::string hotkey;       // one key, e.g. "d"; may be empty
    // Copied from the category so that metrics need one look-up per observation.
    Polarity polarity = Polarity::Rupture;
    CycleRole cycle_role = CycleRole::None;
};

struct CodingScheme {
    std::string name;  // e.g. "Couple process codes (EFT-informed)"
    int version = 1;
    // Names earlier editions of this scheme went by, so that a practice that
    // stored one recognises this as its next version (see is_later_edition).
    std::vector<std::string> former_names;
    std::vector<Category> categories;
    std::vector<Code> codes;

    // Matches a code by id or label, case and surrounding spaces ignored.
    const Code* find(std::string_view id_or_label) const;
    const Category* find_category(std::string_view id) const;
    // Codes of one category, in scheme order.
    std::vector<const Code*> codes_in(std::string_view category_id) const;
};

// True when `candidate` is a later edition of `stored`: the same scheme (same
// name, or stored's name among candidate's former names) with a higher version.
// A practice stores such a candidate, and codes its new cases with it; cases
// and sessions keep the version they were coded with.
bool is_later_edition(const CodingScheme& candidate, const CodingScheme& stored);

// [SECTION] Hotkeys
// Therapist moves are logged for the therapist only; they share hotkey letters
// with the partners' codes, the active partner deciding which row a key means.
bool is_therapist_code(const Code& code);
// The user's own hotkeys (Settings): code id -> one letter a-z, or "" for none.
using HotkeyOverrides = std::map<std::string, std::string>;
// The scheme with the user's hotkeys in place of its own; ids the scheme does not
// know are ignored (settings outlive schemes).
CodingScheme with_hotkeys(CodingScheme scheme, const HotkeyOverrides& overrides);
// The first letter used twice within the partners' codes or within the
// therapist's, as a sentence naming both codes; nullopt when there is none.
std::optional<std::string> hotkey_clash(const CodingScheme& scheme);
bool is_hotkey_letter(std::string_view key);

// Lower-cases ASCII letters and trims surrounding white space.
std::string normalize_key(std::string_view text);

}  // namespace attune
