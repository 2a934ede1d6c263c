#!/usr/bin/env bash
# The fuzzing and sanitizer stage of CI, called at the end of scripts/test.sh
# (docs/fuzzing.md explains the targets and how to fuzz for longer):
#   1. the libFuzzer targets in fuzz/ are built with clang-14 (ATTUNE_FUZZ=ON,
#      ASan+UBSan) in build-fuzz/ and each runs ATTUNE_FUZZ_SECONDS (default
#      20) over its committed corpus; a crash, a sanitizer report or a hang
#      fails the stage and leaves the input in build-fuzz/artifacts/;
#   2. the whole ctest suite is built with gcc and -DATTUNE_SANITIZE=ON in
#      build-asan/ and run with the crash test cut to 20 kills, the
#      packaging test left out (it installs and builds a .deb; it tests no
#      code of ours that the other tests do not) and the command-line tests
#      left out (see asan_stage). LeakSanitizer reports are
#      suppressed for system libraries only (scripts/lsan-suppressions.txt).
# ATTUNE_SANITIZE_STAGE=all (the default: both), =fuzz or =asan. How long CI
# takes on 2 cores is in the README.
# In CI the fuzzers run a fixed number of mutations from a fixed seed, so that a
# run is repeatable: a new crash is found by fuzzing longer (docs/fuzzing.md),
# not by chance in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=${ATTUNE_JOBS:-2}
STAGE=${ATTUNE_SANITIZE_STAGE:-all}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/scripts/lsan-suppressions.txt:print_suppressions=0}

fuzz_stage() {
    local build=${ATTUNE_FUZZ_BUILD_DIR:-build-fuzz}
    local seconds=${ATTUNE_FUZZ_SECONDS:-20}
    local targets=(boris scheme settings bundle keyring instrument)
    CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTUNE_FUZZ=ON \
        -DATTUNE_BUILD_TESTS=OFF >/dev/null
    cmake --build "$build" -j "$JOBS" --target "${targets[@]/#/fuzz_}"
    mkdir -p "$build/artifacts"
    local failed=()
    for target in "${targets[@]}"; do
        # New inputs go to a scratch folder: the committed corpus is only read.
        local scratch
        scratch=$(mktemp -d)
        local corpora=("$scratch" "fuzz/corpus/$target")
        # BORIS's own sample files are read in place when present (they may not be copied into the repository).
        if [ "$target" = boris ] && [ -d ../shared/interop/boris ]; then corpora+=(../shared/interop/boris); fi
        echo "fuzz: $target"
        # Mutations per target, about 20 s each for bundle and boris and 10 s for the four small
        # JSON readers, so six targets take about the time four did; ATTUNE_FUZZ_SECONDS instead
        # fuzzes by time.
        local runs
        case "$target" in bundle) runs=1500 ;; boris) runs=1000 ;; *) runs=10000 ;; esac
        local budget=(-seed=1 -runs="$runs")
        if [ -n "${ATTUNE_FUZZ_SECONDS:-}" ]; then budget=(-max_total_time="$seconds"); fi
        if ! "$build/fuzz/fuzz_$target" "${budget[@]}" -timeout=30 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" "${corpora[@]}" \
            >"$build/artifacts/$target.log" 2>&1; then
            failed+=("$target")
            tail -n 60 "$build/artifacts/$target.log"
        fi
        grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$build/artifacts/$target.log" || true
        rm -rf "$scratch"
    done
    if [ ${#failed[@]} -ne 0 ]; then
        echo "fuzz: FAILED: ${failed[*]} (inputs in $build/artifacts/)" >&2
        return 1
    fi
    echo "fuzz: every target ran without a crash"
}

asan_stage() {
    local build=${ATTUNE_ASAN_BUILD_DIR:-build-asan}
    # No -Werror here: gcc 12 gives false -Wrestrict warnings with -fsanitize=address
    # (the normal build already treats warnings as errors).
    # -O1 -g1: much quicker to build on two cores, and line tables are all a report needs.
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTUNE_SANITIZE=ON \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" >/dev/null
    cmake --build "$build" -j "$JOBS"
    export LIBGL_ALWAYS_SOFTWARE=1 ATTUNE_CRASH_KILLS=${ATTUNE_CRASH_KILLS:-20}
    # The command-line tests (app:) are left out here: each runs the attune
    # binary several times, and each run unlocks a practice with Argon2id at
    # MODERATE limits, which under ASan was most of this stage's time; the
    # code they reach is the services' and the store's, which the services,
    # attack and UI tests run under the sanitizers. They run in the normal suite.
    local args=(--test-dir "$build" --output-on-failure -j "$JOBS" -E "^(packaging|app):")
    if [ -z "${DISPLAY:-}" ]; then
        xvfb-run -a -s "-screen 0 1920x1080x24" ctest "${args[@]}"
    else
        ctest "${args[@]}"
    fi
}

case "$STAGE" in
    all) fuzz_stage; asan_stage ;;
    fuzz) fuzz_stage ;;
    asan) asan_stage ;;
    *) echo "ATTUNE_SANITIZE_STAGE must be all, fuzz or asan" >&2; exit 2 ;;
esac
