// live_timeline: the last few minutes as three lanes, and the list of the
// latest observations with Edit and Delete.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "core/text.h"
#include "ui/clock_field.h"
#include "ui/dialog.h"
#include "ui/session_parts.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

constexpr double kWindowSeconds = 300.0;  // what the timeline shows: the last 5 minutes

std::string intensity_text(const std::optional<int>& intensity) {
    return intensity ? std::to_string(*intensity) : std::string();
}

}  // namespace

// [SECTION] Timeline

void draw_live_timeline(const LiveSession& live, double now_seconds, float height) {
    const Case& case_info = live.case_info();
    const float px = ui_scale();  // strokes and marks stay as heavy on a HiDPI screen
    const float label_width = ImGui::GetFontSize() * 6.0f;
    const float axis_height = ImGui::GetTextLineHeight() + 4.0f;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = std::max(ImGui::GetContentRegionAvail().x, label_width + 50.0f);
    const float lane_height = std::max((height - axis_height) / 3.0f, 12.0f);
    ImGui::InvisibleButton("##timeline", ImVec2(width, lane_height * 3 + axis_height));
    const bool hovered = ImGui::IsItemHovered();
    const ImVec2 mouse = ImGui::GetIO().MousePos;

    ImDrawList* draw = ImGui::GetWindowDrawList();
    const double t_end = std::max(now_seconds, kWindowSeconds);
    const double t_begin = t_end - kWindowSeconds;
    const float x0 = origin.x + label_width;
    const float x1 = origin.x + width - 4.0f;
    const auto x_of = [&](double t) {
        return x0 + static_cast<float>((std::clamp(t, t_begin, t_end) - t_begin) / kWindowSeconds) * (x1 - x0);
    };

    const Who lanes[] = {Who::A, Who::B, Who::Therapist};
    for (int lane = 0; lane < 3; ++lane) {
        const float top = origin.y + static_cast<float>(lane) * lane_height;
        draw->AddRectFilled(ImVec2(x0, top + 1), ImVec2(x1, top + lane_height - 1),
                            to_imgui(with_alpha(who_color(lanes[lane]), 0.07f)));
        draw->AddText(ImVec2(origin.x, top + (lane_height - ImGui::GetTextLineHeight()) * 0.5f),
                      ImGui::GetColorU32(readable_on_background(who_color(lanes[lane]))),
                      who_name(case_info, lanes[lane]).c_str());
    }
    // Axis: a tick every minute, labelled with the session clock; a label
    // that would touch the one before it is left out (a narrow or scaled
    // window: issue 18 item 14).
    const float axis_y = origin.y + 3 * lane_height;
    draw->AddLine(ImVec2(x0, axis_y), ImVec2(x1, axis_y), to_imgui(palette::axis));
    float last_label_end = -1e9f;
    for (double t = std::ceil(t_begin / 60.0) * 60.0; t <= t_end + 1e-6; t += 60.0) {
        const float x = x_of(t);
        draw->AddLine(ImVec2(x, origin.y), ImVec2(x, axis_y + 3), to_imgui(palette::grid));
        const std::string text = format_clock(t);
        const float text_width = ImGui::CalcTextSize(text.c_str()).x;
        const float left = std::min(x - text_width * 0.5f, x1 - text_width);
        if (left < last_label_end + ImGui::GetFontSize() * 0.5f) continue;
        draw->AddText(ImVec2(left, axis_y + 2), ImGui::GetColorU32(ImGuiCol_TextDisabled), text.c_str());
        last_label_end = left + text_width;
    }

    // Observations, clipped to the window (the list is in time order).
    const auto& observations = live.observations();
    const Observation* tooltip = nullptr;
    for (const Observation& o : observations) {
        const double stop = o.kind == EventKind::State ? o.stop.value_or(now_seconds) : o.t;
        if (stop < t_begin || o.t > t_end) continue;
        const Code* code = live.code(o.code_id);
        const ImU32 color = to_imgui(code ? code_color(*code) : palette::rupture);
        for (int lane = 0; lane < 3; ++lane) {
            const bool on_lane = o.who == lanes[lane] || (o.who == Who::Both && lane < 2);
            if (!on_lane) continue;
            const float top = origin.y + static_cast<float>(lane) * lane_height;
            ImVec2 a;
            ImVec2 b;
            if (o.kind == EventKind::State) {
                a = ImVec2(x_of(o.t), top + lane_height * 0.3f);
                b = ImVec2(std::max(x_of(stop), a.x + 3.0f * px), top + lane_height * 0.7f);
                draw->AddRectFilled(a, b, color, 3.0f * px);
                if (!o.stop) draw->AddRect(a, b, to_imgui(palette::highlight), 3.0f * px, 0, px);  // still running
            } else {
                const float x = x_of(o.t);
                a = ImVec2(x - 1.5f * px, top + lane_height * 0.15f);
                b = ImVec2(x + 1.5f * px, top + lane_height * 0.85f);
                draw->AddRectFilled(a, b, color);
                draw->AddCircleFilled(ImVec2(x, top + lane_height * 0.5f), 4.0f * px, color);
            }
            if (hovered && mouse.x >= a.x - 4 && mouse.x <= b.x + 4 && mouse.y >= top && mouse.y < top + lane_height)
                tooltip = &o;
        }
    }
    // Now: a line at the right edge of the data.
    const float now_x = x_of(now_seconds);
    draw->AddLine(ImVec2(now_x, origin.y), ImVec2(now_x, axis_y), to_imgui(palette::highlight), 1.5f * px);
    if (tooltip) {
        const Code* code = live.code(tooltip->code_id);
        ImGui::BeginTooltip();
        ImGui::Text("%s  %s  %s", format_clock(tooltip->t).c_str(), who_name(case_info, tooltip->who).c_str(),
                    code ? code->label.c_str() : tooltip->code_id.c_str());
        if (!tooltip->comment.empty()) ImGui::TextDisabled("\"%s\"", tooltip->comment.c_str());
        ImGui::EndTooltip();
    }
}

// [SECTION] Observation list

void ObservationList::draw(LiveSession& live, float height, bool sealed) {
    const auto& observations = live.observations();
    const auto* pending = live.pending();
    const int pending_rows = pending ? static_cast<int>(pending->size()) : 0;
    const int rows = pending_rows + static_cast<int>(observations.size());
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY;
    const float em = ImGui::GetFontSize();
    const ImGuiStyle& style = ImGui::GetStyle();
    const float actions = std::max(ImGui::CalcTextSize("EditDelete").x + style.FramePadding.x * 4 + style.ItemSpacing.x,
                                   ImGui::CalcTextSize("not saved yet").x);
    // Narrow (a small window, scale 2, or the split dragged): who and code
    // share a column and the intensity and quote follow the code, so that
    // the code is read whole and Edit and Delete stay in view (issue 18 item 14).
    const bool compact = ImGui::GetContentRegionAvail().x < em * 38.0f;
    if (rows == 0) {
        ImGui::TextDisabled("No observations yet: choose who (1-4), then press a code's letter.");
    } else if (ImGui::BeginTable(compact ? "##observations_narrow" : "##observations", compact ? 3 : 6, flags,
                                 ImVec2(0, height))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        // Compact: the start only (past an hour, h:mm:ss); the range on hover.
        ImGui::TableSetupColumn("Time", ImGuiTableColumnFlags_WidthFixed,
                                compact ? ImGui::CalcTextSize("0:00:00").x : em * 5.5f);
        if (compact) {
            ImGui::TableSetupColumn("Who, code", ImGuiTableColumnFlags_WidthStretch);
        } else {
            ImGui::TableSetupColumn("Who", ImGuiTableColumnFlags_WidthFixed, em * 4.5f);
            // Both wrap: the code a little wider (a label is what one reads here),
            // the quote wide enough not to stand a word a line.
            ImGui::TableSetupColumn("Code", ImGuiTableColumnFlags_WidthStretch, 1.4f);
            ImGui::TableSetupColumn("Int.", ImGuiTableColumnFlags_WidthFixed, em * 2.0f);
            ImGui::TableSetupColumn("Quote", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        }
        // As wide as its two small buttons, so that the code keeps the rest.
        ImGui::TableSetupColumn("##actions", ImGuiTableColumnFlags_WidthFixed, actions);
        ImGui::TableHeadersRow();
        // Every row, not a clipper's window of them: labels and quotes wrap, so
        // rows differ in height (a session's few hundred rows draw in well
        // under a millisecond; attune-bench's live frames measure it).
        {
            for (int row = 0; row < rows; ++row) {
                // Newest first: presses not saved yet, then the saved ones from the end.
                const bool is_pending = row < pending_rows;
                const Observation& o =
                    is_pending ? (*pending)[static_cast<size_t>(pending_rows - 1 - row)].observation
                               : observations[observations.size() - 1 - static_cast<size_t>(row - pending_rows)];
                const Code* code = live.code(o.code_id);
                {
                    ScopedId id(row);
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    if (o.kind == EventKind::State && !compact) {
                        ImGui::Text("%s-%s", format_clock(o.t).c_str(), o.stop ? format_clock(*o.stop).c_str() : "");
                    } else {
                        ImGui::TextUnformatted(format_clock(o.t).c_str());
                    }
                    // Past an hour the range is wider than its column: whole on hover.
                    if (o.kind == EventKind::State && ImGui::IsItemHovered()) {
                        if (o.stop)
                            ImGui::SetTooltip("from %s to %s", format_clock(o.t).c_str(), format_clock(*o.stop).c_str());
                        else
                            ImGui::SetTooltip("from %s, still running", format_clock(o.t).c_str());
                    }
                    ImGui::TableNextColumn();
                    ImGui::TextColored(readable_on_background(who_color(o.who)), "%s",
                                       who_name(live.case_info(), o.who).c_str());
                    if (compact) ImGui::SameLine();
                    else
                        ImGui::TableNextColumn();
                    const char* label = code ? code->label.c_str() : o.code_id.c_str();
                    {
                        // The label wraps inside its column: read whole at any width.
                        ScopedWrap wrap(0.0f);
                        ImGui::TextColored(readable_on_background(code ? code_color(*code) : palette::rupture), "%s",
                                           label);
                    }
                    if (compact) {
                        // After a label that wrapped, its marks go on a line of their own.
                        bool one_line = ImGui::GetItemRectSize().y < ImGui::GetTextLineHeight() * 1.5f;
                        const auto mark_after = [&](float width) {
                            if (one_line) same_line_if_fits(width);
                            one_line = true;
                        };
                        // The intensity and a mark for a quote after the code; the quote on hover.
                        if (o.intensity) {
                            const std::string text = "(" + intensity_text(o.intensity) + ")";
                            mark_after(ImGui::CalcTextSize(text.c_str()).x);
                            ImGui::TextDisabled("%s", text.c_str());
                        }
                        if (!o.comment.empty()) {
                            mark_after(ImGui::CalcTextSize("\"...\"").x);
                            ImGui::TextDisabled("\"...\"");
                            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", o.comment.c_str());
                        }
                    } else {
                        ImGui::TableNextColumn();
                        ImGui::TextUnformatted(intensity_text(o.intensity).c_str());
                        ImGui::TableNextColumn();
                        ScopedWrap wrap(0.0f);
                        ImGui::TextUnformatted(o.comment.c_str());
                    }
                    ImGui::TableNextColumn();
                    if (is_pending) {
                        ImGui::TextColored(readable_on_background(palette::vermillion), "not saved yet");
                    } else if (sealed) {
                        ImGui::TextDisabled("sealed");
                    } else {
                        if (ImGui::SmallButton("Edit")) {
                            editing_ = o;
                            time_field_ = {};
                            stop_field_ = {};
                            edit_comment_ = o.comment;
                            edit_intensity_ = o.intensity.value_or(0);
                            edit_dialog_.open();
                        }
                        ImGui::SameLine();
                        if (ImGui::SmallButton("Delete")) {
                            deleting_ = o;
                            delete_dialog_.open();
                        }
                    }
                }
            }
        }
        ImGui::EndTable();
    }
    live_ = &live;  // the dialogs below draw from this frame's session
    edit_dialog_.draw();
    delete_dialog_.draw();
}

void ObservationList::draw_edit_content(LiveSession& live, ViewModal& dialog) {
    const float field = ImGui::GetFontSize() * 16.0f;
    // Times read and typed as minutes:seconds, like everywhere else.
    focus_here_on_appearing();
    input_clock("Time", editing_.t, time_field_, 16.0f);
    if (editing_.kind == EventKind::State && editing_.stop) {
        double stop = *editing_.stop;
        if (input_clock("Stop", stop, stop_field_, 16.0f)) editing_.stop = std::max(stop, editing_.t);
        if (*editing_.stop < editing_.t) editing_.stop = editing_.t;
    }
    const Who all[] = {Who::A, Who::B, Who::Both, Who::Therapist};
    ImGui::SetNextItemWidth(field);
    if (ImGui::BeginCombo("Who", who_name(live.case_info(), editing_.who).c_str())) {
        for (Who who : all)
            if (ImGui::Selectable(who_name(live.case_info(), who).c_str(), who == editing_.who)) editing_.who = who;
        ImGui::EndCombo();
    }
    const Code* current = live.code(editing_.code_id);
    ImGui::SetNextItemWidth(field);
    if (ImGui::BeginCombo("Code", current ? current->label.c_str() : editing_.code_id.c_str())) {
        // Only codes of the same kind: a point cannot become a state with no stop.
        for (const Code& c : live.scheme().codes)
            if (c.kind == editing_.kind && ImGui::Selectable(c.label.c_str(), c.id == editing_.code_id))
                editing_.code_id = c.id;
        ImGui::EndCombo();
    }
    ImGui::SetNextItemWidth(field);
    ImGui::Combo("Intensity", &edit_intensity_,
                 "none\0"
                 "1 (mild)\0"
                 "2 (clear)\0"
                 "3 (strong)\0");
    ImGui::SetNextItemWidth(field * 1.5f);
    input_text("Quote / comment", edit_comment_);
    const bool save = dialog_button("Save");
    ImGui::SameLine();
    if (dialog_button("Cancel")) {
        dialog.finish();
    } else if (save || enter_confirms()) {
        editing_.comment = edit_comment_;
        editing_.intensity = edit_intensity_ > 0 ? std::optional<int>(edit_intensity_) : std::nullopt;
        live.update_observation(editing_);
        dialog.finish();
    }
}

void ObservationList::draw_delete_content(LiveSession& live, ViewModal& dialog) {
    const Code* code = live.code(deleting_.code_id);
    ImGui::Text("%s  %s  %s", format_clock(deleting_.t).c_str(), who_name(live.case_info(), deleting_.who).c_str(),
                code ? code->label.c_str() : deleting_.code_id.c_str());
    ImGui::TextDisabled("It is kept in the audit log and no longer counts in any metric.");
    const bool remove = dialog_button("Delete");
    ImGui::SameLine();
    if (dialog_button("Cancel")) {
        dialog.finish();
    } else if (remove || enter_confirms()) {
        live.delete_observation(deleting_.id);
        dialog.finish();
    }
}

}  // namespace attune::ui
