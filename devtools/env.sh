# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the devtools scripts: set up dependencies, export the DPDK
# prefix for pkg-config, configure and build the project.
#   EP_BUILD_DIR  build directory (default: <repo>/build)
#   EP_WERROR     "true" to build with warnings as errors (default false)
#   EP_MESON_OPTS extra options for a new build directory (e.g. sanitizers)

EP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EP_BUILD_DIR=${EP_BUILD_DIR:-$EP_ROOT/build}
# Debian's pyelftools and meson live with /usr/bin/python3.
export PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH

ep_setup() {
	local pc
	pc=$("$EP_ROOT/devtools/setup-deps.sh" --print-pkgconfig) || return 1
	export PKG_CONFIG_PATH=$pc${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
	EP_DPDK_LIBDIR=$(pkg-config --variable=libdir libdpdk)
	export EP_DPDK_LIBDIR
}

ep_build() {
	local werror=${EP_WERROR:-false} stamp=$EP_BUILD_DIR/.ep-dma-dpdk wipe=
	# a build made against another DPDK prefix is configured afresh
	if [ -f "$EP_BUILD_DIR/build.ninja" ] &&
			[ "$(cat "$stamp" 2>/dev/null)" = "$EP_DPDK_LIBDIR" ]; then
		meson configure "$EP_BUILD_DIR" -Dwerror="$werror" >/dev/null
	else
		# another prefix's build is wiped; what a failed set-up left is
		# removed
		if [ -f "$EP_BUILD_DIR/build.ninja" ]; then
			wipe=--wipe
		elif [ -d "$EP_BUILD_DIR/meson-private" ]; then
			rm -rf "$EP_BUILD_DIR"
		fi
		# shellcheck disable=SC2086 # lists of options
		meson setup $wipe "$EP_BUILD_DIR" "$EP_ROOT" -Dwerror="$werror" \
			${EP_MESON_OPTS:-} >/dev/null
	fi || { echo "[build] meson setup failed" >&2; return 1; }
	echo "$EP_DPDK_LIBDIR" >"$stamp"
	ninja -C "$EP_BUILD_DIR" >&2 || { echo "[build] build failed" >&2; return 1; }
}
