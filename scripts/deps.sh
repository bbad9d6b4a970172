#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian packages the station needs to build, run and test.
# Idempotent and quiet when everything is already there. The station's
# uploader links libmosquitto; the clinic server (station-clinic) libpq and
# libmicrohttpd too.
set -eu

PKGS="build-essential pkg-config libgpiod-dev gpiod libi2c-dev i2c-tools \
libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libcjson-dev libespeak-ng-dev espeak-ng-data \
fonts-dejavu-core \
libconfig-dev libsqlite3-dev libcairo2-dev libmosquitto-dev poppler-utils libcmocka-dev libsystemd-dev valgrind python3 time clang libclang-rt-14-dev \
systemd \
libpq-dev libmicrohttpd-dev libsodium-dev"
# `deps.sh check`: also what only the tests need: the Debian package's
# build, lintian and a chroot (tests/deb/), gcovr (make coverage); the kernel tests boot Debian's
# amd64 kernel, so they run on amd64 machines only; the platform VM's
# KMSDRM test renders with this machine's mesa (GBM, EGL, kms_swrast).
if [ "${1:-}" = check ]; then
    # the clinic server's tests: a real PostgreSQL server and mosquitto, and
    # openssl for their certificates (tests/clinic/)
    PKGS="debhelper lintian debootstrap gcovr postgresql mosquitto mosquitto-clients openssl"
    [ "$(dpkg --print-architecture)" = amd64 ] && PKGS="$PKGS qemu-system-x86 busybox-static cpio xz-utils \
libgbm1 libegl-mesa0 libgl1-mesa-dri"
    # the clinic web page's browser test: Debian's chromium, driven by
    # playwright-core from npm (tests/clinic/web.sh installs it into
    # ~/.cache/station); a node that brought its own npm is kept
    PKGS="$PKGS chromium"
    command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
fi

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "deps: need root (or sudo) to install:$missing" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
# retried with backoff (scripts/fetch.sh): a mirror mid-sync is not our fault
. "$(dirname "$0")/fetch.sh"
deps_update() { $SUDO apt-get update -qq >/dev/null 2>&1 || true; }
FETCH_APT_UPDATE=deps_update
fetch_retry "the apt indexes" $SUDO apt-get update -qq || exit 1
# shellcheck disable=SC2086
FETCH_APT=1 fetch_retry "the packages$missing" $SUDO apt-get install -y -qq --no-install-recommends $missing ||
    exit 1
echo "deps: done"
