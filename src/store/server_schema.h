// server_schema.h: the practice server's schema migrations (PostgreSQL 15,
// issue 21), numbered like the local ones (store/schema.h): migration N takes
// the server's schema from version N-1 to N and adds its own row to
// attune.attune_schema_version. The SQL lives in
// src/store/server_schema/NNN_name.sql and is embedded at build time
// (cmake/embed_server_schema.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace attune::store {

struct ServerMigration {
    int version = 0;        // 1, 2, ...: server_migrations()[i].version == i + 1
    std::string_view file;  // "001_init.sql"
    std::string_view sql;   // statements to run in one transaction
};

const std::vector<ServerMigration>& server_migrations();

}  // namespace attune::store
