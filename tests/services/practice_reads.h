// practice_reads.h: what the services tests read back from a practice, through
// the services alone (the store is private to them): a session's
// observations, a case or person by name, and the practice's row counts.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/records.h"
#include "services/audit.h"
#include "services/cases.h"
#include "services/open_practice.h"
#include "services/people.h"
#include "services/supervision.h"

namespace attune::test {

// The session's observations, not deleted, in time order: every rater's, or
// only `rater`'s when given.
inline std::vector<Observation> observations_of(services::OpenPractice& practice, const Session& s,
                                                std::optional<RowId> rater = std::nullopt) {
    std::vector<Observation> all = services::load_supervision(practice, s.case_id, s.id).observations;
    if (rater) std::erase_if(all, [&](const Observation& o) { return o.rater_id != *rater; });
    return all;
}

inline std::optional<Case> case_labelled(services::OpenPractice& practice, const std::string& label) {
    for (const CaseSummary& summary : services::list_cases(practice))
        if (summary.info.label == label) return summary.info;
    return std::nullopt;
}

inline std::optional<Person> person_named(services::OpenPractice& practice, const std::string& name) {
    for (const services::PersonEntry& entry : services::list_people(practice))
        if (entry.person.name == name) return entry.person;
    return std::nullopt;
}

// The audit rows of one action (every action when empty), newest first.
inline std::vector<AuditEntry> audit_rows(services::OpenPractice& practice, const std::string& action = "") {
    return services::audit_entries(practice, AuditFilter::of_action(action, 1000000));
}

struct PracticeCounts {
    std::size_t cases = 0;
    std::size_t sessions = 0;
    std::size_t observations = 0;  // not deleted, every rater's
    std::size_t audit_rows = 0;
    std::size_t people = 0;
    bool operator==(const PracticeCounts&) const = default;
};

inline PracticeCounts counts_of(services::OpenPractice& practice) {
    PracticeCounts counts;
    for (const CaseSummary& summary : services::list_cases(practice)) {
        ++counts.cases;
        for (const Session& s : services::list_sessions(practice, summary.info.id)) {
            ++counts.sessions;
            counts.observations += observations_of(practice, s).size();
        }
    }
    counts.audit_rows = audit_rows(practice).size();
    counts.people = services::list_people(practice).size();
    return counts;
}

}  // namespace attune::test
