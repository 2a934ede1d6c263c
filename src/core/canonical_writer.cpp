#include "core/canonical_writer.h"

#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace attune {
namespace {

template <typename Unsigned>
std::array<std::uint8_t, sizeof(Unsigned)> big_endian(Unsigned value) {
    std::array<std::uint8_t, sizeof(Unsigned)> out{};
    for (std::size_t i = 0; i < out.size(); ++i)
        out[out.size() - 1 - i] = static_cast<std::uint8_t>(value >> (8 * i));
    return out;
}

}  // namespace

void CanonicalWriter::field(const void* data, std::size_t size) {
    if (size > std::numeric_limits<std::uint32_t>::max())
        throw std::invalid_argument("a signed field is larger than 4 GiB");
    const auto length = big_endian(static_cast<std::uint32_t>(size));
    out_.append(reinterpret_cast<const char*>(length.data()), length.size());
    if (size != 0) out_.append(static_cast<const char*>(data), size);
}

void CanonicalWriter::text(std::string_view value) {
    field(value.data(), value.size());
}

void CanonicalWriter::bytes(std::span<const std::uint8_t> value) {
    field(value.data(), value.size());
}

void CanonicalWriter::integer(std::int64_t value) {
    const auto encoded = big_endian(static_cast<std::uint64_t>(value));
    field(encoded.data(), encoded.size());
}

void CanonicalWriter::count(std::uint64_t value) {
    const auto encoded = big_endian(value);
    field(encoded.data(), encoded.size());
}

void CanonicalWriter::optional_integer(const std::optional<int>& value) {
    if (value)
        integer(*value);
    else
        field(nullptr, 0);
}

void CanonicalWriter::seconds(double value) {
    if (!std::isfinite(value)) throw std::invalid_argument("a time to be signed is not a finite number");
    if (value == 0.0) value = 0.0;  // -0 and +0 are the same moment
    const auto encoded = big_endian(std::bit_cast<std::uint64_t>(value));
    field(encoded.data(), encoded.size());
}

void CanonicalWriter::optional_seconds(const std::optional<double>& value) {
    if (value)
        seconds(*value);
    else
        field(nullptr, 0);
}

}  // namespace attune
