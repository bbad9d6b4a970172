#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make check-deb (part of make check): the Debian package is built
# (scripts/deb.sh), checked by lintian, and installed with dpkg in a
# minimal Debian 12 (bookworm) chroot, where the installed station checks
# its configuration and analyses the demo exactly as the build tree's
# station does. The chroot (debootstrap, then the package's dependencies)
# is made once and kept in $STATION_CACHE/chroot/ (scripts/fetch.sh), one
# for each dependency list; each run works in a fresh copy. Needs root
# (chroot), debootstrap, debhelper and lintian (scripts/deps.sh check).
set -u
cd "$(dirname "$0")/../.." || exit 1
. scripts/fetch.sh
SUITE=${DEB_SUITE:-bookworm}
MIRROR=${DEB_MIRROR:-http://deb.debian.org/debian}
n=0
ok() { n=$((n + 1)); echo "ok $n - deb: $*"; }
notok() { n=$((n + 1)); echo "not ok $n - deb: $*"; }
fail() { notok "$*"; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root for the chroot"
for tool in dpkg-buildpackage dh lintian debootstrap; do
    command -v $tool >/dev/null 2>&1 || fail "$tool is missing (scripts/deps.sh check installs it)"
done

# 1. the package
start=$(date +%s)
deb=$(scripts/deb.sh) || fail "make deb: the package did not build"
ok "make deb built $deb in $(($(date +%s) - start)) s"
c=$(dpkg-deb -c "$deb")
lacks=""
for f in ./usr/bin/station ./lib/systemd/system/station.service ./usr/lib/sysusers.d/station.conf \
    ./lib/udev/rules.d/60-station.rules ./usr/share/man/man1/station.1.gz \
    ./usr/share/man/man5/station.cfg.5.gz ./etc/station/station.cfg ./usr/share/station/demo.csv \
    ./usr/share/station/phrases.cfg ./usr/share/station/fonts/DejaVuSans.ttf \
    ./usr/share/doc/station/copyright; do
    echo "$c" | grep -q " $f\( ->.*\)\?$" || lacks="$lacks $f"
done
if [ -z "$lacks" ]; then
    ok "it holds the binary, unit, sysusers, udev rules, man pages, configuration, assets, copyright"
else notok "the package lacks$lacks"; fi
if [ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = /etc/station/station.cfg ]; then
    ok "the configuration is its conffile"
else notok "conffiles: $(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles 2>&1)"; fi
# tags of level info and pedantic are explained in README ("Debian package")
changes=${deb%.deb}.changes
if lintian --fail-on error,warning --display-info --pedantic "$changes" >build/deb/lintian.log 2>&1; then
    ok "lintian: no errors or warnings; info and pedantic: $(grep '^[IP]:' build/deb/lintian.log | cut -d' ' -f3 | sort -u | tr '\n' ' ')"
else notok "lintian: $(grep '^[EW]:' build/deb/lintian.log | tr '\n' ';')"; fi

# 2. a bookworm chroot with the package's dependencies, made once
deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g' | sort | tr '\n' ' ')
key=$(echo "$SUITE $MIRROR $deps" | md5sum | cut -c1-12)
start=$(date +%s)
C=$(fetch_cached "chroot/$SUITE-$key" fetch_chroot_make "$SUITE" "$MIRROR" "$deps" "$deps") ||
    fail "ENVIRONMENT: could not fetch the $SUITE chroot or the package's dependencies (see above)"
W=build/deb/chroot
rm -rf "$W" && cp -a "$C/root" "$W" || fail "cannot copy the chroot from $C"
trap 'rm -rf "$W"' EXIT
ok "a $SUITE chroot with $(echo $deps | wc -w) dependencies from $C in $(($(date +%s) - start)) s"

# 3. installed with dpkg (no network: every dependency is there already)
cp "$deb" "$W/tmp/station.deb"
if chroot "$W" dpkg -i /tmp/station.deb >build/deb/install.log 2>&1; then
    ok "dpkg -i installs it in the $SUITE chroot"
else fail "dpkg -i: $(tail -5 build/deb/install.log | tr '\n' ' ')"; fi
if chroot "$W" getent group i2c >/dev/null && chroot "$W" getent group gpio >/dev/null; then
    ok "its postinst made the i2c and gpio groups (systemd-sysusers)"
else notok "no i2c or gpio group after the install"; fi
out=$(chroot "$W" station check-config /etc/station/station.cfg 2>&1)
if [ "$out" = "/etc/station/station.cfg: ok" ]; then
    ok "station check-config /etc/station/station.cfg: $out"
else notok "station check-config: $out"; fi
chroot "$W" station analyze /usr/share/station/demo.csv >build/deb/analyze.out 2>&1
rc=$?
"${STATION:-build/station}" analyze assets/demo.csv >build/deb/analyze.expected 2>&1
sed -i 's|assets/demo.csv|/usr/share/station/demo.csv|' build/deb/analyze.expected
if [ $rc -eq 0 ] && grep -q 'knees rocking' build/deb/analyze.out &&
    cmp -s build/deb/analyze.out build/deb/analyze.expected; then
    ok "station analyze on the installed demo: $(head -1 build/deb/analyze.out | cut -d: -f2), as the build tree's"
else notok "station analyze on the demo (exit $rc): $(diff build/deb/analyze.out build/deb/analyze.expected | head -5)"; fi
if chroot "$W" dpkg --purge station >build/deb/purge.log 2>&1 && [ ! -e "$W/usr/bin/station" ] &&
    [ ! -e "$W/etc/station/station.cfg" ] && [ ! -e "$W/lib/systemd/system/station.service" ]; then
    ok "dpkg --purge removes it, configuration and all"
else notok "dpkg --purge: $(tail -3 build/deb/purge.log)"; fi
