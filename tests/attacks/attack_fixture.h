// attack_fixture.h: a practice worth attacking (issue 16), and the tools an
// attacker who can reach the files has: the keyring file's text, the data key
// from her own key slot, the raw key `attune key reveal` prints, and SQL on
// the file without Attune in between (as with the sqlcipher shell).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch_test_macros.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "services/cases.h"
#include "services/live_session.h"
#include "services/open_practice.h"
#include "services/people.h"
#include "services/supervision.h"
#include "store/keyring.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

namespace attune::test {

inline const std::string kAdminPassphrase = "correct horse";
inline const std::string kSupervisorPassphrase = "supervisor passphrase";
inline const std::string kClinicianPassphrase = "clinician passphrase";
inline const std::string kCoderPassphrase = "coder passphrase";

// Dr Test (founding administrator, clinician of Couple A), Dr Super (the
// case's named supervisor), Dr Clin (another clinician, the case shared with
// her: she can read it, she cannot co-sign it) and Coder C. Session 1 of
// Couple A is ended with three observations by Dr Test, a note, ratings and a
// stage, signed by Dr Test and (when asked) co-signed by Dr Super. Nothing is
// open when the constructor returns.
struct AttackedPractice {
    TempDir dir;
    std::filesystem::path path = dir / "practice.attune-db";
    std::string recovery_key;
    Person admin, supervisor, clinician, coder;
    Case couple;
    Session session;
    std::vector<RowId> observations;  // Dr Test's, in time order

    explicit AttackedPractice(bool cosigned = true) {
        auto practice = new_practice(path, kAdminPassphrase, "Dr Test");
        recovery_key = std::string(practice->take_recovery_key().view());
        admin = practice->person();
        supervisor = add_person(*practice, "Dr Super", GrantRole::Supervisor, kSupervisorPassphrase);
        clinician = add_person(*practice, "Dr Clin", GrantRole::Clinician, kClinicianPassphrase);
        coder = add_person(*practice, "Coder C", GrantRole::Coder, kCoderPassphrase);
        couple = add_couple(*practice, "Couple A");
        services::set_case_supervisor(*practice, "Couple A", "Dr Super");
        services::share_case(*practice, "Couple A", "Dr Clin");
        session = record_session(*practice, "2026-11-01");
        services::sign_session(*practice, session.id);
        practice.reset();
        if (cosigned) services::cosign_session(*open_practice(path, kSupervisorPassphrase, "Dr Super"), session.id);
    }

    // Another ended session of Couple A, as Dr Test records them.
    Session record_session(services::OpenPractice& practice, const std::string& date) {
        const Session started = services::start_session(practice, couple.id, date);
        const std::vector<std::pair<double, std::string>> coded{
            {12, "withdraw_emotion"}, {40, "defensive_anger"}, {75, "reflect"}};
        std::vector<RowId> ids;
        for (const auto& [at, code] : coded) {
            services::LogRequest request;
            request.who = at < 30 ? Who::A : Who::B;
            request.code = code;
            request.at = at;
            ids.push_back(services::log_observation(practice, started, request).id);
        }
        services::SessionEnding ending;
        ending.active_seconds = 600;
        ending.stage = 1;
        ending.step = 2;
        ending.attunement_a = 6;
        ending.attunement_b = 7;
        ending.safety = 5;
        const Session ended = services::end_session(practice, started, ending);
        services::LiveSession live(practice);
        live.sync(ended.id, 0);
        live.progress_note = {"They slowed down together.", "Cycle named.", "Continue de-escalation."};
        live.progress_note_edited(0);
        live.flush_notes();
        REQUIRE(live.progress_status().status == services::DebouncedNote::Status::Saved);
        if (observations.empty()) observations = ids;
        return ended;
    }

    std::unique_ptr<services::OpenPractice> open_as_admin() const {
        return open_practice(path, kAdminPassphrase, "Dr Test");
    }
    // Signed in with the recovery key, as `attune key reveal --recovery-key-file K` is.
    std::unique_ptr<services::OpenPractice> open_with_recovery_key() const {
        services::OpenRequest request = test_request(path, "", "");
        request.recovery_key = services::KeyMaterial(recovery_key);
        return services::OpenPractice::open(std::move(request));
    }
    // The practice's SQLCipher raw key x'…', as `attune key reveal` prints it.
    std::string raw_key() const {
        auto practice = open_with_recovery_key();
        REQUIRE(practice->is_recovery());
        return std::string(practice->reveal_raw_key().view());
    }
    std::filesystem::path keyring_path() const { return store::keyring_path_for(path); }
};

// Runs SQL on the practice file opened with the raw key and nothing else of
// Attune: no writer lock, no repositories, no audit rows.
inline void edit_behind_attunes_back(const std::filesystem::path& path, const std::string& raw_key,
                                     const std::string& sql_text) {
    SQLite::Database sql(path.string(), SQLite::OPEN_READWRITE);
    sql.exec("PRAGMA key = \"" + raw_key + "\"");
    sql.exec(sql_text);
}

// What a file is now, to show an attempt changed nothing.
struct FileState {
    bool exists = false;
    std::string bytes;
    std::filesystem::file_time_type modified;
    static FileState of(const std::filesystem::path& path) {
        FileState state;
        std::error_code ec;
        state.exists = std::filesystem::exists(path, ec);
        if (!state.exists) return state;
        state.bytes = read_file(path);
        state.modified = std::filesystem::last_write_time(path);
        return state;
    }
    bool operator==(const FileState& other) const {
        return exists == other.exists && bytes == other.bytes && modified == other.modified;
    }
};

}  // namespace attune::test
