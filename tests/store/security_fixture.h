// security_fixture.h: a small practice with one case, one running session and
// a logger, shared by the security and fault tests.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "store/database.h"
#include "store/repositories.h"
#include "store/session_logger.h"
#include "support/store_fixture.h"
#include "support/test_support.h"

namespace attune::test {

inline constexpr const char* kSecretMarker = "PLAINTEXT-MARKER-9321";

// `passphrase` is read only while the database opens (store::OpenOptions holds a view).
struct PracticeWithSession {
    StorePractice practice;
    RowId session_id = 0;
    CodingScheme scheme;

    PracticeWithSession(const std::filesystem::path& path, const char* passphrase, bool create = true)
        : practice(open_store_practice(store_options(path, passphrase, create), "Dr Secure")) {
        store::Database& db = *practice.db;
        auto cases = store::CaseRepository(db).list();
        RowId case_id = 0;
        if (cases.empty()) {
            case_id = test::add_couple(db, "Couple Secret").id;
            const Session s = store::SessionRepository(db).start(case_id, "2026-11-01", "10:00", 1000.0);
            store::SessionRepository(db).save_process_note(s.id, std::string(kSecretMarker) + " fears abandonment");
        } else {
            case_id = cases.front().info.id;
        }
        const Session s = store::SessionRepository(db).list_for_case(case_id).back();
        session_id = s.id;
        scheme = store::SchemeRepository(db).get(s.scheme_id);
    }
    store::Database& db() { return *practice.db; }
    store::SessionLogger logger() { return store::SessionLogger(db(), session_id, scheme); }
    const Code& code() const { return *scheme.find("validate"); }
    size_t observations() { return store::ObservationRepository(db()).list_for_session(session_id).size(); }
};

inline bool file_contains(const std::filesystem::path& path, const std::string& needle) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return false;
    return read_file(path).find(needle) != std::string::npos;
}

}  // namespace attune::test
