// audit_checkpoint.h: a signed note of how far a practice's audit chain
// reached, kept outside the database (issue 17 item 6), so that a practice
// file replaced by an older copy, or with rows cut off its end, is noticed
// the next time it is opened. A checkpoint detects a rollback; it does not
// prevent one (docs/threat-model.md).
//
// Text, one field a line ("name value"), in this order:
//   attune-audit-checkpoint 1
//   practice <practice uuid>
//   rows <number of audit rows>
//   head <hash of the last of those rows (hex, as stored)>
//   signer <person uuid>
//   key <the signer's Ed25519 public key, hex>
//   at <ISO 8601 UTC>
//   signature <Ed25519 signature, hex, over canonical_checkpoint()>
#pragma once

#include "core/practice_trust.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace attune {

struct AuditCheckpoint {
    std::string practice_uuid;
    std::int64_t rows = 0;
    std::string head;  // hash of row number `rows` (counted from 1 in chain order)
    std::string signer_uuid;
    std::string public_key;  // hex
    std::string at;
    std::string signature;  // hex
};

// What is signed: every field but the signature, as the file writes them.
std::string canonical_checkpoint(const AuditCheckpoint& checkpoint);
// The file's text (with the signature).
std::string checkpoint_text(const AuditCheckpoint& checkpoint);
// Nullopt when the text is not a checkpoint of this version (a field
// missing, out of order, or not of its form).
std::optional<AuditCheckpoint> parse_checkpoint(std::string_view text);

// Why the checkpoint cannot be believed for this practice, in words, or
// nullopt: it must be for `practice_uuid`, its key must be one certified for
// its signer by the practice's log, and its signature must verify.
std::optional<std::string> checkpoint_trust_problem(const PracticeTrust& trust, std::string_view practice_uuid,
                                                    const AuditCheckpoint& checkpoint);

}  // namespace attune
