// audit_view.h: the audit trail window (Practice > Audit trail): who did what
// and when, newest first, filtered by action, person, kind of record, dates
// and text; and a check of the hash chain that names the first broken row.
// Rows are read when the window opens and when a filter changes, never per frame.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/records.h"
#include "ui/dialog.h"

namespace attune::ui {

class AppModel;

class AuditView final : public ToolWindow {
public:
    static constexpr int kRowLimit = 2000;

    explicit AuditView(AppModel& model) : ToolWindow("Audit trail", 70, 0.95f), model_(model) {}

    // For tests: what the window shows.
    const std::vector<AuditEntry>& rows() const { return rows_; }
    AuditFilter& filter() { return filter_; }
    // Re-reads the rows for the current filter.
    void reload();
    const std::optional<AuditVerification>& verification() const { return verification_; }
    void verify();

private:
    void on_open() override;
    bool can_show() override;
    void draw_content() override;
    bool filter_combo(const char* label, std::string& value, const std::vector<std::string>& choices);
    void draw_table();

    AppModel& model_;
    AuditFilter filter_;
    std::vector<std::string> actions_, actors_, entities_;
    std::array<char, 11> from_{}, to_{};
    std::array<char, 128> text_{};
    std::vector<AuditEntry> rows_;
    std::optional<AuditVerification> verification_;
    std::string date_error_;
};

}  // namespace attune::ui
