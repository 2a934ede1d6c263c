// session_note_text.cpp: the session note (DAP or SOAP), declared in export_text.h.
// Every section of the form is always present: an empty one says so, and an
// empty Assessment carries Attune's draft, marked as a draft (note_draft.h).
#include "core/text.h"
#include "formats/export_text.h"
#include "formats/note_draft.h"
#include "formats/text_document.h"

namespace attune::formats {

using namespace detail;

namespace {

std::vector<std::string> homework_lines(const std::vector<HomeworkItem>& items, bool with_status) {
    std::vector<std::string> out;
    for (const HomeworkItem& h : items) {
        if (!with_status)
            out.push_back(h.description);
        else if (!h.done)
            out.push_back(h.description + ": not yet checked");
        else
            out.push_back(h.description + (*h.done ? ": done" : ": not done"));
    }
    return out;
}

std::vector<std::string> ratings_and_stage(const SessionNoteData& data, bool stage, bool ratings) {
    std::vector<std::string> out;
    const Session& s = data.session;
    if (stage && s.eft_stage) {
        std::string text = "EFT stage " + std::to_string(*s.eft_stage);
        const std::string name = stage_name(*s.eft_stage);
        if (!name.empty()) text += " (" + name + ")";
        if (s.eft_step) text += ", step " + std::to_string(*s.eft_step);
        out.push_back(text + ".");
    } else if (stage && s.eft_step) {
        out.push_back("EFT step " + std::to_string(*s.eft_step) + ".");
    }
    if (ratings) {
        // Attunement is each partner's attunement to the other: said in words, never a bare "attunement".
        std::vector<std::string> attunement;
        if (s.ratings.attunement_a)
            attunement.push_back(partner_name(data.info, Who::A) + " " + std::to_string(*s.ratings.attunement_a) +
                                 "/10");
        if (s.ratings.attunement_b)
            attunement.push_back(partner_name(data.info, Who::B) + " " + std::to_string(*s.ratings.attunement_b) +
                                 "/10");
        std::vector<std::string> parts;
        if (!attunement.empty()) parts.push_back("attunement to partner, " + join(attunement, ", "));
        if (s.ratings.safety) parts.push_back("safety " + std::to_string(*s.ratings.safety) + "/10");
        if (!parts.empty()) out.push_back("End-of-session ratings: " + join(parts, "; ") + ".");
    }
    return out;
}

// The Assessment as written, as an accepted draft (marked so), or Attune's
// draft for an empty one (marked as a draft until the clinician edits or accepts it).
Block assessment_block(const SessionNoteData& data) {
    if (trim(data.note.assessment).empty()) return {kDraftLead, paragraphs(draft_assessment(data)), false};
    if (data.note.assessment_source == AssessmentSource::AcceptedDraft)
        return {kAcceptedDraftLead, paragraphs(data.note.assessment), false};
    return {"", paragraphs(data.note.assessment), false};
}

}  // namespace

std::string format_session_note(const SessionNoteData& data, NoteStyle style, TextFormat format) {
    const Case& c = data.info;
    const Session& s = data.session;
    Document doc;
    doc.title =
        "Session note: " + c.label + ", session " + std::to_string(s.number) + (s.date.empty() ? "" : ", " + s.date);
    std::string people = "Couple: " + partner_name(c, Who::A) + " and " + partner_name(c, Who::B);
    if (!c.clinician_name.empty()) people += "; clinician: " + c.clinician_name;
    doc.subtitle.push_back(people + ".");
    if (s.active_seconds > 0)
        doc.subtitle.push_back("Session length: " + format_minutes(s.active_seconds) + " (pauses excluded).");

    const Block pattern{"Observed in session (coded)", observed_pattern_lines(data), true};
    const std::string follow_up_lead =
        "Homework from session " + (data.previous_session_number ? std::to_string(*data.previous_session_number) : "") +
        " (follow-up)";
    const Block follow_up{follow_up_lead, homework_lines(data.homework_follow_up, true), true};
    const Block agreed{"Homework agreed", homework_lines(data.homework_agreed, false), true};
    const Block assessment = assessment_block(data);
    // A session that does not count says so beside its numbers (they carry no rates).
    const Block counting{"",
                         data.counting.counts ? std::vector<std::string>{}
                                              : std::vector<std::string>{not_counted_sentence(data.counting)},
                         false};

    if (style == NoteStyle::Dap) {
        doc.sections.push_back({"Data", {{"", paragraphs(data.note.data), false}, pattern, counting, follow_up}});
        doc.sections.push_back({"Assessment", {assessment, {"", ratings_and_stage(data, true, true), false}}});
        doc.sections.push_back({"Plan", {{"", paragraphs(data.note.plan), false}, agreed}});
    } else {
        // SOAP from DAP's Data: the clinician's own Data narrative is what the
        // couple brought and reported, so it is Subjective, together with their
        // report on last session's homework; what Attune coded and the
        // clinician's end-of-session ratings are observations, so Objective.
        doc.sections.push_back({"Subjective", {{"", paragraphs(data.note.data), false}, follow_up}});
        doc.sections.push_back({"Objective", {pattern, counting, {"", ratings_and_stage(data, false, true), false}}});
        doc.sections.push_back({"Assessment", {assessment, {"", ratings_and_stage(data, true, false), false}}});
        doc.sections.push_back({"Plan", {{"", paragraphs(data.note.plan), false}, agreed}});
    }
    // Every section of the form is there, even when nothing was written in it.
    for (Section& section : doc.sections) {
        bool empty = true;
        for (const Block& block : section.blocks)
            empty = empty && block.items.empty();
        if (empty) section.blocks.push_back({"", {"Nothing recorded."}, false});
    }
    doc.sections.push_back({"Signatures", {{"", sign_off_lines(data.sign_off), false}}});
    if (data.process_note) {
        doc.sections.push_back({"PRIVATE PROCESS NOTE (psychotherapy note, not part of the progress record)",
                                {{"", paragraphs(*data.process_note), false}}});
    }
    return render(doc, format);
}

}  // namespace attune::formats
