// practice_server.h: the store's client of a practice server (PostgreSQL 15,
// issue 21). libpqxx stays inside src/store, as SQLiteCpp does. Today it
// creates and migrates Attune's schema on the server (store/server_schema.h);
// the sync worker will add push and pull here.
//
// Every failure is a StoreError with one line saying what failed and where;
// no libpqxx exception leaves this layer, and no message carries the password
// of the URL.
#pragma once

#include <memory>
#include <string>

#include "core/error.h"

namespace attune::store {

using StoreError = attune::Error;  // as in store/database.h

// Versions of attune.attune_schema_version before and after a migration
// (0: the database had no Attune schema).
struct ServerSchemaChange {
    int before = 0;
    int after = 0;
};

class PracticeServer {
public:
    // Connects to `url`: a libpq connection URI (postgresql://role@host:port/db)
    // or a key=value string. Gives up after 10 s unless the URL sets
    // connect_timeout. Throws StoreError: Invalid when libpq cannot read the
    // URL, Io when the server cannot be reached or refuses the login.
    static std::unique_ptr<PracticeServer> connect(const std::string& url);
    ~PracticeServer();
    PracticeServer(const PracticeServer&) = delete;
    PracticeServer& operator=(const PracticeServer&) = delete;

    // Which database on which server, for messages, e.g. `database "practice"
    // on db.example.org, port 5432`. Never the password.
    const std::string& where() const;

    // The newest schema version this Attune knows (its last migration's).
    static int known_schema_version();
    // The server's schema version; 0 when the database has no Attune schema.
    // Throws StoreError: NotAttune for a schema `attune` that Attune did not
    // make, Denied when this role cannot read the version (it is not the
    // schema's owner), Io when the connection is lost.
    int schema_version();

    // Applies the migrations the server lacks, each with its version row in one
    // transaction, under a lock so that two of these at once apply each
    // migration once. Changes nothing when the schema is already the newest.
    // Throws StoreError: NewerSchema when the server's schema is newer than
    // this Attune, Denied when the role may not create or change it (it needs
    // CREATEROLE and CREATE on the database), Io otherwise. A migration that
    // fails is rolled back whole; those before it stay applied.
    ServerSchemaChange migrate_schema();

private:
    struct Impl;
    explicit PracticeServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace attune::store
