// fuzz_keyring.cpp: the keyring file's reader (store/keyring.h, Keyring::parse)
// on arbitrary text: a file beside the practice that anyone who can write the
// folder could have changed. The contract: StoreError, or a keyring whose
// to_json() reads back to the same practice and slots.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "store/keyring.h"

using namespace attune;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::optional<store::Keyring> keyring;
    try {
        keyring = store::Keyring::parse(text, "fuzz.keyring");
    } catch (const store::StoreError&) {
        return 0;
    }
    // Throws (a bug) if the writer wrote what the reader refuses.
    const store::Keyring again = store::Keyring::parse(keyring->to_json(), "again.keyring");
    if (again.practice_uuid() != keyring->practice_uuid() || again.slots().size() != keyring->slots().size())
        std::abort();
    return 0;
}
