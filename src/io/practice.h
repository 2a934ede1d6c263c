// practice.h: opening a practice database ready for use: the default coding
// scheme loaded and stored, the person using Attune set as the actor.
// The command line and the GUI both open databases through here.
#pragma once

#include "core/scheme.h"
#include "store/database.h"

#include <filesystem>
#include <memory>
#include <string>

namespace attune::io {

// Reads and validates a scheme file; throws SchemeFormatError naming file and field.
CodingScheme load_scheme_file(const std::filesystem::path& path);
// assets/coding_scheme.json
CodingScheme load_default_scheme();

// The name of the person using Attune: $ATTUNE_USER, else the login name.
std::string default_user_name();

struct Practice {
    std::unique_ptr<store::Database> db;
    RowId default_scheme_id = 0;
    // How it was opened, passphrase included: kept in memory (never written) only
    // so that a background backup can open its own read-only connection and the
    // window never waits for one.
    store::OpenOptions opened_with;
};

// Opens (or creates) the database, stores the default scheme if it has none,
// and sets the actor (created as a clinician on first use). Throws StoreError.
Practice open_practice(const store::OpenOptions& options, const std::string& user_name);
// A database already open (the GUI asks who is using it first) made ready: the
// default scheme stored if it has none. Throws StoreError.
Practice ready_practice(std::unique_ptr<store::Database> db, const store::OpenOptions& opened_with);

}  // namespace attune::io
