#!/usr/bin/env bash
# Configures and builds Attune in ./build (Release with debug info, -j2).
# Extra arguments go to cmake's configure step, e.g. -DATTUNE_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${ATTUNE_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$BUILD_DIR" -j "${ATTUNE_JOBS:-2}"
