// throwaway_cluster.h: a PostgreSQL 15 cluster of one test's own, made by
// tests/server/throwaway_cluster.sh (the script tests/server/run_schema_tests.sh
// uses too): initdb into a folder under /tmp, a Unix socket there and
// 127.0.0.1 on the same port (TLS only, a certificate signed by the cluster's
// own CA), run as the unprivileged user attune-pgtest when the tests run as
// root. Started by the
// constructor (a failure fails the test: CI installs postgresql-15), stopped
// and removed by the destructor or by stop().
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace attune::test {

// The practice database's owner as a practice would set it up: CREATEROLE
// (001_init.sql makes the group roles), no superuser; letters and digits
// only in the password, so no escaping in a URL.
inline constexpr const char* kOwner = "practice_owner";
inline constexpr const char* kOwnerPassword = "Owner7pw3Kq";
inline constexpr const char* kDatabase = "practice";

class ThrowawayCluster {
public:
    ThrowawayCluster();
    ~ThrowawayCluster();
    ThrowawayCluster(const ThrowawayCluster&) = delete;
    ThrowawayCluster& operator=(const ThrowawayCluster&) = delete;

    const std::filesystem::path& dir() const { return dir_; }
    const std::filesystem::path& socket_dir() const { return socket_; }
    int port() const { return port_; }
    const std::string& superuser() const { return superuser_; }
    // The CA certificate that signed the server's (DNS:localhost, IP:127.0.0.1).
    const std::filesystem::path& ca_cert() const { return ca_; }

    // A libpq URL for `role` with `password` on `database`, over the socket.
    std::string url(const std::string& role, const std::string& password, const std::string& database) const;
    // The same over TCP to localhost with sslmode=verify-full, trusting
    // `root_cert` (the cluster's CA when empty). hostaddr=127.0.0.1 so that
    // libpq does not try ::1 first; it still checks the name localhost.
    std::string tls_url(const std::string& role, const std::string& password, const std::string& database,
                        const std::filesystem::path& root_cert = {}) const;
    // Lets sql() sign in as `role` (the cluster's password file).
    void remember_password(const std::string& role, const std::string& password) const;

    struct SqlResult {
        int exit_code = -1;
        std::string out;  // psql's output, unaligned, tuples only, with its errors
    };
    // Runs each statement on its own (psql -c ...) as `role` on `database`,
    // stopping at the first error.
    SqlResult run_sql(const std::string& role, const std::string& database,
                      const std::vector<std::string>& statements) const;
    // run_sql() that must succeed (a failure stops the test); returns its output.
    std::string sql(const std::string& role, const std::string& database,
                    const std::vector<std::string>& statements) const;
    // run_sql() through psql with a libpq URL or key=value string of the
    // caller's (e.g. over TCP with sslmode=disable), no password file.
    SqlResult run_sql_at(const std::string& conninfo, const std::vector<std::string>& statements) const;

    // Makes kOwner and kDatabase; with `remember`, sql() may sign in as the
    // owner too (else only a URL's password signs it in).
    void make_owner_and_database(bool remember) const;

    // Stops the cluster and removes its folder (the destructor does this too).
    void stop();

private:
    std::filesystem::path script_;
    std::filesystem::path dir_;
    std::filesystem::path socket_;
    int port_ = 0;
    std::string superuser_;
    std::filesystem::path ca_;
};

}  // namespace attune::test
