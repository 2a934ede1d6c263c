#include "services/practice_server.h"

#include "store/practice_server.h"

namespace attune::services {

ServerInitReport init_practice_server(const std::string& url) {
    const auto server = store::PracticeServer::connect(url);
    const store::ServerSchemaChange change = server->migrate_schema();
    return ServerInitReport{server->where(), change.before, change.after};
}

}  // namespace attune::services
