#include "services/audit.h"

#include "services/practice_access.h"
#include "store/audit_log.h"

namespace attune::services {

std::vector<AuditEntry> audit_entries(OpenPractice& practice, const AuditFilter& filter) {
    return store::AuditLog(database_of(practice)).list(filter);
}

AuditVocabulary audit_vocabulary(OpenPractice& practice) {
    const store::AuditLog log(database_of(practice));
    return {log.actions(), log.actors(), log.entities()};
}

AuditVerification verify_audit_chain(OpenPractice& practice) { return store::AuditLog(database_of(practice)).verify(); }

}  // namespace attune::services
