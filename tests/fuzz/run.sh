#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make fuzz: libFuzzer (clang) on the configuration and phrase loaders, the
# trace reader (with the analysis behind it), the button-script reader and
# the MPU-6050 driver's FIFO path. Seeds come from tests/fuzz/corpus; new
# inputs stay in build-fuzz. FUZZ_SECONDS per target (default 12: about a
# minute in all, as in make check); longer by hand. A crash fails the run
# and leaves its input in build-fuzz/ to become a regression test.
set -u
cd "$(dirname "$0")/../.."
SECS=${FUZZ_SECONDS:-12}
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0"
failed=0
passed=0
for t in config trace script fifo; do
    bin=build-fuzz/fuzz_$t
    corpus=build-fuzz/corpus-$t
    mkdir -p "$corpus"
    cp -n tests/fuzz/corpus/$t/* "$corpus"/ 2>/dev/null
    if "$bin" -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix=build-fuzz/crash-$t- "$corpus" >build-fuzz/$t.log 2>&1; then
        runs=$(sed -n 's/^#\([0-9]*\).*DONE.*/\1/p' build-fuzz/$t.log | tail -1)
        cov=$(sed -n 's/.*DONE *cov: \([0-9]*\).*/\1/p' build-fuzz/$t.log | tail -1)
        echo "ok - fuzz_$t: ${runs:-?} inputs in ${SECS} s, coverage ${cov:-?}, corpus $(ls "$corpus" | wc -l)"
        passed=$((passed + 1))
    else
        echo "not ok - fuzz_$t: a crash, input saved as build-fuzz/crash-$t-*"
        grep -A12 'ERROR\|SUMMARY' build-fuzz/$t.log | head -30 | sed 's/^/#   /'
        failed=$((failed + 1))
    fi
done
echo "# fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
