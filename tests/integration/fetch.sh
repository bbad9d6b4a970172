#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# scripts/fetch.sh: downloads retried with backoff, cached outside the
# checkout and reused, and a download that keeps failing named as the
# environment's fault (and failing). No network: the "downloads" are
# commands that fail a given number of times.
cd "$(dirname "$0")/../.." || exit 1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - fetch: $*"; }
notok() { n=$((n + 1)); echo "not ok $n - fetch: $*"; }
check() { # check DESCRIPTION COMMAND...
    d=$1
    shift
    if "$@"; then ok "$d"; else notok "$d"; fi
}

# each test in a fresh shell with the library and a fake clock
lib() {
    cat <<EOF
STATION_CACHE=$T/cache
FETCH_TRIES=4
FETCH_DELAY=5
FETCH_SLEEP=fake_sleep
FETCH_APT_UPDATE=fake_update
fake_sleep() { echo "\$1" >>$T/sleeps; }
fake_update() { echo update >>$T/updates; }
# flaky N DIR: fails until it has been called N times, then makes DIR/file
flaky() {
    c=\$(cat $T/calls 2>/dev/null || echo 0)
    c=\$((c + 1))
    echo \$c >$T/calls
    [ \$c -ge "\$1" ] || { echo "E: File has unexpected size (12 != 34). Mirror sync in progress?"; return 100; }
    [ -z "\${2:-}" ] || echo data >"\$2/file"
}
. scripts/fetch.sh
EOF
}
reset() { rm -rf "$T/cache" "$T/calls" "$T/sleeps" "$T/updates" "$T/err"; }

# 1. a download that fails twice then works: three tries, waits of 5 and 10 s
reset
{ lib; echo 'fetch_retry "pkg 1.0" flaky 3'; } | sh 2>"$T/err"
rc=$?
check "a flaky download is tried again until it works (exit $rc)" [ $rc -eq 0 ]
check "it took three tries" [ "$(cat "$T/calls")" = 3 ]
check "with backoff: waits of 5 then 10 s" [ "$(cat "$T/sleeps" | tr '\n' ' ')" = "5 10 " ]
check "the retries are reported, with the mirror's error" grep -q 'pkg 1.0 failed (try 1 of 4), again in 5 s: E: File has unexpected size' "$T/err"
check "no apt index update unless asked" [ ! -e "$T/updates" ]

# 2. FETCH_APT=1 refreshes apt's indexes between tries
reset
{ lib; echo 'FETCH_APT=1 fetch_retry "pkg 1.0" flaky 3'; } | sh 2>/dev/null
check "FETCH_APT=1: the indexes are refreshed before each retry" [ "$(wc -l <"$T/updates")" -eq 2 ]

# 3. one that never works: FETCH_TRIES tries, then the environment is blamed
reset
{ lib; echo 'fetch_retry "linux-source-6.1 6.1.140-1" flaky 99'; } | sh 2>"$T/err"
rc=$?
check "a download that keeps failing fails (exit $rc)" [ $rc -eq 1 ]
check "after FETCH_TRIES (4) tries" [ "$(cat "$T/calls")" = 4 ]
check "waits of 5, 10, 20 s" [ "$(cat "$T/sleeps" | tr '\n' ' ')" = "5 10 20 " ]
check "the message names what could not be fetched and blames the environment" \
    grep -q '^ENVIRONMENT: could not fetch linux-source-6.1 6.1.140-1 (4 tries; last error: E: File has unexpected size.*the network or the package mirror failed, not the station' "$T/err"

# 4. the cache: made once, reused, outside the checkout
reset
{ lib; echo 'fetch_cached kernel/k1 flaky 1'; } | sh >"$T/out" 2>/dev/null
check "a cache entry is made by its command" [ "$(cat "$T/cache/kernel/k1/file" 2>/dev/null)" = data ]
check "its path is printed" [ "$(cat "$T/out")" = "$T/cache/kernel/k1" ]
{ lib; echo 'fetch_cached kernel/k1 flaky 1'; } | sh >"$T/out" 2>/dev/null
check "a second use does not download again" [ "$(cat "$T/calls")" = 1 ]
check "and gives the same entry" [ "$(cat "$T/out")" = "$T/cache/kernel/k1" ]

# 5. a failed download leaves no entry behind (nor a partial one)
reset
{ lib; echo 'mk() { echo half >"$1/file"; flaky 99; }; fetch_cached kernel/k2 mk'; } | sh >/dev/null 2>&1
rc=$?
check "a failed cache entry fails (exit $rc)" [ $rc -ne 0 ]
check "and leaves nothing in the cache" [ -z "$(ls -A "$T/cache/kernel" 2>/dev/null)" ]
{ lib; echo 'fetch_cached kernel/k2 flaky 1'; } | sh >/dev/null 2>&1
check "the next run makes it afresh" [ "$(cat "$T/cache/kernel/k2/file" 2>/dev/null)" = data ]

# 6. retry inside a cached fetch: the mirror recovers on the third try
reset
{ lib; echo 'get() { fetch_retry "libfoo:armhf" flaky 3 "$1"; }; fetch_cached sysroot/armhf get'; } | sh >/dev/null 2>&1
check "a cached download retried: made on the third try" [ "$(cat "$T/calls")" = 3 ]
check "and kept" [ -e "$T/cache/sysroot/armhf/file" ]

# 7. the default cache is outside the checkout
d=$(env -u STATION_CACHE XDG_CACHE_HOME=/x/y sh -c '. scripts/fetch.sh; echo $STATION_CACHE')
check "the cache is \${XDG_CACHE_HOME}/station ($d)" [ "$d" = /x/y/station ]
d=$(env -u STATION_CACHE -u XDG_CACHE_HOME HOME=/h sh -c '. scripts/fetch.sh; echo $STATION_CACHE')
check "or ~/.cache/station ($d)" [ "$d" = /h/.cache/station ]

# 8. the scripts that download use it
for s in scripts/deps.sh scripts/cross.sh tests/kernel/lib.sh; do
    check "$s downloads through fetch_retry" grep -q 'fetch_retry' "$s"
done

# 9. end to end: with the mirror down (an apt-get that always fails) and an
# empty cache, the kernel tests and the cross build fail, naming what they
# could not fetch
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "E: Failed to fetch http://deb.debian.org/debian/pool/x.deb  Mirror sync in progress?" >&2\nexit 100\n' >"$T/bin/apt-get"
chmod +x "$T/bin/apt-get"
reset
PATH=$T/bin:$PATH STATION_CACHE=$T/cache FETCH_DELAY=0 FETCH_TRIES=2 sh tests/kernel/run.sh >"$T/out" 2>&1
rc=$?
check "kernel tests with the mirror down: fail (exit $rc)" [ $rc -ne 0 ]
check "naming the kernel package as the environment's fault" grep -q '^not ok - kernel tests: ENVIRONMENT: could not fetch linux-image-' "$T/out"
check "nothing is left in the cache" [ -z "$(ls -A "$T/cache/kernel" 2>/dev/null)" ]
reset
PATH=$T/bin:$PATH STATION_CACHE=$T/cache FETCH_DELAY=0 FETCH_TRIES=2 sh scripts/cross.sh armhf >"$T/out" 2>&1
rc=$?
check "cross build with the mirror down: fails (exit $rc)" [ $rc -ne 0 ]
check "naming the armhf packages as the environment's fault" grep -q '^not ok - cross armhf: ENVIRONMENT: could not fetch' "$T/out"
