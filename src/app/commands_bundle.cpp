// Case bundles on the command line: `attune bundle export` and `attune bundle import`.
#include <cstdlib>
#include <iostream>

#include "app/cli.h"
#include "core/text.h"
#include "services/bundles.h"

namespace attune::app {
namespace {

// The bundle's own passphrase (never the database's): --bundle-passphrase-file F
// (first line), else $ATTUNE_BUNDLE_PASSPHRASE.
services::KeyMaterial bundle_passphrase_from(const Args& args) {
    services::KeyMaterial passphrase = secret_from(args, "bundle-passphrase-file", "ATTUNE_BUNDLE_PASSPHRASE");
    if (passphrase.empty())
        throw Error(Error::Kind::WrongPassphrase,
                    "a bundle passphrase is needed: set ATTUNE_BUNDLE_PASSPHRASE or use --bundle-passphrase-file F");
    return passphrase;
}

int cmd_bundle_export(const Args& args) {
    BundleSelection selection;
    selection.case_label = args.get("case").value_or("");
    selection.clinician_name = args.get("clinician").value_or("");
    if (selection.case_label.empty() == selection.clinician_name.empty())
        throw UsageError("give either --case LABEL or --clinician NAME");
    selection.include_private = args.has("include-private");
    const std::string out = args.require("out");
    if (auto to = args.get("to")) {
        // Sealed to people's keys: a passphrase as well would leave the reader unsure which protects it.
        if (args.get("bundle-passphrase-file"))
            throw UsageError("give either --to NAME[,NAME] or --bundle-passphrase-file, not both");
        if (const char* env = std::getenv("ATTUNE_BUNDLE_PASSPHRASE"); env && *env)
            throw UsageError(
                "--to seals the bundle to people's keys, but ATTUNE_BUNDLE_PASSPHRASE is set too: "
                "unset it to seal to people, or leave out --to to use the passphrase");
        const std::vector<std::string> names = split(*to, ',');
        auto practice = open_from_args(args, false);
        const BundleCounts n = services::export_bundle_to(*practice, selection, out, names);
        std::string recipients;
        for (const services::BundleRecipient& r : services::sealed_bundle_recipients(out))
            recipients += (recipients.empty() ? "" : ", ") + r.name + " (key " + r.fingerprint + ")";
        std::cout << "wrote " << out << ": " << counts_text(n) << " (private process notes "
                  << (selection.include_private ? "INCLUDED" : "not included") << ")\n";
        std::cout << "sealed to " << recipients << "\n";
        return kExitOk;
    }
    const services::KeyMaterial passphrase = bundle_passphrase_from(args);
    if (passphrase.size() < 8) throw UsageError("the bundle passphrase must have at least 8 characters");
    auto practice = open_from_args(args, false);
    const BundleCounts n = services::export_bundle(*practice, selection, out, passphrase);
    std::cout << "wrote " << out << ": " << counts_text(n) << " (private process notes "
              << (selection.include_private ? "INCLUDED" : "not included") << ")\n";
    return kExitOk;
}

int cmd_bundle_import(const Args& args) {
    const std::string from = args.require("from");
    // A bundle sealed to people's keys opens with the signed-in person's own key.
    const bool sealed = services::is_sealed_bundle(from);
    const services::KeyMaterial passphrase = sealed ? services::KeyMaterial() : bundle_passphrase_from(args);
    auto practice = open_from_args(args, false);
    const bool dry_run = args.has("dry-run");
    const BundleImportReport r = dry_run ? services::preview_bundle_import(*practice, from, passphrase)
                                         : services::import_bundle(*practice, from, passphrase);
    if (!r.sealed_to.empty()) {
        std::string names;
        for (const std::string& n : r.sealed_to)
            names += (names.empty() ? "" : ", ") + n;
        std::cout << "sealed to " << names << "; opened with your key\n";
    }
    std::cout << "sent by " << r.sender_name << " (key " << r.sender_fingerprint << "): "
              << (r.sender_known ? "a key this practice knows for them"
                                 : "NOT a key this practice knows for them (compare the fingerprint with theirs)")
              << "\n";
    if (dry_run) {
        // What would change, kind by kind; the conflicts below are those it would keep as here.
        for (const BundleChange& change : bundle_changes(r))
            std::cout << "would import " << change_text(change) << "\n";
        for (const std::string& c : r.conflicts)
            std::cout << "conflict: " << c << "\n";
        std::cout << "nothing was imported (--dry-run)\n";
        return kExitOk;
    }
    std::cout << "new: " << counts_text(r.created) << "\n";
    std::cout << "updated: " << counts_text(r.updated) << "\n";
    std::cout << "unchanged: " << r.unchanged() << " rows already here as they are\n";
    for (const std::string& c : r.conflicts)
        std::cout << "conflict: " << c << "\n";
    std::cout << r.conflicts.size() << " conflicts\n";
    return kExitOk;
}

}  // namespace

void register_bundle_commands() {
    auto& t = command_table();
    t.push_back({"bundle export",
                 "(--case LABEL | --clinician NAME) --out FILE.attune [--include-private] "
                 "[--to NAME[,NAME] | --bundle-passphrase-file F]",
                 "write cases to one encrypted bundle: sealed to people's public keys (--to), or with its own "
                 "passphrase ($ATTUNE_BUNDLE_PASSPHRASE)",
                 with_db({"case", "clinician", "out", "to", "bundle-passphrase-file"}),
                 with_db_flags({"include-private"}), cmd_bundle_export});
    t.push_back({"bundle import", "--from FILE.attune [--bundle-passphrase-file F] [--dry-run]",
                 "merge a bundle into this database by uuid (a bundle sealed to you opens with your own key); "
                 "conflicting edits are reported and kept; --dry-run shows what would change and imports nothing",
                 with_db({"from", "bundle-passphrase-file"}), with_db_flags({"dry-run"}), cmd_bundle_import});
}

}  // namespace attune::app
