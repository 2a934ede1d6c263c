// last_press: the row under the partner selector. It shows the last press
// with its intensity and quote field; in quote mode (after ') the quote field
// alone, framed as a text field, with "Enter saves · Esc cancels" beside it;
// after a quote that ends in code keys ("2s4r"), the offer to log them.
//
// Why an offer rather than leaving quote mode on a digit: a quote may hold
// digits ("we fought 2 times"), so typing must stay typing until Enter or
// Esc; the keys a therapist typed by mistake are recognised afterwards
// (core/live_keys.h) and logged, at the moments they were typed, with one key.
#include <imgui.h>

#include <algorithm>

#include "core/live_keys.h"
#include "core/text.h"
#include "ui/keys.h"
#include "ui/session_parts.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {
namespace {

const char* const kHint = "After a press: Alt+1..3 intensity, ' to add a quote (Enter saves, Esc cancels).";

}  // namespace

void LastPress::pressed(RowId observation_id) {
    observation_id_ = observation_id;
    comment_.clear();
    typed_at_.clear();
    visible_ = true;
    focus_quote_ = false;
    offer_.reset();
}

void LastPress::hide() {
    visible_ = false;
    offer_.reset();
}

void LastPress::forget(RowId observation_id) {
    if (observation_id == observation_id_) hide();
}

void LastPress::focus_quote() {
    if (visible_) focus_quote_ = true;
}

const Observation* LastPress::observation(const LiveSession& live) const {
    if (observation_id_ == 0 || !visible_) return nullptr;
    for (const Observation& o : live.observations())
        if (o.id == observation_id_) return &o;
    return nullptr;
}

void LastPress::set_intensity(LiveSession& live, int value) const {
    const Observation* last = observation(live);
    if (!last) return;
    live.set_extras(last->id, value > 0 ? std::optional<int>(value) : std::nullopt, last->comment);
}

std::vector<LastPress::Press> LastPress::accept_offer(LiveSession& live) {
    std::vector<Press> presses;
    if (!offer_) return presses;
    if (offer_->quote_kept)
        for (const Observation& o : live.observations())
            if (o.id == offer_->observation_id) live.set_extras(o.id, o.intensity, *offer_->quote_kept);
    presses = std::move(offer_->presses);
    offer_.reset();
    return presses;
}

// Keeps typed_at_ one wall time per byte of comment_: an unchanged start keeps
// its times, whatever follows it was typed now.
void LastPress::note_typing(const std::string& before, double wall) {
    std::size_t same = 0;
    while (same < before.size() && same < comment_.size() && before[same] == comment_[same])
        ++same;
    typed_at_.resize(std::min(same, typed_at_.size()));
    while (typed_at_.size() < comment_.size())
        typed_at_.push_back(wall);
}

void LastPress::offer_codes_in(const LiveSession& live, const std::string& text, bool quote_saved) {
    const auto run = code_keys_at_end(text, live.scheme());
    if (!run) return;
    Offer offer;
    offer.observation_id = observation_id_;
    offer.keys = run->keys;
    if (quote_saved) offer.quote_kept = trim(text.substr(0, run->start));
    for (const TypedCode& typed : run->codes) {
        const double wall = typed.at < typed_at_.size() ? typed_at_[typed.at] : wall_clock_seconds();
        offer.presses.push_back({typed.who, typed.code, wall});
        offer.described +=
            (offer.described.empty() ? "" : ", ") + who_name(live.case_info(), typed.who) + ": " + typed.code->label;
    }
    offer_ = std::move(offer);
}

void LastPress::draw(LiveSession& live, double wall) {
    const Observation* last = observation(live);
    const float row = ImGui::GetFrameHeightWithSpacing();
    const bool quote_mode = last && (typing_ || focus_quote_);
    const float avail = ImGui::GetContentRegionAvail().x;
    // The last press's line with its quote field beside it when both fit; else
    // the line alone, the field coming with ' (quote mode). Only when even the
    // line alone does not fit (scale 2) does it take two lines: the pad below
    // does not move at the first press (issue 18 item 14).
    QuoteField field = QuoteField::None;
    if (last && !quote_mode) {
        const float line = last_line_width(live, *last);
        field = line + ImGui::GetFontSize() * 8.0f <= avail ? QuoteField::Beside
                : line <= avail                              ? QuoteField::None
                                                             : QuoteField::Below;
    }
    const bool two_lines = quote_mode || field == QuoteField::Below;
    float height = two_lines ? row * 2.1f : row * 1.1f;
    if (offer_)  // its sentence wraps: as high as it needs
        height = ImGui::CalcTextSize(offer_text().c_str(), nullptr, false, avail).y + row * 1.3f;
    else if (!last)  // so does the hint
        height = std::max(row * 1.1f, ImGui::CalcTextSize(kHint, nullptr, false, avail).y +
                                          ImGui::GetStyle().ItemSpacing.y * 2);
    ScopedColor background(ImGuiCol_ChildBg, quote_mode ? to_imvec4(with_alpha(palette::orange, 0.16f))
                                                        : ImGui::GetStyleColorVec4(ImGuiCol_ChildBg));
    ImGui::BeginChild("##extras", ImVec2(0, height), false, ImGuiWindowFlags_NoScrollbar);
    typing_ = false;
    if (offer_) {
        draw_offer();
    } else if (!last) {
        if (visible_ && observation_id_ == 0)
            ImGui::TextColored(readable_on_background(palette::vermillion), "Last press is not saved yet; retrying.");
        else
        {
            ScopedColor disabled(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
            ScopedWrap wrap(0.0f);
            ImGui::TextUnformatted(kHint);
        }
    } else {
        if (quote_mode)
            draw_quote_heading(live, *last);
        else
            draw_last(live, *last, field);
        if (quote_mode || field != QuoteField::None) draw_quote_field(live, *last, quote_mode, wall);
    }
    ImGui::EndChild();
}

float LastPress::last_line_width(LiveSession& live, const Observation& last) {
    const Code* code = live.code(last.code_id);
    const ImGuiStyle& style = ImGui::GetStyle();
    return ImGui::CalcTextSize(("Last: " + format_clock(last.t)).c_str()).x +
           chip_width(who_name(live.case_info(), last.who).c_str()) +
           ImGui::CalcTextSize(code ? code->label.c_str() : last.code_id.c_str()).x + button_width("1") * 3 +
           ImGui::CalcTextSize("Quote ('):").x + style.ItemSpacing.x * 7;
}

void LastPress::draw_last(LiveSession& live, const Observation& last, QuoteField field) {
    const Code* code = live.code(last.code_id);
    ImGui::AlignTextToFramePadding();
    ImGui::Text("Last: %s", format_clock(last.t).c_str());
    ImGui::SameLine();
    chip(who_name(live.case_info(), last.who).c_str(), who_color(last.who));
    ImGui::SameLine();
    ImGui::TextUnformatted(code ? code->label.c_str() : last.code_id.c_str());
    ImGui::SameLine();
    const int current = last.intensity.value_or(0);
    for (int i = 1; i <= 3; ++i) {
        {
            ScopedId id(i);
            const bool on = current == i;
            ScopedColor button(ImGuiCol_Button,
                               on ? to_imvec4(palette::blue) : ImGui::GetStyleColorVec4(ImGuiCol_Button));
            ScopedColor text(ImGuiCol_Text, on ? ImVec4(1, 1, 1, 1) : ImGui::GetStyleColorVec4(ImGuiCol_Text));
            if (ImGui::SmallButton(std::to_string(i).c_str())) set_intensity(live, on ? 0 : i);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Intensity %d (Alt+%d)", i, i);
        }
        ImGui::SameLine();
    }
    if (field == QuoteField::None) {
        ImGui::TextDisabled("' quote");  // the field comes with the key
        return;
    }
    ImGui::TextDisabled("Quote ('):");
    if (field == QuoteField::Beside) ImGui::SameLine();
}

// Quote mode's first line: whose words, and that the keys type text now.
void LastPress::draw_quote_heading(LiveSession& live, const Observation& last) {
    {
        ScopedFont bold(fonts().bold);
        ImGui::TextUnformatted("Quote");
    }
    ImGui::SameLine();
    ImGui::TextUnformatted(("for " + live.describe(last) + ": keys type text, no codes are logged").c_str());
}

void LastPress::draw_quote_field(LiveSession& live, const Observation& last, bool quote_mode, double wall) {
    if (focus_quote_) {
        ImGui::SetKeyboardFocusHere();
        focus_quote_ = false;
    }
    const char* hint = "Enter saves \xC2\xB7 Esc cancels";
    const float hint_width = ImGui::CalcTextSize(hint).x + ImGui::GetStyle().ItemSpacing.x;
    ImGui::SetNextItemWidth(quote_mode ? -hint_width : -1.0f);
    const std::string before = comment_;
    bool enter = false;
    {
        // In quote mode the field looks like what it is: a white box with a dark frame and a cursor.
        ScopedStyle border(ImGuiStyleVar_FrameBorderSize, quote_mode ? 2.0f : 1.0f);
        ScopedColor frame(ImGuiCol_Border, quote_mode ? ImGui::GetStyleColorVec4(ImGuiCol_Text)
                                                      : ImGui::GetStyleColorVec4(ImGuiCol_Border));
        ScopedColor field(ImGuiCol_FrameBg, quote_mode ? ImGui::GetStyleColorVec4(ImGuiCol_WindowBg)
                                                       : ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
        enter = input_text("##quote", comment_, ImGuiInputTextFlags_EnterReturnsTrue);
    }
    typing_ = ImGui::IsItemActive();
    const bool deactivated = ImGui::IsItemDeactivated();
    const bool deactivated_after_edit = ImGui::IsItemDeactivatedAfterEdit();
    if (quote_mode) {
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(hint);
    }
    // Escape first: ImGui has put the field back as it was, the times of what was typed are still there.
    if (!enter && deactivated && keys::pressed(keys::kEscape)) {
        // Cancelled: the press keeps the quote it had; keys typed in by mistake are still offered.
        visible_ = false;
        offer_codes_in(live, before, false);
        comment_ = last.comment;
        typed_at_.clear();
        return;
    }
    if (comment_ != before) note_typing(before, wall);
    if (enter) {
        live.set_extras(last.id, last.intensity, comment_);
        visible_ = false;
        offer_codes_in(live, comment_, true);
    } else if (deactivated_after_edit) {
        live.set_extras(last.id, last.intensity, comment_);
        offer_codes_in(live, comment_, true);
    }
}

std::string LastPress::offer_text() const {
    return "\"" + offer_->keys + "\" at the end of the quote looks like codes: " + offer_->described + ".";
}

void LastPress::draw_offer() {
    {
        ScopedWrap wrap(0.0f);
        ScopedColor text(ImGuiCol_Text, readable_on_background(palette::vermillion));
        ImGui::TextUnformatted(offer_text().c_str());
    }
    std::string keys_spaced;  // "2 s, 4 r"
    for (const char c : offer_->keys) {
        if (!keys_spaced.empty()) keys_spaced += who_for_digit(c) ? ", " : " ";
        keys_spaced += c;
    }
    const std::string accept = "Log " + keys_spaced + " as codes instead (Enter)";
    if (ImGui::Button(accept.c_str())) accept_clicked_ = true;
    ImGui::SameLine();
    if (ImGui::Button(offer_->quote_kept ? "Keep it as the quote (Esc)" : "Drop them (Esc)")) offer_.reset();
}

void LastPress::say(std::string text, Rgba color, double wall) {
    note_ = std::move(text);
    note_color_ = color;
    note_until_ = wall + kNoteSeconds;
}

double LastPress::note_due_in(double wall) const {
    return note_.empty() ? -1.0 : std::max(note_until_ - wall, 0.02);
}

void LastPress::draw_note(double wall) {
    if (!note_.empty() && wall >= note_until_) note_.clear();
    if (note_.empty()) {
        ImGui::Dummy(ImVec2(0, ImGui::GetTextLineHeight()));  // the pad stays where it is
        return;
    }
    ScopedFont bold(fonts().bold);
    ImGui::TextColored(readable_on_background(note_color_), "%s", note_.c_str());
}

}  // namespace attune::ui
