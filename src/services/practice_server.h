// practice_server.h: a practice's PostgreSQL server (issue 21), as the
// command line and (later) the window's settings use it. Today: creating and
// migrating Attune's schema there (`attune server init --url URL`).
#pragma once

#include <string>

namespace attune::services {

struct ServerInitReport {
    std::string where;  // which database on which server, without the password
    int before = 0;     // schema version found (0: none yet)
    int after = 0;      // schema version left
    bool changed() const { return after != before; }
};

// Connects to `url` (postgresql://role@host:port/db, or libpq's key=value
// form) and brings Attune's schema, roles and row-level security there to the
// newest version; running it again changes nothing. The role needs CREATEROLE
// and CREATE on the database, and to be the schema's owner once it exists.
// Throws attune::Error (one line): Io when the server cannot be reached or
// refuses the login, Denied when the role may not, NewerSchema when the
// server's schema is newer than this Attune, Invalid for a malformed URL.
ServerInitReport init_practice_server(const std::string& url);

}  // namespace attune::services
