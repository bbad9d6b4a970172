#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make check-kernel: the station's I2C path against a real Linux kernel.
# Debian's own kernel (the version linux-image-amd64 points at today) boots
# under qemu-system-x86_64 with a busybox initramfs holding the station, its
# shared libraries, i2c-tools and the kernel's i2c-dev and i2c-stub modules;
# tests/kernel/guest.sh runs the tests inside and prints TAP lines on the
# serial console, which this script reads. The unpacked kernel and the
# gpio-sim sources are cached in $STATION_CACHE/kernel/ (scripts/fetch.sh:
# retried downloads, ~/.cache/station by default). Needs qemu-system-x86,
# busybox-static, cpio (deps.sh).
set -u
cd "$(dirname "$0")/../.." || exit 1
STATION=${STATION:-build/station}
K=build/kernel
for tool in qemu-system-x86_64 busybox cpio i2cget; do
    command -v $tool >/dev/null 2>&1 || {
        echo "not ok - kernel tests: $tool is missing (scripts/deps.sh installs it)"
        exit 1
    }
done
. scripts/fetch.sh
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)/\1/p' | head -1)
[ -n "$pkg" ] || { echo "not ok - kernel tests: apt knows no linux-image-amd64"; exit 1; }
kver=${pkg#linux-image-}
version=$(apt-cache show "$pkg" | sed -n 's/^Version: //p' | head -1)
major=$(echo "$kver" | cut -d. -f1-2)
fail() { echo "not ok - kernel tests: $*"; exit 1; }
# fetch_fail WHAT: a download that failed after its retries (the message
# names it and says it is the environment's fault)
fetch_fail() { echo "not ok - kernel tests: ENVIRONMENT: could not fetch $1 (see above)"; exit 1; }

# the kernel and its modules, unpacked, in the cache ($STATION_CACHE/kernel/)
unpack_kernel() {
    (cd "$1" && FETCH_APT=1 fetch_retry "$pkg $version" apt-get download -q "$pkg=$version") || return 1
    dpkg-deb -x "$1"/*.deb "$1/x" || return 1
    cp "$1/x/boot/vmlinuz-$kver" "$1/vmlinuz" || return 1
    for m in drivers/i2c/i2c-dev drivers/i2c/i2c-stub fs/configfs/configfs; do
        f=$(ls "$1/x/lib/modules/$kver/kernel/$m.ko"* | head -1)
        case "$f" in
        *.xz) xz -dc "$f" >"$1/${m##*/}.ko" ;;
        *.zst) zstd -qdc "$f" >"$1/${m##*/}.ko" ;;
        *) cp "$f" "$1/" ;;
        esac || return 1
    done
    rm -rf "$1/x" "$1"/*.deb
}
KC=$(fetch_cached "kernel/$pkg-$version" unpack_kernel) || fetch_fail "$pkg $version"
echo "# kernel $pkg $version from $KC"
mkdir -p "$K/$kver" || exit 1
cp "$KC/vmlinuz" "$KC"/*.ko "$K/$kver/" || exit 1

# gpio-sim, built out of tree against the same kernel's headers from the
# same kernel's sources (Debian's kernels do not ship it); the few source
# files it needs are kept in the cache, the 140 MB linux-source is not
unpack_gpio_sim() {
    (cd "$1" && FETCH_APT=1 fetch_retry "linux-source-$major $version" \
        apt-get download -q "linux-source-$major=$version") || return 1
    dpkg-deb --fsys-tarfile "$1"/*.deb | tar -xO "./usr/src/linux-source-$major.tar.xz" |
        xz -dc | tar -x -C "$1" --wildcards "linux-source-$major/drivers/gpio/gpio-sim.c" \
        "linux-source-$major/drivers/gpio/gpiolib*.h" "linux-source-$major/kernel/irq/irq_sim.c" ||
        { echo "cannot unpack gpio-sim.c from linux-source-$major"; return 1; }
    mv "$1/linux-source-$major"/drivers/gpio/* "$1/linux-source-$major/kernel/irq/irq_sim.c" "$1/" &&
        rm -rf "$1/linux-source-$major" "$1"/*.deb
}
if [ ! -e "$K/$kver/gpio-sim-oot.ko" ]; then
    if [ ! -d "/usr/src/linux-headers-$kver" ]; then
        [ "$(id -u)" -eq 0 ] || fail "linux-headers-$kver is not installed (run as root once)"
        FETCH_APT=1 fetch_retry "linux-headers-$kver" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "linux-headers-$kver" ||
            fetch_fail "linux-headers-$kver"
    fi
    GS=$(fetch_cached "kernel/gpio-sim-src-$version" unpack_gpio_sim) || fetch_fail "linux-source-$major $version"
    G=$K/gpio-sim
    rm -rf "$G" && mkdir -p "$G" && cp tests/kernel/gpio-sim/Kbuild "$GS"/*.c "$GS"/*.h "$G/" || exit 1
    sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' "$G/irq_sim.c"
    grep -q 'generic_handle_irq(irqnum)' "$G/irq_sim.c" || fail "irq_sim.c changed: the patch no longer applies"
    make -s -C "/usr/src/linux-headers-$kver" M="$PWD/$G" modules >"$G/build.log" 2>&1 ||
        { cat "$G/build.log"; fail "gpio-sim did not build"; }
    cp "$G/gpio-sim-oot.ko" "$K/$kver/"
    rm -rf "$G"
fi

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
