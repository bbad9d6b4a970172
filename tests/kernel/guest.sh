#!/bin/busybox sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs inside the VM (as its /init): the station's driver against the real
# Linux I2C stack. i2c-stub gives /dev/i2c-0 with a register file at 0x68,
# reached through i2c-dev and libi2c exactly as on a Pi. It has no FIFO of
# its own: a block read from 0x74 returns registers 0x74..0x7f, so a frame
# written there, with FIFO_COUNT set to one frame, is read again at every
# poll. Prints TAP lines; the host counts them.
/bin/busybox --install -s /bin
export PATH=/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /tmp && mount -t tmpfs tmpfs /tmp
M=/lib/modules
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; shift; for l in "$@"; do echo "$l" | sed "s/^/#   /"; done; }
reg() { i2cget -y 0 0x68 "$1" b 2>&1; }
# stub_chip WHO: a fresh i2c-stub at 0x68 answering WHO_AM_I with WHO and
# holding one 12-byte frame in the FIFO window
stub_chip() {
    rmmod i2c-stub 2>/dev/null
    insmod $M/i2c-stub.ko chip_addr=0x68 || return 1
    i2cset -y 0 0x68 0x75 "$1" b
    i2cset -y 0 0x68 0x72 0x00 b # FIFO_COUNT_H
    i2cset -y 0 0x68 0x73 0x0c b # FIFO_COUNT_L: one frame
    # the frame: accel x y z, gyro x y z, big-endian; 0x75 is WHO_AM_I, so
    # accel x's low byte is that value
    i2cset -y 0 0x68 0x74 0x20 b # accel x = 0x20WW
    i2cset -y 0 0x68 0x76 0xf0 b # accel y = 0xf000 = -4096
    i2cset -y 0 0x68 0x77 0x00 b
    i2cset -y 0 0x68 0x78 0x40 b # accel z = 0x4000 = 16384 = 1 g
    i2cset -y 0 0x68 0x79 0x00 b
    i2cset -y 0 0x68 0x7a 0x00 b # gyro x = 0x0083 = 131 = 1 dps
    i2cset -y 0 0x68 0x7b 0x83 b
    i2cset -y 0 0x68 0x7c 0xff b # gyro y = -131 = -1 dps
    i2cset -y 0 0x68 0x7d 0x7d b
    i2cset -y 0 0x68 0x7e 0x05 b # gyro z = 0x051e = 1310 = 10 dps
    i2cset -y 0 0x68 0x7f 0x1e b
}

echo "# kernel $(uname -r)"
insmod $M/i2c-dev.ko
stub_chip 0x68
if [ -c /dev/i2c-0 ] && [ "$(reg 0x75)" = 0x68 ]; then
    ok "i2c-stub at 0x68 on /dev/i2c-0, WHO_AM_I 0x68"
else not_ok "i2c-stub" "$(ls /dev/i2c* 2>&1)" "$(reg 0x75)"; fi

# a two-second recording: the driver's probe, init and FIFO reads through
# the real adapter
cd /station
./station record --sensor mpu6050 --seconds 2 --out /tmp/r.csv >/tmp/o 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok "station record on the real I2C stack exits 0"
else not_ok "station record" "rc=$rc" "$(tail -5 /tmp/o)"; fi

# the init writes, read back from the chip's registers: 100 Hz with the
# 44 Hz DLPF (CONFIG 3, a 1 kHz gyro rate, SMPLRT_DIV 9), +-250 dps and
# +-2 g (0), PLL with the X gyro (PWR_MGMT_1 1), all six axes into the FIFO
# (FIFO_EN 0x78), FIFO overflow and data ready interrupts (INT_ENABLE 0x11)
bad=""
for pair in 0x6b=0x01 0x6c=0x00 0x1a=0x03 0x19=0x09 0x1b=0x00 0x1c=0x00 \
    0x37=0x00 0x38=0x11 0x23=0x78; do
    r=${pair%=*}
    want=${pair#*=}
    got=$(reg "$r")
    [ "$got" = "$want" ] || bad="$bad $r=$got(want $want)"
done
if [ -z "$bad" ]; then ok "init: every configuration register holds the datasheet's value"
else not_ok "init registers" "$bad"; fi

# the frame came through the real block read, decoded big-endian and scaled
rows=$(grep -c '^[0-9]' /tmp/r.csv)
first=$(grep '^[0-9]' /tmp/r.csv | head -1)
if [ "$rows" -ge 20 ] && echo "$first" | awk -F, '
    function near(x, want) { return (x - want) * (x - want) < 0.0005 * 0.0005 }
    {
        ok = near($2, 8296 / 16384) && near($3, -0.25) && near($4, 1) &&
             near($5, 1) && near($6, -1) && near($7, 10)
        if (ok) exit 0; else exit 1 }'; then
    ok "samples read through /dev/i2c-0: $rows rows, the frame decoded to g and deg/s"
else not_ok "samples through i2c-dev" "rows=$rows" "first: $first" "$(head -3 /tmp/r.csv)"; fi

# a relative: named in a warning, and used
stub_chip 0x70
./station record --sensor mpu6050 --seconds 1 --out /tmp/c.csv >/tmp/o 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "MPU-6500" /tmp/o; then
    ok "WHO_AM_I 0x70: named as an MPU-6500 in a warning, recorded anyway"
else not_ok "clone" "rc=$rc" "$(tail -5 /tmp/o)"; fi

# refused NAME PATTERN: a one-second recording must fail, its message
# matching PATTERN
refused() {
    ./station record --sensor mpu6050 --seconds 1 --out /tmp/x.csv >/tmp/o 2>&1
    rc=$?
    if [ $rc -ne 0 ] && grep -qi "$2" /tmp/o; then ok "$1 (exit $rc)"; echo "#   $(tail -1 /tmp/o)"
    else not_ok "$1" "rc=$rc" "$(tail -5 /tmp/o)"; fi
}
stub_chip 0x42
refused "WHO_AM_I 0x42: refused, naming the value read" "0x42"
rmmod i2c-stub
insmod $M/i2c-stub.ko chip_addr=0x69 # the stub answers at 0x69 only
refused "nothing at 0x68: a clear error" "at 0x68: no answer from the sensor"
rmmod i2c-stub
refused "no /dev/i2c-N: a clear error naming the device file" "/dev/i2c-"

# ---- the LSM6DS3 and LSM6DSO, the same way (tests/kernel/lsm6dsx.sh) ----
. /lsm6dsx.sh && lsm6dsx_tests

# the buttons and the INT line on gpio-sim, through libgpiod 1 and 2, are
# tested in the platform VM (tests/kernel/platform-guest.sh)

echo "# guest done"
poweroff -f
