# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by guest.sh inside the VM: the LSM6DS3 and LSM6DSO drivers on the
# real Linux I2C stack, as guest.sh does the MPU-6050's. An i2c-stub at the
# chip's address (0x6a, 0x6b) answers WHO_AM_I; its FIFO status says one
# frame waits, and the frame sits in the FIFO's output window (a block read
# from there returns the registers that follow), so every poll reads it
# again. The chip is found by auto-probe (WHO_AM_I across 0x68, 0x69, 0x6a,
# 0x6b), its init writes are read back from the registers and checked
# against the datasheets' fields, and the frame comes out decoded.

# lsm_stub ADDR WHO WORDS OUT BYTES...: a fresh i2c-stub at ADDR answering
# WHO_AM_I with WHO, FIFO_STATUS1/2 saying WORDS unread words, and BYTES
# written from register OUT on
lsm_stub() {
    rmmod i2c-stub 2>/dev/null
    insmod $M/i2c-stub.ko chip_addr="$1" || return 1
    i2cset -y 0 "$1" 0x0f "$2" b
    i2cset -y 0 "$1" 0x3a "$3" b
    i2cset -y 0 "$1" 0x3b 0x00 b
    a=$1 r=$(($4))
    shift 4
    for b in "$@"; do
        i2cset -y 0 "$a" "$(printf 0x%02x $r)" "$b" b # busybox reads hex only
        r=$((r + 1))
    done
}

# lsm_regs ADDR REG=VALUE...: the registers that differ, or nothing
lsm_regs() {
    a=$1
    shift
    for pair in "$@"; do
        got=$(i2cget -y 0 "$a" "${pair%=*}" b 2>&1)
        [ "$got" = "${pair#*=}" ] || printf ' %s=%s(want %s)' "${pair%=*}" "$got" "${pair#*=}"
    done
}

# lsm_chip NAME ADDR SENSOR OUT-OF-PROBE REGISTERS: records 2 s with
# --sensor SENSOR, then checks the source line, the registers and the frame
# (gyro 10, -10, 0 dps; accel 0, -0.5, 1 g at the default ranges)
lsm_chip() {
    name=$1 addr=$2 sensor=$3
    shift 3
    rm -f /tmp/l.csv # record writes a new file
    timeout 30 ./station record --sensor "$sensor" --seconds 2 --out /tmp/l.csv >/tmp/o 2>&1
    rc=$?
    if [ $rc -eq 0 ] && grep -q "^# source=$name on /dev/i2c-0 at $addr" /tmp/l.csv; then
        ok "$name: --sensor $sensor finds it at $addr by WHO_AM_I and records (exit 0)"
    else not_ok "$name found and recorded" "rc=$rc" "$(grep '^#' /tmp/l.csv 2>&1 | head -4)" "$(tail -3 /tmp/o)"; fi
    bad=$(lsm_regs "$addr" "$@")
    if [ -z "$bad" ]; then ok "$name init: every register written holds the datasheet's value"
    else not_ok "$name init registers" "$bad"; fi
    rows=$(grep -c '^[0-9]' /tmp/l.csv)
    first=$(grep '^[0-9]' /tmp/l.csv | head -1)
    if [ "$rows" -ge 20 ] && echo "$first" | awk -F, -v want="0 -0.499712 0.999973 10.00125 -10.00125 0" '
        { n = split(want, w, " "); for (i = 1; i <= n; i++) if ((d = $(i + 1) - w[i]) * d > 2.5e-7) exit 1 }'; then
        ok "$name: $rows rows through /dev/i2c-0, the FIFO frame decoded to g and deg/s"
    else not_ok "$name samples" "rows=$rows" "first: $first"; fi
}

lsm6dsx_tests() {
    # DS3: six little-endian words, gyro x y z then accel x y z:
    # 1143, -1143, 0 (x 8.75 mdps) and 0, -8192, 16393 (x 0.061 mg)
    lsm_stub 0x6a 0x69 6 0x3e 0x77 0x04 0x89 0xfb 0x00 0x00 0x00 0x00 0x00 0xe0 0x09 0x40
    # 104 Hz for the configured 100, BW_XL 50 Hz (nearest 44), +-2 g, 250 dps
    lsm_chip LSM6DS3 0x6a auto 0x12=0x44 0x13=0x80 0x17=0x00 0x10=0x43 0x11=0x40 \
        0x06=0x06 0x07=0x00 0x08=0x09 0x0d=0x18 0x0a=0x26
    # DSO: two tagged words, the gyro's (tag 0x01) and the accelerometer's (0x02)
    lsm_stub 0x6b 0x6c 2 0x78 0x08 0x77 0x04 0x89 0xfb 0x00 0x00 \
        0x10 0x00 0x00 0x00 0xe0 0x09 0x40
    # 104 Hz, LPF2 off (ODR/2 = 52 Hz, nearest 44), +-2 g, 250 dps, BDR 104 Hz both
    lsm_chip LSM6DSO 0x6b lsm6dso 0x12=0x44 0x13=0x00 0x17=0x00 0x10=0x40 0x11=0x40 \
        0x07=0x02 0x08=0x00 0x09=0x44 0x0d=0x18 0x0a=0x06
    # the wrong chip asked for: named, with what was read
    timeout 30 ./station record --sensor lsm6ds3 --seconds 1 --out /tmp/x.csv >/tmp/o 2>&1
    rc=$?
    if [ $rc -ne 0 ] && grep -q "WHO_AM_I reads 0x6c" /tmp/o; then
        ok "--sensor lsm6ds3 at an LSM6DSO: refused, naming WHO_AM_I 0x6c (exit $rc)"
    else not_ok "wrong chip refused" "rc=$rc" "$(tail -3 /tmp/o)"; fi
    rmmod i2c-stub
}
