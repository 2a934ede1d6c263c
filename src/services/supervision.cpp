#include "services/supervision.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/session_digest.h"
#include "core/text.h"
#include "formats/export_text.h"
#include "services/access.h"
#include "services/export_gather.h"
#include "services/metrics_internal.h"
#include "services/practice_access.h"
#include "services/practice_sync.h"
#include "services/process_detail.h"
#include "store/measure_repositories.h"
#include "store/metrics_cache.h"
#include "store/practice_log.h"
#include "store/repositories.h"
#include "store/signing.h"

namespace attune::services {

SessionReview load_session_review(OpenPractice& practice, RowId case_id, RowId session_id) {
    store::Database& db = database_of(practice);
    SessionReview review;
    auto c = store::CaseRepository(db).get(case_id);
    auto s = store::SessionRepository(db).get(session_id);
    // Access is the case's: the session must be one of its own.
    if (!c || !s || s->case_id != c->id || !may_see_session(practice, *c, s->id))
        throw Error(Error::Kind::NotFound, "the session no longer exists");
    review.case_info = *c;
    review.session = *s;
    review.scheme = store::SchemeRepository(db).get(s->scheme_id);
    review.therapist_layer = store::ObservationRepository(db).list_for_session(s->id, c->clinician_id);
    review.metrics = detail::compute_session_detail(db, *s, c->clinician_id, store::load_metric_settings(db));
    // A coder codes; the notes are not theirs to read.
    if (case_access(practice, *c) != CaseAccess::Coder) review.note = store::SessionRepository(db).progress_note(s->id);
    auto process = detail::session_process(db, *c, {s->id}, store::load_metric_settings(db));
    review.sequences = std::move(process[s->id].sequences);
    review.change_events = std::move(process[s->id].change_events);
    review.decisions = std::move(process[s->id].decisions);
    return review;
}

namespace {

// [SECTION] Who may do what: the actions and load_supervision's rights read these.
bool is_signing_clinician(OpenPractice& practice, const Case& c) {
    const Person& me = practice.person();
    return me.id != 0 && c.clinician_id == me.id && practice.holds(GrantRole::Clinician);
}

bool is_cosigning_supervisor(OpenPractice& practice, const Case& c) {
    const Person& me = practice.person();
    return me.id != 0 && c.supervisor_id == me.id && practice.holds(GrantRole::Supervisor);
}

bool writes_addenda(OpenPractice& practice, const Case& c) {
    const Person& me = practice.person();
    return me.id != 0 && (c.clinician_id == me.id || c.supervisor_id == me.id);
}

bool comments_on(OpenPractice& practice, const Case& c) { return case_access(practice, c) != CaseAccess::Coder; }

}  // namespace

SupervisionRecord load_supervision(OpenPractice& practice, RowId case_id, RowId session_id) {
    store::Database& db = database_of(practice);
    SupervisionRecord record;
    record.case_info = store::CaseRepository(db).get(case_id).value_or(Case{});
    const auto s = store::SessionRepository(db).get(session_id);
    if (!s || s->case_id != case_id || !may_see_session(practice, record.case_info, session_id))
        throw Error(Error::Kind::NotFound, "the session no longer exists");
    store::SigningRepository signing(db);
    record.signatures = signing.signatures(session_id);
    record.addenda = signing.addenda(session_id);
    record.comments = store::ReviewCommentRepository(db).list(session_id);
    record.observations = store::ObservationRepository(db).list_for_session(session_id);
    std::set<RowId> rater_ids;
    for (const Observation& o : record.observations)
        if (o.rater_id != record.case_info.clinician_id) rater_ids.insert(o.rater_id);
    store::PeopleRepository people(db);
    for (RowId id : rater_ids)
        if (auto person = people.get(id)) record.other_raters.push_back(*person);
    const bool clinician_coded =
        std::any_of(record.observations.begin(), record.observations.end(),
                    [&](const Observation& o) { return o.rater_id == record.case_info.clinician_id; });
    if (clinician_coded)
        if (auto clinician = people.get(record.case_info.clinician_id)) record.raters.push_back(*clinician);
    record.raters.insert(record.raters.end(), record.other_raters.begin(), record.other_raters.end());
    const std::vector<RowId> coders = store::AccessRepository(db).coders_of(session_id);
    for (const Person& p : people.list()) {
        if (std::find(coders.begin(), coders.end(), p.id) != coders.end()) record.coders.push_back(p);
        else if (practice.person_holds(p, GrantRole::Coder))
            record.coders_to_assign.push_back(p);
    }
    const auto by_name = [](const Person& a, const Person& b) { return a.name < b.name; };
    std::sort(record.coders.begin(), record.coders.end(), by_name);
    std::sort(record.coders_to_assign.begin(), record.coders_to_assign.end(), by_name);

    const auto signature = [&](SignatureRole role) {
        return std::find_if(record.signatures.begin(), record.signatures.end(),
                            [&](const Signature& x) { return x.role == role; });
    };
    const auto first = signature(SignatureRole::Sign);
    const bool is_signed = first != record.signatures.end();
    const bool cosigned = signature(SignatureRole::Cosign) != record.signatures.end();
    const Case& c = record.case_info;
    record.rights.sign = !is_signed && s->state == SessionState::Ended && is_signing_clinician(practice, c);
    record.rights.cosign =
        is_signed && !cosigned && !first->signature.empty() && is_cosigning_supervisor(practice, c);
    record.rights.add_addendum = is_signed && writes_addenda(practice, c);
    record.rights.comment = comments_on(practice, c);
    record.rights.assign_coders = may_assign_coders(practice, c);
    return record;
}

namespace {

struct SessionToSign {
    Case c;
    Session s;
};

SessionToSign session_to_sign(OpenPractice& practice, RowId session_id) {
    store::Database& db = database_of(practice);
    auto s = store::SessionRepository(db).get(session_id);
    if (!s) throw Error(Error::Kind::NotFound, "no such session");
    auto c = store::CaseRepository(db).get(s->case_id);
    if (!c || !may_see_session(practice, *c, s->id)) throw Error(Error::Kind::NotFound, "no such session");
    if (s->state != SessionState::Ended)
        throw Error(Error::Kind::Invalid,
                    "session " + std::to_string(s->number) + " is still running: end it before signing");
    return {*c, *s};
}

// What the signature covers: the session as stored now, with the coding of `layers`.
SessionContent content_of(store::Database& db, const Session& s, const std::vector<RowId>& layers) {
    std::vector<Observation> observations;
    std::map<RowId, std::string> rater_uuids;
    store::PeopleRepository people(db);
    for (const Observation& o : store::ObservationRepository(db).list_for_session(s.id)) {
        if (std::find(layers.begin(), layers.end(), o.rater_id) == layers.end()) continue;
        observations.push_back(o);
        if (!rater_uuids.count(o.rater_id))
            if (auto p = people.get(o.rater_id)) rater_uuids[o.rater_id] = p->uuid;
    }
    const store::SessionRepository sessions(db);
    return SessionContent::of(s, sessions.progress_note(s.id), std::move(observations), std::move(rater_uuids),
                              sessions.pauses(s.id));
}

std::vector<RowId> current_layers(store::Database& db, RowId session_id) {
    std::vector<RowId> layers;
    for (const Observation& o : store::ObservationRepository(db).list_for_session(session_id))
        if (std::find(layers.begin(), layers.end(), o.rater_id) == layers.end()) layers.push_back(o.rater_id);
    std::sort(layers.begin(), layers.end());
    return layers;
}

std::string digest_hex(const std::string& canonical) {
    return crypto::to_hex(crypto::sha256(crypto::as_bytes(canonical)));
}

}  // namespace

Signature sign_session(OpenPractice& practice, RowId session_id) {
    const SessionToSign target = session_to_sign(practice, session_id);
    const Person me = practice.person();
    if (!is_signing_clinician(practice, target.c))
        throw Error(Error::Kind::Denied, me.name + " is not the clinician of " + target.c.label +
                                             ": only the case's clinician signs its sessions");
    store::Database& db = database_of(practice);
    store::SignatureDraft draft;
    draft.signed_at = now_utc_iso();
    draft.layers = current_layers(db, session_id);
    // The clinician's own layer is sealed even when empty: a session signed
    // with nothing coded must stay without coding.
    if (std::find(draft.layers.begin(), draft.layers.end(), me.id) == draft.layers.end()) {
        draft.layers.push_back(me.id);
        std::sort(draft.layers.begin(), draft.layers.end());
    }
    const std::string canonical =
        canonical_session_bytes(content_of(db, target.s, draft.layers), {me.uuid, me.name, draft.signed_at});
    draft.digest = digest_hex(canonical);
    draft.signature = crypto::to_hex(practice.sign(*crypto::from_hex(draft.digest)));
    return store::SigningRepository(db).sign(session_id, draft);
}

Signature cosign_session(OpenPractice& practice, RowId session_id) {
    const SessionToSign target = session_to_sign(practice, session_id);
    const Person me = practice.person();
    if (!is_cosigning_supervisor(practice, target.c))
        throw Error(Error::Kind::Denied,
                    me.name + " is not the supervisor of " + target.c.label +
                        (target.c.supervisor_name.empty() ? std::string(" (it has none named)")
                                                          : " (its supervisor is " + target.c.supervisor_name + ")") +
                        ": only the case's supervisor co-signs");
    store::Database& db = database_of(practice);
    const std::vector<Signature> existing = store::SigningRepository(db).signatures(session_id);
    const auto first = std::find_if(existing.begin(), existing.end(),
                                    [](const Signature& x) { return x.role == SignatureRole::Sign; });
    if (first == existing.end() || first->signature.empty())
        throw Error(Error::Kind::Invalid,
                    "the therapist has not signed this session with a key yet: nothing to co-sign");
    store::SignatureDraft draft;
    draft.signed_at = now_utc_iso();
    draft.layers = first->layers;  // the record the clinician signed
    const crypto::Bytes first_signature = *crypto::from_hex(first->signature);
    const std::string canonical = canonical_cosign_bytes(content_of(db, target.s, draft.layers),
                                                         {me.uuid, me.name, draft.signed_at}, first_signature);
    draft.digest = digest_hex(canonical);
    draft.signature = crypto::to_hex(practice.sign(*crypto::from_hex(draft.digest)));
    return store::SigningRepository(db).cosign(session_id, draft);
}

std::vector<SignatureCheck> verify_signatures(OpenPractice& practice, RowId session_id) {
    store::Database& db = database_of(practice);
    auto s = store::SessionRepository(db).get(session_id);
    const auto c = s ? store::CaseRepository(db).get(s->case_id) : std::nullopt;
    if (!c || !may_see_session(practice, *c, session_id)) throw Error(Error::Kind::NotFound, "no such session");
    const PracticeTrust& trust = practice.trust();
    const std::vector<Signature> signatures = store::SigningRepository(db).signatures(session_id);
    const std::vector<store::KnownKey> known_keys =
        signatures.empty() ? std::vector<store::KnownKey>{} : store::KnownKeysRepository(db).list();
    std::vector<SignatureCheck> out;
    const Signature* first = nullptr;
    for (const Signature& sig : signatures)
        if (sig.role == SignatureRole::Sign) first = &sig;
    for (const Signature& sig : signatures) {
        SignatureCheck check;
        check.signature = sig;
        if (sig.digest.empty() || sig.signature.empty()) {
            check.status = SignatureCheck::Status::NotCryptographic;
            check.reason = "signed by an earlier Attune, by name only: it cannot be verified";
            out.push_back(std::move(check));
            continue;
        }
        const SessionContent content = content_of(db, *s, sig.layers);
        // The session as it is now, in the encoding of every new signature and in
        // version 1 (signed before the clock's pauses were covered). Each version's
        // tag is in its bytes, so a signature made in one never matches the other.
        const SignerStamp stamp{sig.signer_uuid, sig.name_as_signed(), sig.signed_at};
        const auto first_bytes = first ? crypto::from_hex(first->signature) : std::nullopt;
        bool unchanged = false;
        for (const int version : {kSessionDigestVersion, 1}) {
            try {
                const std::string canonical =
                    sig.role == SignatureRole::Sign
                        ? canonical_session_bytes(content, stamp, version)
                        : canonical_cosign_bytes(content, stamp, first_bytes ? *first_bytes : crypto::Bytes{}, version);
                unchanged = digest_hex(canonical) == sig.digest;
            } catch (const std::exception&) {
                unchanged = false;  // a damaged value: it cannot give the signed digest
            }
            if (unchanged) break;
        }
        if (!unchanged) {
            check.status = SignatureCheck::Status::ChangedAfterSigning;
            check.reason = "changed after signing";
            out.push_back(std::move(check));
            continue;
        }
        const auto digest = crypto::from_hex(sig.digest);
        const auto signature = crypto::from_hex(sig.signature);
        // The keys this practice knows for the signer: certified in its log, or
        // (another practice's person) imported by an administrator. A key a
        // bundle carried is never one of them.
        std::vector<crypto::Bytes> keys;
        if (auto certified = trust.keys.find(sig.signer_uuid); certified != trust.keys.end())
            keys = certified->second;
        for (const store::KnownKey& known : known_keys)
            if (known.person_uuid == sig.signer_uuid)
                if (auto key = crypto::from_hex(known.public_key)) keys.push_back(*key);
        check.status = SignatureCheck::Status::NotTheirKey;
        if (keys.empty()) {
            const auto carried = crypto::from_hex(sig.signer_key);
            check.reason = "not verified: signed by a key this practice does not know for " + sig.name_as_signed() +
                           (carried && !carried->empty() ? " (fingerprint " + crypto::fingerprint(*carried) + ")" : "");
        } else {
            check.reason = "not verified: not signed with a key this practice knows for " + sig.name_as_signed();
        }
        if (digest && signature)
            for (const crypto::Bytes& key : keys)
                if (crypto::verify(*digest, *signature, key)) {
                    check.status = SignatureCheck::Status::Verified;
                    check.reason.clear();
                    check.fingerprint = crypto::fingerprint(key);
                    break;
                }
        out.push_back(std::move(check));
    }
    return out;
}

std::string signature_line(const SignatureCheck& check) {
    return formats::signature_text(detail::signature_line_of(check));  // the exports' words
}

std::vector<SessionSignatureCheck> verify_practice(OpenPractice& practice, const std::string& case_label) {
    std::vector<SessionSignatureCheck> out;
    store::Database& db = database_of(practice);
    for (const CaseSummary& summary : store::CaseRepository(db).list()) {
        if (!case_label.empty() && summary.info.label != case_label) continue;
        if (case_access(practice, summary.info) == CaseAccess::None) continue;
        for (const Session& s : store::SessionRepository(db).list_for_case(summary.info.id)) {
            if (!may_see_session(practice, summary.info, s.id)) continue;  // a coder's unassigned sessions
            for (SignatureCheck& check : verify_signatures(practice, s.id))
                out.push_back({summary.info, s, std::move(check)});
        }
    }
    return out;
}

// [SECTION] Who supervises and who codes

namespace {

std::string name_of(store::Database& db, RowId person_id) {
    const auto p = store::PeopleRepository(db).get(person_id);
    return p ? p->name : "someone no longer in this practice";
}

}  // namespace

void set_case_supervisor(OpenPractice& practice, const std::string& case_label, const std::string& supervisor_name) {
    store::Database& db = database_of(practice);
    auto c = store::CaseRepository(db).find_by_label(case_label);
    if (!c || case_access(practice, *c) == CaseAccess::None)
        throw Error(Error::Kind::NotFound, "no case labelled '" + case_label + "' (see attune case list)");
    const bool clinician = case_access(practice, *c) == CaseAccess::Clinician;
    if (!clinician && !practice.holds(GrantRole::Administrator))
        throw Error(Error::Kind::Denied, "only the case's clinician or an administrator names its supervisor");
    // The server lets a clinician of the case change it; an administrator's naming would stay here.
    if (!clinician && syncs_with_practice_server(practice))
        throw Error(Error::Kind::Denied, "on the practice server this copy syncs with, only the clinician of " +
                                             c->label + " (" + name_of(db, c->clinician_id) +
                                             ") names its supervisor: named here it would stay in this copy");
    auto supervisor = store::PeopleRepository(db).find(supervisor_name);
    if (!supervisor) throw Error(Error::Kind::NotFound, "no person named '" + supervisor_name + "' in this practice");
    if (practice.has_keys() && !practice.trust().holds(supervisor->uuid, GrantRole::Supervisor))
        throw Error(Error::Kind::Invalid, supervisor->name + " does not hold the supervisor role");
    if (supervisor->id == c->clinician_id)
        throw Error(Error::Kind::Invalid, "a case's clinician cannot be its own supervisor");
    store::AccessRepository(db).set_supervisor(c->id, supervisor->id);
}

void share_case(OpenPractice& practice, const std::string& case_label, const std::string& clinician_name) {
    store::Database& db = database_of(practice);
    auto c = store::CaseRepository(db).find_by_label(case_label);
    if (!c || case_access(practice, *c) != CaseAccess::Clinician)
        throw Error(Error::Kind::Denied, "only the case's clinician shares it");
    auto other = store::PeopleRepository(db).find(clinician_name);
    if (!other) throw Error(Error::Kind::NotFound, "no person named '" + clinician_name + "' in this practice");
    if (practice.has_keys() && !practice.trust().holds(other->uuid, GrantRole::Clinician))
        throw Error(Error::Kind::Invalid, other->name + " is not a clinician");
    store::AccessRepository(db).share(c->id, other->id);
}

void unshare_case(OpenPractice& practice, const std::string& case_label, const std::string& clinician_name) {
    store::Database& db = database_of(practice);
    auto c = store::CaseRepository(db).find_by_label(case_label);
    if (!c || case_access(practice, *c) != CaseAccess::Clinician)
        throw Error(Error::Kind::Denied, "only the case's clinician stops sharing it");
    auto other = store::PeopleRepository(db).find(clinician_name);
    store::AccessRepository access(db);
    const std::vector<RowId> with = access.shared_with(c->id);
    if (!other || std::find(with.begin(), with.end(), other->id) == with.end())
        throw Error(Error::Kind::NotFound, c->label + " is not shared with '" + clinician_name + "'");
    access.unshare(c->id, other->id);
}

std::vector<std::string> case_shared_with(OpenPractice& practice, const std::string& case_label) {
    store::Database& db = database_of(practice);
    auto c = store::CaseRepository(db).find_by_label(case_label);
    if (!c || case_access(practice, *c) == CaseAccess::None)
        throw Error(Error::Kind::NotFound, "no case labelled '" + case_label + "' (see attune case list)");
    std::vector<std::string> names;
    store::PeopleRepository people(db);
    for (RowId id : store::AccessRepository(db).shared_with(c->id))
        if (auto person = people.get(id)) names.push_back(person->name);
    return names;
}

// The server's row-level security lets only the case's clinician and its
// supervisor assign (or take back): another's assignment would stay in this
// copy, and the coder would never see it.
bool may_assign_coders(OpenPractice& practice, const Case& c) {
    const CaseAccess access = case_access(practice, c);
    if (access == CaseAccess::None || access == CaseAccess::Coder) return false;
    const RowId me = practice.person().id;
    return me == c.clinician_id || me == c.supervisor_id || !syncs_with_practice_server(practice);
}

namespace {

// The session and person of an assignment given or taken back, by those who may.
std::pair<Session, Person> assignment_of(OpenPractice& practice, const std::string& case_label, int session_number,
                                         const std::string& coder_name, const char* verb) {
    store::Database& db = database_of(practice);
    auto c = store::CaseRepository(db).find_by_label(case_label);
    const CaseAccess access = c ? case_access(practice, *c) : CaseAccess::None;
    if (access == CaseAccess::None || access == CaseAccess::Coder)
        throw Error(Error::Kind::Denied,
                    std::string("only the case's clinician, its supervisor or an administrator ") + verb);
    if (!may_assign_coders(practice, *c))
        throw Error(Error::Kind::Denied, "on the practice server this copy syncs with, only the clinician of " +
                                             c->label + " (" + name_of(db, c->clinician_id) + ")" +
                                             (c->supervisor_id != 0 ? " or its supervisor (" +
                                                                          name_of(db, c->supervisor_id) + ")"
                                                                    : std::string()) +
                                             " " + verb + ": done here it would stay in this copy");
    auto s = store::SessionRepository(db).find(c->id, session_number);
    if (!s) throw Error(Error::Kind::NotFound, c->label + " has no session " + std::to_string(session_number));
    auto coder = store::PeopleRepository(db).find(coder_name);
    if (!coder) throw Error(Error::Kind::NotFound, "no person named '" + coder_name + "' in this practice");
    return {*s, *coder};
}

}  // namespace

void assign_coder(OpenPractice& practice, const std::string& case_label, int session_number,
                  const std::string& coder_name) {
    const auto [session, coder] = assignment_of(practice, case_label, session_number, coder_name, "assigns coding");
    if (practice.has_keys() && !practice.trust().holds(coder.uuid, GrantRole::Coder))
        throw Error(Error::Kind::Invalid, coder.name + " does not hold the coder role");
    store::AccessRepository(database_of(practice)).assign_coder(session.id, coder.id);
}

void unassign_coder(OpenPractice& practice, const std::string& case_label, int session_number,
                    const std::string& coder_name) {
    const auto [session, coder] =
        assignment_of(practice, case_label, session_number, coder_name, "takes coding back");
    if (!store::AccessRepository(database_of(practice)).unassign_coder(session.id, coder.id))
        throw Error(Error::Kind::NotFound, "session " + std::to_string(session_number) + " of " + case_label +
                                               " is not assigned to '" + coder.name + "'");
}

namespace {

Case case_of(OpenPractice& practice, RowId session_id) {
    store::Database& db = database_of(practice);
    auto s = store::SessionRepository(db).get(session_id);
    auto c = s ? store::CaseRepository(db).get(s->case_id) : std::nullopt;
    if (!c || !may_see_session(practice, *c, session_id)) throw Error(Error::Kind::NotFound, "no such session");
    return *c;
}

}  // namespace

Addendum add_addendum(OpenPractice& practice, RowId session_id, const std::string& text) {
    if (!writes_addenda(practice, case_of(practice, session_id)))
        throw Error(Error::Kind::Denied, "only the case's clinician or its supervisor adds to a signed note");
    return store::SigningRepository(database_of(practice)).add_addendum(session_id, text);
}

ReviewComment add_comment(OpenPractice& practice, RowId session_id, double t, const std::string& text) {
    if (!comments_on(practice, case_of(practice, session_id)))
        throw Error(Error::Kind::Denied, "a coder codes; comments are the clinician's and the supervisor's");
    return store::ReviewCommentRepository(database_of(practice)).add(session_id, t, text);
}

std::vector<ReviewComment> list_comments(OpenPractice& practice, RowId session_id) {
    case_of(practice, session_id);
    return store::ReviewCommentRepository(database_of(practice)).list(session_id);
}

// The comment must be one of this session's: a comment of another session, or
// of a case the person may not read, is not found (store/signing.h).
ReviewComment edit_comment(OpenPractice& practice, RowId session_id, RowId comment_id, double t,
                           const std::string& text) {
    case_of(practice, session_id);  // the person's access to the session
    return store::ReviewCommentRepository(database_of(practice)).edit(session_id, comment_id, t, text);
}

void delete_comment(OpenPractice& practice, RowId session_id, RowId comment_id) {
    case_of(practice, session_id);  // the person's access to the session
    store::ReviewCommentRepository(database_of(practice)).remove(session_id, comment_id);
}

bool is_signed(OpenPractice& practice, RowId session_id) {
    return store::SigningRepository(database_of(practice)).is_signed(session_id);
}

namespace {

// The two raters' observations, deleted ones left out.
std::pair<std::vector<Observation>, std::vector<Observation>> layers_of(const std::vector<Observation>& observations,
                                                                        RowId rater_a, RowId rater_b) {
    std::pair<std::vector<Observation>, std::vector<Observation>> out;
    for (const Observation& o : observations) {
        if (o.deleted) continue;
        if (o.rater_id == rater_a)
            out.first.push_back(o);
        else if (o.rater_id == rater_b)
            out.second.push_back(o);
    }
    return out;
}

}  // namespace

// [SECTION] Change-event candidates

CandidateDecisionRecord decide_change_event(OpenPractice& practice, RowId session_id, const std::string& candidate_key,
                                            CandidateDecision decision) {
    store::Database& db = database_of(practice);
    const auto s = store::SessionRepository(db).get(session_id);
    const auto c = s ? store::CaseRepository(db).get(s->case_id) : std::nullopt;
    if (!s || !c || !may_see_session(practice, *c, s->id))
        throw Error(Error::Kind::NotFound, "the session no longer exists");
    if (case_access(practice, *c) != CaseAccess::Clinician || !practice.holds(GrantRole::Clinician))
        throw Error(Error::Kind::Denied, practice.person().name + " is not the clinician of " + c->label +
                                             ": only the case's clinician confirms or rejects change events");
    auto process = detail::session_process(db, *c, {s->id}, store::load_metric_settings(db));
    for (const ChangeEventCandidate& candidate : process[s->id].change_events.candidates) {
        if (candidate.key() != candidate_key) continue;
        const std::string described = std::string(to_string(candidate.by)) + " " + candidate.antecedent_code + " at " +
                                      format_clock(candidate.antecedent_t) + " -> " +
                                      std::string(to_string(other_partner(candidate.by))) + " " +
                                      candidate.consequent_code + " at " + format_clock(candidate.consequent_t);
        return store::ChangeEventDecisionRepository(db).decide(s->id, candidate_key, decision, described);
    }
    throw Error(Error::Kind::NotFound, "session " + std::to_string(s->number) + " of " + c->label +
                                           " has no change-event candidate " + candidate_key);
}

// [SECTION] End-of-session ratings by a second rater

void rate_session(OpenPractice& practice, RowId session_id, RowId rater_id, const Ratings& ratings) {
    store::Database& db = database_of(practice);
    const auto s = store::SessionRepository(db).get(session_id);
    const auto c = s ? store::CaseRepository(db).get(s->case_id) : std::nullopt;
    const auto rater = store::PeopleRepository(db).get(rater_id);
    if (!s || !c || !may_see_session(practice, *c, s->id))
        throw Error(Error::Kind::NotFound, "the session no longer exists");
    if (!rater) throw Error(Error::Kind::NotFound, "the rater is not a person of this practice");
    // A rater gives their own ratings; the case's clinician may record a second rater's (given on paper).
    if (rater_id != practice.person().id && case_access(practice, *c) != CaseAccess::Clinician)
        throw Error(Error::Kind::Denied, practice.person().name + " may give only their own ratings of " + c->label);
    if (rater_id == c->clinician_id)
        throw Error(Error::Kind::Invalid, rater->name +
                                              " is the case clinician: their ratings are the session's own "
                                              "(attune session end --attunement-a ...)");
    if (store::ObservationRepository(db).list_for_session(s->id, rater_id).empty())
        throw Error(Error::Kind::Invalid, rater->name + " has coded nothing in session " + std::to_string(s->number) +
                                              " of " + c->label + ": a second rater rates a session they coded");
    store::SessionRatingRepository(db).set(s->id, rater_id, ratings);
}

std::optional<Ratings> ratings_by(OpenPractice& practice, RowId session_id, RowId rater_id) {
    store::Database& db = database_of(practice);
    const auto s = store::SessionRepository(db).get(session_id);
    const auto c = s ? store::CaseRepository(db).get(s->case_id) : std::nullopt;
    if (!s || !c || !may_see_session(practice, *c, s->id))
        throw Error(Error::Kind::NotFound, "the session no longer exists");
    if (rater_id == c->clinician_id) {
        const Ratings& own = s->ratings;
        if (!own.attunement_a && !own.attunement_b && !own.safety) return std::nullopt;
        return own;
    }
    return store::SessionRatingRepository(db).get(s->id, rater_id);
}

RatingAgreement ratings_agreement(OpenPractice& practice, RowId case_id, RowId rater_a, RowId rater_b) {
    store::Database& db = database_of(practice);
    const auto c = store::CaseRepository(db).get(case_id);
    if (!c) throw Error(Error::Kind::NotFound, "the case no longer exists");
    require_access(practice, *c, CaseAccess::Reader);
    // Each rater's ratings by session: the session's own for the case clinician.
    auto ratings_of = [&](RowId rater) {
        std::map<RowId, Ratings> out;
        if (rater == c->clinician_id) {
            for (const Session& s : store::SessionRepository(db).list_for_case(case_id))
                out[s.id] = s.ratings;
        } else {
            for (const auto& [session_id, r] : store::SessionRatingRepository(db).for_rater_in_case(case_id, rater))
                out[session_id] = r;
        }
        return out;
    };
    const std::map<RowId, Ratings> of_a = ratings_of(rater_a);
    const std::map<RowId, Ratings> of_b = ratings_of(rater_b);
    std::vector<std::pair<Ratings, Ratings>> both;
    for (const auto& [session_id, a] : of_a)
        if (const auto b = of_b.find(session_id); b != of_b.end()) both.emplace_back(a, b->second);
    return rating_agreement(both);
}


AgreementResult rater_agreement(const std::vector<Observation>& observations, RowId rater_a, RowId rater_b,
                                double tolerance_s) {
    const auto [a, b] = layers_of(observations, rater_a, rater_b);
    return compute_agreement(a, b, tolerance_s);
}

TimeSliceAgreement rater_time_slice_agreement(const std::vector<Observation>& observations, RowId rater_a,
                                              RowId rater_b, double slice_s) {
    const auto [a, b] = layers_of(observations, rater_a, rater_b);
    return compute_time_slice_agreement(a, b, slice_s);
}

TimeSliceAgreement rater_time_slice_agreement(OpenPractice& practice, RowId session_id, RowId rater_a, RowId rater_b,
                                              double slice_s) {
    return rater_time_slice_agreement(store::ObservationRepository(database_of(practice)).list_for_session(session_id),
                                      rater_a, rater_b, slice_s);
}

AgreementResult rater_agreement(OpenPractice& practice, RowId session_id, RowId rater_a, RowId rater_b,
                                double tolerance_s) {
    return rater_agreement(store::ObservationRepository(database_of(practice)).list_for_session(session_id), rater_a,
                           rater_b, tolerance_s);
}

}  // namespace attune::services
