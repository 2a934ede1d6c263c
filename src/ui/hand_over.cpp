// hand_over: see hand_over.h.
#include "ui/hand_over.h"

#include <imgui.h>

#include <algorithm>

#include "core/error.h"
#include "core/measures.h"
#include "services/key_material.h"
#include "services/measures.h"
#include "ui/dialog.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace attune::ui {

void HandOverScreen::start() {
    started_ = true;
    saved_ = false;
    problem_.clear();
    wrong_.clear();
    passphrase_.wipe();
    checkin_.reset();
    model_.attempt([&] {
        const InstrumentCatalog catalog = services::instrument_catalog(model_.practice());
        if (const Instrument* found = catalog.find("checkin")) checkin_ = *found;
    });
    answers_.assign(checkin_ ? checkin_->items.size() : 0, -1);
}

void HandOverScreen::draw() {
    if (!model_.hand_over()) return;
    if (!started_) start();
    const AppModel::HandOver& h = *model_.hand_over();
    const float width = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 44.0f);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (ImGui::GetContentRegionAvail().x - width) / 2);
    ImGui::BeginChild("##handover", ImVec2(width, 0), false);
    {
        ScopedFont font(fonts().large);
        ImGui::TextUnformatted("Check-in");
    }
    if (!h.partner_name.empty()) ImGui::Text("For %s", h.partner_name.c_str());
    ImGui::Spacing();
    if (!checkin_) {
        ImGui::TextWrapped("The check-in could not be read. Please hand the laptop back to your therapist.");
    } else if (saved_) {
        ImGui::TextWrapped("Thank you. Your answers are saved. Please hand the laptop back to your therapist.");
    } else {
        draw_items();
    }
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextDisabled("For the therapist: your passphrase returns to the record.");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16.0f);
    const bool enter = secret_input("##passphrase", passphrase_, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    if (ImGui::Button("Return to the record") || enter) try_return();
    if (!wrong_.empty()) ImGui::TextColored(readable_on_background(palette::vermillion), "%s", wrong_.c_str());
    ImGui::EndChild();
}

void HandOverScreen::draw_items() {
    const Instrument& in = *checkin_;
    if (!in.instructions.empty()) {
        ScopedWrap wrap;
        ImGui::TextUnformatted(in.instructions.c_str());
    }
    ImGui::Spacing();
    for (std::size_t i = 0; i < in.items.size(); ++i) {
        ScopedId id(static_cast<int>(i + 1));
        {
            ScopedWrap wrap;
            ImGui::Text("%zu. %s", i + 1, in.items[i].text.c_str());
        }
        // One choice per scale point, labelled by the file's anchors (else the number).
        for (int score = static_cast<int>(in.items[i].min); score <= static_cast<int>(in.items[i].max); ++score) {
            std::string label = std::to_string(score);
            for (const ScaleAnchor& anchor : in.anchors)
                if (anchor.score == score) label += " " + anchor.label;
            if (score > static_cast<int>(in.items[i].min)) ImGui::SameLine();
            if (ImGui::RadioButton(label.c_str(), answers_[i] == score)) answers_[i] = score;
        }
        ImGui::Spacing();
    }
    const bool all = std::all_of(answers_.begin(), answers_.end(), [](int a) { return a >= 0; });
    {
        ScopedDisabled disabled(!all);
        if (ImGui::Button("Done")) save();
    }
    if (!all) {
        ImGui::SameLine();
        ImGui::TextDisabled("Choose one answer for each statement.");
    }
    if (!problem_.empty()) ImGui::TextColored(readable_on_background(palette::vermillion), "%s", problem_.c_str());
}

void HandOverScreen::save() {
    const AppModel::HandOver& h = *model_.hand_over();
    Measure m;
    m.case_id = h.case_id;
    m.partner = h.partner;
    m.instrument_id = checkin_->id;
    m.date = h.date;
    m.session_id = h.session_id;
    for (int answer : answers_)
        m.items.emplace_back(static_cast<double>(answer));
    problem_.clear();
    // Not model_.attempt: the message line is not shown here, and says nothing the partner should read.
    try {
        services::add_measure(model_.practice(), m);
        saved_ = true;
    } catch (const Error&) {
        problem_ = "Your answers could not be saved. Please hand the laptop back to your therapist.";
    }
}

void HandOverScreen::try_return() {
    bool right = false;
    {
        const services::KeyMaterial typed(passphrase_.view());
        passphrase_.wipe();  // the field's copy goes at once
        try {
            right = model_.practice().verify_passphrase(typed);
        } catch (const Error&) {
            right = false;
        }
    }
    if (!right) {
        wrong_ = "That is not the therapist's passphrase.";
        return;
    }
    const bool saved = saved_;
    const std::string name = model_.hand_over()->partner_name;
    model_.end_hand_over();
    started_ = false;
    model_.info(saved ? "Back from the check-in: " + name + "'s answers are saved."
                      : "Back from the check-in: nothing was saved.");
}

}  // namespace attune::ui
