// byte_source.h: random-access reading of a recording's bytes, whatever holds
// them: a plain file (formats::FileSource) or an encrypted container
// (store::MediaVaultReader). The player reads through this, so a recording
// kept encrypted is decrypted in memory, chunk by chunk, and never written out.
#pragma once

#include <cstddef>
#include <cstdint>

namespace attune {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Total number of bytes.
    virtual std::uint64_t size() const = 0;
    // Copies up to `n` bytes from `offset` into `buffer`; returns how many it
    // copied: fewer than `n` only at the end, 0 at or past the end. Throws
    // (std::runtime_error or a subclass) on an I/O error or damaged data.
    // Implementations are safe to call from several threads at once (the
    // player reads on its own threads).
    virtual std::size_t read(std::uint64_t offset, void* buffer, std::size_t n) = 0;
};

}  // namespace attune
