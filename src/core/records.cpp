#include "core/records.h"

#include <algorithm>

namespace attune {

std::string_view to_string(SignatureRole role) { return role == SignatureRole::Sign ? "sign" : "cosign"; }

BundleCounts& BundleCounts::operator+=(const BundleCounts& o) {
    cases += o.cases;
    sessions += o.sessions;
    observations += o.observations;
    progress_notes += o.progress_notes;
    process_notes += o.process_notes;
    homework += o.homework;
    signatures += o.signatures;
    addenda += o.addenda;
    comments += o.comments;
    measures += o.measures;
    ratings += o.ratings;
    decisions += o.decisions;
    pauses += o.pauses;
    recordings += o.recordings;
    excerpts += o.excerpts;
    return *this;
}

void add_import_part(BundleImportReport& whole, const BundleImportReport& part, bool first) {
    if (first) {
        whole = part;
        return;
    }
    whole.in_bundle += part.in_bundle;
    whole.created += part.created;
    whole.updated += part.updated;
    whole.conflicted += part.conflicted;
    whole.conflicts.insert(whole.conflicts.end(), part.conflicts.begin(), part.conflicts.end());
    whole.people_created += part.people_created;
}

std::string counts_text(const BundleCounts& n) {
    return std::to_string(n.cases) + " cases, " + std::to_string(n.sessions) + " sessions, " +
           std::to_string(n.observations) + " observations, " + std::to_string(n.progress_notes) + " progress notes, " +
           std::to_string(n.process_notes) + " private notes, " + std::to_string(n.homework) + " homework, " +
           std::to_string(n.signatures) + " signatures, " + std::to_string(n.addenda) + " addenda, " +
           std::to_string(n.comments) + " comments, " + std::to_string(n.measures) + " measures, " +
           std::to_string(n.ratings) + " ratings, " + std::to_string(n.decisions) + " change-event decisions, " +
           std::to_string(n.pauses) + " pauses, " + std::to_string(n.recordings) + " recordings, " +
           std::to_string(n.excerpts) + " excerpts";
}

std::vector<BundleChange> bundle_changes(const BundleImportReport& r) {
    const auto row = [](const char* kind, int in_bundle, int added, int changed, int conflicts) {
        BundleChange c;
        c.kind = kind;
        c.added = added;
        c.changed = changed;
        c.conflicts = conflicts;
        c.unchanged = std::max(0, in_bundle - added - changed - conflicts);
        return c;
    };
    return {row("cases", r.in_bundle.cases, r.created.cases, r.updated.cases, r.conflicted.cases),
            row("sessions", r.in_bundle.sessions, r.created.sessions, r.updated.sessions, r.conflicted.sessions),
            row("observations", r.in_bundle.observations, r.created.observations, r.updated.observations,
                r.conflicted.observations),
            row("progress notes", r.in_bundle.progress_notes, r.created.progress_notes, r.updated.progress_notes,
                r.conflicted.progress_notes),
            row("private notes", r.in_bundle.process_notes, r.created.process_notes, r.updated.process_notes,
                r.conflicted.process_notes),
            row("measures", r.in_bundle.measures, r.created.measures, r.updated.measures, r.conflicted.measures),
            row("second raters' ratings", r.in_bundle.ratings, r.created.ratings, r.updated.ratings,
                r.conflicted.ratings),
            row("change-event decisions", r.in_bundle.decisions, r.created.decisions, r.updated.decisions,
                r.conflicted.decisions),
            row("pauses of the clock", r.in_bundle.pauses, r.created.pauses, r.updated.pauses, r.conflicted.pauses),
            row("recordings (their links, not their files)", r.in_bundle.recordings, r.created.recordings,
                r.updated.recordings, r.conflicted.recordings),
            row("excerpts", r.in_bundle.excerpts, r.created.excerpts, r.updated.excerpts, r.conflicted.excerpts),
            // An import never changes a person who is here already.
            row("people", r.people_in_bundle, r.people_created, 0, 0)};
}

std::string change_text(const BundleChange& c) {
    std::string text = c.kind + ": " + std::to_string(c.added) + " new, " + std::to_string(c.changed) + " changed, " +
                       std::to_string(c.unchanged) + " unchanged";
    if (c.conflicts > 0)
        text += ", " + std::to_string(c.conflicts) + (c.conflicts == 1 ? " conflict" : " conflicts") + " kept as here";
    return text;
}

std::string_view to_string(NoteVersion::How how) {
    switch (how) {
        case NoteVersion::How::Edited: return "edited";
        case NoteVersion::How::AcceptedDraft: return "accepted_draft";
        case NoteVersion::How::Imported: return "imported";
        case NoteVersion::How::BeforeHistory: return "before_history";
    }
    return "edited";
}

std::optional<NoteVersion::How> parse_note_version_how(std::string_view text) {
    for (const NoteVersion::How how : {NoteVersion::How::Edited, NoteVersion::How::AcceptedDraft,
                                       NoteVersion::How::Imported, NoteVersion::How::BeforeHistory})
        if (to_string(how) == text) return how;
    return std::nullopt;
}

std::string note_version_title(const NoteVersion& v) {
    std::string text = "version " + std::to_string(v.number) + ", " + v.saved_at + ", ";
    switch (v.how) {
        case NoteVersion::How::Edited: return text + v.author;
        case NoteVersion::How::AcceptedDraft: return text + v.author + " (Attune's draft accepted)";
        case NoteVersion::How::Imported: return text + "imported from a bundle by " + v.author;
        case NoteVersion::How::BeforeHistory: return text + "author not recorded (saved before history was kept)";
    }
    return text;
}

}  // namespace attune
