#!/usr/bin/env bash
# The figures of BENCHMARKS.md in one command: makes the demo databases (the
# large practice of issue 8 and its 1/10 and 1/100) and runs `attune-bench` on
# each under Xvfb with Mesa's software GL, so that idle CPU of the real window
# is measured too. Results: $OUT/<size>.json (BENCH_ARGS adds bench options).
#
#   bash scripts/bench.sh                 # small, medium, large (the large demo takes ~1.5 min to make)
#   bash scripts/bench.sh small medium    # only these sizes
#   BUILD=build-bench OUT=/tmp/attune-bench bash scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${OUT:-/tmp/attune-bench}
export ATTUNE_PASSPHRASE=${ATTUNE_PASSPHRASE:-bench passphrase}
# The practice's administrator (and clinician of some of the invented couples): the bench signs in as them.
export ATTUNE_USER=${ATTUNE_USER:-Bench Clinician}
export LIBGL_ALWAYS_SOFTWARE=1
# Build both programs (the bench is its own, never installed with Attune).
cmake --build "$BUILD" --target attune attune-bench >&2
ATTUNE=$(realpath "$BUILD/src/attune")
BENCH=$(realpath "$BUILD/src/attune-bench")
mkdir -p "$OUT"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(small medium large)
for size in "${sizes[@]}"; do
  case "$size" in
    small) cases=2 ;;     # 120 sessions, ~12,000 observations
    medium) cases=20 ;;   # 1,200 sessions, ~120,000 observations
    large) cases=200 ;;   # 12,000 sessions, ~1,200,000 observations
    *) echo "bench.sh: unknown size '$size' (small, medium, large)" >&2; exit 64 ;;
  esac
  db="$OUT/$size.db"
  if [ ! -f "$db" ]; then
    echo "bench.sh: making $db" >&2
    "$ATTUNE" demo --db "$db" --cases "$cases" --sessions 60 --events 100 --today 2026-11-01 >&2
  fi
  echo "bench.sh: measuring $size" >&2
  run=("$BENCH" --db "$db" --json)
  if [ -n "${BENCH_ARGS:-}" ]; then read -ra extra <<<"$BENCH_ARGS"; run+=("${extra[@]}"); fi
  if [ -z "${DISPLAY:-}" ]; then
    xvfb-run -a -s "-screen 0 1920x1080x24" "${run[@]}" >"$OUT/$size.json"
  else
    "${run[@]}" >"$OUT/$size.json"
  fi
  echo "bench.sh: wrote $OUT/$size.json" >&2
done
