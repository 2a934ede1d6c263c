#include "app/cli_args.h"

#include <cmath>
#include <cstdlib>

namespace attune::app {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
           const std::set<std::string>& flags)
    : known_valued_(valued) {
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        if (arg.rfind("--", 0) != 0 || arg == "--") {
            positional_.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inline_value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (flags.count(name)) {
            if (inline_value) throw UsageError("--" + name + " takes no value");
            flags_.insert(name);
        } else if (valued.count(name)) {
            if (inline_value) {
                values_[name] = *inline_value;
            } else {
                if (i + 1 >= argv.size()) throw UsageError("--" + name + " needs a value");
                values_[name] = argv[++i];
            }
            all_values_[name].push_back(values_[name]);
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
}

bool Args::has(const std::string& name) const {
    return flags_.count(name) > 0 || values_.count(name) > 0;
}

std::optional<std::string> Args::get(const std::string& name) const {
    auto found = values_.find(name);
    if (found == values_.end()) return std::nullopt;
    return found->second;
}

std::vector<std::string> Args::get_all(const std::string& name) const {
    auto found = all_values_.find(name);
    return found == all_values_.end() ? std::vector<std::string>() : found->second;
}

std::string Args::require(const std::string& name) const {
    auto value = get(name);
    if (!value || value->empty()) throw UsageError("--" + name + " is required");
    return *value;
}

std::optional<int> Args::get_int(const std::string& name, int lo, int hi) const {
    auto value = get(name);
    if (!value) return std::nullopt;
    char* end = nullptr;
    const long parsed = std::strtol(value->c_str(), &end, 10);
    if (value->empty() || *end != '\0' || parsed < lo || parsed > hi)
        throw UsageError("--" + name + " must be a whole number from " + std::to_string(lo) + " to " +
                         std::to_string(hi) + " (got '" + *value + "')");
    return static_cast<int>(parsed);
}

std::optional<double> Args::get_double(const std::string& name, double lo, double hi) const {
    auto value = get(name);
    if (!value) return std::nullopt;
    char* end = nullptr;
    const double parsed = std::strtod(value->c_str(), &end);
    if (value->empty() || *end != '\0' || !std::isfinite(parsed) || parsed < lo || parsed > hi)
        throw UsageError("--" + name + " must be a number from " + std::to_string(static_cast<long>(lo)) + " to " +
                         std::to_string(static_cast<long>(hi)) + " (got '" + *value + "')");
    return parsed;
}

}  // namespace attune::app
