// demo.cpp: `attune demo`: plans each case (who pursues, whether it improves,
// dates, stages, ratings, notes, homework), has demo_events.cpp fill its
// sessions, and hands whole cases to store::DemoWriter, about 60,000
// observations to a transaction.
//
// Index
// - [SECTION] Seeds and dates
// - [SECTION] One case
// - [SECTION] generate_demo
#include "services/demo.h"

#include "core/dates.h"

#include "services/demo_internal.h"
#include "core/session_digest.h"
#include "core/uuid.h"
#include "services/practice_access.h"
#include "services/trust_internal.h"
#include "store/audit_log.h"
#include "store/demo_writer.h"
#include "store/practice_marks.h"
#include "services/paths.h"
#include "store/repositories.h"

#include <algorithm>
#include <map>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace attune::services {

// [SECTION] Seeds and dates

namespace demo {

namespace {
std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}
}  // namespace

std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
    return splitmix64(splitmix64(splitmix64(seed) ^ a) ^ (b * 0xD1B54A32D192ED03ULL));
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for any date, no
// time zone and no C library involved.
std::int64_t days_from_iso(const std::string& iso) {
    const auto days = attune::days_from_iso(iso);
    if (!days) throw Error(Error::Kind::Invalid, "the date must be a real day written yyyy-mm-dd");
    return *days;
}

std::string iso_from_days(std::int64_t days) { return attune::iso_from_days(days); }

}  // namespace demo

namespace {

using demo::Random;

// Independent random streams: a case's content does not depend on the cases
// before it, nor the labels on anything else.
enum Stream : std::uint64_t { kLabelStream = 1, kCaseStream = 2, kGlobalStream = 3 };

std::string two_digits(int value) { return (value < 10 ? "0" : "") + std::to_string(value); }

// Moves a weekend date to the Friday before: couples therapy is a weekday job.
std::int64_t weekday_on_or_before(std::int64_t days) {
    const std::int64_t weekday = ((days + 4) % 7 + 7) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
    if (weekday == 6) return days - 1;
    if (weekday == 0) return days - 2;
    return days;
}

double wall_clock_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// [SECTION] One case

// Session dates, counted back from the latest session: active cases were seen
// in the last two weeks (the first case is in session today), paused and
// closed ones some weeks or months ago. Weekly or fortnightly, with the odd
// missed week and rescheduled appointment.
std::vector<std::int64_t> session_dates(Random& random, std::int64_t today, bool in_session_today, CaseStatus status,
                                        int sessions) {
    const int cadence = random.chance(0.7) ? 7 : 14;
    std::int64_t last = today;
    if (!in_session_today) {
        const int ago = status == CaseStatus::Active   ? random.between(0, 10)
                        : status == CaseStatus::Paused ? random.between(21, 90)
                                                       : random.between(14, 200);
        last = weekday_on_or_before(today - ago);
    }
    std::vector<std::int64_t> dates(static_cast<size_t>(sessions), last);
    for (int j = sessions - 2; j >= 0; --j) {
        int gap = cadence;
        if (random.chance(0.12)) gap += 7;                     // a missed week
        if (random.chance(0.1)) gap += random.between(-2, 2);  // rescheduled
        dates[static_cast<size_t>(j)] = weekday_on_or_before(dates[static_cast<size_t>(j) + 1] - gap);
    }
    return dates;
}

struct TrajectoryPoint {
    int step = 1;        // EFT step 1-9
    double health = 0;   // 0-0.95, see demo::SessionShape
};

// Where a couple stands after a fraction f (0..1) of its sessions. Improving
// couples move through the EFT steps at their own pace (pace 1 reaches step 9
// at the last session) and their sessions get healthier with them; stuck
// couples stall by step 3 and slowly get worse.
TrajectoryPoint trajectory_at(Random& random, bool stuck, double pace, double f) {
    const double progress = std::min(1.0, f * pace);
    TrajectoryPoint point;
    if (stuck) {
        point.step = 1 + static_cast<int>(std::min(progress, 0.3) * 8.999);
        point.health = 0.15 - 0.10 * f + 0.06 * (random.unit() - 0.5);
    } else {
        point.step = 1 + static_cast<int>(progress * 8.999);
        point.health = 0.05 + 0.85 * progress + 0.12 * (random.unit() - 0.5);
    }
    point.health = std::clamp(point.health, 0.0, 0.95);
    return point;
}

struct CaseContext {
    const DemoOptions& options;
    const CodingScheme& scheme;
    RowId scheme_id = 0;
    std::int64_t today = 0;  // days since 1970-01-01
    int stuck_offset = 0;    // which third of the cases is stuck
    std::vector<RowId> clinicians;
    RowId supervisor = 0;
};

store::DemoCase build_case(const CaseContext& ctx, int k, const std::string& label) {
    Random random(demo::stream_seed(ctx.options.seed, static_cast<std::uint64_t>(k), kCaseStream));
    const int sessions = ctx.options.sessions_per_case;
    const int events = ctx.options.events_per_session;
    store::DemoCase dc;
    Case& c = dc.info;
    c.label = label;
    c.clinician_id = ctx.clinicians[static_cast<size_t>(k) % ctx.clinicians.size()];
    c.supervisor_id = ctx.supervisor;  // the demo supervisor supervises every case (and co-signs none: that is the user's to try)
    c.scheme_id = ctx.scheme_id;

    // The couple: who pursues, their names and impressions, what they fight about.
    const Who pursuer = random.chance(0.5) ? Who::A : Who::B;
    const std::string pursuer_name = demo::partner_name(random);
    std::string withdrawer_name = demo::partner_name(random);
    while (withdrawer_name == pursuer_name) withdrawer_name = demo::partner_name(random);
    const std::string pursuer_style = demo::attachment_style(random, true);
    const std::string withdrawer_style = demo::attachment_style(random, false);
    Participant& p = pursuer == Who::A ? c.partner_a : c.partner_b;
    Participant& w = pursuer == Who::A ? c.partner_b : c.partner_a;
    p.display_name = pursuer_name;
    p.attachment_style = pursuer_style;
    w.display_name = withdrawer_name;
    w.attachment_style = withdrawer_style;
    p.cycle_position = "pursuer";
    w.cycle_position = "withdrawer";
    const std::string topic = demo::topic(random);
    c.goals = demo::goals_text(random, pursuer_name, withdrawer_name, topic);

    // Trajectory: a third stuck; the others improve at their own pace.
    const bool stuck = (k + ctx.stuck_offset) % 3 == 1;
    const double pace = 0.8 + 0.5 * random.unit();
    const int status_roll = random.between(0, 99);
    c.status = k == 0 || status_roll < 70 ? CaseStatus::Active
               : status_roll < 85         ? CaseStatus::Paused
                                          : CaseStatus::Closed;

    const std::vector<std::int64_t> dates = session_dates(random, ctx.today, k == 0, c.status, sessions);
    c.start_date = demo::iso_from_days(dates.front());
    const int slot_hour = random.between(8, 18);
    const bool slot_half = random.chance(0.3);

    // Homework agreed last session, checked off in this one.
    std::vector<size_t> pending;
    for (int j = 1; j <= sessions; ++j) {
        const bool running = k == 0 && j == sessions;
        const double f = sessions == 1 ? 0.0 : static_cast<double>(j - 1) / (sessions - 1);
        const auto [step, health] = trajectory_at(random, stuck, pace, f);
        const int stage = step <= 4 ? 1 : step <= 7 ? 2 : 3;

        store::DemoSession ds;
        Session& s = ds.session;
        s.number = j;
        s.date = demo::iso_from_days(dates[static_cast<size_t>(j) - 1]);
        const int hour = std::clamp(slot_hour + (random.chance(0.15) ? random.between(-1, 1) : 0), 8, 19);
        s.start_time = two_digits(hour) + (slot_half ? ":30" : ":00");
        s.eft_stage = stage;
        s.eft_step = step;
        demo::SessionShape shape;
        shape.pursuer = pursuer;
        shape.health = health;
        shape.stage = stage;
        shape.rater_id = c.clinician_id;
        if (running) {
            // 20-30 minutes in, the clock banked there and still running: as
            // if the app had been closed mid-session a moment ago.
            const int elapsed = random.between(1200, 1800);
            shape.length_tenths = elapsed * 10;
            shape.events = std::max(2, static_cast<int>(std::lround(events * elapsed / 3000.0)));
            shape.leave_open = true;
            s.state = SessionState::Running;
            s.active_seconds = elapsed;
            ds.resumed_at = wall_clock_now();
        } else {
            shape.length_tenths = random.between(27000, 33000);  // 45-55 minutes
            shape.events = events;
            s.state = SessionState::Ended;
            s.active_seconds = shape.length_tenths / 10.0;
            auto rating = [&](double base) {
                return std::clamp(static_cast<int>(std::lround(base)) + random.between(-1, 1), 0, 10);
            };
            const int attunement_p = rating(2 + 7 * health);
            const int attunement_w = rating(1.5 + 7 * health);
            s.ratings.attunement_a = pursuer == Who::A ? attunement_p : attunement_w;
            s.ratings.attunement_b = pursuer == Who::A ? attunement_w : attunement_p;
            s.ratings.safety = rating(3 + 6 * health);
        }
        ds.observations = demo::generate_events(random, ctx.scheme, shape);
        if (!running && k % 4 == 1 && j == std::min(2, sessions)) {
            std::vector<Observation> second =
                demo::second_coding(random, ctx.scheme, ds.observations, ctx.supervisor, s.active_seconds);
            ds.observations.insert(ds.observations.end(), second.begin(), second.end());
        }

        demo::NoteContext note;
        note.session_number = j;
        note.stage = stage;
        note.step = step;
        note.health = health;
        note.stuck = stuck;
        note.pursuer = pursuer_name;
        note.withdrawer = withdrawer_name;
        note.topic = topic;
        note.minutes = s.active_seconds / 60.0;
        if (!pending.empty()) {
            store::DemoSession& previous = dc.sessions.back();
            for (size_t index : pending) {
                store::DemoHomework& h = previous.homework[index];
                h.done = random.chance(0.3 + 0.6 * health);
                note.homework_reviewed.emplace_back(h.description, *h.done);
            }
            pending.clear();
        }
        // Homework is agreed at the end of a session: not yet in the running one.
        if (!running && random.chance(stuck ? 0.4 : 0.65)) {
            const int items = random.chance(0.2) ? 2 : 1;
            for (int i = 0; i < items; ++i) {
                std::string item = demo::homework_item(random);
                if (!ds.homework.empty() && ds.homework.front().description == item) continue;
                note.homework_agreed.push_back(item);
                ds.homework.push_back({std::move(item), std::nullopt});
                pending.push_back(ds.homework.size() - 1);
            }
        }
        if (!running) {
            std::vector<Observation> own;
            for (const Observation& o : ds.observations)
                if (o.rater_id == c.clinician_id) own.push_back(o);
            note.facts = demo::summarize(ctx.scheme, own, pursuer);
            // A few notes are still to be written, as in any real caseload.
            if (!random.chance(0.05)) ds.progress_note = demo::progress_note(random, note);
            // Notes are signed, except the latest ended session's in one case of five:
            // enough for the dashboard's "note unsigned" flag to mean something.
            ds.note_signed = !(k % 5 == 3 && j == sessions);
            if (random.chance(0.3)) ds.process_note = demo::process_note(random, note);
        }
        dc.sessions.push_back(std::move(ds));
    }
    return dc;
}

// Observations per transaction (whole cases). Every commit rewrites each page
// it touched, and random uuids touch pages all over the observations' uuid
// index: fewer, larger commits write and encrypt far fewer pages (measured,
// 360,000 observations: 11.5 s of CPU with a commit per case, 8 s in batches
// of 60,000), while a batch stays small enough to hold in memory.
constexpr int kBatchObservations = 60000;

int clinician_count(int cases) {
    if (cases >= 12) return 4;
    return std::min(cases, 3);
}

void check_range(int value, int lo, int hi, const char* what) {
    if (value < lo || value > hi)
        throw Error(Error::Kind::Invalid, std::string("the number of ") + what + " must be between " +
                                                                      std::to_string(lo) + " and " + std::to_string(hi));
}

}  // namespace

// [SECTION] generate_demo

namespace {

// An invented person's key pair, kept in memory while the demo is written.
struct DemoSigner {
    Person person;
    SecretBytes secret_key;
};

RowId demo_person(OpenPractice& practice, const std::string& name, GrantRole role,
                  std::map<RowId, DemoSigner>& signers) {
    store::Database& db = database_of(practice);
    store::PeopleRepository people(db);
    if (auto existing = people.find(name)) return existing->id;  // an earlier demo's: no new key
    Person p;
    p.uuid = new_uuid();
    p.name = name;
    p.role = role == GrantRole::Supervisor ? PersonRole::Supervisor : PersonRole::Clinician;
    if (!practice.has_keys()) return people.create(p).id;
    crypto::SigningKeyPair keys = crypto::generate_signing_keypair();
    p.public_key = crypto::to_hex(keys.public_key);
    p = people.create(p);
    const detail::StatementSigner admin = PracticeAccess::signer(practice);
    detail::certify_key(db, practice.practice_uuid(), admin, p.uuid, p.name, keys.public_key);
    detail::state_role(db, practice.practice_uuid(), admin, p.uuid, role, true);
    signers[p.id] = DemoSigner{p, std::move(keys.secret_key)};
    return p.id;
}

// The clinician's signature of a demo session, as services/supervision.h makes
// one: the whole session's digest, signed at 20:00 on its day.
store::SignatureDraft sign_demo_session(store::Database& db, const Case& c, const store::DemoSession& session,
                                        const std::map<RowId, DemoSigner>& signers) {
    store::SignatureDraft draft;
    const auto signer = signers.find(c.clinician_id);
    if (signer == signers.end()) return draft;  // an earlier demo's clinician: no key at hand
    std::map<RowId, std::string> rater_uuids;
    store::PeopleRepository people(db);
    for (const Observation& o : session.observations) {
        if (std::find(draft.layers.begin(), draft.layers.end(), o.rater_id) == draft.layers.end())
            draft.layers.push_back(o.rater_id);
        if (!rater_uuids.count(o.rater_id)) {
            const auto known = signers.find(o.rater_id);
            rater_uuids[o.rater_id] = known != signers.end() ? known->second.person.uuid
                                                             : people.get(o.rater_id).value_or(Person{}).uuid;
        }
    }
    std::sort(draft.layers.begin(), draft.layers.end());
    draft.signed_at = session.session.date + "T20:00:00Z";
    const SessionContent content = SessionContent::of(session.session, session.progress_note, session.observations,
                                                      rater_uuids, {});  // a demo session's clock never paused
    const std::string canonical = canonical_session_bytes(
        content, {signer->second.person.uuid, signer->second.person.name, draft.signed_at});
    const crypto::Bytes digest = crypto::sha256(crypto::as_bytes(canonical));
    draft.digest = crypto::to_hex(digest);
    draft.signature = crypto::to_hex(crypto::sign(digest, signer->second.secret_key));
    return draft;
}

}  // namespace

bool is_demo_practice(OpenPractice& practice) {
    if (practice.locked()) return false;
    return store::is_demo_practice(database_of(practice));
}

DemoReport generate_demo(OpenPractice& practice, const DemoOptions& options) {
    if (practice.has_keys() && !practice.holds(GrantRole::Administrator))
        throw Error(Error::Kind::Denied, practice.person().name +
                                             " is not an administrator: a demo adds invented people, which only an "
                                             "administrator may");
    if (is_default_practice_path(practice.path()))
        throw Error(Error::Kind::Invalid,
                    "the demo is never written into the practice's own file (" + practice.path().string() +
                        "): give it a file of its own, e.g. --db " + demo_practice_path().string());
    store::Database& db = database_of(practice);
    check_range(options.cases, 1, 5000, "cases");
    check_range(options.sessions_per_case, 1, 500, "sessions per case");
    check_range(options.events_per_session, 1, 2000, "events per session");
    const std::int64_t today = demo::days_from_iso(options.today.empty() ? store::today_local_iso() : options.today);

    store::SchemeRepository schemes(db);
    const std::optional<RowId> scheme_id = schemes.latest_id();
    if (!scheme_id) throw Error(Error::Kind::Invalid, "no coding scheme is loaded");
    const CodingScheme scheme = schemes.get(*scheme_id);
    for (const std::string& id : demo::codes_used()) {
        const Code* code = scheme.find(id);
        if (!code || code->id != id)
            throw Error(Error::Kind::Invalid,
                                    "the demo needs the default coding scheme, and this database's scheme has no code '" +
                                        id + "'");
    }

    Random label_random(demo::stream_seed(options.seed, 0, kLabelStream));
    const std::vector<std::string> labels = demo::case_labels(options.cases, label_random);
    store::DemoWriter writer(db);
    if (const std::int64_t existing = writer.existing_cases(); existing > 0)
        throw Error(Error::Kind::Invalid,
                                "this database already holds " + std::to_string(existing) +
                                    (existing == 1 ? " case" : " cases") +
                                    ": the demo is written only into a new, empty practice database, so that "
                                    "synthetic couples never mix with real ones");

    // Marked first: a demo cut short is still a demo (the window's bar says so).
    store::mark_demo_practice(db);
    CaseContext ctx{options, scheme, *scheme_id, today, 0, {}, 0};
    ctx.stuck_offset = Random(demo::stream_seed(options.seed, 0, kGlobalStream)).between(0, 2);
    // The demo's people: with personal keys in a practice that has them (made
    // here, certified by the administrator running the demo, never given a
    // key slot: nobody signs in as an invented clinician), so that their
    // signatures on the demo's notes verify.
    std::map<RowId, DemoSigner> signers;
    const int clinicians = clinician_count(options.cases);
    // The person running the demo, when a clinician, treats the last share of
    // the couples themselves (so that they can code, sign and try everything).
    const bool actor_treats = practice.holds(GrantRole::Clinician);
    for (int i = 0; i < clinicians; ++i) {
        if (actor_treats && i == clinicians - 1) {
            const Person& me = practice.person();
            ctx.clinicians.push_back(me.id);
            if (practice.has_keys()) signers[me.id] = DemoSigner{me, PracticeAccess::signer(practice).secret_key->clone()};
            continue;
        }
        ctx.clinicians.push_back(
            demo_person(practice, demo::clinician_names()[static_cast<size_t>(i)], GrantRole::Clinician, signers));
    }
    ctx.supervisor = demo_person(practice, demo::supervisor_name(), GrantRole::Supervisor, signers);
    if (practice.has_keys()) writer.set_signer([&](const Case& c, const store::DemoSession& session) {
        return sign_demo_session(db, c, session, signers);
    });

    DemoReport report;
    report.clinicians = clinicians;
    if (options.progress) options.progress(0.0);
    std::vector<store::DemoCase> batch;
    int batch_observations = 0;
    for (int k = 0; k < options.cases; ++k) {
        batch.push_back(build_case(ctx, k, labels[static_cast<size_t>(k)]));
        for (const store::DemoSession& s : batch.back().sessions)
            batch_observations += static_cast<int>(s.observations.size());
        if (batch_observations < kBatchObservations && k + 1 < options.cases) continue;
        const int written_before = k + 1 - static_cast<int>(batch.size());
        writer.write_cases(batch, [&](size_t written) {
            if (options.progress)
                options.progress(static_cast<double>(written_before + static_cast<int>(written)) / options.cases);
        });
        for (const store::DemoCase& dc : batch) {
            ++report.cases;
            report.sessions += static_cast<int>(dc.sessions.size());
        }
        report.observations += batch_observations;
        batch.clear();
        batch_observations = 0;
    }
    store::AuditLog(db).record("create", "demo", "seed " + std::to_string(options.seed),
                               "cases=" + std::to_string(report.cases) + " sessions=" + std::to_string(report.sessions) +
                                   " observations=" + std::to_string(report.observations));
    return report;
}

}  // namespace attune::services
