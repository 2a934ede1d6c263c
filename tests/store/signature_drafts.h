// signature_drafts.h: signatures as the services hand them to the store
// (store::SignatureDraft). The store keeps the digest and signature it is
// given without checking them (that is services::verify_signatures' job), so
// the store's tests use made-up hex values.
#pragma once

#include <string>
#include <vector>

#include "store/signing.h"

namespace attune::test {

// A draft dated now that seals the coding of `layers`.
inline store::SignatureDraft signature_draft(std::vector<RowId> layers = {}, const std::string& digest = "d1gest") {
    store::SignatureDraft draft;
    draft.signed_at = store::now_utc_iso();
    draft.digest = digest;
    draft.signature = "5ig" + digest;
    draft.layers = std::move(layers);
    return draft;
}

}  // namespace attune::test
