// Commands beyond the foundation register here.
#include "app/cli.h"
#include "app/cli_lookup.h"
#include "app/gui_main.h"

namespace attune::app {

void register_more_commands() { register_gui_commands(); }

}  // namespace attune::app
