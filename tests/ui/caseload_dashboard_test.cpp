// The caseload dashboard drawn headless on a demo caseload: the table shows
// the rows; sorting by a column and filtering by clinician change the rows
// shown; selecting a row opens the case trends view.
//
// The rows shown are found as a user would: moving the pointer down the
// table and noting which case's row is under it.
#include <imgui_internal.h>

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <map>
#include <thread>

#include "headless.h"
#include "services/caseload_summaries.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;

namespace {

struct DemoDashboard {
    test::TempDir dir;
    test::Headless ui{ImVec2(1600.0f, 900.0f)};
    std::vector<CaseSummary> cases;

    DemoDashboard() {
        auto practice = test::new_practice(dir / "demo.db", "correct horse", "Dr. Helen Sørensen");
        test::add_demo(*practice, 8, 5, 20);
        ui.shell().model().set_practice(std::move(practice));
        ui.shell().model().show_caseload();
        ui.settle();  // every row's flags and sparklines in, from the worker thread
        cases = ui.shell().model().cases();
    }

    // The case labels in the table, top to bottom: the pointer moves down the
    // Case column and each row's selectable reports itself as hovered.
    std::vector<std::string> shown_labels() {
        std::map<ImGuiID, std::string> rows;
        for (const CaseSummary& c : cases)
            rows[row_id(c)] = c.info.label;
        ImGuiWindow* table = window_named("/##cases_");
        REQUIRE(table != nullptr);
        const ImRect area = table->InnerClipRect;
        std::vector<std::string> labels;
        for (float y = area.Min.y + 2; y < area.Max.y; y += 4) {
            ui.move_mouse(ImVec2(area.Min.x + 20, y));
            ui.run_frames(1);
            const auto it = rows.find(ImGui::GetCurrentContext()->HoveredId);
            if (it != rows.end() && (labels.empty() || labels.back() != it->second)) labels.push_back(it->second);
        }
        ui.move_mouse(ImVec2(-1, -1));
        ui.run_frames(1);
        return labels;
    }

    ImGuiWindow* window_named(const std::string& part) {
        ImGuiWindow* best = nullptr;
        for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
            if (std::string(w->Name).find(part) != std::string::npos && w->Active &&
                (!best || std::string(w->Name).size() < std::string(best->Name).size()))
                best = w;
        return best;
    }

    // Hovers across `window` until item `id` is hovered; then clicks it.
    bool click_id(ImGuiWindow* window, ImGuiID id) {
        const ImRect area = window->InnerClipRect;
        for (float y = area.Min.y + 4; y < area.Max.y; y += 8)
            for (float x = area.Min.x + 4; x < area.Max.x; x += 16) {
                ui.move_mouse(ImVec2(x, y));
                ui.run_frames(1);
                if (ImGui::GetCurrentContext()->HoveredId == id) {
                    ui.click(ImVec2(x, y));
                    ui.run_frames(1);
                    return true;
                }
            }
        return false;
    }

    // The table's id, which its headers and rows are relative to.
    ImGuiID table_id() {
        ImGuiWindow* view = window_named("/##view_");
        REQUIRE(view != nullptr);
        return ImHashStr("##cases", 0, view->ID);
    }
    // TableHeadersRow pushes the column index before each header.
    bool click_header(const char* column, int column_index) {
        const ImGuiID in_column = ImHashData(&column_index, sizeof column_index, table_id());
        return click_id(window_named("/##cases_"), ImHashStr(column, 0, in_column));
    }
    // A row's selectable: its label under PushID(case id), in the table.
    ImGuiID row_id(const CaseSummary& c) {
        const int id = static_cast<int>(c.info.id);
        return ImHashStr(c.info.label.c_str(), 0, ImHashData(&id, sizeof id, table_id()));
    }
    bool click_row(const CaseSummary& c) { return click_id(window_named("/##cases_"), row_id(c)); }
};

std::vector<std::string> labels_of(const std::vector<CaseSummary>& cases) {
    std::vector<std::string> labels;
    for (const auto& c : cases)
        labels.push_back(c.info.label);
    return labels;
}

}  // namespace

TEST_CASE("the dashboard shows every demo case, sorted by label at first", "[ui][dashboard]") {
    DemoDashboard f;
    REQUIRE(f.cases.size() == 8);
    std::vector<std::string> by_label = labels_of(f.cases);
    std::sort(by_label.begin(), by_label.end());
    CHECK(f.shown_labels() == by_label);
}

TEST_CASE("sorting by clinician groups the rows by clinician, and a second click reverses", "[ui][dashboard]") {
    DemoDashboard f;
    REQUIRE(f.click_header("Clinician", 1));
    std::map<std::string, std::string> clinician_of;
    for (const auto& c : f.cases)
        clinician_of[c.info.label] = c.info.clinician_name;
    // Expected: clinicians ascending; within one clinician, the earlier order (by label) kept.
    std::vector<CaseSummary> expected = f.cases;
    std::stable_sort(expected.begin(), expected.end(),
                     [](const auto& a, const auto& b) { return a.info.label < b.info.label; });
    std::stable_sort(expected.begin(), expected.end(),
                     [](const auto& a, const auto& b) { return a.info.clinician_name < b.info.clinician_name; });
    const auto ascending = f.shown_labels();
    CHECK(ascending == labels_of(expected));
    REQUIRE(ascending.size() == 8);
    CHECK(clinician_of[ascending.front()] < clinician_of[ascending.back()]);

    REQUIRE(f.click_header("Clinician", 1));
    const auto descending = f.shown_labels();
    REQUIRE(descending.size() == 8);
    CHECK(clinician_of[descending.front()] == clinician_of[ascending.back()]);
    CHECK(clinician_of[descending.back()] == clinician_of[ascending.front()]);
}

TEST_CASE("filtering by one clinician shows only that clinician's cases", "[ui][dashboard]") {
    DemoDashboard f;
    const std::string clinician = f.cases.front().info.clinician_name;
    std::vector<std::string> theirs;
    for (const auto& c : f.cases)
        if (c.info.clinician_name == clinician) theirs.push_back(c.info.label);
    std::sort(theirs.begin(), theirs.end());
    REQUIRE(theirs.size() < f.cases.size());  // the demo spreads cases over clinicians

    const auto combo = f.ui.find_item("/##view_", {"##clinician"});
    REQUIRE(combo.has_value());
    f.ui.click(*combo);
    f.ui.run_frames(1);
    const auto entry = f.ui.find_item("##Combo_00", {clinician});
    REQUIRE(entry.has_value());
    f.ui.click(*entry);
    f.ui.run_frames(1);
    CHECK(f.shown_labels() == theirs);
}

TEST_CASE("selecting a row opens that case's trends", "[ui][dashboard]") {
    DemoDashboard f;
    const CaseSummary& third = f.cases[2];
    REQUIRE(f.click_row(third));
    CHECK(f.ui.shell().model().screen() == ui::Screen::CaseTrends);
    CHECK(f.ui.shell().model().current_case() == third.info.id);
}

// That no frame runs a query meanwhile is measured by attune-bench
// (caseload_view_cold.queries_per_frame_max, checked in tests/app/bench_test.cpp):
// counting statements needs the store, which the UI tests do not link.
TEST_CASE("on a cold metrics cache the rows come from the worker threads while frames go on", "[ui][dashboard]") {
    test::TempDir dir;
    test::Headless ui;
    auto practice = test::new_practice(dir / "cold.db", "correct horse", "Dr. Helen Sørensen");
    test::add_demo(*practice, 6, 4, 20);  // the demo writes no metrics: the cache is cold

    ui.shell().model().set_practice(std::move(practice));
    ui.shell().model().show_caseload();
    ui.run_frames(1);          // reads the case list once: it is new
    CHECK(ui.shell().busy());  // the worker is still opening its connection (key derivation)
    services::CaseloadSummaries& summaries = ui.shell().model().caseload_summaries();
    CHECK(summaries.total() == 6);
    CHECK(summaries.done() < 6);
    int frames = 0;
    while (ui.shell().busy() && frames < 20000) {
        ui.run_frames(1);
        ++frames;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK_FALSE(ui.shell().busy());
    CHECK(frames > 1);  // the window drew while the worker computed
    CHECK(summaries.done() == 6);
    CHECK_FALSE(summaries.take_error().has_value());
    CHECK(ui.shell().next_redraw_in() < 0);  // done: no more frames without input
}
