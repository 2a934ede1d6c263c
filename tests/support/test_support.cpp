#include "support/test_support.h"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace attune::test {

TempDir::TempDir() {
    std::random_device device;
    std::mt19937_64 rng(device());
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = std::filesystem::temp_directory_path() /
                         ("attune-test-" + std::to_string(rng() % 1000000000));
        if (std::filesystem::create_directory(candidate)) {
            path_ = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

namespace {

// What Attune keeps in the config folder (settings, the audit checkpoints of
// services/audit_checkpoint.h) goes to a folder of this test process's own,
// never the user's; a test that needs a particular one sets its own.
struct OwnConfigFolder {
    std::unique_ptr<TempDir> dir;
    OwnConfigFolder() {
        if (std::getenv("XDG_CONFIG_HOME")) return;
        dir = std::make_unique<TempDir>();
        setenv("XDG_CONFIG_HOME", dir->path().c_str(), 1);
    }
};
const OwnConfigFolder kOwnConfigFolder;

}  // namespace

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void write_file(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

void wait_for_next_second() { std::this_thread::sleep_for(std::chrono::milliseconds(1100)); }

std::filesystem::path test_data_dir() { return ATTUNE_TEST_DATA_DIR; }
std::filesystem::path shared_dir() { return ATTUNE_SHARED_DIR; }
std::filesystem::path attune_binary() { return ATTUNE_BINARY; }
std::filesystem::path bench_binary() { return ATTUNE_BENCH_BINARY; }
std::filesystem::path assets_dir() { return std::filesystem::path(ATTUNE_TEST_DATA_DIR) / ".." / ".." / "assets"; }

}  // namespace attune::test
