// What happens when the file system or the file itself lets Attune down:
// every fault gets a plain error and nothing committed is lost or damaged.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch_test_macros.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "store/maintenance.h"
#include "store/security.h"
#include "store/security_fixture.h"
#include "store/sqlite_access.h"

using namespace attune;
using namespace attune::store;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPassphrase = "fault passphrase";

// A small tmpfs, unmounted however the test ends.
class TmpfsMount {
public:
    TmpfsMount(const fs::path& dir, const char* size) : dir_(dir) {
        fs::create_directories(dir_);
        const std::string data = std::string("size=") + size + ",mode=0700";
        mounted_ = ::mount("tmpfs", dir_.c_str(), "tmpfs", 0, data.c_str()) == 0;
        if (!mounted_) error_ = std::strerror(errno);
    }
    ~TmpfsMount() {
        if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    }
    TmpfsMount(const TmpfsMount&) = delete;
    TmpfsMount& operator=(const TmpfsMount&) = delete;
    bool mounted() const { return mounted_; }
    const std::string& error() const { return error_; }

private:
    fs::path dir_;
    bool mounted_ = false;
    std::string error_;
};

// Writes until the disk says no; returns the bytes written.
std::uintmax_t fill_disk(const fs::path& file) {
    std::FILE* out = std::fopen(file.c_str(), "wb");
    REQUIRE(out != nullptr);
    const std::string block(4096, 'x');
    std::uintmax_t written = 0;
    while (std::fwrite(block.data(), 1, block.size(), out) == block.size() && std::fflush(out) == 0)
        written += block.size();
    std::fclose(out);
    return written;
}

// What opening and checking the file reported: empty when all seemed well.
std::string open_and_check(const fs::path& path) {
    try {
        OpenOptions options = test::store_options(path, kPassphrase, false);
        options.read_only = true;
        auto db = Database::open(options);
        const HealthReport report = check_health(*db);
        if (report.ok()) return "";
        std::string out = "check failed:";
        for (const std::string& m : report.integrity_messages)
            out += " " + m;
        return out;
    } catch (const StoreError& e) {
        return e.what();
    }
}

void make_practice(const fs::path& path, int observations) {
    test::PracticeWithSession p(path, kPassphrase);
    auto logger = p.logger();
    for (int i = 0; i < observations; ++i)
        logger.press(Who::A, p.code(), i + 1.0);
}

}  // namespace

// [SECTION] The file system

namespace {

// Makes `path` unwritable, also for root: chmod 0444, and where that does not
// stop the caller (root ignores modes) the file system's immutable flag, which
// binds root too (ext4, xfs, btrfs; not tmpfs or overlayfs). False when neither works.
bool make_unwritable(const fs::path& path) {
    ::chmod(path.c_str(), 0444);
    if (::access(path.c_str(), W_OK) != 0) return true;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    int flags = 0;
    bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    flags |= FS_IMMUTABLE_FL;
    ok = ok && ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
    ::close(fd);
    const int probe = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (probe >= 0) ::close(probe);
    return ok && probe < 0;
}

void make_writable(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        int flags = 0;
        if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & FS_IMMUTABLE_FL)) {
            flags &= ~FS_IMMUTABLE_FL;
            ::ioctl(fd, FS_IOC_SETFLAGS, &flags);
        }
        ::close(fd);
    }
    ::chmod(path.c_str(), 0600);
}

}  // namespace

TEST_CASE("a database made read-only on disk refuses the write plainly and the press stays pending") {
    test::TempDir dir;
    const auto path = dir / "p.db";
    make_practice(path, 2);
    if (!make_unwritable(path)) {
        make_writable(path);
        SKIP("neither chmod 0444 nor the immutable flag stops this user writing here, so the fault cannot be staged");
    }
    {
        test::PracticeWithSession p(path, kPassphrase, false);
        auto logger = p.logger();
        const LogOutcome outcome = logger.press(Who::B, p.code(), 9.0);
        make_writable(path);  // before any REQUIRE, so that the temporary folder can go
        REQUIRE(outcome.status == LogOutcome::Status::Pending);
        REQUIRE(outcome.error.find("read-only") != std::string::npos);
        REQUIRE(logger.pending().size() == 1);
    }
    test::PracticeWithSession p(path, kPassphrase, false);
    REQUIRE(p.observations() == 2);
    REQUIRE(check_health(p.db()).ok());
}

TEST_CASE("a database moved away while open keeps the press pending and writes it once it is back") {
    test::TempDir dir;
    const auto path = dir / "p.db";
    test::PracticeWithSession p(path, kPassphrase);
    auto logger = p.logger();
    REQUIRE(logger.press(Who::A, p.code(), 1.0).status == LogOutcome::Status::Saved);
    fs::rename(path, dir / "elsewhere.db");
    const LogOutcome outcome = logger.press(Who::B, p.code(), 2.0);
    REQUIRE(outcome.status == LogOutcome::Status::Pending);
    REQUIRE_FALSE(outcome.error.empty());
    REQUIRE(logger.pending().size() == 1);
    fs::rename(dir / "elsewhere.db", path);
    REQUIRE(logger.retry());
    REQUIRE(logger.pending().empty());
    REQUIRE(p.observations() == 2);
}

TEST_CASE("a state stop that fails stays a stop when retried: the state is closed, never started twice") {
    test::TempDir dir;
    const auto path = dir / "p.db";
    test::PracticeWithSession p(path, kPassphrase);
    const Code& shut_down = *p.scheme.find("shut_down");
    auto logger = p.logger();
    const LogOutcome started = logger.press(Who::B, shut_down, 10.0);
    REQUIRE(started.status == LogOutcome::Status::Saved);
    REQUIRE(started.action == LogOutcome::Action::StateStarted);

    fs::rename(path, dir / "elsewhere.db");
    const LogOutcome stopping = logger.press(Who::B, shut_down, 25.0);
    REQUIRE(stopping.status == LogOutcome::Status::Pending);
    REQUIRE(stopping.action == LogOutcome::Action::StateStopped);
    REQUIRE(logger.pending().size() == 1);
    fs::rename(dir / "elsewhere.db", path);
    REQUIRE(logger.retry());

    const auto stored = ObservationRepository(p.db()).list_for_session(p.session_id);
    REQUIRE(stored.size() == 1);
    REQUIRE(stored[0].id == started.observation.id);
    REQUIRE(stored[0].t == 10.0);
    REQUIRE(stored[0].stop == std::optional<double>(25.0));
    REQUIRE(ObservationRepository(p.db()).open_states(p.session_id).empty());
    // Undo after the retried stop re-opens the state, as it would after a stop saved at once.
    REQUIRE(logger.undo_last().has_value());
    REQUIRE(ObservationRepository(p.db()).open_states(p.session_id).size() == 1);
}

TEST_CASE("a state started and stopped while the database is away is written as one whole pair") {
    test::TempDir dir;
    const auto path = dir / "p.db";
    test::PracticeWithSession p(path, kPassphrase);
    const Code& shut_down = *p.scheme.find("shut_down");
    auto logger = p.logger();
    REQUIRE(logger.press(Who::A, p.code(), 1.0).status == LogOutcome::Status::Saved);
    fs::rename(path, dir / "elsewhere.db");
    REQUIRE(logger.press(Who::A, shut_down, 30.0).status == LogOutcome::Status::Pending);
    const LogOutcome stopped = logger.press(Who::A, shut_down, 42.0);
    REQUIRE(stopped.status == LogOutcome::Status::Pending);
    REQUIRE(stopped.action == LogOutcome::Action::StateStopped);
    REQUIRE(logger.pending().size() == 1);  // the stop completed the queued start
    // A third press starts the state again: a new pending start behind the pair.
    REQUIRE(logger.press(Who::A, shut_down, 50.0).action == LogOutcome::Action::StateStarted);
    REQUIRE(logger.pending().size() == 2);
    fs::rename(dir / "elsewhere.db", path);
    REQUIRE(logger.retry());

    const auto stored = ObservationRepository(p.db()).list_for_session(p.session_id);
    REQUIRE(stored.size() == 3);
    REQUIRE(stored[1].code_id == "shut_down");
    REQUIRE(stored[1].t == 30.0);
    REQUIRE(stored[1].stop == std::optional<double>(42.0));
    REQUIRE(stored[2].t == 50.0);
    REQUIRE_FALSE(stored[2].stop.has_value());
    REQUIRE(ObservationRepository(p.db()).open_states(p.session_id).size() == 1);
}

TEST_CASE("a database deleted while open keeps the press pending instead of writing into a ghost file") {
    test::TempDir dir;
    const auto path = dir / "p.db";
    test::PracticeWithSession p(path, kPassphrase);
    auto logger = p.logger();
    REQUIRE(logger.press(Who::A, p.code(), 1.0).status == LogOutcome::Status::Saved);
    fs::remove(path);
    const LogOutcome outcome = logger.press(Who::B, p.code(), 2.0);
    REQUIRE(outcome.status == LogOutcome::Status::Pending);
    REQUIRE_FALSE(outcome.error.empty());
    REQUIRE(logger.pending().size() == 1);
    REQUIRE(logger.pending().front().observation.t == 2.0);
    REQUIRE_FALSE(logger.retry());  // the file is gone for good: the press stays in memory
    REQUIRE(logger.pending().size() == 1);
}

TEST_CASE("a full disk mid-session loses nothing: the press waits, and is written once there is room") {
    test::TempDir dir;
    const auto mount_dir = dir / "small-disk";
    TmpfsMount mount(mount_dir, "2M");
    if (!mount.mounted()) SKIP("cannot mount a 2 MB tmpfs (" + mount.error() + "); the disk-full test needs root");
    const auto path = mount_dir / "p.db";
    size_t saved = 0, pending = 0;
    {
        test::PracticeWithSession p(path, kPassphrase);
        auto logger = p.logger();
        for (int i = 0; i < 5; ++i)
            REQUIRE(logger.press(Who::A, p.code(), i + 1.0).status == LogOutcome::Status::Saved);
        saved = 5;
        REQUIRE(fill_disk(mount_dir / "filler") > 0);
        LogOutcome outcome;
        for (int i = 0; i < 20000 && outcome.status == LogOutcome::Status::Saved; ++i) {
            outcome = logger.press(i % 2 ? Who::A : Who::B, p.code(), 10.0 + i);
            if (outcome.status == LogOutcome::Status::Saved) ++saved;
        }
        REQUIRE(outcome.status == LogOutcome::Status::Pending);
        INFO(outcome.error);
        REQUIRE(outcome.error.find("disk is full") != std::string::npos);
        // Another press while the disk is still full queues behind the first.
        REQUIRE(logger.press(Who::A, p.code(), 50000.0).status == LogOutcome::Status::Pending);
        pending = logger.pending().size();
        REQUIRE(pending == 2);
        REQUIRE(p.observations() == saved);

        fs::remove(mount_dir / "filler");
        REQUIRE(logger.retry());
        REQUIRE(logger.pending().empty());
        REQUIRE(p.observations() == saved + pending);
        REQUIRE(check_health(p.db()).ok());
    }
    test::PracticeWithSession reopened(path, kPassphrase, false);
    REQUIRE(reopened.observations() == saved + pending);
    REQUIRE(check_health(reopened.db()).integrity_ok);
}

// [SECTION] The file itself

TEST_CASE("a database damaged in the middle is reported plainly, never crashing") {
    test::TempDir dir;
    const auto path = dir / "p.db";
    make_practice(path, 200);
    std::string bytes = test::read_file(path);
    REQUIRE(bytes.size() > 8 * 4096);
    const size_t page = bytes.size() / 4096 / 2;
    for (size_t i = page * 4096 + 100; i < page * 4096 + 400; ++i)
        bytes[i] = static_cast<char>(i * 7);
    test::write_file(path, bytes);
    const std::string report = open_and_check(path);
    INFO(report);
    REQUIRE_FALSE(report.empty());
    REQUIRE_THROWS_AS(verify_database_file(path, kPassphrase), StoreError);
}

TEST_CASE("a truncated database is reported plainly, never crashing") {
    test::TempDir dir;
    const auto path = dir / "p.db";
    make_practice(path, 200);
    fs::resize_file(path, fs::file_size(path) / 2);
    const std::string report = open_and_check(path);
    INFO(report);
    REQUIRE_FALSE(report.empty());
    REQUIRE_THROWS_AS(verify_database_file(path, kPassphrase), StoreError);
}

TEST_CASE("a text file is not taken for a database") {
    test::TempDir dir;
    const auto path = dir / "notes.txt";
    test::write_file(path, "Shopping list: milk, eggs, bread.\nNot a database at all.\n");
    try {
        Database::open(test::store_options(path, kPassphrase, false));
        FAIL("a text file opened as a database");
    } catch (const StoreError& e) {
        REQUIRE(std::string(e.what()).find("not an Attune database") != std::string::npos);
    }
    REQUIRE(test::read_file(path) == "Shopping list: milk, eggs, bread.\nNot a database at all.\n");
}

TEST_CASE("an SQLite database written by another program is refused as not Attune's") {
    test::TempDir dir;
    const auto path = dir / "music.db";
    {
        SQLite::Database other(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        other.exec("CREATE TABLE songs (title TEXT)");
        other.exec("INSERT INTO songs VALUES ('Hallelujah')");
    }
    REQUIRE(is_plaintext_sqlite(path));
    try {
        Database::open(test::store_options(path, kPassphrase, false));
        FAIL("another program's database opened");
    } catch (const StoreError& e) {
        REQUIRE(e.kind() == StoreError::Kind::NotAttune);
        REQUIRE(std::string(e.what()).find("not an Attune database") != std::string::npos);
    }
}

TEST_CASE("an SQLite header followed by junk is reported as damaged, not crashed on") {
    test::TempDir dir;
    const auto path = dir / "junk.db";
    test::write_file(path, std::string("SQLite format 3\0", 16) + std::string(5000, '\x7f'));
    try {
        Database::open(test::store_options(path, kPassphrase, false));
        FAIL("junk opened as a database");
    } catch (const StoreError& e) {
        REQUIRE(std::string(e.what()).find("not an Attune database") != std::string::npos);
    }
}

TEST_CASE("a database from a newer Attune is refused, naming both schema versions") {
    test::TempDir dir;
    const auto path = dir / "p.db";
    {
        auto db = Database::open(test::store_options(path, kPassphrase));
        sql_of(*db).exec("PRAGMA user_version = 99");
    }
    const std::string before = test::read_file(path);
    try {
        Database::open(test::store_options(path, kPassphrase, false));
        FAIL("a newer schema was opened");
    } catch (const StoreError& e) {
        REQUIRE(e.kind() == StoreError::Kind::NewerSchema);
        const std::string message = e.what();
        REQUIRE(message.find("99") != std::string::npos);
        REQUIRE(message.find(std::to_string(Database::kSchemaVersion)) != std::string::npos);
    }
    REQUIRE(test::read_file(path) == before);
}

TEST_CASE("a wrong passphrase creates no -wal or -shm file next to the database") {
    test::TempDir dir;
    const auto path = dir / "p.db";
    make_practice(path, 1);
    REQUIRE_FALSE(fs::exists(path.string() + "-wal"));
    REQUIRE_FALSE(fs::exists(path.string() + "-shm"));
    REQUIRE_THROWS_AS(Database::open(test::store_options(path, "wrong", false)), StoreError);
    REQUIRE_FALSE(fs::exists(path.string() + "-wal"));
    REQUIRE_FALSE(fs::exists(path.string() + "-shm"));
}
