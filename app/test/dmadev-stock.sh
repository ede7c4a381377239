#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Run DPDK's stock dmadev suite (Debian's /usr/bin/dpdk-test, dmadev_autotest)
# on the dw_edma driver loaded with -d and a simulated endpoint with an
# outbound window, so that the MEM_TO_MEM instance tests apply. Prints one
# PASS/FAIL/SKIP line per test the suite reports.
#
# Usage: dmadev-stock.sh <librte_dma_dw_edma.so> <libep_model_vdev.so> <libep_model.so>
set -u
usage="usage: $0 <librte_dma_dw_edma.so> <libep_model_vdev.so> <libep_model.so>"
drv=${1:?$usage}
vdev=${2:?$usage}
model=${3:?$usage}
# DPDK_TEST_BIN: the dpdk-test of the DPDK the project is built against
# (the set-up builds it), so that the process runs one DPDK.
dpdk_test=${DPDK_TEST_BIN:-/usr/bin/dpdk-test}
# STOCK_DEVARGS: more driver devargs (e.g. completion=llp), and the prefix
# of the result lines that names the variant.
extra=${STOCK_DEVARGS:+,$STOCK_DEVARGS}
name_prefix=${STOCK_NAME:-stock}
# STOCK_SIM: the simulated endpoint's keys; STOCK_INSTANCES: how many of its
# channels the suite must test (an EPDM v1 endpoint exports read channels
# only: "export=epdm,rd=1,desc_size=16384,outbound=0x1000000000000" and 1)
sim=${STOCK_SIM:-wr=1,rd=1,desc_size=16384,outbound=0x1000000000000}
want=${STOCK_INSTANCES:-2}
# STOCK_AUTOLOAD=1: the PMD is installed in the DPDK's plugin directory;
# no -d, as an unmodified application runs.
autoload=${STOCK_AUTOLOAD:-0}
if [ ! -x "$dpdk_test" ]; then
	echo "FAIL stock/dmadev_autotest ($dpdk_test missing: run devtools/setup-deps.sh)"
	exit 1
fi
# EAL loads a -d plugin only if no directory above it is world-writable, and
# a clone may well live under /tmp: stage the driver in a private directory.
stage_root=${XDG_CACHE_HOME:-$HOME/.cache}/ep-dma
mkdir -p "$stage_root" && chmod go-w "$stage_root" || exit 1
stage=$(mktemp -d "$stage_root/plugin.XXXXXX") || exit 1
log=$stage/dpdk-test.log
trap 'rm -rf "$stage"' EXIT
plugins=()
if [ "$autoload" != 1 ]; then
	cp "$drv" "$vdev" "$stage/" || exit 1
	plugins=(-d "$stage/$(basename "$drv")" -d "$stage/$(basename "$vdev")")
	# the model library, which the staged plugin no longer finds through
	# its build-tree RUNPATH, comes from our build
	export LD_LIBRARY_PATH=$(dirname "$(realpath "$model")")
fi
# A sanitized driver (the asan/ pass of run-tests.sh) needs its runtimes
# loaded first into an unsanitized dpdk-test.
preload=$(ldd "$drv" | awk '/lib(asan|ubsan)\.so/ { print $3 }' | paste -sd: -)
if [ -n "$preload" ]; then
	export LD_PRELOAD=$preload
fi
DPDK_TEST=dmadev_autotest timeout --kill-after=10 600 "$dpdk_test" "${plugins[@]}" \
	--no-huge --iova-mode=va -m 512 --no-pci --no-shconf \
	--vdev "dma_dw_edma_sim0,$sim$extra" \
	</dev/null >"$log" 2>&1
rc=$?
# One line per test the suite itself reports: the API cases it prints as
# "<case> Passed|Failed", and each instance group. 22.11's suite prints no
# verdict per group but stops at the first failing one, so a group passed
# exactly when the suite went on to the next group or instance, or ended
# with "Test OK"; a group it announces as skipped is a SKIP.
tr '\r' '\n' <"$log" | awk -v rc="$rc" -v prefix="$name_prefix" -v want="$want" '
	function close_group(ok) {
		if (group != "")
			print (ok ? "PASS" : "FAIL") " " prefix "/" inst "/" group
		if (group != "" && !ok)
			failed = 1
		group = ""
	}
	function slug(s) { gsub(/ /, "_", s); return s }
	/^test_[a-z_]+ (Passed|Failed)$/ {
		print ($2 == "Passed" ? "PASS" : "FAIL") " " prefix "/api/" $1
		if ($2 != "Passed")
			failed = 1
		next
	}
	/^### Test dmadev instance/ {
		close_group(1)
		inst = $0; sub(/.*\[/, "", inst); sub(/\].*/, "", inst)
		if (inst ~ /^dma_dw_edma_sim0-/)
			dw++
		next
	}
	/: Running .* Tests/ {
		close_group(1)
		group = $0; sub(/.*: Running /, "", group); sub(/ Tests.*/, "", group)
		group = slug(group)
		next
	}
	/, skipping .* tests$/ {
		close_group(1)
		g = $0; sub(/.*, skipping /, "", g); sub(/ tests$/, "", g)
		print "SKIP " prefix "/" inst "/" slug(g) " (the suite skips it for this device)"
		next
	}
	/^Test OK/ { ok = 1 }
	END {
		close_group(ok && rc == 0)
		print (dw >= want ? "PASS" : "FAIL") " " prefix "/dw_edma_channels_tested (" dw \
			" of " want ")"
		if (!failed && !(ok && rc == 0))
			print "FAIL " prefix "/dmadev_autotest (rc " rc ", outside any group)"
	}'
if [ "$rc" != 0 ] || ! grep -q "Test OK" "$log"; then
	echo "---- dpdk-test output (rc=$rc), last 40 lines:"
	tr '\r' '\n' <"$log" | tail -n 40
	exit 1
fi
exit 0
