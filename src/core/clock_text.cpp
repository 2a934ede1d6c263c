#include "core/clock_text.h"

#include <cmath>
#include <cstdlib>
#include <ctime>

#include "core/text.h"

namespace attune {

std::optional<double> parse_clock(std::string_view text) {
    const std::string t = trim(text);
    if (t.empty()) return std::nullopt;
    const std::vector<std::string> parts = split(t, ':');
    if (parts.size() > 3) return std::nullopt;
    double total = 0;
    for (size_t i = 0; i < parts.size(); ++i) {
        const std::string& part = parts[i];
        const bool last = i + 1 == parts.size();
        if (part.empty() || part == ".") return std::nullopt;
        // Digits only, and a fraction only in the last part (the seconds).
        size_t dots = 0;
        for (char ch : part) {
            if (ch == '.')
                ++dots;
            else if (ch < '0' || ch > '9')
                return std::nullopt;
        }
        if (dots > (last ? 1u : 0u)) return std::nullopt;
        const double value = std::strtod(part.c_str(), nullptr);
        if (i > 0 && value >= 60) return std::nullopt;
        total = total * 60 + value;
    }
    if (!std::isfinite(total)) return std::nullopt;
    return total;
}

std::string local_time_text(std::string_view iso_utc, bool with_seconds) {
    // yyyy-mm-ddThh:mm[:ss[.fff]]Z
    const std::string s(iso_utc);
    std::tm utc{};
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    char t = 0;
    int consumed = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c%2d:%2d%n", &year, &month, &day, &t, &hour, &minute, &consumed) != 6 ||
        t != 'T' || consumed != 16)
        return s;
    std::sscanf(s.c_str() + 16, ":%2d", &second);
    if (s.back() != 'Z' || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return s;
    utc.tm_year = year - 1900;
    utc.tm_mon = month - 1;
    utc.tm_mday = day;
    utc.tm_hour = hour;
    utc.tm_min = minute;
    utc.tm_sec = second;
    const std::time_t instant = timegm(&utc);
    std::tm local{};
    localtime_r(&instant, &local);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, with_seconds ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M", &local);
    return buffer;
}

}  // namespace attune
