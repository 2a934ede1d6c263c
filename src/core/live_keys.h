// live_keys.h: what a key means in the live session. A digit 1-4 chooses who
// (A, B, both, therapist); a letter logs the code with that hotkey for who is
// chosen (the therapist's codes for the therapist, the partners' for the
// others). Used by the live view's keys and to recognise those keys when they
// were typed into a quote by mistake ("you never listen 2s4r").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/scheme.h"

namespace attune {

// (The code a letter logs for a person: code_for_key, core/scheme.h.)
// Who a digit key chooses: 1 A, 2 B, 3 both, 4 therapist; empty for others.
std::optional<Who> who_for_digit(char digit);

// One code key in a text, as the live session would have logged it.
struct TypedCode {
    Who who = Who::A;
    const Code* code = nullptr;  // points into the scheme given
    std::size_t at = 0;          // index of its letter in the text
};

// Live keys typed at the end of a text: the longest tail that starts with a
// digit 1-4 and holds only digits 1-4, spaces and letters that each are a code
// for who the digit before chose ("2s4r", "2 s 4 r", "listen 2s"). Empty when
// the tail has no such run or the run logs no code.
struct KeysAtEnd {
    std::size_t start = 0;  // where the run begins: the text before it is the quote
    std::string keys;       // the run's keys, spaces dropped ("2s4r")
    std::vector<TypedCode> codes;
};
std::optional<KeysAtEnd> code_keys_at_end(const std::string& text, const CodingScheme& scheme);

}  // namespace attune
