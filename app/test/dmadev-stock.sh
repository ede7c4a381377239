#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Run DPDK's stock dmadev suite (Debian's /usr/bin/dpdk-test, dmadev_autotest)
# on the dw_edma driver loaded with -d and a simulated endpoint with an
# outbound window, so that the MEM_TO_MEM instance tests apply. Prints one
# PASS/FAIL line per instance and test group, prefixed with the suite name.
#
# Usage: dmadev-stock.sh <librte_dma_dw_edma.so> <libep_model_vdev.so> <libep_model.so>
#            [<simulated endpoint devargs> <dw_edma instances expected> <suite name>]
# The defaults are one write and one read channel with PEDM metadata (two
# instances, suite "stock"); an EPDM v1 endpoint (read channels only) is
# "export=epdm,rd=1,desc_size=16384,outbound=0x1000000000000 1 stock_epdm".
set -u
usage="usage: $0 <librte_dma_dw_edma.so> <libep_model_vdev.so> <libep_model.so> [<sim devargs> <instances> <suite>]"
drv=${1:?$usage}
vdev=${2:?$usage}
model=${3:?$usage}
sim_args=${4:-wr=1,rd=1,desc_size=16384,outbound=0x1000000000000}
want=${5:-2}
suite=${6:-stock}
dpdk_test=${DPDK_TEST_BIN:-/usr/bin/dpdk-test}
if [ ! -x "$dpdk_test" ]; then
	echo "SKIP $suite/dmadev_autotest ($dpdk_test not installed: apt-get install dpdk-dev)"
	exit 77
fi
# EAL loads a -d plugin only if no directory above it is world-writable, and
# a clone may well live under /tmp: stage the driver in a private directory.
stage_root=${XDG_CACHE_HOME:-$HOME/.cache}/ep-dma
mkdir -p "$stage_root" && chmod go-w "$stage_root" || exit 1
stage=$(mktemp -d "$stage_root/plugin.XXXXXX") || exit 1
log=$stage/dpdk-test.log
trap 'rm -rf "$stage"' EXIT
cp "$drv" "$vdev" "$stage/" || exit 1
# Debian's DPDK libraries must serve dpdk-test; only the model library,
# which the staged driver no longer finds through its RUNPATH, comes from
# our build.
export LD_LIBRARY_PATH=$(dirname "$(realpath "$model")")
DPDK_TEST=dmadev_autotest timeout --kill-after=10 600 "$dpdk_test" \
	-d "$stage/$(basename "$drv")" -d "$stage/$(basename "$vdev")" \
	--no-huge --iova-mode=va -m 512 --no-pci --no-shconf \
	--vdev "dma_dw_edma_sim0,$sim_args" \
	</dev/null >"$log" 2>&1
rc=$?
tr '\r' '\n' <"$log" | awk -v rc="$rc" -v want="$want" -v suite="$suite" '
	function close_group(ok) {
		if (group != "") print (ok ? "PASS" : "FAIL") " " suite "/" inst "/" group
		group = ""
	}
	/^### Test dmadev instance/ {
		close_group(1)
		inst = $0; sub(/.*\[/, "", inst); sub(/\].*/, "", inst)
		seen[inst] = 1; order[n++] = inst; next
	}
	/^### Test dmadev infrastructure/ { api = 1; next }
	/Running .* Tests/ {
		close_group(1)
		group = $0; sub(/.*Running /, "", group); sub(/ Tests.*/, "", group)
		gsub(/ /, "_", group); next
	}
	/Test OK/ { ok = 1 }
	/Test Failed|Error|error/ { if ($0 !~ /errors expected|Errors: /) bad = 1 }
	END {
		close_group(ok && rc == 0)
		if (api) print ((ok || n > 0) ? "PASS" : "FAIL") " " suite "/skeleton_api"
		dw = 0
		for (i = 0; i < n; i++) if (order[i] ~ /dma_dw_edma_sim0-/) dw++
		if (dw < want) print "FAIL " suite "/dw_edma_instances_found (" dw " of " want ")"
		print ((ok && rc == 0) ? "PASS" : "FAIL") " " suite "/dmadev_autotest"
	}'
if [ "$rc" != 0 ] || ! grep -q "Test OK" "$log"; then
	echo "---- dpdk-test output (rc=$rc), last 40 lines:"
	tr '\r' '\n' <"$log" | tail -n 40
	exit 1
fi
exit 0
