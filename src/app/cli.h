// cli.h: the `attune` command line. No arguments opens the GUI.
#pragma once

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "app/cli_args.h"
#include "core/error.h"
#include "services/key_material.h"
#include "services/open_practice.h"

namespace attune::app {

// Exit codes, the same for every command.
enum ExitCode : int {
    kExitOk = 0,
    kExitFailed = 1,      // failed or not allowed (Denied): not found, invalid value, disk, damaged file
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
extern const std::set<std::string> kDatabaseOptions;  // db, passphrase-file, user
extern const std::set<std::string> kDatabaseFlags;    // no-encryption, read-only

// A command's options plus the database options (or flags) every database command takes.
std::set<std::string> with_db(std::set<std::string> extra);
std::set<std::string> with_db_flags(std::set<std::string> extra);

// The passphrase: --passphrase-file F (first line), else $ATTUNE_PASSPHRASE;
// empty when neither is given. Read straight into locked memory.
services::KeyMaterial passphrase_from(const Args& args);
// Another secret the same way: --`file_option` F, else $`env_var`; empty when neither.
services::KeyMaterial secret_from(const Args& args, const std::string& file_option, const char* env_var);
// The practice file named by --db (default: the practice in the data dir).
std::filesystem::path practice_path_from(const Args& args);
// Opens the practice named by --db and signs in the person named by --user
// (else $ATTUNE_USER; with one person in the practice it may be left out)
// with their passphrase, or with --recovery-key-file K where the command
// accepts it. Creating (create_if_missing), --admin NAME (else --user) is its
// founding administrator; the recovery key is then printed once.
std::unique_ptr<services::OpenPractice> open_from_args(const Args& args, bool create_if_missing, bool read_only = false);
// --user NAME, else $ATTUNE_USER, else empty.
std::string user_from(const Args& args);
void print_recovery_key(const services::OpenPractice& practice, const services::KeyMaterial& recovery);

// Registration: each commands_*.cpp file adds its commands (commands.cpp calls them all).
std::vector<Command>& command_table();
// More help a command prints after its summary for `--help`, by command name.
std::map<std::string, std::string>& command_details();
void register_all_commands();

int run_cli(int argc, char** argv);
// Runs one command with the words after its name; errors become one line on
// stderr and the exit code (`program` names the binary in messages).
int run_command(const Command& command, const std::vector<std::string>& rest, const std::string& program);

}  // namespace attune::app
