// BORIS both ways through a practice: every real sample imports (with what
// was left out) or is refused in one line; a project without observations
// creates nothing; a gzipped project imports; and a case exported as a BORIS
// project (services::ExportJob) comes back into another practice with the
// same observations, layers, intensities and session lengths.
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <cstdlib>
#include <map>
#include <tuple>

#include "practice_reads.h"
#include "services/boris_import.h"
#include "services/cases.h"
#include "services/export.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Approx;
using Catch::Matchers::ContainsSubstring;

namespace {

std::filesystem::path sample(const std::string& name) {
    return test::shared_dir() / "interop" / "boris" / name;
}

struct Practice {
    test::TempDir dir;
    std::unique_ptr<services::OpenPractice> open =
        test::new_practice(dir / "practice.db", "correct horse", "Dr Importer");
    services::OpenPractice& practice() { return *open; }
};

// The samples' subjects and behaviours in Attune's words: s, r and m are states.
services::BorisImportOptions samples_into(const std::string& label) {
    services::BorisImportOptions options;
    options.case_label = label;
    options.partner_a_name = "subject1";
    options.partner_b_name = "subject2";
    options.behavior_map = formats::parse_behavior_map("p=validate,q=reflect,s=shut_down,r=shut_down,m=shut_down");
    return options;
}

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const services::BorisImportError& e) {
        return e.what();
    }
    FAIL("no BorisImportError was thrown");
    return {};
}

}  // namespace

TEST_CASE("every real BORIS sample imports, listing what was left out, or is refused in one line") {
    struct Expected {
        const char* file;
        int sessions;
        std::vector<std::string> left_out;
    };
    const std::vector<std::string> unpaired_and_empty{"live not paired", "2 video", "2 video avi"};
    const std::vector<Expected> samples = {
        {"test.boris", 9, {"live not paired", "2 video avi", "observation without events"}},
        {"test2.boris", 6, unpaired_and_empty},
        {"test_without_media_files_paths.boris", 6, unpaired_and_empty},
        {"test_export_events_tabular.tsv", 1, {}},
        {"test_export_events_tabular.csv", 1, {}},
        {"test_export_aggregated_events_test_full_1.tsv", 1, {}},
    };
    // Every file of the folder is one of these (its README aside).
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(sample("")))
        if (entry.path().filename() != "README.md") ++files;
    REQUIRE(files == samples.size());

    Practice p;
    for (const Expected& expected : samples) {
        INFO(expected.file);
        // The samples' own ethogram is not Attune's: refused in one line that says what to do.
        services::BorisImportOptions unmapped = samples_into(std::string("Unmapped ") + expected.file);
        unmapped.behavior_map.clear();
        const std::string refusal =
            error_of([&] { services::import_boris(p.practice(), sample(expected.file), unmapped); });
        CHECK(refusal.find('\n') == std::string::npos);
        CHECK_THAT(refusal, ContainsSubstring("nothing was imported: behaviours not in the coding scheme: '"));
        CHECK_THAT(refusal, ContainsSubstring("'s' (first at "));
        CHECK_THAT(refusal, ContainsSubstring("--map BORIS=ATTUNE"));
        CHECK_FALSE(test::case_labelled(p.practice(), std::string("Unmapped ") + expected.file));

        const services::ImportReport report =
            services::import_boris(p.practice(), sample(expected.file), samples_into(expected.file));
        CHECK(report.sessions_created() == expected.sessions);
        std::vector<std::string> left_out;
        for (const auto& skipped : report.left_out)
            left_out.push_back(skipped.observation_id);
        CHECK(left_out == expected.left_out);
        for (const std::string& id : expected.left_out)
            CHECK_THAT(report.summary(), ContainsSubstring("BORIS observation '" + id + "': "));
    }
}

TEST_CASE("with close_unpaired the sample's unpaired observation imports too, closed at its last event") {
    Practice p;
    services::BorisImportOptions options = samples_into("Closed");
    options.close_unpaired = true;
    const services::ImportReport report = services::import_boris(p.practice(), sample("test.boris"), options);
    REQUIRE(report.sessions_created() == 10);
    REQUIRE(report.left_out.size() == 2);
    REQUIRE_THAT(report.summary(), ContainsSubstring("had no STOP: closed at 26.863 s"));
}

TEST_CASE("a project without observations creates nothing, not even the case") {
    Practice p;
    const test::PracticeCounts before = test::counts_of(p.practice());
    const auto path = p.dir / "empty.boris";
    test::write_file(path, R"({"behaviors_conf": {}, "subjects_conf": {}, "observations": {}})");
    services::BorisImportOptions options = samples_into("Empty");
    const std::string message = error_of([&] { services::import_boris(p.practice(), path, options); });
    REQUIRE(message == path.string() + ": nothing was imported: the file has no observations");
    REQUIRE_FALSE(test::case_labelled(p.practice(), "Empty"));
    REQUIRE(test::counts_of(p.practice()) == before);
}

TEST_CASE("a gzipped project imports as the plain one does") {
    Practice p;
    const auto packed = p.dir / "couples.boris.gz";
    const auto plain = test::test_data_dir() / "boris" / "couples.boris";
    REQUIRE(std::system(("gzip -c '" + plain.string() + "' > '" + packed.string() + "'").c_str()) == 0);
    services::BorisImportOptions options;
    options.case_label = "Couple M";
    options.partner_a_name = "Ana";
    options.partner_b_name = "Ben";
    const services::ImportReport report = services::import_boris(p.practice(), packed, options);
    REQUIRE(report.sessions_created() == 2);
    REQUIRE(report.observations_created() == 10);
}

TEST_CASE("a case exported as a BORIS project comes back with the same observations, layers, intensities and lengths") {
    test::TempDir dir;
    const auto source_db = dir / "source.db";
    auto source = test::new_practice(source_db, "correct horse", "Dr Lee");
    const Case c = test::add_couple(*source, "Couple M");
    auto log = [](services::OpenPractice& practice, const Session& s, Who who, const char* code, double at,
                  std::optional<double> stop = std::nullopt, std::optional<int> intensity = std::nullopt,
                  const char* note = "") {
        services::LogRequest request;
        request.who = who;
        request.code = code;
        request.at = at;
        request.stop = stop;
        request.intensity = intensity;
        request.note = note;
        services::log_observation(practice, s, request);
    };
    Session first = services::start_session(*source, c.id, "2026-03-03");
    log(*source, first, Who::A, "defensive_anger", 10, std::nullopt, 2);
    log(*source, first, Who::B, "shut_down", 20, 80.5);
    log(*source, first, Who::A, "reflect", 40, std::nullopt, std::nullopt, "said \"I hear you\"");
    log(*source, first, Who::Both, "slow_down", 60);
    log(*source, first, Who::Therapist, "t_conjecture", 90);
    services::SessionEnding ending;
    ending.active_seconds = 3000;
    services::end_session(*source, first, ending);
    // A coder codes the ended session with their own sign-in, once assigned.
    test::add_person(*source, "Coder Kim", GrantRole::Coder, "coder kim's passphrase");
    services::assign_coder(*source, "Couple M", 1, "Coder Kim");
    source.reset();
    {
        auto kim = test::open_practice(source_db, "coder kim's passphrase", "Coder Kim");
        const Session ended = services::list_sessions(*kim, c.id).at(0);
        log(*kim, ended, Who::A, "blame_shift", 11, std::nullopt, 1);
        log(*kim, ended, Who::B, "shut_down", 21, 79);
    }
    source = test::open_practice(source_db, "correct horse", "Dr Lee");
    Session second = services::start_session(*source, c.id, "2026-03-10");
    log(*source, second, Who::A, "validate", 5, std::nullopt, 3);
    ending.active_seconds = 1500;
    services::end_session(*source, second, ending);

    services::ExportOptions options;
    options.format = "boris";
    const auto file = dir / "couple m.boris";
    services::ExportJob(*source, c, options).deliver(services::ExportDestination::to_file(file));

    auto target = test::new_practice(dir / "target.db", "correct horse", "Dr Target");
    services::BorisImportOptions import;
    import.case_label = "Couple M again";
    import.partner_a_name = "Ana";
    import.partner_b_name = "Ben";
    // The raters named in the project must be people of the practice it goes to.
    try {
        services::import_boris(*target, file, import);
        FAIL("raters nobody added were imported");
    } catch (const services::BorisImportError& e) {
        REQUIRE_THAT(e.what(), ContainsSubstring("the raters 'Dr Lee' and 'Coder Kim' are not people of this "
                                                 "practice: an administrator adds raters with attune person add, or "
                                                 "name an existing person with --rater; nothing was imported"));
    }
    REQUIRE_FALSE(test::case_labelled(*target, "Couple M again"));
    test::add_person(*target, "Dr Lee", GrantRole::Clinician);
    test::add_person(*target, "Coder Kim", GrantRole::Coder);
    const services::ImportReport report = services::import_boris(*target, file, import);
    REQUIRE(report.sessions_created() == 2);
    REQUIRE(report.left_out.empty());

    // Each rater's layer, as (who, code, t, stop, kind, intensity, comment), in time order.
    using Row = std::tuple<std::string, std::string, double, double, std::string, int, std::string>;
    auto layers = [](services::OpenPractice& practice, const Session& s) {
        std::map<std::string, std::vector<Row>> out;
        std::map<RowId, std::string> names;
        for (const services::PersonEntry& entry : services::list_people(practice))
            names[entry.person.id] = entry.person.name;
        for (const Observation& o : test::observations_of(practice, s))
            out[names[o.rater_id]].emplace_back(std::string(to_string(o.who)), o.code_id, o.t, o.stop.value_or(-1),
                                                std::string(to_string(o.kind)), o.intensity.value_or(0), o.comment);
        return out;
    };
    const auto sent = services::list_sessions(*source, c.id);
    const auto back = services::list_sessions(*target, test::case_labelled(*target, "Couple M again")->id);
    REQUIRE(back.size() == 2);
    for (size_t i = 0; i < 2; ++i) {
        INFO("session " << i + 1);
        REQUIRE(back[i].date == sent[i].date);
        REQUIRE(back[i].start_time == sent[i].start_time);
        REQUIRE(back[i].active_seconds == Approx(sent[i].active_seconds));
        REQUIRE(layers(*target, back[i]) == layers(*source, sent[i]));
    }
    REQUIRE(layers(*target, back[0]).size() == 2);  // Dr Lee's and Coder Kim's
    REQUIRE(std::get<5>(layers(*target, back[0]).at("Coder Kim")[0]) == 1);
}
