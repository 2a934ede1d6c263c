#include "store/signing.h"

#include "core/text.h"
#include "core/uuid.h"
#include "store/audit_log.h"
#include "store/audit_write.h"
#include "store/sqlite_access.h"

#include <cmath>

namespace attune::store {
namespace {

// [SECTION] Helpers shared by signatures, addenda and comments

std::string session_uuid(SQLite::Database& sql, RowId session_id) {
    SQLite::Statement q(sql, "SELECT uuid FROM sessions WHERE id = ?");
    q.bind(1, session_id);
    if (!q.executeStep()) throw StoreError(StoreError::Kind::NotFound, "no such session");
    return q.getColumn(0).getString();
}

// The actor as stored now: a role changed since the database was opened counts.
Person current_actor(Database& db, SQLite::Database& sql) {
    Person actor = db.actor();
    if (actor.id == 0) throw StoreError(StoreError::Kind::Invalid, "sign in as a person first");
    SQLite::Statement q(sql, "SELECT name, role FROM people WHERE id = ?");
    q.bind(1, actor.id);
    if (!q.executeStep()) throw StoreError(StoreError::Kind::NotFound, "the current user is not in this database");
    actor.name = q.getColumn(0).getString();
    actor.role = parse_person_role(q.getColumn(1).getString()).value_or(PersonRole::Coder);
    return actor;
}


std::string checked_text(const std::string& text, size_t max_size, const std::string& what) {
    const std::string trimmed = trim(text);
    if (trimmed.empty()) throw StoreError(StoreError::Kind::Invalid, what + " is empty");
    if (trimmed.size() > max_size)
        throw StoreError(StoreError::Kind::Invalid,
                         what + " can have at most " + std::to_string(max_size) + " characters");
    if (!is_valid_utf8(trimmed)) throw StoreError(StoreError::Kind::Invalid, what + " is not valid UTF-8 text");
    return trimmed;
}

}  // namespace

ProgressNote read_progress_note(SQLite::Database& sql, RowId session_id) {
    ProgressNote note;
    SQLite::Statement q(sql, "SELECT data, assessment, plan FROM main.progress_notes WHERE session_id = ?");
    q.bind(1, session_id);
    if (q.executeStep()) {
        note.data = q.getColumn(0).getString();
        note.assessment = q.getColumn(1).getString();
        note.plan = q.getColumn(2).getString();
    }
    return note;
}


std::string note_sha256(const ProgressNote& note) {
    std::string content;
    for (const std::string* field : {&note.data, &note.assessment, &note.plan})
        content += std::to_string(field->size()) + ":" + *field + "\n";
    return sha256_hex(content);
}

// [SECTION] Signatures

Signature SigningRepository::insert_signature(RowId session_id, SignatureRole role, const SignatureDraft& draft) {
    Signature signature;
    write_transaction(db_, [&](SQLite::Database& sql) {
        const std::string uuid = session_uuid(sql, session_id);
        const Person actor = current_actor(db_, sql);
        for (const Signature& existing : signatures(session_id)) {
            if (existing.role == role)
                throw StoreError(StoreError::Kind::Invalid, std::string("this session is already ") +
                                                                (role == SignatureRole::Sign ? "signed" : "co-signed") +
                                                                " by " + existing.signer_name);
            if (role == SignatureRole::Cosign && existing.signer_id == actor.id)
                throw StoreError(StoreError::Kind::Invalid, "a co-signature must come from someone other than the signer");
        }
        if (role == SignatureRole::Cosign && !is_signed(session_id))
            throw StoreError(StoreError::Kind::Invalid, "the therapist has not signed this note yet: nothing to co-sign");
        signature.session_id = session_id;
        signature.signer_id = actor.id;
        signature.signer_name = actor.name;
        signature.signer_uuid = actor.uuid;
        signature.role = role;
        signature.signed_at = draft.signed_at;
        signature.note_sha256 = note_sha256(read_progress_note(sql, session_id));
        signature.digest = draft.digest;
        signature.signature = draft.signature;
        signature.layers = draft.layers;
        SQLite::Statement insert(sql,
                                 "INSERT INTO signatures (session_id, signer_id, role, signed_at, note_sha256, digest, "
                                 "signature) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, session_id);
        insert.bind(2, actor.id);
        insert.bind(3, std::string(to_string(role)));
        insert.bind(4, signature.signed_at);
        insert.bind(5, signature.note_sha256);
        insert.bind(6, signature.digest);
        insert.bind(7, signature.signature);
        insert.exec();
        signature.id = sql.getLastInsertRowid();
        SQLite::Statement layer(sql, "INSERT INTO signature_layers (signature_id, rater_id) VALUES (?, ?)");
        for (const RowId rater : draft.layers) {
            layer.bind(1, signature.id);
            layer.bind(2, rater);
            layer.exec();
            layer.reset();
        }
        append_audit(db_, std::string(to_string(role)), "session", uuid, "digest=" + signature.digest);
    });
    return signature;
}

Signature SigningRepository::sign(RowId session_id, const SignatureDraft& draft) {
    return insert_signature(session_id, SignatureRole::Sign, draft);
}
Signature SigningRepository::cosign(RowId session_id, const SignatureDraft& draft) {
    return insert_signature(session_id, SignatureRole::Cosign, draft);
}

bool SigningRepository::is_signed(RowId session_id) const {
    try {
        SQLite::Statement& q =
            db_.impl().statement("SELECT 1 FROM signatures WHERE session_id = ? AND role = 'sign'");
        q.bind(1, session_id);
        const bool found = q.executeStep();
        q.reset();  // no read snapshot left open in the cached statement
        return found;
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the signatures failed");
    }
}

std::vector<Signature> SigningRepository::signatures(RowId session_id) const {
    std::vector<Signature> out;
    try {
        SQLite::Statement& q = db_.impl().statement(
            "SELECT s.id, s.signer_id, p.name, s.role, s.signed_at, s.note_sha256, p.uuid, s.digest, s.signature, "
            "s.signed_name, s.signer_key "
            "FROM signatures s JOIN people p ON p.id = s.signer_id WHERE s.session_id = ? "
            "ORDER BY s.role = 'cosign', s.id");
        q.bind(1, session_id);
        while (q.executeStep()) {
            Signature s;
            s.id = q.getColumn(0).getInt64();
            s.session_id = session_id;
            s.signer_id = q.getColumn(1).getInt64();
            s.signer_name = q.getColumn(2).getString();
            s.role = q.getColumn(3).getString() == "cosign" ? SignatureRole::Cosign : SignatureRole::Sign;
            s.signed_at = q.getColumn(4).getString();
            s.note_sha256 = q.getColumn(5).getString();
            s.signer_uuid = q.getColumn(6).getString();
            s.digest = q.getColumn(7).getString();
            s.signature = q.getColumn(8).getString();
            s.signed_name = q.getColumn(9).getString();
            s.signer_key = q.getColumn(10).getString();
            out.push_back(std::move(s));
        }
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the signatures failed");
    }
    for (Signature& s : out) {
        SQLite::Statement& layers =
            db_.impl().statement("SELECT rater_id FROM signature_layers WHERE signature_id = ? ORDER BY rater_id");
        layers.bind(1, s.id);
        while (layers.executeStep()) s.layers.push_back(layers.getColumn(0).getInt64());
        layers.reset();
    }
    return out;
}

// [SECTION] Addenda

Addendum SigningRepository::add_addendum(RowId session_id, const std::string& text) {
    Addendum addendum;
    addendum.text = checked_text(text, 20000, "an addendum");
    write_transaction(db_, [&](SQLite::Database& sql) {
        const std::string uuid = session_uuid(sql, session_id);
        const Person actor = current_actor(db_, sql);
        if (!is_signed(session_id))
            throw StoreError(StoreError::Kind::Invalid, "this note is not signed yet: edit the note itself");
        addendum.session_id = session_id;
        addendum.author_id = actor.id;
        addendum.author_name = actor.name;
        addendum.created_at = now_utc_iso();
        SQLite::Statement insert(sql,
                                 "INSERT INTO addenda (session_id, author_id, created_at, body) VALUES (?, ?, ?, ?)");
        insert.bind(1, session_id);
        insert.bind(2, actor.id);
        insert.bind(3, addendum.created_at);
        insert.bind(4, addendum.text);
        insert.exec();
        addendum.id = sql.getLastInsertRowid();
        // Like note edits, the audit row records that an addendum exists, not its words.
        append_audit(db_, "addendum", "progress_note", uuid, std::to_string(addendum.text.size()) + " characters");
    });
    return addendum;
}

std::vector<Addendum> SigningRepository::addenda(RowId session_id) const {
    std::vector<Addendum> out;
    try {
        SQLite::Statement& q = db_.impl().statement(
            "SELECT a.id, a.author_id, p.name, a.created_at, a.body FROM addenda a "
            "JOIN people p ON p.id = a.author_id WHERE a.session_id = ? ORDER BY a.id");
        q.bind(1, session_id);
        while (q.executeStep()) {
            Addendum a;
            a.id = q.getColumn(0).getInt64();
            a.session_id = session_id;
            a.author_id = q.getColumn(1).getInt64();
            a.author_name = q.getColumn(2).getString();
            a.created_at = q.getColumn(3).getString();
            a.text = q.getColumn(4).getString();
            out.push_back(std::move(a));
        }
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the addenda failed");
    }
    return out;
}

// [SECTION] Comments pinned to moments

namespace {

// A comment's moment and text as stored, or Invalid naming what is wrong (adding and editing alike).
ReviewComment checked_comment(double t, const std::string& text) {
    if (!std::isfinite(t) || t < 0)
        throw StoreError(StoreError::Kind::Invalid, "a comment's time must be 0 seconds or later");
    ReviewComment comment;
    comment.t = t;
    comment.text = checked_text(text, 5000, "a comment");
    return comment;
}

}  // namespace

ReviewComment ReviewCommentRepository::add(RowId session_id, double t, const std::string& text) {
    ReviewComment comment = checked_comment(t, text);
    write_transaction(db_, [&](SQLite::Database& sql) {
        const std::string uuid = session_uuid(sql, session_id);
        const Person actor = current_actor(db_, sql);
        comment.session_id = session_id;
        comment.author_id = actor.id;
        comment.author_name = actor.name;
        comment.created_at = now_utc_iso();
        SQLite::Statement insert(sql, "INSERT INTO review_comments (session_id, author_id, t, body, created_at, "
                                      "uuid, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, session_id);
        insert.bind(2, actor.id);
        insert.bind(3, t);
        insert.bind(4, comment.text);
        insert.bind(5, comment.created_at);
        insert.bind(6, new_uuid());
        insert.bind(7, comment.created_at);
        insert.exec();
        comment.id = sql.getLastInsertRowid();
        append_audit(db_, "comment", "session", uuid, "at " + format_clock(t));
    });
    return comment;
}

namespace {

// The comment's session and author, read inside the write; NotFound when gone.
struct CommentOwner {
    RowId session_id = 0;
    RowId author_id = 0;
    double t = 0;
};

// A comment of another session is NotFound too: the caller checked access to `session_id` only.
CommentOwner owner_of_comment(SQLite::Database& sql, RowId session_id, RowId comment_id) {
    SQLite::Statement q(sql, "SELECT session_id, author_id, t FROM review_comments WHERE id = ? AND session_id = ?");
    q.bind(1, comment_id);
    q.bind(2, session_id);
    if (!q.executeStep())
        throw StoreError(StoreError::Kind::NotFound, "no such comment on this session (it may have been taken down)");
    return {q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getDouble()};
}

void require_author(const Person& actor, const CommentOwner& owner, const char* what) {
    if (actor.id != owner.author_id)
        throw StoreError(StoreError::Kind::Denied, std::string("only the comment's author ") + what + " it");
}

}  // namespace

ReviewComment ReviewCommentRepository::edit(RowId session_id, RowId comment_id, double t, const std::string& text) {
    ReviewComment comment = checked_comment(t, text);
    write_transaction(db_, [&](SQLite::Database& sql) {
        const CommentOwner owner = owner_of_comment(sql, session_id, comment_id);
        const Person actor = current_actor(db_, sql);
        require_author(actor, owner, "edits");
        // updated_at: the edit travels and replaces the version it edited in every copy.
        SQLite::Statement update(sql, "UPDATE review_comments SET t = ?, body = ?, updated_at = ? WHERE id = ?");
        update.bind(1, t);
        update.bind(2, comment.text);
        update.bind(3, now_utc_iso());
        update.bind(4, comment_id);
        update.exec();
        SQLite::Statement created(sql, "SELECT created_at FROM review_comments WHERE id = ?");
        created.bind(1, comment_id);
        if (created.executeStep()) comment.created_at = created.getColumn(0).getString();
        comment.id = comment_id;
        comment.session_id = owner.session_id;
        comment.author_id = actor.id;
        comment.author_name = actor.name;
        append_audit(db_, "comment_edit", "session", session_uuid(sql, owner.session_id),
                     "at " + format_clock(owner.t) + (owner.t != t ? ", now at " + format_clock(t) : std::string()));
    });
    return comment;
}

void ReviewCommentRepository::remove(RowId session_id, RowId comment_id) {
    write_transaction(db_, [&](SQLite::Database& sql) {
        const CommentOwner owner = owner_of_comment(sql, session_id, comment_id);
        const Person actor = current_actor(db_, sql);
        require_author(actor, owner, "takes down");
        // The tombstone (migration 13) takes the removal to every copy.
        SQLite::Statement tombstone(sql, "INSERT INTO removed_comments (uuid, session_id, removed_at) SELECT uuid, "
                                         "session_id, ? FROM review_comments WHERE id = ? ON CONFLICT (uuid) DO "
                                         "UPDATE SET removed_at = excluded.removed_at");
        tombstone.bind(1, now_utc_iso());
        tombstone.bind(2, comment_id);
        tombstone.exec();
        SQLite::Statement erase(sql, "DELETE FROM review_comments WHERE id = ?");
        erase.bind(1, comment_id);
        erase.exec();
        append_audit(db_, "comment_delete", "session", session_uuid(sql, owner.session_id),
                     "at " + format_clock(owner.t));
    });
}

std::vector<ReviewComment> ReviewCommentRepository::list(RowId session_id) const {
    std::vector<ReviewComment> out;
    try {
        SQLite::Statement& q = db_.impl().statement(
            "SELECT c.id, c.author_id, p.name, c.t, c.body, c.created_at FROM review_comments c "
            "JOIN people p ON p.id = c.author_id WHERE c.session_id = ? ORDER BY c.t, c.id");
        q.bind(1, session_id);
        while (q.executeStep()) {
            ReviewComment c;
            c.id = q.getColumn(0).getInt64();
            c.session_id = session_id;
            c.author_id = q.getColumn(1).getInt64();
            c.author_name = q.getColumn(2).getString();
            c.t = q.getColumn(3).getDouble();
            c.text = q.getColumn(4).getString();
            c.created_at = q.getColumn(5).getString();
            out.push_back(std::move(c));
        }
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the comments failed");
    }
    return out;
}

}  // namespace attune::store

namespace attune::store {

void set_person_role(Database& db, RowId person_id, PersonRole role) {
    write_transaction(db, [&](SQLite::Database& sql) {
        SQLite::Statement update(sql, "UPDATE people SET role = ? WHERE id = ?");
        update.bind(1, std::string(to_string(role)));
        update.bind(2, person_id);
        if (update.exec() == 0) throw StoreError(StoreError::Kind::NotFound, "no such person");
        SQLite::Statement q(sql, "SELECT uuid FROM people WHERE id = ?");
        q.bind(1, person_id);
        q.executeStep();
        append_audit(db, "update", "person", q.getColumn(0).getString(), "role=" + std::string(to_string(role)));
    });
    // The actor's role is read afresh when signing, but keep the cached copy true too.
    if (db.actor().id == person_id) {
        Person actor = db.actor();
        actor.role = role;
        db.set_actor(actor);
    }
}

}  // namespace attune::store
