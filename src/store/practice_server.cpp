#include "store/practice_server.h"

#include <libpq-fe.h>

#include <memory>
#include <pqxx/pqxx>
#include <string_view>
#include <vector>

#include "store/practice_server_internal.h"
#include "store/schema.h"
#include "store/server_schema.h"
#include "store/server_url.h"

namespace attune::store {

namespace server_detail {

// The first line of a libpq or server message, without its "ERROR:  " tag.
std::string first_line(std::string_view message) {
    message = message.substr(0, message.find('\n'));
    for (std::string_view tag : {"ERROR:", "FATAL:", "PANIC:"})
        if (message.substr(0, tag.size()) == tag) message.remove_prefix(tag.size());
    while (!message.empty() && (message.front() == ' ' || message.front() == '\t'))
        message.remove_prefix(1);
    while (!message.empty() && (message.back() == ' ' || message.back() == '\r'))
        message.remove_suffix(1);
    return message.empty() ? std::string("no message from the server") : std::string(message);
}

}  // namespace server_detail

// [SECTION] Messages: one line, never the password.

namespace {

using server_detail::first_line;
using server_detail::guarded;

struct ParsedUrl {
    std::string conninfo;  // key='value' pairs for libpq, with our defaults added
    std::string where;
};

// libpq's reading of a URL (both of its forms); StoreError Invalid when it cannot.
using ConninfoOptions = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;
ConninfoOptions conninfo_options(const std::string& url) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
    if (!options) {
        const std::string why = error ? first_line(error) : std::string("out of memory");
        if (error) PQfreemem(error);
        throw StoreError(StoreError::Kind::Invalid, "not a PostgreSQL URL: " + why);
    }
    return ConninfoOptions(options, &PQconninfoFree);
}

// We rebuild the URL as key='value' pairs so that defaults can be added, and
// describe it without the password.
ParsedUrl parse_url(const std::string& url) {
    const ConninfoOptions options = conninfo_options(url);
    ParsedUrl parsed;
    std::string host, port, dbname;
    bool has_timeout = false, has_application = false;
    for (const PQconninfoOption* o = options.get(); o->keyword; ++o) {
        if (!o->val) continue;
        const std::string key = o->keyword, value = o->val;
        if (key == "host" || (key == "hostaddr" && host.empty())) host = value;
        if (key == "port") port = value;
        if (key == "dbname") dbname = value;
        has_timeout = has_timeout || key == "connect_timeout";
        has_application = has_application || key == "application_name";
        std::string quoted;
        for (char c : value) {
            if (c == '\'' || c == '\\') quoted += '\\';
            quoted += c;
        }
        parsed.conninfo += key + "='" + quoted + "' ";
    }
    if (!has_timeout) parsed.conninfo += "connect_timeout=10 ";
    if (!has_application) parsed.conninfo += "application_name=attune ";
    parsed.where = (dbname.empty() ? std::string("the default database") : "database \"" + dbname + "\"") + " on " +
                   (host.empty() ? std::string("the local server") : host) + (port.empty() ? "" : ", port " + port);
    return parsed;
}

}  // namespace

// [SECTION] Connection.


PracticeServer::PracticeServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PracticeServer::~PracticeServer() = default;

std::unique_ptr<PracticeServer> PracticeServer::connect(const std::string& url) {
    require_verified_tls(url);
    ParsedUrl parsed = parse_url(url);
    try {
        return std::unique_ptr<PracticeServer>(
            new PracticeServer(std::make_unique<Impl>(parsed.conninfo, std::move(parsed.where))));
    } catch (const pqxx::broken_connection& e) {
        // libpq's first line names the server ("connection to server at ... failed: ...").
        throw StoreError(StoreError::Kind::Io, "cannot connect to the practice server: " + first_line(e.what()));
    } catch (const std::exception& e) {
        throw StoreError(StoreError::Kind::Io,
                         "cannot connect to the practice server (" + parsed.where + "): " + first_line(e.what()));
    }
}

bool PracticeServer::url_has_password(const std::string& url) {
    const ConninfoOptions options = conninfo_options(url);
    bool found = false;
    for (const PQconninfoOption* o = options.get(); o->keyword; ++o)
        found = found || (std::string_view(o->keyword) == "password" && o->val && *o->val);
    return found;
}

const std::string& PracticeServer::where() const {
    return impl_->where;
}

// [SECTION] Schema version and migrations.

int PracticeServer::known_schema_version() {
    return static_cast<int>(server_migrations().size());
}

namespace {

// The schema's version as this role sees it, inside `tx`. The version table
// has a policy for the role that made the schema (001_init.sql), which
// forced row-level security would otherwise hide it from.
int read_schema_version(pqxx::transaction_base& tx, const std::string& where) {
    // By oid, not by name: a name lookup in a schema the role may not use is an error.
    const pqxx::result schema = tx.exec(
        "SELECT pg_catalog.pg_get_userbyid(n.nspowner), pg_catalog.has_schema_privilege(n.oid, 'USAGE'),"
        "       (SELECT pg_catalog.has_table_privilege(c.oid, 'SELECT') FROM pg_catalog.pg_class c"
        "         WHERE c.relnamespace = n.oid AND c.relname = 'attune_schema_version' AND c.relkind = 'r')"
        "  FROM pg_catalog.pg_namespace n WHERE n.nspname = 'attune'");
    if (schema.empty()) return 0;
    const std::string owner = schema[0][0].as<std::string>();
    if (schema[0][2].is_null())
        throw StoreError(StoreError::Kind::NotAttune, "the " + where +
                                                          " has a schema named attune that Attune did "
                                                          "not make (no version table); Attune leaves it alone");
    const std::string denied = "role " + std::string(tx.conn().username()) +
                               " cannot see the version of Attune's schema in the " + where +
                               ": run it as the schema's owner, " + owner;
    if (!schema[0][1].as<bool>() || !schema[0][2].as<bool>()) throw StoreError(StoreError::Kind::Denied, denied);
    const pqxx::result version = tx.exec("SELECT max(version) FROM attune.attune_schema_version");
    if (version[0][0].is_null()) throw StoreError(StoreError::Kind::Denied, denied);  // row-level security hid them
    return version[0][0].as<int>();
}

}  // namespace

int PracticeServer::schema_version() {
    return guarded("reading the schema version", impl_->where, [&] {
        pqxx::read_transaction tx(impl_->connection);
        return read_schema_version(tx, impl_->where);
    });
}

ServerSchemaChange PracticeServer::migrate_schema() {
    const int known = known_schema_version();
    ServerSchemaChange change;
    bool first = true;
    for (;;) {
        const bool done = guarded("creating or migrating Attune's schema", impl_->where, [&] {
            pqxx::work tx(impl_->connection);
            // One migrator at a time; the one that waited reads the version the other left.
            tx.exec("SELECT pg_catalog.pg_advisory_xact_lock(" + std::to_string(kApplicationId) + ")");
            const int version = read_schema_version(tx, impl_->where);
            if (first) change.before = version;
            first = false;
            change.after = version;
            if (version > known)
                throw StoreError(StoreError::Kind::NewerSchema,
                                 "the " + impl_->where + " has Attune's schema version " + std::to_string(version) +
                                     ", newer than this Attune's " + std::to_string(known) + ": update Attune");
            if (version == known) return true;
            const ServerMigration& migration = server_migrations()[static_cast<size_t>(version)];
            tx.exec(std::string(migration.sql));
            const int recorded = read_schema_version(tx, impl_->where);
            if (recorded != migration.version)
                throw StoreError(StoreError::Kind::Io, "server migration " + std::string(migration.file) +
                                                           " left the schema at version " + std::to_string(recorded) +
                                                           " instead of " + std::to_string(migration.version) +
                                                           "; nothing of it was kept");
            tx.commit();
            change.after = migration.version;
            return false;
        });
        if (done) return change;
    }
}

}  // namespace attune::store
