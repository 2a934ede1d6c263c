#!/usr/bin/env bash
# The long crash-consistency run (10,000 SIGKILLs by default; not part of CI).
# Its result is written down in docs/crash-soak.md.
set -euo pipefail
cd "$(dirname "$0")/.."
KILLS=${1:-10000}
bash scripts/build.sh >/dev/null
time ATTUNE_CRASH_KILLS="$KILLS" build/tests/test_app "[crash]"
