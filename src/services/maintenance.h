// maintenance.h: keeping a practice's file healthy and safe: the health
// check, restoring a backup, changing the passphrase, encrypting a plaintext
// practice (backups are in services/backups.h).
#pragma once

#include "core/records.h"
#include "services/key_material.h"

#include <filesystem>
#include <string>

namespace attune::services {

class OpenPractice;

// Integrity, foreign keys, the audit chain and unpaired states. Throws attune::Error.
HealthReport check_health(OpenPractice& practice);

// Replaces the practice file at `db_path` (and its keyring) with the verified
// backup `from` (and the keyring beside it), opened with `person`'s
// passphrase in the backup's own keyring (see store/backup.h). Throws attune::Error.
RestoreResult restore_backup(const std::filesystem::path& from, const std::filesystem::path& db_path,
                             const std::string& person, const KeyMaterial& passphrase);
// Re-encrypts every page under the new passphrase. Throws attune::Error.
void change_passphrase(OpenPractice& practice, const KeyMaterial& new_passphrase);
// Turns a plaintext practice into an encrypted one in place. Throws attune::Error.
void encrypt_practice(const std::filesystem::path& db_path, const KeyMaterial& passphrase, const std::string& actor_name);

}  // namespace attune::services
