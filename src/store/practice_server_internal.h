// practice_server_internal.h: private to src/store/practice_server*.cpp and
// server_sync.cpp. The connection behind a PracticeServer, and turning
// libpqxx's exceptions into one StoreError line.
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <string_view>

#include "store/practice_server.h"

namespace attune::store {

struct PracticeServer::Impl {
    Impl(const std::string& conninfo_, std::string where_)
        : connection(conninfo_), conninfo(conninfo_), where(std::move(where_)) {}
    pqxx::connection connection;
    std::string conninfo;  // libpq's key='value' form (it may hold the password)
    std::string where;
};

namespace server_detail {

// The first line of a libpq or server message, without its "ERROR:  " tag.
std::string first_line(std::string_view message);

// Runs `work`; whatever libpqxx throws becomes one StoreError line:
// "`doing` (`where`): the server's first line".
template <typename Work>
auto guarded(const std::string& doing, const std::string& where, Work&& work) {
    try {
        return work();
    } catch (const StoreError&) {
        throw;
    } catch (const pqxx::broken_connection& e) {
        throw StoreError(StoreError::Kind::Io, "lost the connection to the practice server while " + doing + " (" +
                                                   where + "): " + first_line(e.what()));
    } catch (const pqxx::in_doubt_error&) {
        throw StoreError(StoreError::Kind::Io, "the practice server (" + where + ") did not confirm " + doing +
                                                   "; run it again: a step already applied is not applied twice");
    } catch (const pqxx::sql_error& e) {
        // 42501 insufficient_privilege; 42P06 duplicate schema (another owner's); 28xxx not allowed to log in.
        const std::string& state = e.sqlstate();
        const bool denied = state == "42501" || state.rfind("28", 0) == 0;
        throw StoreError(denied ? StoreError::Kind::Denied : StoreError::Kind::Io,
                         doing + " on the practice server (" + where + "): " + first_line(e.what()));
    } catch (const std::exception& e) {
        throw StoreError(StoreError::Kind::Io,
                         doing + " on the practice server (" + where + "): " + first_line(e.what()));
    }
}


}  // namespace server_detail

}  // namespace attune::store
