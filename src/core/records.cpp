#include "core/records.h"

namespace attune {

std::string_view to_string(SignatureRole role) { return role == SignatureRole::Sign ? "sign" : "cosign"; }

std::string counts_text(const BundleCounts& n) {
    return std::to_string(n.cases) + " cases, " + std::to_string(n.sessions) + " sessions, " +
           std::to_string(n.observations) + " observations, " + std::to_string(n.progress_notes) + " progress notes, " +
           std::to_string(n.process_notes) + " private notes, " + std::to_string(n.homework) + " homework, " +
           std::to_string(n.signatures) + " signatures, " + std::to_string(n.addenda) + " addenda, " +
           std::to_string(n.comments) + " comments";
}

}  // namespace attune
