// Supervision commands: people and roles, signing notes, addenda, comments
// pinned to moments, and inter-rater agreement.
#include <cstdio>
#include <iostream>

#include "app/cli.h"
#include "core/agreement.h"
#include "core/agreement_text.h"
#include "core/rating_agreement.h"
#include "core/text.h"
#include "core/time_slice_kappa.h"
#include "services/access_audit.h"
#include "services/cases.h"
#include "services/people.h"
#include "services/supervision.h"

#include <nlohmann/json.hpp>

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

// [SECTION] Signing and addenda

int cmd_sign(const Args& args, bool cosign) {
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, args.get_int("session", 1, 100000));
    const Signature signature =
        cosign ? services::cosign_session(*practice, s.id) : services::sign_session(*practice, s.id);
    std::cout << label_of(c, s) << (cosign ? " co-signed by " : " signed by ") << signature.signer_name << " at "
              << signature.signed_at << " (digest " << signature.digest << "); the session is sealed\n";
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

// One line per signature: session, signer, verified or why not; exit 1 if any is not.
int cmd_verify(const Args& args) {
    auto practice = open_from_args(args, false, true);
    const std::string label = args.get("case").value_or("");
    std::optional<Case> the_case;
    if (!label.empty()) the_case = services::find_case(*practice, label);  // NotFound when not there (or not theirs)
    const std::vector<services::SessionSignatureCheck> checks = services::verify_practice(*practice, label);
    services::record_command_read(*practice, {"verify", the_case ? &*the_case : nullptr});
    int failed = 0;
    for (const services::SessionSignatureCheck& c : checks) {
        std::cout << c.case_info.label << "\tsession " << c.session.number << "\t" << c.check.signature.signer_name
                  << "\t" << (c.check.signature.role == SignatureRole::Sign ? "sign" : "cosign") << "\t"
                  << (c.check.verified() ? "verified (key " + c.check.fingerprint + ")" : c.check.reason) << "\n";
        failed += c.check.verified() ? 0 : 1;
    }
    if (failed > 0) std::cerr << "attune verify: " << failed << " signatures do not verify\n";
    return failed > 0 ? kExitFailed : kExitOk;
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
    const std::vector<ReviewComment> comments = services::list_comments(*practice, s.id);
    services::record_command_read(*practice, {"comments", &c, &s});
    for (const ReviewComment& comment : comments)
        std::cout << format_clock(comment.t) << "\t" << comment.author_name << "\t" << comment.text << "\n";
    return kExitOk;
}

// [SECTION] Inter-rater agreement

std::string time_or_dash(const std::optional<double>& t) {
    return t ? format_clock(*t) : std::string("-");
}

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

void print_time_slice(const TimeSliceAgreement& r) {
    std::cout << "\nBORIS's time-slice kappa (" << format_number(r.slice_s, 3)
              << " s slices, for comparison): " << format_kappa(r.kappa) << " (" << kappa_interpretation(r.kappa)
              << ")\n"
              << "  " << r.slices << " slices, " << r.items << " items (slice x person), " << r.agreements << " agree, "
              << r.empty_agreements << " of them because neither rater coded anything\n";
}

int cmd_agreement(const Args& args) {
    const double tolerance = args.get_double("tolerance", 0, 3600).value_or(5);
    const auto slice = args.get_double("time-slice", 0, 3600);
    if (slice && *slice < 0.01) throw UsageError("--time-slice must be at least 0.01 seconds");
    auto practice = open_from_args(args, false, true);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, args.get_int("session", 1, 100000));
    const Person a = services::find_person(*practice, args.require("rater-a"));
    const Person b = services::find_person(*practice, args.require("rater-b"));
    if (a.id == b.id) throw UsageError("--rater-a and --rater-b must be two different people");
    const AgreementResult r = services::rater_agreement(*practice, s.id, a.id, b.id, tolerance);
    std::optional<TimeSliceAgreement> slices;
    if (slice) slices = services::rater_time_slice_agreement(*practice, s.id, a.id, b.id, *slice);
    // End-of-session ratings over every session of the case both rated (DOMAIN.md version 2).
    const RatingAgreement ratings = services::ratings_agreement(*practice, c.id, a.id, b.id);
    services::record_command_read(
        *practice, {"agreement", &c, &s, "raters=" + a.name + "," + b.name + (args.has("json") ? " --json" : "")});
    if (args.has("json")) {
        nlohmann::json out = to_json(r);
        out["ratings_icc"] = ratings_icc_json(ratings);
        if (slices)
            out["time_slice"] = {{"slice_s", slices->slice_s},
                                 {"kappa", slices->kappa ? nlohmann::json(*slices->kappa) : nlohmann::json()},
                                 {"slices", slices->slices},
                                 {"items", slices->items},
                                 {"agreements", slices->agreements},
                                 {"empty_agreements", slices->empty_agreements}};
        std::cout << out.dump() << "\n";
    } else {
        std::cout << "agreement of " << a.name << " and " << b.name << " on " << label_of(c, s) << " (tolerance "
                  << format_number(tolerance) << " s)\n";
        print_agreement_table(r, a, b, services::load_session_review(*practice, c.id, s.id).scheme);
        std::cout << "\nratings ICC(2,1) ";
        if (ratings.icc)
            std::cout << format_number(*ratings.icc, 3);
        else
            std::cout << "none";
        std::cout << " (" << ratings.targets << " ratings both gave, over " << ratings.sessions
                  << (ratings.sessions == 1 ? " session of " : " sessions of ") << c.label << "; needs 3)\n";
        if (slices) print_time_slice(*slices);
    }
    return kExitOk;
}

}  // namespace

void register_supervision_commands() {
    auto& t = command_table();
    t.push_back({"verify", "[--case C]",
                 "check every signature (one line each: session, signer, verified or why not); exit 1 if any is not",
                 with_db({"case"}), with_db_flags({}), cmd_verify});
    t.push_back({"sign", "--user U --case L --session N",
                 "sign a session (its whole record, with your key) as its clinician: it is sealed",
                 with_db({"case", "session"}), with_db_flags({}), [](const Args& args) { return cmd_sign(args, false); }});
    t.push_back({"cosign", "--user U --case L --session N", "co-sign a signed session (the case's supervisor only)",
                 with_db({"case", "session"}), with_db_flags({}), [](const Args& args) { return cmd_sign(args, true); }});
    t.push_back({"addendum", "--case L [--session N] --text TEXT", "add a dated addendum to a signed progress note",
                 with_db({"case", "session", "text"}), with_db_flags({}), cmd_addendum});
    t.push_back({"comment", "--case L [--session N] --at SECONDS --text TEXT",
                 "pin a review comment to a moment of a session", with_db({"case", "session", "at", "text"}),
                 with_db_flags({}), cmd_comment});
    t.push_back({"comments", "--case L [--session N]", "list a session's pinned comments in time order",
                 with_db({"case", "session"}), with_db_flags({}), cmd_comments});
    t.push_back({"agreement",
                 "--case L --session N --rater-a NAME --rater-b NAME [--tolerance S] [--time-slice S] [--json]",
                 "inter-rater agreement (Cohen's kappa) of two raters' coding of a session, and their ratings ICC",
                 with_db({"case", "session", "rater-a", "rater-b", "tolerance", "time-slice"}), with_db_flags({"json"}),
                 cmd_agreement});
    command_details()["agreement"] =
        std::string(kappa_methods_text()) +
        "\n--time-slice S also reports BORIS's time-slice kappa with slices of S seconds (BORIS's default is 1), "
        "for comparison with a kappa computed in BORIS.";
}

}  // namespace attune::app
