// bundle_seal.cpp: the content hash a bundle's sender signs (bundle.h's
// BundleSeal). Every table of the bundle, in a fixed order; every row, in the
// order of all its columns; every value with its type and length, so that
// no two different bundles give the same bytes.
#include <cstdint>
#include <cstdio>
#include <string>

#include "core/sha256.h"
#include "store/bundle_internal.h"

namespace attune::store::bundle_detail {
namespace {

// The tables a bundle of this format holds, in the order hashed.
constexpr const char* kTables[] = {"info",           "people",       "schemes",          "cases",
                                   "sessions",       "observations", "progress_notes",   "process_notes",
                                   "homework",       "signatures",   "signature_layers", "addenda",
                                   "review_comments", "instruments",  "measures",         "removed_measures",
                                   "removed_comments", "session_ratings", "change_event_decisions",
                                   "session_pauses", "recordings", "excerpts"};

void append_field(std::string& out, char type, const std::string& bytes) {
    out += type;
    const auto n = static_cast<std::uint64_t>(bytes.size());
    for (int shift = 56; shift >= 0; shift -= 8)
        out += static_cast<char>((n >> shift) & 0xff);
    out += bytes;
}

}  // namespace

std::string bundle_content_sha256(SQLite::Database& sql) {
    std::string bytes = "attune-bundle-content-v1";
    for (const char* table : kTables) {
        append_field(bytes, 'T', table);
        SQLite::Statement shape(sql, std::string("SELECT * FROM bundle.") + table + " LIMIT 0");
        const int columns = shape.getColumnCount();
        std::string order;
        for (int i = 1; i <= columns; ++i)
            order += (i > 1 ? ", " : "") + std::to_string(i);
        SQLite::Statement rows(sql, std::string("SELECT * FROM bundle.") + table +
                                        (std::string(table) == "info" ? " WHERE key <> 'sender_signature'" : "") +
                                        " ORDER BY " + order);
        while (rows.executeStep()) {
            bytes += 'R';
            for (int i = 0; i < columns; ++i) {
                const SQLite::Column value = rows.getColumn(i);
                if (value.isNull()) {
                    append_field(bytes, 'N', "");
                } else if (value.isInteger()) {
                    append_field(bytes, 'I', std::to_string(value.getInt64()));
                } else if (value.isFloat()) {
                    char text[40];
                    std::snprintf(text, sizeof text, "%.17g", value.getDouble());
                    append_field(bytes, 'F', text);
                } else {
                    const int size = value.getBytes();
                    const auto* data = static_cast<const char*>(value.getBlob());
                    append_field(bytes, value.isBlob() ? 'B' : 'S',
                                 size > 0 && data ? std::string(data, static_cast<std::size_t>(size)) : std::string());
                }
            }
        }
    }
    return sha256_hex(bytes);
}

}  // namespace attune::store::bundle_detail
