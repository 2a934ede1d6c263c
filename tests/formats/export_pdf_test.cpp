// The case-summary PDF for long cases and long names, read back through
// poppler: the per-session table paginates (more sessions, more pages, every
// session's row present, the header on every page), no word is drawn
// outside the page margins (pdftotext -bbox gives each word's box), and the
// charts are the trends view's (core/trend_charts.h), two to a row, bars drawn.
//
// Set ATTUNE_KEEP_PDF_DIR to a folder to keep the PDFs for looking at them
// (pdftoppm -r 60 -png FILE.pdf page).
#include "formats/export_pdf.h"

#include <algorithm>
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <sstream>

#include "core/palette.h"
#include "support/test_support.h"

using namespace attune;

namespace {

constexpr double kMargin = 56.0;  // export_pdf.cpp's page margin, in points

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

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
formats::CaseSummaryData long_case(int sessions, const std::string& label, const std::string& name_a,
                                   const std::string& name_b) {
    formats::CaseSummaryData data;
    Case& info = data.case_metrics.info;
    info.label = label;
    info.clinician_name = "Dr. Amara Okafor-Lindqvist, LMFT";
    info.start_date = date_of(0);
    info.goals = "Stay connected when the conversation turns to money, the in-laws and the move.";
    info.partner_a = {Who::A, name_a, "anxious", ""};
    info.partner_b = {Who::B, name_b, "avoidant", ""};
    for (int i = 0; i < sessions; ++i) {
        SessionWithMetrics row;
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

Rendered render(const test::TempDir& dir, const formats::CaseSummaryData& data, formats::PaperSize paper,
                const std::string& name) {
    const auto pdf = dir / (name + ".pdf");
    test::write_file(pdf, formats::case_summary_pdf(data, paper));
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
    for (const formats::PaperSize paper : {formats::PaperSize::A4, formats::PaperSize::Letter}) {
        const std::string paper_name = paper == formats::PaperSize::A4 ? "a4" : "letter";
        int previous_pages = 0;
        for (const int sessions : {5, 40, 120}) {
            INFO(paper_name << ", " << sessions << " sessions");
            const auto data = long_case(sessions, "Couple 017 (Maple)", "Zoë", "Дмитрий");
            const Rendered pdf = render(dir, data, paper, "long-" + paper_name + "-" + std::to_string(sessions));
            CHECK(pdf.pages > previous_pages);
            previous_pages = pdf.pages;
            // Every session's row: its date, once in the table (the charts label sessions "S<n>").
            for (int i = 0; i < sessions; ++i)
                CHECK(contains(pdf.text, date_of(i)));
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
    const std::string label =
        "Couple 042 (Ashgrove-Villeneuve, referred by the Hôpital Sainte-Justine family "
        "programme, second course of therapy after the 2024 separation)";
    const std::string name_a = "Maëlys-Éléonore Castañeda-Øvergård";
    const std::string name_b = "Иван Дмитриевич Кузнецов-Ширяев";
    const auto data = long_case(60, label, name_a, name_b);
    for (const formats::PaperSize paper : {formats::PaperSize::A4, formats::PaperSize::Letter}) {
        const double width = paper == formats::PaperSize::A4 ? 595.276 : 612.0;
        const double height = paper == formats::PaperSize::A4 ? 841.89 : 792.0;
        const std::string paper_name = paper == formats::PaperSize::A4 ? "a4" : "letter";
        INFO(paper_name);
        const Rendered pdf = render(dir, data, paper, "names-" + paper_name);
        CHECK(contains(pdf.text, "Maëlys-Éléonore"));
        CHECK(contains(pdf.text, "Кузнецов-Ширяев"));
        CHECK(contains(pdf.text, "Sainte-Justine"));
        // A heading never ends a page: "Trends" shares its page with the first chart.
        const std::string first_chart = formats::case_summary_charts(data).at(0).title;
        for (const std::string& page : pages_of(pdf.text))
            if (contains(page, "\nTrends\n")) CHECK(contains(page, first_chart));
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

// [SECTION] The charts on paper

namespace {

// Pixels of `color` (each channel within 2 of 0-255) on every page of the PDF,
// rendered by poppler's pdftoppm at 36 dpi.
long pixels_of_color(const test::TempDir& dir, const formats::CaseSummaryData& data, const std::string& name,
                     Rgba color) {
    const auto pdf = dir / (name + ".pdf");
    test::write_file(pdf, formats::case_summary_pdf(data, formats::PaperSize::A4));
    const auto pages = dir / (name + "-pages");
    std::filesystem::create_directories(pages);
    run_capture("pdftoppm -r 36 '" + pdf.string() + "' '" + (pages / "page").string() + "'", dir / "ppm.txt");
    const auto channel = [](float value) { return static_cast<int>(value * 255.0f + 0.5f); };
    const int want[] = {channel(color.r), channel(color.g), channel(color.b)};
    long count = 0;
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(pages)) {
        ++files;
        std::istringstream in(test::read_file(entry.path()));
        std::string magic;
        int width = 0, height = 0, max = 0;
        in >> magic >> width >> height >> max;
        in.get();  // the one whitespace byte before the pixels
        REQUIRE(magic == "P6");
        REQUIRE(max == 255);
        std::string pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3, '\0');
        in.read(pixels.data(), static_cast<std::streamsize>(pixels.size()));
        REQUIRE(in.gcount() == static_cast<std::streamsize>(pixels.size()));
        for (std::size_t i = 0; i + 2 < pixels.size(); i += 3) {
            bool match = true;
            for (std::size_t c = 0; c < 3; ++c)
                match = match && std::abs(static_cast<unsigned char>(pixels[i + c]) - want[c]) <= 2;
            if (match) ++count;
        }
    }
    REQUIRE(files > 0);
    return count;
}

}  // namespace

TEST_CASE("the PDF's charts place sessions in date order and label them by their numbers", "[export][pdf][charts]") {
    formats::CaseSummaryData data = long_case(3, "Couple 017 (Maple)", "Zoë", "Дмитрий");
    // Numbered against date order, as when an imported session came before the first one logged.
    data.case_metrics.sessions[0].session.number = 2;
    data.case_metrics.sessions[1].session.number = 1;
    const std::vector<ChartSpec> charts = formats::case_summary_charts(data);
    REQUIRE(charts.size() == 8);  // every chart of the trends view
    for (const ChartSpec& chart : charts) {
        INFO(chart.title);
        REQUIRE(chart.x_ticks.size() == 3);
        CHECK(chart.x_ticks[0].x == 1.0);
        CHECK(chart.x_ticks[0].label == "S2");
        CHECK(chart.x_ticks[1].x == 2.0);
        CHECK(chart.x_ticks[1].label == "S1");
        CHECK(chart.x_ticks[2].x == 3.0);
        CHECK(chart.x_ticks[2].label == "S3");
        for (const Series& series : chart.series)
            CHECK(series.x == std::vector<double>{1.0, 2.0, 3.0});
    }
    // Repair rate: 1 of 10, 2 of 11, 3 of 12 ruptures repaired, in date order.
    const Series& repair = charts[0].series.at(0);
    CHECK(*repair.y[0] == Catch::Approx(1.0 / 10));
    CHECK(*repair.y[1] == Catch::Approx(2.0 / 11));
    CHECK(*repair.y[2] == Catch::Approx(3.0 / 12));
}

TEST_CASE("the PDF draws its charts two to a row", "[export][pdf][charts]") {
    test::TempDir dir;
    const auto data = long_case(5, "Couple 017 (Maple)", "Zoë", "Дмитрий");
    const Rendered pdf = render(dir, data, formats::PaperSize::A4, "two-to-a-row");
    const auto boxes = word_boxes(pdf.bbox);
    // The first chart, "Repair rate (ruptures repaired)", and the second, "Median time to repair", side by side.
    const auto first = std::find_if(boxes.begin(), boxes.end(), [](const Box& b) { return b.word == "(ruptures"; });
    REQUIRE(first != boxes.end());
    CHECK(first->x_max < 595.276 / 2);
    const bool second_beside = std::any_of(boxes.begin(), boxes.end(), [&](const Box& b) {
        return b.word == "Median" && std::abs(b.y_min - first->y_min) < 1.0 && b.x_min > 595.276 / 2;
    });
    CHECK(second_beside);
}

TEST_CASE("the PDF draws the bars of the pursue-withdraw chart", "[export][pdf][charts]") {
    test::TempDir dir;
    auto data = long_case(5, "Couple 017 (Maple)", "Zoë", "Дмитрий");
    for (auto& s : data.case_metrics.sessions)
        s.metrics.pursue_withdraw_a_to_b = 0;
    const long without = pixels_of_color(dir, data, "no-bars", palette::partner_a);
    for (auto& s : data.case_metrics.sessions)
        s.metrics.pursue_withdraw_a_to_b = 3;
    const long with = pixels_of_color(dir, data, "bars", palette::partner_a);
    // Five bars in Zoë's colour, each several pixels wide and tens high at 36 dpi.
    CHECK(with - without > 300);
}
