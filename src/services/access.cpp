#include "services/access.h"

#include "services/practice_access.h"
#include "store/practice_log.h"
#include "store/repositories.h"

#include <algorithm>

namespace attune::services {

CaseAccess case_access(OpenPractice& practice, const Case& given) {
    const Person& me = practice.person();
    store::Database& db = database_of(practice);
    // Who treats and supervises the case as stored now: a Case read before its
    // supervisor was named (or made up by a caller) decides nothing.
    const std::optional<Case> stored = given.id != 0 ? store::CaseRepository(db).get(given.id) : std::nullopt;
    if (given.id != 0 && !stored) return CaseAccess::None;
    const Case& c = stored ? *stored : given;
    if (me.id != 0 && c.clinician_id == me.id) return CaseAccess::Clinician;
    const bool clinician = practice.holds(GrantRole::Clinician);
    if (clinician) {
        const auto shared = store::AccessRepository(db).shared_with(c.id);
        if (std::find(shared.begin(), shared.end(), me.id) != shared.end()) return CaseAccess::Reader;
    }
    if (practice.holds(GrantRole::Supervisor) && c.supervisor_id != 0 && c.supervisor_id == me.id)
        return CaseAccess::Reader;
    if (practice.holds(GrantRole::Administrator)) return CaseAccess::Reader;
    if (practice.holds(GrantRole::Coder)) {
        const auto assigned = store::AccessRepository(db).sessions_assigned_to(me.id);
        for (const Session& s : store::SessionRepository(db).list_for_case(c.id))
            if (std::find(assigned.begin(), assigned.end(), s.id) != assigned.end())
                return CaseAccess::Coder;  // refined per session by may_see_session
    }
    return CaseAccess::None;
}

bool may_see_session(OpenPractice& practice, const Case& c, RowId session_id) {
    const CaseAccess access = case_access(practice, c);
    if (access == CaseAccess::None) return false;
    if (access != CaseAccess::Coder) return true;
    const auto assigned = store::AccessRepository(database_of(practice)).sessions_assigned_to(practice.person().id);
    return std::find(assigned.begin(), assigned.end(), session_id) != assigned.end();
}

bool may_read_process_notes(OpenPractice& practice, const Case& c) {
    return case_access(practice, c) == CaseAccess::Clinician;
}

void require_access(OpenPractice& practice, const Case& c, CaseAccess at_least) {
    if (static_cast<int>(case_access(practice, c)) >= static_cast<int>(at_least)) return;
    throw Error(Error::Kind::NotFound, "no case labelled '" + c.label + "' that " + practice.person().name +
                                           " may see (see attune case list)");
}

}  // namespace attune::services
