// People and what they may do (issue 16): `attune person ...`, `attune case
// supervisor|share`, `attune session assign`, `attune key reveal`. Every
// change is an administrator's (or a case clinician's) signed, audited act.
#include "app/cli.h"
#include "core/text.h"
#include "formats/output_file.h"
#include "formats/text_file.h"
#include "services/access_audit.h"
#include "services/people.h"
#include "services/supervision.h"

#include <fstream>
#include <iostream>
#include <sstream>

namespace attune::app {
namespace {

GrantRole role_from(const Args& args) {
    const auto role = parse_grant_role(args.require("role"));
    if (!role) throw UsageError("--role must be clinician, supervisor, coder or administrator");
    return *role;
}

services::KeyMaterial new_passphrase_from(const Args& args) {
    services::KeyMaterial passphrase = secret_from(args, "new-passphrase-file", "ATTUNE_NEW_PASSPHRASE");
    if (passphrase.empty()) throw UsageError("give the new passphrase with --new-passphrase-file P");
    return passphrase;
}

std::string roles_text(const std::set<GrantRole>& roles) {
    std::string out;
    for (const GrantRole r : roles) out += (out.empty() ? "" : ",") + std::string(to_string(r));
    return out.empty() ? "-" : out;
}

// [SECTION] People

int cmd_person_add(const Args& args) {
    const GrantRole role = role_from(args);
    if (role == GrantRole::Administrator)
        throw UsageError("--role is the person's work (clinician, supervisor or coder); add --admin to make them an "
                         "administrator too");
    const services::KeyMaterial initial = new_passphrase_from(args);
    auto practice = open_from_args(args, false);
    const Person person = services::add_person(*practice, args.require("name"), role, args.has("admin"), initial);
    std::cout << person.name << "\t" << to_string(role) << (args.has("admin") ? ",administrator" : "") << "\n";
    return kExitOk;
}

int cmd_person_reset(const Args& args) {
    const services::KeyMaterial next = new_passphrase_from(args);
    if (!args.get("user") && !args.get("recovery-key-file") && services::default_user_name().empty())
        throw UsageError("say who resets it: --user ADMIN (an administrator) or --recovery-key-file K");
    auto practice = open_from_args(args, false);
    services::reset_passphrase(*practice, args.require("name"), next);
    std::cout << "passphrase of " << trim(args.require("name"))
              << " reset: a new key slot and a new signing key; signatures made before stay verifiable\n";
    return kExitOk;
}

int cmd_person_role(const Args& args, bool grant) {
    const GrantRole role = role_from(args);
    auto practice = open_from_args(args, false);
    if (grant) services::grant_role(*practice, args.require("name"), role);
    else services::revoke_role(*practice, args.require("name"), role);
    std::cout << trim(args.require("name")) << (grant ? " now holds " : " no longer holds ") << to_string(role) << "\n";
    return kExitOk;
}

int cmd_person_list(const Args& args) {
    auto practice = open_from_args(args, false, true);
    const std::vector<services::PersonEntry> people = services::list_people(*practice);
    services::record_command_read(*practice, {"person list"});
    for (const services::PersonEntry& e : people)
        std::cout << e.person.name << "\t" << roles_text(e.roles) << "\t"
                  << (e.fingerprint.empty() ? "no key" : e.fingerprint) << (e.recovery ? "\t(recovery key)" : "")
                  << (!e.can_sign_in && !e.recovery && practice->has_keys() ? "\t(cannot sign in)" : "") << "\n";
    return kExitOk;
}

int cmd_person_passphrase(const Args& args) {
    const services::KeyMaterial next = new_passphrase_from(args);
    auto practice = open_from_args(args, false);
    services::change_own_passphrase(*practice, next);
    std::cout << "passphrase of " << practice->person().name << " changed\n";
    return kExitOk;
}

// [SECTION] Keys between practices

int cmd_export_key(const Args& args) {
    auto practice = open_from_args(args, false);  // not read-only: the export is audited
    const services::PublicKeyFile key = services::save_public_key(*practice, args.require("name"), args.require("out"));
    std::cout << key.name << "\t" << key.fingerprint << "\n";
    std::cerr << "compare this fingerprint with the recipient by phone or in person before they import it\n";
    return kExitOk;
}

int cmd_import_key(const Args& args) {
    const std::string from = args.require("from");
    std::string text;
    try {
        text = formats::read_small_text_file(from, services::kMaxPublicKeyFileBytes);
    } catch (const formats::TextFileError& e) {
        throw Error(Error::Kind::Invalid, e.what());
    }
    const services::PublicKeyFile key = services::parse_public_key_file(text, from);
    auto practice = open_from_args(args, false);
    services::import_public_key(*practice, key);
    std::cout << key.name << "\t" << key.fingerprint << "\n";
    std::cerr << "imported: make sure this fingerprint is the one " << key.name << " reads to you\n";
    return kExitOk;
}

int cmd_key_reveal(const Args& args) {
    if (!args.get("recovery-key-file")) throw UsageError("the practice's key is revealed to --recovery-key-file K only");
    auto practice = open_from_args(args, false);
    const services::KeyMaterial raw = practice->reveal_raw_key();
    services::record_key_reveal(*practice);
    std::cout << raw.view() << "\n";
    std::cerr << "this is the practice's raw SQLCipher key: in the sqlcipher shell, PRAGMA key = \"" << "<the line above>"
              << "\"; keep it as safe as the recovery key\n";
    return kExitOk;
}

// [SECTION] Who supervises, who reads, who codes

int cmd_case_supervisor(const Args& args) {
    auto practice = open_from_args(args, false);
    services::set_case_supervisor(*practice, args.require("case"), args.require("supervisor"));
    std::cout << trim(args.require("supervisor")) << " supervises " << args.require("case") << "\n";
    return kExitOk;
}

int cmd_case_share(const Args& args) {
    auto practice = open_from_args(args, false);
    services::share_case(*practice, args.require("case"), args.require("with"));
    std::cout << args.require("case") << " shared with " << trim(args.require("with")) << "\n";
    return kExitOk;
}

int cmd_case_unshare(const Args& args) {
    auto practice = open_from_args(args, false);
    services::unshare_case(*practice, args.require("case"), args.require("with"));
    std::cout << args.require("case") << " no longer shared with " << trim(args.require("with")) << "\n";
    return kExitOk;
}

int cmd_session_assign(const Args& args) {
    const auto number = args.get_int("session", 1, 100000);
    if (!number) throw UsageError("--session N is required");
    auto practice = open_from_args(args, false);
    services::assign_coder(*practice, args.require("case"), *number, args.require("coder"));
    std::cout << "session " << *number << " of " << args.require("case") << " assigned to "
              << trim(args.require("coder")) << "\n";
    return kExitOk;
}

int cmd_session_unassign(const Args& args) {
    const auto number = args.get_int("session", 1, 100000);
    if (!number) throw UsageError("--session N is required");
    auto practice = open_from_args(args, false);
    services::unassign_coder(*practice, args.require("case"), *number, args.require("coder"));
    std::cout << "session " << *number << " of " << args.require("case") << " no longer assigned to "
              << trim(args.require("coder")) << "\n";
    return kExitOk;
}

}  // namespace

void register_people_commands() {
    auto& t = command_table();
    t.push_back({"person add",
                 "--user ADMIN --name N --role clinician|supervisor|coder [--admin] --new-passphrase-file P",
                 "add a person with their own key slot and signing key (administrators only)",
                 with_db({"name", "role", "new-passphrase-file"}), with_db_flags({"admin"}), cmd_person_add});
    t.push_back({"person reset", "(--user ADMIN | --recovery-key-file K) --name N --new-passphrase-file P",
                 "a forgotten passphrase: a new key slot and signing key for N",
                 with_db({"name", "new-passphrase-file", "recovery-key-file"}), with_db_flags({}), cmd_person_reset});
    t.push_back({"person grant", "--user ADMIN --name N --role clinician|supervisor|coder|administrator",
                 "grant a role (a statement the administrator signs)", with_db({"name", "role"}), with_db_flags({}),
                 [](const Args& a) { return cmd_person_role(a, true); }});
    t.push_back({"person revoke", "--user ADMIN --name N --role clinician|supervisor|coder|administrator",
                 "revoke a role (a statement the administrator signs)", with_db({"name", "role"}), with_db_flags({}),
                 [](const Args& a) { return cmd_person_role(a, false); }});
    t.push_back({"person list", "", "the people: name, roles, key fingerprint", with_db({}), with_db_flags({}),
                 cmd_person_list});
    t.push_back({"person passphrase", "--user U --new-passphrase-file P", "change your own passphrase (same key)",
                 with_db({"new-passphrase-file"}), with_db_flags({}), cmd_person_passphrase});
    t.push_back({"person export-key", "--name N --out K", "write a person's public key (and its fingerprint) to a file",
                 with_db({"name", "out"}), with_db_flags({}), cmd_export_key});
    t.push_back({"person import-key", "--user ADMIN --from K",
                 "keep another practice's person's public key (compare its fingerprint first)", with_db({"from"}),
                 with_db_flags({}), cmd_import_key});
    t.push_back({"key reveal", "--recovery-key-file K",
                 "print the practice's raw SQLCipher key (x'…') for the sqlcipher shell (disaster recovery; audited)",
                 with_db({"recovery-key-file"}), with_db_flags({}), cmd_key_reveal});
    t.push_back({"case supervisor", "--user U --case C --supervisor NAME",
                 "name the case's supervisor (its clinician or an administrator); only they co-sign",
                 with_db({"case", "supervisor"}), with_db_flags({}), cmd_case_supervisor});
    t.push_back({"case share", "--user U --case C --with NAME", "share a case with another clinician (who then reads it)",
                 with_db({"case", "with"}), with_db_flags({}), cmd_case_share});
    t.push_back({"case unshare", "--user U --case C --with NAME",
                 "stop sharing a case (the next sync takes the share back on the practice server too)",
                 with_db({"case", "with"}), with_db_flags({}), cmd_case_unshare});
    t.push_back({"session assign", "--user U --case C --session N --coder NAME", "assign a session to a coder",
                 with_db({"case", "session", "coder"}), with_db_flags({}), cmd_session_assign});
    t.push_back({"session unassign", "--user U --case C --session N --coder NAME",
                 "take a coder's assignment back (the next sync takes it back on the practice server too)",
                 with_db({"case", "session", "coder"}), with_db_flags({}), cmd_session_unassign});
}

}  // namespace attune::app
