#include "core/session_digest.h"

#include <algorithm>
#include <stdexcept>
#include <string>
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

std::string encoded_pause(const PauseRecord& pause) {
    CanonicalWriter out;
    out.seconds(pause.session_seconds);
    out.optional_seconds(pause.wall_seconds);
    return out.take();
}

// Sorted encodings, appended as they are: each is already a run of fields.
std::string sorted_runs(std::vector<std::string> runs) {
    std::sort(runs.begin(), runs.end());  // the order given never matters
    std::string bytes;
    for (const std::string& run : runs) bytes += run;
    return bytes;
}

std::string canonical_bytes(const SessionContent& content, const SignerStamp& signer, std::string_view role,
                            std::span<const std::uint8_t> first_signature, int version) {
    if (version != 1 && version != 2)
        throw std::invalid_argument("no session digest version " + std::to_string(version));
    CanonicalWriter out;
    out.text(version == 1 ? "attune-session-v1" : "attune-session-v2");
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
    std::vector<std::string> pauses;  // version 1 has none, nor their count
    if (version >= 2) {
        for (const PauseRecord& pause : content.pauses) pauses.push_back(encoded_pause(pause));
        out.count(pauses.size());
    }
    std::string bytes = out.take() + sorted_runs(std::move(pauses));

    // (uuid, encoding) pairs: sorted by uuid, and by the whole encoding when
    // two share a uuid, so the order given never matters.
    std::vector<std::pair<std::string, std::string>> observations;
    for (const Observation& observation : content.observations)
        if (!observation.deleted)
            observations.emplace_back(observation.uuid, encoded_observation(observation, content.rater_uuids));
    std::sort(observations.begin(), observations.end());
    CanonicalWriter count;
    count.count(observations.size());
    bytes += count.take();
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
                                  std::vector<Observation> observations, std::map<RowId, std::string> rater_uuids,
                                  std::vector<PauseRecord> pauses) {
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
    content.pauses = std::move(pauses);
    return content;
}

std::string canonical_session_bytes(const SessionContent& content, const SignerStamp& signer, int version) {
    return canonical_bytes(content, signer, "sign", {}, version);
}

std::string canonical_cosign_bytes(const SessionContent& content, const SignerStamp& cosigner,
                                   std::span<const std::uint8_t> first_signature, int version) {
    return canonical_bytes(content, cosigner, "cosign", first_signature, version);
}

SessionDigest session_digest(const SessionContent& content, const SignerStamp& signer, int version) {
    return digest_of(canonical_session_bytes(content, signer, version));
}

SessionDigest cosign_digest(const SessionContent& content, const SignerStamp& cosigner,
                            std::span<const std::uint8_t> first_signature, int version) {
    return digest_of(canonical_cosign_bytes(content, cosigner, first_signature, version));
}

}  // namespace attune
