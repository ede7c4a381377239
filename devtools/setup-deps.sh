#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Install everything this project needs on a Debian 12 (bookworm) machine:
#  - Debian packages (compiler, meson, ninja, pyelftools, dpdk-dev, ...);
#  - a DPDK 22.11 built from Debian's own source package with the driver SDK
#    enabled (Debian's libdpdk-dev lacks rte_dmadev_pmd.h and friends) and
#    its own dpdk-test, installed into a prefix outside the clone and reused
#    when complete. Its libraries, drivers and programs carry a run path to
#    the prefix, so a process that starts from it loads this DPDK only,
#    never a system one beside it.
#
# Idempotent. Prints the prefix's pkg-config dir on the last line of stdout
# when called with --print-pkgconfig.
set -euo pipefail

say() { echo "[setup] $*" >&2; }
die() { echo "[setup] ERROR: $*" >&2; exit 1; }

CACHE_ROOT=${XDG_CACHE_HOME:-$HOME/.cache}
# Bump when the build recipe below changes: a new recipe gets a new prefix.
RECIPE_VERSION=3
DPDK_PREFIX=${DPDK_PREFIX:-$CACHE_ROOT/ep-dma/dpdk-22.11-r$RECIPE_VERSION}
DPDK_SRC_DIR=${DPDK_SRC_DIR:-$CACHE_ROOT/ep-dma/src}
# Minimal driver set: what our PMD and apps need, plus dma/skeleton to
# compare against. Everything else is left out to keep the build short.
DPDK_DRIVERS='bus/pci,bus/vdev,mempool/ring,dma/skeleton'
STAMP=$DPDK_PREFIX/.ep-dma-complete

# Debian's pyelftools is only visible to Debian's python3.
export PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH

PKGS=(build-essential pkg-config meson ninja-build python3-pyelftools
      libnuma-dev dpdk-dev dpkg-dev gnuplot-nox ca-certificates)

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else
		command -v sudo >/dev/null || die "need root (or sudo) for: $*"
		sudo "$@"
	fi
}

install_packages() {
	local missing=()
	for p in "${PKGS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		say "Debian packages: all present"
		return
	fi
	say "installing Debian packages: ${missing[*]}"
	as_root apt-get update -qq || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >&2 ||
		die "apt-get install failed for: ${missing[*]}"
}

have_deb_src() {
	grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list \
		/etc/apt/sources.list.d/ 2>/dev/null
}

add_deb_src() {
	have_deb_src && return
	say "adding a deb-src entry for bookworm"
	as_root tee /etc/apt/sources.list.d/ep-dma-deb-src.sources >/dev/null <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	as_root apt-get update -qq || die "apt-get update failed after adding deb-src"
}

prefix_complete() {
	[ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$RECIPE_VERSION" ] &&
	[ -f "$DPDK_PREFIX/include/rte_dmadev_pmd.h" ] &&
	[ -f "$DPDK_PREFIX/include/bus_pci_driver.h" ] &&
	[ -f "$DPDK_PREFIX/include/bus_vdev_driver.h" ] &&
	[ -f "$DPDK_PREFIX/include/dev_driver.h" ] &&
	[ -x "$DPDK_PREFIX/bin/dpdk-test" ] &&
	ls "$DPDK_PREFIX"/lib*/pkgconfig/libdpdk.pc >/dev/null 2>&1
}

build_dpdk() {
	add_deb_src
	mkdir -p "$DPDK_SRC_DIR"
	local srcdir
	srcdir=$(find "$DPDK_SRC_DIR" -maxdepth 1 -type d -name 'dpdk-*' | head -n1)
	if [ -z "$srcdir" ] || [ ! -f "$srcdir/meson.build" ]; then
		say "fetching DPDK source with 'apt-get source dpdk' into $DPDK_SRC_DIR"
		rm -rf "${DPDK_SRC_DIR:?}"/*
		(cd "$DPDK_SRC_DIR" && apt-get source -qq dpdk >&2) ||
			die "apt-get source dpdk failed (is a deb-src entry reachable?)"
		srcdir=$(find "$DPDK_SRC_DIR" -maxdepth 1 -type d -name 'dpdk-*' | head -n1)
		[ -n "$srcdir" ] || die "apt-get source dpdk produced no dpdk-* directory"
	fi
	say "building DPDK from $srcdir into $DPDK_PREFIX (a few minutes)"
	rm -rf "$srcdir/build-ep-dma" "$DPDK_PREFIX"
	(cd "$srcdir" && meson setup build-ep-dma \
		--prefix="$DPDK_PREFIX" --libdir=lib \
		--buildtype=release -Ddefault_library=shared \
		-Denable_driver_sdk=true \
		-Denable_drivers="$DPDK_DRIVERS" \
		-Ddisable_apps='*' -Dtests=true -Denable_docs=false \
		-Dexamples= -Dplatform=generic -Dmax_lcores=128 \
		"-Dc_link_args=-Wl,-rpath,\$ORIGIN:\$ORIGIN/../lib:\$ORIGIN/../.." >&2) ||
		die "DPDK meson setup failed"
	ninja -C "$srcdir/build-ep-dma" install >&2 || die "DPDK build failed"
	echo "$RECIPE_VERSION" >"$STAMP"
	say "DPDK installed in $DPDK_PREFIX"
}

install_packages
if prefix_complete; then
	say "DPDK prefix $DPDK_PREFIX complete, reusing it"
else
	build_dpdk
	prefix_complete || die "DPDK prefix $DPDK_PREFIX incomplete after build"
fi
if [ "${1:-}" = --print-pkgconfig ]; then
	echo "$DPDK_PREFIX/lib/pkgconfig"
fi
