#!/usr/bin/env bash
# Rewrites the export golden files (tests/data/golden/) from what the
# formatters make now, after a deliberate change of an export's output.
#
# The normal test run only compares (tests/formats/export_test.cpp fails on
# any difference) and never writes there. This script builds test_formats and
# runs the one hidden test case tagged [.update-goldens], which Catch2 runs
# only when asked for by its tag. Read the diff before committing it.
#
# Usage: scripts/update-goldens.sh [build-dir]   (default: build, or $ATTUNE_BUILD_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-${ATTUNE_BUILD_DIR:-build}}
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$BUILD_DIR" -j "${ATTUNE_JOBS:-2}" --target test_formats
"$BUILD_DIR/tests/test_formats" "[update-goldens]"
git --no-pager diff --stat -- tests/data/golden
echo "Golden files rewritten: read 'git diff tests/data/golden' before committing them."
