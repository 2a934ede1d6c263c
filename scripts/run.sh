#!/usr/bin/env bash
# One command for a newcomer: install what is missing, build, open Attune on
# the default practice database ($XDG_DATA_HOME/attune, else ~/.local/share/attune).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh
bash scripts/build.sh
exec "${ATTUNE_BUILD_DIR:-build}/src/attune" "$@"
