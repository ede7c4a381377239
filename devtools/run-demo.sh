#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright 2026 The ep-dma authors
#
# Demo: build, then run dpdk-test-ep-dma over a sweep of transfer sizes on
# each channel of a simulated endpoint (the dw_edma PMD over the endpoint
# model), on dma_skeleton and on a plain memcpy loop, each device alone, the
# whole sweep repeated (default 5 times). Prints the median of each figure
# with its run-to-run spread, and writes the CSV of every run and a PNG
# chart (medians, bars from min to max) into the build directory.
#
# Placement, as in devtools/bench.sh: EAL lcore 0 polls; the model's engine
# thread (model key cpu=) and the skeleton's copy thread (vdev argument
# lcore=) run on the last CPU; the model and the skeleton are in separate
# processes, so they never share the machine.
#
# Usage: devtools/run-demo.sh [seconds per size and run, default 0.2]
# Environment: EP_BUILD_DIR (default build/), EP_DEMO_SIZES, EP_DEMO_SIM
#   (model arguments without cpu=), EP_DEMO_REPEATS (default 5),
#   EP_DEMO_LINK (GEN,LANES[,MPS] drawn on the chart, default 4,2,256)
set -euo pipefail
source "$(dirname "$0")/env.sh"

secs=${1:-0.2}
sizes=${EP_DEMO_SIZES:-64,256,1024,4096,16384,65536}
repeats=${EP_DEMO_REPEATS:-5}
link=${EP_DEMO_LINK:-4,2,256}
aux=$(($(nproc) - 1))
sim="${EP_DEMO_SIM:-dma_dw_edma_sim0,wr=1,rd=1},cpu=$aux"
simname=${sim%%,*}

ep_setup && ep_build
app=$EP_BUILD_DIR/app/test-ep-dma/dpdk-test-ep-dma
csv=$EP_BUILD_DIR/demo.csv
png=$EP_BUILD_DIR/demo.png
rm -f "$csv"
eal=(-l 0 --no-shconf --no-telemetry --no-huge --iova-mode=va -m 512 --no-pci
	--log-level=lib.eal:warning --log-level=pmd.dma.skeleton:warning)

# sweep <memcpy on|off> <device>...: one warm-up sweep, then the repeats
sweep() {
	local mc=$1 r dev
	shift
	printf 'set progress 0\nset size %s\nset timeout 10000\n' "$sizes"
	printf 'set csv none\nset duration 0.05\n'
	for dev in "$@"; do printf 'set dev %s\nstart\nwait\n' "$dev"; done
	printf 'set csv %s\nset duration %s\nset memcpy %s\n' "$csv" "$secs" "$mc"
	for ((r = 0; r < repeats; r++)); do
		for dev in "$@"; do printf 'set dev %s\nstart\nwait\n' "$dev"; done
	done
	printf 'quit\n'
}

# the simulated channels, as the app lists them
mapfile -t chans < <("$app" "${eal[@]}" --vdev="$sim" -- --list |
	awk -v f="$simname" '$2 ~ "^" f "-" { print $2 }')
[ ${#chans[@]} -gt 0 ] || { echo "demo: no channel on $sim" >&2; exit 1; }
echo "demo: ${chans[*]} (model $sim), then dma_skeleton0 and memcpy;" \
	"each alone, sizes $sizes, $repeats x $secs s"
sweep off "${chans[@]}" | "$app" "${eal[@]}" --vdev="$sim" -- -i \
	>"$EP_BUILD_DIR/demo-sim.log" 2>&1 ||
	echo "demo: the simulated endpoint had failures, see $EP_BUILD_DIR/demo-sim.log" >&2
sweep on dma_skeleton0 | "$app" "${eal[@]}" --vdev="dma_skeleton0,lcore=$aux" -- -i \
	>"$EP_BUILD_DIR/demo-skeleton.log" 2>&1 ||
	echo "demo: dma_skeleton had failures, see $EP_BUILD_DIR/demo-skeleton.log" >&2

# medians and spreads of GB/s and driver cycles per job
awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["device"] == "total" { next }
	{
		k = $c["device"] SUBSEP $c["size"]
		if (!(k in n)) order[++keys] = k
		r = ++n[k]
		gb[k, r] = $c["gbytes_per_s"]; cy[k, r] = $c["cyc_med"]
		err += $c["errors"]
	}
	function stat(a, k,    i, j, t, x, q) {
		for (i = 1; i <= n[k]; i++) x[i] = a[k, i] + 0
		q = n[k]
		for (i = 2; i <= q; i++)
			for (j = i; j > 1 && x[j - 1] > x[j]; j--) {
				t = x[j]; x[j] = x[j - 1]; x[j - 1] = t
			}
		med = q % 2 ? x[(q + 1) / 2] : (x[q / 2] + x[q / 2 + 1]) / 2
		spread = med ? (x[q] - x[1]) / med * 100 : 0
	}
	END {
		printf "%-24s %8s %4s %16s %16s\n", "device", "size", "runs",
			"GB/s (spread)", "cyc/job (spread)"
		for (i = 1; i <= keys; i++) {
			k = order[i]; split(k, p, SUBSEP)
			stat(gb, k); g = sprintf("%.3f (%.0f%%)", med, spread)
			stat(cy, k); y = sprintf("%.0f (%.0f%%)", med, spread)
			printf "%-24s %8s %4d %16s %16s\n", p[1], p[2], n[k], g, y
		}
		printf "(median over the runs; spread = (max - min) / median; " \
			"failed jobs: %d)\n", err
	}' "$csv"

limit=$("$app" "${eal[@]}" -- --costs --link "$link" |
	sed -n 's/^link: .*: \([0-9.]*\) GB\/s of data.*/\1/p')
PLOT_LINK_GBS=$limit "$(dirname "$0")/plot-results.sh" "$csv" "$png" \
	"dpdk-test-ep-dma demo: ${chans[*]} (model $sim) | vs dma_skeleton0 and memcpy, each device alone, $repeats runs of $secs s per size; dotted line: PCIe Gen,lanes,MPS $link data rate"
echo "results: $csv"
