// Supervision commands: people and roles, signing notes, addenda, comments
// pinned to moments, and inter-rater agreement.
#include "app/cli.h"
#include "core/agreement.h"
#include "core/agreement_text.h"
#include "core/text.h"
#include "services/cases.h"
#include "services/people.h"
#include "services/supervision.h"

#include <cstdio>
#include <iostream>

namespace attune::app {
namespace {

std::string percent(double fraction) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f%%", fraction * 100);
    return text;
}

std::string label_of(const Case& c, const Session& s) {
    return "session " + std::to_string(s.number) + " of " + c.label;
}

// [SECTION] People

int cmd_person_add(const Args& args) {
    const std::string name = trim(args.require("name"));
    const std::string role_text = args.get("role").value_or("clinician");
    const auto role = parse_person_role(role_text);
    if (!role) throw UsageError("--role must be clinician, supervisor or coder");
    auto practice = open_from_args(args, true);
    // The user running the command was created as a clinician on opening; this
    // is how a person already known gets the role they should have.
    const Person person = services::add_person(*practice, name, *role);
    std::cout << person.name << "\t" << to_string(*role) << "\n";
    return kExitOk;
}

// [SECTION] Signing and addenda

int cmd_sign(const Args& args, bool cosign) {
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, args.get_int("session", 1, 100000));
    const Signature signature = cosign ? services::cosign_session(*practice, s.id) : services::sign_session(*practice, s.id);
    std::cout << label_of(c, s) << (cosign ? " co-signed by " : " signed by ") << signature.signer_name << " at "
              << signature.signed_at << " (note sha256 " << signature.note_sha256 << ")\n";
    return kExitOk;
}

int cmd_addendum(const Args& args) {
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, args.get_int("session", 1, 100000));
    const Addendum a = services::add_addendum(*practice, s.id, args.require("text"));
    std::cout << "addendum by " << a.author_name << " at " << a.created_at << " added to " << label_of(c, s) << "\n";
    return kExitOk;
}

// [SECTION] Comments pinned to moments

int cmd_comment(const Args& args) {
    const auto at = args.get_double("at", 0, 24 * 3600);
    if (!at) throw UsageError("--at SECONDS is required: the moment of the session the comment is about");
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, args.get_int("session", 1, 100000));
    const ReviewComment comment = services::add_comment(*practice, s.id, *at, args.require("text"));
    std::cout << format_clock(comment.t) << "\t" << comment.author_name << "\t" << comment.text << "\n";
    return kExitOk;
}

int cmd_comments(const Args& args) {
    auto practice = open_from_args(args, false, true);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, args.get_int("session", 1, 100000));
    for (const ReviewComment& comment : services::list_comments(*practice, s.id))
        std::cout << format_clock(comment.t) << "\t" << comment.author_name << "\t" << comment.text << "\n";
    return kExitOk;
}

// [SECTION] Inter-rater agreement

std::string time_or_dash(const std::optional<double>& t) { return t ? format_clock(*t) : std::string("-"); }

// Codes by their labels in the session's scheme; the JSON keeps the ids.
void print_agreement_table(const AgreementResult& r, const Person& a, const Person& b, const CodingScheme& scheme) {
    std::cout << "kappa " << format_kappa(r.kappa) << " (" << kappa_interpretation(r.kappa) << ")\n"
              << "percent agreement " << percent(r.percent_agreement) << "\n"
              << "matched " << r.matched << ", only " << a.name << " " << r.unmatched_a << ", only " << b.name << " "
              << r.unmatched_b << "\n";
    if (!r.per_code.empty()) {
        std::cout << "\nper code (agree / total):\n";
        for (const auto& [code, counts] : r.per_code)
            std::cout << "  " << agreement_code_label(scheme, code) << "\t" << counts.agree << " / " << counts.total
                      << "\t" << percent(counts.total > 0 ? static_cast<double>(counts.agree) / counts.total : 0)
                      << "\n";
    }
    if (!r.disagreements.empty()) {
        std::cout << "\ndisagreements (" << a.name << " / " << b.name << "):\n";
        for (const Disagreement& d : r.disagreements)
            std::cout << "  " << time_or_dash(d.t_a) << " / " << time_or_dash(d.t_b) << "\t" << to_string(d.who) << "\t"
                      << agreement_code_label(scheme, d.code_a) << " / " << agreement_code_label(scheme, d.code_b)
                      << "\n";
    }
}

int cmd_agreement(const Args& args) {
    const double tolerance = args.get_double("tolerance", 0, 3600).value_or(5);
    auto practice = open_from_args(args, false, true);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, args.get_int("session", 1, 100000));
    const Person a = services::find_person(*practice, args.require("rater-a"));
    const Person b = services::find_person(*practice, args.require("rater-b"));
    if (a.id == b.id) throw UsageError("--rater-a and --rater-b must be two different people");
    const AgreementResult r = services::rater_agreement(*practice, s.id, a.id, b.id, tolerance);
    if (args.has("json")) {
        std::cout << to_json(r).dump() << "\n";
    } else {
        std::cout << "agreement of " << a.name << " and " << b.name << " on " << label_of(c, s) << " (tolerance "
                  << format_number(tolerance) << " s)\n";
        print_agreement_table(r, a, b, services::load_session_review(*practice, c.id, s.id).scheme);
    }
    return kExitOk;
}

}  // namespace

void register_supervision_commands() {
    auto& t = command_table();
    t.push_back({"person add", "--name NAME [--role clinician|supervisor|coder]",
                 "add a person, or give a known person a role", with_db({"name", "role"}), with_db_flags({}),
                 cmd_person_add});
    t.push_back({"sign", "--case L [--session N]", "sign a session's progress note as the current user (locks it)",
                 with_db({"case", "session"}), with_db_flags({}), [](const Args& args) { return cmd_sign(args, false); }});
    t.push_back({"cosign", "--case L [--session N]", "co-sign a signed progress note (supervisors only)",
                 with_db({"case", "session"}), with_db_flags({}), [](const Args& args) { return cmd_sign(args, true); }});
    t.push_back({"addendum", "--case L [--session N] --text TEXT", "add a dated addendum to a signed progress note",
                 with_db({"case", "session", "text"}), with_db_flags({}), cmd_addendum});
    t.push_back({"comment", "--case L [--session N] --at SECONDS --text TEXT",
                 "pin a review comment to a moment of a session", with_db({"case", "session", "at", "text"}),
                 with_db_flags({}), cmd_comment});
    t.push_back({"comments", "--case L [--session N]", "list a session's pinned comments in time order",
                 with_db({"case", "session"}), with_db_flags({}), cmd_comments});
    t.push_back({"agreement", "--case L --session N --rater-a NAME --rater-b NAME [--tolerance S] [--json]",
                 "inter-rater agreement (Cohen's kappa) of two raters' coding of a session",
                 with_db({"case", "session", "rater-a", "rater-b", "tolerance"}), with_db_flags({"json"}),
                 cmd_agreement});
}

}  // namespace attune::app
