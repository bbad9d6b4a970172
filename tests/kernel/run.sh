#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make check-kernel: the station's I2C path against a real Linux kernel.
# Debian's own kernel (the version linux-image-amd64 points at today) boots
# under qemu-system-x86_64 with a busybox initramfs holding the station, its
# shared libraries, i2c-tools and the kernel's i2c-dev and i2c-stub modules;
# tests/kernel/guest.sh runs the tests inside and prints TAP lines on the
# serial console, which this script reads. The unpacked kernel is cached in
# $STATION_CACHE/kernel/ (tests/kernel/lib.sh, scripts/fetch.sh: retried
# downloads, ~/.cache/station by default). The GPIO lines and the screen
# have their own VM (tests/kernel/platform.sh). Needs qemu-system-x86,
# busybox-static, cpio (deps.sh).
set -u
cd "$(dirname "$0")/../.." || exit 1
STATION=${STATION:-build/station}
for tool in qemu-system-x86_64 busybox cpio i2cget; do
    command -v $tool >/dev/null 2>&1 || {
        echo "not ok - kernel tests: $tool is missing (scripts/deps.sh installs it)"
        exit 1
    }
done
. scripts/fetch.sh
. tests/kernel/lib.sh
[ -n "$pkg" ] || { echo "not ok - kernel tests: apt knows no linux-image-amd64"; exit 1; }
fail() { echo "not ok - kernel tests: $*"; exit 1; }
# fetch_fail WHAT: a download that failed after its retries (the message
# names it and says it is the environment's fault)
fetch_fail() { echo "not ok - kernel tests: ENVIRONMENT: could not fetch $1 (see above)"; exit 1; }

# the kernel and its modules, unpacked, in the cache ($STATION_CACHE/kernel/)
KC=$(kernel_fetch "" i2c-dev i2c-stub) || fetch_fail "$pkg $version"
echo "# kernel $pkg $version from $KC"
mkdir -p "$K/$kver" || exit 1
cp "$KC/vmlinuz" "$KC"/*.ko "$K/$kver/" || exit 1

# the initramfs: busybox, i2c-tools, the station with every library it loads
R=$K/root
rm -rf "$R" && mkdir -p "$R/bin" "$R/usr/sbin" "$R/lib/modules" "$R/station/config" "$R/proc" \
    "$R/sys" "$R/dev" "$R/tmp" || exit 1
cp "$(command -v busybox)" "$R/bin/busybox"
cp "$K/$kver"/*.ko "$R/lib/modules/"
cp tests/kernel/guest.sh "$R/init"
cp tests/kernel/lsm6dsx.sh "$R/lsm6dsx.sh"
cp "$STATION" "$R/station/station"
sed 's/^\( *i2c_bus = \)1;/\10;/' config/station.cfg >"$R/station/config/station.cfg"
mkdir -p "$R/station/assets" && cp assets/demo.csv "$R/station/assets/"
for b in i2cget i2cset gpiodetect gpioinfo; do cp "$(command -v $b)" "$R/usr/sbin/"; done
for lib in $(ldd "$STATION" "$(command -v i2cget)" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^\t\(\/[^ ]*\) .*/\1/p' | sort -u); do
    mkdir -p "$R$(dirname "$lib")"
    cp -L "$lib" "$R$lib"
done
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) >"$K/initrd.gz" || exit 1

echo "# booting Debian's kernel $kver under qemu (TCG)"
timeout 240 qemu-system-x86_64 -machine q35 -m 512 -smp 1 -nic none -nographic -no-reboot \
    -kernel "$K/$kver/vmlinuz" -initrd "$K/initrd.gz" \
    -append "console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init" >"$K/console.log" 2>&1
rc=$?
tr -d '\r' <"$K/console.log" | grep '^ok \|^not ok \|^#   \|^# ' | grep -v '^# booting'
grep -q '^# guest done' "$K/console.log" || {
    echo "not ok - kernel tests: the guest did not finish (qemu exit $rc; see $K/console.log)"
    exit 1
}
! tr -d '\r' <"$K/console.log" | grep -q '^not ok '
