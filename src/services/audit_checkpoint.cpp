#include "services/audit_checkpoint.h"

#include "core/dates.h"
#include "core/error.h"
#include "core/sha256.h"
#include "formats/output_file.h"
#include "services/paths.h"
#include "services/trust_internal.h"
#include "store/audit_log.h"
#include "store/repositories.h"

#include <fstream>
#include <sstream>

namespace attune::services {
namespace fs = std::filesystem;

fs::path checkpoint_path(const std::string& practice_uuid, const fs::path& database) {
    std::error_code ec;
    fs::path place = fs::weakly_canonical(fs::absolute(database, ec), ec);
    if (ec) place = fs::absolute(database, ec).lexically_normal();
    return config_dir() / ("audit-checkpoint-" + practice_uuid + "-" + sha256_hex(place.string()).substr(0, 16));
}

fs::path backup_checkpoint_path(const fs::path& backup) {
    return backup.string() + ".audit-checkpoint";
}

namespace detail {

void write_checkpoint(const fs::path& file, const std::string& practice_uuid, std::int64_t rows,
                      const std::string& head, const CheckpointSigner& signer) {
    if (!signer.secret_key || signer.secret_key->empty() || rows < 1) return;
    AuditCheckpoint c;
    c.practice_uuid = practice_uuid;
    c.rows = rows;
    c.head = head;
    c.signer_uuid = signer.person_uuid;
    c.public_key = crypto::to_hex(signer.public_key);
    c.at = now_utc_iso();
    c.signature = crypto::to_hex(crypto::sign(crypto::as_bytes(canonical_checkpoint(c)), *signer.secret_key));
    formats::write_output(file, checkpoint_text(c));
}

std::optional<AuditCheckpoint> read_checkpoint(const fs::path& file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    // A checkpoint is a few hundred bytes: a larger file is not one.
    std::optional<AuditCheckpoint> c;
    if (in && text.str().size() < 4096) c = parse_checkpoint(text.str());
    if (!c)
        throw Error(Error::Kind::Invalid,
                    "the audit checkpoint " + file.string() + " is damaged or not a checkpoint: it is not trusted");
    return c;
}

// [SECTION] Comparing a chain with the last checkpoint

std::optional<std::string> audit_checkpoint_problem(store::Database& db, const PracticeTrust& trust,
                                                    const std::string& practice_uuid) {
    const fs::path file = checkpoint_path(practice_uuid, db.path());
    std::optional<AuditCheckpoint> c;
    try {
        c = read_checkpoint(file);
    } catch (const Error& e) {
        return e.what();
    }
    if (!c) return std::nullopt;
    if (std::optional<std::string> problem = checkpoint_trust_problem(trust, practice_uuid, *c))
        return *problem + " (" + file.string() + ")";
    const store::AuditLog log(db);
    const store::AuditLog::Reach reach = log.reach();
    std::string signer = "someone";
    if (auto person = store::PeopleRepository(db).find_by_uuid(c->signer_uuid)) signer = person->name;
    const std::string seen = " on " + c->at + " (a checkpoint signed by " + signer + ")";
    if (reach.rows < c->rows)
        return "the audit trail of " + db.path().string() + " was rolled back: it has " + std::to_string(reach.rows) +
               " rows, but it had " + std::to_string(c->rows) + seen +
               "; rows were cut off or the file was replaced by an older copy";
    if (log.hash_at(c->rows) != c->head)
        return "the audit trail of " + db.path().string() + " was rolled back or rewritten: its row " +
               std::to_string(c->rows) + " is not the one it had" + seen;
    return std::nullopt;
}

}  // namespace detail
}  // namespace attune::services
