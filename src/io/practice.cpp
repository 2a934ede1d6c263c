#include "io/practice.h"

#include "core/scheme_json.h"
#include "io/paths.h"
#include "store/audit_log.h"
#include "store/repositories.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <pwd.h>

namespace attune::io {

CodingScheme load_scheme_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw SchemeFormatError(path.string() + ": cannot read the file");
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return parse_scheme_json(text.str());
    } catch (const SchemeFormatError& e) {
        throw SchemeFormatError(path.string() + ": " + e.what());
    }
}

CodingScheme load_default_scheme() { return load_scheme_file(assets_dir() / "coding_scheme.json"); }

std::string default_user_name() {
    if (const char* user = std::getenv("ATTUNE_USER"); user && *user) return user;
    if (const passwd* entry = getpwuid(getuid()); entry && entry->pw_name) return entry->pw_name;
    if (const char* user = std::getenv("USER"); user && *user) return user;
    return "clinician";
}

Practice open_practice(const store::OpenOptions& options, const std::string& user_name) {
    Practice practice;
    practice.db = store::Database::open(options);
    practice.opened_with = options;
    practice.opened_with.create_if_missing = false;
    store::Database& db = *practice.db;
    if (db.read_only()) {
        Person reader;
        reader.name = user_name;
        if (auto existing = store::PeopleRepository(db).find(user_name)) reader = *existing;
        db.set_actor(reader);
        practice.default_scheme_id = store::SchemeRepository(db).latest_id().value_or(0);
        return practice;
    }
    Person actor;
    actor.name = user_name;
    db.set_actor(actor);  // attributes the person's own creation row
    db.set_actor(store::PeopleRepository(db).find_or_create(user_name));
    return ready_practice(std::move(practice.db), options);
}

Practice ready_practice(std::unique_ptr<store::Database> db, const store::OpenOptions& opened_with) {
    Practice practice;
    practice.db = std::move(db);
    practice.opened_with = opened_with;
    practice.opened_with.create_if_missing = false;
    store::SchemeRepository schemes(*practice.db);
    if (auto latest = schemes.latest_id()) {
        practice.default_scheme_id = *latest;
    } else {
        practice.default_scheme_id = schemes.ensure(load_default_scheme());
    }
    return practice;
}

}  // namespace attune::io
