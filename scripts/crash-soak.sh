#!/usr/bin/env bash
# The long crash-consistency run, outside CI: 10,000 SIGKILLs by default, in
# batches of 500 with a different seed each, so that a partial run still counts.
# Each batch's result is appended to the log; docs/crash-soak.md records a run.
# The soak opens the database with a raw 256-bit key (x'<64 hex>'), which
# SQLCipher uses without PBKDF2, so a round costs the writing and the checking
# rather than two key derivations; CI's 200 kills keep a derived key.
# Usage: scripts/crash-soak.sh [KILLS] [LOG]
set -euo pipefail
cd "$(dirname "$0")/.."
KILLS=${1:-10000}
LOG=${2:-crash-soak.log}
BATCH=500
bash scripts/build.sh >/dev/null
done_kills=0
batch=0
while [ "$done_kills" -lt "$KILLS" ]; do
  n=$(( KILLS - done_kills < BATCH ? KILLS - done_kills : BATCH ))
  seed=$(( 1000 + batch ))
  start=$(date +%s)
  raw_key="x'$(printf '%064x' "$seed")'"
  if ATTUNE_CRASH_RAW_KEY="$raw_key" ATTUNE_CRASH_KILLS="$n" ATTUNE_CRASH_SEED="$seed" build/tests/test_app "[crash]" >"$LOG.batch" 2>&1; then
    result=passed
  else
    result=FAILED
  fi
  done_kills=$(( done_kills + n ))
  echo "$(date -u +%FT%TZ) batch $batch seed $seed kills $n ($done_kills/$KILLS) $result in $(( $(date +%s) - start )) s" | tee -a "$LOG"
  if [ "$result" = FAILED ]; then cat "$LOG.batch" >>"$LOG"; exit 1; fi
  batch=$(( batch + 1 ))
done
rm -f "$LOG.batch"
echo "all $KILLS kills passed" | tee -a "$LOG"
