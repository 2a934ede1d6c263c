#include "core/model.h"

#include <algorithm>
#include <cctype>

#include "core/scheme.h"

#include <array>
#include <utility>

namespace attune {
namespace {

// Maps an enum to its stable text id and back through one table per enum.
template <typename Enum, size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
    for (const auto& [e, name] : table)
        if (e == value) return name;
    return {};
}

template <typename Enum, size_t N>
std::optional<Enum> parse_from(const std::array<std::pair<Enum, std::string_view>, N>& table,
                               std::string_view text) {
    const std::string key = normalize_key(text);
    for (const auto& [e, name] : table)
        if (name == key) return e;
    return std::nullopt;
}

constexpr std::array<std::pair<Who, std::string_view>, 4> kWho{{
    {Who::A, "A"}, {Who::B, "B"}, {Who::Both, "both"}, {Who::Therapist, "therapist"}}};
constexpr std::array<std::pair<Polarity, std::string_view>, 4> kPolarity{{
    {Polarity::Rupture, "rupture"}, {Polarity::Signal, "signal"},
    {Polarity::Repair, "repair"}, {Polarity::Intervention, "intervention"}}};
constexpr std::array<std::pair<CycleRole, std::string_view>, 3> kCycleRole{{
    {CycleRole::None, "none"}, {CycleRole::Pursue, "pursue"}, {CycleRole::Withdraw, "withdraw"}}};
constexpr std::array<std::pair<EventKind, std::string_view>, 2> kEventKind{{
    {EventKind::Point, "point"}, {EventKind::State, "state"}}};
constexpr std::array<std::pair<CaseStatus, std::string_view>, 3> kCaseStatus{{
    {CaseStatus::Active, "active"}, {CaseStatus::Paused, "paused"}, {CaseStatus::Closed, "closed"}}};
constexpr std::array<std::pair<SessionState, std::string_view>, 3> kSessionState{{
    {SessionState::Running, "running"}, {SessionState::Paused, "paused"}, {SessionState::Ended, "ended"}}};
constexpr std::array<std::pair<PersonRole, std::string_view>, 3> kPersonRole{{
    {PersonRole::Clinician, "clinician"}, {PersonRole::Supervisor, "supervisor"},
    {PersonRole::Coder, "coder"}}};
constexpr std::array<std::pair<AssessmentSource, std::string_view>, 2> kAssessmentSource{
    {{AssessmentSource::Clinician, "clinician"}, {AssessmentSource::AcceptedDraft, "accepted_draft"}}};

}  // namespace

std::string_view to_string(Who who) { return name_of(kWho, who); }
std::optional<Who> parse_who(std::string_view text) {
    const std::string key = normalize_key(text);
    if (key == "a") return Who::A;
    if (key == "b") return Who::B;
    return parse_from(kWho, text);
}
Who other_partner(Who who) {
    if (who == Who::A) return Who::B;
    if (who == Who::B) return Who::A;
    return who;
}

std::string_view to_string(Polarity polarity) { return name_of(kPolarity, polarity); }

std::string_view polarity_words(Polarity polarity) {
    switch (polarity) {
        case Polarity::Rupture:
            return "rupture";
        case Polarity::Signal:
            return "attachment signal";
        case Polarity::Repair:
            return "repair";
        case Polarity::Intervention:
            return "therapist move";
    }
    return "code";
}
std::optional<Polarity> parse_polarity(std::string_view text) { return parse_from(kPolarity, text); }
std::string_view to_string(CycleRole role) { return name_of(kCycleRole, role); }
std::optional<CycleRole> parse_cycle_role(std::string_view text) { return parse_from(kCycleRole, text); }
std::string_view to_string(EventKind kind) { return name_of(kEventKind, kind); }
std::optional<EventKind> parse_event_kind(std::string_view text) { return parse_from(kEventKind, text); }
std::string_view to_string(CaseStatus status) { return name_of(kCaseStatus, status); }
std::optional<CaseStatus> parse_case_status(std::string_view text) { return parse_from(kCaseStatus, text); }
std::string_view to_string(SessionState state) { return name_of(kSessionState, state); }
std::optional<SessionState> parse_session_state(std::string_view text) {
    return parse_from(kSessionState, text);
}
std::string_view to_string(PersonRole role) { return name_of(kPersonRole, role); }
std::optional<PersonRole> parse_person_role(std::string_view text) { return parse_from(kPersonRole, text); }
bool same_person_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}
std::string_view to_string(AssessmentSource source) {
    return name_of(kAssessmentSource, source);
}
std::optional<AssessmentSource> parse_assessment_source(std::string_view text) {
    return parse_from(kAssessmentSource, text);
}

bool is_valid_cycle_position(std::string_view text) {
    return text.empty() || text == "pursuer" || text == "withdrawer";
}

bool is_valid_attachment_style(std::string_view text) {
    return text.empty() || text == "secure" || text == "anxious" || text == "avoidant" ||
           text == "disorganized" || text == "unclear";
}

}  // namespace attune
