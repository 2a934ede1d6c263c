// practice_server.h: a practice's PostgreSQL server (issue 21), as the
// command line and (later) the window's settings use it. Today: creating and
// migrating Attune's schema there (`attune server init --url URL`).
#pragma once

#include <string>
#include <vector>

namespace attune::services {

class KeyMaterial;
class OpenPractice;

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

// What `attune server add-person` did.
struct ServerPersonReport {
    std::string where;
    std::string login;                // the PostgreSQL login role of the person
    std::vector<std::string> groups;  // Attune's groups it is a member of
    int people = 0;                   // people published (with their certified keys)
    int log_entries = 0;              // statements of the practice's signed log
    // Their key slot was published, so they can join from their own machine
    // (attune join); false for a person without a slot in this keyring.
    bool key_slot = false;
    // The practice's founding administrator's key fingerprint: the person
    // joining compares it with the one `attune join` shows them.
    std::string root_fingerprint;
};

// An administrator (signed in to `practice`) gives the person `name` of this
// practice a login on the server at `url` (the schema owner's URL, as for
// init): their login role with `password` (at least 12 characters; sent as a
// SCRAM-SHA-256 verifier only), membership in the groups of the roles the
// practice's verified log grants them, the people with their certified keys,
// the signed log itself, and the person's key slot (for attune join; opened
// only by their own passphrase). Running it again sets the password again and
// brings the groups in line with the log. The login's name is the person's
// name in lower case, other characters as '_' ("Dr Lee" -> "dr_lee").
// Audited here. Throws attune::Error: Denied when the person signed in is not
// an administrator, NotFound for an unknown name, Invalid for a person
// without a certified key or a short password, and as init_practice_server.
ServerPersonReport add_server_person(OpenPractice& practice, const std::string& url, const std::string& name,
                                     const KeyMaterial& password);
// The login role name Attune gives a person ("Dr Lee" -> "dr_lee").
std::string server_login_name(const std::string& person_name);

}  // namespace attune::services
