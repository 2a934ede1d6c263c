// Case bundles carry signatures, addenda and review comments: merged by what
// identifies each (bundle_internal.h), a signed note arrives signed and locked.
#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <thread>

#include "store/bundle.h"
#include "store/database.h"
#include "store/repositories.h"
#include "store/signature_drafts.h"
#include "store/signing.h"
#include "store/sqlite_access.h"
#include "support/store_fixture.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::store;

namespace {

const std::string kPassphrase = "bundle secret 42";

struct Practice {
    test::StorePractice practice;
    Database& db;
    Practice(const std::filesystem::path& path, const std::string& user)
        : practice(test::open_store_practice(test::store_options(path), user)), db(*practice.db) {}
    RowId session(int number) {
        const RowId case_id = CaseRepository(db).find_by_label("Couple S")->id;
        return SessionRepository(db).find(case_id, number)->id;
    }
};

// Dr Source's case with one ended session and its progress note; Dr Super is a supervisor.
struct Source : Practice {
    Person clinician, supervisor;
    RowId one = 0;
    explicit Source(const std::filesystem::path& path) : Practice(path, "Dr Source") {
        clinician = db.actor();
        supervisor = PeopleRepository(db).find_or_create("Dr Super", PersonRole::Supervisor);
        const Case c = test::add_couple(db, "Couple S");
        SessionRepository sessions(db);
        one = sessions.start(c.id, "2026-01-01", "10:00", 1000.0).id;
        sessions.save_progress_note(one, {"data one", "assessment one", "plan one"});
        sessions.end(one, 600);
    }
    // Signs, co-signs as Dr Super, adds an addendum and Dr Super's comment at 30 s.
    void sign_and_review() {
        SigningRepository(db).sign(one, test::signature_draft());
        SigningRepository(db).add_addendum(one, "the couple cancelled the homework");
        db.set_actor(supervisor);
        SigningRepository(db).cosign(one, test::signature_draft());
        ReviewCommentRepository(db).add(one, 30, "slow down here");
        db.set_actor(clinician);
    }
    void export_to(const std::filesystem::path& file) { export_bundle(db, {"Couple S", "", false}, file, kPassphrase); }
};

// Everything about a session's signing, as comparable text.
std::string supervision_of(Database& db, RowId session_id) {
    std::string text;
    for (const Signature& s : SigningRepository(db).signatures(session_id))
        text += std::string(to_string(s.role)) + " " + s.signer_name + " " + s.signed_at + " " + s.note_sha256 + "\n";
    for (const Addendum& a : SigningRepository(db).addenda(session_id))
        text += "addendum " + a.author_name + " " + a.created_at + " " + a.text + "\n";
    for (const ReviewComment& c : ReviewCommentRepository(db).list(session_id))
        text += "comment " + c.author_name + " " + std::to_string(c.t) + " " + c.created_at + " " + c.text + "\n";
    return text;
}

using test::wait_for_next_second;

}  // namespace

TEST_CASE("a signed note arrives signed and locked with its co-signature, addenda and comments", "[bundle][signing]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    source.sign_and_review();
    source.export_to(dir / "b.attune");

    Practice target(dir / "target.db", "Dr Target");
    const BundleImportReport first = import_bundle(target.db, dir / "b.attune", kPassphrase);
    CHECK(first.conflicts.empty());
    CHECK(first.created.signatures == 2);
    CHECK(first.created.addenda == 1);
    CHECK(first.created.comments == 1);
    CHECK(first.in_bundle.signatures == 2);
    CHECK(first.unchanged() == 0);
    const RowId one = target.session(1);
    CHECK(supervision_of(target.db, one) == supervision_of(source.db, source.one));
    CHECK(supervision_of(target.db, one).find("cosign Dr Super") != std::string::npos);
    // Roles are granted here, never taken from a bundle.
    CHECK(PeopleRepository(target.db).find("Dr Super")->role == PersonRole::Coder);

    // Locked in the receiving database.
    CHECK(SigningRepository(target.db).is_signed(one));
    CHECK_THROWS_AS(SessionRepository(target.db).save_progress_note(one, {"changed", "", ""}), StoreError);
    CHECK(SessionRepository(target.db).progress_note(one).data == "data one");

    SECTION("importing twice changes nothing") {
        const std::string before = supervision_of(target.db, one);
        const BundleImportReport again = import_bundle(target.db, dir / "b.attune", kPassphrase);
        CHECK(again.created.total() == 0);
        CHECK(again.updated.total() == 0);
        CHECK(again.conflicts.empty());
        // 1 case, 1 session, 1 note, 2 signatures, 1 addendum, 1 comment: all unchanged.
        CHECK(again.in_bundle.total() == 7);
        CHECK(again.unchanged() == 7);
        CHECK(supervision_of(target.db, one) == before);
    }

    SECTION("a later addendum and comment at the source arrive on the next import, alone") {
        SigningRepository(source.db).add_addendum(source.one, "second thoughts");
        source.db.set_actor(source.supervisor);
        ReviewCommentRepository(source.db).add(source.one, 45, "good repair");
        source.export_to(dir / "b.attune");
        const BundleImportReport next = import_bundle(target.db, dir / "b.attune", kPassphrase);
        CHECK(next.created.addenda == 1);
        CHECK(next.created.comments == 1);
        CHECK(next.created.total() == 2);
        CHECK(next.conflicts.empty());
        CHECK(SigningRepository(target.db).addenda(one).size() == 2);
        CHECK(supervision_of(target.db, one) == supervision_of(source.db, source.one));
    }
}

TEST_CASE("a comment edited or taken down at the source follows by bundle; taken down here, an older bundle does "
          "not bring it back; edited here later, it is kept",
          "[bundle][comments]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    source.sign_and_review();  // Dr Super's comment at 30 s
    source.export_to(dir / "b.attune");
    Practice target(dir / "target.db", "Dr Target");
    REQUIRE(import_bundle(target.db, dir / "b.attune", kPassphrase).created.comments == 1);
    const RowId one = target.session(1);
    const RowId comment = ReviewCommentRepository(source.db).list(source.one).at(0).id;
    const auto texts = [](Database& db, RowId session) {
        std::string out;
        for (const ReviewComment& c : ReviewCommentRepository(db).list(session))
            out += std::to_string(c.t).substr(0, 4) + " " + c.author_name + ": " + c.text + "\n";
        return out;
    };

    wait_for_next_second();
    source.db.set_actor(source.supervisor);
    ReviewCommentRepository(source.db).edit(source.one, comment, 32, "slow down here, and breathe");
    source.export_to(dir / "edited.attune");
    const BundleImportReport edited = import_bundle(target.db, dir / "edited.attune", kPassphrase);
    CHECK(edited.conflicts.empty());
    CHECK(edited.updated.comments == 1);
    CHECK(edited.created.comments == 0);
    CHECK(texts(target.db, one) == "32.0 Dr Super: slow down here, and breathe\n");

    SECTION("taken down at the source: taken down here, and the older bundle does not bring it back") {
        wait_for_next_second();
        ReviewCommentRepository(source.db).remove(source.one, comment);
        source.export_to(dir / "removed.attune");
        const BundleImportReport removed = import_bundle(target.db, dir / "removed.attune", kPassphrase);
        CHECK(removed.conflicts.empty());
        CHECK(removed.updated.comments == 1);
        CHECK(removed.in_bundle.comments == 1);  // the tombstone
        CHECK(texts(target.db, one).empty());
        const BundleImportReport old = import_bundle(target.db, dir / "edited.attune", kPassphrase);
        CHECK(old.created.comments == 0);
        CHECK(texts(target.db, one).empty());
        // and the tombstone travels on from here.
        export_bundle(target.db, {"Couple S", "", false}, dir / "onward.attune", kPassphrase);
        Practice third(dir / "third.db", "Dr Third");
        REQUIRE(import_bundle(third.db, dir / "b.attune", kPassphrase).created.comments == 1);
        const BundleImportReport onward = import_bundle(third.db, dir / "onward.attune", kPassphrase);
        CHECK(onward.updated.comments == 1);
        CHECK(texts(third.db, third.session(1)).empty());
    }

    SECTION("edited here after it was taken down at the source: kept, and reported") {
        wait_for_next_second();
        ReviewCommentRepository(source.db).remove(source.one, comment);
        source.export_to(dir / "removed.attune");
        wait_for_next_second();
        // The target's copy of Dr Super edits it again there (the same person on another machine).
        const Person super_here = *PeopleRepository(target.db).find("Dr Super");
        target.db.set_actor(super_here);
        const RowId here = ReviewCommentRepository(target.db).list(one).at(0).id;
        ReviewCommentRepository(target.db).edit(one, here, 33, "breathe, both of you");
        const BundleImportReport removed = import_bundle(target.db, dir / "removed.attune", kPassphrase);
        REQUIRE(removed.conflicts.size() == 1);
        CHECK(removed.conflicts[0].find("case Couple S session 1: comment at 33.0 s was edited here (") == 0);
        CHECK(removed.conflicts[0].find("after it was taken down on another machine") != std::string::npos);
        CHECK(removed.conflicted.comments == 1);
        CHECK(texts(target.db, one) == "33.0 Dr Super: breathe, both of you\n");
    }

    SECTION("an older version of it does not replace a newer one here: a conflict, this one kept") {
        const BundleImportReport older = import_bundle(target.db, dir / "b.attune", kPassphrase);
        REQUIRE(older.conflicts.size() == 1);
        CHECK(older.conflicts[0].find("case Couple S session 1: comment by Dr Super at 30.0 s was changed here") == 0);
        CHECK(texts(target.db, one) == "32.0 Dr Super: slow down here, and breathe\n");
    }
}

TEST_CASE("a signature over a note that was edited here is a conflict, and the note stays unsigned here",
          "[bundle][signing]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    source.export_to(dir / "b.attune");
    Practice target(dir / "target.db", "Dr Target");
    import_bundle(target.db, dir / "b.attune", kPassphrase);
    const RowId one = target.session(1);

    // The copy's edit is newer than the source's note; then the source signs its own version.
    wait_for_next_second();
    SessionRepository(target.db).save_progress_note(one, {"supervisor edit", "assessment one", "plan one"});
    source.sign_and_review();
    source.export_to(dir / "b.attune");
    const BundleImportReport r = import_bundle(target.db, dir / "b.attune", kPassphrase);
    // The signed note is no newer than the copy's edit: a note conflict; the two signatures and
    // the addendum cannot be imported onto another version of the note; the comment can.
    REQUIRE(r.conflicts.size() == 4);
    CHECK(r.conflicts[0].find("case Couple S session 1: progress note") == 0);
    CHECK(r.conflicts[1].find("signature by Dr Source") != std::string::npos);
    CHECK(r.conflicts[1].find("different version of the progress note") != std::string::npos);
    CHECK(r.conflicts[2].find("co-signature by Dr Super") != std::string::npos);
    CHECK(r.conflicts[3].find("addendum by Dr Source") != std::string::npos);
    CHECK(r.created.signatures == 0);
    CHECK(r.created.addenda == 0);
    CHECK(r.created.comments == 1);
    CHECK_FALSE(SigningRepository(target.db).is_signed(one));
    CHECK(SessionRepository(target.db).progress_note(one).data == "supervisor edit");
}

TEST_CASE("two different signatures of one note are a conflict; a signed note here is never overwritten",
          "[bundle][signing]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    source.export_to(dir / "b.attune");
    Practice target(dir / "target.db", "Dr Target");
    import_bundle(target.db, dir / "b.attune", kPassphrase);
    const RowId one = target.session(1);
    SigningRepository(target.db).sign(one, test::signature_draft());  // Dr Target signs the same note here
    const std::string signed_here = supervision_of(target.db, one);

    source.sign_and_review();
    source.export_to(dir / "b.attune");
    const BundleImportReport r = import_bundle(target.db, dir / "b.attune", kPassphrase);
    REQUIRE_FALSE(r.conflicts.empty());
    CHECK(r.conflicts[0].find("already has a signature here by Dr Target") != std::string::npos);
    // The co-signature is over the same note and follows a signature: it is added; so are the addendum and comment.
    CHECK(r.created.signatures == 1);
    CHECK(r.created.addenda == 1);
    CHECK(r.created.comments == 1);
    const auto signatures = SigningRepository(target.db).signatures(one);
    REQUIRE(signatures.size() == 2);
    CHECK(signatures[0].signer_name == "Dr Target");
    CHECK(signatures[1].signer_name == "Dr Super");
    CHECK(supervision_of(target.db, one).find(signed_here) == 0);
}

TEST_CASE("a bundle's differing note is a conflict when the note is signed here", "[bundle][signing]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    source.export_to(dir / "b.attune");
    Practice target(dir / "target.db", "Dr Target");
    import_bundle(target.db, dir / "b.attune", kPassphrase);
    const RowId one = target.session(1);
    SigningRepository(target.db).sign(one, test::signature_draft());
    wait_for_next_second();  // the source's edit is newer: without the signature it would update the copy
    SessionRepository(source.db).save_progress_note(source.one, {"data two", "assessment one", "plan one"});
    source.export_to(dir / "b.attune");
    const BundleImportReport r = import_bundle(target.db, dir / "b.attune", kPassphrase);
    REQUIRE(r.conflicts.size() == 1);
    CHECK(r.conflicts[0].find("case Couple S session 1: progress note is signed here") == 0);
    CHECK(r.updated.progress_notes == 0);
    CHECK(SessionRepository(target.db).progress_note(one).data == "data one");
    CHECK(SigningRepository(target.db).is_signed(one));
}

TEST_CASE("a bundle's signature keeps its digest, signature, signer uuid, key and layers, and is recorded against "
          "the signer by uuid, never against a namesake here",
          "[bundle][signing]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    const RowId rater = source.clinician.id;
    Observation o;
    o.session_id = source.one;
    o.rater_id = rater;
    o.t = 12.0;
    o.code_id = "blame_shift";
    ObservationRepository(source.db).add(o);
    SigningRepository(source.db).sign(source.one, test::signature_draft({rater}, "aa11"));
    source.db.set_actor(source.supervisor);
    SigningRepository(source.db).cosign(source.one, test::signature_draft({rater}, "bb22"));
    source.db.set_actor(source.clinician);
    source.export_to(dir / "b.attune");

    Practice target(dir / "target.db", "Dr Target");
    const Person namesake = PeopleRepository(target.db).find_or_create("Dr Super", PersonRole::Supervisor);
    REQUIRE(namesake.uuid != source.supervisor.uuid);
    const BundleImportReport r = import_bundle(target.db, dir / "b.attune", kPassphrase);
    CHECK(r.conflicts.empty());
    CHECK(r.created.signatures == 2);
    const auto signatures = SigningRepository(target.db).signatures(target.session(1));
    REQUIRE(signatures.size() == 2);
    CHECK(signatures[0].signer_uuid == source.clinician.uuid);
    CHECK(signatures[0].signer_name == "Dr Source");
    CHECK(signatures[0].signed_name.empty());
    CHECK(signatures[0].digest == "aa11");
    CHECK(signatures[0].signature == "5igaa11");
    const Person rater_here = *PeopleRepository(target.db).find_by_uuid(source.clinician.uuid);
    CHECK(signatures[0].layers == std::vector<RowId>{rater_here.id});
    // The co-signer is the other practice's Dr Super: a person of their own here.
    CHECK(signatures[1].signer_uuid == source.supervisor.uuid);
    CHECK(signatures[1].signer_id != namesake.id);
    CHECK(signatures[1].signer_name == "Dr Super (other practice)");
    CHECK(signatures[1].signed_name == "Dr Super");
    CHECK(signatures[1].name_as_signed() == "Dr Super");
    CHECK(signatures[1].digest == "bb22");
    CHECK(PeopleRepository(target.db).find("Dr Super (other practice)")->role == PersonRole::Coder);

    SECTION("importing it again changes nothing") {
        const BundleImportReport again = import_bundle(target.db, dir / "b.attune", kPassphrase);
        CHECK(again.created.total() == 0);
        CHECK(again.conflicts.empty());
        CHECK(SigningRepository(target.db).signatures(target.session(1)).size() == 2);
    }
}

TEST_CASE("a bundle of an earlier format is refused with one plain sentence and nothing is imported",
          "[bundle][signing]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    source.export_to(dir / "b.attune");
    {
        SQLite::Database file((dir / "b.attune").string(), SQLite::OPEN_READWRITE);
        file.exec("PRAGMA key = '" + kPassphrase + "'");
        REQUIRE(file.exec("UPDATE info SET value = '2' WHERE key = 'format_version'") == 1);
    }
    Practice target(dir / "target.db", "Dr Target");
    try {
        import_bundle(target.db, dir / "b.attune", kPassphrase);
        FAIL("a format 2 bundle was imported");
    } catch (const StoreError& e) {
        CHECK(std::string(e.what()).find("was written by an earlier Attune (bundle format 2") != std::string::npos);
    }
    CHECK(CaseRepository(target.db).list().empty());
}

TEST_CASE("a bundle split into parts imports, part after part, to what the whole imports; the signature arrives after "
          "the coding it seals",
          "[bundle][signing][split]") {
    test::TempDir dir;
    Source source(dir / "source.db");
    const RowId rater = source.clinician.id;
    for (int i = 0; i < 5; ++i) {
        Observation o;
        o.session_id = source.one;
        o.rater_id = rater;
        o.t = 10.0 + i;
        o.code_id = i % 2 == 0 ? "blame_shift" : "shut_down";
        o.who = i % 2 == 0 ? Who::A : Who::B;
        ObservationRepository(source.db).add(o);
    }
    // Signed and co-signed over the clinician's coding (which seals it), an addendum and a comment.
    SigningRepository(source.db).sign(source.one, test::signature_draft({rater}, "aa11"));
    SigningRepository(source.db).add_addendum(source.one, "the couple cancelled the homework");
    source.db.set_actor(source.supervisor);
    SigningRepository(source.db).cosign(source.one, test::signature_draft({rater}, "bb22"));
    ReviewCommentRepository(source.db).add(source.one, 30, "slow down here");
    source.db.set_actor(source.clinician);
    source.export_to(dir / "b.attune");

    // At most 5 per part: the bundle itself.
    CHECK(split_bundle(dir / "b.attune", kPassphrase, 5) == std::vector<std::filesystem::path>{dir / "b.attune"});
    // 2 per part: the rest, the observations in 3 parts (2, 2, 1), then the signatures and addendum.
    const std::vector<std::filesystem::path> parts = split_bundle(dir / "b.attune", kPassphrase, 2);
    REQUIRE(parts.size() == 5);
    const auto rows = [&](const std::filesystem::path& part, const char* table) {
        SQLite::Database file(part.string(), SQLite::OPEN_READONLY);
        file.exec("PRAGMA key = '" + kPassphrase + "'");
        return file.execAndGet(std::string("SELECT count(*) FROM ") + table).getInt();
    };
    CHECK(rows(parts[0], "observations") == 0);
    CHECK(rows(parts[0], "sessions") == 1);
    CHECK(rows(parts[0], "review_comments") == 1);
    CHECK(rows(parts[0], "signatures") == 0);
    CHECK(rows(parts[1], "observations") == 2);
    CHECK(rows(parts[2], "observations") == 2);
    CHECK(rows(parts[3], "observations") == 1);
    CHECK(rows(parts[3], "sessions") == 0);
    CHECK(rows(parts[4], "signatures") == 2);
    CHECK(rows(parts[4], "addenda") == 1);
    CHECK(rows(parts[4], "observations") == 0);
    for (const auto& part : parts) CHECK(rows(part, "people") == rows(dir / "b.attune", "people"));

    Practice whole(dir / "whole.db", "Dr Target");
    const BundleImportReport at_once = import_bundle(whole.db, dir / "b.attune", kPassphrase);
    Practice in_parts(dir / "parts.db", "Dr Target");
    BundleImportReport summed;
    for (std::size_t i = 0; i < parts.size(); ++i)
        add_import_part(summed, import_bundle(in_parts.db, parts[i], kPassphrase), i == 0);
    CHECK(summed.conflicts == at_once.conflicts);
    CHECK(counts_text(summed.created) == counts_text(at_once.created));
    CHECK(counts_text(summed.in_bundle) == counts_text(at_once.in_bundle));
    CHECK(summed.created.observations == 5);
    CHECK(summed.created.signatures == 2);
    CHECK(summed.people_in_bundle == at_once.people_in_bundle);
    CHECK(summed.people_created == at_once.people_created);
    const auto coding = [](Practice& p) {
        std::string out;
        for (const Observation& o : ObservationRepository(p.db).list_for_session(p.session(1), 0, true))
            out += o.uuid + " " + o.code_id + "\n";
        return out;
    };
    CHECK(coding(in_parts) == coding(whole));
    CHECK(coding(in_parts) == coding(source));
    CHECK(supervision_of(in_parts.db, in_parts.session(1)) == supervision_of(whole.db, whole.session(1)));
    CHECK(SigningRepository(in_parts.db).is_signed(in_parts.session(1)));
    // The parts again change nothing.
    for (const auto& part : parts) {
        const BundleImportReport again = import_bundle(in_parts.db, part, kPassphrase);
        CHECK(again.created.total() + again.updated.total() == 0);
        CHECK(again.conflicts.empty());
    }
}
