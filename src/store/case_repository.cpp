#include "core/uuid.h"
#include "store/audit_write.h"
#include "store/repositories.h"
#include "store/case_rows.h"
#include "store/sqlite_access.h"

namespace attune::store {
namespace {

void validate(const Case& c) {
    auto invalid = [](const std::string& message) { throw StoreError(StoreError::Kind::Invalid, message); };
    if (c.label.empty()) invalid("a case needs a label");
    if (c.label.size() > 100) invalid("a case label can have at most 100 characters");
    if (c.partner_a.display_name.empty() || c.partner_b.display_name.empty())
        invalid("both partners need a name or initials");
    if (c.partner_a.display_name.size() > 100 || c.partner_b.display_name.size() > 100)
        invalid("a partner's name can have at most 100 characters");
    if (!is_valid_attachment_style(c.partner_a.attachment_style) ||
        !is_valid_attachment_style(c.partner_b.attachment_style))
        invalid("attachment style must be secure, anxious, avoidant, disorganized or unclear");
    if (!is_valid_cycle_position(c.partner_a.cycle_position) || !is_valid_cycle_position(c.partner_b.cycle_position))
        invalid("a cycle position must be pursuer or withdrawer");
    if (c.start_date.size() != 10) invalid("the start date must be written yyyy-mm-dd");
    if (c.goals.size() > 20000) invalid("the goals text is too long (at most 20000 characters)");
}

constexpr const char* kCaseSelect =
    "SELECT c.id, c.uuid, c.label, c.clinician_id, p.name, c.start_date, c.status, c.goals, c.scheme_id, "
    "pa.display_name, pa.attachment_style, pb.display_name, pb.attachment_style, "
    "coalesce(c.supervisor_id, 0), coalesce(sp.name, ''), coalesce(pa.cycle_position, ''), "
    "coalesce(pb.cycle_position, '') "
    "FROM cases c JOIN people p ON p.id = c.clinician_id LEFT JOIN people sp ON sp.id = c.supervisor_id "
    "LEFT JOIN participants pa ON pa.case_id = c.id AND pa.role = 'A' "
    "LEFT JOIN participants pb ON pb.case_id = c.id AND pb.role = 'B' ";

// The columns of kCaseSelect, which read_case reads: a query that adds its
// own columns reads them from this index on.
constexpr int kCaseColumns = 17;

Case read_case(SQLite::Statement& q) {
    Case c;
    c.id = q.getColumn(0).getInt64();
    c.uuid = q.getColumn(1).getString();
    c.label = q.getColumn(2).getString();
    c.clinician_id = q.getColumn(3).getInt64();
    c.clinician_name = q.getColumn(4).getString();
    c.start_date = q.getColumn(5).getString();
    c.status = parse_case_status(q.getColumn(6).getString()).value_or(CaseStatus::Active);
    c.goals = q.getColumn(7).getString();
    c.scheme_id = q.getColumn(8).getInt64();
    c.partner_a = {Who::A, q.getColumn(9).getString(), q.getColumn(10).getString(), q.getColumn(15).getString()};
    c.partner_b = {Who::B, q.getColumn(11).getString(), q.getColumn(12).getString(), q.getColumn(16).getString()};
    c.supervisor_id = q.getColumn(13).getInt64();
    c.supervisor_name = q.getColumn(14).getString();
    return c;
}

void write_participants(SQLite::Database& sql, const Case& c) {
    SQLite::Statement upsert(sql,
                             "INSERT INTO participants (case_id, role, display_name, attachment_style, cycle_position) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT (case_id, role) DO UPDATE SET "
                             "display_name = excluded.display_name, attachment_style = excluded.attachment_style, "
                             "cycle_position = excluded.cycle_position");
    for (const Participant* p : {&c.partner_a, &c.partner_b}) {
        upsert.bind(1, c.id);
        upsert.bind(2, std::string(to_string(p->role)));
        upsert.bind(3, p->display_name);
        upsert.bind(4, p->attachment_style);
        upsert.bind(5, p->cycle_position);
        upsert.exec();
        upsert.reset();
    }
}

}  // namespace

Case CaseRepository::create(Case c) {
    c.partner_a.role = Who::A;
    c.partner_b.role = Who::B;
    if (c.start_date.empty()) c.start_date = today_local_iso();
    validate(c);
    if (find_by_label(c.label))
        throw StoreError(StoreError::Kind::Invalid, "a case labelled '" + c.label + "' already exists");
    if (c.clinician_id == 0) c.clinician_id = db_.actor().id;
    if (c.clinician_id == 0) throw StoreError(StoreError::Kind::Invalid, "a case needs a clinician");
    if (c.scheme_id == 0) {
        auto latest = SchemeRepository(db_).latest_id();
        if (!latest) throw StoreError(StoreError::Kind::Invalid, "no coding scheme is loaded");
        c.scheme_id = *latest;
    }
    if (c.uuid.empty()) c.uuid = new_uuid();
    write_transaction(db_, [&](SQLite::Database& sql) {
        const std::string now = now_utc_iso();
        SQLite::Statement insert(sql, kInsertCaseSql);
        bind_case_insert(insert, c, now);
        insert.exec();
        c.id = sql.getLastInsertRowid();
        SQLite::Statement participants(sql, kInsertParticipantSql);
        insert_participants(participants, c);
        append_audit(db_, "create", "case", c.uuid, "label=" + c.label);
    });
    if (auto stored = get(c.id)) return *stored;
    return c;
}

void CaseRepository::update(const Case& c) {
    validate(c);
    write_transaction(db_, [&](SQLite::Database& sql) {
        SQLite::Statement update(sql,
                                 "UPDATE cases SET label = ?, clinician_id = ?, start_date = ?, status = ?, "
                                 "goals = ?, updated_at = ? WHERE id = ?");
        update.bind(1, c.label);
        update.bind(2, c.clinician_id);
        update.bind(3, c.start_date);
        update.bind(4, std::string(to_string(c.status)));
        update.bind(5, c.goals);
        update.bind(6, now_utc_iso());
        update.bind(7, c.id);
        if (update.exec() != 1) throw StoreError(StoreError::Kind::NotFound, "the case no longer exists");
        write_participants(sql, c);
        append_audit(db_, "update", "case", c.uuid, "label=" + c.label + " status=" + std::string(to_string(c.status)));
    });
}

std::optional<Case> CaseRepository::find_by_label(const std::string& label) const {
    try {
        SQLite::Statement& q = db_.impl().statement(std::string(kCaseSelect) + "WHERE c.label = ?");
        q.bind(1, label);
        if (q.executeStep()) return read_case(q);
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading cases failed");
    }
    return std::nullopt;
}

std::optional<Case> CaseRepository::get(RowId id) const {
    try {
        SQLite::Statement& q = db_.impl().statement(std::string(kCaseSelect) + "WHERE c.id = ?");
        q.bind(1, id);
        if (q.executeStep()) return read_case(q);
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading cases failed");
    }
    return std::nullopt;
}

std::vector<CaseSummary> CaseRepository::list() const {
    std::vector<CaseSummary> out;
    try {
        SQLite::Statement& q = db_.impl().statement(
            std::string(kCaseSelect).replace(std::string(kCaseSelect).find(" FROM"), 0,
                                             ", (SELECT count(*) FROM sessions s WHERE s.case_id = c.id), "
                                             "(SELECT max(date) FROM sessions s WHERE s.case_id = c.id), "
                                             "(SELECT eft_stage FROM sessions s WHERE s.case_id = c.id AND "
                                             "eft_stage IS NOT NULL ORDER BY date DESC, number DESC LIMIT 1), "
                                             "EXISTS (SELECT 1 FROM sessions s WHERE s.case_id = c.id AND "
                                             "s.state <> 'ended')") +
            "ORDER BY c.label COLLATE NOCASE");
        while (q.executeStep()) {
            CaseSummary summary;
            summary.info = read_case(q);
            // After read_case's columns (kCaseColumns of them).
            summary.sessions = q.getColumn(kCaseColumns).getInt();
            summary.last_session_date =
                q.getColumn(kCaseColumns + 1).isNull() ? "" : q.getColumn(kCaseColumns + 1).getString();
            summary.eft_stage = optional_int(q.getColumn(kCaseColumns + 2));
            summary.has_running_session = q.getColumn(kCaseColumns + 3).getInt() != 0;
            out.push_back(std::move(summary));
        }
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading cases failed");
    }
    return out;
}

}  // namespace attune::store
