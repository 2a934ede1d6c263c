// fuzz_bundle.cpp: the case-bundle reader (store::import_bundle) on arbitrary
// file bytes, with a fixed bundle passphrase, into a fresh copy of a small
// practice database each time (so a crash reproduces from its input alone).
//
// A bundle is an SQLCipher file: a mutated encrypted page fails its HMAC, so
// byte mutations of a real bundle only ever reach the "wrong passphrase or not
// a bundle" path. To reach the reader's SQL (info checks, clash checks, the
// merge) the target also accepts the bundle's *decrypted* form: an input that
// starts with the plaintext SQLite header is first encrypted with the fixed
// passphrase (sqlcipher_export), then imported. Other inputs are the bundle
// file as is; one that starts with a sealed bundle's magic line
// (formats/sealed_bundle.h, seed sealed_header.attune) reaches the sealed
// header's reader, and is then refused: the fuzz practice has no keys.
//
// Key derivation: the process lowers SQLCipher's default PBKDF2 iteration
// count to 1 (PRAGMA cipher_default_kdf_iter), or each run would spend most
// of its time in 256,000 HMAC-SHA512 rounds. The code under test is the same.
//
// The contract: StoreError or a report, nothing else.
#include <sqlcipher/sqlite3.h>

#include <cstdio>
#include <cstring>

#include "fuzz_support.h"
#include "core/error.h"
#include "services/bundles.h"
#include "services/open_practice.h"

using namespace attune;

namespace {

constexpr const char* kPassphrase = "fuzz bundle passphrase";
constexpr const char* kPerson = "Fuzz Supervisor";  // the plaintext practice's only person
constexpr char kSqliteHeader[] = "SQLite format 3";  // 16 bytes with its NUL, as in the file

void exec_or_abort(sqlite3* db, const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) std::abort();
}

struct Fixture {
    fuzz::ScratchDir scratch;
    std::filesystem::path pristine = scratch.path() / "pristine.db";

    Fixture() {
        sqlite3* db = nullptr;
        if (sqlite3_open(":memory:", &db) != SQLITE_OK) std::abort();
        exec_or_abort(db, "PRAGMA cipher_default_kdf_iter = 1");
        exec_or_abort(db, "PRAGMA cipher_log_level = NONE");  // no HMAC failure lines for every mutated page
        sqlite3_close(db);
        services::OpenRequest request;
        request.path = pristine;
        request.create_if_missing = true;
        request.allow_unencrypted = true;
        request.new_administrator = kPerson;
        // Closing the last connection checkpoints the WAL: the main file is the whole database.
        services::OpenPractice::open(std::move(request));
    }
};

// Encrypts a plaintext SQLite image into `out` with the fixed passphrase.
// Returns false when SQLite cannot read the image at all.
bool encrypt_image(const std::filesystem::path& plain, const std::filesystem::path& out) {
    sqlite3* db = nullptr;
    bool ok = sqlite3_open_v2(plain.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) == SQLITE_OK;
    if (ok) {
        const std::string sql = "ATTACH DATABASE '" + out.string() + "' AS enc KEY '" + kPassphrase +
                                "'; SELECT sqlcipher_export('enc'); DETACH DATABASE enc;";
        char* error = nullptr;
        ok = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK;
        if (error && std::getenv("ATTUNE_FUZZ_VERBOSE")) std::fprintf(stderr, "fuzz_bundle: encrypting: %s\n", error);
        sqlite3_free(error);
    }
    sqlite3_close(db);
    return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Fixture fixture;
    const std::filesystem::path& dir = fixture.scratch.path();
    const std::filesystem::path target = dir / "practice.db";
    const std::filesystem::path bundle = dir / "input.attune-bundle";
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::filesystem::remove(target.string() + suffix, ec);
        std::filesystem::remove(bundle.string() + suffix, ec);
    }
    std::filesystem::copy_file(fixture.pristine, target, ec);
    if (ec) std::abort();

    if (size >= sizeof kSqliteHeader && std::memcmp(data, kSqliteHeader, sizeof kSqliteHeader) == 0) {
        const std::filesystem::path plain = dir / "plain.db";
        std::filesystem::remove(plain, ec);
        fuzz::write_bytes(plain, data, size);
        encrypt_image(plain, bundle);  // a partial export is still worth reading
        std::filesystem::remove(plain, ec);
    } else {
        fuzz::write_bytes(bundle, data, size);
    }

    services::OpenRequest request;
    request.path = target;
    request.person = kPerson;
    try {
        auto practice = services::OpenPractice::open(std::move(request));
        const BundleImportReport report =
            services::import_bundle(*practice, bundle, services::KeyMaterial(kPassphrase));
        if (report.created.total() < 0 || report.updated.total() < 0) std::abort();
    } catch (const Error& e) {
        if (std::getenv("ATTUNE_FUZZ_VERBOSE")) std::fprintf(stderr, "fuzz_bundle: %s\n", e.what());
    }
    return 0;
}
