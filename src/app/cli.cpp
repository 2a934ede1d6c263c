#include "app/cli.h"

#include <iostream>

#include "app/gui_main.h"
#include "core/scheme_json.h"
#include "services/paths.h"

namespace attune::app {

const std::set<std::string> kDatabaseOptions{"db", "passphrase-file", "user"};
const std::set<std::string> kDatabaseFlags{"no-encryption", "read-only"};

std::vector<Command>& command_table() {
    static std::vector<Command> table;
    return table;
}

std::map<std::string, std::string>& command_details() {
    static std::map<std::string, std::string> details;
    return details;
}

std::set<std::string> with_db(std::set<std::string> extra) {
    extra.insert(kDatabaseOptions.begin(), kDatabaseOptions.end());
    return extra;
}

std::set<std::string> with_db_flags(std::set<std::string> extra) {
    extra.insert(kDatabaseFlags.begin(), kDatabaseFlags.end());
    return extra;
}

services::KeyMaterial secret_from(const Args& args, const std::string& file_option, const char* env_var) {
    if (auto file = args.get(file_option)) {
        try {
            return services::KeyMaterial::from_file(*file);
        } catch (const Error& e) {
            throw UsageError(e.what());
        }
    }
    if (const char* env = std::getenv(env_var); env && *env) return services::KeyMaterial(std::string_view(env));
    return services::KeyMaterial();
}

services::KeyMaterial passphrase_from(const Args& args) {
    return secret_from(args, "passphrase-file", "ATTUNE_PASSPHRASE");
}

std::filesystem::path practice_path_from(const Args& args) {
    return args.get("db").value_or(services::default_database_path().string());
}

std::string user_from(const Args& args) { return args.get("user").value_or(services::default_user_name()); }

std::unique_ptr<services::OpenPractice> open_from_args(const Args& args, bool create_if_missing, bool read_only) {
    services::OpenRequest request;
    request.path = practice_path_from(args);
    request.person = user_from(args);
    if (args.valued_known("recovery-key-file") && args.get("recovery-key-file")) {
        request.recovery_key = secret_from(args, "recovery-key-file", "ATTUNE_NO_SUCH_VARIABLE");
        if (args.get("user")) throw UsageError("give either --user or --recovery-key-file, not both");
        request.person.clear();
    } else {
        request.passphrase = passphrase_from(args);
    }
    request.create_if_missing = create_if_missing;
    if (create_if_missing) request.new_administrator = args.get("admin").value_or(request.person);
    request.allow_unencrypted = args.has("no-encryption");
    request.read_only = read_only || args.has("read-only");
    if (std::error_code missing; !create_if_missing && !std::filesystem::exists(request.path, missing)) {
        const std::string path = request.path.string();
        throw Error(Error::Kind::NotFound,
                    "no practice at " + path + ": make one with attune init --db " + path + " --admin NAME");
    }
    const bool plaintext = services::is_plaintext_practice(request.path);
    if (!request.allow_unencrypted && request.passphrase.empty() && request.recovery_key.empty() && !plaintext) {
        std::error_code ec;
        if (std::filesystem::exists(request.path, ec) || create_if_missing)
            throw Error(Error::Kind::WrongPassphrase,
                        "a passphrase is needed: use --passphrase-file F (or set ATTUNE_PASSPHRASE)"
                        " (or --no-encryption to create an unencrypted database)");
    }
    auto practice = services::OpenPractice::open(std::move(request));
    for (const std::string& notice : practice->notices()) std::cerr << "attune: " << notice << "\n";
    // A practice made or converted now: its recovery key, once.
    if (services::KeyMaterial recovery = practice->take_recovery_key(); !recovery.empty())
        print_recovery_key(*practice, recovery);
    return practice;
}

void print_recovery_key(const services::OpenPractice& practice, const services::KeyMaterial& recovery) {
    std::cout << "recovery key: " << recovery.view() << "\n";
    std::cout.flush();
    std::cerr << "attune: keep the recovery key above somewhere safe, apart from this computer: with it the "
                 "practice's data can be got back when every passphrase is forgotten. It is shown only now.\n";
    if (!practice.conversion_backup().empty())
        std::cerr << "attune: " << practice.path().string()
                  << " now has personal sign-in; the practice as it was is kept as "
                  << practice.conversion_backup().string() << "\n";
}

namespace {

void print_help(std::ostream& out) {
    out << "attune " << ATTUNE_VERSION
        << ": coding couples' sessions live and charting their progress toward attunement and repair.\n\n"
           "Usage: attune                 open the window on the default database\n"
           "       attune COMMAND [OPTIONS]\n\nCommands:\n";
    for (const Command& c : command_table()) {
        std::string head = "  " + c.name;
        if (head.size() < 22)
            head.resize(22, ' ');
        else
            head += "  ";
        out << head << c.summary << "\n";
    }
    out << "\nEvery database command takes --db FILE (default " << services::default_database_path().string()
        << "),\n--user NAME (else $ATTUNE_USER; it may be left out when the practice has one person),\n"
           "--passphrase-file FILE (else $ATTUNE_PASSPHRASE), that person's own passphrase, and --read-only.\n"
           "`attune COMMAND --help` shows a command's options.\n\n"
           "Exit codes: 0 done, 1 failed or not allowed (nothing was changed), 2 wrong or missing passphrase\n"
           "or unknown person, 3 database in use by another Attune, 64 wrong command line.\n";
}

const Command* find_command(const std::vector<std::string>& words, size_t& consumed) {
    const Command* best = nullptr;
    for (const Command& c : command_table()) {
        const std::vector<std::string> parts = [&] {
            std::vector<std::string> out;
            size_t start = 0;
            for (size_t i = 0; i <= c.name.size(); ++i)
                if (i == c.name.size() || c.name[i] == ' ') {
                    out.push_back(c.name.substr(start, i - start));
                    start = i + 1;
                }
            return out;
        }();
        if (parts.size() > words.size()) continue;
        bool match = true;
        for (size_t i = 0; i < parts.size(); ++i)
            match = match && parts[i] == words[i];
        if (match && (!best || parts.size() > consumed)) {
            best = &c;
            consumed = parts.size();
        }
    }
    return best;
}

}  // namespace

int run_command(const Command& command, const std::vector<std::string>& rest, const std::string& program) {
    for (const std::string& w : rest)
        if (w == "--help" || w == "-h") {
            std::cout << "Usage: " << program << " " << command.name << " " << command.usage << "\n"
                      << command.summary << "\n";
            if (auto details = command_details().find(command.name); details != command_details().end())
                std::cout << "\n" << details->second << "\n";
            return kExitOk;
        }
    const std::string who = program + " " + command.name;
    try {
        Args args(rest, command.valued, command.flags);
        return command.run(args);
    } catch (const UsageError& e) {
        std::cerr << who << ": " << e.what() << " (see " << who << " --help)\n";
        return kExitUsage;
    } catch (const Error& e) {
        std::cerr << who << ": " << e.what() << "\n";
        switch (e.kind()) {
            case Error::Kind::WrongPassphrase: return kExitPassphrase;
            case Error::Kind::Locked: return kExitLocked;
            case Error::Kind::Denied: return kExitFailed;  // not allowed to the person signed in: nothing changed
            default: return kExitFailed;
        }
    } catch (const SchemeFormatError& e) {
        std::cerr << who << ": coding scheme: " << e.what() << "\n";
        return kExitFailed;
    } catch (const std::exception& e) {
        std::cerr << who << ": " << e.what() << "\n";
        return kExitFailed;
    }
}

int run_cli(int argc, char** argv) {
    register_all_commands();
    std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty()) return run_gui({});
    if (words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
        print_help(std::cout);
        return kExitOk;
    }
    if (words[0] == "--version") {
        std::cout << "attune " << ATTUNE_VERSION << "\n";
        return kExitOk;
    }
    size_t consumed = 0;
    const Command* command = find_command(words, consumed);
    if (!command) {
        std::cerr << "attune: unknown command '" << words[0] << "' (see attune --help)\n";
        return kExitUsage;
    }
    return run_command(*command, std::vector<std::string>(words.begin() + static_cast<long>(consumed), words.end()),
                       "attune");
}

}  // namespace attune::app
