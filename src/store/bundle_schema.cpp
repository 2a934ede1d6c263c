// bundle_schema.cpp: what a bundle file may hold before Attune reads from it.
// Whoever writes a bundle controls every byte of it, its schema too: a view
// or trigger can run SQL when a table is read or written, an index or a
// column's DEFAULT can hold an expression, and SQLite runs what the schema
// says while parsing it. So the bundle is attached with trusted_schema=OFF
// (no function with side effects runs from its schema) and its schema is
// compared with the one Attune writes (kBundleSchema) before a row is read:
// - stage 1, before anything is read: nothing but the format's tables (and the
//   automatic indexes of their keys), no view, trigger or other index, no
//   virtual table, and the info table exactly as Attune writes it;
// - stage 2, once info says the format version is this Attune's: every table
//   present, each exactly as Attune writes it (columns, types, keys).
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/bundle_internal.h"

namespace attune::store::bundle_detail {
namespace {

struct SchemaObject {
    std::string type;  // table, index, view, trigger
    std::string name;
    std::string sql;   // whitespace runs made one space; empty for an automatic index
};

std::string one_space(const std::string& text) {
    std::string out;
    bool space = false;
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::map<std::string, SchemaObject> objects_of(SQLite::Database& sql, const std::string& schema) {
    std::map<std::string, SchemaObject> out;
    SQLite::Statement q(sql, "SELECT type, name, COALESCE(sql, '') FROM " + schema + ".sqlite_schema");
    while (q.executeStep()) {
        SchemaObject o{q.getColumn(0).getString(), q.getColumn(1).getString(), one_space(q.getColumn(2).getString())};
        out[o.name] = std::move(o);
    }
    return out;
}

// The schema this Attune writes, read back from a database holding only it.
const std::map<std::string, SchemaObject>& expected_objects() {
    static const std::map<std::string, SchemaObject> expected = [] {
        SQLite::Database reference(":memory:", SQLite::OPEN_READWRITE);
        reference.exec(kBundleSchema);
        return objects_of(reference, "main");
    }();
    return expected;
}

std::vector<std::string> columns_of(SQLite::Database& sql, const std::string& schema, const std::string& table) {
    std::vector<std::string> out;
    // table_xinfo: hidden and generated columns too.
    SQLite::Statement q(sql, "SELECT name FROM pragma_table_xinfo(?, ?) ORDER BY cid");
    q.bind(1, table);
    q.bind(2, schema);
    while (q.executeStep())
        out.push_back(q.getColumn(0).getString());
    return out;
}

[[noreturn]] void refuse(const std::string& file, const std::string& what) {
    throw StoreError(StoreError::Kind::Invalid,
                     file + " " + what + ", which Attune's bundles never have: nothing was imported");
}

// Names what differs between a table of the bundle and Attune's.
[[noreturn]] void refuse_table(SQLite::Database& sql, const std::string& file, const std::string& table) {
    SQLite::Database reference(":memory:", SQLite::OPEN_READWRITE);
    reference.exec(kBundleSchema);
    const std::vector<std::string> expected = columns_of(reference, "main", table);
    const std::vector<std::string> found = columns_of(sql, "bundle", table);
    for (const std::string& column : found)
        if (std::find(expected.begin(), expected.end(), column) == expected.end())
            refuse(file, "has a column '" + column + "' in its table '" + table + "'");
    for (const std::string& column : expected)
        if (std::find(found.begin(), found.end(), column) == found.end())
            throw StoreError(StoreError::Kind::Invalid, file + " lacks the column '" + column + "' of the table '" +
                                                            table + "': nothing was imported");
    refuse(file, "defines its table '" + table + "' differently (types, keys, constraints or defaults)");
}

}  // namespace

void check_bundle_objects(SQLite::Database& sql, const std::string& file) {
    const std::map<std::string, SchemaObject>& expected = expected_objects();
    const std::map<std::string, SchemaObject> found = objects_of(sql, "bundle");
    for (const auto& [name, object] : found) {
        const auto known = expected.find(name);
        if (known == expected.end() || known->second.type != object.type)
            refuse(file, "holds " +
                             (object.type == "table"   ? std::string("an extra table")
                              : object.type == "index" ? std::string("an index")
                                                       : "a " + object.type) +
                             " '" + name + "'");
        if (object.type == "table" && object.sql.rfind("CREATE TABLE", 0) != 0)
            refuse(file, "holds a virtual table '" + name + "'");
        if (object.type == "index" && object.sql != known->second.sql)
            refuse(file, "holds an index '" + name + "' of its own");
    }
    if (const auto info = found.find("info"); info != found.end() && info->second.sql != expected.at("info").sql)
        refuse_table(sql, file, "info");
}

void check_bundle_tables(SQLite::Database& sql, const std::string& file) {
    const std::map<std::string, SchemaObject> found = objects_of(sql, "bundle");
    // Tables first: a table defined without its key also lacks the key's index.
    for (const char* type : {"table", "index"})
        for (const auto& [name, object] : expected_objects()) {
            if (object.type != type) continue;
            const auto here = found.find(name);
            if (here == found.end())
                throw StoreError(StoreError::Kind::Invalid, file + " lacks the " + object.type + " '" + name +
                                                                "' of Attune's bundles: nothing was imported");
            if (here->second.sql != object.sql) refuse_table(sql, file, name);
        }
}

}  // namespace attune::store::bundle_detail
