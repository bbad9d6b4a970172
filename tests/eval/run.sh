#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make eval: generate the fixed evaluation set (cached in build/eval) and
# score the analysis on it, with the reference method beside it.
set -eu
cd "$(dirname "$0")/../.."
STATION=${STATION:-build/station}
DIR=${EVAL_DIR:-build/eval}
mkdir -p "$DIR"
SCENARIOS="rocking rocking-slow rocking-fast rocking-uneven table-stretch nerve-root \
child-pose backblock bounce settling drift rocking-cold deep-breath session stage2"
RATES="50 100 200 500 1000"
SEEDS=${EVAL_SEEDS:-"1 2 3 4 5"}
traces=""
for sc in $SCENARIOS; do
    for seed in $SEEDS; do
        # each seed its own sample rate, so every rate meets every scenario
        set -- $RATES
        shift $(( (seed - 1) % 5 ))
        rate=$1
        f="$DIR/${sc}_s${seed}_${rate}hz.csv"
        if [ ! -s "$f" ] || [ "$STATION" -nt "$f" ]; then
            "$STATION" simulate --scenario "$sc" --seed "$seed" --rate "$rate" --out "$f" 2>/dev/null
        fi
        traces="$traces $f"
    done
done
# the same scenarios on a poorer sensor: 3x the noise, gyro bias up to 15 deg/s
for sc in rocking-cold rocking-uneven session bounce deep-breath; do
    for seed in $SEEDS; do
        set -- $RATES
        shift $(( (seed - 1) % 5 ))
        f="$DIR/stress-${sc}_s${seed}_$1hz.csv"
        if [ ! -s "$f" ] || [ "$STATION" -nt "$f" ]; then
            "$STATION" simulate --scenario "$sc" --seed "$seed" --rate "$1" --noise 3 --bias 15 \
                --out "$f" 2>/dev/null
        fi
        traces="$traces $f"
    done
done
# the second, independent family: the leg model (src/sim/leg.c), 100-500 Hz,
# gyro bias up to 15 deg/s
LEG="leg-lopsided leg-slow leg-uneven leg-fade leg-sway leg-bounce leg-cold"
LEG_SEEDS=${EVAL_LEG_SEEDS:-"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"}
for sc in $LEG; do
    for seed in $LEG_SEEDS; do
        set -- 100 200 300 400 500
        shift $(( (seed - 1) % 5 ))
        f="$DIR/${sc}_s${seed}_$1hz.csv"
        if [ ! -s "$f" ] || [ "$STATION" -nt "$f" ]; then
            "$STATION" simulate --scenario "$sc" --seed "$seed" --rate "$1" --bias 15 \
                --out "$f" 2>/dev/null
        fi
        traces="$traces $f"
    done
done
# real recordings (tests/traces/real/, see SOURCES.md there)
for f in tests/traces/real/*.csv; do
    [ -e "$f" ] || continue
    case "$f" in *.truth.csv) continue ;; esac
    traces="$traces $f"
done
# the same at the rocking tempo: each replayed faster so that its stride
# rate is 1.1 Hz, the truth scaled alike (tests/eval/tempo.py)
tempo=""
for f in tests/traces/real/*.csv; do
    case "$f" in *.truth.csv) continue ;; esac
    out="$DIR/real-tempo/${f##*/}"
    if [ ! -s "$out" ] || [ "$f" -nt "$out" ] || [ "${f%.csv}.truth.csv" -nt "$out" ] ||
        [ tests/eval/tempo.py -nt "$out" ]; then
        tempo="$tempo $f"
    fi
    traces="$traces $out"
done
[ -z "$tempo" ] || python3 tests/eval/tempo.py 1.1 "$DIR/real-tempo" $tempo
# recorded traces with truth files go beside the synthetic ones (the golden
# traces made by the simulator are already covered by the scenarios above)
for f in tests/traces/*.csv; do
    case "$f" in *.truth.csv) continue ;; esac
    grep -q '^# source=simulated' "$f" && continue
    [ -e "${f%.csv}.truth.csv" ] && traces="$traces $f"
done
echo "station eval: $(echo $traces | wc -w) traces (thigh model: $(echo $SCENARIOS | wc -w) scenarios x seeds $SEEDS, 50-1000 Hz; leg model: $(echo $LEG | wc -w) scenarios x $(echo $LEG_SEEDS | wc -w) seeds, 100-500 Hz)"
rc=0
build/tests/eval ${EVAL_VERBOSE:+-v} $traces || rc=1
echo
# stage-2 sessions against the truth: micro-bounce round starts, sessions
# complete and the advanced stretch credited (tests/eval/stage2.sh)
STATION="$STATION" tests/eval/stage2.sh || rc=1
exit $rc
