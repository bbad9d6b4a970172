#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make bench: what the analysis costs. Instruction counts come from
# valgrind's callgrind (the same on a busy or an idle machine); times are
# best-of-3 wall clock and vary with the machine.
set -eu
cd "$(dirname "$0")/.."
DIR=build/bench
mkdir -p "$DIR"
for rate in 100 1000; do
    f="$DIR/session_${rate}hz.csv"
    [ -s "$f" ] || build/station simulate --scenario session --seed 7 --rate $rate --out "$f" 2>/dev/null
done

echo "station bench: a stage-1 session from the thigh model (7 min), at 100 and 1000 Hz"
printf '%-12s %10s %14s %14s %16s %12s\n' trace samples instr/sample core_xRT analyze_xRT peak_RSS_kB
for rate in 100 1000; do
    f="$DIR/session_${rate}hz.csv"
    out=$(build/tests/bench "$f" 3)
    samples=$(echo "$out" | sed -n 's/^samples //p')
    span=$(echo "$out" | sed -n 's/^span_s //p')
    xrt=$(echo "$out" | sed -n 's/^core_x_realtime //p')
    state=$(echo "$out" | sed -n 's/^state_bytes //p')
    valgrind --tool=callgrind --toggle-collect=bench_core --callgrind-out-file="$DIR/cg.out" \
        build/tests/bench "$f" 1 >/dev/null 2>&1
    ir=$(sed -n 's/^summary: *//p; s/^totals: *//p' "$DIR/cg.out" | head -1 | cut -d' ' -f1)
    per=$(awk -v a="$ir" -v b="$samples" 'BEGIN { printf "%.0f", a / b }')
    best=
    for k in 1 2 3; do
        t0=$(date +%s.%N)
        build/station analyze "$f" >/dev/null
        t1=$(date +%s.%N)
        d=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
        best=$(awk -v a="${best:-1e9}" -v b="$d" 'BEGIN { print (b < a) ? b : a }')
    done
    axrt=$(awk -v s="$span" -v d="$best" 'BEGIN { printf "%.0f", s / d }')
    rss=$( { /usr/bin/time -f %M build/station analyze "$f" >/dev/null; } 2>&1 | tail -1)
    printf '%-12s %10s %14s %14s %16s %12s\n' "${rate} Hz" "$samples" "$per" "${xrt}x" "${axrt}x" "$rss"
done
echo "motion core state: $state bytes (fixed; nothing grows with the session)"
echo "goals: <= 1000 instructions per sample, >= 10000x real time"
