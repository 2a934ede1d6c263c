// attune: the one binary. No arguments opens the window; otherwise a command.
#include "app/cli.h"

int main(int argc, char** argv) { return attune::app::run_cli(argc, argv); }
