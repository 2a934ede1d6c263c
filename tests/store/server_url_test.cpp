// What Attune asks of a practice server's URL before connecting (issue 21,
// store/server_url.h): over TCP only sslmode=verify-full; a Unix socket as
// it is. No server here: tests/server runs the same rule against a real one.
#include "store/server_url.h"

#include <catch2/catch_test_macros.hpp>
#include <optional>
#include <string>

#include "support/test_support.h"

using namespace attune;
using namespace attune::store;
using attune::test::ScopedEnv;

namespace {

// The message require_verified_tls() refused `url` with; nullopt when it let it pass.
std::optional<std::string> refusal(const std::string& url) {
    try {
        require_verified_tls(url);
        return std::nullopt;
    } catch (const StoreError& e) {
        CHECK(e.kind() == StoreError::Kind::Invalid);
        return std::string(e.what());
    }
}

std::string refused_at(const std::string& where, const std::string& instead) {
    return "the practice server " + where +
           " must be reached with sslmode=verify-full (TLS that checks the server's certificate and name)" +
           (instead.empty() ? "" : ", " + instead) +
           "; add ?sslmode=verify-full&sslrootcert=FILE to the URL, or use a local socket";
}

// The variables libpq reads for what a URL leaves out, empty (as unset) for a test.
struct CleanLibpqEnvironment {
    ScopedEnv host{"PGHOST", ""}, hostaddr{"PGHOSTADDR", ""}, port{"PGPORT", ""}, sslmode{"PGSSLMODE", ""},
        service{"PGSERVICE", ""};
};

}  // namespace

TEST_CASE("a practice server over a Unix socket needs no TLS", "[server_url]") {
    CleanLibpqEnvironment clean;
    CHECK(refusal("postgresql://owner:Secret9pw@/practice?host=/tmp/attune-sock&port=5433") == std::nullopt);
    CHECK(refusal("postgresql:///practice") == std::nullopt);  // libpq's default socket
    CHECK(refusal("postgresql://owner@%2Fvar%2Frun%2Fpostgresql/practice") == std::nullopt);
    CHECK(refusal("host=@attune-abstract dbname=practice sslmode=disable") == std::nullopt);  // Linux abstract socket
    CHECK(refusal("host=/tmp/a,/tmp/b port=5432 dbname=practice") == std::nullopt);
}

TEST_CASE("a practice server over TCP is reached only with sslmode=verify-full", "[server_url]") {
    CleanLibpqEnvironment clean;
    CHECK(refusal("postgresql://owner:Secret9pw@db.example.org/practice?sslmode=verify-full") == std::nullopt);
    CHECK(refusal("host=10.0.0.5 port=5433 dbname=practice sslmode=verify-full sslrootcert=/etc/ca.crt") ==
          std::nullopt);

    CHECK(refusal("postgresql://owner:Secret9pw@localhost:5433/practice?sslmode=require") ==
          refused_at("at localhost:5433", "not sslmode=require"));
    CHECK(refusal("postgresql://owner:Secret9pw@localhost:5433/practice?sslmode=verify-ca&sslrootcert=/ca.crt") ==
          refused_at("at localhost:5433", "not sslmode=verify-ca"));
    CHECK(refusal("host=db.example.org user=owner password=Secret9pw dbname=practice sslmode=disable") ==
          refused_at("at db.example.org", "not sslmode=disable"));
    CHECK(refusal("postgresql://owner:Secret9pw@127.0.0.1:1/practice") ==
          refused_at("at 127.0.0.1:1", "not libpq's default sslmode=prefer"));
    // hostaddr is always TCP, whatever host says (libpq then checks the name in host).
    CHECK(refusal("host=/tmp/sock hostaddr=127.0.0.1 port=5432 dbname=practice") ==
          refused_at("at 127.0.0.1:5432", "not libpq's default sslmode=prefer"));
    CHECK(refusal("postgresql://owner@localhost:5433/practice?hostaddr=127.0.0.1&sslmode=prefer") ==
          refused_at("at localhost:5433", "not sslmode=prefer"));
    // One TCP host in a list is enough: libpq may fall through to it.
    CHECK(refusal("postgresql://owner@/practice?host=/tmp/sock,db.example.org&port=5432,5433") ==
          refused_at("at db.example.org:5433", "not libpq's default sslmode=prefer"));
}

TEST_CASE("a refusal never carries the password", "[server_url]") {
    CleanLibpqEnvironment clean;
    for (const std::string url : {"postgresql://owner:Secret9pw@localhost:5433/practice?sslmode=require",
                                  "host=localhost password=Secret9pw dbname=practice",
                                  "postgresql://owner@localhost/practice?password=Secret9pw"}) {
        const auto message = refusal(url);
        INFO(url);
        REQUIRE(message);
        CHECK(message->find("Secret9pw") == std::string::npos);
        CHECK(message->find('\n') == std::string::npos);
    }
}

TEST_CASE("what the URL leaves out is read from libpq's environment", "[server_url]") {
    CleanLibpqEnvironment clean;
    {
        ScopedEnv host("PGHOST", "db.example.org"), port("PGPORT", "5434");
        CHECK(refusal("postgresql:///practice") ==
              refused_at("at db.example.org:5434", "not libpq's default sslmode=prefer"));
        ScopedEnv sslmode("PGSSLMODE", "verify-full");
        CHECK(refusal("postgresql:///practice") == std::nullopt);
        // The URL's own sslmode wins over the environment's, as in libpq.
        CHECK(refusal("postgresql:///practice?sslmode=require") ==
              refused_at("at db.example.org:5434", "not sslmode=require"));
        // The URL's host wins too: a socket is fine.
        CHECK(refusal("postgresql:///practice?host=/tmp/sock&sslmode=disable") == std::nullopt);
    }
    {
        ScopedEnv sslmode("PGSSLMODE", "require");
        CHECK(refusal("postgresql://owner@localhost/practice") == refused_at("at localhost", "not PGSSLMODE=require"));
    }
    {
        // Each option on its own, as libpq fills them: the URL's socket with
        // PGHOSTADDR is TCP to that address.
        ScopedEnv hostaddr("PGHOSTADDR", "192.0.2.7");
        CHECK(refusal("dbname=practice") == refused_at("at 192.0.2.7", "not libpq's default sslmode=prefer"));
        CHECK(refusal("host=/tmp/sock port=5432 dbname=practice") ==
              refused_at("at 192.0.2.7:5432", "not libpq's default sslmode=prefer"));
    }
}

TEST_CASE("a connection service, whose file Attune does not read, needs verify-full in the URL", "[server_url]") {
    CleanLibpqEnvironment clean;
    CHECK(refusal("service=practice dbname=practice") == refused_at("of the connection service \"practice\"", ""));
    CHECK(refusal("service=practice sslmode=verify-full") == std::nullopt);
    // Even with a socket in the URL: the service's file could give a hostaddr.
    CHECK(refusal("service=practice host=/tmp/sock") == refused_at("of the connection service \"practice\"", ""));
    // PGSSLMODE does not count: the service's file would override it.
    ScopedEnv service("PGSERVICE", "practice"), sslmode("PGSSLMODE", "verify-full");
    CHECK(refusal("postgresql://owner@localhost/practice") == refused_at("at localhost", ""));
    CHECK(refusal("dbname=practice") == refused_at("of the connection service \"practice\"", ""));
}

TEST_CASE("a URL libpq cannot read is left to the connection to report", "[server_url]") {
    CleanLibpqEnvironment clean;
    CHECK(refusal("not a url") == std::nullopt);
    CHECK(refusal("postgresql://owner@localhost/practice?nosuchoption=1") == std::nullopt);
}
