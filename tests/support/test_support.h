// test_support.h: small helpers shared by every test binary.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

namespace attune::test {

// A fresh directory under the system temp dir, removed when it goes out of scope.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

// An environment variable set for a scope; the old value (or none) back afterwards.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (old_) setenv(name_.c_str(), old_->c_str(), 1);
        else unsetenv(name_.c_str());
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    std::string name_;
    std::optional<std::string> old_;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& content);

// Attune's times of change (updated_at and the like) have whole seconds: a
// change made after this is newer than one made before it.
void wait_for_next_second();

// Paths fixed at configure time.
std::filesystem::path test_data_dir();    // tests/data
std::filesystem::path shared_dir();       // ../shared (BORIS samples, DOMAIN.md)
std::filesystem::path attune_binary();    // the built `attune`
std::filesystem::path bench_binary();     // the built `attune-bench`
std::filesystem::path assets_dir();       // assets/

}  // namespace attune::test
