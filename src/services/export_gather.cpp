#include "services/export_gather.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/dates.h"
#include "services/metrics_internal.h"
#include "services/process_detail.h"
#include "store/metrics_cache.h"
#include "store/repositories.h"
#include "store/signing.h"

namespace attune::services::detail {
using namespace attune::formats;

namespace {

HomeworkItem to_item(const Homework& h) {
    return HomeworkItem{h.description, h.done};
}

// The session's addenda; its signatures are checked by the export job
// (checked_signatures), which holds the practice and its people's keys.
SessionSignOff sign_off_of(store::Database& db, const Session& s) {
    SessionSignOff out;
    out.session_number = s.number;
    out.date = s.date;
    out.addenda = store::SigningRepository(db).addenda(s.id);
    return out;
}

std::string who_name(const Case& c, Who who) {
    switch (who) {
        case Who::A:
            return c.partner_a.display_name;
        case Who::B:
            return c.partner_b.display_name;
        case Who::Therapist:
            return "Therapist";
        case Who::Both:
            break;
    }
    return "";  // BORIS's "no focal subject": both partners
}

}  // namespace

SessionNoteData gather_session_note(store::Database& db, const Case& c, const Session& s, bool include_private) {
    store::SessionRepository sessions(db);
    SessionNoteData out;
    out.info = c;
    out.session = s;
    out.note = sessions.progress_note(s.id);
    if (include_private) {
        std::string body = sessions.process_note(s.id);
        if (!body.empty()) out.process_note = std::move(body);
    }
    for (const Homework& h : sessions.homework_agreed_in(s.id))
        out.homework_agreed.push_back(to_item(h));
    // The follow-up is of the session before this one in the case's own order.
    const std::vector<Session> all = sessions.list_for_case(c.id);
    const Session* previous = nullptr;
    for (const Session& other : all)
        if (other.number < s.number && (!previous || other.number > previous->number)) previous = &other;
    if (previous) {
        out.previous_session_number = previous->number;
        for (const Homework& h : sessions.homework_agreed_in(previous->id))
            out.homework_follow_up.push_back(to_item(h));
    }
    out.scheme = store::SchemeRepository(db).get(s.scheme_id);
    // The same layer case_metrics uses: the case clinician's coding.
    out.observations = store::ObservationRepository(db).list_for_session(s.id, c.clinician_id);
    const MetricSettings settings = store::load_metric_settings(db);
    out.counting = session_counting(s, settings);
    out.metrics = compute_session_metrics(out.observations, out.scheme, s.active_seconds, settings);
    if (!out.counting.counts) out.metrics = counts_only(std::move(out.metrics));  // keeps the links
    // The draft Assessment compares with the last 3 counted sessions before this one.
    const CaseMetrics history = compute_case_metrics(db, c.id, settings);
    for (const SessionWithMetrics& other : history.sessions) {
        if (other.session.id == s.id) break;
        if (other.counting.counts) out.earlier.push_back(other);
    }
    if (out.earlier.size() > 3) out.earlier.erase(out.earlier.begin(), out.earlier.end() - 3);
    out.sign_off = sign_off_of(db, s);
    return out;
}

CaseSummaryData gather_case_summary(store::Database& db, const Case& c, const std::string& from,
                                    const std::string& to) {
    CaseSummaryData out;
    out.case_metrics = compute_case_metrics(db, c.id, store::load_metric_settings(db), from, to);
    add_process_detail(db, out.case_metrics);
    out.from = from;
    out.to = to;
    std::set<RowId> in_range;
    for (const SessionWithMetrics& s : out.case_metrics.sessions) {
        in_range.insert(s.session.id);
        out.sign_offs.push_back(sign_off_of(db, s.session));
    }
    // Homework agreed in the case's latest session is due at the next one, not yet.
    store::SessionRepository sessions(db);
    const std::vector<Session> all = sessions.list_for_case(c.id);
    const std::optional<RowId> latest = all.empty() ? std::nullopt : std::optional<RowId>(all.back().id);
    for (const Homework& h : sessions.homework_for_case(c.id)) {
        if (!in_range.count(h.agreed_session_id)) continue;
        if (latest && h.agreed_session_id == *latest && !h.done) {  // checked off early: it counts
            ++out.homework_not_due;
            out.latest_session_number = all.back().number;
            continue;
        }
        ++out.homework_agreed;
        if (h.done == true) ++out.homework_done;
        if (h.done == false) ++out.homework_not_done;
    }
    return out;
}

ObservationExportData gather_observations(store::Database& db, const Case& c, std::optional<int> session_number,
                                          const std::string& from, const std::string& to, bool clinician_only) {
    store::SessionRepository sessions(db);
    store::ObservationRepository observations(db);
    store::SchemeRepository schemes(db);
    store::PeopleRepository people(db);
    std::map<RowId, std::string> rater_names;
    ObservationExportData out;
    out.info = c;
    for (const Session& s : sessions.list_for_case(c.id)) {
        if (session_number && s.number != *session_number) continue;
        if (!session_number && !from.empty() && s.date < from) continue;
        if (!session_number && !to.empty() && s.date > to) continue;
        const CodingScheme scheme = schemes.get(s.scheme_id);
        for (const Observation& o : observations.list_for_session(s.id, clinician_only ? c.clinician_id : 0)) {
            ObservationRow row;
            row.case_label = c.label;
            row.session_number = s.number;
            row.session_date = s.date;
            row.session_start_time = s.start_time;
            row.session_active_seconds = s.active_seconds;
            row.t = o.t;
            row.stop = o.stop;
            row.kind = o.kind;
            row.who = o.who;
            row.who_name = who_name(c, o.who);
            row.code_id = o.code_id;
            row.code_label = o.code_id;
            if (const Code* code = scheme.find(o.code_id)) {
                row.code_label = code->label;
                row.category_id = code->category;
                row.polarity = code->polarity;
                const Category* category = scheme.find_category(code->category);
                row.category_label = category ? category->label : code->category;
            }
            row.intensity = o.intensity;
            row.comment = o.comment;
            auto rater = rater_names.find(o.rater_id);
            if (rater == rater_names.end()) {
                const auto person = people.get(o.rater_id);
                rater = rater_names.emplace(o.rater_id, person ? person->name : std::string()).first;
            }
            row.rater = rater->second;
            out.rows.push_back(std::move(row));
        }
    }
    if (session_number && out.rows.empty() && !sessions.find(c.id, *session_number))
        throw Error(Error::Kind::NotFound, c.label + " has no session " + std::to_string(*session_number));
    return out;
}

BorisExportData gather_boris(store::Database& db, const Case& c, std::optional<int> session_number,
                             const std::string& from, const std::string& to) {
    store::SessionRepository sessions(db);
    store::ObservationRepository observations(db);
    store::SchemeRepository schemes(db);
    store::PeopleRepository people(db);
    BorisExportData out;
    out.info = c;
    out.scheme = schemes.get(c.scheme_id);
    out.exported_at = now_utc_iso();
    std::set<RowId> schemes_read{c.scheme_id};
    std::map<RowId, std::string> rater_names;
    bool found = false;
    for (const Session& s : sessions.list_for_case(c.id)) {
        if (session_number && s.number != *session_number) continue;
        if (!session_number && !from.empty() && s.date < from) continue;
        if (!session_number && !to.empty() && s.date > to) continue;
        found = true;
        // Codes of an older scheme version that this case's scheme no longer has.
        if (schemes_read.insert(s.scheme_id).second)
            for (const Code& code : schemes.get(s.scheme_id).codes)
                if (!out.scheme.find(code.id)) out.scheme.codes.push_back(code);
        std::map<RowId, BorisLayer> layers;
        for (const Observation& o : observations.list_for_session(s.id)) {
            auto name = rater_names.find(o.rater_id);
            if (name == rater_names.end()) {
                const auto person = people.get(o.rater_id);
                name = rater_names.emplace(o.rater_id, person ? person->name : std::string()).first;
            }
            BorisLayer& layer = layers[o.rater_id];
            layer.rater = name->second;
            layer.observations.push_back(o);
        }
        BorisSession session;
        session.session = s;
        // The clinician's layer first (an empty one when only others coded, so
        // that every session has its own observation), then by rater name.
        BorisLayer clinician = layers.count(c.clinician_id) ? layers[c.clinician_id] : BorisLayer{c.clinician_name, {}};
        layers.erase(c.clinician_id);
        if (!clinician.observations.empty() || layers.empty()) session.layers.push_back(std::move(clinician));
        std::vector<BorisLayer> others;
        for (auto& [rater, layer] : layers)
            others.push_back(std::move(layer));
        std::sort(others.begin(), others.end(),
                  [](const BorisLayer& x, const BorisLayer& y) { return x.rater < y.rater; });
        for (BorisLayer& layer : others)
            session.layers.push_back(std::move(layer));
        for (BorisLayer& layer : session.layers)
            std::stable_sort(layer.observations.begin(), layer.observations.end(),
                             [](const Observation& x, const Observation& y) { return x.t < y.t; });
        out.sessions.push_back(std::move(session));
    }
    if (session_number && !found)
        throw Error(Error::Kind::NotFound, c.label + " has no session " + std::to_string(*session_number));
    return out;
}

formats::SignatureLine signature_line_of(const SignatureCheck& check) {
    formats::SignatureLine line;
    line.cosign = check.signature.role == SignatureRole::Cosign;
    line.signer = check.signature.signer_name;
    line.signed_at = check.signature.signed_at;
    line.verified = check.verified();
    if (line.verified)
        line.fingerprint = check.fingerprint;
    else
        line.problem = check.reason;
    return line;
}

std::vector<formats::SignatureLine> checked_signatures(OpenPractice& practice, RowId session_id) {
    std::vector<formats::SignatureLine> out;
    for (const SignatureCheck& check : verify_signatures(practice, session_id))
        out.push_back(signature_line_of(check));
    return out;
}

}  // namespace attune::services::detail
