// file_source.h: a plain file as a ByteSource (a recording linked in place,
// unencrypted, by the user's explicit choice).
#pragma once

#include <filesystem>

#include "core/byte_source.h"

namespace attune::formats {

class FileSource final : public ByteSource {
public:
    // Throws std::runtime_error naming the file when it cannot be opened.
    explicit FileSource(const std::filesystem::path& path);
    ~FileSource() override;
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    std::uint64_t size() const override { return size_; }
    std::size_t read(std::uint64_t offset, void* buffer, std::size_t n) override;  // pread: thread-safe

private:
    std::filesystem::path path_;
    int fd_ = -1;
    std::uint64_t size_ = 0;  // as when opened: a recording is not written while it is played
};

}  // namespace attune::formats
