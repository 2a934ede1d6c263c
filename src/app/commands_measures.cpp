// Couple-reported measures and the version-2 review actions: `attune measure`,
// `attune instrument`, `attune session rate` (a second rater's end-of-session
// ratings) and `attune change-events` / `attune change-event confirm|reject`.
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "app/cli.h"
#include "core/change_event_decisions.h"
#include "core/dates.h"
#include "core/measures_json.h"
#include "core/text.h"
#include "services/access_audit.h"
#include "services/cases.h"
#include "services/measures.h"
#include "services/people.h"
#include "services/supervision.h"

namespace attune::app {
namespace {

// [SECTION] Measures

std::string scores_text(const Measure& m) {
    if (m.entered_total) return "(total entered)";
    std::string text;
    for (std::size_t i = 0; i < m.items.size(); ++i)
        text += (i ? "," : "") + (m.items[i] ? format_number(*m.items[i], 2) : std::string("-"));
    return text;
}

Who partner_of(const Args& args) {
    const std::string partner = args.require("partner");
    if (partner != "A" && partner != "B" && partner != "a" && partner != "b")
        throw UsageError("--partner must be A or B");
    return (partner == "A" || partner == "a") ? Who::A : Who::B;
}

// --items or --total, one of the two, into `m`.
void read_scores(const Args& args, Measure& m) {
    const bool items = args.has("items");
    const bool total = args.has("total");
    if (items == total)
        throw UsageError("give the item scores (--items N,N,...) or the total (--total X), one of the two");
    if (items) {
        try {
            m.items = parse_item_scores(*args.get("items"));
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--items: ") + e.what());
        }
    } else {
        m.entered_total = args.get_double("total", -1e6, 1e6);
    }
}

std::string checked_date(const Args& args, const char* option) {
    const std::string date = args.get(option).value_or("");
    if (!date.empty() && !is_iso_date(date))
        throw UsageError(std::string("--") + option + " takes a date as YYYY-MM-DD, e.g. 2026-03-02");
    return date;
}

// Printed only once the measure is committed.
void print_measure(const Measure& m, const char* what) {
    const auto sum = measure_total(m);
    std::cout << m.instrument_id << "\t" << to_string(m.partner) << "\t" << m.date << "\t"
              << (sum ? "total " + format_number(*sum, 2) : std::string("no total (an item is missing)")) << what
              << "\n";
}

int cmd_measure_add(const Args& args) {
    Measure m;
    m.partner = partner_of(args);
    m.instrument_id = trim(args.require("instrument"));
    read_scores(args, m);
    m.date = checked_date(args, "date");
    const auto session_number = args.get_int("session", 1, 100000);
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    m.case_id = c.id;
    if (session_number) m.session_id = services::find_session(*practice, c, session_number).id;
    print_measure(services::add_measure(*practice, m), "");
    return kExitOk;
}

// The measure named by --partner, --instrument, --date and (when several) --session.
Measure named_measure(services::OpenPractice& practice, const Case& c, const Args& args) {
    const std::string date = checked_date(args, "date");
    if (date.empty()) throw UsageError("--date: give the measure's date as YYYY-MM-DD");
    return services::find_measure(practice, c.id, partner_of(args), trim(args.require("instrument")), date,
                                  args.get_int("session", 1, 100000));
}

int cmd_measure_correct(const Args& args) {
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Measure stored = named_measure(*practice, c, args);
    Measure corrected = stored;
    corrected.items.clear();
    corrected.entered_total.reset();
    read_scores(args, corrected);
    if (const std::string date = checked_date(args, "new-date"); !date.empty()) corrected.date = date;
    // --new-session N ties it to session N, --new-session none to no session.
    if (const auto session = args.get("new-session")) {
        corrected.session_number.reset();
        corrected.session_id.reset();
        if (*session != "none")
            corrected.session_id = services::find_session(*practice, c, args.get_int("new-session", 1, 100000)).id;
    }
    print_measure(services::correct_measure(*practice, stored.id, corrected), "\tcorrected");
    return kExitOk;
}

int cmd_measure_remove(const Args& args) {
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Measure stored = named_measure(*practice, c, args);
    services::delete_measure(*practice, stored.id);
    std::cout << "removed " << stored.instrument_id << "\t" << to_string(stored.partner) << "\t" << stored.date << "\n";
    return kExitOk;
}

int cmd_measure_list(const Args& args) {
    auto practice = open_from_args(args, false, true);
    const Case c = services::find_case(*practice, args.require("case"));
    const std::vector<Measure> measures = services::list_measures(*practice, c.id);
    const InstrumentCatalog catalog = services::instrument_catalog(*practice);
    services::record_command_read(*practice, {"measure list", &c, nullptr, args.has("json") ? "--json" : ""});
    if (args.has("json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const Measure& m : measures)
            out.push_back(measure_json(m, catalog.find(m.instrument_id)));
        std::cout << out.dump(2) << "\n";
        return kExitOk;
    }
    if (measures.empty()) std::cout << c.label << " has no measures yet (attune measure add)\n";
    for (const Measure& m : measures) {
        const Instrument* in = catalog.find(m.instrument_id);
        const auto sum = measure_total(m);
        std::string notes;
        if (in && sum) {
            if (const auto clinical = is_clinical(*sum, *in)) notes = *clinical ? "clinical range" : "not clinical";
            if (alliance_flag(m, *in) == true)
                notes = "below " + format_number(*in->alliance_flag_below) + ": alliance";
        }
        std::cout << m.date << "\t" << to_string(m.partner) << "\t" << m.instrument_id << "\t"
                  << (m.session_number ? "S" + std::to_string(*m.session_number) : std::string("-")) << "\t"
                  << (sum ? format_number(*sum, 2) : std::string("no total")) << "\t" << scores_text(m)
                  << (notes.empty() ? "" : "\t" + notes) << "\n";
    }
    return kExitOk;
}

// [SECTION] Instruments

int cmd_instrument_add(const Args& args) {
    auto practice = open_from_args(args, false);
    const Instrument in = services::add_instrument_file(*practice, args.require("file"));
    std::cout << in.id << "\t" << in.name << "\t" << in.item_count() << " items\n";
    return kExitOk;
}

int cmd_instrument_list(const Args& args) {
    auto practice = open_from_args(args, false, true);
    const InstrumentCatalog catalog = services::instrument_catalog(*practice);
    services::record_command_read(*practice, {"instrument list"});
    for (const Instrument& in : catalog.all()) {
        std::string items;
        for (std::size_t i = 0; i < in.items.size(); ++i)
            items += (i ? " " : "") + format_range(in.items[i].min, in.items[i].max);
        std::cout << in.id << "\t" << in.name << "\t" << in.item_count() << " items (" << items << ")\ttotal "
                  << format_range(in.total_min, in.total_max) << "\tcut-off "
                  << (in.clinical_cutoff ? format_number(*in.clinical_cutoff) : std::string("not defined")) << "\n";
    }
    return kExitOk;
}

// [SECTION] A second rater's end-of-session ratings

int cmd_session_rate(const Args& args) {
    Ratings ratings{args.get_int("attunement-a", 0, 10), args.get_int("attunement-b", 0, 10),
                    args.get_int("safety", 0, 10)};
    if (!ratings.attunement_a && !ratings.attunement_b && !ratings.safety)
        throw UsageError("give at least one rating: --attunement-a, --attunement-b or --safety (0-10)");
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, args.get_int("session", 1, 100000));
    const Person rater = services::find_person(*practice, args.require("rater"));
    services::rate_session(*practice, s.id, rater.id, ratings);
    std::cout << "session " << s.number << " of " << c.label << " rated by " << rater.name << "\n";
    return kExitOk;
}

// [SECTION] Change-event candidates

std::string decision_text(const ChangeEventCandidate& candidate, const std::vector<CandidateDecisionRecord>& all) {
    const CandidateDecisionRecord* record = decision_for(candidate, all);
    return record ? std::string(to_string(record->decision)) + " by " + record->decided_by : "undecided";
}

int cmd_change_events(const Args& args) {
    auto practice = open_from_args(args, false, true);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, args.get_int("session", 1, 100000));
    const services::SessionReview review = services::load_session_review(*practice, c.id, s.id);
    services::record_command_read(*practice, {"change-events", &c, &s});
    if (!review.change_events.roles.known()) std::cout << review.change_events.roles.unknown_reason << "\n";
    for (const ChangeEventCandidate& candidate : review.change_events.candidates)
        std::cout << format_clock(candidate.antecedent_t) << "\t" << to_string(candidate.kind) << "\t"
                  << to_string(candidate.by) << " " << candidate.antecedent_code << " -> "
                  << to_string(other_partner(candidate.by)) << " " << candidate.consequent_code << " at "
                  << format_clock(candidate.consequent_t) << "\t" << decision_text(candidate, review.decisions) << "\t"
                  << candidate.key() << "\n";
    return kExitOk;
}

int cmd_change_event_decide(const Args& args, CandidateDecision decision) {
    auto practice = open_from_args(args, false);
    const Case c = services::find_case(*practice, args.require("case"));
    const Session s = services::find_session(*practice, c, args.get_int("session", 1, 100000));
    const CandidateDecisionRecord record =
        services::decide_change_event(*practice, s.id, args.require("key"), decision);
    std::cout << record.candidate_key << " " << to_string(record.decision) << " by " << record.decided_by << "\n";
    return kExitOk;
}

}  // namespace

void register_measure_commands() {
    auto& t = command_table();
    t.push_back(
        {"measure add",
         "--case L --partner A|B --instrument ID (--items N,N,... | --total X) [--date YYYY-MM-DD] [--session N]",
         "enter one partner's scores on an instrument (a missing item: leave it empty or write -)",
         with_db({"case", "partner", "instrument", "items", "total", "date", "session"}), with_db_flags({}),
         cmd_measure_add});
    t.push_back({"measure correct",
                 "--case L --partner A|B --instrument ID --date YYYY-MM-DD [--session N] (--items N,N,... | --total X) "
                 "[--new-date YYYY-MM-DD] [--new-session N|none]",
                 "replace the scores (and, with --new-date and --new-session, the date and the session it was given "
                 "at) of a measure entered wrongly",
                 with_db({"case", "partner", "instrument", "date", "session", "items", "total", "new-date",
                          "new-session"}),
                 with_db_flags({}), cmd_measure_correct});
    t.push_back({"measure remove", "--case L --partner A|B --instrument ID --date YYYY-MM-DD [--session N]",
                 "remove a measure entered by mistake (the removal reaches the other copies)",
                 with_db({"case", "partner", "instrument", "date", "session"}), with_db_flags({}), cmd_measure_remove});
    t.push_back({"measure list", "--case L [--json]", "list a case's measures in date order, with totals",
                 with_db({"case"}), with_db_flags({"json"}), cmd_measure_list});
    t.push_back({"instrument add", "--file F.json", "add an instrument file to the practice (validated first)",
                 with_db({"file"}), with_db_flags({}), cmd_instrument_add});
    t.push_back({"instrument list", "", "list the instruments measures can be entered on", with_db({}),
                 with_db_flags({}), cmd_instrument_list});
    t.push_back({"session rate",
                 "--case L [--session N] --rater NAME [--attunement-a 0-10] [--attunement-b 0-10] [--safety 0-10]",
                 "a second rater's end-of-session ratings of a session they coded",
                 with_db({"case", "session", "rater", "attunement-a", "attunement-b", "safety"}), with_db_flags({}),
                 cmd_session_rate});
    t.push_back({"change-events", "--case L [--session N]",
                 "list a session's change-event candidates with their keys and decisions", with_db({"case", "session"}),
                 with_db_flags({}), cmd_change_events});
    t.push_back({"change-event confirm", "--case L [--session N] --key KEY",
                 "confirm a change-event candidate (see attune change-events)", with_db({"case", "session", "key"}),
                 with_db_flags({}),
                 [](const Args& args) { return cmd_change_event_decide(args, CandidateDecision::Confirmed); }});
    t.push_back({"change-event reject", "--case L [--session N] --key KEY", "reject a change-event candidate",
                 with_db({"case", "session", "key"}), with_db_flags({}),
                 [](const Args& args) { return cmd_change_event_decide(args, CandidateDecision::Rejected); }});
}

}  // namespace attune::app
