#include "store/case_rows.h"

#include "store/sqlite_access.h"

namespace attune::store {

const char* const kInsertCaseSql =
    "INSERT INTO cases (uuid, label, clinician_id, start_date, status, goals, scheme_id, created_at, updated_at, "
    "supervisor_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

void bind_case_insert(SQLite::Statement& insert, const Case& c, const std::string& now) {
    insert.bind(1, c.uuid);
    insert.bind(2, c.label);
    insert.bind(3, c.clinician_id);
    insert.bind(4, c.start_date);
    insert.bind(5, std::string(to_string(c.status)));
    insert.bind(6, c.goals);
    insert.bind(7, c.scheme_id);
    insert.bind(8, now);
    insert.bind(9, now);
    if (c.supervisor_id != 0) insert.bind(10, c.supervisor_id);
    else insert.bind(10);
}

const char* const kInsertParticipantSql =
    "INSERT INTO participants (case_id, role, display_name, attachment_style, cycle_position) VALUES (?, ?, ?, ?, ?)";

void insert_participants(SQLite::Statement& insert, const Case& c) {
    for (const Participant* p : {&c.partner_a, &c.partner_b}) {
        insert.reset();
        insert.bind(1, c.id);
        insert.bind(2, std::string(to_string(p == &c.partner_a ? Who::A : Who::B)));
        insert.bind(3, p->display_name);
        insert.bind(4, p->attachment_style);
        insert.bind(5, p->cycle_position);
        insert.exec();
    }
}

const char* const kInsertSessionSql =
    "INSERT INTO sessions (uuid, case_id, number, date, start_time, state, active_seconds, resumed_at, "
    "eft_stage, eft_step, attunement_a, attunement_b, safety, scheme_id, created_at, updated_at, ended_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

void bind_session_insert(SQLite::Statement& insert, const Session& s, std::optional<double> resumed_at,
                         const std::string& now) {
    insert.bind(1, s.uuid);
    insert.bind(2, s.case_id);
    insert.bind(3, s.number);
    insert.bind(4, s.date);
    insert.bind(5, s.start_time);
    insert.bind(6, std::string(to_string(s.state)));
    insert.bind(7, s.active_seconds);
    bind_optional(insert, 8, s.state == SessionState::Running ? resumed_at : std::nullopt);
    bind_optional(insert, 9, s.eft_stage);
    bind_optional(insert, 10, s.eft_step);
    bind_optional(insert, 11, s.ratings.attunement_a);
    bind_optional(insert, 12, s.ratings.attunement_b);
    bind_optional(insert, 13, s.ratings.safety);
    insert.bind(14, s.scheme_id);
    insert.bind(15, now);
    insert.bind(16, now);
    if (s.state == SessionState::Ended) insert.bind(17, now);
    else insert.bind(17);
}

const char* const kInsertPersonSql =
    "INSERT INTO people (uuid, name, role, public_key, created_at) VALUES (?, ?, ?, ?, ?)";

void bind_person_insert(SQLite::Statement& insert, const Person& p, const std::string& now) {
    insert.bind(1, p.uuid);
    insert.bind(2, p.name);
    insert.bind(3, std::string(to_string(p.role)));
    insert.bind(4, p.public_key);
    insert.bind(5, now);
}

}  // namespace attune::store
