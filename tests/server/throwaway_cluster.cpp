#include "server/throwaway_cluster.h"

#include <sys/wait.h>

#include <catch2/catch_test_macros.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/cli_runner.h"  // shell_quote
#include "support/test_support.h"

namespace attune::test {
namespace {

struct Ran {
    int exit_code = -1;
    std::string out;
};

// Runs a /bin/sh command; its standard output and error together.
Ran run_shell(const std::string& command) {
    Ran ran;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return ran;
    char buffer[4096];
    size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
        ran.out.append(buffer, n);
    const int status = pclose(pipe);
    ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return ran;
}

// A path as a URL query value: letters, digits, "-._~/" kept, the rest %XX.
std::string percent_encode(const std::string& text) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string psql_binary() {
    const char* pgbin = std::getenv("PGBIN");
    return std::string(pgbin && *pgbin ? pgbin : "/usr/lib/postgresql/15/bin") + "/psql";
}

}  // namespace

ThrowawayCluster::ThrowawayCluster() : script_(test_data_dir().parent_path() / "server" / "throwaway_cluster.sh") {
    const Ran started = run_shell("bash " + shell_quote(script_.string()) + " start");
    INFO(started.out);
    REQUIRE(started.exit_code == 0);
    std::istringstream lines(started.out);
    for (std::string line; std::getline(lines, line);) {
        const auto equals = line.find('=');
        if (equals == std::string::npos) continue;
        const std::string key = line.substr(0, equals), value = line.substr(equals + 1);
        if (key == "dir") dir_ = value;
        if (key == "socket") socket_ = value;
        if (key == "port") port_ = std::stoi(value);
        if (key == "superuser") superuser_ = value;
        if (key == "ca") ca_ = value;
    }
    if (dir_.empty() || socket_.empty() || port_ <= 0 || superuser_.empty() || ca_.empty()) {
        stop();
        FAIL("throwaway_cluster.sh start did not say where the cluster is");
    }
}

ThrowawayCluster::~ThrowawayCluster() {
    stop();
}

void ThrowawayCluster::stop() {
    if (dir_.empty()) return;
    run_shell("bash " + shell_quote(script_.string()) + " stop " + shell_quote(dir_.string()));
    dir_.clear();
}

std::string ThrowawayCluster::url(const std::string& role, const std::string& password,
                                  const std::string& database) const {
    return "postgresql://" + role + ":" + password + "@/" + database + "?host=" + socket_.string() +
           "&port=" + std::to_string(port_);
}

std::string ThrowawayCluster::tls_url(const std::string& role, const std::string& password, const std::string& database,
                                      const std::filesystem::path& root_cert) const {
    return "postgresql://" + role + ":" + password + "@localhost:" + std::to_string(port_) + "/" + database +
           "?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert=" +
           percent_encode((root_cert.empty() ? ca_ : root_cert).string());
}

void ThrowawayCluster::make_owner_and_database(bool remember) const {
    sql(superuser_, "postgres",
        {std::string("CREATE ROLE ") + kOwner + " LOGIN CREATEROLE PASSWORD '" + kOwnerPassword + "'",
         std::string("CREATE DATABASE ") + kDatabase + " OWNER " + kOwner});
    if (remember) remember_password(kOwner, kOwnerPassword);
}

void ThrowawayCluster::remember_password(const std::string& role, const std::string& password) const {
    std::ofstream(dir_ / "pgpass", std::ios::app) << "*:*:*:" << role << ":" << password << "\n";
}

ThrowawayCluster::SqlResult ThrowawayCluster::run_sql(const std::string& role, const std::string& database,
                                                      const std::vector<std::string>& statements) const {
    std::string command = "PGPASSFILE=" + shell_quote((dir_ / "pgpass").string()) + " " + shell_quote(psql_binary()) +
                          " -X -q -A -t -v ON_ERROR_STOP=1 -h " + shell_quote(socket_.string()) + " -p " +
                          std::to_string(port_) + " -U " + shell_quote(role) + " -d " + shell_quote(database);
    for (const std::string& statement : statements)
        command += " -c " + shell_quote(statement);
    const Ran ran = run_shell(command + " </dev/null");
    return SqlResult{ran.exit_code, ran.out};
}

ThrowawayCluster::SqlResult ThrowawayCluster::run_sql_at(const std::string& conninfo,
                                                         const std::vector<std::string>& statements) const {
    std::string command = "PGPASSFILE=/dev/null " + shell_quote(psql_binary()) + " -X -q -A -t -v ON_ERROR_STOP=1 -d " +
                          shell_quote(conninfo);
    for (const std::string& statement : statements)
        command += " -c " + shell_quote(statement);
    const Ran ran = run_shell(command + " </dev/null");
    return SqlResult{ran.exit_code, ran.out};
}

std::string ThrowawayCluster::sql(const std::string& role, const std::string& database,
                                  const std::vector<std::string>& statements) const {
    const SqlResult r = run_sql(role, database, statements);
    INFO("as " << role << " on " << database << ": " << r.out);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

}  // namespace attune::test
