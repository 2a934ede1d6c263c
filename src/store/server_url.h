// server_url.h: what Attune asks of a practice server's URL before it connects
// (issue 21). Over the network the server must be reached with TLS that checks
// its certificate and its name (libpq's sslmode=verify-full): anything less
// lets a machine in between read the clinical data or pose as the server. A
// local Unix socket needs no TLS.
#pragma once

#include <string>

#include "core/error.h"

namespace attune::store {

using StoreError = attune::Error;  // as in store/database.h

// Throws StoreError Invalid (one line, never the password) when `url`, read as
// libpq reads it, reaches any of its hosts over TCP (a host name or address:
// anything but a socket path, "/..." or "@...") without sslmode=verify-full.
// What the URL leaves out is taken where libpq takes it: PGHOST, PGHOSTADDR,
// PGPORT and PGSSLMODE; but with a connection service (service= or PGSERVICE),
// whose file this does not read, the URL itself must say sslmode=verify-full.
// A URL libpq cannot read passes: the connection reports it. Which root
// certificate to trust (sslrootcert, by default ~/.postgresql/root.crt) is
// libpq's to check.
void require_verified_tls(const std::string& url);

}  // namespace attune::store
