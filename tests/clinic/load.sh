#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Load: 50 stations, each with a week of sessions (one a day), all sending
# at once to a real mosquitto and PostgreSQL on this machine. Prints the
# sessions stored per second and the end-to-end delay (a session handed to
# the broker until its station has the clinic's confirmation: broker,
# collector, commit, ack, broker), median and 95th percentile.
# STATIONS=N and DAYS=N change the load.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
. tests/clinic/lib.sh
. tests/clinic/fixture.sh
STATIONS=${STATIONS:-50}
DAYS=${DAYS:-7}
TOTAL=$((STATIONS * DAYS))
if ! clinic_start; then
    not_ok "the test's PostgreSQL and mosquitto start"
    finish
    exit 1
fi
ids=$(seq -f 'load-%02g' 1 "$STATIONS")
# shellcheck disable=SC2086
clinic_setup Load $ids || not_ok "50 stations added"
# one station's week, copied to the others with a key of their own
clinic_sessions "$TMP/week" Anna "$DAYS" 20261123
akey=$(clinic_person_key "$TMP/week" Anna)
i=0
for id in $ids; do
    i=$((i + 1))
    mkdir -p "$TMP/st/$id"
    cp -r "$TMP"/week/2* "$TMP/st/$id/"
    sed -i "s/$akey/$(printf '%016x' "$i")/" "$TMP/st/$id"/*/summary.json
    clinic_station_cfg "$TMP/st/$id.cfg" "$id" "$TMP/st/$id"
done
clinic_collect_start || not_ok "the collector connects"
t0=$(date +%s.%N)
UPLOADERS=
for id in $ids; do
    "$STATION" upload --config "$TMP/st/$id.cfg" --once --timeout 120 --scan 0.5 --verbose \
        >"$TMP/st/$id.log" 2>&1 &
    UPLOADERS="$UPLOADERS $!"
done
clinic_wait 120 '[ "$(clinic_sql "SELECT count(*) FROM sessions")" -ge "$TOTAL" ]'
t1=$(date +%s.%N)
failed=0
for pid in $UPLOADERS; do wait "$pid" || failed=$((failed + 1)); done
UPLOADERS=
rows=$(clinic_sql "SELECT count(*) FROM sessions")
span=$(clinic_sql "SELECT extract(epoch FROM max(received) - min(received)) FROM sessions")
cat "$TMP"/st/*.log | sed -n 's/.* stored at the clinic \([0-9]*\) ms after sending/\1/p' >"$TMP/delays"
python3 - "$TMP/delays" "$t0" "$t1" "$rows" "$span" "$STATIONS" "$DAYS" <<'PY'
import statistics, sys
d = sorted(int(x) for x in open(sys.argv[1]) if x.strip())
t0, t1, rows, span = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5] or 0)
print(f"# load: {sys.argv[6]} stations x {sys.argv[7]} days = {rows} sessions stored in "
      f"{t1 - t0:.1f} s from the stations' start: {rows / (t1 - t0):.0f} sessions/s "
      f"({rows / span if span > 0 else 0:.0f}/s from the first row to the last)")
if d:
    p95 = d[min(len(d) - 1, int(round(0.95 * len(d) + 0.5)) - 1)]
    print(f"# end-to-end delay (handed to the broker until the station has the ack): "
          f"median {statistics.median(d):.0f} ms, p95 {p95} ms, max {d[-1]} ms, n = {len(d)}")
PY
if [ "$rows" = "$TOTAL" ] && [ "$failed" = 0 ] && [ "$(wc -l <"$TMP/delays")" = "$TOTAL" ]; then
    ok "$STATIONS stations sending a week at once: all $TOTAL sessions stored and confirmed"
else
    not_ok "load: all sessions stored" "$rows rows of $TOTAL, $failed uploaders failed"
fi
clinic_collect_stop
finish
