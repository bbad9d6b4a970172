#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make soak: the headless station on the emulated sensor at many times real
# time, sessions following each other, for SOAK_HOURS hours of data (0.5 by
# default, as in make check; 24 by hand). Memory and open files are read
# from /proc while it runs: both must stay flat, and every sample the FIFO
# delivered during a session must be stored. FIFO overflows are reported: at
# 100x the FIFO holds 8.5 ms of wall time (850 ms at real time), so a
# scheduler stall on a busy machine can overflow it; they are counted, and
# their gaps are in the records.
set -u
cd "$(dirname "$0")/.."
HOURS=${SOAK_HOURS:-0.5}
SPEED=${SOAK_SPEED:-100}
STATION=${STATION:-build/station}
# sessions on tmpfs where there is one: at 200x a second of data is 5 ms, and
# a disk fsync each time would measure the disk, not the station
base=/dev/shm; [ -d "$base" ] && [ -w "$base" ] || base=${TMPDIR:-/tmp}
TMP=$(mktemp -d "$base/station-soak.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
secs=$(awk -v h="$HOURS" 'BEGIN { print h * 3600 }')
"$STATION" run --headless --mute --sensor emu --speed "$SPEED" --seconds "$secs" \
    --storage "$TMP/s" >"$TMP/out" 2>"$TMP/err" &
pid=$!
sleep 3
rss0=$(awk '/VmRSS/ { print $2 }' /proc/$pid/status)
fd0=$(ls /proc/$pid/fd | wc -l)
rss_max=$rss0
fd_max=$fd0
while kill -0 $pid 2>/dev/null; do
    r=$(awk '/VmRSS/ { print $2 }' /proc/$pid/status 2>/dev/null)
    f=$(ls /proc/$pid/fd 2>/dev/null | wc -l)
    [ -n "$r" ] && [ "$r" -gt "$rss_max" ] && rss_max=$r
    [ -n "$f" ] && [ "$f" -gt "$fd_max" ] && fd_max=$f
    [ -n "$r" ] && rss1=$r && fd1=$f
    sleep 1
done
wait $pid
rc=$?
sessions=$(ls "$TMP/s" | wc -l)
counts=$(sed -n 's/.*sensor: \(.*\)/\1/p' "$TMP/err")
records=$(sed -n 's/.*records: \(.*\)/\1/p' "$TMP/err")
during=$(echo "$records" | sed -n 's/^\([0-9]*\) samples during.*/\1/p')
stored=$(echo "$records" | sed -n 's/.*, \([0-9]*\) stored$/\1/p')
rows=$(cat "$TMP"/s/*/trace.csv | grep -c '^[0-9]')
echo "soak: ${HOURS} h of data at ${SPEED}x: $sessions sessions, $rows samples stored"
echo "soak: memory ${rss0} kB after start, ${rss1:-?} kB at the end (peak ${rss_max} kB); open files ${fd0} -> ${fd1:-?} (peak ${fd_max})"
echo "soak: $counts"
echo "soak: $records"
ok=1
[ $rc -eq 0 ] || { echo "not ok - soak: exit code $rc"; ok=0; }
# flat: growth under 1 MB, no more open files than at the start (+1 for a session's files)
[ $((rss_max - rss0)) -lt 1024 ] || { echo "not ok - soak: memory grew by $((rss_max - rss0)) kB"; ok=0; }
[ "$fd_max" -le $((fd0 + 1)) ] || { echo "not ok - soak: open files grew to $fd_max"; ok=0; }
[ -n "$during" ] && [ "$during" = "$stored" ] && [ "$stored" -eq "$rows" ] ||
    { echo "not ok - soak: $during samples during sessions, $stored stored, $rows in the files"; ok=0; }
echo "$counts" | grep -q ', 0 losses, 0 I2C errors' || { echo "not ok - soak: the sensor was lost"; ok=0; }
echo "$counts" | grep -q ', 0 resets' || { echo "not ok - soak: the data-flow watchdog reset a healthy sensor"; ok=0; }
[ "$sessions" -ge 2 ] || { echo "not ok - soak: $sessions sessions"; ok=0; }
if [ $ok -eq 1 ]; then echo "ok - soak: memory and open files flat, every delivered sample stored"; fi
[ $ok -eq 1 ]
