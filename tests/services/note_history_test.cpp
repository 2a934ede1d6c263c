// The progress note's history (issue 17 item 7) through the services, as the
// window and `attune note history` use it: every saved version is kept with
// its time and author, the latest is what exports hold, a coder does not see
// it, and a signed note's history ends with the version that was signed.
#include <catch2/catch_test_macros.hpp>

#include "core/error.h"
#include "hand_case.h"
#include "services/export.h"
#include "services/live_session.h"
#include "services/notes.h"
#include "services/people.h"
#include "services/supervision.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

// Saves the note as the live view does (typing, then the debounced save).
void save(services::OpenPractice& practice, const Session& session, const ProgressNote& note) {
    services::LiveSession live(practice);
    REQUIRE(live.sync(session.id, 0.0));
    live.progress_note = note;
    live.progress_note_edited(0.0);
    live.flush_notes();
    REQUIRE(live.progress_status().status == services::DebouncedNote::Status::Saved);
}

std::string session_note(services::OpenPractice& practice, const Case& c, int number) {
    services::ExportOptions options;
    options.session_number = number;
    return services::ExportJob(practice, c, options).text();
}

}  // namespace

TEST_CASE("every saved version of an unsigned progress note is kept, oldest first, with its author",
          "[notes][history]") {
    test::HandCase f;
    const Session& s = f.sessions[0];
    CHECK(services::note_history(*f.practice, s).empty());  // never saved

    save(*f.practice, s, {"first data", "first assessment", "first plan"});
    save(*f.practice, s, {"second data", "first assessment", "first plan"});
    save(*f.practice, s, {"second data", "first assessment", "first plan"});  // unchanged: no new version
    save(*f.practice, s, {"third data", "third assessment", "third plan"});

    const std::vector<NoteVersion> versions = services::note_history(*f.practice, s);
    REQUIRE(versions.size() == 3);
    CHECK(versions[0].number == 1);
    CHECK(versions[0].note.data == "first data");
    CHECK(versions[1].note.data == "second data");
    CHECK(versions[1].note.plan == "first plan");
    CHECK(versions[2].note.assessment == "third assessment");
    CHECK(versions[2].number == 3);
    for (const NoteVersion& v : versions) {
        CHECK(v.author == "Dr Hand");
        CHECK(v.how == NoteVersion::How::Edited);
        CHECK(v.saved_at.size() == 20);  // 2026-12-02T11:00:00Z
    }
    CHECK(note_version_title(versions[0]).rfind("version 1, " + versions[0].saved_at + ", Dr Hand", 0) == 0);

    // The latest is what an export holds; the older versions are not in it.
    const std::string exported = session_note(*f.practice, f.c, 1);
    CHECK(exported.find("third data") != std::string::npos);
    CHECK(exported.find("first data") == std::string::npos);
    CHECK(exported.find("second data") == std::string::npos);

    // The live view's History saves what is typed first, so it ends with what is on screen.
    services::LiveSession live(*f.practice);
    REQUIRE(live.sync(s.id, 0.0));
    live.progress_note.plan = "typed, not saved yet";
    live.progress_note_edited(0.0);
    const std::vector<NoteVersion> shown = live.progress_note_history();
    REQUIRE(shown.size() == 4);
    CHECK(shown.back().note.plan == "typed, not saved yet");
}

TEST_CASE("an accepted Assessment draft is a version of its own, marked as Attune's draft", "[notes][history]") {
    test::HandCase f;
    save(*f.practice, f.sessions[0], {"data", "", "plan"});
    const std::string draft = services::accept_assessment_draft(*f.practice, f.sessions[0]);
    const std::vector<NoteVersion> versions = services::note_history(*f.practice, f.sessions[0]);
    REQUIRE(versions.size() == 2);
    CHECK(versions[0].note.assessment.empty());
    CHECK(versions[1].note.assessment == draft);
    CHECK(versions[1].how == NoteVersion::How::AcceptedDraft);
    CHECK(versions[1].note.assessment_source == AssessmentSource::AcceptedDraft);
}

TEST_CASE("a signed note's history ends with the version that was signed", "[notes][history][signing]") {
    test::HandCase f;
    save(*f.practice, f.sessions[0], {"draft data", "a", "p"});
    save(*f.practice, f.sessions[0], {"signed data", "a", "p"});
    services::sign_session(*f.practice, f.sessions[0].id);
    // The live view cannot change it any more (the store refuses it); nothing is added.
    services::LiveSession live(*f.practice);
    REQUIRE(live.sync(f.sessions[0].id, 0.0));
    CHECK(live.note_signed());
    const std::vector<NoteVersion> versions = services::note_history(*f.practice, f.sessions[0]);
    REQUIRE(versions.size() == 2);
    CHECK(versions.back().note.data == "signed data");
}

TEST_CASE("a coder does not see a progress note's history", "[notes][history][roles]") {
    test::HandCase f;
    save(*f.practice, f.sessions[0], {"data", "a", "p"});
    test::add_person(*f.practice, "Coder K", GrantRole::Coder, "coder passphrase k");
    const Session s = f.sessions[0];
    f.practice.reset();
    auto coder = test::open_practice(f.dir / "p.db", "coder passphrase k", "Coder K");
    CHECK_THROWS_AS(services::note_history(*coder, s), Error);
}
