// bench_server.h: the `server` group of attune-bench (issue 21, opt-in with
// --server): one practice's sync with a PostgreSQL 15 practice server and one
// observation's round trip between two machines, each against a floor taken
// in the same run on the same server (a raw COPY of the same rows; a bare
// INSERT + SELECT through psql). Needs Debian's postgresql-15: without it the
// group reports itself skipped, with the reason.
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace attune::app::bench {

struct ServerBenchOptions {
    std::filesystem::path work;  // practices, CSV files and the config folder go here
    // Practice sizes, smallest first: small (2 cases, 20 sessions, 2,000
    // observations), between (6, 180, 18,000), medium (20, 1,200, 120,000),
    // large (200, 12,000, 1,200,000; not by default).
    std::vector<std::string> sizes{"small", "between", "medium"};
    int runs = 5;  // round trips, in-step syncs and floor runs per size
    // tests/server/throwaway_cluster.sh (a cluster of the bench's own per size).
    std::filesystem::path cluster_script;
};

// {"measured": bool, "reason": why not, "sizes": {size: figures}}. `phase`
// hears what is being done (progress on stderr). Throws attune::Error when a
// step fails for another reason than a missing PostgreSQL.
nlohmann::json measure_server(const ServerBenchOptions& options, const std::function<void(const std::string&)>& phase);

// The group's lines of the bench's table.
void print_server_table(const nlohmann::json& server, std::ostream& os);

}  // namespace attune::app::bench
