#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright 2026 The ep-dma authors
#
# Installed like a DPDK plugin: build the project in a scratch directory,
# `meson install` it (libraries into a scratch prefix, the PMD and the
# simulated-endpoint vdev into the plugin directory of the DPDK built
# against), then run that DPDK's own dpdk-test WITHOUT -d: DPDK's stock
# dmadev suite must find and test our channels. The installed plugins are
# removed afterwards, whatever happens (another DPDK process started from
# that DPDK meanwhile would load them too: a lock keeps runs apart).
#
# Usage: install-test.sh <source root> <dpdk-test> <stock-suite wrapper>
set -u
src=${1:?usage: $0 <source root> <dpdk-test> <dmadev-stock.sh>}
dpdk_test=${2:?}
stock=${3:?}
export PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ep-dma-install.XXXXXX") || exit 1
installed=()
cleanup() {
	local f
	for f in "${installed[@]}"; do
		rm -f "$f"
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL installed/$1"; exit 1; }

meson setup "$tmp/build" "$src" --prefix="$tmp/prefix" -Dtests=false -Dapps=false \
	>"$tmp/setup.log" 2>&1 || { tail -n 20 "$tmp/setup.log"; fail "meson_setup"; }
# where that DPDK's EAL loads plugins from by default
pmd_dir=$(sed -n 's/^#define RTE_EAL_PMD_PATH "\(.*\)"$/\1/p' \
	"$(dirname "$dpdk_test")/../include/rte_build_config.h")
[ -n "$pmd_dir" ] || fail "dpdk_has_a_plugin_dir"
# one run at a time per DPDK: the lock lives beside its plugin directory
exec 9>"$(dirname "$pmd_dir")/.ep-dma-install.lock" && flock 9 || fail "lock"
ninja -C "$tmp/build" >"$tmp/build.log" 2>&1 || { tail -n 20 "$tmp/build.log"; fail "build"; }
mapfile -t installed < <(meson introspect --installed "$tmp/build" | /usr/bin/python3 -c '
import json, sys
print("\n".join(json.load(sys.stdin).values()))')
meson install -C "$tmp/build" --no-rebuild >"$tmp/install.log" 2>&1 ||
	{ tail -n 20 "$tmp/install.log"; fail "meson_install"; }
n=0
for f in "$pmd_dir/librte_dma_dw_edma.so" "$pmd_dir/libep_model_vdev.so"; do
	[ -f "$f" ] && printf '%s\n' "${installed[@]}" | grep -qx "$f" && n=$((n + 1))
done
[ "$n" -ge 2 ] && echo "PASS installed/plugins_in_dpdk_plugin_dir ($pmd_dir)" ||
	fail "plugins_in_dpdk_plugin_dir (found $n in $pmd_dir)"
DPDK_TEST_BIN=$dpdk_test STOCK_AUTOLOAD=1 STOCK_NAME=installed "$stock" none none none
