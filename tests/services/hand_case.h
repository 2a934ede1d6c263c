// hand_case.h: a practice with one case of three ended sessions whose metrics
// are worked out by hand, made through the services as a therapist would.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/cases.h"
#include "services/open_practice.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

namespace attune::test {

// Three ended sessions, hand-computed with the default windows (W 120, C 60, R 120):
//  S1 2026-02-01, 10 min: A blame_shift @10, B validate @40, B shut_down 50-80.
//     ruptures 2 (A 1, B 1), 1 repaired after 30 s, A->B pursue->withdraw 1,
//     B withdrawn 30 s, rate 2 per 10 min, ratio 0.5.
//  S2 2026-02-08, 20 min: A defensive_anger @100, nothing else: rate 0.5, repair rate 0.
//  S3 2026-02-15, 10 min: no observation: no rupture, so ratio and rates are none.
struct HandCase {
    TempDir dir;
    std::unique_ptr<services::OpenPractice> practice = new_practice(dir / "p.db", "correct horse", "Dr Hand");
    Case c = add_couple(*practice, "Couple H");
    std::vector<Session> sessions;

    HandCase() {
        sessions.push_back(services::start_session(*practice, c.id, "2026-02-01"));
        add(0, Who::A, "blame_shift", 10);
        add(0, Who::B, "validate", 40);
        add(0, Who::B, "shut_down", 50, 80.0);
        end(0, 600);
        sessions.push_back(services::start_session(*practice, c.id, "2026-02-08"));
        add(1, Who::A, "defensive_anger", 100);
        end(1, 1200);
        sessions.push_back(services::start_session(*practice, c.id, "2026-02-15"));
        end(2, 600);
    }

    Observation add(std::size_t session, Who who, const std::string& code, double t,
                    std::optional<double> stop = std::nullopt) {
        services::LogRequest request;
        request.who = who;
        request.code = code;
        request.at = t;
        request.stop = stop;
        return services::log_observation(*practice, sessions[session], request);
    }

    void end(std::size_t session, double active_seconds) {
        services::SessionEnding ending;
        ending.active_seconds = active_seconds;
        sessions[session] = services::end_session(*practice, sessions[session], ending);
    }
};

}  // namespace attune::test
