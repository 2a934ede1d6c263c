// The practice server over the network (issue 21): only TLS that checks the
// server's certificate and name (sslmode=verify-full), against a throwaway
// cluster whose own CA signed its certificate for localhost and 127.0.0.1
// (tests/server/throwaway_cluster.sh). Attune refuses anything less before
// connecting (store/server_url.h); the server rejects TCP without TLS itself.
#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <string>

#include "app/cli_runner.h"
#include "server/throwaway_cluster.h"
#include "support/test_support.h"

namespace attune::test {
namespace {

std::string init_command(const std::string& url) {
    return "server init --url " + shell_quote(url);
}

// How many schemas named attune the database has: 0 until a server init got through.
std::string attune_schemas(const ThrowawayCluster& cluster) {
    return cluster.sql(cluster.superuser(), kDatabase, {"SELECT count(*) FROM pg_namespace WHERE nspname = 'attune'"});
}

// The refusal store/server_url.cpp gives before connecting.
std::string refusal(int port, const std::string& instead) {
    return "attune server init: the practice server at localhost:" + std::to_string(port) +
           " must be reached with sslmode=verify-full (TLS that checks the server's certificate and name), not " +
           instead + "; add ?sslmode=verify-full&sslrootcert=FILE to the URL, or use a local socket\n";
}

}  // namespace

TEST_CASE("server init over TCP with sslmode=verify-full and the cluster's CA creates the schema", "[server]") {
    ThrowawayCluster cluster;
    cluster.make_owner_and_database(false);
    TempDir dir;
    const std::string url = cluster.tls_url(kOwner, kOwnerPassword, kDatabase);
    INFO(url);
    const CliResult r = run_attune(init_command(url), dir.path());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == "database \"practice\" on localhost, port " + std::to_string(cluster.port()) +
                       ": Attune's schema created at version 12\n");
    CHECK(r.err.empty());
    CHECK(attune_schemas(cluster) == "1\n");
    // The same URL through psql: the connection is TLS.
    const ThrowawayCluster::SqlResult ssl =
        cluster.run_sql_at(url, {"SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"});
    INFO(ssl.out);
    CHECK(ssl.exit_code == 0);
    CHECK(ssl.out == "t\n");
}

TEST_CASE("server init refuses a server whose certificate another CA signed, or made for another name", "[server]") {
    ThrowawayCluster cluster;
    cluster.make_owner_and_database(false);
    TempDir dir;
    // A CA of this test's own, which never signed the cluster's certificate.
    const std::string make_ca =
        "cd " + shell_quote(dir.path().string()) +
        " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1"
        " -subj '/CN=Another CA' -addext 'basicConstraints=critical,CA:TRUE' -keyout other-ca.key -out other-ca.crt"
        " >openssl.log 2>&1";
    REQUIRE(std::system(make_ca.c_str()) == 0);

    const CliResult other =
        run_attune(init_command(cluster.tls_url(kOwner, kOwnerPassword, kDatabase, dir / "other-ca.crt")), dir.path());
    INFO(other.err);
    CHECK(other.exit_code == 1);
    CHECK(other.out.empty());
    CHECK(count_lines(other.err) == 1);
    CHECK(other.err ==
          "attune server init: cannot connect to the practice server: connection to server at "
          "\"127.0.0.1\", port " +
              std::to_string(cluster.port()) + " failed: SSL error: certificate verify failed\n");
    CHECK(other.err.find(kOwnerPassword) == std::string::npos);

    // The right CA, but the server is asked for under a name its certificate
    // does not carry (hostaddr still reaches 127.0.0.1).
    const std::string port = std::to_string(cluster.port());
    const std::string renamed = std::string("postgresql://") + kOwner + ":" + kOwnerPassword +
                                "@attune-test.invalid:" + port + "/" + kDatabase +
                                "?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert=" + cluster.ca_cert().string();
    const CliResult name = run_attune(init_command(renamed), dir.path());
    INFO(name.err);
    CHECK(name.exit_code == 1);
    CHECK(count_lines(name.err) == 1);
    CHECK(name.err ==
          "attune server init: cannot connect to the practice server: connection to server at "
          "\"127.0.0.1\", port " +
              port +
              " failed: server certificate for \"localhost\" (and 1 other name) does not match host "
              "name \"attune-test.invalid\"\n");
    CHECK(name.err.find(kOwnerPassword) == std::string::npos);
    CHECK(attune_schemas(cluster) == "0\n");
}

TEST_CASE("server init refuses a TCP URL without sslmode=verify-full before connecting", "[server]") {
    ThrowawayCluster cluster;
    cluster.make_owner_and_database(false);
    TempDir dir;
    const std::string base = std::string("postgresql://") + kOwner + ":" + kOwnerPassword +
                             "@localhost:" + std::to_string(cluster.port()) + "/" + kDatabase;
    // With the right password each of these would get in: the server offers
    // TLS and require and prefer do not check its certificate.
    struct Case {
        std::string url, instead;
    };
    for (const Case& c :
         {Case{base + "?sslmode=require", "sslmode=require"},
          Case{base + "?sslmode=verify-ca&sslrootcert=" + cluster.ca_cert().string(), "sslmode=verify-ca"},
          Case{base, "libpq's default sslmode=prefer"}}) {
        const CliResult r = run_attune(init_command(c.url), dir.path());
        INFO(c.url << "\n" << r.err);
        CHECK(r.exit_code == 1);
        CHECK(r.out.empty());
        CHECK(r.err == refusal(cluster.port(), c.instead));
        CHECK(r.err.find(kOwnerPassword) == std::string::npos);
    }
    CHECK(attune_schemas(cluster) == "0\n");
}

TEST_CASE("the throwaway cluster itself rejects a TCP login without TLS", "[server]") {
    ThrowawayCluster cluster;
    cluster.make_owner_and_database(false);
    const std::string port = std::to_string(cluster.port());
    // psql, not Attune: Attune would refuse sslmode=disable before connecting.
    const ThrowawayCluster::SqlResult plain =
        cluster.run_sql_at(std::string("postgresql://") + kOwner + ":" + kOwnerPassword + "@127.0.0.1:" + port + "/" +
                               kDatabase + "?sslmode=disable",
                           {"SELECT 1"});
    INFO(plain.out);
    CHECK(plain.exit_code == 2);
    CHECK(plain.out.find("pg_hba.conf rejects connection for host \"127.0.0.1\", user \"practice_owner\", database "
                         "\"practice\", no encryption") != std::string::npos);
    // The same login with TLS gets in, so it is the missing TLS that was rejected.
    const ThrowawayCluster::SqlResult tls =
        cluster.run_sql_at(cluster.tls_url(kOwner, kOwnerPassword, kDatabase), {"SELECT current_user"});
    INFO(tls.out);
    CHECK(tls.exit_code == 0);
    CHECK(tls.out == "practice_owner\n");
}

}  // namespace attune::test
