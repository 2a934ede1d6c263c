// keyring_file.cpp: reading, checking and atomically writing `<db>.keyring`
// (the format is described in keyring.h).
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/text.h"
#include "core/uuid.h"
#include "store/keyring.h"
#include "store/security.h"

namespace attune::store {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::size_t kMaximumFileSize = 1 << 20;  // a keyring of 1000 people is about 700 KiB
constexpr int kMaximumDepth = 4;                   // keyring, slots, slot, kdf/sealed/trust_root

// [SECTION] Reading

// Thrown inside parsing; turned into one StoreError naming the file.
struct Damaged {
    std::string what;
};

const json& member(const json& object, const char* name) {
    const auto found = object.find(name);
    if (found == object.end()) throw Damaged{std::string("\"") + name + "\" is missing"};
    return *found;
}

std::string text_member(const json& object, const char* name, std::size_t max_size = 200) {
    const json& value = member(object, name);
    if (!value.is_string()) throw Damaged{std::string("\"") + name + "\" is not text"};
    std::string text = value.get<std::string>();
    if (text.empty() || text.size() > max_size || !is_valid_utf8(text))
        throw Damaged{std::string("\"") + name + "\" is not acceptable text"};
    return text;
}

std::string uuid_member(const json& object, const char* name) {
    std::string text = text_member(object, name, 36);
    if (!is_valid_uuid(text)) throw Damaged{std::string("\"") + name + "\" is not a uuid"};
    return text;
}

crypto::Bytes bytes_member(const json& object, const char* name, std::size_t size) {
    const std::optional<crypto::Bytes> bytes = crypto::from_base64(text_member(object, name, 4 * size / 3 + 4));
    if (!bytes || bytes->size() != size)
        throw Damaged{std::string("\"") + name + "\" is not " + std::to_string(size) + " bytes of base64"};
    return *bytes;
}

std::uint64_t integer_member(const json& object, const char* name) {
    const json& value = member(object, name);
    if (!value.is_number_unsigned()) throw Damaged{std::string("\"") + name + "\" is not a whole number"};
    return value.get<std::uint64_t>();
}

void only_members(const json& object, std::initializer_list<const char*> names, const char* what) {
    if (!object.is_object()) throw Damaged{std::string(what) + " is not a JSON object"};
    for (const auto& item : object.items())
        if (std::none_of(names.begin(), names.end(), [&](const char* name) { return item.key() == name; }))
            throw Damaged{std::string(what) + " has an unknown member \"" + item.key() + "\""};
}

crypto::Sealed sealed_member(const json& object, const char* name, std::size_t plaintext_size) {
    const json& value = member(object, name);
    only_members(value, {"nonce", "ciphertext"}, name);
    return {bytes_member(value, "nonce", crypto::kAeadNonceSize),
            bytes_member(value, "ciphertext", plaintext_size + crypto::kAeadTagSize)};
}

KeySlot parse_slot(const json& value) {
    if (!value.is_object()) throw Damaged{"a slot is not a JSON object"};
    KeySlot slot;
    const std::string kind = text_member(value, "kind", 16);
    if (kind == "person") {
        slot.kind = SlotKind::Person;
        only_members(value,
                     {"slot_id", "kind", "person_uuid", "person_name", "created_at", "trust_root", "kdf", "key_check",
                      "data_key", "public_key", "signing_key"},
                     "a person slot");
        slot.person_uuid = uuid_member(value, "person_uuid");
        slot.person_name = text_member(value, "person_name");
        slot.public_key = bytes_member(value, "public_key", crypto::kPublicKeySize);
        slot.signing_key = sealed_member(value, "signing_key", crypto::kSecretKeySize);
    } else if (kind == "recovery") {
        slot.kind = SlotKind::Recovery;
        only_members(value, {"slot_id", "kind", "created_at", "trust_root", "kdf", "key_check", "data_key"},
                     "a recovery slot");
    } else {
        throw Damaged{"a slot is of unknown kind \"" + kind + "\""};
    }
    slot.slot_id = uuid_member(value, "slot_id");
    slot.created_at = text_member(value, "created_at", 40);
    const json& root = member(value, "trust_root");
    only_members(root, {"administrator_uuid", "public_key"}, "\"trust_root\"");
    slot.root = {uuid_member(root, "administrator_uuid"), bytes_member(root, "public_key", crypto::kPublicKeySize)};
    const json& kdf = member(value, "kdf");
    only_members(kdf, {"alg", "opslimit", "memlimit", "salt"}, "\"kdf\"");
    if (text_member(kdf, "alg", 16) != "argon2id13")
        throw Damaged{"a slot uses a key derivation other than argon2id13"};
    slot.limits = {integer_member(kdf, "opslimit"), integer_member(kdf, "memlimit")};
    // Out of range either way: libsodium would refuse, or sign-in would hang
    // or exhaust memory. (Limits merely below MODERATE are refused at unlock.)
    if (!slot.limits.at_least(crypto::kKdfLibraryMinimum) || !crypto::kKdfMaximum.at_least(slot.limits))
        throw Damaged{"a slot's key derivation limits are out of range"};
    slot.salt = bytes_member(kdf, "salt", crypto::kSaltSize);
    slot.key_check = bytes_member(value, "key_check", 32);
    slot.data_key = sealed_member(value, "data_key", kDataKeySize);
    return slot;
}

json sealed_json(const crypto::Sealed& sealed) {
    return {{"nonce", crypto::to_base64(sealed.nonce)}, {"ciphertext", crypto::to_base64(sealed.ciphertext)}};
}

// [SECTION] Writing

// Writes `content` to a new 0600 file beside `path` and flushes it; returns its name.
fs::path write_temporary(const fs::path& path, const std::string& content) {
    std::string pattern = path.string() + ".XXXXXX";
    const int fd = ::mkstemp(pattern.data());  // creates the file 0600
    if (fd < 0) throw StoreError(StoreError::Kind::Io, "cannot write " + path.string() + ": " + std::strerror(errno));
    const fs::path temporary = pattern;
    const auto fail = [&](const std::string& doing) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        ::unlink(temporary.c_str());
        throw StoreError(StoreError::Kind::Io,
                         "cannot write " + path.string() + " (" + doing + "): " + reason + "; it is unchanged");
    };
    if (::fchmod(fd, 0600) != 0) fail("setting its mode");
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t written = ::write(fd, content.data() + done, content.size() - done);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) fail("writing");
        done += static_cast<std::size_t>(written);
    }
    if (::fsync(fd) != 0) fail("flushing");
    if (::close(fd) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temporary.c_str());
        throw StoreError(StoreError::Kind::Io, "cannot write " + path.string() + ": " + reason + "; it is unchanged");
    }
    return temporary;
}

fs::path folder_of(const fs::path& path) {
    return path.parent_path().empty() ? fs::path(".") : path.parent_path();
}

}  // namespace

fs::path keyring_path_for(const fs::path& database_path) {
    return database_path.string() + ".keyring";
}

Keyring Keyring::parse(std::string_view text, const std::string& where) {
    if (text.size() > kMaximumFileSize)
        throw StoreError(StoreError::Kind::Io, where + " is too large to be a keyring (over 1 MiB)");
    json root;
    try {
        // Refused while parsing, before a hostile file can nest deeply.
        const json::parser_callback_t depth_limit = [](int depth, json::parse_event_t, json&) {
            if (depth > kMaximumDepth) throw Damaged{"it is nested too deeply"};
            return true;
        };
        root = json::parse(text.begin(), text.end(), depth_limit);
    } catch (const json::exception&) {
        throw StoreError(StoreError::Kind::Io, where + " is damaged (not complete JSON); restore it from a backup");
    } catch (const Damaged& damaged) {
        throw StoreError(StoreError::Kind::Io, where + " is damaged (" + damaged.what + "); restore it from a backup");
    }
    const auto format = root.is_object() ? root.find("format") : root.end();
    if (format == root.end() || !format->is_string() || format->get<std::string>() != kKeyringFormat)
        throw StoreError(StoreError::Kind::NotAttune, where + " is not an Attune keyring");
    const json& version = root["version"];
    if (!version.is_number_unsigned() || version.get<std::uint64_t>() == 0)
        throw StoreError(StoreError::Kind::Io,
                         where + " is damaged (its version is not a number); restore it from a backup");
    if (version.get<std::uint64_t>() != kKeyringVersion)
        throw StoreError(StoreError::Kind::NewerSchema, where + " is keyring version " +
                                                            std::to_string(version.get<std::uint64_t>()) +
                                                            ", which this Attune cannot read (it reads version " +
                                                            std::to_string(kKeyringVersion) + "); use a newer Attune");
    Keyring keyring;
    keyring.where_ = where;
    try {
        only_members(root, {"format", "version", "practice_uuid", "data_key_check", "slots"}, "the keyring");
        keyring.practice_uuid_ = uuid_member(root, "practice_uuid");
        keyring.data_key_check_ = bytes_member(root, "data_key_check", 32);
        const json& slots = member(root, "slots");
        if (!slots.is_array() || slots.empty()) throw Damaged{"it has no key slots"};
        std::set<std::string> slot_ids;
        std::set<std::string> people;
        for (const json& value : slots) {
            KeySlot slot = parse_slot(value);
            if (!slot_ids.insert(slot.slot_id).second) throw Damaged{"two slots have the id " + slot.slot_id};
            if (slot.kind == SlotKind::Person && !people.insert(slot.person_uuid).second)
                throw Damaged{"two slots belong to the person " + slot.person_uuid};
            keyring.slots_.push_back(std::move(slot));
        }
    } catch (const Damaged& damaged) {
        throw StoreError(StoreError::Kind::Io, where + " is damaged (" + damaged.what + "); restore it from a backup");
    }
    return keyring;
}

Keyring Keyring::load(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw StoreError(StoreError::Kind::NotFound, "there is no keyring at " + path.string());
    const auto size = fs::file_size(path, ec);
    if (ec || size > kMaximumFileSize)
        throw StoreError(StoreError::Kind::Io, path.string() + " is not a readable keyring file");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    if (!in || !(content << in.rdbuf())) throw StoreError(StoreError::Kind::Io, "cannot read " + path.string());
    return parse(content.str(), path.string());
}

std::string Keyring::person_json(std::string_view person_uuid) const {
    Keyring one;
    one.practice_uuid_ = practice_uuid_;
    one.data_key_check_ = data_key_check_;
    for (const KeySlot& slot : slots_)
        if (slot.kind == SlotKind::Person && slot.person_uuid == person_uuid) one.slots_.push_back(slot);
    if (one.slots_.empty())
        throw StoreError(StoreError::Kind::NotFound, "nobody with that uuid has a key slot in " + where_);
    return one.to_json();
}

std::string Keyring::to_json() const {
    json slots = json::array();
    for (const KeySlot& slot : slots_) {
        json value = {{"slot_id", slot.slot_id}, {"kind", std::string(to_string(slot.kind))}};
        if (slot.kind == SlotKind::Person) {
            value["person_uuid"] = slot.person_uuid;
            value["person_name"] = slot.person_name;
        }
        value["created_at"] = slot.created_at;
        value["trust_root"] = {{"administrator_uuid", slot.root.administrator_uuid},
                               {"public_key", crypto::to_base64(slot.root.public_key)}};
        value["kdf"] = {{"alg", "argon2id13"},
                        {"opslimit", slot.limits.opslimit},
                        {"memlimit", slot.limits.memlimit},
                        {"salt", crypto::to_base64(slot.salt)}};
        value["key_check"] = crypto::to_base64(slot.key_check);
        value["data_key"] = sealed_json(slot.data_key);
        if (slot.kind == SlotKind::Person) {
            value["public_key"] = crypto::to_base64(slot.public_key);
            value["signing_key"] = sealed_json(slot.signing_key);
        }
        slots.push_back(std::move(value));
    }
    const json root = {{"format", std::string(kKeyringFormat)},
                       {"version", kKeyringVersion},
                       {"practice_uuid", practice_uuid_},
                       {"data_key_check", crypto::to_base64(data_key_check_)},
                       {"slots", std::move(slots)}};
    return root.dump(2) + "\n";
}

void Keyring::save(const fs::path& path) const {
    const fs::path temporary = write_temporary(path, to_json());
    try {
        durable_rename(temporary, path);
    } catch (...) {
        ::unlink(temporary.c_str());
        throw;
    }
}

void Keyring::save_new(const fs::path& path) const {
    const fs::path temporary = write_temporary(path, to_json());
    // RENAME_NOREPLACE: two Attunes creating the same practice cannot both win.
    if (::renameat2(AT_FDCWD, temporary.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        if (error == EEXIST)
            throw StoreError(StoreError::Kind::Invalid, "there is already a keyring at " + path.string());
        throw StoreError(StoreError::Kind::Io, "cannot write " + path.string() + ": " + std::strerror(error));
    }
    fsync_path(folder_of(path));
}

}  // namespace attune::store
