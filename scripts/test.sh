#!/usr/bin/env bash
# One command for a newcomer and for CI: install what is missing, build with
# warnings as errors, run the whole test suite through ctest. GUI tests need
# a display: without one, the suite runs under Xvfb with Mesa's software GL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh
# The layers' includes point one way (the build enforces the links).
bash scripts/check-layers.sh
# ccache, when the machine has it (it is not a dependency), makes rebuilds of
# unchanged sources, also in a fresh clone, nearly free; CMake reads these.
if command -v ccache >/dev/null; then
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
  export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER:-ccache}
  # Paths inside the clone are hashed relative to it, so a clone at another
  # path (CI's fresh clone) reuses the objects of an earlier build.
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
fi
bash scripts/build.sh -DATTUNE_WERROR=ON
export LIBGL_ALWAYS_SOFTWARE=1
BUILD_DIR=${ATTUNE_BUILD_DIR:-build}
run_ctest() { ctest --test-dir "$BUILD_DIR" --output-on-failure -j "${ATTUNE_JOBS:-2}" "$@"; }
if [ -z "${DISPLAY:-}" ]; then
  xvfb-run -a -s "-screen 0 1920x1080x24" bash -c "$(declare -f run_ctest); BUILD_DIR='$BUILD_DIR'; run_ctest $*"
else
  run_ctest "$@"
fi
# A short, repeatable fuzz run, then the whole suite under ASan+UBSan
# (ATTUNE_SANITIZE_STAGE=fuzz or asan for one of them; docs/fuzzing.md); not
# when only some tests were asked for.
if [ $# -eq 0 ]; then bash scripts/sanitize-and-fuzz.sh; fi
