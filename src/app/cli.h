// cli.h: the `attune` command line. No arguments opens the GUI.
#pragma once

#include "app/cli_args.h"
#include "io/practice.h"

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace attune::app {

// Exit codes, the same for every command.
enum ExitCode : int {
    kExitOk = 0,
    kExitFailed = 1,      // the operation failed: not found, invalid value, disk, damaged file
    kExitPassphrase = 2,  // wrong or missing passphrase
    kExitLocked = 3,      // another Attune is writing this database
    kExitUsage = 64,      // the command line itself is wrong
};

struct Command {
    std::string name;     // "log", "case add", ...
    std::string usage;    // options, after the name
    std::string summary;  // one line
    std::set<std::string> valued;
    std::set<std::string> flags;
    std::function<int(const Args&)> run;
};

// Options every database command accepts.
extern const std::set<std::string> kDatabaseOptions;       // db, passphrase-file, user
extern const std::set<std::string> kDatabaseFlags;         // no-encryption, read-only

// A command's options plus the database options (or flags) every database command takes.
std::set<std::string> with_db(std::set<std::string> extra);
std::set<std::string> with_db_flags(std::set<std::string> extra);

// The passphrase: --passphrase-file F (first line), else $ATTUNE_PASSPHRASE.
std::optional<std::string> passphrase_from(const Args& args);
// Opens the database named by --db (default: the practice database in the data dir).
io::Practice open_from_args(const Args& args, bool create_if_missing, bool read_only = false);

// Registration: each commands_*.cpp file adds its commands.
std::vector<Command>& command_table();
void register_core_commands();

int run_cli(int argc, char** argv);

}  // namespace attune::app
