// The case-summary PDF for long cases and long names, read back through
// poppler: the per-session table paginates (more sessions, more pages, every
// session's row present, the header on every page), and no word is drawn
// outside the page margins (pdftotext -bbox gives each word's box).
//
// Set ATTUNE_KEEP_PDF_DIR to a folder to keep the PDFs for looking at them
// (pdftoppm -r 60 -png FILE.pdf page).
#include "formats/export_pdf.h"
#include "support/test_support.h"

#include <catch2/catch_test_macros.hpp>

#include <cstdlib>
#include <regex>

using namespace attune;

namespace {

constexpr double kMargin = 56.0;  // export_pdf.cpp's page margin, in points

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string run_capture(const std::string& command, const std::filesystem::path& out) {
    const int rc = std::system((command + " > '" + out.string() + "' 2>&1").c_str());
    REQUIRE(rc == 0);
    return test::read_file(out);
}

// "2026-MM-DD" for session i (0-based): 28 days a month, so always a real date.
std::string date_of(int i) {
    const auto two_digits = [](int n) { return (n < 10 ? "0" : "") + std::to_string(n); };
    return "2026-" + two_digits(1 + i / 28) + "-" + two_digits(1 + i % 28);
}

// A case of `sessions` sessions with hand-set metrics: session i has 10 + i
// ruptures in 50 minutes, i % 5 + 1 repairs, and EFT stage 1, then 2, then 3.
io::CaseSummaryData long_case(int sessions, const std::string& label, const std::string& name_a,
                              const std::string& name_b) {
    io::CaseSummaryData data;
    Case& info = data.case_metrics.info;
    info.label = label;
    info.clinician_name = "Dr. Amara Okafor-Lindqvist, LMFT";
    info.start_date = date_of(0);
    info.goals = "Stay connected when the conversation turns to money, the in-laws and the move.";
    info.partner_a = {Who::A, name_a, "anxious"};
    info.partner_b = {Who::B, name_b, "avoidant"};
    for (int i = 0; i < sessions; ++i) {
        io::SessionWithMetrics row;
        row.session.number = i + 1;
        row.session.date = date_of(i);
        row.session.state = SessionState::Ended;
        row.session.active_seconds = 3000;
        row.session.eft_stage = 1 + (3 * i) / sessions;
        SessionMetrics& m = row.metrics;
        m.active_minutes = 50;
        m.rupture_total = 10 + i;
        m.rupture_rate_per_10min = 10.0 * m.rupture_total / 50.0;
        m.repairs = i % 5 + 1;
        m.repaired_ruptures = m.repairs;
        m.repair_rate = static_cast<double>(m.repaired_ruptures) / m.rupture_total;
        m.pos_neg_ratio = static_cast<double>(m.repairs) / m.rupture_total;
        m.median_time_to_repair_s = 30 + i;
        m.signals = 4;
        m.answered_signals = i % 5;
        m.answer_rate = m.answered_signals / 4.0;
        m.pursue_withdraw_a_to_b = i % 3;
        data.case_metrics.sessions.push_back(row);
    }
    return data;
}

struct Rendered {
    std::string text;  // pdftotext, pages separated by form feeds
    int pages = 0;
    std::string bbox;  // pdftotext -bbox: every word's box
};

Rendered render(const test::TempDir& dir, const io::CaseSummaryData& data, io::PaperSize paper,
                const std::string& name) {
    const auto pdf = dir / (name + ".pdf");
    test::write_file(pdf, io::case_summary_pdf(data, paper));
    if (const char* keep = std::getenv("ATTUNE_KEEP_PDF_DIR"))
        std::filesystem::copy_file(pdf, std::filesystem::path(keep) / (name + ".pdf"),
                                   std::filesystem::copy_options::overwrite_existing);
    Rendered out;
    out.text = run_capture("pdftotext -enc UTF-8 '" + pdf.string() + "' -", dir / "text.txt");
    const std::string info = run_capture("pdfinfo '" + pdf.string() + "'", dir / "info.txt");
    out.pages = std::stoi(info.substr(info.find("Pages:") + 6, 20));
    out.bbox = run_capture("pdftotext -enc UTF-8 -bbox '" + pdf.string() + "' -", dir / "bbox.html");
    return out;
}

std::vector<std::string> pages_of(const std::string& text) {
    std::vector<std::string> pages;
    std::size_t start = 0;
    for (std::size_t at = text.find('\f'); at != std::string::npos; at = text.find('\f', start)) {
        pages.push_back(text.substr(start, at - start));
        start = at + 1;
    }
    return pages;
}

struct Box {
    double x_min, y_min, x_max, y_max;
    std::string word;
};

std::vector<Box> word_boxes(const std::string& bbox) {
    static const std::regex word(
        R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>)re");
    std::vector<Box> boxes;
    for (auto it = std::sregex_iterator(bbox.begin(), bbox.end(), word); it != std::sregex_iterator(); ++it)
        boxes.push_back({std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]), std::stod((*it)[4]), (*it)[5]});
    return boxes;
}

}  // namespace

TEST_CASE("the session metrics table paginates: more sessions, more pages, every row and header present",
          "[export][pdf]") {
    test::TempDir dir;
    for (const io::PaperSize paper : {io::PaperSize::A4, io::PaperSize::Letter}) {
        const std::string paper_name = paper == io::PaperSize::A4 ? "a4" : "letter";
        int previous_pages = 0;
        for (const int sessions : {5, 40, 120}) {
            INFO(paper_name << ", " << sessions << " sessions");
            const auto data = long_case(sessions, "Couple 017 (Maple)", "Zoë", "Дмитрий");
            const Rendered pdf = render(dir, data, paper, "long-" + paper_name + "-" + std::to_string(sessions));
            CHECK(pdf.pages > previous_pages);
            previous_pages = pdf.pages;
            // Every session's row: its date, once in the table (the charts label sessions "S<n>").
            for (int i = 0; i < sessions; ++i) CHECK(contains(pdf.text, date_of(i)));
            // The last row's own cells: 10 + 119 = 129 ruptures at 25.8 per 10 min for 120 sessions.
            CHECK(contains(pdf.text, std::to_string(10 + sessions - 1)));
            const auto pages = pages_of(pdf.text);
            REQUIRE(static_cast<int>(pages.size()) == pdf.pages);
            for (std::size_t p = 0; p < pages.size(); ++p) {
                INFO("page " << p + 1);
                CHECK(contains(pages[p], "Attune case summary: Couple 017 (Maple)"));
                CHECK(contains(pages[p], date_of(0) + " to " + date_of(sessions - 1)));
                CHECK(contains(pages[p], "Page " + std::to_string(p + 1) + " of " + std::to_string(pdf.pages)));
            }
        }
    }
}

TEST_CASE("long labels and UTF-8 names stay inside the page margins", "[export][pdf]") {
    test::TempDir dir;
    const std::string label = "Couple 042 (Ashgrove-Villeneuve, referred by the Hôpital Sainte-Justine family "
                              "programme, second course of therapy after the 2024 separation)";
    const std::string name_a = "Maëlys-Éléonore Castañeda-Øvergård";
    const std::string name_b = "Иван Дмитриевич Кузнецов-Ширяев";
    const auto data = long_case(60, label, name_a, name_b);
    for (const io::PaperSize paper : {io::PaperSize::A4, io::PaperSize::Letter}) {
        const double width = paper == io::PaperSize::A4 ? 595.276 : 612.0;
        const double height = paper == io::PaperSize::A4 ? 841.89 : 792.0;
        const std::string paper_name = paper == io::PaperSize::A4 ? "a4" : "letter";
        INFO(paper_name);
        const Rendered pdf = render(dir, data, paper, "names-" + paper_name);
        CHECK(contains(pdf.text, "Maëlys-Éléonore"));
        CHECK(contains(pdf.text, "Кузнецов-Ширяев"));
        CHECK(contains(pdf.text, "Sainte-Justine"));
        // A heading never ends a page: "Trends" shares its page with the first chart.
        for (const std::string& page : pages_of(pdf.text))
            if (contains(page, "\nTrends\n")) CHECK(contains(page, "Repair rate per session"));
        CHECK(contains(pdf.text, "\nTrends\n"));
        const auto boxes = word_boxes(pdf.bbox);
        REQUIRE(boxes.size() > 500);
        for (const Box& box : boxes) {
            INFO("'" << box.word << "' at x " << box.x_min << "-" << box.x_max << ", y " << box.y_min << "-"
                     << box.y_max);
            CHECK(box.x_min >= kMargin - 1.0);
            CHECK(box.x_max <= width - kMargin + 1.0);
            CHECK(box.y_min >= 0.0);
            CHECK(box.y_max <= height - 20.0);
        }
    }
}
