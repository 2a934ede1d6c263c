// signing.h: signing a session's progress note, addenda to a signed note, and
// a supervisor's comments pinned to moments of a session.
//
// Decisions:
// - The therapist's signature ("sign") freezes the progress note. The freeze
//   is enforced by triggers (migration 3), so SessionRepository and every
//   other path that writes progress_notes is refused with "this note is
//   signed; add an addendum instead" (StoreError::Kind::Invalid).
// - The signer is the database actor; a coder cannot sign. The co-signature
//   ("cosign") needs a person with the supervisor role, comes only after
//   "sign", and cannot be given by the person who signed.
// - Each session has at most one signature of each role.
// - The note hash is SHA-256 (hex) over the three DAP fields, each preceded
//   by its length, so moving text between fields changes the hash.
#pragma once

#include "core/model.h"
#include "core/records.h"
#include "store/database.h"

#include <string>
#include <vector>

namespace attune::store {

using attune::SignatureRole;
using attune::Signature;
using attune::Addendum;
using attune::ReviewComment;

// SHA-256 (hex) of a note's content, as recorded at signing.
std::string note_sha256(const ProgressNote& note);

// A signature made by the services (who checked the signer may sign, built
// the digest of the whole session and signed it with the signer's key).
struct SignatureDraft {
    std::string signed_at;      // ISO 8601 UTC, as in the digest
    std::string digest;         // hex
    std::string signature;      // hex Ed25519 over the digest
    std::vector<RowId> layers;  // raters whose coding the digest covers (sealed from now on)
};

class SigningRepository {
public:
    explicit SigningRepository(Database& db) : db_(db) {}
    // Records the actor's signature of the session. Throws Invalid when it is
    // already signed; NotFound for no such session. Whether the actor may sign
    // is the services' decision (their grants); the store only keeps the order
    // and the seal.
    Signature sign(RowId session_id, const SignatureDraft& draft);
    // The actor's co-signature, after the therapist's and by someone else.
    Signature cosign(RowId session_id, const SignatureDraft& draft);
    // Appends a dated addendum by the actor to a signed note.
    Addendum add_addendum(RowId session_id, const std::string& text);

    bool is_signed(RowId session_id) const;
    std::vector<Signature> signatures(RowId session_id) const;  // sign first, then cosign
    std::vector<Addendum> addenda(RowId session_id) const;      // in the order added

private:
    Signature insert_signature(RowId session_id, SignatureRole role, const SignatureDraft& draft);
    Database& db_;
};

class ReviewCommentRepository {
public:
    explicit ReviewCommentRepository(Database& db) : db_(db) {}
    // Pins a comment by the actor at session-clock time `t` (seconds, >= 0).
    ReviewComment add(RowId session_id, double t, const std::string& text);
    // Its author changes a comment's moment and text, or takes it down; anyone
    // else is refused (Denied). Both audited, naming the moment. A comment
    // that is not `session_id`'s is NotFound.
    ReviewComment edit(RowId session_id, RowId comment_id, double t, const std::string& text);
    void remove(RowId session_id, RowId comment_id);
    std::vector<ReviewComment> list(RowId session_id) const;  // in time order, ties in the order added

private:
    Database& db_;
};

}  // namespace attune::store

namespace attune::store {

// Gives an existing person another role (e.g. makes a clinician a supervisor); audited.
void set_person_role(Database& db, RowId person_id, PersonRole role);

}  // namespace attune::store
