#include "services/audit.h"

#include "services/practice_access.h"
#include "core/practice_trust.h"
#include "store/audit_log.h"

namespace attune::services {

std::vector<AuditEntry> audit_entries(OpenPractice& practice, const AuditFilter& filter) {
    return store::AuditLog(database_of(practice)).list(filter);
}

AuditVocabulary audit_vocabulary(OpenPractice& practice) {
    const store::AuditLog log(database_of(practice));
    return {log.actions(), log.actors(), log.entities()};
}

AuditVerification verify_audit_chain(OpenPractice& practice) {
    const store::AuditLog log(database_of(practice));
    if (!practice.has_keys()) return log.verify();  // rows of a practice without keys are not signed
    const PracticeTrust& trust = practice.trust();
    const std::string practice_uuid = practice.practice_uuid();
    bool signed_before = false;
    AuditVerification result = log.verify([&](const AuditEntry& row) {
        std::optional<std::string> problem = audit_row_problem(trust, practice_uuid, row, signed_before);
        signed_before = signed_before || !row.signature.empty();
        return problem;
    });
    if (result.ok) result.message += ", every row since personal sign-in signed by its actor";
    return result;
}

}  // namespace attune::services
