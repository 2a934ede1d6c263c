#include "formats/file_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace attune::formats {

FileSource::FileSource(const std::filesystem::path& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
        const std::string reason = fd_ < 0 ? std::strerror(errno) : "not a regular file";
        if (fd_ >= 0) ::close(fd_);
        throw std::runtime_error("Cannot open the recording " + path.string() + ": " + reason + ".");
    }
    size_ = static_cast<std::uint64_t>(st.st_size);
}

FileSource::~FileSource() {
    ::close(fd_);
}

std::size_t FileSource::read(std::uint64_t offset, void* buffer, std::size_t n) {
    auto* out = static_cast<char*>(buffer);
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::pread(fd_, out + got, n - got, static_cast<off_t>(offset + got));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) throw std::runtime_error("Cannot read " + path_.string() + ": " + std::strerror(errno) + ".");
        if (r == 0) break;
        got += static_cast<std::size_t>(r);
    }
    return got;
}

}  // namespace attune::formats
