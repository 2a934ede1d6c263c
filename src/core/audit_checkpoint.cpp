#include "core/audit_checkpoint.h"

#include "core/crypto.h"

#include <array>
#include <charconv>

namespace attune {
namespace {

constexpr std::string_view kMagic = "attune-audit-checkpoint 1";

bool is_hex(std::string_view text) {
    if (text.empty() || text.size() % 2 != 0) return false;
    for (const char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace

std::string canonical_checkpoint(const AuditCheckpoint& c) {
    return std::string(kMagic) + "\npractice " + c.practice_uuid + "\nrows " + std::to_string(c.rows) + "\nhead " +
           c.head + "\nsigner " + c.signer_uuid + "\nkey " + c.public_key + "\nat " + c.at + "\n";
}

std::string checkpoint_text(const AuditCheckpoint& c) {
    return canonical_checkpoint(c) + "signature " + c.signature + "\n";
}

std::optional<AuditCheckpoint> parse_checkpoint(std::string_view text) {
    static constexpr std::array<std::string_view, 7> kNames = {"practice", "rows", "head",     "signer",
                                                                "key",      "at",   "signature"};
    const size_t first_end = text.find('\n');
    if (first_end == std::string_view::npos || text.substr(0, first_end) != kMagic) return std::nullopt;
    text.remove_prefix(first_end + 1);
    std::array<std::string, kNames.size()> values;
    for (size_t i = 0; i < kNames.size(); ++i) {
        const size_t end = text.find('\n');
        if (end == std::string_view::npos) return std::nullopt;
        const std::string_view line = text.substr(0, end);
        text.remove_prefix(end + 1);
        if (line.size() <= kNames[i].size() + 1 || line.substr(0, kNames[i].size()) != kNames[i] ||
            line[kNames[i].size()] != ' ')
            return std::nullopt;
        values[i] = std::string(line.substr(kNames[i].size() + 1));
    }
    if (!text.empty()) return std::nullopt;
    AuditCheckpoint c;
    c.practice_uuid = values[0];
    const std::string& rows = values[1];
    const auto [end, error] = std::from_chars(rows.data(), rows.data() + rows.size(), c.rows);
    if (error != std::errc() || end != rows.data() + rows.size() || c.rows < 1) return std::nullopt;
    c.head = values[2];
    c.signer_uuid = values[3];
    c.public_key = values[4];
    c.at = values[5];
    c.signature = values[6];
    if (!is_hex(c.head) || !is_hex(c.public_key) || !is_hex(c.signature)) return std::nullopt;
    return c;
}

std::optional<std::string> checkpoint_trust_problem(const PracticeTrust& trust, std::string_view practice_uuid,
                                                    const AuditCheckpoint& c) {
    if (c.practice_uuid != practice_uuid)
        return "the audit checkpoint is of another practice (" + c.practice_uuid + ")";
    const std::optional<crypto::Bytes> key = crypto::from_hex(c.public_key);
    if (!key || !trust.certified(c.signer_uuid, *key))
        return "the audit checkpoint is signed with a key this practice does not know: it is not trusted";
    const std::optional<crypto::Bytes> signature = crypto::from_hex(c.signature);
    if (!signature || !crypto::verify(crypto::as_bytes(canonical_checkpoint(c)), *signature, *key))
        return "the audit checkpoint's signature does not verify (it was changed): it is not trusted";
    return std::nullopt;
}

}  // namespace attune
