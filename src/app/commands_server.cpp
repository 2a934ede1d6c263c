// The practice server (issue 21): `attune server init`, `server add-person`, `join` and `sync`.
#include <unistd.h>

#include <iostream>
#include <string>

#include "app/cli.h"
#include "services/key_material.h"
#include "services/open_practice.h"
#include "services/practice_join.h"
#include "services/practice_server.h"
#include "services/practice_sync.h"

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

// The administrator signs in to their practice file; the URL is the schema owner's.
int cmd_server_add_person(const Args& args) {
    const std::string url = args.require("url");
    const std::string name = args.require("name");
    const services::KeyMaterial password = services::KeyMaterial::from_file(args.require("new-password-file"));
    auto practice = open_from_args(args, false);
    const services::ServerPersonReport r = services::add_server_person(*practice, url, name, password);
    std::string groups;
    for (const std::string& g : r.groups) groups += (groups.empty() ? "" : ", ") + g;
    std::cout << r.where << ": " << name << " signs in to the server as login " << r.login << " ("
              << (groups.empty() ? std::string("no roles yet") : groups) << ")\n";
    std::cout << "published " << r.people << " people with their certified keys and " << r.log_entries
              << " statements of the practice's signed log\n";
    if (r.key_slot)
        std::cout << name << " can now join from their own machine (attune join); tell them this fingerprint of the "
                     "practice's founding administrator's key to compare: "
                  << r.root_fingerprint << "\n";
    else
        std::cout << name << " has no key slot in this practice file, so none was published: they cannot join yet\n";
    return kExitOk;
}

void print_sync_report(const services::SyncReport& r) {
    std::cout << "sent: " << counts_text(r.pushed) << "\n";
    std::cout << "received: " << counts_text(r.received) << "\n";
    std::cout << "new here: " << counts_text(r.merged.created) << "\n";
    std::cout << "updated here: " << counts_text(r.merged.updated) << "\n";
    for (const std::string& c : r.merged.conflicts)
        std::cout << "conflict: " << c << "\n";
    if (r.access_sent + r.access_added > 0)
        std::cout << "shares and coder assignments: " << r.access_sent << " sent, " << r.access_added
                  << " new here\n";
    if (r.access_withdrawn_there + r.access_withdrawn_here > 0)
        std::cout << "shares and coder assignments taken back: " << r.access_withdrawn_there << " on the server, "
                  << r.access_withdrawn_here << " here\n";
    if (r.log_statements > 0)
        std::cout << "practice log: " << r.log_statements << " signed statements taken (keys and roles)\n";
    for (const std::string& p : r.signature_problems)
        std::cout << "signature: " << p << "\n";
    std::cout << r.where << ": in step at change " << r.horizon << " (" << r.merged.conflicts.size()
              << " conflicts)\n";
}

// Shows who the practice's founding administrator is and their key's
// fingerprint, then reads one line from stdin: "yes" goes on.
bool confirm_on_stdin(const services::JoinOffer& offer) {
    std::cout << "practice server: " << offer.where << "\n"
              << "you: " << offer.person_name << " (login " << offer.login << ")\n"
              << "founding administrator: " << offer.administrator_name << "\n"
              << "their key's fingerprint: " << offer.fingerprint << "\n"
              << "Compare it with the fingerprint your administrator gave you. Type yes if it is the same: ";
    std::cout.flush();
    std::string answer;
    if (!std::getline(std::cin, answer)) {
        std::cout << "\n";
        return false;
    }
    while (!answer.empty() && (answer.back() == '\r' || answer.back() == ' ')) answer.pop_back();
    if (!isatty(STDIN_FILENO)) std::cout << answer << "\n";  // a terminal echoed it already
    return answer == "yes" || answer == "YES" || answer == "Yes";
}

// A new practice file of one's own, from the practice server.
int cmd_join(const Args& args) {
    services::JoinRequest request;
    request.url = args.require("url");
    request.name = args.require("name");
    request.path = practice_path_from(args);
    request.passphrase = passphrase_from(args);
    request.confirm = confirm_on_stdin;
    services::JoinReport report;
    auto practice = services::join_practice(std::move(request), report);
    std::cout << "joined: " << practice->path().string() << " is " << report.offer.person_name
              << "'s own copy of the practice (" << report.people << " people)\n";
    print_sync_report(report.sync);
    return kExitOk;
}

// One push and pull; exit 0 when in step (conflicts are reported, as bundle import does).
int cmd_sync(const Args& args) {
    auto practice = open_from_args(args, false);
    const services::SyncReport r = services::sync_with_server(*practice, args.get("url").value_or(""));
    print_sync_report(r);
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
    command_table().push_back(
        {"server add-person",
         "--url URL --name N --new-password-file F",
         "give person N of this practice a login on the practice server (an administrator, signed in with --user)",
         with_db({"url", "name", "new-password-file"}),
         with_db_flags({}),
         cmd_server_add_person});
    command_details()["server add-person"] =
        "URL: the schema owner's, as for server init. N's login role is N's name in lower case with '_'\n"
        "for other characters; its password is the first line of F (at least 12 characters), sent only as a\n"
        "SCRAM-SHA-256 verifier. N's roles on the server are those the practice's signed log grants them;\n"
        "the practice's people, their certified keys and the log are published with it. Running it again\n"
        "sets the password again. Exit 0 done, 1 refused or unreachable.";
    command_table().push_back(
        {"sync",
         "[--url URL]",
         "send what this copy has to the practice server and receive what you may see, merged as bundles are",
         with_db({"url"}),
         with_db_flags({}),
         cmd_sync});
    command_details()["sync"] =
        "URL: postgresql://LOGIN@HOST:PORT/DATABASE?sslmode=verify-full&sslrootcert=CA with your own login\n"
        "(password from ~/.pgpass, PGPASSFILE or the URL); once given, a URL without a password is kept.\n"
        "Sends what changed here since the last sync, receives what you may see, merged as bundles are, and\n"
        "prints what moved and the conflicts (a row changed on both sides: the later version is kept).\n"
        "Exit 0 in step, 1 with one line when the server cannot be reached or refuses (nothing changes here).";
    command_table().push_back(
        {"join",
         "--url URL --name N --db F",
         "make your own copy of the practice from its server and receive what you may see",
         {"url", "name", "db", "passphrase-file"},
         {},
         cmd_join});
    command_details()["join"] =
        "URL: your own login, as for sync. Your key slot (published by an administrator's server add-person)\n"
        "opens with your own passphrase (--passphrase-file, else $ATTUNE_PASSPHRASE). The founding\n"
        "administrator's key fingerprint is shown: type yes when it is the one they gave you. F must not exist:\n"
        "it is made with a new data key, your slot and the practice's people, then synced once. Exit 0 joined,\n"
        "1 with one line and no file when refused, unconfirmed or unreachable.";
    command_details()["server init"] =
        "URL: postgresql://ROLE@HOST:PORT/DATABASE?sslmode=verify-full&sslrootcert=CA (or libpq's key=value\n"
        "form; over TCP only with sslmode=verify-full, or a local socket: postgresql://ROLE@/DATABASE?host=DIR;\n"
        "a password in it, or in ~/.pgpass). ROLE needs CREATEROLE and CREATE on DATABASE and need not be a superuser; it becomes\n"
        "the owner of the schema `attune` and must run later migrations too. Running it again changes\n"
        "nothing. Exit 0 done, 1 when the server cannot be reached, refuses, or has a newer schema.";
}

}  // namespace attune::app
