# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the kernel VM tests (run.sh: the I2C path; platform.sh:
# libgpiod 1 and 2 on gpio-sim, KMSDRM on virtio-gpu, coverage): Debian's
# kernel, the modules a guest loads and gpio-sim built out of tree, each
# fetched once into $STATION_CACHE/kernel/ (scripts/fetch.sh, sourced
# first: retried downloads) and copied into build/kernel/$kver/.
# Sets pkg, kver, version, major and K.
K=build/kernel
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)/\1/p' | head -1)
kver=${pkg#linux-image-}
version=$(apt-cache show "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | head -1)
major=$(echo "$kver" | cut -d. -f1-2)

# kernel_module_copy FILE DIR: one module, decompressed, into DIR
kernel_module_copy() {
    case "$1" in
    *.xz) xz -dc "$1" >"$2/$(basename "$1" .xz)" ;;
    *.zst) zstd -qdc "$1" >"$2/$(basename "$1" .zst)" ;;
    *) cp "$1" "$2/" ;;
    esac
}

# kernel_module_closure DIR NAME...: the modules NAME and everything they
# depend on (the "depends=" of each one's .modinfo section: the package has
# no modules.dep), from the package unpacked in DIR/x into DIR, and the
# order to load them in DIR/order, dependencies first. (local: dash and
# busybox sh have it, and the recursion needs it.)
kernel_module_closure() {
    local _d _tree _m _f _n _deps
    _d=$1
    shift
    _tree=$_d/x/lib/modules/$kver/kernel
    for _m in "$@"; do
        _f=$(find "$_tree" -name "$_m.ko*" -o -name "$(echo "$_m" | tr _ -).ko*" -o \
            -name "$(echo "$_m" | tr - _).ko*" | head -1)
        [ -n "$_f" ] || { echo "kernel: no module $_m in $pkg"; return 1; }
        _n=$(basename "${_f%%.ko*}")
        grep -qx "$_n" "$_d/order" 2>/dev/null && continue
        _deps=$(objcopy -O binary --only-section=.modinfo "$_f" /dev/stdout | tr '\0' '\n' |
            sed -n 's/^depends=//p' | tr ',' ' ')
        # shellcheck disable=SC2086
        [ -z "$_deps" ] || kernel_module_closure "$_d" $_deps || return 1
        kernel_module_copy "$_f" "$_d" || return 1
        echo "$_n" >>"$_d/order"
    done
}

# kernel_unpack DIR: the kernel image as DIR/vmlinuz and the modules
# $kernel_modules (with what they need) in DIR, from the package (for
# fetch_cached, which gives DIR)
kernel_unpack() {
    (cd "$1" && FETCH_APT=1 fetch_retry "$pkg $version" apt-get download -q "$pkg=$version") || return 1
    dpkg-deb -x "$1"/*.deb "$1/x" || return 1
    cp "$1/x/boot/vmlinuz-$kver" "$1/vmlinuz" || return 1
    # shellcheck disable=SC2086
    kernel_module_closure "$1" $kernel_modules || return 1
    rm -rf "$1/x" "$1"/*.deb
}

# kernel_fetch NAME MODULE...: the kernel and MODULEs, cached as NAME;
# prints the cache entry's directory
kernel_fetch() {
    _name=$1
    shift
    kernel_modules="$*"
    fetch_cached "kernel/$pkg-$version$_name" kernel_unpack
}

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

# gpio_sim_build: $K/$kver/gpio-sim-oot.ko, built once. Prints why not and
# returns 1 when it cannot (ENVIRONMENT: when a download failed).
gpio_sim_build() {
    [ -e "$K/$kver/gpio-sim-oot.ko" ] && return 0
    if [ ! -d "/usr/src/linux-headers-$kver" ]; then
        [ "$(id -u)" -eq 0 ] || { echo "linux-headers-$kver is not installed (run as root once)"; return 1; }
        FETCH_APT=1 fetch_retry "linux-headers-$kver" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "linux-headers-$kver" ||
            { echo "ENVIRONMENT: could not fetch linux-headers-$kver (see above)"; return 1; }
    fi
    GS=$(fetch_cached "kernel/gpio-sim-src-$version" unpack_gpio_sim) ||
        { echo "ENVIRONMENT: could not fetch linux-source-$major $version (see above)"; return 1; }
    G=$K/gpio-sim
    mkdir -p "$K/$kver" && rm -rf "$G" && mkdir -p "$G" &&
        cp tests/kernel/gpio-sim/Kbuild "$GS"/*.c "$GS"/*.h "$G/" || return 1
    sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' "$G/irq_sim.c"
    grep -q 'generic_handle_irq(irqnum)' "$G/irq_sim.c" ||
        { echo "irq_sim.c changed: the patch no longer applies"; return 1; }
    make -s -C "/usr/src/linux-headers-$kver" M="$PWD/$G" modules >"$G/build.log" 2>&1 ||
        { cat "$G/build.log"; echo "gpio-sim did not build"; return 1; }
    cp "$G/gpio-sim-oot.ko" "$K/$kver/"
    rm -rf "$G"
}
