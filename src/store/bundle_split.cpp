// bundle_split.cpp: a large bundle as parts that each merge in a short
// transaction (bundle.h's split_bundle). A merge holds the practice file's
// write lock from its first row to its last; the practice server's first pull
// of a medium practice held it for seconds, longer than the busy timeout the
// window's logging waits (BENCHMARKS.md). Observations are nearly all of a
// large bundle, so they are what is cut: the first part holds every row but
// the observations and what a signature seals, the middle parts the
// observations in their order, the last the signatures and addenda (after the
// observations, as one merge writes them: a signature seals its session's
// coding, and an addendum needs its note signed). People and schemes are in
// every part, so that each part names whom and what its rows refer to.
#include <sqlcipher/sqlite3.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <vector>

#include "store/bundle.h"
#include "store/bundle_internal.h"
#include "store/database.h"
#include "store/sqlite_access.h"

namespace attune::store {

std::vector<std::filesystem::path> split_bundle(const std::filesystem::path& from, std::string_view key,
                                                int observations_per_part) {
    using bundle_detail::BundleInfo;
    try {
        SQLite::Database source(from.string(), SQLite::OPEN_READONLY);
        if (sqlite3_key(source.getHandle(), key.data(), static_cast<int>(key.size())) != SQLITE_OK)
            throw StoreError(StoreError::Kind::NoEncryption, "SQLCipher refused the bundle key");
        const int observations = source.execAndGet("SELECT count(*) FROM observations").getInt();
        if (observations_per_part < 1 || observations <= observations_per_part) return {from};

        BundleInfo info;
        SQLite::Statement read_info(source, "SELECT key, value FROM info WHERE key NOT IN ('format', "
                                            "'format_version') ORDER BY rowid");
        while (read_info.executeStep())
            info.emplace_back(read_info.getColumn(0).getString(), read_info.getColumn(1).getString());
        std::vector<std::string> tables;
        SQLite::Statement read_tables(source, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
        while (read_tables.executeStep())
            tables.push_back(read_tables.getColumn(0).getString());
        const auto late = [](const std::string& t) {
            return t == "signatures" || t == "signature_layers" || t == "addenda";
        };
        const auto everywhere = [](const std::string& t) { return t == "people" || t == "schemes"; };

        std::vector<std::filesystem::path> parts;
        const auto write_part = [&](const std::vector<std::string>& copied, int offset) {
            std::filesystem::path part = from;
            part += ".part" + std::to_string(parts.size() + 1);
            bundle_detail::create_empty_bundle(part, key, info);
            SQLite::Database file(part.string(), SQLite::OPEN_READWRITE);
            if (sqlite3_key(file.getHandle(), key.data(), static_cast<int>(key.size())) != SQLITE_OK)
                throw StoreError(StoreError::Kind::NoEncryption, "SQLCipher refused the bundle key");
            SQLite::Statement attach(file, "ATTACH DATABASE ? AS source KEY ?");
            attach.bind(1, from.string());
            attach.bindNoCopy(2, key.data(), static_cast<int>(key.size()));
            attach.exec();
            SQLite::Transaction write(file);
            for (const std::string& table : copied) {
                if (table == "observations") {
                    SQLite::Statement rows(file, "INSERT INTO main.observations SELECT * FROM source.observations "
                                                 "ORDER BY rowid LIMIT ? OFFSET ?");
                    rows.bind(1, observations_per_part);
                    rows.bind(2, offset);
                    rows.exec();
                } else {
                    file.exec("INSERT INTO main." + table + " SELECT * FROM source." + table + " ORDER BY rowid");
                }
            }
            write.commit();
            file.exec("DETACH DATABASE source");
            parts.push_back(part);
        };
        std::vector<std::string> first, last;
        for (const std::string& t : tables) {
            if (t == "info" || t == "observations") continue;
            if (everywhere(t) || !late(t)) first.push_back(t);
            if (everywhere(t) || late(t)) last.push_back(t);
        }
        write_part(first, 0);
        for (int offset = 0; offset < observations; offset += observations_per_part)
            write_part({"people", "schemes", "observations"}, offset);
        write_part(last, 0);
        return parts;
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "cannot split the bundle " + from.string());
    }
}

}  // namespace attune::store
