#include "services/review_coding.h"

#include <algorithm>

#include "core/recordings.h"
#include "services/cases.h"
#include "services/media_internal.h"
#include "services/practice_access.h"
#include "services/recording_player.h"
#include "store/repositories.h"
#include "store/session_logger.h"

namespace attune::services {

namespace {
constexpr double kRetrySeconds = 2.0;
}

struct ReviewCoding::Logger : store::SessionLogger {
    using store::SessionLogger::SessionLogger;
};

ReviewCoding::ReviewCoding(OpenPractice& practice) : practice_(practice) {}
ReviewCoding::~ReviewCoding() = default;

void ReviewCoding::begin(RowId session_id, double start_seconds) {
    store::Database& db = database_of(practice_);
    const auto session = get_session(practice_, session_id);  // only a session the person may see
    if (!session) throw Error(Error::Kind::NotFound, "no such session");
    // A running session is coded live by its clinician; an ended one gets a
    // rater's layer from anyone who sees it (a coder: assigned to it).
    detail::case_for_session(practice_, *session,
                             session->state == SessionState::Ended ? CaseAccess::Coder : CaseAccess::Clinician,
                             "code");
    stored_scheme_ = store::SchemeRepository(db).get(session->scheme_id);
    scheme_ = with_hotkeys(stored_scheme_, hotkeys_);
    logger_ = std::make_unique<Logger>(db, session_id, scheme_);
    session_id_ = session_id;
    rater_id_ = db.actor().id;
    replay_ = ReplayClock(start_seconds);
    reload();
}

void ReviewCoding::finish(double wall_now) {
    if (!active()) return;
    stop_all_states(wall_now);
    logger_.reset();
    layer_.clear();
    session_id_ = 0;
    player_ = nullptr;
}

bool ReviewCoding::follows_recording() const {
    return player_ && player_->is_open();
}

std::optional<double> ReviewCoding::now(double wall_now) const {
    if (follows_recording()) return player_->session_position();
    return replay_.now(wall_now);
}

void ReviewCoding::set_hotkeys(const HotkeyOverrides& hotkeys) {
    hotkeys_ = hotkeys;
    if (!stored_scheme_.codes.empty()) scheme_ = with_hotkeys(stored_scheme_, hotkeys_);
}

const Code* ReviewCoding::code_for_key(char letter, Who who) const {
    return attune::code_for_key(scheme_, letter, who);
}

const Code* ReviewCoding::code(const std::string& code_id) const {
    for (const Code& c : scheme_.codes)
        if (c.id == code_id) return &c;
    return nullptr;
}

LogOutcome ReviewCoding::press(Who who, const Code& code, double wall_now) {
    if (!active()) throw Error(Error::Kind::Invalid, "no session is being coded");
    const std::optional<double> t = now(wall_now);
    if (!t)
        throw Error(Error::Kind::Invalid, "the recording is at " + format_media_time(player_->media_position()) +
                                              ", before the session clock's 0 (offset " +
                                              format_media_time(player_->recording().offset_seconds) +
                                              "): nothing can be coded there");
    const LogOutcome outcome = logger_->press(who, code, *t);
    if (outcome.status == LogOutcome::Status::Pending) last_retry_ = wall_now;
    reload();
    return outcome;
}

std::optional<Observation> ReviewCoding::undo_last() {
    if (!active()) return std::nullopt;
    const auto undone = logger_->undo_last();
    reload();
    if (!undone) return std::nullopt;
    return undone->observation;
}

void ReviewCoding::stop_all_states(double wall_now) {
    if (!active()) return;
    const std::optional<double> t = now(wall_now);
    // Before the clock's 0 the states stop where they started.
    logger_->stop_all_states(t.value_or(0.0));
    reload();
}

void ReviewCoding::tick(double wall_now) {
    if (!active()) return;
    sync();
    if (!logger_->pending().empty() && wall_now - last_retry_ >= kRetrySeconds) {
        last_retry_ = wall_now;
        if (logger_->retry()) reload();
    }
}

std::size_t ReviewCoding::pending_count() const {
    return logger_ ? logger_->pending().size() : 0;
}

const std::vector<Observation>& ReviewCoding::layer() const {
    return layer_;
}

std::vector<const Observation*> ReviewCoding::running_states() const {
    std::vector<const Observation*> out;
    for (const Observation& o : layer_)
        if (o.kind == EventKind::State && !o.stop) out.push_back(&o);
    return out;
}

void ReviewCoding::reload() {
    layer_ = store::ObservationRepository(database_of(practice_)).list_for_session(session_id_, rater_id_);
    seen_version_ = practice_.data_version();
}

void ReviewCoding::sync() {
    if (seen_version_ != practice_.data_version()) reload();
}

}  // namespace attune::services
