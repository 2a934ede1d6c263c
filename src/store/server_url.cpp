#include "store/server_url.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <vector>

namespace attune::store {
namespace {

// The options the URL sets (PQconninfoParse adds no defaults); nullopt when
// libpq cannot read it.
std::optional<std::map<std::string, std::string>> url_options(const std::string& url) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
    if (error) PQfreemem(error);
    if (!options) return std::nullopt;
    std::map<std::string, std::string> set;
    for (const PQconninfoOption* o = options; o->keyword; ++o)
        if (o->val) set[o->keyword] = o->val;
    PQconninfoFree(options);
    return set;
}

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

// libpq's comma-separated lists (host=a,b port=5432,5433): "" is one empty entry.
std::vector<std::string> split_list(const std::string& list) {
    std::vector<std::string> items;
    std::string::size_type start = 0;
    for (;;) {
        const auto comma = list.find(',', start);
        items.push_back(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) return items;
        start = comma + 1;
    }
}

// libpq's is_unixsock_path(): an absolute path, or "@name" (Linux's abstract
// namespace). An empty host is the default socket.
bool is_socket(const std::string& host) {
    return host.empty() || host.front() == '/' || host.front() == '@';
}

std::string item(const std::vector<std::string>& list, std::size_t i) {
    if (list.size() == 1) return list[0];  // one port (or address) for every host
    return i < list.size() ? list[i] : std::string();
}

}  // namespace

void require_verified_tls(const std::string& url) {
    const auto options = url_options(url);
    if (!options) return;  // PracticeServer::connect says why it is not a URL
    // libpq takes each option the URL leaves out from a named service's file
    // first, then from the environment. This does not read service files: with
    // a service, what the URL leaves out is unknown (nullopt).
    const auto named = options->find("service");
    const std::string service = named != options->end() ? named->second : environment("PGSERVICE");
    auto effective = [&](const char* key, const char* variable) -> std::optional<std::string> {
        if (const auto found = options->find(key); found != options->end()) return found->second;
        if (!service.empty()) return std::nullopt;
        return environment(variable);
    };
    const std::optional<std::string> host = effective("host", "PGHOST"), hostaddr = effective("hostaddr", "PGHOSTADDR"),
                                     port = effective("port", "PGPORT"), sslmode = effective("sslmode", "PGSSLMODE");
    if (sslmode == "verify-full") return;

    std::string tcp;  // the first host reached over TCP, for the message
    const std::vector<std::string> hosts = split_list(host.value_or("")), addresses = split_list(hostaddr.value_or("")),
                                   ports = split_list(port.value_or(""));
    const std::size_t count = std::max(hosts.size(), addresses.size());
    for (std::size_t i = 0; i < count && tcp.empty(); ++i) {
        const std::string name = item(hosts, i), address = item(addresses, i), at = item(ports, i);
        if (!address.empty() || !is_socket(name))
            tcp = "at " + (is_socket(name) ? address : name) + (at.empty() ? "" : ":" + at);
    }
    if (tcp.empty() && (!host || !hostaddr)) tcp = "of the connection service \"" + service + "\"";
    if (tcp.empty()) return;  // a Unix socket: nothing crosses the network

    std::string instead;  // nothing when a service's file decides
    if (options->count("sslmode"))
        instead = ", not sslmode=" + *sslmode;
    else if (sslmode && !sslmode->empty())
        instead = ", not PGSSLMODE=" + *sslmode;
    else if (sslmode)
        instead = ", not libpq's default sslmode=prefer";
    throw StoreError(StoreError::Kind::Invalid,
                     "the practice server " + tcp +
                         " must be reached with sslmode=verify-full (TLS that checks the server's certificate and "
                         "name)" +
                         instead + "; add ?sslmode=verify-full&sslrootcert=FILE to the URL, or use a local socket");
}

}  // namespace attune::store
