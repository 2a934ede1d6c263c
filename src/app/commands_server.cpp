// The practice server (issue 21): `attune server init`.
#include <iostream>

#include "app/cli.h"
#include "services/practice_server.h"

namespace attune::app {
namespace {

// One line on stdout; a server that cannot be reached is one line on stderr
// and exit 1 (run_command).
int cmd_server_init(const Args& args) {
    const std::string url = args.require("url");
    const services::ServerInitReport r = services::init_practice_server(url);
    if (!r.changed())
        std::cout << r.where << ": Attune's schema is already at version " << r.after << "; nothing changed\n";
    else if (r.before == 0)
        std::cout << r.where << ": Attune's schema created at version " << r.after << "\n";
    else
        std::cout << r.where << ": Attune's schema migrated from version " << r.before << " to " << r.after << "\n";
    return kExitOk;
}

}  // namespace

void register_server_commands() {
    command_table().push_back(
        {"server init",
         "--url URL",
         "create or migrate Attune's schema, roles and access rules on a PostgreSQL 15 practice server",
         {"url"},
         {},
         cmd_server_init});
    command_details()["server init"] =
        "URL: postgresql://ROLE@HOST:PORT/DATABASE (or libpq's key=value form; a password in it, or in\n"
        "~/.pgpass). ROLE needs CREATEROLE and CREATE on DATABASE and need not be a superuser; it becomes\n"
        "the owner of the schema `attune` and must run later migrations too. Running it again changes\n"
        "nothing. Exit 0 done, 1 when the server cannot be reached, refuses, or has a newer schema.";
}

}  // namespace attune::app
