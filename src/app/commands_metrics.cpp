// The metrics commands (filled in by the metrics work).
#include "app/cli.h"

namespace attune::app {

void register_metrics_commands() {}

}  // namespace attune::app
