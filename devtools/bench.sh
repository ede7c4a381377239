#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Benchmark: our dw_edma PMD on the simulated endpoint against dma_skeleton,
# a fixed set of cases, all in ONE dpdk-test-ep-dma process (interactive
# mode driven through stdin, one "start"/"wait" per case and device).
#
# Cases (each runs our device alone, then dma_skeleton0 alone):
#   A  64 B jobs, burst 32, inflight = ring   -> jobs/s, cycles/job at burst 32,
#                                                 doorbells and MMIO reads/job
#   B  64 KiB jobs, burst 32, inflight = ring -> GB/s
#   C  64 B jobs, burst 1, inflight = ring    -> cycles/job at burst 1,
#                                                 doorbells and MMIO reads/job
#   D  64 B jobs, burst 1, inflight 1         -> single-job latency
# Our device is read channel 0 of the simulated endpoint (host memory to
# endpoint memory, mem2dev); dma_skeleton can only do mem2mem. Every figure
# printed comes from this run's CSV.
#
# Usage: devtools/bench.sh [seconds per case, default 1]
# Environment: EP_BUILD_DIR, EP_BENCH_SIM (sim vdev args), EP_BENCH_DEV (glob)
set -euo pipefail
source "$(dirname "$0")/env.sh"

secs=${1:-1}
# The model's engine thread is pinned to the last core (cpu=), away from the
# polling lcore 0; unpinned it would share lcore 0's core.
sim=${EP_BENCH_SIM:-dma_dw_edma_sim0,wr=1,rd=1,cpu=$(($(nproc) - 1))}
ours=${EP_BENCH_DEV:-*rd0}
skel=dma_skeleton0

ep_setup && ep_build
app=$EP_BUILD_DIR/app/test-ep-dma/dpdk-test-ep-dma
csv=$EP_BUILD_DIR/bench.csv
log=$EP_BUILD_DIR/bench.log
rm -f "$csv"

cases() {
	local dev
	echo "set csv $csv"
	echo "set duration $secs"
	echo "set progress 0"
	for c in "64 32 0 off" "65536 32 0 off" "64 1 0 off" "64 1 1 on"; do
		set -- $c
		for dev in "$ours" "$skel"; do
			echo "set dev $dev"
			echo "set size $1"
			echo "set burst $2"
			echo "set inflight $3"
			echo "set latency $4"
			echo "start"
			echo "wait"
		done
	done
	echo "quit"
}

# One EAL lcore drives the devices; the other core runs the model's engine
# thread and the skeleton's copy thread.
cases | "$app" -l 0 --no-shconf --no-telemetry --no-huge --iova-mode=va -m 256 --no-pci \
	--log-level=lib.eal:warning --log-level=pmd.dma.skeleton:warning \
	--vdev="$sim" --vdev=$skel -- -i >"$log" 2>&1 ||
	{ echo "bench: the app failed, see $log" >&2; tail -n 20 "$log" >&2; exit 1; }
rows=$(($(wc -l <"$csv") - 1))
[ "$rows" = 8 ] ||
	{ echo "bench: expected 8 result rows, got $rows; see $log" >&2; exit 1; }

awk -F, -v secs="$secs" -v sim="$sim" '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ r = NR - 1; for (k in c) v[r, k] = $c[k] }
	function ratio(a, b) { return (b + 0 > 0 && a != "") ? sprintf("%.2f", a / b) : "-" }
	function na(x) { return x == "" ? "-" : x }
	function line(name, unit, a, b) {
		printf "%-36s %-9s %14s %14s %8s\n", name, unit, na(a), na(b), ratio(a, b)
	}
	END {
		printf "bench: %s s per case; ours = %s (%s, sim %s), skeleton = %s\n\n",
			secs, v[1, "device"], v[1, "dir"], sim, v[2, "device"]
		printf "%-36s %-9s %14s %14s %8s\n", "case", "unit", "ours", "skeleton", "ratio"
		line("jobs/s, 64 B, burst 32", "Mjobs/s", v[1, "mjobs_per_s"], v[2, "mjobs_per_s"])
		line("throughput, 64 KiB, burst 32", "GB/s", v[3, "gbytes_per_s"], v[4, "gbytes_per_s"])
		line("driver cycles/job, 64 B, burst 1", "cycles", v[5, "cycles_per_job"], v[6, "cycles_per_job"])
		line("driver cycles/job, 64 B, burst 32", "cycles", v[1, "cycles_per_job"],
			v[2, "cycles_per_job"])
		line("single-job latency, 64 B: min", "ns", v[7, "lat_min_ns"], v[8, "lat_min_ns"])
		line("single-job latency, 64 B: median", "ns", v[7, "lat_med_ns"], v[8, "lat_med_ns"])
		line("single-job latency, 64 B: p99", "ns", v[7, "lat_p99_ns"], v[8, "lat_p99_ns"])
		line("MMIO reads/job, burst 1", "reads", v[5, "mmio_reads_per_job"], v[6, "mmio_reads_per_job"])
		line("MMIO reads/job, burst 32", "reads", v[1, "mmio_reads_per_job"], v[2, "mmio_reads_per_job"])
		line("doorbells/job, burst 1", "writes", v[5, "doorbells_per_job"], v[6, "doorbells_per_job"])
		line("doorbells/job, burst 32", "writes", v[1, "doorbells_per_job"], v[2, "doorbells_per_job"])
		err = 0
		for (r = 1; r <= 8; r++) err += v[r, "errors"]
		printf "\nratio = ours / skeleton (higher is better for jobs/s and GB/s, " \
			"lower for cycles and latency); errors in all cases: %d\n", err
		exit err != 0
	}' "$csv"
echo "raw results: $csv (app output: $log)"
