#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make check: every test, one summary line at the end.
#  1. unit tests (cmocka) as built, and again under valgrind memcheck
#  2. the same unit tests built with ASan + UBSan (build-asan/)
#  3. integration tests (command-line contracts, recording, signals)
#  4. golden tests (analyze output on tests/traces/, as gpsd does): in
#     cmocka (test_goldens, so also under valgrind and the sanitizers) and
#     through the command line (goldens.sh, exit codes and all)
#  5. the clinic server against a real PostgreSQL and mosquitto (tests/clinic/),
#     and the I2C path against a real kernel in qemu (tests/kernel/)
#  6. the Debian package, installed in a bookworm chroot (tests/deb/), and
#     the build and unit tests on trixie, with libgpiod 2 (tests/trixie/);
#     then the platform VM: the buttons and the INT line on gpio-sim through
#     libgpiod 1 and 2, the fullscreen screen through KMSDRM on virtio-gpu
#     (tests/kernel/platform.sh)
#  7. soak, a short fuzz run, the arm64 and armhf builds under qemu-user
cd "$(dirname "$0")/.." || exit 1
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# count_cmocka NAME COMMAND...: runs a cmocka program, adds its counts.
count_cmocka() {
    name=$1
    shift
    "$@" >"$log" 2>&1
    rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    p=${p:-0}
    f=${f:-0}
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed, or a sanitizer or valgrind objected
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -eq 0 ]; then
        echo "ok - $name: $p tests"
    else
        echo "not ok - $name: $p passed, $f failed"
        grep -v '^\[ RUN\|^\[       OK' "$log" | tail -25 | sed 's/^/#   /'
    fi
}

# count_tap COMMAND...: runs a script printing ok / not ok lines, shows
# them, adds its counts; printing neither is a failure.
count_tap() {
    "$@" >"$log" 2>&1
    cat "$log"
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && f=1
    passed=$((passed + p))
    failed=$((failed + f))
}

echo "# unit tests"
for t in build/tests/test_*; do
    count_cmocka "$(basename "$t")" "$t"
done
if command -v valgrind >/dev/null 2>&1; then
    echo "# unit tests under valgrind memcheck"
    for t in build/tests/test_*; do
        count_cmocka "valgrind $(basename "$t")" \
            valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$t"
    done
else
    echo "not ok - valgrind is not installed (scripts/deps.sh installs it)"
    failed=$((failed + 1))
fi
echo "# unit tests under ASan + UBSan"
for t in build-asan/tests/test_*; do
    count_cmocka "asan $(basename "$t")" env ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 "$t"
done

for script in tests/integration/fetch.sh tests/integration/modules.sh tests/integration/cli.sh tests/integration/station.sh tests/integration/faults.sh tests/integration/acquire.sh \
    tests/integration/service.sh tests/integration/goldens.sh tests/integration/adversarial.sh tests/integration/glitches.sh \
    tests/integration/speech.sh tests/sessions/run.sh tests/integration/people.sh \
    tests/integration/export.sh tests/integration/reports.sh tests/integration/history_screen.sh \
    tests/clinic/web.sh; do
    echo "# $script"
    STATION=build/station sh "$script" >"$log" 2>&1
    cat "$log"
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    passed=$((passed + p))
    failed=$((failed + f))
done
# the station itself under ASan on the same contracts
echo "# tests/integration/cli.sh with the ASan build"
STATION=build-asan/station sh tests/integration/cli.sh >"$log" 2>&1
grep '^not ok' -A3 "$log"
p=$(grep -c '^ok ' "$log")
f=$(grep -c '^not ok ' "$log")
echo "# asan cli: $p passed, $f failed"
passed=$((passed + p))
failed=$((failed + f))
echo "# tests/integration/adversarial.sh with the ASan build"
STATION=build-asan/station sh tests/integration/adversarial.sh >"$log" 2>&1
grep '^not ok' -A3 "$log"
p=$(grep -c '^ok ' "$log")
f=$(grep -c '^not ok ' "$log")
echo "# asan adversarial: $p passed, $f failed"
passed=$((passed + p))
failed=$((failed + f))

# people, export and the printable reports (issue 13) with the ASan build
for script in tests/integration/people.sh tests/integration/export.sh tests/integration/reports.sh \
    tests/integration/history_screen.sh; do
    echo "# $script with the ASan build"
    STATION=build-asan/station sh "$script" >"$log" 2>&1
    grep '^not ok' -A3 "$log"
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    echo "# asan $(basename "$script"): $p passed, $f failed"
    passed=$((passed + p))
    failed=$((failed + f))
done

# the clinic's web page with the ASan build of station-clinic
echo "# tests/clinic/web.sh with the ASan build"
CLINIC=build-asan/station-clinic STATION=build/station sh tests/clinic/web.sh >"$log" 2>&1
grep '^not ok' -A3 "$log"
p=$(grep -c '^ok ' "$log")
f=$(grep -c '^not ok ' "$log")
echo "# asan web.sh: $p passed, $f failed"
passed=$((passed + p))
failed=$((failed + f))

# the I2C path against Debian's kernel in a VM (amd64 machines with qemu)
if [ "$(dpkg --print-architecture 2>/dev/null)" != amd64 ]; then
    echo "# kernel tests: NOT RUN: they boot Debian's amd64 kernel; this machine is $(dpkg --print-architecture)"
elif ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
    echo "# kernel tests: NOT RUN: qemu-system-x86_64 is missing (scripts/deps.sh check installs it)"
else
    echo "# kernel tests (qemu)"
    count_tap tests/kernel/run.sh
fi

# the Debian package: lintian, installed in a bookworm chroot
echo "# Debian package (tests/deb/run.sh)"
count_tap tests/deb/run.sh

# Debian 13 (trixie): gcc 14, libgpiod 2, the unit tests
echo "# trixie build (tests/trixie/run.sh)"
count_tap tests/trixie/run.sh

# the platform VM: buttons and INT line on gpio-sim through libgpiod 1 and
# 2 (the trixie build above), the fullscreen screen through KMSDRM
if [ "$(dpkg --print-architecture 2>/dev/null)" != amd64 ]; then
    echo "# platform VM: NOT RUN: it boots Debian's amd64 kernel; this machine is $(dpkg --print-architecture)"
else
    echo "# platform VM (tests/kernel/platform.sh)"
    count_tap tests/kernel/platform.sh
fi
# the clinic server (issue 13): a real PostgreSQL and mosquitto per script;
# the load test with the plain builds, for its figures; the transport and
# its faults with the ASan builds of both ends (the same code, its memory
# checked too)
echo "# tests/clinic/load.sh"
count_tap env STATION=build/station CLINIC=build/station-clinic sh tests/clinic/load.sh
for script in tests/clinic/transport.sh tests/clinic/faults.sh; do
    echo "# $script with the ASan build"
    count_tap env STATION=build-asan/station CLINIC=build-asan/station-clinic \
        ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 sh "$script"
done

# soak: half an hour of sessions at 100x real time (SOAK_HOURS=24 make soak by hand)
echo "# soak"
count_tap tests/soak.sh

# fuzzing: a short run of every target (make fuzz runs longer by hand)
if [ "${SKIP_FUZZ:-0}" != 1 ]; then
    echo "# fuzz (${FUZZ_SECONDS:-12} s a target)"
    make --no-print-directory fuzz >"$log" 2>&1
    grep '^ok \|^not ok\|^#   ' "$log"
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; tail -5 "$log"; fi
    passed=$((passed + p))
    failed=$((failed + f))
fi

# the Pi builds: cross-compiled, unit tests under qemu-user
if [ "${SKIP_CROSS:-0}" != 1 ]; then
    for arch in arm64 armhf; do
        echo "# cross build $arch"
        scripts/cross.sh "$arch" >"$log" 2>&1
        grep -v '^  CC\|^  AR\|^  LD' "$log" | grep -v '^ok '
        p=$(sed -n 's/^# cross .*: \([0-9]*\) passed.*/\1/p' "$log")
        f=$(grep -c '^not ok ' "$log")
        if [ -z "$p" ]; then f=$((f + 1)); tail -5 "$log"; fi
        passed=$((passed + ${p:-0}))
        failed=$((failed + f))
    done
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
