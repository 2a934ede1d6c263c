// demo_text.cpp: names, labels and the templated clinical prose of `attune demo`.
//
// Every random draw is its own statement: the operands of `a + b` are
// evaluated in an unspecified order, and two draws inside one expression
// could give different text with a different compiler.
#include "core/text.h"
#include "services/demo_internal.h"

#include <cmath>
#include <initializer_list>

namespace attune::services::demo {
namespace {

// [SECTION] Word lists

const std::vector<std::string> kLabelWords{
    "Maple", "Cedar", "Willow", "Heron", "Juniper", "Aspen", "Rowan", "Linden", "Birch", "Alder",
    "Hazel", "Sparrow", "Wren", "Finch", "Lark", "Osprey", "Kestrel", "Magnolia", "Cypress", "Laurel",
    "Poplar", "Sorrel", "Thistle", "Fern", "Marigold", "Clover", "Saffron", "Harbor", "Meadow", "Brook",
    "Summit", "Canyon", "Delta", "Coral", "Tide", "Beacon", "Orchard", "Quarry", "Lantern", "Compass"};

// First names from several cultures, some with accents or in Cyrillic or
// Greek script: the demo doubles as a check that UTF-8 survives everywhere.
const std::vector<std::string> kFirstNames{
    "Zoë", "José", "Ayşe", "Дмитрий", "Amara", "Kwame", "Priya", "Mateo", "Fatima", "Liam",
    "Chloé", "Björn", "Ngozi", "Hiroshi", "Anaïs", "Siobhán", "Tomás", "Ingrid", "Rania", "Mei",
    "Olusegun", "Søren", "Łukasz", "Camille", "Noah", "Aaliyah", "Javier", "Yuki", "Thandiwe", "Omar",
    "Leila", "Emma", "Daniel", "Sara", "Ravi", "Ana", "Jonas", "Nadia", "Elif", "Kofi",
    "Мария", "Ιωάννα", "Thảo", "Sung-min", "Aroha", "François", "Renée", "Jürgen"};

const std::vector<std::string> kTopics{
    "money", "parenting", "the in-laws", "work hours", "household chores", "sex and intimacy",
    "time on phones", "a recent affair", "moving to another city", "the new baby", "retirement plans",
    "drinking", "religion and the holidays", "a business they run together", "a parent's illness",
    "going back to work after parental leave"};

const std::vector<std::string> kHomework{
    "weekly check-in (20 minutes, Sunday evening)", "date night once this week",
    "daily appreciation: name one thing each evening", "agreed pause word when the cycle starts",
    "six-second kiss when leaving and coming home", "reunion ritual after work: 10 minutes, no phones",
    "write down one moment the cycle started and share it", "stress-reducing conversation three times this week",
    "a 20-minute walk together", "bedtime ritual: phones off at 22:00", "read the cycle map together once",
    "ask one open question about the other's day, every day"};

const std::vector<std::string> kFears{
    "not being good enough", "being left alone with everything", "being a disappointment",
    "losing the relationship", "not mattering", "being criticized whatever they do"};

std::string fill(std::string_view pattern, std::initializer_list<std::pair<std::string_view, std::string>> values) {
    std::string out;
    out.reserve(pattern.size() + 32);
    for (size_t i = 0; i < pattern.size();) {
        bool replaced = false;
        if (pattern[i] == '{')
            for (const auto& [key, value] : values)
                if (pattern.compare(i, key.size(), key) == 0) {
                    out += value;
                    i += key.size();
                    replaced = true;
                    break;
                }
        if (!replaced) out += pattern[i++];
    }
    return out;
}

std::string pick_text(Random& random, const std::vector<std::string>& choices) { return random.pick(choices); }

std::string times(int count) {
    if (count == 1) return "once";
    if (count == 2) return "twice";
    return std::to_string(count) + " times";
}

std::string plural(int count, const std::string& one, const std::string& many) {
    return std::to_string(count) + " " + (count == 1 ? one : many);
}

void add(std::string& text, const std::string& sentence) {
    if (sentence.empty()) return;
    if (!text.empty()) text += ' ';
    text += sentence;
}

}  // namespace

// [SECTION] People and cases

const std::vector<std::string>& clinician_names() {
    static const std::vector<std::string> names{"Dr. Amara Okafor", "Lukas Brenner, LMFT", "Mei Tanaka, PsyD",
                                                "Sofía Herrera, LCSW"};
    return names;
}

const std::string& supervisor_name() {
    static const std::string name = "Dr. Helen Sørensen";
    return name;
}

std::vector<std::string> case_labels(int count, Random& random) {
    // A shuffled word list, so that the first forty couples all have a word of their own.
    std::vector<std::string> words = kLabelWords;
    for (size_t i = words.size() - 1; i > 0; --i) std::swap(words[i], words[random.index(i + 1)]);
    std::vector<std::string> labels;
    labels.reserve(static_cast<size_t>(count));
    for (int k = 0; k < count; ++k) {
        std::string digits = std::to_string(k + 1);
        if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
        labels.push_back("Couple " + digits + " (" + words[static_cast<size_t>(k) % words.size()] + ")");
    }
    return labels;
}

std::string partner_name(Random& random) {
    // One partner in ten prefers initials in the record.
    if (random.chance(0.1)) {
        const char first = static_cast<char>('A' + random.between(0, 25));
        const char last = static_cast<char>('A' + random.between(0, 25));
        return std::string(1, first) + ". " + std::string(1, last) + ".";
    }
    return random.pick(kFirstNames);
}

std::string attachment_style(Random& random, bool pursuer) {
    const int roll = random.between(0, 99);
    if (roll < 12) return "";  // not recorded yet
    if (roll < 22) return "unclear";
    if (roll < 28) return "disorganized";
    if (roll < 36) return "secure";
    return pursuer ? "anxious" : "avoidant";
}

std::string topic(Random& random) { return random.pick(kTopics); }

std::string homework_item(Random& random) { return random.pick(kHomework); }

std::string goals_text(Random& random, const std::string& pursuer, const std::string& withdrawer,
                       const std::string& topic_text) {
    static const std::vector<std::string> templates{
        "De-escalate the fights about {T}; help {W} stay in the conversation when {P} is upset; find the way back "
        "to each other after an argument.",
        "Understand the cycle that takes over in arguments about {T}. {P} wants to feel that {W} is there; {W} "
        "wants to stop feeling like a disappointment.",
        "Rebuild trust and closeness: fewer escalations about {T}, and a weekly time for the two of them.",
        "Stop the pattern of {P} pushing and {W} going quiet; talk about {T} without it turning into a fight.",
        "Decide together how to handle {T} and feel like a team again; {P} and {W} both want more warmth at home."};
    return fill(pick_text(random, templates), {{"{P}", pursuer}, {"{W}", withdrawer}, {"{T}", topic_text}});
}

std::string signal_quote(Random& random, std::string_view code_id) {
    static const std::vector<std::string> unworthy{
        "Whatever I do, it’s never enough.", "I always end up being the bad guy.",
        "I feel like I’m failing you all the time.", "You look at me like I’m a disappointment."};
    static const std::vector<std::string> distrust{
        "How can I know you’ll be there if I let myself need you?", "I stopped counting on you a long time ago.",
        "I don’t know if I can believe you any more.", "Every time I open up, it gets used against me."};
    static const std::vector<std::string> disconnect{
        "Sometimes I think you don’t even want me around.", "We’re like flatmates now.",
        "I’m scared we’re losing each other.", "I feel so alone in this house."};
    static const std::vector<std::string> closeness{
        "I just need you to hold me when I get like this.", "Can you tell me we’re okay?",
        "I want you to turn towards me, just once.", "I miss you — I miss us."};
    if (code_id == "msg_unworthy") return random.pick(unworthy);
    if (code_id == "msg_distrust") return random.pick(distrust);
    if (code_id == "msg_disconnect") return random.pick(disconnect);
    return random.pick(closeness);
}

// [SECTION] Progress notes (DAP)

ProgressNote progress_note(Random& random, const NoteContext& c) {
    const SessionFacts& f = c.facts;
    const std::string& p = c.pursuer;
    const std::string& w = c.withdrawer;
    const std::string minutes = std::to_string(static_cast<int>(std::lround(c.minutes)));
    ProgressNote note;

    // Data: what was observed.
    static const std::vector<std::string> attendance{
        "{P} and {W} attended session {N} together.", "Session {N}: both partners present ({P}, {W}).",
        "{P} and {W} arrived on time for session {N}.", "Conjoint session {N} with {P} and {W}."};
    add(note.data, fill(pick_text(random, attendance), {{"{P}", p}, {"{W}", w}, {"{N}", std::to_string(c.session_number)}}));
    static const std::vector<std::string> opening_hard{
        "They opened with an argument about {T} from the weekend.", "The week's conflict was about {T}.",
        "{P} raised {T} early in the session.", "The session started from a recent fight about {T}."};
    static const std::vector<std::string> opening_calm{
        "They described a calmer week and one conversation about {T} that went well.",
        "They reported fewer fights this week; {T} came up but did not escalate.",
        "They arrived relaxed and wanted to talk about {T}."};
    add(note.data, fill(pick_text(random, c.health > 0.55 ? opening_calm : opening_hard),
                        {{"{P}", p}, {"{T}", c.topic}}));
    if (f.cycles > 0) {
        static const std::vector<std::string> cycle{
            "The pursue-withdraw cycle appeared {K}: {P} pressed for a response and {W} pulled back.",
            "The cycle was coded {K} ({P} pursuing, {W} withdrawing)."};
        add(note.data, fill(pick_text(random, cycle), {{"{P}", p}, {"{W}", w}, {"{K}", times(f.cycles)}}));
    } else {
        add(note.data, "No pursue-withdraw sequence was coded this session.");
    }
    if (f.withdrawn_seconds >= 30) {
        const int shut_minutes = std::max(1, static_cast<int>(std::lround(f.withdrawn_seconds / 60.0)));
        add(note.data, w + " shut down for about " + plural(shut_minutes, "minute", "minutes") + " in total.");
    }
    if (f.signals > 0)
        add(note.data, plural(f.signals, "attachment signal was", "attachment signals were") + " coded; " +
                           std::to_string(f.answered_signals) + " answered by the other partner within two minutes.");
    if (!f.quote.empty()) add(note.data, (f.quote_by_pursuer ? p : w) + " said: “" + f.quote + "”");
    add(note.data, plural(f.ruptures, "rupture", "ruptures") + " and " + plural(f.repairs, "repair", "repairs") +
                       " were logged over " + minutes + " minutes; " +
                       plural(f.therapist_moves, "therapist intervention", "therapist interventions") + " coded.");

    // Assessment: what it means.
    std::vector<std::string> assessment;
    if (c.stage == 1 && c.health < 0.3)
        assessment = {"The negative cycle still organizes most of the session: {P} protests the distance and {W} "
                      "protects themselves by pulling back.",
                      "Escalation remains fast; neither partner can yet step out of the cycle without help.",
                      "Both partners remain guarded; attachment fears show mainly as anger ({P}) and silence ({W})."};
    else if (c.stage == 1)
        assessment = {"De-escalation is beginning: when the therapist slows things down, both can name the cycle.",
                      "{P} and {W} increasingly see the cycle, not each other, as the problem.",
                      "Reactivity is lower than at intake and repairs start to land."};
    else if (c.stage == 2)
        assessment = {"Withdrawer re-engagement: {W} stayed present and spoke about the fear of {F}.",
                      "Blamer softening is under way: {P} reached for {W} from a softer place.",
                      "The couple can stay with primary emotions longer; enactments are holding."};
    else
        assessment = {"Consolidation: the couple names the cycle themselves and repairs within minutes.",
                      "New positions are stable; they approach {T} as a team with little help."};
    const std::string fear = pick_text(random, kFears);
    add(note.assessment,
        fill(pick_text(random, assessment), {{"{P}", p}, {"{W}", w}, {"{F}", fear}, {"{T}", c.topic}}));
    if (c.stuck && c.session_number >= 3) {
        static const std::vector<std::string> stuck{
            "Little change compared with earlier sessions; repairs are rare and the cycle escalates quickly.",
            "Progress has stalled; consider what maintains the impasse (individual stressors, an unresolved "
            "attachment injury).",
            "The couple is not yet on track: ruptures are as frequent as at intake."};
        add(note.assessment, pick_text(random, stuck));
    }
    if (f.ruptures > 0)
        add(note.assessment, "Repair-to-rupture ratio about " +
                                 format_number(static_cast<double>(f.repairs) / f.ruptures, 1) + " : 1 (reference 5 : 1).");
    else
        add(note.assessment, "No ruptures were coded.");
    add(note.assessment, "EFT stage " + std::to_string(c.stage) + ", step " + std::to_string(c.step) + ".");

    // Plan: what comes next.
    for (const auto& [description, done] : c.homework_reviewed)
        add(note.plan, done ? "Reviewed homework (" + description + "): done."
                            : "Reviewed homework (" + description + "): not done; explored what got in the way.");
    std::vector<std::string> next;
    if (c.stage == 1)
        next = {"Continue to track and slow down the cycle; validate both positions.",
                "Next session: frame the cycle as the common enemy and access {W}'s underlying fear.",
                "Keep building safety; reflect {P}'s protest as a longing for connection."};
    else if (c.stage == 2)
        next = {"Next session: enactment in which {W} shares the fear directly with {P}.",
                "Continue to heighten {P}'s softer emotions and support a reach toward {W}."};
    else
        next = {"Consolidate: help the couple tell the story of how they got out of the cycle.",
                "Discuss spacing sessions out to every two weeks."};
    add(note.plan, fill(pick_text(random, next), {{"{P}", p}, {"{W}", w}}));
    if (c.stuck && c.session_number >= 3 && random.chance(0.4))
        add(note.plan, "Discuss in supervision; consider a referral for individual support.");
    if (!c.homework_agreed.empty()) {
        std::string agreed;
        for (const std::string& item : c.homework_agreed) agreed += (agreed.empty() ? "" : "; ") + item;
        add(note.plan, "Homework agreed: " + agreed + ".");
    }
    static const std::vector<std::string> closing{"Next appointment in one week.", "Next session as scheduled.",
                                                  "Follow up next week."};
    add(note.plan, pick_text(random, closing));
    return note;
}

// [SECTION] Private process notes

std::string process_note(Random& random, const NoteContext& c) {
    std::vector<std::string> pool{
        "I noticed my own pull to side with {P} when {W} went quiet; watch this.",
        "Felt protective of {W} during the shut-down and may have moved in too fast.",
        "Wondering whether there is an unspoken attachment injury around {T}.",
        "{P}'s anger felt like a wall today; underneath I sensed panic.",
        "Bring to supervision: how to hold {W}'s silence without filling it.",
        "My own tiredness may have made me less evocative in the second half."};
    if (c.health > 0.5) pool.push_back("Something shifted when {W} looked at {P} instead of at me. Hopeful.");
    if (c.stuck) pool.push_back("I am getting discouraged with this couple; that is information, not a verdict.");
    std::string body = fill(pick_text(random, pool), {{"{P}", c.pursuer}, {"{W}", c.withdrawer}, {"{T}", c.topic}});
    if (random.chance(0.5)) {
        const std::string second =
            fill(pick_text(random, pool), {{"{P}", c.pursuer}, {"{W}", c.withdrawer}, {"{T}", c.topic}});
        if (second != body) add(body, second);
    }
    return body;
}

}  // namespace attune::services::demo
