#include "app/cli_lookup.h"

#include "core/session_clock.h"
#include "store/repositories.h"

namespace attune::app {

using store::StoreError;

Case require_case(store::Database& db, const std::string& label) {
    auto found = store::CaseRepository(db).find_by_label(label);
    if (!found) throw StoreError(StoreError::Kind::NotFound, "no case labelled '" + label + "' (see attune case list)");
    return *found;
}

Session require_session(store::Database& db, const Case& c, std::optional<int> number) {
    store::SessionRepository sessions(db);
    if (number) {
        auto found = sessions.find(c.id, *number);
        if (!found)
            throw StoreError(StoreError::Kind::NotFound,
                             c.label + " has no session " + std::to_string(*number) + " (see attune session list)");
        return *found;
    }
    const std::vector<Session> all = sessions.list_for_case(c.id);
    if (all.empty()) throw StoreError(StoreError::Kind::NotFound, c.label + " has no sessions yet (attune session start)");
    for (const Session& s : all)
        if (s.state != SessionState::Ended) return s;
    return all.back();
}

double session_clock_now(store::Database& db, const Session& s) {
    if (s.state != SessionState::Running) return s.active_seconds;
    const auto resumed = store::SessionRepository(db).resumed_at(s.id);
    if (!resumed) return s.active_seconds;
    return SessionClock(s.active_seconds, true, *resumed).now(wall_clock_seconds());
}

}  // namespace attune::app
