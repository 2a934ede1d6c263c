// temporary_folder.h: private to src/services. A folder of our own (mode
// 0700) for a bundle database while it is written or read (its pages are
// encrypted with the bundle key either way); removed with everything in it.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "core/error.h"

namespace attune::services {

class TemporaryFolder {
public:
    TemporaryFolder() {
        std::error_code ec;
        std::filesystem::path base = std::filesystem::temp_directory_path(ec);
        if (ec) base = "/tmp";
        std::string pattern = (base / "attune-bundle-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr)  // mode 0700
            throw Error(Error::Kind::Io, "cannot make a temporary folder in " + base.string());
        path_ = pattern;
    }
    ~TemporaryFolder() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TemporaryFolder(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(const TemporaryFolder&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace attune::services
