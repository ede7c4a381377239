#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Turn dpdk-test-ep-dma CSV output into a PNG chart: throughput (GB/s) and
# driver cycles per job against transfer size, one line per device ("total"
# rows are left out). Needs gnuplot (Debian's gnuplot-nox).
#
# Usage: devtools/plot-results.sh <results.csv> [out.png] [title]
set -euo pipefail

csv=${1:?usage: $0 <results.csv> [out.png] [title]}
png=${2:-${csv%.csv}.png}
title=${3:-dpdk-test-ep-dma}
command -v gnuplot >/dev/null ||
	{ echo "plot-results: gnuplot not found (apt-get install gnuplot-nox)" >&2; exit 1; }
[ -s "$csv" ] || { echo "plot-results: $csv is empty or missing" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One data file per device+direction: size gbytes_per_s cycles_per_job,
# sorted by size; columns are found by name in the header.
awk -F, -v dir="$tmp" '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i
		if (!("size" in c) || !("gbytes_per_s" in c) ||
		    !("cycles_per_job" in c)) { print "bad header" > "/dev/stderr"; exit 1 }
		next }
	$c["device"] == "total" { next }
	{ key = $c["device"] " " $c["dir"]
	  if (!(key in files)) { files[key] = dir "/" (++n) ".dat"; print key > (dir "/" n ".name") }
	  print $c["size"], $c["gbytes_per_s"], $c["cycles_per_job"] > files[key] }
' "$csv"

plots_bw= plots_cyc=
for f in "$tmp"/*.dat; do
	[ -e "$f" ] || { echo "plot-results: no device rows in $csv" >&2; exit 1; }
	sort -n -k1,1 "$f" -o "$f"
	name=$(cat "${f%.dat}.name")
	plots_bw+="${plots_bw:+, }'$f' using 1:2 with linespoints title '$name'"
	plots_cyc+="${plots_cyc:+, }'$f' using 1:3 with linespoints title '$name'"
done

gnuplot <<GP
set terminal pngcairo size 1200,560 noenhanced font ',10'
set output '$png'
set datafile missing ''
set multiplot layout 1,2 title '$title'
set logscale x 2
set grid
set key below vertical maxcols 2 spacing 1.1 width 2
set xlabel 'transfer size (bytes)'
set ylabel 'GB/s'
set title 'throughput'
plot $plots_bw
set logscale y 10
set ylabel 'TSC cycles per job (enqueue+submit+completion)'
set title 'driver CPU cost'
plot $plots_cyc
unset multiplot
GP
echo "chart: $png"
