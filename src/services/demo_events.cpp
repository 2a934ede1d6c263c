// demo_events.cpp: one session's stream of observations for `attune demo`.
//
// A session is built from episodes (a pursue -> withdraw cycle, an attachment
// signal and its answer, a repair, a therapist move, ...). How many events of
// each kind a session has is fixed up front from its health, so that a
// couple's trajectory shows clearly across sessions instead of drowning in
// noise; chance only decides codes, order and timing. Episodes are then laid
// out across the session clock without overlapping, in whole tenths of a second.
#include "services/demo_internal.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <optional>

namespace attune::services::demo {
namespace {

using Tenths = std::int64_t;

// [SECTION] Budgets: how many events of each kind the session still needs
enum Budget { kRupture, kRepair, kSignal, kTherapist, kBoth, kBudgets };

struct Planned {
    Tenths offset = 0;                // from the episode's start
    std::optional<Tenths> duration;   // state events
    Who who = Who::A;
    std::string_view code;
    std::optional<int> intensity;
    std::string comment;
};

struct Episode {
    std::vector<Planned> events;
    Tenths span() const {
        Tenths end = 0;
        for (const Planned& p : events) end = std::max(end, p.offset + p.duration.value_or(0));
        return end;
    }
};

using Weighted = std::initializer_list<std::pair<std::string_view, double>>;

std::string_view weighted(Random& random, Weighted choices) {
    double total = 0;
    for (const auto& choice : choices) total += choice.second;
    double x = random.unit() * total;
    std::string_view last;
    for (const auto& choice : choices) {
        if (x < choice.second) return choice.first;
        x -= choice.second;
        last = choice.first;
    }
    return last;  // only when rounding left x at the very top
}

class SessionBuilder {
public:
    SessionBuilder(Random& random, const SessionShape& shape, int events)
        : random_(random), shape_(shape), h_(std::clamp(shape.health, 0.0, 1.0)),
          pursuer_(shape.pursuer), withdrawer_(other_partner(shape.pursuer)) {
        // Shares of the session's events; what is left goes to the therapist.
        const double rupture = 0.45 - 0.30 * h_;
        const double repair = 0.12 + 0.33 * h_;
        const double signal = 0.12 + 0.04 * h_;
        const double both = 0.03;
        budget_[kRupture] = static_cast<int>(std::lround(events * rupture));
        budget_[kRepair] = static_cast<int>(std::lround(events * repair));
        budget_[kSignal] = static_cast<int>(std::lround(events * signal));
        budget_[kBoth] = static_cast<int>(std::lround(events * both));
        int rest = events;
        for (int b = kRupture; b < kBudgets; ++b) {
            if (b == kTherapist) continue;
            budget_[b] = std::min(budget_[b], rest);
            rest -= budget_[b];
        }
        budget_[kTherapist] = rest;
    }

    std::vector<Episode> episodes() {
        std::vector<Episode> out;
        while (true) {
            int total = 0;
            for (int b : budget_) total += b;
            if (total == 0) break;
            int x = random_.between(0, total - 1);
            int chosen = kRupture;
            while (x >= budget_[chosen]) x -= budget_[chosen++];
            out.push_back(episode_for(static_cast<Budget>(chosen)));
        }
        return out;
    }

private:
    bool take(Budget b) {
        if (budget_[b] <= 0) return false;
        --budget_[b];
        return true;
    }
    std::optional<int> intensity(double probability) {
        if (!random_.chance(probability)) return std::nullopt;
        return h_ < 0.35 ? random_.between(2, 3) : random_.between(1, 2);
    }
    // Every episode starts with the event of its own budget, which the caller
    // has checked is not empty; follow-ups are taken only while budget lasts.
    Episode episode_for(Budget b) {
        switch (b) {
            case kRupture: return random_.chance(0.8) ? cycle() : low_warmth();
            case kRepair: return repair();
            case kSignal: return signal();
            case kTherapist: return therapist();
            case kBoth: return both();
            case kBudgets: break;
        }
        return {};
    }

    Episode cycle() {
        Episode e;
        take(kRupture);
        e.events.push_back({0, std::nullopt, pursuer_,
                            weighted(random_, {{"defensive_anger", 0.4}, {"blame_shift", 0.35}, {"angry_dominance", 0.25}}),
                            intensity(0.35), ""});
        if (!random_.chance(0.85) || !take(kRupture)) return e;
        const Tenths withdraw_at = random_.between(50, 550);  // within the 60 s cycle window
        const bool shut_down = random_.chance(0.12 + 0.25 * (1.0 - h_));
        Planned withdrawal{withdraw_at, std::nullopt, withdrawer_, "", std::nullopt, ""};
        if (shut_down) {
            withdrawal.code = "shut_down";
            withdrawal.duration = static_cast<Tenths>(random_.between(300, 2400) * (1.0 - 0.5 * h_));
        } else {
            withdrawal.code = weighted(random_, {{"withdraw_emotion", 0.4}, {"avoid_conflict", 0.3}, {"intellectualize", 0.3}});
        }
        e.events.push_back(withdrawal);
        // A stuck session escalates: the pursuer protests the withdrawal.
        if (random_.chance(0.35 * (1.0 - h_)) && take(kRupture))
            e.events.push_back({withdraw_at + random_.between(100, 400), std::nullopt, pursuer_,
                                weighted(random_, {{"blame_shift", 0.6}, {"angry_dominance", 0.4}}), intensity(0.5), ""});
        if (!random_.chance(0.15 + 0.75 * h_)) return e;
        Tenths at = withdraw_at;
        if (random_.chance(0.5) && take(kTherapist)) {
            at += random_.between(30, 250);
            e.events.push_back({at, std::nullopt, Who::Therapist,
                                weighted(random_, {{"t_reframe_cycle", 0.5}, {"t_reflect", 0.25}, {"t_validate", 0.25}}),
                                std::nullopt, ""});
        }
        if (!take(kRepair)) return e;
        if (random_.chance(0.5)) {
            // The pursuer softens, within the repair window of the withdrawal.
            e.events.push_back({std::max(at + 20, withdraw_at + random_.between(150, 1000)), std::nullopt, pursuer_,
                                weighted(random_, {{"own_part", 0.3}, {"slow_down", 0.3}, {"process_shift", 0.2}, {"i_statement", 0.2}}),
                                std::nullopt, ""});
        } else {
            // The withdrawer turns back, after coming out of a shut-down.
            const Tenths back = shut_down ? withdraw_at + *withdrawal.duration + random_.between(50, 300)
                                          : std::max(at + 20, withdraw_at + random_.between(150, 1000));
            e.events.push_back({back, std::nullopt, withdrawer_,
                                weighted(random_, {{"accept_repair", 0.4}, {"vulnerable_share", 0.3}, {"process_shift", 0.3}}),
                                std::nullopt, ""});
        }
        return e;
    }

    Episode low_warmth() {
        Episode e;
        take(kRupture);
        const std::string_view code = weighted(random_, {{"low_warmth", 0.6}, {"over_calm", 0.4}});
        const Who who = code == "over_calm" ? (random_.chance(0.75) ? withdrawer_ : pursuer_)
                                            : (random_.chance(0.5) ? pursuer_ : withdrawer_);
        e.events.push_back({0, std::nullopt, who, code, intensity(0.3), ""});
        if (random_.chance(0.1 + 0.6 * h_) && take(kRepair))
            e.events.push_back({random_.between(200, 1000), std::nullopt, who,
                                weighted(random_, {{"slow_down", 0.4}, {"own_part", 0.4}, {"validate", 0.2}}),
                                std::nullopt, ""});
        return e;
    }

    Episode signal() {
        Episode e;
        take(kSignal);
        // Withdrawers speak up more once they re-engage (stage 2 and later).
        const bool by_withdrawer = random_.chance(shape_.stage == 1 ? 0.3 : 0.55);
        const Who speaker = by_withdrawer ? withdrawer_ : pursuer_;
        Tenths at = 0;
        if (random_.chance(0.3) && take(kTherapist)) {
            e.events.push_back({0, std::nullopt, Who::Therapist,
                                weighted(random_, {{"t_evocative", 0.5}, {"t_heighten", 0.3}, {"t_conjecture", 0.2}}),
                                std::nullopt, ""});
            at = random_.between(50, 300);
        }
        const std::string_view code =
            by_withdrawer
                ? weighted(random_, {{"msg_unworthy", 0.5}, {"need_closeness", 0.2}, {"msg_disconnect", 0.15}, {"msg_distrust", 0.15}})
                : weighted(random_, {{"msg_disconnect", 0.4}, {"need_closeness", 0.35}, {"msg_distrust", 0.25}});
        std::string comment = random_.chance(0.4) ? signal_quote(random_, code) : std::string();
        e.events.push_back({at, std::nullopt, speaker, code, intensity(0.45), std::move(comment)});
        if (!random_.chance(0.15 + 0.75 * h_)) return e;
        Tenths earliest = at + 80;
        if (shape_.stage >= 2 && random_.chance(0.3) && take(kTherapist)) {
            const Tenths enactment = at + random_.between(30, 70);
            e.events.push_back({enactment, std::nullopt, Who::Therapist, "t_enactment", std::nullopt, ""});
            earliest = enactment + 20;
        }
        if (take(kRepair))  // answered by the other partner within the 120 s answer window
            e.events.push_back({at + random_.between(static_cast<int>(earliest - at), 1150), std::nullopt,
                                other_partner(speaker),
                                weighted(random_, {{"reassure", 0.35}, {"validate", 0.3}, {"reflect", 0.2}, {"accept_repair", 0.15}}),
                                std::nullopt, ""});
        return e;
    }

    Episode repair() {
        Episode e;
        take(kRepair);
        const Who who = random_.chance(0.5) ? pursuer_ : withdrawer_;
        e.events.push_back({0, std::nullopt, who,
                            weighted(random_, {{"i_statement", 0.2}, {"vulnerable_share", 0.1 + 0.2 * h_}, {"reflect", 0.2},
                                               {"validate", 0.15}, {"slow_down", 0.1}, {"own_part", 0.1}, {"process_shift", 0.05}}),
                            std::nullopt, ""});
        if (random_.chance(0.4) && take(kRepair))
            e.events.push_back({random_.between(50, 400), std::nullopt, other_partner(who),
                                weighted(random_, {{"validate", 0.4}, {"reflect", 0.3}, {"accept_repair", 0.3}}),
                                std::nullopt, ""});
        return e;
    }

    Episode therapist() {
        Episode e;
        take(kTherapist);
        std::string_view code;
        if (shape_.stage == 1)
            code = weighted(random_, {{"t_reflect", 0.25}, {"t_validate", 0.25}, {"t_reframe_cycle", 0.25},
                                      {"t_evocative", 0.15}, {"t_conjecture", 0.1}});
        else if (shape_.stage == 2)
            code = weighted(random_, {{"t_evocative", 0.2}, {"t_heighten", 0.25}, {"t_enactment", 0.25},
                                      {"t_conjecture", 0.1}, {"t_reflect", 0.1}, {"t_validate", 0.1}});
        else
            code = weighted(random_, {{"t_reflect", 0.3}, {"t_validate", 0.3}, {"t_enactment", 0.2}, {"t_reframe_cycle", 0.2}});
        e.events.push_back({0, std::nullopt, Who::Therapist, code, std::nullopt, ""});
        return e;
    }

    Episode both() {
        Episode e;
        take(kBoth);
        const std::string_view code =
            h_ < 0.35 ? weighted(random_, {{"low_warmth", 0.5}, {"slow_down", 0.5}})
                      : weighted(random_, {{"process_shift", 0.4}, {"slow_down", 0.3}, {"accept_repair", 0.3}});
        e.events.push_back({0, std::nullopt, Who::Both, code, std::nullopt, ""});
        return e;
    }

    Random& random_;
    const SessionShape& shape_;
    double h_;
    Who pursuer_;
    Who withdrawer_;
    std::array<int, kBudgets> budget_{};
};

const Code* code_of(const CodingScheme& scheme, std::string_view id) {
    for (const Code& c : scheme.codes)
        if (c.id == id) return &c;
    return nullptr;
}

double seconds(Tenths t) { return static_cast<double>(t) / 10.0; }

}  // namespace

// [SECTION] Generating a session

const std::vector<std::string>& codes_used() {
    static const std::vector<std::string> codes{
        "withdraw_emotion", "avoid_conflict", "intellectualize", "shut_down", "defensive_anger", "blame_shift",
        "angry_dominance", "low_warmth", "over_calm", "msg_unworthy", "msg_distrust", "msg_disconnect",
        "need_closeness", "reflect", "validate", "reassure", "i_statement", "slow_down", "own_part",
        "process_shift", "vulnerable_share", "accept_repair", "t_reflect", "t_validate", "t_evocative",
        "t_heighten", "t_conjecture", "t_reframe_cycle", "t_enactment"};
    return codes;
}

std::vector<Observation> generate_events(Random& random, const CodingScheme& scheme, const SessionShape& shape) {
    const Tenths length = shape.length_tenths;
    const int planned = shape.leave_open ? std::max(0, shape.events - 1) : shape.events;
    SessionBuilder builder(random, shape, planned);
    std::vector<Episode> episodes = builder.episodes();

    // The window the episodes fill: a quiet minute at either end, and in a
    // running session everything before the shut-down that is still going on.
    const Tenths begin = random.between(150, 600);
    const Tenths open_at = shape.leave_open ? length - random.between(200, 900) : length;
    const Tenths end = shape.leave_open ? open_at - 50 : length - random.between(300, 900);
    const Tenths room = std::max<Tenths>(end - begin, 10);

    Tenths spans = 0;
    for (const Episode& e : episodes) spans += e.span();
    // Crowded sessions squeeze every episode alike, which keeps each pursue ->
    // withdraw and each answer inside its window; 80 % of the room at most.
    const Tenths budget_spans = room * 8 / 10;
    if (spans > budget_spans) {
        for (Episode& e : episodes)
            for (Planned& p : e.events) {
                p.offset = p.offset * budget_spans / spans;
                if (p.duration) *p.duration = std::max<Tenths>(10, *p.duration * budget_spans / spans);
            }
        spans = 0;
        for (const Episode& e : episodes) spans += e.span();
    }
    const Tenths free_time = std::max<Tenths>(room - spans, 0);
    std::vector<Tenths> weights(episodes.size() + 1);
    Tenths weight_sum = 0;
    for (Tenths& w : weights) weight_sum += (w = random.between(200, 1800));

    std::vector<Observation> out;
    out.reserve(static_cast<size_t>(shape.events) + 1);
    Tenths cursor = begin;
    const Tenths last_stop = (shape.leave_open ? open_at : length) - 10;
    for (size_t i = 0; i < episodes.size(); ++i) {
        cursor += free_time * weights[i] / weight_sum;
        for (const Planned& p : episodes[i].events) {
            const Code* code = code_of(scheme, p.code);
            Observation o;
            o.rater_id = shape.rater_id;
            o.who = p.who;
            o.code_id = std::string(p.code);
            const Tenths t = std::min(cursor + p.offset, last_stop);
            o.t = seconds(t);
            o.intensity = p.intensity;
            o.comment = p.comment;
            o.kind = code ? code->kind : EventKind::Point;
            if (o.kind == EventKind::State)
                o.stop = seconds(std::clamp<Tenths>(t + p.duration.value_or(300), t, last_stop));
            out.push_back(std::move(o));
        }
        cursor += episodes[i].span();
    }
    if (shape.leave_open) {
        Observation open;
        open.rater_id = shape.rater_id;
        open.who = other_partner(shape.pursuer);
        open.code_id = "shut_down";
        open.t = seconds(open_at);
        const Code* code = code_of(scheme, open.code_id);
        open.kind = code ? code->kind : EventKind::Point;
        out.push_back(std::move(open));
    }
    std::stable_sort(out.begin(), out.end(), [](const Observation& a, const Observation& b) { return a.t < b.t; });
    return out;
}

std::vector<Observation> second_coding(Random& random, const CodingScheme& scheme,
                                       const std::vector<Observation>& first, RowId rater_id, double length_seconds) {
    const Tenths length = std::llround(length_seconds * 10);
    auto jitter = [&](double t) {
        return seconds(std::clamp<Tenths>(std::llround(t * 10) + random.between(-35, 35), 0, length));
    };
    std::vector<Observation> out;
    for (const Observation& source : first) {
        if (random.chance(0.07)) continue;  // missed
        Observation o;
        o.rater_id = rater_id;
        o.who = source.who;
        o.code_id = source.code_id;
        o.kind = source.kind;
        o.intensity = source.intensity;
        o.t = jitter(source.t);
        if (source.stop) o.stop = std::max(o.t, jitter(*source.stop));
        const Code* code = code_of(scheme, source.code_id);
        if (code && random.chance(0.1)) {
            // Coded as a neighbouring code of the same category and kind.
            std::vector<const Code*> siblings;
            for (const Code* sibling : scheme.codes_in(code->category))
                if (sibling->id != code->id && sibling->kind == code->kind) siblings.push_back(sibling);
            if (!siblings.empty()) o.code_id = siblings[random.index(siblings.size())]->id;
        }
        out.push_back(o);
        if (code && code->kind == EventKind::Point && random.chance(0.04)) {
            Observation extra = o;
            extra.t = std::min(seconds(std::llround(o.t * 10) + random.between(20, 150)), seconds(length));
            extra.intensity.reset();
            out.push_back(extra);
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Observation& a, const Observation& b) { return a.t < b.t; });
    return out;
}

// [SECTION] Counting what happened, for the notes

SessionFacts summarize(const CodingScheme& scheme, const std::vector<Observation>& observations, Who pursuer) {
    SessionFacts facts;
    const Who withdrawer = other_partner(pursuer);
    std::vector<const Code*> codes;
    codes.reserve(observations.size());
    for (const Observation& o : observations) codes.push_back(code_of(scheme, o.code_id));
    for (size_t i = 0; i < observations.size(); ++i) {
        const Observation& o = observations[i];
        const Code* code = codes[i];
        if (!code || o.deleted) continue;
        if (o.who == Who::Therapist || code->polarity == Polarity::Intervention) {
            ++facts.therapist_moves;
            continue;
        }
        if (code->polarity == Polarity::Rupture) ++facts.ruptures;
        if (code->polarity == Polarity::Repair) ++facts.repairs;
        if (code->cycle_role == CycleRole::Withdraw && o.who == withdrawer && o.stop)
            facts.withdrawn_seconds += *o.stop - o.t;
        // Observations are in time order: look ahead only as far as the window.
        auto any_within = [&](double window, auto&& matches) {
            for (size_t j = i + 1; j < observations.size() && observations[j].t <= o.t + window; ++j)
                if (observations[j].t > o.t && codes[j] && !observations[j].deleted && matches(observations[j], *codes[j]))
                    return true;
            return false;
        };
        if (code->cycle_role == CycleRole::Pursue && o.who == pursuer &&
            any_within(60.0, [&](const Observation& next, const Code& c) {
                return next.who == withdrawer && c.cycle_role == CycleRole::Withdraw;
            }))
            ++facts.cycles;
        if (code->polarity == Polarity::Signal && (o.who == Who::A || o.who == Who::B)) {
            ++facts.signals;
            const Who other = other_partner(o.who);
            if (any_within(120.0, [&](const Observation& next, const Code& c) {
                    return next.who == other && c.polarity == Polarity::Repair;
                }))
                ++facts.answered_signals;
            if (facts.quote.empty() && !o.comment.empty()) {
                facts.quote = o.comment;
                facts.quote_by_pursuer = o.who == pursuer;
            }
        }
    }
    return facts;
}

}  // namespace attune::services::demo
