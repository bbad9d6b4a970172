#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make coverage: line coverage per source file for the default test run.
# The station and its unit tests are built with gcov's instrumentation in
# build-cov/; the unit tests and the integration scripts of make check
# (command line, station, faults, service, goldens, adversarial, sessions)
# run on it, and so does the platform VM (tests/kernel/platform.sh: the
# buttons, the INT line, the I2C adapter and KMSDRM on a real kernel; the
# guest writes its .gcda files into build-cov/ over 9p); gcovr prints the
# lines run per file of src/. The libgpiod 2 code is compiled only on
# trixie: its gcov build runs in the VM as well, and trixie's gcov gives its
# adapters' figures after the table. The first kernel VM (run.sh), soak,
# fuzz and cross runs are not counted (their binaries are built apart).
set -u
cd "$(dirname "$0")/.." || exit 1
B=build-cov
command -v gcovr >/dev/null 2>&1 || { echo "coverage: gcovr is missing (scripts/deps.sh check installs it)" >&2; exit 1; }
make -s -j2 BUILD=$B OPT="-O0 -g --coverage" all unit >/dev/null || exit 1
find $B -name '*.gcda' -delete
failed=0
for t in $B/tests/test_*; do
    case "$t" in *.gcno|*.gcda) continue ;; esac
    "$t" >$B/unit.log 2>&1 || { echo "coverage: $t failed" >&2; failed=1; }
done
for s in tests/integration/cli.sh tests/integration/station.sh tests/integration/faults.sh \
    tests/integration/service.sh tests/integration/goldens.sh tests/integration/adversarial.sh \
    tests/sessions/run.sh; do
    STATION=$B/station sh "$s" >$B/integration.log 2>&1
    f=$(grep -c '^not ok' $B/integration.log)
    [ "$f" -eq 0 ] || { echo "coverage: $s: $f failed" >&2; failed=1; }
done
# the adapters on the real kernel: the platform VM runs this build on
# gpio-sim (buttons, INT line), i2c-stub and virtio-gpu (KMSDRM); build-cov
# is shared with the guest, so its runs add their counts here
# The libgpiod 2 code is compiled on trixie only: the trixie chroot
# (tests/trixie/run.sh makes it) builds the station with gcov in its
# /tmp/station-cov; the VM runs that binary too and writes its counts to
# build/vm/gcov-v2/, which go back beside its objects for trixie's own gcov.
TS=/tmp/station-cov
TR=""
v2_build() {
    [ -d build/trixie/root ] || sh tests/trixie/run.sh >$B/trixie.log 2>&1 || return 1
    TR=$(readlink -f build/trixie/root)
    rm -rf "$TR$TS" && mkdir -p "$TR$TS" || return 1
    tar -c --exclude='./build*' --exclude=./.git --exclude=./debian . | tar -x -C "$TR$TS"
    chroot "$TR" sh -c "cd $TS && make -s -j2 BUILD=build-cov OPT='-O0 -g --coverage' all" \
        >$B/trixie-cov.log 2>&1 || return 1
    mkdir -p build/trixie-cov && cp "$TR$TS/build-cov/station" build/trixie-cov/station
}
# v2_report: lines run per adapter file of the libgpiod 2 build (gcov's
# figures: gcovr is not in the chroot)
v2_report() {
    cp -r build/vm/gcov-v2$TS/build-cov/. "$TR$TS/build-cov/" || return 1
    echo "libgpiod 2 (the trixie build, run in the VM; gcc $(chroot "$TR" gcc -dumpfullversion)'s gcov):"
    for f in src/input/gpio_buttons.c src/sensor/int_line.c src/util/gpio_lines.c; do
        chroot "$TR" sh -c "cd $TS && gcov -n -o build-cov/$(dirname $f) $f" 2>/dev/null |
            sed -n "\|^File '$f'|{n;s|^Lines executed:\(.*\)% of \(.*\)|  $f: \1 % of \2 lines|p}"
    done
}
if [ "$(dpkg --print-architecture 2>/dev/null)" = amd64 ] && command -v qemu-system-x86_64 >/dev/null 2>&1; then
    v2=""
    if v2_build; then v2=build/trixie-cov/station
    else echo "coverage: the trixie gcov build failed ($B/trixie.log, $B/trixie-cov.log): libgpiod 2 not measured" >&2; failed=1; fi
    COVERAGE=$B COVERAGE_V2=$v2 STATION=$B/station sh tests/kernel/platform.sh >$B/platform.log 2>&1
    p=$(grep -c '^ok' $B/platform.log)
    f=$(grep -c '^not ok' $B/platform.log)
    echo "coverage: the platform VM: $p passed, $f failed (its log: $B/platform.log)"
    [ "$f" -eq 0 ] && [ "$p" -gt 0 ] || failed=1
else
    echo "coverage: the platform VM NOT RUN (it needs an amd64 machine and qemu): the adapters' figures are the unit tests' alone" >&2
fi
gcovr -j 2 --root . --filter 'src/' --object-directory $B --txt $B/coverage.txt $B 2>/dev/null ||
    { echo "coverage: gcovr failed" >&2; exit 1; }
# the lines not run are listed in build-cov/coverage.txt
sed "s/%  .*/%/; s/Cover   Missing/Cover/; s/^\(-\{66\}\)-*/\1/" $B/coverage.txt
echo "(lines not run, per file: $B/coverage.txt)"
[ -n "$TR" ] && [ -d build/vm/gcov-v2 ] && { v2_report || failed=1; }
[ -n "$TR" ] && rm -rf "${TR:?}$TS"
[ "$failed" -eq 0 ] || echo "coverage: some tests failed; the figures count what ran" >&2
exit $failed
