// cli_args.h: a small, strict command-line argument reader.
// Every option must be known to the command; anything else is a usage error.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace attune::app {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Args {
public:
    // `valued`: options that take a value (--db F); `flags`: options that do not.
    Args(const std::vector<std::string>& argv, const std::set<std::string>& valued, const std::set<std::string>& flags);

    bool has(const std::string& name) const;
    std::optional<std::string> get(const std::string& name) const;  // the last one given
    // Every value of an option that may be given more than once, in order.
    std::vector<std::string> get_all(const std::string& name) const;
    std::string require(const std::string& name) const;
    std::optional<int> get_int(const std::string& name, int lo, int hi) const;
    std::optional<double> get_double(const std::string& name, double lo, double hi) const;
    const std::vector<std::string>& positional() const { return positional_; }
    // The command takes this valued option at all (whether given or not).
    bool valued_known(const std::string& name) const { return known_valued_.count(name) > 0; }

private:
    std::map<std::string, std::string> values_;
    std::map<std::string, std::vector<std::string>> all_values_;
    std::set<std::string> flags_;
    std::vector<std::string> positional_;
    std::set<std::string> known_valued_;
};

}  // namespace attune::app
