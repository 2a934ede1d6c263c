#include "core/json_limits.h"

#include <algorithm>
#include <string>

namespace attune {

int json_nesting_depth(std::string_view text, int limit) {
    int depth = 0;
    int deepest = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
            if (deepest > limit) return deepest;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

std::string json_limit_problem(std::string_view text, std::size_t max_bytes, int max_depth) {
    if (text.size() > max_bytes)
        return max_bytes >= 1024 ? "the file is larger than " + std::to_string(max_bytes / 1024) + " KB"
                                 : "the file is larger than " + std::to_string(max_bytes) + " bytes";
    if (json_nesting_depth(text, max_depth) > max_depth)
        return "the JSON is nested deeper than " + std::to_string(max_depth) + " levels";
    return "";
}

}  // namespace attune
