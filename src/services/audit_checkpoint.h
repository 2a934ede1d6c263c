// audit_checkpoint.h: the checkpoints of a practice's audit chain kept
// outside its database (core/audit_checkpoint.h says what one holds): the
// last one seen on this computer, in the config folder, and one beside each
// backup. Opening a practice compares its chain with the last checkpoint
// (services/open_practice.h); closing it moves the checkpoint on, unless the
// comparison found a problem: then every open warns again until a deliberate
// `restore` (services/maintenance.h) writes a new one.
#pragma once

#include "core/audit_checkpoint.h"
#include "core/secret.h"
#include "core/crypto.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace attune::services {

// config_dir()/audit-checkpoint-<practice uuid>-<16 hex digits of the
// SHA-256 of the practice file's canonical path>: the last checkpoint of that
// practice's file at that place seen by this person on this computer (mode
// 0600). By place as well as by practice, so that a copy of a practice kept
// elsewhere (a receiving practice made from the same file, a backup opened
// to look at it) is not taken for a rollback of the original; a file
// replaced in place by an older copy is.
std::filesystem::path checkpoint_path(const std::string& practice_uuid, const std::filesystem::path& database);
// `<backup>.audit-checkpoint`: the chain the backup holds, signed when it was made.
std::filesystem::path backup_checkpoint_path(const std::filesystem::path& backup);

namespace detail {

struct CheckpointSigner {
    std::string person_uuid;
    const SecretBytes* secret_key = nullptr;
    crypto::Bytes public_key;
};

// Signs and writes a checkpoint of a chain of `rows` rows ending in `head`
// to `file`, atomically (formats/output_file.h). Throws attune::Error.
void write_checkpoint(const std::filesystem::path& file, const std::string& practice_uuid, std::int64_t rows,
                      const std::string& head, const CheckpointSigner& signer);

// The checkpoint in `file`: nullopt when there is none; throws attune::Error
// (Invalid) when the file is there but is not a checkpoint.
std::optional<AuditCheckpoint> read_checkpoint(const std::filesystem::path& file);

}  // namespace detail
}  // namespace attune::services
