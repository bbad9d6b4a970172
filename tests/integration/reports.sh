#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The printable reports (issue 13): one session, and one person over a
# period, as PDF and PNG; read back with poppler's pdftotext and pdfinfo.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
. tests/integration/history_fixture.sh

if ! command -v pdftotext >/dev/null 2>&1; then
    not_ok "reports: pdftotext and pdfinfo are missing (scripts/deps.sh installs poppler-utils)"
    finish
    exit 1
fi
pdf_text() { pdftotext -layout "$1" - 2>/dev/null; }
png_size() { python3 -c '
import struct, sys
d = open(sys.argv[1], "rb").read(24)
assert d[:8] == b"\x89PNG\r\n\x1a\n"
print("%dx%d" % struct.unpack(">II", d[16:24]))' "$1"; }

# --- one session --------------------------------------------------------------
d="$FIX/20261104-090000"
"$STATION" report "$d" >"$TMP/o" 2>&1; rc=$?
pdf_text "$d/report.pdf" >"$TMP/t"
if [ $rc -eq 0 ] && [ -s "$d/report.png" ] && contains "$TMP/o" "printable: $d/report.pdf and $d/report-print.png" &&
    [ "$(png_size "$d/report-print.png")" = 1190x1684 ] &&
    pdfinfo "$d/report.pdf" | grep -q "Page size: *595 x 842 pts (A4)" &&
    contains "$TMP/t" "Anna" && contains "$TMP/t" "LIVE" && contains "$TMP/t" "Wednesday 04 November 2026, 09:00" &&
    contains "$TMP/t" "station 1." && contains "$TMP/t" "Stopped early with the stop button" &&
    contains "$TMP/t" "not done: 50 of 60 s of rocking" && contains "$TMP/t" "Knees rocking, set by set" &&
    contains "$TMP/t" "cycles per second" && contains "$TMP/t" "132.0 s"; then
    ok "report SESSION: the screen picture as before, and an A4 PDF and PNG: person, date, station, software, LIVE, targets against what was done, the early stop, charts with units"
else not_ok "report SESSION: the printable report" "rc=$rc" "$(cat "$TMP/o")" "$(head -20 "$TMP/t")"; fi

d="$FIX/20261118-090000"
"$STATION" report --out "$TMP/dark.png" --pdf "$TMP/replay.pdf" "$d" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && [ -s "$TMP/replay.png" ] && pdf_text "$TMP/replay.pdf" | grep -q "REPLAY" &&
    pdf_text "$TMP/replay.pdf" | grep -q "a recorded trace played again" && [ ! -e "$d/report.pdf" ]; then
    ok "report --pdf: the replayed session is marked REPLAY; the PNG beside the PDF"
else not_ok "report --pdf on a replay" "rc=$rc" "$(cat "$TMP/o")"; fi

d="$FIX/20261111-183000"
"$STATION" report --out "$TMP/d2.png" --pdf "$TMP/s2.pdf" "$d" >/dev/null 2>&1
pdf_text "$TMP/s2.pdf" >"$TMP/t"
if contains "$TMP/t" "Advanced nerve stretch" && contains "$TMP/t" "2 x 30 s" && contains "$TMP/t" "paced by time" &&
    contains "$TMP/t" "No rocking set in this session"; then ok "report: a stage-2 session: rounds against their target, curl downs said to be paced, not measured"
else not_ok "report: stage 2" "$(head -30 "$TMP/t")"; fi

# --- a person over a period ------------------------------------------------------
abs=$(cd "$(dirname "$STATION")" && pwd)/$(basename "$STATION")
(cd "$TMP" && "$abs" report --storage "$FIX" --person anna --from 2026-11-01 --to 2026-11-30) >"$TMP/o" 2>&1; rc=$?
p="$TMP/report-Anna-2026-11-01-2026-11-30"
pdf_text "$p.pdf" >"$TMP/t"
if [ $rc -eq 0 ] && contains "$TMP/o" "Anna: 5 sessions from 2026-11-01 to 2026-11-30" &&
    [ "$(png_size "$p.png")" = 1190x1684 ] && contains "$TMP/t" "Progress report" && contains "$TMP/t" "LIVE SESSIONS" &&
    contains "$TMP/t" "2026-11-01 to 2026-11-30" && contains "$TMP/t" "5 sessions on 5 days: " && contains "$TMP/t" "; 1 stopped early; 0 over the weekly limit" &&
    contains "$TMP/t" "Sessions a week" && contains "$TMP/t" "Knees rocking rate" && contains "$TMP/t" "Rocking rhythm" &&
    contains "$TMP/t" "period variation, %" && contains "$TMP/t" "Longest hold of each exercise" &&
    ! contains "$TMP/t" "2026-11-10" && ! contains "$TMP/t" "2026-11-18"; then
    ok "report --person: her five live sessions (not Bea's, not the replay), trends with axes and units, a PDF and a PNG"
else not_ok "report --person" "rc=$rc" "$(cat "$TMP/o")" "$(head -30 "$TMP/t")"; fi

"$STATION" report --storage "$FIX" --person Anna --from 2026-11-01 --to 2026-11-30 --with-replays --out "$TMP/all.pdf" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "6 sessions" && pdf_text "$TMP/all.pdf" | grep -q "LIVE + DEMO/REPLAY" &&
    pdf_text "$TMP/all.pdf" | grep -q "2026-11-18 .*REPLAY"; then ok "report --person --with-replays: the replay in, and marked"
else not_ok "report --with-replays" "rc=$rc" "$(cat "$TMP/o")"; fi

# a long period: the table of sessions goes on to a second page
for day in 03 05 06 07 08 10 12 13 14 15 17 19 20 21 22 23; do
    cp -r "$FIX/20261102-090000" "$FIX/202611$day-071500"
done
"$STATION" report --storage "$FIX" --person Anna --from 2026-11-01 --to 2026-11-30 --out "$TMP/long.pdf" >"$TMP/o" 2>&1; rc=$?
pages=$(pdfinfo "$TMP/long.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
if [ $rc -eq 0 ] && [ "$pages" = 2 ] && pdf_text "$TMP/long.pdf" | grep -q "sessions (continued)"; then ok "report --person: 21 sessions, the table goes on to page 2"
else not_ok "report --person: two pages" "rc=$rc pages=$pages" "$(cat "$TMP/o")"; fi

"$STATION" report --storage "$FIX" --person Anna --from 2026-12-01 --to 2026-12-07 --out "$TMP/none.pdf" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && pdf_text "$TMP/none.pdf" | grep -q "No session in this period"; then ok "report --person: a period without sessions says so"
else not_ok "report --person: empty period" "rc=$rc" "$(cat "$TMP/o")"; fi

# --- bad input ------------------------------------------------------------------------
"$STATION" report --storage "$FIX" --from 2026-11-01 >"$TMP/o" 2>&1; rc=$?
r1=$rc; c1=$(contains "$TMP/o" "go with --person NAME" && echo y)
"$STATION" report --storage "$FIX" --person Anna "$FIX/20261102-090000" >"$TMP/o" 2>&1; rc=$?
r2=$rc; c2=$(contains "$TMP/o" "give no session folder" && echo y)
"$STATION" report --storage "$FIX" --person Anna --to 2026-13-01 >"$TMP/o" 2>&1; rc=$?
r3=$rc; c3=$(contains "$TMP/o" "give YYYY-MM-DD" && echo y)
"$STATION" report --storage "$FIX" --person Zoe >"$TMP/o" 2>&1; rc=$?
r4=$rc; c4=$(contains "$TMP/o" "no person called 'Zoe'" && echo y)
if [ "$r1$r2$r3$r4" = 2222 ] && [ "$c1$c2$c3$c4" = yyyy ]; then ok "report: --from without --person, a folder with --person, a bad date, somebody unknown: exit 2, each saying what is allowed"
else not_ok "report: bad input" "rc=$r1 $r2 $r3 $r4 said=$c1 $c2 $c3 $c4"; fi

"$STATION" report --storage "$FIX" --person Anna --out "$TMP/no/such/dir/r.pdf" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 1 ] && contains "$TMP/o" "r.pdf: No such file or directory"; then ok "report --person: a PDF that cannot be written: exit 1, named"
else not_ok "report: unwritable" "rc=$rc" "$(cat "$TMP/o")"; fi

ln -s "$TMP/victim.pdf" "$TMP/link.pdf"
"$STATION" report --storage "$FIX" --person Anna --out "$TMP/link.pdf" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && [ ! -e "$TMP/victim.pdf" ] && [ -f "$TMP/link.pdf" ] && [ ! -L "$TMP/link.pdf" ]; then ok "report: a symlink where the PDF goes is replaced, never written through"
else not_ok "report: symlinked output" "rc=$rc" "$(cat "$TMP/o")"; fi

finish
