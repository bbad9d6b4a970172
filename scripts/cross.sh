#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make cross: build the station for a Raspberry Pi architecture with Debian's
# cross compiler, and run its unit tests under qemu-user.
#   scripts/cross.sh arm64|armhf
# The target's libraries are not installed (Debian's multiarch needs every
# shared package at one version on both architectures, which a mirror does
# not always have): their packages are downloaded and unpacked into a
# sysroot in the cache, and the compiler and qemu are pointed there.
set -eu
ARCH=${1:?usage: scripts/cross.sh arm64|armhf}
case "$ARCH" in
arm64) TRIPLE=aarch64-linux-gnu; QEMU=qemu-aarch64 ;;
armhf) TRIPLE=arm-linux-gnueabihf; QEMU=qemu-arm ;;
*) echo "cross: unknown architecture '$ARCH' (arm64 or armhf)" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."

. scripts/fetch.sh
need=""
for p in gcc-$TRIPLE libc6-dev-$ARCH-cross qemu-user; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
    echo "cross: installing$need"
    FETCH_APT=1 fetch_retry "$need" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends $need ||
        { echo "not ok - cross $ARCH: ENVIRONMENT: could not fetch$need"; exit 1; }
fi

# The target's libraries, unpacked into a sysroot kept in the cache
# ($STATION_CACHE/sysroot/ARCH-HASH, scripts/fetch.sh), one for each package
# list and versions: a changed list or a new version unpacks a new one.
LIBS="libconfig9 libconfig-dev libi2c0 libi2c-dev libgpiod2 libgpiod-dev libcjson1 libcjson-dev
libcmocka0 libcmocka-dev libsdl2-2.0-0 libsdl2-dev libsdl2-ttf-2.0-0 libsdl2-ttf-dev
libsdl2-image-2.0-0 libsdl2-image-dev libsystemd0 libsystemd-dev libespeak-ng1 libespeak-ng-dev
libsqlite3-0 libsqlite3-dev libcairo2 libcairo2-dev libfontconfig1 libfontconfig-dev
libmosquitto1 libmosquitto-dev libssl3"
dpkg --print-foreign-architectures | grep -qx "$ARCH" || dpkg --add-architecture "$ARCH"
# the indexes, when a run before added the architecture but could not fetch them
if ! apt-cache show "libconfig9:$ARCH" >/dev/null 2>&1; then
    fetch_retry "apt indexes for $ARCH" apt-get update -qq ||
        { echo "not ok - cross $ARCH: ENVIRONMENT: could not fetch the apt indexes for $ARCH"; exit 1; }
fi
PKGS_ARCH=$(for p in $LIBS; do printf '%s:%s ' "$p" "$ARCH"; done)
key=$( (echo $LIBS; apt-cache policy $PKGS_ARCH 2>/dev/null | grep Candidate) | md5sum | cut -c1-12)
unpack_sysroot() {
    mkdir -p "$1/debs" &&
        (cd "$1/debs" && FETCH_APT=1 fetch_retry "the $ARCH libraries ($(echo $LIBS))" \
            apt-get download -qq $PKGS_ARCH) || return 1
    for d in "$1"/debs/*.deb; do dpkg-deb -x "$d" "$1" || return 1; done
    rm -rf "$1/debs"
}
SYSROOT=$(fetch_cached "sysroot/$ARCH-$key" unpack_sysroot) ||
    { echo "not ok - cross $ARCH: ENVIRONMENT: could not fetch the $ARCH sysroot's packages"; exit 1; }
echo "# sysroot $SYSROOT"

LIBDIR=$SYSROOT/usr/lib/$TRIPLE
export PKG_CONFIG_SYSROOT_DIR="$SYSROOT"
export PKG_CONFIG_LIBDIR="$LIBDIR/pkgconfig:$SYSROOT/usr/share/pkgconfig"
# The flags are given here rather than asked of pkg-config: SDL2_ttf's and
# SDL2_image's .pc files require those of their own dependencies (freetype,
# harfbuzz, libpng, ...), which the sysroot leaves out. libgpiod's version
# (v1 or v2 API) is still asked of the sysroot's pkg-config.
# --allow-shlib-undefined: the libraries' own dependencies (X11, ALSA, ...)
# are not in the sysroot and need not be for linking; the Pi has them.
make -s BUILD=build-$ARCH CC=$TRIPLE-gcc AR=$TRIPLE-ar \
    PKG_CFLAGS="-I$SYSROOT/usr/include -I$SYSROOT/usr/include/$TRIPLE -I$SYSROOT/usr/include/SDL2 -I$SYSROOT/usr/include/cairo -D_REENTRANT" \
    PKG_LIBS="-lconfig -lgpiod -lSDL2 -lSDL2_ttf -lSDL2_image -lcjson -lsystemd -lespeak-ng -lsqlite3 -lcairo -lfontconfig -lmosquitto" \
    CMOCKA_LIBS=-lcmocka \
    LDFLAGS="-L$LIBDIR -Wl,-rpath-link=$LIBDIR -Wl,--allow-shlib-undefined -Wl,--as-needed" \
    all unit
echo "build-$ARCH/station: $(file -b build-$ARCH/station | cut -d, -f1-2)"

# Unit tests under qemu-user. The screen and sound tests need SDL's own
# dependencies (X11, Wayland, ALSA, PulseAudio, freetype, ...) at run time,
# which the sysroot does not carry: they (and test_app, the whole station's
# loop with its screen) run on the build machine and on a Pi.
passed=0
failed=0
for t in build-$ARCH/tests/test_*; do
    case "$t" in *test_ui|*test_sound|*test_speech|*test_print|*test_app)
        echo "# $(basename "$t"): SDL, cairo or espeak-ng's data at run time, not under qemu"; continue ;; esac
    if QEMU_LD_PREFIX=/usr/$TRIPLE LD_LIBRARY_PATH="$LIBDIR" "$QEMU" "$t" >build-$ARCH/test.log 2>&1; then
        n=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' build-$ARCH/test.log)
        echo "ok - $ARCH $(basename "$t"): ${n:-0} tests under $QEMU"
        passed=$((passed + ${n:-0}))
    else
        echo "not ok - $ARCH $(basename "$t")"
        tail -15 build-$ARCH/test.log | sed 's/^/#   /'
        failed=$((failed + 1))
    fi
done
echo "# cross $ARCH: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
