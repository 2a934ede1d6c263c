#include "core/observation_text.h"

#include "core/text.h"

namespace attune {

std::string who_display_name(const Case& c, Who who) {
    switch (who) {
        case Who::A:
            return c.partner_a.display_name.empty() ? "Partner A" : c.partner_a.display_name;
        case Who::B:
            return c.partner_b.display_name.empty() ? "Partner B" : c.partner_b.display_name;
        case Who::Both:
            return "Both partners";
        case Who::Therapist:
            return "Therapist";
    }
    return "";
}

std::string describe_observation(const Observation& o, const CodingScheme& scheme, const Case& c) {
    const Code* code = scheme.find(o.code_id);
    std::string text =
        who_display_name(c, o.who) + ": " + (code ? code->label : o.code_id) + " at " + format_clock(o.t);
    if (o.stop) text += " to " + format_clock(*o.stop);
    if (o.intensity) text += ", intensity " + std::to_string(*o.intensity);
    return text;
}

}  // namespace attune
