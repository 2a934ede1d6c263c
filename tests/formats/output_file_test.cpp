// formats::write_output, the one writer of the files Attune hands to a person:
// a regular file is replaced whole (a new file renamed over it, mode 0600), a
// link stays a link, a FIFO stays a FIFO, a folder is refused by name.
#include "formats/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <cerrno>
#include <string>
#include <vector>

#include "core/error.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;
namespace fs = std::filesystem;

namespace {

struct stat stat_of(const fs::path& path) {
    struct stat info {};
    REQUIRE(::lstat(path.c_str(), &info) == 0);
    return info;
}

std::vector<std::string> names_in(const fs::path& folder) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// The message of the attune::Error that `action` throws.
template <typename F>
std::string error_of(F action) {
    try {
        action();
    } catch (const Error& e) {
        CHECK(e.kind() == Error::Kind::Io);
        return e.what();
    }
    FAIL("no attune::Error was thrown");
    return {};
}

}  // namespace

TEST_CASE("a regular file is replaced by a whole new file of mode 0600, nothing left beside it", "[output]") {
    test::TempDir dir;
    const fs::path file = dir / "note.txt";
    test::write_file(file, "the old text, longer than the new one");
    REQUIRE(::chmod(file.c_str(), 0644) == 0);
    const ino_t before = stat_of(file).st_ino;

    const formats::OutputWritten written = formats::write_output(file, "new");
    CHECK(written.replaced_atomically);
    CHECK(written.written == file);
    CHECK(test::read_file(file) == "new");
    const struct stat after = stat_of(file);
    CHECK(S_ISREG(after.st_mode));
    CHECK((after.st_mode & 0777) == 0600);
    CHECK(after.st_ino != before);  // renamed over the old one, not rewritten in place
    CHECK(names_in(dir.path()) == std::vector<std::string>{"note.txt"});
}

TEST_CASE("a new file is created with mode 0600", "[output]") {
    test::TempDir dir;
    const fs::path file = dir / "summary.pdf";
    formats::write_output(file, "%PDF");
    CHECK(test::read_file(file) == "%PDF");
    CHECK((stat_of(file).st_mode & 0777) == 0600);
    CHECK(names_in(dir.path()) == std::vector<std::string>{"summary.pdf"});
}

TEST_CASE("writing through a symbolic link changes its target and keeps the link a link", "[output]") {
    test::TempDir dir;
    fs::create_directories(dir / "records");
    const fs::path target = dir / "records" / "real.txt";
    test::write_file(target, "old");
    const fs::path link = dir / "latest.txt";
    fs::create_symlink(fs::path("records") / "real.txt", link);

    const formats::OutputWritten written = formats::write_output(link, "new content");
    CHECK(written.written == fs::canonical(target));
    CHECK(S_ISLNK(stat_of(link).st_mode));
    CHECK(fs::read_symlink(link) == fs::path("records") / "real.txt");
    CHECK(test::read_file(target) == "new content");
    CHECK(names_in(dir / "records") == std::vector<std::string>{"real.txt"});
}

TEST_CASE("a FIFO is written directly and stays a FIFO", "[output]") {
    test::TempDir dir;
    const fs::path fifo = dir / "pipe";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // The reading end is opened first, without blocking, so that the writer's
    // open succeeds at once and a failing write_output cannot hang the test.
    // The text is far smaller than the pipe's buffer.
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    REQUIRE(reader >= 0);
    const std::string text = "case,session\nC-017,1\n";

    const formats::OutputWritten written = formats::write_output(fifo, text);
    CHECK_FALSE(written.replaced_atomically);
    std::string received;
    char buffer[256];
    for (;;) {
        const ssize_t n = ::read(reader, buffer, sizeof buffer);
        if (n > 0)
            received.append(buffer, static_cast<std::size_t>(n));
        else if (n == 0 || errno != EINTR)
            break;
    }
    ::close(reader);
    CHECK(received == text);
    CHECK(S_ISFIFO(stat_of(fifo).st_mode));
    CHECK(names_in(dir.path()) == std::vector<std::string>{"pipe"});
}

TEST_CASE("writing to a folder fails with a message naming it", "[output]") {
    test::TempDir dir;
    fs::create_directories(dir / "exports");
    const std::string message = error_of([&] { formats::write_output(dir / "exports", "text"); });
    CHECK_THAT(message, ContainsSubstring((dir / "exports").string()));
    CHECK_THAT(message, ContainsSubstring("folder"));
    CHECK(fs::is_directory(dir / "exports"));
    CHECK(names_in(dir / "exports").empty());
}

TEST_CASE("writing into a folder that does not exist fails naming the path and creates nothing", "[output]") {
    test::TempDir dir;
    const fs::path file = dir / "no-such-folder" / "note.txt";
    const std::string message = error_of([&] { formats::write_output(file, "text"); });
    CHECK_THAT(message, ContainsSubstring(file.string()));
    CHECK(names_in(dir.path()).empty());
}
