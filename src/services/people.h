// people.h: the people of a practice and what they may do (issue 16).
// Only an administrator adds people, resets a passphrase (a new key slot and
// key pair) and grants or revokes roles; every such change is a statement
// the administrator signs (core/practice_trust.h), so roles cannot be
// self-assigned: they are what the verified log says. Throws attune::Error
// (Denied when the person signed in may not).
#pragma once

#include "core/grants.h"
#include "core/model.h"
#include "services/key_material.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace attune::services {

class OpenPractice;

// A person as the people list shows them.
struct PersonEntry {
    Person person;
    std::set<GrantRole> roles;  // verified grants
    std::string fingerprint;    // of their certified key; empty when none
    bool can_sign_in = false;   // has a key slot
    bool recovery = false;      // the practice's recovery identity
};

std::vector<PersonEntry> list_people(OpenPractice& practice);
std::optional<Person> get_person(OpenPractice& practice, RowId person_id);
// NotFound names the person.
Person find_person(OpenPractice& practice, const std::string& name);

// [SECTION] Administrators' use cases
// A new person with a key slot opened by `initial_passphrase` (told to them;
// they may change it), a new key pair certified by the administrator, and
// `role` (plus administrator when asked). Invalid when the name is taken.
Person add_person(OpenPractice& practice, const std::string& name, GrantRole role, bool administrator,
                  const KeyMaterial& initial_passphrase);
// A forgotten passphrase: a new slot and a NEW key pair (certified). By an
// administrator, or signed in with the recovery key.
void reset_passphrase(OpenPractice& practice, const std::string& name, const KeyMaterial& new_passphrase);
void grant_role(OpenPractice& practice, const std::string& name, GrantRole role);
void revoke_role(OpenPractice& practice, const std::string& name, GrantRole role);
// The signed-in person changes their own passphrase (same key pair).
void change_own_passphrase(OpenPractice& practice, const KeyMaterial& new_passphrase);

// [SECTION] Keys between practices
// A person's public key as a small file: name, uuid, key, fingerprint.
struct PublicKeyFile {
    std::string name;
    std::string uuid;
    std::string public_key;  // hex
    std::string fingerprint;
    std::string practice_uuid;
};
PublicKeyFile export_public_key(OpenPractice& practice, const std::string& name);
// The same, written to `out` (formats/output_file.h) and audited with where it went.
PublicKeyFile save_public_key(OpenPractice& practice, const std::string& name, const std::filesystem::path& out);
std::string public_key_file_text(const PublicKeyFile& key);
// Larger files, or JSON nested deeper, are refused before parsing (a key
// file is under 1 KB, one level deep).
inline constexpr std::size_t kMaxPublicKeyFileBytes = 16384;
inline constexpr int kMaxPublicKeyJsonDepth = 4;
// Throws attune::Error (Invalid) naming what is wrong in the text.
PublicKeyFile parse_public_key_file(const std::string& text, const std::string& where);
// Keeps another practice's person's key (an administrator, after comparing
// the fingerprint by phone or in person): signatures by it in bundles can
// then be verified. Returns the fingerprint.
std::string import_public_key(OpenPractice& practice, const PublicKeyFile& key);
// The audit row of `attune key reveal` (written before the key is printed).
void record_key_reveal(OpenPractice& practice);

}  // namespace attune::services
