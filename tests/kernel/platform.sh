#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make check-platform (part of make check, after tests/trixie/run.sh): the
# station on the platform's real kernel interfaces, in a VM. Debian's
# kernel boots under qemu with a virtio-gpu display, gpio-sim, i2c-stub and
# the host's /usr and /etc shared read-only over 9p, so the station runs
# with the libraries it was built against, mesa's included. In it
# (tests/kernel/platform-guest.sh):
#   - the buttons and the INT line on gpio-sim, through libgpiod 1 (this
#     machine's build, STATION) and libgpiod 2 (the trixie build that
#     tests/trixie/run.sh leaves in build/trixie/, run in its chroot, which
#     comes in over 9p too);
#   - the fullscreen screen through SDL's KMSDRM on virtio-gpu, captured by
#     qemu's screendump and compared with the offscreen rendering of the
#     same state (tests/kernel/screen.py).
# With COVERAGE=DIR (scripts/coverage.sh) STATION is a gcov build whose
# objects are in DIR: DIR is shared read-write, the .gcda files of the
# guest's runs land in it; with COVERAGE_V2=FILE too, FILE is the trixie
# build with gcov (scripts/coverage.sh makes it), whose counts land in
# build/vm/gcov-v2/ (without it the libgpiod 2 tests are left out). Prints
# TAP lines.
set -u
cd "$(dirname "$0")/../.." || exit 1
STATION=${STATION:-build/station}
COVERAGE=${COVERAGE:-}
V2=${COVERAGE_V2:-build/trixie/station}
fail() { echo "not ok - platform VM: $*"; exit 1; }
for tool in qemu-system-x86_64 busybox cpio python3 i2cset; do
    command -v $tool >/dev/null 2>&1 || fail "$tool is missing (scripts/deps.sh check installs it)"
done
[ -x "$STATION" ] || fail "no $STATION (make all)"
if [ -z "$COVERAGE" ] || [ -n "${COVERAGE_V2:-}" ]; then
    [ -x "$V2" ] && [ -d build/trixie/root ] ||
        fail "no libgpiod 2 build in build/trixie/ (tests/trixie/run.sh makes it)"
fi
. scripts/fetch.sh
. tests/kernel/lib.sh
[ -n "$pkg" ] || fail "apt knows no linux-image-amd64"
KC=$(kernel_fetch -platform virtio_pci 9pnet_virtio 9p virtio-gpu i2c-dev i2c-stub configfs) ||
    fail "ENVIRONMENT: could not fetch $pkg $version (see above)"
why=$(gpio_sim_build) || fail "gpio-sim: $why"

# the initramfs: busybox, the modules, the init; the rest comes over 9p
R=$K/platform-root
rm -rf "$R" && mkdir -p "$R/bin" "$R/sbin" "$R/modules" "$R/proc" "$R/sys" "$R/dev" "$R/tmp" \
    "$R/usr" "$R/etc" "$R/trixie" || exit 1
ln -s usr/lib "$R/lib" && ln -s usr/lib64 "$R/lib64" || exit 1
cp "$(command -v busybox)" "$R/bin/busybox"
cp "$KC"/*.ko "$KC/order" "$K/$kver/gpio-sim-oot.ko" "$R/modules/" || exit 1
cp tests/kernel/platform-guest.sh "$R/init" && chmod 755 "$R/init"
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) >"$K/platform-initrd.gz" || exit 1

# what the guest writes back: the screen's reference, a still thigh to replay
OUT=build/vm
rm -rf "$OUT" && mkdir -p "$OUT" || exit 1
{
    printf '# station-trace 1\n# sample_rate_hz=50\n# accel_range_g=2\n# gyro_range_dps=250\n'
    printf '# source=synthetic: a still thigh, flat on the mat\n# placement=thigh\n'
    echo 't_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps'
    awk 'BEGIN { for (i = 0; i < 6000; i++) printf "%.6f,0,0,1,0,0,0\n", i * 0.02 }'
} >"$OUT/still.csv"

cmdline="console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init station.tree=$PWD station.bin=$STATION"
share() { echo "-virtfs local,path=$1,mount_tag=$2,security_model=none$3"; }
shares="$(share /usr usr ,readonly=on) $(share /etc etc ,readonly=on) $(share "$PWD" tree ,readonly=on)
$(share "$PWD/$OUT" out "")"
if [ -n "$COVERAGE" ]; then
    cov=$(cd "$COVERAGE" && pwd)
    cmdline="$cmdline station.cov=$cov"
    shares="$shares $(share "$cov" cov "")"
fi
if [ -z "$COVERAGE" ] || [ -n "${COVERAGE_V2:-}" ]; then
    cmdline="$cmdline station.v2=$V2${COVERAGE_V2:+ station.v2gcov=1}"
    shares="$shares $(share "$(readlink -f build/trixie/root)" trixie ,readonly=on)"
fi
mon=$K/platform-monitor.sock
console=$K/platform-console.log
rm -f "$mon" "$console"
echo "# booting Debian's kernel $kver under qemu (TCG) with virtio-gpu, gpio-sim, i2c-stub, 9p"
start=$(date +%s)
# TCG: KVM nested in this machine's VM hangs at boot; TCG is enough. One
# CPU, as the other tests run beside it.
# shellcheck disable=SC2086
timeout 400 qemu-system-x86_64 -machine q35 -accel tcg -m 1024 -smp 1 -nic none -vga none \
    -display none -no-reboot -serial "file:$console" -monitor "unix:$mon,server,nowait" \
    -device virtio-gpu-pci,xres=1280,yres=720 $shares \
    -kernel "$KC/vmlinuz" -initrd "$K/platform-initrd.gz" -append "$cmdline" >"$K/platform-qemu.log" 2>&1 &
qemu=$!
python3 tests/kernel/screen.py "$console" "$mon" "$OUT" $qemu >"$K/platform-screen.tap" 2>&1
wait $qemu
rc=$?
tr -d '\r' <"$console" | grep '^ok \|^not ok \|^#   \|^# ' | grep -v '^# booting'
cat "$K/platform-screen.tap"
echo "# platform VM: $(($(date +%s) - start)) s"
grep -q '^# guest done' "$console" || {
    echo "not ok - platform VM: the guest did not finish (qemu exit $rc; see $console, $K/platform-qemu.log)"
    exit 1
}
! tr -d '\r' <"$console" | cat - "$K/platform-screen.tap" | grep -q '^not ok '
