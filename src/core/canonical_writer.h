// canonical_writer.h: the length-prefixed byte layout signed statements use
// (session digests, role grants). One layout, written once, so that two
// encoders can never disagree about a field.
//
//   field := u32 big-endian length, then that many bytes
// Every value is one field, so no two different sequences of values encode to
// the same bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace attune {

class CanonicalWriter {
public:
    // UTF-8 text as stored.
    void text(std::string_view value);
    // Raw bytes (a signature, a key).
    void bytes(std::span<const std::uint8_t> value);
    // 8 bytes, two's-complement int64.
    void integer(std::int64_t value);
    // 8 bytes, unsigned int64.
    void count(std::uint64_t value);
    // Absent: an empty field; present: as integer().
    void optional_integer(const std::optional<int>& value);
    // 8 bytes: IEEE-754 binary64 bits; -0 becomes +0. Throws
    // std::invalid_argument for NaN or an infinity.
    void seconds(double value);
    // Absent: an empty field; present: as seconds().
    void optional_seconds(const std::optional<double>& value);

    const std::string& bytes_written() const { return out_; }
    std::string take() { return std::move(out_); }

private:
    void field(const void* data, std::size_t size);
    std::string out_;
};

}  // namespace attune
