#include "formats/output_file.h"

#include "core/error.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace attune::formats {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const fs::path& path, const std::string& what, int error) {
    throw Error(Error::Kind::Io, "cannot write " + path.string() + ": " + what + " (" + std::strerror(error) + ")");
}

void write_all(int fd, std::string_view bytes, const fs::path& path) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(path, "writing failed", errno);
        }
        done += static_cast<std::size_t>(n);
    }
}

// A regular file (or a new name): temporary file, fsync, (the caller's last
// word,) rename, fsync of the folder.
void replace_atomically(const fs::path& target, std::string_view bytes, const std::function<void()>& before_commit) {
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string pattern = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(pattern.data());  // mode 0600
    if (fd < 0) fail(target, "the folder does not exist or may not be written", errno);
    const fs::path temporary = pattern;
    try {
        write_all(fd, bytes, target);
        if (::fsync(fd) != 0) fail(target, "flushing to disk failed", errno);
    } catch (...) {
        ::close(fd);
        ::unlink(temporary.c_str());
        throw;
    }
    ::close(fd);
    if (before_commit) {
        try {
            before_commit();
        } catch (...) {
            ::unlink(temporary.c_str());
            throw;
        }
    }
    if (::rename(temporary.c_str(), target.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        fail(target, "the finished file could not take its name", error);
    }
    if (const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

}  // namespace

OutputWritten write_output(const fs::path& path, std::string_view bytes,
                           const std::function<void(const OutputWritten&)>& before_commit) {
    if (path.empty()) throw Error(Error::Kind::Io, "no file name was given to write to");
    fs::path target = path;
    struct stat info {};
    if (::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode)) {
        // Written through: the link keeps pointing where the user made it point.
        std::error_code ec;
        const fs::path resolved = fs::weakly_canonical(path, ec);
        if (ec) fail(path, "the link cannot be followed", ec.value());
        target = resolved;
    }
    if (::stat(target.c_str(), &info) == 0) {
        if (S_ISDIR(info.st_mode)) throw Error(Error::Kind::Io, "cannot write " + path.string() + ": it is a folder");
        if (!S_ISREG(info.st_mode)) {
            // A device, FIFO or socket: written in place, never replaced.
            const int fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC);
            if (fd < 0) fail(path, "it cannot be opened for writing", errno);
            try {
                write_all(fd, bytes, path);
            } catch (...) {
                ::close(fd);
                throw;
            }
            ::close(fd);
            const OutputWritten written{target, false};
            if (before_commit) before_commit(written);
            return written;
        }
    }
    const OutputWritten written{target, true};
    replace_atomically(target, bytes, before_commit ? std::function<void()>([&] { before_commit(written); })
                                                    : std::function<void()>());
    return written;
}

}  // namespace attune::formats
