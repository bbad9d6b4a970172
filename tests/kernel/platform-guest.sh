#!/bin/busybox sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs inside the platform VM (as its /init; tests/kernel/platform.sh boots
# it). The host's /usr and /etc come in read-only over 9p, so the station
# runs with the host's own libraries (mesa too); the source tree comes in
# read-only at its host path, build/vm/ read-write for what goes back out.
# From the kernel command line:
#   station.tree=DIR   the tree's path (the same as on the host)
#   station.bin=FILE   the station built against libgpiod 1 (the host's)
#   station.v2=FILE    the station built on trixie against libgpiod 2; its
#                      chroot comes in as the 9p share "trixie"
#   station.cov=DIR    a gcov build: DIR comes in read-write at its host
#                      path, and the .gcda files land there at each exit
#   station.v2gcov=1   the trixie build is a gcov build too: its .gcda files
#                      go to build/vm/gcov-v2/ (GCOV_PREFIX), as its objects
#                      are in the chroot, which comes in read-only
# Tests, each printed as a TAP line on the serial console:
#   - the buttons on gpio-sim lines with real edges, through each libgpiod
#     API, and their errors (a missing chip, a line out of range, a line
#     another program holds);
#   - the INT line on a gpio-sim line: its edges wake the station (more
#     reads than the timer alone makes), a line that cannot be had is said;
#   - the fullscreen screen through SDL's KMSDRM on virtio-gpu: the host
#     captures it (qemu's screendump) and compares it with the offscreen
#     rendering of the same state (tests/kernel/screen.py).
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; shift; for l in "$@"; do echo "$l" | sed "s/^/#   /"; done; }
arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^station\.$1=//p"; }
TREE=$(arg tree)
BIN=$(arg bin)
V2=$(arg v2)
COV=$(arg cov)
V2GCOV=$(arg v2gcov)
for m in $(grep -v i2c-stub /modules/order) gpio-sim-oot; do
    insmod /modules/$m.ko || not_ok "insmod $m"
done
insmod /modules/i2c-stub.ko chip_addr=0x68 || not_ok "insmod i2c-stub"
share() { mount -t 9p -o "trans=virtio,version=9p2000.L,msize=262144,$3" "$1" "$2"; }
share usr /usr ro && share etc /etc ro && mkdir -p "$TREE" && share tree "$TREE" ro &&
    share out "$TREE/build/vm" rw || not_ok "9p shares" "$(cat /proc/mounts)"
[ -n "$COV" ] && { share cov "$COV" rw || not_ok "9p share of $COV"; }
echo "# kernel $(uname -r), the host's userland over 9p"
cd "$TREE" || exit 1

# ---- gpio-sim: one chip, lines 0..2 the buttons, line 3 the INT wire ----
mount -t configfs none /sys/kernel/config
C=/sys/kernel/config/gpio-sim/station
mkdir -p $C/bank0 && echo 4 >$C/bank0/num_lines && echo station >$C/bank0/label &&
    echo 1 >$C/live
# sim_lines: the chip's name and its lines' sysfs folder (again after the
# chip was taken down and brought back: both may change)
sim_lines() {
    chip=$(cat $C/bank0/chip_name 2>/dev/null)
    L=/sys/devices/platform/$(cat $C/dev_name 2>/dev/null)/$chip
}
sim_lines
if [ -n "$chip" ] && [ -c "/dev/$chip" ] && [ -e "$L/sim_gpio3/pull" ]; then
    ok "gpio-sim: $chip with 4 lines on /dev/$chip"
else not_ok "gpio-sim chip" "chip=$chip" "$(ls /sys/kernel/config/gpio-sim/ 2>&1)"; fi
line() { echo "$2" >"$L/sim_gpio$1/pull"; }
for i in 0 1 2 3; do line $i pull-up; done
line 3 pull-down # the INT pin idles low

# i2c-stub at 0x68 on /dev/i2c-0: WHO_AM_I 0x68 and one frame in the FIFO
# window (tests/kernel/guest.sh says why a block read returns it each time)
i2cset() { /usr/sbin/i2cset -y 0 0x68 "$1" "$2" b; } # i2c-tools, not busybox's
i2cset 0x75 0x68 && i2cset 0x73 0x0c && i2cset 0x78 0x40 || not_ok "i2c-stub at 0x68" # accel z = 1 g

# station.cfg for the VM: the sensor on /dev/i2c-0, its INT wire on line 3
# (or LINE), the buttons on lines 0..2 (or START), of chip (or CHIP)
vm_config() { # FILE [START [LINE [CHIP]]]
    sed -e "s/^\( *gpiochip = \)\"gpiochip0\";/\1\"${4:-$chip}\";/" \
        -e "s/^\( *int_gpiochip = \)\"gpiochip0\";/\1\"${4:-$chip}\";/" \
        -e "s/^\( *int_line = \)-1;/\1${3:-3};/" -e 's/^\( *i2c_bus = \)1;/\10;/' \
        -e "s/^\( *start_line = \)17;/\1${2:-0};/" -e 's/^\( *next_line = \)27;/\11;/' \
        -e 's/^\( *stop_line = \)22;/\12;/' config/station.cfg >"$1"
}
vm_config /tmp/vm.cfg

# the libgpiod 2 build runs in its trixie chroot, this tree at /mnt in it
if [ -n "$V2" ]; then
    share trixie /trixie ro || not_ok "9p share of the trixie chroot"
    for d in proc sys dev tmp; do mount -o bind /$d /trixie/$d; done
    mount -o rbind "$TREE" /trixie/mnt # with build/vm/, read-write
fi
# $STN: the station of the libgpiod API under test (a command, not a
# function: run in the background, its pid is the station's own)
v2env=${V2GCOV:+GCOV_PREFIX=/mnt/build/vm/gcov-v2}
stn_of() { [ "$1" = 2 ] && echo "chroot /trixie /usr/bin/env -C /mnt $v2env $V2" || echo "$BIN"; }

# started: waits (30 s at most) until the station writing /tmp/o (removed
# before it was started, so nothing of an earlier run counts) started its
# session
started() {
    i=0
    while ! grep -q "Session started" /tmp/o 2>/dev/null && [ $i -lt 60 ]; do
        sleep 0.5; i=$((i + 1))
    done
}

# buttons_test API: a headless station with the buttons on lines 0..2;
# presses made by pulling the lines down, bounce included; while it holds
# the lines a second station is told they are taken
buttons_test() {
    rm -rf /tmp/s /tmp/o
    $STN run --headless --mute --sensor emu --config /tmp/vm.cfg --storage /tmp/s \
        --seconds 40 >/tmp/o 2>&1 &
    pid=$!
    # a headless station starts its session by itself (the trixie build in
    # its chroot, on a busy machine, may take seconds): start then pauses it.
    started
    # With contact bounce on both edges it must still be one press (one
    # pause, no resume).
    line 0 pull-down; line 0 pull-up; line 0 pull-down; sleep 0.2
    line 0 pull-up; line 0 pull-down; line 0 pull-up
    sleep 2
    line 1 pull-down; sleep 0.2; line 1 pull-up # next
    sleep 2
    line 2 pull-down; sleep 0.2; line 2 pull-up # a short stop: only a hint
    sleep 1
    $STN run --headless --mute --sensor emu --config /tmp/vm.cfg --no-record \
        --seconds 1 >/tmp/busy 2>&1
    line 2 pull-down; sleep 2.5; line 2 pull-up # held: stops the session
    sleep 1
    kill -TERM $pid; wait $pid
    starts=$(grep -c "Session started" /tmp/o)
    ev=$(cat /tmp/s/*/events.jsonl 2>/dev/null)
    nbtn=$(echo "$ev" | grep -c '"type": "button"')
    npause=$(echo "$ev" | grep -c '"type": "paused"')
    nresume=$(echo "$ev" | grep -c '"type": "resumed"')
    if [ "$starts" -eq 1 ] && [ "$npause" -eq 1 ] && [ "$nresume" -eq 0 ] &&
        grep -q "Step 2 of" /tmp/o && grep -q "Session stopped early" /tmp/o && [ "$nbtn" -eq 4 ] &&
        echo "$ev" | grep '"button": "stop", "long": true' >/dev/null &&
        echo "$ev" | grep '"button": "stop", "long": false' >/dev/null; then
        ok "libgpiod $1: buttons on real GPIO edges: a bouncing start pauses once, next moves on, a short stop only hints, a held stop ends the session"
    else not_ok "libgpiod $1: gpio buttons" "starts=$starts buttons=$nbtn paused=$npause resumed=$nresume" \
        "$(grep -v 'says:\|[0-9] s\] .*|' /tmp/o | head -12)" "$ev"; fi
    if grep -q "no buttons (cannot request the button lines on /dev/$chip: Device or resource busy (another program holds the line))" /tmp/busy; then
        ok "libgpiod $1: lines another program holds: the second station says so and goes on"
    else not_ok "libgpiod $1: busy lines" "$(grep -i button /tmp/busy)"; fi
}

# lines_refused START INT CHIP: a one-second station with its buttons from
# line START and its INT wire on line INT of CHIP; what it says in /tmp/o
lines_refused() {
    vm_config /tmp/refused.cfg "$1" "$2" "$3"
    $STN run --headless --mute --sensor mpu6050 --config /tmp/refused.cfg --no-record \
        --seconds 1 >/tmp/o 2>&1
}

# buttons_errors API: a chip that is not there, lines the chip lacks
buttons_errors() {
    lines_refused 0 3 gpiochip9
    if grep -q "no buttons (cannot open /dev/gpiochip9: No such file or directory (check buttons.gpiochip)): the session starts by itself" /tmp/o &&
        grep -q "INT line 3 on /dev/gpiochip9: No such file or directory" /tmp/o; then
        ok "libgpiod $1: no such chip: the buttons and the INT line each say which file is missing"
    else not_ok "libgpiod $1: no chip" "$(grep -i 'button\|INT' /tmp/o)"; fi
    lines_refused 9 7 "$chip"
    if grep -Eq "no buttons \((no such button lines|cannot request the button lines) on /dev/$chip: Invalid argument" /tmp/o &&
        grep -q "INT line 7 on /dev/$chip: Invalid argument" /tmp/o; then
        ok "libgpiod $1: lines the chip lacks (9, 7 of 4): the buttons and the INT line say so"
    else not_ok "libgpiod $1: no line" "$(grep -i 'button\|INT' /tmp/o)"; fi
}

# int_test API: the sensor on i2c-stub with its INT wire on line 3. With
# no edges the timer's safety net alone paces the reads (every half FIFO,
# 0.43 s at 100 Hz: 7 or 8 in 3 s); with up to 20 edges a second (fewer on a
# busy machine: a shell loop makes them) each one wakes a read, so there
# must be at least twice as many. The stub holds one frame at every read,
# so the rows count the reads.
int_test() {
    rm -f /tmp/quiet.csv /tmp/int.csv # record writes new files; both APIs run this
    $STN record --seconds 3 --config /tmp/vm.cfg --out /tmp/quiet.csv >/tmp/o1 2>&1
    rc1=$?
    (while :; do line 3 pull-up; sleep 0.025; line 3 pull-down; sleep 0.025; done) &
    tick=$!
    $STN record --seconds 3 --config /tmp/vm.cfg --out /tmp/int.csv >/tmp/o2 2>&1
    rc2=$?
    kill $tick; wait $tick 2>/dev/null
    line 3 pull-down
    quiet=$(grep -c '^[0-9]' /tmp/quiet.csv)
    woken=$(grep -c '^[0-9]' /tmp/int.csv)
    if [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && grep -q "INT line wired" /tmp/o2 &&
        [ "$quiet" -ge 3 ] && [ "$woken" -ge $((quiet * 2)) ]; then
        ok "libgpiod $1: the INT line's edges wake the station: $woken reads in 3 s with edges, $quiet with none"
    else not_ok "libgpiod $1: INT line" "rc=$rc1,$rc2 rows: quiet=$quiet woken=$woken" \
        "$(tail -3 /tmp/o1)" "$(tail -3 /tmp/o2)"; fi
}

# cpu_ticks PID: the process's user and system time so far, in ticks
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# lines_vanish API: the GPIO chip goes away mid-session (gpio-sim taken
# down: a driver unbound, a loose ribbon to a GPIO expander). The station
# with the sensor on i2c-stub, its INT wire and the buttons all on that
# chip must say the buttons stopped answering, go on reading the sensor on
# its timer, and not spin on the dead lines' descriptors.
lines_vanish() {
    rm -rf /tmp/s /tmp/o
    $STN run --headless --mute --sensor mpu6050 --config /tmp/vm.cfg --storage /tmp/s \
        --seconds 60 >/tmp/o 2>&1 &
    pid=$!
    # the sensor is opened last: its first status line says all is open;
    # with buttons and a live sensor the session waits for start
    i=0
    while ! grep -q "waiting for start" /tmp/o 2>/dev/null && [ $i -lt 60 ]; do
        sleep 0.5; i=$((i + 1))
    done
    line 0 pull-down; sleep 0.2; line 0 pull-up
    started
    sleep 1
    echo 0 >$C/live
    sleep 2
    rows1=$(cat /tmp/s/*/trace.csv 2>/dev/null | grep -c '^[0-9]')
    t1=$(cpu_ticks $pid)
    sleep 3
    t2=$(cpu_ticks $pid)
    rows2=$(cat /tmp/s/*/trace.csv 2>/dev/null | grep -c '^[0-9]')
    kill -TERM $pid; wait $pid
    rc=$?
    echo 1 >$C/live
    sim_lines
    for i in 0 1 2 3; do line $i pull-up; done
    line 3 pull-down
    vm_config /tmp/vm.cfg
    # 3 s of a poll loop that spins on a hung-up descriptor is 300 ticks
    if [ $rc -eq 0 ] && grep -q "INT line wired" /tmp/o &&
        grep -q "buttons stopped answering: keyboard only from now" /tmp/o &&
        [ $((t2 - t1)) -lt 150 ] && [ "$rows2" -gt "$rows1" ]; then
        ok "libgpiod $1: the GPIO chip gone mid-session: the buttons are said to be lost, the sensor goes on ($rows1 then $rows2 samples), no spinning ($((t2 - t1)) ticks in 3 s)"
    else not_ok "libgpiod $1: chip gone" "rc=$rc cpu ticks in 3 s: $((t2 - t1)); samples $rows1 then $rows2" \
        "$(grep -v 'says:\|[0-9] s\] .*|' /tmp/o | tail -8)"; fi
}

for api in 1 2; do
    if [ "$api" = 2 ] && [ -z "$V2" ]; then
        echo "# libgpiod 2: no trixie build given: not run"
        continue
    fi
    STN=$(stn_of $api)
    echo "# libgpiod $api: $STN"
    buttons_test $api
    buttons_errors $api
    int_test $api
    lines_vanish $api
done

# ---- the fullscreen screen through KMSDRM on virtio-gpu ----
if [ -c /dev/dri/card0 ]; then
    ok "virtio-gpu: /dev/dri/card0 ($(cat /sys/class/drm/card0/device/uevent | sed -n 's/^DRIVER=//p'))"
else not_ok "virtio-gpu" "$(ls -l /dev/dri 2>&1)"; fi
# the idle screen of a replay of a still thigh: the same at every frame.
# First drawn offscreen (the reference), then fullscreen, by the same
# binary with the same configuration.
"$BIN" run --sensor replay --trace build/vm/still.csv --speed 0 --seconds 20 --no-record --mute \
    --config /tmp/vm.cfg --screenshot build/vm/offscreen.png >/tmp/off 2>&1 ||
    not_ok "the offscreen reference" "$(tail -3 /tmp/off)"
SDL_VIDEODRIVER=kmsdrm "$BIN" run --fullscreen --sensor replay --trace build/vm/still.csv \
    --speed 1 --seconds 110 --no-record --mute --config /tmp/vm.cfg >/tmp/kms 2>&1 &
pid=$!
echo "# screen: drawing"
# the host captures the screen until it matches, then says so
i=0
while [ ! -e build/vm/screen-done ] && [ $i -lt 120 ]; do sleep 1; i=$((i + 1)); done
kill -TERM $pid; wait $pid
rc=$?
if [ $rc -eq 0 ] && ! grep -qi "no display\|without a screen\|cannot open a window" /tmp/kms; then
    ok "station run --fullscreen through KMSDRM: ran on /dev/dri/card0 and ended cleanly on SIGTERM"
else not_ok "KMSDRM run" "rc=$rc" "$(tail -5 /tmp/kms)"; fi

echo "# guest done"
sync
poweroff -f
