// The export commands (filled in by the export work).
#include "app/cli.h"

namespace attune::app {

void register_export_commands() {}

}  // namespace attune::app
