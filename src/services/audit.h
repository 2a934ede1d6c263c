// audit.h: reading the audit trail (the Audit trail window, `attune audit`)
// and checking its hash chain.
#pragma once

#include "core/records.h"

#include <string>
#include <vector>

namespace attune::services {

class OpenPractice;

// Newest first, at most filter.limit rows.
std::vector<AuditEntry> audit_entries(OpenPractice& practice, const AuditFilter& filter);
// The values present in the trail, sorted, for the window's filters.
struct AuditVocabulary {
    std::vector<std::string> actions, actors, entities;
};
AuditVocabulary audit_vocabulary(OpenPractice& practice);
AuditVerification verify_audit_chain(OpenPractice& practice);

}  // namespace attune::services
