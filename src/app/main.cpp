// attune: the one binary. No arguments opens the window; otherwise a command.
#include "app/cli.h"

#include <sys/stat.h>

int main(int argc, char** argv) {
    // Everything Attune creates (practices, keyrings, backups, exports,
    // screenshots, folders) is the user's alone: files 0600, folders 0700.
    ::umask(077);
    return attune::app::run_cli(argc, argv);
}
