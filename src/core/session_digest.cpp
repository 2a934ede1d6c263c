#include "core/session_digest.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "core/canonical_writer.h"
#include "core/crypto.h"

namespace attune {
namespace {

std::string encoded_observation(const Observation& observation, const std::map<RowId, std::string>& rater_uuids) {
    const auto rater = rater_uuids.find(observation.rater_id);
    if (rater == rater_uuids.end())
        throw std::invalid_argument("observation " + observation.uuid + " has a rater whose uuid was not given");
    CanonicalWriter out;
    out.text(observation.uuid);
    out.text(to_string(observation.kind));
    out.seconds(observation.t);
    out.optional_seconds(observation.stop);
    out.text(to_string(observation.who));
    out.text(observation.code_id);
    out.optional_integer(observation.intensity);
    out.text(observation.comment);
    out.text(rater->second);
    return out.take();
}

std::string canonical_bytes(const SessionContent& content, const SignerStamp& signer, std::string_view role,
                            std::span<const std::uint8_t> first_signature) {
    CanonicalWriter out;
    out.text("attune-session-v1");
    out.text(role);
    out.text(content.session_uuid);
    out.text(content.note.data);
    out.text(content.note.assessment);
    out.text(content.note.plan);
    out.optional_integer(content.ratings.attunement_a);
    out.optional_integer(content.ratings.attunement_b);
    out.optional_integer(content.ratings.safety);
    out.optional_integer(content.eft_stage);
    out.optional_integer(content.eft_step);
    out.text(content.date);
    out.seconds(content.active_seconds);

    // (uuid, encoding) pairs: sorted by uuid, and by the whole encoding when
    // two share a uuid, so the order given never matters.
    std::vector<std::pair<std::string, std::string>> observations;
    for (const Observation& observation : content.observations)
        if (!observation.deleted)
            observations.emplace_back(observation.uuid, encoded_observation(observation, content.rater_uuids));
    std::sort(observations.begin(), observations.end());
    out.count(observations.size());
    std::string bytes = out.take();
    // Each observation is already a run of fields: appended as is, not wrapped again.
    for (const auto& observation : observations)
        bytes += observation.second;

    CanonicalWriter tail;
    tail.text(signer.person_uuid);
    tail.text(signer.name);
    tail.text(signer.signed_at);
    if (role == "cosign") tail.bytes(first_signature);
    return bytes + tail.take();
}

SessionDigest digest_of(const std::string& bytes) {
    const crypto::Bytes hash = crypto::sha256(crypto::as_bytes(bytes));
    SessionDigest digest{};
    std::copy(hash.begin(), hash.end(), digest.begin());
    return digest;
}

}  // namespace

SessionContent SessionContent::of(const Session& session, const ProgressNote& note,
                                  std::vector<Observation> observations, std::map<RowId, std::string> rater_uuids) {
    SessionContent content;
    content.session_uuid = session.uuid;
    content.note = note;
    content.ratings = session.ratings;
    content.eft_stage = session.eft_stage;
    content.eft_step = session.eft_step;
    content.date = session.date;
    content.active_seconds = session.active_seconds;
    content.observations = std::move(observations);
    content.rater_uuids = std::move(rater_uuids);
    return content;
}

std::string canonical_session_bytes(const SessionContent& content, const SignerStamp& signer) {
    return canonical_bytes(content, signer, "sign", {});
}

std::string canonical_cosign_bytes(const SessionContent& content, const SignerStamp& cosigner,
                                   std::span<const std::uint8_t> first_signature) {
    return canonical_bytes(content, cosigner, "cosign", first_signature);
}

SessionDigest session_digest(const SessionContent& content, const SignerStamp& signer) {
    return digest_of(canonical_session_bytes(content, signer));
}

SessionDigest cosign_digest(const SessionContent& content, const SignerStamp& cosigner,
                            std::span<const std::uint8_t> first_signature) {
    return digest_of(canonical_cosign_bytes(content, cosigner, first_signature));
}

}  // namespace attune
