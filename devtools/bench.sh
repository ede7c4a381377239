#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright 2026 The ep-dma authors
#
# Benchmark of the dw_edma PMD on the simulated endpoint against dma_skeleton
# and a plain memcpy loop, printed as ONE table of medians over repeated runs,
# each median with its run-to-run spread (max - min) / median.
#
# Devices, each measured alone (one "start" per device and case, so that no
# two engines ever run in the same timed case):
#   eU wr0, eU rd0   write and read channel 0, eDMA unroll layout (sim0)
#   hN wr0, hN rd0   the same on an HDMA native layout (sim1)
#   skeleton         dma_skeleton0 (copies in a thread of its own)
#   memcpy           memcpy() on the polling lcore (--memcpy), no device
# One process per group (eDMA sim, HDMA sim, skeleton + memcpy), so that a
# model's engine thread never shares the machine with the skeleton's copy
# thread. EAL lcore 0 polls; the model's engine thread (model key cpu=) and
# the skeleton's copy thread (vdev argument lcore=) are pinned to the last
# CPU, away from it.
#
# Cases: 64 B at burst 1 and 32 (accesses per job, driver cycles per job,
# silicon ceiling per core), 4 KiB and 64 KiB at burst 32 (throughput
# against the link). Every case runs once untimed (warm-up), then
# EP_BENCH_REPEATS times (default 5), the repeats of all cases interleaved
# so that a slow spell of the machine spreads over every case.
#
# The model runs with bandwidth= and element_ns= of an R-Car S4-class link:
# PCIe Gen4 x2, MPS 256 (EP_BENCH_LINK), whose data rate the app computes
# (--costs --link; see doc/guides/tools/test_ep_dma_cost.rst).
#
# Usage: devtools/bench.sh [seconds per run, default 0.4]
# Environment:
#   EP_BUILD_DIR         build directory
#   EP_BENCH_REPEATS     timed runs per case (default 5, at least 5 advised)
#   EP_BENCH_LINK        GEN,LANES[,MPS] (default 4,2,256)
#   EP_BENCH_ELEMENT_NS  model element_ns (default 50)
#   EP_BENCH_COSTS       extra app options, e.g. "--cost-read 700"
#   EP_BENCH_OUTBOUND    1: give the models an outbound window, so that read
#                        channels complete by write-back too (default 0:
#                        read channels read LLP)
#   EP_BENCH_RT          1: run under chrt -f 1 (SCHED_FIFO), for a machine
#                        where other work would otherwise preempt the polling
#                        lcore and the engine; it starves that other work
set -euo pipefail
source "$(dirname "$0")/env.sh"

secs=${1:-0.4}
repeats=${EP_BENCH_REPEATS:-5}
link=${EP_BENCH_LINK:-4,2,256}
element_ns=${EP_BENCH_ELEMENT_NS:-50}
costs=${EP_BENCH_COSTS:-}
ncpu=$(nproc)
aux=$((ncpu - 1))

ep_setup && ep_build
app=$EP_BUILD_DIR/app/test-ep-dma/dpdk-test-ep-dma
out=$EP_BUILD_DIR/bench
mkdir -p "$out"
csv=$out/bench.csv
rm -f "$csv" "$out"/*.log

eal=(-l 0 --no-shconf --no-telemetry --no-huge --iova-mode=va -m 512 --no-pci
	--log-level=lib.eal:warning --log-level=pmd.dma.skeleton:warning
	--log-level=pmd.dma.dw_edma:warning)
run=()
[ "${EP_BENCH_RT:-0}" = 1 ] && run=(chrt -f 1)
[ "$aux" -gt 0 ] ||
	echo "bench: one CPU only: the engine and copy threads share the polling core" >&2

# The link's data rate, as the app computes it (a line "... : N GB/s ...").
# shellcheck disable=SC2086
limit=$("$app" "${eal[@]}" -- --costs --link "$link" $costs |
	sed -n 's/^link: .*: \([0-9.]*\) GB\/s of data.*/\1/p')
[ -n "$limit" ] || { echo "bench: cannot compute the link rate of $link" >&2; exit 1; }
bandwidth=$(awk -v g="$limit" 'BEGIN { printf "%.0f", g * 1e9 }')
model="cpu=$aux,bandwidth=$bandwidth,element_ns=$element_ns"
[ "${EP_BENCH_OUTBOUND:-0}" = 1 ] && model+=",outbound=0x1000000000000"

# case: size burst
cases=("64 1" "64 32" "4096 32" "65536 32")

# script <csv or none> <seconds> <rounds> <memcpy: on|off> <device>...
script() {
	local target=$1 d=$2 rounds=$3 mc=$4 r c dev size burst
	shift 4
	echo "set csv $target"
	echo "set duration $d"
	for ((r = 0; r < rounds; r++)); do
		for c in "${cases[@]}"; do
			read -r size burst <<<"$c"
			for dev in "$@"; do
				echo "set dev $dev"
				echo "set size $size"
				echo "set burst $burst"
				# memcpy rows come with the skeleton's burst-32 cases
				if [ "$mc" = on ] && [ "$burst" = 32 ]; then
					echo "set memcpy on"
				else
					echo "set memcpy off"
				fi
				echo "start"
				echo "wait"
			done
		done
	done
}

# group <label> <vdev> <device>...: warm-up, then the timed repeats
group() {
	local label=$1 vdev=$2 mc=off rc
	shift 2
	[ "$label" = skeleton ] && mc=on
	# shellcheck disable=SC2086
	{
		echo "set progress 0"
		echo "set link $link"
		# a hang detector, not a measurement: a loaded machine can keep
		# the engine thread off its CPU for a while
		echo "set timeout 10000"
		script none 0.05 1 "$mc" "$@"
		script "$csv" "$secs" "$repeats" "$mc" "$@"
		echo "quit"
	} | "${run[@]}" "$app" "${eal[@]}" --vdev="$vdev" -- -i $costs \
		>"$out/$label.log" 2>&1 && rc=0 || rc=$?
	# A run with failed jobs makes the exit status non-zero; its rows are
	# left out of the medians and counted below. Anything else is fatal.
	if [ "$rc" != 0 ] && ! grep -q '^FAILED' "$out/$label.log"; then
		echo "bench: $label failed (exit status $rc), see $out/$label.log" >&2
		tail -n 20 "$out/$label.log" >&2
		exit 1
	fi
}

t0=$SECONDS
group edma "dma_dw_edma_sim0,layout=edma-unroll,wr=1,rd=1,$model" \
	dma_dw_edma_sim0-wr0 dma_dw_edma_sim0-rd0
group hdma "dma_dw_edma_sim1,layout=hdma-native,wr=1,rd=1,$model" \
	dma_dw_edma_sim1-wr0 dma_dw_edma_sim1-rd0
group skeleton "dma_skeleton0,lcore=$aux" dma_skeleton0
elapsed=$((SECONDS - t0))

awk -F, -v secs="$secs" -v reps="$repeats" -v link="$link" -v limit="$limit" \
	-v model="$model" -v elapsed="$elapsed" -v ncpu="$ncpu" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["device"] == "total" { next }
	$col["errors"] != 0 { errors += $col["errors"]; failed_runs++; next }
	{
		dev = $col["device"]; key = dev SUBSEP $col["size"] SUBSEP $col["burst"]
		n = ++cnt[key]
		for (m in want)
			if ($col[m] != "")
				val[key, m, n] = $col[m]
		if ($col["proj_mjobs_per_s"] != "" && $col["proj_before_mjobs_per_s"] > 0)
			val[key, "ratio", n] = $col["proj_mjobs_per_s"] / \
				$col["proj_before_mjobs_per_s"]
	}
	BEGIN {
		split("mmio_reads_per_job mmio_writes_per_job doorbells_per_job " \
			"cyc_med cyc_p99 proj_mjobs_per_s proj_before_mjobs_per_s " \
			"gbytes_per_s link_pct completion", w, " ")
		for (i in w) want[w[i]] = 1
		ndev = split("dma_dw_edma_sim0-wr0 dma_dw_edma_sim0-rd0 " \
			"dma_dw_edma_sim1-wr0 dma_dw_edma_sim1-rd0 dma_skeleton0 memcpy",
			devs, " ")
		split("eU wr0|eU rd0|hN wr0|hN rd0|skeleton|memcpy", head, "|")
	}
	# median and spread of metric m over the runs of key; "" when none
	function stat(key, m,    n, i, j, t, a, k) {
		k = 0
		for (i = 1; i <= cnt[key]; i++)
			if ((key, m, i) in val)
				a[++k] = val[key, m, i] + 0
		if (k == 0) { med = ""; spread = ""; return }
		for (i = 2; i <= k; i++)        # insertion sort, k is small
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		med = k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
		spread = med != 0 ? (a[k] - a[1]) / med * 100 : 0
		runs = k
	}
	function cell(size, burst, m, fmt, d,    key) {
		key = devs[d] SUBSEP size SUBSEP burst
		if (devs[d] == "memcpy")
			key = devs[d] SUBSEP size SUBSEP 1
		stat(key, m)
		if (med == "")
			return "-"
		if (spread > worst) { worst = spread; worst_at = head[d] " " label }
		if (runs < minruns) minruns = runs
		return sprintf(fmt " (%s)%s", med, spread > 999 ? ">999%" :
			sprintf("%.0f%%", spread), spread > 10 ? "!" : "")
	}
	function row(text, size, burst, m, fmt,    d, s) {
		label = text
		s = sprintf("%-38s", text)
		for (d = 1; d <= ndev; d++)
			s = s sprintf(" %15s", cell(size, burst, m, fmt, d))
		print s
	}
	function mode(d,    key) {
		key = devs[d] SUBSEP 64 SUBSEP 32
		return (key, "completion", 1) in val ? val[key, "completion", 1] : "-"
	}
	END {
		minruns = 1e9
		printf "bench: %s x %s s runs per case, each device alone; model %s;\n",
			reps, secs, model
		printf "link PCIe Gen/lanes/MPS %s = %s GB/s of data; %d CPUs, polling " \
			"lcore on CPU 0; %d s\n", link, limit, ncpu, elapsed
		printf "cells: median over the runs (spread = (max - min) / median; " \
			"! above 10%%)\n\n"
		s = sprintf("%-38s", "metric")
		for (d = 1; d <= ndev; d++) s = s sprintf(" %15s", head[d])
		print s
		s = sprintf("%-38s", "completion mode")
		for (d = 1; d <= ndev; d++) s = s sprintf(" %15s", mode(d))
		print s
		row("MMIO reads/job, 64 B, burst 1", 64, 1, "mmio_reads_per_job", "%.3f")
		row("MMIO reads/job, 64 B, burst 32", 64, 32, "mmio_reads_per_job", "%.3f")
		row("uncached stores/job, 64 B, burst 1", 64, 1, "mmio_writes_per_job", "%.2f")
		row("uncached stores/job, 64 B, burst 32", 64, 32, "mmio_writes_per_job", "%.2f")
		row("doorbells/job, 64 B, burst 32", 64, 32, "doorbells_per_job", "%.3f")
		row("driver cycles/job median, burst 1", 64, 1, "cyc_med", "%.0f")
		row("driver cycles/job p99, burst 1", 64, 1, "cyc_p99", "%.0f")
		row("driver cycles/job median, burst 32", 64, 32, "cyc_med", "%.0f")
		row("driver cycles/job p99, burst 32", 64, 32, "cyc_p99", "%.0f")
		row("silicon ceiling Mjobs/s/core, b1", 64, 1, "proj_mjobs_per_s", "%.3f")
		row("  same, before write-back", 64, 1, "proj_before_mjobs_per_s", "%.3f")
		row("  ratio now/before", 64, 1, "ratio", "%.2fx")
		row("silicon ceiling Mjobs/s/core, b32", 64, 32, "proj_mjobs_per_s", "%.3f")
		row("  same, before write-back", 64, 32, "proj_before_mjobs_per_s", "%.3f")
		row("  ratio now/before", 64, 32, "ratio", "%.2fx")
		row("throughput GB/s, 4 KiB, burst 32", 4096, 32, "gbytes_per_s", "%.3f")
		row("  % of the link (target >= 90)", 4096, 32, "link_pct", "%.1f")
		row("throughput GB/s, 64 KiB, burst 32", 65536, 32, "gbytes_per_s", "%.3f")
		row("  % of the link (target >= 90)", 65536, 32, "link_pct", "%.1f")
		printf "\nworst spread %.1f%% (%s); target <= 10%%; fewest runs in a " \
			"cell: %d\n", worst, worst_at, minruns
		if (failed_runs)
			printf "FAILED RUNS: %d (%d failed jobs), left out of the " \
				"medians; see the logs\n", failed_runs, errors
		printf "cycles: TSC cycles of a job inside rte_dma_copy/submit/" \
			"completed (memcpy: per call); median of\n8-job window means, " \
			"p99 of single jobs (memcpy: of 64-call blocks);\nceiling: 1e9 / " \
			"(cpu_ns + reads x read + stores x store ...), see --costs\n"
		exit errors != 0
	}' "$csv"
echo "raw rows: $csv; app output: $out/*.log"
