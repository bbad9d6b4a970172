# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the scripts that download (scripts/deps.sh, scripts/cross.sh,
# tests/kernel/run.sh, tests/deb/run.sh): downloads are retried with backoff
# and kept in a cache outside the checkout, so a mirror mid-sync or a
# network hiccup neither fails a test run nor costs a second download.
#
#   STATION_CACHE   the cache (default ${XDG_CACHE_HOME:-~/.cache}/station)
#   FETCH_TRIES     tries per download (default 4)
#   FETCH_DELAY     seconds before the second try, doubled before each next
#                   one (default 5: waits of 5, 10, 20 s)
#
# A download that still fails is the environment's fault, not the
# station's: fetch_retry says so, naming what could not be fetched, and
# returns 1, so the test that needed it fails (nothing is skipped).

STATION_CACHE=${STATION_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/station}
FETCH_TRIES=${FETCH_TRIES:-4}
FETCH_DELAY=${FETCH_DELAY:-5}
# the tests replace these two to count the waits and the index updates
FETCH_SLEEP=${FETCH_SLEEP:-sleep}
FETCH_APT_UPDATE=${FETCH_APT_UPDATE:-fetch_apt_update}

# A mirror mid-sync serves indexes that do not match its files ("File has
# unexpected size ... Mirror sync in progress?"): fresh indexes before the
# next try. Only root can update them.
fetch_apt_update() {
    [ "$(id -u)" -eq 0 ] || return 0
    apt-get update -qq >/dev/null 2>&1 || true
}

# fetch_retry WHAT COMMAND...: runs COMMAND until it succeeds, at most
# FETCH_TRIES times, waiting FETCH_DELAY, 2*FETCH_DELAY, ... seconds between
# tries and refreshing apt's indexes when FETCH_APT=1. Its output is kept
# and shown only when the last try fails. Returns COMMAND's success.
fetch_retry() {
    _what=$1
    shift
    _try=1
    _delay=$FETCH_DELAY
    _out=$(mktemp)
    while :; do
        if "$@" >"$_out" 2>&1; then
            rm -f "$_out"
            return 0
        fi
        [ "$_try" -ge "$FETCH_TRIES" ] && break
        echo "# fetch: $_what failed (try $_try of $FETCH_TRIES), again in ${_delay} s: $(tail -1 "$_out")" >&2
        $FETCH_SLEEP "$_delay"
        [ "${FETCH_APT:-0}" = 1 ] && $FETCH_APT_UPDATE
        _try=$((_try + 1))
        _delay=$((_delay * 2))
    done
    fetch_error "$_what" "$FETCH_TRIES tries; last error: $(tail -3 "$_out" | tr '\n' ' ')"
    rm -f "$_out"
    return 1
}

# fetch_error WHAT DETAIL: the one message a failed download gives.
fetch_error() {
    echo "ENVIRONMENT: could not fetch $1 ($2); the network or the package mirror failed, not the station; run again later" >&2
    FETCH_FAILED=$1
}

# fetch_cached NAME COMMAND...: the cache entry $STATION_CACHE/NAME, made by
# COMMAND (run with the entry's new directory as its last argument) only
# when it is not there yet. The entry appears whole or not at all (made
# beside it, then renamed), so an interrupted download is never reused.
# Prints the entry's path.
fetch_cached() {
    _name=$1
    shift
    _dir=$STATION_CACHE/$_name
    if [ ! -d "$_dir" ]; then
        mkdir -p "$(dirname "$_dir")" || return 1
        _tmp=$(mktemp -d "$_dir.part.XXXXXX") || return 1
        if ! "$@" "$_tmp" >&2; then
            rm -rf "$_tmp"
            return 1
        fi
        mv -T "$_tmp" "$_dir" 2>/dev/null || rm -rf "$_tmp" # another run made it first
    fi
    echo "$_dir"
}

# fetch_chroot_make SUITE MIRROR PKGS WHAT DIR: a minbase SUITE chroot in
# DIR/root with PKGS installed, each download retried (for fetch_cached,
# which gives DIR); WHAT names the packages in messages.
fetch_chroot_make() {
    _suite=$1 _mirror=$2 _pkgs=$3 _what=$4
    _root=$5/root
    _boot() { rm -rf "$_root" && debootstrap --variant=minbase "$_suite" "$_root" "$_mirror"; }
    fetch_retry "debootstrap $_suite from $_mirror" _boot || return 1
    _chroot_update() { chroot "$_root" apt-get update -qq >/dev/null 2>&1 || true; }
    fetch_retry "apt indexes in the $_suite chroot" chroot "$_root" apt-get update -qq || return 1
    # shellcheck disable=SC2086
    FETCH_APT=1 FETCH_APT_UPDATE=_chroot_update fetch_retry "$_what in the $_suite chroot" \
        chroot "$_root" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends $_pkgs || return 1
    chroot "$_root" apt-get clean
    rm -rf "$_root"/var/lib/apt/lists/*
}
