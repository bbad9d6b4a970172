#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make deb: the Debian package, build/deb/station_VERSION_ARCH.deb.
# dpkg-buildpackage runs on a copy of the tree in build/deb/ (so it writes
# nothing beside the checkout and its clean leaves build/ alone), without
# the unit tests (DEB_BUILD_OPTIONS=nocheck: make check runs them; a plain
# `dpkg-buildpackage -us -uc -b` in the tree runs them too).
set -eu
cd "$(dirname "$0")/.."
V=$(dpkg-parsechangelog -S Version)
D=build/deb
rm -rf "$D"
mkdir -p "$D/station-$V"
tar -c --exclude='./build*' --exclude=./.git . | tar -x -C "$D/station-$V"
(cd "$D/station-$V" &&
    DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc -b -j2 >../build.log 2>&1) ||
    { tail -30 "$D/build.log"; echo "deb: dpkg-buildpackage failed (all of it in $D/build.log)" >&2; exit 1; }
rm -rf "$D/station-$V"
ls "$D"/station_"$V"_*.deb
