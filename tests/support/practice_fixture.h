// practice_fixture.h: a new encrypted practice database for a test (header
// only: the core tests, which link no io, never include it).
#pragma once

#include "io/practice.h"

#include <filesystem>
#include <string>

namespace attune::test {

inline io::Practice new_practice(const std::filesystem::path& path, const std::string& passphrase = "correct horse",
                                 const std::string& user = "Dr Test") {
    store::OpenOptions options;
    options.path = path;
    options.passphrase = passphrase;
    options.create_if_missing = true;
    return io::open_practice(options, user);
}

}  // namespace attune::test
