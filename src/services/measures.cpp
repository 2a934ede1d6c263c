// measures.cpp: see measures.h.
//
// [SECTION] The catalog
// [SECTION] Measures
#include "services/measures.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "core/dates.h"
#include "core/instrument_json.h"
#include "core/text.h"
#include "formats/text_file.h"
#include "services/access.h"
#include "services/measures_internal.h"
#include "services/open_practice.h"
#include "services/paths.h"
#include "services/practice_access.h"
#include "store/measure_repositories.h"
#include "store/repositories.h"

namespace attune::services {
namespace {

// [SECTION] The catalog

std::string read_text(const std::filesystem::path& file) {
    try {
        return formats::read_small_text_file(file, kMaxInstrumentFileBytes);
    } catch (const formats::TextFileError& e) {
        throw Error(Error::Kind::Io, e.what());
    }
}

Instrument parse_file(const std::filesystem::path& file, const std::string& text) {
    try {
        return parse_instrument_json(text);
    } catch (const InstrumentFormatError& e) {
        throw Error(Error::Kind::Invalid, file.string() + ": " + e.what());
    }
}

// The shipped files, parsed once per assets folder (tests may point
// ATTUNE_ASSETS_DIR elsewhere): DOMAIN.md's in its order, then any other by
// file name.
std::vector<Instrument> shipped_instruments() {
    static std::mutex mutex;
    static std::map<std::filesystem::path, std::vector<Instrument>> parsed;
    const std::filesystem::path folder = assets_dir() / "instruments";
    std::lock_guard guard(mutex);
    if (auto found = parsed.find(folder); found != parsed.end()) return found->second;
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    if (ec)
        throw Error(Error::Kind::Io, folder.string() + ": cannot read the instruments folder (" + ec.message() + ")");
    const std::vector<std::string> domain_order{"csi4", "csi16", "ors", "srs", "checkin"};
    auto rank = [&](const std::filesystem::path& file) {
        const auto at = std::find(domain_order.begin(), domain_order.end(), file.stem().string());
        return at - domain_order.begin();
    };
    std::sort(files.begin(), files.end(),
              [&](const auto& x, const auto& y) { return rank(x) != rank(y) ? rank(x) < rank(y) : x < y; });
    std::vector<Instrument> instruments;
    for (const auto& file : files)
        instruments.push_back(parse_file(file, read_text(file)));
    return parsed[folder] = instruments;
}

}  // namespace

namespace detail {

InstrumentCatalog load_instrument_catalog(store::Database& db) {
    InstrumentCatalog catalog;
    for (Instrument& instrument : shipped_instruments())
        catalog.add(std::move(instrument));
    for (const store::StoredInstrumentFile& file : store::InstrumentFileRepository(db).list()) {
        try {
            catalog.add(parse_instrument_json(file.content));
        } catch (const InstrumentFormatError& e) {
            // Stored files were parsed before they were stored: only a newer
            // shipped file of the same id (or a hand-edited row) gets here.
            throw Error(Error::Kind::Invalid, "the practice's instrument '" + file.id + "': " + e.what());
        }
    }
    return catalog;
}

CaseMeasures load_case_measures(store::Database& db, RowId case_id, const std::string& from, const std::string& to) {
    CaseMeasures out;
    for (Measure& m : store::MeasureRepository(db).list_for_case(case_id)) {
        if (!from.empty() && m.date < from) continue;
        if (!to.empty() && m.date > to) continue;
        out.administrations.push_back(std::move(m));
    }
    out.administrations = in_date_order(std::move(out.administrations));
    if (out.administrations.empty()) return out;  // no file to read for a case without measures
    const InstrumentCatalog catalog = load_instrument_catalog(db);
    for (const Instrument& instrument : catalog.all())
        if (std::any_of(out.administrations.begin(), out.administrations.end(),
                        [&](const Measure& m) { return m.instrument_id == instrument.id; }))
            out.instruments.push_back(instrument);
    out.summaries = summarize_measures(out.administrations, catalog);
    return out;
}

}  // namespace detail

InstrumentCatalog instrument_catalog(OpenPractice& practice) {
    return detail::load_instrument_catalog(database_of(practice));
}

Instrument add_instrument_file(OpenPractice& practice, const std::filesystem::path& file) {
    store::Database& db = database_of(practice);
    if (!practice.holds(GrantRole::Clinician) && !practice.holds(GrantRole::Administrator))
        throw Error(Error::Kind::Denied,
                    practice.person().name + " is neither a clinician nor an administrator: only they add instruments");
    const std::string text = read_text(file);
    const Instrument instrument = parse_file(file, text);
    for (const Instrument& shipped : shipped_instruments())
        if (shipped.id == instrument.id)
            throw Error(Error::Kind::Invalid, file.string() + ": id: '" + instrument.id +
                                                  "' is a shipped instrument's; give the practice's file another id");
    store::InstrumentFileRepository(db).add(text);
    return instrument;
}

// [SECTION] Measures

namespace {

// Measures are the case's own clinician's to enter and remove.
void require_clinician(OpenPractice& practice, const Case& c) {
    require_access(practice, c, CaseAccess::Reader);  // NotFound for a case not theirs to see
    if (case_access(practice, c) != CaseAccess::Clinician || !practice.holds(GrantRole::Clinician))
        throw Error(Error::Kind::Denied, practice.person().name + " is not the clinician of " + c.label +
                                             ": only the case's clinician enters its measures");
}

// Reading them: anyone who reads the case's notes (not a coder).
void require_reader(OpenPractice& practice, store::Database& db, RowId case_id) {
    const auto c = store::CaseRepository(db).get(case_id);
    if (!c) throw Error(Error::Kind::NotFound, "the case no longer exists");
    require_access(practice, *c, CaseAccess::Reader);
}

}  // namespace

namespace {

// `measure` checked against its instrument (core measure_error), an empty date made today's.
void check_against_instrument(store::Database& db, Measure& measure) {
    if (measure.date.empty()) measure.date = today_local_iso();
    const InstrumentCatalog catalog = detail::load_instrument_catalog(db);
    const Instrument* instrument = catalog.find(measure.instrument_id);
    if (!instrument) {
        std::string known;
        for (const Instrument& in : catalog.all())
            known += (known.empty() ? "" : ", ") + in.id;
        throw Error(Error::Kind::NotFound,
                    "there is no instrument '" + measure.instrument_id + "' (known: " + known + ")");
    }
    if (auto problem = measure_error(measure, *instrument)) throw Error(Error::Kind::Invalid, *problem);
}

}  // namespace

Measure add_measure(OpenPractice& practice, Measure measure) {
    store::Database& db = database_of(practice);
    const auto c = store::CaseRepository(db).get(measure.case_id);
    if (!c) throw Error(Error::Kind::NotFound, "the case no longer exists");
    require_clinician(practice, *c);
    check_against_instrument(db, measure);
    return store::MeasureRepository(db).add(std::move(measure));
}

Measure correct_measure(OpenPractice& practice, RowId measure_id, Measure corrected) {
    store::Database& db = database_of(practice);
    const auto m = store::MeasureRepository(db).get(measure_id);
    const auto c = m ? store::CaseRepository(db).get(m->case_id) : std::nullopt;
    if (!m || !c) throw Error(Error::Kind::NotFound, "the measure no longer exists");
    require_clinician(practice, *c);
    corrected.id = m->id;
    corrected.uuid = m->uuid;
    corrected.case_id = m->case_id;
    check_against_instrument(db, corrected);
    store::MeasureRepository(db).update(corrected);
    return *store::MeasureRepository(db).get(measure_id);
}

Measure find_measure(OpenPractice& practice, RowId case_id, Who partner, const std::string& instrument_id,
                     const std::string& date, std::optional<int> session_number) {
    store::Database& db = database_of(practice);
    require_reader(practice, db, case_id);
    std::vector<Measure> found;
    for (Measure& m : store::MeasureRepository(db).list_for_case(case_id))
        if (m.partner == partner && m.instrument_id == instrument_id && m.date == date &&
            (!session_number || m.session_number == session_number))
            found.push_back(std::move(m));
    const std::string named = "partner " + std::string(to_string(partner)) + "'s " + instrument_id + " of " + date +
                              (session_number ? " in session " + std::to_string(*session_number) : std::string());
    if (found.empty()) throw Error(Error::Kind::NotFound, "the case has no measure " + named);
    if (found.size() > 1) {
        std::string each;
        bool same_session = false;
        for (std::size_t i = 0; i < found.size(); ++i) {
            const Measure& m = found[i];
            const auto total = measure_total(m);
            each += (i ? "; " : "") +
                    (m.session_number ? "session " + std::to_string(*m.session_number) : std::string("no session")) +
                    ", total " + (total ? format_number(*total, 2) : std::string("none"));
            for (std::size_t j = 0; j < i; ++j)
                same_session = same_session || found[j].session_number == m.session_number;
        }
        throw Error(
            Error::Kind::Invalid,
            "the case has " + std::to_string(found.size()) + " measures " + named + " (" + each + "): " +
                (same_session ? "they differ in nothing else a measure is named by" : "say which by its session"));
    }
    return found.front();
}

void delete_measure(OpenPractice& practice, RowId measure_id) {
    store::Database& db = database_of(practice);
    const auto m = store::MeasureRepository(db).get(measure_id);
    const auto c = m ? store::CaseRepository(db).get(m->case_id) : std::nullopt;
    if (!m || !c) throw Error(Error::Kind::NotFound, "the measure no longer exists");
    require_clinician(practice, *c);
    store::MeasureRepository(db).remove(measure_id);
}

std::vector<Measure> list_measures(OpenPractice& practice, RowId case_id) {
    store::Database& db = database_of(practice);
    require_reader(practice, db, case_id);
    return in_date_order(store::MeasureRepository(db).list_for_case(case_id));
}

CaseMeasures case_measures(OpenPractice& practice, RowId case_id, const std::string& from, const std::string& to) {
    store::Database& db = database_of(practice);
    require_reader(practice, db, case_id);
    return detail::load_case_measures(db, case_id, from, to);
}

}  // namespace attune::services
