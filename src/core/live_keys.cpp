#include "core/live_keys.h"

namespace attune {

std::optional<Who> who_for_digit(char digit) {
    switch (digit) {
        case '1':
            return Who::A;
        case '2':
            return Who::B;
        case '3':
            return Who::Both;
        case '4':
            return Who::Therapist;
        default:
            return std::nullopt;
    }
}

namespace {

bool is_lower_letter(char c) {
    return c >= 'a' && c <= 'z';
}

// The run from `start` to the end read as keys; empty unless every key means something.
std::optional<KeysAtEnd> read_keys(const std::string& text, std::size_t start, const CodingScheme& scheme) {
    KeysAtEnd run;
    run.start = start;
    std::optional<Who> who;
    for (std::size_t i = start; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ') continue;
        if (const auto chosen = who_for_digit(c)) {
            who = chosen;
        } else if (is_lower_letter(c) && who) {
            const Code* code = code_for_key(scheme, c, *who);
            if (!code) return std::nullopt;
            run.codes.push_back({*who, code, i});
        } else {
            return std::nullopt;
        }
        run.keys += c;
    }
    if (run.codes.empty()) return std::nullopt;
    return run;
}

}  // namespace

std::optional<KeysAtEnd> code_keys_at_end(const std::string& text, const CodingScheme& scheme) {
    // The tail of keys-like characters; the run is its longest part starting with a digit that reads as keys.
    std::size_t tail = text.size();
    while (tail > 0) {
        const char c = text[tail - 1];
        if (c != ' ' && !who_for_digit(c) && !is_lower_letter(c)) break;
        --tail;
    }
    for (std::size_t start = tail; start < text.size(); ++start)
        if (who_for_digit(text[start]))
            if (auto run = read_keys(text, start, scheme)) return run;
    return std::nullopt;
}

}  // namespace attune
