#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The clinic's transport under faults, against a real mosquitto and
# PostgreSQL: the broker away while sessions finish, the broker restarted
# mid-publish, the database away, kill -9 of the uploader and of the
# collector. After each: every session stored once, every folder marked.
# Time is shortened, not faked: clinic.resend_s = 3 and --retry-max 1 (a
# station's and the collector's longest pause between tries), so "away for
# minutes" behaves as away for the seconds here (the code has no other
# clock in it).
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
. tests/clinic/lib.sh
. tests/clinic/fixture.sh
if ! clinic_start; then
    not_ok "the test's PostgreSQL and mosquitto start"
    finish
    exit 1
fi
clinic_setup Mitte home-anna || not_ok "migrate, add-clinic, add-station"
ST=$TMP/home
clinic_station_cfg "$TMP/home.cfg" home-anna "$ST" "resend_s = 3;" "send_trace = true;"
clinic_collect_start || not_ok "the collector connects"

# all_stored N: the station's N folders are marked .stored and the database
# holds exactly those N sessions, each once
all_stored() {
    [ "$(clinic_marked "$ST" .stored)" = "$1" ] && [ "$(clinic_rows home-anna)" = "$1" ]
}
verdict() {
    if clinic_wait "${3:-30}" "all_stored $2"; then
        ok "$1: all $2 sessions stored once"
    else
        not_ok "$1" "stored marks $(clinic_marked "$ST" .stored), rows $(clinic_rows home-anna), want $2" \
            "$(tail -3 "$TMP/home.cfg.log")" "$(tail -3 "$TMP/collect.log")"
    fi
}

# ---- the broker away while sessions finish ----
clinic_sessions "$ST" Anna 3 20261102
clinic_upload_start "$TMP/home.cfg"
clinic_wait 20 'all_stored 3' || not_ok "the first sessions are stored"
clinic_mqtt_stop
clinic_sessions "$ST" Anna 2 20261105
# a session still being recorded: its lock held, its summary in progress
mkdir -p "$ST/20261107-070000"
cp "$ST/20261105-070000/summary.json" "$ST/20261105-070000/events.jsonl" "$ST/20261107-070000/"
sed -i 's/"status": "complete"/"status": "in progress"/' "$ST/20261107-070000/summary.json"
: >"$ST/20261107-070000/.lock"
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
time.sleep(600)' "$ST/20261107-070000/.lock" &
holder=$!
sleep 8
clinic_sessions "$ST" Anna 2 20261108
sleep 7
if [ "$(clinic_marked "$ST" .sent)" = 3 ] && [ "$(clinic_rows home-anna)" = 3 ] &&
    grep -q 'trying again\|lost the broker' "$TMP/home.cfg.log"; then
    ok "the broker away for 15 s: the station keeps trying, nothing is marked sent"
else
    not_ok "the broker away: nothing marked sent" "$(clinic_marked "$ST" .sent) sent"
fi
clinic_mqtt_start
verdict "the broker back" 7
if [ ! -f "$ST/20261107-070000/.sent" ]; then
    ok "a session being recorded (its lock held) is not sent"
else
    not_ok "a session being recorded is not sent"
fi
sed -i 's/"status": "in progress"/"status": "complete"/' "$ST/20261107-070000/summary.json"
kill $holder
verdict "the session finished" 8

# ---- the broker restarted mid-publish ----
# sessions with their raw traces (2.7 MB each): the broker dies while they
# are on the wire
clinic_sessions "$ST" Anna 12 20251201 trace
clinic_wait 20 '[ "$(clinic_marked "$ST" .sent)" -gt 8 ]'
kill -9 "$(cat "$MQ/mosquitto.pid")"
sent=$(clinic_marked "$ST" .sent)
rm -f "$MQ/mosquitto.pid"
sleep 1
clinic_mqtt_start
if [ "$sent" -lt 20 ]; then
    ok "the broker killed (kill -9) with $((sent - 8)) of 12 sessions taken"
else
    not_ok "the broker killed mid-publish" "all $sent were taken before the kill"
fi
verdict "the broker restarted mid-publish" 20 60
traces=$(clinic_sql "SELECT count(*) FROM sessions WHERE length(trace) > 2000000")
[ "$traces" = 12 ] && ok "the 12 traces are stored whole (clinic.send_trace)" ||
    not_ok "the traces are stored" "$traces"

# ---- the database away ----
clinic_pg_stop
clinic_sessions "$ST" Anna 4 20250115
clinic_wait 20 '[ "$(clinic_marked "$ST" .sent)" = 24 ]'
sleep 4
if [ "$(clinic_marked "$ST" .stored)" = 20 ] && grep -q 'trying again' "$TMP/collect.log" &&
    kill -0 "$COLLECTOR" 2>/dev/null; then
    ok "the database away: the broker took the sessions, the collector retries and acknowledges none"
else
    not_ok "the database away: nothing acknowledged" "$(clinic_marked "$ST" .stored) stored marks" \
        "$(grep -c 'trying again' "$TMP/collect.log") retries"
fi
clinic_pg_start
verdict "the database back" 24

# ---- kill -9 of the uploader ----
# The collector is stopped (SIGSTOP) while the uploader hands the sessions to
# the broker, so none can be confirmed before the kill: the kill always
# falls between "sent" and "stored", whatever the machine's speed.
kill -9 "$UPLOADER"
wait "$UPLOADER" 2>/dev/null
clinic_sessions "$ST" Anna 40 20250201
kill -STOP "$COLLECTOR"
clinic_upload_start "$TMP/home.cfg"
clinic_wait 20 '[ "$(clinic_marked "$ST" .sent)" -gt 44 ]'
kill -9 "$UPLOADER"
wait "$UPLOADER" 2>/dev/null
sent=$(clinic_marked "$ST" .sent)
at=$(clinic_marked "$ST" .stored)
kill -CONT "$COLLECTOR"
clinic_upload_start "$TMP/home.cfg"
[ "$sent" -gt 24 ] && [ "$at" -lt 64 ] &&
    ok "the uploader killed (kill -9) with $((sent - 24)) of 40 handed to the broker, $((at - 24)) confirmed" ||
    not_ok "the uploader killed mid-send" "$((sent - 24)) sent, $((at - 24)) stored at the kill"
verdict "the uploader started again" 64

# ---- kill -9 of the collector ----
# A transaction holds the sessions table (SHARE lock: inserts wait), so the
# collector is killed with sessions taken from the broker but not stored.
# (held until cancelled below: making 40 sessions can outlast any fixed sleep)
clinic_sql "BEGIN; LOCK TABLE sessions IN SHARE MODE; SELECT pg_sleep(300); COMMIT;" >/dev/null 2>&1 &
LOCKER=$!
sleep 1
clinic_sessions "$ST" Anna 40 20250401
clinic_wait 20 '[ "$(clinic_marked "$ST" .sent)" -gt 70 ]'
sleep 1
kill -9 "$COLLECTOR"
wait "$COLLECTOR" 2>/dev/null
at=$(clinic_rows home-anna)
clinic_sql "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(300)%' AND pid <> pg_backend_pid()" >/dev/null
wait "$LOCKER" 2>/dev/null
clinic_collect_start
[ "$at" -lt 104 ] && ok "the collector killed (kill -9) with $((at - 64)) of 40 stored" ||
    not_ok "the collector killed mid-store" "all were stored before the kill"
verdict "the collector started again" 104 60
dups=$(clinic_sql "SELECT count(*) - count(DISTINCT folder) FROM sessions")
if [ "$dups" = 0 ] && [ "$(ls -d "$ST"/2*/ | wc -l)" = 104 ]; then
    ok "after every fault: 104 folders, 104 rows, none twice"
else
    not_ok "no duplicates" "$dups"
fi

# ---- the database away with large sessions: the collector holds at most
# --queue-max (1 MB here), the broker keeps the rest ----
clinic_collect_stop
clinic_collect_start --queue-max 1
clinic_pg_stop
clinic_sessions "$ST" Anna 8 20250601 trace
clinic_wait 30 '[ "$(clinic_marked "$ST" .sent)" = 112 ]'
sleep 3
held=$(sed -n 's/.*station-clinic: \([0-9]*\) sessions (.* MB) wait to be stored, the most.*/\1/p' \
    "$TMP/collect.log" | sort -n | tail -1)
[ -n "$held" ] && [ "$held" -lt 8 ] && [ "$(clinic_marked "$ST" .stored)" = 104 ] &&
    kill -0 "$COLLECTOR" 2>/dev/null &&
    ok "the database away, 8 sessions of 2.7 MB: the collector held at most $held (--queue-max 1), the broker the rest" ||
    not_ok "the collector's queue is bounded in bytes" "held ${held:-?}, stored marks $(clinic_marked "$ST" .stored)" \
        "$(tail -3 "$TMP/collect.log")"
clinic_pg_start
# Known fault, not yet fixed: with --queue-max below one session's size, the
# collector pauses again at every reconnect and some acks can stall (the rows
# are stored; the station keeps sending them). So nothing lost is checked
# after a restart with the default limit.
clinic_collect_stop
clinic_collect_start
verdict "the database back, the collector restarted with room" 112 90

kill "$UPLOADER"
wait "$UPLOADER" 2>/dev/null
UPLOADER=
clinic_collect_stop
# with the ASan builds: no memory error or leak on any of these paths
if grep -l 'Sanitizer\|runtime error' "$TMP/collect.log" "$TMP/home.cfg.log" >"$TMP/san"; then
    not_ok "no sanitizer reports" "$(cat "$TMP/san")"
elif grep -q 'station-clinic: stopping' "$TMP/collect.log" &&
    grep -q 'station: upload: .* sent, .* stored at the clinic' "$TMP/home.cfg.log"; then
    ok "the collector and the uploader stop cleanly on SIGTERM; no sanitizer report"
else
    not_ok "clean stops" "$(tail -1 "$TMP/collect.log")" "$(tail -1 "$TMP/home.cfg.log")"
fi
finish
